// Voucher lotteries in a real browser: a member signs up on the public
// campaign page (phone), sign-up closes and the list is published, an officer
// enters the sources' numbers in the console and draws, the result is checked
// on the public verification page by its own JavaScript (every step ✓, and a
// wrong number ✗), the winner shows the voucher's QR code, and a provider's
// till redeems it once. Screenshots of every page on desktop and phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { newMember, newProvider, newCampaign, waitUntil, orgIds, daysPass, MEMBER_PASSWORD } from '../lib/lottery.js';
import { mobileFor } from '../lib/ids.js';
import { launch, close, newPage, noProblems, shot as fullShot, horizontalOverflow, PHONE } from './lib.js';

let srv, browser, api, admin, nj, org, prov, camp;
const VALUES = ['04 11 15 23 27 32 08', '3 9 0 6 1'];

before(async () => {
  srv = await startServer({ args: ['--trust-proxy'] });
  browser = await launch();
  api = new Client(srv.url);
  admin = await api.login('admin', DEMO_PASSWORD);
  nj = await api.login('nj_officer', DEMO_PASSWORD);
  org = await orgIds(admin);
  prov = await newProvider(srv, admin, { name: '汤山颐尚温泉度假村', orgId: org['南京市总工会'], login: 'ts_till' });
  // three other members enter through the API; the fourth signs up in the browser
  const others = [];
  for (let i = 0; i < 3; i++) others.push(await newMember(api, nj, 9100 + i, org['南京紫金软件股份有限公司工会']));
  await newMember(api, nj, 9200, org['江苏华建建设集团有限公司工会'], { name: '林晓燕' });
  camp = await newCampaign(nj, {
    orgId: org['南京市总工会'],
    providerIds: [prov.id],
    voucherCount: 4,
    closeInMs: 20000,
    title: '南京市职工疗休养消费券（浏览器测试）',
  });
  for (const m of others) assert.equal((await m.post(`/api/v1/lottery/campaigns/${camp.id}/entries`)).status, 201);
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
  await page.goto('/login.html');
  await page.getByLabel('用户名或手机号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

test('sign up, draw, verify in the browser, show the voucher and redeem it once', async () => {
  // 1. The public list and the campaign page, on a phone; the member logs in from there and signs up.
  const m = await newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
  await m.goto('/');
  await m.getByRole('link', { name: /消费券抽取/ }).click();
  await m.waitForURL('**/lottery/');
  const card = m.getByRole('link', { name: /南京市职工疗休养消费券（浏览器测试）/ });
  await card.getByText('报名中').waitFor();
  assert.ok((await horizontalOverflow(m)) <= 0, 'the list fits the phone');
  await shot(m, 'lottery-list-phone');
  await card.click();
  await m.getByRole('heading', { name: '南京市职工疗休养消费券（浏览器测试）' }).waitFor();
  await m.getByText('中国福利彩票双色球第2026138期开奖号码').waitFor();
  await m.getByRole('link', { name: '登录后报名' }).click();
  await m.getByLabel('用户名或手机号').fill(mobileFor(9200));
  await m.getByLabel('密码').fill(MEMBER_PASSWORD);
  await m.getByRole('button', { name: '登录' }).click();
  await m.waitForURL(/campaign\.html\?id=/);
  await m.getByRole('button', { name: '我要报名' }).click();
  await m.getByText('您已报名。报名截止后公布报名名单和您的报名编号。').waitFor();
  assert.ok((await horizontalOverflow(m)) <= 0, 'the campaign page fits the phone');
  await shot(m, 'lottery-campaign-phone');
  noProblems(m);

  // 2. Sign-up closes; the list is published; the member finds their number.
  await waitUntil(camp.signup_closes_at);
  await m.reload();
  await m.getByText('您的报名编号：').waitFor();
  const no = Number(await m.locator('.lt-entry-no').innerText());
  assert.equal(no, 4, 'entry numbers follow the sign-up order');
  await m.getByRole('link', { name: '报名名单' }).click();
  await m.getByText('✓ 已在本机重新计算下载文件的 SHA-256，与公布的指纹一致。').waitFor();
  await m.getByRole('cell', { name: '林*燕' }).waitFor();
  assert.ok((await horizontalOverflow(m)) <= 0, 'the entrant list fits the phone');
  await shot(m, 'lottery-entrants-phone');

  // 3. The officer enters the numbers in the console and draws.
  const o = await newPage(browser, { baseURL: srv.url });
  await logIn(o, 'nj_officer');
  await o.waitForURL(/\/console\//);
  await o.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '消费券抽取', exact: true }).click();
  await o.getByRole('heading', { name: '消费券抽取' }).waitFor();
  await o
    .getByRole('row', { name: /南京市职工疗休养消费券（浏览器测试）/ })
    .getByText('名单已公布，待抽取')
    .waitFor();
  await shot(o, 'console-lottery-list');
  await o.getByRole('link', { name: '南京市职工疗休养消费券（浏览器测试）' }).click();
  // the sources draw the day after the close: until then the campaign may
  // still be cancelled; from the first draw date on, no cancel is offered
  await o.getByRole('button', { name: '取消活动' }).waitFor();
  daysPass(srv, camp.id);
  await o.reload();
  await o.getByRole('button', { name: '录入开奖号码并抽取' }).waitFor();
  assert.equal(await o.getByRole('button', { name: '取消活动' }).count(), 0, 'no cancel once a source has drawn');
  await o.getByRole('button', { name: '录入开奖号码并抽取' }).click();
  const dlg = o.getByRole('dialog', { name: '录入开奖号码并抽取' });
  await dlg.getByLabel(/双色球/).fill('04 11 15 23 27 32');
  await dlg.getByLabel(/排列5/).fill(VALUES[1]);
  await dlg.getByRole('button', { name: '抽取' }).click();
  await dlg.getByText('应有 7 个号码，填写了 6 个').waitFor();
  await dlg.getByLabel(/双色球/).fill(VALUES[0]);
  await dlg.getByRole('button', { name: '抽取' }).click();
  await o.getByText('抽取完成，结果已公开').waitFor();
  await o.getByText('4.8.11.15.23.27.32./0.1.3.6.9./', { exact: false }).waitFor();
  await shot(o, 'console-lottery-drawn');
  // no second draw is offered; a correction is
  assert.equal(await o.getByRole('button', { name: '录入开奖号码并抽取' }).count(), 0);
  await o.getByRole('button', { name: '更正开奖号码' }).waitFor();
  noProblems(o);

  // 4. Anyone checks the result on the verification page (desktop).
  const v = await newPage(browser, { baseURL: srv.url });
  await v.goto(`/lottery/result.html?id=${camp.id}`);
  await v.getByText('4.8.11.15.23.27.32./0.1.3.6.9./').first().waitFor();
  await shot(v, 'lottery-result');
  await v.getByRole('link', { name: '在浏览器中核验' }).click();
  await v.waitForURL(/verify\.html/);
  await v.getByRole('button', { name: '开始核验' }).click();
  const checks = v.locator('#verify-checks');
  await checks.getByText('密钥串一致').waitFor();
  await checks.getByText(/中签名单一致：4 人/).waitFor();
  await checks.getByText(/逐步比对了 4 步的 MD5 和余数，全部一致/).waitFor();
  await checks.getByText('名单文件的 SHA-256 与公布的指纹一致').waitFor();
  assert.equal(await checks.locator('li.is-bad').count(), 0);
  await shot(v, 'lottery-verify');
  // a different number (as a cheated draw would need) does not match
  await v.getByLabel(/双色球/).fill('04 11 15 23 27 32 09');
  await v.getByRole('button', { name: '开始核验' }).click();
  await checks.getByText(/密钥串不一致/).waitFor();
  assert.ok((await checks.locator('li.is-bad').count()) >= 1);
  noProblems(v);
  // the general calculator reproduces the RFC's worked example
  await v.goto('/lottery/verify.html');
  await v.getByRole('button', { name: '计算' }).click();
  await v.getByText('9319./2.5.8.10.12./9.18.26.34.41.45./').waitFor();
  const firstTen = await v.locator('.lt-winners li').allInnerTexts();
  assert.deepEqual(firstTen.map(Number), [17, 7, 2, 16, 25, 23, 8, 24, 19, 13]);
  noProblems(v);

  // 5. The member (everyone won: 4 vouchers for 4 entrants) shows the QR code.
  await m.goto('/m/vouchers.html');
  const vc = m.getByRole('article', { name: /消费券/ });
  await vc.getByText('可使用').waitFor();
  const img = vc.getByRole('img', { name: /消费券二维码/ });
  await img.waitFor();
  await m.waitForFunction(() => {
    const i = document.querySelector('.vc-qr img');
    return i && i.complete && i.naturalWidth > 0;
  });
  const code = (await vc.locator('.vc-code').innerText()).trim();
  assert.match(code, /^([0-9A-Z]{4}-){5}[0-9A-Z]{4}$/);
  assert.ok((await horizontalOverflow(m)) <= 0, 'the voucher page fits the phone');
  await shot(m, 'member-vouchers-phone');
  noProblems(m);

  // 6. The provider's till: check, confirm, and a second scan is refused.
  const t = await newPage(browser, { baseURL: srv.url });
  await logIn(t, 'ts_till', 'Provider@2026');
  await t.waitForURL(/\/console\//);
  await t.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '消费券核销' }).click();
  await t.getByLabel('消费券码').fill(code.toLowerCase().replace(/-/g, ' '));
  await t.getByRole('button', { name: '查验' }).click();
  await t.getByText('林*燕', { exact: false }).first().waitFor();
  await shot(t, 'console-redeem-check');
  await t.getByRole('button', { name: '确认核销' }).click();
  await t.getByText('核销成功：200.00 元').waitFor();
  await t.getByRole('row', { name: /林\*燕/ }).waitFor();
  await shot(t, 'console-redeem-done');
  await t.getByLabel('消费券码').fill(code);
  await t.getByRole('button', { name: '查验' }).click();
  await t
    .getByRole('alert')
    .getByText(/已于 .* 在“汤山颐尚温泉度假村”核销，不能重复使用/)
    .waitFor();
  noProblems(t);
  await m.reload();
  await m
    .getByRole('article', { name: /消费券/ })
    .getByText('已使用')
    .waitFor();

  // 7. Figures in the console.
  await o.goto('/console/#/lottery-stats');
  await o
    .getByRole('table', { name: '按活动统计' })
    .getByRole('row', { name: /南京市职工疗休养消费券（浏览器测试）/ })
    .waitFor();
  await shot(o, 'console-lottery-stats');
  noProblems(o);
  for (const p of [m, o, v, t]) await p.context().close();
});

test('every lottery page on a phone and on a desktop', async () => {
  // the demo data's Nanjing campaign: drawn, two rounds, vouchers used
  const list = (await api.get('/api/v1/lottery/campaigns?phase=drawn')).body.items;
  const demo = list.find((c) => c.title.includes('第一期'));
  assert.ok(demo, 'the demo campaign is there');
  for (const [vp, suffix] of [
    [PHONE, 'phone'],
    [{ width: 1366, height: 860 }, 'desktop'],
  ]) {
    const p = await newPage(browser, { baseURL: srv.url, viewport: vp, mobile: suffix === 'phone' });
    for (const [path, name, wait] of [
      ['/lottery/', 'list', '消费券抽取'],
      [`/lottery/campaign.html?id=${demo.id}`, 'campaign-drawn', '进度'],
      [`/lottery/entrants.html?id=${demo.id}`, 'entrants', '名单'],
      [`/lottery/result.html?id=${demo.id}`, 'result', '抽取过程'],
      [`/lottery/verify.html?id=${demo.id}`, 'verify-form', '输入随机源的开奖号码'],
    ]) {
      await p.goto(path);
      await p.getByRole('heading', { name: wait, exact: true }).first().waitFor();
      assert.ok((await horizontalOverflow(p)) <= 0, `${path} fits the ${suffix}`);
      await shot(p, `lottery-${name}-${suffix}`);
    }
    if (suffix === 'phone') {
      await p.goto(`/lottery/verify.html?id=${demo.id}`);
      await p.getByRole('button', { name: '开始核验' }).click();
      await p
        .locator('#verify-checks')
        .getByText(/中签名单一致：7 人/)
        .waitFor();
      assert.equal(
        await p.locator('#verify-checks li.is-bad').count(),
        0,
        'the demo draw, with its second round, verifies',
      );
      assert.ok((await horizontalOverflow(p)) <= 0);
      await shot(p, 'lottery-verify-done-phone');
    }
    noProblems(p);
    await p.context().close();
  }
  // the officer's detail page of the demo campaign, on a phone
  const o = await newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
  await logIn(o, 'nj_officer');
  await o.waitForURL(/\/console\//);
  await o.goto(`/console/#/lottery/${demo.id}`);
  await o.getByRole('heading', { name: demo.title }).waitFor();
  await o.getByRole('group', { name: '消费券状态' }).waitFor();
  assert.ok((await horizontalOverflow(o)) <= 0);
  await shot(o, 'console-lottery-detail-phone');
  noProblems(o);
  await o.context().close();
});

test('an officer publishes a campaign through the console form; bad input is shown at its field', async () => {
  const o = await newPage(browser, { baseURL: srv.url });
  await logIn(o, 'nj_officer');
  await o.waitForURL(/\/console\//);
  await o.goto('/console/#/lottery');
  await o.getByRole('button', { name: '新建活动' }).click();
  const dlg = o.getByRole('dialog', { name: '新建消费券抽取活动' });
  await dlg.getByLabel('活动名称').fill('2027年南京市职工春季疗休养消费券');
  await dlg.getByLabel('面值（元）').fill('0');
  await dlg.getByText('南京汤山颐尚温泉疗休养基地').click();
  await dlg.getByRole('button', { name: '发布' }).click();
  await dlg.getByText('面值应为大于 0 的金额，最多两位小数').waitFor();
  await dlg.getByLabel('面值（元）').fill('150');
  // a source drawn before sign-up closes is refused by the server
  await dlg.getByLabel('开奖日期').fill('2020-01-01');
  await dlg.getByRole('button', { name: '发布' }).click();
  await dlg
    .locator('.field', { has: o.getByLabel('开奖日期') })
    .getByText(/2020-01-01 须晚于报名截止日/)
    .waitFor();
  await shot(o, 'console-lottery-create');
  const later = new Date(Date.now() + 30 * 86400e3 + 8 * 3600e3).toISOString().slice(0, 10);
  await dlg.getByLabel('开奖日期').fill(later);
  await dlg.getByRole('button', { name: '发布' }).click();
  await o.getByText('已发布“2027年南京市职工春季疗休养消费券”').waitFor();
  await o
    .getByRole('row', { name: /2027年南京市职工春季疗休养消费券/ })
    .getByText('报名中')
    .waitFor();
  noProblems(o);
  await o.context().close();
});
