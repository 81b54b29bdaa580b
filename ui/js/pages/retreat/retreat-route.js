// retreat-route.js — one recuperation route (/retreat/route.html?id=N, no
// log-in needed to read): every fact of the route, the price breakdown, the
// itinerary by day, who may book, and its departures with seats left. A
// logged-in member sees whether they may book, books a seat (or a place on
// the waiting list) and sees the seats left drop at once.
import { h, mount } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { publicPage } from '../../lib/shell.js';
import { label, today } from '../../lib/format.js';
import { tag, toast, busy, confirmDialog } from '../../lib/ui.js';
import {
  PROVIDER_KINDS,
  BOOKING_STATUS,
  BOOKING_STATUS_TONE,
  CONFIRMATION,
  priceBlock,
  yuan,
  shortDate,
  weekday,
} from '../../lib/retreat.js';

const app = document.getElementById('rt-app');
const head = document.getElementById('rt-head');
const id = Number(new URLSearchParams(location.search).get('id'));
const here = `${location.pathname}${location.search}`;
let user = null;

boot();

async function boot() {
  if (!Number.isInteger(id) || id <= 0) return fail('线路编号无效', false);
  user = await publicPage({ head, member: ['/m/retreat.html', '我的预订'] });
  await load();
}

function fail(message, retry = true) {
  mount(
    app,
    h(
      'div',
      { class: 'state state-error', role: 'alert' },
      message,
      retry ? h('button', { type: 'button', class: 'btn btn-sm', onclick: load }, '重试') : null,
    ),
  );
}

async function load() {
  let r;
  let el = null;
  try {
    r = await api.get(`/api/v1/retreat/routes/${id}`);
  } catch (e) {
    return fail(e.status === 404 ? '该线路不存在或已下架' : `线路加载失败：${e.message}`, e.status !== 404);
  }
  if (user && user.role === 'member') {
    try {
      el = await api.get(`/api/v1/retreat/routes/${id}/eligibility`);
    } catch {
      el = null;
    }
  }
  document.title = `${r.title} - 职工疗休养 - 工会服务平台`;
  render(r, el);
}

const section = (title, ...children) =>
  h('section', { class: 'panel', 'aria-label': title }, h('h2', { class: 'panel-title' }, title), children);

// Photos: the original images (the server makes no thumbnails), shown in
// a frame of their own proportions with their width and height, so the
// page does not jump while they load.
const img = (p, alt, lazy = true) =>
  h('img', { src: p.url, width: p.width, height: p.height, alt, loading: lazy ? 'lazy' : null, decoding: 'async' });

function photoStrip(r) {
  const all = (r.photos || []).map((p) => [p, r.title]);
  if (!all.length) for (const pv of r.providers || []) for (const p of pv.photos || []) all.push([p, pv.name]);
  if (!all.length) return null;
  return h(
    'ul',
    { class: 'rt-photos', 'aria-label': '照片' },
    all.map(([p, alt], i) => h('li', img(p, `${alt}照片 ${i + 1}`, i > 0))),
  );
}

