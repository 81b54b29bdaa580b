// The ledger in the union's own chart of accounts (工会会计制度): every
// account carries its chart code and name, lists and the trial balance are
// ordered by it, and the trial-balance workbook shows the code and the
// Chinese name, never the internal key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { xlsxTexts } from '../lib/unzip.js';

let srv, js;

before(async () => {
  srv = await startServer();
  js = await new Client(srv.url).login('js_officer', DEMO_PASSWORD);
});
after(async () => srv && srv.stop());

test('every ledger account carries its 工会会计制度 code and name', async () => {
  const r = await js.get('/api/v1/ledger/accounts?per_page=100');
  assert.equal(r.status, 200);
  assert.ok(r.body.items.length > 3);
  for (const a of r.body.items) {
    assert.match(a.chart_code, /^[1-5]\d{2}(\d{2})?$/, `${a.code}: ${a.chart_code}`);
    assert.ok(a.chart_name && /[\u4e00-\u9fff]/.test(a.chart_name), a.chart_name);
  }
  const bank = r.body.items.find((a) => a.code === 'bank');
  assert.equal(bank.chart_code, '102');
  assert.equal(bank.chart_name, '银行存款');
  // within one org the accounts come in chart order
  const org = r.body.items[0].org_id;
  const codes = r.body.items.filter((a) => a.org_id === org).map((a) => a.chart_code);
  assert.deepEqual(codes, [...codes].sort());
});

test('the trial-balance workbook shows chart codes and names, not internal keys', async () => {
  const year = new Date().getFullYear();
  const tb = await js.get(`/api/v1/ledger/trial-balance?from=${year - 5}-01-01&to=${year}-12-31`);
  assert.equal(tb.status, 200);
  assert.ok(tb.body.rows.every((row) => row.chart_code && row.chart_name));
  const raw = await fetch(
    `${srv.url}/api/v1/ledger/trial-balance?from=${year - 5}-01-01&to=${year}-12-31&format=xlsx`,
    {
      headers: { Authorization: `Bearer ${js.token}` },
    },
  );
  assert.equal(raw.status, 200);
  const texts = xlsxTexts(Buffer.from(await raw.arrayBuffer()));
  assert.ok(texts.includes('科目编号'), 'header 科目编号');
  assert.ok(texts.includes('拨缴经费收入'), 'fee income by its chart name');
  for (const key of ['fee_income', 'bank', 'refund_expense', 'fee_clearing'])
    assert.ok(!texts.includes(key), `internal key ${key} in the workbook`);
});

test('both sides of a transfer carry the chart code and name', async () => {
  const r = await js.get('/api/v1/ledger/transfers?per_page=50');
  assert.equal(r.status, 200);
  assert.ok(r.body.items.length > 0);
  for (const t of r.body.items) {
    for (const side of [t.debit, t.credit]) {
      assert.match(side.chart_code, /^[1-5]\d{2}(\d{2})?$/, `${side.code}: ${side.chart_code}`);
      assert.ok(/[\u4e00-\u9fff]/.test(side.chart_name), side.chart_name);
    }
  }
  const one = await js.get(`/api/v1/ledger/transfers/${r.body.items[0].id}`);
  assert.equal(one.body.debit.chart_code, r.body.items[0].debit.chart_code);
  assert.equal(one.body.credit.chart_name, r.body.items[0].credit.chart_name);
});
