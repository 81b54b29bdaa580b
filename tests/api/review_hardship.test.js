// Security review of hardship files: the category of a file (深度困难,
// 相对困难, 意外致困) decides which aid a household may get and how much
// (金秋助学 7,500 yuan for deep, 6,000 for relative). It is confirmed by
// the level above the union that opened the file; once confirmed, the
// union that opened it must not change it on its own — neither by editing
// the file nor through the yearly review. The level above still can, and
// the opening union keeps editing everything else and reviewing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { orgIds, makeMember, openFile, fileBody, familyId } from '../lib/hardship.js';

let srv, anon, admin, hj, jn, org;

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  hj = await anon.login('huajian_officer', DEMO_PASSWORD);
  jn = await anon.login('jn_officer', DEMO_PASSWORD);
  org = await orgIds(admin);
});
after(async () => srv && srv.stop());

// An open 相对困难 file of a Huajian member: 5,200 a month for two,
// 1,000 of costs → 2,100 a head, between 低保 (1,100) and twice it.
async function relativeFile(n) {
  const m = await makeMember(hj, org['江苏华建建设集团有限公司工会'], n);
  const f = await openFile(hj, jn, m.id, n, {
    monthly_income_fen: 300000,
    family_income_fen: 520000,
    medical_cost_fen: 60000,
    education_cost_fen: 40000,
    family: [{ name: '配偶', relation: 'spouse', id_number: familyId(n * 3), health: 'healthy', income_fen: 220000 }],
    category: 'relative',
  });
  return f;
}

test('the opening union cannot change a confirmed category on its own', async () => {
  const f = await relativeFile(8101);
  assert.equal(f.status, 'open');
  assert.equal(f.category, 'relative');
  const p = await hj.patch(`/api/v1/hardship/files/${f.id}`, { category: 'deep', category_reason: '家庭情况特殊需要' });
  assert.equal(p.status, 403, JSON.stringify(p.body));
  assert.equal(p.body.error.code, 'needs_upper_level');
  const r = await hj.post(`/api/v1/hardship/files/${f.id}/review`, {
    outcome: 'continue',
    category: 'deep',
    note: '年度复核调整类别',
  });
  assert.equal(r.status, 403, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'needs_upper_level');
  const now = (await jn.get(`/api/v1/hardship/files/${f.id}`)).body;
  assert.equal(now.category, 'relative');
  assert.equal(now.last_review_on, f.last_review_on, 'no review recorded');
  const hist = (await jn.get(`/api/v1/hardship/files/${f.id}/history`)).body.items;
  assert.deepEqual(
    hist.map((h) => h.kind),
    ['opened', 'approved'],
  );
});

test('the opening union still edits and reviews; the level above changes the category', async () => {
  const f = await relativeFile(8102);
  const e = await hj.patch(`/api/v1/hardship/files/${f.id}`, { note: '家访后补充说明', ethnicity: '回族' });
  assert.equal(e.status, 200, JSON.stringify(e.body));
  assert.equal(e.body.category, 'relative');
  const same = await hj.patch(`/api/v1/hardship/files/${f.id}`, { category: 'relative' });
  assert.equal(same.status, 200, JSON.stringify(same.body));
  const rv = await hj.post(`/api/v1/hardship/files/${f.id}/review`, { outcome: 'continue', note: '情况未变' });
  assert.equal(rv.status, 200, JSON.stringify(rv.body));
  assert.equal(rv.body.category, 'relative');
  const up = await jn.post(`/api/v1/hardship/files/${f.id}/review`, {
    outcome: 'continue',
    category: 'deep',
    note: '突发重病，复核调整',
  });
  assert.equal(up.status, 200, JSON.stringify(up.body));
  assert.equal(up.body.category, 'deep');
  const back = await jn.patch(`/api/v1/hardship/files/${f.id}`, {
    category: 'relative',
    category_reason: '病情好转，恢复原类别',
  });
  assert.equal(back.status, 200, JSON.stringify(back.body));
  assert.equal(back.body.category, 'relative');
  // a pending file is still the opener's to shape before confirmation
  const m = await makeMember(hj, org['江苏华建建设集团有限公司工会'], 8103);
  const pend = await hj.post('/api/v1/hardship/files', fileBody(m.id, 8103));
  assert.equal(pend.status, 201, JSON.stringify(pend.body));
  const pc = await hj.patch(`/api/v1/hardship/files/${pend.body.id}`, {
    category: 'relative',
    category_reason: '申请按相对困难建档',
  });
  assert.equal(pc.status, 200, JSON.stringify(pc.body));
  assert.equal(pc.body.category, 'relative');
});

