// member-aid.js — a member's hardship and mutual-aid page (/m/aid.html, phone
// first): 我的困难职工档案 (status, category, yearly review, the figures of the
// household), 申请救助 for the open file (金秋助学 picks a child of the file),
// 我的救助 with their status, and 职工医疗互助: the plans the member may join,
// 申请互助金 with the amount calculated line by line as the figures are
// typed, and 我的互助金 with each calculation.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { privatePage } from '../../lib/shell.js';
import { form, showError, checkRequired, readForm } from '../../lib/form.js';
import { label, options, fmtYuan, yuanToFen, today } from '../../lib/format.js';
import { busy, toast, tag } from '../../lib/ui.js';
import {
  CATEGORIES,
  CATEGORY_TONE,
  FILE_STATUS,
  FILE_STATUS_TONE,
  CAUSES,
  AID_KINDS,
  AID_SCHOOL,
  GRANT_STATUS,
  GRANT_STATUS_TONE,
  CLAIM_STATUS,
  CLAIM_STATUS_TONE,
  SCHOOL_LEVELS,
  calcTable,
  yuan,
} from '../../lib/hardship-labels.js';

const app = document.getElementById('m-app');

boot();

async function boot() {
  if (await privatePage({ home: '/m/', app, head: document.getElementById('m-head-actions') })) render();
}

const section = (id, title, ...kids) =>
  h(
    'section',
    { class: 'panel', id, 'aria-labelledby': `${id}-t` },
    h('h2', { class: 'panel-title', id: `${id}-t` }, title),
    kids,
  );
const row = (k, v) => h('div', h('dt', k), h('dd', v === null || v === undefined || v === '' ? '—' : v));