function render(r, el) {
  const headBox = h(
    'section',
    { class: 'rt-route-head' },
    photoStrip(r),
    h(
      'div',
      { class: 'rt-card-top' },
      r.themes.map((t) => tag(t, t === '红色' ? 'red' : 'blue')),
      r.eligibility.cross_region ? tag('跨区域合作线路', 'orange') : null,
      r.eligibility.frontline_only ? tag('一线职工专享', 'orange') : null,
    ),
    h('h1', r.title),
    h(
      'div',
      { class: 'rt-facts' },
      h('span', `目的地：${r.destination}`),
      h('span', `${r.days} 天`),
      h('span', `主办：${r.org_name}`),
      h('span', `确认方式：${label(CONFIRMATION, r.rules.confirmation)}`),
    ),
    r.summary ? h('p', { class: 'rt-summary' }, r.summary) : null,
    priceBlock(r, { large: true }),
    h(
      'table',
      { class: 'rt-breakdown', 'aria-label': '价格构成' },
      h(
        'tbody',
        h('tr', h('td', '线路全价（每人）'), h('td', yuan(r.price_fen))),
        h('tr', h('td', '工会补助'), h('td', `− ${yuan(r.subsidy_fen)}`)),
        h('tr', { class: 'is-total' }, h('td', '会员自付'), h('td', yuan(r.member_price_fen))),
      ),
    ),
  );
  const itinerary = section(
    '行程安排',
    h(
      'ol',
      { class: 'rt-days' },
      r.itinerary.map((d) =>
        h(
          'li',
          { class: 'rt-day' },
          h('span', { class: 'rt-day-n', 'aria-hidden': 'true' }, d.day),
          h('div', { class: 'rt-day-title' }, `第 ${d.day} 天　${d.title}`),
          d.detail ? h('div', { class: 'rt-day-detail' }, d.detail) : null,
        ),
      ),
    ),
  );
  const included = r.inclusions.length
    ? section(
        '费用包含',
        h(
          'ul',
          { class: 'rt-list' },
          r.inclusions.map((s) => h('li', s)),
        ),
      )
    : null;
  const providers = section(
    '服务机构',
    h(
      'div',
      { class: 'rt-deps' },
      r.providers.map((p) =>
        h(
          'div',
          { class: 'rt-dep' },
          h(
            'div',
            h('div', { class: 'rt-dep-date' }, p.name),
            h('div', { class: 'rt-dep-sub' }, [label(PROVIDER_KINDS, p.kind), p.address].filter(Boolean).join(' · ')),
            p.partner_department ? h('div', { class: 'rt-dep-sub' }, `准入：${p.partner_department}联合评定`) : null,
            (p.photos || []).length
              ? h(
                  'div',
                  { class: 'rt-prov-photos' },
                  p.photos.slice(0, 3).map((x, i) => img(x, `${p.name}照片 ${i + 1}`)),
                )
              : null,
          ),
        ),
      ),
    ),
  );
  const e = r.eligibility;
  const who = section(
    '谁可以预订',
    h(
      'dl',
      { class: 'rt-kv' },
      h('dt', '可预订工会'),
      h(
        'dd',
        e.orgs.map((o) => o.name).join('、'),
        '的会员',
        e.cross_region ? h('div', { class: 'rt-note' }, '含跨区域合作协议内的工会') : null,
      ),
      h('dt', '入会年限'),
      h('dd', e.min_member_years ? `入会满 ${e.min_member_years} 年` : '不限'),
      h('dt', '人员范围'),
      h('dd', e.frontline_only ? '仅限一线职工' : '全体会员（一线职工、劳模优先）'),
      h('dt', '补助次数'),
      h('dd', `每人每年享受 ${r.rules.max_subsidised_per_year} 次工会补助的疗休养`),
      h('dt', '取消规则'),
      h('dd', `出发前 ${r.rules.cancel_deadline_days} 天内不能自行取消`),
      r.rules.frontline_window_days ? h('dt', '优先预订') : null,
      r.rules.frontline_window_days
        ? h('dd', `一线职工、劳模比公开预订提前 ${r.rules.frontline_window_days} 天`)
        : null,
    ),
  );
  mount(
    app,
    h(
      'div',
      { class: 'rt-route' },
      h('div', { class: 'rt-route-main' }, headBox, itinerary, included, providers),
      h('div', { class: 'rt-route-side' }, departures(r, el), who),
    ),
  );
}

