// retreat-providers.js — 服务机构: the recuperation providers managed in the
// officer's scope (guest-houses, rural-tourism clusters, themed towns,
// red-heritage sites, recuperation bases): register, edit, admit, suspend
// with a reason, and the admission history. Only admitted providers' routes
// appear in the public catalogue.
import { h, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { label, options, fmtTime } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { nullIfEmpty, formDialog } from '../../lib/form.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { simpleTable } from '../../lib/simpletable.js';
import { openDialog, tag, pageHeader } from '../../lib/ui.js';
import { photoManager } from '../../lib/photos.js';
import { PROVIDER_KINDS, PROVIDER_STATUS, PROVIDER_STATUS_TONE } from '../../lib/retreat.js';

export default function providersPage() {
  const me = currentUser();
  const canEdit = hasDuty(me, 'retreat');
  const table = createTable({
    caption: '服务机构列表',
    search: [
      { name: 'q', label: '机构名称', placeholder: '名称包含', maxlength: 50 },
      { name: 'kind', label: '机构类型', type: 'select', empty: '全部', options: options(PROVIDER_KINDS) },
      { name: 'status', label: '准入状态', type: 'select', empty: '全部', options: options(PROVIDER_STATUS) },
      { name: 'region', label: '地区代码', placeholder: '如 32 或 3205', maxlength: 6, inputmode: 'numeric' },
    ],
    toolbar: canEdit
      ? [
          h('a', { class: 'btn', href: '#/retreat/providers/import' }, icon('upload', 16), '导入服务机构'),
          h(
            'button',
            { type: 'button', class: 'btn btn-primary', onclick: () => edit() },
            icon('plus', 16),
            '登记服务机构',
          ),
        ]
      : null,
    columns: [
      { key: 'name', title: '机构名称' },
      { key: 'kind', title: '类型', nowrap: true, render: (p) => label(PROVIDER_KINDS, p.kind) },
      { key: 'region_code', title: '地区', nowrap: true, render: (p) => h('span', { class: 'mono' }, p.region_code) },
      { key: 'org_name', title: '管理工会' },
      { key: 'partner_department', title: '合作部门' },
      { key: 'listed_routes', title: '展示线路', align: 'right', nowrap: true },
      {
        key: 'status',
        title: '状态',
        nowrap: true,
        render: (p) => tag(label(PROVIDER_STATUS, p.status), PROVIDER_STATUS_TONE[p.status]),
      },
      {
        key: 'actions',
        title: '操作',
        nowrap: true,
        render: (p) =>
          h(
            'div',
            { class: 'row-actions' },
            canEdit ? h('button', { type: 'button', class: 'btn btn-text', onclick: () => edit(p) }, '编辑') : null,
            canEdit && p.status !== 'admitted'
              ? h('button', { type: 'button', class: 'btn btn-text', onclick: () => setStatus(p, 'admitted') }, '准入')
              : null,
            canEdit && p.status === 'admitted'
              ? h('button', { type: 'button', class: 'btn btn-text', onclick: () => setStatus(p, 'suspended') }, '暂停')
              : null,
            h('button', { type: 'button', class: 'btn btn-text', onclick: () => history(p) }, '准入记录'),
            h('button', { type: 'button', class: 'btn btn-text', onclick: () => photos(p) }, '照片'),
          ),
      },
    ],
    empty: '没有符合条件的服务机构',
    fetch: (p, signal) => api.get('/api/v1/providers', p, { signal }),
  });

  function edit(p) {
    formDialog({
      title: p ? '编辑服务机构' : '登记服务机构',
      wide: true,
      fields: [
        { name: 'name', label: '机构名称', required: true, maxlength: 60, value: p && p.name, wide: true },
        {
          name: 'kind',
          label: '机构类型',
          type: 'select',
          required: true,
          options: options(PROVIDER_KINDS),
          value: p ? p.kind : 'retreat_base',
        },
        {
          name: 'region_code',
          label: '行政区划代码',
          required: true,
          maxlength: 6,
          inputmode: 'numeric',
          value: p && p.region_code,
          hint: '6 位，如 320506',
        },
        p ? null : orgPicker({ label: '管理工会', required: true, value: me.org }),
        { name: 'address', label: '地址', maxlength: 120, value: p && p.address, wide: true },
        { name: 'contact_name', label: '联系人', maxlength: 30, value: p && p.contact_name },
        { name: 'contact_phone', label: '联系电话', type: 'tel', maxlength: 20, value: p && p.contact_phone },
        {
          name: 'partner_department',
          label: '合作部门',
          maxlength: 60,
          value: p && p.partner_department,
          hint: '如：某市文化广电和旅游局',
          wide: true,
        },
      ].filter(Boolean),
      submit: (v) => {
        const body = nullIfEmpty(v, ['address', 'contact_name', 'contact_phone', 'partner_department']);
        if (body.org_id) body.org_id = Number(body.org_id);
        return p ? api.patch(`/api/v1/providers/${p.id}`, body) : api.post('/api/v1/providers', body);
      },
      success: (r) => (p ? '已保存' : `已登记“${r.name}”，状态为申请中；审核通过后请点“准入”`),
      after: () => {
        table.refresh();
      },
    });
  }

  function setStatus(p, status) {
    const admit = status === 'admitted';
    formDialog({
      title: `${admit ? '准入' : '暂停'}：${p.name}`,
      className: 'form-grid form-1',
      intro: h(
        'p',
        { class: 'muted', style: { marginBottom: '10px' } },
        admit
          ? '准入后，该机构参与的已发布线路在公开目录中展示。'
          : '暂停后，该机构参与的线路立即从公开目录撤下，已有预订不受影响。',
      ),
      submitText: admit ? '确认准入' : '确认暂停',
      danger: !admit,
      busyText: '提交中…',
      fields: [
        {
          name: 'reason',
          label: admit ? '准入说明' : '暂停原因',
          type: 'textarea',
          required: !admit,
          maxlength: 200,
          wide: true,
          placeholder: admit ? '如：经市总工会与文旅局联合评定准入' : '如：消防检查未通过，整改期间暂停',
        },
      ],
      submit: (v) => api.post(`/api/v1/providers/${p.id}/status`, { status, reason: v.reason || undefined }),
      success: admit ? `“${p.name}”已准入，其线路将在目录中展示` : `“${p.name}”已暂停，其线路已从目录中撤下`,
      after: () => table.refresh(),
    });
  }

  // The provider's photos: shown on its routes' pages while it is admitted.
  async function photos(p) {
    const d = openDialog({
      title: `照片：${p.name}`,
      wide: true,
      body: h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'),
    });
    try {
      const full = await api.get(`/api/v1/providers/${p.id}`);
      d.body.replaceChildren(
        photoManager({
          photos: full.photos || [],
          uploadUrl: `/api/v1/providers/${p.id}/photos`,
          canEdit,
          title: `${p.name}照片`,
        }),
      );
    } catch (e) {
      d.body.replaceChildren(h('div', { class: 'state state-error' }, e.message));
    }
  }

  async function history(p) {
    const d = openDialog({
      title: `准入记录：${p.name}`,
      wide: true,
      body: h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'),
    });
    try {
      const r = await api.get(`/api/v1/providers/${p.id}/history`);
      d.body.replaceChildren(
        simpleTable({
          caption: '准入记录',
          columns: [
            { key: 'created_at', title: '时间', nowrap: true, render: (x) => fmtTime(x.created_at) },
            {
              key: 'to_status',
              title: '变更',
              nowrap: true,
              render: (x) =>
                `${x.from_status ? `${label(PROVIDER_STATUS, x.from_status)} → ` : ''}${label(PROVIDER_STATUS, x.to_status)}`,
            },
            { key: 'reason', title: '说明' },
            { key: 'actor_name', title: '操作人', nowrap: true },
          ],
          rows: r.items,
        }),
      );
    } catch (e) {
      d.body.replaceChildren(h('div', { class: 'state state-error' }, e.message));
    }
  }

  return h(
    'div',
    pageHeader({
      title: '服务机构',
      desc: '疗休养基地、旅游民宿、乡村旅游集聚区、特色小镇、红色旅游景区的登记与准入；只有已准入机构的线路对外展示',
    }),
    table.el,
  );
}
