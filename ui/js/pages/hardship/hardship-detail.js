// hardship-detail.js — one hardship file (#/hardship/{id}); opening it is an
// audited read. The figures and the platform's assessment, the family
// (ID numbers masked, 查看完整 with a reason), the bank account, and by
// status: 审核确认 / 不予建档 (the level above), 年度复核, 撤档, 申请救助
// (金秋助学 picks a child from the family), 结对帮扶 with visits; below, the
// aid granted and every change of the file.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser } from '../../lib/session.js';
import { label, options, fmtTime, yuanToFen, fmtYuan, today, MODEL_WORKER } from '../../lib/format.js';
import { form, showError, checkRequired, formDialog, fieldError } from '../../lib/form.js';
import { simpleTable } from '../../lib/simpletable.js';
import { revealDialog } from '../../lib/reveal.js';
import { openDialog, toast, tag, panel } from '../../lib/ui.js';
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
  CLOSE_REASONS,
  EXCLUSIONS,
  HISTORY_KINDS,
  FIELD_NAMES,
  AID_KINDS,
  AID_SCHOOL,
  GRANT_STATUS,
  GRANT_STATUS_TONE,
  PARTNER_KINDS,
  yuan,
} from '../../lib/hardship-labels.js';

const loading = () => h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…');

