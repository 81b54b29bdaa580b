// Security review 2 of voucher lotteries.
//  - Steering by veto: once the first declared source has drawn, anyone can
//    start computing the winners. A union that could still cancel then would
//    cancel a draw whose winners it dislikes and try again. A campaign is
//    cancelled only before the earliest draw date of its sources (China
//    date); afterwards a typo in the entered numbers is corrected (audited,
//    both versions public), never cancelled.
//  - Sources drawing on the sign-up close day could precede the close while
//    the running count of entrants is public: a source must draw strictly
//    after the close day.
//  - Campaign figures (redeemed, forfeited, expired) belong to the organising
//    union's scope: a finance officer or an auditor elsewhere gets none of
//    them (404 for one campaign, filtered lists).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import {
  newMember,
  newProvider,
  newCampaign,
  waitUntil,
  chinaDate,
  addDays,
  orgIds,
  daysPass,
} from '../lib/lottery.js';

let srv, anon, admin, nj, org, prov, member;
const VALUES = ['02 08 13 21 25 30 11', '6 1 9 3 5'];

before(async () => {
  srv = await startServer({ args: ['--trust-proxy'] });
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  org = await orgIds(admin);
  prov = await newProvider(srv, admin, { name: '高淳慢城民宿', orgId: org['南京市总工会'] });
  member = await newMember(anon, nj, 7610, org['南京紫金软件股份有限公司工会']);
});
after(async () => srv && srv.stop());

async function staff(login, role, orgName, duties) {
  const body = { login, display_name: login, role, org_id: org[orgName], password: 'Review2@2026x' };
  if (duties) body.duties = duties;
  const u = await admin.post('/api/v1/users', body);
  assert.equal(u.status, 201, JSON.stringify(u.body));
  return anon.login(login, 'Review2@2026x');
}

// A campaign with one entrant whose sign-up has just closed (frozen).
async function closedCampaign(sources) {
  const c = await newCampaign(nj, {
    orgId: org['南京市总工会'],
    providerIds: [prov.id],
    closeInMs: 2500,
    voucherCount: 1,
    sources,
  });
  assert.equal((await member.post(`/api/v1/lottery/campaigns/${c.id}/entries`)).status, 201);
  await waitUntil(c.signup_closes_at);
  const g = await anon.get(`/api/v1/lottery/campaigns/${c.id}`);
  assert.equal(g.body.status, 'frozen');
  return g.body;
}

async function cancels(id) {
  return (await admin.get(`/api/v1/audit?action=lottery.cancel&object_type=lottery_campaign&object_id=${id}`)).body
    .total;
}

test('a source must draw after the sign-up close day, not on it', async () => {
  const closes = new Date(Date.now() + 3600e3).toISOString();
  const closeDay = chinaDate(Date.parse(closes));
  const body = (drawDate) => ({
    title: '开奖日校验',
    org_id: org['南京市总工会'],
    face_value_fen: 10000,
    voucher_count: 2,
    valid_from: chinaDate(),
    valid_to: addDays(chinaDate(), 30),
    signup_opens_at: new Date().toISOString(),
    signup_closes_at: closes,
    sources: [
      { name: '体彩排列5', draw_date: addDays(closeDay, 1) },
      { name: '福彩3D', draw_date: drawDate },
    ],
    provider_ids: [prov.id],
  });
  const before = (await anon.get('/api/v1/lottery/campaigns')).body.total;
  const same = await nj.post('/api/v1/lottery/campaigns', body(closeDay));
  assert.equal(same.status, 400, JSON.stringify(same.body));
  assert.equal(same.body.error.code, 'source_before_close');
  assert.equal(same.body.error.field, 'sources[1].draw_date');
  assert.match(same.body.error.message, /晚于报名截止日/);
  assert.equal((await anon.get('/api/v1/lottery/campaigns')).body.total, before, 'nothing created');
  const next = await nj.post('/api/v1/lottery/campaigns', body(addDays(closeDay, 1)));
  assert.equal(next.status, 201, JSON.stringify(next.body));
  assert.equal(next.body.cancel_before, addDays(closeDay, 1), 'the last moment to cancel is public');
});

