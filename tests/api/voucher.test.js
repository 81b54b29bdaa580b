// Vouchers over HTTP: codes with a check symbol, forgiving to type; providers
// redeem a voucher of their campaign exactly once — also when two tills send
// the same code at the same moment — with the subsidy posted to the ledger in
// the same transaction; unknown, mistyped, used, expired, not yet valid,
// foreign, forfeited and voided vouchers are refused with their own codes and
// change nothing; officers withdraw vouchers with a reason; figures report
// what was redeemed and what expired.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { rawSql } from '../lib/sql.js';
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

let srv, anon, admin, nj, js, auditor, org;
let provA, provA2, provB, tillA1, tillA2, tillB;
const winners = []; // {client, voucher}
let camp, futureCamp;

const VALUES = ['5 11 18 23 28 30 9', '2 0 7 7 3'];

async function ledgerFor(voucherId) {
  return (await js.get(`/api/v1/ledger/transfers?ref_type=voucher&ref_id=${voucherId}&per_page=100`)).body.items;
}

before(async () => {
  srv = await startServer({ args: ['--trust-proxy'] });
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  js = await anon.login('js_officer', DEMO_PASSWORD);
  auditor = await anon.login('auditor', DEMO_PASSWORD);
  org = await orgIds(admin);
  // provider A has two tills (accounts); provider B takes part in no campaign
  provA = await newProvider(srv, admin, {
    name: '汤山温泉疗休养基地',
    orgId: org['南京市总工会'],
    login: 'tangshan_till1',
  });
  provA2 = {
    client: await (async () => {
      const u = await admin.post('/api/v1/users', {
        login: 'tangshan_till2',
        display_name: '汤山温泉收银台2',
        role: 'provider',
        provider_id: provA.id,
        password: 'Provider@2026',
      });
      assert.equal(u.status, 201, JSON.stringify(u.body));
      return admin.login('tangshan_till2', 'Provider@2026');
    })(),
  };
  provB = await newProvider(srv, admin, { name: '栖霞山红叶民宿', orgId: org['南京市总工会'], login: 'qixia_till' });
  tillA1 = provA.client;
  tillA2 = provA2.client;
  tillB = provB.client;
  const ms = [];
  for (let i = 0; i < 6; i++) ms.push(await newMember(anon, nj, 8100 + i, org['南京紫金软件股份有限公司工会']));
  camp = await newCampaign(nj, {
    orgId: org['南京市总工会'],
    providerIds: [provA.id],
    voucherCount: 6,
    faceFen: 30000,
    closeInMs: 4000,
  });
  futureCamp = await newCampaign(nj, {
    orgId: org['南京市总工会'],
    providerIds: [provA.id],
    voucherCount: 1,
    closeInMs: 4000,
    validFrom: addDays(chinaDate(), 10),
    validTo: addDays(chinaDate(), 40),
    title: '下月起使用的消费券',
  });
  for (const m of ms) {
    assert.equal((await m.post(`/api/v1/lottery/campaigns/${camp.id}/entries`)).status, 201);
  }
  assert.equal((await ms[0].post(`/api/v1/lottery/campaigns/${futureCamp.id}/entries`)).status, 201);
  await waitUntil(camp.signup_closes_at);
  await waitUntil(futureCamp.signup_closes_at);
  daysPass(srv, camp.id); // the sources draw the day after the close
  daysPass(srv, futureCamp.id);
  const d = await nj.post(`/api/v1/lottery/campaigns/${camp.id}/draw`, { sources: VALUES });
  assert.equal(d.status, 201, JSON.stringify(d.body));
  assert.equal((await nj.post(`/api/v1/lottery/campaigns/${futureCamp.id}/draw`, { sources: VALUES })).status, 201);
  for (const m of ms) {
    const v = (await m.get('/api/v1/me/vouchers')).body.items.find((x) => x.campaign_id === camp.id);
    assert.ok(v, 'everyone wins when there are as many vouchers as entrants');
    winners.push({ client: m, voucher: v });
  }
});
after(async () => srv && srv.stop());

