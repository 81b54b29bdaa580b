// A refund line says which months its fees were counted over (the policy's
// first month to the end of the period), so no page has to present a
// cumulative sum as the fees of one half-year.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';

let srv, nj;

before(async () => {
  srv = await startServer();
  nj = await new Client(srv.url).login('nj_officer', DEMO_PASSWORD);
});
after(async () => srv && srv.stop());

test('refund lines carry the months their fees were counted over', async () => {
  const runs = await nj.get('/api/v1/refund-runs');
  assert.equal(runs.status, 200);
  const run = runs.body.items.find((r) => r.period === '2022H2');
  assert.ok(run, 'the demo batch');
  const lines = await nj.get(`/api/v1/refund-runs/${run.id}/lines?per_page=100`);
  assert.ok(lines.body.items.length > 0);
  for (const l of lines.body.items) {
    // the demo policy runs from 2020-01 and the period ends in 2022-12
    assert.equal(l.months_from, '2020-01', JSON.stringify(l));
    assert.equal(l.months_to, '2022-12');
    assert.ok(l.fee_fen + l.prep_fen >= l.amount_fen);
  }
});