// The name search builds an upper bound (the prefix and U+10FFFF) in a fixed
// buffer; a prefix of about 216 bytes cut that bound inside a character, and
// PostgreSQL refused the invalid text with a 500.
test('a name search longer than any name is a 400, not a storage error', async () => {
  for (const q of ['a'.repeat(216), 'a'.repeat(218), '周'.repeat(72), '周'.repeat(51)]) {
    const r = await hj.get(`/api/v1/hardship/files?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 400, `${q.length}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, 'invalid_query');
    assert.equal(r.body.error.field, 'q');
  }
  const ok = await hj.get(`/api/v1/hardship/files?q=${encodeURIComponent('周'.repeat(50))}`);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.total, 0);
});

// One household, one file is a national rule, so opening a file that names
// someone already in a live file is refused wherever that file is. The
// refusal named the other file's number even to an officer of another city
// (and "编号 0" on PostgreSQL, whose aborted transaction answered no
// lookup), and left no trace: a way to test, unseen, whether a given ID
// number belongs to a household in hardship. Now the number is told only
// within scope and every such refusal is audited.
test('a household clash names the other file only within scope, and is audited', async () => {
  const sz = await anon.login('sz_officer', DEMO_PASSWORD);
  const a = await makeMember(hj, org['江苏华建建设集团有限公司工会'], 8110);
  const fa = await openFile(hj, jn, a.id, 8110);
  const spouse = fileBody(a.id, 8110).family[0].id_number;
  // another city: refused, no number
  const m = await makeMember(sz, org['苏州平江路文旅发展有限公司工会'], 8111);
  const body = fileBody(m.id, 8111);
  body.family[0].id_number = spouse;
  const r = await sz.post('/api/v1/hardship/files', body);
  assert.equal(r.status, 409, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'person_in_other_file');
  assert.equal(r.body.error.field, 'family[0].id_number');
  assert.doesNotMatch(r.body.error.message, /编号/);
  const au = await admin.get('/api/v1/audit?actor=sz_officer&action=hardship.open&outcome=denied');
  assert.equal(au.status, 200, JSON.stringify(au.body));
  assert.equal(au.body.total, 1, JSON.stringify(au.body.items));
  assert.equal(au.body.items[0].detail.refused, 'person_in_other_file');
  // within scope: the number, right on both backends
  const b = await makeMember(hj, org['江苏华建建设集团有限公司工会'], 8112);
  const own = fileBody(b.id, 8112);
  own.family[0].id_number = spouse;
  const r2 = await hj.post('/api/v1/hardship/files', own);
  assert.equal(r2.status, 409, JSON.stringify(r2.body));
  assert.match(r2.body.error.message, new RegExp(`（该档案编号 ${fa.id}）`));
  // the member's own live file, opened again
  const r3 = await hj.post('/api/v1/hardship/files', fileBody(a.id, 8113));
  assert.equal(r3.status, 409, JSON.stringify(r3.body));
  assert.equal(r3.body.error.code, 'member_has_file');
  assert.match(r3.body.error.message, new RegExp(`（该档案编号 ${fa.id}）`));
  const au2 = await admin.get('/api/v1/audit?actor=huajian_officer&action=hardship.open&outcome=denied');
  assert.equal(au2.body.total, 2);
});
