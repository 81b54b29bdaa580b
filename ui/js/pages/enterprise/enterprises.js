// enterprises.js — 企业名录: the enterprises a union is responsible for
// (keyed by 统一社会信用代码), searched by name prefix or full credit code,
// union status, small-scale taxpayer flag and responsible union. Bank accounts
// are masked as the server sends them. Staff with the finance duty register
// enterprises here (新增企业) and import them from CSV (导入企业).
import { h, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { href } from '../../lib/router.js';
import { INDUSTRIES, INDUSTRY_SHORT, label, yuanToFen, fenToInput } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { usccProblem } from '../../lib/uscc.js';
import { toast, tag, pageHeader } from '../../lib/ui.js';
import { formDialog, fieldError } from '../../lib/form.js';

const YES_NO = [
  ['1', '是'],
  ['0', '否'],
];

// The union cell: 已建会 with the union's name, or 未建会.
export function unionCell(en) {
  return en.has_union
    ? h(
        'span',
        { class: 'status-cell' },
        tag('已建会', 'green'),
        en.union_org_name ? h('span', { class: 'cell-sub' }, en.union_org_name) : null,
      )
    : tag('未建会', 'gray');
}

// Fields shared by 新增企业 and 编辑企业. `en` is the enterprise being edited
// (null when registering a new one).
function enterpriseFields(en, me) {
  const v = (k) => (en ? (en[k] ?? '') : '');
  const fields = [];
  if (!en) {
    fields.push(
      {
        name: 'uscc',
        label: '统一社会信用代码',
        required: true,
        maxlength: 18,
        autocomplete: 'off',
        hint: '18 位，末位为校验码',
      },
      { name: 'name', label: '企业名称', required: true, maxlength: 100 },
    );
  } else {
    fields.push({ name: 'name', label: '企业名称', required: true, maxlength: 100, value: en.name, wide: true });
  }
  fields.push(
    {
      name: 'region_code',
      label: '行政区划代码',
      required: true,
      maxlength: 6,
      inputmode: 'numeric',
      value: v('region_code'),
      placeholder: '如 320115',
      hint: en ? null : '默认取信用代码第 3–8 位',
    },
    {
      name: 'industry',
      label: '行业门类',
      type: 'select',
      empty: '未填写',
      options: Object.keys(INDUSTRIES).map((k) => [k, `${k} ${INDUSTRIES[k]}`]),
      value: v('industry'),
    },
    { name: 'headcount', label: '从业人数', type: 'number', inputmode: 'numeric', value: v('headcount') },
    {
      name: 'annual_revenue',
      label: '年营业收入（元）',
      inputmode: 'decimal',
      maxlength: 20,
      value: en ? fenToInput(en.annual_revenue_fen) : '',
      placeholder: '如 2800000.00',
    },
    {
      name: 'small_scale',
      label: '小规模纳税人',
      type: 'select',
      options: YES_NO,
      value: en ? (en.small_scale ? '1' : '0') : '0',
    },
  );
  if (!en)
    fields.push(
      orgPicker({
        name: 'org_id',
        label: '负责的工会',
        required: true,
        value: me.org,
        hint: '负责该企业经费收缴和返还的地方工会',
      }),
    );
  fields.push(
    orgPicker({
      name: 'union_org_id',
      label: '企业工会',
      empty: '未建会',
      value: en && en.union_org_id ? { id: en.union_org_id, name: en.union_org_name } : null,
      hint: '已建会的企业选择其基层工会；未建会的企业缴纳建会筹备金',
    }),
    { name: 'union_founded_on', label: '建会日期', type: 'date', value: v('union_founded_on') },
    { name: 'contact_name', label: '联系人', maxlength: 50, value: v('contact_name') },
    { name: 'contact_phone', label: '联系电话', type: 'tel', maxlength: 30, value: v('contact_phone') },
    { name: 'bank_name', label: '开户银行', maxlength: 60, value: v('bank_name') },
    { name: 'account_name', label: '账户名称', maxlength: 100, value: v('account_name'), hint: '留空则为企业名称' },
    en
      ? {
          name: 'account_number',
          label: '新银行账号',
          maxlength: 40,
          inputmode: 'numeric',
          autocomplete: 'off',
          placeholder: en.account_masked || '未登记',
          hint: '留空则不修改',
          wide: true,
        }
      : {
          name: 'account_number',
          label: '银行账号',
          maxlength: 40,
          inputmode: 'numeric',
          autocomplete: 'off',
          hint: '返还款付到此账号；保存后只显示掩码',
          wide: true,
        },
  );
  return fields;
}

// Form values → the API's body; {error} when a value cannot be sent.
function bodyFrom(v) {
  const body = {
    name: v.name,
    region_code: v.region_code,
    industry: v.industry || null,
    headcount: v.headcount === '' ? null : Number(v.headcount),
    small_scale: v.small_scale === '1',
    union_org_id: v.union_org_id ? Number(v.union_org_id) : null,
    union_founded_on: v.union_founded_on || null,
    bank_name: v.bank_name || null,
    account_name: v.account_name || null,
    contact_name: v.contact_name || null,
    contact_phone: v.contact_phone || null,
  };
  if (!/^\d{6}$/.test(v.region_code)) return { error: { field: 'region_code', message: '行政区划代码应为 6 位数字' } };
  if (v.headcount !== '' && !(Number.isInteger(Number(v.headcount)) && Number(v.headcount) >= 0)) {
    return { error: { field: 'headcount', message: '从业人数应为不小于 0 的整数' } };
  }
  if (v.annual_revenue === '') body.annual_revenue_fen = null;
  else {
    const fen = yuanToFen(v.annual_revenue);
    if (fen === null) return { error: { field: 'annual_revenue', message: '年营业收入应为金额（元），最多两位小数' } };
    body.annual_revenue_fen = fen;
  }
  if (body.union_org_id && !body.union_founded_on)
    return { error: { field: 'union_founded_on', message: '已建会的企业须填写建会日期' } };
  if (!body.union_org_id) body.union_founded_on = null;
  if (v.account_number) {
    const digits = v.account_number.replace(/[\s-]/g, '');
    if (!/^\d{8,30}$/.test(digits))
      return { error: { field: 'account_number', message: '银行账号应为 8 到 30 位数字' } };
    body.account_number = digits;
  }
  return { body };
}

// Server field names that differ from the form's.
const ALIASES = { annual_revenue_fen: 'annual_revenue' };

// 新增企业 / 编辑企业 in a dialog; resolves with the saved enterprise (or null).
export async function enterpriseDialog({ en = null } = {}) {
  const me = currentUser();
  const { form: f, dialog } = formDialog({
    title: en ? `编辑企业 · ${en.name}` : '新增企业',
    wide: true,
    focus: en ? 'name' : 'uscc',
    aliases: ALIASES,
    fields: enterpriseFields(en, me),
    submit: (v) => {
      if (!en) {
        v.uscc = v.uscc.toUpperCase();
        const p = usccProblem(v.uscc);
        if (p) throw fieldError('uscc', p);
      }
      const { body, error } = bodyFrom(v);
      if (error) throw fieldError(error.field, error.message);
      if (!en) {
        const send = { uscc: v.uscc, org_id: Number(v.org_id), ...body };
        for (const k of Object.keys(send)) if (send[k] === null) delete send[k];
        return api.post('/api/v1/enterprises', send);
      }
      // Only what changed.
      const send = {};
      for (const [k, val] of Object.entries(body)) if (k === 'account_number' || (en[k] ?? null) !== val) send[k] = val;
      // The server wants a union together with its founding date.
      if ('union_org_id' in send || 'union_founded_on' in send) {
        send.union_org_id = body.union_org_id;
        send.union_founded_on = body.union_founded_on;
      }
      if (!Object.keys(send).length) return false;
      return api.patch(`/api/v1/enterprises/${en.id}`, send);
    },
  });
  // A new code fills in the region (digits 3–8) when that is still empty.
  if (!en) {
    f.elements.uscc.addEventListener('change', () => {
      const u = f.elements.uscc.value.trim().toUpperCase();
      if (!f.elements.region_code.value && /^\d{6}$/.test(u.slice(2, 8))) f.elements.region_code.value = u.slice(2, 8);
    });
  }
  const saved = await dialog.closed;
  return saved && typeof saved === 'object' ? saved : null;
}

export default function enterprisesPage(ctx) {
  const me = currentUser();
  const canEdit = hasDuty(me, 'finance');

  const toolbar = canEdit
    ? [
        h('a', { class: 'btn', href: '#/enterprises/import' }, icon('upload', 16), '导入企业'),
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn-primary',
            onclick: async () => {
              const en = await enterpriseDialog();
              if (en) {
                toast(`已登记企业 ${en.name}`, 'success');
                // Show it (a new one sorts last): search for its code.
                table.setFilters({ q: en.uscc, has_union: '', small_scale: '', org_id: '' });
              }
            },
          },
          icon('plus', 16),
          '新增企业',
        ),
      ]
    : null;

  const table = createTable({
    caption: '企业名录',
    search: [
      { name: 'q', label: '企业', placeholder: '企业名称开头或完整信用代码', maxlength: 100 },
      { name: 'has_union', label: '是否建会', type: 'select', empty: '不限', options: YES_NO },
      { name: 'small_scale', label: '小规模纳税人', type: 'select', empty: '不限', options: YES_NO },
      orgPicker({ label: '负责的工会', empty: '全部' }),
    ],
    toolbar,
    initial: Object.fromEntries(
      ['q', 'has_union', 'small_scale'].filter((k) => ctx.query[k]).map((k) => [k, ctx.query[k]]),
    ),
    onRowClick: (en) => ctx.router.navigate(`/enterprises/${en.id}`),
    columns: [
      {
        key: 'name',
        title: '企业名称',
        width: '15em',
        render: (en) => h('a', { href: href('/enterprises/{id}', { id: en.id }) }, en.name),
      },
      { key: 'uscc', title: '统一社会信用代码', nowrap: true, render: (en) => h('span', { class: 'mono' }, en.uscc) },
      { key: 'region_code', title: '区划', nowrap: true, render: (en) => h('span', { class: 'mono' }, en.region_code) },
      {
        key: 'industry',
        title: '行业',
        nowrap: true,
        render: (en) =>
          en.industry
            ? h(
                'span',
                { title: `${en.industry} ${label(INDUSTRIES, en.industry)}` },
                label(INDUSTRY_SHORT, en.industry),
              )
            : '',
      },
      { key: 'headcount', title: '从业人数', align: 'right', nowrap: true, render: (en) => en.headcount ?? '' },
      {
        key: 'small_scale',
        title: '小规模',
        nowrap: true,
        render: (en) => (en.small_scale ? tag('是', 'blue') : '否'),
      },
      { key: 'union', title: '工会', width: '13em', render: unionCell },
      {
        key: 'account_masked',
        title: '银行账号',
        nowrap: true,
        render: (en) => (en.account_masked ? h('span', { class: 'mono' }, en.account_masked) : ''),
      },
    ],
    empty: '没有符合条件的企业',
    exportXlsx: { path: '/api/v1/enterprises', filename: '企业名录.xlsx' },
    fetch: (p, signal) => api.get('/api/v1/enterprises', p, { signal }),
  });

  return h(
    'div',
    pageHeader({ title: '企业名录', desc: '本级及下级工会负责的企业；银行账号按规定掩码显示' }),
    table.el,
  );
}
