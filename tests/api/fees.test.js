// Union fees and refunds over HTTP and the CLI: payment files checked row by
// row (flagged, skipped, refused), the split on receipt through the ledger,
// refund runs that are idempotent and safe to kill, maker/checker approval,
// bank files paid exactly once, and the ledger check after all of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, runCli, BIN, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { usccFor } from '../lib/uscc.js';
import { rawSql } from '../lib/sql.js';

let srv, anon, admin, js, nj, jn, org;

async function poll(c, jobId) {
  for (let i = 0; i < 1200; i++) {
    const j = await c.get(`/api/v1/jobs/${jobId}`);
    if (j.body.status === 'done' || j.body.status === 'failed') return j.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('job did not finish');
}

async function upload(c, url, text) {
  const r = await c.req('POST', url, Buffer.from(text), { raw: true, headers: { 'Content-Type': 'text/csv' } });
  if (r.status !== 202) return { status: 'http', http: r };
  return poll(c, r.body.job_id);
}

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  js = await anon.login('js_officer', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  jn = await anon.login('jn_officer', DEMO_PASSWORD);
  org = {};
  for (const o of (await admin.get('/api/v1/orgs?per_page=100')).body.items) org[o.name] = o.id;
  // 2023 rules for these tests: refunds of the upper unions' share to
  // small-scale enterprises, automatic
  const p = await js.post('/api/v1/policies', {
    kind: 'refund',
    org_id: org['江苏省总工会'],
    effective_from: '2023-01-01',
    params: {
      from: '2023-01-01',
      to: '2023-12-31',
      share: 'upper',
      mode: 'automatic',
      prep_fee_on_founding: true,
      qualify: { small_scale: true, thresholds: [] },
    },
  });
  assert.equal(p.status, 201, JSON.stringify(p.body));
});
after(async () => srv && srv.stop());

const E = (i) => usccFor(50000 + i);

async function makeEnterprises(n, from = 0, { union = true, small = true } = {}) {
  let csv =
    '统一社会信用代码,企业名称,行政区划代码,行业,从业人数,营业收入,小规模纳税人,工会组织编号,建会日期,开户银行,户名,银行账号\n';
  for (let i = from; i < from + n; i++) {
    csv += `${E(i)},测试经费企业${i}有限公司,320115,F,12,800000.00,${small ? '是' : '否'},${union ? org['江苏华建建设集团有限公司工会'] : ''},${union ? '2021-03-01' : ''},中国银行,测试经费企业${i}有限公司,6216${String(i).padStart(12, '0')}\n`;
  }
  const j = await upload(nj, `/api/v1/enterprises/import?org_id=${org['江宁区总工会']}`, csv);
  assert.equal(j.status, 'done', JSON.stringify(j));
  assert.equal(j.result.error_count, 0, JSON.stringify(j.result.errors));
  return j.result.imported;
}

function payments(from, n, months, { year = 2023, off = -1 } = {}) {
  let csv = '统一社会信用代码,所属期,工资总额,缴纳金额,缴款日期,类型\n';
  for (let i = from; i < from + n; i++) {
    for (let m = 1; m <= months; m++) {
      const payroll = 1234567 + i * 1000 + m; // fen
      let amt = Math.floor((payroll * 2 + 50) / 100);
      if (i === off && m === 1) amt += 3;
      csv += `${E(i)},${year}-${String(m).padStart(2, '0')},${(payroll / 100).toFixed(2)},${(amt / 100).toFixed(2)},${year}-${String(m).padStart(2, '0')}-20,工会经费\n`;
    }
  }
  return csv;
}

