// Security review of mutual medical aid:
//  - a claim on a plan is paid from the plan's union's fund: its expense,
//    payable and bank accounts. An officer whose scope does not hold that
//    union (a county below a city plan) must not approve a claim (posting to
//    the city's books) nor pay it (moving money out of the city's bank);
//  - the enrolment list carries what each person was paid this year, i.e.
//    who was in hospital and for how much: officers without the hardship
//    duty (and auditors) must not read it, as they cannot read the claims.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { orgIds } from '../lib/hardship.js';

let srv, anon, admin, nj, hj, auditor, jnFin, njMembership, org, plan;

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  hj = await anon.login('huajian_officer', DEMO_PASSWORD);
  auditor = await anon.login('auditor', DEMO_PASSWORD);
  org = await orgIds(admin);
  const mk = async (login, orgName, duties) => {
    const u = await admin.post('/api/v1/users', {
      login,
      display_name: login,
      role: 'officer',
      org_id: org[orgName],
      duties,
      password: 'Review@2026x',
    });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    return anon.login(login, 'Review@2026x');
  };
  jnFin = await mk('rv_jn_fin', '江宁区总工会', ['hardship', 'finance']);
  njMembership = await mk('rv_nj_member', '南京市总工会', ['membership']);
  plan = (await nj.get('/api/v1/mutual-aid/plans')).body.items.find((p) => p.org_name === '南京市总工会');
  assert.ok(plan, 'the demo plan of Nanjing');
});
after(async () => srv && srv.stop());

async function transfers(claimId) {
  return (await admin.get(`/api/v1/ledger/transfers?ref_type=mutual_aid_claim&ref_id=${claimId}`)).body.items;
}

test("a county officer neither approves nor pays a claim on the city's plan", async () => {
  const en = (await nj.get(`/api/v1/mutual-aid/plans/${plan.id}/enrolments?per_page=100`)).body.items.find(
    (x) => x.paid_fen === 0 && x.org_name === '江苏华建建设集团有限公司工会',
  );
  assert.ok(en, 'an enrolled Huajian member with nothing paid yet');
  const c = await hj.post('/api/v1/mutual-aid/claims', {
    plan_id: plan.id,
    member_id: en.member_id,
    admission_date: plan.cover_from,
    discharge_date: plan.cover_from,
    hospital: '南京市江宁医院',
    total_cost_fen: 6000000,
    basic_insurance_fen: 2000000,
  });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  // the plan is visible to the county (a plan above it), its fund is not theirs
  const a = await jnFin.post(`/api/v1/mutual-aid/claims/${c.body.id}/approve`, {});
  assert.equal(a.status, 403, JSON.stringify(a.body));
  assert.equal(a.body.error.code, 'not_plan_org');
  assert.match(a.body.error.message, /南京市总工会/);
  assert.equal((await nj.get(`/api/v1/mutual-aid/claims/${c.body.id}`)).body.status, 'submitted');
  assert.equal((await transfers(c.body.id)).length, 0, 'nothing posted');
  // the city approves; the county still cannot pay out of the city's bank
  const ok = await nj.post(`/api/v1/mutual-aid/claims/${c.body.id}/approve`, {});
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const p = await jnFin.post(`/api/v1/mutual-aid/claims/${c.body.id}/pay`, {});
  assert.equal(p.status, 403, JSON.stringify(p.body));
  assert.equal(p.body.error.code, 'not_plan_org');
  assert.equal((await nj.get(`/api/v1/mutual-aid/claims/${c.body.id}`)).body.status, 'approved');
  assert.equal((await transfers(c.body.id)).length, 1, 'only the approval');
  const paid = await nj.post(`/api/v1/mutual-aid/claims/${c.body.id}/pay`, {});
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  const t = await transfers(c.body.id);
  assert.deepEqual(t.map((x) => `${x.debit.code}<-${x.credit.code}`).sort(), [
    'mutual_aid_expense<-mutual_aid_payable',
    'mutual_aid_payable<-bank',
  ]);
  assert.ok(
    t.every(
      (x) => x.org_id === plan.org_id && x.debit.org_name === '南京市总工会' && x.credit.org_name === '南京市总工会',
    ),
    JSON.stringify(t),
  );
  // the county may still turn a claim down (no money moves)
  const en2 = (await nj.get(`/api/v1/mutual-aid/plans/${plan.id}/enrolments?per_page=100`)).body.items.find(
    (x) => x.paid_fen === 0 && x.member_id !== en.member_id && x.org_name === '江苏华建建设集团有限公司工会',
  );
  const c2 = await hj.post('/api/v1/mutual-aid/claims', {
    plan_id: plan.id,
    member_id: en2.member_id,
    admission_date: plan.cover_from,
    discharge_date: plan.cover_from,
    hospital: '南京市江宁医院',
    total_cost_fen: 300000,
    basic_insurance_fen: 100000,
  });
  assert.equal(c2.status, 201, JSON.stringify(c2.body));
  const rj = await jnFin.post(`/api/v1/mutual-aid/claims/${c2.body.id}/reject`, { reason: '材料不全' });
  assert.equal(rj.status, 200, JSON.stringify(rj.body));
});

