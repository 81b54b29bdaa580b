// ledger.js — 账簿: the double-entry ledger of the unions in scope, in three
// tabs: 科目余额 (each account's debits, credits and balance on its normal
// side), 记账明细 (transfers, filterable by account, business type and value
// date; each opens with 冲销 for the finance duty) and 试算平衡表 (opening,
// period and closing debits and credits, with 导出 Excel). Auditors and
// admins also run 账簿校验 (balances, debits = credits, batches, reversals,
// references, the hash chain).
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasRole } from '../../lib/session.js';
import { href } from '../../lib/router.js';
import {
  ACCOUNT_KINDS,
  SIDES,
  TRANSFER_STATUS,
  REF_TYPES,
  LEDGER_CHECKS,
  label,
  options,
  fmtYuan,
  today,
} from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { field } from '../../lib/form.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { download } from '../../lib/download.js';
import { simpleTable } from '../../lib/simpletable.js';
import { chartCell, sideText } from '../../lib/accounts.js';
import { openDialog, toast, busy, tag, pageHeader, panel, segmented } from '../../lib/ui.js';

const TABS = [
  ['accounts', '科目余额'],
  ['transfers', '记账明细'],
  ['trial', '试算平衡表'],
];

const money = (fen, { strong = false } = {}) =>
  h(strong ? 'strong' : 'span', { class: ['num', fen < 0 && 'is-negative'] }, fmtYuan(fen));

function sideCell(s) {
  return h('span', { class: 'status-cell' }, chartCell(s), h('span', { class: 'cell-sub' }, s.org_name));
}

