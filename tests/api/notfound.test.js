// An unknown address: a browser asking for a page gets a Chinese HTML page
// with status 404; API clients, and every /api/ path, get the JSON error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';

let srv;

before(async () => {
  srv = await startServer({ demo: false });
});
after(async () => srv && srv.stop());

const BROWSER = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

test('a page request for an unknown path answers 404 with an HTML page in Chinese', async () => {
  const r = await fetch(`${srv.url}/no/such/page.html`, { headers: BROWSER });
  assert.equal(r.status, 404);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  const body = await r.text();
  assert.match(body, /页面不存在/);
  assert.match(body, /<html lang="zh-CN">/);
  assert.ok(!body.trim().startsWith('{'), 'not JSON');
});

test('the same path asked for by an API client, and unknown /api/ paths, answer JSON', async () => {
  const plain = await fetch(`${srv.url}/no/such/page.html`);
  assert.equal(plain.status, 404);
  assert.match(plain.headers.get('content-type'), /json/);
  assert.equal((await plain.json()).error.code, 'not_found');
  const api = await fetch(`${srv.url}/api/v1/no-such-thing`, { headers: BROWSER });
  assert.equal(api.status, 404);
  assert.match(api.headers.get('content-type'), /json/);
  assert.equal((await api.json()).error.code, 'route_not_found');
});
