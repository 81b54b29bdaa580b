// Membership pages in a real browser: the public join form (phone), approval
// in the console, finding the new member and revealing the ID number with a
// reason, the applicant logging in to see the union card; registering,
// transferring and changing a member's status; a CSV import dry run with a
// bad row; and every new page on a phone without sideways scrolling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { makeId } from '../lib/ids.js';
import { launch, close, newPage, noProblems, shot as fullShot, horizontalOverflow, PHONE } from './lib.js';

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

// Full-page screenshots from the top (a sticky header otherwise lands mid-page).
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

async function officer(opts = {}) {
  const page = await newPage(browser, { baseURL: srv.url, ...opts });
  await logIn(page, 'nj_officer');
  await page.waitForURL(/\/console\//);
  return page;
}

function menuLink(page, name) {
  return page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name, exact: true });
}

const APPLICANT = {
  name: '周骑手',
  id: makeId(88, { region: '320115', birth: '19960412' }),
  mobile: '13951230088',
  password: 'Qishou@2026',
};

test('join online, approval, finding and revealing the member, and the member card', async () => {
  // 1. The applicant fills in the join form on a phone.
  const pub = await newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
  await pub.goto('/');
  await pub.getByRole('link', { name: '网上入会' }).first().click();
  await pub.waitForURL('**/join.html');
  await pub.getByRole('heading', { name: '网上入会' }).waitFor();
  await pub.getByLabel('姓名').fill(APPLICANT.name);
  await pub.getByLabel('身份证号').fill(APPLICANT.id);
  await pub.getByLabel('手机号').fill(APPLICANT.mobile);
  await pub.getByLabel('就业形态').selectOption({ label: '外卖送餐员' });
  await pub.getByLabel('所在城市').fill('南京市');
  await pub.getByLabel('工作单位或平台').fill('美团');
  await pub.getByLabel('申请加入的工会').fill('江宁区');
  const pick = pub.getByRole('button', { name: /江宁区新就业形态劳动者联合工会/ });
  await pick.getByText('基层工会').waitFor();
  // A county union is offered too (new forms of employment may join it).
  assert.equal(await pub.getByRole('button', { name: /^江宁区总工会/ }).isEnabled(), true);
  await pick.click();
  await pub.getByText('已选择').waitFor();
  await pub.getByLabel('密码', { exact: true }).fill(APPLICANT.password);
  await pub.getByLabel('确认密码').fill(APPLICANT.password);
  await pub.getByText('本人自愿加入工会').click();
  assert.ok((await horizontalOverflow(pub)) <= 0, 'join form fits the phone');
  await shot(pub, 'join-form-phone');
  await pub.getByRole('button', { name: '提交入会申请' }).click();
  await pub.getByRole('heading', { name: '入会申请已提交' }).waitFor();
  await pub.getByText('江宁区新就业形态劳动者联合工会').first().waitFor();
  const code = (await pub.locator('.code-value').innerText()).trim();
  assert.match(code, /^[2-9A-HJKMNP-TW-Z]{5}-[2-9A-HJKMNP-TW-Z]{5}$/, `a short tracking code is shown: ${code}`);
  assert.ok((await horizontalOverflow(pub)) <= 0);
  await shot(pub, 'join-done-phone');
  // Progress by the code (filled in already): pending.
  await pub.getByRole('button', { name: '查询', exact: true }).click();
  const status = pub.getByRole('region', { name: '查询申请进度' });
  await status.getByText('待审核').waitFor();
  await status.getByText('周*').waitFor();
  noProblems(pub);

  // 2. nj_officer approves it.
  const page = await officer();
  await menuLink(page, '入会审批').click();
  await page.getByRole('heading', { name: '入会审批' }).waitFor();
  const row = page.getByRole('row', { name: new RegExp(APPLICANT.name) });
  await row.getByText('外卖送餐员').waitFor();
  await row.getByText('江宁区新就业形态劳动者联合工会').waitFor();
  await row.getByText('139****0088').waitFor();
  await shot(page, 'console-join-requests');
  await row.getByRole('button', { name: '通过', exact: true }).click();
  const dlg = page.getByRole('dialog', { name: '批准入会' });
  await dlg.getByText(APPLICANT.name).waitFor();
  await dlg.getByRole('button', { name: '确认通过' }).click();
  await page.getByText(`已批准 ${APPLICANT.name} 入会`).waitFor();
  await row.waitFor({ state: 'detached' });
  // The approved tab lists it with a link to the member.
  await page.getByRole('group', { name: '审核状态' }).getByRole('button', { name: '已通过' }).click();
  await page
    .getByRole('row', { name: new RegExp(APPLICANT.name) })
    .getByRole('link', { name: '查看会员' })
    .waitFor();

  // The applicant sees the decision with the code.
  await pub.getByRole('button', { name: '查询', exact: true }).click();
  await status.getByText('已通过', { exact: true }).waitFor();
  await pub.context().close();

  // 3. Find the member by name and reveal the ID number.
  await menuLink(page, '会员管理').click();
  await page.getByRole('heading', { name: '会员管理' }).waitFor();
  const search = page.getByRole('search');
  await search.getByLabel('关键词').fill('周骑');
  await search.getByRole('button', { name: '查询' }).click();
  await page.getByText('共 1 条').waitFor();
  const mrow = page.getByRole('row', { name: new RegExp(APPLICANT.name) });
  const masked = `3201**********${APPLICANT.id.slice(-4)}`;
  await mrow.getByText(masked).waitFor();
  await mrow.getByText('外卖送餐员').waitFor();
  await mrow.getByText('在会').waitFor();
  await shot(page, 'console-members');
  await mrow.getByRole('link', { name: APPLICANT.name }).click();
  await page.waitForURL(/#\/members\/\d+$/);
  const card = page.getByRole('region', { name: '会员档案' });
  await card.getByRole('heading', { name: APPLICANT.name }).waitFor();
  await card.getByText(masked).waitFor();
  await card.getByText('已开通').waitFor();
  await page.getByRole('list', { name: '会籍变动记录' }).getByText('加入江宁区新就业形态劳动者联合工会').waitFor();
  assert.equal(await page.getByText(APPLICANT.id).count(), 0, 'the full ID is not on the page');
  await card.getByRole('button', { name: '查看完整身份证号' }).click();
  const rd = page.getByRole('dialog', { name: '查看完整身份证号' });
  await rd.getByRole('button', { name: '查看' }).click();
  await rd.getByText('请填写“事由”').waitFor();
  await rd.getByLabel('事由').fill('核实会员身份');
  await rd.getByRole('button', { name: '查看' }).click();
  await rd.getByText(APPLICANT.id).waitFor();
  await shot(page, 'console-member-reveal');
  await rd.getByRole('button', { name: '完成' }).click();
  await rd.waitFor({ state: 'detached' });
  assert.equal(await page.getByText(APPLICANT.id).count(), 0, 'the full ID is gone after closing');
  await shot(page, 'console-member-detail');
  noProblems(page);
  await page.context().close();

  // 4. The applicant logs in with the mobile and sees the union card.
  const m = await newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
  await logIn(m, APPLICANT.mobile, APPLICANT.password);
  await m.waitForURL(/\/m\/$/);
  const mcard = m.getByRole('region', { name: '电子会员证' });
  await mcard.getByText(APPLICANT.name).waitFor();
  await mcard.getByText('江宁区新就业形态劳动者联合工会').waitFor();
  await mcard.getByText(/^GH\d{10}$/).waitFor();
  const profile = m.getByRole('region', { name: '我的资料' });
  await profile.getByText(masked).waitFor();
  await profile.getByText('139****0088').waitFor();
  await profile.getByText('外卖送餐员').waitFor();
  assert.ok((await horizontalOverflow(m)) <= 0);
  await shot(m, 'member-home-phone');
  // Change the password, then log out.
  await m.getByRole('button', { name: '修改密码' }).click();
  await m.getByLabel('原密码').fill(APPLICANT.password);
  await m.getByLabel('新密码', { exact: true }).fill('Qishou@2027');
  await m.getByLabel('确认新密码').fill('Qishou@2027');
  await m.getByRole('button', { name: '确认修改' }).click();
  await m.getByText('密码已修改').waitFor();
  await m.getByRole('button', { name: '退出登录' }).click();
  await m.waitForURL('**/login.html');
  await logIn(m, APPLICANT.mobile, 'Qishou@2027');
  await m.waitForURL(/\/m\/$/);
  await m.getByRole('region', { name: '电子会员证' }).getByText(APPLICANT.name).waitFor();
  noProblems(m);
  await m.context().close();
});

test('the join form shows the server’s field errors next to the fields', async () => {
  const page = await newPage(browser, { baseURL: srv.url });
  await page.goto('/join.html');
  await page.getByRole('button', { name: '提交入会申请' }).click();
  await page
    .locator('.field', { has: page.getByLabel('姓名') })
    .getByText('请填写“姓名”')
    .waitFor();
  await page.getByLabel('姓名').fill('吴测试');
  // Check digit right, birth date impossible: only the server knows.
  await page.getByLabel('身份证号').fill(makeId(5, { region: '320115', birth: '19961332' }));
  await page.getByLabel('手机号').fill('13951230099');
  await page.getByLabel('就业形态').selectOption({ label: '快递员' });
  await page.getByLabel('申请加入的工会').fill('江宁区新就业');
  await page.getByRole('button', { name: /江宁区新就业形态劳动者联合工会/ }).click();
  await page.getByLabel('密码', { exact: true }).fill('Kuaidi@2026');
  await page.getByLabel('确认密码').fill('Kuaidi@2026');
  await page.getByText('本人自愿加入工会').click();
  await page.getByRole('button', { name: '提交入会申请' }).click();
  const idField = page.locator('.field', { has: page.getByLabel('身份证号') });
  await idField
    .locator('.field-error')
    .filter({ hasText: /出生日期|身份证/ })
    .waitFor();
  await shot(page, 'join-form-error');
  // A wrong code when checking progress.
  await page.getByLabel('查询码').fill('not-a-code');
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await page.getByText('未找到该查询码对应的申请').waitFor();
  await shot(page, 'join-desktop');
  noProblems(page);
  await page.context().close();
});

test('an officer registers a member, transfers it and changes its status', async () => {
  const page = await officer();
  await menuLink(page, '会员管理').click();
  await page.getByRole('button', { name: '新增会员' }).click();
  const dlg = page.getByRole('dialog', { name: '新增会员' });
  await dlg.getByLabel('姓名').fill('郑登记');
  await dlg.getByLabel('身份证号').fill(makeId(21, { region: '320102', birth: '19880203' }));
  await dlg.getByLabel('手机号').fill('13951230021');
  await dlg.getByLabel('所属工会筛选').fill('华建');
  await dlg.getByLabel('所属工会', { exact: true }).selectOption({ label: '江苏华建建设集团有限公司工会（基层）' });
  await dlg.getByLabel('工作单位或平台').fill('江苏华建建设集团有限公司');
  await dlg.getByText('一线职工').click();
  await shot(page, 'console-member-add');
  await dlg.getByRole('button', { name: '保存' }).click();
  await page.getByText('已登记会员 郑登记').waitFor();
  const row = page.getByRole('row', { name: /郑登记/ });
  await row.getByText('江苏华建建设集团有限公司工会').waitFor();
  // Registering the same person again: the server's answer in the dialog.
  await page.getByRole('button', { name: '新增会员' }).click();
  await dlg.getByLabel('姓名').fill('郑登记');
  await dlg.getByLabel('身份证号').fill(makeId(21, { region: '320102', birth: '19880203' }));
  await dlg.getByLabel('所属工会筛选').fill('华建');
  await dlg.getByLabel('所属工会', { exact: true }).selectOption({ label: '江苏华建建设集团有限公司工会（基层）' });
  await dlg.getByRole('button', { name: '保存' }).click();
  await dlg.getByText(/已经是工会会员|已是会员|已登记/).waitFor();
  await dlg.getByRole('button', { name: '取消' }).click();

  await row.getByRole('link', { name: '郑登记' }).click();
  const card = page.getByRole('region', { name: '会员档案' });
  await card.getByRole('heading', { name: '郑登记' }).waitFor();
  await card.getByText('一线职工').first().waitFor();

  // Transfer to another union found in the public directory.
  await card.getByRole('button', { name: '转会' }).click();
  const td = page.getByRole('dialog', { name: /转会/ });
  await td.getByLabel('转入工会').fill('紫金软件');
  await td.getByRole('button', { name: /南京紫金软件股份有限公司工会/ }).click();
  await td.getByLabel('转会原因').fill('工作调动');
  await shot(page, 'console-member-transfer');
  await td.getByRole('button', { name: '确认转会' }).click();
  await page.getByText('已将 郑登记 转至「南京紫金软件股份有限公司工会」').waitFor();
  await card.getByText('南京紫金软件股份有限公司工会').waitFor();
  const hist = page.getByRole('list', { name: '会籍变动记录' });
  await hist.getByText('由 江苏华建建设集团有限公司工会 转至 南京紫金软件股份有限公司工会').waitFor();
  await hist.getByText('原因：工作调动').waitFor();

  // Status change needs a reason.
  await card.getByRole('button', { name: '变更会籍状态' }).click();
  const sd = page.getByRole('dialog', { name: /变更会籍状态/ });
  await sd.getByLabel('变更为').selectOption({ label: '已退会' });
  await sd.getByRole('button', { name: '确认变更' }).click();
  await sd.getByText('请填写“变更原因”').waitFor();
  await sd.getByLabel('变更原因').fill('本人申请退会');
  await sd.getByRole('button', { name: '确认变更' }).click();
  await page.getByText('会籍状态已变更为「已退会」').waitFor();
  await hist.getByText('在会 → 已退会').waitFor();
  assert.equal(await card.getByRole('button', { name: '转会' }).count(), 0, 'no transfer for a member who left');
  await shot(page, 'console-member-history');
  noProblems(page);
  await page.context().close();
});

test('an officer rejects a join request with a reason the applicant then sees', async () => {
  const page = await officer();
  const sent = await page.request.post('/api/v1/join-requests', {
    data: {
      name: '冯申请',
      id_number: makeId(31, { region: '320102', birth: '19920505' }),
      mobile: '13951230031',
      employment_form: 'employee',
      employer: '南京紫金软件股份有限公司',
      org_id: 5,
      password: 'Shenqing@2026',
    },
  });
  assert.equal(sent.status(), 201);
  const { tracking_code: code } = await sent.json();
  await menuLink(page, '入会审批').click();
  const row = page.getByRole('row', { name: /冯申请/ });
  await row.getByRole('button', { name: '不通过' }).click();
  const dlg = page.getByRole('dialog', { name: '不予通过' });
  await dlg.getByRole('button', { name: '确认不通过' }).click();
  await dlg.getByText('请填写“不予通过的原因”').waitFor();
  await dlg.getByLabel('不予通过的原因').fill('请选择本人所在单位的工会');
  await shot(page, 'console-join-reject');
  await dlg.getByRole('button', { name: '确认不通过' }).click();
  await page.getByText('已处理 冯申请 的申请：不予通过').waitFor();
  await row.waitFor({ state: 'detached' });
  await page.getByRole('group', { name: '审核状态' }).getByRole('button', { name: '未通过' }).click();
  await page
    .getByRole('row', { name: /冯申请/ })
    .getByText('原因：请选择本人所在单位的工会')
    .waitFor();
  assert.match(page.url(), /#\/join-requests\?status=rejected$/);
  noProblems(page);
  await page.context().close();

  const pub = await newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
  await pub.goto('/join.html');
  await pub.getByLabel('查询码').fill(code);
  await pub.getByRole('button', { name: '查询', exact: true }).click();
  const status = pub.getByRole('region', { name: '查询申请进度' });
  await status.getByText('未通过', { exact: true }).waitFor();
  await status.getByText('请选择本人所在单位的工会').waitFor();
  await shot(pub, 'join-status-rejected-phone');
  noProblems(pub);
  await pub.context().close();
});

test('a CSV import dry run reports the bad row; the template passes and imports', async () => {
  const page = await officer();
  await menuLink(page, '会员导入').click();
  await page.getByRole('heading', { name: '会员导入' }).waitFor();

  // The template: UTF-8 with BOM, the expected header, valid ID numbers.
  const tpl = await page.request.get('/templates/members-template.csv');
  assert.equal(tpl.status(), 200);
  const bytes = await tpl.body();
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'BOM');
  const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
  assert.equal(lines[0], '姓名,身份证号,手机号,就业形态,工作单位,一线职工,劳模称号,工匠,入会日期,会员证号,组织编号');
  assert.equal(lines.length, 3);
  for (const l of lines.slice(1)) {
    const id = l.split(',')[1];
    assert.equal(
      makeId(Number(id.slice(14, 17)), { region: id.slice(0, 6), birth: id.slice(6, 14) }),
      id,
      `valid ID ${id}`,
    );
  }
  assert.equal(
    await page.getByRole('link', { name: '下载模板' }).first().getAttribute('href'),
    '/templates/members-template.csv',
  );

  // Choose a grassroots union that takes everyone.
  await page.getByLabel('导入到组织筛选').fill('江宁区新就业');
  await page
    .getByLabel('导入到组织', { exact: true })
    .selectOption({ label: '江宁区新就业形态劳动者联合工会（基层）' });

  const valid = makeId(399, { region: '320115', birth: '19900101' });
  const badId = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
  const good = (n, form) =>
    `测试${n},${makeId(300 + n, { region: '320115', birth: '19900101' })},1395124${String(n).padStart(4, '0')},${form},顺丰,是,,否,2025-06-01,,`;
  const csv =
    '\ufeff姓名,身份证号,手机号,就业形态,工作单位,一线职工,劳模称号,工匠,入会日期,会员证号,组织编号\n' +
    `${good(1, '快递员')}\n` +
    `${good(2, '外卖送餐员')}\n` +
    `坏行,${badId},13951249999,快递员,顺丰,是,,否,2025-06-01,,\n` +
    `${good(3, '网约车司机')}\n`;
  await page
    .locator('input[type=file]')
    .setInputFiles({ name: '会员.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.getByText('会员.csv').waitFor();
  await page.getByRole('button', { name: '试导入' }).click();
  await page.getByText(/检查发现 1 行有错误（共 1 处）/).waitFor();
  const errors = page.getByRole('table', { name: '错误明细' });
  const erow = errors.getByRole('row', { name: /第 4 行/ });
  await erow.getByText('身份证号', { exact: true }).waitFor();
  await erow.getByText(/校验码/).waitFor();
  assert.equal(await errors.locator('tbody tr').count(), 1);
  await shot(page, 'console-import-dryrun');

  // The template itself passes a dry run and then imports for real.
  await page
    .locator('input[type=file]')
    .setInputFiles({ name: 'members-template.csv', mimeType: 'text/csv', buffer: bytes });
  await page.getByRole('button', { name: '试导入' }).click();
  await page.getByText('检查通过，共 2 行，可以正式导入').waitFor();
  await page.getByRole('button', { name: '正式导入' }).click();
  await page.getByRole('dialog', { name: '正式导入' }).getByRole('button', { name: '开始导入' }).click();
  await page.getByText('导入成功，已登记 2 名会员').waitFor();
  await shot(page, 'console-import-done');

  // The console home counts them.
  await menuLink(page, '首页').click();
  const stats = page.getByRole('region', { name: /会员概况/ });
  await stats.getByText('会员总数').waitFor();
  await page.getByRole('list', { name: '每月入会人数' }).waitFor();
  await shot(page, 'console-home-members');
  noProblems(page);
  await page.context().close();
});

test('the new pages fit a phone', async () => {
  const page = await newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
  await page.goto('/activate.html');
  await page.getByRole('heading', { name: '开通会员账号' }).waitFor();
  assert.ok((await horizontalOverflow(page)) <= 0);
  await shot(page, 'activate-phone');
  await page.goto('/login.html');
  await page.getByRole('link', { name: '会员开通账号' }).click();
  await page.waitForURL('**/activate.html');
  // 王建国 came in with the template: he opens his account and logs in.
  await page.getByLabel('身份证号').fill(makeId(123, { region: '320115', birth: '19900307' }));
  await page.getByLabel('手机号').fill('138 1234 5678');
  await page.getByLabel('设置密码').fill('Jianguo@2026');
  await page.getByLabel('确认密码').fill('Jianguo@2026');
  await page.getByRole('button', { name: '开通账号' }).click();
  await page.getByRole('heading', { name: '账号已开通' }).waitFor();
  await shot(page, 'activate-done-phone');
  await page.getByRole('link', { name: '去登录' }).click();
  await logIn(page, '13812345678', 'Jianguo@2026');
  await page.waitForURL(/\/m\/$/);
  await page.getByRole('region', { name: '电子会员证' }).getByText('王建国').waitFor();
  await page.getByRole('button', { name: '退出', exact: true }).click();
  await page.waitForURL('**/login.html');

  await logIn(page, 'nj_officer');
  await page.waitForURL(/\/console\//);
  await page
    .getByRole('region', { name: /会员概况/ })
    .getByText('会员总数')
    .waitFor();
  assert.ok((await horizontalOverflow(page)) <= 0, 'home');
  await shot(page, 'console-home-members-phone');
  for (const [hash, heading, name] of [
    ['#/members', '会员管理', 'console-members-phone'],
    ['#/join-requests', '入会审批', 'console-join-requests-phone'],
    ['#/members/import', '会员导入', 'console-import-phone'],
  ]) {
    await page.goto(`/console/${hash}`);
    await page.getByRole('heading', { name: heading }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.ok((await horizontalOverflow(page)) <= 0, heading);
    await shot(page, name);
  }
  await page.goto('/console/#/members');
  await page.getByRole('link', { name: '周骑手' }).click();
  await page.getByRole('region', { name: '会员档案' }).getByRole('heading', { name: '周骑手' }).waitFor();
  await page.getByRole('list', { name: '会籍变动记录' }).waitFor();
  assert.ok((await horizontalOverflow(page)) <= 0, 'detail');
  await shot(page, 'console-member-detail-phone');
  noProblems(page);
  await page.context().close();
});
