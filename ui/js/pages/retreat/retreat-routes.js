// retreat-routes.js — 线路管理: the recuperation routes offered in the
// officer's scope (drafts, published, withdrawn), and the route editor used
// here and on the route's own page: title, destination, days with the
// itinerary day by day, full price and union subsidy (the member price is
// shown as the server will derive it, never typed), themes, inclusions,
// providers, who may book (orgs, also across provinces under an agreement;
// membership length; frontline only) and the confirmation mode.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { href } from '../../lib/router.js';
import { label, options, fenToInput, yuanToFen } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { field, showError, clearErrors, checkRequired } from '../../lib/form.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { openDialog, toast, busy, tag, pageHeader } from '../../lib/ui.js';
import { PROVIDER_KINDS, ROUTE_STATUS, ROUTE_STATUS_TONE, yuan, ensureRetreatCss } from '../../lib/retreat.js';

export default function routesPage(ctx) {
  ensureRetreatCss();
  const me = currentUser();
  const canEdit = hasDuty(me, 'retreat');
  const table = createTable({
    caption: '疗休养线路',
    search: [
      { name: 'q', label: '关键词', placeholder: '线路名称、目的地或编号', maxlength: 50 },
      { name: 'status', label: '状态', type: 'select', empty: '全部', options: options(ROUTE_STATUS) },
      orgPicker({ label: '主办工会', empty: '全部' }),
    ],
    toolbar: [
      h('a', { class: 'btn', href: '/retreat/', target: '_blank', rel: 'noopener' }, '公开目录'),
      canEdit ? h('a', { class: 'btn', href: '#/retreat/routes/import' }, icon('upload', 16), '导入线路') : null,
      canEdit
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn btn-primary',
              onclick: () => routeEditor({ onSaved: (r) => ctx.router.navigate(`/retreat/routes/${r.id}`) }),
            },
            icon('plus', 16),
            '新建线路',
          )
        : null,
    ],
    onRowClick: (r) => ctx.router.navigate(`/retreat/routes/${r.id}`),
    columns: [
      {
        key: 'title',
        title: '线路名称',
        render: (r) => h('a', { href: href('/retreat/routes/{id}', { id: r.id }) }, r.title),
      },
      { key: 'destination', title: '目的地', nowrap: true, render: (r) => `${r.destination} · ${r.days}天` },
      { key: 'org_name', title: '主办工会' },
      {
        key: 'price_fen',
        title: '全价 / 补助 / 会员价',
        nowrap: true,
        render: (r) => `${yuan(r.price_fen)} / ${yuan(r.subsidy_fen)} / ${yuan(r.member_price_fen)}`,
      },
      { key: 'departures', title: '批次', align: 'right', nowrap: true },
      {
        key: 'pending',
        title: '待确认',
        align: 'right',
        nowrap: true,
        render: (r) => (r.pending ? tag(String(r.pending), 'blue') : '0'),
      },
      {
        key: 'status',
        title: '状态',
        nowrap: true,
        render: (r) => [
          tag(label(ROUTE_STATUS, r.status), ROUTE_STATUS_TONE[r.status]),
          r.status === 'published' && !r.listed ? tag('未展示', 'orange') : null,
        ],
      },
    ],
    empty: '还没有线路',
    fetch: (p, signal) => api.get('/api/v1/retreat/admin/routes', p, { signal }),
  });
  return h(
    'div',
    pageHeader({ title: '线路管理', desc: '本级及下级工会主办的疗休养线路；会员价 = 全价 − 工会补助，由系统计算' }),
    table.el,
  );
}

const splitList = (s) =>
  (s || '')
    .split(/[、，,；;\n|]/)
    .map((x) => x.trim())
    .filter(Boolean);

