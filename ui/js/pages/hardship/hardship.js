// hardship.js — 困难职工档案: the files in the officer's scope, masked (name,
// ID number; nothing from the sealed record), filtered by status, category,
// cause, union and review due; and 建档: the national form with the family
// members, where the platform's figures (income per head after the rigid
// costs, 低保, the suggested category) update as the officer types.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { href } from '../../lib/router.js';
import { label, options, yuanToFen, fmtYuan } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { field, readForm, formDialog, fieldError } from '../../lib/form.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { idNumberProblem } from '../../lib/idnumber.js';
import { tag, pageHeader } from '../../lib/ui.js';
import {
  CATEGORIES,
  CATEGORY_TONE,
  FILE_STATUS,
  FILE_STATUS_TONE,
  CAUSES,
  HEALTH,
  DISABILITY,
  WORK_STATUS,
  HOUSEHOLD,
  INSURANCE,
  RELATIONS,
  SCHOOL_LEVELS,
  EXCLUSIONS,
} from '../../lib/hardship-labels.js';

export default function hardshipPage(ctx) {
  const table = createTable({
    caption: '困难职工档案',
    search: [
      { name: 'q', label: '职工姓名', placeholder: '姓名开头', maxlength: 50 },
      { name: 'status', label: '档案状态', type: 'select', empty: '全部', options: options(FILE_STATUS) },
      { name: 'category', label: '困难类别', type: 'select', empty: '全部', options: options(CATEGORIES) },
      { name: 'cause', label: '致困原因', type: 'select', empty: '全部', options: options(CAUSES) },
      { name: 'review_due', label: '复核', type: 'select', empty: '不限', options: [['1', '30 天内到期或已逾期']] },
      orgPicker({ label: '所属组织', empty: '全部' }),
    ],
    initial: Object.fromEntries(
      ['status', 'category', 'review_due'].filter((k) => ctx.query[k]).map((k) => [k, ctx.query[k]]),
    ),
    toolbar: [
      h(
        'button',
        { type: 'button', class: 'btn btn-primary', onclick: () => openFileDialog(() => table.reload()) },
        icon('plus', 16),
        '建立档案',
      ),
    ],
    onRowClick: (f) => ctx.router.navigate(`/hardship/${f.id}`),
    columns: [
      {
        key: 'member_name_masked',
        title: '职工',
        nowrap: true,
        render: (f) => h('a', { href: href('/hardship/{id}', { id: f.id }) }, f.member_name_masked),
      },
      {
        key: 'id_number_masked',
        title: '身份证号',
        nowrap: true,
        render: (f) => h('span', { class: 'mono' }, f.id_number_masked),
      },
      { key: 'org_name', title: '所属工会' },
      {
        key: 'category',
        title: '类别',
        nowrap: true,
        render: (f) => (f.category ? tag(label(CATEGORIES, f.category), CATEGORY_TONE[f.category]) : ''),
      },
      { key: 'main_cause', title: '主要致困原因', render: (f) => label(CAUSES, f.main_cause) },
      { key: 'household_size', title: '家庭人口', align: 'right', nowrap: true },
      {
        key: 'review_due',
        title: '复核到期',
        nowrap: true,
        render: (f) =>
          f.review_due
            ? h(
                'span',
                { class: f.review_overdue ? 'text-bad' : '' },
                f.review_due,
                f.review_overdue ? '（已逾期）' : '',
              )
            : '',
      },
      { key: 'exclusions', title: '提示', render: (f) => (f.exclusions.length ? tag('有排除情形', 'red') : '') },
      {
        key: 'status',
        title: '状态',
        nowrap: true,
        render: (f) => tag(label(FILE_STATUS, f.status), FILE_STATUS_TONE[f.status]),
      },
    ],
    empty: '没有符合条件的档案',
    exportXlsx: { path: '/api/v1/hardship/files', filename: '困难职工档案.xlsx' },
    fetch: (p, signal) => api.get('/api/v1/hardship/files', p, { signal }),
  });
  return h(
    'div',
    pageHeader({ title: '困难职工档案', desc: '一户一档、动态管理；列表只显示掩码信息，查看档案详情将记入审计日志' }),
    table.el,
  );
}

