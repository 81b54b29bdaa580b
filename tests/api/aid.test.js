// Aid grants over HTTP: the member or an officer applies, another officer
// reviews, a third approves (posted to the ledger), finance pays; the
// standards and caps of the versioned rules refuse what is too much with the
// reason; closed and unconfirmed files get nothing; concurrent approvals
// never pass a yearly cap together; statistics back the federation's
// sentence; pairing with its visit log; and the ledger check afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { orgIds, makeMember, fileBody, openFile } from '../lib/hardship.js';

let srv, anon, admin, js, nj, jn, hj, sz, org;

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  js = await anon.login('js_officer', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  jn = await anon.login('jn_officer', DEMO_PASSWORD);
  hj = await anon.login('huajian_officer', DEMO_PASSWORD);
  sz = await anon.login('sz_officer', DEMO_PASSWORD);
  org = await orgIds(admin);
});
after(async () => srv && srv.stop());

const HJ = () => org['江苏华建建设集团有限公司工会'];

test('education aid: applied by the member, reviewed, approved by another officer, paid through the ledger', async () => {
  const m = await makeMember(hj, HJ(), 8001, { login: true });
  const f = await openFile(hj, jn, m.id, 101);
  const app = await m.client.post('/api/v1/aid/grants', {
    file_id: f.id,
    kind: 'education',
    school_level: 'college',
    child_index: 1,
    reason: '女儿考入南京大学',
  });
  assert.equal(app.status, 201, JSON.stringify(app.body));
  const g = app.body;
  assert.equal(g.status, 'applied');
  assert.equal(g.amount_fen, 750000, 'the college standard for a deep-hardship family');
  assert.equal(g.standard_fen, 750000);
  assert.equal(g.detail.child_name, '子女乙');
  // the member cannot move it on
  assert.equal((await m.client.post(`/api/v1/aid/grants/${g.id}/review`, {})).status, 403);
  const rv = await hj.post(`/api/v1/aid/grants/${g.id}/review`, { note: '材料齐全' });
  assert.equal(rv.body.status, 'reviewed');
  const self = await hj.post(`/api/v1/aid/grants/${g.id}/approve`, {});
  assert.equal(self.status, 403);
  assert.equal(self.body.error.code, 'maker_checker');
  // the list says who reviewed, so the console hides 批准 from them and says why
  const listed = (await hj.get(`/api/v1/aid/grants?status=reviewed&per_page=100`)).body.items.find(
    (x) => x.id === g.id,
  );
  assert.equal(listed.reviewed_by, hj.user.id);
  assert.equal((await sz.post(`/api/v1/aid/grants/${g.id}/approve`, {})).status, 404, 'another city');
  const ap = await jn.post(`/api/v1/aid/grants/${g.id}/approve`, { note: '同意' });
  assert.equal(ap.status, 200, JSON.stringify(ap.body));
  assert.equal(ap.body.status, 'approved');
  assert.equal(ap.body.payer_org_id, org['江宁区总工会']);
  // payment needs the finance duty (jn has none; nj does)
  assert.equal((await jn.post(`/api/v1/aid/grants/${g.id}/pay`, {})).status, 403);
  const paid = await nj.post(`/api/v1/aid/grants/${g.id}/pay`, {});
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  assert.equal(paid.body.status, 'paid');
  assert.equal((await nj.post(`/api/v1/aid/grants/${g.id}/pay`, {})).status, 409, 'paid once');
  const t = await nj.get(`/api/v1/ledger/transfers?ref_type=aid_grant&ref_id=${g.id}`);
  assert.equal(t.body.total, 2);
  const codes = t.body.items.map((x) => `${x.debit.code}<-${x.credit.code}:${x.amount_fen}`).sort();
  assert.deepEqual(codes, ['aid_expense<-aid_payable:750000', 'aid_payable<-bank:750000']);
  // the member sees their grant; nobody else's
  const mine = await m.client.get('/api/v1/aid/grants');
  assert.deepEqual(
    mine.body.items.map((x) => x.id),
    [g.id],
  );
  const other = await makeMember(hj, HJ(), 8002, { login: true });
  assert.equal((await other.client.get(`/api/v1/aid/grants/${g.id}`)).status, 404);
  assert.equal((await other.client.get('/api/v1/aid/grants')).body.total, 0);
});

