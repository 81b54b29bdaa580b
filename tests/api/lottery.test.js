// Voucher lotteries over HTTP and the CLI: campaigns whose rules and public
// randomness sources are fixed before sign-up, entries refused when doubled,
// late, early or ineligible (and nothing changes), the pool frozen and
// published with masked names and the SHA-256 of the list file, the RFC 3797
// draw recomputed three ways (the server, `gonghui lottery verify` without a
// database, and the independent JavaScript of the verification page), no
// re-draw, an audited correction that keeps both versions public, and a
// second round that continues the same sequence.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, runCli, DEMO_PASSWORD } from '../lib/server.js';
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
import { keyString, draw as jsDraw } from '../../ui/js/lib/rfc3797.js';

let srv, anon, admin, nj, sz, jn, auditor, org, prov;
const members = [];
let szMember;
// one campaign for the main path, opened in before()
let main;
const VALUES = ['03 09 14 22 27 31 12', '4 9 1 4 7'];

before(async () => {
  srv = await startServer({ args: ['--trust-proxy'] });
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  sz = await anon.login('sz_officer', DEMO_PASSWORD);
  jn = await anon.login('jn_officer', DEMO_PASSWORD);
  auditor = await anon.login('auditor', DEMO_PASSWORD);
  org = await orgIds(admin);
  prov = await newProvider(srv, admin, { name: '溧水石山下民宿', orgId: org['南京市总工会'] });
  // seven Nanjing members (the last one not a frontline worker) and one in Suzhou
  for (let i = 0; i < 7; i++) {
    members.push(
      await newMember(
        anon,
        nj,
        7100 + i,
        org[i % 2 ? '南京紫金软件股份有限公司工会' : '江苏华建建设集团有限公司工会'],
        { frontline: i !== 6 },
      ),
    );
  }
  szMember = await newMember(anon, sz, 7200, org['苏州平江路文旅发展有限公司工会']);
  main = await newCampaign(nj, {
    orgId: org['南京市总工会'],
    providerIds: [prov.id],
    voucherCount: 3,
    closeInMs: 8000,
  });
});
after(async () => srv && srv.stop());

