// Money pages in a real browser: registering an enterprise with a union,
// importing its fee payments (one row not 2% of the payroll, flagged 待核;
// importing again changes nothing), a refund run started by nj_officer that
// nj_officer cannot approve (maker/checker) and js_officer approves, the
// bank payment file downloaded and the bank's result uploaded, the refund
// shown as 已付款 on the enterprise and on the enterprise's own page, the
// refund figures and their sentence, the ledger with a reversal, the trial
// balance export and the ledger check; every new page on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { usccFor, usccCheck } from '../lib/uscc.js';
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

async function logIn(page, login, password = DEMO_PASSWORD) {
  await page.goto('/login.html');
  await page.getByLabel('用户名或手机号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

async function staff(login, opts = {}) {
  const page = await newPage(browser, { baseURL: srv.url, ...opts });
  await logIn(page, login);
  await page.waitForURL(/\/console\//);
  return page;
}

function menuLink(page, name) {
  return page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name, exact: true });
}

async function orgId(name) {
  const r = await admin.get(`/api/v1/orgs?q=${encodeURIComponent(name)}&per_page=10`);
  const o = r.body.items.find((x) => x.name === name);
  assert.ok(o, `org ${name}`);
  return o.id;
}

// A downloaded file's bytes.
async function bytesOf(download) {
  return readFile(await download.path());
}

const ENT = {
  uscc: usccFor(880001),
  name: '南京小微测试科技有限公司',
  account: '6217000012345678901',
};
const state = {};

test('templates: UTF-8 with BOM, the expected headers, valid credit codes', async () => {
  for (const [file, header] of [
    ['fee-payments-template.csv', '统一社会信用代码,所属期,工资总额,缴纳金额,缴款日期,类型'],
    [
      'enterprises-template.csv',
      '统一社会信用代码,企业名称,行政区划代码,行业,从业人数,营业收入,小规模纳税人,工会组织编号,建会日期,开户银行,户名,银行账号,联系人,联系电话',
    ],
  ]) {
    const res = await fetch(`${srv.url}/templates/${file}`);
    assert.equal(res.status, 200, file);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${file} BOM`);
    const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
    assert.equal(lines[0], header);
    assert.equal(lines.length, 3, `${file}: header and two examples`);
    for (const l of lines.slice(1)) {
      const code = l.split(',')[0];
      assert.equal(code.length, 18);
      assert.equal(usccCheck(code.slice(0, 17)), code[17], `valid 统一社会信用代码 ${code}`);
    }
  }
});

test('enterprise, fee import with a flagged row, refund run with maker/checker, bank file and result', async () => {
  // A refund policy for 2023 (the demo's covers 2020–2022), published by the province.
  const province = await orgId('江苏省总工会');
  const pol = await admin.post('/api/v1/policies', {
    kind: 'refund',
    org_id: province,
    effective_from: '2023-01-01',
    params: {
      from: '2023-01-01',
      to: '2023-12-31',
      share: 'all',
      mode: 'automatic',
      prep_fee_on_founding: true,
      qualify: { small_scale: true },
    },
    note: '2023 年小微企业工会经费全额返还',
  });
  assert.equal(pol.status, 201, JSON.stringify(pol.body));

  // 1. nj_officer registers the enterprise through the dialog.
  const page = await staff('nj_officer');
  await menuLink(page, '企业名录').click();
  await page.getByRole('heading', { name: '企业名录' }).waitFor();
  await page.getByText('共 24 条').waitFor();
  await page.getByRole('button', { name: '新增企业' }).click();
  const dlg = page.getByRole('dialog', { name: '新增企业' });
  // A wrong check character is caught before a round trip.
  await dlg.getByLabel('统一社会信用代码').fill(ENT.uscc.slice(0, 17) + (ENT.uscc[17] === '0' ? '1' : '0'));
  await dlg.getByLabel('企业名称').fill(ENT.name);
  await dlg.getByRole('button', { name: '保存' }).click();
  await dlg.getByText('校验码（最后一位）不正确').waitFor();
  await dlg.getByLabel('统一社会信用代码').fill(ENT.uscc);
  await dlg.getByLabel('企业名称').click();
  assert.equal(await dlg.getByLabel('行政区划代码').inputValue(), '320115', 'region from the credit code');
  await dlg.getByLabel('行业门类').selectOption({ label: 'I 信息传输、软件和信息技术服务业' });
  await dlg.getByLabel('从业人数').fill('8');
  await dlg.getByLabel('年营业收入（元）').fill('1,234,567.89');
  await dlg.getByLabel('小规模纳税人').selectOption({ label: '是' });
  await dlg.getByLabel('企业工会筛选').fill('华建');
  await dlg.getByLabel('企业工会', { exact: true }).selectOption({ label: '江苏华建建设集团有限公司工会（基层）' });
  await dlg.getByLabel('开户银行').fill('中国银行南京江宁支行');
  await dlg.getByLabel('银行账号').fill('6217 0000 1234 5678 901');
  await dlg.getByLabel('联系人').fill('张会计');
  await dlg.getByRole('button', { name: '保存' }).click();
  // With a union the founding date is needed.
  await dlg.getByText('已建会的企业须填写建会日期').waitFor();
  await dlg.getByLabel('建会日期').fill('2021-03-01');
  await shot(page, 'money-enterprise-add');
  await dlg.getByRole('button', { name: '保存' }).click();
  await page.getByText(`已登记企业 ${ENT.name}`).waitFor();
  const row = page.getByRole('row', { name: new RegExp(ENT.name) });
  await row.getByText('6217***********8901').waitFor();
  await row.getByText('江苏华建建设集团有限公司工会').waitFor();
  await row.getByText('信息技术').waitFor();
  const found = await admin.get(`/api/v1/enterprises?q=${ENT.uscc}`);
  const ent = found.body.items[0];
  assert.equal(ent.annual_revenue_fen, 123456789, 'yuan typed with a separator → exact integer fen');
  state.enterpriseId = ent.id;
  await shot(page, 'money-enterprises');

  // The detail: masked account, revealed with a reason.
  await row.getByRole('link', { name: ENT.name }).click();
  const card = page.getByRole('region', { name: '企业档案' });
  await card.getByRole('heading', { name: ENT.name }).waitFor();
  await card.getByText('1,234,567.89 元').waitFor();
  assert.equal(await page.getByText(ENT.account).count(), 0, 'the full account is not on the page');
  await card.getByRole('button', { name: '查看完整银行账号' }).click();
  const rd = page.getByRole('dialog', { name: '查看完整银行账号' });
  await rd.getByLabel('事由').fill('核对返还收款账户');
  await rd.getByRole('button', { name: '查看' }).click();
  await rd.getByText(ENT.account).waitFor();
  await rd.getByRole('button', { name: '完成' }).click();
  await rd.waitFor({ state: 'detached' });
  assert.equal(await page.getByText(ENT.account).count(), 0, 'the account leaves the page with the dialog');

  // 2. Fee payments for 2023H1: March is 1,900 where 2% of the payroll is 2,000.
  await menuLink(page, '经费缴纳').click();
  await page.getByRole('link', { name: '导入缴费' }).click();
  await page.getByRole('heading', { name: '导入缴费' }).waitFor();
  const pay = (m, amount) =>
    `${ENT.uscc},2023-${m},100000.00,${amount},2023-${String(Number(m) + 1).padStart(2, '0')}-15,工会经费`;
  const csv = `\ufeff统一社会信用代码,所属期,工资总额,缴纳金额,缴款日期,类型\n${pay('01', '2000.00')}\n${pay('02', '2000.00')}\n${pay('03', '1900.00')}\n${pay('04', '2000.00')}\n${pay('05', '2000.00')}\n${pay('06', '2000.00')}\n`;
  const file = { name: '2023上半年缴费.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') };
  await page.locator('input[type=file]').setInputFiles(file);
  await page.getByRole('button', { name: '试导入' }).click();
  await page.getByText('检查通过，共 6 行').waitFor();
  const flaggedTable = page.getByRole('table', { name: '金额待核的行' });
  await flaggedTable
    .getByRole('row', { name: /第 4 行/ })
    .getByText('按工资总额 2% 应缴 2000.00 元，实缴 1900.00 元')
    .waitFor();
  await page.getByRole('button', { name: '正式导入' }).click();
  await page.getByRole('dialog', { name: '正式导入' }).getByRole('button', { name: '开始导入' }).click();
  await page.getByText('导入成功，新增 6 条缴费记录，合计 11,900.00 元').waitFor();
  await flaggedTable.getByRole('row', { name: /第 4 行/ }).waitFor();
  await page.getByText('已导入并标记为待核').waitFor();
  await shot(page, 'money-fee-import');
  // The same file again: nothing new, nothing posted twice.
  await page.getByRole('button', { name: '正式导入' }).click();
  await page.getByRole('dialog', { name: '正式导入' }).getByRole('button', { name: '开始导入' }).click();
  await page.getByText('文件中的 6 行都已导入过，本次没有新增记录').waitFor();
  await shot(page, 'money-fee-import-again');
  // A bad row: the whole file is refused and the row reported.
  await page.locator('input[type=file]').setInputFiles({
    ...file,
    buffer: Buffer.from(`${csv}${ENT.uscc},2023-13,1.00,0.02,2023-07-15,工会经费\n`, 'utf8'),
  });
  await page.getByRole('button', { name: '试导入' }).click();
  const errs = page.getByRole('table', { name: '错误明细' });
  await errs
    .getByRole('row', { name: /第 8 行/ })
    .getByText('所属期', { exact: true })
    .waitFor();

  // The list: the flagged payment only.
  await page.getByRole('link', { name: '返回经费缴纳' }).click();
  const search = page.getByRole('search');
  await search.getByLabel('核对结果').selectOption({ label: '只看待核' });
  await search.getByRole('button', { name: '查询' }).click();
  const frow = page.getByRole('row', { name: new RegExp(ENT.name) });
  await frow.getByText('待核').waitFor();
  await frow.getByText('1,900.00').waitFor();
  await frow.getByText('2023-03', { exact: true }).waitFor();
  const listed = page.getByRole('table', { name: '经费缴纳记录' });
  assert.equal(await listed.getByText('相符', { exact: true }).count(), 0, 'only flagged payments');
  assert.equal(await frow.count(), 1, 'one flagged payment of ours');
  await shot(page, 'money-fee-payments');

  // 3. The refund run for 南京市总工会, 2023H1.
  await menuLink(page, '经费返还').click();
  await page.getByRole('heading', { name: '经费返还' }).waitFor();
  await page
    .getByRole('region', { name: '返还成效' })
    .getByText(/累计为11户小微企业返还工会经费33\.35万元/)
    .waitFor();
  await page.getByRole('button', { name: '发起返还计算' }).click();
  const sd = page.getByRole('dialog', { name: '发起返还计算' });
  await sd.getByLabel('返还组织', { exact: true }).selectOption({ label: '南京市总工会（市级）' });
  await sd.getByLabel('返还期间').selectOption('2023H1');
  await sd.getByRole('button', { name: '开始计算' }).click();
  await page.waitForURL(/#\/refunds\/\d+$/);
  state.runId = Number(page.url().match(/refunds\/(\d+)$/)[1]);
  const run = page.getByRole('region', { name: '返还批次' });
  await run.getByRole('heading', { name: '南京市总工会 · 2023 年上半年返还' }).waitFor();
  await run.getByText('待审批', { exact: true }).waitFor();
  await page
    .getByRole('table', { name: '返还明细' })
    .getByRole('row', { name: new RegExp(ENT.name) })
    .getByText('11,900.00')
    .waitFor();
  await run.getByText('本批次由您发起').waitFor();
  // nj_officer prepared it: the server refuses the approval and we show why.
  await run.getByRole('button', { name: '审批通过' }).click();
  const ad = page.getByRole('dialog', { name: '审批返还批次' });
  await ad.getByRole('button', { name: '审批通过' }).click();
  await ad.getByText('不能审批自己发起的返还批次，须由另一名工作人员审批').waitFor();
  await shot(page, 'money-refund-maker-checker');
  await ad.getByRole('button', { name: '取消' }).click();
  await shot(page, 'money-refund-run-computed');
  noProblems(page);

  // 4. js_officer approves, downloads the bank file and uploads the result.
  const js = await staff('js_officer');
  await js.goto(`/console/#/refunds/${state.runId}`);
  const jrun = js.getByRole('region', { name: '返还批次' });
  await jrun.getByText('待审批', { exact: true }).waitFor();
  await jrun.getByRole('button', { name: '审批通过' }).click();
  await js.getByRole('dialog', { name: '审批返还批次' }).getByRole('button', { name: '审批通过' }).click();
  await js.getByText('已审批通过').waitFor();
  await jrun.getByText('已审批', { exact: true }).waitFor();
  await jrun.getByText('江苏省总 王建平').waitFor();
  await jrun.getByRole('button', { name: '下载银行付款文件' }).click();
  const bd = js.getByRole('dialog', { name: '下载银行付款文件' });
  const [dl] = await Promise.all([js.waitForEvent('download'), bd.getByRole('button', { name: '生成并下载' }).click()]);
  assert.equal(dl.suggestedFilename(), '返还付款文件.csv');
  const bank = (await bytesOf(dl))
    .toString('utf8')
    .replace(/^\ufeff/, '')
    .trim()
    .split(/\r?\n/);
  assert.match(bank[0], /^收款账号,收款户名,金额,参考号/);
  assert.equal(bank.length, 2, 'one payment');
  assert.ok(bank[1].includes(ENT.account), 'the full account number is in the bank file');
  assert.ok(bank[1].includes(',11900.00,'), 'amount in yuan');
  const ref = bank[1].split(',')[3];
  assert.match(ref, /^RF\d+-1$/);
  await js.getByText('已下载 返还付款文件.csv').waitFor();
  await js.getByRole('table', { name: '返还明细' }).getByText('付款中').waitFor();
  // The bank says it was paid.
  await jrun.getByRole('button', { name: '导入银行回单' }).click();
  const rdlg = js.getByRole('dialog', { name: '导入银行回单' });
  await rdlg.locator('input[type=file]').setInputFiles({
    name: '回单.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`参考号,结果,原因,日期\n${ref},成功,,\n`, 'utf8'),
  });
  await rdlg.getByRole('button', { name: '导入', exact: true }).click();
  await rdlg.getByText('回单已导入：付款成功 1 笔，失败 0 笔').waitFor();
  await shot(js, 'money-bank-result');
  await rdlg.getByRole('button', { name: '完成' }).click();
  await jrun.getByText('已完成', { exact: true }).waitFor();
  await js.getByRole('table', { name: '返还明细' }).getByText('已付款').waitFor();
  await shot(js, 'money-refund-run-closed');
  // A finished run offers no more bank actions, and says why.
  await jrun.getByText(/本批次已完成/).waitFor();
  assert.equal(await jrun.getByRole('button', { name: '导入银行回单' }).count(), 0);
  assert.equal(await jrun.getByRole('button', { name: '下载银行付款文件' }).count(), 0);
  noProblems(js);
  await js.context().close();

  // 5. The enterprise shows the refund as paid; the figures count it.
  await page.goto(`/console/#/enterprises/${state.enterpriseId}`);
  const refunds = page.getByRole('region', { name: '经费返还记录' });
  const rrow = refunds.getByRole('row', { name: /2023 年上半年/ });
  await rrow.getByText('已付款').waitFor();
  await rrow.getByText('11,900.00').first().waitFor();
  // paid today (China time): a bank result dated before the file went out is refused
  await rrow.getByText(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)).waitFor();
  await page.getByRole('region', { name: '经费缴纳记录' }).getByText('待核').waitFor();
  await shot(page, 'money-enterprise-detail');
  await menuLink(page, '返还统计').click();
  const head = page.getByRole('region', { name: '返还成效' });
  await head.getByText(/^截至\d{4}年(底|\d{1,2}月)，累计为12户小微企业返还工会经费34\.54万元$/).waitFor();
  await page.getByRole('table', { name: '按年度和地区' }).getByText('345,350.01').first().waitFor();
  const [xl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '导出 Excel' }).click(),
  ]);
  assert.equal(xl.suggestedFilename(), '经费返还统计.xlsx');
  assert.equal((await bytesOf(xl)).subarray(0, 2).toString(), 'PK', 'an xlsx (zip) file');
  await shot(page, 'money-refund-stats');
  noProblems(page);
  await page.context().close();
});

