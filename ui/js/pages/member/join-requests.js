// join-requests.js — 入会审批: join requests sent through the public form to
// unions in the user's scope, by status (待审核 by default). Staff with the
// membership duty approve (optionally giving a card number) or reject (with a
// reason the applicant sees when checking progress).
import { h, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { href } from '../../lib/router.js';
import { EMPLOYMENT_FORMS, JOIN_STATUS, label, fmtTime } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { formDialog, fieldError } from '../../lib/form.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { tag, pageHeader, segmented } from '../../lib/ui.js';

const TABS = [
  ['pending', '待审核'],
  ['approved', '已通过'],
  ['rejected', '未通过'],
  ['all', '全部'],
];
const TONE = { pending: 'orange', approved: 'green', rejected: 'gray' };

export default function joinRequestsPage(ctx) {
  const me = currentUser();
  const canDecide = hasDuty(me, 'membership');
  const first = TABS.some(([v]) => v === ctx.query.status) ? ctx.query.status : 'pending';
  let status = first;

  const tabs = segmented({
    label: '审核状态',
    options: TABS,
    value: status,
    onChange: (v) => {
      status = v;
      // Keep the tab in the address (back button, reload) without a rebuild.
      history.replaceState(null, '', v === 'pending' ? '#/join-requests' : `#/join-requests?status=${v}`);
      table.reload();
    },
  });

  const table = createTable({
    caption: '入会申请列表',
    search: [orgPicker({ label: '申请加入的工会', empty: '全部' })],
    toolbar: [tabs],
    columns: [
      { key: 'created_at', title: '申请时间', nowrap: true, render: (r) => fmtTime(r.created_at) },
      { key: 'name', title: '姓名', nowrap: true },
      {
        key: 'id_number_masked',
        title: '身份证号',
        nowrap: true,
        render: (r) => h('span', { class: 'mono' }, r.id_number_masked),
      },
      {
        key: 'mobile_masked',
        title: '手机号',
        nowrap: true,
        render: (r) => h('span', { class: 'mono' }, r.mobile_masked),
      },
      {
        key: 'employment_form',
        title: '就业形态',
        nowrap: true,
        render: (r) => label(EMPLOYMENT_FORMS, r.employment_form),
      },
      { key: 'employer', title: '工作单位或平台' },
      { key: 'city', title: '城市', nowrap: true },
      { key: 'org_name', title: '申请加入', width: '14em' },
      {
        key: 'status',
        title: '状态',
        nowrap: true,
        render: (r) =>
          h(
            'span',
            { class: 'status-cell' },
            tag(label(JOIN_STATUS, r.status), TONE[r.status]),
            r.decided_at ? h('span', { class: 'cell-sub' }, fmtTime(r.decided_at)) : null,
            r.status === 'rejected' && r.reason ? h('span', { class: 'cell-sub' }, `原因：${r.reason}`) : null,
          ),
      },
      {
        key: 'ops',
        title: '操作',
        nowrap: true,
        render: (r) => {
          if (r.status === 'pending' && canDecide) {
            return h(
              'span',
              { class: 'row-actions' },
              h(
                'button',
                { type: 'button', class: 'btn btn-text', onclick: () => approve(r) },
                icon('check', 14),
                '通过',
              ),
              h('button', { type: 'button', class: 'btn btn-text btn-text-muted', onclick: () => reject(r) }, '不通过'),
            );
          }
          if (r.status === 'approved' && r.member_id)
            return h('a', { href: href('/members/{id}', { id: r.member_id }) }, '查看会员');
          return '';
        },
      },
    ],
    empty: '暂无入会申请',
    exportXlsx: { path: '/api/v1/join-requests', filename: '入会申请.xlsx', query: (f) => ({ ...f, status }) },
    fetch: (p, signal) => api.get('/api/v1/join-requests', { ...p, status }, { signal }),
  });

  function summary(r) {
    return h(
      'dl',
      { class: 'kv kv-1 kv-compact field-wide' },
      h('div', h('dt', '申请人'), h('dd', `${r.name}（${r.id_number_masked}）`)),
      h('div', h('dt', '就业形态'), h('dd', label(EMPLOYMENT_FORMS, r.employment_form))),
      h('div', h('dt', '申请加入'), h('dd', r.org_name)),
    );
  }

  function approve(r) {
    const { dialog } = formDialog({
      title: '批准入会',
      className: 'form-grid form-1',
      submitText: '确认通过',
      busyText: '提交中…',
      fields: [
        summary(r),
        {
          name: 'card_no',
          label: '会员证号',
          maxlength: 32,
          autocomplete: 'off',
          wide: true,
          hint: '可不填，系统自动编号',
        },
        h(
          'p',
          { class: 'field-wide muted' },
          '批准后登记为会员，并开通会员账号（手机号登录，密码为申请时设置的密码）。',
        ),
      ],
      submit: (v) => api.post(`/api/v1/join-requests/${r.id}/approve`, v.card_no ? { card_no: v.card_no } : {}),
      success: `已批准 ${r.name} 入会`,
      after: () => table.refresh(),
      onError: (e) => {
        if (e.code === 'request_decided') table.refresh();
      },
    });
    dialog.footer.querySelector('button').focus();
  }

  function reject(r) {
    formDialog({
      title: '不予通过',
      className: 'form-grid form-1',
      submitText: '确认不通过',
      danger: true,
      busyText: '提交中…',
      focus: 'reason',
      fields: [
        summary(r),
        {
          name: 'reason',
          label: '不予通过的原因',
          type: 'textarea',
          rows: 3,
          required: true,
          maxlength: 200,
          wide: true,
          hint: '申请人查询进度时可以看到',
          placeholder: '如：所选工会不对，请选择所在单位的工会',
        },
      ],
      submit: (v) => {
        if (v.reason.length < 2) throw fieldError('reason', '原因至少 2 个字');
        return api.post(`/api/v1/join-requests/${r.id}/reject`, { reason: v.reason });
      },
      success: `已处理 ${r.name} 的申请：不予通过`,
      after: () => {
        table.refresh();
      },
      onError: (e) => {
        if (e.code === 'request_decided') table.refresh();
      },
    });
  }

  return h('div', pageHeader({ title: '入会审批', desc: '通过网上入会提交到本级及下级工会的申请' }), table.el);
}
