// Joining online: the public form, routing to the chosen union, approval
// creating member and account together, rejection, duplicates, tracking.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { idFor, mobileFor } from '../lib/ids.js';

let srv, anon, nj, sz, huajian;
const org = {};

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  sz = await anon.login('sz_officer', DEMO_PASSWORD);
  huajian = await anon.login('huajian_officer', DEMO_PASSWORD);
  const all = await anon.get('/api/v1/directory/orgs?per_page=100&q=' + encodeURIComponent('工会'));
  for (const o of all.body.items) org[o.name] = o.id;
});
after(async () => srv && srv.stop());

const application = (n, extra = {}) => ({
  name: '赵小骑',
  id_number: idFor(100 + n),
  mobile: mobileFor(100 + n),
  employment_form: 'food_delivery',
  employer: '饿了么',
  city: '南京',
  org_id: org['江宁区新就业形态劳动者联合工会'],
  password: 'qishou2026',
  ...extra,
});

test('apply, track, approve: member and account created together', async () => {
  const r = await anon.post('/api/v1/join-requests', application(1));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.status, 'pending');
  assert.equal(r.body.org_name, '江宁区新就业形态劳动者联合工会');
  const code = r.body.tracking_code;
  // short, no confusable characters (0/O, 1/I/L, U/V), read in any case
  assert.match(code, /^[2-9A-HJKMNP-TW-Z]{5}-[2-9A-HJKMNP-TW-Z]{5}$/);
  const st = await anon.post('/api/v1/join-requests/status', { code });
  assert.equal(st.body.status, 'pending');
  assert.equal(st.body.name, '赵*骑');
  const typed = await anon.post('/api/v1/join-requests/status', { code: ` ${code.replace('-', '').toLowerCase()} ` });
  assert.equal(typed.status, 200, JSON.stringify(typed.body));
  assert.equal(typed.body.status, 'pending');
  // a lost code: the ID number and mobile find the request; a wrong pair does not
  const byPerson = await anon.post('/api/v1/join-requests/status', { id_number: idFor(101), mobile: mobileFor(101) });
  assert.equal(byPerson.status, 200, JSON.stringify(byPerson.body));
  assert.equal(byPerson.body.name, '赵*骑');
  const wrongPair = await anon.post('/api/v1/join-requests/status', { id_number: idFor(101), mobile: mobileFor(102) });
  assert.equal(wrongPair.status, 404);
  assert.equal(wrongPair.body.error.code, 'request_not_found');
  const nothing = await anon.post('/api/v1/join-requests/status', {});
  assert.equal(nothing.status, 400);
  assert.equal(nothing.body.error.code, 'missing_field');
  // the queue of the Nanjing officer has it; Suzhou's does not
  assert.equal(r.body.id, undefined, 'no internal id for an anonymous caller');
  const q = await nj.get('/api/v1/join-requests');
  const item = q.body.items.find((i) => i.name === '赵小骑' && i.status === 'pending');
  assert.ok(item);
  r.body.id = item.id;
  assert.match(item.id_number_masked, /\*{10}/);
  assert.equal(JSON.stringify(q.body).includes(idFor(101)), false);
  assert.ok(!(await sz.get('/api/v1/join-requests')).body.items.some((i) => i.id === r.body.id));
  assert.equal((await sz.post(`/api/v1/join-requests/${r.body.id}/approve`, {})).status, 404);
  assert.equal(
    (await huajian.post(`/api/v1/join-requests/${r.body.id}/approve`, {})).status,
    404,
    'Huajian is not above this union',
  );
  const ok = await nj.post(`/api/v1/join-requests/${r.body.id}/approve`, {});
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.status, 'approved');
  assert.ok(ok.body.member_id);
  const twice = await nj.post(`/api/v1/join-requests/${r.body.id}/approve`, {});
  assert.equal(twice.status, 409);
  assert.equal(twice.body.error.code, 'request_decided');
  const m = await nj.get(`/api/v1/members/${ok.body.member_id}`);
  assert.equal(m.body.name, '赵小骑');
  assert.equal(m.body.employment_form, 'food_delivery');
  assert.equal(m.body.has_account, true);
  // the applicant logs in with the mobile and the password chosen on the form
  const me = await anon.login(mobileFor(101), 'qishou2026');
  assert.equal(me.user.role, 'member');
  const card = await me.get('/api/v1/me/member');
  assert.equal(card.body.id, ok.body.member_id);
  assert.equal((await anon.post('/api/v1/join-requests/status', { code })).body.status, 'approved');
});

test('one person, one member: duplicates are clear errors', async () => {
  const again = await anon.post('/api/v1/join-requests', application(1));
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'already_member');
  const first = await anon.post('/api/v1/join-requests', application(2));
  assert.equal(first.status, 201);
  const second = await anon.post(
    '/api/v1/join-requests',
    application(2, { org_id: org['南京紫金软件股份有限公司工会'], employment_form: 'employee' }),
  );
  assert.equal(second.status, 409);
  assert.equal(second.body.error.code, 'duplicate_request');
});

async function pendingId(idNumberTail) {
  const q = await nj.get('/api/v1/join-requests?per_page=100');
  return q.body.items.find((i) => i.id_number_masked.endsWith(idNumberTail)).id;
}

test('reject needs a reason; the applicant sees it', async () => {
  const r = await anon.post('/api/v1/join-requests', application(3));
  r.body.id = await pendingId(idFor(103).slice(-4));
  const no = await nj.post(`/api/v1/join-requests/${r.body.id}/reject`, {});
  assert.equal(no.status, 400);
  const ok = await nj.post(`/api/v1/join-requests/${r.body.id}/reject`, {
    reason: '所填工作单位与实际不符，请核实后重新申请',
  });
  assert.equal(ok.body.status, 'rejected');
  const st = await anon.post('/api/v1/join-requests/status', { code: r.body.tracking_code });
  assert.equal(st.body.status, 'rejected');
  assert.match(st.body.reason, /核实/);
  assert.equal((await nj.post(`/api/v1/join-requests/${r.body.id}/approve`, {})).status, 409);
  // a rejected applicant may apply again
  const again = await anon.post('/api/v1/join-requests', application(3));
  assert.equal(again.status, 201);
});

test('bad applications write nothing', async () => {
  const before = (await nj.get('/api/v1/join-requests?status=all&per_page=100')).body.total;
  const cases = [
    [application(4, { id_number: '123' }), 'invalid_id_number'],
    [application(4, { mobile: '1381234' }), 'invalid_mobile'],
    [application(4, { password: 'short' }), 'weak_password'],
    [application(4, { org_id: org['南京市总工会'], employment_form: 'employee' }), 'org_not_grassroots'],
    [application(4, { org_id: 999999 }), 'org_not_found'],
    [application(4, { extra: 1 }), 'unknown_field'],
    [{ name: '缺字段' }, 'missing_field'],
  ];
  for (const [body, code] of cases) {
    const r = await anon.post('/api/v1/join-requests', body);
    assert.ok(r.status >= 400 && r.status < 500, code);
    assert.equal(r.body.error.code, code);
  }
  assert.equal((await nj.get('/api/v1/join-requests?status=all&per_page=100')).body.total, before);
  assert.equal((await anon.post('/api/v1/join-requests/status', { code: 'nonsense' })).status, 404);
});