test('the enterprise logs in and sees its payments and refunds', async () => {
  assert.ok(state.enterpriseId, 'runs after the main path');
  const u = await admin.post('/api/v1/users', {
    login: 'ent_test',
    display_name: '南京小微测试科技',
    role: 'enterprise',
    enterprise_id: state.enterpriseId,
    password: 'Qiye#2026a',
  });
  assert.equal(u.status, 201, JSON.stringify(u.body));
  const page = await newPage(browser, { baseURL: srv.url, viewport: PHONE, mobile: true });
  await logIn(page, 'ent_test', 'Qiye#2026a');
  await page.waitForURL(/\/e\/$/);
  await page.getByRole('heading', { name: ENT.name }).waitFor();
  const info = page.getByRole('region', { name: '企业信息' });
  await info.getByText('6217***********8901').waitFor();
  await info.getByText('江苏华建建设集团有限公司工会').waitFor();
  const refunds = page.getByRole('region', { name: '经费返还记录' });
  await refunds.getByText('已付款').waitFor();
  await refunds.getByText('11,900.00').first().waitFor();
  const payments = page.getByRole('region', { name: '经费缴纳记录' });
  await payments.getByText('共 6 条').waitFor();
  await payments.getByText('待核').waitFor();
  assert.ok((await horizontalOverflow(page)) <= 0, 'fits the phone');
  await shot(page, 'money-enterprise-home-phone');
  // The console is not for enterprises.
  await page.goto('/console/');
  await page.waitForURL(/\/e\/$/);
  await page.getByRole('button', { name: '退出' }).click();
  await page.waitForURL('**/login.html');
  noProblems(page);
  await page.context().close();

  const desk = await newPage(browser, { baseURL: srv.url });
  await logIn(desk, 'ent_test', 'Qiye#2026a');
  await desk.waitForURL(/\/e\/$/);
  await desk.getByRole('region', { name: '经费返还记录' }).getByText('已付款').waitFor();
  await shot(desk, 'money-enterprise-home');
  noProblems(desk);
  await desk.context().close();
});

