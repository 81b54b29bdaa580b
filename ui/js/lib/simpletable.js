// simpletable.js — a plain table over rows already in hand (import reports,
// statistics, trial balances): the same look as createTable's, including the
// phone layout where each row becomes a labelled card. No paging, no fetch.
import { h } from './dom.js';

// simpleTable({caption, columns: [{key, title, render?(row), align?, nowrap?}],
//   rows, empty: '暂无数据', foot: [row objects rendered like rows, in <tfoot>],
//   scroll: true keeps the grid on phones and scrolls it sideways (wide
//   accounting tables read better that way than as cards)})
export function simpleTable({ caption, columns, rows, empty = '暂无数据', foot, className, scroll = false }) {
  const cells = (row, tag = 'td') =>
    columns.map((c) => {
      const v = c.render ? c.render(row) : row[c.key];
      return h(
        tag,
        { 'data-label': c.title, class: [c.align && `t-${c.align}`, c.nowrap && 'nowrap'] },
        v === null || v === undefined || v === '' ? '—' : v,
      );
    });
  const table = h(
    'table',
    { class: ['table', className], 'aria-label': caption },
    h(
      'thead',
      h(
        'tr',
        columns.map((c) => h('th', { scope: 'col', class: c.align && `t-${c.align}` }, c.title)),
      ),
    ),
    h(
      'tbody',
      rows.map((r) => h('tr', cells(r))),
    ),
    foot && foot.length
      ? h(
          'tfoot',
          foot.map((r) => h('tr', { class: 'is-total' }, cells(r))),
        )
      : null,
  );
  return h(
    'div',
    { class: ['table-wrap', scroll && 'table-scroll'] },
    table,
    rows.length ? null : h('div', { class: 'table-status' }, h('div', { class: 'state state-empty' }, empty)),
  );
}