// The route editor: route = null to create; onSaved(route) after saving.
export function routeEditor({ route = null, onSaved }) {
  ensureRetreatCss();
  const me = currentUser();
  const r = route || {};
  const el = r.eligibility || {};
  const err = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const f = h('form', { id: 'route-form', class: 'form-grid', novalidate: true }, err);
  const add = (...nodes) => f.append(...nodes.filter(Boolean));

  add(
    field({ name: 'title', label: '线路名称', required: true, maxlength: 60, value: r.title, wide: true }),
    route
      ? null
      : orgPicker({ label: '主办工会', required: true, value: me.org, hint: '发放补助、管理出发批次的工会' }),
    field({ name: 'code', label: '线路编号', maxlength: 32, value: r.code, hint: '可选，字母、数字、- 或 _' }),
    field({ name: 'destination', label: '目的地', required: true, maxlength: 40, value: r.destination }),
    field({
      name: 'region_code',
      label: '行政区划代码',
      required: true,
      maxlength: 6,
      inputmode: 'numeric',
      value: r.region_code,
      hint: '目的地所在区县，6 位',
    }),
    field({
      name: 'price',
      label: '线路全价（元/人）',
      required: true,
      inputmode: 'decimal',
      value: fenToInput(r.price_fen),
    }),
    field({
      name: 'subsidy',
      label: '工会补助（元/人）',
      required: true,
      inputmode: 'decimal',
      value: fenToInput(r.subsidy_fen),
    }),
  );
  const preview = h(
    'div',
    { class: 'field field-wide' },
    h('span', { class: 'field-label' }, '会员价'),
    h('div', { class: 'rt-price-member', 'aria-live': 'polite' }),
  );
  add(preview);
  function updatePreview() {
    const p = yuanToFen(f.elements.price.value);
    const s = yuanToFen(f.elements.subsidy.value);
    preview.lastChild.textContent =
      p !== null && s !== null ? (s > p ? '补助不能高于全价' : `${yuan(p - s)}（由系统按 全价 − 补助 计算）`) : '—';
  }
  f.addEventListener('input', (ev) => {
    if (ev.target.name === 'price' || ev.target.name === 'subsidy') updatePreview();
  });

  add(
    field({
      name: 'themes',
      label: '主题',
      maxlength: 100,
      value: (r.themes || []).join('、'),
      hint: '用“、”分隔，如：红色、研学',
      wide: true,
    }),
    field({ name: 'summary', label: '线路简介', type: 'textarea', maxlength: 500, value: r.summary, wide: true }),
    field({
      name: 'inclusions',
      label: '费用包含',
      type: 'textarea',
      rows: 3,
      value: (r.inclusions || []).join('\n'),
      hint: '每行一项，如：住宿、餐饮、门票',
      wide: true,
    }),
  );

  // Itinerary: one row per day, redrawn when the number of days changes.
  const days = field({ name: 'days', label: '天数', type: 'number', required: true, value: r.days || 3 });
  days.querySelector('input').min = 1;
  days.querySelector('input').max = 30;
  const itin = h(
    'div',
    { class: 'field field-wide', dataset: { field: 'itinerary' } },
    h('span', { class: 'field-label' }, '行程安排（逐日）'),
    h('div'),
    h('div', { class: 'field-error', 'aria-live': 'polite' }),
  );
  const itinRows = itin.children[1];
  const itinerary = (r.itinerary || []).map((d) => ({ ...d }));
  function drawItinerary() {
    const n = Math.max(1, Math.min(30, Number(f.elements.days.value) || 1));
    // Remember what was typed, also for days that a shorter count hides
    // for a moment (typing "12" passes through "1").
    [...itinRows.querySelectorAll('.rt-itin-row')].forEach((row, i) => {
      itinerary[i] = {
        day: i + 1,
        title: row.querySelector('input').value,
        detail: row.querySelector('textarea').value,
      };
    });
    mount(
      itinRows,
      Array.from({ length: n }, (_, i) =>
        h(
          'div',
          { class: 'rt-itin-row' },
          h('div', { class: 'rt-itin-day' }, `第 ${i + 1} 天`),
          h(
            'div',
            { class: 'rt-itin-fields' },
            h('input', {
              type: 'text',
              maxlength: 40,
              placeholder: '当日安排（必填）',
              'aria-label': `第 ${i + 1} 天安排`,
              value: (itinerary[i] && itinerary[i].title) || '',
            }),
            h('textarea', {
              rows: 2,
              maxlength: 500,
              placeholder: '详细说明（可选）',
              'aria-label': `第 ${i + 1} 天说明`,
              value: (itinerary[i] && itinerary[i].detail) || '',
            }),
          ),
        ),
      ),
    );
  }
  // Redrawn as the number is typed, so leaving the field never replaces the
  // row the user is clicking into.
  days.querySelector('input').addEventListener('input', drawItinerary);
  add(days, itin);
  drawItinerary();

  // Providers: any admitted one (they are public), as checkboxes.
  const provBox = h(
    'div',
    { class: 'rt-picks', role: 'group', 'aria-label': '服务机构' },
    h('span', { class: 'muted' }, '加载中…'),
  );
  add(
    h(
      'div',
      { class: 'field field-wide is-required', dataset: { field: 'provider_ids' } },
      h('span', { class: 'field-label' }, '服务机构'),
      provBox,
      h('div', { class: 'field-hint' }, '已准入的机构；暂停或未准入机构的线路不会对外展示'),
      h('div', { class: 'field-error', 'aria-live': 'polite' }),
    ),
  );
  const chosen = new Set((r.providers || []).map((p) => p.id));
  api
    .get('/api/v1/providers', { admitted: 1, per_page: 100 })
    .then((list) => {
      const items = list.items.slice();
      for (const p of r.providers || [])
        if (!items.some((x) => x.id === p.id)) items.unshift({ ...p, status: p.status || 'suspended' });
      mount(
        provBox,
        items.map((p) =>
          h(
            'label',
            { class: 'check' },
            h('input', { type: 'checkbox', name: 'provider_ids', value: p.id, checked: chosen.has(p.id) }),
            `${p.name}（${label(PROVIDER_KINDS, p.kind)}）`,
          ),
        ),
      );
    })
    .catch((e) => mount(provBox, h('span', { class: 'muted' }, `加载失败：${e.message}`)));

  // Who may book: orgs from the public directory (other provinces need an agreement).
  // The server lists the offering union alone when no orgs were named: that is the default, not a choice.
  const named = (el.orgs || []).filter((o) => !(el.orgs.length === 1 && o.id === r.org_id));
  const orgs = new Map(named.map((o) => [o.id, o.name]));
  const orgChips = h('div', { class: 'rt-orgs' });
  const orgSearch = h('input', {
    type: 'search',
    placeholder: '输入工会名称查找',
    'aria-label': '查找可预订的工会',
    maxlength: 60,
  });
  const orgResults = h('select', { 'aria-label': '查找结果' }, h('option', { value: '' }, '先输入名称查找'));
  const orgAdd = h('button', { type: 'button', class: 'btn' }, '添加');
  function drawOrgs() {
    mount(
      orgChips,
      orgs.size
        ? [...orgs].map(([id, name]) =>
            h(
              'span',
              { class: 'tag tag-blue' },
              name,
              h(
                'button',
                { type: 'button', 'aria-label': `移除${name}`, onclick: () => (orgs.delete(id), drawOrgs()) },
                '×',
              ),
            ),
          )
        : h('span', { class: 'muted' }, '未指定：主办工会及其下级工会的会员均可预订'),
    );
  }
  let timer;
  orgSearch.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = orgSearch.value.trim();
      if (!q) return;
      try {
        const list = await api.get('/api/v1/directory/orgs', { q, per_page: 30 });
        mount(
          orgResults,
          list.items.length
            ? list.items.map((o) =>
                h('option', { value: o.id }, o.parent_name ? `${o.name}（${o.parent_name}）` : o.name),
              )
            : h('option', { value: '' }, '没有匹配的工会'),
        );
      } catch {
        /* keep the old list */
      }
    }, 300);
  });
  orgSearch.addEventListener('keydown', (ev) => ev.key === 'Enter' && ev.preventDefault());
  orgAdd.addEventListener('click', () => {
    const o = orgResults.selectedOptions[0];
    if (!o || !o.value) return;
    orgs.set(Number(o.value), o.textContent);
    drawOrgs();
  });
  drawOrgs();
  add(
    h(
      'div',
      { class: 'field field-wide', dataset: { field: 'eligible_org_ids' } },
      h('span', { class: 'field-label' }, '可预订的工会'),
      h('div', { class: 'org-picker-row' }, orgSearch, orgResults, orgAdd),
      orgChips,
      h('div', { class: 'field-hint' }, '管辖范围外（如外省）的工会须与主办工会签有有效的跨区域合作协议'),
      h('div', { class: 'field-error', 'aria-live': 'polite' }),
    ),
    field({ name: 'min_member_years', label: '入会年限要求（年）', type: 'number', value: el.min_member_years || 0 }),
    field({
      name: 'confirm_mode',
      label: '确认方式',
      type: 'select',
      options: [
        ['', '按预订规则（政策参数）'],
        ['union', '所在工会确认'],
        ['instant', '报名即确认'],
      ],
      value: r.confirm_mode || '',
    }),
    field({
      name: 'flags',
      label: '人员范围',
      type: 'checkboxes',
      options: [['frontline_only', '仅限一线职工']],
      value: el.frontline_only ? ['frontline_only'] : [],
      wide: true,
    }),
  );
  updatePreview();

  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(f);
    if (!checkRequired(f)) return;
    const price = yuanToFen(f.elements.price.value);
    const subsidy = yuanToFen(f.elements.subsidy.value);
    if (price === null) return showError(f, { field: 'price', message: '请填写正确的金额（元，最多两位小数）' });
    if (subsidy === null) return showError(f, { field: 'subsidy', message: '请填写正确的金额（元，最多两位小数）' });
    const itinList = [...itinRows.querySelectorAll('.rt-itin-row')].map((row, i) => {
      const o = { day: i + 1, title: row.querySelector('input').value.trim() };
      const d = row.querySelector('textarea').value.trim();
      if (d) o.detail = d;
      return o;
    });
    const body = {
      title: f.elements.title.value.trim(),
      code: f.elements.code.value.trim() || null,
      destination: f.elements.destination.value.trim(),
      region_code: f.elements.region_code.value.trim(),
      days: Number(f.elements.days.value),
      price_fen: price,
      subsidy_fen: subsidy,
      summary: f.elements.summary.value.trim() || null,
      themes: splitList(f.elements.themes.value),
      inclusions: splitList(f.elements.inclusions.value),
      itinerary: itinList,
      provider_ids: [...f.querySelectorAll('input[name=provider_ids]:checked')].map((c) => Number(c.value)),
      eligible_org_ids: [...orgs.keys()],
      min_member_years: Number(f.elements.min_member_years.value) || 0,
      frontline_only: f.querySelector('input[name=flags]').checked,
      confirm_mode: f.elements.confirm_mode.value || null,
    };
    if (!route) body.org_id = Number(f.elements.org_id.value);
    const btn = d.footer.querySelector('[type=submit]');
    busy(btn, true, '保存中…');
    try {
      const saved = route
        ? await api.patch(`/api/v1/retreat/admin/routes/${route.id}`, body)
        : await api.post('/api/v1/retreat/admin/routes', body);
      d.close(true);
      toast(route ? '线路已保存' : '线路已创建（草稿），添加出发批次后即可发布', 'success');
      if (onSaved) onSaved(saved);
    } catch (e) {
      showError(f, e, { price_fen: 'price', subsidy_fen: 'subsidy' });
    } finally {
      busy(btn, false);
    }
  });

  const d = openDialog({
    title: route ? `编辑线路：${route.title}` : '新建疗休养线路',
    wide: true,
    body: f,
    actions: [
      { text: '取消', value: false },
      { text: '保存', kind: 'primary', type: 'submit', form: 'route-form' },
    ],
  });
  f.elements.title.focus();
  return d;
}