test('over a standard, a maximum, a cap, or outside the categories: refused with the reason', async () => {
  const m = await makeMember(hj, HJ(), 8010);
  const f = await openFile(hj, jn, m.id, 110);
  const first = await hj.post('/api/v1/aid/grants', {
    file_id: f.id,
    kind: 'education',
    school_level: 'compulsory',
    child_index: 2,
    reason: '小学',
  });
  assert.equal(first.status, 201);
  assert.equal(first.body.amount_fen, 300000);
  const over = await hj.post('/api/v1/aid/grants', {
    file_id: f.id,
    kind: 'education',
    school_level: 'college',
    child_index: 1,
    amount_fen: 800000,
    reason: '大学',
  });
  assert.equal(over.status, 409);
  assert.equal(over.body.error.code, 'over_standard');
  assert.match(over.body.error.message, /8000\.00 元高于该学段的助学标准 7500\.00 元/);
  const notChild = await hj.post('/api/v1/aid/grants', {
    file_id: f.id,
    kind: 'education',
    school_level: 'college',
    child_index: 0,
    reason: '配偶',
  });
  assert.equal(notChild.body.error.code, 'not_a_child');
  const max = await hj.post('/api/v1/aid/grants', {
    file_id: f.id,
    kind: 'illness',
    amount_fen: 3000001,
    reason: '大病',
  });
  assert.equal(max.body.error.code, 'over_max');
  // approve the first, then a second education grant passes the yearly cap
  await hj.post(`/api/v1/aid/grants/${first.body.id}/review`, {});
  assert.equal((await jn.post(`/api/v1/aid/grants/${first.body.id}/approve`, {})).status, 200);
  const cap = await hj.post('/api/v1/aid/grants', {
    file_id: f.id,
    kind: 'education',
    school_level: 'college',
    child_index: 1,
    reason: '大学',
  });
  assert.equal(cap.status, 409);
  assert.equal(cap.body.error.code, 'over_yearly_cap');
  assert.match(cap.body.error.message, /每人每年上限 7500\.00 元：本年已获批 3000\.00 元，本次申请 7500\.00 元/);
  assert.equal(
    (
      await hj.post('/api/v1/aid/grants', {
        file_id: f.id,
        kind: 'education',
        school_level: 'college',
        child_index: 1,
        amount_fen: 450000,
        reason: '大学',
      })
    ).status,
    201,
    'what is left under the cap',
  );
  // accident files are not in the training programme's categories
  const acc = await makeMember(hj, HJ(), 8011);
  const fa = await openFile(hj, jn, acc.id, 111, {
    accident: true,
    accident_note: '车祸',
    category: 'accident',
    monthly_income_fen: 600000,
    family_income_fen: 720000,
  });
  assert.equal(fa.category, 'accident');
  const tr = await hj.post('/api/v1/aid/grants', {
    file_id: fa.id,
    kind: 'training',
    amount_fen: 100000,
    reason: '家政培训',
  });
  assert.equal(tr.status, 409);
  assert.equal(tr.body.error.code, 'not_eligible');
  // bad input
  assert.equal(
    (await hj.post('/api/v1/aid/grants', { file_id: f.id, kind: 'lottery', reason: 'x' })).body.error.code,
    'invalid_choice',
  );
  assert.equal(
    (await hj.post('/api/v1/aid/grants', { file_id: f.id, kind: 'living', amount_fen: -5, reason: 'x' })).body.error
      .code,
    'invalid_amount',
  );
  // an amount the form could not read as a number ("abc" → null) is named as such
  const nan = await hj.post('/api/v1/aid/grants', { file_id: f.id, kind: 'living', amount_fen: null, reason: 'x' });
  assert.equal(nan.status, 400);
  assert.equal(nan.body.error.code, 'invalid_amount');
  assert.equal(nan.body.error.field, 'amount_fen');
  assert.match(nan.body.error.message, /不是有效的数字/);
  assert.equal((await hj.post('/api/v1/aid/grants', { file_id: 999999, kind: 'living', reason: 'x' })).status, 404);
});

test('closed and unconfirmed files get nothing', async () => {
  const m = await makeMember(hj, HJ(), 8020);
  const pending = await hj.post('/api/v1/hardship/files', fileBody(m.id, 120));
  const p = await hj.post('/api/v1/aid/grants', { file_id: pending.body.id, kind: 'living', reason: '生活困难' });
  assert.equal(p.status, 409);
  assert.equal(p.body.error.code, 'file_not_open');
  await jn.post(`/api/v1/hardship/files/${pending.body.id}/approve`, {});
  const g = await hj.post('/api/v1/aid/grants', { file_id: pending.body.id, kind: 'living', reason: '生活困难' });
  assert.equal(g.status, 201);
  await hj.post(`/api/v1/aid/grants/${g.body.id}/review`, {});
  await hj.post(`/api/v1/hardship/files/${pending.body.id}/close`, { reason: 'transferred' });
  const late = await jn.post(`/api/v1/aid/grants/${g.body.id}/approve`, {});
  assert.equal(late.status, 409);
  assert.equal(late.body.error.code, 'file_not_open');
  const closed = await hj.post('/api/v1/aid/grants', { file_id: pending.body.id, kind: 'living', reason: '生活困难' });
  assert.equal(closed.body.error.code, 'file_not_open');
  assert.match(closed.body.error.message, /已撤档/);
  const rj = await hj.post(`/api/v1/aid/grants/${g.body.id}/reject`, { reason: '已撤档' });
  assert.equal(rj.body.status, 'rejected');
});

