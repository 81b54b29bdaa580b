// Recuperation trips in a real browser: a visitor browses the public
// catalogue on a phone without logging in; a member logs in, filters by
// theme, opens a route, books a seat and sees the seats left drop at once,
// then finds the booking waiting for the union; an officer of the member's
// union confirms it in the console; the member sees it confirmed. Pages are
// checked for sideways scrolling on a phone and photographed for a human.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { idFor, mobileFor } from '../lib/ids.js';
import { launch, close, newPage, noProblems, shot as fullShot, horizontalOverflow, PHONE, DESKTOP } from './lib.js';

let srv;
let browser;
const N = 9101;
const MEMBER = { name: '钱晓燕', mobile: mobileFor(N), password: `Liaoxiu${N}` };
let route;

before(async () => {
  srv = await startServer();
  browser = await launch();
  const anon = new Client(srv.url);
  const nj = await anon.login('nj_officer', DEMO_PASSWORD);
  const orgs = (await nj.get('/api/v1/orgs?q=' + encodeURIComponent('南京紫金'))).body.items;
  const m = await nj.post('/api/v1/members', {
    name: MEMBER.name,
    id_number: idFor(N),
    mobile: MEMBER.mobile,
    org_id: orgs[0].id,
    employment_form: 'employee',
    frontline: true,
    join_date: '2020-05-01',
  });
  assert.equal(m.status, 201, JSON.stringify(m.body));
  const a = await anon.post('/api/v1/member-activation', {
    id_number: idFor(N),
    mobile: MEMBER.mobile,
    password: MEMBER.password,
  });
  assert.equal(a.status, 201, JSON.stringify(a.body));
  route = (await anon.get('/api/v1/retreat/routes?q=' + encodeURIComponent('周恩来'))).body.items[0];
  assert.ok(route, 'the demo route is in the catalogue');
});

after(async () => {
  await close(browser);
  if (srv) await srv.stop();
});

async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return fullShot(page, name);
}

