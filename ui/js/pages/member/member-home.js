// member-home.js — a member's own pages (/m/, phone first): a grid of the
// services (宫格) showing at once where each stands — vouchers, trips,
// aid, mutual aid, membership, messages with the unread count — then the
// electronic union card, 我的资料 (ID number and mobile masked as the server
// sends them), 账号与安全 (changing the password, logging out). The session,
// the header and who may be here come from lib/shell.js.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { privatePage, failPage, logOut, changePassword } from '../../lib/shell.js';
import { FILE_STATUS } from '../../lib/hardship-labels.js';
import { EMPLOYMENT_FORMS, MEMBER_STATUS, MODEL_WORKER, GENDERS, label, yesNo, today } from '../../lib/format.js';
import { tag } from '../../lib/ui.js';
import { noticeIcon, unreadCount, badgeText } from '../../lib/notices.js';

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
        h('div', { class: 'mcard-t2' }, '电子会员证 · 工会服务平台'),
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
    services(me),
    h('div', { id: 'card' }, unionCard(me)),
    profile(me),
    security(me),
  );
}

// ---- the service grid ----

// One tile: a link with its icon, its name and a line saying where it
// stands, filled in when state() answers ({text, tone: 'on' | 'ok', badge}).
// A tile whose state cannot be had says so and still leads to its page.
function tile({ label, href, ic, state }) {
  const line = h('span', { class: 'm-tile-state' }, '…');
  const badge = h('span', { class: 'bell-badge', hidden: true, 'aria-hidden': 'true' });
  const a = h(
    'a',
    { class: 'm-tile', href, dataset: { tile: label } },
    h('span', { class: 'm-tile-icon' }, noticeIcon(ic, 22)),
    badge,
    h('span', { class: 'm-tile-label' }, label),
    line,
  );
  state().then(
    (st) => {
      line.textContent = st.text;
      line.classList.toggle('is-on', st.tone === 'on');
      line.classList.toggle('is-ok', st.tone === 'ok');
      if (st.badge) {
        badge.textContent = badgeText(st.badge);
        badge.hidden = false;
      }
      a.setAttribute('aria-label', `${label}：${st.text.replace('\n', '，')}`);
    },
    () => {
      line.textContent = '点击查看';
    },
  );
  return h('li', a);
}

const count = (items, pred) => items.filter(pred).length;

function services(me) {
  return h(
    'ul',
    { class: 'm-grid', 'aria-label': '我的服务' },
    tile({ label: '消费券', href: '/m/vouchers.html', ic: 'ticket', state: voucherState }),
    tile({ label: '疗休养', href: '/m/retreat.html', ic: 'suitcase', state: tripState }),
    tile({ label: '帮扶救助', href: '/m/aid.html#m-file', ic: 'heart', state: aidState }),
    tile({ label: '医疗互助', href: '/m/aid.html#m-mutual', ic: 'medical', state: mutualState }),
    tile({ label: '会籍', href: '#card', ic: 'badge', state: async () => membershipState(me) }),
    tile({ label: '消息', href: '/m/notices.html', ic: 'bell', state: messageState }),
  );
}

async function voucherState() {
  const [mine, open] = await Promise.all([
    api.get('/api/v1/me/vouchers'),
    api.get('/api/v1/lottery/campaigns', { for_me: 1, phase: 'signup', per_page: 1 }),
  ]);
  const usable = count(mine.items, (v) => v.status === 'issued');
  if (usable) return { text: `${usable} 张可用`, tone: 'on' };
  if (open.total) return { text: `${open.total} 个活动可报名`, tone: 'on' };
  return { text: '暂无可用' };
}

async function tripState() {
  const r = await api.get('/api/v1/retreat/bookings', { per_page: 100 });
  const promoted = count(r.items, (b) => b.promotion_unread);
  if (promoted) return { text: '候补已转正式', tone: 'on', badge: promoted };
  const confirmed = count(r.items, (b) => b.status === 'confirmed');
  const waiting = count(r.items, (b) => b.status === 'pending' || b.status === 'waitlisted');
  if (confirmed) return { text: `${confirmed} 个已确认`, tone: 'ok' };
  if (waiting) return { text: `${waiting} 个待确认或候补`, tone: 'on' };
  return { text: '看看线路' };
}

async function aidState() {
  let file = null;
  try {
    file = await api.get('/api/v1/hardship/me');
  } catch (e) {
    if (e.status !== 404) throw e;
  }
  if (!file) return { text: '未建档' };
  if (file.status !== 'open') return { text: label(FILE_STATUS, file.status) };
  const g = await api.get('/api/v1/aid/grants', { per_page: 50 });
  const going = count(g.items, (x) => ['applied', 'reviewed', 'approved'].includes(x.status));
  if (going) return { text: `${going} 个申请在办`, tone: 'on' };
  return { text: '在档，可申请', tone: 'ok' };
}

async function mutualState() {
  const [plans, claims] = await Promise.all([
    api.get('/api/v1/mutual-aid/plans', { per_page: 20 }),
    api.get('/api/v1/mutual-aid/claims', { per_page: 50 }),
  ]);
  const going = count(claims.items, (c) => c.status === 'submitted' || c.status === 'approved');
  if (going) return { text: `${going} 笔互助金在办`, tone: 'on' };
  const mine = await Promise.all(
    plans.items.map((p) => api.get(`/api/v1/mutual-aid/plans/${p.id}/enrolments`).then((r) => r.items.length > 0)),
  );
  const joined = count(mine, Boolean);
  if (joined) return { text: joined > 1 ? `已参加 ${joined} 个计划` : '已参加', tone: 'ok' };
  const d = today();
  const open = count(plans.items, (p) => d >= p.enroll_from && d <= p.enroll_to);
  if (open) return { text: `${open} 个计划可参加`, tone: 'on' };
  return { text: '暂无可参加的计划' };
}

function membershipState(me) {
  const since = me.join_date ? `${me.join_date.slice(0, 4)} 年入会` : '';
  const st = label(MEMBER_STATUS, me.status);
  return { text: [st, since].filter(Boolean).join('\n'), tone: me.status === 'active' ? 'ok' : null };
}

async function messageState() {
  const n = await unreadCount();
  return n ? { text: `${n} 条未读`, tone: 'on', badge: n } : { text: '没有未读' };
}