test('creating a campaign: duty, scope and every rule checked; sources must come after sign-up closes', async () => {
  const closes = new Date(Date.now() + 3600e3).toISOString();
  const closeDay = chinaDate(Date.parse(closes));
  const good = {
    title: '测试活动',
    org_id: org['南京市总工会'],
    face_value_fen: 10000,
    voucher_count: 5,
    valid_from: chinaDate(),
    valid_to: addDays(chinaDate(), 30),
    signup_opens_at: new Date().toISOString(),
    signup_closes_at: closes,
    sources: [{ name: '福彩3D', draw_date: addDays(closeDay, 1) }],
    provider_ids: [prov.id],
  };
  const before = (await anon.get('/api/v1/lottery/campaigns')).body.total;
  const cases = [
    [jn, good, 403, 'forbidden'], // no retreat duty
    [sz, good, 404, null], // Nanjing is outside Suzhou's scope
    [nj, { ...good, extra: 1 }, 400, 'unknown_field'],
    [nj, { ...good, face_value_fen: 0 }, 400, 'out_of_range'],
    [nj, { ...good, voucher_count: 0 }, 400, 'out_of_range'],
    [nj, { ...good, signup_closes_at: '2020-01-01T00:00:00Z' }, 400, 'invalid_window'],
    [nj, { ...good, signup_closes_at: '明天' }, 400, 'invalid_timestamp'],
    [nj, { ...good, signup_opens_at: closes }, 400, 'invalid_window'],
    [
      nj,
      { ...good, valid_to: addDays(chinaDate(), -1), valid_from: addDays(chinaDate(), -5) },
      400,
      'invalid_validity',
    ],
    [nj, { ...good, sources: [] }, 400, 'missing_field'],
    [nj, { ...good, sources: [{ name: '福彩3D', draw_date: addDays(closeDay, -1) }] }, 400, 'source_before_close'],
    [nj, { ...good, sources: [{ name: '福彩3D', draw_date: closeDay }] }, 400, 'source_before_close'],
    [nj, { ...good, sources: [{ name: '福彩3D' }] }, 400, 'missing_field'],
    [nj, { ...good, provider_ids: [] }, 400, 'missing_field'],
    [nj, { ...good, provider_ids: [999999] }, 400, 'provider_not_admitted'],
    [nj, { ...good, provider_ids: [prov.id, prov.id] }, 400, 'duplicate_provider'],
    [nj, { ...good, elig_org_id: org['苏州市总工会'] }, 404, null],
    [nj, { ...good, org_id: org['玄武区总工会'], elig_org_id: org['南京市总工会'] }, 400, 'elig_outside_org'],
  ];
  for (const [who, body, status, code] of cases) {
    const r = await who.post('/api/v1/lottery/campaigns', body);
    assert.equal(r.status, status, `${code}: ${JSON.stringify(r.body)}`);
    if (code) assert.equal(r.body.error.code, code);
  }
  assert.equal((await anon.get('/api/v1/lottery/campaigns')).body.total, before, 'nothing was created');
  // title and description may be edited; nothing else
  const c = await newCampaign(nj, { orgId: org['南京市总工会'], providerIds: [prov.id], closeInMs: 3600e3 });
  const p = await nj.patch(`/api/v1/lottery/campaigns/${c.id}`, { title: '改名后的活动', description: '说明\n第二行' });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.equal(p.body.title, '改名后的活动');
  assert.equal(
    (await nj.patch(`/api/v1/lottery/campaigns/${c.id}`, { voucher_count: 9 })).body.error.code,
    'unknown_field',
  );
  assert.equal((await sz.patch(`/api/v1/lottery/campaigns/${c.id}`, { title: 'x' })).status, 403);
  // cancelled before the draw, with a public reason
  assert.equal((await nj.post(`/api/v1/lottery/campaigns/${c.id}/cancel`, {})).status, 400);
  const x = await nj.post(`/api/v1/lottery/campaigns/${c.id}/cancel`, { reason: '活动方案调整' });
  assert.equal(x.status, 200, JSON.stringify(x.body));
  const pub = await anon.get(`/api/v1/lottery/campaigns/${c.id}`);
  assert.equal(pub.body.phase, 'cancelled');
  assert.equal(pub.body.cancel_reason, '活动方案调整');
  assert.equal(
    (await members[0].post(`/api/v1/lottery/campaigns/${c.id}/entries`)).body.error.code,
    'campaign_cancelled',
  );
});

