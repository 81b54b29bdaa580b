// 政策参数 in a real browser: nj_officer (finance duty) sees what applies to
// Nanjing today and the province's scheduled split, adds Nanjing's own
// fee-split version through the form (prefilled from the province's, in
// percent), is told at the 基层工会 input when a share is out of range and
// at the shares when they do not add up to 100% (both by the server),
// confirms the date it applies from, and finds the version listed as
// 待生效; jn_officer (hardship duty, no finance) sees no finance kinds,
// edits the mutual-aid bands prefilled from Nanjing's (a band out of order
// is refused at that band's input), and publishes Jiangning's own rules;
// the auditor reads every kind without a publish button; the booking rules
// link to 专题与规则. Screenshots at 1366 and on a 390 phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { launch, close, newPage, noProblems, shot as fullShot, horizontalOverflow, PHONE } from './lib.js';

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

async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return fullShot(page, name);
}

async function staff(login, opts = {}) {
  const page = await newPage(browser, { baseURL: srv.url, ...opts });
  await page.goto('/login.html');
  await page.getByLabel('用户名或手机号').fill(login);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/console\//);
  return page;
}

async function openPolicies(page, { viaMenu = true } = {}) {
  if (viaMenu) {
    // On a phone the menu opens from the header's button first.
    await page.locator('.c-nav a').first().waitFor({ state: 'attached' });
    const button = page.getByRole('button', { name: '菜单' });
    if (await button.isVisible()) await button.click();
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '政策参数', exact: true }).click();
  } else {
    await page.goto('/console/#/policies');
  }
  await page.getByRole('heading', { name: '政策参数', level: 1 }).waitFor();
}

const region = (page, name) => page.getByRole('region', { name, exact: true });
// The China-time date n days from now.
function day(offset = 0) {
  return new Date(Date.now() + 8 * 3600 * 1000 + offset * 86400 * 1000).toISOString().slice(0, 10);
}
const nextYear = `${Number(day().slice(0, 4)) + 1}-01-01`;