test('payment import: flagged rows imported and listed, re-import changes nothing, split goes through the ledger', async () => {
  assert.equal(await makeEnterprises(5), 5);
  const csv = payments(0, 5, 6, { off: 2 });
  const dry = await upload(nj, `/api/v1/fee-payments/import?org_id=${org['江宁区总工会']}&dry_run=1`, csv);
  assert.equal(dry.result.error_count, 0, JSON.stringify(dry.result.errors));
  assert.equal(dry.result.flagged_count, 1);
  const j = await upload(nj, `/api/v1/fee-payments/import?org_id=${org['江宁区总工会']}`, csv);
  assert.equal(j.result.imported, 30);
  assert.equal(j.result.flagged_count, 1);
  assert.match(j.result.flagged[0].reason, /应缴 .* 元，实缴 .* 元/);
  const total = j.result.amount_fen;
  const again = await upload(nj, `/api/v1/fee-payments/import?org_id=${org['江宁区总工会']}`, csv);
  assert.equal(again.result.imported, 0);
  assert.equal(again.result.skipped_existing, 30);
  // the split: one transfer per receiving org, summing to the money received, not a fen lost
  const t = await js.get(`/api/v1/ledger/transfers?ref_type=fee_import&ref_id=${j.result.import_id}&per_page=100`);
  assert.ok(t.body.total >= 4, 'grassroots, county, city, province, national');
  assert.equal(
    t.body.items.reduce((s, x) => s + x.amount_fen, 0),
    total,
  );
  const grassroots = t.body.items
    .filter((x) => x.credit.org_name === '江苏华建建设集团有限公司工会')
    .reduce((s, x) => s + x.amount_fen, 0);
  // 60% of each payment, rounded down per payment
  assert.ok(Math.abs(grassroots - Math.round(total * 0.6)) <= 30, `${grassroots} vs ${total}`);
  // booked on the day each payment came in
  assert.ok(
    t.body.items.every((x) => /^2023-0[1-6]-20$/.test(x.value_date)),
    t.body.items.map((x) => x.value_date).join(),
  );
  const flagged = await nj.get('/api/v1/fee-payments?flagged=1&per_page=100');
  assert.ok(flagged.body.items.some((p) => p.uscc === E(2)));
});

test('bad payment rows are each reported and nothing is written', async () => {
  const before = (await nj.get('/api/v1/fee-payments?per_page=1')).body.total;
  const bad =
    '统一社会信用代码,所属期,工资总额,缴纳金额,缴款日期,类型\n' +
    `${E(0).slice(0, 17)}0,2023-07,10000.00,200.00,2023-08-15,工会经费\n` + // bad check character
    `${usccFor(99999)},2023-07,10000.00,200.00,2023-08-15,工会经费\n` + // unknown enterprise
    `${E(1)},2023-07,10000.00,-200.00,2023-08-15,工会经费\n` + // negative
    `${E(1)},2023-08,十万,200.00,2023-08-15,工会经费\n` + // not a number
    `${E(1)},2023-09,10000.00,200.00,2023-10-15,工会经费\n` +
    `${E(1)},2023-09,10000.00,200.00,2023-10-15,工会经费\n` + // duplicate row
    `${E(2)},2023-13,10000.00,200.00,2023-10-15,工会经费\n` + // bad month
    `${E(3)},2023-01,10000.00,999.00,2023-02-15,工会经费\n`; // conflicts with the imported January
  const j = await upload(nj, `/api/v1/fee-payments/import?org_id=${org['江宁区总工会']}`, bad);
  const lines = Object.fromEntries(j.result.errors.map((e) => [e.line, e.field]));
  assert.equal(j.result.imported, 0);
  assert.deepEqual(lines, {
    2: 'uscc',
    3: 'uscc',
    4: 'amount_fen',
    5: 'payroll_fen',
    7: 'month',
    8: 'month',
    9: 'amount_fen',
  });
  assert.equal((await nj.get('/api/v1/fee-payments?per_page=1')).body.total, before);
  const noDuty = await jn.req('POST', `/api/v1/fee-payments/import?org_id=${org['江宁区总工会']}`, Buffer.from(bad), {
    raw: true,
    headers: { 'Content-Type': 'text/csv' },
  });
  assert.equal(noDuty.status, 403);
});

