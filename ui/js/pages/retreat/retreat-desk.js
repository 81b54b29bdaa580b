// retreat-desk.js — 疗休养接待 for a provider account (#/desk): the
// departures of the routes this provider serves, next ones first, with how
// many travel, wait for their union or wait for a seat; and each departure's
// passenger list (#/desk/{id}) so the guest-house can prepare rooms and
// meals — names masked as everywhere outside the unions, mobile tails, the
// booking's status and the traveller's union. The server shows nothing of
// other providers' routes and records every look at a passenger list.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { href } from '../../lib/router.js';
import { label, options, fmtTime } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { simpleTable } from '../../lib/simpletable.js';
import { stats } from '../../lib/csvimport.js';
import { pageHeader, panel, tag } from '../../lib/ui.js';
import {
  BOOKING_STATUS,
  BOOKING_STATUS_TONE,
  DEPARTURE_STATUS,
  DEPARTURE_STATUS_TONE,
  shortDate,
  weekday,
  ensureRetreatCss,
} from '../../lib/retreat.js';

const WHEN = { upcoming: '近期和未来', past: '已结束', all: '全部' };

function dates(d) {
  return d.days > 1
    ? `${shortDate(d.depart_date)}（${weekday(d.depart_date)}）— ${shortDate(d.return_date)}`
    : `${shortDate(d.depart_date)}（${weekday(d.depart_date)}）`;
}

function headcount(d) {
  return h('span', { class: 'nowrap' }, h('strong', String(d.passengers)), ` / ${d.seats} 人`);
}

export default function deskPage(ctx) {
  if (ctx.params.id) return departurePage(ctx);
  ensureRetreatCss();
  const table = createTable({
    caption: '接待批次',
    search: [{ name: 'when', label: '时间', type: 'select', options: options(WHEN), value: 'upcoming' }],
    initial: { when: 'upcoming' },
    onRowClick: (d) => ctx.router.navigate(`/desk/${d.id}`),
    columns: [
      { key: 'depart_date', title: '出发 — 返程', nowrap: true, render: dates },
      {
        key: 'route_title',
        title: '线路',
        render: (d) => h('a', { href: href('/desk/{id}', { id: d.id }) }, d.route_title),
      },
      { key: 'org_name', title: '主办工会' },
      { key: 'passengers', title: '接待人数', nowrap: true, render: headcount },
      {
        key: 'pending',
        title: '待工会确认',
        align: 'right',
        nowrap: true,
        render: (d) => (d.pending ? tag(String(d.pending), 'blue') : '0'),
      },
      { key: 'waitlisted', title: '候补', align: 'right', nowrap: true },
      {
        key: 'status',
        title: '批次状态',
        nowrap: true,
        render: (d) => tag(label(DEPARTURE_STATUS, d.status), DEPARTURE_STATUS_TONE[d.status]),
      },
    ],
    empty: '没有符合条件的出发批次',
    fetch: (p, signal) => api.get('/api/v1/me/departures', p, { signal }),
  });
  return h(
    'div',
    pageHeader({
      title: '疗休养接待',
      desc: '本机构参与的疗休养线路的出发批次；点开批次查看接待名单，提前安排住宿和餐饮',
    }),
    table.el,
  );
}

function departurePage(ctx) {
  ensureRetreatCss();
  const id = Number(ctx.params.id);
  const body = h(
    'div',
    h(
      'div',
      { class: 'panel' },
      h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'),
    ),
  );
  const el = h('div', h('a', { class: 'back-link', href: '#/desk' }, icon('arrowLeft', 16), '返回接待批次'), body);
  load();
  return el;

  async function load() {
    let d;
    try {
      d = await api.get(`/api/v1/me/departures/${id}`, undefined, { signal: ctx.signal });
    } catch (e) {
      if (e.name === 'AbortError') return;
      mount(
        body,
        h(
          'div',
          { class: 'panel' },
          h(
            'div',
            { class: 'state state-error', role: 'alert' },
            e.status === 404 ? '该出发批次不存在，或不是本机构接待的线路。' : e.message,
          ),
        ),
      );
      return;
    }
    document.title = `接待名单：${d.route_title} - 工会服务平台`;
    const contact = [d.org_contact_name, d.org_contact_phone].filter(Boolean).join(' ');
    mount(
      body,
      pageHeader({
        title: d.route_title,
        desc: `${dates(d)} · ${d.destination || ''}${d.days ? ` · ${d.days}天` : ''}`,
        actions: [
          h('button', { type: 'button', class: 'btn', onclick: () => window.print() }, icon('file', 16), '打印名单'),
        ],
      }),
      d.status === 'cancelled'
        ? h('div', { class: 'notice notice-error', role: 'alert' }, '该批次已由主办工会取消，无需接待。')
        : null,
      panel(
        '批次概况',
        h(
          'dl',
          { class: 'rt-kv' },
          h('dt', '主办工会'),
          h('dd', d.org_name, contact ? h('span', { class: 'muted' }, `（联系人：${contact}）`) : null),
          h('dt', '批次状态'),
          h('dd', tag(label(DEPARTURE_STATUS, d.status), DEPARTURE_STATUS_TONE[d.status])),
          h('dt', '名额'),
          h('dd', `${d.seats} 个，余 ${d.seats_left} 个`),
        ),
        stats([
          [d.passengers, '接待人数', 'is-total'],
          [d.confirmed + d.completed, d.completed ? '已确认 / 已出行' : '已确认'],
          [d.pending, '待工会确认'],
          [d.waitlisted, '候补'],
        ]),
      ),
      panel(
        `接待名单（${d.items.length} 人）`,
        h(
          'p',
          { class: 'panel-lead' },
          '姓名已打码，入住时请核对游客本人证件；“待工会确认”的名额已为会员保留，以所在工会确认为准。',
        ),
        simpleTable({
          caption: '接待名单',
          columns: [
            { key: 'n', title: '序号', nowrap: true, render: (p) => String(d.items.indexOf(p) + 1) },
            { key: 'name_masked', title: '姓名', nowrap: true },
            {
              key: 'mobile_tail',
              title: '手机尾号',
              nowrap: true,
              render: (p) => (p.mobile_tail ? h('span', { class: 'mono' }, p.mobile_tail) : '—'),
            },
            { key: 'org_name', title: '所在工会' },
            {
              key: 'status',
              title: '状态',
              nowrap: true,
              render: (p) => tag(label(BOOKING_STATUS, p.status), BOOKING_STATUS_TONE[p.status]),
            },
            { key: 'booked_at', title: '预订时间', nowrap: true, render: (p) => fmtTime(p.booked_at) },
          ],
          rows: d.items,
          empty: '还没有会员预订该批次',
        }),
      ),
    );
  }
}
