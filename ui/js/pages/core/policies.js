// policies.js — 政策参数: the versioned policy parameters (经费分成比例,
// 小微企业返还政策, 低保标准, 帮扶救助标准, 医疗互助待遇 …) of the kinds an
// officer's duties cover, for an org chosen from their scope: which version
// applies to that org today, and the versions its ancestors and the orgs
// below it set — in force, scheduled, and (on request) superseded — each as
// a readable summary. 新增版本 opens a form in the units officers use (元,
// 万元, %, 倍), prefilled from the version in force for the chosen org; the
// server's validation errors land next to their inputs, and a confirmation
// says from when the version applies. Booking rules for recuperation trips
// are published on 专题与规则, linked from here.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser } from '../../lib/session.js';
import { today, fmtTime, options } from '../../lib/format.js';
import { field, form, clearErrors, checkRequired } from '../../lib/form.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { simpleTable } from '../../lib/simpletable.js';
import { openDialog, toast, busy, tag, pageHeader, panel, segmented } from '../../lib/ui.js';
import {
  KIND_FORMS,
  FieldError,
  summarize,
  explainError,
  yuanShort,
  SHARE_LEVELS,
  SHARE_LABELS,
  REFUND_SHARE,
  REFUND_MODE,
  AID_KIND_KEYS,
  AID_KINDS,
  AID_SCHOOL,
  CATEGORIES,
  CATEGORY_KEYS,
  SCHOOL_KEYS,
  MAX_BANDS,
  MAX_THRESHOLDS,
  INDUSTRIES,
} from '../../lib/policy-params.js';

const STATUS = { in_force: ['现行', 'green'], scheduled: ['待生效', 'blue'], superseded: ['已被取代', 'gray'] };
const PER_PAGE = 50;

