// home.js — the console's first page: a greeting, the user's organisation,
// how many organisations of each level lie below it, and shortcuts.
import { h, mount } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty, hasRole } from '../../lib/session.js';
import { LEVELS, LEVEL_ORDER, ROLES, DUTIES, EMPLOYMENT_FORMS, label, fmtYuanBig } from '../../lib/format.js';
import { anyIcon } from '../../lib/icons-extra.js';
import { panel, tag } from '../../lib/ui.js';
import { chart, categoryOption, figurePanel } from '../../lib/chart.js';
import { simpleTable } from '../../lib/simpletable.js';
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
    const growth = h('div');
    el.append(growth);
    loadMemberStats(box, ctx.signal, growth);
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

  // Shortcuts: the user's own menu entries (GET /api/v1/menu, the same list
  // as the side menu), and for each area their role has but their duty does
  // not allow, a card saying which duty is needed (no "即将上线" for what
  // exists).
  const shortcuts = h('div', { class: 'shortcuts' });
  el.append(panel('常用功能', shortcuts));
  loadShortcuts(shortcuts, ctx.signal);
  return el;
}

async function loadShortcuts(box, signal) {
  let menu;
  try {
    menu = await api.get('/api/v1/menu', undefined, { signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    mount(box, h('div', { class: 'state state-error' }, `加载失败：${e.message}`));
    return;
  }
  const items = (menu.items || []).filter((m) => m.path !== '/home');
  // One card per area the duty shuts: "经费与账务 · 需要经费财务职责" (the
  // duty of its first page; the card's title lists the pages and theirs).
  const areas = new Map();
  for (const m of menu.locked || []) {
    if (!areas.has(m.group)) areas.set(m.group, { ...m, labels: [] });
    areas.get(m.group).labels.push(`${m.label}（需要${m.duty_label}职责）`);
  }
  mount(
    box,
    items.map((m) =>
      h(
        'a',
        { class: 'shortcut', href: `#${m.path}` },
        anyIcon(m.icon, 20),
        h('span', { class: 'shortcut-text' }, m.label),
      ),
    ),
    [...areas.values()].map((a) =>
      h(
        'div',
        {
          class: 'shortcut is-soon is-locked',
          'aria-disabled': 'true',
          title: a.labels.join('、'),
        },
        anyIcon(a.icon, 20),
        h(
          'span',
          { class: 'shortcut-text' },
          h('span', a.group),
          h('span', { class: 'soon' }, `需要${a.duty_label}职责`),
        ),
      ),
    ),
  );
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
async function loadMemberStats(box, signal, growthBox) {
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
  if (growthBox) mount(growthBox, memberGrowth(s.joined_by_year || [], signal));
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

// Member growth by employment form: members joined each year (stacked by
// form) and the running total, as a chart (ECharts) with the table of the
// same figures under it and 导出数据.
function memberGrowth(years, signal) {
  const forms = Object.keys(EMPLOYMENT_FORMS).filter((k) => years.some((y) => (y.by_form || {})[k]));
  let sum = 0;
  const rows = years.map((y) => {
    sum += y.joined;
    return { ...y, total: sum };
  });
  return figurePanel({
    title: '会员增长 · 按就业形态',
    filename: '会员增长-按就业形态.csv',
    note: '按入会日期所在年度统计各就业形态的入会人数；累计为截至当年底入会的会员（含已转出、退会的会员）。',
    chart: rows.length
      ? chart({
          label: '各年度按就业形态的入会人数与累计会员',
          signal,
          option: categoryOption({
            categories: rows.map((r) => `${r.year}年`),
            axes: [
              { name: '入会（人）', integer: true },
              { name: '累计（人）', integer: true },
            ],
            series: [
              ...forms.map((k) => ({
                name: label(EMPLOYMENT_FORMS, k),
                type: 'bar',
                stack: 'joined',
                data: rows.map((r) => (r.by_form || {})[k] || 0),
                format: (v) => `${v} 人`,
              })),
              { name: '累计', type: 'line', right: true, data: rows.map((r) => r.total), format: (v) => `${v} 人` },
            ],
          }),
        })
      : null,
    table: simpleTable({
      caption: '按就业形态的入会人数',
      columns: [
        { key: 'year', title: '年度', nowrap: true },
        ...forms.map((k) => ({
          key: k,
          title: label(EMPLOYMENT_FORMS, k),
          align: 'right',
          render: (r) => String((r.by_form || {})[k] || 0),
        })),
        { key: 'joined', title: '当年入会', align: 'right' },
        { key: 'total', title: '累计', align: 'right' },
      ],
      rows,
      empty: '还没有会员',
    }),
  });
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