async function logIn(page, login, password = DEMO_PASSWORD) {
  await page.getByLabel('用户名或手机号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

test('a visitor browses the catalogue and a route on a phone without logging in', async () => {
  const page = await newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
  await page.goto('/');
  await page.getByRole('link', { name: /职工疗休养/ }).click();
  await page.waitForURL('**/retreat/');
  await page.getByRole('heading', { name: '职工疗休养' }).waitFor();
  await page.locator('.rt-headline p').first().waitFor();
  assert.match(await page.locator('.rt-headline').innerText(), /投入疗休养补助.*服务职工.*人次/);
  await page.locator('.rt-card').first().waitFor();
  assert.ok((await horizontalOverflow(page)) <= 0, 'the catalogue fits the phone');
  await shot(page, 'retreat-catalog-phone');
  // collections filter the list
  await page.getByRole('button', { name: /红色疗休养精品线路/ }).click();
  await page.getByText(/专题“红色疗休养精品线路”：共 3 条线路/).waitFor();
  await page.locator(`.rt-card[data-route-id="${route.id}"]`).click();
  await page.waitForURL(/route\.html\?id=/);
  await page.getByRole('heading', { name: route.title }).waitFor();
  await page.getByRole('cell', { name: '会员自付' }).waitFor();
  assert.equal(
    (await page.getByRole('link', { name: '登录预订' }).count()) > 0,
    true,
    'anonymous visitors are asked to log in',
  );
  assert.ok((await horizontalOverflow(page)) <= 0, 'the route page fits the phone');
  await shot(page, 'retreat-route-phone');
  noProblems(page);
  await page.context().close();
});

test('a member books a seat and sees seats left drop; the union confirms in the console', async () => {
  const page = await newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
  await page.goto(`/login.html?next=${encodeURIComponent(`/retreat/route.html?id=${route.id}`)}`);
  await logIn(page, MEMBER.mobile, MEMBER.password);
  await page.waitForURL(/route\.html\?id=/);
  const dep = page.locator('.rt-dep[data-departure-id]').first();
  await dep.getByRole('button', { name: '预订' }).waitFor();
  const depId = await dep.getAttribute('data-departure-id');
  const before = Number(await dep.locator('[data-seats-left]').getAttribute('data-seats-left'));
  assert.ok(before > 0);
  await dep.getByRole('button', { name: '预订' }).click();
  await page
    .getByRole('dialog', { name: '确认预订' })
    .getByText(/会员自付/)
    .waitFor();
  await page.getByRole('button', { name: '确认预订' }).click();
  await page.getByText('预订成功，等待所在工会确认').waitFor();
  const after = page.locator(`.rt-dep[data-departure-id="${depId}"] [data-seats-left]`);
  await page.waitForFunction(
    ([id, n]) =>
      Number(document.querySelector(`.rt-dep[data-departure-id="${id}"] [data-seats-left]`).dataset.seatsLeft) === n,
    [depId, before - 1],
  );
  assert.equal(Number(await after.getAttribute('data-seats-left')), before - 1, 'one seat fewer, shown at once');
  await page.locator(`.rt-dep[data-departure-id="${depId}"]`).getByText('待工会确认').waitFor();
  await shot(page, 'retreat-booked-phone');

  await page.locator('#rt-head').getByRole('link', { name: '我的预订' }).click();
  await page.waitForURL('**/m/retreat.html');
  const card = page.locator('.rt-booking').first();
  await card.getByText('待工会确认').waitFor();
  assert.ok((await horizontalOverflow(page)) <= 0, 'my bookings fit the phone');
  await shot(page, 'retreat-my-bookings-phone');
  noProblems(page);

  // The member's union (Nanjing) confirms in the console.
  const off = await newPage(browser, { baseURL: srv.url, viewport: DESKTOP });
  await off.goto('/login.html');
  await logIn(off, 'nj_officer');
  await off.waitForURL(/\/console\//);
  await off.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '预订审核', exact: true }).click();
  const row = off.getByRole('row').filter({ hasText: MEMBER.name });
  await row.waitFor();
  await shot(off, 'retreat-bookings-console');
  await row.getByRole('button', { name: '确认' }).click();
  await off.getByText(`已确认 ${MEMBER.name} 的预订`).waitFor();
  await row.waitFor({ state: 'detached' });
  // among the confirmed ones now (the route itself is the province's: not Nanjing's to manage)
  await off.goto('/console/#/retreat/bookings?status=confirmed');
  await off.getByRole('row').filter({ hasText: MEMBER.name }).getByText('已确认').waitFor();
  assert.equal(await off.getByRole('button', { name: '确认', exact: true }).count(), 0);
  noProblems(off);
  await off.context().close();

  await page.reload();
  await page.locator('.rt-booking').first().getByText('已确认').waitFor();
  noProblems(page);
  await page.context().close();
});

test('the catalogue and the console pages on a desktop', async () => {
  const page = await newPage(browser, { baseURL: srv.url, viewport: DESKTOP });
  await page.goto('/retreat/?theme=' + encodeURIComponent('康养'));
  await page.locator('.rt-card').first().waitFor();
  const titles = await page.locator('.rt-card-title').allInnerTexts();
  assert.ok(titles.length > 0 && titles.every((t) => !/淮安/.test(t)), 'the theme filter applies from the address');
  await shot(page, 'retreat-catalog-desktop');
  await page.goto('/login.html');
  await logIn(page, 'js_officer');
  await page.waitForURL(/\/console\//);
  for (const [name, heading, file] of [
    ['线路管理', '线路管理', 'retreat-routes-console'],
    ['服务机构', '服务机构', 'retreat-providers-console'],
    ['专题与规则', '专题与规则', 'retreat-settings-console'],
    ['疗休养统计', '疗休养统计', 'retreat-stats-console'],
  ]) {
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    await page.locator('.table tbody tr, .headline-text').first().waitFor();
    await shot(page, file);
  }
  assert.match(
    await page.locator('.headline-text').innerText(),
    /^自\d{4}年以来，江苏省总工会及下属工会投入疗休养补助/,
  );
  noProblems(page);
  await page.context().close();
});

test('the figures by year as a chart on a desktop and a phone, and the table alone without the library', async () => {
  for (const [viewport, name] of [
    [DESKTOP, 'retreat-stats-chart-desktop'],
    [PHONE, 'retreat-stats-chart-phone'],
  ]) {
    const page = await newPage(browser, { baseURL: srv.url, viewport, mobile: viewport === PHONE });
    await page.goto('/login.html');
    await logIn(page, 'js_officer');
    await page.waitForURL(/\/console\//);
    await page.goto('/console/#/retreat/stats');
    const byYear = page.getByRole('region', { name: '按年度' });
    const chart = byYear.getByRole('img', { name: '按年度的工会补助与服务人次' });
    await byYear.locator('.chart[data-state=ready]').waitFor();
    assert.ok((await chart.locator('svg, canvas').count()) > 0, 'the chart is drawn in its box');
    const box = await chart.boundingBox();
    assert.ok(
      box.width > viewport.width / 2 && box.width <= viewport.width,
      `the chart spans the panel (${box.width}px)`,
    );
    assert.ok((await chart.textContent()).includes('工会补助'), 'the chart speaks Chinese');
    await byYear.locator('.table tbody tr').first().waitFor();
    assert.ok((await horizontalOverflow(page)) <= 0, 'the figures fit the screen');
    await shot(page, name);
    noProblems(page);
    await page.context().close();
  }
  // ECharts cannot be loaded: the same figures in the table, no empty chart box.
  const page = await newPage(browser, { baseURL: srv.url, viewport: DESKTOP });
  await page.route('**/vendor/echarts.esm.min.js', (r) => r.abort());
  await page.goto('/login.html');
  await logIn(page, 'js_officer');
  await page.waitForURL(/\/console\//);
  await page.goto('/console/#/retreat/stats');
  const byYear = page.getByRole('region', { name: '按年度' });
  await byYear.locator('.table tbody tr').first().waitFor();
  await byYear.locator('.chart').waitFor({ state: 'detached' });
  assert.ok((await byYear.locator('.table tbody tr').count()) > 0);
  await page.context().close();
});

test('an officer creates a route day by day, adds a departure and publishes it; the public sees it', async () => {
  const page = await newPage(browser, { baseURL: srv.url, viewport: DESKTOP });
  await page.goto('/login.html');
  await logIn(page, 'js_officer');
  await page.waitForURL(/\/console\//);
  await page.goto('/console/#/retreat/routes');
  await page.getByRole('button', { name: '新建线路' }).click();
  const d = page.getByRole('dialog', { name: '新建疗休养线路' });
  await d.getByLabel('线路名称').fill('南京·浏览器测试康养两日');
  await d.getByLabel('目的地').fill('南京钟山');
  await d.getByLabel('行政区划代码').fill('320102');
  await d.getByLabel('线路全价（元/人）').fill('1,200');
  await d.getByLabel('工会补助（元/人）').fill('800');
  await d.getByText('¥400（由系统按 全价 − 补助 计算）').waitFor();
  await d.getByLabel('主题').fill('康养、测试');
  await d.getByLabel('天数').fill('2');
  await d.getByLabel('第 1 天安排').fill('报到入住');
  await d.getByLabel('第 1 天说明').fill('健康体检');
  await d.getByLabel('第 2 天安排').fill('返程');
  await d.getByText('南京钟山职工疗休养基地（疗休养基地）').click();
  await shot(page, 'retreat-route-editor');
  await d.getByRole('button', { name: '保存' }).click();
  await page.getByRole('heading', { name: '南京·浏览器测试康养两日' }).waitFor();
  await page.getByText('全价 ¥1,200，工会补助 ¥800，会员价 ¥400').waitFor();
  await page.getByRole('button', { name: '新增出发批次' }).click();
  const dep = page.getByRole('dialog', { name: '新增出发批次' });
  const when = new Date(Date.now() + 8 * 3600000 + 40 * 86400000).toISOString().slice(0, 10);
  await dep.getByLabel('出发日期').fill(when);
  await dep.getByLabel('名额').fill('12');
  await dep.getByRole('button', { name: '保存' }).click();
  await page.getByText('出发批次已添加').waitFor();
  await page.getByRole('button', { name: '发布' }).click();
  await page.getByRole('dialog', { name: '发布线路' }).getByRole('button', { name: '发布' }).click();
  await page.getByText('目录中展示').waitFor();
  noProblems(page);
  await page.context().close();

  const pub = await newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
  await pub.goto(`/retreat/?q=${encodeURIComponent('浏览器测试')}`);
  const card = pub.locator('.rt-card').filter({ hasText: '南京·浏览器测试康养两日' });
  await card.getByText('¥400').waitFor();
  await card.getByText(/余 12 个名额/).waitFor();
  await card.click();
  await pub.getByText('第 1 天　报到入住').waitFor();
  await pub.getByText('健康体检').waitFor();
  noProblems(pub);
  await pub.context().close();
});
