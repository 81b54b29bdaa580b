// retreat-settings.js — 专题与规则: the recuperation programme's settings in
// one place: curated collections of routes for the public catalogue, the
// cross-region cooperation agreements that let routes open to another
// province's members, and the booking rules (policy "retreat_booking":
// subsidised trips per year, frontline window, cancellation deadline,
// confirmation), published as versions with an effective date.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { label, today } from '../../lib/format.js';
import { formDialog, fieldError } from '../../lib/form.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { simpleTable } from '../../lib/simpletable.js';
import { toast, tag, pageHeader, panel } from '../../lib/ui.js';
import { CONFIRMATION, ensureRetreatCss } from '../../lib/retreat.js';

export default function retreatSettingsPage() {
  ensureRetreatCss();
  const me = currentUser();
  const canEdit = hasDuty(me, 'retreat');
  const cols = h('div', h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'));
  const agrs = h('div');
  const rules = h('div');

  async function loadAll() {
    try {
      const [c, a, p] = await Promise.all([
        api.get('/api/v1/retreat/collections'),
        api.get('/api/v1/retreat/agreements'),
        api.get('/api/v1/policies', { kind: 'retreat_booking' }),
      ]);
      mount(
        cols,
        simpleTable({
          caption: '专题',
          columns: [
            { key: 'title', title: '专题' },
            { key: 'org_name', title: '发布工会' },
            { key: 'routes', title: '线路', render: (x) => x.routes.map((r) => r.title).join('、') },
            {
              key: 'published',
              title: '展示',
              nowrap: true,
              render: (x) => (x.published ? tag('公开', 'green') : tag('不公开', 'gray')),
            },
            {
              key: 'actions',
              title: '操作',
              nowrap: true,
              render: (x) =>
                canEdit
                  ? h('button', { type: 'button', class: 'btn btn-text', onclick: () => editCollection(x) }, '编辑')
                  : null,
            },
          ],
          rows: c.items,
          empty: '还没有专题',
        }),
      );
      mount(
        agrs,
        simpleTable({
          caption: '跨区域合作协议',
          columns: [
            { key: 'title', title: '协议' },
            { key: 'org_name', title: '本方' },
            { key: 'partner_org_name', title: '合作方' },
            {
              key: 'valid_from',
              title: '有效期',
              nowrap: true,
              render: (x) => `${x.valid_from} 至 ${x.valid_to || '长期'}`,
            },
            {
              key: 'state',
              title: '状态',
              nowrap: true,
              render: (x) =>
                x.valid_from <= today() && (!x.valid_to || x.valid_to >= today())
                  ? tag('有效', 'green')
                  : tag('不在有效期', 'gray'),
            },
          ],
          rows: a.items,
          empty: '还没有合作协议',
        }),
      );
      mount(
        rules,
        simpleTable({
          caption: '预订规则版本',
          columns: [
            { key: 'org_name', title: '发布组织' },
            { key: 'effective_from', title: '生效日期', nowrap: true },
            {
              key: 'max',
              title: '每人每年补助',
              nowrap: true,
              render: (x) => `${x.params.max_subsidised_per_year} 次`,
            },
            {
              key: 'window',
              title: '一线优先',
              nowrap: true,
              render: (x) => (x.params.frontline_window_days ? `提前 ${x.params.frontline_window_days} 天` : '无'),
            },
            {
              key: 'cancel',
              title: '取消截止',
              nowrap: true,
              render: (x) => `出发前 ${x.params.cancel_deadline_days} 天`,
            },
            {
              key: 'confirmation',
              title: '确认方式',
              nowrap: true,
              render: (x) => label(CONFIRMATION, x.params.confirmation),
            },
            { key: 'note', title: '说明' },
          ],
          rows: p.items,
          empty: '未发布预订规则：按默认（每年 1 次、无优先期、出发前 3 天截止取消、所在工会确认）',
        }),
      );
    } catch (e) {
      mount(cols, h('div', { class: 'state state-error', role: 'alert' }, `加载失败：${e.message}`));
    }
  }

  async function editCollection(c) {
    let routes;
    try {
      routes = (await api.get('/api/v1/retreat/admin/routes', { status: 'published', per_page: 100 })).items;
    } catch (e) {
      return toast(e.message, 'error');
    }
    const chosen = new Set(c ? c.routes.map((r) => r.id) : []);
    for (const r of c ? c.routes : [])
      if (!routes.some((x) => x.id === r.id)) routes.unshift({ id: r.id, title: r.title });
    const picks = h(
      'div',
      { class: 'rt-picks', role: 'group', 'aria-label': '线路' },
      routes.map((r) =>
        h(
          'label',
          { class: 'check' },
          h('input', { type: 'checkbox', name: 'route_ids', value: r.id, checked: chosen.has(r.id) }),
          r.title,
        ),
      ),
    );
    formDialog({
      title: c ? '编辑专题' : '新建专题',
      wide: true,
      className: 'form-grid form-1',
      fields: [
        {
          name: 'title',
          label: '专题名称',
          required: true,
          maxlength: 40,
          value: c && c.title,
          wide: true,
          placeholder: '如：20 条红色疗休养精品线路',
        },
        {
          name: 'description',
          label: '专题介绍',
          type: 'textarea',
          maxlength: 500,
          value: c && c.description,
          wide: true,
        },
        h(
          'div',
          { class: 'field field-wide', dataset: { field: 'route_ids' } },
          h('span', { class: 'field-label' }, '线路（已发布）'),
          picks,
          h('div', { class: 'field-error' }),
        ),
        {
          name: 'flags',
          label: '展示',
          type: 'checkboxes',
          options: [['published', '在公开目录中展示']],
          value: !c || c.published ? ['published'] : [],
          wide: true,
        },
      ],
      submit: (v) => {
        const body = {
          title: v.title,
          description: v.description || null,
          route_ids: [...picks.querySelectorAll('input:checked')].map((x) => Number(x.value)),
          published: (v.flags || []).includes('published'),
        };
        return c
          ? api.patch(`/api/v1/retreat/collections/${c.id}`, body)
          : api.post('/api/v1/retreat/collections', body);
      },
      success: '专题已保存',
      after: () => loadAll(),
    });
  }

  function newAgreement() {
    const partner = h(
      'select',
      { name: 'partner_org_id', 'aria-label': '合作方工会' },
      h('option', { value: '' }, '先输入名称查找'),
    );
    const search = h('input', {
      type: 'search',
      placeholder: '输入合作方工会名称，如：宁夏',
      'aria-label': '查找合作方',
      maxlength: 60,
    });
    let timer;
    search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        if (!search.value.trim()) return;
        const l = await api.get('/api/v1/directory/orgs', { q: search.value.trim(), per_page: 30 }).catch(() => null);
        if (l)
          mount(
            partner,
            l.items.length
              ? l.items.map((o) => h('option', { value: o.id }, o.name))
              : h('option', { value: '' }, '没有匹配的工会'),
          );
      }, 300);
    });
    search.addEventListener('keydown', (ev) => ev.key === 'Enter' && ev.preventDefault());
    formDialog({
      title: '登记跨区域合作协议',
      wide: true,
      fields: [
        orgPicker({ label: '本方工会', required: true, value: me.org }),
        h(
          'div',
          { class: 'field field-wide is-required', dataset: { field: 'partner_org_id' } },
          h('span', { class: 'field-label' }, '合作方工会'),
          h('div', { class: 'org-picker-row' }, search, partner),
          h('div', { class: 'field-error' }),
        ),
        {
          name: 'title',
          label: '协议名称',
          required: true,
          maxlength: 80,
          wide: true,
          placeholder: '如：苏宁两省区职工疗休养跨区域合作协议',
        },
        { name: 'valid_from', label: '生效日期', type: 'date', required: true, value: today() },
        { name: 'valid_to', label: '截止日期', type: 'date', hint: '留空为长期有效' },
      ],
      submit: (v) => {
        if (!partner.value) throw fieldError('partner_org_id', '请选择合作方工会');
        return api.post('/api/v1/retreat/agreements', {
          org_id: Number(v.org_id),
          partner_org_id: Number(partner.value),
          title: v.title,
          valid_from: v.valid_from,
          valid_to: v.valid_to || null,
        });
      },
      success: '合作协议已登记',
      after: () => {
        loadAll();
      },
    });
  }

  function newRules() {
    formDialog({
      title: '发布预订规则新版本',
      wide: true,
      submitText: '发布',
      busyText: '发布中…',
      aliases: { params: 'max_subsidised_per_year' },
      fields: [
        orgPicker({
          label: '发布组织',
          required: true,
          value: me.org,
          hint: '对本组织及下级工会主办的线路生效；下级可另行发布覆盖',
        }),
        { name: 'effective_from', label: '生效日期', type: 'date', required: true, value: today() },
        { name: 'max_subsidised_per_year', label: '每人每年享受补助次数', type: 'number', required: true, value: 1 },
        {
          name: 'frontline_window_days',
          label: '一线职工优先预订（天）',
          type: 'number',
          required: true,
          value: 7,
          hint: '公开预订前一线职工、劳模可提前预订的天数；0 为不设',
        },
        { name: 'cancel_deadline_days', label: '出发前几天截止取消', type: 'number', required: true, value: 3 },
        {
          name: 'confirmation',
          label: '确认方式',
          type: 'select',
          options: [
            ['union', '所在工会确认'],
            ['instant', '报名即确认'],
          ],
          value: 'union',
        },
        { name: 'note', label: '说明', maxlength: 200, wide: true },
      ],
      submit: (v) =>
        api.post('/api/v1/policies', {
          kind: 'retreat_booking',
          org_id: Number(v.org_id),
          effective_from: v.effective_from,
          note: v.note || undefined,
          params: {
            max_subsidised_per_year: Number(v.max_subsidised_per_year),
            frontline_window_days: Number(v.frontline_window_days),
            cancel_deadline_days: Number(v.cancel_deadline_days),
            confirmation: v.confirmation,
          },
        }),
      success: '预订规则已发布',
      after: () => {
        loadAll();
      },
    });
  }

  loadAll();
  const tb = (text, fn) =>
    canEdit
      ? h(
          'div',
          { class: 'table-toolbar' },
          h('button', { type: 'button', class: 'btn btn-primary', onclick: fn }, icon('plus', 16), text),
        )
      : null;
  return h(
    'div',
    pageHeader({ title: '专题与规则', desc: '精选专题、跨区域合作协议和预订规则（按生效日期分版本）' }),
    panel(
      '精选专题',
      tb('新建专题', () => editCollection(null)),
      cols,
    ),
    panel('跨区域合作协议', tb('登记合作协议', newAgreement), agrs),
    panel('预订规则', tb('发布新版本', newRules), rules),
  );
}
