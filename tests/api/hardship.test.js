// Hardship files over HTTP: opening with the figures checked and the
// category suggested, bad input refused with nothing written, confirmation by
// the level above (exclusions flagged), one household one file, who may read
// a file (and that every read is in the audit log), masked lists, changes
// and their history, the yearly review list, closing, and the ten-year purge
// that first says what it will purge.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runCli, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { rawSql } from '../lib/sql.js';
import { orgIds, makeMember, fileBody, openFile, familyId } from '../lib/hardship.js';

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
  const u = await admin.post('/api/v1/users', {
    login: 'jn_member_only',
    display_name: '江宁会员专干',
    role: 'officer',
    org_id: org['江宁区总工会'],
    duties: ['membership'],
    password: 'Zhuanyuan@2026',
  });
  assert.equal(u.status, 201, JSON.stringify(u.body));
});
after(async () => srv && srv.stop());

const HJ = () => org['江苏华建建设集团有限公司工会'];

async function fileCount() {
  return (await js.get('/api/v1/hardship/files?per_page=1')).body.total;
}

test('opening a file: figures, suggested category, exclusions flagged, confirmed by the level above', async () => {
  const m = await makeMember(hj, HJ(), 7001);
  const r = await hj.post('/api/v1/hardship/files', fileBody(m.id, 1));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const f = r.body;
  assert.equal(f.status, 'pending');
  assert.equal(f.category, 'deep');
  assert.equal(f.suggested_category, 'deep');
  assert.equal(f.household_size, 4);
  assert.equal(f.assessment.per_capita_fen, 80000); // 3,200 / 4
  assert.equal(f.assessment.adjusted_per_capita_fen, 30000); // (3,200 − 2,000) / 4
  assert.equal(f.assessment.dibao_fen, 110000);
  assert.equal(f.assessment.relative_line_fen, 220000);
  assert.match(f.assessment.explanation, /建议认定为深度困难/);
  // the detail masks family ID numbers and the account
  assert.equal(f.record.family[0].id_number, undefined);
  assert.match(f.record.family[0].id_number_masked, /^3201\*{10}/);
  assert.equal(f.record.bank_account, undefined);
  assert.equal(f.record.bank_account_masked, '6222***********9887');
  // the union that opened it cannot confirm it; the county above can
  const self = await hj.post(`/api/v1/hardship/files/${f.id}/approve`, {});
  assert.equal(self.status, 403);
  assert.equal(self.body.error.code, 'needs_upper_level');
  const ok = await jn.post(`/api/v1/hardship/files/${f.id}/approve`, { note: '核实属实' });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.status, 'open');
  const due = new Date(`${ok.body.approved_on}T00:00:00Z`);
  due.setUTCFullYear(due.getUTCFullYear() + 1);
  assert.equal(ok.body.review_due, due.toISOString().slice(0, 10));
  assert.equal((await jn.post(`/api/v1/hardship/files/${f.id}/approve`, {})).status, 409, 'confirmed once');

  // relative hardship: 6,800 a month, 4,800 after costs, 1,200 a head
  const m2 = await makeMember(hj, HJ(), 7002);
  const rel = fileBody(m2.id, 2, { monthly_income_fen: 560000, family_income_fen: 680000, category: 'relative' });
  const r2 = await hj.post('/api/v1/hardship/assess', rel);
  assert.equal(r2.status, 200, JSON.stringify(r2.body));
  assert.equal(r2.body.suggested_category, 'relative');
  // choosing another category than suggested needs a reason
  const wrong = await hj.post('/api/v1/hardship/files', { ...rel, category: 'deep' });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.error.code, 'category_reason_required');
  // two homes and a business employing others: flagged, not refused
  const flagged = await hj.post('/api/v1/hardship/files', { ...rel, homes_owned: 2, employs_others: true });
  assert.equal(flagged.status, 201, JSON.stringify(flagged.body));
  assert.deepEqual(flagged.body.exclusions, ['multiple_homes', 'business_owner']);
  const noReason = await jn.post(`/api/v1/hardship/files/${flagged.body.id}/approve`, {});
  assert.equal(noReason.status, 409);
  assert.equal(noReason.body.error.code, 'exclusion_flagged');
  const withReason = await jn.post(`/api/v1/hardship/files/${flagged.body.id}/approve`, {
    exclusion_override_reason: '第二套住房为农村危房，无出租收入',
  });
  assert.equal(withReason.status, 200);
});

