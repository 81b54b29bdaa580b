// lottery-campaigns.js — 消费券抽取活动 in the console (#/lottery): the
// campaigns of the user's organisation and below, by phase; officers with the
// retreat duty publish a new one (新建活动): rules, the sign-up window, the
// public randomness sources (named lottery draws on dates after sign-up
// closes) and the providers where vouchers are usable — all fixed once
// published, which is what makes the draw trustworthy.
import { h, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { href } from '../../lib/router.js';
import { fmtTime, today, yuanToFen } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { field, formDialog, fieldError } from '../../lib/form.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { toast, pageHeader } from '../../lib/ui.js';
import { PHASES, PROVIDER_KINDS, phaseTag, yuan, ensureCss } from '../../lib/lottery.js';

export default function lotteryCampaignsPage(ctx) {
  ensureCss();
  const me = currentUser();
  const canCreate = hasDuty(me, 'retreat');
  const table = createTable({
    caption: '抽取活动',
    search: [
      { name: 'q', label: '活动名称', maxlength: 50 },
      { name: 'phase', label: '阶段', type: 'select', empty: '全部', options: Object.entries(PHASES) },
    ],
    toolbar: canCreate
      ? [
          h(
            'button',
            { type: 'button', class: 'btn btn-primary', onclick: () => createDialog(table) },
            icon('plus', 16),
            '新建活动',
          ),
        ]
      : null,
    onRowClick: (c) => ctx.router.navigate(`/lottery/${c.id}`),
    columns: [
      { key: 'title', title: '活动', render: (c) => h('a', { href: href('/lottery/{id}', { id: c.id }) }, c.title) },
      { key: 'org_name', title: '发放工会' },
      { key: 'phase', title: '阶段', nowrap: true, render: (c) => phaseTag(c.phase) },
      {
        key: 'face_value_fen',
        title: '面值 × 数量',
        nowrap: true,
        render: (c) => `${yuan(c.face_value_fen)} × ${c.voucher_count}`,
      },
      { key: 'entrants', title: '报名', align: 'right', nowrap: true },
      { key: 'winners', title: '中签', align: 'right', nowrap: true },
      { key: 'signup_closes_at', title: '报名截止', nowrap: true, render: (c) => fmtTime(c.signup_closes_at) },
    ],
    empty: '还没有抽取活动',
    fetch: (p, signal) => api.get('/api/v1/lottery/campaigns', { ...p, org_id: me.org ? me.org.id : '' }, { signal }),
  });
  return h(
    'div',
    pageHeader({
      title: '消费券抽取',
      desc: '公开、可核验的消费券抽取：规则和随机源在报名前公布，抽取按 RFC 3797 进行，任何人都能复核。',
      actions: [h('a', { class: 'btn', href: '/lottery/', target: '_blank', rel: 'noopener' }, '公开页面')],
    }),
    table.el,
  );
}

// datetime-local "2026-12-01T18:00" (China time) → RFC 3339.
function cnTime(v) {
  return v ? `${v}:00+08:00` : '';
}

// Now in China time as a datetime-local value ('2026-12-01T09:30').
function nowCn() {
  return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 16);
}

function addDays(day, n) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);
}

function sourceRow(i, s = {}) {
  const row = h(
    'div',
    {
      class: 'form-grid',
      dataset: { source: String(i) },
      style: { borderTop: '1px dashed #e4e6eb', paddingTop: '8px' },
    },
    field({
      name: `src_name_${i}`,
      label: `随机源 ${i + 1} 名称`,
      required: true,
      maxlength: 100,
      value: s.name,
      hint: '如：中国福利彩票双色球第2026150期开奖号码',
    }),
    field({
      name: `src_date_${i}`,
      label: '开奖日期',
      type: 'date',
      required: true,
      value: s.draw_date,
      hint: '须在报名截止日之后',
    }),
    field({
      name: `src_count_${i}`,
      label: '号码个数',
      type: 'number',
      value: s.value_count,
      hint: '填了则录入时核对个数',
    }),
    field({ name: `src_note_${i}`, label: '说明', maxlength: 200, value: s.note }),
  );
  return row;
}