test('the enrolment list (what each person was paid) needs the hardship duty', async () => {
  const url = `/api/v1/mutual-aid/plans/${plan.id}/enrolments`;
  for (const [who, name] of [
    [njMembership, 'membership only'],
    [auditor, 'auditor'],
  ]) {
    const r = await who.get(url);
    assert.equal(r.status, 403, `${name}: ${JSON.stringify(r.body).slice(0, 300)}`);
    assert.equal(r.body.error.code, 'forbidden');
  }
  // the claims themselves were already closed to them
  assert.equal((await njMembership.get('/api/v1/mutual-aid/claims')).status, 403);
  const ok = await nj.get(url);
  assert.equal(ok.status, 200);
  assert.ok(ok.body.items.some((x) => x.paid_fen > 0));
  // the plan itself stays readable (it is what members may join)
  assert.equal((await njMembership.get(`/api/v1/mutual-aid/plans/${plan.id}`)).status, 200);
});

// Two officers approving the same claim at the same moment: on PostgreSQL
// (READ COMMITTED) both read "submitted", both added the payable to the
// person's paid_fen, and only the claim's own status update was skipped by
// the second — the yearly cap was used up twice for one approval.
test('the same claim approved twice at once: approved once, the cap counted once', async () => {
  const js = await anon.login('js_officer', DEMO_PASSWORD);
  const en = (await nj.get(`/api/v1/mutual-aid/plans/${plan.id}/enrolments?per_page=100`)).body.items
    .filter((x) => x.paid_fen === 0 && x.org_name === '江苏华建建设集团有限公司工会')
    .at(-1);
  assert.ok(en, 'an enrolled member with nothing paid yet');
  let approved = 0,
    both = 0;
  for (let d = 1; d <= 12; d++) {
    const day = `${plan.year}-03-${String(d).padStart(2, '0')}`;
    const c = await hj.post('/api/v1/mutual-aid/claims', {
      plan_id: plan.id,
      member_id: en.member_id,
      admission_date: day,
      discharge_date: day,
      hospital: '南京市江宁医院',
      total_cost_fen: 200000,
      basic_insurance_fen: 0,
    });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    const res = await Promise.all([nj, js].map((o) => o.post(`/api/v1/mutual-aid/claims/${c.body.id}/approve`, {})));
    const ok = res.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, JSON.stringify(res.map((r) => [r.status, r.body.error?.code])));
    assert.ok(res.every((r) => r.status === 200 || (r.status === 409 && r.body.error.code === 'wrong_status')));
    approved += ok[0].body.payable_fen;
    if (res.every((r) => r.status === 200)) both++;
  }
  assert.equal(both, 0);
  const after = (await nj.get(`/api/v1/mutual-aid/plans/${plan.id}/enrolments?per_page=100`)).body.items.find(
    (x) => x.member_id === en.member_id,
  );
  assert.equal(after.paid_fen, approved, 'paid_fen counts each approval once');
  const audits = await admin.get(`/api/v1/audit?action=mutual_aid.claim_approve&per_page=100`);
  const ids = audits.body.items.map((a) => a.object_id);
  assert.equal(new Set(ids).size, ids.length, 'one approval entry per claim');
});