test('bad input is refused with a clear error and nothing is written', async () => {
  const m = await makeMember(hj, HJ(), 7010);
  const before = await fileCount();
  const cases = [
    [{ ...fileBody(m.id, 10), ethnicity: undefined }, 'missing_field', 'ethnicity'],
    [fileBody(m.id, 10, { family_income_fen: 330000 }), 'income_mismatch', 'family_income_fen'],
    [
      fileBody(m.id, 10, {
        family: [
          { name: '配偶', relation: 'spouse', id_number: '320115198601010000', health: 'healthy', income_fen: 120000 },
        ],
      }),
      'invalid_id_number',
      'family[0].id_number',
    ],
    [
      fileBody(m.id, 10, { secondary_causes: ['schooling', 'laid_off', 'disaster', 'uninsured'] }),
      'too_many_items',
      'secondary_causes',
    ],
    [fileBody(m.id, 10, { secondary_causes: ['major_illness'] }), 'duplicate_cause', 'secondary_causes'],
    [fileBody(m.id, 10, { main_cause: 'bad_luck' }), 'invalid_choice', 'main_cause'],
    [fileBody(m.id, 10, { monthly_income_fen: -1 }), 'invalid_amount', 'monthly_income_fen'],
    [fileBody(m.id, 10, { bank_account: '12ab' }), 'invalid_account', 'bank_account'],
    [fileBody(m.id, 10, { salary: 1 }), 'unknown_field', 'salary'],
    [
      fileBody(m.id, 10, { category: 'accident', category_reason: '工伤致困，赔付后仍困难' }),
      'category_mismatch',
      'category',
    ],
  ];
  for (const [body, code, field] of cases) {
    const r = await hj.post('/api/v1/hardship/files', JSON.parse(JSON.stringify(body)));
    assert.equal(r.status, 400, `${code}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, code);
    assert.equal(r.body.error.field, field);
    assert.match(r.body.error.message, /\p{Script=Han}/u);
  }
  // a family member who appears twice, or is the worker themself
  const dup = fileBody(m.id, 10);
  dup.family[1].id_number = dup.family[0].id_number;
  assert.equal((await hj.post('/api/v1/hardship/files', dup)).body.error.code, 'duplicate_family_member');
  const selfFam = fileBody(m.id, 10);
  selfFam.family[0].id_number = m.idNumber;
  assert.equal((await hj.post('/api/v1/hardship/files', selfFam)).body.error.code, 'family_is_member');
  // no hardship duty: refused before anything else
  const plain = await anon.login('jn_member_only', 'Zhuanyuan@2026');
  assert.equal((await plain.post('/api/v1/hardship/files', fileBody(m.id, 10))).status, 403);
  assert.equal(await fileCount(), before, 'nothing written');
});

test('one household, one file', async () => {
  const a = await makeMember(hj, HJ(), 7020);
  const b = await makeMember(hj, HJ(), 7021);
  const fa = await openFile(hj, jn, a.id, 20);
  const again = await hj.post('/api/v1/hardship/files', fileBody(a.id, 21));
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'member_has_file');
  // b's file names a's spouse: the same person cannot be in two live files
  const body = fileBody(b.id, 22);
  body.family[0].id_number = familyId(20 * 3);
  const clash = await hj.post('/api/v1/hardship/files', body);
  assert.equal(clash.status, 409);
  assert.equal(clash.body.error.code, 'person_in_other_file');
  assert.equal(clash.body.error.field, 'family[0].id_number');
  // and a's file cannot name b when b has a file either
  const fb = await openFile(hj, jn, b.id, 23);
  const withB = await hj.patch(`/api/v1/hardship/files/${fa.id}`, {
    family: [{ name: '困难测试7021', relation: 'sibling', id_number: b.idNumber, health: 'healthy', income_fen: 0 }],
    family_income_fen: 200000,
    education_cost_fen: 0,
  });
  assert.equal(withB.status, 409, JSON.stringify(withB.body));
  assert.equal(withB.body.error.code, 'person_in_other_file');
  assert.ok(fb.id);
});

test('who may read a file: scope, duty, the member themself; every read audited', async () => {
  const m = await makeMember(hj, HJ(), 7030, { login: true });
  const other = await makeMember(hj, HJ(), 7031, { login: true });
  const f = await openFile(hj, jn, m.id, 30);
  const path = `/api/v1/hardship/files/${f.id}`;
  // allowed: the officers above with the duty, and the member
  for (const c of [hj, jn, nj, js, admin]) {
    const r = await c.get(path);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.record.health, 'serious_illness');
  }
  const own = await m.client.get('/api/v1/hardship/me');
  assert.equal(own.status, 200);
  assert.equal(own.body.id, f.id);
  assert.equal((await m.client.get(path)).status, 200);
  // refused: a sibling city's officer (404: out of scope looks absent), an
  // officer in scope without the duty and the auditor (403), another member (404)
  assert.equal((await sz.get(path)).status, 404);
  const plain = await anon.login('jn_member_only', 'Zhuanyuan@2026');
  assert.equal((await plain.get(path)).status, 403);
  const auditor = await anon.login('auditor', DEMO_PASSWORD);
  assert.equal((await auditor.get(path)).status, 403);
  assert.equal((await other.client.get(path)).status, 404);
  assert.equal((await other.client.get('/api/v1/hardship/me')).status, 404);
  assert.equal((await other.client.get('/api/v1/hardship/files')).status, 403);
  assert.equal((await m.client.patch(path, { ethnicity: '回族' })).status, 403, 'a member cannot change the file');
  assert.equal((await plain.get('/api/v1/hardship/files')).status, 403);
  // the audit log holds every allowed read — the answers to opening and
  // confirming were reads too — and every refused one
  const log = await admin.get(`/api/v1/audit?object_type=hardship_file&object_id=${f.id}&per_page=100`);
  const reads = log.body.items.filter((a) => a.action === 'hardship.read');
  const count = (outcome, who) =>
    reads.filter((a) => a.outcome === outcome && (a.actor_login === who || a.actor_role === who)).length;
  assert.deepEqual(
    ['admin', 'js_officer', 'nj_officer', 'jn_officer', 'huajian_officer', 'member'].map((w) => count('ok', w)),
    [1, 1, 1, 2, 2, 2],
    JSON.stringify(reads.map((a) => [a.actor_login, a.actor_role, a.outcome])),
  );
  assert.equal(reads.filter((a) => a.outcome === 'ok').length, 9);
  assert.deepEqual(
    ['sz_officer', 'jn_member_only', 'auditor', 'member'].map((w) => count('denied', w)),
    [1, 1, 1, 1],
  );
  // the list shows masked names and nothing from the sealed record
  const list = await jn.get('/api/v1/hardship/files?per_page=100');
  const row = list.body.items.find((x) => x.id === f.id);
  assert.ok(row.member_name_masked.startsWith('困') && row.member_name_masked.includes('*'), row.member_name_masked);
  assert.match(row.id_number_masked, /\*{10}/);
  assert.equal(row.record, undefined);
  assert.equal(row.member_name, undefined);
  assert.equal(JSON.stringify(list.body).includes('6222024301000099887'), false);
  // the full account only with a reason, audited
  assert.equal((await jn.post(`${path}/reveal`, { field: 'bank_account', reason: '' })).status, 400);
  const rv = await jn.post(`${path}/reveal`, { field: 'bank_account', reason: '发放助学金核对账号' });
  assert.equal(rv.body.value, '6222024301000099887');
  const fam = await jn.post(`${path}/reveal`, { field: 'family_id_number', index: 0, reason: '核实配偶身份' });
  assert.equal(fam.body.value, familyId(90));
  const reveals = (await admin.get(`/api/v1/audit?action=hardship.reveal&object_id=${f.id}`)).body.items;
  assert.equal(reveals.length, 2);
  // the raw row holds no figure or name of the family in clear
  const raw = rawSql(srv.db.url, `SELECT sealed FROM hardship_files WHERE id = ${f.id}`);
  assert.match(raw, /^v1:/);
  assert.equal(raw.includes('配偶甲'), false);
});

test('filters, changes with their history, the yearly review list, closing', async () => {
  const m = await makeMember(hj, HJ(), 7040);
  const f = await openFile(hj, jn, m.id, 40, { main_cause: 'laid_off', secondary_causes: ['disaster', 'schooling'] });
  const byCause = await jn.get('/api/v1/hardship/files?cause=disaster&per_page=100');
  assert.ok(byCause.body.items.some((x) => x.id === f.id));
  assert.ok(byCause.body.items.every((x) => x.main_cause === 'disaster' || x.secondary_causes.includes('disaster')));
  const byCat = await jn.get('/api/v1/hardship/files?category=relative&per_page=100');
  assert.ok(byCat.body.items.length > 0 && byCat.body.items.every((x) => x.category === 'relative'));
  assert.equal((await jn.get('/api/v1/hardship/files?category=poor')).status, 400);
  // a change: the wage goes up; (8,200 − 2,000) / 4 = 1,550 a head, under
  // 2 × 低保: relative hardship now — a confirmed category is changed by
  // the level above, as it was confirmed (review_hardship.test.js)
  const up = await jn.patch(`/api/v1/hardship/files/${f.id}`, {
    monthly_income_fen: 700000,
    family_income_fen: 820000,
    category: 'relative',
  });
  assert.equal(up.status, 200, JSON.stringify(up.body));
  assert.equal(up.body.suggested_category, 'relative');
  assert.equal(up.body.category, 'relative');
  assert.equal(up.body.assessment.adjusted_per_capita_fen, 155000);
  const bad = await hj.patch(`/api/v1/hardship/files/${f.id}`, { family_income_fen: 1 });
  assert.equal(bad.body.error.code, 'income_mismatch');
  const h = await jn.get(`/api/v1/hardship/files/${f.id}/history`);
  assert.deepEqual(
    h.body.items.map((x) => x.kind),
    ['opened', 'approved', 'updated'],
  );
  const change = h.body.items[2].changes.find((c) => c.field === 'monthly_income_fen');
  assert.deepEqual([change.from, change.to], [200000, 700000]);
  assert.deepEqual(h.body.items[2].fields.sort(), ['category', 'family_income_fen', 'monthly_income_fen']);
  assert.equal(h.body.items[0].actor, '华建工会 钱志刚');
  // the review falls due: overdue files head the list of the org, counted
  rawSql(srv.db.url, `UPDATE hardship_files SET review_due = '2020-01-31' WHERE id = ${f.id}`);
  const due = await jn.get(`/api/v1/hardship/reviews/due?org_id=${HJ()}&per_page=5`);
  assert.equal(due.status, 200, JSON.stringify(due.body));
  assert.equal(due.body.items[0].id, f.id);
  assert.equal(due.body.items[0].review_overdue, true);
  assert.ok(due.body.overdue >= 1);
  const sum = await jn.get('/api/v1/hardship/summary');
  assert.ok(sum.body.overdue >= 1 && sum.body.open >= 1, JSON.stringify(sum.body));
  assert.equal((await sz.get(`/api/v1/hardship/reviews/due?org_id=${HJ()}`)).status, 404, 'another city: not found');
  const sdue = await sz.get('/api/v1/hardship/reviews/due');
  assert.ok(!sdue.body.items.some((x) => x.id === f.id));
  // the review: continue for a year from today
  const rv = await hj.post(`/api/v1/hardship/files/${f.id}/review`, {
    outcome: 'continue',
    note: '收入仍低于两倍低保',
  });
  assert.equal(rv.status, 200, JSON.stringify(rv.body));
  assert.equal(rv.body.review_overdue, false);
  assert.ok(rv.body.review_due > rv.body.last_review_on);
  // closing: any time, with a reason; then read-only
  assert.equal((await hj.post(`/api/v1/hardship/files/${f.id}/close`, { reason: 'lucky' })).status, 400);
  const cl = await hj.post(`/api/v1/hardship/files/${f.id}/close`, {
    reason: 'out_of_hardship',
    note: '夫妻均已稳定就业',
  });
  assert.equal(cl.status, 200);
  assert.equal(cl.body.status, 'closed');
  assert.equal(cl.body.close_reason, 'out_of_hardship');
  const ro = await hj.patch(`/api/v1/hardship/files/${f.id}`, { ethnicity: '回族' });
  assert.equal(ro.status, 409);
  assert.equal(ro.body.error.code, 'file_closed');
  assert.equal((await hj.post(`/api/v1/hardship/files/${f.id}/review`, { outcome: 'continue' })).status, 409);
  assert.equal(
    (await jn.get(`/api/v1/hardship/files/${f.id}`)).body.record.household_place,
    '江苏省南京市江宁区',
    'still readable',
  );
  // the household may file again later (a new file)
  const again = await hj.post('/api/v1/hardship/files', fileBody(m.id, 40));
  assert.equal(again.status, 201, JSON.stringify(again.body));
  // not confirmed: the level above turns it down (the opening union cannot)
  assert.equal(
    (await jn.post(`/api/v1/hardship/files/${again.body.id}/reject`, { reason: '收入已超过认定标准' })).status,
    200,
  );
});

test('the purge says what it will purge, then erases only with --yes', async () => {
  const m = await makeMember(hj, HJ(), 7050);
  const f = await openFile(hj, jn, m.id, 50);
  await hj.post(`/api/v1/hardship/files/${f.id}/close`, { reason: 'retired' });
  const young = await makeMember(hj, HJ(), 7051);
  const g = await openFile(hj, jn, young.id, 51);
  await hj.post(`/api/v1/hardship/files/${g.id}/close`, { reason: 'deceased' });
  const old = new Date();
  old.setUTCFullYear(old.getUTCFullYear() - 10);
  old.setUTCDate(old.getUTCDate() - 2);
  rawSql(srv.db.url, `UPDATE hardship_files SET closed_on = '${old.toISOString().slice(0, 10)}' WHERE id = ${f.id}`);
  const nine = new Date();
  nine.setUTCFullYear(nine.getUTCFullYear() - 9);
  rawSql(srv.db.url, `UPDATE hardship_files SET closed_on = '${nine.toISOString().slice(0, 10)}' WHERE id = ${g.id}`);
  const dry = runCli(['hardship', 'purge', ...srv.common]);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, new RegExp(`档案 ${f.id} `));
  assert.doesNotMatch(dry.stdout, new RegExp(`档案 ${g.id} `));
  assert.match(dry.stdout, /加 --yes/);
  assert.equal((await jn.get(`/api/v1/hardship/files/${f.id}`)).body.status, 'closed', 'nothing purged without --yes');
  const yes = runCli(['hardship', 'purge', '--yes', ...srv.common]);
  assert.equal(yes.status, 0, yes.stderr);
  assert.match(yes.stdout, /已清除 1 份/);
  const after = await jn.get(`/api/v1/hardship/files/${f.id}`);
  assert.equal(after.body.status, 'purged');
  assert.equal(after.body.record, null);
  assert.equal(
    rawSql(srv.db.url, `SELECT COUNT(*) FROM hardship_history WHERE file_id = ${f.id} AND snapshot_sealed IS NOT NULL`),
    '0',
  );
  assert.equal((await jn.get(`/api/v1/hardship/files/${g.id}`)).body.status, 'closed', 'nine years: kept');
  const again = runCli(['hardship', 'purge', ...srv.common]);
  assert.match(again.stdout, /无需清除/);
  const v = runCli(['audit', 'verify', ...srv.common]);
  assert.equal(v.status, 0, v.stderr);
  const purged = (await admin.get(`/api/v1/audit?action=hardship.purge&object_id=${f.id}`)).body.items;
  assert.equal(purged.length, 1);
});
