// Security review 2: user text cut inside a UTF-8 character. Name-prefix
// searches build an upper bound (the prefix and U+10FFFF) in a fixed buffer,
// and a few other values are copied into fixed buffers; text longer than the
// buffer was cut in the middle of a character, and PostgreSQL refused the
// invalid bytes with an error the platform reported as a 500 (SQLite stored
// or compared them as they were). A search longer than any stored value is
// refused as bad input; shorter ones work whatever their bytes; stored text
// is never cut.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { idFor, mobileFor } from '../lib/ids.js';
import { orgIds } from '../lib/hardship.js';

let srv, anon, admin, nj, org;

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  org = await orgIds(admin);
});
after(async () => srv && srv.stop());

const q = (s) => encodeURIComponent(s);

async function refused(client, url, field) {
  const r = await client.get(url);
  assert.equal(r.status, 400, `${url.slice(0, 60)}…: ${r.status} ${JSON.stringify(r.body)}`);
  assert.equal(r.body.error.code, 'invalid_query');
  assert.equal(r.body.error.field, field);
  assert.match(r.body.error.message, /\p{Script=Han}/u);
}

test('member name search: longer than any name is a 400; up to 50 characters works, 4-byte ones too', async () => {
  // 72 Chinese characters are 216 bytes: the bound used to be cut at 199
  for (const s of ['张'.repeat(72), '张'.repeat(51), 'a'.repeat(216), '𠀀'.repeat(51)]) {
    await refused(nj, `/api/v1/members?q=${q(s)}`, 'q');
  }
  for (const s of ['张'.repeat(50), '𠀀'.repeat(50), '王']) {
    const r = await nj.get(`/api/v1/members?q=${q(s)}`);
    assert.equal(r.status, 200, `${s.length}: ${JSON.stringify(r.body)}`);
  }
});

test('enterprise name search: up to 100 characters works (216+ bytes), longer is a 400', async () => {
  const fin = await anon.login('js_officer', DEMO_PASSWORD);
  for (const s of ['企'.repeat(72), '企'.repeat(100), '𠀀'.repeat(100)]) {
    const r = await fin.get(`/api/v1/enterprises?q=${q(s)}`);
    assert.equal(r.status, 200, `${s.length}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.total, 0);
  }
  for (const s of ['企'.repeat(101), 'a'.repeat(300)]) await refused(fin, `/api/v1/enterprises?q=${q(s)}`, 'q');
  // a real prefix still finds its enterprises
  const some = (await fin.get('/api/v1/enterprises?per_page=1')).body.items[0];
  const found = await fin.get(`/api/v1/enterprises?q=${q(some.name.slice(0, 4))}`);
  assert.ok(
    found.body.items.some((x) => x.id === some.id),
    JSON.stringify(found.body),
  );
});

test('audit log dates: anything but a date or a timestamp is a 400', async () => {
  const auditor = await anon.login('auditor', DEMO_PASSWORD);
  for (const [k, v] of [
    ['from', '中'.repeat(11)],
    ['to', '中'.repeat(11)],
    ['from', '昨天'],
    ['to', '2026-13-45'],
  ]) {
    await refused(auditor, `/api/v1/audit?${k}=${q(v)}`, k);
  }
  const day = new Date().toISOString().slice(0, 10);
  for (const [k, v] of [
    ['from', day],
    ['to', day],
    ['from', `${day}T00:00:00Z`],
    ['to', new Date().toISOString()],
  ]) {
    const r = await auditor.get(`/api/v1/audit?${k}=${q(v)}`);
    assert.equal(r.status, 200, `${k}=${v}: ${JSON.stringify(r.body)}`);
  }
  const today = await auditor.get(`/api/v1/audit?from=${day}&to=${day}&actor=auditor`);
  assert.ok(today.body.total >= 1, "the auditor's own log-in today");
});

test('a member name or employer of 4-byte characters is stored whole, never cut', async () => {
  const name = '𠀀'.repeat(50); // 200 bytes, the longest name allowed
  const employer = '𠮷'.repeat(100); // 400 bytes
  const r = await nj.post('/api/v1/members', {
    name,
    id_number: idFor(7701),
    mobile: mobileFor(7701),
    org_id: org['江苏华建建设集团有限公司工会'],
    employment_form: 'employee',
    employer,
    join_date: '2021-04-01',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const g = await nj.get(`/api/v1/members/${r.body.id}`);
  assert.equal(g.body.name, name);
  assert.equal(g.body.employer, employer);
  const found = await nj.get(`/api/v1/members?q=${q(name)}`);
  assert.ok(
    found.body.items.some((m) => m.id === r.body.id),
    JSON.stringify(found.body),
  );
});
