// console.js — boots the officer console: checks the session (no session →
// the log-in page, members → their own pages), asks the server for the
// user's menu, draws the shell (header with the user's name, organisation,
// the message bell with the unread count, 修改密码 and log-out; side menu;
// content area) and routes '#/…' to the page
// modules in js/pages/<capability>/, loaded when first opened.
//
// GET /api/v1/menu answers, for the logged-in user, exactly the entries they
// may see, filtered and in menu order (首页 is the console's own and comes
// first; a heading is drawn where the group changes):
//
//   {"items": [
//     {"group": "基础管理", "label": "组织架构", "path": "/orgs", "icon": "tree",
//      "page": "org/orgs",
//      "also": [{"path": "/orgs/{id}"}]},
//     {"group": "会员服务", "label": "会员管理", "path": "/members", "icon": "card",
//      "page": "member/members",
//      "also": [{"path": "/members/{id}", "title": "会员详情", "page": "member/member-detail"}]},
//     …
//   ]}
//
// page: the module under js/pages without '.js' (its default export draws
// the page). also: sub-pages (path patterns with {id}) that highlight the
// same entry; a missing page means the entry's own page (the view stays and
// is told the new address), a missing title the entry's label. The entries
// come from the module descriptors on the server (domain/<capability>/*_module.c).
//
// Beside items, "locked" lists the entries the user's role has but whose
// duty they lack: {group, label, path, icon, duty_label: "经费财务", also:
// [{path}]}. They are not in the menu; opened by address (a bookmark, a
// link from a colleague) they show "需要经费财务职责" instead of a page that
// would fail at its first request. A path in neither list shows that it is
// not available to this user.
import { h, mount, icon, $$ } from './lib/dom.js';
import { api, onUnauthorized } from './lib/api.js';
import { loadSession, landingFor } from './lib/session.js';
import { changePassword, logOut } from './lib/shell.js';
import { createRouter } from './lib/router.js';
import { label, ROLES } from './lib/format.js';
import { anyIcon } from './lib/icons-extra.js';
import { bell, noticesDialog } from './lib/notices.js';

const HOME = { group: '工作台', label: '首页', path: '/home', icon: 'home', page: 'core/home' };
// A session that must enrol a second factor first reaches this page only.
const SECURITY = { group: '我的账号', label: '账号安全', path: '/security', icon: 'shield', page: 'auth/security' };
const PAGE = /^[a-z_]+\/[a-z0-9-]+$/;

const app = document.getElementById('app');
let leaving = false;

onUnauthorized(() => {
  if (leaving) return;
  leaving = true;
  const next = location.pathname + location.hash;
  location.assign(`/login.html?next=${encodeURIComponent(next)}`);
});

boot();

async function boot() {
  let user;
  let items;
  let locked = [];
  try {
    user = await loadSession();
    if (user && landingFor(user) === '/console/')
      [items, locked] = user.must_enrol_totp ? [[SECURITY], []] : await loadMenu();
  } catch (e) {
    mount(
      app,
      h(
        'div',
        { class: 'boot' },
        `无法连接服务器：${e.message}`,
        h('button', { class: 'btn', onclick: () => location.reload() }, '重试'),
      ),
    );
    return;
  }
  if (!user) {
    location.replace(`/login.html?next=${encodeURIComponent(location.pathname + location.hash)}`);
    return;
  }
  if (landingFor(user) !== '/console/') {
    location.replace(landingFor(user));
    return;
  }
  shell(user, items, locked);
}

// The user's menu entries, 首页 first, and the entries locked for want of a duty.
async function loadMenu() {
  const menu = await api.get('/api/v1/menu');
  const items = (menu.items || []).filter((m) => m.path !== HOME.path);
  return [[HOME, ...items], menu.locked || []];
}

// Routes for the locked entries and their sub-pages: a page saying which duty is needed.
function lockedRoutes(locked) {
  const routes = [];
  for (const m of locked) {
    const view = () => dutyNeeded(m);
    routes.push({ path: m.path, key: `locked:${m.path}`, title: m.label, view });
    for (const a of m.also || []) routes.push({ path: a.path, key: `locked:${a.path}`, title: m.label, view });
  }
  return routes;
}

// The routes of the menu entries and their sub-pages. A sub-page without a
// page of its own shares the entry's view (key), so the view stays and is
// told the new address (the org tree keeps its state).
function routesOf(items) {
  const routes = [];
  for (const m of items) {
    routes.push({ path: m.path, key: m.path, title: m.label, menu: m.path, load: loader(m.page) });
    for (const a of m.also || []) {
      const page = a.page || m.page;
      routes.push({
        path: a.path,
        key: page === m.page ? m.path : a.path,
        title: a.title || m.label,
        menu: m.path,
        load: loader(page),
      });
    }
  }
  return routes;
}

function loader(page) {
  if (!PAGE.test(page || '')) return () => Promise.reject(new Error(`页面模块名称无效：${page}`));
  return () => import(`./pages/${page}.js`);
}