export default function ledgerPage(ctx) {
  const me = currentUser();
  let tab = TABS.some(([v]) => v === ctx.query.tab) ? ctx.query.tab : 'accounts';
  // An account chosen from 科目余额 filters 记账明细: {id, text}.
  let account = ctx.query.account_id ? { id: ctx.query.account_id, text: `科目 #${ctx.query.account_id}` } : null;
  const content = h('div');

  const tabs = segmented({ label: '账簿视图', options: TABS, value: tab, onChange: (v) => show(v) });

  function show(v) {
    tab = v;
    tabs.set(v);
    const q = new URLSearchParams();
    if (v !== 'accounts') q.set('tab', v);
    if (v === 'transfers' && account) q.set('account_id', account.id);
    history.replaceState(null, '', `#/ledger${q.toString() ? `?${q}` : ''}`);
    if (v === 'accounts') mount(content, accountsView());
    else if (v === 'transfers') mount(content, transfersView());
    else mount(content, trialView());
  }

  function accountsView() {
    const t = createTable({
      caption: '科目余额',
      search: [orgPicker({ label: '组织', empty: '全部' })],
      perPage: 50,
      columns: [
        { key: 'org_name', title: '组织' },
        {
          key: 'name',
          title: '科目',
          render: (a) => chartCell(a),
        },
        { key: 'kind', title: '类别', nowrap: true, render: (a) => label(ACCOUNT_KINDS, a.kind) },
        { key: 'normal_side', title: '方向', nowrap: true, render: (a) => label(SIDES, a.normal_side) },
        { key: 'debit_fen', title: '借方累计（元）', align: 'right', nowrap: true, render: (a) => money(a.debit_fen) },
        {
          key: 'credit_fen',
          title: '贷方累计（元）',
          align: 'right',
          nowrap: true,
          render: (a) => money(a.credit_fen),
        },
        {
          key: 'balance_fen',
          title: '余额（元）',
          align: 'right',
          nowrap: true,
          render: (a) => money(a.balance_fen, { strong: true }),
        },
        {
          key: 'pending',
          title: '预留（元）',
          align: 'right',
          nowrap: true,
          render: (a) =>
            a.pending_debit_fen || a.pending_credit_fen
              ? h(
                  'span',
                  { class: 'status-cell' },
                  a.pending_debit_fen ? h('span', `借 ${fmtYuan(a.pending_debit_fen)}`) : null,
                  a.pending_credit_fen ? h('span', `贷 ${fmtYuan(a.pending_credit_fen)}`) : null,
                )
              : '',
        },
        {
          key: 'ops',
          title: '操作',
          nowrap: true,
          render: (a) =>
            h(
              'button',
              {
                type: 'button',
                class: 'btn btn-text',
                onclick: () => {
                  account = { id: String(a.id), text: sideText(a) };
                  show('transfers');
                },
              },
              '明细',
            ),
        },
      ],
      empty: '暂无会计科目',
      fetch: (p, signal) => api.get('/api/v1/ledger/accounts', p, { signal }),
    });
    return t.el;
  }

  function transfersView() {
    const chip = account
      ? h(
          'div',
          { class: 'filter-chip' },
          h('span', `科目：${account.text}`),
          h(
            'button',
            {
              type: 'button',
              class: 'icon-btn',
              'aria-label': '取消科目筛选',
              onclick: () => {
                account = null;
                show('transfers');
              },
            },
            icon('close', 16),
          ),
        )
      : null;
    const t = createTable({
      caption: '记账明细',
      search: [
        { name: 'ref_type', label: '业务类型', type: 'select', empty: '全部', options: options(REF_TYPES) },
        { name: 'from', label: '记账日期起', type: 'date' },
        { name: 'to', label: '记账日期止', type: 'date' },
      ],
      toolbar: chip ? [chip] : null,
      onRowClick: (x) => ctx.router.navigate(`/ledger/transfers/${x.id}`),
      columns: [
        {
          key: 'id',
          title: '编号',
          nowrap: true,
          render: (x) => h('a', { href: href('/ledger/transfers/{id}', { id: x.id }) }, `#${x.id}`),
        },
        { key: 'value_date', title: '记账日期', nowrap: true },
        { key: 'debit', title: '借方', render: (x) => sideCell(x.debit) },
        { key: 'credit', title: '贷方', render: (x) => sideCell(x.credit) },
        {
          key: 'amount_fen',
          title: '金额（元）',
          align: 'right',
          nowrap: true,
          render: (x) => money(x.amount_fen, { strong: true }),
        },
        {
          key: 'ref_type',
          title: '业务',
          nowrap: true,
          render: (x) => `${label(REF_TYPES, x.ref_type)}${x.ref_id ? ` #${x.ref_id}` : ''}`,
        },
        { key: 'memo', title: '摘要' },
        {
          key: 'status',
          title: '状态',
          nowrap: true,
          render: (x) =>
            h(
              'span',
              { class: 'tags' },
              tag(
                label(TRANSFER_STATUS, x.status),
                x.status === 'posted' ? 'green' : x.status === 'pending' ? 'orange' : 'gray',
              ),
              x.reverses_id ? tag('冲销', 'red') : null,
            ),
        },
      ],
      empty: '没有符合条件的记账记录',
      fetch: (p, signal) =>
        api.get('/api/v1/ledger/transfers', { ...p, account_id: account ? account.id : '' }, { signal }),
    });
    return t.el;
  }

  function trialView() {
    const year = today().slice(0, 4);
    const picker = orgPicker({ label: '组织', empty: '我的全部管辖范围' });
    const fromF = field({ name: 'from', label: '开始日期', type: 'date', value: `${year}-01-01`, required: true });
    const toF = field({ name: 'to', label: '结束日期', type: 'date', value: today(), required: true });
    const exportBtn = h(
      'button',
      { type: 'button', class: 'btn', onclick: exportXlsx },
      icon('download', 16),
      '导出 Excel',
    );
    const f = h(
      'form',
      { class: 'search-form', role: 'search', 'aria-label': '试算平衡表条件', novalidate: true },
      fromF,
      toF,
      picker,
      h(
        'div',
        { class: 'search-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, icon('search', 16), '查询'),
        exportBtn,
      ),
    );
    const out = h('div');
    const params = () => ({ org_id: f.elements.org_id.value, from: f.elements.from.value, to: f.elements.to.value });
    f.addEventListener('submit', (ev) => {
      ev.preventDefault();
      load();
    });

    async function exportXlsx() {
      const p = params();
      if (!p.from || !p.to) return toast('请填写开始日期和结束日期', 'error');
      busy(exportBtn, true, '导出中…');
      try {
        const file = await download('/api/v1/ledger/trial-balance', {
          query: { ...p, format: 'xlsx' },
          filename: '试算平衡表.xlsx',
          signal: ctx.signal,
        });
        toast(`已导出 ${file.name}`, 'success');
      } catch (e) {
        if (e.name !== 'AbortError') toast(`导出失败：${e.message}`, 'error');
      } finally {
        busy(exportBtn, false);
      }
    }

    async function load() {
      const p = params();
      mount(
        out,
        h(
          'div',
          { class: 'panel' },
          h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '计算中…'),
        ),
      );
      let tb;
      try {
        tb = await api.get('/api/v1/ledger/trial-balance', p, { signal: ctx.signal });
      } catch (e) {
        if (e.name === 'AbortError') return;
        mount(
          out,
          h(
            'div',
            { class: 'panel' },
            h('div', { class: 'state state-error', role: 'alert' }, `加载失败：${e.message}`),
          ),
        );
        return;
      }
      const cols = [
        { key: 'org_name', title: '组织' },
        {
          key: 'name',
          title: '科目',
          render: (r) => (r.code ? chartCell(r) : r.name),
        },
        ...[
          ['opening_debit_fen', '期初借方'],
          ['opening_credit_fen', '期初贷方'],
          ['period_debit_fen', '本期借方'],
          ['period_credit_fen', '本期贷方'],
          ['closing_debit_fen', '期末借方'],
          ['closing_credit_fen', '期末贷方'],
        ].map(([key, title]) => ({
          key,
          title: `${title}（元）`,
          align: 'right',
          nowrap: true,
          render: (r) => money(r[key]),
        })),
      ];
      mount(
        out,
        panel(
          `试算平衡表 · ${tb.from} 至 ${tb.to}`,
          h(
            'div',
            { class: ['notice', tb.balanced ? 'notice-ok' : 'notice-warn'], role: 'status' },
            tb.balanced
              ? '借贷平衡：期初、本期发生额和期末余额的借方合计均等于贷方合计。'
              : '借贷不平衡：所选范围内有与范围外组织之间的资金往来（如上级工会代收的经费分成），在本范围内只出现一方。全省（全部组织）范围内借贷应当平衡。',
          ),
          simpleTable({
            caption: '试算平衡表',
            className: 'table-dense',
            scroll: true,
            columns: cols,
            rows: tb.rows,
            foot: [{ ...tb.totals, org_name: '合计', name: '' }],
            empty: '所选范围内没有会计科目',
          }),
        ),
      );
    }

    load();
    return h('div', f, out);
  }

  function check(ev) {
    const btn = ev.currentTarget;
    busy(btn, true, '校验中…');
    api
      .get('/api/v1/ledger/check', undefined, { signal: ctx.signal })
      .then((r) => {
        openDialog({
          title: '账簿校验',
          wide: true,
          body: h(
            'div',
            h(
              'div',
              { class: ['notice', r.ok ? 'notice-ok' : 'notice-error'], role: r.ok ? 'status' : 'alert' },
              r.ok ? '账簿校验通过：全部检查项正常。' : '账簿校验发现问题，请立即核查。',
            ),
            h(
              'ul',
              { class: 'check-list', 'aria-label': '校验结果' },
              r.checks.map((c) =>
                h(
                  'li',
                  { class: ['check-item', c.ok ? 'is-ok' : 'is-bad'] },
                  h(
                    'span',
                    { class: 'check-mark', 'aria-hidden': 'true' },
                    c.ok ? icon('check', 16) : icon('close', 16),
                  ),
                  h(
                    'span',
                    { class: 'check-body' },
                    h('strong', label(LEDGER_CHECKS, c.check)),
                    h('span', { class: 'cell-sub' }, c.detail),
                  ),
                  tag(c.ok ? '正常' : '异常', c.ok ? 'green' : 'red'),
                ),
              ),
            ),
          ),
          actions: [{ text: '关闭', kind: 'primary', value: true }],
        });
      })
      .catch((e) => {
        if (e.name !== 'AbortError') toast(`校验失败：${e.message}`, 'error');
      })
      .finally(() => busy(btn, false));
  }

  const el = h(
    'div',
    pageHeader({
      title: '账簿',
      desc: '复式记账：每笔资金往来记一借一贷；余额由记账明细汇总，记录不修改、不删除，更正用冲销',
      actions: hasRole(me, 'admin', 'auditor')
        ? [h('button', { type: 'button', class: 'btn', onclick: check }, icon('check', 16), '账簿校验')]
        : null,
    }),
    h('div', { class: 'page-tabs' }, tabs),
    content,
  );
  show(tab);
  return el;
}
