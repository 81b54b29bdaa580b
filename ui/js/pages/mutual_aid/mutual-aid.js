// mutual-aid.js — 职工医疗互助: the plans (contribution, enrolment and cover
// periods, how many joined), the claims in scope, a new claim whose payable
// amount is calculated line by line as the figures are typed (the rules in
// force on the admission day), and each claim with its calculation and the
// next step: 审核通过 (another officer), 退回, 支付 (finance).
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { label, options, fmtYuan, yuanToFen, today } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { simpleTable } from '../../lib/simpletable.js';
import { field, form, showError, checkRequired, readForm, formDialog } from '../../lib/form.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { openDialog, toast, tag, pageHeader, panel } from '../../lib/ui.js';
import { CLAIM_STATUS, CLAIM_STATUS_TONE, calcTable, yuan } from '../../lib/hardship-labels.js';

export default function mutualAidPage() {
  const me = currentUser();
  const finance = hasDuty(me, 'finance');
  const plansBox = h('div', h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'));
  let plans = [];

  async function loadPlans() {
    try {
      plans = (await api.get('/api/v1/mutual-aid/plans', { per_page: 100 })).items;
      mount(
        plansBox,
        simpleTable({
          caption: '医疗互助计划',
          columns: [
            { key: 'name', title: '计划' },
            { key: 'org_name', title: '组织' },
            {
              key: 'contribution_fen',
              title: '每人缴费',
              align: 'right',
              nowrap: true,
              render: (p) => yuan(p.contribution_fen),
            },
            {
              key: 'min_group_share_pct',
              title: '集体参加比例',
              align: 'right',
              nowrap: true,
              render: (p) => `≥ ${p.min_group_share_pct}%`,
            },
            { key: 'enroll', title: '参加期', nowrap: true, render: (p) => `${p.enroll_from} 至 ${p.enroll_to}` },
            { key: 'cover', title: '保障期', nowrap: true, render: (p) => `${p.cover_from} 至 ${p.cover_to}` },
            { key: 'enrolled', title: '已参加', align: 'right', nowrap: true, render: (p) => `${p.enrolled} 人` },
            {
              key: 'act',
              title: '办理',
              nowrap: true,
              render: (p) =>
                h('button', { type: 'button', class: 'btn btn-sm', onclick: () => enrolments(p) }, '参加人员'),
            },
          ],
          rows: plans,
          empty: '尚无医疗互助计划',
        }),
      );
    } catch (e) {
      mount(plansBox, h('div', { class: 'state state-error' }, e.message));
    }
  }

  const table = createTable({
    caption: '互助金申请',
    search: [{ name: 'status', label: '状态', type: 'select', empty: '全部', options: options(CLAIM_STATUS) }],
    toolbar: [
      h('button', { type: 'button', class: 'btn btn-primary', onclick: newClaim }, icon('plus', 16), '申请互助金'),
    ],
    onRowClick: (c) => showClaim(c.id),
    columns: [
      // names masked, no hospital: both show (audited) when a claim is opened
      {
        key: 'member_name_masked',
        title: '职工',
        nowrap: true,
        render: (c) =>
          h(
            'a',
            {
              href: '#',
              onclick: (ev) => {
                ev.preventDefault();
                showClaim(c.id);
              },
            },
            c.member_name_masked,
          ),
      },
      { key: 'org_name', title: '所属工会' },
      { key: 'admission_date', title: '入院日期', nowrap: true },
      {
        key: 'total_cost_fen',
        title: '医疗总费用',
        align: 'right',
        nowrap: true,
        render: (c) => fmtYuan(c.total_cost_fen),
      },
      {
        key: 'payable_fen',
        title: '互助金（元）',
        align: 'right',
        nowrap: true,
        render: (c) => h('strong', fmtYuan(c.payable_fen)),
      },
      {
        key: 'status',
        title: '状态',
        nowrap: true,
        render: (c) => tag(label(CLAIM_STATUS, c.status), CLAIM_STATUS_TONE[c.status]),
      },
    ],
    empty: '没有互助金申请',
    exportXlsx: { path: '/api/v1/mutual-aid/claims', filename: '医疗互助金申请.xlsx' },
    fetch: (p, signal) => api.get('/api/v1/mutual-aid/claims', p, { signal }),
  });

  async function showClaim(id) {
    let c;
    try {
      c = await api.get(`/api/v1/mutual-aid/claims/${id}`);
    } catch (e) {
      toast(e.message, 'error');
      return;
    }
    const reason = h('input', {
      type: 'text',
      maxlength: 200,
      placeholder: '退回原因',
      'aria-label': '退回原因',
      class: 'inline-input',
    });
    const act = async (verb, body, text) => {
      try {
        const r = await api.post(`/api/v1/mutual-aid/claims/${id}/${verb}`, body);
        d.close(true);
        toast(`${text}：互助金 ${fmtYuan(r.payable_fen)} 元`, 'success');
        table.refresh();
        loadPlans();
      } catch (e) {
        toast(e.message, 'error');
      }
    };
    const actions = [{ text: '关闭', value: false }];
    if (c.status === 'submitted') {
      actions.push({
        text: '退回',
        onClick: () =>
          reason.value.trim().length < 2 ? reason.focus() : act('reject', { reason: reason.value.trim() }, '已退回'),
      });
      actions.push({ text: '审核通过', kind: 'primary', onClick: () => act('approve', {}, '已审核通过') });
    }
    if (c.status === 'approved' && finance)
      actions.push({ text: '支付', kind: 'primary', onClick: () => act('pay', {}, '已支付') });
    const d = openDialog({
      title: `互助金申请 · ${c.member_name}`,
      wide: true,
      body: h(
        'div',
        h(
          'dl',
          { class: 'kv kv-compact' },
          h('div', h('dt', '计划'), h('dd', c.plan_name)),
          h('div', h('dt', '住院'), h('dd', `${c.hospital}，${c.admission_date} 至 ${c.discharge_date}`)),
          h('div', h('dt', '诊断'), h('dd', c.diagnosis || '—')),
          h(
            'div',
            h('dt', '状态'),
            h(
              'dd',
              tag(label(CLAIM_STATUS, c.status), CLAIM_STATUS_TONE[c.status]),
              c.reject_reason ? `（${c.reject_reason}）` : '',
            ),
          ),
          h('div', h('dt', '本次互助金'), h('dd', h('strong', { class: 'ma-payable' }, yuan(c.payable_fen)))),
        ),
        calcTable(c.calculation),
        c.status === 'submitted' ? reason : null,
      ),
      actions,
    });
  }

  function newClaim() {
    const calcBox = h(
      'div',
      { class: 'field-wide', 'aria-live': 'polite' },
      h('p', { class: 'muted' }, '填写费用后自动计算互助金。'),
    );
    const memberSel = h(
      'select',
      { name: 'member_id', id: 'ma-member', required: true },
      h('option', { value: '' }, '请选择计划后查找'),
    );
    const memberFilter = h('input', {
      type: 'search',
      placeholder: '姓氏或身份证后 4 位',
      'aria-label': '参加人员筛选',
      maxlength: 50,
    });
    const money = (name, text, required) => ({
      name,
      label: `${text}（元）`,
      required,
      inputmode: 'decimal',
      maxlength: 14,
    });
    const { form: fe } = formDialog({
      title: '申请互助金',
      wide: true,
      submitText: '提交申请',
      busyText: '提交中…',
      aliases: {
        total_cost_fen: 'total_cost',
        basic_insurance_fen: 'basic_insurance',
        other_insurance_fen: 'other_insurance',
        out_of_scope_fen: 'out_of_scope',
      },
      fields: [
        {
          name: 'plan_id',
          label: '互助计划',
          type: 'select',
          required: true,
          options: plans.map((p) => [String(p.id), p.name]),
          wide: true,
        },
        h(
          'div',
          { class: ['field', 'field-wide', 'org-picker', 'is-required'], dataset: { field: 'member_id' } },
          h('label', { class: 'field-label', for: 'ma-member' }, '参加人员'),
          h('div', { class: 'org-picker-row' }, memberFilter, memberSel),
          h('div', { class: 'field-error', 'aria-live': 'polite' }),
        ),
        { name: 'admission_date', label: '入院日期', type: 'date', required: true, value: today() },
        { name: 'discharge_date', label: '出院日期', type: 'date', required: true, value: today() },
        { name: 'hospital', label: '医院', required: true, maxlength: 100 },
        { name: 'diagnosis', label: '诊断', maxlength: 200 },
        money('total_cost', '医疗总费用', true),
        money('basic_insurance', '基本医保支付', true),
        money('other_insurance', '其他保险支付'),
        money('out_of_scope', '目录外费用'),
        calcBox,
      ],
      submit: (v) =>
        api.post('/api/v1/mutual-aid/claims', {
          ...figures(v),
          discharge_date: v.discharge_date,
          hospital: v.hospital,
          diagnosis: v.diagnosis || null,
        }),
      success: (c) => `已提交，互助金 ${fmtYuan(c.payable_fen)} 元，待另一名工作人员审核`,
      after: () => {
        table.reload();
      },
    });
    function figures(v) {
      const fen = (x) => (x ? yuanToFen(x) : 0);
      return {
        plan_id: Number(v.plan_id),
        member_id: Number(v.member_id) || undefined,
        admission_date: v.admission_date,
        total_cost_fen: fen(v.total_cost),
        basic_insurance_fen: fen(v.basic_insurance),
        other_insurance_fen: fen(v.other_insurance),
        out_of_scope_fen: fen(v.out_of_scope),
      };
    }
    async function loadMembers() {
      if (!fe.elements.plan_id.value) return;
      const r = await api.get(`/api/v1/mutual-aid/plans/${fe.elements.plan_id.value}/enrolments`, { per_page: 100 });
      const q = memberFilter.value.trim();
      // Names are masked in every 困难帮扶 list (吴*华): match the surname or
      // the last digits of the ID number.
      const items = r.items.filter(
        (m) =>
          !q ||
          m.member_name_masked.startsWith(q.slice(0, 1)) ||
          (m.id_number_masked || '').toUpperCase().endsWith(q.toUpperCase()),
      );
      mount(
        memberSel,
        h('option', { value: '' }, items.length ? '请选择' : '没有匹配的参加人员'),
        items.map((m) =>
          h(
            'option',
            { value: m.member_id },
            `${m.member_name_masked}（${m.id_number_masked || ''}，${m.org_name}，本年已获 ${fmtYuan(m.paid_fen)} 元）`,
          ),
        ),
      );
      if (items.length === 1) memberSel.value = String(items[0].member_id);
    }
    let timer = null;
    let seq = 0;
    async function calc() {
      const v = readForm(fe);
      if (!v.total_cost || !v.basic_insurance || !v.plan_id) return;
      const mine = ++seq;
      try {
        const r = await api.post('/api/v1/mutual-aid/calculate', figures(v));
        if (mine === seq)
          mount(
            calcBox,
            h('p', '预计互助金：', h('strong', { class: 'ma-payable' }, yuan(r.payable_fen))),
            calcTable(r),
          );
      } catch (e) {
        if (mine === seq) mount(calcBox, h('p', { class: 'text-bad' }, e.message));
      }
    }
    fe.addEventListener('input', (ev) => {
      if (ev.target === memberFilter) return;
      clearTimeout(timer);
      timer = setTimeout(calc, 350);
    });
    fe.addEventListener('change', () => {
      clearTimeout(timer);
      timer = setTimeout(calc, 150);
    });
    fe.elements.plan_id.addEventListener('change', loadMembers);
    memberFilter.addEventListener('input', () => loadMembers());
    loadMembers();
  }

  // 新建计划: a year's plan of a union in scope.
  function newPlan() {
    const y = today().slice(0, 4);
    formDialog({
      title: '新建医疗互助计划',
      wide: true,
      aliases: { contribution_fen: 'contribution' },
      fields: [
        orgPicker({ label: '组织', required: true, value: me.org }),
        { name: 'name', label: '计划名称', required: true, maxlength: 100, value: `职工住院医疗互助（${y}）` },
        { name: 'year', label: '年度', required: true, inputmode: 'numeric', maxlength: 4, value: y },
        {
          name: 'contribution',
          label: '每人缴费（元）',
          required: true,
          inputmode: 'decimal',
          maxlength: 10,
          value: '60',
        },
        {
          name: 'min_group_share_pct',
          label: '集体参加最低比例（%）',
          required: true,
          inputmode: 'numeric',
          maxlength: 3,
          value: '80',
        },
        { name: 'enroll_from', label: '参加开始', type: 'date', required: true, value: `${y}-01-01` },
        { name: 'enroll_to', label: '参加截止', type: 'date', required: true, value: `${y}-03-31` },
        { name: 'cover_from', label: '保障开始', type: 'date', required: true, value: `${y}-01-01` },
        { name: 'cover_to', label: '保障截止', type: 'date', required: true, value: `${y}-12-31` },
        h(
          'p',
          { class: 'panel-note field-wide' },
          '起付线、分段比例和年度封顶是该组织的政策参数（mutual_aid_benefit），按入院日期取当时施行的版本。',
        ),
      ],
      submit: (v) =>
        api.post('/api/v1/mutual-aid/plans', {
          org_id: Number(v.org_id),
          name: v.name,
          year: Number(v.year),
          contribution_fen: yuanToFen(v.contribution),
          min_group_share_pct: Number(v.min_group_share_pct),
          enroll_from: v.enroll_from,
          enroll_to: v.enroll_to,
          cover_from: v.cover_from,
          cover_to: v.cover_to,
        }),
      success: '已新建医疗互助计划',
      after: () => {
        loadPlans();
      },
    });
  }

  // 参加人员: who joined, one person at a time or a unit as a group.
  async function enrolments(p) {
    const list = h('div');
    const show = async () => {
      const r = await api.get(`/api/v1/mutual-aid/plans/${p.id}/enrolments`, { per_page: 100 });
      mount(
        list,
        simpleTable({
          caption: '参加人员',
          columns: [
            { key: 'member_name_masked', title: '姓名', nowrap: true },
            {
              key: 'id_number_masked',
              title: '身份证号',
              nowrap: true,
              render: (x) => h('span', { class: 'mono' }, x.id_number_masked),
            },
            { key: 'org_name', title: '所属工会' },
            { key: 'group_id', title: '方式', nowrap: true, render: (x) => (x.group_id ? '集体参加' : '个人参加') },
            {
              key: 'paid_fen',
              title: '本年已获互助金',
              align: 'right',
              nowrap: true,
              render: (x) => fmtYuan(x.paid_fen),
            },
          ],
          rows: r.items,
          empty: '尚无人参加',
        }),
        r.total > r.items.length ? h('p', { class: 'muted' }, `共 ${r.total} 人，仅列出前 ${r.items.length} 人`) : null,
      );
    };
    const unit = orgPicker({ name: 'unit_id', label: '参加单位（基层工会）', required: true });
    const units = h('div', { class: 'field-wide' });
    const group = form({
      id: 'ma-group',
      fields: [
        unit,
        { name: 'staff_count', label: '单位职工人数', required: true, inputmode: 'numeric', maxlength: 7 },
        units,
      ],
      onSubmit: async (v, node) => {
        if (!checkRequired(node)) return;
        const ids = (v.member_ids || []).map(Number);
        try {
          const r = await api.post(`/api/v1/mutual-aid/plans/${p.id}/groups`, {
            org_id: Number(v.unit_id),
            staff_count: Number(v.staff_count),
            member_ids: ids,
          });
          toast(`已集体参加 ${r.enrolled_count} 人，会费 ${fmtYuan(r.amount_fen)} 元`, 'success');
          show();
          loadPlans();
        } catch (e) {
          showError(node, e, { org_id: 'unit_id' });
        }
      },
    });
    unit.querySelector('select').addEventListener('change', async (ev) => {
      if (!ev.target.value) return mount(units);
      const r = await api.get('/api/v1/members', { org_id: ev.target.value, status: 'active', per_page: 100 });
      mount(
        units,
        field({
          name: 'member_ids',
          label: `参加人员（${r.total} 名在会会员）`,
          type: 'checkboxes',
          options: r.items.map((m) => [String(m.id), m.name]),
          value: r.items.map((m) => String(m.id)),
        }),
      );
      group.elements.staff_count.value = group.elements.staff_count.value || String(r.total);
    });
    openDialog({
      title: `参加人员 · ${p.name}`,
      wide: true,
      body: h(
        'div',
        list,
        h('h3', { class: 'mstats-title' }, `单位集体参加（须达到职工人数的 ${p.min_group_share_pct}%）`),
        group,
      ),
      actions: [
        { text: '关闭', value: false },
        { text: '集体参加', kind: 'primary', type: 'submit', form: 'ma-group' },
      ],
    });
    show();
  }

  loadPlans();
  return h(
    'div',
    pageHeader({
      title: '职工医疗互助',
      desc: '互助金按入院当日施行的待遇标准计算：可报销费用减起付线后分段乘以比例，受年度封顶限制',
    }),
    panel(
      '互助计划',
      h(
        'div',
        { class: 'table-toolbar' },
        h('button', { type: 'button', class: 'btn', onclick: newPlan }, icon('plus', 16), '新建计划'),
      ),
      plansBox,
    ),
    panel('互助金申请', table.el),
  );
}
