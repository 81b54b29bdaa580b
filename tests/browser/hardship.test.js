// Hardship pages in a real browser: an enterprise union opens a file on the
// national form (the platform's figures and suggested category appear as the
// officer types), the county above confirms it, education aid is applied for,
// reviewed, approved by another officer and paid; a mutual-aid claim is
// submitted with its calculation shown line by line and approved by another
// officer, who sees the amount; the member's own page on a phone; every page
// on a phone without sideways scrolling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { idFor, mobileFor } from '../lib/ids.js';
import { familyId } from '../lib/hardship.js';
import { launch, close, newPage, noProblems, shot as fullShot, horizontalOverflow, PHONE } from './lib.js';

let srv;
let browser;

before(async () => {
  srv = await startServer();
  browser = await launch();
  const anon = new Client(srv.url);
  const hj = await anon.login('huajian_officer', DEMO_PASSWORD);
  const admin = await anon.login('admin', DEMO_PASSWORD);
  const orgs = (await admin.get('/api/v1/orgs?per_page=100')).body.items;
  const org = orgs.find((o) => o.name === '江苏华建建设集团有限公司工会').id;
  const r = await hj.post('/api/v1/members', {
    name: '钱困难',
    id_number: idFor(6601),
    mobile: mobileFor(6601),
    org_id: org,
    employment_form: 'employee',
    join_date: '2016-05-01',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
});

after(async () => {
  await close(browser);
  if (srv) await srv.stop();
});

async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return fullShot(page, name);
}

async function officer(login, opts = {}) {
  const page = await newPage(browser, { baseURL: srv.url, ...opts });
  await page.goto('/login.html');
  await page.getByLabel('用户名或手机号').fill(login);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/console\//);
  return page;
}

function menuLink(page, name) {
  return page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name, exact: true });
}

