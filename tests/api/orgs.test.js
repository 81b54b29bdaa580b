// The organisation tree over HTTP: data scope, placement rules, CRUD, moving
// subtrees, the public directory, and the audit trail of every write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';

let srv, anon, admin, nj, sz, huajian;
const ids = {};

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  sz = await anon.login('sz_officer', DEMO_PASSWORD);
  huajian = await anon.login('huajian_officer', DEMO_PASSWORD);
  const all = await admin.get('/api/v1/orgs?per_page=100');
  for (const o of all.body.items) ids[o.name] = o;
});
after(async () => srv && srv.stop());

test('an officer sees exactly their own subtree', async () => {
  const r = await nj.get('/api/v1/orgs?per_page=100');
  assert.equal(r.status, 200);
  const njPath = ids['南京市总工会'].path;
  assert.ok(r.body.items.length > 3);
  for (const o of r.body.items) assert.ok(o.path.startsWith(njPath), o.name);
  const expected = Object.values(ids).filter((o) => o.path.startsWith(njPath)).length;
  assert.equal(r.body.total, expected);
  assert.ok(!r.body.items.some((o) => o.name === '苏州市总工会'));
});

test('an org outside the subtree is 404, whether read, changed, moved or deleted', async () => {
  const suzhou = ids['苏州市总工会'].id;
  const gusu = ids['姑苏区总工会'].id;
  assert.equal((await nj.get(`/api/v1/orgs/${suzhou}`)).status, 404);
  assert.equal((await nj.get(`/api/v1/orgs/${suzhou}/children`)).status, 404);
  assert.equal((await nj.patch(`/api/v1/orgs/${gusu}`, { name: '被改名' })).status, 404);
  assert.equal((await nj.del(`/api/v1/orgs/${gusu}`)).status, 404);
  assert.equal((await nj.post(`/api/v1/orgs/${gusu}/move`, { parent_id: ids['玄武区总工会'].id })).status, 404);
  assert.equal((await nj.get(`/api/v1/orgs?parent_id=${suzhou}`)).status, 404);
  assert.equal((await nj.get(`/api/v1/orgs?under_id=${suzhou}`)).status, 404);
  // and the province above is out of reach too
  assert.equal((await nj.get(`/api/v1/orgs/${ids['江苏省总工会'].id}`)).status, 404);
  const still = await admin.get(`/api/v1/orgs/${gusu}`);
  assert.equal(still.body.name, '姑苏区总工会');
});

test('search by name within scope', async () => {
  const r = await nj.get('/api/v1/orgs?q=' + encodeURIComponent('华建'));
  assert.equal(r.status, 200);
  assert.equal(r.body.total, 3);
  assert.ok(r.body.items.every((o) => o.name.includes('华建')));
  const none = await sz.get('/api/v1/orgs?q=' + encodeURIComponent('华建'));
  assert.equal(none.body.total, 0, 'Suzhou does not see a Nanjing union');
  const pct = await nj.get('/api/v1/orgs?q=' + encodeURIComponent('%'));
  assert.equal(pct.body.total, 0, 'a % in the search is a literal, not a wildcard');
});

test('children list and child counts', async () => {
  const r = await nj.get(`/api/v1/orgs/${ids['南京市总工会'].id}/children`);
  assert.deepEqual(r.body.items.map((o) => o.name).sort(), ['江宁区总工会', '玄武区总工会'].sort());
  const hj = r.body.items.find((o) => o.name === '江宁区总工会');
  assert.ok(hj.child_count >= 2);
});

test('create, update and delete a grassroots union, audited', async () => {
  const xw = ids['玄武区总工会'];
  const c = await nj.post('/api/v1/orgs', {
    name: '南京玄武湖景区管理处工会',
    level: 'grassroots',
    kind: 'enterprise',
    region_code: '320102',
    parent_id: xw.id,
    contact_name: '孙丽',
    contact_phone: '025-83600000',
  });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.equal(c.body.path, `${xw.path}${c.body.id}/`);
  assert.equal(c.body.depth, xw.depth + 1);
  const u = await nj.patch(`/api/v1/orgs/${c.body.id}`, { short_name: '玄武湖工会', contact_phone: null });
  assert.equal(u.status, 200);
  assert.equal(u.body.short_name, '玄武湖工会');
  assert.equal(u.body.contact_phone, null);
  assert.equal(u.body.name, '南京玄武湖景区管理处工会');
  const audit = await admin.get(`/api/v1/audit?object_type=org&object_id=${c.body.id}`);
  assert.deepEqual(audit.body.items.map((a) => a.action).sort(), ['org.create', 'org.update']);
  assert.ok(audit.body.items.every((a) => a.actor_login === 'nj_officer' && a.outcome === 'ok'));
  const d = await nj.del(`/api/v1/orgs/${c.body.id}`);
  assert.equal(d.status, 204);
  assert.equal((await nj.get(`/api/v1/orgs/${c.body.id}`)).status, 404);
});

