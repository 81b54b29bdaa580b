// retreat-bookings.js — 预订审核: recuperation bookings of members in the
// officer's scope (and on routes offered in it), waiting ones first. The
// member's union (or a union above it) confirms or rejects with a reason,
// and may cancel for the member; a seat given up goes to the waiting list.
import { h } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { label, options, fmtTime } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { toast, busy, tag, pageHeader } from '../../lib/ui.js';
import { BOOKING_STATUS, BOOKING_STATUS_TONE, yuan, shortDate } from '../../lib/retreat.js';
import { formDialog } from '../../lib/form.js';

export default function bookingsPage(ctx) {
  const me = currentUser();
  const canDecide = hasDuty(me, 'retreat');
  const table = createTable({
    caption: '疗休养预订',
    search: [
      {
        name: 'status',
        label: '状态',
        type: 'select',
        empty: '全部',
        options: options(BOOKING_STATUS),
        value: 'pending',
      },
      orgPicker({ label: '会员所在工会', empty: '全部' }),
    ],
    initial: { status: ctx.query.status ?? 'pending' },
    columns: [
      {
        key: 'member_name',
        title: '会员',
        nowrap: true,
        render: (b) => [
          b.member_name,
          b.frontline ? [' ', tag('一线', 'orange')] : null,
          b.model_worker ? [' ', tag('劳模', 'red')] : null,
        ],
      },
      { key: 'org_name', title: '所在工会' },
      {
        key: 'route_title',
        title: '线路',
        render: (b) => h('a', { href: `#/retreat/routes/${b.route_id}` }, b.route_title),
      },
      { key: 'depart_date', title: '出发', nowrap: true, render: (b) => shortDate(b.depart_date) },
      {
        key: 'member_price_fen',
        title: '会员价 / 补助',
        nowrap: true,
        render: (b) => `${yuan(b.member_price_fen)} / ${yuan(b.subsidy_fen)}`,
      },
      {
        key: 'status',
        title: '状态',
        nowrap: true,
        render: (b) => [
          tag(
            b.status === 'waitlisted' ? `候补第 ${b.waitlist_position} 位` : label(BOOKING_STATUS, b.status),
            BOOKING_STATUS_TONE[b.status],
          ),
          b.promoted_at
            ? [' ', h('span', { title: `${fmtTime(b.promoted_at)} 由候补递补` }, tag('递补', 'orange'))]
            : null,
        ],
      },
      { key: 'created_at', title: '预订时间', nowrap: true, render: (b) => fmtTime(b.created_at) },
      {
        key: 'actions',
        title: '操作',
        nowrap: true,
        render: (b) =>
          canDecide
            ? h(
                'div',
                { class: 'row-actions' },
                b.status === 'pending'
                  ? h(
                      'button',
                      {
                        type: 'button',
                        class: 'btn btn-text',
                        dataset: { action: 'confirm' },
                        onclick: (ev) => confirmOne(ev.currentTarget, b),
                      },
                      '确认',
                    )
                  : null,
                b.status === 'pending'
                  ? h('button', { type: 'button', class: 'btn btn-text', onclick: () => decide(b, 'reject') }, '拒绝')
                  : null,
                ['pending', 'confirmed', 'waitlisted'].includes(b.status)
                  ? h('button', { type: 'button', class: 'btn btn-text', onclick: () => decide(b, 'cancel') }, '取消')
                  : null,
              )
            : null,
      },
    ],
    empty: '没有符合条件的预订',
    exportXlsx: { path: '/api/v1/retreat/bookings', filename: '疗休养预订.xlsx' },
    fetch: (p, signal) => api.get('/api/v1/retreat/bookings', p, { signal }),
  });

  async function confirmOne(btn, b) {
    busy(btn, true, '确认中…');
    try {
      await api.post(`/api/v1/retreat/bookings/${b.id}/confirm`);
      toast(`已确认 ${b.member_name} 的预订`, 'success');
      table.refresh();
    } catch (e) {
      busy(btn, false);
      toast(e.message, 'error');
    }
  }

  function decide(b, action) {
    const reject = action === 'reject';
    formDialog({
      title: `${reject ? '拒绝' : '取消'}预订：${b.member_name}`,
      className: 'form-grid form-1',
      intro: h(
        'p',
        { class: 'muted', style: { marginBottom: '10px' } },
        `${b.route_title}，${shortDate(b.depart_date)}出发。名额将自动让给候补的会员。`,
      ),
      cancelText: '返回',
      submitText: reject ? '确认拒绝' : '确认取消',
      danger: true,
      busyText: '提交中…',
      fields: [
        {
          name: 'reason',
          label: reject ? '不予通过的原因' : '取消原因',
          type: 'textarea',
          required: true,
          maxlength: 200,
          wide: true,
        },
      ],
      submit: (v) => api.post(`/api/v1/retreat/bookings/${b.id}/${action}`, { reason: v.reason }),
      success: (r) => `${reject ? '已拒绝' : '已取消'}${r.promoted ? `，候补会员已自动递补` : ''}`,
      after: () => {
        table.refresh();
      },
    });
  }

  return h(
    'div',
    pageHeader({
      title: '预订审核',
      desc: '本级及下级工会会员的疗休养预订；确认后名额锁定，拒绝或取消后自动递补候补会员',
    }),
    table.el,
  );
}
