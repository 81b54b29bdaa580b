// password-reset.js — 找回密码 (public, /forgot.html): a member proves who
// they are with the ID number and the mobile on record, receives a 6-digit
// code by text message (POST /api/v1/member-password-reset answers the same
// whoever asks, so the page never says whether the person is a member), and
// sets a new password with it (POST /api/v1/member-password-reset/confirm);
// every other session of the account ends. Staff reset passwords through
// their administrator.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { readForm, clearErrors, showError } from '../../lib/form.js';
import { idNumberProblem, mobileProblem, normaliseMobile } from '../../lib/idnumber.js';
import { busy } from '../../lib/ui.js';
import { PASSWORD_RULE, passwordProblem } from '../../lib/password.js';

const box = document.getElementById('reset-box');
const ask = document.getElementById('reset-ask');
const set = document.getElementById('reset-set');
const sent = document.getElementById('reset-sent');
const resend = document.getElementById('reset-resend');
const RESEND_AFTER_S = 60;

document.getElementById('new_password-hint').textContent = PASSWORD_RULE;

let who = null; // {id_number, mobile} of step 1
let timer = null;

// Every empty or malformed field of a form at once; true when all are fine.
function check(formEl, checks) {
  let first = null;
  for (const [name, problem] of checks) {
    if (!problem) continue;
    showError(formEl, { field: name, message: problem });
    first = first || name;
  }
  if (first) formEl.elements[first].focus();
  return !first;
}

function step(n) {
  ask.hidden = n !== 1;
  set.hidden = n !== 2;
  document.getElementById('step-1-mark').classList.toggle('is-current', n === 1);
  document.getElementById('step-2-mark').classList.toggle('is-current', n === 2);
  (n === 1 ? ask.elements.id_number : set.elements.code).focus();
}

function countdown() {
  clearInterval(timer);
  let left = RESEND_AFTER_S;
  resend.disabled = true;
  resend.textContent = `重新获取验证码（${left} 秒）`;
  timer = setInterval(() => {
    left -= 1;
    if (left > 0) {
      resend.textContent = `重新获取验证码（${left} 秒）`;
      return;
    }
    clearInterval(timer);
    resend.disabled = false;
    resend.textContent = '重新获取验证码';
  }, 1000);
}

async function requestCode(button, errorForm) {
  busy(button, true, '发送中…');
  try {
    const r = await api.post('/api/v1/member-password-reset', who, { noAuthRedirect: true });
    const masked = who.mobile.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2');
    sent.textContent = `${r.message}（手机号 ${masked}）`;
    countdown();
    return true;
  } catch (e) {
    showError(errorForm, e);
    return false;
  } finally {
    busy(button, false);
  }
}

ask.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearErrors(ask);
  const v = readForm(ask);
  const ok = check(ask, [
    ['id_number', v.id_number ? idNumberProblem(v.id_number) : '请填写身份证号'],
    ['mobile', v.mobile ? mobileProblem(v.mobile) : '请填写手机号'],
  ]);
  if (!ok) return;
  who = { id_number: v.id_number.toUpperCase(), mobile: normaliseMobile(v.mobile) };
  if (await requestCode(ask.querySelector('button[type=submit]'), ask)) {
    clearErrors(set);
    set.reset();
    step(2);
  }
});

resend.addEventListener('click', () => {
  clearErrors(set);
  requestCode(resend, set);
});

document.getElementById('reset-back').addEventListener('click', () => {
  clearInterval(timer);
  clearErrors(ask);
  step(1);
});

set.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearErrors(set);
  const v = readForm(set);
  const ok = check(set, [
    ['code', !v.code ? '请填写短信验证码' : /^\d{6}$/.test(v.code) ? null : '验证码是短信里的 6 位数字'],
    ['new_password', v.new_password ? passwordProblem(v.new_password) : '请设置新密码'],
    ['confirm', !v.confirm ? '请再次输入新密码' : v.confirm !== v.new_password ? '两次输入的密码不一致' : null],
  ]);
  if (!ok) return;
  const button = set.querySelector('button[type=submit]');
  busy(button, true, '提交中…');
  try {
    const r = await api.post(
      '/api/v1/member-password-reset/confirm',
      { ...who, code: v.code, new_password: v.new_password },
      { noAuthRedirect: true },
    );
    clearInterval(timer);
    mount(
      box,
      h('div', { class: 'done-icon', 'aria-hidden': 'true' }, icon('check', 28)),
      h('h1', '密码已重置'),
      h('p', { class: 'lead' }, r.message),
      h('a', { class: 'btn btn-primary btn-block', href: '/login.html' }, '去登录'),
    );
    box.querySelector('a').focus();
  } catch (e) {
    busy(button, false);
    showError(set, e);
  }
});