test('refund run: idempotent, maker/checker, bank file and result pay each line once', async () => {
  const start = await nj.post('/api/v1/refund-runs', { org_id: org['南京市总工会'], period: '2023H1' });
  assert.equal(start.status, 202);
  const run = (await poll(nj, start.body.job_id)).result;
  assert.equal(run.status, 'computed');
  assert.equal(run.lines, 5);
  // upper share only: 40% of what each paid
  const lines = (await nj.get(`/api/v1/refund-runs/${run.id}/lines?per_page=100`)).body.items;
  assert.equal(
    lines.reduce((s, l) => s + l.amount_fen, 0),
    run.amount_fen,
  );
  // running again creates nothing new
  const again = (
    await poll(
      nj,
      (await nj.post('/api/v1/refund-runs', { org_id: org['南京市总工会'], period: '2023H1' })).body.job_id,
    )
  ).result;
  assert.equal(again.id, run.id);
  assert.equal(again.lines, 5);
  assert.equal(again.amount_fen, run.amount_fen);
  // the maker cannot approve
  const self = await nj.post(`/api/v1/refund-runs/${run.id}/approve`);
  assert.equal(self.status, 403);
  assert.equal(self.body.error.code, 'maker_checker');
  const noFile = await js.post(`/api/v1/refund-runs/${run.id}/bank-file`);
  assert.equal(noFile.status, 409, 'no bank file before approval');
  const ok = await js.post(`/api/v1/refund-runs/${run.id}/approve`);
  assert.equal(ok.status, 200);
  assert.equal(ok.body.status, 'approved');
  assert.equal((await js.post(`/api/v1/refund-runs/${run.id}/approve`)).status, 409);
  // the bank file: full account numbers, one reference per line; audited
  const file = await fetch(`${srv.url}/api/v1/refund-runs/${run.id}/bank-file`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${js.token}` },
  });
  assert.equal(file.status, 200);
  assert.match(file.headers.get('content-disposition'), /attachment/);
  const text = await file.text();
  const refs = [...text.matchAll(/RF\d{8}-1/g)].map((m) => m[0]);
  assert.equal(refs.length, 5);
  assert.match(text, /6216000000000000/);
  // the bank: four paid, one failed
  let result = '参考号,结果,原因,日期\n';
  refs.forEach((r, i) => {
    result += `${r},${i === 0 ? '失败' : '成功'},${i === 0 ? '账号不存在' : ''},\n`;
  });
  const res = await js.req('POST', `/api/v1/refund-runs/${run.id}/bank-result`, Buffer.from(result), {
    raw: true,
    headers: { 'Content-Type': 'text/csv' },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.paid, 4);
  assert.equal(res.body.failed, 1);
  // the same result file again: nothing is paid twice
  const twice = await js.req('POST', `/api/v1/refund-runs/${run.id}/bank-result`, Buffer.from(result), {
    raw: true,
    headers: { 'Content-Type': 'text/csv' },
  });
  assert.equal(twice.body.error_count, 1, "the failed line's old reference is no longer current");
  const paidOnly =
    '参考号,结果\n' +
    refs
      .slice(1)
      .map((r) => `${r},成功`)
      .join('\n') +
    '\n';
  const twice2 = await js.req('POST', `/api/v1/refund-runs/${run.id}/bank-result`, Buffer.from(paidOnly), {
    raw: true,
    headers: { 'Content-Type': 'text/csv' },
  });
  assert.equal(twice2.body.already_paid, 4);
  assert.equal(twice2.body.paid, 0);
  const lineIds = new Set(lines.map((l) => l.id));
  const paidTransfers = (await js.get(`/api/v1/ledger/transfers?ref_type=refund_line&per_page=100`)).body.items.filter(
    (t) => t.memo && t.memo.includes('银行付款') && lineIds.has(t.ref_id),
  );
  assert.equal(paidTransfers.length, 4);
  // the failed line goes out again with a new reference after the account is corrected
  const failedLine = (await js.get(`/api/v1/refund-runs/${run.id}/lines?status=failed`)).body.items[0];
  assert.equal(failedLine.fail_reason, '账号不存在');
  await js.patch(`/api/v1/enterprises/${failedLine.enterprise_id}`, { account_number: '6216 8888 0000 1234' });
  const file2 = await (
    await fetch(`${srv.url}/api/v1/refund-runs/${run.id}/bank-file`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${js.token}` },
    })
  ).text();
  assert.match(file2, /RF\d{8}-2/);
  assert.match(file2, /6216888800001234/);
  const ref2 = file2.match(/RF\d{8}-2/)[0];
  const res3 = await js.req(
    'POST',
    `/api/v1/refund-runs/${run.id}/bank-result`,
    Buffer.from(`参考号,结果\n${ref2},成功\n`),
    { raw: true, headers: { 'Content-Type': 'text/csv' } },
  );
  assert.equal(res3.body.paid, 1);
  assert.equal((await js.get(`/api/v1/refund-runs/${run.id}`)).body.status, 'closed');
  // a closed run is paid in full: no more bank files or results
  const closedFile = await js.post(`/api/v1/refund-runs/${run.id}/bank-file`);
  assert.equal(closedFile.status, 409);
  assert.equal(closedFile.body.error.code, 'run_closed');
  const closedResult = await js.req(
    'POST',
    `/api/v1/refund-runs/${run.id}/bank-result`,
    Buffer.from(`参考号,结果\n${ref2},成功\n`),
    { raw: true, headers: { 'Content-Type': 'text/csv' } },
  );
  assert.equal(closedResult.status, 409);
  assert.equal(closedResult.body.error.code, 'run_closed');
  const audit = await admin.get(`/api/v1/audit?action=refund.bank_file&object_id=${run.id}`);
  assert.equal(audit.body.total, 2);
  const stats = await js.get('/api/v1/refund-stats');
  assert.match(stats.body.sentence, /户小微企业返还工会经费/);
});