test('the campaign page is public: rules, sources, providers; no figures for visitors', async () => {
  const r = await anon.get(`/api/v1/lottery/campaigns/${main.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.phase, 'signup');
  assert.equal(r.body.sources.length, 2);
  assert.equal(r.body.sources[0].value_count, 7);
  assert.equal(r.body.providers[0].name, '溧水石山下民宿');
  assert.equal(r.body.can_manage, false);
  assert.equal(r.body.figures, undefined);
  const list = await anon.get('/api/v1/lottery/campaigns?phase=signup');
  assert.ok(list.body.items.some((c) => c.id === main.id));
  assert.equal((await anon.get('/api/v1/lottery/campaigns?phase=nonsense')).status, 400);
  const mine = await members[0].get('/api/v1/lottery/campaigns?for_me=1&phase=signup');
  assert.ok(mine.body.items.some((c) => c.id === main.id));
  const notMine = await szMember.get('/api/v1/lottery/campaigns?for_me=1&phase=signup');
  assert.ok(
    !notMine.body.items.some((c) => c.id === main.id),
    'a Suzhou member is not eligible for a Nanjing campaign',
  );
});

test('entries: once per member, eligible members only, inside the window; refusals change nothing', async () => {
  const upcoming = await newCampaign(nj, {
    orgId: org['南京市总工会'],
    providerIds: [prov.id],
    opensInMs: 3600e3,
    closeInMs: 7200e3,
  });
  const frontline = await newCampaign(nj, {
    orgId: org['南京市总工会'],
    providerIds: [prov.id],
    frontlineOnly: true,
    closeInMs: 3600e3,
  });
  for (const m of members) {
    const r = await m.post(`/api/v1/lottery/campaigns/${main.id}/entries`);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const again = await members[0].post(`/api/v1/lottery/campaigns/${main.id}/entries`);
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'already_entered');
  const out = await szMember.post(`/api/v1/lottery/campaigns/${main.id}/entries`);
  assert.equal(out.status, 403);
  assert.equal(out.body.error.code, 'not_eligible');
  assert.match(out.body.error.message, /南京市总工会/);
  assert.equal((await nj.post(`/api/v1/lottery/campaigns/${main.id}/entries`)).body.error.code, 'not_member');
  assert.equal((await anon.post(`/api/v1/lottery/campaigns/${main.id}/entries`)).status, 401);
  assert.equal(
    (await members[0].post(`/api/v1/lottery/campaigns/${upcoming.id}/entries`)).body.error.code,
    'signup_not_open',
  );
  const nf = await members[6].post(`/api/v1/lottery/campaigns/${frontline.id}/entries`);
  assert.equal(nf.status, 403);
  assert.equal(nf.body.error.code, 'frontline_only');
  assert.equal((await members[0].post(`/api/v1/lottery/campaigns/${frontline.id}/entries`)).status, 201);
  assert.equal(
    (await members[0].post(`/api/v1/lottery/campaigns/${main.id}/entries`, { x: 1 })).body.error.code,
    'unknown_field',
  );
  assert.equal((await anon.get(`/api/v1/lottery/campaigns/${main.id}`)).body.entrants, 7);
  // a member sees that they entered (numbers come when sign-up closes)
  const me = await members[2].get(`/api/v1/lottery/campaigns/${main.id}`);
  assert.equal(me.body.me.entered, true);
  assert.equal(me.body.me.entry_no, null);
  assert.equal((await szMember.get(`/api/v1/lottery/campaigns/${main.id}`)).body.me.eligible, false);
  // before sign-up closes: no list, no draw
  assert.equal((await anon.get(`/api/v1/lottery/campaigns/${main.id}/entrants`)).body.error.code, 'not_frozen');
  assert.equal(
    (await nj.post(`/api/v1/lottery/campaigns/${main.id}/draw`, { sources: VALUES })).body.error.code,
    'signup_not_closed',
  );
  assert.equal((await nj.post(`/api/v1/lottery/campaigns/${main.id}/freeze`)).body.error.code, 'signup_not_closed');
  const entries = await members[0].get('/api/v1/me/lottery-entries');
  assert.equal(entries.body.total, 2);
});

test('sign-up closes: late entries refused, the list is frozen and published with its SHA-256', async () => {
  await waitUntil(main.signup_closes_at);
  const late = await szMember.post(`/api/v1/lottery/campaigns/${main.id}/entries`);
  assert.equal(late.status, 409);
  assert.equal(late.body.error.code, 'signup_closed');
  // the first visitor after the close freezes the pool (anyone may)
  const c = (await anon.get(`/api/v1/lottery/campaigns/${main.id}`)).body;
  assert.equal(c.status, 'frozen');
  assert.equal(c.entrants, 7);
  assert.match(c.list_sha256, /^[0-9a-f]{64}$/);
  assert.equal(c.index_bytes, 2);
  const file = await anon.req('GET', `/api/v1/lottery/campaigns/${main.id}/entrant-list`);
  assert.equal(file.status, 200);
  assert.match(file.headers.get('content-type'), /^text\/plain/);
  const text = file.body;
  assert.equal(
    createHash('sha256').update(text, 'utf8').digest('hex'),
    c.list_sha256,
    "the published fingerprint is the file's",
  );
  const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
  assert.equal(lines.length, 7);
  lines.forEach((l, i) => assert.match(l, new RegExp(`^${i + 1}\\t\\S\\*+\\S?\\t\\d{4}$`), l));
  assert.ok(!text.includes(members[0].member.name), 'names are masked');
  // entry numbers in sign-up order; members see theirs
  const list = await anon.get(`/api/v1/lottery/campaigns/${main.id}/entrants?per_page=100`);
  assert.equal(list.body.total, 7);
  assert.equal(list.body.list_sha256, c.list_sha256);
  const me = await members[2].get(`/api/v1/lottery/campaigns/${main.id}`);
  assert.equal(me.body.me.entry_no, 3);
  const tail = members[2].member.mobile_masked.slice(-4);
  const found = await anon.get(`/api/v1/lottery/campaigns/${main.id}/entrants?q=${tail}`);
  assert.ok(found.body.items.some((x) => x.entry_no === 3));
  assert.equal((await anon.get(`/api/v1/lottery/campaigns/${main.id}/entrants?q=abc`)).status, 400);
  // the list never changes afterwards, even when a member's name does
  await nj.patch(`/api/v1/members/${members[0].member.id}`, { name: '改过名字' });
  const again = await anon.req('GET', `/api/v1/lottery/campaigns/${main.id}/entrant-list`);
  assert.equal(again.body, text);
  const audit = await admin.get(
    `/api/v1/audit?object_type=lottery_campaign&object_id=${main.id}&action=lottery.freeze`,
  );
  assert.equal(audit.body.total, 1);
});

test('the draw: bad values refused and nothing drawn; then RFC 3797, verified by the CLI and by JavaScript; no re-draw', async () => {
  const url = `/api/v1/lottery/campaigns/${main.id}/draw`;
  daysPass(srv, main.id); // the sources draw the day after the close
  const bad = [
    [{ sources: [VALUES[0]] }, 'wrong_source_count'],
    [{ sources: ['03 09 14 22 27 31', VALUES[1]] }, 'wrong_value_count'],
    [{ sources: ['03 09 14 22 27 31 1x', VALUES[1]] }, 'invalid_source_value'],
    [{ sources: ['', VALUES[1]] }, 'missing_field'],
    [{ sources: 'x' }, 'invalid_type'],
  ];
  for (const [body, code] of bad) {
    const r = await nj.post(url, body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.code, code);
  }
  assert.equal((await sz.post(url, { sources: VALUES })).status, 403);
  assert.equal((await jn.post(url, { sources: VALUES })).status, 403);
  assert.equal((await anon.get(`/api/v1/lottery/campaigns/${main.id}`)).body.status, 'frozen');
  const d = await nj.post(url, { sources: VALUES });
  assert.equal(d.status, 201, JSON.stringify(d.body));
  assert.equal(d.body.status, 'drawn');
  const key = '3.9.12.14.22.27.31./1.4.4.7.9./';
  assert.equal(d.body.draws.length, 1);
  assert.equal(d.body.draws[0].key_string, key);
  assert.deepEqual(d.body.draws[0].source_values, VALUES);
  assert.equal(d.body.draws[0].index_bytes, 2);
  assert.equal(d.body.winners, 3);
  // drawing again is impossible, whatever the values
  const again = await nj.post(url, { sources: ['1 2 3 4 5 6 7', '1 2 3 4 5'] });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'already_drawn');
  // the published steps
  const picks = (await anon.get(`/api/v1/lottery/campaigns/${main.id}/picks`)).body.items;
  assert.equal(picks.length, 3);
  // 1. the independent JavaScript implementation (the verification page's)
  assert.equal(keyString(VALUES), key);
  const js3 = jsDraw(key, 7, 3);
  assert.deepEqual(
    picks.map((p) => [p.index, p.entry_no, p.md5, p.pool_remaining, p.remainder]),
    js3.map((s) => [s.index, s.entry, s.md5, s.remaining, s.remainder]),
  );
  // 2. the CLI, from the public files alone
  const list = (await anon.req('GET', `/api/v1/lottery/campaigns/${main.id}/entrant-list`)).body;
  const file = path.join(srv.dir, 'entrants.txt');
  writeFileSync(file, list);
  const v = runCli(['lottery', 'verify', '--entrants', file, '--sources', VALUES.join('/'), '--count', '3']);
  assert.equal(v.status, 0, v.stderr);
  const result = (await anon.req('GET', `/api/v1/lottery/campaigns/${main.id}/result`)).body;
  assert.equal(v.stdout, result, 'the CLI prints exactly the published result');
  assert.equal(v.stdout.split('\n')[0], key);
  assert.match(v.stderr, /RFC 3797（序号 2 字节）/);
  // 3. the winners hold vouchers; the others do not
  const winners = new Set(picks.map((p) => p.entry_no));
  for (let i = 0; i < members.length; i++) {
    const mine = (await members[i].get('/api/v1/me/vouchers')).body.items;
    assert.equal(mine.length, winners.has(i + 1) ? 1 : 0, `member ${i + 1}`);
    const page = (await members[i].get(`/api/v1/lottery/campaigns/${main.id}`)).body.me;
    assert.equal(page.won, winners.has(i + 1));
  }
  // the draw is audited with its values and key
  const audit = await admin.get(`/api/v1/audit?object_type=lottery_campaign&object_id=${main.id}&action=lottery.draw`);
  assert.equal(audit.body.total, 1);
});

test('a typo in the values is corrected once, audited, and both versions stay public', async () => {
  const url = `/api/v1/lottery/campaigns/${main.id}/correction`;
  const fixed = ['03 09 14 22 27 31 16', VALUES[1]];
  assert.equal((await nj.post(url, { sources: fixed })).body.error.code, 'missing_field');
  const same = await nj.post(url, { sources: ['31 27 22 14 09 03 12', VALUES[1]], reason: '复核' });
  assert.equal(same.body.error.code, 'same_values', 'the same numbers in another order are the same key');
  const oldPicks = (await anon.get(`/api/v1/lottery/campaigns/${main.id}/picks`)).body.items;
  const r = await nj.post(url, { sources: fixed, reason: '蓝球号码录入错误，应为 16' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.draws.length, 2);
  assert.equal(r.body.draws[0].current, false);
  assert.equal(r.body.draws[1].current, true);
  assert.equal(r.body.draws[1].reason, '蓝球号码录入错误，应为 16');
  assert.deepEqual(r.body.draws[0].source_values, VALUES);
  const v1 = (await anon.get(`/api/v1/lottery/campaigns/${main.id}/picks?version=1`)).body.items;
  assert.deepEqual(v1, oldPicks, 'the first version stays public as it was');
  const v2 = (await anon.get(`/api/v1/lottery/campaigns/${main.id}/picks`)).body.items;
  assert.deepEqual(
    v2.map((p) => p.entry_no),
    jsDraw(keyString(fixed), 7, 3).map((s) => s.entry),
  );
  assert.equal((await anon.get(`/api/v1/lottery/campaigns/${main.id}/picks?version=9`)).status, 404);
  // vouchers of the first version are void; the new winners hold new ones
  const all = (await nj.get(`/api/v1/lottery/campaigns/${main.id}/vouchers?per_page=100`)).body.items;
  assert.equal(all.filter((x) => x.status === 'void').length, 3);
  assert.equal(all.filter((x) => x.status === 'issued').length, 3);
  const audit = await admin.get(
    `/api/v1/audit?object_type=lottery_campaign&object_id=${main.id}&action=lottery.correct`,
  );
  assert.equal(audit.body.total, 1);
});

test('a forfeited voucher goes to a second round that continues the sequence; then no more corrections', async () => {
  const winnersBefore = (await anon.get(`/api/v1/lottery/campaigns/${main.id}/picks`)).body.items;
  assert.equal(
    (await nj.post(`/api/v1/lottery/campaigns/${main.id}/rounds`, { count: 1 })).body.error.code,
    'no_free_vouchers',
  );
  // the first winner declines
  const first = winnersBefore[0].entry_no;
  const who = members[first - 1];
  const v = (await who.get('/api/v1/me/vouchers')).body.items.find((x) => x.status === 'issued');
  assert.match(v.code, /^([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z]{4}$/);
  const qr = await who.req('GET', `/api/v1/me/vouchers/${v.id}/qr`);
  assert.equal(qr.status, 200);
  assert.match(qr.headers.get('content-type'), /^image\/svg\+xml/);
  assert.match(qr.body, /^<svg[^>]*>.*<path fill="#000" d="M/s);
  assert.equal(
    (await members[first % 7].req('GET', `/api/v1/me/vouchers/${v.id}/qr`)).status,
    404,
    'only the holder sees it',
  );
  const dec = await who.post(`/api/v1/me/vouchers/${v.id}/decline`);
  assert.equal(dec.status, 200, JSON.stringify(dec.body));
  assert.equal((await who.post(`/api/v1/me/vouchers/${v.id}/decline`)).status, 409);
  assert.equal((await who.req('GET', `/api/v1/me/vouchers/${v.id}/qr`)).status, 410);
  // a correction is closed now
  const corr = await nj.post(`/api/v1/lottery/campaigns/${main.id}/correction`, { sources: VALUES, reason: '再改' });
  assert.equal(corr.body.error.code, 'correction_closed');
  assert.equal(
    (await nj.post(`/api/v1/lottery/campaigns/${main.id}/rounds`, { count: 2 })).body.error.code,
    'out_of_range',
  );
  const r = await nj.post(`/api/v1/lottery/campaigns/${main.id}/rounds`, { count: 1 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.rounds, 2);
  assert.equal(r.body.winners, 4);
  const picks = (await anon.get(`/api/v1/lottery/campaigns/${main.id}/picks`)).body.items;
  assert.equal(picks.length, 4);
  assert.deepEqual(picks.slice(0, 3), winnersBefore);
  assert.equal(picks[3].index, 3);
  assert.equal(picks[3].round, 2);
  const key = r.body.draws.find((d) => d.current).key_string;
  assert.deepEqual(
    picks.map((p) => p.entry_no),
    jsDraw(key, 7, 4).map((s) => s.entry),
    'the same as one draw of four',
  );
  // the CLI with the total count reproduces both rounds
  const list = (await anon.req('GET', `/api/v1/lottery/campaigns/${main.id}/entrant-list`)).body;
  const file = path.join(srv.dir, 'entrants2.txt');
  writeFileSync(file, list);
  const cli = runCli([
    'lottery',
    'verify',
    '--entrants',
    file,
    '--sources',
    r.body.draws.find((d) => d.current).source_values.join('/'),
    '--count',
    '4',
  ]);
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal(cli.stdout, (await anon.req('GET', `/api/v1/lottery/campaigns/${main.id}/result`)).body);
  assert.equal(
    (await members[picks[3].entry_no - 1].get('/api/v1/me/vouchers')).body.items.filter((x) => x.status === 'issued')
      .length,
    1,
  );
});

test('figures by campaign and by org; scope and roles', async () => {
  const s = await nj.get(`/api/v1/lottery/stats?campaign_id=${main.id}`);
  assert.equal(s.status, 200, JSON.stringify(s.body));
  const c = s.body.campaigns.find((x) => x.id === main.id);
  assert.equal(c.entrants, 7);
  assert.equal(c.winners, 4);
  assert.equal(c.forfeited, 1);
  assert.equal(c.redeemed, 0);
  const byOrg = Object.fromEntries(s.body.by_org.map((o) => [o.org_name, o]));
  assert.equal(byOrg['玄武区总工会'].entrants + byOrg['江宁区总工会'].entrants, 7);
  assert.equal((await auditor.get('/api/v1/lottery/stats')).status, 200);
  assert.equal((await jn.get('/api/v1/lottery/stats')).status, 403);
  assert.equal((await members[0].get('/api/v1/lottery/stats')).status, 403);
  assert.equal((await sz.get(`/api/v1/lottery/stats?org_id=${org['南京市总工会']}`)).status, 404);
  const sz0 = await sz.get('/api/v1/lottery/stats');
  assert.ok(!sz0.body.campaigns.some((x) => x.id === main.id), 'Suzhou sees only its own campaigns');
  assert.equal((await sz.get(`/api/v1/lottery/campaigns/${main.id}/vouchers`)).status, 404);
  assert.equal((await anon.get(`/api/v1/lottery/campaigns/${main.id}/vouchers`)).status, 401);
  // officers never see codes, only their tails
  const vs = await nj.get(`/api/v1/lottery/campaigns/${main.id}/vouchers?per_page=100`);
  assert.ok(vs.body.items.every((x) => x.code === undefined && /^[0-9A-Z]{4}$/.test(x.code_tail)));
  assert.equal((await nj.get(`/api/v1/lottery/campaigns/${main.id}/vouchers?status=bogus`)).status, 400);
  // the database holds no code in clear
  const dump = rawSql(srv.db.url, 'SELECT code_hash || code_sealed FROM vouchers');
  const code = (
    await members[(await anon.get(`/api/v1/lottery/campaigns/${main.id}/picks`)).body.items[3].entry_no - 1].get(
      '/api/v1/me/vouchers',
    )
  ).body.items.find((x) => x.status === 'issued').code;
  assert.ok(!dump.includes(code.replace(/-/g, '')));
});

test('a draw cannot run before the sources have drawn, and an empty pool cannot be drawn', async () => {
  const later = addDays(chinaDate(Date.now() + 3000), 2);
  const c = await newCampaign(nj, {
    orgId: org['南京市总工会'],
    providerIds: [prov.id],
    closeInMs: 2500,
    sources: [{ name: '福彩双色球（两天后开奖）', draw_date: later }],
  });
  const empty = await newCampaign(nj, { orgId: org['南京市总工会'], providerIds: [prov.id], closeInMs: 2500 });
  await members[0].post(`/api/v1/lottery/campaigns/${c.id}/entries`);
  await waitUntil(c.signup_closes_at);
  const r = await nj.post(`/api/v1/lottery/campaigns/${c.id}/draw`, { sources: ['1 2 3 4 5 6 7'] });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'source_not_drawn_yet');
  assert.equal((await anon.get(`/api/v1/lottery/campaigns/${c.id}`)).body.status, 'frozen');
  const e = await nj.post(`/api/v1/lottery/campaigns/${empty.id}/draw`, { sources: VALUES });
  assert.equal(e.body.error.code, 'no_entrants');
  const f = await nj.post(`/api/v1/lottery/campaigns/${empty.id}/freeze`);
  assert.equal(f.status, 200);
  assert.equal(f.body.entrants, 0);
});

test('lottery verify: the RFC worked example, bad files and bad sources', () => {
  const names = [
    'John',
    'Mary',
    'Bashful',
    'Dopey',
    'Sleepy',
    'Grouchy',
    'Doc',
    'Sneazy',
    'Handsome',
    'Cassandra',
    'Pollyanna',
    'Pendragon',
    'Pandora',
    'Faith',
    'Hope',
    'Charity',
    'Lee',
    'Longsuffering',
    'Chastity',
    'Smith',
    'Pride',
    'Sloth',
    'Envy',
    'Anger',
    'Kasczynski',
  ];
  const file = path.join(srv.dir, 'rfc.txt');
  writeFileSync(file, '\ufeff# RFC 3797 section 6\r\n' + names.map((n, i) => `${i + 1} ${n}`).join('\r\n') + '\r\n');
  const r = runCli([
    'lottery',
    'verify',
    '--entrants',
    file,
    '--sources',
    '9319/2 5 12 8 10/9 18 26 34 41 45',
    '--count',
    '10',
    '--steps',
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    '9319./2.5.8.10.12./9.18.26.34.41.45./',
    '17 Lee',
    '7 Doc',
    '2 Mary',
    '16 Charity',
    '25 Kasczynski',
    '23 Envy',
    '8 Sneazy',
    '24 Anger',
    '19 Chastity',
    '13 Pandora',
  ]);
  assert.match(r.stderr, /990DD0A5692A029A98B5E01AA28F3459/);
  const plain = runCli([
    'lottery',
    'verify',
    '--entrants',
    file,
    '--sources',
    '9319/2 5 12 8 10/9 18 26 34 41 45',
    '--count',
    '10',
    '--plain',
  ]);
  assert.equal(plain.stdout, r.stdout);
  writeFileSync(file, '1 a\n3 c\n');
  const gap = runCli(['lottery', 'verify', '--entrants', file, '--sources', '1', '--count', '1']);
  assert.equal(gap.status, 1);
  assert.match(gap.stderr, /第 2 行：报名编号应为 2/);
  writeFileSync(file, '1 a\n2 b\n');
  assert.match(
    runCli(['lottery', 'verify', '--entrants', file, '--sources', '1 x', '--count', '1']).stderr,
    /invalid_source_value/,
  );
  assert.match(
    runCli(['lottery', 'verify', '--entrants', file, '--sources', '1', '--count', '3']).stderr,
    /超过名单人数/,
  );
  assert.equal(runCli(['lottery', 'verify', '--entrants', file]).status, 2);
  assert.match(
    runCli(['lottery', 'verify', '--entrants', path.join(srv.dir, 'nope.txt'), '--sources', '1', '--count', '1'])
      .stderr,
    /无法打开文件/,
  );
});
