// member-home.js — a member's own pages (/m/, phone first): the electronic
// union card, 我的资料 (ID number and mobile masked as the server sends them),
// 账号与安全 (changing the password, logging out). The session, the header
// and who may be here come from lib/shell.js.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { privatePage, failPage, logOut, changePassword } from '../../lib/shell.js';
import { EMPLOYMENT_FORMS, MEMBER_STATUS, MODEL_WORKER, GENDERS, label, yesNo } from '../../lib/format.js';
import { tag } from '../../lib/ui.js';

const app = document.getElementById('m-app');

boot();

async function boot() {
  const user = await privatePage({ home: '/m/', app, head: document.getElementById('m-head-actions') });
  if (!user) return;
  let me;
  try {
    me = await api.get('/api/v1/me/member');
  } catch (e) {
    if (e.status === 404) return failPage(app, '您的账号没有关联会员档案，请联系所在工会。');
    return failPage(app, `加载失败：${e.message}`);
  }
  render(user, me);
}

function unionCard(me) {
  const card = me.card || { card_no: me.card_no, name: me.name, org_name: me.org_name, join_date: me.join_date };
  const row = (k, v, cls) => h('div', { class: 'mcard-row' }, h('dt', k), h('dd', { class: cls }, v));
  return h(
    'section',
    { class: ['mcard', me.status !== 'active' && 'is-inactive'], 'aria-label': '电子会员证' },
    h(
      'div',
      { class: 'mcard-top' },
      h('img', { class: 'mcard-mark', src: '/favicon.svg', alt: '' }),
      h(
        'div',
        { class: 'mcard-title' },
        h('div', { class: 'mcard-t1' }, '工会会员证'),
        h('div', { class: 'mcard-t2' }, 'TRADE UNION MEMBER'),
      ),
      me.status !== 'active' ? h('span', { class: 'mcard-status' }, label(MEMBER_STATUS, me.status)) : null,
    ),
    h('div', { class: 'mcard-name' }, card.name),
    h(
      'dl',
      { class: 'mcard-rows' },
      row('会员证号', card.card_no, 'mono'),
      row('所属工会', card.org_name),
      row('入会日期', card.join_date),
    ),
  );
}

function profile(me) {
  const row = (k, v) => h('div', h('dt', k), h('dd', v === null || v === undefined || v === '' ? '—' : v));
  return h(
    'section',
    { class: 'panel', id: 'profile', 'aria-labelledby': 'profile-title' },
    h('h2', { class: 'panel-title', id: 'profile-title' }, '我的资料'),
    h(
      'dl',
      { class: 'kv kv-1' },
      row('姓名', me.name),
      row('性别', label(GENDERS, me.gender)),
      row('身份证号', h('span', { class: 'mono' }, me.id_number_masked)),
      row('手机号', me.mobile_masked ? h('span', { class: 'mono' }, me.mobile_masked) : '未登记'),
      row('所属工会', me.org_name),
      row('就业形态', label(EMPLOYMENT_FORMS, me.employment_form)),
      row('工作单位或平台', me.employer),
      row('入会日期', me.join_date),
      row('会籍状态', tag(label(MEMBER_STATUS, me.status), me.status === 'active' ? 'green' : 'gray')),
      row('一线职工', yesNo(me.frontline)),
      row('劳模称号', me.model_worker ? label(MODEL_WORKER, me.model_worker) : '无'),
      row('工匠', yesNo(me.craftsman)),
    ),
    h('p', { class: 'panel-note' }, '资料有误请联系所在工会修改。'),
  );
}

// 账号与安全: the same password dialog as the header's key button, and log-out.
function security(me) {
  return h(
    'section',
    { class: 'panel', id: 'security', 'aria-labelledby': 'security-title' },
    h('h2', { class: 'panel-title', id: 'security-title' }, '账号与安全'),
    h(
      'p',
      { class: 'panel-note', style: { marginBottom: '12px' } },
      me.mobile_masked ? `登录账号为本人手机号 ${me.mobile_masked}。` : null,
      '修改密码后，其他设备上的登录会失效。',
    ),
    h(
      'div',
      { class: 'm-actions' },
      h('button', { type: 'button', class: 'btn', onclick: changePassword }, icon('key', 16), '更改登录密码'),
      h('button', { type: 'button', class: 'btn btn-danger', onclick: logOut }, icon('logout', 16), '退出登录'),
    ),
  );
}

function render(user, me) {
  document.title = `${me.name} - 我的会员服务 - 工会服务平台`;
  mount(
    app,
    h('div', { class: 'm-hello' }, h('h1', `您好，${me.name}`), h('p', { class: 'muted' }, me.org_name)),
    h(
      'nav',
      { class: 'm-tabs', 'aria-label': '页面导航' },
      h('a', { href: '#card' }, icon('card', 16), '会员证'),
      h('a', { href: '#profile' }, icon('users', 16), '我的资料'),
      h('a', { href: '#security' }, icon('key', 16), '账号安全'),
      h('a', { href: '/m/vouchers.html' }, icon('card', 16), '消费券'),
      h('a', { href: '/m/retreat.html' }, icon('home', 16), '疗休养'),
      h('a', { href: '/m/aid.html' }, icon('inbox', 16), '帮扶与互助'),
    ),
    retreatNotice(),
    h('div', { id: 'card' }, unionCard(me)),
    profile(me),
    security(me),
  );
}

// A waiting-list place that became a recuperation booking is news the
// member must not miss (no SMS is sent): point to it from the home page too.
function retreatNotice() {
  const box = h('div', { hidden: true });
  api.get('/api/v1/retreat/bookings', { per_page: 100 }).then(
    (r) => {
      const n = r.items.filter((b) => b.promotion_unread).length;
      if (!n) return;
      mount(
        box,
        h(
          'a',
          { class: 'notice notice-ok', style: { display: 'block' }, href: '/m/retreat.html' },
          `您有 ${n} 个疗休养候补已转为正式预订，点此查看 ›`,
        ),
      );
      box.hidden = false;
    },
    () => {},
  );
  return box;
}
