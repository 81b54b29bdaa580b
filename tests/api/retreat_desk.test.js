// The people around a departure, beyond the union: the provider's desk
// (接待名单) — a provider account sees the departures of its own provider's
// routes with the passengers (masked names, mobile tails, status), nothing of
// other providers' routes (404), every passenger list read audited — and the
// member whose waiting-list place became a booking, who finds an in-app
// notice on their bookings page until they have read it, and may still
// decline a seat that came after the cancellation deadline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { idFor, mobileFor } from '../lib/ids.js';
import { rawSql } from '../lib/sql.js';

let srv, anon, admin, js, nj;
const org = {};
let seq = 7600; // person numbers for idFor/mobileFor, unique in this file

const DAY = 86400000;
function day(n) {
  return new Date(Date.now() + 8 * 3600000 + n * DAY).toISOString().slice(0, 10);
}

before(async () => {
  srv = await startServer({ args: ['--trust-proxy'] });
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  js = await anon.login('js_officer', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  for (const o of (await admin.get('/api/v1/orgs?per_page=100')).body.items) org[o.name] = o.id;
});
after(async () => srv && srv.stop());

const sql = (s) => rawSql(srv.db.url, s);
const count = (s) => Number(sql(s));

async function member(orgName, { officer = js } = {}) {
  const n = seq++;
  const name = `接待测试${n}`;
  const m = await officer.post('/api/v1/members', {
    name,
    id_number: idFor(n),
    mobile: mobileFor(n),
    org_id: org[orgName],
    employment_form: 'employee',
    frontline: true,
    join_date: '2020-03-01',
  });
  assert.equal(m.status, 201, JSON.stringify(m.body));
  const a = await anon.post(
    '/api/v1/member-activation',
    { id_number: idFor(n), mobile: mobileFor(n), password: `pw${n}abcd` },
    { headers: { 'X-Forwarded-For': `10.8.${Math.floor(n / 250) % 250}.${n % 250}` } },
  );
  assert.equal(a.status, 201, JSON.stringify(a.body));
  const c = await anon.login(mobileFor(n), `pw${n}abcd`);
  Object.assign(c, { memberId: m.body.id, name, mobile: mobileFor(n), idNumber: idFor(n) });
  return c;
}

// An admitted provider managed by Nanjing, with a front-desk account.
async function provider(label) {
  const p = await nj.post('/api/v1/providers', {
    kind: 'guesthouse',
    name: `${label}民宿${seq++}`,
    region_code: '320118',
    contact_phone: '025-57351234',
  });
  assert.equal(p.status, 201, JSON.stringify(p.body));
  const a = await nj.post(`/api/v1/providers/${p.body.id}/status`, { status: 'admitted', reason: '联合评定准入' });
  assert.equal(a.status, 200, JSON.stringify(a.body));
  const login = `desk${seq++}`;
  const u = await admin.post('/api/v1/users', {
    login,
    display_name: `${label}前台`,
    role: 'provider',
    provider_id: p.body.id,
    password: 'Provider@2026',
  });
  assert.equal(u.status, 201, JSON.stringify(u.body));
  const client = await anon.login(login, 'Provider@2026');
  return { id: p.body.id, name: p.body.name, client };
}

// A published route of the province (no subsidy, so no member's yearly
// quota gets in the way) with a departure.
async function trip(providerIds, { seats = 3, date = day(30), title = `接待测试线路${seq++}` } = {}) {
  const r = await js.post('/api/v1/retreat/admin/routes', {
    org_id: org['江苏省总工会'],
    title,
    destination: '南京高淳',
    region_code: '320118',
    days: 2,
    price_fen: 98000,
    subsidy_fen: 0,
    itinerary: [
      { day: 1, title: '抵达' },
      { day: 2, title: '返程' },
    ],
    inclusions: ['住宿'],
    themes: ['乡村'],
    provider_ids: providerIds,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(
    (await js.post(`/api/v1/retreat/admin/routes/${r.body.id}/status`, { status: 'published' })).status,
    200,
  );
  const d = await js.post(`/api/v1/retreat/admin/routes/${r.body.id}/departures`, { depart_date: date, seats });
  assert.equal(d.status, 201, JSON.stringify(d.body));
  return { route: r.body, dep: d.body };
}

async function book(m, depId, waitlist = false) {
  const b = await m.post('/api/v1/retreat/bookings', { departure_id: depId, waitlist });
  assert.equal(b.status, 201, JSON.stringify(b.body));
  return b.body;
}

test("a provider sees its own departures and their passengers, masked; other providers' are absent; audited", async () => {
  const A = await provider('慢城');
  const B = await provider('竹镇');
  const C = await provider('桠溪');
  const t1 = await trip([A.id, C.id], { seats: 3 }); // two providers share this route
  const t2 = await trip([B.id]);
  const m1 = await member('南京紫金软件股份有限公司工会');
  const m2 = await member('江苏华建建设集团有限公司工会');
  const m3 = await member('苏州平江路文旅发展有限公司工会');
  const m4 = await member('南京紫金软件股份有限公司工会');
  const m5 = await member('南京紫金软件股份有限公司工会');
  const b1 = await book(m1, t1.dep.id);
  const b2 = await book(m2, t1.dep.id);
  assert.equal((await js.post(`/api/v1/retreat/bookings/${b2.id}/confirm`)).status, 200);
  const b3 = await book(m3, t1.dep.id);
  assert.equal((await m3.post(`/api/v1/retreat/bookings/${b3.id}/cancel`, {})).status, 200);
  await book(m4, t1.dep.id);
  await book(m5, t1.dep.id, true); // full: waits
  await book(m3, t2.dep.id);

  // the list: this provider's departures only, with counts
  const list = await A.client.get('/api/v1/me/departures');
  assert.equal(list.status, 200, JSON.stringify(list.body));
  assert.deepEqual(
    list.body.items.map((d) => d.id),
    [t1.dep.id],
  );
  const row = list.body.items[0];
  assert.equal(row.route_title, t1.route.title);
  assert.equal(row.return_date, day(31));
  assert.equal(row.org_name, '江苏省总工会');
  assert.deepEqual(
    [row.pending, row.confirmed, row.waitlisted, row.cancelled, row.passengers, row.seats_left],
    [2, 1, 1, 1, 3, 0],
  );
  // the passenger list
  const auditBefore = count(
    `SELECT COUNT(*) FROM audit_log WHERE action = 'retreat.departure.passengers' AND object_id = ${t1.dep.id}`,
  );
  const det = await A.client.get(`/api/v1/me/departures/${t1.dep.id}`);
  assert.equal(det.status, 200, JSON.stringify(det.body));
  assert.deepEqual(
    det.body.items.map((p) => p.booking_id),
    [b1.id, b2.id, det.body.items[2].booking_id],
  );
  assert.deepEqual(
    det.body.items.map((p) => p.status),
    ['pending', 'confirmed', 'pending'],
  );
  const p1 = det.body.items[0];
  assert.equal(p1.name_masked, `接${'*'.repeat(m1.name.length - 2)}${m1.name.at(-1)}`);
  assert.equal(p1.mobile_tail, m1.mobile.slice(-4));
  assert.equal(p1.org_name, '南京紫金软件股份有限公司工会');
  const text = JSON.stringify(det.body);
  for (const m of [m1, m2, m3, m4, m5]) {
    assert.ok(!text.includes(m.name), 'no full name');
    assert.ok(!text.includes(m.mobile), 'no full mobile');
    assert.ok(!text.includes(m.idNumber.slice(6, 14)), 'nothing of the ID number');
  }
  assert.ok(!det.body.items.some((p) => p.booking_id === b3.id), 'the cancelled are not passengers');
  assert.equal(det.body.items.length, 3, 'nor the waiting');
  assert.equal(
    count(`SELECT COUNT(*) FROM audit_log WHERE action = 'retreat.departure.passengers' AND object_id = ${t1.dep.id}`),
    auditBefore + 1,
  );
  // a route's second provider sees it too
  assert.equal((await C.client.get(`/api/v1/me/departures/${t1.dep.id}`)).status, 200);
  // another provider's departure looks absent, both ways
  const other = await A.client.get(`/api/v1/me/departures/${t2.dep.id}`);
  assert.equal(other.status, 404);
  assert.equal(other.body.error.code, 'departure_not_found');
  assert.equal((await B.client.get(`/api/v1/me/departures/${t1.dep.id}`)).status, 404);
  assert.deepEqual(
    (await B.client.get('/api/v1/me/departures')).body.items.map((d) => d.id),
    [t2.dep.id],
  );
  assert.equal((await A.client.get('/api/v1/me/departures/999999')).status, 404);
  // not for anyone else: officers, members, visitors
  assert.equal((await js.get('/api/v1/me/departures')).status, 403);
  assert.equal((await js.get(`/api/v1/me/departures/${t1.dep.id}`)).status, 403);
  assert.equal((await m1.get('/api/v1/me/departures')).status, 403);
  assert.equal((await anon.get('/api/v1/me/departures')).status, 401);
  // the provider's accounts still cannot reach the unions' own booking lists
  assert.equal((await A.client.get(`/api/v1/retreat/bookings?departure_id=${t1.dep.id}`)).status, 403);

  // a suspended provider still serves the bookings it has
  assert.equal(
    (await nj.post(`/api/v1/providers/${A.id}/status`, { status: 'suspended', reason: '整改' })).status,
    200,
  );
  assert.equal((await A.client.get(`/api/v1/me/departures/${t1.dep.id}`)).status, 200);
  assert.equal(
    (await nj.post(`/api/v1/providers/${A.id}/status`, { status: 'admitted', reason: '整改完成' })).status,
    200,
  );
});

test("a provider's departures: upcoming first, the past apart, date filters checked", async () => {
  const A = await provider('石臼湖');
  const near = await trip([A.id], { date: day(10) });
  const far = await trip([A.id], { date: day(40) });
  const old = await trip([A.id], { date: day(20) });
  // a trip of last year, completed (moved back in time behind the platform's back)
  sql(`UPDATE retreat_departures SET depart_date = '${day(-400)}', status = 'completed' WHERE id = ${old.dep.id}`);
  const up = await A.client.get('/api/v1/me/departures');
  assert.deepEqual(
    up.body.items.map((d) => d.id),
    [near.dep.id, far.dep.id],
  );
  const past = await A.client.get('/api/v1/me/departures?when=past');
  assert.deepEqual(
    past.body.items.map((d) => d.id),
    [old.dep.id],
  );
  assert.equal((await A.client.get('/api/v1/me/departures?when=all')).body.total, 3);
  const ranged = await A.client.get(`/api/v1/me/departures?when=all&from=${day(30)}&to=${day(50)}`);
  assert.deepEqual(
    ranged.body.items.map((d) => d.id),
    [far.dep.id],
  );
  const bad = await A.client.get('/api/v1/me/departures?when=soon');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'when');
  assert.equal((await A.client.get('/api/v1/me/departures?from=2026-13-01')).body.error.field, 'from');
});

test('a waiting-list promotion leaves the member a notice until read; a late seat may still be declined', async () => {
  const A = await provider('游子山');
  const t = await trip([A.id], { seats: 1 });
  const first = await member('南京紫金软件股份有限公司工会');
  const waiting = await member('南京紫金软件股份有限公司工会');
  const stranger = await member('南京紫金软件股份有限公司工会');
  const b1 = await book(first, t.dep.id);
  const w = await book(waiting, t.dep.id, true);
  assert.equal(w.status, 'waitlisted');
  assert.equal(w.promoted_at, null);
  assert.equal(w.promotion_unread, false);
  assert.equal(
    (await first.post(`/api/v1/retreat/bookings/${b1.id}/notice-read`)).body.error.code,
    'no_notice',
    'no promotion, no notice',
  );

  const c = await first.post(`/api/v1/retreat/bookings/${b1.id}/cancel`, {});
  assert.equal(c.body.promoted, 1);
  // the member's bookings carry the notice
  const mine = (await waiting.get('/api/v1/retreat/bookings')).body.items;
  assert.equal(mine.length, 1);
  assert.equal(mine[0].status, 'pending');
  assert.match(mine[0].promoted_at, /^\d{4}-\d\d-\d\dT/);
  assert.equal(mine[0].promotion_unread, true);
  assert.equal(mine[0].cancel_by, day(27));
  // the guest-house sees the promoted member as a passenger
  const det = (await A.client.get(`/api/v1/me/departures/${t.dep.id}`)).body;
  assert.deepEqual(
    det.items.map((p) => [p.booking_id, p.status]),
    [[w.id, 'pending']],
  );

  // only the member marks it read: others get 404 (another member) or 403 (staff)
  assert.equal((await stranger.post(`/api/v1/retreat/bookings/${w.id}/notice-read`)).status, 404);
  assert.equal((await js.post(`/api/v1/retreat/bookings/${w.id}/notice-read`)).status, 403);
  assert.equal((await waiting.post(`/api/v1/retreat/bookings/${w.id}/notice-read`, { x: 1 })).status, 400);
  const audit = () =>
    count(`SELECT COUNT(*) FROM audit_log WHERE action = 'retreat.booking.notice_read' AND object_id = ${w.id}`);
  assert.equal(audit(), 0);
  const read = await waiting.post(`/api/v1/retreat/bookings/${w.id}/notice-read`);
  assert.equal(read.status, 200, JSON.stringify(read.body));
  assert.equal(read.body.promotion_unread, false);
  assert.equal(read.body.promoted_at, mine[0].promoted_at, 'the trace stays');
  const again = await waiting.post(`/api/v1/retreat/bookings/${w.id}/notice-read`);
  assert.equal(again.status, 200, 'reading twice is harmless');
  assert.equal(audit(), 1, 'recorded once');
  // the officers' list shows the trace too
  const staff = (await nj.get(`/api/v1/retreat/bookings?departure_id=${t.dep.id}`)).body.items;
  assert.equal(staff.find((b) => b.id === w.id).promoted_at, mine[0].promoted_at);

  // A seat that comes after the cancellation deadline (3 days before, the
  // province's rule): the promoted member may still decline it until the eve
  // of departure — a seat they never chose in time is not forced on them.
  const soon = await trip([A.id], { seats: 1, date: day(2) });
  const x = await member('南京紫金软件股份有限公司工会');
  const y = await member('南京紫金软件股份有限公司工会');
  const bx = await book(x, soon.dep.id);
  assert.equal(bx.cancel_by, day(-1));
  assert.equal(bx.can_cancel, false);
  const by = await book(y, soon.dep.id, true);
  const oc = await nj.post(`/api/v1/retreat/bookings/${bx.id}/cancel`, { reason: '会员因病不能出行' });
  assert.equal(oc.status, 200, JSON.stringify(oc.body));
  assert.equal(oc.body.promoted, 1);
  const late = (await y.get(`/api/v1/retreat/bookings/${by.id}`)).body;
  assert.equal(late.status, 'pending');
  assert.equal(late.promotion_unread, true);
  assert.equal(late.cancel_by, day(1), 'until the eve of departure');
  assert.equal(late.can_cancel, true);
  const decline = await y.post(`/api/v1/retreat/bookings/${by.id}/cancel`, {});
  assert.equal(decline.status, 200, JSON.stringify(decline.body));
  assert.equal(decline.body.status, 'cancelled');
  assert.equal(decline.body.promotion_unread, false, 'an ended booking has nothing to tell');
});
