// shell.js — the frame of the pages outside the console, in one place: the
// member pages (/m/…), the enterprise page (/e/) and the public pages (home,
// /retreat/, /lottery/). It loads the session, sends people whose pages are
// elsewhere to their own, sends everyone to the log-in page when a session
// ends, and fills the header: the user's name, the message bell with the
// unread count (members), 修改密码 and 退出 on the private pages; 登录, or the way back to one's own pages, on the public ones.
// The console draws its own header but shares changePassword().
import { h, mount, icon } from './dom.js';
import { api, onUnauthorized } from './api.js';
import { loadSession, logout, landingFor } from './session.js';
import { formDialog, fieldError } from './form.js';
import { busy } from './ui.js';
import { PASSWORD_RULE } from './password.js';
import { bell } from './notices.js';

const here = () => location.pathname + location.search;
const loginUrl = () => `/login.html?next=${encodeURIComponent(here())}`;
let leaving = false;

// privatePage({home: '/m/' | '/e/', app, head}) → the logged-in user, or null
// when the page is being left (nobody logged in: the log-in page, which comes
// back here; a user whose pages are elsewhere: theirs) or the server cannot
// be reached (app then shows why, with 重试). head receives the header's
// actions; app is the page's main element.
export async function privatePage({ home, app, head }) {
  onUnauthorized(() => {
    if (leaving) return;
    leaving = true;
    location.assign(loginUrl());
  });
  let user;
  try {
    user = await loadSession();
  } catch (e) {
    failPage(app, `无法连接服务器：${e.message}`);
    return null;
  }
  if (!user) {
    location.replace(loginUrl());
    return null;
  }
  if (landingFor(user) !== home) {
    location.replace(landingFor(user));
    return null;
  }
  const name = user.display_name || user.login;
  mount(
    head,
    h(
      'span',
      { class: 's-head-actions' },
      h('span', { class: 's-user-name', title: name }, name),
      // members: the message centre, with the unread count
      home === '/m/' ? bell({ href: '/m/notices.html', className: 'btn btn-text bell' }) : null,
      h(
        'button',
        { type: 'button', class: 'btn btn-text', 'aria-label': '修改密码', title: '修改密码', onclick: changePassword },
        icon('key'),
        h('span', { class: 'btn-label' }, '修改密码'),
      ),
      h('button', { type: 'button', class: 'btn btn-text', onclick: logOut }, icon('logout'), h('span', '退出')),
    ),
  );
  return user;
}

// publicPage({head, member: [href, text, icon?], staff: [href, text], button})
// → the logged-in user or null; never fails (the page works without a
// session). head shows 登录 (coming back here) for visitors unless the page's
// HTML put a link there already, the member link for members and the staff
// link (default: their own landing page, 进入工作台) for everyone else;
// button is the links' class ('btn').
export async function publicPage({ head, member, staff, button = 'btn' }) {
  let user = null;
  try {
    user = await loadSession();
  } catch {
    /* offline or server trouble: the page still shows what it can */
  }
  if (!head) return user;
  if (!user) {
    if (!head.firstElementChild) mount(head, h('a', { class: button, href: loginUrl() }, '登录'));
  } else if (landingFor(user) === '/m/' && member) {
    const [href, text, ic] = member;
    mount(head, h('a', { class: button, href }, ic ? icon(ic, 16) : null, text));
  } else {
    const [href, text] = staff || [landingFor(user), landingFor(user) === '/console/' ? '进入工作台' : '我的服务'];
    mount(head, h('a', { class: button, href }, text));
  }
  return user;
}

// The page's error state in app: the message and 重试 (reloads the page).
export function failPage(app, message) {
  mount(
    app,
    h(
      'div',
      { class: 'panel' },
      h(
        'div',
        { class: 'state state-error', role: 'alert' },
        message,
        h('button', { type: 'button', class: 'btn btn-sm', onclick: () => location.reload() }, '重试'),
      ),
    ),
  );
}

// Log out (the button that was pressed shows it is busy) and go to the log-in page.
export async function logOut(ev) {
  if (ev && ev.currentTarget) busy(ev.currentTarget, true);
  leaving = true;
  await logout();
}

// The 修改密码 dialog: old password, new one twice; the server's rule for
// passwords is shown as a hint and its refusal next to the new password.
export function changePassword() {
  formDialog({
    title: '修改密码',
    className: 'form-grid form-1',
    submitText: '确认修改',
    busyText: '提交中…',
    focus: 'old_password',
    aliases: { password: 'new_password' },
    fields: [
      {
        name: 'old_password',
        label: '原密码',
        type: 'password',
        required: true,
        autocomplete: 'current-password',
        wide: true,
      },
      {
        name: 'new_password',
        label: '新密码',
        type: 'password',
        required: true,
        autocomplete: 'new-password',
        wide: true,
        hint: PASSWORD_RULE,
      },
      {
        name: 'confirm',
        label: '确认新密码',
        type: 'password',
        required: true,
        autocomplete: 'new-password',
        wide: true,
      },
    ],
    submit: (v) => {
      if (v.new_password !== v.confirm) throw fieldError('confirm', '两次输入的新密码不一致');
      return api.post('/api/v1/session/password', { old_password: v.old_password, new_password: v.new_password });
    },
    success: '密码已修改，其他设备上的登录已失效',
  });
}
