// Mutual medical aid over HTTP: a plan, group enrolment with a minimum share
// of staff, individual enrolment by the member, the benefit rules in force on
// the day a stay began (the 60,000-yuan example under two versions), the
// calculation line by line, bad figures refused, one claim per stay,
// maker/checker approval and payment through the ledger, and the yearly cap
// held when approvals race.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { orgIds, makeMember } from '../lib/hardship.js';

let srv, anon, admin, js, sz, nj, org, plan;
const members = [];

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const YUAN = (y) => y * 100;

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  js = await anon.login('js_officer', DEMO_PASSWORD);
  sz = await anon.login('sz_officer', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  org = await orgIds(admin);
  // Suzhou's rules: from 2024-01-01 a 1,000-yuan deductible and 50/60/70%;
  // from 2024-07-01 the deductible lowered to 800 and every ratio 10 points up.
  const bands = (a, b, c) => [
    { upto_fen: YUAN(20000), ratio_pct: a },
    { upto_fen: YUAN(50000), ratio_pct: b },
    { upto_fen: null, ratio_pct: c },
  ];
  for (const [from, ded, r] of [
    ['2024-01-01', 1000, [50, 60, 70]],
    ['2024-07-01', 800, [60, 70, 80]],
  ]) {
    const p = await sz.post('/api/v1/policies', {
      kind: 'mutual_aid_benefit',
      org_id: org['苏州市总工会'],
      effective_from: from,
      params: { deductible_fen: YUAN(ded), bands: bands(...r), yearly_cap_fen: YUAN(50000) },
    });
    assert.equal(p.status, 201, JSON.stringify(p.body));
  }
  const bad = await sz.post('/api/v1/policies', {
    kind: 'mutual_aid_benefit',
    org_id: org['苏州市总工会'],
    effective_from: '2024-09-01',
    params: {
      deductible_fen: 0,
      bands: [
        { upto_fen: null, ratio_pct: 50 },
        { upto_fen: 100, ratio_pct: 60 },
      ],
      yearly_cap_fen: 1,
    },
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_bands');
  const r = await sz.post('/api/v1/mutual-aid/plans', {
    org_id: org['苏州市总工会'],
    year: 2024,
    name: '苏州市职工住院医疗互助（2024）',
    contribution_fen: 6000,
    min_group_share_pct: 80,
    enroll_from: '2024-01-01',
    enroll_to: today(),
    cover_from: '2024-01-01',
    cover_to: '2024-12-31',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  plan = r.body;
  for (let i = 0; i < 6; i++)
    members.push(await makeMember(sz, org['苏州平江路文旅发展有限公司工会'], 9000 + i, { login: i === 5 }));
});
after(async () => srv && srv.stop());

test('plans: checked dates, visible to the unions below', async () => {
  const bad = await sz.post('/api/v1/mutual-aid/plans', {
    org_id: org['苏州市总工会'],
    year: 2024,
    name: 'x',
    contribution_fen: 6000,
    min_group_share_pct: 80,
    enroll_from: '2024-02-01',
    enroll_to: '2024-01-01',
    cover_from: '2024-01-01',
    cover_to: '2024-12-31',
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'enroll_to');
  const dup = await sz.post('/api/v1/mutual-aid/plans', {
    org_id: org['苏州市总工会'],
    year: 2024,
    name: plan.name,
    contribution_fen: 6000,
    min_group_share_pct: 80,
    enroll_from: '2024-01-01',
    enroll_to: '2024-12-31',
    cover_from: '2024-01-01',
    cover_to: '2024-12-31',
  });
  assert.equal(dup.status, 409);
  assert.ok(
    (await members[5].client.get('/api/v1/mutual-aid/plans')).body.items.some((p) => p.id === plan.id),
    'a member below sees it',
  );
  assert.ok(!(await nj.get('/api/v1/mutual-aid/plans')).body.items.some((p) => p.id === plan.id), 'Nanjing does not');
  assert.equal((await nj.get(`/api/v1/mutual-aid/plans/${plan.id}`)).status, 404);
});

test('group enrolment needs the minimum share of staff; all or none', async () => {
  const url = `/api/v1/mutual-aid/plans/${plan.id}/groups`;
  const unit = org['苏州平江路文旅发展有限公司工会'];
  const few = await sz.post(url, { org_id: unit, staff_count: 5, member_ids: members.slice(0, 3).map((m) => m.id) });
  assert.equal(few.status, 409);
  assert.equal(few.body.error.code, 'group_share_too_low');
  assert.match(few.body.error.message, /80%（5 人中至少 4 人）/);
  const stranger = await makeMember(sz, org['昆山精密电子有限公司工会'], 9100);
  const mixed = await sz.post(url, {
    org_id: unit,
    staff_count: 5,
    member_ids: [...members.slice(0, 3).map((m) => m.id), stranger.id],
  });
  assert.equal(mixed.status, 400);
  assert.equal(mixed.body.error.code, 'not_in_unit');
  assert.equal((await sz.get(`/api/v1/mutual-aid/plans/${plan.id}/enrolments`)).body.total, 0, 'none written');
  const ok = await sz.post(url, { org_id: unit, staff_count: 5, member_ids: members.slice(0, 4).map((m) => m.id) });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.body.amount_fen, 24000);
  const t = await sz.get(`/api/v1/ledger/transfers?ref_type=mutual_aid_group&ref_id=${ok.body.id}`);
  assert.equal(t.body.items[0].amount_fen, 24000);
  // one person, one place in the plan; the member may join by themself
  const twice = await sz.post(`/api/v1/mutual-aid/plans/${plan.id}/enrolments`, { member_id: members[0].id });
  assert.equal(twice.body.error.code, 'already_enrolled');
  const self = await members[5].client.post(`/api/v1/mutual-aid/plans/${plan.id}/enrolments`, {});
  assert.equal(self.status, 201, JSON.stringify(self.body));
  assert.equal((await sz.get(`/api/v1/mutual-aid/plans/${plan.id}`)).body.enrolled, 5);
  // one masking rule for every 困难帮扶 list: officers see 吴*华 and the
  // masked ID number, as in aid and hardship lists; the member sees their own name
  const listed = (await sz.get(`/api/v1/mutual-aid/plans/${plan.id}/enrolments?per_page=100`)).body.items;
  assert.equal(listed.length, 5);
  for (const en of listed) {
    assert.equal(en.member_name, undefined, 'no full name in the list');
    assert.match(en.member_name_masked, /^.\*+.?$/u);
    assert.match(en.id_number_masked, /\*/);
  }
  const own = (await members[5].client.get(`/api/v1/mutual-aid/plans/${plan.id}/enrolments`)).body.items;
  assert.equal(own.length, 1);
  assert.equal(own[0].member_name, members[5].name);
});

const stay = (memberId, admission, over = {}) => ({
  plan_id: plan.id,
  member_id: memberId,
  admission_date: admission,
  discharge_date: admission.replace(/-(\d\d)$/, (m, d) => `-${String(Number(d) + 5).padStart(2, '0')}`),
  hospital: '苏州大学附属第一医院',
  diagnosis: '冠心病支架植入',
  total_cost_fen: YUAN(60000),
  basic_insurance_fen: YUAN(20000),
  other_insurance_fen: 0,
  out_of_scope_fen: 0,
  ...over,
});

test('the 60,000-yuan stay with 20,000 from basic insurance, under the rules of its day', async () => {
  const before = await sz.post('/api/v1/mutual-aid/calculate', stay(members[0].id, '2024-03-10'));
  assert.equal(before.status, 200, JSON.stringify(before.body));
  assert.equal(before.body.payable_fen, YUAN(21400));
  assert.equal(before.body.effective_from, '2024-01-01');
  assert.match(before.body.rounding, /四舍五入/);
  const labels = before.body.lines.map((l) => [l.label, l.amount_fen]);
  assert.deepEqual(labels.slice(0, 7), [
    ['医疗总费用', YUAN(60000)],
    ['减：基本医疗保险支付', YUAN(20000)],
    ['减：其他保险支付', 0],
    ['减：目录外（不予报销）费用', 0],
    ['＝ 可报销费用', YUAN(40000)],
    ['减：起付线', YUAN(1000)],
    ['＝ 起付线以上部分', YUAN(39000)],
  ]);
  assert.deepEqual(
    before.body.lines.filter((l) => l.ratio_pct !== undefined).map((l) => [l.base_fen, l.ratio_pct, l.amount_fen]),
    [
      [YUAN(20000), 50, YUAN(10000)],
      [YUAN(19000), 60, YUAN(11400)],
      [0, 70, 0],
    ],
  );
  const afterChange = await sz.post('/api/v1/mutual-aid/calculate', stay(members[0].id, '2024-08-10'));
  assert.equal(afterChange.body.payable_fen, YUAN(12000) + YUAN(13440));
  assert.equal(afterChange.body.effective_from, '2024-07-01');
});

test('bad figures and stays are refused, nothing written', async () => {
  const url = '/api/v1/mutual-aid/claims';
  const count = async () => (await sz.get(`${url}?per_page=1`)).body.total;
  const n = await count();
  const cases = [
    [stay(members[1].id, '2024-03-10', { basic_insurance_fen: YUAN(61000) }), 400, 'insurance_exceeds_cost'],
    [stay(members[1].id, '2024-03-10', { other_insurance_fen: YUAN(45000) }), 400, 'insurance_exceeds_cost'],
    [stay(members[1].id, '2024-03-10', { out_of_scope_fen: YUAN(45000) }), 400, 'deductions_exceed_cost'],
    [stay(members[1].id, '2024-03-10', { total_cost_fen: 0, basic_insurance_fen: 0 }), 400, 'invalid_amount'],
    [stay(members[1].id, '2024-03-10', { total_cost_fen: -100 }), 400, 'invalid_amount'],
    [stay(members[1].id, '2023-12-20'), 409, 'stay_not_covered'],
    [stay(members[1].id, '2024-03-10', { discharge_date: '2024-03-01' }), 400, 'invalid_date'],
    [stay(members[1].id, '2024-03-10', { hospital: undefined }), 400, 'missing_field'],
    [stay((await makeMember(sz, org['苏州平江路文旅发展有限公司工会'], 9200)).id, '2024-03-10'), 409, 'not_enrolled'],
  ];
  for (const [body, status, code] of cases) {
    const r = await sz.post(url, JSON.parse(JSON.stringify(body)));
    assert.equal(r.status, status, `${code}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, code);
    assert.match(r.body.error.message, /\p{Script=Han}/u);
  }
  assert.equal(await count(), n);
});

test('a claim: submitted, approved by another officer, paid through the ledger; once per stay', async () => {
  const url = '/api/v1/mutual-aid/claims';
  const c = await sz.post(url, stay(members[1].id, '2024-03-10'));
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.equal(c.body.status, 'submitted');
  assert.equal(c.body.payable_fen, YUAN(21400));
  assert.equal(c.body.diagnosis, '冠心病支架植入');
  assert.equal(c.body.calculation.lines.at(-1).amount_fen, YUAN(21400));
  const again = await sz.post(url, stay(members[1].id, '2024-03-10', { hospital: '苏州市立医院' }));
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'duplicate_claim');
  const self = await sz.post(`${url}/${c.body.id}/approve`, {});
  assert.equal(self.status, 403);
  assert.equal(self.body.error.code, 'maker_checker');
  const ok = await js.post(`${url}/${c.body.id}/approve`, {});
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.status, 'approved');
  assert.equal((await js.post(`${url}/${c.body.id}/approve`, {})).status, 409);
  const paid = await sz.post(`${url}/${c.body.id}/pay`, {});
  assert.equal(paid.body.status, 'paid');
  const t = await sz.get(`/api/v1/ledger/transfers?ref_type=mutual_aid_claim&ref_id=${c.body.id}`);
  assert.deepEqual(t.body.items.map((x) => `${x.debit.code}<-${x.credit.code}:${x.amount_fen}`).sort(), [
    `mutual_aid_expense<-mutual_aid_payable:${YUAN(21400)}`,
    `mutual_aid_payable<-bank:${YUAN(21400)}`,
  ]);
  // a rejected claim frees the stay for a corrected claim
  const wrong = await sz.post(
    url,
    stay(members[2].id, '2024-04-02', { total_cost_fen: YUAN(6000), basic_insurance_fen: YUAN(3000) }),
  );
  assert.equal((await js.post(`${url}/${wrong.body.id}/reject`, { reason: '发票金额有误' })).body.status, 'rejected');
  assert.equal(
    (
      await sz.post(
        url,
        stay(members[2].id, '2024-04-02', { total_cost_fen: YUAN(6500), basic_insurance_fen: YUAN(3000) }),
      )
    ).status,
    201,
  );
  // the member submits and reads their own; others see nothing; reads audited
  const mine = await members[5].client.post(url, { ...stay(members[5].id, '2024-05-06'), member_id: undefined });
  assert.equal(mine.status, 201, JSON.stringify(mine.body));
  assert.equal((await members[5].client.get(url)).body.total, 1);
  assert.equal((await members[5].client.get(`${url}/${c.body.id}`)).status, 404);
  assert.equal((await nj.get(`${url}/${c.body.id}`)).status, 404);
  const reads = await admin.get(`/api/v1/audit?action=mutual_aid.claim_read&object_id=${c.body.id}`);
  assert.ok(reads.body.total >= 3);
});

test('the yearly cap holds when approvals race', async () => {
  const url = '/api/v1/mutual-aid/claims';
  const m = members[3];
  const ids = [];
  // three stays of 25,440 each under the July rules: 76,320 against a 50,000 cap
  for (const day of ['2024-08-01', '2024-09-01', '2024-10-01']) {
    const c = await sz.post(url, stay(m.id, day));
    assert.equal(c.status, 201, JSON.stringify(c.body));
    assert.equal(c.body.payable_fen, YUAN(25440));
    ids.push(c.body.id);
  }
  const res = await Promise.all(ids.map((id, i) => [js, admin, js][i].post(`${url}/${id}/approve`, {})));
  assert.ok(
    res.every((r) => r.status === 200),
    JSON.stringify(res.map((r) => r.body)),
  );
  const payables = res.map((r) => r.body.payable_fen).sort((a, b) => b - a);
  assert.equal(
    payables.reduce((s, x) => s + x, 0),
    YUAN(50000),
    JSON.stringify(payables),
  );
  assert.deepEqual(payables, [YUAN(25440), YUAN(24560), 0]);
  const last = res.find((r) => r.body.payable_fen === 0).body;
  assert.ok(last.calculation.lines.some((l) => l.label === '减：本年度已获互助金' && l.amount_fen === YUAN(50000)));
  const en = (await sz.get(`/api/v1/mutual-aid/plans/${plan.id}/enrolments?per_page=100`)).body.items.find(
    (x) => x.member_id === m.id,
  );
  assert.equal(en.paid_fen, YUAN(50000));
});

test('the ledger balances after all of it', async () => {
  const r = await admin.get('/api/v1/ledger/check');
  assert.equal(r.body.ok, true, JSON.stringify(r.body.checks.filter((c) => !c.ok)));
});