async function createDialog(table) {
  const me = currentUser();
  let providers;
  try {
    providers = (await api.get('/api/v1/providers', { admitted: 1, per_page: 100 })).items;
  } catch (e) {
    toast(`服务机构列表加载失败：${e.message}`, 'error');
    return;
  }
  const t = today();
  const sources = h('div', { class: 'field-wide' });
  let n = 0;
  const addSource = (s) => sources.append(sourceRow(n++, s));
  addSource({
    name: '中国福利彩票双色球开奖号码（报名截止后第一期）',
    draw_date: addDays(t, 16),
    value_count: 7,
    note: '6 个红球和 1 个蓝球',
  });
  formDialog({
    title: '新建消费券抽取活动',
    wide: true,
    intro: h(
      'p',
      { class: 'notice' },
      '发布后，规则、报名时间和随机源都不能再改（只能修改名称和说明），以保证抽取公正。',
    ),
    submitText: '发布',
    busyText: '发布中…',
    focus: 'title',
    fields: [
      {
        name: 'title',
        label: '活动名称',
        required: true,
        maxlength: 100,
        wide: true,
        placeholder: '如：2026年职工疗休养消费券（第二期）',
      },
      orgPicker({ label: '发放工会', required: true, value: me.org }),
      { name: 'face', label: '面值（元）', required: true, inputmode: 'decimal', value: '200' },
      { name: 'voucher_count', label: '发放数量（张）', type: 'number', required: true, value: '100' },
      { name: 'valid_from', label: '有效期起', type: 'date', required: true, value: addDays(t, 20) },
      { name: 'valid_to', label: '有效期止', type: 'date', required: true, value: addDays(t, 110) },
      orgPicker({ name: 'elig_org_id', label: '参与范围（该组织及下级的在会会员）', empty: '同发放工会' }),
      { name: 'flags', label: '参与条件', type: 'checkboxes', options: [['frontline_only', '仅限一线职工']] },
      { name: 'signup_opens_at', label: '报名开始', type: 'datetime-local', required: true, value: nowCn() },
      {
        name: 'signup_closes_at',
        label: '报名截止',
        type: 'datetime-local',
        required: true,
        value: `${addDays(t, 14)}T18:00`,
      },
      { name: 'description', label: '活动说明', type: 'textarea', maxlength: 2000, wide: true },
      h('div', { class: 'form-section-title field-wide' }, '公开随机源（报名截止后开奖，发布后不能修改）'),
      h(
        'p',
        { class: 'muted small field-wide' },
        '开奖日期须晚于报名截止日（最早为截止日的次日）。最早的开奖日之前可以公开说明原因取消活动；从那天起不能取消，开奖号码录入有误只能公开更正。',
      ),
      sources,
      h(
        'div',
        { class: 'field-wide' },
        h(
          'button',
          { type: 'button', class: 'btn btn-sm', onclick: () => addSource() },
          icon('plus', 14),
          '增加随机源',
        ),
      ),
      {
        name: 'provider_ids',
        label: '适用服务机构',
        type: 'checkboxes',
        wide: true,
        options: providers.map((p) => [String(p.id), `${p.name}（${PROVIDER_KINDS[p.kind] || p.kind}）`]),
      },
    ],
    submit: (v) => {
      const fen = yuanToFen(v.face);
      if (!fen) throw fieldError('face', '面值应为大于 0 的金额，最多两位小数');
      const srcs = [];
      for (const row of sources.querySelectorAll('[data-source]')) {
        const i = row.dataset.source;
        const s = { name: v[`src_name_${i}`], draw_date: v[`src_date_${i}`] };
        if (v[`src_count_${i}`]) s.value_count = Number(v[`src_count_${i}`]);
        if (v[`src_note_${i}`]) s.note = v[`src_note_${i}`];
        srcs.push(s);
      }
      const body = {
        title: v.title,
        description: v.description || null,
        org_id: Number(v.org_id),
        face_value_fen: fen,
        voucher_count: Number(v.voucher_count),
        valid_from: v.valid_from,
        valid_to: v.valid_to,
        frontline_only: (v.flags || []).includes('frontline_only'),
        signup_opens_at: cnTime(v.signup_opens_at),
        signup_closes_at: cnTime(v.signup_closes_at),
        sources: srcs,
        provider_ids: (v.provider_ids || []).map(Number),
      };
      if (v.elig_org_id) body.elig_org_id = Number(v.elig_org_id);
      return api.post('/api/v1/lottery/campaigns', body);
    },
    aliases: (e) => {
      // sources[2].draw_date → the third source row's date field
      const m = /^sources\[(\d+)\]\.(\w+)$/.exec(e.field || '');
      const row = m ? sources.querySelectorAll('[data-source]')[Number(m[1])] : null;
      const part = m ? { name: 'name', draw_date: 'date', value_count: 'count', note: 'note' }[m[2]] : null;
      const aliases = { face_value_fen: 'face', frontline_only: 'flags' };
      if (row && part) aliases[e.field] = `src_${part}_${row.dataset.source}`;
      return aliases;
    },
    success: (c) => `已发布“${c.title}”`,
    after: () => table.reload(),
  });
}
