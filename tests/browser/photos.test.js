// Photos in a real browser: an officer uploads a JPEG (drawn here on a
// canvas, so it is a real image) to a route and a PNG to a provider; a text
// file called .jpg is refused with the server's reason; the catalogue card
// shows the route's photo as its cover (with its width and height, the
// browser scaling the original) and the route page shows the photos, at
// 390 and 1366 px; the officer removes one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { launch, close, newPage, noProblems, shot as fullShot, horizontalOverflow, PHONE, DESKTOP } from './lib.js';

let srv;
let browser;

before(async () => {
  srv = await startServer();
  browser = await launch();
});

after(async () => {
  await close(browser);
  if (srv) await srv.stop();
});

async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return fullShot(page, name);
}

// A landscape drawn by the browser, as JPEG bytes.
async function drawJpeg(page, w, h) {
  const b64 = await page.evaluate(
    ([width, height]) => {
      const c = document.createElement('canvas');
      c.width = width;
      c.height = height;
      const g = c.getContext('2d');
      const sky = g.createLinearGradient(0, 0, 0, height);
      sky.addColorStop(0, '#7fb3e6');
      sky.addColorStop(1, '#e8f1fa');
      g.fillStyle = sky;
      g.fillRect(0, 0, width, height);
      g.fillStyle = '#4f7d3a';
      g.beginPath();
      g.moveTo(0, height * 0.75);
      g.quadraticCurveTo(width * 0.3, height * 0.4, width * 0.6, height * 0.7);
      g.quadraticCurveTo(width * 0.8, height * 0.55, width, height * 0.65);
      g.lineTo(width, height);
      g.lineTo(0, height);
      g.fill();
      g.fillStyle = '#c8161d';
      g.fillRect(width * 0.45, height * 0.5, width * 0.08, height * 0.12);
      return c.toDataURL('image/jpeg', 0.85).split(',')[1];
    },
    [w, h],
  );
  return Buffer.from(b64, 'base64');
}

// A PNG of w×h in two colours, made here byte by byte.
function png(w, h) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) row.set(y < h / 2 ? [240, 200, 120] : [150, 90, 60], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function officer() {
  const page = await newPage(browser, { baseURL: srv.url, viewport: DESKTOP });
  await page.goto('/login.html');
  await page.getByLabel('用户名或手机号').fill('nj_officer');
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/console\//);
  return page;
}

// Every <img> in scope has loaded (a real picture, not a broken icon).
async function loaded(locator) {
  await locator.first().waitFor();
  await locator.evaluateAll((imgs) =>
    Promise.all(
      imgs.map((i) => (i.complete ? null : new Promise((r) => i.addEventListener('load', r, { once: true })))),
    ),
  );
  return locator.evaluateAll((imgs) => imgs.map((i) => [i.naturalWidth, i.getAttribute('width')]));
}

test('an officer uploads photos; the catalogue and the route page show them', async () => {
  const anon = new Client(srv.url);
  const route = (await anon.get('/api/v1/retreat/routes/6')).body;
  const provider = route.providers[0];

  const page = await officer();
  await page.goto('/console/#/retreat/routes/6');
  const box = page.getByRole('region', { name: '线路照片' });
  await box.getByText('还没有照片').waitFor();
  const jpeg = await drawJpeg(page, 1280, 720);
  await box.locator('input[type=file]').setInputFiles({ name: '钟山.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await page.getByText('已上传“钟山.jpg”').waitFor();
  const sizes = await loaded(box.locator('.ph-grid img'));
  assert.deepEqual(sizes, [[1280, '1280']]);
  await box.getByText('封面').waitFor();
  // the bytes decide: text called .jpg is refused, with the reason
  await box
    .locator('input[type=file]')
    .setInputFiles({ name: '假照片.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('这不是照片') });
  await page.getByText(/“假照片.jpg”没有上传：只能上传 JPEG、PNG 或 WebP 格式的照片/).waitFor();
  await shot(page, 'console-route-photos');

  // the provider's photo, from the providers list
  await page.goto('/console/#/retreat/providers');
  await page
    .getByRole('row', { name: new RegExp(provider.name) })
    .getByRole('button', { name: '照片' })
    .click();
  const dlg = page.getByRole('dialog', { name: `照片：${provider.name}` });
  await dlg.getByText('还没有照片').waitFor();
  await dlg
    .locator('input[type=file]')
    .setInputFiles({ name: 'base.png', mimeType: 'image/png', buffer: png(800, 600) });
  await page.getByText('已上传“base.png”').waitFor();
  await loaded(dlg.locator('.ph-grid img'));
  await shot(page, 'console-provider-photos');
  await dlg.getByRole('button', { name: '关闭' }).click();
  noProblems(page);

  for (const [viewport, tag] of [
    [PHONE, 'phone'],
    [DESKTOP, 'desktop'],
  ]) {
    const pub = await newPage(browser, { baseURL: srv.url, viewport, mobile: viewport === PHONE });
    await pub.goto('/retreat/');
    const cover = pub.locator('a.rt-card[data-route-id="6"] img.rt-card-photo');
    await cover.scrollIntoViewIfNeeded();
    const [[natural, width]] = await loaded(cover);
    assert.equal(natural, 1280, 'the cover is the route photo, loaded');
    assert.equal(width, '1280', 'with its width and height');
    const frame = await cover.boundingBox();
    assert.ok(Math.abs(frame.width / frame.height - 16 / 9) < 0.05, 'scaled into the card frame');
    assert.ok((await horizontalOverflow(pub)) <= 0);
    await shot(pub, `retreat-catalogue-photo-${tag}`);

    await pub.goto('/retreat/route.html?id=6');
    const strip = pub.getByRole('list', { name: '照片' });
    assert.deepEqual(await loaded(strip.locator('img')), [[1280, '1280']]);
    const provPhotos = await loaded(pub.locator('.rt-prov-photos img'));
    assert.deepEqual(provPhotos, [[800, '800']]);
    assert.ok((await horizontalOverflow(pub)) <= 0);
    await pub
      .getByRole('region', { name: '服务机构' })
      .screenshot({ path: `test-results/retreat-route-provider-${tag}.png` });
    await shot(pub, `retreat-route-photos-${tag}`);
    noProblems(pub);
    await pub.context().close();
  }

  // removed: the card has no cover of its own any more (the provider's takes over)
  await page.goto('/console/#/retreat/routes/6');
  const box2 = page.getByRole('region', { name: '线路照片' });
  await box2.getByRole('button', { name: '删除' }).click();
  await page.getByRole('dialog', { name: '删除照片' }).getByRole('button', { name: '删除' }).click();
  await page.getByText('照片已删除').waitFor();
  await box2.getByText('还没有照片').waitFor();
  const card = (await anon.get('/api/v1/retreat/routes?per_page=50')).body.items.find((i) => i.id === 6);
  assert.match(card.photo.url, new RegExp(`^/api/v1/providers/${provider.id}/photos/`));
  noProblems(page);
  await page.context().close();
});
