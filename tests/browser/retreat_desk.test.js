// The provider's desk and the promoted member in a real browser: the demo's
// Huai'an front desk (huaian_desk) opens 疗休养接待, sees its departures and a
// passenger list with masked names, and is told another provider's departure
// is not its own; a member whose waiting-list place became a booking sees the
// notice on the member home and on 我的疗休养 (phone), taps 知道了 and the
// notice goes while the booking keeps its trace. Photographed for a human.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { idFor, mobileFor } from '../lib/ids.js';
import { launch, close, newPage, noProblems, shot, horizontalOverflow, PHONE, DESKTOP } from './lib.js';

let srv;
let browser;
let api;
let js;

before(async () => {
  srv = await startServer();
  browser = await launch();
  api = new Client(srv.url);
  js = await api.login('js_officer', DEMO_PASSWORD);
});

after(async () => {
  await close(browser);
  if (srv) await srv.stop();
});

async function logIn(page, login, password = DEMO_PASSWORD) {
  await page.goto('/login.html');
  await page.getByLabel('用户名或手机号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

test("a provider's front desk sees its departures and a masked passenger list, nothing of other providers", async () => {
  const page = await newPage(browser, { baseURL: srv.url, viewport: DESKTOP });
  await logIn(page, 'huaian_desk');
  await page.waitForURL(/\/console\//);
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '疗休养接待', exact: true }).click();
  await page.getByRole('heading', { name: '疗休养接待' }).waitFor();
  const rows = page.locator('.table tbody tr');
  await rows.first().waitFor();
  const titles = await page.locator('.table tbody tr td:nth-child(2)').allInnerTexts();
  assert.ok(
    titles.length >= 2 && titles.every((t) => t.includes('淮安·周恩来故里')),
    `only Huai'an's route: ${titles}`,
  );
  await shot(page, 'retreat-desk-list');
  // the first departure has the demo's Zijin members: one confirmed, three waiting for their union
  await rows.first().click();
  await page.getByRole('heading', { name: /淮安·周恩来故里红色教育四日/ }).waitFor();
  const list = page.getByRole('table', { name: '接待名单' });
  await list.locator('tbody tr').first().waitFor();
  assert.equal(await list.locator('tbody tr').count(), 4);
  const names = await list.locator('tbody tr td:nth-child(2)').allInnerTexts();
  assert.ok(
    names.every((n) => n.includes('*')),
    `names are masked: ${names}`,
  );
  await list.getByText('已确认').waitFor();
  await page.getByText('接待名单（4 人）').waitFor();
  await shot(page, 'retreat-desk-departure');
  // another provider's departure (Yancheng's) looks absent
  const other = (await api.get(`/api/v1/retreat/routes?q=${encodeURIComponent('盐城')}`)).body.items[0];
  const dep = (await api.get(`/api/v1/retreat/routes/${other.id}`)).body.departures[0];
  await page.goto(`/console/#/desk/${dep.id}`);
  await page.getByText('该出发批次不存在，或不是本机构接待的线路。').waitFor();
  noProblems(page);
  await page.context().close();

  const phone = await newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
  await logIn(phone, 'huaian_desk');
  await phone.waitForURL(/\/console\//);
  await phone.goto('/console/#/desk');
  await phone.locator('.table tbody tr').first().click();
  await phone.getByText(/接待名单（\d+ 人）/).waitFor();
  assert.ok((await horizontalOverflow(phone)) <= 0, 'the passenger list fits the phone');
  await shot(phone, 'retreat-desk-departure-phone');
  noProblems(phone);
  await phone.context().close();
});

test('a member promoted from the waiting list finds the notice and dismisses it', async () => {
  // two members of Zijin: one takes the only seat, the other waits; the first cancels
  const nj = await api.login('nj_officer', DEMO_PASSWORD);
  const zijin = (await nj.get(`/api/v1/orgs?q=${encodeURIComponent('南京紫金')}`)).body.items[0].id;
  const people = [];
  for (const [n, name] of [
    [9301, '程雨婷'],
    [9302, '邵建军'],
  ]) {
    const m = await nj.post('/api/v1/members', {
      name,
      id_number: idFor(n),
      mobile: mobileFor(n),
      org_id: zijin,
      employment_form: 'employee',
      frontline: true,
      join_date: '2019-05-01',
    });
    assert.equal(m.status, 201, JSON.stringify(m.body));
    const a = await api.post('/api/v1/member-activation', {
      id_number: idFor(n),
      mobile: mobileFor(n),
      password: `Liaoxiu${n}`,
    });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    people.push({
      name,
      mobile: mobileFor(n),
      password: `Liaoxiu${n}`,
      client: await api.login(mobileFor(n), `Liaoxiu${n}`),
    });
  }
  const prov = (await js.get(`/api/v1/providers?q=${encodeURIComponent('钟山')}`)).body.items[0];
  const r = await js.post('/api/v1/retreat/admin/routes', {
    org_id: js.user.org.id,
    title: '钟山·递补测试康养两日',
    destination: '南京钟山',
    region_code: '320102',
    days: 2,
    price_fen: 120000,
    subsidy_fen: 0,
    itinerary: [
      { day: 1, title: '报到入住' },
      { day: 2, title: '返程' },
    ],
    inclusions: ['住宿'],
    themes: ['康养'],
    provider_ids: [prov.id],
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(
    (await js.post(`/api/v1/retreat/admin/routes/${r.body.id}/status`, { status: 'published' })).status,
    200,
  );
  const when = new Date(Date.now() + 8 * 3600000 + 20 * 86400000).toISOString().slice(0, 10);
  const d = await js.post(`/api/v1/retreat/admin/routes/${r.body.id}/departures`, { depart_date: when, seats: 1 });
  assert.equal(d.status, 201, JSON.stringify(d.body));
  const [first, second] = people;
  const b1 = await first.client.post('/api/v1/retreat/bookings', { departure_id: d.body.id });
  const b2 = await second.client.post('/api/v1/retreat/bookings', { departure_id: d.body.id, waitlist: true });
  assert.equal(b2.body.status, 'waitlisted');
  assert.equal((await first.client.post(`/api/v1/retreat/bookings/${b1.body.id}/cancel`, {})).body.promoted, 1);

  const page = await newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
  await logIn(page, second.mobile, second.password);
  await page.waitForURL('**/m/');
  // the home page's grid says it on the 疗休养 tile, with a badge
  const tile = page.getByRole('link', { name: /^疗休养：候补已转正式/ });
  await tile.waitFor();
  assert.equal((await tile.locator('.bell-badge').innerText()).trim(), '1');
  await shot(page, 'retreat-promotion-home-phone');
  await tile.click();
  await page.waitForURL('**/m/retreat.html');
  const notice = page.locator('.rt-notice');
  await notice.getByText('候补已转为正式预订').waitFor();
  await notice
    .getByText(/“钟山·递补测试康养两日”.*出发：名额已为您保留，等待所在工会确认；如不能出行，请于.*前在本页取消/)
    .waitFor();
  await page.locator('.rt-booking').first().getByText('候补递补', { exact: true }).waitFor();
  assert.ok((await horizontalOverflow(page)) <= 0, 'the notice fits the phone');
  await shot(page, 'retreat-promotion-notice-phone');
  await notice.getByRole('button', { name: '知道了' }).click();
  await notice.waitFor({ state: 'detached' });
  await page
    .locator('.rt-booking')
    .first()
    .getByText(/由候补递补/)
    .waitFor();
  assert.equal(await page.locator('.rt-booking').first().getByText('候补递补', { exact: true }).count(), 0);
  // read once: it does not come back
  await page.reload();
  await page.locator('.rt-booking').first().waitFor();
  assert.equal(await page.locator('.rt-notice').count(), 0);
  noProblems(page);
  await page.context().close();
});