test('codes: 24 symbols with a check symbol; typing mistakes are caught, typing styles forgiven', async () => {
  const code = winners[0].voucher.code;
  assert.match(code, /^([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z]{4}$/);
  // a changed symbol fails the check symbol (no lookup at all)
  const chars = code.replace(/-/g, '').split('');
  chars[5] = chars[5] === '7' ? '8' : '7';
  const typo = await tillA1.post('/api/v1/vouchers/lookup', { code: chars.join('') });
  assert.equal(typo.status, 400);
  assert.equal(typo.body.error.code, 'invalid_voucher_code');
  assert.equal(
    (await tillA1.post('/api/v1/vouchers/lookup', { code: code.slice(0, 20) })).body.error.code,
    'invalid_voucher_code',
  );
  assert.equal(
    (await tillA1.post('/api/v1/vouchers/lookup', { code: code + '#' })).body.error.code,
    'invalid_voucher_code',
  );
  // lower case, spaces instead of hyphens, O for 0 and I/L for 1 are all the same code
  const relaxed = code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
  const ok = await tillA1.post('/api/v1/vouchers/lookup', { code: relaxed });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.id, winners[0].voucher.id);
  assert.equal(ok.body.face_value_fen, 30000);
  assert.match(ok.body.holder, /\*/, 'the holder is shown masked');
  // a well-formed code that was never issued (all zeros pass Luhn mod 32)
  const nf = await tillA1.post('/api/v1/vouchers/lookup', { code: '0'.repeat(24) });
  assert.equal(nf.status, 404);
  assert.equal(nf.body.error.code, 'voucher_not_found');
});

test('only an admitted provider of the campaign redeems; officers and members cannot', async () => {
  const code = winners[1].voucher.code;
  const foreign = await tillB.post('/api/v1/vouchers/redeem', { code });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.body.error.code, 'voucher_wrong_provider');
  assert.equal((await nj.post('/api/v1/vouchers/redeem', { code })).status, 403);
  assert.equal((await winners[1].client.post('/api/v1/vouchers/redeem', { code })).status, 403);
  assert.equal((await anon.post('/api/v1/vouchers/redeem', { code })).status, 401);
  assert.equal((await tillA1.post('/api/v1/vouchers/redeem', { code, extra: 1 })).body.error.code, 'unknown_field');
  // a suspended provider redeems nothing
  assert.equal(
    (await admin.post(`/api/v1/providers/${provA.id}/status`, { status: 'suspended', reason: '整改' })).status,
    200,
  );
  const sus = await tillA1.post('/api/v1/vouchers/redeem', { code });
  assert.equal(sus.body.error.code, 'provider_not_admitted');
  assert.equal(
    (await admin.post(`/api/v1/providers/${provA.id}/status`, { status: 'admitted', reason: '整改完成' })).status,
    200,
  );
  assert.equal((await ledgerFor(winners[1].voucher.id)).length, 0, 'refusals post nothing');
  const mine = (await winners[1].client.get('/api/v1/me/vouchers')).body.items.find(
    (x) => x.id === winners[1].voucher.id,
  );
  assert.equal(mine.status, 'issued');
  // the refused attempt by the foreign till left a trace
  const audit = await admin.get(`/api/v1/audit?object_type=voucher&object_id=${winners[1].voucher.id}&outcome=denied`);
  assert.ok(audit.body.total >= 1);
});

