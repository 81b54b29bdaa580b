// The web UI's main path in a real browser: the public home page (desktop and
// phone), logging in through the form, the console shell, and the org tree —
// expanding nodes, searching, the detail panel, and adding, editing and
// deleting an organisation. Assertions are on what a person sees.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { launch, close, newPage, noProblems, shot, horizontalOverflow, PHONE } from './lib.js';

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
}

test('the public home page shows the platform and its services', async () => {
  const page = await newPage(browser, { baseURL: srv.url });
  await page.goto('/');
  assert.equal(await page.title(), '工会服务平台');
  await page.getByRole('heading', { name: '职工身边的工会服务' }).waitFor();
  const cards = page.locator('main ul.cards');
  for (const name of ['网上入会', '职工疗休养', '消费券抽取', '困难职工帮扶', '工会经费返还', '新就业形态劳动者服务']) {
    assert.ok(await cards.getByText(name, { exact: false }).first().isVisible(), `card ${name}`);
  }
  // Built services are links; services not built yet say so and link nowhere.
  assert.equal(
    await page
      .getByRole('link', { name: /网上入会/ })
      .first()
      .getAttribute('href'),
    '/join.html',
  );
  assert.equal(
    await page
      .getByRole('link', { name: /工会经费返还/ })
      .first()
      .getAttribute('href'),
    '/login.html',
  );
  assert.equal(
    await page
      .getByRole('link', { name: /职工疗休养/ })
      .first()
      .getAttribute('href'),
    '/retreat/',
  );
  assert.equal(
    await page
      .getByRole('link', { name: /消费券抽取/ })
      .first()
      .getAttribute('href'),
    '/lottery/',
  );
  for (const aid of [/困难职工帮扶/, /职工医疗互助/])
    assert.equal(
      await page.getByRole('link', { name: aid }).first().getAttribute('href'),
      '/login.html?next=/m/aid.html',
    );
  for (const soon of ['新就业形态劳动者服务', '就业创业服务', '职工维权']) {
    assert.equal(await page.getByRole('link', { name: new RegExp(soon) }).count(), 0, soon);
    assert.ok(await cards.locator('.is-soon', { hasText: soon }).getByText('即将上线').isVisible(), soon);
  }
  await shot(page, 'home-desktop');
  await page.getByRole('banner').getByRole('link', { name: '登录' }).click();
  await page.waitForURL('**/login.html');
  await page.getByRole('heading', { name: '登录' }).waitFor();
  noProblems(page);
  await page.context().close();
});

test('on a phone the home page fits the screen without horizontal scrolling', async () => {
  const page = await newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
  await page.goto('/');
  await page.getByText('困难职工帮扶').waitFor();
  assert.ok((await horizontalOverflow(page)) <= 0, 'no sideways scrolling');
  for (const name of ['网上入会', '工会经费返还']) {
    const box = await page.locator('main ul.cards').getByText(name).first().boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, `${name} within the screen`);
  }
  await shot(page, 'home-phone');
  await page.goto('/login.html');
  await page.getByLabel('用户名或手机号').waitFor();
  assert.ok((await horizontalOverflow(page)) <= 0);
  await shot(page, 'login-phone');
  noProblems(page);
  await page.context().close();
});

