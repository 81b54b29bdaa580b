// Two-step verification in a real browser, the way a person with a phone
// does it: enrol on 账号安全 (QR code and key shown, the first code computed
// here as an authenticator app would, the recovery codes shown once), log in
// again with the second-factor step, log in despite a throttled log-in by
// typing the code with the password, an officer whom the admin requires to
// enrol landing on 账号安全 with nothing else, and the admin's switch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { codeSource } from '../lib/totp.js';
import { launch, close, newPage, noProblems, shot } from './lib.js';

let srv;
let browser;
let admin;

before(async () => {
  srv = await startServer();
  browser = await launch();
  admin = await new Client(srv.url).login('admin', DEMO_PASSWORD);
});

after(async () => {
  await close(browser);
  if (srv) await srv.stop();
});

async function newOfficer(login, duties) {
  const nj = (await admin.get(`/api/v1/orgs?q=${encodeURIComponent('南京市总工会')}`)).body.items[0];
  const r = await admin.post('/api/v1/users', {
    login,
    display_name: `${login} 测试`,
    role: 'officer',
    org_id: nj.id,
    duties,
    password: 'Liangbu#Yanzheng26',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return 'Liangbu#Yanzheng26';
}

async function typePassword(page, login, password) {
  await page.goto('/login.html');
  await page.getByLabel('用户名或手机号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

// On 账号安全: start, read the key off the page, confirm with a code.
async function enrolOnPage(page, name) {
  await page.getByRole('button', { name: '开启两步验证' }).click();
  const qr = page.getByRole('img', { name: '两步验证二维码' });
  await qr.waitFor();
  assert.ok((await qr.getAttribute('src')).startsWith('data:image/svg+xml'));
  const box = await qr.boundingBox();
  assert.ok(box.width >= 150 && box.height >= 150, `QR code drawn ${box.width}×${box.height}`);
  const secret = (await page.getByLabel('密钥').textContent()).replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await shot(page, `${name}-enrol`);
  const next = codeSource(secret);
  await page.getByLabel('6 位验证码').fill(await next());
  await page.getByRole('button', { name: '确认绑定' }).click();
  const codes = page.getByRole('list', { name: '恢复码' }).getByRole('listitem');
  await codes.first().waitFor();
  assert.equal(await codes.count(), 10);
  for (const t of await codes.allTextContents()) assert.match(t, /^[2-9a-z]{5}-[2-9a-z]{5}$/);
  await shot(page, `${name}-recovery-codes`);
  return { next, recovery: await codes.allTextContents() };
}

test('enrol two-step verification on 账号安全, then log in with a code from the app', async () => {
  const password = await newOfficer('bt_totp', ['membership']);
  const page = await newPage(browser, { baseURL: srv.url });
  await typePassword(page, 'bt_totp', password);
  await page.waitForURL('**/console/**');
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '账号安全' }).click();
  await page.getByRole('heading', { name: '账号安全' }).waitFor();
  assert.ok(await page.getByText('未开启').isVisible());
  const { next } = await enrolOnPage(page, 'totp');
  await page.getByRole('button', { name: '我已保存恢复码' }).click();
  await page.getByText('已开启', { exact: true }).waitFor();
  assert.ok(await page.getByText('剩余恢复码 10 个', { exact: false }).isVisible());
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL('**/login.html');

  // log in again: the password, then the code
  await typePassword(page, 'bt_totp', password);
  const step = page.getByRole('form', { name: '两步验证' });
  await step.waitFor();
  assert.ok(await page.getByText('该账号已开启两步验证').isVisible());
  assert.equal(await page.locator('#login-form').isVisible(), false);
  await step.getByLabel('验证码').fill('000000');
  await step.getByRole('button', { name: '验证并登录' }).click();
  await step.getByText('验证码不正确', { exact: false }).waitFor();
  await shot(page, 'totp-login-step');
  await step.getByLabel('验证码').fill(await next());
  await step.getByRole('button', { name: '验证并登录' }).click();
  await page.waitForURL('**/console/**');
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '组织架构' }).waitFor();
  noProblems(page);
  await page.context().close();
});

test('a throttled log-in goes through with the code typed under the password', async () => {
  const password = await newOfficer('bt_throttled', ['membership']);
  const page = await newPage(browser, { baseURL: srv.url });
  await typePassword(page, 'bt_throttled', password);
  await page.waitForURL('**/console/**');
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '账号安全' }).click();
  const { next } = await enrolOnPage(page, 'throttled');
  await page.getByRole('button', { name: '我已保存恢复码' }).click();
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL('**/login.html');
  // someone else guesses five times (from this address too: it counts the same)
  const anon = new Client(srv.url);
  for (let i = 0; i < 5; i++)
    await anon.post('/api/v1/session', { login: 'bt_throttled', password: `Guess-${i}-Pass` });
  await typePassword(page, 'bt_throttled', password);
  await page.getByText('登录失败次数过多', { exact: false }).waitFor();
  const code = page.getByLabel('验证码（已开启两步验证的账号）');
  await code.waitFor();
  await shot(page, 'totp-throttled');
  await page.getByLabel('密码').fill(password);
  await code.fill(await next());
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL('**/console/**');
  noProblems(page);
  await page.context().close();
});

test('the admin requires it for the finance duty: the officer can only enrol until done', async () => {
  const page = await newPage(browser, { baseURL: srv.url });
  await typePassword(page, 'admin', DEMO_PASSWORD);
  await page.waitForURL('**/console/**');
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '账号安全' }).click();
  const policy = page.getByRole('region', { name: '两步验证要求' });
  await policy.getByLabel('有“财务”职责的工作人员').check();
  await policy.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存两步验证要求').waitFor();
  await shot(page, 'totp-admin-policy');
  const saved = await admin.get('/api/v1/settings/second-factor');
  assert.deepEqual(saved.body, { admin: false, auditor: false, finance: true, hardship: false });
  await page.context().close();

  const password = await newOfficer('bt_finance', ['membership', 'finance']);
  const fin = await newPage(browser, { baseURL: srv.url });
  await typePassword(fin, 'bt_finance', password);
  await fin.getByRole('heading', { name: '账号安全' }).waitFor();
  await fin.getByText('按管理员要求，您的账号须开启两步验证', { exact: false }).waitFor();
  const menu = fin.getByRole('navigation', { name: '主菜单' });
  assert.equal(await menu.getByRole('link').count(), 1, 'only 账号安全 in the menu');
  await shot(fin, 'totp-must-enrol');
  await enrolOnPage(fin, 'must-enrol');
  await fin.getByRole('button', { name: '我已保存恢复码' }).click();
  await menu.getByRole('link', { name: '组织架构' }).waitFor();
  assert.ok((await menu.getByRole('link').count()) > 3, 'the whole menu after enrolment');
  noProblems(fin);
  await fin.context().close();
  await admin.put('/api/v1/settings/second-factor', { admin: false, auditor: false, finance: false, hardship: false });
});
