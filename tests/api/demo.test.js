// The demo data set as a newcomer meets it: internally consistent, with an
// account for every kind of user, the enterprise's included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';

let srv;

before(async () => {
  srv = await startServer();
});
after(async () => srv && srv.stop());

test('the demo data is consistent: no bank account below zero, no hardship file confirmed before it was opened', async () => {
  const admin = await new Client(srv.url).login('admin', DEMO_PASSWORD);
  for (let page = 1; ; page++) {
    const r = await admin.get(`/api/v1/ledger/accounts?per_page=100&page=${page}`);
    assert.equal(r.status, 200);
    for (const a of r.body.items.filter((x) => x.code === 'bank'))
      assert.ok(a.balance_fen >= 0, `${a.org_name}: ${a.balance_fen}`);
    if (r.body.items.length < 100) break;
  }
  const files = await admin.get('/api/v1/hardship/files?per_page=100');
  assert.equal(files.status, 200, JSON.stringify(files.body));
  assert.ok(files.body.items.length > 0);
  for (const f of files.body.items) {
    if (f.approved_on)
      assert.ok(f.approved_on >= f.opened_on, `file ${f.id}: confirmed ${f.approved_on} before opened ${f.opened_on}`);
  }
});

test('the demo has an enterprise account that sees its own enterprise and refunds, nothing else', async () => {
  const ent = await new Client(srv.url).login('qiye_jiangning', DEMO_PASSWORD);
  const me = await ent.get('/api/v1/me/enterprise');
  assert.equal(me.status, 200, JSON.stringify(me.body));
  assert.match(me.body.name, /有限公司$/);
  const refunds = await ent.get(`/api/v1/enterprises/${me.body.id}/refunds`);
  assert.equal(refunds.status, 200);
  assert.equal((await ent.get(`/api/v1/enterprises/${me.body.id + 1}`)).status, 404);
  assert.equal((await ent.get('/api/v1/members')).status, 403);
});