// A member from the officer's scope: a name filter over a select.
function memberPicker() {
  const id = `mp-${Math.random().toString(36).slice(2, 8)}`;
  const filter = h('input', {
    type: 'search',
    placeholder: '输入姓名或身份证后 4 位',
    'aria-label': '职工筛选',
    maxlength: 50,
  });
  const select = h('select', { id, name: 'member_id', required: true }, h('option', { value: '' }, '请先输入姓名查找'));
  let timer = null;
  async function load(q) {
    if (!q) return;
    const r = await api.get('/api/v1/members', { q, status: 'active', per_page: 50 });
    mount(
      select,
      h('option', { value: '' }, r.items.length ? '请选择' : '没有匹配的在会会员'),
      r.items.map((m) => h('option', { value: m.id }, `${m.name}（${m.id_number_masked}，${m.org_name}）`)),
    );
    if (r.items.length === 1) select.value = String(r.items[0].id);
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }
  filter.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => load(filter.value.trim()), 300);
  });
  filter.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      load(filter.value.trim());
    }
  });
  return h(
    'div',
    { class: ['field', 'field-wide', 'org-picker', 'is-required'], dataset: { field: 'member_id' } },
    h('label', { class: 'field-label', for: id }, '职工（会员）'),
    h('div', { class: 'org-picker-row' }, filter, select),
    h('div', { class: 'field-error', 'aria-live': 'polite' }),
  );
}

const money = (name, text, required = false, hint) => ({
  name,
  label: `${text}（元/月）`,
  required,
  inputmode: 'decimal',
  maxlength: 14,
  hint,
});

// One family member's row in the form.
function familyRow(i, onRemove) {
  const row = h(
    'fieldset',
    { class: 'family-row', dataset: { index: i } },
    h('legend', `家庭成员 ${i + 1}`),
    h(
      'div',
      { class: 'form-grid' },
      field({ name: `fam_name_${i}`, label: '姓名', required: true, maxlength: 50 }),
      field({
        name: `fam_relation_${i}`,
        label: '与本人关系',
        type: 'select',
        required: true,
        options: options(RELATIONS),
      }),
      field({ name: `fam_id_${i}`, label: '身份证号', required: true, maxlength: 18, autocomplete: 'off' }),
      field({ name: `fam_health_${i}`, label: '健康状况', type: 'select', required: true, options: options(HEALTH) }),
      field({ name: `fam_school_${i}`, label: '就学阶段', type: 'select', options: options(SCHOOL_LEVELS) }),
      field({ name: `fam_work_${i}`, label: '就学或就业情况', maxlength: 100 }),
      field({ name: `fam_income_${i}`, label: '月收入（元）', inputmode: 'decimal', maxlength: 14 }),
    ),
    h('button', { type: 'button', class: 'btn btn-text btn-sm', onclick: onRemove }, icon('trash', 14), '移除'),
  );
  return row;
}

