// Tamper evidence against someone who can write the database (issue 20):
// the chains are keyed with a secret derived from the key file, their heads
// carry a keyed MAC, and signed checkpoints kept outside the database pin
// every partition. Each attack below is played with raw SQL, the way a
// database writer without the key file would, and undone afterwards:
//   - the newest rows deleted and the head rolled back: refused (a head whose
//     MAC does not hold; with a kept copy of the old head row, only the
//     checkpoints see it: missing rows, rolled-back head);
//   - a row edited and every later hash recomputed with plain SHA-256:
//     refused as forged; the same for the ledger;
//   - a forged checkpoint line: bad signature;
//   - an auditor holding only the public key and the checkpoints.
// Runs on SQLite and, with GONGHUI_TEST_PG, on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { appendFileSync, copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, runCli, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { rawSql } from '../lib/sql.js';

let srv, admin, auditor, cpFile, pubKey;
let P; // 江苏's partition
const sql = (q) => rawSql(srv.db.url, q);
const num = (q) => Number(sql(q));
const sha256 = (s) => createHash('sha256').update(s).digest('hex');

before(async () => {
  srv = await startServer({ args: ['--checkpoint-interval', '0'] });
  admin = await new Client(srv.url).login('admin', DEMO_PASSWORD);
  auditor = await new Client(srv.url).login('auditor', DEMO_PASSWORD);
  P = num("SELECT id FROM orgs WHERE name = '江苏省总工会'");
  cpFile = path.join(srv.dir, 'checkpoints.jsonl');
  const pk = runCli(['checkpoint', '--public-key', ...srv.common]);
  assert.equal(pk.status, 0, pk.stderr);
  pubKey = pk.stdout.trim();
  assert.match(pubKey, /^[0-9a-f]{64}$/);
});
after(async () => srv && srv.stop());

const verifyAudit = (...extra) => runCli(['audit', 'verify', ...srv.common, ...extra]);
const checkLedger = (...extra) => runCli(['ledger', 'check', ...srv.common, ...extra]);
const cp = () => ['--checkpoints', cpFile];
const checkpoint = async (who = admin) => {
  const r = await who.post('/api/v1/audit/checkpoints', {});
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
};

// some audit rows and transfers in 江苏's partitions
const jsMembers = () =>
  sql(`SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE '%/${P}/%' ORDER BY m.id LIMIT 6`)
    .split('\n')
    .map(Number);
const writeJs = async (tag, n = 3) => {
  for (const [i, id] of jsMembers().slice(0, n).entries()) {
    const r = await admin.patch(`/api/v1/members/${id}`, { employer: `${tag}单位${i}` });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
};
const acct = (code) => num(`SELECT id FROM ledger_accounts WHERE org_id = ${P} AND code = '${code}'`);
const postJs = async (memo, amount) => {
  const r = await admin.post('/api/v1/ledger/transfers', {
    debit_account_id: acct('bank'),
    credit_account_id: acct('fee_income'),
    amount_fen: amount,
    memo,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
};

const head = (t) => {
  const [seq, hash, kf, mac] = sql(`SELECT seq, hash, keyed_from, mac FROM ${t} WHERE part = ${P}`).split('|');
  return { seq: Number(seq), hash, kf: Number(kf), mac };
};
const setHead = (t, h) =>
  sql(`UPDATE ${t} SET seq = ${h.seq}, hash = '${h.hash}', keyed_from = ${h.kf}, mac = '${h.mac}' WHERE part = ${P}`);

test('checkpoints on demand (API for admins and auditors, CLI) are signed lines in the file; everything verifies against them', async () => {
  await writeJs('检查点');
  await postJs('检查点记账', 500);
  const a = await checkpoint();
  assert.equal(a.public_key, pubKey);
  assert.equal(a.file, cpFile);
  assert.match(a.checkpoint.sig, /^[0-9a-f]{128}$/);
  const parts = Object.fromEntries(a.checkpoint.audit.parts.map(([p, seq, hash]) => [p, { seq, hash }]));
  assert.equal(parts[P].seq, head('audit_heads').seq);
  assert.equal(parts[P].hash, head('audit_heads').hash);
  await checkpoint(auditor);
  const officer = await new Client(srv.url).login('js_officer', DEMO_PASSWORD);
  assert.equal((await officer.post('/api/v1/audit/checkpoints', {})).status, 403);
  const pk = await auditor.get('/api/v1/audit/checkpoints/public-key');
  assert.deepEqual(pk.body, { public_key: pubKey, algorithm: 'Ed25519' });
  const cli = runCli(['checkpoint', ...srv.common]);
  assert.equal(cli.status, 0, cli.stderr);
  const line = JSON.parse(cli.stdout);
  assert.ok(line.audit.root && line.ledger.root);

  // the file: one JSON line per checkpoint (the one at start, then ours)
  const lines = readFileSync(cpFile, 'utf8').trim().split('\n');
  assert.ok(lines.length >= 4, `${lines.length} lines`);
  // anyone can check a line with the public key alone (Ed25519 over the documented text)
  const key = createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(pubKey, 'hex')]),
    format: 'der',
    type: 'spki',
  });
  for (const l of lines) {
    const c = JSON.parse(l);
    assert.ok(verify(null, Buffer.from(signedText(c)), key, Buffer.from(c.sig, 'hex')), l.slice(0, 80));
  }

  const v = verifyAudit(...cp());
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /签名全部有效/);
  assert.match(v.stdout, /哈希链无误，与检查点一致/);
  const l = checkLedger(...cp());
  assert.equal(l.status, 0, l.stdout + l.stderr);
  assert.match(l.stdout, /与检查点的 \d+ 个条目一致/);
});