test('a rejected run reverses its postings; a transfer is reversed at most once', async () => {
  await makeEnterprises(2, 10);
  const j = await upload(
    nj,
    `/api/v1/fee-payments/import?org_id=${org['江宁区总工会']}`,
    payments(10, 2, 3, { year: 2023 }),
  );
  assert.equal(j.result.error_count, 0);
  const run = (
    await poll(
      nj,
      (await nj.post('/api/v1/refund-runs', { org_id: org['江宁区总工会'], period: '2023H1' })).body.job_id,
    )
  ).result;
  assert.equal(run.lines, 2);
  const rej = await js.post(`/api/v1/refund-runs/${run.id}/reject`, { reason: '数据需复核' });
  assert.equal(rej.status, 200);
  assert.equal(rej.body.status, 'rejected');
  const lines = (await js.get(`/api/v1/refund-runs/${run.id}/lines`)).body.items;
  assert.ok(lines.every((l) => l.status === 'cancelled'));
  const tr = (await js.get('/api/v1/ledger/transfers?ref_type=refund_line&per_page=100')).body.items;
  const reversals = tr.filter((t) => t.reverses_id && lines.some((l) => l.id === t.ref_id));
  assert.equal(reversals.length, 2);
  // postings of a business process are corrected through that process, not by hand
  const again = await js.post(`/api/v1/ledger/transfers/${reversals[0].reverses_id}/reverse`, { reason: '再冲一次' });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'business_posting');
  // the period can be computed again after a rejection: a new run, new lines
  const redo = (
    await poll(
      nj,
      (await nj.post('/api/v1/refund-runs', { org_id: org['江宁区总工会'], period: '2023h1' })).body.job_id,
    )
  ).result;
  assert.notEqual(redo.id, run.id);
  assert.equal(redo.period, '2023H1');
  assert.equal(redo.lines, 2);
  assert.equal(redo.amount_fen, run.amount_fen);
  const check = await admin.get('/api/v1/ledger/check');
  assert.equal(check.body.ok, true, JSON.stringify(check.body.checks));
});