export default function hardshipDetail(ctx) {
  const id = Number(ctx.params.id);
  const body = h('div', h('div', { class: 'panel' }, loading()));
  const el = h('div', h('a', { class: 'back-link', href: '#/hardship' }, icon('arrowLeft', 16), '返回档案列表'), body);
  let f = null;

  async function load() {
    try {
      f = await api.get(`/api/v1/hardship/files/${id}`, undefined, { signal: ctx.signal });
    } catch (e) {
      if (e.name === 'AbortError') return;
      mount(
        body,
        h(
          'div',
          { class: 'panel' },
          h(
            'div',
            { class: 'state state-error', role: 'alert' },
            e.status === 404 ? '该档案不存在或不在您的管辖范围内。' : `加载失败：${e.message}`,
          ),
        ),
      );
      return;
    }
    render();
  }

  const row = (k, v) => h('div', h('dt', k), h('dd', v === null || v === undefined || v === '' ? '—' : v));

  function revealBtn(what, masked, payload) {
    return h(
      'span',
      { class: 'sensitive' },
      h('span', { class: 'mono' }, masked || '—'),
      masked
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn btn-text btn-sm',
              'aria-label': `查看完整${what}`,
              onclick: () =>
                revealDialog({
                  what,
                  masked,
                  reveal: async (reason) =>
                    (await api.post(`/api/v1/hardship/files/${id}/reveal`, { ...payload, reason })).value,
                }),
            },
            icon('eye', 14),
            '查看完整',
          )
        : null,
    );
  }

  function render() {
    const r = f.record || {};
    const a = f.assessment || {};
    const actions = [];
    // A pending file is decided by the level above the union that opened it
    // (the server refuses the union itself with needs_upper_level).
    const me = currentUser();
    const ownUnion = me && me.role === 'officer' && me.org && me.org.id === f.org_id;
    if (f.status === 'pending' && !ownUnion) {
      actions.push(
        h('button', { type: 'button', class: 'btn btn-primary', onclick: approve }, icon('check', 16), '审核确认'),
      );
      actions.push(h('button', { type: 'button', class: 'btn', onclick: reject }, '不予建档'));
    } else if (f.status === 'pending') {
      actions.push(h('span', { class: 'muted small' }, '待上级工会审核确认'));
    }
    if (f.status === 'open') {
      actions.push(
        h(
          'button',
          { type: 'button', class: 'btn btn-primary', onclick: () => applyAid(f, load) },
          icon('plus', 16),
          '申请救助',
        ),
      );
      actions.push(h('button', { type: 'button', class: 'btn', onclick: review }, '年度复核'));
      actions.push(h('button', { type: 'button', class: 'btn', onclick: pairing }, '结对帮扶'));
    }
    if (f.status === 'open' || f.status === 'pending')
      actions.push(h('button', { type: 'button', class: 'btn', onclick: edit }, icon('edit', 16), '修改'));
    if (f.status === 'open' || f.status === 'pending')
      actions.push(h('button', { type: 'button', class: 'btn btn-danger', onclick: close }, '撤档'));
    const grants = h('div', loading());
    const pairs = h('div', loading());
    const hist = h('div', loading());
    mount(
      body,
      h(
        'section',
        { class: 'panel', 'aria-label': '困难职工档案' },
        h(
          'div',
          { class: 'detail-head' },
          h(
            'div',
            h('h1', { class: 'detail-title' }, f.member_name, h('span', { class: 'muted' }, ` · ${f.org_name}`)),
            h(
              'div',
              { class: 'detail-tags' },
              tag(label(FILE_STATUS, f.status), FILE_STATUS_TONE[f.status]),
              f.category ? tag(label(CATEGORIES, f.category), CATEGORY_TONE[f.category]) : null,
              f.review_overdue ? tag('复核已逾期', 'red') : null,
              f.exclusions.map((x) => tag(label(EXCLUSIONS, x), 'red')),
            ),
          ),
          actions.length ? h('div', { class: 'detail-actions' }, actions) : null,
        ),
        f.record === null ? h('p', { class: 'muted' }, '档案撤档满十年，内容已按规定清除。') : null,
        h(
          'dl',
          { class: 'kv kv-wide' },
          row('身份证号', h('span', { class: 'mono' }, f.id_number_masked)),
          row('民族', f.ethnicity),
          row('健康状况', label(HEALTH, r.health)),
          row('残疾等级', label(DISABILITY, r.disability)),
          row('就业状况', label(WORK_STATUS, f.work_status)),
          row('户籍', `${label(HOUSEHOLD, f.household_type)} · ${r.household_place || ''}`),
          row('医疗保险', label(INSURANCE, f.medical_insurance)),
          row('主要致困原因', label(CAUSES, f.main_cause)),
          row('次要致困原因', f.secondary_causes.map((c) => label(CAUSES, c)).join('、')),
          row('本人月收入', yuan(r.monthly_income_fen)),
          row('家庭月总收入', yuan(r.family_income_fen)),
          row('非工资性收入', yuan(r.family_other_income_fen)),
          row(
            '刚性支出',
            a.deductions_fen !== undefined ? `${yuan(a.deductions_fen)}（医疗、教育、残疾康复、就业）` : '',
          ),
          row('开户银行', r.bank_name),
          row(
            '银行账号',
            r.bank_account_masked ? revealBtn('银行账号', r.bank_account_masked, { field: 'bank_account' }) : '',
          ),
          row('劳模称号', f.model_worker ? label(MODEL_WORKER, f.model_worker) : '无'),
          row('建档', [f.opened_on, f.opened_by_name ? `（${f.opened_by_name}）` : '']),
          row('审核确认', f.approved_on ? [f.approved_on, f.reviewed_by_name ? `（${f.reviewed_by_name}）` : ''] : ''),
          row('上次复核', f.last_review_on),
          row('复核到期', f.review_due),
          f.closed_on ? row('撤档', `${f.closed_on}（${label(CLOSE_REASONS, f.close_reason)}）`) : null,
          r.note ? row('备注', r.note) : null,
        ),
      ),
      f.assessment
        ? panel(
            '认定测算',
            h(
              'div',
              { class: 'stats stats-auto' },
              h(
                'div',
                { class: 'stat' },
                h('div', { class: 'stat-num' }, String(a.household_size)),
                h('div', { class: 'stat-label' }, '家庭人口'),
              ),
              h(
                'div',
                { class: 'stat' },
                h('div', { class: 'stat-num' }, fmtYuan(a.per_capita_fen)),
                h('div', { class: 'stat-label' }, '人均月收入（元）'),
              ),
              h(
                'div',
                { class: 'stat' },
                h('div', { class: 'stat-num' }, fmtYuan(a.adjusted_per_capita_fen)),
                h('div', { class: 'stat-label' }, '扣除刚性支出后（元/人）'),
              ),
              h(
                'div',
                { class: 'stat' },
                h('div', { class: 'stat-num' }, fmtYuan(a.dibao_fen)),
                h('div', { class: 'stat-label' }, '低保标准（元）'),
              ),
              h(
                'div',
                { class: 'stat is-total' },
                h('div', { class: 'stat-num' }, a.suggested_category ? label(CATEGORIES, a.suggested_category) : '—'),
                h('div', { class: 'stat-label' }, '平台建议类别'),
              ),
            ),
            h('p', { class: 'panel-note' }, a.explanation),
          )
        : null,
      r.family
        ? panel(
            '家庭成员',
            simpleTable({
              caption: '家庭成员',
              columns: [
                { key: 'name', title: '姓名', nowrap: true },
                { key: 'relation', title: '关系', nowrap: true, render: (m) => label(RELATIONS, m.relation) },
                {
                  key: 'id_number_masked',
                  title: '身份证号',
                  nowrap: true,
                  render: (m) =>
                    revealBtn(`${m.name}的身份证号`, m.id_number_masked, {
                      field: 'family_id_number',
                      index: r.family.indexOf(m),
                    }),
                },
                { key: 'health', title: '健康', nowrap: true, render: (m) => label(HEALTH, m.health) },
                {
                  key: 'school_level',
                  title: '就学',
                  nowrap: true,
                  render: (m) =>
                    m.school_level && m.school_level !== 'none' ? label(SCHOOL_LEVELS, m.school_level) : '',
                },
                { key: 'school_or_work', title: '学校或工作' },
                {
                  key: 'income_fen',
                  title: '月收入',
                  align: 'right',
                  nowrap: true,
                  render: (m) => yuan(m.income_fen || 0),
                },
              ],
              rows: r.family,
              empty: '没有其他家庭成员',
            }),
          )
        : null,
      panel('帮扶救助', grants),
      panel('结对帮扶', pairs),
      panel('档案变动', hist),
    );
    loadGrants(grants);
    loadPairings(pairs);
    loadHistory(hist);
  }

  async function loadGrants(box) {
    try {
      const g = await api.get('/api/v1/aid/grants', { file_id: id, per_page: 100 }, { signal: ctx.signal });
      mount(
        box,
        simpleTable({
          caption: '帮扶救助',
          columns: [
            { key: 'kind', title: '项目', nowrap: true, render: (x) => label(AID_KINDS, x.kind) },
            { key: 'applied_on', title: '申请日期', nowrap: true },
            {
              key: 'amount_fen',
              title: '金额（元）',
              align: 'right',
              nowrap: true,
              render: (x) => fmtYuan(x.amount_fen),
            },
            {
              key: 'status',
              title: '状态',
              nowrap: true,
              render: (x) => tag(label(GRANT_STATUS, x.status), GRANT_STATUS_TONE[x.status]),
            },
          ],
          rows: g.items,
          empty: '尚无救助记录',
        }),
      );
    } catch (e) {
      if (e.name !== 'AbortError') mount(box, h('div', { class: 'state state-error' }, e.message));
    }
  }

  async function loadPairings(box) {
    try {
      const p = await api.get('/api/v1/aid/pairings', { file_id: id }, { signal: ctx.signal });
      mount(
        box,
        p.items.length
          ? p.items.map((x) =>
              h(
                'div',
                { class: 'pairing' },
                h(
                  'div',
                  tag(label(PARTNER_KINDS, x.partner_kind)),
                  ` ${x.partner_name}，${x.started_on} 起结对，走访 ${x.visits} 次`,
                  x.last_visit ? `，最近一次 ${x.last_visit}` : '',
                ),
                h(
                  'div',
                  { class: 'pairing-actions' },
                  h('button', { type: 'button', class: 'btn btn-sm', onclick: () => visits(x) }, '走访记录'),
                ),
              ),
            )
          : h('p', { class: 'muted' }, '尚未结对'),
      );
    } catch (e) {
      if (e.name !== 'AbortError') mount(box, h('div', { class: 'state state-error' }, e.message));
    }
  }

  async function loadHistory(box) {
    try {
      const hs = await api.get(`/api/v1/hardship/files/${id}/history`, undefined, { signal: ctx.signal });
      const show = (v) =>
        v === null || v === undefined
          ? '—'
          : typeof v === 'number' && String(v).length > 3
            ? `${fmtYuan(v)}`
            : Array.isArray(v)
              ? v.join('、')
              : String(v);
      mount(
        box,
        simpleTable({
          caption: '档案变动',
          columns: [
            { key: 'created_at', title: '时间', nowrap: true, render: (x) => fmtTime(x.created_at) },
            { key: 'kind', title: '事项', nowrap: true, render: (x) => label(HISTORY_KINDS, x.kind) },
            { key: 'actor', title: '经办人', nowrap: true },
            {
              key: 'changes',
              title: '内容',
              render: (x) => {
                if (x.kind === 'opened' || !x.changes)
                  return [
                    x.fields.map((k) => label(FIELD_NAMES, k) || label(CLOSE_REASONS, k)).join('、'),
                    x.reason ? `（${x.reason}）` : '',
                  ].join('');
                return h(
                  'ul',
                  { class: 'changes' },
                  x.changes.map((c) =>
                    h(
                      'li',
                      `${label(FIELD_NAMES, c.field)}：`,
                      c.to === undefined || (c.to === null && c.from === undefined)
                        ? '已修改'
                        : `${show(c.from)} → ${show(c.to)}`,
                    ),
                  ),
                );
              },
            },
          ],
          rows: hs.items,
        }),
      );
    } catch (e) {
      if (e.name !== 'AbortError') mount(box, h('div', { class: 'state state-error' }, e.message));
    }
  }

  function simpleForm(title, fields, submitText, send) {
    const { form: fe, dialog } = formDialog({
      title,
      className: 'form-grid form-1',
      fields,
      submitText,
      busyText: '提交中…',
      submit: send,
      success: '已办理',
      after: () => load(),
    });
    const first = fe.querySelector('select, input, textarea');
    if (first) first.focus();
    return dialog;
  }

  // 修改: the figures and circumstances (the family is kept as it is; its
  // members' incomes count in the total). The server checks the whole file
  // again and suggests the category anew.
  function edit() {
    const r = f.record || {};
    const famIncome = (r.family || []).reduce((t, m) => t + (m.income_fen || 0), 0);
    const y = (fen) => (fen ? fmtYuan(fen).replace(/,/g, '') : '0');
    const money = (name, text) => ({
      name,
      label: `${text}（元/月）`,
      inputmode: 'decimal',
      maxlength: 14,
      value: y(r[`${name}_fen`]),
    });
    const moneyFields = [
      'monthly_income',
      'family_other_income',
      'family_income',
      'medical_cost',
      'education_cost',
      'disability_cost',
      'work_cost',
    ];
    simpleForm(
      '修改困难职工档案',
      [
        { name: 'health', label: '健康状况', type: 'select', options: options(HEALTH), value: r.health },
        { name: 'work_status', label: '就业状况', type: 'select', options: options(WORK_STATUS), value: r.work_status },
        money('monthly_income', '本人月收入'),
        money('family_other_income', '家庭非工资性收入'),
        {
          ...money('family_income', '家庭月总收入'),
          hint: `= 本人 + 非工资性收入 + 其他家庭成员收入（现为 ${fmtYuan(famIncome)} 元）`,
        },
        money('medical_cost', '医疗支出'),
        money('education_cost', '教育支出'),
        money('disability_cost', '残疾康复支出'),
        money('work_cost', '就业必要支出'),
        { name: 'main_cause', label: '主要致困原因', type: 'select', options: options(CAUSES), value: r.main_cause },
        { name: 'category', label: '困难类别', type: 'select', options: options(CATEGORIES), value: r.category },
        { name: 'category_reason', label: '类别与建议不同的理由', maxlength: 200, value: r.category_reason || '' },
        { name: 'bank_name', label: '开户银行', maxlength: 60, value: r.bank_name || '' },
        { name: 'note', label: '备注', type: 'textarea', maxlength: 500, value: r.note || '' },
      ],
      '保存',
      (v) => {
        const b = {
          health: v.health,
          work_status: v.work_status,
          main_cause: v.main_cause,
          category: v.category,
          category_reason: v.category_reason || null,
          bank_name: v.bank_name || null,
          note: v.note || null,
        };
        for (const k of moneyFields) {
          const fen = yuanToFen(v[k] || '0');
          if (fen === null) throw Object.assign(new Error('金额格式不正确'), { field: k });
          b[`${k}_fen`] = fen;
        }
        return api.patch(`/api/v1/hardship/files/${id}`, b).catch((e) => {
          if (e.field && e.field.endsWith('_fen')) e.field = e.field.slice(0, -4);
          throw e;
        });
      },
    );
  }

  function approve() {
    simpleForm(
      '审核确认档案',
      [
        {
          name: 'category',
          label: '困难类别',
          type: 'select',
          required: true,
          options: options(CATEGORIES),
          value: f.category,
          wide: true,
        },
        { name: 'note', label: '审核意见', maxlength: 200, wide: true, value: '经入户核实，情况属实' },
        f.exclusions.length
          ? { name: 'exclusion_override_reason', label: '排除情形核实理由', required: true, maxlength: 200, wide: true }
          : null,
      ].filter(Boolean),
      '确认建档',
      (v) =>
        api.post(`/api/v1/hardship/files/${id}/approve`, {
          category: v.category,
          note: v.note || null,
          exclusion_override_reason: v.exclusion_override_reason || null,
        }),
    );
  }
  function reject() {
    simpleForm(
      '不予建档',
      [{ name: 'reason', label: '原因', required: true, maxlength: 200, wide: true }],
      '确定',
      (v) => api.post(`/api/v1/hardship/files/${id}/reject`, { reason: v.reason }),
    );
  }
  function review() {
    simpleForm(
      '年度复核',
      [
        {
          name: 'outcome',
          label: '复核结论',
          type: 'select',
          required: true,
          options: [
            ['continue', '继续帮扶'],
            ['close', '脱困撤档'],
          ],
          wide: true,
        },
        {
          name: 'category',
          label: '困难类别',
          type: 'select',
          options: options(CATEGORIES),
          value: f.category,
          wide: true,
        },
        {
          name: 'close_reason',
          label: '撤档原因（撤档时）',
          type: 'select',
          empty: '—',
          options: options(CLOSE_REASONS, [
            'out_of_hardship',
            'retired',
            'transferred',
            'deceased',
            'left_union',
            'other',
          ]),
          wide: true,
        },
        { name: 'note', label: '复核意见', maxlength: 200, wide: true },
      ],
      '提交复核',
      (v) =>
        api.post(`/api/v1/hardship/files/${id}/review`, {
          outcome: v.outcome,
          category: v.category || undefined,
          close_reason: v.close_reason || undefined,
          note: v.note || null,
        }),
    );
  }
  function close() {
    simpleForm(
      '撤档',
      [
        {
          name: 'reason',
          label: '撤档原因',
          type: 'select',
          required: true,
          options: options(CLOSE_REASONS, [
            'out_of_hardship',
            'retired',
            'transferred',
            'deceased',
            'left_union',
            'other',
          ]),
          wide: true,
        },
        { name: 'note', label: '说明', maxlength: 200, wide: true },
      ],
      '确认撤档',
      (v) => api.post(`/api/v1/hardship/files/${id}/close`, { reason: v.reason, note: v.note || null }),
    );
  }
  function pairing() {
    simpleForm(
      '结对帮扶',
      [
        {
          name: 'partner_kind',
          label: '结对方',
          type: 'select',
          required: true,
          options: options(PARTNER_KINDS),
          wide: true,
        },
        { name: 'partner_name', label: '干部或单位名称', required: true, maxlength: 100, wide: true },
        { name: 'started_on', label: '结对日期', type: 'date', required: true, value: today(), wide: true },
      ],
      '建立结对',
      (v) => api.post('/api/v1/aid/pairings', { file_id: id, ...v }),
    );
  }
  async function visits(p) {
    const list = h('div', loading());
    const show = async () => {
      const v = await api.get(`/api/v1/aid/pairings/${p.id}/visits`);
      mount(
        list,
        v.items.length
          ? h(
              'ul',
              { class: 'visits' },
              v.items.map((x) => h('li', h('strong', x.visited_on), ` ${x.actor || ''}：`, x.note)),
            )
          : h('p', { class: 'muted' }, '尚无走访记录'),
      );
    };
    const fe = form({
      id: 'hs-visit',
      className: 'form-grid form-1',
      fields: [
        { name: 'visited_on', label: '走访日期', type: 'date', required: true, value: today() },
        { name: 'note', label: '走访情况', type: 'textarea', required: true, maxlength: 1000 },
      ],
      onSubmit: async (v, node) => {
        if (!checkRequired(node)) return;
        try {
          await api.post(`/api/v1/aid/pairings/${p.id}/visits`, v);
          node.reset();
          toast('已登记走访', 'success');
          show();
          loadPairings(body.querySelectorAll('.panel')[4] || body);
        } catch (e) {
          showError(node, e);
        }
      },
    });
    openDialog({
      title: `走访记录 · ${p.partner_name}`,
      wide: true,
      body: h('div', list, fe),
      actions: [
        { text: '关闭', value: false },
        { text: '登记走访', kind: 'primary', type: 'submit', form: 'hs-visit' },
      ],
    });
    show();
  }

  load();
  return el;
}

