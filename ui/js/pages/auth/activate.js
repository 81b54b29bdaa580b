// activate.js — 开通会员账号 (public): a member registered by union staff or
// imported sets a password with their ID number and registered mobile; then
// they log in with the mobile.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { readForm, clearErrors, showError, checkRequired } from '../../lib/form.js';
import { idNumberProblem, mobileProblem, normaliseMobile } from '../../lib/idnumber.js';
import { busy } from '../../lib/ui.js';
import { PASSWORD_RULE, passwordProblem } from '../../lib/password.js';

const form = document.getElementById('activate-form');
const box = document.getElementById('activate-box');
form.querySelector('[data-field="password"] .field-hint').textContent = PASSWORD_RULE;

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearErrors(form);
  if (!checkRequired(form)) return;
  const v = readForm(form);
  const idp = idNumberProblem(v.id_number);
  if (idp) return showError(form, { field: 'id_number', message: idp });
  const mp = mobileProblem(v.mobile);
  if (mp) return showError(form, { field: 'mobile', message: mp });
  const pp = passwordProblem(v.password);
  if (pp) return showError(form, { field: 'password', message: pp });
  if (v.password !== v.confirm) return showError(form, { field: 'confirm', message: '两次输入的密码不一致' });
  const button = form.querySelector('button[type=submit]');
  busy(button, true, '开通中…');
  const mobile = normaliseMobile(v.mobile);
  try {
    const r = await api.post(
      '/api/v1/member-activation',
      { id_number: v.id_number.toUpperCase(), mobile, password: v.password },
      { noAuthRedirect: true },
    );
    mount(
      box,
      h('div', { class: 'done-icon', 'aria-hidden': 'true' }, icon('check', 28)),
      h('h1', '账号已开通'),
      h('p', { class: 'lead' }, r.message || '账号已开通，请用手机号和新密码登录'),
      h('a', { class: 'btn btn-primary btn-block', href: '/login.html' }, '去登录'),
    );
    box.querySelector('a').focus();
  } catch (e) {
    busy(button, false);
    // The server answers "not matched" without naming a field on purpose.
    showError(form, e);
  }
});