test('approvals racing on one yearly cap: never more than the cap', async () => {
  const m = await makeMember(hj, HJ(), 8030);
  const f = await openFile(hj, jn, m.id, 130);
  const ids = [];
  for (let i = 0; i < 4; i++) {
    const g = await hj.post('/api/v1/aid/grants', {
      file_id: f.id,
      kind: 'living',
      amount_fen: 250000,
      reason: `第${i + 1}次`,
    });
    assert.equal(g.status, 201, JSON.stringify(g.body));
    await hj.post(`/api/v1/aid/grants/${g.body.id}/review`, {});
    ids.push(g.body.id);
  }
  const approvers = [jn, nj, js, admin];
  const res = await Promise.all(ids.map((id, i) => approvers[i].post(`/api/v1/aid/grants/${id}/approve`, {})));
  const ok = res.filter((r) => r.status === 200).length;
  assert.equal(ok, 2, JSON.stringify(res.map((r) => [r.status, r.body.error && r.body.error.code])));
  assert.ok(res.filter((r) => r.status === 409).every((r) => r.body.error.code === 'over_yearly_cap'));
  const sum = (await jn.get(`/api/v1/aid/grants?file_id=${f.id}&status=approved`)).body.items.reduce(
    (s, x) => s + x.amount_fen,
    0,
  );
  assert.equal(sum, 500000, 'within the 6,000-yuan cap');
});

test('statistics: by kind and org, people and 人次, the sentence', async () => {
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const st = await js.get(
    `/api/v1/aid/stats?org_id=${org['江苏省总工会']}&from=${today.slice(0, 4)}-01-01&to=${today}`,
  );
  assert.equal(st.status, 200, JSON.stringify(st.body));
  const all = (await js.get('/api/v1/aid/grants?per_page=100')).body.items.filter((g) =>
    ['approved', 'paid'].includes(g.status),
  );
  assert.equal(st.body.grants, all.length);
  assert.equal(
    st.body.amount_fen,
    all.reduce((s, g) => s + g.amount_fen, 0),
  );
  assert.equal(st.body.people, new Set(all.map((g) => g.member_id)).size);
  assert.equal(
    st.body.by_kind.reduce((s, k) => s + k.amount_fen, 0),
    st.body.amount_fen,
  );
  assert.equal(
    st.body.by_org.reduce((s, k) => s + k.grants, 0),
    st.body.grants,
  );
  assert.match(
    st.body.sentence,
    new RegExp(`江苏省总工会投入帮扶救助资金[0-9.,]+(万)?元，救助困难职工${all.length}人次`),
  );
  assert.equal((await js.get('/api/v1/aid/stats?from=2024-13-01')).status, 400);
  const plain = await hj.get('/api/v1/aid/stats');
  assert.equal(plain.status, 200);
  assert.ok(plain.body.grants <= st.body.grants);
});

test('pairing: an officer with a household, and the visit log', async () => {
  const m = await makeMember(hj, HJ(), 8040);
  const f = await openFile(hj, jn, m.id, 140);
  const p = await jn.post('/api/v1/aid/pairings', {
    file_id: f.id,
    partner_kind: 'officer',
    partner_name: '江宁区总工会 赵国华',
    started_on: '2024-03-01',
  });
  assert.equal(p.status, 201, JSON.stringify(p.body));
  const v = await jn.post(`/api/v1/aid/pairings/${p.body.id}/visits`, {
    visited_on: '2024-03-15',
    note: '入户走访，送去米面油',
  });
  assert.equal(v.status, 201, JSON.stringify(v.body));
  assert.equal(v.body.items[0].note, '入户走访，送去米面油');
  assert.equal(
    (await jn.post(`/api/v1/aid/pairings/${p.body.id}/visits`, { visited_on: '2999-01-01', note: 'x' })).status,
    400,
  );
  const list = await hj.get(`/api/v1/aid/pairings?file_id=${f.id}`);
  assert.equal(list.body.items[0].visits, 1);
  assert.equal((await sz.get(`/api/v1/aid/pairings/${p.body.id}/visits`)).status, 404);
  const raw = await admin.get(`/api/v1/audit?action=aid.visits_read&object_id=${p.body.id}`);
  assert.ok(raw.body.total >= 1);
});

test('the ledger balances after all of it', async () => {
  const r = await admin.get('/api/v1/ledger/check');
  assert.equal(r.status, 200);
  assert.equal(r.body.ok, true, JSON.stringify(r.body.checks.filter((c) => !c.ok)));
});
