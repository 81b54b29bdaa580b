// The member pages on a phone (390 px) and a desktop (1366 px): the home
// page's service grid says at once where vouchers, trips, aid, mutual aid,
// membership and messages stand; every visible link, button and form
// control on every member page (ui/m/*) is at least 44 × 44 px; no page
// shows an English key or raw JSON; the message centre (grid tile and the
// bell with its unread count) marks a notice read when it is opened and
// follows its link; the console's header has the bell too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { launch, close, newPage, noProblems, shot as fullShot, horizontalOverflow, PHONE, DESKTOP } from './lib.js';

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

async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return fullShot(page, name);
}

async function member(login, viewport = PHONE) {
  const page = await newPage(browser, { baseURL: srv.url, viewport, mobile: viewport === PHONE });
  await page.goto('/login.html');
  await page.getByLabel('用户名或手机号').fill(login);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/m\/$/);
  return page;
}

// Wait until the page has drawn what it loads (no spinner, no "…" tile).
async function settled(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(
    () =>
      !document.querySelector('.state-loading, .spinner') &&
      ![...document.querySelectorAll('.m-tile-state')].some((e) => e.textContent === '…'),
  );
}

// Every visible clickable control smaller than 44 px in either dimension.
// A check box counts through its label when the label is the tap target;
// visually hidden controls (1 × 1, like a file input behind its button) are
// not visible.
function smallTargets(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('a, button, input, select, textarea, summary, [role="button"]')) {
      const r = el.getBoundingClientRect();
      const st = getComputedStyle(el);
      if (r.width <= 1 || r.height <= 1 || st.visibility === 'hidden' || el.closest('[hidden]')) continue;
      if (el.matches('input[type="checkbox"], input[type="radio"]')) {
        const lab = el.closest('label');
        const lr = lab && lab.getBoundingClientRect();
        if (lr && lr.width >= 44 && lr.height >= 44) continue;
      }
      if (r.width < 43.5 || r.height < 43.5) {
        const name = (el.getAttribute('aria-label') || el.textContent || el.name || el.type || '').trim().slice(0, 24);
        out.push(`${el.tagName.toLowerCase()} “${name}” ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return out;
  });
}

// Text a person should never see: snake_case keys, raw JSON, JavaScript
// values, English words (internal codes), the old English card title.
function leaks(page) {
  return page.evaluate(() => {
    const text = document.body.innerText;
    const found = [];
    const patterns = [
      /\b[a-z]+_[a-z0-9_]+\b/g,
      /[{[]\s*"[A-Za-z_]+"\s*:/g,
      /\b(undefined|null|NaN|true|false)\b/g,
      /\[object Object\]/g,
      /TRADE UNION/gi,
      /\b[a-z]{4,}\b/g,
    ];
    for (const re of patterns) for (const m of text.matchAll(re)) found.push(m[0]);
    return found;
  });
}

const MEMBER_PAGES = ['/m/', '/m/vouchers.html', '/m/retreat.html', '/m/aid.html', '/m/notices.html'];

test('every member page: 44 px tap targets at 390 px, no English key or raw JSON, no sideways scrolling', async () => {
  // 王建国 (vouchers, trips), 周立新 (hardship file, aid, mutual aid), 孙志强 (a promoted booking)
  for (const login of ['13912000000', '13912000008', '13912000011']) {
    const page = await member(login);
    for (const path of MEMBER_PAGES) {
      await page.goto(path);
      await settled(page);
      assert.deepEqual(await smallTargets(page), [], `${login} ${path}: controls under 44 px`);
      assert.deepEqual(await leaks(page), [], `${login} ${path}: English keys or raw JSON on the page`);
      assert.ok((await horizontalOverflow(page)) <= 0, `${login} ${path} fits the phone`);
      if (login === '13912000008') await shot(page, `member${path.replace(/\W+/g, '-')}phone`);
    }
    // A dialog opened from a member page keeps the rule too.
    await page.goto('/m/');
    await settled(page);
    await page.getByRole('button', { name: '更改登录密码' }).click();
    const dlg = page.getByRole('dialog', { name: '修改密码' });
    await dlg.getByLabel('原密码').waitFor();
    assert.deepEqual(await smallTargets(page), [], `${login}: the password dialog`);
    await dlg.getByRole('button', { name: '取消' }).click();
    noProblems(page);
    await page.context().close();
  }
});

test('the home grid shows every service at once, with counts and states', async () => {
  const page = await member('13912000011');
  await settled(page);
  const grid = page.getByRole('list', { name: '我的服务' });
  const tile = (name) => grid.getByRole('link', { name: new RegExp(`^${name}：`) });
  // all six at once, above the union card, on the first screen of a phone
  for (const name of ['消费券', '疗休养', '帮扶救助', '医疗互助', '会籍', '消息']) {
    const box = await tile(name).boundingBox();
    assert.ok(box && box.y + box.height <= PHONE.height, `${name} is on the first screen`);
    assert.ok(box.width >= 44 && box.height >= 44);
  }
  await tile('疗休养').getByText('候补已转正式').waitFor();
  await tile('会籍').getByText('在会').waitFor();
  await tile('消息').getByText('2 条未读').waitFor();
  await tile('帮扶救助')
    .getByText(/未建档|在档|在办|审核/)
    .waitFor();
  // the bell in the header says the same count
  const bell = page.getByRole('link', { name: '消息，2 条未读' });
  await bell.waitFor();
  assert.equal((await bell.locator('.bell-badge').innerText()).trim(), '2');
  await shot(page, 'member-home-grid-phone');
  noProblems(page);
  await page.context().close();

  const wide = await member('13912000000', DESKTOP);
  await settled(wide);
  await wide
    .getByRole('link', { name: /^消费券：/ })
    .getByText(/张可用|活动可报名/)
    .waitFor();
  await wide
    .getByRole('link', { name: /^疗休养：/ })
    .getByText(/已确认|待确认|看看线路/)
    .waitFor();
  await shot(wide, 'member-home-grid-desktop');
  noProblems(wide);
  await wide.context().close();

  const aid = await member('13912000008');
  await settled(aid);
  await aid
    .getByRole('link', { name: /^帮扶救助：/ })
    .getByText(/在档|在办/)
    .waitFor();
  await aid
    .getByRole('link', { name: /^医疗互助：/ })
    .getByText(/已参加|可参加|在办|笔互助金/)
    .waitFor();
  noProblems(aid);
  await aid.context().close();
});

test('the message centre: opening a notice marks it read and follows its link; 全部标为已读', async () => {
  const page = await member('13912000011');
  await settled(page);
  await page.getByRole('link', { name: /^消息：/ }).click();
  await page.waitForURL('**/m/notices.html');
  await settled(page);
  await page.getByRole('heading', { name: '消息' }).waitFor();
  const list = page.locator('.nt-list');
  assert.equal(await list.locator('.nt-item.is-unread').count(), 2);
  await page.getByText('2 条未读').waitFor();
  await shot(page, 'member-notices-phone');
  // the notice of the promotion leads to the member's trips
  await page.getByRole('button', { name: /^未读：候补成功/ }).click();
  await page.waitForURL('**/m/retreat.html');
  await page.getByRole('link', { name: '消息，1 条未读' }).waitFor();
  // back in the list: one unread left; the 未读 tab shows only it
  await page.getByRole('link', { name: '消息，1 条未读' }).click();
  await page.waitForURL('**/m/notices.html');
  await settled(page);
  assert.equal(await list.locator('.nt-item.is-unread').count(), 1);
  await page.getByRole('group', { name: '显示' }).getByRole('button', { name: '未读' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.nt-list .nt-item').length === 1);
  await page.getByRole('group', { name: '显示' }).getByRole('button', { name: '全部' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.nt-list .nt-item').length === 2);
  await page.getByRole('button', { name: '全部标为已读' }).click();
  await page.getByText('没有未读消息').waitFor();
  assert.equal(await list.locator('.nt-item.is-unread').count(), 0);
  await page.getByRole('link', { name: '消息', exact: true }).waitFor();
  assert.equal(await page.locator('.site-head .bell-badge').isVisible(), false, 'no badge when all is read');
  await shot(page, 'member-notices-read-phone');
  noProblems(page);
  await page.context().close();
});

test('the console header has the bell; it opens the officer’s messages', async () => {
  const page = await newPage(browser, { baseURL: srv.url });
  await page.goto('/login.html');
  await page.getByLabel('用户名或手机号').fill('nj_officer');
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/console\//);
  const bell = page.locator('.c-head-actions [data-bell]');
  await bell.waitFor();
  assert.match(await bell.getAttribute('aria-label'), /^消息/);
  await bell.click();
  const dlg = page.getByRole('dialog', { name: '消息' });
  await dlg.locator('.nt-list').waitFor();
  await page.waitForFunction(() => !document.querySelector('dialog .state-loading'));
  await shot(page, 'console-notices-dialog');
  // the footer's 关闭 (the header has an icon button with the same name)
  await dlg.getByRole('button', { name: '关闭' }).last().click();
  noProblems(page);
  await page.context().close();
});