// The text a checkpoint's signature covers (domain/core/checkpoint.h).
function signedText(c) {
  let t = `gonghui checkpoint v1\nts ${c.ts}\nkey ${c.key}\n`;
  for (const k of ['audit', 'ledger']) {
    t += `${k} root ${c[k].root}\n`;
    for (const [p, seq, hash, kf] of c[k].parts) t += `${k} ${p} ${seq} ${hash} ${kf}\n`;
  }
  return t;
}

test('the newest audit rows deleted and the head rolled back: refused; with a kept copy of the old head, the checkpoints still catch it', async () => {
  const before = head('audit_heads');
  await checkpoint();
  await writeJs('回滚前');
  await checkpoint();
  const now = head('audit_heads');
  assert.ok(now.seq >= before.seq + 3);

  // the attack: the rows after `before` go, the head goes back
  sql(`CREATE TABLE audit_saved AS SELECT * FROM audit_log WHERE part = ${P} AND seq > ${before.seq}`);
  sql(`DELETE FROM audit_log WHERE part = ${P} AND seq > ${before.seq}`);
  try {
    // a plain rollback: the head MAC of that position was never written
    setHead('audit_heads', { ...before, mac: now.mac });
    const naive = verifyAudit();
    assert.equal(naive.status, 1, naive.stdout);
    assert.match(naive.stderr, /audit_head_forged/);
    assert.match(naive.stderr, /链头（第 \d+ 条）的密钥签记不符/);
    // nor does the platform sign such a head
    const refused = await admin.post('/api/v1/audit/checkpoints', {});
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'checkpoint_refused');

    // with the head row as it was kept from back then, the database agrees
    // with itself: that is what the checkpoints are for
    setHead('audit_heads', before);
    assert.equal(verifyAudit().status, 0, 'without checkpoints a restored old head cannot be told');
    const v = verifyAudit(...cp());
    assert.equal(v.status, 1, v.stdout);
    assert.match(v.stderr, /audit_checkpoint_missing_rows/);
    assert.match(
      v.stderr,
      new RegExp(`比检查点短（缺少记录）：检查点（.*）时已有第 ${now.seq} 条，现在只到第 ${before.seq} 条`),
    );
    assert.match(v.stderr, new RegExp(`链头被回滚：检查点（.*）时链头在第 ${now.seq} 条，现在在第 ${before.seq} 条`));
    assert.match(v.stderr, /根摘要（\d+ 个分区，有分区未通过，不可信）/);
    // the auditor without the key file, with the public key: the same verdict
    const blind = runCli([
      'audit',
      'verify',
      '--db',
      srv.db.url,
      '--key-file',
      path.join(srv.dir, 'no-such.key'),
      '--public-key',
      pubKey,
      ...cp(),
    ]);
    assert.equal(blind.status, 1, blind.stdout);
    assert.match(blind.stdout, /没有密钥文件/);
    assert.match(blind.stderr, /链头被回滚/);
  } finally {
    sql('INSERT INTO audit_log SELECT * FROM audit_saved');
    sql('DROP TABLE audit_saved');
    setHead('audit_heads', now);
  }
  const ok = verifyAudit(...cp());
  assert.equal(ok.status, 0, ok.stderr);
  const blindOk = runCli([
    'audit',
    'verify',
    '--db',
    srv.db.url,
    '--key-file',
    path.join(srv.dir, 'no-such.key'),
    '--public-key',
    pubKey,
    ...cp(),
  ]);
  assert.equal(blindOk.status, 0, blindOk.stderr);
  assert.match(blindOk.stdout, /条带密钥的记录未重算（没有密钥文件）/);
});

