// home.js — the console's first page: a greeting, the user's organisation,
// how many organisations of each level lie below it, and shortcuts.
import { h, icon, mount } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { currentUser, hasDuty, hasRole } from '../lib/session.js';
import { LEVELS, LEVEL_ORDER, ROLES, DUTIES, label } from '../lib/format.js';
import { panel, tag } from '../lib/ui.js';

function greeting() {
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hour12: false }).format(new Date())) % 24;
  if (hour < 5) return '夜深了';
  if (hour < 9) return '早上好';
  if (hour < 12) return '上午好';
  if (hour < 14) return '中午好';
  if (hour < 18) return '下午好';
  return '晚上好';
}

export default function home(ctx) {
  const user = currentUser();
  const name = user.display_name || user.login;
  const org = user.org;

  const head = h(
    'section',
    { class: 'panel greet' },
    h(
      'div',
      h('h1', `${greeting()}，${name}`),
      h(
        'div',
        { class: 'greet-org' },
        org ? h('span', org.name) : null,
        org ? tag(label(LEVELS, org.level), 'red') : null,
        tag(label(ROLES, user.role), 'blue'),
      ),
    ),
    user.role === 'officer' && user.duties && user.duties.length
      ? h('div', { class: 'tags', 'aria-label': '我的职责' }, user.duties.map((d) => tag(label(DUTIES, d))))
      : null,
  );

  const el = h('div', head);

  if (org || user.role === 'admin') {
    const stats = h('div', { class: 'stats' }, h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '统计中…'));
    el.append(panel(org ? `${org.name} · 下属组织` : '组织概况', stats));
    loadStats(stats, org, ctx.signal);
  }

  const links = [];
  if (org || user.role === 'admin') links.push(['#/orgs', 'tree', '组织架构']);
  if (user.role === 'admin' || hasDuty(user, 'org')) links.push(['#/users', 'users', '账号管理']);
  if (hasRole(user, 'auditor', 'admin')) links.push(['#/audit', 'audit', '审计日志']);
  const soon = ['会员管理', '困难帮扶', '疗休养', '经费返还', '消费券'];
  el.append(
    panel(
      '常用功能',
      h(
        'div',
        { class: 'shortcuts' },
        links.map(([href, ic, text]) => h('a', { class: 'shortcut', href }, icon(ic, 20), h('span', { class: 'shortcut-text' }, text))),
        soon.map((text) =>
          h('div', { class: 'shortcut is-soon', 'aria-disabled': 'true' }, icon('org', 20), h('span', { class: 'shortcut-text' }, h('span', text), h('span', { class: 'soon' }, '即将上线'))),
        ),
      ),
    ),
  );
  return el;
}

// Counts by level below the user's organisation: one small query per level
// (per_page=1, the total is what we want). The user's own org is in its own
// subtree, so it is subtracted from its level and from the total.
async function loadStats(box, org, signal) {
  try {
    let root = org;
    if (!root) {
      const top = await api.get('/api/v1/orgs', { per_page: 1 }, { signal });
      root = top.items[0];
      if (!root) return mount(box, h('div', { class: 'state' }, '暂无数据'));
    }
    const rank = LEVEL_ORDER.indexOf(root.level);
    const levels = LEVEL_ORDER.filter((l, i) => i >= rank);
    const q = (extra) => api.get('/api/v1/orgs', { under_id: root.id, per_page: 1, ...extra }, { signal }).then((r) => r.total);
    const [all, ...counts] = await Promise.all([q({}), ...levels.map((level) => q({ level }))]);
    const cells = [h('a', { class: 'stat is-total', href: '#/orgs' }, h('div', { class: 'stat-num' }, String(all - 1)), h('div', { class: 'stat-label' }, '下属组织合计'))];
    levels.forEach((level, i) => {
      const n = counts[i] - (level === root.level ? 1 : 0);
      if (level === root.level && n === 0) return;
      cells.push(
        h('a', { class: 'stat', href: `#/orgs?level=${level}` }, h('div', { class: 'stat-num' }, String(n)), h('div', { class: 'stat-label' }, label(LEVELS, level))),
      );
    });
    mount(box, cells);
  } catch (e) {
    if (e.name === 'AbortError') return;
    mount(box, h('div', { class: 'state state-error' }, `统计加载失败：${e.message}`));
  }
}
