// console.js — boots the officer console: checks the session (no session →
// the log-in page, members → their own pages), draws the shell (header with
// the user's name, organisation and log-out; side menu; content area) and
// routes '#/…' to the page modules in js/pages/.
import { h, mount, icon, $$ } from './lib/dom.js';
import { onUnauthorized } from './lib/api.js';
import { loadSession, hasDuty, hasRole, landingFor } from './lib/session.js';
import { changePassword, logOut } from './lib/shell.js';
import { createRouter } from './lib/router.js';
import { label, ROLES } from './lib/format.js';
import { anyIcon } from './lib/icons-extra.js';

// The menu and the routes in one list. `show(user)` hides entries a user
// cannot use; `soon` entries are listed greyed out until their module exists.
const MENU = [
  { group: '工作台' },
  { path: '/home', title: '首页', icon: 'home', load: () => import('./pages/core/home.js') },
  { group: '基础管理' },
  {
    path: '/orgs',
    also: ['/orgs/{id}'],
    key: 'orgs',
    title: '组织架构',
    icon: 'tree',
    show: (u) => !!u.org || u.role === 'admin',
    load: () => import('./pages/org/orgs.js'),
  },
  {
    path: '/users',
    title: '账号管理',
    icon: 'users',
    show: (u) => u.role === 'admin' || (u.role === 'officer' && hasDuty(u, 'org')),
    load: () => import('./pages/auth/users.js'),
  },
  {
    path: '/policies',
    title: '政策参数',
    icon: 'sliders',
    show: (u) => hasRole(u, 'admin', 'auditor') || ['finance', 'hardship', 'retreat'].some((d) => hasDuty(u, d)),
    load: () => import('./pages/core/policies.js'),
  },
  {
    path: '/audit',
    title: '审计日志',
    icon: 'audit',
    show: (u) => hasRole(u, 'auditor', 'admin'),
    load: () => import('./pages/core/audit.js'),
  },
  { group: '会员服务' },
  {
    path: '/members',
    title: '会员管理',
    icon: 'card',
    also: [{ path: '/members/{id}', title: '会员详情', load: () => import('./pages/member/member-detail.js') }],
    show: (u) => hasRole(u, 'officer', 'admin', 'auditor'),
    load: () => import('./pages/member/members.js'),
  },
  {
    path: '/join-requests',
    title: '入会审批',
    icon: 'inbox',
    show: (u) => hasRole(u, 'officer', 'admin', 'auditor'),
    load: () => import('./pages/member/join-requests.js'),
  },
  {
    path: '/members/import',
    title: '会员导入',
    icon: 'upload',
    show: (u) => hasDuty(u, 'membership'),
    load: () => import('./pages/member/member-import.js'),
  },
  { group: '经费与账务' },
  {
    path: '/enterprises',
    title: '企业名录',
    icon: 'building',
    also: [
      { path: '/enterprises/{id}', title: '企业详情', load: () => import('./pages/enterprise/enterprise-detail.js') },
      { path: '/enterprises/import', title: '导入企业', load: () => import('./pages/enterprise/enterprise-import.js') },
    ],
    show: seesFinance,
    load: () => import('./pages/enterprise/enterprises.js'),
  },
  {
    path: '/fee-payments',
    title: '经费缴纳',
    icon: 'coins',
    also: [{ path: '/fee-payments/import', title: '导入缴费', load: () => import('./pages/fees/fee-import.js') }],
    show: seesFinance,
    load: () => import('./pages/fees/fee-payments.js'),
  },
  {
    path: '/refunds',
    title: '经费返还',
    icon: 'refund',
    also: [{ path: '/refunds/{id}', title: '返还批次', load: () => import('./pages/refund/refund-run.js') }],
    show: seesFinance,
    load: () => import('./pages/refund/refunds.js'),
  },
  {
    path: '/refund-stats',
    title: '返还统计',
    icon: 'chart',
    show: seesFinance,
    load: () => import('./pages/refund/refund-stats.js'),
  },
  {
    path: '/ledger',
    title: '账簿',
    icon: 'book',
    also: [
      { path: '/ledger/transfers/{id}', title: '记账记录', load: () => import('./pages/core/ledger-transfer.js') },
    ],
    show: seesFinance,
    load: () => import('./pages/core/ledger.js'),
  },
  { group: '职工疗休养' },
  {
    path: '/retreat/routes',
    title: '线路管理',
    icon: 'file',
    also: [
      { path: '/retreat/routes/{id}', title: '线路详情', load: () => import('./pages/retreat/retreat-route-admin.js') },
      {
        path: '/retreat/routes/import',
        title: '导入线路',
        load: () => import('./pages/retreat/retreat-route-import.js'),
      },
    ],
    show: (u) => hasRole(u, 'officer', 'admin', 'auditor'),
    load: () => import('./pages/retreat/retreat-routes.js'),
  },
  {
    path: '/retreat/bookings',
    title: '预订审核',
    icon: 'check',
    show: (u) => hasRole(u, 'officer', 'admin', 'auditor'),
    load: () => import('./pages/retreat/retreat-bookings.js'),
  },
  {
    path: '/retreat/providers',
    title: '服务机构',
    icon: 'org',
    also: [
      {
        path: '/retreat/providers/import',
        title: '导入服务机构',
        load: () => import('./pages/retreat/retreat-provider-import.js'),
      },
    ],
    show: (u) => hasRole(u, 'officer', 'admin', 'auditor'),
    load: () => import('./pages/retreat/retreat-providers.js'),
  },
  {
    path: '/retreat/settings',
    title: '专题与规则',
    icon: 'edit',
    show: (u) => hasRole(u, 'officer', 'admin', 'auditor'),
    load: () => import('./pages/retreat/retreat-settings.js'),
  },
  {
    path: '/retreat/stats',
    title: '疗休养统计',
    icon: 'chart',
    show: (u) => hasDuty(u, 'retreat') || hasDuty(u, 'finance') || hasRole(u, 'auditor'),
    load: () => import('./pages/retreat/retreat-stats.js'),
  },
  {
    path: '/desk',
    title: '疗休养接待',
    icon: 'users',
    also: [{ path: '/desk/{id}', title: '接待名单', load: () => import('./pages/retreat/retreat-desk.js') }],
    show: (u) => u.role === 'provider',
    load: () => import('./pages/retreat/retreat-desk.js'),
  },
  { group: '消费券' },
  {
    path: '/lottery',
    title: '消费券抽取',
    icon: 'card',
    also: [{ path: '/lottery/{id}', title: '抽取活动', load: () => import('./pages/lottery/lottery-admin.js') }],
    show: seesLottery,
    load: () => import('./pages/lottery/lottery-campaigns.js'),
  },
  {
    path: '/lottery-stats',
    title: '消费券统计',
    icon: 'chart',
    show: seesLottery,
    load: () => import('./pages/lottery/lottery-stats.js'),
  },
  {
    path: '/redeem',
    title: '消费券核销',
    icon: 'check',
    show: (u) => u.role === 'provider',
    load: () => import('./pages/voucher/voucher-redeem.js'),
  },
  { group: '困难帮扶' },
  {
    path: '/hardship',
    title: '困难职工档案',
    icon: 'file',
    also: [
      { path: '/hardship/{id}', title: '困难职工档案', load: () => import('./pages/hardship/hardship-detail.js') },
    ],
    show: (u) => hasDuty(u, 'hardship'),
    load: () => import('./pages/hardship/hardship.js'),
  },
  {
    path: '/hardship-reviews',
    title: '年度复核',
    icon: 'refresh',
    show: (u) => hasDuty(u, 'hardship'),
    load: () => import('./pages/hardship/hardship-reviews.js'),
  },
  {
    path: '/aid',
    title: '帮扶救助',
    icon: 'inbox',
    show: (u) => hasDuty(u, 'hardship'),
    load: () => import('./pages/aid/aid.js'),
  },
  {
    path: '/mutual-aid',
    title: '医疗互助',
    icon: 'card',
    show: (u) => hasDuty(u, 'hardship'),
    load: () => import('./pages/mutual_aid/mutual-aid.js'),
  },
];