function departures(r, el) {
  const mine = new Map(((el && el.bookings) || []).map((b) => [b.departure_id, b]));
  const isMember = user && user.role === 'member';
  let notice = null;
  if (!user)
    notice = h(
      'div',
      { class: 'rt-alert' },
      '登录会员账号后即可预订。',
      h('a', { href: `/login.html?next=${encodeURIComponent(here)}` }, ' 去登录 ›'),
    );
  else if (!isMember) notice = h('div', { class: 'rt-alert' }, '工作人员可在管理后台为会员代为预订。');
  else if (el && !el.eligible)
    notice = h(
      'div',
      { class: 'rt-alert is-warn', role: 'note' },
      el.reasons.map((x) => h('div', x.message)),
    );
  else if (el && el.subsidised && el.subsidised_used >= el.max_subsidised_per_year)
    notice = h(
      'div',
      { class: 'rt-alert is-warn' },
      `您今年已享受 ${el.subsidised_used} 次工会补助的疗休养（每年 ${el.max_subsidised_per_year} 次）。`,
    );
  const t = today();
  const rows = r.departures.map((d) => {
    const pct = d.seats ? Math.round((d.seats_left / d.seats) * 100) : 0;
    const b = mine.get(d.id);
    let action;
    if (b) {
      action = h(
        'div',
        { class: 'rt-mine' },
        tag(
          b.status === 'waitlisted' ? `候补第 ${b.waitlist_position} 位` : label(BOOKING_STATUS, b.status),
          BOOKING_STATUS_TONE[b.status],
        ),
        h('div', h('a', { href: '/m/retreat.html' }, '查看我的预订')),
      );
    } else if (d.status !== 'open') {
      action = h('button', { type: 'button', class: 'btn', disabled: true }, '已截止');
    } else if (
      d.opens_on &&
      t < d.opens_on &&
      !(el && el.priority && d.frontline_opens_on && t >= d.frontline_opens_on)
    ) {
      action = h(
        'div',
        { class: 'rt-mine muted' },
        `${shortDate(d.opens_on)}开放预订`,
        d.frontline_opens_on !== d.opens_on ? h('div', `一线职工 ${shortDate(d.frontline_opens_on)} 起`) : null,
      );
    } else if (!isMember) {
      action = user
        ? null
        : h('a', { class: 'btn btn-primary', href: `/login.html?next=${encodeURIComponent(here)}` }, '登录预订');
    } else {
      const full = d.seats_left <= 0;
      action = h(
        'button',
        {
          type: 'button',
          class: ['btn', !full && 'btn-primary'],
          disabled: el && !el.eligible,
          dataset: { departureId: d.id },
          onclick: (ev) => book(ev.currentTarget, r, d, full),
        },
        full ? '加入候补' : '预订',
      );
    }
    return h(
      'div',
      { class: 'rt-dep', dataset: { departureId: d.id } },
      h('div', { class: 'rt-dep-date' }, `${shortDate(d.depart_date)} ${weekday(d.depart_date)} 出发`),
      h('div', { class: 'rt-dep-sub' }, `${shortDate(d.return_date)}返程 · 共 ${d.seats} 个名额`),
      h(
        'div',
        { class: ['rt-bar', pct < 20 && 'is-low'], 'aria-hidden': 'true' },
        h('span', { style: { width: `${pct}%` } }),
      ),
      h(
        'div',
        { class: ['rt-dep-left', d.seats_left > 0 ? '' : 'is-none'], 'data-seats-left': d.seats_left },
        d.seats_left > 0
          ? h('span', '余 ', h('strong', { class: 'rt-seats-left' }, d.seats_left), ' 个名额')
          : h('strong', { class: 'rt-seats-left' }, '名额已满'),
      ),
      h('div', { class: 'rt-dep-action' }, action),
    );
  });
  const box = section(
    '出发批次',
    notice,
    rows.length
      ? h('div', { class: 'rt-deps' }, rows)
      : h('div', { class: 'state state-empty' }, '暂无可预订的出发批次'),
  );
  box.classList.add('rt-deps-panel');
  box.id = 'departures';
  return box;
}

async function book(btn, r, d, waitlist) {
  const ok = await confirmDialog({
    title: waitlist ? '加入候补名单' : '确认预订',
    message: waitlist
      ? `“${r.title}” ${shortDate(d.depart_date)}出发批次的名额已满。加入候补后，有人取消时系统按候补顺序自动递补，递补成功会通知您。`
      : `预订“${r.title}” ${shortDate(d.depart_date)}出发批次：会员自付 ${yuan(r.member_price_fen)}（工会补助 ${yuan(r.subsidy_fen)}）。${r.rules.confirmation === 'union' ? '提交后由您所在工会确认。' : '提交即确认。'}出发前 ${r.rules.cancel_deadline_days} 天内不能自行取消。`,
    okText: waitlist ? '加入候补' : '确认预订',
  });
  if (!ok) return;
  busy(btn, true, '提交中…');
  try {
    const b = await api.post('/api/v1/retreat/bookings', { departure_id: d.id, waitlist });
    toast(
      b.status === 'waitlisted'
        ? `已加入候补，当前第 ${b.waitlist_position} 位`
        : b.status === 'confirmed'
          ? '预订成功，已确认'
          : '预订成功，等待所在工会确认',
      'success',
    );
    await load();
  } catch (e) {
    busy(btn, false);
    toast(e.message, 'error');
    if (e.code === 'departure_full') await load();
  }
}
