// Member import from CSV as Excel writes it: UTF-8 with or without BOM, GBK;
// a dry run reports every bad row; a real run imports all rows or none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, runCli, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { idFor, mobileFor } from '../lib/ids.js';

let srv, anon, nj, sz, orgId;

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  sz = await anon.login('sz_officer', DEMO_PASSWORD);
  const r = await nj.get('/api/v1/orgs?q=' + encodeURIComponent('南京紫金软件'));
  orgId = r.body.items[0].id;
});
after(async () => srv && srv.stop());

async function runImport(client, body, { dry = false, org = orgId } = {}) {
  const r = await client.req('POST', `/api/v1/members/import?org_id=${org}&dry_run=${dry ? 1 : 0}`, body, {
    raw: true,
    headers: { 'Content-Type': 'text/csv' },
  });
  if (r.status !== 202) return r;
  for (let i = 0; i < 600; i++) {
    const j = await client.get(`/api/v1/jobs/${r.body.job_id}`);
    if (j.body.status === 'done' || j.body.status === 'failed') return j;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('import job did not finish');
}

const header = '姓名,身份证号,手机号,就业形态,一线职工,劳模称号,入会日期\r\n';
function rows(from, n) {
  let s = '';
  for (let i = from; i < from + n; i++) s += `会员${i},${idFor(i)},${mobileFor(i)},职工,是,,2021/3/${1 + (i % 28)}\r\n`;
  return s;
}
async function total() {
  return (await nj.get(`/api/v1/members?org_id=${orgId}`)).body.total;
}

test('a dry run reports every bad row with line and field, and writes nothing', async () => {
  const csv =
    header +
    rows(1000, 3) +
    `坏号码,${idFor(2000).slice(0, 17)}0,${mobileFor(2000)},职工,是,,2021-01-01\r\n` +
    `坏手机,${idFor(2001)},123,职工,是,,2021-01-01\r\n` +
    `"引号,里有逗号",${idFor(2002)},${mobileFor(2002)},宇航员,是,,2021-01-01\r\n` +
    `重复,${idFor(1000)},${mobileFor(2003)},职工,是,,2021-01-01\r\n` +
    `日期错,${idFor(2004)},${mobileFor(2004)},职工,也许,,2021-13-01\r\n`;
  const before = await total();
  const j = await runImport(nj, Buffer.from(csv), { dry: true });
  assert.equal(j.body.status, 'done', JSON.stringify(j.body));
  const res = j.body.result;
  assert.equal(res.dry_run, true);
  assert.equal(res.rows, 8);
  assert.equal(res.error_count, 5);
  // first error of each line
  const byLine = {};
  for (const e of res.errors) byLine[e.line] = byLine[e.line] || e;
  assert.equal(byLine[5].field, 'id_number');
  assert.equal(byLine[6].field, 'mobile');
  assert.equal(byLine[7].field, 'employment_form');
  assert.equal(byLine[8].field, 'id_number');
  assert.match(byLine[8].reason, /重复/);
  assert.equal(byLine[9].field, 'frontline');
  // every error of a row, not only the first: line 9 has two
  assert.deepEqual(
    res.errors.filter((e) => e.line === 9).map((e) => e.field),
    ['frontline', 'join_date'],
  );
  assert.equal(res.message_count, 6);
  assert.equal(await total(), before);
});

test('a real run with one bad row imports nothing', async () => {
  const before = await total();
  const csv = header + rows(3000, 50) + `坏,${idFor(3999).slice(0, 17)}0,,职工,否,,2021-01-01\r\n`;
  const j = await runImport(nj, Buffer.from(csv));
  assert.equal(j.body.result.imported, 0);
  assert.equal(j.body.result.error_count, 1);
  assert.equal(j.body.result.errors[0].line, 52);
  assert.equal(await total(), before);
});

test('UTF-8 with BOM imports; then the same people again are refused', async () => {
  const before = await total();
  const csv = '\ufeff' + header + rows(4000, 120);
  const j = await runImport(nj, Buffer.from(csv, 'utf8'));
  assert.equal(j.body.status, 'done');
  assert.equal(j.body.result.imported, 120, JSON.stringify(j.body.result.errors));
  assert.equal(await total(), before + 120);
  const again = await runImport(nj, Buffer.from(csv, 'utf8'));
  assert.equal(again.body.result.imported, 0);
  assert.equal(again.body.result.error_count, 120);
  assert.match(again.body.result.errors[0].reason, /已经是工会会员/);
});

test('GBK as written by Excel on Chinese Windows', async () => {
  const csv =
    '姓名,身份证号,就业形态\r\n钱国强,' + idFor(5000) + ',快递员\r\n孙丽华,' + idFor(5001) + ',家政服务员\r\n';
  const gbk = new TextDecoder('utf-8').decode(Buffer.from(csv)) && encodeGbk(csv);
  const j = await runImport(nj, gbk);
  assert.equal(j.body.result.imported, 2, JSON.stringify(j.body.result));
  const r = await nj.get('/api/v1/members?q=' + encodeURIComponent('钱国强'));
  assert.equal(r.body.items[0].employment_form, 'courier');
});

test('malformed files: quotes across lines, missing columns, wrong encoding', async () => {
  const unterminated = header + `"张三,${idFor(6000)},${mobileFor(6000)},职工,是,,2021-01-01\r\n`;
  const a = await runImport(nj, Buffer.from(unterminated));
  assert.equal(a.body.result.imported, 0);
  assert.match(a.body.result.errors[0].reason, /引号/);
  const noId = '姓名,手机号\r\n张三,13800000000\r\n';
  const b = await runImport(nj, Buffer.from(noId));
  assert.equal(b.body.status, 'failed');
  assert.equal(b.body.error.code, 'missing_column');
  assert.match(b.body.error.message, /身份证号/);
  const binary = Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x00, 0x42, 0x00, 0x0a]);
  const c = await runImport(nj, binary);
  assert.ok(c.body.status === 'failed' || c.body.result.error_count > 0);
  // a quoted field may hold a line break: the parser keeps the record whole
  // (one row, reported at the line it starts on), and the employer check
  // then refuses the line break by name
  const multi = '姓名,身份证号,就业形态,工作单位\r\n李多行,' + idFor(6001) + ',职工,"南京紫金软件\r\n研发中心"\r\n';
  const d = await runImport(nj, Buffer.from(multi));
  assert.equal(d.body.result.rows, 1);
  assert.equal(d.body.result.errors[0].line, 2);
  assert.equal(d.body.result.errors[0].field, 'employer');
  assert.match(d.body.result.errors[0].reason, /换行/);
});

