// The officer console as issue 19 left it, in a real browser at 1366 and
// 390 px: duties (a page the duty does not allow says which duty is needed;
// the home page says so instead of 即将上线), retreat figures in both views
// with charts and the export following the view, a chart with its table and
// 导出数据 on every figures page, aid's maker/checker and confirmation, the
// 企业 role in the account form, and 导出 Excel on a list asking for exactly
// the filtered rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { launch, close, newPage, noProblems, shot, horizontalOverflow, DESKTOP, PHONE } from './lib.js';

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

async function staff(login, { viewport = DESKTOP } = {}) {
  const page = await newPage(browser, { baseURL: srv.url, viewport, mobile: viewport === PHONE });
  await page.goto('/login.html');
  await page.getByLabel('用户名或手机号').fill(login);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/console\//);
  return page;
}

// No English key or raw JSON where people read.
async function readsChinese(page) {
  const text = await page.locator('main').innerText();
  assert.ok(!/[{[]\s*"[a-z_]+"\s*:/.test(text), 'no raw JSON on screen');
  for (const key of ['fee_income', 'bank', 'undefined', 'null', 'offered', 'members_view'])
    assert.ok(!new RegExp(`\\b${key}\\b`).test(text), `no ${key} on screen`);
}

test('duties: the menu leaves out what the duty does not allow; such a page by its address names the duty', async () => {
  for (const [viewport, tag] of [
    [DESKTOP, 'desktop'],
    [PHONE, 'phone'],
  ]) {
    const page = await staff('huajian_officer', { viewport }); // membership and hardship
    // (on a phone the menu is folded away: read its links as they are)
    const links = page.locator('#c-side a[data-path]');
    await page.locator('#c-side a[data-path="/aid"]').waitFor({ state: 'attached' });
    const labels = await links.allTextContents();
    for (const name of ['账簿', '经费返还', '线路管理', '专题与规则', '账号管理'])
      assert.ok(!labels.includes(name), `${name} not in the menu`);
    // the home page: what the user has, and the duty each other area needs
    const cards = page.getByRole('region', { name: '常用功能' });
    await cards.getByRole('link', { name: '帮扶救助' }).waitFor();
    await cards.getByText('需要经费财务职责').first().waitFor();
    await cards.getByText('需要疗休养职责').first().waitFor();
    assert.equal(await cards.getByText('即将上线').count(), 0);
    await shot(page, `duties-home-${tag}`);
    // a page of another duty, opened by its address (and a sub-page)
    await page.goto('/console/#/ledger');
    await page.getByText('需要经费财务职责', { exact: true }).waitFor();
    await page.getByText(/“账簿”属于经费与账务工作/).waitFor();
    await shot(page, `duties-locked-${tag}`);
    await page.goto('/console/#/refunds/1');
    await page.getByText('需要经费财务职责', { exact: true }).waitFor();
    assert.ok((await horizontalOverflow(page)) <= 0);
    noProblems(page);
    await page.context().close();
  }
});

test('retreat figures: 本会组织 and 本会会员参加, charts by year and route, the export follows the view', async () => {
  for (const [viewport, tag] of [
    [DESKTOP, 'desktop'],
    [PHONE, 'phone'],
  ]) {
    const page = await staff('nj_officer', { viewport });
    await page.goto('/console/#/retreat/stats');
    const views = page.getByRole('group', { name: '统计口径' });
    // 南京 organised no completed trip itself: no green check for that
    const head = page.getByRole('region', { name: '疗休养成效' });
    await head.getByText(/尚无已完成的疗休养记录/).waitFor();
    assert.equal(await head.locator('.headline-icon').count(), 0, 'no check on an empty state');
    await shot(page, `retreat-stats-offered-${tag}`);
    // …but its members travelled
    await views.getByRole('button', { name: '本会会员参加' }).click();
    await head.getByText(/的会员参加疗休养\d+人次/).waitFor();
    assert.equal(await head.locator('.headline-icon').count(), 1);
    for (const region of ['按年度', '按线路']) {
      const r = page.getByRole('region', { name: region });
      await r.locator('.chart[data-state=ready]').waitFor();
      await r.locator('.table tbody tr').first().waitFor();
      assert.equal(await r.getByRole('button', { name: '导出数据' }).isEnabled(), true);
    }
    assert.match(page.url(), /view=members/);
    assert.ok((await horizontalOverflow(page)) <= 0, 'fits the screen');
    await readsChinese(page);
    await shot(page, `retreat-stats-members-${tag}`);
    if (viewport === DESKTOP) {
      // the chart's own data as a file, as shown in its table
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('region', { name: '按年度' }).getByRole('button', { name: '导出数据' }).click(),
      ]);
      assert.match(csv.suggestedFilename(), /疗休养统计-本会会员参加-按年度\.csv/);
      // 导出 Excel asks for the same view
      const [req] = await Promise.all([
        page.waitForRequest((r) => r.url().includes('/api/v1/retreat/stats') && r.url().includes('format=xlsx')),
        page.getByRole('button', { name: '导出 Excel' }).click(),
      ]);
      assert.match(req.url(), /view=members/);
      await page.waitForEvent('download');
    }
    noProblems(page);
    await page.context().close();
  }
});