test('placement rules: levels go down the tree', async () => {
  const xw = ids['玄武区总工会'];
  const bad = await nj.post('/api/v1/orgs', {
    name: '错误的市总工会',
    level: 'city',
    kind: 'regional',
    region_code: '320102',
    parent_id: xw.id,
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_placement');
  const sub = await nj.post('/api/v1/orgs', {
    name: '华建集团第三项目部分会',
    level: 'grassroots',
    kind: 'enterprise',
    region_code: '320115',
    parent_id: ids['江苏华建建设集团有限公司工会'].id,
  });
  assert.equal(sub.status, 201, 'grassroots sub-unions are allowed');
  const root = await nj.post('/api/v1/orgs', {
    name: '无上级',
    level: 'province',
    kind: 'regional',
    region_code: '320000',
  });
  assert.equal(root.status, 400);
  assert.equal(root.body.error.field, 'parent_id');
  await nj.del(`/api/v1/orgs/${sub.body.id}`);
});

test('moving a subtree rewrites every path below it', async () => {
  const hj = ids['江苏华建建设集团有限公司工会'];
  const xw = ids['玄武区总工会'];
  const m = await nj.post(`/api/v1/orgs/${hj.id}/move`, { parent_id: xw.id });
  assert.equal(m.status, 200, JSON.stringify(m.body));
  assert.equal(m.body.parent_id, xw.id);
  assert.equal(m.body.path, `${xw.path}${hj.id}/`);
  const kids = await nj.get(`/api/v1/orgs/${hj.id}/children`);
  assert.equal(kids.body.total, 2);
  for (const k of kids.body.items) {
    assert.equal(k.path, `${m.body.path}${k.id}/`);
    assert.equal(k.depth, m.body.depth + 1);
  }
  const under = await nj.get(`/api/v1/orgs?under_id=${xw.id}&q=${encodeURIComponent('华建')}`);
  assert.equal(under.body.total, 3);
  // into its own subtree: refused
  const loop = await nj.post(`/api/v1/orgs/${hj.id}/move`, { parent_id: kids.body.items[0].id });
  assert.equal(loop.status, 400);
  assert.equal(loop.body.error.code, 'move_into_self');
  // one's own org is not one's to move
  const own = await nj.post(`/api/v1/orgs/${ids['南京市总工会'].id}/move`, { parent_id: xw.id });
  assert.equal(own.status, 403);
  // back where it was
  const back = await nj.post(`/api/v1/orgs/${hj.id}/move`, { parent_id: ids['江宁区总工会'].id });
  assert.equal(back.status, 200);
  assert.equal(back.body.path, hj.path);
});

test('an org with children cannot be deleted; duties are enforced', async () => {
  const r = await nj.del(`/api/v1/orgs/${ids['玄武区总工会'].id}`);
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'org_has_children');
  const noDuty = await huajian.post('/api/v1/orgs', {
    name: '没有权限',
    level: 'grassroots',
    kind: 'enterprise',
    region_code: '320115',
    parent_id: ids['江苏华建建设集团有限公司工会'].id,
  });
  assert.equal(noDuty.status, 403);
  assert.equal(noDuty.body.error.code, 'forbidden');
});

test('the public directory needs no log-in and shows no contact details', async () => {
  const r = await anon.get('/api/v1/directory/orgs?q=' + encodeURIComponent('乳业'));
  assert.equal(r.status, 200);
  assert.ok(r.body.total >= 1);
  for (const o of r.body.items) {
    assert.ok(o.name.includes('乳业'));
    assert.equal(o.contact_phone, undefined);
    assert.equal(o.contact_name, undefined);
  }
  const roots = await anon.get('/api/v1/directory/orgs');
  assert.deepEqual(
    roots.body.items.map((o) => o.name),
    ['中华全国总工会'],
  );
});

test('pagination: total stays right past the last page', async () => {
  const p1 = await admin.get('/api/v1/orgs?per_page=5&page=1');
  const last = Math.ceil(p1.body.total / 5);
  const pl = await admin.get(`/api/v1/orgs?per_page=5&page=${last}`);
  assert.equal(pl.body.total, p1.body.total);
  const past = await admin.get(`/api/v1/orgs?per_page=5&page=${last + 3}`);
  assert.equal(past.body.items.length, 0);
  assert.equal(past.body.total, p1.body.total);
});