test('scope: importing into another city is refused; rows naming foreign unions are errors', async () => {
  const r = await runImport(sz, Buffer.from(header + rows(7000, 2)));
  assert.equal(r.status, 404);
  const szOrg = (await sz.get('/api/v1/orgs?q=' + encodeURIComponent('苏州平江路'))).body.items[0].id;
  const csv = '姓名,身份证号,就业形态,组织编号\r\n外人,' + idFor(7100) + `,职工,${szOrg}\r\n`;
  const j = await runImport(nj, Buffer.from(csv));
  assert.equal(j.body.result.imported, 0);
  assert.equal(j.body.result.errors[0].field, 'org_id');
});

test('the command line imports the same file the same way', () => {
  const file = path.join(srv.dir, 'members.csv');
  writeFileSync(file, header + rows(8000, 30));
  const dry = runCli(['import', 'members', file, '--org', String(orgId), '--dry-run', ...srv.common]);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /试导入通过：共 30 行/);
  const real = runCli(['import', 'members', file, '--org', String(orgId), ...srv.common]);
  assert.equal(real.status, 0, real.stderr);
  assert.match(real.stdout, /导入完成：30 行/);
  assert.match(real.stderr, /已处理 30 行/);
  const again = runCli(['import', 'members', file, '--org', String(orgId), ...srv.common]);
  assert.equal(again.status, 1);
  assert.match(again.stdout, /第 2 行（id_number）：此人已经是工会会员/);
});

// Node has no GBK encoder; the two sample names map through this table.
function encodeGbk(s) {
  const table = {
    姓: [0xd0, 0xd5],
    名: [0xc3, 0xfb],
    身: [0xc9, 0xed],
    份: [0xb7, 0xdd],
    证: [0xd6, 0xa4],
    号: [0xba, 0xc5],
    就: [0xbe, 0xcd],
    业: [0xd2, 0xb5],
    形: [0xd0, 0xce],
    态: [0xcc, 0xac],
    钱: [0xc7, 0xae],
    国: [0xb9, 0xfa],
    强: [0xc7, 0xbf],
    快: [0xbf, 0xec],
    递: [0xb5, 0xdd],
    员: [0xd4, 0xb1],
    孙: [0xcb, 0xef],
    丽: [0xc0, 0xf6],
    华: [0xbb, 0xaa],
    家: [0xbc, 0xd2],
    政: [0xd5, 0xfe],
    服: [0xb7, 0xfe],
    务: [0xce, 0xf1],
  };
  const out = [];
  for (const ch of s) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else if (table[ch]) out.push(...table[ch]);
    else throw new Error(`no GBK code for ${ch}`);
  }
  return Buffer.from(out);
}