test('nj_officer logs in and finds organisations in the tree and by search', async () => {
  const page = await newPage(browser, { baseURL: srv.url });

  // Unauthenticated console visits go to the log-in page and come back.
  await page.goto('/console/#/orgs');
  await page.waitForURL(/\/login\.html\?next=/);

  // A wrong password shows the server's message.
  await page.getByLabel('用户名或手机号').fill('nj_officer');
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
  await shot(page, 'login-error');

  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/console\/#\/orgs/);
  const header = page.getByRole('banner');
  await header.getByText('南京市总 李红梅').waitFor();
  await header.getByText('南京市总工会').waitFor();

  // The console home: greeting and counts below the user's org.
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '首页' }).click();
  await page.getByRole('heading', { name: /南京市总 李红梅/ }).waitFor();
  await page.getByText('下属组织合计').waitFor();
  await page.getByText('县(区)级').first().waitFor();
  await shot(page, 'console-home');
  // Menu: no audit log for an officer; account management for the org duty.
  const menu = page.getByRole('navigation', { name: '主菜单' });
  assert.equal(await menu.getByRole('link', { name: '审计日志' }).count(), 0);
  assert.equal(await menu.getByRole('link', { name: '账号管理' }).count(), 1);

  await menu.getByRole('link', { name: '组织架构' }).click();
  const tree = page.getByRole('list', { name: '组织树' });
  const detail = page.getByRole('region', { name: '组织详情' });
  await detail.getByRole('heading', { name: '南京市总工会' }).waitFor();
  await tree.getByRole('link', { name: /玄武区总工会/ }).waitFor();

  // Collapse and expand the root: its children come back.
  await tree.getByRole('button', { name: '收起南京市总工会的下级组织' }).click();
  assert.equal(await tree.getByRole('link', { name: /江宁区总工会/ }).isVisible(), false);
  await tree.getByRole('button', { name: '展开南京市总工会的下级组织' }).click();
  await tree.getByRole('link', { name: /玄武区总工会/ }).waitFor();
  await tree.getByRole('link', { name: /江宁区总工会/ }).waitFor();
  // Expand a county: its grassroots unions are fetched and shown.
  await tree.getByRole('button', { name: '展开江宁区总工会的下级组织' }).click();
  await tree
    .getByRole('link', { name: /江苏华建建设集团有限公司工会/ })
    .first()
    .waitFor();
  await shot(page, 'console-orgs-tree');

  // Search by name: a flat list with levels, each a link to the org.
  await page.getByRole('searchbox', { name: '组织名称' }).fill('华建');
  await page.getByRole('searchbox', { name: '组织名称' }).press('Enter');
  await page.getByText(/“华建”：共 3 个组织/).waitFor();
  const hit = page.locator('.org-results').getByRole('link', { name: /^江苏华建建设集团有限公司工会/ });
  await hit.getByText('基层工会').waitFor();
  await hit.click();
  await detail.getByRole('heading', { name: '江苏华建建设集团有限公司工会' }).waitFor();
  await detail.getByText('钱志刚').waitFor();
  await detail.getByText('025-52100101').waitFor();
  // Breadcrumb: its ancestors by name.
  const crumbs = detail.getByRole('navigation', { name: '上级组织' });
  await crumbs.getByRole('link', { name: '江宁区总工会' }).waitFor();
  await crumbs.getByRole('link', { name: '南京市总工会' }).waitFor();
  await crumbs.getByText('江苏省总工会').waitFor();
  // Its sub-unions in the table below the details.
  await detail.getByRole('link', { name: '江苏华建建设集团有限公司海外项目部工会' }).waitFor();
  await shot(page, 'console-orgs-search');
  noProblems(page);
  await page.context().close();
});

