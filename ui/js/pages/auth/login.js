// login.js — the log-in page: sends {login, password}, shows the server's
// Chinese message on failure, and sends the user on to the console (staff) or
// the member pages; someone already logged in goes straight there.
import { api } from '../../lib/api.js';
import { loadSession, useSession, landingFor, safeNext } from '../../lib/session.js';
import { clearErrors, showError } from '../../lib/form.js';
import { busy } from '../../lib/ui.js';

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

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearErrors(form);
  const login = form.elements.login.value.trim();
  const password = form.elements.password.value;
  if (!login) return showError(form, { field: 'login', message: '请输入用户名或手机号' });
  if (!password) return showError(form, { field: 'password', message: '请输入密码' });
  const button = form.querySelector('button[type=submit]');
  busy(button, true, '登录中…');
  try {
    const s = await api.post('/api/v1/session', { login, password }, { noAuthRedirect: true });
    go(useSession(s));
  } catch (e) {
    busy(button, false);
    // Wrong credentials name no field on purpose; show them above the form.
    showError(form, e.field === 'login' || e.field === 'password' ? e : { message: e.message });
    if (e.status === 401) {
      form.elements.password.value = '';
      form.elements.password.focus();
    }
  }
});
