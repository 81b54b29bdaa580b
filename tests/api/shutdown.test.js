// Graceful shutdown: on SIGTERM the server stops taking new connections but
// a request already in flight — here one whose body is still arriving — is
// answered in full before the process exits cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';

test('a request in flight at SIGTERM still gets its answer', async () => {
  const srv = await startServer();
  const admin = await new Client(srv.url).login('admin', DEMO_PASSWORD);
  const { hostname, port } = new URL(srv.url);
  const body = JSON.stringify({
    name: '关机前提交的工会',
    level: 'grassroots',
    kind: 'enterprise',
    region_code: '320102',
    parent_id: 4,
  });
  const sock = net.connect(Number(port), hostname);
  await new Promise((r) => sock.once('connect', r));
  let reply = '';
  sock.on('data', (d) => {
    reply += d;
  });
  const closed = new Promise((r) => sock.once('close', r));
  sock.write(
    `POST /api/v1/orgs HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${admin.token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
  );
  sock.write(body.slice(0, 10));
  await new Promise((r) => setTimeout(r, 200));
  srv.proc.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  // new connections are refused once the server is stopping
  const refused = await new Promise((resolve) => {
    const s2 = net.connect(Number(port), hostname);
    s2.once('connect', () => {
      s2.destroy();
      resolve(false);
    });
    s2.once('error', () => resolve(true));
  });
  sock.write(body.slice(10));
  await closed;
  assert.match(reply, /^HTTP\/1\.1 201/, reply.slice(0, 200));
  assert.match(reply, /关机前提交的工会/);
  assert.equal(refused, true, 'no new connections while stopping');
  const exit = await new Promise((r) => (srv.proc.exitCode !== null ? r(srv.proc.exitCode) : srv.proc.once('exit', r)));
  assert.equal(exit, 0);
  await srv.stop().catch(() => {});
});