test('an Excel workbook imports like the same sheet saved as CSV: dates, numbers, row numbers', async () => {
  const { xlsx } = await import('../lib/xlsx.js');
  const head = ['姓名', '身份证号', '手机号', '就业形态', '一线职工', '劳模称号', '入会日期'];
  const wb = xlsx([
    head,
    ['表格甲', idFor(8800), mobileFor(8800), '职工', true, null, { date: [2022, 4, 9] }],
    ['表格乙', idFor(8801), Number(mobileFor(8801)), '快递员', '否', null, '2021/5/6'],
  ]);
  const before = await total();
  const j = await runImport(nj, wb);
  assert.equal(j.body.status, 'done', JSON.stringify(j.body));
  assert.equal(j.body.result.imported, 2, JSON.stringify(j.body.result));
  assert.equal(await total(), before + 2);
  const a = (await nj.get('/api/v1/members?q=' + encodeURIComponent('表格甲'))).body.items[0];
  assert.equal(a.join_date, '2022-04-09');
  assert.equal(a.frontline, true);
  const b = (await nj.get('/api/v1/members?q=' + encodeURIComponent('表格乙'))).body.items[0];
  assert.equal(b.employment_form, 'courier');
  assert.equal(b.join_date, '2021-05-06');

  // a bad row is reported at the row number Excel shows (row 3 is left out)
  const bad = xlsx([
    head,
    ['表格丙', idFor(8802), mobileFor(8802), '职工', '是', null, '2021-01-01'],
    [],
    ['表格丁', idFor(8803), '123', '职工', '是', null, '2021-01-01'],
  ]);
  const d = await runImport(nj, bad, { dry: true });
  assert.equal(d.body.result.error_count, 1, JSON.stringify(d.body.result));
  assert.equal(d.body.result.errors[0].line, 4);
  assert.equal(d.body.result.errors[0].field, 'mobile');

  // a broken workbook is one clear error and changes nothing
  const broken = wb.subarray(0, 200);
  const c = await runImport(nj, broken);
  assert.equal(c.body.status, 'failed', JSON.stringify(c.body));
  assert.equal(c.body.error.code, 'invalid_xlsx');
  assert.match(c.body.error.message, /Excel/);
  assert.equal(await total(), before + 2);
});

test('every error of a row; progress in rows; the rows at fault as a workbook that imports again once corrected', async () => {
  const { xlsxTexts } = await import('../lib/unzip.js');
  const csv =
    header +
    rows(7000, 2) +
    // one row, four problems: mobile, form, frontline, join date
    `多处错误,${idFor(7100).slice(0, 17)}0,12345,宇航员,也许,,2021-13-01\r\n` +
    rows(7002, 1);
  const j = await runImport(nj, Buffer.from(csv), { dry: true });
  assert.equal(j.body.status, 'done', JSON.stringify(j.body));
  const res = j.body.result;
  assert.equal(res.rows, 4);
  assert.equal(res.error_count, 1, 'one row at fault');
  const fields = res.errors.filter((e) => e.line === 4).map((e) => e.field);
  assert.deepEqual(fields.sort(), ['employment_form', 'frontline', 'id_number', 'join_date', 'mobile']);
  // the job counts rows, not bytes
  assert.equal(j.body.done, 4);
  assert.equal(j.body.total, 4);
  // the rows at fault: the file's columns, then the reasons
  const raw = await fetch(`${srv.url}/api/v1/jobs/${j.body.id}/errors?format=xlsx`, {
    headers: { Authorization: `Bearer ${nj.token}` },
  });
  assert.equal(raw.status, 200);
  assert.match(raw.headers.get('content-type'), /spreadsheetml/);
  const book = Buffer.from(await raw.arrayBuffer());
  const texts = xlsxTexts(book);
  for (const t of ['姓名', '手机号', '错误说明', '多处错误', '宇航员']) assert.ok(texts.includes(t), t);
  assert.ok(!texts.includes('会员7000'), 'only the rows at fault');
  // someone who may not see the job cannot have its rows
  assert.equal(
    (
      await fetch(`${srv.url}/api/v1/jobs/${j.body.id}/errors?format=xlsx`, {
        headers: { Authorization: `Bearer ${sz.token}` },
      })
    ).status,
    404,
  );
  const clean = await runImport(nj, Buffer.from(header + rows(7003, 1)), { dry: true });
  assert.equal(clean.body.result.error_count, 0);
  const none = await fetch(`${srv.url}/api/v1/jobs/${clean.body.id}/errors?format=xlsx`, {
    headers: { Authorization: `Bearer ${nj.token}` },
  });
  assert.equal(none.status, 404);
  // re-uploading the downloaded workbook reads its header (the extra columns are ignored)
  const again = await runImport(nj, book, { dry: true });
  assert.equal(again.body.status, 'done', JSON.stringify(again.body));
  assert.equal(again.body.result.rows, 1);
  assert.deepEqual(again.body.result.errors.map((e) => e.field).sort(), [
    'employment_form',
    'frontline',
    'id_number',
    'join_date',
    'mobile',
  ]);
});
