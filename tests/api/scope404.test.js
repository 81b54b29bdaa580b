// Out of scope looks exactly like absent, for every route that takes a record
// id: an actor who may not see a record gets the same answer (status and
// error code) for its real id as for an id that does not exist, so nobody
// can probe which vouchers, members or files exist elsewhere. The walk takes
// the route table from `gonghui routes --json`, real ids of each kind from
// the database, and a plausible body for each write, and tries it as an
// officer with every duty in a brand-new org (nothing else in scope), an
// officer with no duty there, a member of that org, a service provider's
// desk and an enterprise account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, BIN, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { rawSql } from '../lib/sql.js';
import { newMember } from '../lib/lottery.js';

const MISSING = 987654321;

// The table behind each kind of {id}, by path prefix (longest first).
const TABLES = [
  ['/api/v1/me/notices/', 'notices'],
  ['/api/v1/ledger/transfers/', 'ledger_transfers'],
  ['/api/v1/ledger/accounts/', 'ledger_accounts'],
  ['/api/v1/orgs/', 'orgs'],
  ['/api/v1/users/', 'users'],
  ['/api/v1/members/', 'members'],
  ['/api/v1/join-requests/', 'join_requests'],
  ['/api/v1/enterprises/', 'enterprises'],
  ['/api/v1/refund-runs/', 'refund_runs'],
  ['/api/v1/providers/', 'providers'],
  ['/api/v1/retreat/bookings/', 'retreat_bookings'],
  ['/api/v1/retreat/admin/routes/', 'retreat_routes'],
  ['/api/v1/retreat/routes/', 'retreat_routes'],
  ['/api/v1/retreat/departures/', 'retreat_departures'],
  ['/api/v1/me/departures/', 'retreat_departures'],
  ['/api/v1/retreat/collections/', 'retreat_collections'],
  ['/api/v1/retreat/agreements/', 'retreat_agreements'],
  ['/api/v1/lottery/campaigns/', 'lottery_campaigns'],
  ['/api/v1/me/vouchers/', 'vouchers'],
  ['/api/v1/vouchers/', 'vouchers'],
  ['/api/v1/hardship/files/', 'hardship_files'],
  ['/api/v1/aid/grants/', 'aid_grants'],
  ['/api/v1/aid/pairings/', 'aid_pairings'],
  ['/api/v1/mutual-aid/plans/', 'mutual_aid_plans'],
  ['/api/v1/mutual-aid/claims/', 'mutual_aid_claims'],
  ['/api/v1/jobs/', 'jobs'],
  ['/api/v1/policies/', 'policies'],
];

// Bodies for the writes whose fields the domain checks itself; a declared
// body is filled from its schema.
const BODIES = {
  'PATCH /api/v1/orgs/{id}': { name: '越权测试工会' },
  'PATCH /api/v1/users/{id}': { display_name: '越权测试' },
  'PATCH /api/v1/members/{id}': { employer: '越权测试单位' },
  'POST /api/v1/members/{id}/reveal': { field: 'id_number', reason: '越权测试' },
  'POST /api/v1/members/{id}/transfer': { to_org_id: 1, reason: '越权测试' },
  'POST /api/v1/orgs/{id}/move': { parent_id: 1 },
  'POST /api/v1/users/{id}/password': { password: 'Yuequan#Test2026' },
  'PATCH /api/v1/enterprises/{id}': { contact_name: '越权测试' },
  'POST /api/v1/refund-runs/{id}/bank-result': {},
  'POST /api/v1/retreat/bookings/{id}/cancel': { reason: '越权测试' },
  'PATCH /api/v1/providers/{id}': { contact_name: '越权测试' },
  'POST /api/v1/providers/{id}/status': { status: 'suspended', reason: '越权测试' },
  'PATCH /api/v1/retreat/admin/routes/{id}': { title: '越权测试线路' },
  'POST /api/v1/retreat/admin/routes/{id}/status': { status: 'withdrawn' },
  'POST /api/v1/retreat/admin/routes/{id}/departures': { start_date: '2030-05-01', capacity: 10 },
  'PATCH /api/v1/retreat/departures/{id}': { capacity: 12 },
  'POST /api/v1/retreat/departures/{id}/complete': { no_show: [] },
  'PATCH /api/v1/retreat/collections/{id}': { title: '越权测试专题' },
  'PATCH /api/v1/lottery/campaigns/{id}': { title: '越权测试活动' },
  'POST /api/v1/lottery/campaigns/{id}/draw': { sources: [] },
  'POST /api/v1/lottery/campaigns/{id}/correction': { sources: [], reason: '越权测试' },
  'POST /api/v1/lottery/campaigns/{id}/rounds': { count: 1 },
  'PATCH /api/v1/hardship/files/{id}': { note: '越权测试' },
  'POST /api/v1/hardship/files/{id}/approve': {},
  'POST /api/v1/hardship/files/{id}/review': { outcome: 'continue', note: '越权测试' },
  'POST /api/v1/hardship/files/{id}/close': { reason: 'other', note: '越权测试' },
  'POST /api/v1/hardship/files/{id}/reveal': { field: 'bank_account', reason: '越权测试' },
  'POST /api/v1/aid/grants/{id}/pay': {},
  'POST /api/v1/aid/pairings/{id}/visits': { visited_on: '2026-01-05', note: '越权测试' },
  'POST /api/v1/mutual-aid/plans/{id}/groups': { org_id: 1, staff_count: 10, member_ids: [] },
  'POST /api/v1/mutual-aid/plans/{id}/enrolments': { member_id: 1 },
  'POST /api/v1/mutual-aid/claims/{id}/pay': {},
};

