// users.js — 账号管理: staff accounts in the user's scope. Search by name or
// role; add an account, change its name, duties or status, reset its password
// or (lost phone) its second factor.
import { h, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { ROLES, DUTIES, USER_STATUS, label, options, fmtTime } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { enterprisePicker } from '../../lib/enterprisepicker.js';
import { tag, pageHeader } from '../../lib/ui.js';
import { formDialog, fieldError } from '../../lib/form.js';
import { PASSWORD_RULE } from '../../lib/password.js';

const STAFF = ['officer', 'auditor', 'admin', 'provider', 'bank', 'enterprise'];

export default function usersPage() {
  const me = currentUser();
  const isAdmin = me.role === 'admin';
  // Officers may create officers and auditors, and with the finance duty
  // enterprise accounts (an enterprise of their scope, chosen below);
  // service-provider accounts are made with the provider.
  const creatable = [
    'officer',
    'auditor',
    ...(isAdmin ? ['admin'] : []),
    ...(isAdmin || hasDuty(me, 'finance') ? ['enterprise'] : []),
  ];

  const table = createTable({
    caption: '账号列表',
    search: [
      { name: 'q', label: '关键字', placeholder: '用户名或姓名', maxlength: 50 },
      { name: 'role', label: '角色', type: 'select', empty: '全部角色', options: options(ROLES, STAFF) },
    ],
    toolbar: [
      h(
        'button',
        { type: 'button', class: 'btn btn-primary', onclick: () => createUser() },
        icon('plus', 16),
        '新增账号',
      ),
    ],
    columns: [
      { key: 'login', title: '用户名', nowrap: true },
      { key: 'display_name', title: '姓名', nowrap: true },
      { key: 'role', title: '角色', nowrap: true, render: (u) => label(ROLES, u.role) },
      {
        key: 'duties',
        title: '职责',
        render: (u) =>
          u.duties && u.duties.length
            ? h(
                'span',
                { class: 'tags' },
                u.duties.map((d) => tag(label(DUTIES, d))),
              )
            : '',
      },
      { key: 'org_name', title: '所属组织' },
      {
        key: 'status',
        title: '状态',
        nowrap: true,
        render: (u) =>
          h(
            'span',
            { class: 'tags' },
            tag(label(USER_STATUS, u.status), u.status === 'active' ? 'green' : 'gray'),
            u.locked ? tag('登录受限', 'orange') : null,
            u.totp ? tag('两步验证', 'blue') : null,
          ),
      },
      { key: 'last_login_at', title: '最近登录', nowrap: true, render: (u) => fmtTime(u.last_login_at) },
      {
        key: 'ops',
        title: '操作',
        nowrap: true,
        render: (u) =>
          h(
            'span',
            { class: 'row-actions' },
            h('button', { type: 'button', class: 'btn btn-text', onclick: () => editUser(u) }, '编辑'),
            h('button', { type: 'button', class: 'btn btn-text', onclick: () => resetPassword(u) }, '重置密码'),
            u.totp && u.id !== me.id
              ? h('button', { type: 'button', class: 'btn btn-text', onclick: () => resetTotp(u) }, '重置两步验证')
              : null,
          ),
      },
    ],
    fetch: (p, signal) => api.get('/api/v1/users', p, { signal }),
  });

  function createUser() {
    const dutyField = { name: 'duties', label: '职责', type: 'checkboxes', options: options(DUTIES), wide: true };
    const entPicker = enterprisePicker({
      label: '企业',
      hint: '企业账号只能查看本企业的缴费和经费返还',
    });
    entPicker.hidden = true;
    const { form: f } = formDialog({
      title: '新增账号',
      wide: true,
      focus: 'login',
      fields: [
        {
          name: 'login',
          label: '用户名',
          required: true,
          maxlength: 32,
          autocomplete: 'off',
          hint: '登录用，创建后不可修改',
        },
        { name: 'display_name', label: '姓名', required: true, maxlength: 50 },
        {
          name: 'role',
          label: '角色',
          type: 'select',
          required: true,
          options: options(ROLES, creatable),
          value: 'officer',
        },
        {
          name: 'password',
          label: '初始密码',
          type: 'password',
          required: true,
          autocomplete: 'new-password',
          maxlength: 128,
          hint: PASSWORD_RULE,
        },
        orgPicker({ required: true, value: me.org }),
        entPicker,
        dutyField,
      ],
      submit: (v) => {
        const body = {
          login: v.login,
          display_name: v.display_name,
          role: v.role,
          org_id: v.org_id ? Number(v.org_id) : null,
          password: v.password,
        };
        if (v.role === 'officer') body.duties = v.duties || [];
        if (v.role === 'enterprise') {
          if (!v.enterprise_id) throw fieldError('enterprise_id', '请选择企业');
          body.enterprise_id = Number(v.enterprise_id);
          // the account belongs to the enterprise's union
          body.org_id = entPicker.orgId();
        }
        return api.post('/api/v1/users', body);
      },
      success: (_, v) => `已新增账号 ${v.login}`,
      after: () => table.refresh(),
    });
    const roleSel = f.elements.role;
    const duties = f.querySelector('[data-field="duties"]');
    const orgBox = f.querySelector('[data-field="org_id"]');
    roleSel.addEventListener('change', () => {
      const role = roleSel.value;
      duties.hidden = role !== 'officer';
      // Officers and auditors belong to an organisation; an admin need not;
      // an enterprise account belongs to its enterprise's.
      orgBox.hidden = role === 'enterprise';
      orgBox.classList.toggle('is-required', role === 'officer' || role === 'auditor');
      entPicker.hidden = role !== 'enterprise';
      entPicker.classList.toggle('is-required', role === 'enterprise');
      if (role === 'enterprise') entPicker.start();
    });
  }

  function editUser(u) {
    const self = u.id === me.id;
    const fields = [
      { name: 'display_name', label: '姓名', required: true, maxlength: 50, value: u.display_name, wide: true },
    ];
    if (u.role === 'officer') {
      fields.push({
        name: 'duties',
        label: '职责',
        type: 'checkboxes',
        options: options(DUTIES),
        value: u.duties || [],
        wide: true,
        disabled: self,
      });
    }
    fields.push({
      name: 'status',
      label: '状态',
      type: 'select',
      options: options(USER_STATUS),
      value: u.status,
      disabled: self,
      hint: self ? '不能修改自己的职责和状态' : '停用后该账号无法登录',
    });
    const { form: f } = formDialog({
      title: `编辑账号 · ${u.login}`,
      wide: true,
      fields,
      submit: (v) => {
        const body = {};
        if (v.display_name !== u.display_name) body.display_name = v.display_name;
        if (
          !self &&
          u.role === 'officer' &&
          JSON.stringify([...(v.duties || [])].sort()) !== JSON.stringify([...(u.duties || [])].sort())
        )
          body.duties = v.duties || [];
        if (!self && v.status && v.status !== u.status) body.status = v.status;
        if (!Object.keys(body).length) return false;
        return api.patch(`/api/v1/users/${u.id}`, body);
      },
      success: '已保存',
      after: () => table.refresh(),
    });
    if (self) for (const c of f.querySelectorAll('[data-field="duties"] input')) c.disabled = true;
  }

  function resetPassword(u) {
    formDialog({
      title: `重置密码 · ${u.display_name || u.login}`,
      submitText: '确认重置',
      busyText: '提交中…',
      focus: 'password',
      fields: [
        {
          name: 'password',
          label: '新密码',
          type: 'password',
          required: true,
          autocomplete: 'new-password',
          maxlength: 128,
          wide: true,
          hint: `${PASSWORD_RULE}。请通过安全渠道告知本人`,
        },
      ],
      submit: (v) => api.post(`/api/v1/users/${u.id}/password`, { password: v.password }),
      success: `已重置 ${u.login} 的密码`,
      after: () => table.refresh(),
    });
  }

  // Lost phone and recovery codes: remove the second factor; the owner
  // enrols again (at once, when the admin requires it).
  function resetTotp(u) {
    formDialog({
      title: `重置两步验证 · ${u.display_name || u.login}`,
      submitText: '确认重置',
      busyText: '提交中…',
      danger: true,
      focus: 'reason',
      intro: h('p', '用于本人手机丢失且恢复码也无法使用的情况。请先核实本人身份；重置后本人可重新绑定。'),
      fields: [{ name: 'reason', label: '原因', required: true, maxlength: 200, wide: true }],
      submit: (v) => api.post(`/api/v1/users/${u.id}/totp/reset`, { reason: v.reason }),
      success: `已重置 ${u.login} 的两步验证`,
      after: () => table.refresh(),
    });
  }

  return h('div', pageHeader({ title: '账号管理', desc: '本级及下级组织的工作人员账号' }), table.el);
}
