// hardship-reviews.js — 年度复核: open files whose yearly review falls due
// within 30 days or is overdue, union by union, earliest first, with the
// overdue count; a row opens the file, where the review is recorded.
import { h } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { href } from '../../lib/router.js';
import { label } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { tag, pageHeader } from '../../lib/ui.js';
import { CATEGORIES, CATEGORY_TONE, CAUSES } from '../../lib/hardship-labels.js';

export default function reviewsPage(ctx) {
  const summary = h('p', { class: 'muted', 'aria-live': 'polite' });
  const table = createTable({
    caption: '待复核档案',
    search: [
      orgPicker({ label: '所属组织', empty: '本人管辖范围' }),
      {
        name: 'within_days',
        label: '到期范围',
        type: 'select',
        options: [
          ['30', '30 天内到期及逾期'],
          ['90', '90 天内到期及逾期'],
          ['0', '仅已逾期'],
        ],
        value: '30',
      },
    ],
    onRowClick: (f) => ctx.router.navigate(`/hardship/${f.id}`),
    columns: [
      {
        key: 'review_due',
        title: '复核到期',
        nowrap: true,
        render: (f) =>
          h('span', { class: f.review_overdue ? 'text-bad' : '' }, f.review_due, f.review_overdue ? '（已逾期）' : ''),
      },
      {
        key: 'member_name_masked',
        title: '职工',
        nowrap: true,
        render: (f) => h('a', { href: href('/hardship/{id}', { id: f.id }) }, f.member_name_masked),
      },
      { key: 'org_name', title: '所属工会' },
      {
        key: 'category',
        title: '类别',
        nowrap: true,
        render: (f) => tag(label(CATEGORIES, f.category), CATEGORY_TONE[f.category]),
      },
      { key: 'main_cause', title: '主要致困原因', render: (f) => label(CAUSES, f.main_cause) },
      { key: 'last_review_on', title: '上次复核', nowrap: true },
    ],
    empty: '近期没有需要复核的档案',
    fetch: async (p, signal) => {
      const r = await api.get('/api/v1/hardship/reviews/due', p, { signal });
      summary.textContent = `已逾期 ${r.overdue}${r.overdue_exact === false ? '+' : ''} 份；列出 ${r.due_until} 前到期的在档档案（今天 ${r.today}）。`;
      return r;
    },
  });
  return h(
    'div',
    pageHeader({ title: '年度复核', desc: '在档的困难职工档案每年复核一次：继续帮扶或脱困撤档' }),
    summary,
    table.el,
  );
}