function fromSchema(fields) {
  const b = {};
  for (const f of fields) {
    if (!f.required) continue;
    if (f.type === 'integer') b[f.name] = 1;
    else if (f.type === 'array') b[f.name] = [];
    else if (f.type === 'boolean') b[f.name] = true;
    else b[f.name] = '越权测试原因';
  }
  return b;
}

let srv, anon, admin;
const actors = {};
let routes;

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  const r = spawnSync(BIN, ['routes', '--json'], {
    encoding: 'utf8',
    env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' },
  });
  assert.equal(r.status, 0, r.stderr);
  routes = JSON.parse(r.stdout).filter((x) => x.path.includes('{id}') && x.access === 'auth');

  // A brand-new grassroots union: its officers see nothing else.
  const nx = (await admin.get(`/api/v1/orgs?q=${encodeURIComponent('宁夏')}`)).body.items[0];
  const org = await admin.post('/api/v1/orgs', {
    name: '越权测试企业工会',
    level: 'grassroots',
    kind: 'enterprise',
    region_code: '640104',
    parent_id: nx.id,
  });
  assert.equal(org.status, 201, JSON.stringify(org.body));
  const all = ['membership', 'hardship', 'finance', 'retreat', 'employment', 'rights', 'org'];
  for (const [login, duties] of [
    ['scope_all', all],
    ['scope_none', []],
  ]) {
    const u = await admin.post('/api/v1/users', {
      login,
      display_name: login,
      role: 'officer',
      org_id: org.body.id,
      duties,
      password: 'Scope#Walk2026',
    });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    actors[login] = await anon.login(login, 'Scope#Walk2026');
  }
  actors.member = await newMember(anon, actors.scope_all, 8801, org.body.id);
  actors.provider = await anon.login('huaian_desk', DEMO_PASSWORD);
  actors.enterprise = await anon.login('qiye_jiangning', DEMO_PASSWORD);
});
after(async () => srv && srv.stop());

function tableOf(path) {
  const hit = TABLES.find(([prefix]) => path.startsWith(prefix));
  return hit && hit[1];
}

test('every route that takes an id is known to the walk', () => {
  const unknown = routes.filter((r) => !tableOf(r.path)).map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(unknown, [], 'add the table of these ids to TABLES');
});

test('a record out of scope answers like a missing one, on every route with an id', async () => {
  const ids = {};
  const leaks = [];
  let probes = 0;
  for (const r of routes) {
    const table = tableOf(r.path);
    if (!ids[table])
      ids[table] = rawSql(srv.db.url, `SELECT id FROM ${table} ORDER BY id LIMIT 4`)
        .split('\n')
        .filter(Boolean)
        .map(Number);
    const key = `${r.method} ${r.path}`;
    const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : BODIES[key] || fromSchema(r.body || []);
    for (const [who, c] of Object.entries(actors)) {
      const call = (id) => c.req(r.method, r.path.replace('{id}', id), body);
      const miss = await call(MISSING);
      const missWhat = `${miss.status} ${miss.body?.error?.code ?? ''}`;
      for (const id of ids[table]) {
        // Only records the actor may not see: skip what is theirs.
        const vis = await c.req('GET', r.path.replace('{id}', id).replace(/\/[a-z-]+$/, ''));
        if (r.method !== 'GET' && vis.status === 200) continue;
        const got = await call(id);
        probes++;
        if (r.method === 'GET' && got.status === 200) continue;
        const what = `${got.status} ${got.body?.error?.code ?? ''}`;
        if (what !== missWhat) leaks.push(`${who} ${key} id=${id}: ${what}, missing: ${missWhat}`);
      }
    }
  }
  assert.ok(probes > 200, `only ${probes} probes`);
  assert.deepEqual(leaks, [], `answers that tell an existing record from a missing one:\n  ${leaks.join('\n  ')}`);
});

test('forfeiting a voucher of another union: 404 as for a missing voucher', async () => {
  const v = Number(rawSql(srv.db.url, 'SELECT id FROM vouchers ORDER BY id LIMIT 1'));
  assert.ok(v > 0, 'the demo data has vouchers');
  for (const c of [actors.scope_all, actors.scope_none, actors.member]) {
    const real = await c.post(`/api/v1/vouchers/${v}/forfeit`, { reason: '越权收回测试' });
    const none = await c.post(`/api/v1/vouchers/${MISSING}/forfeit`, { reason: '越权收回测试' });
    assert.equal(real.status, none.status);
    assert.deepEqual(real.body, none.body);
  }
  const real = await actors.scope_all.post(`/api/v1/vouchers/${v}/forfeit`, { reason: '越权收回测试' });
  assert.equal(real.status, 404);
  assert.equal(real.body.error.code, 'voucher_not_found');
  // nothing was written
  assert.notEqual(rawSql(srv.db.url, `SELECT status FROM vouchers WHERE id = ${v}`), 'forfeited');
});