test('every figures page has charts with their tables and 导出数据', async () => {
  const pages = [
    ['nj_officer', '#/refund-stats', ['逐年累计', '按年度和地区'], 'figures-refunds'],
    ['nj_officer', '#/lottery-stats', ['核销趋势'], 'figures-vouchers'],
    ['huajian_officer', '#/aid', ['按救助项目'], 'figures-aid'],
    ['huajian_officer', '#/home', ['会员增长 · 按就业形态'], 'figures-members'],
  ];
  for (const [viewport, tag] of [
    [DESKTOP, 'desktop'],
    [PHONE, 'phone'],
  ]) {
    for (const [login, path, regions, name] of pages) {
      const page = await staff(login, { viewport });
      await page.goto(`/console/${path}`);
      for (const region of regions) {
        const r = page.getByRole('region', { name: region });
        await r.locator('.chart[data-state=ready]').waitFor();
        await r.locator('.table tbody tr').first().waitFor();
        await r.getByRole('button', { name: '导出数据' }).waitFor();
      }
      assert.ok((await horizontalOverflow(page)) <= 0, `${path} fits the screen`);
      await readsChinese(page);
      await shot(page, `${name}-${tag}`);
      noProblems(page);
      await page.context().close();
    }
  }
});

test('aid: the first reviewer sees why there is no 批准; another officer approves after confirming', async () => {
  const hj = await staff('huajian_officer');
  await hj.goto('/console/#/aid');
  const row = hj.getByRole('row', { name: /马\*梅.*待初审/ });
  await row.getByRole('button', { name: '初审通过' }).click();
  const reviewed = hj.getByRole('row', { name: /马\*梅.*待批准/ });
  await reviewed.getByText('您已初审，须由另一名工作人员批准').waitFor();
  assert.equal(await reviewed.getByRole('button', { name: '批准' }).count(), 0);
  await shot(hj, 'aid-maker-checker');
  noProblems(hj);
  await hj.context().close();

  const jn = await staff('jn_officer', { viewport: PHONE });
  await jn.goto('/console/#/aid');
  const row2 = jn.getByRole('row', { name: /马\*梅.*待批准/ });
  await row2.getByRole('button', { name: '批准' }).click();
  const dlg = jn.getByRole('dialog', { name: '批准救助' });
  await dlg.getByText(/批准 马\*梅 的生活救助/).waitFor();
  await shot(jn, 'aid-approve-confirm-phone');
  await dlg.getByRole('button', { name: '取消' }).click();
  await row2.waitFor(); // nothing happened
  await row2.getByRole('button', { name: '批准' }).click();
  await dlg.getByRole('button', { name: '确认批准' }).click();
  await jn.getByRole('row', { name: /马\*梅.*待支付/ }).waitFor();
  noProblems(jn);
  await jn.context().close();
});