async function render() {
  document.title = '帮扶与互助 - 工会服务平台';
  const fileBox = h('div', h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'));
  const grantsBox = h('div');
  const plansBox = h('div');
  const claimsBox = h('div');
  mount(
    app,
    h('a', { class: 'back-link', href: '/m/' }, icon('arrowLeft', 16), '我的会员服务'),
    h(
      'div',
      { class: 'm-hello' },
      h('h1', '帮扶与互助'),
      h('p', { class: 'muted' }, '困难职工档案、帮扶救助申请与职工医疗互助'),
    ),
    section('m-file', '我的困难职工档案', fileBox),
    section('m-grants', '我的帮扶救助', grantsBox),
    section('m-mutual', '职工医疗互助', plansBox),
    section('m-claims', '我的互助金', claimsBox),
  );
  loadFile(fileBox, grantsBox);
  loadMutual(plansBox, claimsBox);
}

async function loadFile(box, grantsBox) {
  let f = null;
  try {
    f = await api.get('/api/v1/hardship/me');
  } catch (e) {
    if (e.status !== 404) return mount(box, h('div', { class: 'state state-error' }, e.message));
  }
  if (!f) {
    mount(box, h('p', { class: 'muted' }, '您没有困难职工档案。家庭生活困难时，请向所在工会申请建档。'));
    mount(grantsBox, h('p', { class: 'muted' }, '建档后可在这里申请帮扶救助。'));
    return;
  }
  const a = f.assessment || {};
  mount(
    box,
    h(
      'div',
      { class: 'detail-tags' },
      tag(label(FILE_STATUS, f.status), FILE_STATUS_TONE[f.status]),
      f.category ? tag(label(CATEGORIES, f.category), CATEGORY_TONE[f.category]) : null,
    ),
    h(
      'dl',
      { class: 'kv kv-1 m-hs-card' },
      row('所属工会', f.org_name),
      row('主要致困原因', label(CAUSES, f.main_cause)),
      row('家庭人口', `${f.household_size} 人`),
      row('人均月收入', a.per_capita_fen !== undefined ? yuan(a.per_capita_fen) : ''),
      row('扣除刚性支出后', a.adjusted_per_capita_fen !== undefined ? `${yuan(a.adjusted_per_capita_fen)}/人` : ''),
      row('复核到期', f.review_due),
      f.closed_on ? row('撤档日期', f.closed_on) : null,
    ),
    h('p', { class: 'panel-note' }, '档案信息加密保存，每次查看都有记录。信息有变化请告知所在工会。'),
  );
  loadGrants(grantsBox, f);
}

async function loadGrants(box, f) {
  const list = h('div');
  const refresh = async () => {
    const g = await api.get('/api/v1/aid/grants', { per_page: 50 });
    mount(
      list,
      g.items.length
        ? h(
            'ul',
            { class: 'm-list' },
            g.items.map((x) =>
              h(
                'li',
                h('div', h('strong', label(AID_KINDS, x.kind)), ` ${yuan(x.amount_fen)}`),
                h(
                  'div',
                  { class: 'muted' },
                  `${x.applied_on} 申请 · `,
                  tag(label(GRANT_STATUS, x.status), GRANT_STATUS_TONE[x.status]),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, '还没有救助申请。'),
    );
  };
  mount(
    box,
    list,
    f.status === 'open'
      ? applyForm(f, refresh)
      : h(
          'p',
          { class: 'muted' },
          f.status === 'pending' ? '档案待上级工会审核确认，确认后可申请救助。' : '档案已撤档，不能再申请救助。',
        ),
  );
  refresh();
}

function applyForm(f, done) {
  const children = ((f.record && f.record.family) || []).map((m, i) => [m, i]).filter(([m]) => m.relation === 'child');
  const fe = form({
    id: 'm-aid-apply',
    className: 'form-grid form-1',
    fields: [
      h('h3', { class: 'mstats-title' }, '申请救助'),
      { name: 'kind', label: '救助项目', type: 'select', required: true, options: options(AID_KINDS) },
      {
        name: 'child_index',
        label: '就学子女（金秋助学）',
        type: 'select',
        empty: '—',
        options: children.map(([m, i]) => [String(i), `${m.name}（${label(SCHOOL_LEVELS, m.school_level) || ''}）`]),
      },
      { name: 'school_level', label: '学段（金秋助学）', type: 'select', empty: '—', options: options(AID_SCHOOL) },
      { name: 'amount', label: '申请金额（元，有标准的可不填）', inputmode: 'decimal', maxlength: 14 },
      { name: 'reason', label: '申请理由', type: 'textarea', required: true, maxlength: 500 },
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '提交申请')),
    ],
    onSubmit: async (v, node) => {
      if (!checkRequired(node)) return;
      const b = { file_id: f.id, kind: v.kind, reason: v.reason };
      if (v.child_index) b.child_index = Number(v.child_index);
      if (v.school_level) b.school_level = v.school_level;
      if (v.amount) b.amount_fen = yuanToFen(v.amount);
      const btn = node.querySelector('[type=submit]');
      busy(btn, true, '提交中…');
      try {
        const g = await api.post('/api/v1/aid/grants', b);
        toast(`已提交申请：${label(AID_KINDS, g.kind)} ${fmtYuan(g.amount_fen)} 元`, 'success');
        node.reset();
        done();
      } catch (e) {
        showError(node, e, { amount_fen: 'amount' });
      } finally {
        busy(btn, false);
      }
    },
  });
  return fe;
}

async function loadMutual(plansBox, claimsBox) {
  let plans = [];
  let claims = [];
  const refresh = async () => {
    [plans, claims] = await Promise.all([
      api.get('/api/v1/mutual-aid/plans', { per_page: 20 }).then((r) => r.items),
      api.get('/api/v1/mutual-aid/claims', { per_page: 50 }).then((r) => r.items),
    ]);
    const mine = await Promise.all(
      plans.map((p) => api.get(`/api/v1/mutual-aid/plans/${p.id}/enrolments`).then((r) => r.items[0] || null)),
    );
    const d = today();
    mount(
      plansBox,
      plans.length
        ? h(
            'ul',
            { class: 'm-list' },
            plans.map((p, i) =>
              h(
                'li',
                h('div', h('strong', p.name), ` 每人 ${yuan(p.contribution_fen)}`),
                h('div', { class: 'muted' }, `保障期 ${p.cover_from} 至 ${p.cover_to}`),
                mine[i]
                  ? h('div', tag('已参加', 'green'), ` 本年已获互助金 ${yuan(mine[i].paid_fen)}`)
                  : d >= p.enroll_from && d <= p.enroll_to
                    ? h(
                        'button',
                        {
                          type: 'button',
                          class: 'btn btn-sm btn-primary',
                          onclick: (ev) => enrol(p, ev.currentTarget),
                        },
                        '我要参加',
                      )
                    : h('span', { class: 'muted' }, '不在参加期内'),
              ),
            ),
          )
        : h('p', { class: 'muted' }, '暂无可参加的医疗互助计划。'),
    );
    const joined = plans.filter((p, i) => mine[i]);
    mount(
      claimsBox,
      claims.length
        ? h(
            'ul',
            { class: 'm-list' },
            claims.map((c) =>
              h(
                'li',
                h('div', h('strong', c.hospital), ` ${c.admission_date} 入院`),
                h(
                  'div',
                  '互助金 ',
                  h('strong', { class: 'ma-payable' }, yuan(c.payable_fen)),
                  ' ',
                  tag(label(CLAIM_STATUS, c.status), CLAIM_STATUS_TONE[c.status]),
                ),
                h(
                  'button',
                  { type: 'button', class: 'btn btn-sm btn-text', onclick: (ev) => showCalc(c.id, ev.currentTarget) },
                  '查看计算过程',
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, '还没有互助金申请。'),
      joined.length ? claimForm(joined, refresh) : null,
    );
  };
  async function enrol(p, btn) {
    busy(btn, true, '办理中…');
    try {
      await api.post(`/api/v1/mutual-aid/plans/${p.id}/enrolments`, {});
      toast('已参加职工医疗互助', 'success');
      refresh();
    } catch (e) {
      toast(e.message, 'error');
      busy(btn, false);
    }
  }
  async function showCalc(id, btn) {
    const c = await api.get(`/api/v1/mutual-aid/claims/${id}`);
    btn.replaceWith(calcTable(c.calculation));
  }
  refresh().catch((e) => mount(plansBox, h('div', { class: 'state state-error' }, e.message)));
}

function claimForm(plans, done) {
  const calcBox = h('div', { 'aria-live': 'polite' });
  const money = (name, text, required) => ({
    name,
    label: `${text}（元）`,
    required,
    inputmode: 'decimal',
    maxlength: 14,
  });
  const fe = form({
    id: 'm-claim',
    className: 'form-grid form-1',
    fields: [
      h('h3', { class: 'mstats-title' }, '申请互助金'),
      {
        name: 'plan_id',
        label: '互助计划',
        type: 'select',
        required: true,
        options: plans.map((p) => [String(p.id), p.name]),
      },
      { name: 'admission_date', label: '入院日期', type: 'date', required: true, value: today() },
      { name: 'discharge_date', label: '出院日期', type: 'date', required: true, value: today() },
      { name: 'hospital', label: '医院', required: true, maxlength: 100 },
      { name: 'diagnosis', label: '诊断', maxlength: 200 },
      money('total_cost', '医疗总费用', true),
      money('basic_insurance', '基本医保支付', true),
      money('other_insurance', '其他保险支付'),
      money('out_of_scope', '目录外费用'),
      calcBox,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '提交申请')),
    ],
    onSubmit: async (v, node) => {
      if (!checkRequired(node)) return;
      const btn = node.querySelector('[type=submit]');
      busy(btn, true, '提交中…');
      try {
        const c = await api.post('/api/v1/mutual-aid/claims', {
          ...figures(v),
          discharge_date: v.discharge_date,
          hospital: v.hospital,
          diagnosis: v.diagnosis || null,
        });
        toast(`已提交，互助金 ${fmtYuan(c.payable_fen)} 元，待工会审核`, 'success');
        done();
      } catch (e) {
        showError(node, e, {
          total_cost_fen: 'total_cost',
          basic_insurance_fen: 'basic_insurance',
          other_insurance_fen: 'other_insurance',
          out_of_scope_fen: 'out_of_scope',
        });
      } finally {
        busy(btn, false);
      }
    },
  });
  function figures(v) {
    const fen = (x) => (x ? yuanToFen(x) : 0);
    return {
      plan_id: Number(v.plan_id),
      admission_date: v.admission_date,
      total_cost_fen: fen(v.total_cost),
      basic_insurance_fen: fen(v.basic_insurance),
      other_insurance_fen: fen(v.other_insurance),
      out_of_scope_fen: fen(v.out_of_scope),
    };
  }
  let timer = null;
  fe.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const v = readForm(fe);
      if (!v.total_cost || !v.basic_insurance) return;
      try {
        const r = await api.post('/api/v1/mutual-aid/calculate', figures(v));
        mount(calcBox, h('p', '预计互助金：', h('strong', { class: 'ma-payable' }, yuan(r.payable_fen))), calcTable(r));
      } catch (e) {
        mount(calcBox, h('p', { class: 'text-bad' }, e.message));
      }
    }, 350);
  });
  return fe;
}