test('a refund run killed with SIGKILL mid-way, run again, refunds every enterprise exactly once', async () => {
  const N = 6000;
  const dir = srv.dir;
  let ents = '统一社会信用代码,企业名称,行政区划代码,行业,从业人数,营业收入,小规模纳税人,工会组织编号,建会日期\n';
  let pays = '统一社会信用代码,所属期,工资总额,缴纳金额,缴款日期,类型\n';
  for (let i = 0; i < N; i++) {
    const code = usccFor(200000 + i, '320102');
    ents += `${code},批量企业${i},320102,F,8,500000.00,是,${org['南京紫金软件股份有限公司工会']},2020-01-01\n`;
    for (let m = 1; m <= 2; m++) pays += `${code},2023-0${m},5000.00,100.00,2023-0${m + 1}-10,工会经费\n`;
  }
  writeFileSync(path.join(dir, 'ents.csv'), ents);
  writeFileSync(path.join(dir, 'pays.csv'), pays);
  const xw = String(org['玄武区总工会']);
  assert.equal(runCli(['import', 'enterprises', path.join(dir, 'ents.csv'), '--org', xw, ...srv.common]).status, 0);
  assert.equal(runCli(['import', 'fees', path.join(dir, 'pays.csv'), '--org', xw, ...srv.common]).status, 0);
  const args = ['refund', 'run', '--period', '2023H1', '--org', xw, ...srv.common];
  // first attempt: killed once it has committed some batches
  const killed = await new Promise((resolve) => {
    const p = spawn(BIN, args, { env: { ...process.env, GONGHUI_ARGON2_FAST: '1', ASAN_OPTIONS: 'detect_leaks=0' } });
    let err = '';
    p.stderr.on('data', (d) => {
      err += d;
      if (/已计算 1000 \//.test(err)) p.kill('SIGKILL');
    });
    p.on('exit', (code, sig) => resolve(sig));
  });
  const partial = Number(
    rawSql(
      srv.db.url,
      `SELECT COUNT(*) FROM refund_lines l JOIN refund_runs r ON r.id = l.run_id WHERE r.period = '2023H1' AND r.org_id = ${xw}`,
    ),
  );
  assert.equal(killed, 'SIGKILL');
  assert.ok(partial > 0 && partial < N, `killed mid-way: ${partial} lines`);
  // the dead run's lock still holds for two minutes: a plain rerun is told so
  const told = runCli(args);
  assert.equal(told.status, 1);
  assert.match(told.stderr, /run_in_progress/);
  // the operator knows the process is gone and takes over
  const rerun = runCli([...args, '--take-over']);
  assert.equal(rerun.status, 0, rerun.stderr);
  const lines = rawSql(
    srv.db.url,
    `SELECT COUNT(*), COUNT(DISTINCT l.enterprise_id), SUM(l.amount_fen) FROM refund_lines l JOIN refund_runs r ON r.id = l.run_id WHERE r.period = '2023H1' AND r.org_id = ${xw}`,
  ).split('|');
  assert.equal(Number(lines[0]), N, 'one line per enterprise');
  assert.equal(Number(lines[1]), N);
  // upper share of 2 × 100.00 yuan = 80.00 yuan each
  assert.equal(Number(lines[2]), N * 8000);
  const posted = rawSql(
    srv.db.url,
    `SELECT COUNT(*), SUM(t.amount_fen) FROM ledger_transfers t JOIN refund_lines l ON t.ref_type = 'refund_line' AND t.ref_id = l.id JOIN refund_runs r ON r.id = l.run_id WHERE r.period = '2023H1' AND r.org_id = ${xw} AND t.reverses_id IS NULL`,
  ).split('|');
  assert.equal(Number(posted[0]), N, 'one posting per line, none doubled');
  assert.equal(Number(posted[1]), N * 8000);
  const check = runCli(['ledger', 'check', ...srv.common]);
  assert.equal(check.status, 0, check.stdout + check.stderr);
  const third = runCli(args);
  assert.equal(third.status, 0);
  assert.equal(
    rawSql(
      srv.db.url,
      `SELECT COUNT(*) FROM refund_lines l JOIN refund_runs r ON r.id = l.run_id WHERE r.period = '2023H1' AND r.org_id = ${xw}`,
    ),
    String(N),
  );
});

test('a run already in progress elsewhere is refused, not doubled', async () => {
  const xw = String(org['玄武区总工会']);
  rawSql(
    srv.db.url,
    `INSERT INTO locks (name, owner, acquired_at, expires_ms) VALUES ('refund:${xw}:2023H2', 'other-server', '2026-01-01T00:00:00Z', ${Date.now() + 60000})`,
  );
  const r = runCli(['refund', 'run', '--period', '2023H2', '--org', xw, ...srv.common]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /run_in_progress/);
  assert.match(r.stderr, /正在运行/);
  rawSql(srv.db.url, `DELETE FROM locks WHERE name = 'refund:${xw}:2023H2'`);
});