function ensureCss() {
  if (document.querySelector('link[data-policy-css]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: '/css/policy.css', dataset: { policyCss: '1' } }));
}

// The first day of next month, China time: a usual start for a new version.
function nextMonthStart() {
  const [y, m] = today().split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

// A version's params as text lines and, when it has one, a small table.
function summaryView(kind, params) {
  const s = summarize(kind, params);
  return h(
    'div',
    { class: 'pol-sum' },
    s.lines.map((l, i) => h('div', { class: i ? 'pol-sum-more' : 'pol-sum-main' }, l)),
    s.table
      ? h(
          'table',
          { class: ['pol-mini', s.table.head.length > 2 && 'is-stack'] },
          h(
            'thead',
            h(
              'tr',
              s.table.head.map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h(
            'tbody',
            s.table.rows.map((r) =>
              h(
                'tr',
                r.map((c, i) => h('td', { 'data-label': s.table.head[i] }, c)),
              ),
            ),
          ),
        )
      : null,
  );
}

// An input with its unit after it, as a .field form.js can show errors on.
function unitField({
  name,
  label,
  value,
  unit,
  hint,
  required,
  placeholder,
  inputmode = 'decimal',
  wide,
  type = 'text',
}) {
  const id = `pf-${name.replace(/[^a-z0-9_-]/gi, '-')}-${Math.random().toString(36).slice(2, 7)}`;
  return h(
    'div',
    { class: ['field', required && 'is-required', wide && 'field-wide'], dataset: { field: name } },
    h('label', { class: 'field-label', for: id }, label),
    h(
      'div',
      { class: 'pol-unit' },
      h('input', {
        id,
        name,
        type,
        value: value ?? '',
        inputmode,
        placeholder,
        'aria-describedby': `${id}-err`,
        autocomplete: 'off',
      }),
      unit ? h('span', { class: 'pol-unit-text' }, unit) : null,
    ),
    hint ? h('div', { class: 'field-hint' }, hint) : null,
    h('div', { class: 'field-error', id: `${id}-err`, 'aria-live': 'polite' }),
  );
}

// A block of inputs that the server may name as a whole ('shares', 'bands').
function group(name, label, hint, ...children) {
  return h(
    'div',
    { class: 'field field-wide pol-group', dataset: { field: name }, role: 'group', 'aria-label': label },
    h('span', { class: 'field-label' }, label),
    hint ? h('div', { class: 'field-hint' }, hint) : null,
    children,
    h('div', { class: 'field-error', 'aria-live': 'polite' }),
  );
}

// Show {field, message} at its input (or block of inputs); at the top of the
// form when the form has no such input. Groups hold other fields, so the
// error slot is the group's own.
function showAt(formEl, err) {
  const box = err.field ? formEl.querySelector(`[data-field="${CSS.escape(err.field)}"]`) : null;
  const message = err.message || '操作失败，请稍后重试';
  if (box) {
    box.classList.add('has-error');
    const slot = box.querySelector(':scope > .field-error');
    if (slot) slot.textContent = message;
    const control = box.querySelector('input:not([disabled]), select:not([disabled]), textarea');
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.focus();
    }
    return;
  }
  const top = formEl.querySelector('.form-error');
  top.textContent = message;
  top.hidden = false;
  top.scrollIntoView({ block: 'nearest' });
}

// ---- the per-kind inputs (values: flat map keyed by API paths) ----

function feeSplitInputs(v) {
  const total = h('div', { class: 'pol-total', 'aria-live': 'polite' });
  const shares = h(
    'div',
    { class: 'pol-shares' },
    SHARE_LEVELS.map((l) => unitField({ name: l, label: SHARE_LABELS[l], value: v[l], unit: '%', placeholder: '0' })),
  );
  const update = () => {
    const vals = {};
    for (const l of SHARE_LEVELS) vals[l] = shares.querySelector(`[name="${l}"]`).value;
    const t = KIND_FORMS.fee_split.total(vals);
    total.textContent = t === null ? '合计：—' : `合计：${t / 10}%${t === 1000 ? '' : '（应为 100%）'}`;
    total.classList.toggle('is-off', t !== 1000);
  };
  shares.addEventListener('input', update);
  update();
  return [
    group(
      'shares',
      '各级分成比例',
      '按工会经费总额的百分比填写，最多一位小数；各级之和应为 100%，不分成的一级留空',
      shares,
      total,
    ),
    field({
      name: 'remainder_to',
      label: '尾差归属',
      type: 'select',
      required: true,
      value: v.remainder_to,
      options: SHARE_LEVELS.map((l) => [l, SHARE_LABELS[l]]),
      hint: '各级按比例向下取整到分，不足一分的余数（以及企业路径上缺少的一级的份额）归这一级',
    }),
  ];
}

function hardshipInputs(v) {
  const line = h('div', { class: 'pol-total', 'aria-live': 'polite' });
  const box = h(
    'div',
    { class: 'pol-pair field-wide' },
    unitField({
      name: 'dibao_fen',
      label: '低保标准',
      value: v.dibao_fen,
      unit: '元/人·月',
      required: true,
      hint: '当地城乡居民最低生活保障标准',
    }),
    unitField({
      name: 'relative_multiple_pct',
      label: '相对困难倍数',
      value: v.relative_multiple_pct,
      unit: '倍',
      required: true,
      hint: '家庭人均收入低于低保标准的这一倍数，可认定为相对困难（如 1.5）',
    }),
  );
  const update = () => {
    const fen = KIND_FORMS.hardship_standard.line({
      dibao_fen: box.querySelector('[name=dibao_fen]').value,
      relative_multiple_pct: box.querySelector('[name=relative_multiple_pct]').value,
    });
    line.textContent = fen === null ? '' : `相对困难线：${yuanShort(fen)}/人·月`;
  };
  box.addEventListener('input', update);
  update();
  return [box, h('div', { class: 'field-wide' }, line)];
}

// Rows that can be added and removed (bands, thresholds); their inputs are
// renamed 0..n-1 after every change, so row i is element i of the array.
function rowsEditor({ name, label, hint, max, addText, rows, renderRow, blank }) {
  const list = h('div', { class: 'pol-rows' });
  const add = h(
    'button',
    { type: 'button', class: 'btn btn-sm', onclick: () => draw([...read(), blank()]) },
    icon('plus', 14),
    addText,
  );
  function read() {
    return [...list.children].map((row) => {
      const o = {};
      for (const c of row.querySelectorAll('[data-key]')) o[c.dataset.key] = c.value;
      return o;
    });
  }
  function draw(data) {
    mount(
      list,
      data.map((r, i) =>
        h(
          'div',
          { class: 'pol-row' },
          renderRow(r, i, data.length),
          h(
            'button',
            {
              type: 'button',
              class: 'icon-btn pol-row-del',
              'aria-label': `删除第 ${i + 1} 行`,
              title: '删除',
              disabled: data.length <= 1 && !blank.canEmpty,
              onclick: () => draw(read().filter((_, j) => j !== i)),
            },
            icon('trash', 16),
          ),
        ),
      ),
    );
    add.disabled = data.length >= max;
  }
  draw(rows);
  return group(name, label, hint, list, h('div', { class: 'pol-rows-foot' }, add));
}

function bandsInputs(v) {
  const rows = [];
  for (let i = 0; v[`bands[${i}].ratio_pct`] !== undefined; i++)
    rows.push({ upto_fen: v[`bands[${i}].upto_fen`], ratio_pct: v[`bands[${i}].ratio_pct`] });
  return [
    h(
      'div',
      { class: 'pol-pair field-wide' },
      unitField({
        name: 'deductible_fen',
        label: '起付线',
        value: v.deductible_fen,
        unit: '元',
        required: true,
        hint: '可报销费用中由职工自付、不予互助的部分',
      }),
      unitField({
        name: 'yearly_cap_fen',
        label: '年度封顶',
        value: v.yearly_cap_fen,
        unit: '元',
        required: true,
        hint: '每人每年互助金合计不超过',
      }),
    ),
    rowsEditor({
      name: 'bands',
      label: '分段报销比例',
      hint: '按起付线以上的金额分段：第 1 段从 0 到所填上限，以后每段从上一段上限起；最后一段上限可留空（不封顶）',
      max: MAX_BANDS,
      addText: '添加一段',
      rows: rows.length ? rows : [{ upto_fen: '', ratio_pct: '' }],
      blank: () => ({ upto_fen: '', ratio_pct: '' }),
      renderRow: (r, i, n) =>
        h(
          'div',
          { class: 'pol-row-fields' },
          withKey(
            unitField({
              name: `bands[${i}].upto_fen`,
              label: `第 ${i + 1} 段上限`,
              value: r.upto_fen,
              unit: '元',
              placeholder: i === n - 1 ? '不封顶' : '',
            }),
            'upto_fen',
          ),
          withKey(
            unitField({
              name: `bands[${i}].ratio_pct`,
              label: `第 ${i + 1} 段报销比例`,
              value: r.ratio_pct,
              unit: '%',
              inputmode: 'numeric',
            }),
            'ratio_pct',
          ),
        ),
    }),
  ];
}

// Mark the input inside a field with the key a rows editor reads it back by.
function withKey(fieldEl, key) {
  fieldEl.querySelector('input, select').dataset.key = key;
  return fieldEl;
}

function refundInputs(v) {
  const rows = [];
  for (let i = 0; v[`qualify.thresholds[${i}].industry`] !== undefined; i++) {
    rows.push({
      industry: v[`qualify.thresholds[${i}].industry`],
      max_headcount: v[`qualify.thresholds[${i}].max_headcount`],
      max_revenue_fen: v[`qualify.thresholds[${i}].max_revenue_fen`],
    });
  }
  const industryOptions = (cur) => {
    const o = [['*', '全部行业'], ...Object.keys(INDUSTRIES).map((k) => [k, `${k} ${INDUSTRIES[k]}`])];
    if (cur && !o.some(([k]) => k === cur)) o.push([cur, cur]);
    return o;
  };
  const blank = () => ({ industry: '*', max_headcount: '', max_revenue_fen: '' });
  blank.canEmpty = true;
  return [
    field({
      name: 'from',
      label: '覆盖起始日期',
      type: 'date',
      required: true,
      value: v.from,
      hint: '按经费所属期的月份计',
    }),
    field({ name: 'to', label: '覆盖截止日期', type: 'date', required: true, value: v.to }),
    field({
      name: 'share',
      label: '返还部分',
      type: 'select',
      required: true,
      value: v.share,
      options: options(REFUND_SHARE),
    }),
    field({
      name: 'mode',
      label: '返还方式',
      type: 'select',
      required: true,
      value: v.mode,
      options: options(REFUND_MODE),
    }),
    field({
      name: 'prep_fee_on_founding',
      label: '建会筹备金',
      type: 'checkboxes',
      options: [['yes', '企业在期末前建会的，返还已缴的建会筹备金']],
      value: v.prep_fee_on_founding,
      wide: true,
    }),
    group(
      'qualify',
      '小微企业认定条件',
      '符合任一条件即认定为小微企业',
      field({
        name: 'qualify.small_scale',
        label: '按纳税人类型',
        type: 'checkboxes',
        options: [['yes', '小规模纳税人即认定为小微企业']],
        value: v['qualify.small_scale'],
        wide: true,
      }),
      rowsEditor({
        name: 'qualify.thresholds',
        label: '按行业规模：从业人数与年营业收入',
        hint: '从业人数和年营业收入都已登记且都不超过上限的企业',
        max: MAX_THRESHOLDS,
        addText: '添加一条标准',
        rows,
        blank,
        renderRow: (r, i) =>
          h(
            'div',
            { class: 'pol-row-fields' },
            withKey(
              field({
                name: `qualify.thresholds[${i}].industry`,
                label: '行业',
                type: 'select',
                value: r.industry,
                options: industryOptions(r.industry),
              }),
              'industry',
            ),
            withKey(
              unitField({
                name: `qualify.thresholds[${i}].max_headcount`,
                label: '从业人数上限',
                value: r.max_headcount,
                unit: '人',
                inputmode: 'numeric',
              }),
              'max_headcount',
            ),
            withKey(
              unitField({
                name: `qualify.thresholds[${i}].max_revenue_fen`,
                label: '年营业收入上限',
                value: r.max_revenue_fen,
                unit: '万元',
              }),
              'max_revenue_fen',
            ),
          ),
      }),
    ),
  ];
}

function aidInputs(v) {
  return AID_KIND_KEYS.map((k) => {
    const n = (f) => `kinds.${k}.${f}`;
    const on = field({
      name: n('on'),
      label: AID_KINDS[k],
      type: 'checkboxes',
      options: [['yes', `开展“${AID_KINDS[k]}”`]],
      value: v[n('on')],
    });
    const inner = h(
      'div',
      { class: 'pol-aid-body form-grid' },
      field({
        name: n('eligible'),
        label: '可申请的困难类别',
        type: 'checkboxes',
        options: CATEGORY_KEYS.map((c) => [c, CATEGORIES[c]]),
        value: v[n('eligible')],
        wide: true,
      }),
      unitField({
        name: n('yearly_cap_fen'),
        label: '每人每年上限',
        value: v[n('yearly_cap_fen')],
        unit: '元',
        required: true,
      }),
      unitField({
        name: n('max_fen'),
        label: '单次最高金额',
        value: v[n('max_fen')],
        unit: '元',
        required: k !== 'education',
        hint: k === 'education' ? '可空：按下表标准发放' : null,
      }),
      unitField({
        name: n('standard_fen'),
        label: '标准金额',
        value: v[n('standard_fen')],
        unit: '元',
        hint: '可空；填写时不能高于单次最高金额',
      }),
      k === 'education'
        ? group(
            n('amounts_fen'),
            '助学标准（元/人）',
            '按就读学段和困难类别；不资助的组合留空',
            h(
              'div',
              { class: 'pol-grid' },
              h('span'),
              CATEGORY_KEYS.map((c) => h('span', { class: 'pol-grid-head' }, CATEGORIES[c])),
              SCHOOL_KEYS.map((lv) => [
                h('span', { class: 'pol-grid-head' }, AID_SCHOOL[lv]),
                CATEGORY_KEYS.map((c) => {
                  const name = `kinds.education.amounts_fen.${lv}.${c}`;
                  return h(
                    'div',
                    { class: 'field', dataset: { field: name } },
                    h('input', {
                      name,
                      type: 'text',
                      inputmode: 'decimal',
                      value: v[name] ?? '',
                      'aria-label': `${AID_SCHOOL[lv]}${CATEGORIES[c]}（元）`,
                      autocomplete: 'off',
                    }),
                    h('div', { class: 'field-error' }),
                  );
                }),
              ]),
            ),
          )
        : null,
    );
    const box = h(
      'div',
      { class: 'field pol-aid field-wide', dataset: { field: `kinds.${k}` } },
      on,
      inner,
      h('div', { class: 'field-error', 'aria-live': 'polite' }),
    );
    const sync = () => {
      const enabled = on.querySelector('input').checked;
      inner.hidden = !enabled;
      for (const c of inner.querySelectorAll('input, select')) c.disabled = !enabled;
    };
    on.addEventListener('change', sync);
    sync();
    return box;
  });
}

const INPUTS = {
  fee_split: feeSplitInputs,
  hardship_standard: hardshipInputs,
  mutual_aid_benefit: bandsInputs,
  refund: refundInputs,
  aid_rules: aidInputs,
};

// ---- the page ----

export default function policiesPage() {
  ensureCss();
  const me = currentUser();
  const content = h(
    'div',
    h(
      'div',
      { class: 'panel' },
      h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'),
    ),
  );
  const viewOrg = orgPicker({
    name: 'view_org',
    label: '查看组织',
    value: me.org,
    empty: me.org ? '请选择' : '全部组织',
    hint: '列出对该组织适用的版本（含上级工会设置的）和其下级工会设置的版本',
  });
  let status = 'current';
  const scope = segmented({
    label: '版本范围',
    options: [
      ['current', '现行与待生效'],
      ['all', '全部（含已被取代）'],
    ],
    value: status,
    onChange: (s) => {
      status = s;
      loadAll();
    },
  });
  let kinds = [];

  const orgSel = viewOrg.querySelector('select');
  orgSel.addEventListener('change', () => loadAll());
  const viewOrgId = () => (orgSel.value ? Number(orgSel.value) : me.org ? me.org.id : null);
  const viewOrgName = () =>
    orgSel.selectedOptions[0] && orgSel.value
      ? orgSel.selectedOptions[0].textContent.trim().replace(/（[^）]*）$/, '')
      : me.org
        ? me.org.name
        : '';

  async function loadAll() {
    try {
      kinds = (await api.get('/api/v1/policies/kinds')).items;
    } catch (e) {
      mount(
        content,
        h('div', { class: 'panel' }, h('div', { class: 'state state-error', role: 'alert' }, `加载失败：${e.message}`)),
      );
      return;
    }
    if (!kinds.length) {
      mount(content, h('div', { class: 'panel' }, h('div', { class: 'state' }, '您的职责不涉及政策参数的设置。')));
      return;
    }
    mount(
      content,
      kinds.map((k) => kindPanel(k)),
    );
  }

  function kindPanel(k) {
    const applies = h('div', { class: 'pol-applies' });
    const box = h('div', h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'));
    let actions = null;
    if (k.kind === 'retreat_booking') {
      if (k.can_set) actions = h('a', { class: 'btn btn-sm', href: '#/retreat/settings' }, '在“专题与规则”中发布');
    } else if (k.can_set && INPUTS[k.kind]) {
      actions = h(
        'button',
        { type: 'button', class: 'btn btn-primary btn-sm', onclick: () => newVersion(k) },
        icon('plus', 14),
        '新增版本',
      );
    }
    const el = panel(k.label, h('div', { class: 'pol-head' }, applies, actions), box);
    el.dataset.kind = k.kind;
    loadKind(k, applies, box);
    return el;
  }

  async function loadKind(k, applies, box) {
    const org = viewOrgId();
    const rows = [];
    let total = 0;
    const table = h('div');
    const more = h('div', { class: 'pol-more' });
    async function page(n) {
      const r = await api.get('/api/v1/policies', {
        kind: k.kind,
        org_id: org || undefined,
        status,
        page: n,
        per_page: PER_PAGE,
      });
      rows.push(...r.items);
      total = r.total;
      mount(
        table,
        simpleTable({
          caption: `${k.label}版本`,
          columns: [
            {
              key: 'org_name',
              title: '发布组织',
              render: (p) =>
                h(
                  'div',
                  h('div', p.org_name),
                  p.in_scope ? null : h('div', { class: 'muted pol-upper' }, '上级工会设置'),
                ),
            },
            { key: 'effective_from', title: '生效日期', nowrap: true },
            {
              key: 'status',
              title: '状态',
              nowrap: true,
              render: (p) => tag(...(STATUS[p.status] || [p.status, 'gray'])),
            },
            { key: 'params', title: '参数', render: (p) => summaryView(p.kind, p.params) },
            {
              key: 'note',
              title: '说明',
              render: (p) =>
                h(
                  'div',
                  { class: 'pol-note' },
                  h('div', p.note || '—'),
                  h(
                    'div',
                    { class: 'muted pol-by' },
                    [p.created_by_name, fmtTime(p.created_at)].filter(Boolean).join(' · '),
                  ),
                ),
            },
          ],
          rows,
          empty: status === 'current' ? '没有现行或待生效的版本' : '还没有发布过版本',
        }),
      );
      mount(
        more,
        rows.length < total
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn btn-sm',
                onclick: () => page(n + 1).catch((e) => toast(e.message, 'error')),
              },
              `显示更多（还有 ${total - rows.length} 条）`,
            )
          : null,
      );
    }
    try {
      await page(1);
      mount(box, table, more);
    } catch (e) {
      mount(box, h('div', { class: 'state state-error', role: 'alert' }, `加载失败：${e.message}`));
      return;
    }
    if (!org) return;
    try {
      const p = await api.get('/api/v1/policies/effective', { kind: k.kind, org_id: org });
      mount(
        applies,
        `${viewOrgName()}今日适用：`,
        h(
          'strong',
          p.inherited
            ? `${p.org_name}自 ${p.effective_from} 起施行的版本`
            : `本组织自 ${p.effective_from} 起施行的版本`,
        ),
        p.inherited ? '（上级工会设置）' : null,
      );
    } catch (e) {
      mount(
        applies,
        e.code === 'no_policy'
          ? h('span', { class: 'pol-none' }, `${viewOrgName()}今日没有适用的版本，相关业务会提示先设置`)
          : `今日适用版本加载失败：${e.message}`,
      );
    }
  }

  // ---- 新增版本 ----
  function newVersion(k) {
    const spec = KIND_FORMS[k.kind];
    const startOrg = viewOrgId() ? { id: viewOrgId(), name: viewOrgName() } : me.org;
    const picker = orgPicker({
      label: '发布组织',
      required: true,
      value: startOrg,
      hint: '对本组织及其下级工会生效；下级工会另行设置的，以下级为准',
    });
    const prefillNote = h('div', { class: 'pol-prefill field-wide', 'aria-live': 'polite' });
    const kindBox = h('div', { class: 'pol-kind form-grid field-wide' });
    const f = form({
      id: 'policy-form',
      fields: [
        picker,
        field({
          name: 'effective_from',
          label: '生效日期',
          type: 'date',
          required: true,
          value: nextMonthStart(),
          hint: '当天起适用新版本，此前仍按原版本',
        }),
        prefillNote,
        kindBox,
        field({
          name: 'note',
          label: '说明',
          type: 'textarea',
          required: true,
          maxlength: 200,
          wide: true,
          rows: 2,
          placeholder: '依据的文件或调整原因，如：依据苏工发〔2026〕12号文件调整',
        }),
      ],
      onSubmit: (values, fe) => submit(values, fe),
    });
    let seq = 0;
    async function prefill() {
      const org = picker.querySelector('select').value;
      const mine = ++seq;
      let p = null;
      let note = '';
      if (org) {
        try {
          const r = await api.get('/api/v1/policies/effective', { kind: k.kind, org_id: org });
          p = r.params;
          note = `已按${r.inherited ? r.org_name : '本组织'}自 ${r.effective_from} 起施行的现行版本预填，请修改需要调整的项。`;
        } catch (e) {
          note =
            e.code === 'no_policy'
              ? '该组织今日没有适用的版本，请逐项填写。'
              : `现行版本加载失败（${e.message}），请逐项填写。`;
        }
      }
      if (mine !== seq) return;
      prefillNote.textContent = note;
      mount(kindBox, INPUTS[k.kind](spec.toForm(p)));
    }
    picker.querySelector('select').addEventListener('change', prefill);
    mount(kindBox, INPUTS[k.kind](spec.toForm(null)));
    if (startOrg) prefill();

    const d = openDialog({
      title: `新增版本：${k.label}`,
      wide: true,
      body: f,
      actions: [
        { text: '取消', value: false },
        { text: '发布…', kind: 'primary', type: 'submit', form: 'policy-form' },
      ],
    });

    async function submit(values, fe) {
      if (!checkRequired(fe)) return;
      let params;
      try {
        params = spec.toParams(values);
      } catch (err) {
        if (err instanceof FieldError) return showAt(fe, err);
        throw err;
      }
      const orgName = picker
        .querySelector('select')
        .selectedOptions[0].textContent.trim()
        .replace(/（[^）]*）$/, '');
      const body = {
        kind: k.kind,
        org_id: Number(values.org_id),
        effective_from: values.effective_from,
        params,
        note: values.note,
      };
      const btn = d.footer.querySelector('[type=submit]');
      const fail = (err) => {
        clearErrors(fe);
        const top = ['kind', 'org_id', 'effective_from', 'note', 'params'];
        showAt(fe, err.field && top.includes(err.field) ? err : explainError(k.kind, err, params));
      };
      // Everything the server would refuse is found before the confirmation.
      let preview;
      busy(btn, true, '检查中…');
      try {
        preview = await api.post('/api/v1/policies/check', body);
      } catch (err) {
        return fail(err);
      } finally {
        busy(btn, false);
      }
      if (!(await confirmPublish(k, orgName, values.effective_from, params, preview.replaces))) return;
      busy(btn, true, '发布中…');
      try {
        await api.post('/api/v1/policies', body);
        d.close(true);
        toast(`${k.label}新版本已发布，自 ${values.effective_from} 起生效`, 'success');
        loadAll();
      } catch (err) {
        fail(err);
      } finally {
        busy(btn, false);
      }
    }
  }

  // The confirmation: what will be published, for whom, from when, and
  // what it takes over from.
  async function confirmPublish(k, orgName, from, params, replaces) {
    const t = today();
    const when =
      from > t
        ? `自 ${from} 起对${orgName}及其下级工会生效（下级工会另行设置的除外）；在此之前仍按原有版本执行。`
        : from === t
          ? `自今天（${from}）起对${orgName}及其下级工会生效（下级工会另行设置的除外）。`
          : `生效日期 ${from} 早于今天：自该日起对${orgName}及其下级工会适用。已经办理的业务不会重算，此后按日期查找政策的业务（如补录该日以后的缴费、补报的申请）将适用此版本。`;
    const d = openDialog({
      title: '确认发布',
      wide: true,
      body: h(
        'div',
        { class: 'pol-confirm' },
        h('p', { class: 'confirm-text' }, `发布“${k.label}”新版本：`),
        h('p', { class: ['pol-when', from < t && 'is-past'] }, when),
        h(
          'div',
          { class: 'pol-compare' },
          h(
            'div',
            { class: 'pol-side is-new' },
            h('div', { class: 'pol-side-title' }, `新版本（${from} 起）`),
            summaryView(k.kind, params),
          ),
          replaces
            ? h(
                'div',
                { class: 'pol-side' },
                h(
                  'div',
                  { class: 'pol-side-title' },
                  `取代：${replaces.inherited ? replaces.org_name : '本组织'}自 ${replaces.effective_from} 起施行的版本`,
                ),
                summaryView(k.kind, replaces.params),
              )
            : h('div', { class: 'pol-side' }, h('div', { class: 'pol-side-title' }, '此前没有适用的版本')),
        ),
        h('p', { class: 'muted' }, '政策版本发布后不能修改；如需调整，请再发布一个新版本。'),
      ),
      actions: [
        { text: '返回修改', value: false },
        { text: '确认发布', kind: 'primary', value: true },
      ],
    });
    d.footer.querySelector('button').focus();
    return (await d.closed) === true;
  }

  loadAll();
  return h(
    'div',
    pageHeader({
      title: '政策参数',
      desc: '按生效日期分版本的政策参数。组织的设置对其下级工会生效，下级可另行设置；已发布的版本不能修改，调整时发布新版本。',
    }),
    h(
      'div',
      { class: 'panel pol-filter' },
      viewOrg,
      h('div', { class: 'pol-scope' }, h('span', { class: 'field-label' }, '版本范围'), scope),
    ),
    h('div', { class: 'pol-panels' }, content),
  );
}
