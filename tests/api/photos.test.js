// Photos of recuperation providers and routes: the bytes decide the type
// (JPEG, PNG, WebP by their magic numbers, never the name or the declared
// type), 5 MiB at most, stored in the database and served with caching
// headers at a public URL while the owner is public; only officers who may
// change the owner add or remove them (scope: 404 outside, 403 without the
// duty); the catalogue card shows the first as its cover.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';

let srv, anon, js, nj, sz, jn, member, admin;

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  js = await anon.login('js_officer', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  sz = await anon.login('sz_officer', DEMO_PASSWORD);
  jn = await anon.login('jn_officer', DEMO_PASSWORD); // no retreat duty
  member = await anon.login('13912000000', DEMO_PASSWORD);
  admin = await anon.login('admin', DEMO_PASSWORD);
});
after(async () => srv && srv.stop());

// ---- images made here, byte by byte ----

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
// A real PNG of w×h red pixels.
function png(w, h) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = [];
  for (let y = 0; y < h; y++) rows.push(Buffer.from([0, ...Array(w).fill([200, 22, 29]).flat()]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
// The headers of a baseline JPEG of w×h (SOI, APP0, SOF0), padded to size.
function jpeg(w, h, size = 0) {
  const head = Buffer.from([
    0xff,
    0xd8,
    0xff,
    0xe0,
    0x00,
    0x10,
    0x4a,
    0x46,
    0x49,
    0x46,
    0x00,
    0x01,
    0x01,
    0x00,
    0x00,
    0x01,
    0x00,
    0x01,
    0x00,
    0x00,
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    h >> 8,
    h & 255,
    w >> 8,
    w & 255,
    0x03,
    0x01,
    0x22,
    0x00,
    0x02,
    0x11,
    0x01,
    0x03,
    0x11,
    0x01,
  ]);
  const tail = Buffer.from([0xff, 0xd9]);
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length - 2)), tail]);
}
// The header of a lossless WebP of w×h: RIFF, WEBP, a VP8L chunk.
function webp(w, h) {
  const bits = ((w - 1) & 0x3fff) | (((h - 1) & 0x3fff) << 14);
  const vp8l = Buffer.from([0x2f, bits & 255, (bits >> 8) & 255, (bits >> 16) & 255, (bits >>> 24) & 255, 0, 0, 0]);
  const c = Buffer.alloc(8);
  c.write('VP8L');
  c.writeUInt32LE(vp8l.length, 4);
  const riff = Buffer.alloc(8);
  riff.write('RIFF');
  riff.writeUInt32LE(4 + c.length + vp8l.length, 4);
  return Buffer.concat([riff, Buffer.from('WEBP'), c, vp8l]);
}

const put = (client, path, bytes, type = 'application/octet-stream', name) =>
  client.post(path, bytes, {
    raw: true,
    headers: { 'Content-Type': type, ...(name ? { 'Content-Disposition': `attachment; filename="${name}"` } : {}) },
  });

test('the bytes decide the type, whatever the name or the declared type', async () => {
  const up = '/api/v1/retreat/admin/routes/6/photos';
  const p = await put(nj, up, png(3, 2), 'image/jpeg', 'photo.jpg');
  assert.equal(p.status, 201, JSON.stringify(p.body));
  assert.equal(p.body.mime, 'image/png', 'PNG bytes called photo.jpg are a PNG');
  assert.equal(p.body.width, 3);
  assert.equal(p.body.height, 2);
  assert.match(p.body.url, /^\/api\/v1\/retreat\/routes\/6\/photos\/\d+$/);

  const j = await put(nj, up, jpeg(1600, 900));
  assert.equal(j.status, 201, JSON.stringify(j.body));
  assert.deepEqual([j.body.mime, j.body.width, j.body.height], ['image/jpeg', 1600, 900]);

  const w = await put(nj, up, webp(640, 480));
  assert.equal(w.status, 201, JSON.stringify(w.body));
  assert.deepEqual([w.body.mime, w.body.width, w.body.height], ['image/webp', 640, 480]);

  for (const [what, bytes] of [
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')],
    ['text called .jpg', Buffer.from('这不是照片')],
    ['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>')],
    ['a JPEG with no frame header', Buffer.from([0xff, 0xd8, 0xff, 0xd9, 0, 0, 0, 0])],
    ['a PNG cut short', png(2, 2).subarray(0, 20)],
  ]) {
    const r = await put(nj, up, bytes, 'image/jpeg', 'photo.jpg');
    assert.equal(r.status, 400, what);
    assert.equal(r.body.error.code, 'photo_type', what);
  }
  const huge = await put(nj, up, jpeg(20000, 100));
  assert.equal(huge.body.error.code, 'photo_dimensions');
  const empty = await put(nj, up, Buffer.alloc(0));
  assert.equal(empty.body.error.code, 'empty_file');
});

test('5 MiB at most', async () => {
  const up = '/api/v1/providers/6/photos';
  const over = await put(nj, up, jpeg(800, 600, 5 * 1024 * 1024 + 1));
  assert.equal(over.status, 413);
  assert.equal(over.body.error.code, 'photo_too_large');
  const full = await put(nj, up, jpeg(800, 600, 5 * 1024 * 1024));
  assert.equal(full.status, 201, JSON.stringify(full.body));
  assert.equal(full.body.bytes, 5 * 1024 * 1024);
  // the same bytes come back
  const got = await fetch(srv.url + full.body.url);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'image/jpeg');
  const back = Buffer.from(await got.arrayBuffer());
  assert.ok(back.equals(jpeg(800, 600, 5 * 1024 * 1024)), 'the bytes stored are the bytes served');
  assert.equal((await nj.del(full.body.url)).status, 204);
});