test('a frozen campaign is cancelled before its first source draws, never after', async () => {
  // two sources: the first draws the day after the close, the second two days later
  const closeDay = chinaDate(Date.now() + 2500);
  const sources = [
    { name: '中国福利彩票双色球（截止次日开奖）', draw_date: addDays(closeDay, 1), value_count: 7 },
    { name: '中国体育彩票排列5（截止后第三天开奖）', draw_date: addDays(closeDay, 3), value_count: 5 },
  ];
  // before the first draw date: the organiser may still cancel
  const early = await closedCampaign(sources);
  const mine = (await nj.get(`/api/v1/lottery/campaigns/${early.id}`)).body;
  assert.equal(mine.can_cancel, true);
  assert.equal(mine.cancel_before, addDays(closeDay, 1));
  const ok = await nj.post(`/api/v1/lottery/campaigns/${early.id}/cancel`, { reason: '合作机构停业整顿' });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.phase, 'cancelled');

  // the first source has drawn (a day has passed): winners can be computed
  // once the second draws, so no cancel any more — not even with a reason
  const c = await closedCampaign(sources);
  await daysPass(srv, c.id, 1);
  const now = (await nj.get(`/api/v1/lottery/campaigns/${c.id}`)).body;
  assert.equal(now.can_manage, true);
  assert.equal(now.can_cancel, false);
  const r = await nj.post(`/api/v1/lottery/campaigns/${c.id}/cancel`, { reason: '报名人数太少' });
  assert.equal(r.status, 409, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'cancel_closed');
  assert.match(r.body.error.message, /开奖/);
  assert.equal((await anon.get(`/api/v1/lottery/campaigns/${c.id}`)).body.status, 'frozen', 'nothing changed');
  assert.equal(await cancels(c.id), 0, 'no cancel recorded');

  // every source drawn: the draw, then still no cancel; a correction stays possible
  await daysPass(srv, c.id, 2);
  const d = await nj.post(`/api/v1/lottery/campaigns/${c.id}/draw`, { sources: VALUES });
  assert.equal(d.status, 201, JSON.stringify(d.body));
  assert.equal(d.body.can_cancel, false);
  const again = await nj.post(`/api/v1/lottery/campaigns/${c.id}/cancel`, { reason: '中签结果不理想' });
  assert.equal(again.status, 409, JSON.stringify(again.body));
  assert.equal(again.body.error.code, 'cancel_closed');
  assert.equal((await anon.get(`/api/v1/lottery/campaigns/${c.id}`)).body.status, 'drawn');
  assert.equal(await cancels(c.id), 0);
  const fix = await nj.post(`/api/v1/lottery/campaigns/${c.id}/correction`, {
    sources: ['02 08 13 21 25 30 12', VALUES[1]],
    reason: '蓝球号码录入错误',
  });
  assert.equal(fix.status, 201, JSON.stringify(fix.body));
  assert.equal(fix.body.draws.length, 2);
});

test('a campaign not yet frozen whose sources have drawn cannot be cancelled either', async () => {
  // a long sign-up window, then the clock moves past the close and the
  // draw date before anyone froze the pool: the rule is the draw date,
  // whatever the stored status
  const c = await newCampaign(nj, { orgId: org['南京市总工会'], providerIds: [prov.id], closeInMs: 3 * 86400e3 });
  await daysPass(srv, c.id, 5);
  const r = await nj.post(`/api/v1/lottery/campaigns/${c.id}/cancel`, { reason: '方案调整' });
  assert.equal(r.status, 409, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'cancel_closed');
});

test("campaign figures are shown only within the organising union's scope", async () => {
  const c = await closedCampaign();
  await daysPass(srv, c.id, 1);
  assert.equal((await nj.post(`/api/v1/lottery/campaigns/${c.id}/draw`, { sources: VALUES })).status, 201);
  const szFin = await staff('rv2_sz_fin', 'officer', '苏州市总工会', ['finance']);
  const nxAud = await staff('rv2_nx_aud', 'auditor', '宁夏回族自治区总工会');
  const njFin = await staff('rv2_nj_fin', 'officer', '南京市总工会', ['finance']);
  const jsAud = await anon.login('auditor', DEMO_PASSWORD); // Jiangsu's auditor: Nanjing is in scope
  for (const [who, name] of [
    [szFin, 'Suzhou finance'],
    [nxAud, 'Ningxia auditor'],
  ]) {
    const page = await who.get(`/api/v1/lottery/campaigns/${c.id}`);
    assert.equal(page.status, 200, 'the campaign page itself is public');
    assert.equal(page.body.figures, undefined, `${name}: no figures`);
    const one = await who.get(`/api/v1/lottery/stats?campaign_id=${c.id}`);
    assert.equal(one.status, 404, `${name}: ${JSON.stringify(one.body)}`);
    assert.equal(one.body.error.code, 'campaign_not_found');
    const all = await who.get('/api/v1/lottery/stats');
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.ok(!all.body.campaigns.some((x) => x.id === c.id), `${name}: the list is filtered`);
  }
  for (const [who, name] of [
    [njFin, 'Nanjing finance'],
    [jsAud, 'Jiangsu auditor'],
    [nj, 'Nanjing retreat officer'],
  ]) {
    const page = await who.get(`/api/v1/lottery/campaigns/${c.id}`);
    assert.equal(page.body.figures.winners, 1, `${name}: ${JSON.stringify(page.body.figures)}`);
    const one = await who.get(`/api/v1/lottery/stats?campaign_id=${c.id}`);
    assert.equal(one.status, 200, `${name}: ${JSON.stringify(one.body)}`);
    assert.equal(one.body.campaigns.length, 1);
    assert.equal(one.body.campaigns[0].entrants, 1);
  }
  assert.equal((await nj.get('/api/v1/lottery/stats?campaign_id=99999999')).status, 404);
});
