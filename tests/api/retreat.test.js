// Recuperation trips (职工疗休养) over HTTP and the CLI: providers admitted
// with history; routes whose member price is always derived; eligibility
// across provinces under cooperation agreements; the public catalogue and
// its filters without log-in; bookings under the seat quota and the yearly
// subsidised-trip quota, with every refused booking writing nothing; the
// waiting list moving up on cancellation; 200 members booking 10 seats at
// once; completion with the subsidies in the ledger; the figures and their
// Excel export; and the CSV initial load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startServer, runCli, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { idFor, mobileFor } from '../lib/ids.js';
import { rawSql } from '../lib/sql.js';

let srv, anon, admin, js, nj, sz, jn, nx;
const org = {};
let seq = 7000; // person numbers for idFor/mobileFor, unique in this file

const DAY = 86400000;
// A date n days from today in China.
function day(n) {
  return new Date(Date.now() + 8 * 3600000 + n * DAY).toISOString().slice(0, 10);
}
const THIS_YEAR = day(0).slice(0, 4);

before(async () => {
  srv = await startServer({ args: ['--trust-proxy'] });
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  js = await anon.login('js_officer', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  sz = await anon.login('sz_officer', DEMO_PASSWORD);
  jn = await anon.login('jn_officer', DEMO_PASSWORD);
  nx = await anon.login('nx_officer', DEMO_PASSWORD);
  for (const o of (await admin.get('/api/v1/orgs?per_page=100')).body.items) org[o.name] = o.id;
});
after(async () => srv && srv.stop());

const sql = (s) => rawSql(srv.db.url, s);
const count = (s) => Number(sql(s));

// A member of orgName with an account, logged in (a distinct client address
// per activation keeps the activation rate limit out of the way).
async function member(orgName, { frontline = true, joined = '2021-03-01', officer = js } = {}) {
  const n = seq++;
  const m = await officer.post('/api/v1/members', {
    name: `疗休${n}`,
    id_number: idFor(n),
    mobile: mobileFor(n),
    org_id: org[orgName],
    employment_form: 'employee',
    frontline,
    join_date: joined,
  });
  assert.equal(m.status, 201, JSON.stringify(m.body));
  const a = await anon.post(
    '/api/v1/member-activation',
    { id_number: idFor(n), mobile: mobileFor(n), password: `pw${n}abcd` },
    { headers: { 'X-Forwarded-For': `10.9.${Math.floor(n / 250) % 250}.${n % 250}` } },
  );
  assert.equal(a.status, 201, JSON.stringify(a.body));
  const c = await anon.login(mobileFor(n), `pw${n}abcd`);
  c.memberId = m.body.id;
  return c;
}

async function provider(c, body = {}) {
  const r = await c.post('/api/v1/providers', {
    kind: 'red_site',
    name: `测试红色景区${seq++}`,
    region_code: '320803',
    address: '淮安市淮安区',
    contact_name: '李明',
    contact_phone: '0517-85912345',
    partner_department: '江苏省文化和旅游厅',
    ...body,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function admitted(c, body) {
  const p = await provider(c, body);
  const r = await c.post(`/api/v1/providers/${p.id}/status`, { status: 'admitted', reason: '资质审核通过' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

function itinerary(days) {
  return Array.from({ length: days }, (_, i) => ({
    day: i + 1,
    title: `第${i + 1}天安排`,
    detail: '参观学习、座谈交流',
  }));
}

function routeBody(providerId, extra = {}) {
  const days = extra.days || 3;
  return {
    org_id: org['江苏省总工会'],
    title: `测试疗休养线路${seq++}`,
    destination: '淮安',
    region_code: '320803',
    days,
    price_fen: 268000,
    subsidy_fen: 160000,
    itinerary: itinerary(days),
    inclusions: ['住宿', '餐饮', '门票'],
    themes: ['红色', '研学'],
    provider_ids: [providerId],
    ...extra,
  };
}

async function route(c, providerId, extra = {}, { publish = true } = {}) {
  const r = await c.post('/api/v1/retreat/admin/routes', routeBody(providerId, extra));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  if (!publish) return r.body;
  const p = await c.post(`/api/v1/retreat/admin/routes/${r.body.id}/status`, { status: 'published' });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  return p.body;
}

async function departure(c, routeId, { seats = 10, date = day(30), opens_on } = {}) {
  const r = await c.post(`/api/v1/retreat/admin/routes/${routeId}/departures`, {
    depart_date: date,
    seats,
    ...(opens_on ? { opens_on } : {}),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function seatsLeft(routeId, depId) {
  const r = await anon.get(`/api/v1/retreat/routes/${routeId}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.departures.find((d) => d.id === depId).seats_left;
}

test('providers: registered, admitted and suspended with history; validation; scope', async () => {
  const bad = await js.post('/api/v1/providers', { kind: 'castle', name: 'X', region_code: '320803' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_choice');
  const badRegion = await js.post('/api/v1/providers', {
    kind: 'guesthouse',
    name: '山水间民宿',
    region_code: '990000',
  });
  assert.equal(badRegion.body.error.code, 'invalid_region_code');
  const badPhone = await js.post('/api/v1/providers', {
    kind: 'guesthouse',
    name: '山水间民宿',
    region_code: '320506',
    contact_phone: '电话',
  });
  assert.equal(badPhone.body.error.code, 'invalid_phone');
  const noDuty = await jn.post('/api/v1/providers', { kind: 'guesthouse', name: '山水间民宿', region_code: '320506' });
  assert.equal(noDuty.status, 403);

  const p = await provider(nj, { kind: 'guesthouse', region_code: '320102' });
  assert.equal(p.status, 'applied');
  assert.equal(p.org_id, org['南京市总工会']);
  // Suzhou cannot see Nanjing's applicant, the province can.
  assert.equal((await sz.get(`/api/v1/providers/${p.id}`)).status, 404);
  assert.equal((await js.get(`/api/v1/providers/${p.id}`)).status, 200);
  assert.equal((await sz.post(`/api/v1/providers/${p.id}/status`, { status: 'admitted' })).status, 404);
  const noReason = await nj.post(`/api/v1/providers/${p.id}/status`, { status: 'suspended' });
  assert.equal(noReason.body.error.code, 'missing_field');
  const ok = await nj.post(`/api/v1/providers/${p.id}/status`, { status: 'admitted', reason: '文旅部门联合验收合格' });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.status, 'admitted');
  // admitted providers are public facts: Suzhou may read (not change) it
  assert.equal((await sz.get(`/api/v1/providers/${p.id}`)).status, 200);
  assert.equal((await sz.patch(`/api/v1/providers/${p.id}`, { address: 'x' })).status, 404);
  const again = await nj.post(`/api/v1/providers/${p.id}/status`, { status: 'admitted' });
  assert.equal(again.body.error.code, 'same_status');
  const h = await nj.get(`/api/v1/providers/${p.id}/history`);
  assert.deepEqual(
    h.body.items.map((x) => x.to_status),
    ['applied', 'admitted'],
  );
  assert.equal(h.body.items[1].reason, '文旅部门联合验收合格');
  const list = await sz.get('/api/v1/providers?admitted=1&kind=guesthouse');
  assert.ok(list.body.items.some((x) => x.id === p.id));
  assert.ok(
    (await sz.get('/api/v1/providers?admitted=1&region=3201')).body.items.some((x) => x.id === p.id),
    'region prefix',
  );
  assert.ok(!(await sz.get('/api/v1/providers?admitted=1&region=3205')).body.items.some((x) => x.id === p.id));
  assert.equal((await sz.get('/api/v1/providers?region=3')).status, 400);
  const mine = await sz.get('/api/v1/providers');
  assert.ok(!mine.body.items.some((x) => x.id === p.id), 'own list: only providers managed in scope');
  assert.ok(count(`SELECT COUNT(*) FROM audit_log WHERE action = 'provider.status' AND object_id = ${p.id}`) === 1);
});

test('routes: member price derived, never typed; itinerary by day; providers and eligible orgs checked', async () => {
  const p = await admitted(js);
  const typed = await js.post('/api/v1/retreat/admin/routes', { ...routeBody(p.id), member_price_fen: 108000 });
  assert.equal(typed.status, 400);
  assert.equal(typed.body.error.code, 'unknown_field');
  assert.equal(typed.body.error.field, 'member_price_fen');
  const over = await js.post('/api/v1/retreat/admin/routes', routeBody(p.id, { subsidy_fen: 300000 }));
  assert.equal(over.body.error.code, 'subsidy_exceeds_price');
  const gap = await js.post('/api/v1/retreat/admin/routes', routeBody(p.id, { days: 3, itinerary: itinerary(2) }));
  assert.equal(gap.body.error.code, 'itinerary_incomplete');
  const twice = await js.post(
    '/api/v1/retreat/admin/routes',
    routeBody(p.id, {
      days: 2,
      itinerary: [
        { day: 1, title: 'a' },
        { day: 1, title: 'b' },
      ],
    }),
  );
  assert.equal(twice.body.error.code, 'itinerary_day');
  const applicant = await provider(nx, { region_code: '640424' });
  const foreign = await js.post('/api/v1/retreat/admin/routes', routeBody(applicant.id));
  assert.equal(foreign.body.error.code, 'provider_not_found', "another province's applicant is not usable");
  const noDuty = await jn.post('/api/v1/retreat/admin/routes', routeBody(p.id, { org_id: org['江宁区总工会'] }));
  assert.equal(noDuty.status, 403);
  const outside = await nj.post('/api/v1/retreat/admin/routes', routeBody(p.id, { org_id: org['苏州市总工会'] }));
  assert.equal(outside.status, 404);
  const theme = await js.post('/api/v1/retreat/admin/routes', routeBody(p.id, { themes: ['红色', '红色'] }));
  assert.equal(theme.body.error.code, 'duplicate_item');
  // outside one's scope only under a cooperation agreement in force: Suzhou
  // has none with Nanjing (the demo's Jiangsu–Ningxia agreement is tested below)
  const noDeal = await sz.post(
    '/api/v1/retreat/admin/routes',
    routeBody(p.id, { org_id: org['苏州市总工会'], eligible_org_ids: [org['苏州市总工会'], org['南京市总工会']] }),
  );
  assert.equal(noDeal.body.error.code, 'org_not_covered');
  assert.match(noDeal.body.error.message, /南京市总工会.*跨区域合作协议/);

  const r = await route(js, p.id, { price_fen: 268000, subsidy_fen: 160000 }, { publish: false });
  assert.equal(r.member_price_fen, 108000);
  assert.equal(r.status, 'draft');
  assert.equal(r.listed, false);
  assert.deepEqual(
    r.itinerary.map((d) => d.day),
    [1, 2, 3],
  );
  assert.equal((await anon.get(`/api/v1/retreat/routes/${r.id}`)).status, 404, 'drafts are not public');
  const u = await js.patch(`/api/v1/retreat/admin/routes/${r.id}`, { price_fen: 300000 });
  assert.equal(u.status, 200, JSON.stringify(u.body));
  assert.equal(u.body.member_price_fen, 140000);
  assert.equal(u.body.subsidy_fen, 160000);
  assert.equal(
    (await js.patch(`/api/v1/retreat/admin/routes/${r.id}`, { member_price_fen: 1 })).body.error.code,
    'unknown_field',
  );
  assert.equal(
    (await js.patch(`/api/v1/retreat/admin/routes/${r.id}`, { days: 4 })).body.error.code,
    'itinerary_incomplete',
  );
  const pub = await js.post(`/api/v1/retreat/admin/routes/${r.id}/status`, { status: 'published' });
  assert.equal(pub.body.listed, true);
  const pubView = await anon.get(`/api/v1/retreat/routes/${r.id}`);
  assert.equal(pubView.status, 200);
  assert.equal(pubView.body.price_fen - pubView.body.subsidy_fen, pubView.body.member_price_fen);
  assert.equal(pubView.body.status, undefined, 'the public page carries no management fields');
  // the member price is not a stored column anywhere
  const cols = srv.db.url.startsWith('sqlite:')
    ? sql("SELECT group_concat(name) FROM pragma_table_info('retreat_routes')")
    : sql("SELECT string_agg(column_name, ',') FROM information_schema.columns WHERE table_name = 'retreat_routes'");
  assert.ok(!cols.includes('member_price'), cols);

  // only admitted providers' routes are shown: suspension hides, re-admission shows
  const s = await js.post(`/api/v1/providers/${p.id}/status`, {
    status: 'suspended',
    reason: '消防检查未通过，整改期间暂停',
  });
  assert.equal(s.status, 200);
  assert.equal((await anon.get(`/api/v1/retreat/routes/${r.id}`)).status, 404);
  assert.equal((await js.get(`/api/v1/retreat/admin/routes/${r.id}`)).body.listed, false);
  await js.post(`/api/v1/providers/${p.id}/status`, { status: 'admitted', reason: '整改完成' });
  assert.equal((await anon.get(`/api/v1/retreat/routes/${r.id}`)).status, 200);
});

test('public catalogue: no log-in, filters, paging, derived prices, short public caching', async () => {
  const p = await admitted(js, { kind: 'retreat_base', region_code: '320506' });
  const tag = `康养${seq++}`.slice(0, 10);
  const made = [];
  for (let i = 0; i < 5; i++) {
    const r = await route(js, p.id, {
      themes: [tag, i % 2 ? '乡村' : '康养'],
      region_code: i < 3 ? '320506' : '640502',
      days: 2 + i,
      itinerary: itinerary(2 + i),
      price_fen: 100000 + i * 50000,
      subsidy_fen: 50000,
    });
    made.push(r);
  }
  await departure(js, made[0].id, { seats: 5 });
  const list = await anon.get(`/api/v1/retreat/routes?theme=${encodeURIComponent(tag)}&per_page=2`);
  assert.equal(list.status, 200, JSON.stringify(list.body));
  assert.equal(list.body.total, 5);
  assert.equal(list.body.items.length, 2);
  assert.match(list.headers.get('cache-control'), /public, max-age=\d+/);
  for (const it of list.body.items) {
    assert.equal(it.member_price_fen, it.price_fen - it.subsidy_fen);
    assert.ok(it.themes.includes(tag));
    assert.equal(it.provider_kind, 'retreat_base');
  }
  const q = (s) => anon.get(`/api/v1/retreat/routes?theme=${encodeURIComponent(tag)}&${s}`).then((r) => r.body);
  assert.equal((await q('region=3205')).total, 3);
  assert.equal((await q('region=64')).total, 2);
  assert.equal((await q('min_days=4&max_days=5')).total, 2);
  // price filters act on the member price: 50,000 … 250,000 fen
  assert.deepEqual(
    (await q('min_price_fen=100000&max_price_fen=150000&sort=price_asc')).items.map((x) => x.member_price_fen),
    [100000, 150000],
  );
  assert.deepEqual(
    (await q('sort=price_desc&per_page=1')).items.map((x) => x.member_price_fen),
    [250000],
  );
  const seats = await q('has_seats=1');
  assert.equal(seats.total, 1);
  assert.equal(seats.items[0].id, made[0].id);
  assert.equal(seats.items[0].seats_left, 5);
  assert.equal(seats.items[0].next_departure, day(30));
  assert.equal(seats.items[0].departures, 1);
  // a later departure with more seats: the card keeps the next one's seats
  // (not a sum over dates) and counts the other date
  await departure(js, made[0].id, { seats: 7, date: day(60) });
  await departure(js, made[0].id, { seats: 3, date: day(45) });
  const two = (await q('has_seats=1')).items[0];
  assert.equal(two.next_departure, day(30));
  assert.equal(two.seats_left, 5);
  assert.equal(two.departures, 3);
  assert.equal(two.seats_left_all, 15);
  assert.equal((await q('provider_kind=guesthouse')).total, 0);
  // collections
  const col = await js.post('/api/v1/retreat/collections', {
    title: '测试红色精品线路',
    route_ids: [made[1].id, made[2].id],
  });
  assert.equal(col.status, 201, JSON.stringify(col.body));
  assert.equal((await anon.get(`/api/v1/retreat/routes?collection_id=${col.body.id}`)).body.total, 2);
  const facets = await anon.get('/api/v1/retreat/facets');
  assert.equal(facets.status, 200);
  assert.ok(facets.body.themes.some((t) => t.name === tag && t.count === 5));
  assert.ok(facets.body.provinces.some((x) => x.code === '64' && x.name === '宁夏回族自治区'));
  assert.ok(facets.body.collections.some((c) => c.id === col.body.id && c.count === 2));
  const detail = await anon.get(`/api/v1/retreat/routes/${made[1].id}`);
  assert.ok(detail.body.collections.some((c) => c.id === col.body.id));
  assert.equal(detail.body.providers[0].id, p.id);
  assert.equal(detail.body.providers[0].contact_phone, undefined);
  // bad queries are 400, not 500
  for (const bad of [
    'region=3',
    'min_days=99',
    'sort=cheap',
    'provider_kind=x',
    'page=0',
    'min_price_fen=-5',
    'collection_id=abc',
  ]) {
    const r = await anon.get(`/api/v1/retreat/routes?${bad}`);
    assert.equal(r.status, 400, bad);
    assert.equal(r.body.error.code, r.body.error.code === 'invalid_query' ? 'invalid_query' : r.body.error.code);
  }
  assert.equal((await anon.get('/api/v1/retreat/routes/999999')).status, 404);
});

// Everything the refused booking might have written: bookings, seats, quotas, audit.
function footprint(depId) {
  return sql(
    `SELECT (SELECT COUNT(*) FROM retreat_bookings) || '/' || (SELECT seats_left FROM retreat_departures WHERE id = ${depId})` +
      ` || '/' || (SELECT COALESCE(SUM(used), 0) FROM retreat_quota) || '/' || (SELECT COUNT(*) FROM audit_log WHERE action LIKE 'retreat.%')`,
  );
}

test("booking: a seat taken, confirmed by the member's union; others cannot decide; refusals write nothing", async () => {
  const p = await admitted(js);
  const r = await route(js, p.id);
  const dep = await departure(js, r.id, { seats: 2 });
  const a = await member('南京紫金软件股份有限公司工会');
  const b = await member('苏州平江路文旅发展有限公司工会', { officer: js });
  const c = await member('江苏华建建设集团有限公司工会');
  const el = await a.get(`/api/v1/retreat/routes/${r.id}/eligibility`);
  assert.equal(el.status, 200, JSON.stringify(el.body));
  assert.equal(el.body.eligible, true);
  assert.equal(el.body.subsidised_used, 0);

  const bk = await a.post('/api/v1/retreat/bookings', { departure_id: dep.id });
  assert.equal(bk.status, 201, JSON.stringify(bk.body));
  assert.equal(bk.body.status, 'pending', "default rules: the member's union confirms");
  assert.equal(bk.body.member_price_fen, 108000);
  assert.equal(bk.body.seats_left, 1);
  assert.equal(bk.body.cancel_by, day(27), 'cancellation deadline: 3 days before by default');
  assert.equal(await seatsLeft(r.id, dep.id), 1, 'the public page shows the seat gone at once');
  // a member books only for themself
  const other = await a.post('/api/v1/retreat/bookings', { departure_id: dep.id, member_id: c.memberId });
  assert.equal(other.status, 403);
  const dup = await a.post('/api/v1/retreat/bookings', { departure_id: dep.id });
  assert.equal(dup.body.error.code, 'already_booked');

  // Suzhou's officer is neither the member's union nor above it
  assert.equal((await sz.post(`/api/v1/retreat/bookings/${bk.body.id}/confirm`)).status, 404);
  assert.equal((await jn.post(`/api/v1/retreat/bookings/${bk.body.id}/confirm`)).status, 404);
  assert.equal((await a.post(`/api/v1/retreat/bookings/${bk.body.id}/confirm`)).status, 403);
  const ok = await nj.post(`/api/v1/retreat/bookings/${bk.body.id}/confirm`);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.status, 'confirmed');
  assert.equal(
    (await nj.post(`/api/v1/retreat/bookings/${bk.body.id}/confirm`)).body.error.code,
    'booking_not_pending',
  );
  // visibility: the member, the member's union, the offering union
  assert.equal((await a.get(`/api/v1/retreat/bookings/${bk.body.id}`)).status, 200);
  assert.equal((await b.get(`/api/v1/retreat/bookings/${bk.body.id}`)).status, 404);
  assert.equal((await sz.get(`/api/v1/retreat/bookings/${bk.body.id}`)).status, 404);
  assert.equal((await js.get(`/api/v1/retreat/bookings/${bk.body.id}`)).status, 200);
  assert.deepEqual(
    (await a.get('/api/v1/retreat/bookings')).body.items.map((x) => x.id),
    [bk.body.id],
  );
  assert.ok(!(await sz.get('/api/v1/retreat/bookings')).body.items.some((x) => x.id === bk.body.id));

  // b takes the last seat; c finds it full — nothing written
  assert.equal((await b.post('/api/v1/retreat/bookings', { departure_id: dep.id })).status, 201);
  const before = footprint(dep.id);
  const full = await c.post('/api/v1/retreat/bookings', { departure_id: dep.id });
  assert.equal(full.status, 409);
  assert.equal(full.body.error.code, 'departure_full');
  assert.match(full.body.error.message, /名额已满/);
  assert.equal(footprint(dep.id), before);
  assert.equal(await seatsLeft(r.id, dep.id), 0);
  const bad = await c.post('/api/v1/retreat/bookings', { departure_id: 'x' });
  assert.equal(bad.status, 400);
  assert.equal((await c.post('/api/v1/retreat/bookings', { departure_id: 99999999 })).status, 404);
  assert.equal(
    (await jn.post('/api/v1/retreat/bookings', { departure_id: dep.id, member_id: c.memberId })).status,
    403,
  );
  assert.equal(footprint(dep.id), before);
});

test('refused bookings: past departure, second subsidised trip, org not eligible, frontline only, membership length, not yet open', async () => {
  const p = await admitted(js);
  const r = await route(js, p.id);
  const m = await member('南京紫金软件股份有限公司工会');

  const past = await departure(js, r.id, { seats: 5 });
  sql(`UPDATE retreat_departures SET depart_date = '${day(-1)}' WHERE id = ${past.id}`);
  let before = footprint(past.id);
  const pr = await m.post('/api/v1/retreat/bookings', { departure_id: past.id });
  assert.equal(pr.body.error.code, 'departure_past');
  assert.equal(footprint(past.id), before);

  // one subsidised trip per member per calendar year of departure (the
  // default rules): two departures in next year, whatever today's date, and
  // one in the year after, which has its own quota
  const NEXT_YEAR = Number(THIS_YEAR) + 1;
  const d1 = await departure(js, r.id, { seats: 5, date: `${NEXT_YEAR}-03-10` });
  const d2 = await departure(js, r.id, { seats: 5, date: `${NEXT_YEAR}-12-28` });
  assert.equal((await m.post('/api/v1/retreat/bookings', { departure_id: d1.id })).status, 201);
  before = footprint(d2.id);
  const second = await m.post('/api/v1/retreat/bookings', { departure_id: d2.id });
  assert.equal(second.status, 409);
  assert.equal(second.body.error.code, 'subsidy_limit_reached');
  assert.match(second.body.error.message, new RegExp(`${NEXT_YEAR} 年`));
  assert.equal(footprint(d2.id), before);
  const wl = await m.post('/api/v1/retreat/bookings', { departure_id: d2.id, waitlist: true });
  assert.equal(wl.body.error.code, 'subsidy_limit_reached', 'no waiting-list place either');
  assert.equal(footprint(d2.id), before);
  const d3 = await departure(js, r.id, { seats: 5, date: `${NEXT_YEAR + 1}-01-05` });
  assert.equal(
    (await m.post('/api/v1/retreat/bookings', { departure_id: d3.id })).status,
    201,
    'a new year, a new quota',
  );
  // an unsubsidised route does not count
  const free = await route(js, p.id, { subsidy_fen: 0 });
  const fd = await departure(js, free.id, { seats: 3, date: d2.depart_date });
  assert.equal((await m.post('/api/v1/retreat/bookings', { departure_id: fd.id })).status, 201);

  // route open to Suzhou only: a Nanjing member is refused
  const szOnly = await route(js, p.id, { eligible_org_ids: [org['苏州市总工会']] });
  const sd = await departure(js, szOnly.id);
  before = footprint(sd.id);
  const ne = await m.post('/api/v1/retreat/bookings', { departure_id: sd.id });
  assert.equal(ne.status, 403);
  assert.equal(ne.body.error.code, 'not_eligible_org');
  assert.equal(footprint(sd.id), before);
  const el = await m.get(`/api/v1/retreat/routes/${szOnly.id}/eligibility`);
  assert.equal(el.body.eligible, false);
  assert.deepEqual(
    el.body.reasons.map((x) => x.code),
    ['not_eligible_org'],
  );

  const notFront = await member('南京紫金软件股份有限公司工会', { frontline: false, joined: day(-30) });
  const fr = await route(js, p.id, { frontline_only: true, min_member_years: 3 });
  const frd = await departure(js, fr.id);
  before = footprint(frd.id);
  const nf = await notFront.post('/api/v1/retreat/bookings', { departure_id: frd.id });
  assert.equal(nf.status, 403);
  assert.ok(['frontline_only', 'membership_too_short'].includes(nf.body.error.code));
  const why = await notFront.get(`/api/v1/retreat/routes/${fr.id}/eligibility`);
  assert.deepEqual(why.body.reasons.map((x) => x.code).sort(), ['frontline_only', 'membership_too_short']);
  assert.equal(footprint(frd.id), before);

  // general opening in 10 days; frontline workers 7 days earlier per policy
  const pol = await js.post('/api/v1/policies', {
    kind: 'retreat_booking',
    org_id: org['江苏省总工会'],
    effective_from: day(-400),
    params: { max_subsidised_per_year: 1, frontline_window_days: 12, cancel_deadline_days: 3, confirmation: 'union' },
  });
  assert.equal(pol.status, 201, JSON.stringify(pol.body));
  const badPol = await js.post('/api/v1/policies', {
    kind: 'retreat_booking',
    org_id: org['江苏省总工会'],
    effective_from: day(-399),
    params: { max_subsidised_per_year: 0 },
  });
  assert.equal(badPol.status, 400);
  const later = await route(js, p.id, { subsidy_fen: 0 });
  const ld = await departure(js, later.id, { opens_on: day(10) });
  const detail = await anon.get(`/api/v1/retreat/routes/${later.id}`);
  assert.equal(detail.body.departures[0].frontline_opens_on, day(-2));
  before = footprint(ld.id);
  const early = await notFront.post('/api/v1/retreat/bookings', { departure_id: ld.id });
  assert.equal(early.body.error.code, 'booking_not_open');
  assert.match(early.body.error.message, new RegExp(day(10)));
  assert.equal(footprint(ld.id), before);
  const front = await member('南京紫金软件股份有限公司工会', { frontline: true });
  assert.equal((await front.post('/api/v1/retreat/bookings', { departure_id: ld.id })).status, 201, 'frontline window');
});

test('waiting list: full departure queues in order; a cancelled seat goes to the first automatically; deadline', async () => {
  const p = await admitted(js);
  const r = await route(js, p.id, { subsidy_fen: 0 });
  const dep = await departure(js, r.id, { seats: 1 });
  const [a, b, c] = [
    await member('南京紫金软件股份有限公司工会'),
    await member('江苏华建建设集团有限公司工会'),
    await member('苏州平江路文旅发展有限公司工会'),
  ];
  const ba = await a.post('/api/v1/retreat/bookings', { departure_id: dep.id });
  assert.equal(ba.status, 201);
  const bb = await b.post('/api/v1/retreat/bookings', { departure_id: dep.id, waitlist: true });
  const bc = await c.post('/api/v1/retreat/bookings', { departure_id: dep.id, waitlist: true });
  assert.equal(bb.body.status, 'waitlisted');
  assert.equal(bb.body.waitlist_position, 1);
  assert.equal(bc.body.waitlist_position, 2);
  const cancel = await a.post(`/api/v1/retreat/bookings/${ba.body.id}/cancel`, {});
  assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
  assert.equal(cancel.body.status, 'cancelled');
  assert.equal(cancel.body.promoted, 1);
  const nb = await b.get(`/api/v1/retreat/bookings/${bb.body.id}`);
  assert.equal(nb.body.status, 'pending', 'the first on the list got the seat');
  assert.equal((await c.get(`/api/v1/retreat/bookings/${bc.body.id}`)).body.waitlist_position, 1);
  assert.equal(await seatsLeft(r.id, dep.id), 0);
  assert.equal(
    count(`SELECT COUNT(*) FROM audit_log WHERE action = 'retreat.booking.promote' AND object_id = ${bb.body.id}`),
    1,
  );
  // an officer of the member's union rejects: the seat moves on again
  const rej = await js.post(`/api/v1/retreat/bookings/${bb.body.id}/reject`, {});
  assert.equal(rej.body.error.code, 'missing_field');
  const rj = await sz.post(`/api/v1/retreat/bookings/${bb.body.id}/reject`, { reason: 'x' });
  assert.equal(rj.status, 404, "Suzhou is not the Jiangning member's union");
  const ok = await js.post(`/api/v1/retreat/bookings/${bb.body.id}/reject`, { reason: '单位生产任务重，暂不安排' });
  assert.equal(ok.body.status, 'rejected');
  assert.equal((await c.get(`/api/v1/retreat/bookings/${bc.body.id}`)).body.status, 'pending');
  // the deadline: 3 days before departure
  sql(`UPDATE retreat_bookings SET cancel_by = '${day(-1)}' WHERE id = ${bc.body.id}`);
  const late = await c.post(`/api/v1/retreat/bookings/${bc.body.id}/cancel`, {});
  assert.equal(late.status, 409);
  assert.equal(late.body.error.code, 'cancel_deadline_passed');
  // the union may still cancel, with a reason
  assert.equal((await sz.post(`/api/v1/retreat/bookings/${bc.body.id}/cancel`, {})).body.error.code, 'missing_field');
  assert.equal(
    (await sz.post(`/api/v1/retreat/bookings/${bc.body.id}/cancel`, { reason: '本人因病无法出行' })).body.status,
    'cancelled',
  );
  assert.equal(await seatsLeft(r.id, dep.id), 1);
  // officers may add seats; the list moves up
  const d2 = await departure(js, r.id, { seats: 1 });
  const x1 = await a.post('/api/v1/retreat/bookings', { departure_id: d2.id });
  const x2 = await b.post('/api/v1/retreat/bookings', { departure_id: d2.id, waitlist: true });
  assert.equal(x1.status, 201);
  const less = await js.patch(`/api/v1/retreat/departures/${d2.id}`, { seats: 0 });
  assert.equal(less.status, 400);
  const more = await js.patch(`/api/v1/retreat/departures/${d2.id}`, { seats: 2 });
  assert.equal(more.status, 200, JSON.stringify(more.body));
  assert.equal(more.body.seats_left, 0);
  assert.equal((await b.get(`/api/v1/retreat/bookings/${x2.body.id}`)).body.status, 'pending');
});

test('cross-region: a Jiangsu route opened to Ningxia under an agreement in force; instant confirmation by policy', async () => {
  const p = await admitted(js);
  const mk = (extra) => js.post('/api/v1/retreat/admin/routes', routeBody(p.id, extra));
  const bad = await js.post('/api/v1/retreat/agreements', {
    partner_org_id: org['南京市总工会'],
    title: 'x',
    valid_from: day(-1),
  });
  assert.equal(bad.body.error.code, 'same_tree');
  const g = await js.post('/api/v1/retreat/agreements', {
    org_id: org['江苏省总工会'],
    partner_org_id: org['宁夏回族自治区总工会'],
    title: '苏宁职工疗休养跨区域合作协议',
    valid_from: day(-10),
    valid_to: day(365),
  });
  assert.equal(g.status, 201, JSON.stringify(g.body));
  assert.ok(
    (await nx.get('/api/v1/retreat/agreements')).body.items.some((x) => x.id === g.body.id),
    'the partner sees it',
  );
  const r = await mk({ eligible_org_ids: [org['江苏省总工会'], org['银川市总工会']] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const yc = r.body.eligibility.orgs.find((o) => o.id === org['银川市总工会']);
  assert.ok(yc.agreement_id, 'the agreement it rests on is recorded');
  assert.equal(
    sql(`SELECT org_id || '-' || partner_org_id FROM retreat_agreements WHERE id = ${yc.agreement_id}`),
    `${org['江苏省总工会']}-${org['宁夏回族自治区总工会']}`,
  );
  assert.equal(r.body.eligibility.cross_region, true);
  await js.post(`/api/v1/retreat/admin/routes/${r.body.id}/status`, { status: 'published' });
  const dep = await departure(js, r.body.id);
  const ycMember = await member('银川宏达物流有限公司工会', { officer: nx });
  const szsMember = await member('石嘴山煤机制造有限公司工会', { officer: nx });
  const ok = await ycMember.post('/api/v1/retreat/bookings', { departure_id: dep.id });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(
    (await szsMember.post('/api/v1/retreat/bookings', { departure_id: dep.id })).body.error.code,
    'not_eligible_org',
  );
  // Ningxia's officer confirms for their member; Jiangsu's offering officer sees the passenger
  assert.equal((await js.post(`/api/v1/retreat/bookings/${ok.body.id}/confirm`)).status, 403);
  assert.equal((await nx.post(`/api/v1/retreat/bookings/${ok.body.id}/confirm`)).body.status, 'confirmed');
  const pax = await js.get(`/api/v1/retreat/bookings?departure_id=${dep.id}`);
  assert.deepEqual(
    pax.body.items.map((b) => b.member_id),
    [ycMember.memberId],
  );
  assert.match(pax.body.items[0].mobile_masked, /^\d{3}\*{4}\d{4}$/);
  // an agreement that ended no longer admits new bookings
  sql(`UPDATE retreat_agreements SET valid_to = '${day(-1)}' WHERE id = ${yc.agreement_id}`);
  const other = await member('兴庆区外卖送餐员工会', { officer: nx });
  assert.equal(
    (await other.post('/api/v1/retreat/bookings', { departure_id: dep.id })).body.error.code,
    'not_eligible_org',
  );
  // a later policy version makes bookings instant for Ningxia's own routes
  const np = await admitted(nx, { region_code: '640502', kind: 'retreat_base' });
  const pol = await nx.post('/api/v1/policies', {
    kind: 'retreat_booking',
    org_id: org['宁夏回族自治区总工会'],
    effective_from: day(-5),
    params: { max_subsidised_per_year: 2, frontline_window_days: 0, cancel_deadline_days: 5, confirmation: 'instant' },
  });
  assert.equal(pol.status, 201);
  const nr = await route(nx, np.id, {
    org_id: org['宁夏回族自治区总工会'],
    region_code: '640502',
    destination: '中卫沙坡头',
  });
  assert.equal(nr.rules.confirmation, 'instant');
  const nd = await departure(nx, nr.id);
  const ib = await other.post('/api/v1/retreat/bookings', { departure_id: nd.id });
  assert.equal(ib.body.status, 'confirmed');
  assert.equal(ib.body.cancel_by, day(25));
});

test('200 members book a departure of 10 seats at once: exactly 10 bookings, 190 clear answers, never negative', async () => {
  const p = await admitted(js);
  const r = await route(js, p.id);
  const dep = await departure(js, r.id, { seats: 10 });
  const dep2 = await departure(js, (await route(js, p.id, { subsidy_fen: 0 })).id, { seats: 10 });
  const members = [];
  for (let i = 0; i < 200; i++)
    members.push(await member(i % 2 ? '南京紫金软件股份有限公司工会' : '江苏华建建设集团有限公司工会'));
  const answers = await Promise.all(members.map((m) => m.post('/api/v1/retreat/bookings', { departure_id: dep.id })));
  const byStatus = {};
  for (const a of answers) byStatus[a.status] = (byStatus[a.status] || 0) + 1;
  assert.deepEqual(
    byStatus,
    { 201: 10, 409: 190 },
    JSON.stringify(answers.filter((a) => a.status !== 201 && a.status !== 409).map((a) => a.body)),
  );
  for (const a of answers.filter((x) => x.status === 409)) {
    assert.equal(a.body.error.code, 'departure_full');
    assert.match(a.body.error.message, /名额已满/);
  }
  assert.equal(count(`SELECT seats_left FROM retreat_departures WHERE id = ${dep.id}`), 0);
  assert.equal(count(`SELECT COUNT(*) FROM retreat_bookings WHERE departure_id = ${dep.id}`), 10);
  assert.equal(count(`SELECT COUNT(DISTINCT member_id) FROM retreat_bookings WHERE departure_id = ${dep.id}`), 10);
  assert.equal(
    count(
      `SELECT COUNT(*) FROM retreat_quota WHERE used > 0 AND member_id IN (SELECT member_id FROM retreat_bookings WHERE departure_id = ${dep.id})`,
    ),
    10,
  );
  assert.equal(await seatsLeft(r.id, dep.id), 0);

  // the same rush with the waiting list: 10 seats, 190 places in order
  const wl = await Promise.all(
    members.map((m) => m.post('/api/v1/retreat/bookings', { departure_id: dep2.id, waitlist: true })),
  );
  assert.equal(wl.filter((a) => a.status === 201 && a.body.status !== 'waitlisted').length, 10);
  const queued = wl.filter((a) => a.body.status === 'waitlisted');
  assert.equal(queued.length, 190);
  // Once every booking has committed, positions are 1..190, each once, in
  // the order the places were taken (a position read at the moment of a
  // booking's own answer may still miss a concurrent earlier one that had
  // not committed yet).
  const pos = [];
  for (const page of [1, 2]) {
    const l = await js.get(
      `/api/v1/retreat/bookings?departure_id=${dep2.id}&status=waitlisted&per_page=100&page=${page}`,
    );
    pos.push(...l.body.items.map((b) => [b.id, b.waitlist_position]));
  }
  assert.deepEqual(
    pos.map((x) => x[1]),
    Array.from({ length: 190 }, (_, i) => i + 1),
  );
  assert.deepEqual(
    pos.map((x) => x[0]),
    [...pos.map((x) => x[0])].sort((x, y) => x - y),
  );
  assert.equal(count(`SELECT seats_left FROM retreat_departures WHERE id = ${dep2.id}`), 0);
  // the first in line is the earliest waiting booking; a cancellation promotes exactly that one
  const first = Number(
    sql(`SELECT MIN(id) FROM retreat_bookings WHERE departure_id = ${dep2.id} AND status = 'waitlisted'`),
  );
  const holder = wl.findIndex((a) => a.body.status !== 'waitlisted');
  const c = await members[holder].post(`/api/v1/retreat/bookings/${wl[holder].body.id}/cancel`, {});
  assert.equal(c.body.promoted, 1);
  assert.equal(sql(`SELECT status FROM retreat_bookings WHERE id = ${first}`), 'pending');
  assert.equal(count(`SELECT seats_left FROM retreat_departures WHERE id = ${dep2.id}`), 0);
  // concurrent cancellations and bookings never overbook either
  const live = wl.filter((a) => a.body.status === 'pending' || a.body.status === 'confirmed').map((a) => a.body.id);
  const idx = (id) => wl.findIndex((a) => a.body.id === id);
  await Promise.all([
    ...live.slice(0, 5).map((id) => members[idx(id)].post(`/api/v1/retreat/bookings/${id}/cancel`, {})),
    ...members.slice(0, 30).map((m) => m.post('/api/v1/retreat/bookings', { departure_id: dep2.id, waitlist: true })),
  ]);
  const held = count(
    `SELECT COUNT(*) FROM retreat_bookings WHERE departure_id = ${dep2.id} AND status IN ('pending', 'confirmed')`,
  );
  const left = count(`SELECT seats_left FROM retreat_departures WHERE id = ${dep2.id}`);
  assert.equal(held + left, 10, `held ${held} + left ${left}`);
  assert.ok(left >= 0);
  assert.equal(left, 0, 'the waiting list absorbed every freed seat');
});

test('completion: travellers completed, no-shows released, subsidies posted to the ledger once; figures and Excel', async () => {
  const statsBefore = (await sz.get(`/api/v1/retreat/stats?org_id=${org['苏州市总工会']}`)).body;
  const p = await admitted(sz, { kind: 'guesthouse', region_code: '320506', name: `太湖东山山水间民宿${seq++}` });
  const r = await route(sz, p.id, {
    org_id: org['苏州市总工会'],
    region_code: '320506',
    destination: '苏州东山',
    price_fen: 198000,
    subsidy_fen: 120000,
  });
  const dep = await departure(sz, r.id, { seats: 5 });
  const ms = [];
  for (let i = 0; i < 4; i++)
    ms.push(await member('苏州平江路文旅发展有限公司工会', { frontline: i < 3, officer: sz }));
  const bks = [];
  for (const m of ms) bks.push((await m.post('/api/v1/retreat/bookings', { departure_id: dep.id })).body);
  const early = await sz.post(`/api/v1/retreat/departures/${dep.id}/complete`, {});
  assert.equal(early.status, 409);
  assert.equal(early.body.error.code, 'trip_not_over');
  sql(`UPDATE retreat_departures SET depart_date = '${day(-5)}' WHERE id = ${dep.id}`);
  const pend = await sz.post(`/api/v1/retreat/departures/${dep.id}/complete`, {});
  assert.equal(pend.body.error.code, 'bookings_pending');
  assert.equal(sql(`SELECT status FROM retreat_departures WHERE id = ${dep.id}`), 'open', 'the refusal wrote nothing');
  for (const b of bks) assert.equal((await sz.post(`/api/v1/retreat/bookings/${b.id}/confirm`)).status, 200);
  assert.equal((await nj.post(`/api/v1/retreat/departures/${dep.id}/complete`, {})).status, 404, 'another city');
  const badNs = await sz.post(`/api/v1/retreat/departures/${dep.id}/complete`, { no_show: [999999] });
  assert.equal(badNs.body.error.code, 'invalid_no_show');
  const done = await sz.post(`/api/v1/retreat/departures/${dep.id}/complete`, { no_show: [bks[3].id] });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.completed, 3);
  assert.equal(done.body.no_show, 1);
  assert.equal(done.body.subsidy_fen, 360000);
  const again = await sz.post(`/api/v1/retreat/departures/${dep.id}/complete`, {});
  assert.equal(again.body.error.code, 'departure_finished');
  // the ledger: one transfer per traveller, expense of the offering union, payable to providers
  const t = await admin.get(
    `/api/v1/ledger/transfers?ref_type=retreat_booking&org_id=${org['苏州市总工会']}&per_page=100`,
  );
  const mine = t.body.items.filter((x) => bks.slice(0, 3).some((b) => b.id === x.ref_id));
  assert.equal(mine.length, 3);
  for (const x of mine) {
    assert.equal(x.amount_fen, 120000);
    assert.equal(x.debit.code, 'retreat_subsidy_expense');
    assert.equal(x.credit.code, 'provider_payable');
    assert.equal(x.debit.org_name, '苏州市总工会');
    assert.equal(x.value_date, day(-5 + 2), 'booked on the return date');
    assert.equal(x.idem_key, `retreat_booking:${x.ref_id}`);
  }
  assert.equal(
    count(
      `SELECT COUNT(*) FROM ledger_transfers WHERE ref_type = 'retreat_booking' AND ref_id IN (${bks.map((b) => b.id).join(',')})`,
    ),
    3,
  );
  assert.equal(sql(`SELECT status FROM retreat_bookings WHERE id = ${bks[3].id}`), 'no_show');
  assert.equal(
    count(`SELECT used FROM retreat_quota WHERE member_id = ${ms[3].memberId}`),
    0,
    "a no-show gets the year's trip back",
  );
  const chk = await admin.get('/api/v1/ledger/check');
  assert.equal(chk.body.ok, true, JSON.stringify(chk.body));
  const mb = await ms[0].get(`/api/v1/retreat/bookings/${bks[0].id}`);
  assert.equal(mb.body.status, 'completed');
  assert.ok(mb.body.transfer_id > 0);

  // the figures of Suzhou's subtree: this trip on top of the demo's history
  const st = await sz.get(`/api/v1/retreat/stats?org_id=${org['苏州市总工会']}`);
  assert.equal(st.status, 200, JSON.stringify(st.body));
  const t0 = statsBefore.totals;
  assert.equal(st.body.totals.subsidy_fen - t0.subsidy_fen, 360000);
  assert.equal(st.body.totals.trips - t0.trips, 3);
  assert.equal(st.body.totals.members - t0.members, 3);
  assert.equal(st.body.totals.frontline_trips - t0.frontline_trips, 3);
  const byRoute = st.body.by_route.find((x) => x.route_id === r.id);
  assert.deepEqual(
    [byRoute.trips, byRoute.members, byRoute.subsidy_fen, byRoute.frontline_share],
    [3, 3, 360000, '100.0%'],
  );
  assert.equal(st.body.by_provider.find((x) => x.provider_id === p.id).trips, 3);
  const wan = (fen) =>
    fen >= 1000000 ? `${Math.round(fen / 100000) / 10}万元` : `${Math.round(fen / 100).toLocaleString('en-US')}元`;
  assert.equal(
    st.body.sentence,
    `自${st.body.totals.first_departure.slice(0, 4)}年以来，苏州市总工会及下属工会投入疗休养补助${wan(st.body.totals.subsidy_fen)}，` +
      `服务职工${st.body.totals.trips}人次（${st.body.totals.members}人），其中一线职工${st.body.totals.frontline_trips}人次，占${st.body.totals.frontline_share}`,
  );
  // the period filters on the departure date: only this trip in the last week
  const period = await sz.get(`/api/v1/retreat/stats?org_id=${org['苏州市总工会']}&from=${day(-6)}&to=${day(0)}`);
  assert.deepEqual([period.body.totals.trips, period.body.totals.subsidy_fen], [3, 360000]);
  assert.match(
    period.body.sentence,
    new RegExp(
      `^${day(-6)}至${day(0)}，苏州市总工会及下属工会投入疗休养补助3,600元，服务职工3人次（3人），其中一线职工3人次，占100.0%$`,
    ),
  );
  const none = await sz.get(`/api/v1/retreat/stats?org_id=${org['苏州市总工会']}&from=${day(-1)}&to=${day(0)}`);
  assert.equal(none.body.totals.trips, 0);
  assert.equal((await jn.get('/api/v1/retreat/stats')).status, 403);
  assert.equal((await nj.get(`/api/v1/retreat/stats?org_id=${org['苏州市总工会']}`)).status, 404);
  assert.equal((await sz.get('/api/v1/retreat/stats?from=2024-13-01')).status, 400);
  const x = await sz.req('GET', `/api/v1/retreat/stats?org_id=${org['苏州市总工会']}&format=xlsx`);
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.match(x.headers.get('content-disposition'), /attachment/);
  const raw = await fetch(`${srv.url}/api/v1/retreat/stats?org_id=${org['苏州市总工会']}&format=xlsx`, {
    headers: { Authorization: `Bearer ${sz.token}` },
  });
  const bytes = Buffer.from(await raw.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  // the public headline (no log-in) states the province's figures
  const h = await anon.get(`/api/v1/retreat/headline?org_id=${org['江苏省总工会']}`);
  assert.equal(h.status, 200);
  assert.ok(h.body.items[0].trips >= 3);
  assert.match(h.body.items[0].sentence, /江苏省总工会及下属工会投入疗休养补助/);
  const all = await anon.get('/api/v1/retreat/headline');
  assert.ok(all.body.items.some((i) => i.org_id === org['江苏省总工会']));
});

test('departure cancelled by the offering union: every booking ends, quotas return', async () => {
  const p = await admitted(js);
  const r = await route(js, p.id);
  const dep = await departure(js, r.id, { seats: 1 });
  const a = await member('南京紫金软件股份有限公司工会');
  const b = await member('南京紫金软件股份有限公司工会');
  const ba = await a.post('/api/v1/retreat/bookings', { departure_id: dep.id });
  await b.post('/api/v1/retreat/bookings', { departure_id: dep.id, waitlist: true });
  assert.equal(count(`SELECT used FROM retreat_quota WHERE member_id = ${a.memberId}`), 1);
  assert.equal((await js.post(`/api/v1/retreat/departures/${dep.id}/cancel`, {})).body.error.code, 'missing_field');
  const c = await js.post(`/api/v1/retreat/departures/${dep.id}/cancel`, { reason: '台风预警，批次取消' });
  assert.equal(c.status, 200, JSON.stringify(c.body));
  assert.equal(c.body.status, 'cancelled');
  assert.equal(
    count(`SELECT COUNT(*) FROM retreat_bookings WHERE departure_id = ${dep.id} AND status = 'cancelled'`),
    2,
  );
  assert.equal(count(`SELECT used FROM retreat_quota WHERE member_id = ${a.memberId}`), 0);
  assert.equal((await a.get(`/api/v1/retreat/bookings/${ba.body.id}`)).body.reason, '台风预警，批次取消');
  assert.equal(
    (await a.post('/api/v1/retreat/bookings', { departure_id: dep.id })).body.error.code,
    'departure_closed',
  );
  assert.equal((await anon.get(`/api/v1/retreat/routes/${r.id}`)).body.departures.length, 0);
});

test('CLI: providers and routes loaded from CSV (GBK or UTF-8), all rows or none, every bad row reported', async () => {
  const dir = srv.dir;
  const pv = path.join(dir, 'providers.csv');
  writeFileSync(
    pv,
    '\ufeff名称,类型,行政区划代码,地址,联系人,联系电话,合作部门,状态\n' +
      '溧阳天目湖乡村旅游集聚区（导入）,乡村旅游产业集聚区,320481,溧阳市天目湖镇,周建,0519-87981234,常州市文广旅局,已准入\n' +
      '宜兴丁蜀紫砂特色小镇（导入）,特色小镇,320282,宜兴市丁蜀镇,吴静,0510-87161234,无锡市文广旅局,申请中\n' +
      '坏数据,古堡,999999,,,,,\n',
  );
  let r = runCli(['import', 'providers', pv, '--org', String(org['江苏省总工会']), ...srv.common]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /第 4 行（kind）/);
  assert.match(r.stdout, /未写入任何数据/);
  assert.equal(count("SELECT COUNT(*) FROM providers WHERE name LIKE '%（导入）'"), 0);
  // the corrected file as Excel's plain CSV writes it on Chinese Windows: GBK
  writeFileSync(
    `${pv}.utf8`,
    '名称,类型,行政区划代码,地址,联系人,联系电话,合作部门,状态\r\n' +
      '溧阳天目湖乡村旅游集聚区（导入）,乡村旅游产业集聚区,320481,溧阳市天目湖镇,周建,0519-87981234,常州市文广旅局,已准入\r\n' +
      '宜兴丁蜀紫砂特色小镇（导入）,特色小镇,320282,宜兴市丁蜀镇,吴静,0510-87161234,无锡市文广旅局,申请中\r\n',
  );
  const conv = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GBK', `${pv}.utf8`, '-o', pv]);
  assert.equal(conv.status, 0, String(conv.stderr));
  r = runCli(['import', 'providers', pv, '--org', String(org['江苏省总工会']), ...srv.common]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /导入完成：2 家服务机构/);
  assert.equal(sql("SELECT status FROM providers WHERE name = '溧阳天目湖乡村旅游集聚区（导入）'"), 'admitted');
  const rt = path.join(dir, 'routes.csv');
  const head =
    '线路编号,线路名称,简介,目的地,行政区划代码,天数,全价,工会补助,主题,服务机构,行程,费用包含,可预订工会编号,入会年限,仅限一线职工,确认方式,状态\n';
  const good =
    'CSV-TMH-01,天目湖山水康养三日,湖光山色中的康养之旅,溧阳天目湖,320481,3,1980.00,1200,康养、乡村,溧阳天目湖乡村旅游集聚区（导入）,' +
    '"第1天 抵达天目湖：入住、湖畔徒步\n第2天 南山竹海：竹海森林康养\n第3天 返程：茶园采风后返程",住宿、餐饮、景区门票,,0,否,工会确认,发布\n';
  const badRow = 'CSV-TMH-02,两日游,,溧阳,320481,2,800,900,康养,不存在的机构,第1天 出发|第2天 返回,,,,,,\n';
  writeFileSync(rt, head + good + badRow);
  r = runCli(['import', 'retreat-routes', rt, '--org', String(org['江苏省总工会']), ...srv.common]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /第 5 行（provider_ids）：服务机构“不存在的机构”未登记/);
  assert.equal(count("SELECT COUNT(*) FROM retreat_routes WHERE code LIKE 'CSV-TMH-%'"), 0);
  writeFileSync(rt, head + good);
  r = runCli(['import', 'retreat-routes', rt, '--org', String(org['江苏省总工会']), '--dry-run', ...srv.common]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(count("SELECT COUNT(*) FROM retreat_routes WHERE code LIKE 'CSV-TMH-%'"), 0);
  r = runCli(['import', 'retreat-routes', rt, '--org', String(org['江苏省总工会']), ...srv.common]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const id = count("SELECT id FROM retreat_routes WHERE code = 'CSV-TMH-01'");
  // a running server sees it within the catalogue cache's lifetime
  let pub;
  for (let i = 0; i < 40; i++) {
    pub = await anon.get(`/api/v1/retreat/routes/${id}`);
    if (pub.status === 200) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal(pub.status, 200);
  assert.equal(pub.body.member_price_fen, 78000);
  assert.deepEqual(
    pub.body.itinerary.map((d) => d.title),
    ['抵达天目湖', '南山竹海', '返程'],
  );
  assert.equal(pub.body.itinerary[1].detail, '竹海森林康养');
  assert.deepEqual(pub.body.themes.sort(), ['乡村', '康养'].sort());
  r = runCli(['import', 'retreat-routes', rt, '--org', String(org['江苏省总工会']), ...srv.common]);
  assert.match(r.stdout, /该线路编号已存在/);
});

test("figures in two views: trips a union offered, and trips its members took on others' routes", async () => {
  // the demo's completed trips are offered by the province; Nanjing offered none of them
  const offered = await nj.get('/api/v1/retreat/stats');
  assert.equal(offered.status, 200, JSON.stringify(offered.body));
  assert.equal(offered.body.view, 'offered');
  const taken = await nj.get('/api/v1/retreat/stats?view=members');
  assert.equal(taken.status, 200, JSON.stringify(taken.body));
  assert.equal(taken.body.view, 'members');
  assert.ok(
    taken.body.totals.trips > offered.body.totals.trips,
    `members ${taken.body.totals.trips} vs offered ${offered.body.totals.trips}`,
  );
  assert.ok(taken.body.by_route.length > 0);
  assert.match(taken.body.sentence, /的会员参加疗休养/);
  // the province sees every trip of its members in both views alike
  const jsOffered = (await js.get('/api/v1/retreat/stats')).body.totals.trips;
  const jsTaken = (await js.get('/api/v1/retreat/stats?view=members')).body.totals.trips;
  assert.ok(jsTaken <= jsOffered + taken.body.totals.trips);
  assert.equal((await nj.get('/api/v1/retreat/stats?view=everyone')).status, 400);
  // the export of the members' view holds the rows
  const x = await fetch(`${srv.url}/api/v1/retreat/stats?view=members&format=xlsx`, {
    headers: { Authorization: `Bearer ${nj.token}` },
  });
  assert.equal(x.status, 200);
  const { xlsxTexts } = await import('../lib/unzip.js');
  const texts = xlsxTexts(Buffer.from(await x.arrayBuffer()));
  assert.ok(texts.includes(taken.body.by_route[0].title), 'the route is in the workbook');
});
