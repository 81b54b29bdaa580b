// hardship-home.js — the hardship reminders on the officer's home page: files
// waiting for the level above, yearly reviews overdue and due within 30 days,
// open files; each number links to the list it counts.
import { h, mount } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { panel } from '../../lib/ui.js';

export function hardshipReminders(signal) {
  const box = h(
    'div',
    { class: 'hs-remind' },
    h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '统计中…'),
  );
  load();
  return panel('困难帮扶 · 待办提醒', box);

  async function load() {
    let s;
    try {
      s = await api.get('/api/v1/hardship/summary', undefined, { signal });
    } catch (e) {
      if (e.name !== 'AbortError') mount(box, h('div', { class: 'state state-error' }, `提醒加载失败：${e.message}`));
      return;
    }
    const plus = s.exact ? '' : '+';
    const cell = (n, text, link, cls) =>
      h(
        'a',
        { class: ['stat', cls], href: link },
        h('div', { class: 'stat-num' }, `${n}${n >= 10000 ? plus : ''}`),
        h('div', { class: 'stat-label' }, text),
      );
    mount(
      box,
      h(
        'div',
        { class: 'stats stats-auto' },
        cell(s.overdue, '年度复核已逾期', '#/hardship-reviews', s.overdue ? 'is-bad' : ''),
        cell(s.due_30d, '30 天内到期复核', '#/hardship-reviews', s.due_30d ? 'is-warn' : ''),
        cell(s.pending, '待上级审核建档', '#/hardship?status=pending', s.pending ? 'is-warn' : ''),
        cell(s.open, '在档困难职工', '#/hardship?status=open', 'is-total'),
      ),
    );
  }
}