// Voucher lotteries: the retreat duty runs them, finance and auditors read.
function seesLottery(u) {
  return hasDuty(u, 'retreat') || hasDuty(u, 'finance') || hasRole(u, 'auditor');
}

// Money pages: the finance duty (admins have every duty), auditors read.
function seesFinance(u) {
  return hasDuty(u, 'finance') || hasRole(u, 'auditor');
}

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
  try {
    user = await loadSession();
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
  shell(user);
}

function shell(user) {
  const visible = MENU.filter((m) => !m.path || !m.show || m.show(user));
  // Drop group titles left without entries.
  const menu = visible.filter((m, i) => !m.group || (visible[i + 1] && !visible[i + 1].group));

  const main = h('main', { class: 'c-main', id: 'main', tabindex: '-1' });
  const nav = h(
    'div',
    { class: 'c-nav' },
    menu.map((m) =>
      m.group
        ? h('div', { class: 'c-nav-group' }, m.group)
        : h('a', { href: `#${m.path}`, dataset: { path: m.path } }, anyIcon(m.icon), h('span', m.title)),
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
      { class: 'brand', href: '#/home' },
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

  const routes = [];
  for (const m of MENU) {
    if (!m.path) continue;
    const allowed = !m.show || m.show(user);
    // `also`: more paths under the same menu entry — a string shares the
    // entry's module (and its view, through the key); {path, title, load}
    // has a page of its own.
    for (const a of [m.path, ...(m.also || [])]) {
      const own = typeof a === 'object';
      const p = own ? a.path : a;
      const load = own ? a.load : m.load;
      routes.push({
        path: p,
        key: own ? p : m.key || m.path,
        title: (own && a.title) || m.title,
        menu: m.path,
        load: allowed ? load : null,
        view: allowed ? null : forbidden,
      });
    }
  }
  const router = createRouter({
    routes,
    outlet: main,
    fallback: '/home',
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

function forbidden() {
  return h('div', { class: 'panel' }, h('div', { class: 'state' }, '您没有访问此页面的权限。'));
}