// 申请救助 for a file (officers here; members have their own page).
export function applyAid(file, onDone) {
  const children = ((file.record && file.record.family) || [])
    .map((m, i) => [m, i])
    .filter(([m]) => m.relation === 'child');
  const { form: fe, dialog } = formDialog({
    title: '申请帮扶救助',
    className: 'form-grid form-1',
    submitText: '提交申请',
    busyText: '提交中…',
    focus: 'kind',
    aliases: { amount_fen: 'amount' },
    fields: [
      { name: 'kind', label: '救助项目', type: 'select', required: true, options: options(AID_KINDS) },
      { name: 'school_level', label: '学段（金秋助学）', type: 'select', empty: '—', options: options(AID_SCHOOL) },
      {
        name: 'child_index',
        label: '就学子女（金秋助学）',
        type: 'select',
        empty: '—',
        options: children.map(([m, i]) => [String(i), `${m.name}（${label(SCHOOL_LEVELS, m.school_level) || ''}）`]),
      },
      {
        name: 'amount',
        label: '申请金额（元）',
        inputmode: 'decimal',
        maxlength: 14,
        hint: '有标准的项目可不填，按标准发放',
      },
      { name: 'reason', label: '申请理由', type: 'textarea', required: true, maxlength: 500 },
    ],
    submit: (v) => {
      const b = { file_id: file.id, kind: v.kind, reason: v.reason };
      if (v.school_level) b.school_level = v.school_level;
      if (v.child_index !== '') b.child_index = Number(v.child_index);
      if (v.amount) {
        const fen = yuanToFen(v.amount);
        if (fen === null) throw fieldError('amount', '申请金额不是有效的数字，请填写如 1200 或 1200.50 的金额');
        b.amount_fen = fen;
      }
      return api.post('/api/v1/aid/grants', b);
    },
    success: (g) => `已提交${label(AID_KINDS, g.kind)}申请：${fmtYuan(g.amount_fen)} 元`,
    after: (g) => {
      if (onDone) onDone(g);
    },
  });
  const school = children.length ? children[0][0].school_level : '';
  if (AID_SCHOOL[school]) fe.elements.school_level.value = school;
  if (children.length) fe.elements.child_index.value = String(children[0][1]);
  return dialog;
}
