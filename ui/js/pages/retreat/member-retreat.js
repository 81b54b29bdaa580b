// member-retreat.js — a member's recuperation bookings (/m/retreat.html, phone
// first): each booking with its departure, status (waiting for the union,
// confirmed, on the waiting list at position N …), what the member pays, and
// cancelling before the deadline; a link to the catalogue to book more. A
// waiting-list place that became a booking (someone cancelled) is announced
// at the top until the member taps 知道了 — there is no SMS; this notice is
// how the member learns they are going.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { privatePage, failPage } from '../../lib/shell.js';
import { label, fmtTime } from '../../lib/format.js';
import { tag, toast, busy, confirmDialog } from '../../lib/ui.js';
import { BOOKING_STATUS, BOOKING_STATUS_TONE, yuan, shortDate } from '../../lib/retreat.js';

const app = document.getElementById('m-app');

boot();

async function boot() {
  if (await privatePage({ home: '/m/', app, head: document.getElementById('m-head-actions') })) load();
}

async function load() {
  let r;
  try {
    r = await api.get('/api/v1/retreat/bookings', { per_page: 100 });
  } catch (e) {
    return failPage(app, `预订加载失败：${e.message}`);
  }
  const live = r.items.filter((b) => ['waitlisted', 'pending', 'confirmed'].includes(b.status));
  const past = r.items.filter((b) => !live.includes(b));
  const news = r.items.filter((b) => b.promotion_unread);
  mount(
    app,
    h('div', { class: 'm-hello' }, h('h1', '我的疗休养'), h('p', { class: 'muted' }, '预订、候补与出行记录')),
    h(
      'nav',
      { class: 'm-tabs', 'aria-label': '页面导航' },
      h('a', { href: '/retreat/' }, icon('search', 16), '浏览疗休养线路'),
      h('a', { href: '/m/' }, icon('card', 16), '我的会员服务'),
    ),
    news.length ? h('section', { class: 'rt-notices', 'aria-label': '通知' }, news.map(notice)) : null,
    h(
      'section',
      { 'aria-label': '当前预订' },
      h('h2', { class: 'panel-title' }, `当前预订（${live.length}）`),
      live.length
        ? h('div', { class: 'rt-bookings' }, live.map(card))
        : h(
            'div',
            { class: 'panel' },
            h(
              'div',
              { class: 'state state-empty' },
              '还没有预订。',
              h('a', { href: '/retreat/' }, '去看看疗休养线路 ›'),
            ),
          ),
    ),
    past.length
      ? h(
          'section',
          { 'aria-label': '历史记录', style: { marginTop: '18px' } },
          h('h2', { class: 'panel-title' }, '历史记录'),
          h('div', { class: 'rt-bookings' }, past.map(card)),
        )
      : null,
  );
}

// What a promotion means for the member, in one sentence.
function promotionText(b) {
  const go = b.status === 'confirmed' ? `请于${shortDate(b.depart_date)}按时出行` : '名额已为您保留，等待所在工会确认';
  const out = b.can_cancel ? `；如不能出行，请于${shortDate(b.cancel_by)}前在本页取消，名额将让给下一位候补` : '';
  return `${go}${out}。`;
}

function notice(b) {
  const ok = h(
    'button',
    { type: 'button', class: 'btn btn-sm', onclick: (ev) => markRead(ev.currentTarget, b) },
    '知道了',
  );
  return h(
    'div',
    { class: 'rt-notice', role: 'status', dataset: { bookingId: b.id } },
    h('div', { class: 'rt-notice-title' }, icon('check', 16), '候补已转为正式预订'),
    h('p', `“${b.route_title}” ${shortDate(b.depart_date)}出发：${promotionText(b)}`),
    h(
      'div',
      { class: 'rt-notice-foot' },
      h('span', { class: 'muted small' }, `递补时间 ${fmtTime(b.promoted_at)}`),
      ok,
    ),
  );
}

async function markRead(btn, b) {
  busy(btn, true, '…');
  try {
    await api.post(`/api/v1/retreat/bookings/${b.id}/notice-read`, {});
    load();
  } catch (e) {
    busy(btn, false);
    toast(e.message, 'error');
  }
}

function card(b) {
  const st = b.status === 'waitlisted' ? `候补第 ${b.waitlist_position} 位` : label(BOOKING_STATUS, b.status);
  const notes = [];
  if (b.status === 'pending') notes.push('名额已为您保留，等待所在工会确认');
  if (b.status === 'waitlisted') notes.push('有人取消时按候补顺序自动递补');
  if (b.promoted_at) notes.unshift(`${fmtTime(b.promoted_at)} 由候补递补`);
  if (['pending', 'confirmed'].includes(b.status))
    notes.push(
      b.can_cancel ? `${shortDate(b.cancel_by)}前可自行取消` : '已过自行取消的截止日期，如需取消请联系所在工会',
    );
  if (b.reason && ['cancelled', 'rejected'].includes(b.status)) notes.push(`原因：${b.reason}`);
  return h(
    'article',
    { class: 'rt-booking', dataset: { bookingId: b.id } },
    h(
      'div',
      { class: 'rt-booking-head' },
      h('a', { class: 'rt-booking-title', href: `/retreat/route.html?id=${b.route_id}` }, b.route_title),
      h(
        'span',
        { class: 'rt-booking-tags' },
        b.promotion_unread ? tag('候补递补', 'red') : null,
        tag(st, BOOKING_STATUS_TONE[b.status]),
      ),
    ),
    h(
      'div',
      { class: 'rt-booking-sub' },
      `${shortDate(b.depart_date)} — ${shortDate(b.return_date)} · ${b.destination}`,
    ),
    h(
      'div',
      { class: 'rt-booking-sub' },
      `会员自付 ${yuan(b.member_price_fen)}`,
      b.subsidy_fen ? `（工会补助 ${yuan(b.subsidy_fen)}）` : '',
    ),
    notes.length ? h('div', { class: 'rt-note' }, notes.join('；')) : null,
    b.can_cancel
      ? h(
          'div',
          { class: 'rt-booking-actions' },
          h(
            'button',
            { type: 'button', class: 'btn btn-danger btn-sm', onclick: (ev) => cancel(ev.currentTarget, b) },
            b.status === 'waitlisted' ? '取消候补' : '取消预订',
          ),
        )
      : null,
  );
}

async function cancel(btn, b) {
  const ok = await confirmDialog({
    title: b.status === 'waitlisted' ? '取消候补' : '取消预订',
    message: `确定取消“${b.route_title}” ${shortDate(b.depart_date)}出发的${b.status === 'waitlisted' ? '候补' : '预订'}？名额会自动让给候补的会员。`,
    okText: '确定取消',
    danger: true,
  });
  if (!ok) return;
  busy(btn, true, '取消中…');
  try {
    await api.post(`/api/v1/retreat/bookings/${b.id}/cancel`, {});
    toast('已取消', 'success');
    load();
  } catch (e) {
    busy(btn, false);
    toast(e.message, 'error');
  }
}
