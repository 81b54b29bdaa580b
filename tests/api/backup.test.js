// Keeping data: an online backup taken while the server runs restores into a
// working server; migrate-data copies a SQLite database into an empty
// PostgreSQL one (when a PostgreSQL server is available) with every row,
// working ids afterwards, and an intact audit chain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, runCli, DEMO_PASSWORD, freshDb } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { rawSql } from '../lib/sql.js';
import { idFor, mobileFor } from '../lib/ids.js';

let srv, nj;
const sqlite = !process.env.GONGHUI_TEST_PG;

before(async () => {
  srv = await startServer();
  const anon = new Client(srv.url);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  const org = (await nj.get('/api/v1/orgs?q=' + encodeURIComponent('南京紫金软件'))).body.items[0].id;
  for (let i = 0; i < 25; i++) {
    const r = await nj.post('/api/v1/members', {
      name: `备份${i}`,
      id_number: idFor(9000 + i),
      mobile: mobileFor(9000 + i),
      org_id: org,
      employment_form: 'employee',
    });
    assert.equal(r.status, 201);
  }
});
after(async () => srv && srv.stop());

test(
  'online backup of a running server restores into a working server',
  { skip: !sqlite && 'SQLite only (PostgreSQL uses pg_dump)' },
  async () => {
    const file = path.join(srv.dir, 'backup.db');
    // writes keep coming while the backup runs
    const writes = (async () => {
      for (let i = 0; i < 10; i++) await nj.patch('/api/v1/orgs/4', { contact_name: `值班${i}` });
    })();
    const r = runCli(['backup', '--db', srv.db.url, '--to', file]);
    await writes;
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /已备份到/);
    const verify = runCli(['audit', 'verify', '--db', `sqlite:${file}`, '--key-file', path.join(srv.dir, 'test.key')]);
    assert.equal(verify.status, 0, verify.stderr);
    const again = runCli(['backup', '--db', srv.db.url, '--to', file]);
    assert.equal(again.status, 1, 'an existing backup is never overwritten');
    const restored = await startServer({
      demo: false,
      db: { url: `sqlite:${file}`, drop() {} },
      args: ['--key-file', path.join(srv.dir, 'test.key')],
    });
    try {
      const c = await new Client(restored.url).login('nj_officer', DEMO_PASSWORD);
      // the restored server decrypts with the same key file it was given
      const list = await c.get('/api/v1/members?q=' + encodeURIComponent('备份'));
      assert.equal(list.body.total, 25);
      const shown = await c.post(`/api/v1/members/${list.body.items[0].id}/reveal`, {
        field: 'mobile',
        reason: '恢复演练核对',
      });
      assert.equal(shown.status, 200);
      assert.match(shown.body.value, /^139\d{8}$/);
    } finally {
      await restored.stop();
    }
  },
);

test('backup refuses a PostgreSQL database with a pointer to pg_dump', { skip: sqlite && 'PostgreSQL only' }, () => {
  const r = runCli(['backup', '--db', srv.db.url, '--to', path.join(srv.dir, 'x.db')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /pg_dump/);
});

test(
  'migrate-data: SQLite into an empty PostgreSQL database',
  { skip: sqlite && 'needs PostgreSQL (GONGHUI_TEST_PG)' },
  async () => {
    // build a SQLite source with the same data shape
    const src = await startServer({ db: { url: `sqlite:${path.join(srv.dir, 'src.db')}`, drop() {} } });
    const s = await new Client(src.url).login('nj_officer', DEMO_PASSWORD);
    const org = (await s.get('/api/v1/orgs?q=' + encodeURIComponent('南京紫金软件'))).body.items[0].id;
    for (let i = 0; i < 12; i++)
      await s.post('/api/v1/members', {
        name: `迁移${i}`,
        id_number: idFor(9500 + i),
        mobile: mobileFor(9500 + i),
        org_id: org,
        employment_form: 'courier',
      });
    await src.stop({ keep: true });
    const target = freshDb(srv.dir);
    try {
      const r = runCli(['migrate-data', '--from', `sqlite:${path.join(srv.dir, 'src.db')}`, '--to', target.url]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /迁移完成/);
      for (const t of ['orgs', 'users', 'members', 'audit_log']) {
        assert.equal(
          rawSql(target.url, `SELECT COUNT(*) FROM ${t}`),
          rawSql(`sqlite:${path.join(srv.dir, 'src.db')}`, `SELECT COUNT(*) FROM ${t}`),
          t,
        );
      }
      const again = runCli(['migrate-data', '--from', `sqlite:${path.join(srv.dir, 'src.db')}`, '--to', target.url]);
      assert.equal(again.status, 1, 'only into an empty database');
      assert.match(again.stderr, /空库/);
      const moved = await startServer({
        demo: false,
        db: { url: target.url, drop() {} },
        args: ['--key-file', path.join(src.dir, 'test.key')],
      });
      try {
        const c = await new Client(moved.url).login('nj_officer', DEMO_PASSWORD);
        assert.equal((await c.get('/api/v1/members?q=' + encodeURIComponent('迁移'))).body.total, 12);
        const created = await c.post('/api/v1/orgs', {
          name: '迁移后新建工会',
          level: 'grassroots',
          kind: 'enterprise',
          region_code: '320102',
          parent_id: 4,
        });
        assert.equal(created.status, 201, 'ids continue after the copied ones: ' + JSON.stringify(created.body));
      } finally {
        await moved.stop();
      }
    } finally {
      target.drop();
    }
  },
);

test('a server given another key file refuses to start on the data', async () => {
  const r = runCli([
    'serve',
    '--db',
    srv.db.url,
    '--key-file',
    path.join(srv.dir, 'other.key'),
    '--listen',
    '127.0.0.1:0',
  ]);
  assert.equal(r.status, 1, 'must not serve with keys that cannot read the data');
  assert.match(r.stderr, /key_mismatch/);
  assert.match(r.stderr, /密钥文件与数据库不匹配/);
  const imp = runCli([
    'import',
    'members',
    path.join(srv.dir, 'none.csv'),
    '--org',
    '5',
    '--db',
    srv.db.url,
    '--key-file',
    path.join(srv.dir, 'other2.key'),
  ]);
  assert.equal(imp.status, 1);
  assert.match(imp.stderr, /key_mismatch/);
});
