// Importing the recuperation programme in the console: an officer with the
// retreat duty opens 导入服务机构 from the providers list, sees a bad row
// reported at its line and field (nothing written), checks the corrected file
// with a dry run, imports it for real with a progress bar and a report; then
// imports a route naming the new provider through 导入线路 and finds it in the
// routes list. The import pages are photographed on a desktop and a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { launch, close, newPage, noProblems, shot, horizontalOverflow, PHONE, DESKTOP } from './lib.js';

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

async function logIn(page, login, password = DEMO_PASSWORD) {
  await page.goto('/login.html');
  await page.getByLabel('用户名或手机号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/console\//);
}

const menuLink = (page, name) =>
  page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name, exact: true });

const PROVIDERS =
  '\ufeff名称,类型,行政区划代码,地址,联系人,联系电话,合作部门,状态\n' +
  '江宁黄龙岘茶文化村民宿（浏览器导入）,旅游民宿,320115,南京市江宁区江宁街道黄龙岘村,汪春燕,025-52181234,南京市文化和旅游局,已准入\n' +
  '江宁汤山矿坑公园康养基地（浏览器导入）,疗休养基地,320115,南京市江宁区汤山街道,钱志国,025-51191234,南京市文化和旅游局,申请中\n';

test('an officer imports providers (a bad row first, then a dry run and the real thing) and a route naming one', async () => {
  const page = await newPage(browser, { baseURL: srv.url, viewport: DESKTOP });
  await logIn(page, 'nj_officer');
  await menuLink(page, '服务机构').click();
  await page.getByRole('link', { name: '导入服务机构' }).click();
  await page.getByRole('heading', { name: '导入服务机构' }).waitFor();
  assert.equal(
    await page.getByRole('link', { name: '下载模板' }).first().getAttribute('href'),
    '/templates/providers-template.csv',
  );

  // a row with an unknown kind: reported at line 4, field 机构类型; nothing written
  const file = {
    name: '服务机构.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${PROVIDERS}坏数据民宿,古堡,320115,,,,,\n`, 'utf8'),
  };
  await page.locator('input[type=file]').setInputFiles(file);
  await page.getByRole('button', { name: '正式导入' }).click();
  await page.getByRole('dialog', { name: '正式导入' }).getByRole('button', { name: '开始导入' }).click();
  await page.getByText(/发现 1 行有错误（共 \d+ 处），整批未导入/).waitFor();
  const errs = page.getByRole('table', { name: '错误明细' });
  await errs
    .getByRole('row', { name: /第 4 行/ })
    .getByText('机构类型', { exact: true })
    .waitFor();
  await shot(page, 'retreat-provider-import-error');

  // the corrected file: a dry run, then the real import
  await page.locator('input[type=file]').setInputFiles({ ...file, buffer: Buffer.from(PROVIDERS, 'utf8') });
  await page.getByRole('button', { name: '试导入' }).click();
  await page.getByText('检查通过，共 2 行，可以正式导入').waitFor();
  await page.getByRole('button', { name: '正式导入' }).click();
  await page.getByRole('dialog', { name: '正式导入' }).getByText('南京市总工会').waitFor();
  await page.getByRole('dialog', { name: '正式导入' }).getByRole('button', { name: '开始导入' }).click();
  await page.getByText('导入成功，已登记 2 家服务机构').waitFor();
  await shot(page, 'retreat-provider-import');
  await page.getByRole('link', { name: '查看服务机构列表 ›' }).click();
  const row = page.getByRole('row').filter({ hasText: '江宁黄龙岘茶文化村民宿（浏览器导入）' });
  await row.getByText('已准入').waitFor();

  // a route naming the imported provider
  await menuLink(page, '线路管理').click();
  await page.getByRole('link', { name: '导入线路' }).click();
  await page.getByRole('heading', { name: '导入线路' }).waitFor();
  const routes =
    '线路编号,线路名称,目的地,行政区划代码,天数,全价,工会补助,主题,服务机构,行程,费用包含,状态\n' +
    'BR-HLX-01,黄龙岘·茶乡康养两日,南京江宁,320115,2,880,500,康养、乡村,江宁黄龙岘茶文化村民宿（浏览器导入）,' +
    '第1天 抵达黄龙岘：采茶制茶体验|第2天 返程：茶园徒步后返程,住宿、餐饮,发布\n';
  await page
    .locator('input[type=file]')
    .setInputFiles({ name: '线路.csv', mimeType: 'text/csv', buffer: Buffer.from(routes, 'utf8') });
  await page.getByRole('button', { name: '正式导入' }).click();
  await page.getByRole('dialog', { name: '正式导入' }).getByRole('button', { name: '开始导入' }).click();
  await page.getByText('导入成功，已新建 1 条线路').waitFor();
  await shot(page, 'retreat-route-import');
  await page.getByRole('link', { name: '查看线路列表 ›' }).click();
  const rrow = page.getByRole('row').filter({ hasText: '黄龙岘·茶乡康养两日' });
  await rrow.getByText('已发布').waitFor();
  await rrow.getByText('¥880 / ¥500 / ¥380').waitFor();
  noProblems(page);
  await page.context().close();
});

test('the import pages on a phone', async () => {
  const page = await newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
  await logIn(page, 'js_officer');
  for (const [hash, heading, file] of [
    ['#/retreat/providers/import', '导入服务机构', 'retreat-provider-import-phone'],
    ['#/retreat/routes/import', '导入线路', 'retreat-route-import-phone'],
  ]) {
    await page.goto(`/console/${hash}`);
    await page.getByRole('heading', { name: heading }).waitFor();
    await page.getByRole('button', { name: '试导入' }).waitFor();
    assert.ok((await horizontalOverflow(page)) <= 0, `${heading} fits the phone`);
    await shot(page, file);
  }
  // an officer without the retreat duty is not offered the pages: opened by
  // their address they say which duty is needed
  const jn = await newPage(browser, { baseURL: srv.url, viewport: DESKTOP });
  await logIn(jn, 'jn_officer');
  await jn.goto('/console/#/retreat/providers');
  await jn.getByText('需要疗休养职责', { exact: true }).waitFor();
  await jn.goto('/console/#/retreat/providers/import');
  await jn.getByText('需要疗休养职责', { exact: true }).waitFor();
  assert.equal(await jn.getByRole('link', { name: '导入服务机构' }).count(), 0);
  noProblems(page);
  noProblems(jn);
  await page.context().close();
  await jn.context().close();
});