test('open a file, confirm it above, grant education aid, submit and approve a mutual-aid claim', async () => {
  // 1. The enterprise union opens the file.
  const hj = await officer('huajian_officer');
  await menuLink(hj, '困难职工档案').click();
  await hj.getByRole('heading', { name: '困难职工档案' }).waitFor();
  await shot(hj, 'hardship-list');
  await hj.getByRole('button', { name: '建立档案' }).click();
  const dlg = hj.getByRole('dialog', { name: '建立困难职工档案' });
  await dlg.getByLabel('职工筛选').fill('钱困难');
  await dlg.locator('select[name=member_id] option', { hasText: '钱困难' }).waitFor({ state: 'attached' });
  assert.match(await dlg.locator('select[name=member_id] option:checked').textContent(), /钱困难/);
  await dlg.getByLabel('健康状况', { exact: true }).selectOption({ label: '大病' });
  await dlg.getByLabel('户籍所在地').fill('江苏省南京市江宁区');
  await dlg.getByLabel('本人月收入（元/月）').fill('2000');
  await dlg.getByLabel('家庭非工资性收入（元/月）').fill('0');
  await dlg.getByLabel('家庭月总收入（元/月）').fill('3200');
  await dlg.getByLabel('医疗支出（元/月）').fill('1200');
  await dlg.getByLabel('教育支出（元/月）').fill('800');
  await dlg.getByRole('button', { name: '添加家庭成员' }).click();
  await dlg.getByLabel('姓名', { exact: true }).nth(0).fill('孙秀芳');
  await dlg.locator('select[name=fam_relation_0]').selectOption('spouse');
  await dlg.locator('input[name=fam_id_0]').fill(familyId(660));
  await dlg.locator('input[name=fam_income_0]').fill('1200');
  await dlg.getByRole('button', { name: '添加家庭成员' }).click();
  await dlg.locator('input[name=fam_name_1]').fill('钱小雨');
  await dlg.locator('select[name=fam_relation_1]').selectOption('child');
  await dlg.locator('input[name=fam_id_1]').fill(familyId(661, '20060901'));
  await dlg.locator('select[name=fam_school_1]').selectOption('college');
  await dlg.locator('input[name=fam_work_1]').fill('南京大学');
  await dlg.getByLabel('主要致困原因').selectOption({ label: '本人或家人患大病' });
  await dlg.locator('[data-name=secondary_causes]').getByLabel('子女就学').check();
  // the platform's figures: (3,200 − 2,000) / 3 = 400 a head, under 低保
  await dlg.getByText('400.00 元/人').waitFor();
  await dlg.locator('.assess .tag').getByText('深度困难').waitFor();
  assert.equal(await dlg.locator('select[name=category]').inputValue(), 'deep');
  await dlg.getByLabel('银行账号').fill('6222024301000066011');
  await shot(hj, 'hardship-open-form');
  await dlg.getByRole('button', { name: '提交上级审核' }).click();
  await hj.getByText(/已建立档案（钱困难）/).waitFor();
  // the opening union cannot decide its own file: no decision buttons, a note instead
  await menuLink(hj, '困难职工档案').click();
  await hj.getByLabel('档案状态').selectOption('pending');
  await hj.getByRole('button', { name: '查询' }).click();
  await hj.getByRole('link', { name: /^钱/ }).first().click();
  await hj.getByRole('heading', { name: /钱困难/ }).waitFor();
  await hj.getByText('待上级工会审核确认', { exact: true }).waitFor();
  assert.equal(await hj.getByRole('button', { name: '审核确认' }).count(), 0);
  assert.equal(await hj.getByRole('button', { name: '不予建档' }).count(), 0);
  noProblems(hj);

  // 2. The county union above confirms it.
  const jn = await officer('jn_officer');
  await menuLink(jn, '困难职工档案').click();
  await jn.getByLabel('档案状态').selectOption('pending');
  await jn.getByRole('button', { name: '查询' }).click();
  await jn.getByRole('link', { name: /^钱/ }).first().click();
  await jn.getByRole('heading', { name: /钱困难/ }).waitFor();
  await jn.getByRole('button', { name: '审核确认' }).click();
  await jn.getByRole('dialog', { name: '审核确认档案' }).getByRole('button', { name: '确认建档' }).click();
  await jn.locator('.detail-tags').getByText('在档').waitFor();
  await jn.getByText('400.00', { exact: true }).waitFor();
  await shot(jn, 'hardship-detail');
  // a change: medical costs down; the figures follow and the history shows it
  await jn.getByRole('button', { name: '修改', exact: true }).click();
  const ed = jn.getByRole('dialog', { name: '修改困难职工档案' });
  await ed.getByLabel('医疗支出（元/月）').fill('900');
  await ed.getByRole('button', { name: '保存' }).click();
  await jn.getByText('500.00', { exact: true }).waitFor(); // (3,200 − 1,700) / 3
  await jn.getByRole('cell', { name: /月均医疗支出：1,200\.00 → 900\.00/ }).waitFor();

  // 3. Education aid for the daughter at university: applied, reviewed here…
  await jn.getByRole('button', { name: '申请救助' }).click();
  const ad = jn.getByRole('dialog', { name: '申请帮扶救助' });
  await ad.getByLabel('救助项目').selectOption('education');
  await ad.getByLabel('申请理由').fill('女儿就读南京大学，家庭无力负担学费');
  await ad.getByRole('button', { name: '提交申请' }).click();
  await jn.getByText('已提交金秋助学申请：7,500.00 元').waitFor();
  await menuLink(jn, '帮扶救助').click();
  const row = jn.getByRole('row', { name: /钱\*.*金秋助学/ });
  await row.getByRole('button', { name: '初审通过' }).click();
  await jn.getByRole('row', { name: /钱\*.*金秋助学.*待批准/ }).waitFor();
  noProblems(jn);
  // …approved and paid by the city
  const nj = await officer('nj_officer');
  await menuLink(nj, '帮扶救助').click();
  await nj
    .getByRole('row', { name: /钱\*.*金秋助学/ })
    .getByRole('button', { name: '批准' })
    .click();
  // approving asks first
  await nj.getByRole('dialog', { name: '批准救助' }).getByRole('button', { name: '确认批准' }).click();
  await nj
    .getByRole('row', { name: /钱\*.*金秋助学.*待支付/ })
    .getByRole('button', { name: '支付' })
    .click();
  await nj.getByRole('dialog', { name: '支付救助金' }).getByRole('button', { name: '确认支付' }).click();
  await nj.getByRole('row', { name: /钱\*.*金秋助学.*7,500\.00.*已支付/ }).waitFor();
  await nj
    .locator('.aid-sentence')
    .getByText(/投入帮扶救助资金.*救助困难职工\d+人次/)
    .waitFor();
  await shot(nj, 'aid-grants');

  // 4. A mutual-aid claim for an enrolled member: 60,000 with 20,000 from
  // basic insurance, the calculation shown as the figures are typed.
  await menuLink(jn, '医疗互助').click();
  await jn.getByRole('button', { name: '申请互助金' }).click();
  const cd = jn.getByRole('dialog', { name: '申请互助金' });
  // someone who got nothing yet this year (the demo claim used part of one cap)
  const fresh = cd.locator('select[name=member_id] option', { hasText: '本年已获 0.00 元' }).first();
  await fresh.waitFor({ state: 'attached' });
  const label3 = await fresh.textContent();
  await cd.locator('select[name=member_id]').selectOption({ label: label3 });
  await cd.getByLabel('医院').fill('南京鼓楼医院');
  await cd.getByLabel('诊断').fill('腰椎间盘突出手术');
  await cd.getByLabel('医疗总费用（元）').fill('60000');
  await cd.getByLabel('基本医保支付（元）').fill('20000');
  await cd.getByText('预计互助金：').waitFor();
  const expected = await cd.locator('.ma-payable').first().textContent();
  assert.match(expected, /^(25,440\.00|21,400\.00) 元$/, 'the rules of the day: 2.544 or 2.14 万元');
  await cd.getByRole('cell', { name: '＝ 可报销费用' }).waitFor();
  await cd.getByRole('cell', { name: '40,000.00' }).waitFor();
  await shot(jn, 'mutual-aid-claim-form');
  await cd.getByRole('button', { name: '提交申请' }).click();
  await jn.getByText(/已提交，互助金/).waitFor();
  noProblems(jn);
  // the city approves it and sees the amount
  await menuLink(nj, '医疗互助').click();
  // the picker, like every 困难帮扶 list, shows the name masked (张*明); the
  // list shows no hospital; the claim itself shows both
  const who = label3.split('（')[0];
  const masked = who.replace(/\*/g, '\\*');
  const pending = nj.getByRole('row', { name: new RegExp(`${masked}.*待审核`) }).first();
  await pending.waitFor();
  assert.equal(await nj.getByRole('cell', { name: '南京鼓楼医院' }).count(), 0, 'no hospital in the list');
  await pending.click();
  const view = nj.getByRole('dialog', { name: new RegExp(`互助金申请 · ${who.replace(/\*+/g, '.+')}`) });
  await view.getByRole('cell', { name: '本次互助金' }).waitFor();
  await view.getByRole('button', { name: '审核通过' }).click();
  await nj.getByText(`已审核通过：互助金 ${expected.replace(' 元', '')} 元`).waitFor();
  await nj
    .getByRole('row', { name: new RegExp(`${masked}.*${expected.replace(' 元', '').replace('.', '\\.')}.*待支付`) })
    .waitFor();
  await shot(nj, 'mutual-aid');
  noProblems(nj);
  // who joined the plan (the demo's Huajian group), and a unit joining
  await nj.getByRole('button', { name: '参加人员' }).first().click();
  const en = nj.getByRole('dialog', { name: /参加人员/ });
  await en.getByRole('cell', { name: '集体参加' }).first().waitFor();
  const zijin = await en.locator('select[name=unit_id] option', { hasText: '紫金' }).first().textContent();
  await en.locator('select[name=unit_id]').selectOption({ label: zijin });
  await en.getByText(/名在会会员/).waitFor();
  await shot(nj, 'mutual-aid-enrolments');
  await en.getByRole('button', { name: '集体参加' }).click();
  await nj.getByText(/已集体参加 \d+ 人/).waitFor();
  await en.getByRole('button', { name: '关闭', exact: true }).last().click();

  // 5. The home page reminds of reviews and files waiting.
  await menuLink(nj, '首页').click();
  await nj.getByRole('region', { name: '困难帮扶 · 待办提醒' }).getByText('年度复核已逾期').waitFor();
  await shot(nj, 'hardship-home');
  noProblems(nj);
  for (const p of [hj, jn, nj]) await p.context().close();
});