function shell(user, items, locked) {
  // A heading where the group changes.
  const menu = [];
  items.forEach((m, i) => {
    if (m.group && (i === 0 || items[i - 1].group !== m.group)) menu.push({ heading: m.group });
    menu.push(m);
  });

  const main = h('main', { class: 'c-main', id: 'main', tabindex: '-1' });
  const nav = h(
    'div',
    { class: 'c-nav' },
    menu.map((m) =>
      m.heading
        ? h('div', { class: 'c-nav-group' }, m.heading)
        : h('a', { href: `#${m.path}`, dataset: { path: m.path } }, anyIcon(m.icon), h('span', m.label)),
    ),
  );
  const side = h('nav', { class: 'c-side', id: 'c-side', 'aria-label': '主菜单' }, nav);
  const scrim = h('div', { class: 'c-scrim', hidden: true, onclick: () => setMenu(false) });
  const menuBtn = h(
    'button',
    {
      type: 'button',
      class: 'icon-btn c-menu-btn',
      'aria-label': '菜单',
      'aria-controls': 'c-side',
      'aria-expanded': 'false',
      onclick: () => setMenu(!root.classList.contains('menu-open')),
    },
    icon('menu', 20),
  );
  const name = user.display_name || user.login;
  const avatarChar = (name.trim().split(/\s+/).pop() || name).slice(0, 1);
  const orgName = user.org ? user.org.name : label(ROLES, user.role);
  const head = h(
    'header',
    { class: 'c-head' },
    menuBtn,
    h(
      'a',
      { class: 'brand', href: user.must_enrol_totp ? '#/security' : '#/home' },
      h('img', { class: 'brand-mark', src: '/favicon.svg', alt: '' }),
      h('span', { class: 'brand-name' }, '工会服务平台'),
      h('span', { class: 'brand-sub' }, '管理后台'),
    ),
    h(
      'div',
      { class: 'c-user', title: `${name} · ${orgName}` },
      h(
        'div',
        { class: 'c-user-text' },
        h('span', { class: 'c-user-name' }, name),
        h('span', { class: 'c-user-org' }, orgName),
      ),
      h('span', { class: 'c-avatar', 'aria-hidden': 'true' }, avatarChar),
    ),
    h(
      'div',
      { class: 'c-head-actions' },
      bell({ onclick: noticesDialog, className: 'btn btn-text bell' }),
      h(
        'button',
        { type: 'button', class: 'btn btn-text', title: '修改密码', 'aria-label': '修改密码', onclick: changePassword },
        icon('key'),
        h('span', { class: 'btn-label' }, '修改密码'),
      ),
      h(
        'button',
        { type: 'button', class: 'btn btn-text', title: '退出登录', 'aria-label': '退出登录', onclick: logOut },
        icon('logout'),
        h('span', { class: 'btn-label' }, '退出登录'),
      ),
    ),
  );
  const root = h('div', { class: 'console' }, head, side, scrim, main);
  mount(app, root);

  function setMenu(open) {
    root.classList.toggle('menu-open', open);
    scrim.hidden = !open;
    menuBtn.setAttribute('aria-expanded', String(open));
  }
  nav.addEventListener('click', (ev) => {
    if (ev.target.closest('a')) setMenu(false);
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') setMenu(false);
  });

  const router = createRouter({
    routes: [...routesOf(items), ...lockedRoutes(locked)],
    outlet: main,
    fallback: user.must_enrol_totp ? SECURITY.path : '/home',
    notFound: { title: '无法访问', view: unavailable },
    onRoute(route) {
      document.title = `${route.title} - 工会服务平台`;
      for (const a of $$('a[data-path]', nav)) {
        const on = a.dataset.path === route.menu;
        a.classList.toggle('is-active', on);
        if (on) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      }
    },
    onError(e, outlet) {
      outlet.replaceChildren(
        h(
          'div',
          { class: 'panel' },
          h(
            'div',
            { class: 'state state-error', role: 'alert' },
            `页面加载失败：${e.message || e}`,
            h('button', { class: 'btn btn-sm', onclick: () => router.reload() }, '重试'),
          ),
        ),
      );
    },
  });
  router.start();
}

// A page the user's role has but their duty does not allow.
function dutyNeeded(m) {
  return h(
    'div',
    { class: 'panel' },
    h(
      'div',
      { class: 'state state-locked', role: 'alert' },
      h('strong', { class: 'state-title' }, `需要${m.duty_label}职责`),
      h(
        'span',
        `“${m.label}”属于${m.group}工作，需要${m.duty_label}职责才能使用。如需办理，请联系本单位的账号管理员为您的账号增加该职责。`,
      ),
      h('a', { class: 'btn btn-sm', href: '#/home' }, '返回首页'),
    ),
  );
}

// A path in none of the user's entries: someone else's page or none at all.
function unavailable() {
  return h(
    'div',
    { class: 'panel' },
    h(
      'div',
      { class: 'state' },
      '您没有访问此页面的权限，或页面不存在。',
      h('a', { class: 'btn btn-sm', href: '#/home' }, '返回首页'),
    ),
  );
}
