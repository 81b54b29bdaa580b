// home.js — the console's first page: a greeting, the user's organisation,
// how many organisations of each level lie below it, and shortcuts.
import { h, icon, mount } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty, hasRole } from '../../lib/session.js';
import { LEVELS, LEVEL_ORDER, ROLES, DUTIES, EMPLOYMENT_FORMS, label, fmtYuanBig } from '../../lib/format.js';
import { anyIcon } from '../../lib/icons-extra.js';
import { panel, tag } from '../../lib/ui.js';
import { hardshipReminders } from '../hardship/hardship-home.js';

function greeting() {
  const hour =
    Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hour12: false }).format(
        new Date(),
      ),
    ) % 24;
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
      ? h(
          'div',
          { class: 'tags', 'aria-label': '我的职责' },
          user.duties.map((d) => tag(label(DUTIES, d))),
        )
      : null,
  );

  const el = h('div', head);

  if (org || user.role === 'admin') {
    const stats = h(
      'div',
      { class: 'stats' },
      h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '统计中…'),
    );
    el.append(panel(org ? `${org.name} · 下属组织` : '组织概况', stats));
    loadStats(stats, org, ctx.signal);
  }

  const seesMembers = hasRole(user, 'officer', 'admin', 'auditor');
  if (seesMembers) {
    const box = h('div', h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '统计中…'));
    el.append(panel(org ? `${org.name} · 会员概况` : '会员概况', box));
    loadMemberStats(box, ctx.signal);
  }

  // Money: the finance duty (admins have it) and auditors.
  const seesFinance = hasDuty(user, 'finance') || hasRole(user, 'auditor');
  if (seesFinance) {
    const box = h('div', h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '统计中…'));
    el.append(panel(org ? `${org.name} · 经费与返还` : '经费与返还', box));
    loadFinanceStats(box, ctx.signal);
  }

  // Hardship: reminders of reviews due and files waiting (hardship-home.js).
  if (hasDuty(user, 'hardship')) el.append(hardshipReminders(ctx.signal));

  const links = [];
  if (org || user.role === 'admin') links.push(['#/orgs', 'tree', '组织架构']);
  if (user.role === 'admin' || hasDuty(user, 'org')) links.push(['#/users', 'users', '账号管理']);
  if (hasRole(user, 'auditor', 'admin')) links.push(['#/audit', 'audit', '审计日志']);
  if (seesMembers) links.push(['#/members', 'card', '会员管理'], ['#/join-requests', 'inbox', '入会审批']);
  if (hasDuty(user, 'membership')) links.push(['#/members/import', 'upload', '会员导入']);
  if (seesFinance)
    links.push(
      ['#/enterprises', 'building', '企业名录'],
      ['#/fee-payments', 'coins', '经费缴纳'],
      ['#/refunds', 'refund', '经费返还'],
      ['#/ledger', 'book', '账簿'],
    );
  if (hasDuty(user, 'retreat') || hasDuty(user, 'finance') || hasRole(user, 'auditor'))
    links.push(['#/lottery', 'card', '消费券抽取']);
  if (user.role === 'provider') links.push(['#/desk', 'users', '疗休养接待'], ['#/redeem', 'check', '消费券核销']);
  if (hasRole(user, 'officer', 'admin', 'auditor'))
    links.push(['#/retreat/routes', 'file', '疗休养线路'], ['#/retreat/bookings', 'check', '疗休养预订审核']);
  if (hasDuty(user, 'hardship'))
    links.push(
      ['#/hardship', 'file', '困难职工档案'],
      ['#/aid', 'inbox', '帮扶救助'],
      ['#/mutual-aid', 'card', '医疗互助'],
    );
  const soon = [...(hasDuty(user, 'hardship') ? [] : ['困难帮扶']), ...(seesFinance ? [] : ['经费返还'])];
  el.append(
    panel(
      '常用功能',
      h(
        'div',
        { class: 'shortcuts' },
        links.map(([href, ic, text]) =>
          h('a', { class: 'shortcut', href }, anyIcon(ic, 20), h('span', { class: 'shortcut-text' }, text)),
        ),
        soon.map((text) =>
          h(
            'div',
            { class: 'shortcut is-soon', 'aria-disabled': 'true' },
            icon('org', 20),
            h('span', { class: 'shortcut-text' }, h('span', text), h('span', { class: 'soon' }, '即将上线')),
          ),
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
    const q = (extra) =>
      api.get('/api/v1/orgs', { under_id: root.id, per_page: 1, ...extra }, { signal }).then((r) => r.total);
    const [all, ...counts] = await Promise.all([q({}), ...levels.map((level) => q({ level }))]);
    const cells = [
      h(
        'a',
        { class: 'stat is-total', href: '#/orgs' },
        h('div', { class: 'stat-num' }, String(all - 1)),
        h('div', { class: 'stat-label' }, '下属组织合计'),
      ),
    ];
    levels.forEach((level, i) => {
      const n = counts[i] - (level === root.level ? 1 : 0);
      if (level === root.level && n === 0) return;
      cells.push(
        h(
          'a',
          { class: 'stat', href: `#/orgs?level=${level}` },
          h('div', { class: 'stat-num' }, String(n)),
          h('div', { class: 'stat-label' }, label(LEVELS, level)),
        ),
      );
    });
    mount(box, cells);
  } catch (e) {
    if (e.name === 'AbortError') return;
    mount(box, h('div', { class: 'state state-error' }, `统计加载失败：${e.message}`));
  }
}

// Member counts in the user's scope (GET /api/v1/members/stats): the totals,
// active members by employment form as bars, and joins per month over the
// last 24 months as columns — plain divs, no chart library.
async function loadMemberStats(box, signal) {
  let s;
  try {
    s = await api.get('/api/v1/members/stats', undefined, { signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    mount(box, h('div', { class: 'state state-error' }, `会员统计加载失败：${e.message}`));
    return;
  }
  const cell = (n, text, link, cls) =>
    h(
      link ? 'a' : 'div',
      { class: ['stat', cls], href: link },
      h('div', { class: 'stat-num' }, String(n)),
      h('div', { class: 'stat-label' }, text),
    );
  const forms = Object.keys(EMPLOYMENT_FORMS).map((k) => [k, (s.by_employment_form || {})[k] || 0]);
  const maxForm = Math.max(1, ...forms.map(([, n]) => n));
  const months = s.joined_by_month || [];
  const maxMonth = Math.max(1, ...months.map((m) => m.joined));
  const joined12 = months.slice(-12).reduce((a, m) => a + m.joined, 0);
  mount(
    box,
    h(
      'div',
      { class: 'stats' },
      cell(s.total, '会员总数', '#/members', 'is-total'),
      cell(s.active, '在会会员', '#/members?status=active'),
      cell(s.frontline, '一线职工'),
      cell(s.model_workers, '劳动模范'),
      cell(s.new_employment_forms, '新就业形态'),
    ),
    h(
      'div',
      { class: 'mstats' },
      h(
        'div',
        { class: 'mstats-block' },
        h('h3', { class: 'mstats-title' }, '在会会员 · 按就业形态'),
        h(
          'ul',
          { class: 'hbars', 'aria-label': '按就业形态的在会会员' },
          forms.map(([k, n]) =>
            h(
              'li',
              { class: 'hbar' },
              h('span', { class: 'hbar-label' }, label(EMPLOYMENT_FORMS, k)),
              h(
                'span',
                { class: 'hbar-track', 'aria-hidden': 'true' },
                h('span', { class: 'hbar-fill', style: { width: `${(n / maxForm) * 100}%` } }),
              ),
              h('span', { class: 'hbar-num' }, String(n)),
            ),
          ),
        ),
      ),
      h(
        'div',
        { class: 'mstats-block' },
        h(
          'h3',
          { class: 'mstats-title' },
          `每月入会人数 · 近 24 个月`,
          h('span', { class: 'mstats-sub' }, `近 12 个月共 ${joined12} 人`),
        ),
        h(
          'ol',
          { class: 'vbars', 'aria-label': '每月入会人数' },
          months.map((m) => {
            const [y, mo] = m.month.split('-');
            // A tick each quarter: the year at January, else the month.
            const tick = mo === '01' ? y : ['04', '07', '10'].includes(mo) ? `${Number(mo)}月` : '';
            return h(
              'li',
              {
                class: 'vbar',
                title: `${y} 年 ${Number(mo)} 月：${m.joined} 人`,
                'aria-label': `${y} 年 ${Number(mo)} 月 ${m.joined} 人`,
              },
              h('span', { class: 'vbar-num', 'aria-hidden': 'true' }, m.joined ? String(m.joined) : ''),
              h(
                'span',
                { class: 'vbar-col', 'aria-hidden': 'true' },
                h('span', { class: 'vbar-fill', style: { height: `${(m.joined / maxMonth) * 100}%` } }),
              ),
              h('span', { class: 'vbar-tick', 'aria-hidden': 'true' }, tick),
            );
          }),
        ),
      ),
    ),
  );
}

// Money at a glance: enterprises in scope, payments marked 待核 (amount not
// 2% of the payroll), refund runs waiting for approval, refunds paid so far
// and the federation's sentence. Counts come from per_page=1 totals.
async function loadFinanceStats(box, signal) {
  const total = (path, query) => api.get(path, { ...query, per_page: 1 }, { signal }).then((r) => r.total);
  let ents, flagged, runs, st;
  try {
    [ents, flagged, runs, st] = await Promise.all([
      total('/api/v1/enterprises'),
      total('/api/v1/fee-payments', { flagged: 1 }),
      api.get('/api/v1/refund-runs', { per_page: 100 }, { signal }),
      api.get('/api/v1/refund-stats', undefined, { signal }),
    ]);
  } catch (e) {
    if (e.name === 'AbortError') return;
    mount(box, h('div', { class: 'state state-error' }, `经费统计加载失败：${e.message}`));
    return;
  }
  const waiting = runs.items.filter((r) => r.status === 'computed').length;
  const last = (st.cumulative || [])[st.cumulative.length - 1];
  const cell = (n, text, link, cls) =>
    h(
      link ? 'a' : 'div',
      { class: ['stat', cls], href: link },
      h('div', { class: 'stat-num' }, String(n)),
      h('div', { class: 'stat-label' }, text),
    );
  mount(
    box,
    h(
      'div',
      { class: 'stats' },
      cell(ents, '企业（户）', '#/enterprises', 'is-total'),
      cell(flagged, '缴费待核', '#/fee-payments?flagged=1', flagged ? 'is-warn' : ''),
      cell(waiting, '返还批次待审批', '#/refunds', waiting ? 'is-warn' : ''),
      cell(last ? last.enterprises : 0, '累计返还企业（户）', '#/refund-stats'),
      cell(last ? fmtYuanBig(last.amount_fen) : '0.00元', '累计返还金额', '#/refund-stats'),
    ),
    h('p', { class: 'home-sentence' }, st.sentence),
  );
}