test("the member's own page and the officer pages on a phone", async () => {
  const m = await newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
  // from the public home page's card, through the log-in, straight to the aid page
  await m.goto('/');
  await m.getByRole('link', { name: /困难职工帮扶/ }).click();
  await m.waitForURL(/\/login\.html/);
  await m.getByLabel('用户名或手机号').fill('13912000008');
  await m.getByLabel('密码').fill(DEMO_PASSWORD);
  await m.getByRole('button', { name: '登录' }).click();
  await m.waitForURL(/\/m\/aid\.html/);
  await m.getByRole('heading', { name: '我的困难职工档案' }).waitFor();
  await m.getByText('深度困难').first().waitFor();
  await m
    .getByText(/金秋助学/)
    .first()
    .waitFor();
  await m.getByRole('heading', { name: '申请互助金' }).waitFor();
  await m.getByLabel('医疗总费用（元）').fill('60000');
  await m.getByLabel('基本医保支付（元）').fill('20000');
  await m.getByText('预计互助金：').waitFor();
  assert.ok((await horizontalOverflow(m)) <= 0, 'member page fits the phone');
  await shot(m, 'member-aid-phone');
  noProblems(m);

  const o = await officer('jn_officer', { viewport: PHONE, mobile: true });
  for (const [hash, name] of [
    ['#/hardship', 'hardship-list-phone'],
    ['#/hardship-reviews', 'hardship-reviews-phone'],
    ['#/aid', 'aid-phone'],
    ['#/mutual-aid', 'mutual-aid-phone'],
  ]) {
    await o.goto(`/console/${hash}`);
    await o.locator('.c-page-title').first().waitFor();
    await o
      .locator('.table-status .state-loading')
      .waitFor({ state: 'detached' })
      .catch(() => {});
    await o.waitForTimeout(300);
    assert.ok((await horizontalOverflow(o)) <= 0, `${hash} fits the phone`);
    await shot(o, name);
  }
  await o.goto('/console/#/hardship');
  await o.locator('td a').first().click();
  await o.getByText('认定测算').waitFor();
  assert.ok((await horizontalOverflow(o)) <= 0, 'file detail fits the phone');
  await shot(o, 'hardship-detail-phone');
  noProblems(o);
});
