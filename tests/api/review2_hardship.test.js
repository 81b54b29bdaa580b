// Security review 2 of hardship aid and mutual medical aid.
//  - Health data in lists: the mutual-aid claims list showed every worker's
//    full name beside the hospital, and neither it nor the aid grants list
//    left a trace in the audit log. Now both are like the hardship file
//    list: names masked (张*明), no hospital or diagnosis until an officer
//    opens one claim (itself audited), and every list read audited.
//  - A pending hardship file is decided by the level above the union that
//    opened it: not only its confirmation, its rejection too — the opening
//    union must not bury a file it was asked to open.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { orgIds, makeMember, fileBody } from '../lib/hardship.js';

let srv, anon, admin, hj, jn, nj, org;

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  hj = await anon.login('huajian_officer', DEMO_PASSWORD);
  jn = await anon.login('jn_officer', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  org = await orgIds(admin);
});
after(async () => srv && srv.stop());

async function audits(action, actor) {
  const r = await admin.get(`/api/v1/audit?action=${action}&actor=${actor}&per_page=100`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items.filter((x) => x.action === action);
}

test('the claims list masks names and shows no hospital; lists and reads are audited', async () => {
  const before = (await audits('mutual_aid.claim_list', 'nj_officer')).length;
  const list = await nj.get('/api/v1/mutual-aid/claims?per_page=100');
  assert.equal(list.status, 200, JSON.stringify(list.body));
  assert.ok(list.body.items.length >= 1, 'the demo claim');
  const text = JSON.stringify(list.body);
  assert.doesNotMatch(text, /南京鼓楼医院|慢性肾功能衰竭/, 'no hospital or diagnosis in the list');
  for (const c of list.body.items) {
    assert.equal(c.member_name, undefined);
    assert.equal(c.hospital, undefined);
    assert.match(c.member_name_masked, /^\S\*+\S?$/u, c.member_name_masked);
  }
  const after1 = await audits('mutual_aid.claim_list', 'nj_officer');
  assert.equal(after1.length, before + 1, 'the list read is audited');
  assert.equal(after1[0].detail.shown, list.body.items.length);
  // opening one claim shows it whole, and is audited
  const id = list.body.items.find((c) => c.status === 'paid').id;
  const reads = (await audits('mutual_aid.claim_read', 'nj_officer')).length;
  const one = await nj.get(`/api/v1/mutual-aid/claims/${id}`);
  assert.equal(one.status, 200, JSON.stringify(one.body));
  assert.equal(one.body.hospital, '南京鼓楼医院');
  assert.equal(one.body.diagnosis, '慢性肾功能衰竭');
  assert.doesNotMatch(one.body.member_name, /\*/);
  assert.equal((await audits('mutual_aid.claim_read', 'nj_officer')).length, reads + 1);
  // a refused list read leaves no data and no "ok" trace
  const jnMember = await admin.post('/api/v1/users', {
    login: 'rv2_nj_mem',
    display_name: '会员工作',
    role: 'officer',
    org_id: org['南京市总工会'],
    duties: ['membership'],
    password: 'Review2@2026x',
  });
  assert.equal(jnMember.status, 201, JSON.stringify(jnMember.body));
  const noDuty = await anon.login('rv2_nj_mem', 'Review2@2026x');
  assert.equal((await noDuty.get('/api/v1/mutual-aid/claims')).status, 403);
  assert.equal((await audits('mutual_aid.claim_list', 'rv2_nj_mem')).length, 0);
});

test('the aid grants list is audited (names were already masked)', async () => {
  const before = (await audits('aid.list', 'jn_officer')).length;
  const g = await jn.get('/api/v1/aid/grants?per_page=100');
  assert.equal(g.status, 200, JSON.stringify(g.body));
  assert.ok(g.body.items.length >= 1, 'the demo grants');
  for (const x of g.body.items) assert.match(x.member_name_masked, /\*/);
  const after1 = await audits('aid.list', 'jn_officer');
  assert.equal(after1.length, before + 1);
  assert.equal(after1[0].detail.shown, g.body.items.length);
});

test("a member's reads of their own claims and grants are audited too", async () => {
  const me = await anon.login('13912000008', DEMO_PASSWORD);
  const memberId = (await me.get('/api/v1/session')).body.user.member_id;
  assert.ok(memberId, 'the demo member');
  const c = await me.get('/api/v1/mutual-aid/claims');
  assert.equal(c.status, 200, JSON.stringify(c.body));
  const g = await me.get('/api/v1/aid/grants');
  assert.equal(g.status, 200, JSON.stringify(g.body));
  assert.ok(g.body.items.length >= 1, 'the demo grants of this household');
  const cl = await audits('mutual_aid.claim_list', `member:${memberId}`);
  assert.equal(cl.length, 1);
  assert.ok(cl[0].org_id, "recorded under the member's union, within its auditors' scope");
  assert.equal((await audits('aid.list', `member:${memberId}`)).length, 1);
});

test('the opening union cannot reject its own pending file; the level above can', async () => {
  const m = await makeMember(hj, org['江苏华建建设集团有限公司工会'], 8301);
  const f = await hj.post('/api/v1/hardship/files', fileBody(m.id, 8301));
  assert.equal(f.status, 201, JSON.stringify(f.body));
  assert.equal(f.body.status, 'pending');
  const own = await hj.post(`/api/v1/hardship/files/${f.body.id}/reject`, { reason: '家庭收入超过标准' });
  assert.equal(own.status, 403, JSON.stringify(own.body));
  assert.equal(own.body.error.code, 'needs_upper_level');
  assert.match(own.body.error.message, /上级工会/);
  const still = await jn.get(`/api/v1/hardship/files/${f.body.id}`);
  assert.equal(still.body.status, 'pending', 'nothing changed');
  const hist = (await jn.get(`/api/v1/hardship/files/${f.body.id}/history`)).body.items;
  assert.deepEqual(
    hist.map((x) => x.kind),
    ['opened'],
  );
  const up = await jn.post(`/api/v1/hardship/files/${f.body.id}/reject`, { reason: '入户核实后家庭收入超过标准' });
  assert.equal(up.status, 200, JSON.stringify(up.body));
  assert.equal(up.body.status, 'rejected');
});