test('the newest transfer deleted, balances adjusted and the ledger head rolled back: refused', async () => {
  const before = head('ledger_heads');
  await postJs('回滚前记账', 1234);
  await checkpoint();
  const now = head('ledger_heads');
  assert.equal(now.seq, before.seq + 1);
  const [bank, income] = [acct('bank'), acct('fee_income')];
  const adjust = (op) => {
    sql(`UPDATE ledger_balances SET debit_fen = debit_fen ${op} 1234 WHERE account_id = ${bank}`);
    sql(`UPDATE ledger_balances SET credit_fen = credit_fen ${op} 1234 WHERE account_id = ${income}`);
  };
  sql(`CREATE TABLE ledger_saved AS SELECT * FROM ledger_transfers WHERE part = ${P} AND seq > ${before.seq}`);
  sql(`DELETE FROM ledger_transfers WHERE part = ${P} AND seq > ${before.seq}`);
  adjust('-');
  try {
    setHead('ledger_heads', { ...before, mac: now.mac });
    const naive = checkLedger();
    assert.equal(naive.status, 1);
    assert.match(naive.stdout, /通过 cached_balances/);
    assert.match(naive.stdout, /失败 hash_chain .*链头（第 \d+ 笔）的密钥签记不符/);
    setHead('ledger_heads', before);
    assert.equal(checkLedger().status, 0, 'without checkpoints a restored old head cannot be told');
    const c = checkLedger(...cp());
    assert.equal(c.status, 1, c.stdout);
    assert.match(
      c.stdout,
      new RegExp(`比检查点短（缺少记录）：检查点（.*）时已有第 ${now.seq} 笔，现在只到第 ${before.seq} 笔`),
    );
    assert.match(c.stdout, new RegExp(`链头被回滚：检查点（.*）时链头在第 ${now.seq} 笔，现在在第 ${before.seq} 笔`));
    assert.match(c.stderr, /ledger_breach/);
  } finally {
    sql('INSERT INTO ledger_transfers SELECT * FROM ledger_saved');
    sql('DROP TABLE ledger_saved');
    adjust('+');
    setHead('ledger_heads', now);
  }
  const ok = checkLedger(...cp());
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
});

// The row encodings (domain/core/audit.c row_text, ledger.c xfer_text), as
// an attacker without the key would re-hash them: plain SHA-256.
const NUL = '<NULL>';
const field = (s) => (s === NUL ? '-1:' : `${Buffer.byteLength(s)}:${s}`);
const n0 = (s) => (s === NUL ? 0 : Number(s));
const plainLink = (part, body) => sha256(part === 0 ? body : `p${part}|${body}`);
const c = (col) => `COALESCE(CAST(${col} AS TEXT), '${NUL}')`;
const auditCols = [
  'seq',
  'ts',
  'actor_id',
  'actor_login',
  'actor_role',
  'client',
  'action',
  'object_type',
  'object_id',
  'org_id',
  'org_path',
  'outcome',
  'detail',
  'prev_hash',
  'hash',
];
const auditText = (r) =>
  `${r.seq}|` +
  field(r.ts) +
  `|${n0(r.actor_id)}|` +
  field(r.actor_login) +
  field(r.actor_role) +
  field(r.client) +
  field(r.action) +
  field(r.object_type) +
  `|${n0(r.object_id)}|${n0(r.org_id)}|` +
  field(r.org_path) +
  field(r.outcome) +
  field(r.detail) +
  field(r.prev_hash);