test('redeemed once: the subsidy goes to the ledger, a second scan is refused', async () => {
  const { voucher, client } = winners[2];
  const r = await tillA1.post('/api/v1/vouchers/redeem', { code: voucher.code });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.status, 'redeemed');
  assert.equal(r.body.provider_name, '汤山温泉疗休养基地');
  const again = await tillA2.post('/api/v1/vouchers/redeem', { code: voucher.code });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'voucher_used');
  assert.match(again.body.error.message, /汤山温泉疗休养基地/);
  const t = await ledgerFor(voucher.id);
  assert.equal(t.length, 1);
  assert.equal(t[0].amount_fen, 30000);
  assert.equal(t[0].debit.code, 'voucher_subsidy_expense');
  assert.equal(t[0].credit.code, 'provider_payable');
  assert.equal(t[0].debit.org_name, '南京市总工会');
  const mine = (await client.get('/api/v1/me/vouchers')).body.items.find((x) => x.id === voucher.id);
  assert.equal(mine.status, 'redeemed');
  assert.equal(mine.redeemed_provider, '汤山温泉疗休养基地');
  const hist = await tillA2.get('/api/v1/me/redemptions');
  assert.equal(hist.body.total, 1, 'both tills of one provider share its history');
  assert.equal(hist.body.redeemed_fen, 30000);
  assert.equal((await tillB.get('/api/v1/me/redemptions')).body.total, 0);
  // a used voucher cannot be declined or withdrawn
  assert.equal((await client.post(`/api/v1/me/vouchers/${voucher.id}/decline`)).body.error.code, 'voucher_used');
  assert.equal(
    (await nj.post(`/api/v1/vouchers/${voucher.id}/forfeit`, { reason: '测试收回' })).body.error.code,
    'voucher_used',
  );
});

test('two tills scanning the same code at the same moment redeem it exactly once', async () => {
  const { voucher } = winners[3];
  const tries = [];
  for (let i = 0; i < 16; i++)
    tries.push((i % 2 ? tillA1 : tillA2).post('/api/v1/vouchers/redeem', { code: voucher.code }));
  const res = await Promise.all(tries);
  const statuses = res.map((r) => r.status).sort();
  assert.equal(statuses.filter((s) => s === 200).length, 1, JSON.stringify(res.map((r) => r.body)));
  assert.equal(statuses.filter((s) => s === 409).length, 15, JSON.stringify(res.map((r) => r.body)));
  assert.ok(res.filter((r) => r.status === 409).every((r) => r.body.error.code === 'voucher_used'));
  assert.equal((await ledgerFor(voucher.id)).length, 1);
  const c = (await nj.get(`/api/v1/lottery/campaigns/${camp.id}`)).body;
  assert.equal(c.figures.redeemed, 2);
  assert.equal(c.figures.redeemed_fen, 60000);
});