test('finance officer: a new fee-split version through the form, errors at their inputs, listed as scheduled', async () => {
  const page = await staff('nj_officer');
  await openPolicies(page);
  const split = region(page, '工会经费分成比例');
  await split.getByText('南京市总工会今日适用：').waitFor();
  await split.getByText('江苏省总工会自 2020-01-01 起施行的版本').waitFor();
  // the province's version in force and its scheduled one, read as percentages
  const rows = split.locator('tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 2);
  assert.match(
    await rows.nth(0).innerText(),
    /江苏省总工会[\s\S]*2020-01-01[\s\S]*现行[\s\S]*基层 60% \/ 上级 40%[\s\S]*县区 10%、市 10%、省 15%、全总 5%；尾差归省/,
  );
  assert.match(
    await rows.nth(1).innerText(),
    new RegExp(`${nextYear}[\\s\\S]*待生效[\\s\\S]*县区 13%、市 10%、省 12%`),
  );
  // other kinds of the officer's duties, summarised in words
  await region(page, '低保标准与相对困难倍数').getByText('低保 ¥1,100/人·月，相对困难 2 倍（¥2,200/人·月）').waitFor();
  await region(page, '职工医疗互助待遇标准').getByRole('cell', { name: '50,000 元以上' }).first().waitFor();
  await shot(page, 'policies-desktop');

  await split.getByRole('button', { name: '新增版本' }).click();
  const dlg = page.getByRole('dialog', { name: '新增版本：工会经费分成比例' });
  await dlg.getByText('已按江苏省总工会自 2020-01-01 起施行的现行版本预填').waitFor();
  assert.equal(await dlg.getByLabel('基层工会').inputValue(), '60');
  assert.equal(await dlg.getByLabel('省总工会').inputValue(), '15');
  await dlg.getByText('合计：100%').waitFor();
  const from = day(45);
  await dlg.getByLabel('生效日期').fill(from);
  await dlg.getByLabel('说明').fill('南京市基层工会留成提高至 65%');

  // 1. a share out of range: the server refuses it at 基层工会, in percent,
  // before any confirmation is asked for
  await dlg.getByLabel('基层工会').fill('150');
  await dlg.getByText('合计：190%（应为 100%）').waitFor();
  await dlg.getByRole('button', { name: '发布…' }).click();
  const grass = dlg.locator('.field[data-field="grassroots"]');
  await grass.locator('.field-error').getByText('“基层工会”的比例应在 0% 到 100% 之间').waitFor();
  assert.equal(await dlg.getByLabel('基层工会').getAttribute('aria-invalid'), 'true');
  const confirm = page.getByRole('dialog', { name: '确认发布' });
  assert.equal(await confirm.count(), 0);

  // 2. shares that do not make 100%: at the shares, in percent
  await dlg.getByLabel('基层工会').fill('65');
  await dlg.getByRole('button', { name: '发布…' }).click();
  await dlg.getByRole('group', { name: '各级分成比例' }).getByText('各级分成比例之和应为 100%，现为 105%').waitFor();
  assert.equal(await grass.locator('.field-error').innerText(), '', 'the earlier error is cleared');
  // a typing mistake is caught before anything is sent
  await dlg.getByLabel('省总工会').fill('10.25');
  await dlg.getByRole('button', { name: '发布…' }).click();
  await dlg.locator('.field[data-field="province"] .field-error').getByText('最多一位小数').waitFor();
  assert.equal(await confirm.count(), 0);
  await shot(page, 'policies-form-error');

  // 3. fixed (65 + 10 + 10 + 10 + 5): the confirmation says from when, and
  // what the new version takes over from on that day
  await dlg.getByLabel('省总工会').fill('10');
  await dlg.getByText('合计：100%').waitFor();
  await dlg.getByRole('button', { name: '发布…' }).click();
  await confirm.getByText(`自 ${from} 起对南京市总工会及其下级工会生效`).waitFor();
  await confirm.getByText('基层 65% / 上级 35%').waitFor();
  const replaced = from >= nextYear ? nextYear : '2020-01-01';
  await confirm.getByText(`取代：江苏省总工会自 ${replaced} 起施行的版本`).waitFor();
  await shot(page, 'policies-confirm');
  // 返回修改 keeps the form as it was; publishing again asks again
  await confirm.getByRole('button', { name: '返回修改' }).click();
  assert.equal(await dlg.getByLabel('基层工会').inputValue(), '65');
  await dlg.getByRole('button', { name: '发布…' }).click();
  await confirm.getByRole('button', { name: '确认发布' }).click();
  await page.getByText(`工会经费分成比例新版本已发布，自 ${from} 起生效`).waitFor();
  await dlg.waitFor({ state: 'detached' });
  const mine = split.locator('tbody tr', { hasText: '南京市总工会' });
  await mine.waitFor();
  assert.match(
    await mine.innerText(),
    new RegExp(
      `${from}[\\s\\S]*待生效[\\s\\S]*基层 65% / 上级 35%[\\s\\S]*南京市基层工会留成提高至 65%[\\s\\S]*南京市总 李红梅`,
    ),
  );
  // still the province's today
  await split.getByText('江苏省总工会自 2020-01-01 起施行的版本').waitFor();
  const stored = await admin.get(
    `/api/v1/policies/effective?kind=fee_split&org_id=${(await admin.get('/api/v1/orgs?q=南京市总工会')).body.items[0].id}&on=${from}`,
  );
  assert.deepEqual(stored.body.params, {
    grassroots: 650,
    county: 100,
    city: 100,
    province: 100,
    national: 50,
    remainder_to: 'province',
  });

  // the booking rules are published on 专题与规则
  await region(page, '疗休养预订规则').getByRole('link', { name: '在“专题与规则”中发布' }).click();
  await page.getByRole('heading', { name: '专题与规则' }).waitFor();
  noProblems(page);
  await page.context().close();
});

test('hardship officer without finance duty: no finance kinds; mutual-aid bands edited and published', async () => {
  const page = await staff('jn_officer');
  await openPolicies(page);
  await region(page, '职工医疗互助待遇标准').waitFor();
  for (const name of ['工会经费分成比例', '小微企业经费返还政策', '疗休养预订规则'])
    assert.equal(await region(page, name).count(), 0, name);
  assert.deepEqual(await page.locator('.panel[data-kind]').evaluateAll((els) => els.map((e) => e.dataset.kind)), [
    'hardship_standard',
    'aid_rules',
    'mutual_aid_benefit',
  ]);
  const ma = region(page, '职工医疗互助待遇标准');
  await ma.getByText('江宁区总工会今日适用：').waitFor();
  await ma.getByText(/南京市总工会自 \d{4}-07-01 起施行的版本/).waitFor();

  await ma.getByRole('button', { name: '新增版本' }).click();
  const dlg = page.getByRole('dialog', { name: '新增版本：职工医疗互助待遇标准' });
  await dlg.getByText(/已按南京市总工会自 \d{4}-07-01 起施行的现行版本预填/).waitFor();
  const bands = dlg.getByRole('group', { name: '分段报销比例' });
  assert.equal(await bands.locator('.pol-row').count(), 3);
  assert.equal(await dlg.locator('[name="bands[0].upto_fen"]').inputValue(), '20000');
  assert.equal(await dlg.locator('[name="bands[2].ratio_pct"]').inputValue(), '80');
  assert.equal(await dlg.getByLabel('起付线', { exact: true }).inputValue(), '800');
  // a fourth band: the third gets a limit, the new one is open-ended
  await dlg.locator('[name="bands[2].upto_fen"]').fill('100000');
  await bands.getByRole('button', { name: '添加一段' }).click();
  await dlg.locator('[name="bands[3].ratio_pct"]').fill('90');
  await dlg.locator('[name="bands[1].ratio_pct"]').fill('75');
  await dlg.getByLabel('年度封顶').fill('80000');
  await dlg.getByLabel('生效日期').fill(nextYear);
  await dlg.getByLabel('说明').fill('江宁区提高大额医疗费用互助比例');
  // out of order: the second band's limit below the first's — refused by
  // the server, shown at that band
  await dlg.locator('[name="bands[1].upto_fen"]').fill('15000');
  await dlg.getByRole('button', { name: '发布…' }).click();
  await dlg
    .locator('.field[data-field="bands[1].upto_fen"] .field-error')
    .getByText('第 2 段：各段上限应逐段递增')
    .waitFor();
  await dlg.locator('[name="bands[1].upto_fen"]').fill('50000');
  // a band removed and put back renumbers the rows
  await bands.getByRole('button', { name: '删除第 4 行' }).click();
  assert.equal(await bands.locator('.pol-row').count(), 3);
  await bands.getByRole('button', { name: '添加一段' }).click();
  await dlg.locator('[name="bands[3].ratio_pct"]').fill('90');
  await dlg.getByRole('button', { name: '发布…' }).click();
  const confirm = page.getByRole('dialog', { name: '确认发布' });
  await confirm.getByText(`自 ${nextYear} 起对江宁区总工会及其下级工会生效`).waitFor();
  await confirm.getByRole('cell', { name: '100,000 元以上' }).waitFor();
  await confirm.getByText(/取代：南京市总工会自 \d{4}-07-01 起施行的版本/).waitFor();
  await confirm.getByRole('button', { name: '确认发布' }).click();
  await dlg.waitFor({ state: 'detached' });
  const mine = ma.locator('tbody tr', { hasText: '江宁区总工会' });
  await mine.waitFor();
  const text = await mine.innerText();
  assert.match(text, new RegExp(`${nextYear}[\\s\\S]*待生效[\\s\\S]*起付线 ¥800，年度封顶 ¥80,000`));
  assert.match(text, /20,000 – 50,000 元\s+75%[\s\S]*50,000 – 100,000 元\s+80%[\s\S]*100,000 元以上\s+90%/);
  noProblems(page);
  await page.context().close();
});

test('auditor reads every kind, publishes none; all versions on request', async () => {
  const page = await staff('auditor');
  await openPolicies(page);
  await region(page, '帮扶救助标准').getByRole('cell', { name: '金秋助学' }).first().waitFor();
  assert.equal(await page.locator('.panel[data-kind]').count(), 6);
  assert.equal(await page.getByRole('button', { name: '新增版本' }).count(), 0);
  const ma = region(page, '职工医疗互助待遇标准');
  await ma.locator('tbody tr').first().waitFor();
  assert.equal(await ma.getByText('已被取代').count(), 0);
  await page.getByRole('button', { name: '全部（含已被取代）' }).click();
  await ma.getByText('已被取代').waitFor();
  noProblems(page);
  await page.context().close();
});

test('phone: the list as cards and the bands form fit a 390-pixel screen', async () => {
  const page = await staff('nj_officer', { viewport: PHONE, mobile: true });
  await openPolicies(page);
  await region(page, '帮扶救助标准').getByRole('cell', { name: '大病救助' }).first().waitFor();
  await region(page, '职工医疗互助待遇标准').locator('tbody tr').first().waitFor();
  assert.ok((await horizontalOverflow(page)) <= 0, 'no sideways scrolling');
  await shot(page, 'policies-phone');
  await region(page, '职工医疗互助待遇标准').getByRole('button', { name: '新增版本' }).click();
  const dlg = page.getByRole('dialog', { name: '新增版本：职工医疗互助待遇标准' });
  await dlg.getByText(/已按本组织自 \d{4}-07-01 起施行的现行版本预填/).waitFor();
  await fullShot(page, 'policies-phone-form', { fullPage: false });
  await dlg.getByRole('button', { name: '取消' }).click();
  await region(page, '帮扶救助标准').getByRole('button', { name: '新增版本' }).click();
  const aid = page.getByRole('dialog', { name: '新增版本：帮扶救助标准' });
  await aid.getByText('已按江苏省总工会自 2020-01-01 起施行的现行版本预填', { exact: false }).waitFor();
  assert.equal(await aid.locator('[name="kinds.education.amounts_fen.college.deep"]').inputValue(), '7500');
  await fullShot(page, 'policies-phone-aid', { fullPage: false });
  noProblems(page);
  await page.context().close();
});
