// The message centre: members and officers get notices of what happened to
// their business (join approved, refund batch waiting for a second officer,
// yearly reviews falling due), with unread counts, read marks of their own,
// and a text message queued (sealed) for the SMS gateway hook.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { idFor, mobileFor } from '../lib/ids.js';
import { rawSql } from '../lib/sql.js';

let srv, anon, nj, jn;
const org = {};

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  jn = await anon.login('jn_officer', DEMO_PASSWORD);
  const all = await anon.get('/api/v1/directory/orgs?per_page=100&q=' + encodeURIComponent('工会'));
  for (const o of all.body.items) org[o.name] = o.id;
});
after(async () => srv && srv.stop());

test('a member hears that their join request was approved, once, and marks it read', async () => {
  const body = {
    name: '钱小递',
    id_number: idFor(8801),
    mobile: mobileFor(8801),
    employment_form: 'courier',
    employer: '顺丰',
    city: '南京',
    org_id: org['江宁区新就业形态劳动者联合工会'],
    password: 'Kuaidi#2026',
  };
  const r = await anon.post('/api/v1/join-requests', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const pending = (await nj.get('/api/v1/join-requests')).body.items.find((i) => i.name === '钱小递');
  assert.equal((await nj.post(`/api/v1/join-requests/${pending.id}/approve`, {})).status, 200);
  const m = await anon.login(mobileFor(8801), 'Kuaidi#2026');
  const list = await m.get('/api/v1/me/notices');
  assert.equal(list.status, 200, JSON.stringify(list.body));
  const n = list.body.items.find((i) => i.kind === 'join_approved');
  assert.ok(n, JSON.stringify(list.body));
  assert.equal(n.title, '入会申请已通过');
  assert.equal(n.read, false);
  assert.equal(list.body.unread, 1);
  assert.equal((await m.get('/api/v1/me/notices/unread')).body.unread, 1);
  // a text message waits for the gateway, sealed: no phone number or text in clear
  const queued = rawSql(
    srv.db.url,
    `SELECT mobile_sealed || '|' || text_sealed FROM sms_outbox WHERE notice_id = ${n.id}`,
  );
  assert.ok(queued.length > 20, 'queued');
  assert.ok(!queued.includes(mobileFor(8801)) && !queued.includes('入会'), 'sealed');
  // someone else cannot mark it; the member can, and the count drops
  const other = await anon.login('jn_officer', DEMO_PASSWORD);
  assert.equal((await other.post(`/api/v1/me/notices/${n.id}/read`, {})).status, 404);
  const read = await m.post(`/api/v1/me/notices/${n.id}/read`, {});
  assert.equal(read.status, 200, JSON.stringify(read.body));
  assert.equal(read.body.unread, 0);
  const again = await m.get('/api/v1/me/notices');
  assert.equal(again.body.items.find((i) => i.id === n.id).read, true);
  assert.equal((await m.get('/api/v1/me/notices?unread=1')).body.items.length, 0);
});

test('hardship officers are reminded of reviews falling due, once per file and due date', async () => {
  const first = await jn.get('/api/v1/me/notices');
  assert.equal(first.status, 200);
  const due = first.body.items.filter((i) => i.kind === 'review_due');
  assert.ok(due.length >= 1, JSON.stringify(first.body));
  assert.match(due[0].link, /^#\/hardship\/\d+$/);
  const second = await jn.get('/api/v1/me/notices');
  assert.equal(second.body.items.filter((i) => i.kind === 'review_due').length, due.length, 'no duplicate reminders');
  // read-all clears the badge for this officer only
  assert.equal((await jn.post('/api/v1/me/notices/read-all', {})).body.unread, 0);
  const jnAgain = await anon.login('jn_officer', DEMO_PASSWORD);
  assert.equal(
    (await jnAgain.get('/api/v1/me/notices/unread')).body.unread,
    0,
    'read marks are per user, and this is the same user',
  );
});

test('a computed refund batch is announced to the finance officers of its union, not to others', async () => {
  // the demo computed Nanjing's 2022H2 batch
  const n = (await nj.get('/api/v1/me/notices?per_page=100')).body.items.find(
    (i) => i.kind === 'refund_awaiting_approval',
  );
  assert.ok(n, 'Nanjing finance sees the batch');
  assert.match(n.link, /^#\/refunds\/\d+$/);
  assert.match(n.body, /2022H2/);
  // Jiangning's officer has no finance duty and is another union
  const jnItems = (await jn.get('/api/v1/me/notices?per_page=100')).body.items;
  assert.ok(!jnItems.some((i) => i.kind === 'refund_awaiting_approval'));
  // members see no officer notices
  const m = await anon.login(mobileFor(8801), 'Kuaidi#2026');
  assert.ok(!(await m.get('/api/v1/me/notices')).body.items.some((i) => i.kind === 'refund_awaiting_approval'));
});
