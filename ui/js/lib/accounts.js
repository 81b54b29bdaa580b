// accounts.js — ledger accounts as union accountants name them: the code and
// name of the 工会会计制度 chart (chart_code, chart_name on every account and
// on both sides of a transfer). The internal key (bank, fee_income …) that
// the server also sends never reaches the screen.
import { h } from './dom.js';

// An account as union accountants name it (工会会计制度): '102 银行存款'.
// The internal key (bank, fee_income …) never reaches the screen.
export function chartText(a) {
  if (!a) return '';
  return a.chart_code ? `${a.chart_code} ${a.chart_name}` : a.name || '';
}

// '南京市总工会 · 102 银行存款' for one side of a transfer.
export function sideText(s) {
  return s ? `${s.org_name} · ${chartText(s)}` : '';
}

// The chart code (small, monospaced) and name of an account.
export function chartCell(a) {
  return h(
    'span',
    { class: 'chart-acct' },
    a.chart_code ? h('span', { class: 'mono chart-code' }, a.chart_code) : null,
    h('span', a.chart_code ? a.chart_name : a.name),
  );
}