// The body the API takes, from the form's values; errors name their field.
function bodyFrom(v, nFamily) {
  const fen = (x) => (x === '' || x === undefined ? 0 : yuanToFen(x));
  const fam = [];
  for (let i = 0; i < nFamily; i++) {
    if (v[`fam_name_${i}`] === undefined) continue;
    fam.push({
      name: v[`fam_name_${i}`],
      relation: v[`fam_relation_${i}`],
      id_number: (v[`fam_id_${i}`] || '').toUpperCase(),
      health: v[`fam_health_${i}`],
      school_level: v[`fam_school_${i}`] || 'none',
      school_or_work: v[`fam_work_${i}`] || null,
      income_fen: fen(v[`fam_income_${i}`]),
    });
  }
  return {
    member_id: Number(v.member_id) || undefined,
    ethnicity: v.ethnicity,
    health: v.health,
    disability: v.disability || 'none',
    work_status: v.work_status,
    household_type: v.household_type,
    household_place: v.household_place,
    monthly_income_fen: fen(v.monthly_income),
    family_other_income_fen: fen(v.family_other_income),
    family_income_fen: fen(v.family_income),
    medical_cost_fen: fen(v.medical_cost),
    education_cost_fen: fen(v.education_cost),
    disability_cost_fen: fen(v.disability_cost),
    work_cost_fen: fen(v.work_cost),
    medical_insurance: v.medical_insurance,
    family: fam,
    main_cause: v.main_cause,
    secondary_causes: v.secondary_causes || [],
    accident: (v.flags || []).includes('accident'),
    accident_note: v.accident_note || null,
    homes_owned: Number(v.homes_owned || 0),
    employs_others: (v.flags || []).includes('employs_others'),
    category: v.category,
    category_reason: v.category_reason || null,
    bank_name: v.bank_name || null,
    bank_account: v.bank_account || null,
    note: v.note || null,
  };
}