test('forfeited, withdrawn, expired and not yet valid vouchers are refused; figures report them', async () => {
  // the holder declines
  const dec = winners[4];
  assert.equal((await dec.client.post(`/api/v1/me/vouchers/${dec.voucher.id}/decline`)).status, 200);
  const r1 = await tillA1.post('/api/v1/vouchers/redeem', { code: dec.voucher.code });
  assert.equal(r1.status, 410);
  assert.equal(r1.body.error.code, 'voucher_forfeited');
  // an officer withdraws one, with a reason; others cannot
  const wd = winners[0];
  assert.equal((await nj.post(`/api/v1/vouchers/${wd.voucher.id}/forfeit`, {})).status, 400);
  assert.equal((await auditor.post(`/api/v1/vouchers/${wd.voucher.id}/forfeit`, { reason: '会员已退会' })).status, 403);
  const sz = await anon.login('sz_officer', DEMO_PASSWORD);
  assert.equal((await sz.post(`/api/v1/vouchers/${wd.voucher.id}/forfeit`, { reason: '会员已退会' })).status, 404);
  const f = await nj.post(`/api/v1/vouchers/${wd.voucher.id}/forfeit`, { reason: '会员已退会' });
  assert.equal(f.status, 200, JSON.stringify(f.body));
  assert.equal(
    (await tillA1.post('/api/v1/vouchers/redeem', { code: wd.voucher.code })).body.error.code,
    'voucher_forfeited',
  );
  // time passes: the last one expires unused
  const ex = winners[5];
  rawSql(srv.db.url, `UPDATE vouchers SET valid_to = '${addDays(chinaDate(), -1)}' WHERE id = ${ex.voucher.id}`);
  const r2 = await tillA1.post('/api/v1/vouchers/redeem', { code: ex.voucher.code });
  assert.equal(r2.status, 410);
  assert.equal(r2.body.error.code, 'voucher_expired');
  assert.equal(
    (await ex.client.get('/api/v1/me/vouchers')).body.items.find((x) => x.id === ex.voucher.id).status,
    'expired',
  );
  const expired = await nj.get(`/api/v1/lottery/campaigns/${camp.id}/vouchers?status=expired`);
  assert.deepEqual(
    expired.body.items.map((x) => x.id),
    [ex.voucher.id],
  );
  // a voucher valid only from next week
  const early = (await winners[0].client.get('/api/v1/me/vouchers')).body.items.find(
    (x) => x.campaign_id === futureCamp.id,
  );
  const r3 = await tillA1.post('/api/v1/vouchers/redeem', { code: early.code });
  assert.equal(r3.status, 409);
  assert.equal(r3.body.error.code, 'voucher_not_yet_valid');
  // figures
  const s = await nj.get(`/api/v1/lottery/stats?campaign_id=${camp.id}`);
  const c = s.body.campaigns[0];
  assert.deepEqual(
    [c.entrants, c.winners, c.redeemed, c.redeemed_fen, c.forfeited, c.expired, c.expired_fen],
    [6, 6, 2, 60000, 2, 1, 30000],
  );
  const zijin = s.body.by_org.find((o) => o.org_name === '玄武区总工会');
  assert.deepEqual([zijin.entrants, zijin.winners, zijin.redeemed, zijin.redeemed_fen], [6, 6, 2, 60000]);
  // a second round for the two forfeited vouchers finds nobody left
  assert.equal(
    (await nj.post(`/api/v1/lottery/campaigns/${camp.id}/rounds`, { count: 1 })).body.error.code,
    'pool_exhausted',
  );
  // every ledger invariant still holds
  const chk = await admin.get('/api/v1/ledger/check');
  assert.equal(chk.body.ok, true, JSON.stringify(chk.body));
});

test('a corrected draw voids the vouchers it replaces', async () => {
  const m = await newMember(anon, nj, 8200, org['南京紫金软件股份有限公司工会']);
  const c = await newCampaign(nj, {
    orgId: org['南京市总工会'],
    providerIds: [provA.id],
    voucherCount: 1,
    closeInMs: 2500,
  });
  assert.equal((await m.post(`/api/v1/lottery/campaigns/${c.id}/entries`)).status, 201);
  assert.equal((await winners[1].client.post(`/api/v1/lottery/campaigns/${c.id}/entries`)).status, 201);
  await waitUntil(c.signup_closes_at);
  daysPass(srv, c.id);
  assert.equal((await nj.post(`/api/v1/lottery/campaigns/${c.id}/draw`, { sources: VALUES })).status, 201);
  const holder = (await m.get('/api/v1/me/vouchers')).body.items.length ? m : winners[1].client;
  const v = (await holder.get('/api/v1/me/vouchers')).body.items.find((x) => x.campaign_id === c.id);
  const fixed = await nj.post(`/api/v1/lottery/campaigns/${c.id}/correction`, {
    sources: ['5 11 18 23 28 30 1', VALUES[1]],
    reason: '蓝球号码录入有误',
  });
  assert.equal(fixed.status, 201, JSON.stringify(fixed.body));
  const old = await tillA1.post('/api/v1/vouchers/redeem', { code: v.code });
  assert.equal(old.status, 410);
  assert.equal(old.body.error.code, 'voucher_void');
  const nowV = (await holder.get('/api/v1/me/vouchers')).body.items.find((x) => x.id === v.id);
  assert.equal(nowV.status, 'void');
  assert.equal(nowV.code, undefined, 'a void voucher shows no code');
});
