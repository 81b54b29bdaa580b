// login.js — the log-in page: sends {login, password}, shows the server's
// Chinese message on failure, and sends the user on to the console (staff) or
// the member pages; someone already logged in goes straight there.
//
// Second factor: when the account has two-step verification the server
// answers the password with a challenge instead of a session, and the page
// asks for the 6-digit code of the authenticator app (or a recovery code) and
// sends it with the challenge. When log-in is throttled after failed tries
// (429), a code field appears: a correct code sent with the password logs an
// account with two-step verification in at once.
import { api } from '../../lib/api.js';
import { loadSession, useSession, landingFor, safeNext } from '../../lib/session.js';
import { clearErrors, showError, field } from '../../lib/form.js';
import { busy } from '../../lib/ui.js';
import { h } from '../../lib/dom.js';

const form = document.getElementById('login-form');
const next = safeNext(new URLSearchParams(location.search).get('next'));

function go(user) {
  const home = landingFor(user);
  // ?next= only within the user's own area (a member is not sent to /console/),
  // or back to a public page everyone may see (a lottery's sign-up page, a
  // recuperation route about to be booked).
  const back = next && (next.startsWith(home) || next.startsWith('/lottery/') || next.startsWith('/retreat/'));
  location.replace(back ? next : home);
}

loadSession()
  .then((user) => {
    if (user) go(user);
  })
  .catch(() => {});

// The code field shown under the password once log-in is throttled.
let codeField = null;
function showCodeField() {
  if (codeField) return;
  codeField = field({
    name: 'code',
    label: '验证码（已开启两步验证的账号）',
    maxlength: 16,
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    placeholder: '验证器应用中的 6 位数字，或恢复码',
  });
  form.querySelector('[data-field="password"]').after(codeField);
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearErrors(form);
  const login = form.elements.login.value.trim();
  const password = form.elements.password.value;
  if (!login) return showError(form, { field: 'login', message: '请输入用户名或手机号' });
  if (!password) return showError(form, { field: 'password', message: '请输入密码' });
  const body = { login, password };
  const code = form.elements.code ? form.elements.code.value.trim() : '';
  if (code) body.code = code;
  const button = form.querySelector('button[type=submit]');
  busy(button, true, '登录中…');
  try {
    const s = await api.post('/api/v1/session', body, { noAuthRedirect: true });
    if (s && s.second_factor) {
      busy(button, false);
      secondStep(s.challenge);
      return;
    }
    go(useSession(s));
  } catch (e) {
    busy(button, false);
    // Wrong credentials name no field on purpose; show them above the form.
    showError(form, e.field === 'login' || e.field === 'password' ? e : { message: e.message });
    if (e.status === 429) showCodeField();
    if (e.status === 401) {
      form.elements.password.value = '';
      if (form.elements.code) form.elements.code.value = '';
      form.elements.password.focus();
    }
  }
});

// Step two: the code for the challenge the password earned.
function secondStep(challenge) {
  const err = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const codeBox = field({
    name: 'code',
    label: '验证码',
    required: true,
    maxlength: 16,
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    placeholder: '请输入 6 位验证码',
    hint: '打开手机上的验证器应用，输入本平台显示的 6 位数字；手机不在身边时可输入一个恢复码。',
  });
  const submit = h('button', { class: 'btn btn-primary btn-block', type: 'submit' }, '验证并登录');
  const back = h('button', { class: 'btn btn-text btn-block', type: 'button' }, '返回重新输入密码');
  const step = h(
    'form',
    { id: 'second-factor-form', class: 'form-grid', novalidate: true, 'aria-label': '两步验证' },
    h('p', { class: 'lead' }, '该账号已开启两步验证'),
    err,
    codeBox,
    submit,
    back,
  );
  const leave = (message) => {
    step.remove();
    form.hidden = false;
    form.elements.password.value = '';
    form.elements.password.focus();
    if (message) showError(form, { message });
  };
  back.addEventListener('click', () => leave());
  step.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(step);
    const code = step.elements.code.value.trim();
    if (!code) return showError(step, { field: 'code', message: '请输入验证码' });
    busy(submit, true, '验证中…');
    try {
      const s = await api.post('/api/v1/session/second-factor', { challenge, code }, { noAuthRedirect: true });
      go(useSession(s));
    } catch (e) {
      busy(submit, false);
      // An expired challenge (five minutes, five tries) means starting over.
      if (e.code === 'challenge_expired') return leave(e.message);
      showError(step, e.field === 'code' ? e : { message: e.message });
      step.elements.code.value = '';
      step.elements.code.focus();
    }
  });
  form.hidden = true;
  form.after(step);
  step.elements.code.focus();
}