// Accounts show their 工会会计制度 code and name, never the internal key.
async function noLedgerKeys(page) {
  const text = await page.locator('main').innerText();
  for (const key of ['fee_income', 'fee_clearing', 'bank', 'refund_expense', 'refund_payable', 'fund_balance'])
    assert.ok(!new RegExp(`\\b${key}\\b`).test(text), `internal key ${key} on screen`);
}

test('the ledger: balances, a reversal, the trial balance export and the check', async () => {
  // A manual correction (手工记账) to reverse: business postings are corrected
  // through their own process and show no 冲销 button.
  const nj = await new Client(srv.url).login('nj_officer', DEMO_PASSWORD);
  const accts = (await nj.get('/api/v1/ledger/accounts?per_page=100')).body.items;
  const hjIncome = accts.find((a) => a.org_name === '江苏华建建设集团有限公司工会' && a.code === 'fee_income');
  const jnIncome = accts.find((a) => a.org_name === '江宁区总工会' && a.code === 'fee_income');
  const manual = await nj.post('/api/v1/ledger/transfers', {
    debit_account_id: jnIncome.id,
    credit_account_id: hjIncome.id,
    amount_fen: 123456,
    memo: '分成差错调整',
    client_key: 'browser-test-1',
  });
  assert.equal(manual.status, 201, JSON.stringify(manual.body));
  const page = await staff('nj_officer');
  await menuLink(page, '账簿').click();
  await page.getByRole('heading', { name: '账簿' }).waitFor();
  const arow = page.getByRole('row', { name: /江苏华建建设集团有限公司工会.*402.*拨缴经费收入/ });
  await arow.waitFor();
  await shot(page, 'money-ledger-accounts');
  // The union's fee income, then the transfers behind it.
  await arow.getByRole('button', { name: '明细' }).click();
  await page.getByText('科目：江苏华建建设集团有限公司工会 · 402 拨缴经费收入').waitFor();
  assert.match(page.url(), /#\/ledger\?tab=transfers&account_id=\d+$/);
  // Receipts are booked on their payment date: March's 60% share of 1,900.00 —
  // a business posting, with no 冲销 on its page.
  const xrow = page.getByRole('row', { name: /2023-04-15.*1,140\.00/ });
  await xrow.waitFor();
  await shot(page, 'money-ledger-transfers');
  await noLedgerKeys(page);
  await xrow.getByRole('link').first().click();
  const rec = page.getByRole('region', { name: '记账记录' });
  await rec.getByText('1,140.00 元').first().waitFor();
  assert.equal(await rec.getByRole('button', { name: '冲销' }).count(), 0);
  // The manual entry can be reversed, once.
  await page.goto(`/console/#/ledger/transfers/${manual.body.id}`);
  await rec.getByText('1,234.56 元').first().waitFor();
  await rec.getByRole('button', { name: '冲销' }).click();
  const rv = page.getByRole('dialog', { name: '冲销记账' });
  await rv.getByRole('button', { name: '确认冲销' }).click();
  await rv.getByText('请填写“冲销原因”').waitFor();
  await rv.getByLabel('冲销原因').fill('测试冲销');
  await rv.getByRole('button', { name: '确认冲销' }).click();
  await page.getByText(/已冲销，冲销记录 #\d+/).waitFor();
  await rec.getByText('冲销记录', { exact: true }).first().waitFor();
  await rec.getByText('测试冲销').waitFor();
  await shot(page, 'money-ledger-reversal');
  // The original now says who reversed it and offers no second reversal.
  await rec.getByRole('link', { name: /^#\d+$/ }).click();
  await rec.getByText('已被冲销').waitFor();
  assert.equal(await rec.getByRole('button', { name: '冲销' }).count(), 0);

  // Trial balance and its Excel export.
  await page.goto('/console/#/ledger?tab=trial');
  await page.getByRole('table', { name: '试算平衡表' }).waitFor();
  await page
    .getByText(/借贷(不)?平衡/)
    .first()
    .waitFor();
  const [xl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '导出 Excel' }).click(),
  ]);
  assert.equal(xl.suggestedFilename(), '试算平衡表.xlsx');
  assert.equal((await bytesOf(xl)).subarray(0, 2).toString(), 'PK');
  await shot(page, 'money-trial-balance');
  await noLedgerKeys(page);
  // No check for officers.
  assert.equal(await page.getByRole('button', { name: '账簿校验' }).count(), 0);
  noProblems(page);
  await page.context().close();

  // The whole province balances, and the ledger check passes (admin).
  const ad = await staff('admin');
  await ad.goto('/console/#/ledger?tab=trial');
  await ad.getByText('借贷平衡：').waitFor();
  await ad.getByRole('button', { name: '账簿校验' }).click();
  const cd = ad.getByRole('dialog', { name: '账簿校验' });
  await cd.getByText('账簿校验通过').waitFor();
  await cd.getByRole('list', { name: '校验结果' }).getByText('哈希链完整').first().waitFor();
  await shot(ad, 'money-ledger-check');
  noProblems(ad);
  await ad.context().close();
});

test('who sees the money pages: auditors read, officers without the duty see none', async () => {
  const au = await staff('auditor');
  await menuLink(au, '企业名录').click();
  await au.getByRole('heading', { name: '企业名录' }).waitFor();
  await au.getByText('共 25 条').waitFor();
  assert.equal(await au.getByRole('button', { name: '新增企业' }).count(), 0, 'auditors do not register');
  await menuLink(au, '经费返还').click();
  await au.getByRole('row', { name: /2023 年上半年/ }).waitFor();
  assert.equal(await au.getByRole('button', { name: '发起返还计算' }).count(), 0);
  noProblems(au);
  await au.context().close();

  const jn = await staff('jn_officer');
  await jn.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '首页' }).waitFor();
  assert.equal(await menuLink(jn, '企业名录').count(), 0, 'no finance duty, no money menu');
  assert.equal(await jn.locator('#c-side').getByText('经费与账务').count(), 0);
  // the home page says which duty the money pages need, and so does a money page opened by its address
  await jn.getByRole('region', { name: '常用功能' }).getByText('需要经费财务职责').first().waitFor();
  await jn.goto('/console/#/refunds');
  await jn.getByText('需要经费财务职责', { exact: true }).waitFor();
  noProblems(jn);
  await jn.context().close();
});