test('only officers who may change the owner add or remove photos', async () => {
  const route = '/api/v1/retreat/admin/routes/6/photos'; // Nanjing's
  const prov = '/api/v1/providers/6/photos';
  assert.equal((await put(sz, route, png(2, 2))).status, 404, 'Suzhou cannot see a Nanjing route');
  assert.equal((await put(sz, prov, png(2, 2))).status, 404);
  assert.equal((await put(jn, route, png(2, 2))).status, 403, 'no retreat duty');
  assert.equal((await put(jn, prov, png(2, 2))).status, 403);
  assert.equal((await put(member, route, png(2, 2))).status, 403);
  assert.equal((await put(anon, route, png(2, 2))).status, 401);

  const mine = await put(nj, prov, png(4, 4));
  assert.equal(mine.status, 201);
  const id = mine.body.id;
  assert.equal((await sz.del(`/api/v1/providers/6/photos/${id}`)).status, 404);
  assert.equal((await jn.del(`/api/v1/providers/6/photos/${id}`)).status, 403);
  // a photo asked for through another owner is not found
  assert.equal((await nj.del(`/api/v1/providers/11/photos/${id}`)).status, 404);
  assert.equal((await anon.get(`/api/v1/providers/11/photos/${id}`)).status, 404);
  assert.equal((await anon.get(`/api/v1/retreat/routes/6/photos/${id}`)).status, 404);
  // the provider lists it; removing it is audited
  const p = await nj.get('/api/v1/providers/6');
  assert.ok(p.body.photos.some((x) => x.id === id));
  assert.equal((await nj.del(`/api/v1/providers/6/photos/${id}`)).status, 204);
  assert.equal((await anon.get(`/api/v1/providers/6/photos/${id}`)).status, 404);
  const audit = await admin.get('/api/v1/audit?action=provider.photo&per_page=20');
  const actions = audit.body.items.map((i) => i.action);
  assert.ok(actions.includes('provider.photo_add') && actions.includes('provider.photo_delete'), actions.join());
  const raudit = await admin.get('/api/v1/audit?action=retreat.route_photo&per_page=20');
  assert.ok(raudit.body.items.some((i) => i.action === 'retreat.route_photo_add'));
});

test('served with caching headers to anyone while public, only in scope otherwise', async () => {
  const pub = await put(nj, '/api/v1/retreat/admin/routes/6/photos', png(5, 5));
  const r = await fetch(srv.url + pub.body.url);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/png');
  assert.equal(r.headers.get('cache-control'), 'public, max-age=86400');
  const etag = r.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  const again = await fetch(srv.url + pub.body.url, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);

  // a draft route (10, the province's): not public
  const draft = await put(js, '/api/v1/retreat/admin/routes/10/photos', png(2, 3));
  assert.equal(draft.status, 201, JSON.stringify(draft.body));
  assert.equal((await anon.get(draft.body.url)).status, 404);
  assert.equal((await nj.get(draft.body.url)).status, 404, 'Nanjing is outside the province route');
  const staff = await fetch(srv.url + draft.body.url, { headers: { Authorization: `Bearer ${js.token}` } });
  assert.equal(staff.status, 200);
  assert.equal(staff.headers.get('cache-control'), 'private, max-age=300');
  const detail = await js.get('/api/v1/retreat/admin/routes/10');
  assert.deepEqual(
    detail.body.photos.map((x) => x.id),
    [draft.body.id],
  );

  // a suspended provider (10): not public either
  const susp = await put(js, '/api/v1/providers/10/photos', png(2, 2));
  assert.equal(susp.status, 201);
  assert.equal((await anon.get(susp.body.url)).status, 404);
});

test('the catalogue card shows the first photo as its cover, the route page all of them', async () => {
  // route 5 has no photo of its own: none yet, then its provider's, then its own
  const card = async () => {
    await new Promise((res) => setTimeout(res, 50));
    const list = await anon.get('/api/v1/retreat/routes?per_page=50');
    return list.body.items.find((i) => i.id === 5);
  };
  const route = await js.get('/api/v1/retreat/admin/routes/5');
  const provider = route.body.providers[0].id;
  assert.equal((await card()).photo, null);
  const pp = await put(js, `/api/v1/providers/${provider}/photos`, png(6, 4));
  assert.equal(pp.status, 201);
  let c = await card();
  assert.deepEqual(c.photo, { url: pp.body.url, width: 6, height: 4 });
  const rp = await put(js, '/api/v1/retreat/admin/routes/5/photos', jpeg(1200, 800));
  c = await card();
  assert.deepEqual(c.photo, { url: rp.body.url, width: 1200, height: 800 });
  const page = await anon.get('/api/v1/retreat/routes/5');
  assert.deepEqual(
    page.body.photos.map((x) => x.url),
    [rp.body.url],
  );
  assert.deepEqual(
    page.body.providers[0].photos.map((x) => x.url),
    [pp.body.url],
  );
});

test('at most 12 photos for one route', async () => {
  const up = '/api/v1/retreat/admin/routes/3/photos';
  let last;
  for (let i = 0; i < 13; i++) last = await put(js, up, png(2, 2));
  assert.equal(last.status, 409);
  assert.equal(last.body.error.code, 'too_many_photos');
});