const xferCols = [
  'seq',
  'idem_key',
  'batch_key',
  'debit_account_id',
  'credit_account_id',
  'amount_fen',
  'status',
  'ref_type',
  'ref_id',
  'reverses_id',
  'pending_id',
  'memo',
  'org_id',
  'actor_id',
  'value_date',
  'created_at',
  'prev_hash',
  'hash',
];
const xferText = (r) =>
  `${r.seq}|` +
  field(r.idem_key) +
  field(r.batch_key) +
  `|${r.debit_account_id}|${r.credit_account_id}|${r.amount_fen}|` +
  field(r.status) +
  field(r.ref_type) +
  `|${n0(r.ref_id)}|${n0(r.reverses_id)}|${n0(r.pending_id)}|` +
  field(r.memo) +
  `|${r.org_id}|${n0(r.actor_id)}|` +
  field(r.value_date) +
  field(r.created_at) +
  field(r.prev_hash);
const rowsOf = (table, cols, from) =>
  sql(`SELECT ${cols.map(c).join(', ')} FROM ${table} WHERE part = ${P} AND seq >= ${from} ORDER BY seq`)
    .split('\n')
    .map((l) => Object.fromEntries(l.split('|').map((v, i) => [cols[i], v])));

// Change one field of row `from` and re-link it and every later row with
// plain SHA-256, head included; returns what undoes it.
function rewritePlain(table, heads, cols, text, from, change) {
  const rows = rowsOf(table, cols, from);
  const saved = rows.map((r) => ({ ...r }));
  const savedHead = head(heads);
  let prev = rows[0].prev_hash;
  for (const [i, r] of rows.entries()) {
    if (i === 0) Object.assign(r, change);
    r.prev_hash = prev;
    r.hash = plainLink(P, text(r));
    prev = r.hash;
    const set = Object.keys(change).map((k) => `${k} = '${r[k]}'`);
    sql(`UPDATE ${table} SET ${i === 0 ? set.join(', ') + ', ' : ''}prev_hash = '${r.prev_hash}', hash = '${r.hash}'
         WHERE part = ${P} AND seq = ${r.seq}`);
  }
  sql(`UPDATE ${heads} SET hash = '${prev}' WHERE part = ${P}`);
  return () => {
    for (const r of saved) {
      const set = Object.keys(change).map((k) => `${k} = ${r[k] === NUL ? 'NULL' : `'${r[k]}'`}`);
      sql(`UPDATE ${table} SET ${set.join(', ')}, prev_hash = '${r.prev_hash}', hash = '${r.hash}'
           WHERE part = ${P} AND seq = ${r.seq}`);
    }
    setHead(heads, savedHead);
  };
}

test('an audit row edited and every later hash recomputed with plain SHA-256: refused as forged', async () => {
  await writeJs('伪造前', 4);
  await checkpoint();
  const h = head('audit_heads');
  const from = h.seq - 2;
  // the encoding is right: the rows as they stand are not plain SHA-256 …
  const [r0] = rowsOf('audit_log', auditCols, from);
  assert.notEqual(plainLink(P, auditText(r0)), r0.hash, 'a keyed row');
  const undo = rewritePlain('audit_log', 'audit_heads', auditCols, auditText, from, {
    detail: '{"employer":"篡改后的单位"}',
  });
  try {
    // … and after the rewrite they are, every link holds, yet:
    const v = verifyAudit();
    assert.equal(v.status, 1, v.stdout);
    assert.match(v.stderr, /错误 \[audit_hash_forged\]/);
    assert.match(v.stderr, new RegExp(`第 ${from} 条的摘要是伪造的：应带密钥，却是不带密钥的 SHA-256`));
    assert.match(v.stderr, /（同样的问题共 3 处）/);
    assert.match(v.stderr, /另有问题：.*链头（第 \d+ 条）的密钥签记不符/);
    assert.doesNotMatch(v.stderr, /前序摘要不符/, 'the links themselves were made to hold');
    const w = verifyAudit(...cp());
    assert.equal(w.status, 1);
    assert.match(w.stderr, new RegExp(`第 ${h.seq} 条的摘要与检查点（.*）不符：这条记录或它之前的历史被改写过`));
  } finally {
    undo();
  }
  assert.equal(verifyAudit(...cp()).status, 0);
});

