// Excel export of lists (?format=xlsx): the workbook holds exactly the rows
// of the JSON list for the same filter across all its pages, in the same
// order, under Chinese headers; personal data is masked exactly as in the
// JSON list; every export of personal data is in the audit log with its
// filter and row count; rows outside the reader's scope never appear; a bad
// format is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { idFor, mobileFor } from '../lib/ids.js';
import { readXlsx, unzip } from '../lib/xlsx.js';
// the words a workbook shows for coded values: the pages' own labels
import { EMPLOYMENT_FORMS, MEMBER_STATUS, JOIN_STATUS, RUN_STATUS, OUTCOMES } from '../../ui/js/lib/format.js';
import { GRANT_STATUS, CLAIM_STATUS, CATEGORIES } from '../../ui/js/lib/hardship-labels.js';
import { BOOKING_STATUS } from '../../ui/js/lib/retreat.js';

let srv, anon, admin, nj, sz, auditor;
const org = {};

async function orgId(name) {
  const r = await admin.get('/api/v1/orgs?q=' + encodeURIComponent(name));
  return r.body.items.find((o) => o.name === name).id;
}

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  sz = await anon.login('sz_officer', DEMO_PASSWORD);
  auditor = await anon.login('auditor', DEMO_PASSWORD);
  for (const n of ['南京紫金软件股份有限公司工会', '苏州平江路文旅发展有限公司工会']) org[n] = await orgId(n);
  // enough members on each side for several pages
  for (let i = 0; i < 12; i++) {
    const nanjing = i % 3 !== 0;
    const c = nanjing ? nj : sz;
    const r = await c.post('/api/v1/members', {
      name: `导出测试${i}`,
      id_number: idFor(9100 + i),
      mobile: mobileFor(9100 + i),
      org_id: org[nanjing ? '南京紫金软件股份有限公司工会' : '苏州平江路文旅发展有限公司工会'],
      employment_form: i % 2 ? 'employee' : 'courier',
      frontline: i % 4 === 0,
      join_date: '2021-05-01',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
});
after(async () => srv && srv.stop());

const sep = (path) => (path.includes('?') ? '&' : '?');

// Every item of a JSON list, page by page.
async function allPages(c, path, per = 7) {
  const items = [];
  for (let page = 1; page < 1000; page++) {
    const r = await c.get(`${path}${sep(path)}page=${page}&per_page=${per}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    items.push(...r.body.items);
    if (r.body.items.length < per) break;
  }
  return items;
}

// The export of a list: its file name, header row and data rows.
async function exported(c, path) {
  const res = await fetch(`${srv.url}${path}${sep(path)}format=xlsx`, {
    headers: { Authorization: `Bearer ${c.token}` },
  });
  const buf = Buffer.from(await res.arrayBuffer());
  assert.equal(res.status, 200, buf.toString('utf8'));
  assert.match(res.headers.get('content-type'), /spreadsheetml\.sheet/);
  const cd = res.headers.get('content-disposition');
  const m = cd.match(/filename\*=UTF-8''([^;]+)/);
  assert.ok(m, cd);
  const rows = readXlsx(buf);
  return { name: decodeURIComponent(m[1]), headers: rows[0], rows: rows.slice(1), buf };
}

// The cells a JSON item shows under the given headers (money in yuan,
// true/false as 是/否, coded values as their words, absent as null).
function cells(item, headers, keys, money = [], words = {}) {
  return headers.map((h) => {
    const k = keys[h];
    if (!k) return undefined;
    const v = item[k];
    if (v === null || v === undefined) return null;
    if (money.includes(k)) return v / 100;
    if (typeof v === 'boolean') return v ? '是' : '否';
    if (words[k]) return words[k][v] ?? v;
    return v;
  });
}

function sameRows(ex, items, keys, money, words) {
  assert.equal(ex.rows.length, items.length, 'one row per item of the list');
  for (const h of Object.keys(keys)) assert.ok(ex.headers.includes(h), `column ${h} in ${ex.headers.join(',')}`);
  items.forEach((it, i) => {
    const want = cells(it, ex.headers, keys, money, words);
    const got = ex.rows[i].slice(0, ex.headers.length).map((v, j) => (want[j] === undefined ? undefined : (v ?? null)));
    while (got.length < want.length) got.push(want[got.length] === undefined ? undefined : null);
    assert.deepEqual(got, want, `row ${i + 1}`);
  });
}

function chineseHeaders(ex) {
  assert.ok(ex.headers.length > 3);
  for (const h of ex.headers) assert.match(h, /[\u4e00-\u9fff]/, `header ${h} is Chinese`);
}

async function auditEntry(action) {
  const r = await admin.get(`/api/v1/audit?action=${action}&per_page=1`);
  assert.equal(r.status, 200);
  return r.body.items[0];
}

test('members: the export is the filtered list across all pages, masked, in scope, audited', async () => {
  const path = '/api/v1/members?employment_form=courier';
  const items = await allPages(nj, path, 3);
  assert.ok(items.length > 3, 'more than one page');
  const ex = await exported(nj, path);
  assert.equal(ex.name, '会员名单.xlsx');
  chineseHeaders(ex);
  sameRows(
    ex,
    items,
    {
      编号: 'id',
      姓名: 'name',
      身份证号: 'id_number_masked',
      手机号: 'mobile_masked',
      所属工会: 'org_name',
      就业形态: 'employment_form',
      一线职工: 'frontline',
      会员证号: 'card_no',
      会籍状态: 'status',
    },
    [],
    { employment_form: EMPLOYMENT_FORMS, status: MEMBER_STATUS },
  );
  // never a full ID number or mobile, anywhere in the file
  const text = [...unzip(ex.buf).values()].map((b) => b.toString('utf8')).join('');
  for (let i = 0; i < 12; i++) {
    assert.ok(!text.includes(idFor(9100 + i)), 'no full ID number');
    assert.ok(!text.includes(mobileFor(9100 + i)), 'no full mobile');
  }
  // out of scope: Suzhou's members never appear in Nanjing's export
  const names = ex.rows.map((r) => r[ex.headers.indexOf('所属工会')]);
  assert.ok(!names.includes('苏州平江路文旅发展有限公司工会'));
  const szItems = await allPages(sz, path, 50);
  const ids = new Set(ex.rows.map((r) => r[0]));
  for (const it of szItems) assert.ok(!ids.has(it.id), 'a Suzhou member in the Nanjing export');
  const a = await auditEntry('member.export');
  assert.equal(a.actor_login, 'nj_officer');
  assert.equal(a.outcome, 'ok');
  assert.deepEqual(a.detail.filter, { employment_form: 'courier' });
  assert.equal(a.detail.rows, items.length);
  assert.equal(a.detail.truncated, false);
});

test('fee payments: money in yuan, the filter applied, all pages', async () => {
  const path = '/api/v1/fee-payments?from=2020-01';
  const items = await allPages(nj, path, 20);
  assert.ok(items.length > 0, 'demo payments');
  const ex = await exported(nj, path);
  assert.equal(ex.name, '工会经费缴费记录.xlsx');
  chineseHeaders(ex);
  sameRows(
    ex,
    items,
    {
      编号: 'id',
      企业名称: 'enterprise_name',
      所属月份: 'month',
      '缴费金额（元）': 'amount_fen',
      '工资总额（元）': 'payroll_fen',
      存疑: 'flagged',
    },
    ['amount_fen', 'payroll_fen'],
  );
});

test('hardship files: names masked as in the list, the export audited, scope kept', async () => {
  const path = '/api/v1/hardship/files?status=open';
  const items = await allPages(nj, path, 2);
  assert.ok(items.length > 2, 'demo files over several pages');
  const ex = await exported(nj, path);
  assert.equal(ex.name, '困难职工档案.xlsx');
  chineseHeaders(ex);
  assert.ok(!ex.headers.includes('member_name'));
  sameRows(
    ex,
    items,
    {
      档案编号: 'id',
      姓名: 'member_name_masked',
      身份证号: 'id_number_masked',
      所属工会: 'org_name',
      困难类别: 'category',
      复核逾期: 'review_overdue',
    },
    [],
    { category: CATEGORIES },
  );
  for (const it of items) assert.equal(it.member_name, undefined, 'masked in the list');
  const a = await auditEntry('hardship.export');
  assert.equal(a.actor_login, 'nj_officer');
  assert.deepEqual(a.detail.filter, { status: 'open' });
  assert.equal(a.detail.rows, items.length);
  const szItems = await allPages(sz, path, 50);
  const ids = new Set(ex.rows.map((r) => r[0]));
  for (const it of szItems) assert.ok(!ids.has(it.id), 'a Suzhou file in the Nanjing export');
});

test('enterprises and refund runs export; an auditor may export what they may list', async () => {
  const items = await allPages(nj, '/api/v1/enterprises', 5);
  assert.ok(items.length > 0, 'demo enterprises');
  const ex = await exported(nj, '/api/v1/enterprises');
  assert.equal(ex.name, '企业名录.xlsx');
  chineseHeaders(ex);
  sameRows(ex, items, {
    编号: 'id',
    统一社会信用代码: 'uscc',
    企业名称: 'name',
    银行账号: 'account_masked',
    已建会: 'has_union',
  });
  const runs = await allPages(auditor, '/api/v1/refund-runs', 5);
  assert.ok(runs.length > 0, 'demo refund runs');
  const rx = await exported(auditor, '/api/v1/refund-runs');
  assert.equal(rx.name, '经费返还批次.xlsx');
  sameRows(rx, runs, { 批次编号: 'id', 状态: 'status', '返还金额（元）': 'amount_fen' }, ['amount_fen'], {
    status: RUN_STATUS,
  });
});

test('join requests and users: filtered, audited when personal', async () => {
  const join = await allPages(nj, '/api/v1/join-requests?status=all', 5);
  assert.ok(join.length > 0, 'demo join requests');
  const jx = await exported(nj, '/api/v1/join-requests?status=all');
  assert.equal(jx.name, '入会申请.xlsx');
  sameRows(jx, join, { 编号: 'id', 姓名: 'name', 手机号: 'mobile_masked', 状态: 'status' }, [], {
    status: JOIN_STATUS,
  });
  const a = await auditEntry('join.export');
  assert.equal(a.detail.rows, join.length);
  const users = await allPages(admin, '/api/v1/users?role=officer', 3);
  assert.ok(users.length > 3, 'officers over several pages');
  const ux = await exported(admin, '/api/v1/users?role=officer');
  assert.equal(ux.name, '账号.xlsx');
  sameRows(ux, users, { 编号: 'id', 登录名: 'login', 姓名: 'display_name', 已锁定: 'locked' });
});

test('aid grants, mutual-aid claims and bookings: masked and audited', async () => {
  for (const [path, name, action, keys, status] of [
    [
      '/api/v1/aid/grants',
      '困难救助发放.xlsx',
      'aid.export',
      { 编号: 'id', 姓名: 'member_name_masked', 身份证号: 'id_number_masked', 状态: 'status' },
      GRANT_STATUS,
    ],
    [
      '/api/v1/mutual-aid/claims',
      '医疗互助金申请.xlsx',
      'mutual_aid.export',
      { 编号: 'id', 姓名: 'member_name_masked', 状态: 'status' },
      CLAIM_STATUS,
    ],
    [
      '/api/v1/retreat/bookings',
      '疗休养预订.xlsx',
      'retreat.export',
      { 编号: 'id', 姓名: 'member_name', 手机号: 'mobile_masked', 状态: 'status' },
      BOOKING_STATUS,
    ],
  ]) {
    const items = await allPages(nj, path, 3);
    assert.ok(items.length > 0, `demo rows of ${path}`);
    const ex = await exported(nj, path);
    assert.equal(ex.name, name);
    chineseHeaders(ex);
    sameRows(ex, items, keys, [], { status });
    assert.ok(!ex.headers.includes('医院'), 'no hospital in a claims export');
    const a = await auditEntry(action);
    assert.equal(a.actor_login, 'nj_officer');
    assert.equal(a.detail.rows, items.length, path);
  }
});

test('ledger transfers and the audit log: nested sides under their own headers, filters kept', async () => {
  const path = '/api/v1/ledger/transfers?from=2000-01-01';
  const items = await allPages(nj, path, 25);
  assert.ok(items.length > 25, 'several pages of transfers');
  const ex = await exported(nj, path);
  assert.equal(ex.name, '账簿转账.xlsx');
  chineseHeaders(ex);
  // the sides in the union's chart of accounts, never the internal key
  const flat = items.map((t) => ({ ...t, dcode: t.debit.chart_code, corg: t.credit.org_name }));
  sameRows(
    ex,
    flat,
    { 编号: 'id', 借方科目编号: 'dcode', 贷方组织: 'corg', '金额（元）': 'amount_fen', 记账日期: 'value_date' },
    ['amount_fen'],
  );
  assert.ok(!ex.headers.some((h) => /代码/.test(h)), 'no internal account key column');
  const logPath = '/api/v1/audit?action=member.';
  const log = await allPages(auditor, logPath, 10);
  const lx = await exported(auditor, logPath);
  assert.equal(lx.name, '审计日志.xlsx');
  sameRows(lx, log, { 序号: 'seq', 操作人: 'actor_login', 操作: 'action', 结果: 'outcome' }, [], { outcome: OUTCOMES });
  for (const r of lx.rows) assert.match(r[lx.headers.indexOf('操作')], /^member\./);
});

test('the same rules as the list: a bad filter or format is refused, the duty still needed', async () => {
  const bad = await nj.get('/api/v1/members?status=nope&format=xlsx');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'status');
  const fmt = await nj.get('/api/v1/members?format=pdf');
  assert.equal(fmt.status, 400);
  assert.equal(fmt.body.error.field, 'format');
  const json = await nj.get('/api/v1/members?format=json&per_page=2');
  assert.equal(json.status, 200);
  assert.equal(json.body.items.length, 2);
  const anonX = await anon.get('/api/v1/members?format=xlsx');
  assert.equal(anonX.status, 401);
  const noDuty = await auditor.get('/api/v1/hardship/files?format=xlsx');
  assert.equal(noDuty.status, 403);
});
