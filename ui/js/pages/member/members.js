// members.js — 会员管理: members in the user's scope, searched by keyword
// (name prefix, last four digits of the ID number or mobile, or a full one),
// organisation, employment form, status and frontline; ID numbers and mobiles
// masked as the server sends them. Staff with the membership duty register
// members here (新增会员) and go on to the import page.
import { h, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { href } from '../../lib/router.js';
import { EMPLOYMENT_FORMS, MEMBER_STATUS, MODEL_WORKER, label, options, today } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { idNumberProblem, mobileProblem, normaliseMobile } from '../../lib/idnumber.js';
import { tag, pageHeader } from '../../lib/ui.js';
import { formDialog, fieldError } from '../../lib/form.js';

export const STATUS_TONE = { active: 'green', transferred: 'blue', left: 'gray' };

export default function membersPage(ctx) {
  const me = currentUser();
  const canEdit = hasDuty(me, 'membership');

  const toolbar = canEdit
    ? [
        h('a', { class: 'btn', href: '#/members/import' }, icon('upload', 16), '批量导入'),
        h(
          'button',
          { type: 'button', class: 'btn btn-primary', onclick: () => createMember() },
          icon('plus', 16),
          '新增会员',
        ),
      ]
    : null;

  const table = createTable({
    caption: '会员列表',
    search: [
      { name: 'q', label: '关键词', placeholder: '姓名、证件或手机后 4 位', maxlength: 50 },
      orgPicker({ label: '所属组织', empty: '全部' }),
      { name: 'employment_form', label: '就业形态', type: 'select', empty: '全部', options: options(EMPLOYMENT_FORMS) },
      { name: 'status', label: '会籍状态', type: 'select', empty: '全部', options: options(MEMBER_STATUS) },
      {
        name: 'frontline',
        label: '一线职工',
        type: 'select',
        empty: '不限',
        options: [
          ['1', '是'],
          ['0', '否'],
        ],
      },
    ],
    toolbar,
    // #/members?status=active (links from the console home) preset filters.
    initial: Object.fromEntries(
      ['q', 'employment_form', 'status', 'frontline'].filter((k) => ctx.query[k]).map((k) => [k, ctx.query[k]]),
    ),
    onRowClick: (m) => ctx.router.navigate(`/members/${m.id}`),
    columns: [
      {
        key: 'name',
        title: '姓名',
        nowrap: true,
        render: (m) => h('a', { href: href('/members/{id}', { id: m.id }) }, m.name),
      },
      {
        key: 'id_number_masked',
        title: '身份证号',
        nowrap: true,
        render: (m) => h('span', { class: 'mono' }, m.id_number_masked),
      },
      {
        key: 'mobile_masked',
        title: '手机号',
        nowrap: true,
        render: (m) => (m.mobile_masked ? h('span', { class: 'mono' }, m.mobile_masked) : ''),
      },
      { key: 'org_name', title: '所属组织' },
      {
        key: 'employment_form',
        title: '就业形态',
        nowrap: true,
        render: (m) => label(EMPLOYMENT_FORMS, m.employment_form),
      },
      { key: 'frontline', title: '一线职工', nowrap: true, render: (m) => (m.frontline ? '是' : '否') },
      {
        key: 'model_worker',
        title: '劳模',
        nowrap: true,
        render: (m) => (m.model_worker ? tag(label(MODEL_WORKER, m.model_worker), 'orange') : ''),
      },
      { key: 'join_date', title: '入会日期', nowrap: true },
      {
        key: 'status',
        title: '状态',
        nowrap: true,
        render: (m) => tag(label(MEMBER_STATUS, m.status), STATUS_TONE[m.status]),
      },
    ],
    empty: '没有符合条件的会员',
    exportXlsx: { path: '/api/v1/members', filename: '会员名册.xlsx' },
    fetch: (p, signal) => api.get('/api/v1/members', p, { signal }),
  });

  function createMember() {
    formDialog({
      title: '新增会员',
      wide: true,
      focus: 'name',
      fields: [
        { name: 'name', label: '姓名', required: true, maxlength: 50 },
        { name: 'id_number', label: '身份证号', required: true, maxlength: 18, autocomplete: 'off' },
        {
          name: 'mobile',
          label: '手机号',
          type: 'tel',
          maxlength: 20,
          inputmode: 'numeric',
          autocomplete: 'off',
          hint: '会员凭身份证号和此手机号开通登录账号',
        },
        { name: 'join_date', label: '入会日期', type: 'date', value: today() },
        orgPicker({
          label: '所属工会',
          required: true,
          value: me.org,
          hint: '基层工会；新就业形态劳动者也可加入市、县（区）总工会',
        }),
        {
          name: 'employment_form',
          label: '就业形态',
          type: 'select',
          required: true,
          options: options(EMPLOYMENT_FORMS),
          value: 'employee',
        },
        { name: 'employer', label: '工作单位或平台', maxlength: 100 },
        { name: 'model_worker', label: '劳模称号', type: 'select', empty: '无', options: options(MODEL_WORKER) },
        { name: 'card_no', label: '会员证号', maxlength: 32, autocomplete: 'off', hint: '留空则自动编号' },
        {
          name: 'flags',
          label: '人员标签',
          type: 'checkboxes',
          options: [
            ['frontline', '一线职工'],
            ['craftsman', '工匠'],
          ],
          wide: true,
        },
      ],
      submit: (v) => {
        const idp = idNumberProblem(v.id_number);
        if (idp) throw fieldError('id_number', idp);
        if (v.mobile && mobileProblem(v.mobile)) throw fieldError('mobile', mobileProblem(v.mobile));
        const flags = v.flags || [];
        const body = {
          name: v.name,
          id_number: v.id_number.toUpperCase(),
          mobile: v.mobile ? normaliseMobile(v.mobile) : null,
          org_id: Number(v.org_id),
          employment_form: v.employment_form,
          employer: v.employer || null,
          frontline: flags.includes('frontline'),
          craftsman: flags.includes('craftsman'),
          model_worker: v.model_worker || null,
          card_no: v.card_no || null,
        };
        if (v.join_date) body.join_date = v.join_date;
        return api.post('/api/v1/members', body);
      },
      success: (m) => `已登记会员 ${m.name}`,
      after: () => {
        table.reload();
      },
    });
  }

  return h(
    'div',
    pageHeader({ title: '会员管理', desc: '本级及下级工会的会员；身份证号、手机号按规定掩码显示' }),
    table.el,
  );
}
