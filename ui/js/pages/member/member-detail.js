// member-detail.js — one member (#/members/{id}): every field, the ID number
// and mobile masked with 查看完整 (a reason, audited; the full value shows in
// the dialog only), and for the membership duty: edit, 转会 (to any union in
// the public directory), status change with a reason. Below, the history of
// joining, transfers and status changes.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import {
  EMPLOYMENT_FORMS,
  MEMBER_STATUS,
  MODEL_WORKER,
  GENDERS,
  HISTORY_KINDS,
  label,
  options,
  fmtTime,
  yesNo,
} from '../../lib/format.js';
import { dirOrgPicker } from '../../lib/dirpicker.js';
import { revealDialog } from '../../lib/reveal.js';
import { mobileProblem, normaliseMobile } from '../../lib/idnumber.js';
import { toast, tag, panel } from '../../lib/ui.js';
import { STATUS_TONE } from './members.js';
import { formDialog, fieldError } from '../../lib/form.js';

export default async function memberDetail(ctx) {
  const me = currentUser();
  const canEdit = hasDuty(me, 'membership');
  const id = Number(ctx.params.id);
  const body = h(
    'div',
    h(
      'div',
      { class: 'panel' },
      h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'),
    ),
  );
  const el = h('div', h('a', { class: 'back-link', href: '#/members' }, icon('arrowLeft', 16), '返回会员列表'), body);
  let m = null;

  async function load() {
    try {
      m = await api.get(`/api/v1/members/${id}`, undefined, { signal: ctx.signal });
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
            e.status === 404 ? '该会员不存在或不在您的管辖范围内。' : `加载失败：${e.message}`,
          ),
        ),
      );
      return;
    }
    render();
  }

  function sensitive(masked, fieldName, what) {
    if (!masked) return '未登记';
    return h(
      'span',
      { class: 'sensitive' },
      h('span', { class: 'mono' }, masked),
      canEdit
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
                    (await api.post(`/api/v1/members/${id}/reveal`, { field: fieldName, reason })).value,
                }),
            },
            icon('eye', 14),
            '查看完整',
          )
        : null,
    );
  }

  function render() {
    const active = m.status === 'active';
    const actions = canEdit
      ? [
          h('button', { type: 'button', class: 'btn', onclick: editMember }, icon('edit', 16), '编辑'),
          active
            ? h('button', { type: 'button', class: 'btn', onclick: transfer }, icon('transfer', 16), '转会')
            : null,
          h('button', { type: 'button', class: 'btn', onclick: changeStatus }, '变更会籍状态'),
        ]
      : null;
    const row = (k, v) => h('div', h('dt', k), h('dd', v === null || v === undefined || v === '' ? '—' : v));
    const history = h('div', h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'));
    mount(
      body,
      h(
        'section',
        { class: 'panel', 'aria-label': '会员档案' },
        h(
          'div',
          { class: 'detail-head' },
          h(
            'div',
            h('h1', { class: 'detail-title' }, m.name),
            h(
              'div',
              { class: 'detail-tags' },
              tag(label(MEMBER_STATUS, m.status), STATUS_TONE[m.status]),
              tag(label(EMPLOYMENT_FORMS, m.employment_form), m.employment_form === 'employee' ? 'blue' : 'orange'),
              m.frontline ? tag('一线职工') : null,
              m.model_worker ? tag(label(MODEL_WORKER, m.model_worker), 'red') : null,
              m.craftsman ? tag('工匠') : null,
            ),
          ),
          actions ? h('div', { class: 'detail-actions' }, actions) : null,
        ),
        h(
          'dl',
          { class: 'kv' },
          row('姓名', m.name),
          row('性别', label(GENDERS, m.gender)),
          row('身份证号', sensitive(m.id_number_masked, 'id_number', '身份证号')),
          row('手机号', sensitive(m.mobile_masked, 'mobile', '手机号')),
          row('出生年份', m.birth_year ? String(m.birth_year) : ''),
          row('所属工会', m.org_name),
          row('就业形态', label(EMPLOYMENT_FORMS, m.employment_form)),
          row('工作单位或平台', m.employer),
          row('一线职工', yesNo(m.frontline)),
          row('劳模称号', m.model_worker ? label(MODEL_WORKER, m.model_worker) : '无'),
          row('工匠', yesNo(m.craftsman)),
          row('入会日期', m.join_date),
          row('会员证号', h('span', { class: 'mono' }, m.card_no)),
          row('会籍状态', label(MEMBER_STATUS, m.status)),
          row('登录账号', m.has_account ? '已开通' : '未开通'),
          row('登记时间', fmtTime(m.created_at)),
          row('更新时间', fmtTime(m.updated_at)),
        ),
      ),
      panel('会籍变动记录', history),
    );
    loadHistory(history);
  }

  async function loadHistory(box) {
    try {
      const r = await api.get(`/api/v1/members/${id}/history`, undefined, { signal: ctx.signal });
      if (!r.items.length) return mount(box, h('div', { class: 'state state-empty' }, '暂无记录'));
      mount(
        box,
        h(
          'ol',
          { class: 'timeline', 'aria-label': '会籍变动记录' },
          r.items.map((e) => {
            let what;
            if (e.kind === 'joined') what = `加入${e.to_org_name || ''}`;
            else if (e.kind === 'transfer') what = `由 ${e.from_org_name || '—'} 转至 ${e.to_org_name || '—'}`;
            else what = `${label(MEMBER_STATUS, e.from_status) || '—'} → ${label(MEMBER_STATUS, e.to_status)}`;
            return h(
              'li',
              { class: ['tl-item', `tl-${e.kind}`] },
              h(
                'div',
                { class: 'tl-head' },
                tag(
                  label(HISTORY_KINDS, e.kind),
                  e.kind === 'joined' ? 'green' : e.kind === 'transfer' ? 'blue' : 'orange',
                ),
                h('time', { class: 'tl-time', datetime: e.created_at }, fmtTime(e.created_at)),
              ),
              h('div', { class: 'tl-text' }, what),
              e.reason ? h('div', { class: 'tl-reason' }, `原因：${e.reason}`) : null,
            );
          }),
        ),
      );
    } catch (e) {
      if (e.name === 'AbortError') return;
      mount(box, h('div', { class: 'state state-error' }, `加载失败：${e.message}`));
    }
  }

  function editMember() {
    formDialog({
      title: `编辑会员 · ${m.name}`,
      wide: true,
      focus: 'name',
      fields: [
        { name: 'name', label: '姓名', required: true, maxlength: 50, value: m.name },
        {
          name: 'mobile',
          label: '新手机号',
          type: 'tel',
          maxlength: 20,
          inputmode: 'numeric',
          autocomplete: 'off',
          placeholder: m.mobile_masked || '未登记',
          hint: '留空则不修改',
        },
        {
          name: 'employment_form',
          label: '就业形态',
          type: 'select',
          required: true,
          options: options(EMPLOYMENT_FORMS),
          value: m.employment_form,
        },
        { name: 'employer', label: '工作单位或平台', maxlength: 100, value: m.employer || '' },
        {
          name: 'model_worker',
          label: '劳模称号',
          type: 'select',
          empty: '无',
          options: options(MODEL_WORKER),
          value: m.model_worker || '',
        },
        { name: 'card_no', label: '会员证号', maxlength: 32, value: m.card_no, autocomplete: 'off' },
        {
          name: 'flags',
          label: '人员标签',
          type: 'checkboxes',
          options: [
            ['frontline', '一线职工'],
            ['craftsman', '工匠'],
          ],
          value: [m.frontline && 'frontline', m.craftsman && 'craftsman'].filter(Boolean),
          wide: true,
        },
      ],
      submit: (v) => {
        if (v.mobile && mobileProblem(v.mobile)) throw fieldError('mobile', mobileProblem(v.mobile));
        const flags = v.flags || [];
        const next = {
          name: v.name,
          employment_form: v.employment_form,
          employer: v.employer || null,
          model_worker: v.model_worker || null,
          card_no: v.card_no || null,
          frontline: flags.includes('frontline'),
          craftsman: flags.includes('craftsman'),
        };
        const change = {};
        for (const [k, val] of Object.entries(next)) if ((m[k] ?? null) !== val) change[k] = val;
        if (v.mobile) change.mobile = normaliseMobile(v.mobile);
        if (!Object.keys(change).length) return false;
        return api.patch(`/api/v1/members/${id}`, change);
      },
      success: '已保存',
      after: (r) => {
        m = r;
        render();
      },
    });
  }

  function transfer() {
    const picker = dirOrgPicker({
      name: 'to_org_id',
      label: '转入工会',
      required: true,
      placeholder: '输入工会名称搜索（全国范围）',
      hint: m.employment_form === 'employee' ? '职工须转入基层工会' : '可转入基层工会或市、县（区）总工会',
      accept: (org) => {
        if (org.id === m.org_id) return '当前所属工会';
        if (org.level === 'grassroots') return true;
        if ((org.level === 'city' || org.level === 'county') && m.employment_form !== 'employee') return true;
        return m.employment_form === 'employee' ? '职工须转入基层工会' : '层级不符';
      },
    });
    const { form: f } = formDialog({
      title: `转会 · ${m.name}`,
      wide: true,
      className: 'form-grid form-1',
      submitText: '确认转会',
      busyText: '提交中…',
      fields: [
        h('p', { class: 'field-wide muted' }, `将 ${m.name} 从「${m.org_name}」转出，转入下面选择的工会。`),
        picker,
        {
          name: 'reason',
          label: '转会原因',
          type: 'textarea',
          rows: 2,
          required: true,
          maxlength: 200,
          wide: true,
          placeholder: '如：工作调动',
        },
      ],
      submit: (v) => api.post(`/api/v1/members/${id}/transfer`, { to_org_id: Number(v.to_org_id), reason: v.reason }),
      after: (r) => {
        const to = picker.picker.value;
        if (r.out_of_scope) {
          toast(`已将 ${m.name} 转至「${to ? to.name : ''}」，该会员已不在您的管辖范围内`, 'success', 5000);
          ctx.router.navigate('/members');
          return;
        }
        m = { ...m, ...r };
        toast(`已将 ${m.name} 转至「${m.org_name}」`, 'success');
        render();
      },
    });
    f.querySelector('input[type=search]').focus();
  }

  function changeStatus() {
    const choices = Object.keys(MEMBER_STATUS).filter((s) => s !== m.status);
    formDialog({
      title: `变更会籍状态 · ${m.name}`,
      className: 'form-grid form-1',
      submitText: '确认变更',
      busyText: '提交中…',
      fields: [
        h('p', { class: 'field-wide muted' }, `当前会籍状态：${label(MEMBER_STATUS, m.status)}`),
        {
          name: 'status',
          label: '变更为',
          type: 'select',
          required: true,
          options: options(MEMBER_STATUS, choices),
          value: choices[0],
          wide: true,
        },
        {
          name: 'reason',
          label: '变更原因',
          type: 'textarea',
          rows: 2,
          required: true,
          maxlength: 200,
          wide: true,
          placeholder: '如：本人申请退会',
        },
      ],
      submit: (v) => api.patch(`/api/v1/members/${id}`, { status: v.status, reason: v.reason }),
      success: (r) => `会籍状态已变更为「${label(MEMBER_STATUS, r.status)}」`,
      after: (r) => {
        m = r;
        render();
      },
    });
  }

  await load();
  return { el };
}