test('an officer with the org duty adds, edits and deletes an organisation', async () => {
  const page = await newPage(browser, { baseURL: srv.url });
  await logIn(page, 'nj_officer');
  await page.waitForURL(/\/console\//);
  await page.goto('/console/#/orgs/4');
  const detail = page.getByRole('region', { name: '组织详情' });
  await detail.getByRole('heading', { name: '玄武区总工会' }).waitFor();
  // The user's own org cannot be deleted; a lower one can.
  await detail.getByRole('button', { name: '删除' }).waitFor();

  await detail.getByRole('button', { name: '新增下级组织' }).click();
  const dlg = page.getByRole('dialog');
  await dlg.getByLabel('名称').fill('南京玄武测试科技有限公司工会');
  assert.equal(await dlg.getByLabel('层级').inputValue(), 'grassroots');
  assert.equal(await dlg.getByLabel('类型').inputValue(), 'enterprise');
  await dlg.getByLabel('行政区划代码').fill('12');
  await dlg.getByLabel('联系电话').fill('025-8888 0000');
  await dlg.getByRole('button', { name: '保存' }).click();
  // The server's message appears next to the field it names.
  const regionField = dlg.locator('.field', { has: page.getByLabel('行政区划代码') });
  await regionField.getByText('行政区划代码应为 6 位数字').waitFor();
  await shot(page, 'console-org-add-error');
  await dlg.getByLabel('行政区划代码').fill('320102');
  await dlg.getByRole('button', { name: '保存' }).click();
  await page.getByText('已新增「南京玄武测试科技有限公司工会」').waitFor();
  const tree = page.getByRole('list', { name: '组织树' });
  await tree.getByRole('link', { name: /南京玄武测试科技有限公司工会/ }).click();
  await detail.getByRole('heading', { name: '南京玄武测试科技有限公司工会' }).waitFor();
  await detail.getByText('025-8888 0000').waitFor();

  await detail.getByRole('button', { name: '编辑' }).click();
  await page.getByRole('dialog').getByLabel('联系人').fill('测试联系人');
  await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
  await detail.getByText('测试联系人').waitFor();

  await detail.getByRole('button', { name: '删除' }).click();
  await page.getByRole('dialog').getByText('确定删除「南京玄武测试科技有限公司工会」吗？').waitFor();
  await page.getByRole('dialog').getByRole('button', { name: '删除' }).click();
  await page.getByText('已删除「南京玄武测试科技有限公司工会」').waitFor();
  await detail.getByRole('heading', { name: '玄武区总工会' }).waitFor();
  assert.equal(await tree.getByRole('link', { name: /南京玄武测试科技有限公司工会/ }).count(), 0);
  noProblems(page);
  await page.context().close();
});

test('on a phone the console menu collapses and the org page stacks', async () => {
  const page = await newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
  await logIn(page, 'huajian_officer');
  await page.waitForURL(/\/console\//);
  const menu = page.getByRole('navigation', { name: '主菜单' });
  await page.getByRole('heading', { name: /华建/ }).first().waitFor();
  assert.equal(await menu.getByRole('link', { name: '组织架构' }).isVisible(), false, 'menu hidden at first');
  assert.ok((await horizontalOverflow(page)) <= 0);
  await shot(page, 'console-home-phone');
  await page.getByRole('button', { name: '菜单' }).click();
  await menu.getByRole('link', { name: '组织架构' }).click();
  const detail = page.getByRole('region', { name: '组织详情' });
  await detail.getByRole('heading', { name: '江苏华建建设集团有限公司工会' }).waitFor();
  await detail.getByText('钱志刚').waitFor();
  assert.ok((await horizontalOverflow(page)) <= 0);
  await shot(page, 'console-orgs-phone');
  // Log out from the header.
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL('**/login.html');
  noProblems(page);
  await page.context().close();
});

test('an admin lists accounts and searches the audit log', async () => {
  const page = await newPage(browser, { baseURL: srv.url });
  await logIn(page, 'admin');
  await page.waitForURL(/\/console\//);
  const menu = page.getByRole('navigation', { name: '主菜单' });
  await menu.getByRole('link', { name: '账号管理' }).click();
  const row = page.getByRole('row', { name: /nj_officer/ });
  await row.getByText('南京市总工会').waitFor();
  await row.getByText('组织管理').waitFor();
  // the nine demo log-ins of the table in README, plus accounts other
  // capabilities' demo data add (providers' tills): the page shows the server's count
  const total = (await (await new Client(srv.url).login('admin', DEMO_PASSWORD)).get('/api/v1/users')).body.total;
  assert.ok(total >= 9);
  await page.getByText(`共 ${total} 条`).waitFor();
  await shot(page, 'console-users');

  await menu.getByRole('link', { name: '审计日志' }).click();
  await page.getByRole('search').getByLabel('操作人').fill('admin');
  await page.getByRole('search').getByLabel('操作', { exact: true }).selectOption({ label: '登录' });
  await page.getByRole('button', { name: '查询' }).click();
  // the operator shown by name and role (平台管理员（系统管理员）), the log-in kept as the title
  const first = page.getByRole('row', { name: /平台管理员/ }).first();
  await first.getByText('登录').waitFor();
  await first.getByText('成功').waitFor();
  // Every row is the admin's log-in.
  const actors = await page.locator('tbody td[data-label="操作人"]').allInnerTexts();
  assert.ok(actors.length >= 1 && actors.every((t) => t.startsWith('平台管理员')), actors.join(','));
  // the source in words, never the bare "local"
  const sources = await page.locator('tbody td[data-label="来源"]').allInnerTexts();
  assert.ok(
    sources.every((t) => t === '本机命令行' || t.startsWith('网络地址')),
    sources.join(','),
  );
  await shot(page, 'console-audit');
  noProblems(page);
  await page.context().close();
});
