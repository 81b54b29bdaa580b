// aid.js — 帮扶救助: the grants in scope (names masked) by status and kind,
// with the next step for each — 初审, 批准 (another officer: the one who
// did the first review sees why there is no 批准; approving asks first),
// 不予救助, 支付 (finance) — and the statistics for a period with the sentence a report
// prints ("投入帮扶救助资金…万元，救助困难职工…人次").
import { h, mount } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { href } from '../../lib/router.js';
import { label, options, fmtYuan, fmtYuanBig, today } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { simpleTable } from '../../lib/simpletable.js';
import { form, formDialog } from '../../lib/form.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { toast, tag, pageHeader, panel, confirmDialog } from '../../lib/ui.js';
import { chart, rankOption, figurePanel } from '../../lib/chart.js';
import { AID_KINDS, GRANT_STATUS, GRANT_STATUS_TONE, CATEGORIES, AID_SCHOOL } from '../../lib/hardship-labels.js';

export default function aidPage(ctx) {
  const me = currentUser();
  const finance = hasDuty(me, 'finance');

  async function act(g, verb, text, body = {}) {
    try {
      const r = await api.post(`/api/v1/aid/grants/${g.id}/${verb}`, body);
      toast(`${text}：${label(AID_KINDS, r.kind)} ${fmtYuan(r.amount_fen)} 元`, 'success');
      table.refresh();
      loadStats();
    } catch (e) {
      toast(e.message, 'error');
    }
  }
  function reject(g) {
    formDialog({
      title: '不予救助',
      className: 'form-grid form-1',
      submitText: '确定',
      danger: true,
      busyText: null,
      fields: [{ name: 'reason', label: '原因', required: true, maxlength: 200 }],
      submit: (v) => api.post(`/api/v1/aid/grants/${g.id}/reject`, v),
      after: () => {
        table.refresh();
      },
    });
  }
  async function approve(g) {
    if (
      await confirmDialog({
        title: '批准救助',
        message: `批准 ${g.member_name_masked} 的${label(AID_KINDS, g.kind)} ${fmtYuan(g.amount_fen)} 元？批准后计入本年度救助，由财务支付。`,
        okText: '确认批准',
      })
    )
      act(g, 'approve', '已批准');
  }
  async function pay(g) {
    if (
      await confirmDialog({
        title: '支付救助金',
        message: `支付 ${g.member_name_masked} 的${label(AID_KINDS, g.kind)} ${fmtYuan(g.amount_fen)} 元？支付后记入账簿。`,
        okText: '确认支付',
      })
    )
      act(g, 'pay', '已支付');
  }

  const table = createTable({
    caption: '帮扶救助申请',
    search: [
      { name: 'status', label: '状态', type: 'select', empty: '全部', options: options(GRANT_STATUS) },
      { name: 'kind', label: '救助项目', type: 'select', empty: '全部', options: options(AID_KINDS) },
      orgPicker({ label: '所属组织', empty: '全部' }),
    ],
    initial: ctx.query.status ? { status: ctx.query.status } : {},
    columns: [
      {
        key: 'member_name_masked',
        title: '职工',
        nowrap: true,
        render: (g) => h('a', { href: href('/hardship/{id}', { id: g.file_id }) }, g.member_name_masked),
      },
      { key: 'org_name', title: '所属工会' },
      {
        key: 'kind',
        title: '项目',
        nowrap: true,
        render: (g) => [label(AID_KINDS, g.kind), g.school_level ? `（${label(AID_SCHOOL, g.school_level)}）` : ''],
      },
      { key: 'category', title: '类别', nowrap: true, render: (g) => label(CATEGORIES, g.category) },
      { key: 'amount_fen', title: '金额（元）', align: 'right', nowrap: true, render: (g) => fmtYuan(g.amount_fen) },
      { key: 'applied_on', title: '申请日期', nowrap: true },
      {
        key: 'status',
        title: '状态',
        nowrap: true,
        render: (g) => tag(label(GRANT_STATUS, g.status), GRANT_STATUS_TONE[g.status]),
      },
      {
        key: 'actions',
        title: '办理',
        nowrap: true,
        render: (g) => [
          g.status === 'applied'
            ? h(
                'button',
                { type: 'button', class: 'btn btn-sm', onclick: () => act(g, 'review', '已初审') },
                '初审通过',
              )
            : null,
          g.status === 'reviewed' && g.reviewed_by !== me.id
            ? h('button', { type: 'button', class: 'btn btn-sm btn-primary', onclick: () => approve(g) }, '批准')
            : null,
          // Maker/checker: whoever did the first review does not approve (the
          // server refuses too); say so where 批准 would be.
          g.status === 'reviewed' && g.reviewed_by === me.id
            ? h(
                'span',
                { class: 'cell-sub', title: '经办与审批分离：初审人不能再批准同一笔救助' },
                '您已初审，须由另一名工作人员批准',
              )
            : null,
          ['applied', 'reviewed'].includes(g.status)
            ? h('button', { type: 'button', class: 'btn btn-sm btn-text', onclick: () => reject(g) }, '不予救助')
            : null,
          g.status === 'approved' && finance
            ? h('button', { type: 'button', class: 'btn btn-sm btn-primary', onclick: () => pay(g) }, '支付')
            : null,
        ],
      },
    ],
    empty: '没有救助申请',
    exportXlsx: { path: '/api/v1/aid/grants', filename: '帮扶救助.xlsx' },
    fetch: (p, signal) => api.get('/api/v1/aid/grants', p, { signal }),
  });

  const statsBox = h('div', h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '统计中…'));
  const year = today().slice(0, 4);
  const statsForm = form({
    id: 'aid-stats',
    className: 'search-form',
    fields: [
      { name: 'from', label: '起始日期', type: 'date', value: `${year}-01-01` },
      { name: 'to', label: '截止日期', type: 'date', value: today() },
      h('div', { class: 'search-actions' }, h('button', { type: 'submit', class: 'btn' }, '统计')),
    ],
    onSubmit: () => loadStats(),
  });
  async function loadStats() {
    try {
      const s = await api.get('/api/v1/aid/stats', {
        from: statsForm.elements.from.value,
        to: statsForm.elements.to.value,
      });
      // the chart ranks the kinds, the largest amount on top
      const kinds = [...s.by_kind].sort((a, b) => b.amount_fen - a.amount_fen);
      mount(
        statsBox,
        h('p', { class: 'aid-sentence' }, s.sentence),
        h(
          'div',
          { class: 'stats stats-auto' },
          h(
            'div',
            { class: 'stat is-total' },
            h('div', { class: 'stat-num' }, fmtYuanBig(s.amount_fen)),
            h('div', { class: 'stat-label' }, '投入资金'),
          ),
          h(
            'div',
            { class: 'stat' },
            h('div', { class: 'stat-num' }, String(s.grants)),
            h('div', { class: 'stat-label' }, '救助人次'),
          ),
          h(
            'div',
            { class: 'stat' },
            h('div', { class: 'stat-num' }, String(s.people)),
            h('div', { class: 'stat-label' }, '救助人数'),
          ),
        ),
        figurePanel({
          title: '按救助项目',
          filename: `帮扶救助统计-按项目-${statsForm.elements.from.value}至${statsForm.elements.to.value}.csv`,
          chart: kinds.some((k) => k.amount_fen)
            ? chart({
                label: '各救助项目的救助金额',
                signal: ctx.signal,
                height: Math.max(160, 40 + kinds.length * 34),
                option: rankOption({
                  categories: kinds.map((k) => k.label),
                  name: '万元',
                  data: kinds.map((k) => k.amount_fen / 1000000),
                  format: (_, i) =>
                    `${fmtYuanBig(kinds[i].amount_fen)} · ${kinds[i].grants} 人次 · ${kinds[i].people} 人`,
                }),
              })
            : null,
          table: simpleTable({
            caption: '按项目',
            columns: [
              { key: 'label', title: '项目' },
              { key: 'grants', title: '人次', align: 'right' },
              { key: 'people', title: '人数', align: 'right' },
              { key: 'amount_fen', title: '金额（元）', align: 'right', render: (k) => fmtYuan(k.amount_fen) },
            ],
            rows: s.by_kind,
            empty: '所选期间没有批准的救助',
          }),
        }),
      );
    } catch (e) {
      mount(statsBox, h('div', { class: 'state state-error' }, e.message));
    }
  }
  loadStats();
  return h(
    'div',
    pageHeader({
      title: '帮扶救助',
      desc: '申请 → 初审 → 批准（另一名工作人员）→ 支付；超过标准或年度上限的申请会被拒绝并说明原因',
    }),
    table.el,
    panel('救助统计', statsForm, statsBox),
  );
}