test('an amount that is not a number is named as such', async () => {
  const hj = await staff('huajian_officer');
  await hj.goto('/console/#/hardship');
  await hj.getByRole('row', { name: /在档/ }).first().getByRole('link').first().click();
  await hj.getByRole('button', { name: '申请救助' }).click();
  const dlg = hj.getByRole('dialog', { name: '申请帮扶救助' });
  await dlg.getByLabel('救助项目').selectOption({ label: '生活救助' });
  await dlg.getByLabel('申请金额（元）').fill('abc');
  await dlg.getByLabel('申请理由').fill('测试');
  await dlg.getByRole('button', { name: '提交申请' }).click();
  await dlg.getByText(/申请金额不是有效的数字/).waitFor();
  assert.equal(await dlg.getByText('请填写申请金额').count(), 0);
  noProblems(hj);
  await hj.context().close();
});

test('account form: the 企业 role with an enterprise picker creates an enterprise account', async () => {
  const page = await staff('nj_officer', { viewport: PHONE });
  await page.goto('/console/#/users');
  await page.getByRole('button', { name: '新增账号' }).click();
  const d = page.getByRole('dialog', { name: '新增账号' });
  await d.getByLabel('用户名').fill('qiye_browser');
  await d.getByLabel('姓名').fill('企业会计 浏览器');
  await d.getByLabel('角色').selectOption({ label: '企业' });
  await d.getByLabel('企业', { exact: true }).waitFor();
  assert.equal(await d.getByLabel('职责').count(), 0, 'no duties for an enterprise');
  const picker = d.getByLabel('企业', { exact: true });
  await picker.locator('option', { hasText: '南京金陵科技有限公司' }).waitFor({ state: 'attached' });
  await picker.selectOption({ label: await picker.locator('option', { hasText: '南京金陵科技' }).textContent() });
  await d.getByLabel('初始密码').fill('Qiye@2026browser');
  await shot(page, 'users-enterprise-phone');
  await d.getByRole('button', { name: '保存' }).click();
  await page.getByText('已新增账号 qiye_browser').waitFor();
  noProblems(page);
  await page.context().close();
});

test('导出 Excel on a list asks for exactly the filtered rows', async () => {
  const page = await staff('nj_officer');
  await page.goto('/console/#/members');
  await page.getByRole('table').locator('tbody tr').first().waitFor();
  await page.getByLabel('关键词').fill('王');
  await page.getByRole('button', { name: '查询' }).click();
  // the workbook itself comes from the list route (format=xlsx); here we
  // check what the page asks for
  let asked = null;
  await page.route('**/api/v1/members?*format=xlsx*', (r) => {
    asked = new URL(r.request().url());
    r.fulfill({
      status: 200,
      headers: {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': "attachment; filename*=UTF-8''%E4%BC%9A%E5%91%98.xlsx",
      },
      body: 'PK',
    });
  });
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '导出 Excel' }).click(),
  ]);
  assert.equal(dl.suggestedFilename(), '会员.xlsx');
  assert.equal(asked.searchParams.get('q'), '王');
  assert.equal(asked.searchParams.get('format'), 'xlsx');
  assert.equal(asked.searchParams.get('page'), null, 'every page, not the one shown');
  await shot(page, 'members-export');
  // every officer list has the button
  for (const path of [
    '#/join-requests',
    '#/fee-payments',
    '#/enterprises',
    '#/retreat/bookings',
    '#/aid',
    '#/hardship',
  ]) {
    await page.goto(`/console/${path}`);
    await page.getByRole('button', { name: '导出 Excel' }).waitFor();
  }
  noProblems(page);
  await page.context().close();
});