export function openFileDialog(onDone) {
  let nFamily = 0;
  const familyBox = h('div', { class: 'family-box field-wide' });
  const figures = h(
    'div',
    { class: 'assess field-wide', 'aria-live': 'polite' },
    h('p', { class: 'muted' }, '填写收入与家庭成员后，平台自动计算人均收入并给出建议类别。'),
  );
  const addFamily = () => {
    const i = nFamily++;
    const row = familyRow(i, () => {
      row.remove();
      refresh();
    });
    familyBox.append(row);
  };
  const { form: f, dialog } = formDialog({
    title: '建立困难职工档案',
    wide: true,
    submitText: '提交上级审核',
    fields: [
      memberPicker(),
      { name: 'ethnicity', label: '民族', required: true, value: '汉族', maxlength: 20 },
      { name: 'health', label: '健康状况', type: 'select', required: true, options: options(HEALTH) },
      { name: 'disability', label: '残疾等级', type: 'select', options: options(DISABILITY) },
      { name: 'work_status', label: '就业状况', type: 'select', required: true, options: options(WORK_STATUS) },
      { name: 'household_type', label: '户籍类型', type: 'select', required: true, options: options(HOUSEHOLD) },
      { name: 'household_place', label: '户籍所在地', required: true, maxlength: 100 },
      { name: 'medical_insurance', label: '医疗保险', type: 'select', required: true, options: options(INSURANCE) },
      money('monthly_income', '本人月收入', true),
      money('family_other_income', '家庭非工资性收入', true, '租金、补贴等'),
      money('family_income', '家庭月总收入', true, '= 本人 + 其他家庭成员 + 非工资性收入'),
      money('medical_cost', '医疗支出'),
      money('education_cost', '教育支出'),
      money('disability_cost', '残疾康复支出'),
      money('work_cost', '就业必要支出'),
      { name: 'homes_owned', label: '家庭住房套数', inputmode: 'numeric', value: '1', maxlength: 2, required: true },
      h('div', { class: 'field-wide section-title' }, '家庭成员'),
      familyBox,
      h(
        'div',
        { class: 'field-wide' },
        h(
          'button',
          { type: 'button', class: 'btn btn-sm', onclick: () => addFamily() },
          icon('plus', 14),
          '添加家庭成员',
        ),
      ),
      { name: 'main_cause', label: '主要致困原因', type: 'select', required: true, options: options(CAUSES) },
      {
        name: 'secondary_causes',
        label: '次要致困原因（最多 3 项）',
        type: 'checkboxes',
        options: options(CAUSES),
        wide: true,
      },
      {
        name: 'flags',
        label: '情形',
        type: 'checkboxes',
        options: [
          ['accident', '突发意外、灾害或重大疾病'],
          ['employs_others', '经营企业并雇用他人'],
        ],
        wide: true,
      },
      { name: 'accident_note', label: '意外情况说明', maxlength: 200, wide: true },
      figures,
      { name: 'category', label: '困难类别（确认）', type: 'select', required: true, options: options(CATEGORIES) },
      { name: 'category_reason', label: '类别与建议不同的理由', maxlength: 200 },
      { name: 'bank_name', label: '开户银行', maxlength: 60 },
      { name: 'bank_account', label: '银行账号', maxlength: 40, autocomplete: 'off' },
      { name: 'note', label: '备注', type: 'textarea', maxlength: 500, wide: true },
    ],
    submit: (v) => {
      for (let i = 0; i < nFamily; i++) {
        const idv = v[`fam_id_${i}`];
        if (idv === undefined) continue;
        const p = idNumberProblem(idv);
        if (p) throw fieldError(`fam_id_${i}`, `家庭成员：${p}`);
      }
      return api.post('/api/v1/hardship/files', bodyFrom(v, nFamily));
    },
    // family[2].id_number → fam_id_2, and the money fields entered in yuan
    aliases: (e) => {
      const m = /^family\[(\d+)\]\.(\w+)$/.exec(e.field || '');
      const map = { id_number: 'fam_id', name: 'fam_name', income_fen: 'fam_income' };
      return {
        ...(m ? { [e.field]: `${map[m[2]] || 'fam_name'}_${m[1]}` } : {}),
        monthly_income_fen: 'monthly_income',
        family_income_fen: 'family_income',
        family_other_income_fen: 'family_other_income',
      };
    },
    success: (r) => `已建立档案（${r.member_name}），待上级工会审核确认`,
    after: (r) => {
      if (onDone) onDone(r);
    },
  });
  let timer = null;
  let seq = 0;
  async function refresh() {
    const mine = ++seq;
    const v = readForm(f);
    const body = bodyFrom(v, nFamily);
    delete body.category;
    if (!body.member_id) delete body.member_id;
    try {
      const a = await api.post('/api/v1/hardship/assess', body);
      if (mine !== seq) return;
      mount(
        figures,
        h(
          'dl',
          { class: 'kv kv-compact assess-kv' },
          h('div', h('dt', '家庭人口'), h('dd', `${a.household_size} 人`)),
          h('div', h('dt', '人均月收入'), h('dd', `${fmtYuan(a.per_capita_fen)} 元`)),
          h('div', h('dt', '扣除刚性支出后'), h('dd', `${fmtYuan(a.adjusted_per_capita_fen)} 元/人`)),
          h(
            'div',
            h('dt', '低保标准'),
            h('dd', `${fmtYuan(a.dibao_fen)} 元，相对困难线 ${fmtYuan(a.relative_line_fen)} 元`),
          ),
          h(
            'div',
            h('dt', '建议类别'),
            h(
              'dd',
              a.suggested_category
                ? tag(label(CATEGORIES, a.suggested_category), CATEGORY_TONE[a.suggested_category])
                : '不符合认定标准',
            ),
          ),
        ),
        a.exclusions.length
          ? h(
              'p',
              { class: 'text-bad' },
              `排除情形：${a.exclusions.map((x) => label(EXCLUSIONS, x)).join('、')}（将提示上级审核）`,
            )
          : null,
        h('p', { class: 'muted' }, a.explanation),
      );
      if (a.suggested_category && !f.dataset.touched) f.elements.category.value = a.suggested_category;
    } catch (e) {
      if (mine !== seq) return;
      mount(figures, h('p', { class: 'muted' }, `测算：${e.message}`));
    }
  }
  f.addEventListener('input', (ev) => {
    if (ev.target.name === 'category') f.dataset.touched = '1';
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  f.addEventListener('change', (ev) => {
    if (ev.target.name === 'category') f.dataset.touched = '1';
    clearTimeout(timer);
    timer = setTimeout(refresh, 200);
  });
  f.querySelector('input[type=search]').focus();
  return dialog;
}
