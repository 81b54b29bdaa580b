// Pages anyone may open, in a real browser at 390 and 1366 px: none logs a
// 401 while it learns that nobody is logged in; a member finds a forgotten
// password with ID number, mobile and the code sent by text message (read
// from the server log, GONGHUI_SMS_ECHO=1); the join form marks every
// missing field at once, shows the short tracking code large, and the
// status can be looked up by ID number and mobile; the lottery result leads
// with the in-browser check; the entrant list finds a name; the catalogue
// cards count the next departure's own seats and the other dates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { idFor, mobileFor } from '../lib/ids.js';
import { launch, close, newPage, noProblems, shot as fullShot, horizontalOverflow, PHONE, DESKTOP } from './lib.js';

let srv;
let browser;

before(async () => {
  srv = await startServer({ env: { GONGHUI_SMS_ECHO: '1' } });
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

const phone = () => newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
const desktop = () => newPage(browser, { baseURL: srv.url, viewport: DESKTOP });

test('public pages learn that nobody is logged in without a 401', async () => {
  const page = await phone();
  const seen = [];
  page.on('response', (r) => {
    if (r.status() === 401) seen.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') seen.push(`console: ${m.text()}`);
  });
  for (const path of [
    '/',
    '/login.html',
    '/forgot.html',
    '/activate.html',
    '/join.html',
    '/retreat/',
    '/retreat/route.html?id=6',
    '/lottery/',
    '/lottery/result.html?id=1',
    '/lottery/entrants.html?id=1',
    '/lottery/verify.html?id=1',
  ]) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
  }
  assert.deepEqual(seen, [], 'no 401 and no console error on the public pages');
  noProblems(page);
  await page.context().close();
});

// A member with an account: joins online, approved by the Nanjing officer.
async function newMember(n, password) {
  const anon = new Client(srv.url);
  const nj = await anon.login('nj_officer', DEMO_PASSWORD);
  const dir = await anon.get(`/api/v1/directory/orgs?per_page=20&q=${encodeURIComponent('江宁区新就业形态')}`);
  const name = `找回${n}`;
  const r = await anon.post('/api/v1/join-requests', {
    name,
    id_number: idFor(n),
    mobile: mobileFor(n),
    employment_form: 'courier',
    org_id: dir.body.items[0].id,
    password,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const jr = (await nj.get('/api/v1/join-requests?per_page=100')).body.items.find((i) => i.name === name);
  assert.equal((await nj.post(`/api/v1/join-requests/${jr.id}/approve`, {})).status, 200);
  return { id_number: idFor(n), mobile: mobileFor(n) };
}

// The reset code texted after `from` characters of the server log.
async function codeAfter(from) {
  for (let i = 0; i < 50; i++) {
    const codes = srv.stderr
      .slice(from)
      .split('\n')
      .filter((l) => l.includes('sms echo'))
      .map((l) => JSON.parse(l).msg.match(/验证码 (\d{6})/))
      .filter(Boolean);
    if (codes.length) return codes[codes.length - 1][1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no code in the log');
}

test('a member resets a forgotten password with ID number, mobile and a texted code', async () => {
  const who = await newMember(9301, 'Kuaidi#2026');
  const page = await phone();
  await page.goto('/login.html');
  await page.getByRole('link', { name: '忘记密码' }).click();
  await page.waitForURL('**/forgot.html');
  await page.getByRole('heading', { name: '找回密码' }).waitFor();
  // every missing field at once
  await page.getByRole('button', { name: '获取短信验证码' }).click();
  assert.equal(await page.locator('#reset-ask .field.has-error').count(), 2);
  assert.ok((await horizontalOverflow(page)) <= 0);
  await shot(page, 'forgot-step1-errors-phone');
  await page.getByLabel('身份证号').fill(who.id_number);
  await page.getByLabel('手机号').fill(who.mobile);
  const mark = srv.stderr.length;
  await page.getByRole('button', { name: '获取短信验证码' }).click();
  await page.getByLabel('短信验证码').waitFor();
  await page.getByText(/验证码已通过短信发到该手机/).waitFor();
  await page.getByText(/139\*\*\*\*9301/).waitFor();
  const code = await codeAfter(mark);
  // the rule is the hint; a wrong code and a weak password are said at their fields
  await page.getByText(/8–128 个字符；不能用常见密码/).waitFor();
  await page.getByLabel('短信验证码').fill(code === '000000' ? '111111' : '000000');
  await page.getByLabel('新密码', { exact: true }).fill('Zhaohui#2027');
  await page.getByLabel('确认新密码').fill('Zhaohui#2027');
  await page.getByRole('button', { name: '重置密码' }).click();
  await page.locator('.field[data-field="code"]').getByText('验证码不正确或已失效，请重新获取').waitFor();
  await page.getByLabel('短信验证码').fill(code);
  await page.getByLabel('新密码', { exact: true }).fill('abcdefgh');
  await page.getByLabel('确认新密码').fill('abcdefgh');
  await page.getByRole('button', { name: '重置密码' }).click();
  await page
    .locator('.field[data-field="new_password"]')
    .getByText(/太容易被猜到/)
    .waitFor();
  assert.ok((await horizontalOverflow(page)) <= 0);
  await shot(page, 'forgot-step2-phone');
  await page.getByLabel('新密码', { exact: true }).fill('Zhaohui#2027');
  await page.getByLabel('确认新密码').fill('Zhaohui#2027');
  await page.getByRole('button', { name: '重置密码' }).click();
  await page.getByRole('heading', { name: '密码已重置' }).waitFor();
  await shot(page, 'forgot-done-phone');
  await page.getByRole('link', { name: '去登录' }).click();
  await page.getByLabel('用户名或手机号').fill(who.mobile);
  await page.getByLabel('密码').fill('Zhaohui#2027');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/m\/$/);
  noProblems(page);
  await page.context().close();

  const wide = await desktop();
  await wide.goto('/forgot.html');
  await wide.getByRole('heading', { name: '找回密码' }).waitFor();
  await shot(wide, 'forgot-desktop');
  noProblems(wide);
  await wide.context().close();
});

test('the join form marks every missing field at once; the short code; status by ID number and mobile', async () => {
  const page = await phone();
  await page.goto('/join.html');
  await page.getByRole('button', { name: '提交入会申请' }).click();
  const marked = await page
    .locator('#join-form .field.has-error')
    .evaluateAll((els) => els.map((e) => e.dataset.field));
  assert.deepEqual(
    marked.sort(),
    ['confirm', 'employment_form', 'id_number', 'mobile', 'name', 'org_id', 'password', 'pledge'].sort(),
    'every missing field is marked at once',
  );
  assert.equal(await page.evaluate(() => document.activeElement.name), 'name', 'the first one has the focus');
  await shot(page, 'join-empty-submit-phone');

  await page.getByLabel('姓名').fill('钱短码');
  await page.getByLabel('身份证号').fill(idFor(9302));
  await page.getByLabel('手机号').fill(mobileFor(9302));
  await page.getByLabel('就业形态').selectOption({ label: '快递员' });
  await page.getByLabel('申请加入的工会').fill('江宁区新就业');
  await page.getByRole('button', { name: /江宁区新就业形态劳动者联合工会/ }).click();
  await page.getByLabel('密码', { exact: true }).fill('Kuaidi#2026');
  await page.getByLabel('确认密码').fill('Kuaidi#2026');
  await page.getByText('本人自愿加入工会').click();
  await page.getByRole('button', { name: '提交入会申请' }).click();
  await page.getByRole('heading', { name: '入会申请已提交' }).waitFor();
  const code = page.locator('.code-value');
  assert.match((await code.innerText()).trim(), /^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
  const size = await code.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  assert.ok(size >= 28, `the code is large (${size}px)`);
  await page.getByText('查询码丢失时，也可以用身份证号和手机号查询。').waitFor();
  assert.ok((await horizontalOverflow(page)) <= 0);
  await shot(page, 'join-short-code-phone');

  const status = page.getByRole('region', { name: '查询申请进度' });
  await status.getByRole('button', { name: '查询码丢失？用身份证号和手机号查询' }).click();
  await status.getByRole('button', { name: '查询', exact: true }).click();
  assert.equal(await status.locator('.field.has-error').count(), 2, 'both missing fields marked');
  await status.getByLabel('身份证号').fill(idFor(9302).toLowerCase());
  await status.getByLabel('手机号').fill(mobileFor(9302));
  await status.getByRole('button', { name: '查询', exact: true }).click();
  await status.getByText('待审核').waitFor();
  await status.getByText('钱*码').waitFor();
  await shot(page, 'join-status-by-person-phone');
  // and back to the code, typed in lower case without the hyphen
  await status.getByRole('button', { name: '有查询码？用查询码查询' }).click();
  const typed = (await code.innerText()).trim().replace('-', '').toLowerCase();
  await status.getByLabel('查询码').fill(typed);
  await status.getByRole('button', { name: '查询', exact: true }).click();
  await status.getByText('待审核').waitFor();
  noProblems(page);
  await page.context().close();
});

test('the lottery result leads with the browser check; the entrant list finds a name', async () => {
  for (const [make, tag] of [
    [phone, 'phone'],
    [desktop, 'desktop'],
  ]) {
    const page = await make();
    await page.goto('/lottery/result.html?id=1');
    const verify = page.getByRole('link', { name: '在浏览器中核验' });
    await verify.waitFor();
    const cli = page.getByText(/gonghui lottery verify --entrants/);
    assert.equal(await cli.isVisible(), false, 'the command line is folded away');
    // the check comes before the sources, the key string and the downloads
    const order = await page.evaluate(() => {
      const a = document.querySelector('.lt-verify-call');
      const b = document.querySelector('.lt-version');
      const c = document.querySelector('.lt-expert');
      return [
        a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING,
        b.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING,
      ];
    });
    assert.ok(order[0] && order[1], 'check, then the draw, then the command line');
    assert.ok((await horizontalOverflow(page)) <= 0);
    await shot(page, `lottery-result-${tag}`);
    await page.getByText('专业人员：用命令行离线核验').click();
    await cli.waitFor();
    await page.goto('/lottery/entrants.html?id=1');
    const search = page.getByRole('search');
    const box = search.getByLabel('查找');
    assert.match(await box.getAttribute('placeholder'), /姓名/);
    await search.getByText(/姓名按名单的方式隐去中间的字后查找/).waitFor();
    await box.fill('王建国');
    await search.getByRole('button', { name: '查询' }).click();
    await page
      .getByRole('row', { name: /王\*国/ })
      .first()
      .waitFor();
    assert.equal(await page.getByText('请输入报名编号或手机尾号').count(), 0);
    await box.fill('0001');
    await search.getByRole('button', { name: '查询' }).click();
    await page.getByRole('row', { name: /李\*东/ }).waitFor();
    await box.fill('无此人');
    await search.getByRole('button', { name: '查询' }).click();
    await page.getByText('没有符合条件的报名人').waitFor();
    await box.fill('王建国');
    await search.getByRole('button', { name: '查询' }).click();
    await page
      .getByRole('row', { name: /王\*国/ })
      .first()
      .waitFor();
    await shot(page, `lottery-entrants-name-${tag}`);
    noProblems(page);
    await page.context().close();
  }
});

test('catalogue cards: the next departure’s own seats and how many other dates', async () => {
  const anon = new Client(srv.url);
  const list = (await anon.get('/api/v1/retreat/routes?per_page=50')).body.items;
  for (const [make, tag] of [
    [phone, 'phone'],
    [desktop, 'desktop'],
  ]) {
    const page = await make();
    await page.goto('/retreat/');
    for (const it of list.filter((x) => x.next_departure)) {
      const card = page.locator(`a.rt-card[data-route-id="${it.id}"]`);
      await card.waitFor();
      const text = await card.innerText();
      if (it.seats_left > 0) assert.match(text, new RegExp(`余 ${it.seats_left} 个名额`), it.title);
      else assert.match(text, /名额已满，可候补/, it.title);
      if (it.departures > 1) assert.match(text, new RegExp(`另有 ${it.departures - 1} 个出发日期`), it.title);
      else assert.doesNotMatch(text, /另有/, it.title);
    }
    // the full next departure of a route whose later date has seats
    const full = list.find((x) => x.next_departure && x.seats_left === 0 && x.seats_left_all > 0);
    if (full) {
      const t = await page.locator(`a.rt-card[data-route-id="${full.id}"]`).innerText();
      assert.match(t, new RegExp(`余 ${full.seats_left_all} 个名额）`));
    }
    assert.ok((await horizontalOverflow(page)) <= 0);
    await shot(page, `retreat-catalogue-cards-${tag}`);
    noProblems(page);
    await page.context().close();
  }
});
