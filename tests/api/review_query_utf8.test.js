// Security review: query strings that are not UTF-8. Text parameters reach
// the database as they are; PostgreSQL refuses bytes such as 0xFF with an
// error the platform reported as a 500 ("storage_error"), on public pages
// too (the recuperation catalogue, the lottery list). They are bad input:
// a 400 with a stable code on both backends, and well-formed Chinese
// searches keep working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';

let srv, anon, admin;

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
});
after(async () => srv && srv.stop());

const PUBLIC = [
  '/api/v1/retreat/routes?q=%FF',
  '/api/v1/retreat/routes?theme=%E4%B8',
  '/api/v1/lottery/campaigns?q=%C3',
];
const STAFF = [
  '/api/v1/hardship/files?q=%FF',
  '/api/v1/providers?q=%FE',
  '/api/v1/retreat/admin/routes?q=%E4',
  '/api/v1/orgs?q=%FF',
];

test('a query value that is not UTF-8 is a 400, not a storage error', async () => {
  for (const [who, url] of [...PUBLIC.map((u) => [anon, u]), ...STAFF.map((u) => [admin, u])]) {
    const r = await who.get(url);
    assert.equal(r.status, 400, `${url}: ${r.status} ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, 'invalid_query', url);
    assert.match(r.body.error.message, /\p{Script=Han}/u);
  }
  // a key that is not UTF-8 either
  const k = await anon.get('/api/v1/retreat/routes?%FF=1');
  assert.equal(k.status, 400, JSON.stringify(k.body));
});

test('well-formed Chinese queries still work', async () => {
  const r = await anon.get(`/api/v1/retreat/routes?q=${encodeURIComponent('温泉')}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const h = await admin.get(`/api/v1/hardship/files?q=${encodeURIComponent('周')}`);
  assert.equal(h.status, 200, JSON.stringify(h.body));
  const l = await anon.get(`/api/v1/lottery/campaigns?q=${encodeURIComponent('消费券')}`);
  assert.equal(l.status, 200, JSON.stringify(l.body));
});
