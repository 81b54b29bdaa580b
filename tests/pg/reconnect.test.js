// A server whose PostgreSQL connections are dropped (a database restart, an
// idle timeout, pg_terminate_backend) goes on answering: outside a
// transaction the dead connection is replaced and the statement run again,
// so the person at the screen never sees the drop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { rawSql } from '../lib/sql.js';

test(
  'connections killed under a running server are replaced without an error',
  { skip: !process.env.GONGHUI_TEST_PG && 'needs PostgreSQL' },
  async () => {
    const srv = await startServer({ args: ['--threads', '2'] });
    try {
      const admin = await new Client(srv.url).login('admin', DEMO_PASSWORD);
      for (let i = 0; i < 4; i++) assert.equal((await admin.get('/api/v1/orgs?per_page=5')).status, 200);
      const db = srv.db.url.replace(/^.*\//, '');
      const killed = rawSql(
        srv.db.url.replace(/\/[^/]*$/, '/postgres'),
        `SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${db}' AND pid <> pg_backend_pid()`,
      );
      assert.ok(Number(killed) >= 1, `terminated ${killed} connections`);
      // every worker thread's connection is dead now; each request still succeeds
      for (let i = 0; i < 8; i++) {
        const r = await admin.get('/api/v1/orgs?per_page=5');
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      const w = await admin.post('/api/v1/orgs', {
        name: '重连之后新建的工会',
        level: 'grassroots',
        kind: 'enterprise',
        region_code: '320102',
        parent_id: 4,
      });
      assert.equal(w.status, 201, JSON.stringify(w.body));
      // the server's log is buffered and flushed every 200 ms
      for (let i = 0; i < 60 && !/reconnecting and retrying once/.test(srv.stderr); i++)
        await new Promise((r) => setTimeout(r, 50));
      assert.match(srv.stderr, /reconnecting and retrying once/);
    } finally {
      await srv.stop();
    }
  },
);