test('a transfer edited and every later hash recomputed with plain SHA-256: refused as forged', async () => {
  await postJs('伪造前记账一', 100);
  await postJs('伪造前记账二', 200);
  const h = head('ledger_heads');
  const undo = rewritePlain('ledger_transfers', 'ledger_heads', xferCols, xferText, h.seq - 1, {
    memo: '改过的摘要',
  });
  try {
    const l = checkLedger();
    assert.equal(l.status, 1, l.stdout);
    assert.match(l.stdout, /失败 hash_chain .*第 \d+ 笔的摘要是伪造的：应带密钥，却是不带密钥的 SHA-256/);
    const api = (await admin.get('/api/v1/ledger/check')).body;
    assert.equal(api.ok, false);
    const root = api.checks.find((x) => x.check === 'chain_root');
    const part = root.partitions.find((p) => p.partition === P);
    assert.equal(part.code, 'ledger_hash_forged');
    assert.equal(part.bad_seq, h.seq - 1);
    assert.ok(part.problems.some((p) => p.code === 'ledger_head_forged'));
  } finally {
    undo();
  }
  assert.equal(checkLedger(...cp()).status, 0);
});

test('a forged checkpoint line is refused: bad signature', async () => {
  const forged = path.join(srv.dir, 'forged.jsonl');
  copyFileSync(cpFile, forged);
  const lines = readFileSync(cpFile, 'utf8').trim().split('\n');
  const last = JSON.parse(lines.at(-1));
  // a checkpoint that would vouch for a shorter 江苏 partition: seq lowered,
  // the root recomputed, the signature left as it was
  const f = structuredClone(last);
  const p = f.audit.parts.find(([part]) => part === P);
  p[1] -= 2;
  f.audit.root = sha256(f.audit.parts.map(([a, b, h]) => `${a}|${b}|${h}\n`).join(''));
  appendFileSync(forged, JSON.stringify(f) + '\n');
  // one signed with another Ed25519 key
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const g = structuredClone(last);
  g.key = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
  g.sig = sign(null, Buffer.from(signedText(g)), privateKey).toString('hex');
  appendFileSync(forged, JSON.stringify(g) + '\n');
  const n = lines.length;
  const v = verifyAudit('--checkpoints', forged);
  assert.equal(v.status, 1, v.stdout);
  assert.match(
    v.stdout,
    new RegExp(
      `检查点文件第 ${n + 1} 行（.*）签名无效：内容在签名之后被改动过（伪造的检查点） \\[checkpoint_bad_signature\\]`,
    ),
  );
  assert.match(v.stdout, new RegExp(`检查点文件第 ${n + 2} 行（.*）签名无效：签名用的不是平台的公钥（伪造的检查点）`));
  assert.match(v.stderr, /错误 \[checkpoint_bad_signature\]/);
  const l = checkLedger('--checkpoints', forged);
  assert.equal(l.status, 1);
  assert.match(l.stdout, /签名无效/);
  // the auditor's public key is the one that counts, not the line's own
  const mine = runCli(['audit', 'verify', ...srv.common, '--public-key', g.key, '--checkpoints', forged]);
  assert.equal(mine.status, 1);
  assert.match(mine.stdout, new RegExp(`其中 1 个有效`));
});

test('verify needs the key file (never makes a new one) unless given the public key', () => {
  const missing = path.join(srv.dir, 'missing.key');
  const r = runCli(['audit', 'verify', '--db', srv.db.url, '--key-file', missing]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /key_file_missing/);
  assert.equal(runCli(['ledger', 'check', '--db', srv.db.url, '--key-file', missing]).status, 1);
  assert.throws(() => readFileSync(missing), 'no key file was created');
});