test('the money pages fit a phone', async () => {
  assert.ok(state.runId && state.enterpriseId, 'runs after the main path');
  const page = await staff('nj_officer', { viewport: PHONE, mobile: true });
  await page
    .getByRole('region', { name: /经费与返还/ })
    .getByText('缴费待核')
    .waitFor();
  assert.ok((await horizontalOverflow(page)) <= 0, 'home');
  await shot(page, 'money-home-phone');
  for (const [hash, ready, name] of [
    ['#/enterprises', () => page.getByText('共 25 条'), 'money-enterprises-phone'],
    [
      `#/enterprises/${state.enterpriseId}`,
      () => page.getByRole('region', { name: '经费返还记录' }).getByText('已付款'),
      'money-enterprise-detail-phone',
    ],
    ['#/enterprises/import', () => page.getByRole('heading', { name: '导入企业' }), 'money-enterprise-import-phone'],
    ['#/fee-payments', () => page.getByText('共 870 条'), 'money-fee-payments-phone'],
    ['#/fee-payments/import', () => page.getByRole('heading', { name: '导入缴费' }), 'money-fee-import-phone'],
    ['#/refunds', () => page.getByRole('row', { name: /2023 年上半年/ }), 'money-refunds-phone'],
    [
      `#/refunds/${state.runId}`,
      () => page.getByRole('table', { name: '返还明细' }).getByText('已付款'),
      'money-refund-run-phone',
    ],
    ['#/refund-stats', () => page.getByRole('table', { name: '按年度和地区' }), 'money-refund-stats-phone'],
    [
      '#/ledger',
      () => page.getByRole('table', { name: '科目余额' }).getByText('拨缴经费收入').first(),
      'money-ledger-phone',
    ],
    [
      '#/ledger?tab=transfers',
      () => page.getByRole('table', { name: '记账明细' }).locator('tbody tr').first(),
      'money-ledger-transfers-phone',
    ],
    ['#/ledger?tab=trial', () => page.getByRole('table', { name: '试算平衡表' }), 'money-trial-balance-phone'],
  ]) {
    await page.goto(`/console/${hash}`);
    await ready().waitFor();
    await page.waitForLoadState('networkidle');
    assert.ok((await horizontalOverflow(page)) <= 0, `${hash} fits`);
    await shot(page, name);
  }
  // The refund dialog on a phone.
  await page.goto('/console/#/refunds');
  await page.getByRole('button', { name: '发起返还计算' }).click();
  await page.getByRole('dialog', { name: '发起返还计算' }).getByLabel('返还期间').waitFor();
  await shot(page, 'money-refund-start-phone');
  noProblems(page);
  await page.context().close();
});
