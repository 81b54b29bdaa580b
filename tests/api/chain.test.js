// The partitioned hash chains (issue 11): the audit log and the ledger have
// one chain per province (partition 0: national level and no org), each with
// its own head, and a root over the partitions. Writes in two provinces at
// once land in their own partitions and every chain verifies; a row changed,
// reordered or removed behind the platform's back in one partition is
// reported by `audit verify` / the ledger check with that partition named,
// while the other partitions still verify; a database from before
// partitioning migrates with its single chain as partition 0's history.
// Runs on SQLite and, with GONGHUI_TEST_PG, on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, freshDb, runCli, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { rawSql } from '../lib/sql.js';

let srv, admin;
const P = {}; // partition (province org id) by short name
const sql = (q) => rawSql(srv.db.url, q);
const num = (q) => Number(sql(q));
const ids = (q) => sql(q).split('\n').filter(Boolean).map(Number);
const sha256 = (s) => createHash('sha256').update(s).digest('hex');

before(async () => {
  srv = await startServer();
  admin = await new Client(srv.url).login('admin', DEMO_PASSWORD);
  P.js = num("SELECT id FROM orgs WHERE name = '江苏省总工会'");
  P.nx = num("SELECT id FROM orgs WHERE name = '宁夏回族自治区总工会'");
  assert.ok(P.js > 0 && P.nx > 0);
});
after(async () => srv && srv.stop());

const verify = () => runCli(['audit', 'verify', ...srv.common]);
const ledgerCheck = async () => {
  const r = await admin.get('/api/v1/ledger/check');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};
const check = (body, name) => body.checks.find((c) => c.check === name);

test('writes in two provinces at once land in their own partitions, and every chain and the root verify', async () => {
  // members of orgs below each province (the industry union below 宁夏 counts as 宁夏)
  const members = (p) =>
    ids(`SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE '%/${p}/%' ORDER BY m.id`);
  const js = members(P.js).slice(0, 12);
  const nx = members(P.nx).slice(0, 12);
  assert.ok(js.length >= 8 && nx.length >= 8, `${js.length} / ${nx.length} members`);
  const acct = (org, code) => num(`SELECT id FROM ledger_accounts WHERE org_id = ${org} AND code = '${code}'`);
  const legs = {
    js: [acct(P.js, 'bank'), acct(P.js, 'fee_income')],
    nx: [acct(P.nx, 'retreat_subsidy_expense'), acct(P.nx, 'provider_payable')],
  };
  const heads = (t) =>
    Object.fromEntries(
      sql(`SELECT part, seq FROM ${t}`)
        .split('\n')
        .map((l) => l.split('|').map(Number)),
    );
  const audit0 = heads('audit_heads'),
    ledger0 = heads('ledger_heads');

  const jobs = [];
  const n = Math.min(js.length, nx.length);
  for (let i = 0; i < n; i++) {
    jobs.push(admin.patch(`/api/v1/members/${js[i]}`, { employer: `江苏并发单位${i}` }));
    jobs.push(admin.patch(`/api/v1/members/${nx[i]}`, { employer: `宁夏并发单位${i}` }));
    if (i % 2 === 0) {
      for (const k of ['js', 'nx']) {
        jobs.push(
          admin.post('/api/v1/ledger/transfers', {
            debit_account_id: legs[k][0],
            credit_account_id: legs[k][1],
            amount_fen: 100 + i,
            memo: `${k} 并发记账 ${i}`,
          }),
        );
      }
    }
  }
  const res = await Promise.all(jobs);
  for (const r of res) assert.ok(r.status === 200 || r.status === 201, `${r.status} ${JSON.stringify(r.body)}`);
  const posts = Math.ceil(n / 2);

  // each province's rows in its own partition, numbered on from its head
  const audit1 = heads('audit_heads'),
    ledger1 = heads('ledger_heads');
  for (const k of ['js', 'nx']) {
    assert.ok(audit1[P[k]] - audit0[P[k]] >= n + posts, `${k}: ${audit0[P[k]]} → ${audit1[P[k]]}`);
    assert.equal(ledger1[P[k]] - ledger0[P[k]], posts);
    assert.equal(
      num(`SELECT COUNT(*) FROM ledger_transfers WHERE memo LIKE '${k} 并发记账%' AND part = ${P[k]}`),
      posts,
    );
    const list = (k === 'js' ? js : nx).slice(0, n).join(',');
    assert.equal(
      num(
        `SELECT COUNT(*) FROM audit_log WHERE action = 'member.update' AND object_id IN (${list}) AND part = ${P[k]}`,
      ),
      n,
    );
    assert.equal(
      num(
        `SELECT COUNT(*) FROM audit_log WHERE action = 'member.update' AND object_id IN (${list}) AND part <> ${P[k]}`,
      ),
      0,
    );
  }
  // the API shows the partition of each entry and transfer
  const items = (await admin.get('/api/v1/audit?action=member.update&per_page=100')).body.items;
  const mine = items.filter((a) => js.includes(a.object_id) || nx.includes(a.object_id));
  assert.ok(mine.length >= 2 * n);
  for (const a of mine) assert.equal(a.partition, js.includes(a.object_id) ? P.js : P.nx);
  const t = (await admin.get(`/api/v1/ledger/transfers?account_id=${legs.nx[0]}&per_page=5`)).body.items[0];
  assert.equal(t.partition, P.nx);
  assert.equal(typeof t.seq, 'number');

  // audit verify: every partition, by name, and the root over the heads
  const v = verify();
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /哈希链无误/);
  assert.match(v.stdout, new RegExp(`分区 ${P.js}（江苏省总工会）：\\d+ 条`));
  assert.match(v.stdout, new RegExp(`分区 ${P.nx}（宁夏回族自治区总工会）：\\d+ 条`));
  assert.match(v.stdout, /分区 0（全国及无所属组织）/);
  const root = v.stdout.match(/根摘要（(\d+) 个分区）：([0-9a-f]{64})/);
  assert.ok(root, v.stdout);
  const lines = sql('SELECT part, seq, hash FROM audit_heads ORDER BY part')
    .split('\n')
    .map((l) => `${l}\n`)
    .join('');
  assert.equal(root[2], sha256(lines), 'the root is SHA-256 over "partition|seq|hash" lines in partition order');
  assert.equal(Number(root[1]), num('SELECT COUNT(*) FROM audit_heads'));

  // the ledger check: the chain of every partition, and the root
  const c = await ledgerCheck();
  assert.equal(c.ok, true, JSON.stringify(c.checks.filter((x) => !x.ok)));
  assert.match(check(c, 'hash_chain').detail, /哈希链完整/);
  const r = check(c, 'chain_root');
  assert.equal(r.ok, true);
  assert.match(r.root, /^[0-9a-f]{64}$/);
  const parts = Object.fromEntries(r.partitions.map((p) => [p.partition, p]));
  assert.equal(parts[P.js].name, '江苏省总工会');
  assert.equal(parts[P.js].seq, ledger1[P.js]);
  assert.equal(parts[P.nx].rows, ledger1[P.nx]);
  assert.ok(r.partitions.every((p) => p.ok));
});

// Tampering: each case is undone afterwards, so the next one starts from a
// chain that verifies.
test('a row changed in one partition is named with its partition; the other partitions still verify', async () => {
  const seq = num(`SELECT MAX(seq) - 1 FROM audit_log WHERE part = ${P.nx}`);
  const old = sql(`SELECT detail FROM audit_log WHERE part = ${P.nx} AND seq = ${seq}`);
  sql(`UPDATE audit_log SET detail = '{"employer":"篡改"}' WHERE part = ${P.nx} AND seq = ${seq}`);
  const bad = verify();
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /audit_row_altered/);
  assert.match(bad.stderr, new RegExp(`审计日志分区 ${P.nx}（宁夏回族自治区总工会）第 ${seq} 条的内容与摘要不符`));
  assert.match(bad.stderr, new RegExp(`分区 ${P.js}（江苏省总工会）：\\d+ 条`), 'the other province verifies');
  assert.doesNotMatch(bad.stderr, new RegExp(`分区 ${P.js}（江苏省总工会）未通过`));
  sql(
    `UPDATE audit_log SET detail = ${old ? `'${old.replaceAll("'", "''")}'` : 'NULL'} WHERE part = ${P.nx} AND seq = ${seq}`,
  );
  assert.equal(verify().status, 0);

  // the ledger: a memo changed in 江苏's partition
  const lseq = num(`SELECT MAX(seq) FROM ledger_transfers WHERE part = ${P.js}`);
  const memo = sql(`SELECT memo FROM ledger_transfers WHERE part = ${P.js} AND seq = ${lseq}`);
  sql(`UPDATE ledger_transfers SET memo = '改过的摘要' WHERE part = ${P.js} AND seq = ${lseq}`);
  const c = await ledgerCheck();
  assert.equal(c.ok, false);
  assert.match(
    check(c, 'hash_chain').detail,
    new RegExp(`账簿分区 ${P.js}（江苏省总工会）第 ${lseq} 笔的内容与摘要不符`),
  );
  assert.doesNotMatch(check(c, 'hash_chain').detail, /宁夏/);
  const parts = Object.fromEntries(check(c, 'chain_root').partitions.map((p) => [p.partition, p]));
  assert.equal(parts[P.js].ok, false);
  assert.equal(parts[P.js].code, 'ledger_row_altered');
  assert.equal(parts[P.js].bad_seq, lseq);
  assert.equal(parts[P.nx].ok, true);
  assert.equal(check(c, 'cached_balances').ok, true, 'only the chain notices a memo');
  const cli = runCli(['ledger', 'check', ...srv.common]);
  assert.equal(cli.status, 1);
  assert.match(cli.stdout, new RegExp(`分区 ${P.js}（江苏省总工会）未通过`));
  assert.match(cli.stdout, new RegExp(`分区 ${P.nx}（宁夏回族自治区总工会）：\\d+ 笔`));
  sql(`UPDATE ledger_transfers SET memo = '${memo}' WHERE part = ${P.js} AND seq = ${lseq}`);
  assert.equal((await ledgerCheck()).ok, true);
});

test('two rows swapped in one partition are reported there', async () => {
  // seq is unique per partition: swap through a free number
  const swap = (t, part, a, b) => {
    sql(`UPDATE ${t} SET seq = -1 WHERE part = ${part} AND seq = ${a}`);
    sql(`UPDATE ${t} SET seq = ${a} WHERE part = ${part} AND seq = ${b}`);
    sql(`UPDATE ${t} SET seq = ${b} WHERE part = ${part} AND seq = -1`);
  };
  swap('audit_log', P.js, 4, 5);
  const bad = verify();
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, new RegExp(`审计日志分区 ${P.js}（江苏省总工会）第 4 条的前序摘要不符`));
  assert.match(bad.stderr, new RegExp(`分区 ${P.nx}（宁夏回族自治区总工会）：\\d+ 条`));
  swap('audit_log', P.js, 4, 5);
  assert.equal(verify().status, 0);

  swap('ledger_transfers', P.nx, 1, 2);
  const c = await ledgerCheck();
  assert.equal(c.ok, false);
  assert.match(check(c, 'hash_chain').detail, new RegExp(`账簿分区 ${P.nx}（宁夏回族自治区总工会）第 1 笔`));
  swap('ledger_transfers', P.nx, 1, 2);
  assert.equal((await ledgerCheck()).ok, true);
});

test('rows removed from two partitions: a gap in one, a cut-off tail in the other, both named', async () => {
  sql(`DELETE FROM audit_log WHERE part = ${P.js} AND seq = 2`);
  const last = num(`SELECT MAX(seq) FROM audit_log WHERE part = ${P.nx}`);
  sql(`DELETE FROM audit_log WHERE part = ${P.nx} AND seq = ${last}`);
  const bad = verify();
  assert.equal(bad.status, 1);
  assert.match(
    bad.stderr,
    new RegExp(`分区 ${P.js}（江苏省总工会）未通过：审计日志分区 ${P.js}（江苏省总工会）第 2 条缺失`),
  );
  assert.match(bad.stderr, new RegExp(`分区 ${P.nx}（宁夏回族自治区总工会）未通过：.*末尾缺少 1 条记录`));
  assert.match(bad.stderr, /根摘要（\d+ 个分区，有分区未通过，不可信）/);
  // the error names the first broken partition (the lower number)
  const first = Math.min(P.js, P.nx);
  assert.match(
    bad.stderr,
    new RegExp(`错误 \\[audit_chain_(gap|truncated)\\]：审计日志分区 ${first}（.*；另有分区也有问题`),
  );
});

// The audit and ledger row encodings of before partitioning, written here
// independently of the C code: rows of partition 0 must keep hashing so.
const field = (s) => (s == null ? '-1:' : `${Buffer.byteLength(s)}:${s}`);
const legacyAuditHash = (r) =>
  sha256(
    `${r.seq}|` +
      field(r.ts) +
      `|${r.actor_id}|` +
      field(r.login) +
      field(r.role) +
      field(r.client) +
      field(r.action) +
      field(r.object_type) +
      `|${r.object_id}|${r.org_id}|` +
      field(r.org_path) +
      field(r.outcome) +
      field(r.detail) +
      field(r.prev),
  );
const legacyXferHash = (t) =>
  sha256(
    `${t.seq}|` +
      field(t.idem) +
      field(t.batch) +
      `|${t.debit}|${t.credit}|${t.amount}|` +
      field(t.status) +
      field(t.ref_type) +
      `|${t.ref_id}|0|0|` +
      field(t.memo) +
      `|${t.org_id}|0|` +
      field(t.value_date) +
      field(t.created_at) +
      field(t.prev),
  );

test('a database from before partitioning: its chains become partition 0 and keep verifying; new rows go on from there', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gonghui-chain-'));
  const db = freshDb(dir);
  const key = path.join(dir, 'test.key');
  // the deployment's key file, as it has been since its first start
  writeFileSync(key, randomBytes(64), { mode: 0o600 });
  const common = ['--db', db.url, '--key-file', key];
  let old;
  try {
    const m12 = runCli(['migrate', '--to', '12', ...common]);
    assert.equal(m12.status, 0, m12.stderr);
    assert.match(m12.stdout, /版本 12/);
    const q = (s) => rawSql(db.url, s);
    const ts = '2026-01-05T08:00:00.000Z';
    const org = (parent, ppath, depth, level, name, region) => {
      const id = Number(
        q(`INSERT INTO orgs (parent_id, path, depth, level, kind, name, region_code, status, created_at, updated_at)
        VALUES (${parent || 'NULL'}, 'tmp:${name}', ${depth}, '${level}', 'regional', '${name}', '${region}', 'active', '${ts}', '${ts}') RETURNING id`),
      );
      q(`UPDATE orgs SET path = '${ppath}${id}/' WHERE id = ${id}`);
      return [id, `${ppath}${id}/`];
    };
    const [nat, natPath] = org(null, '/', 0, 'national', '中华全国总工会', '110000');
    const [js, jsPath] = org(nat, natPath, 1, 'province', '江苏省总工会', '320000');
    const [nj, njPath] = org(js, jsPath, 2, 'city', '南京市总工会', '320100');

    // three audit rows in the single chain, as the old code wrote them
    let prev = '0'.repeat(64);
    const rows = [
      [nat, natPath, 'org.create'],
      [js, jsPath, 'org.create'],
      [nj, njPath, 'org.update'],
    ];
    rows.forEach(([id, p, action], i) => {
      const r = {
        seq: i + 1,
        ts,
        actor_id: 0,
        login: null,
        role: 'system',
        client: null,
        action,
        object_type: 'org',
        object_id: id,
        org_id: id,
        org_path: p,
        outcome: 'ok',
        detail: '{"name":"旧链"}',
        prev,
      };
      const h = legacyAuditHash(r);
      q(`INSERT INTO audit_log (seq, ts, actor_id, actor_login, actor_role, client, action, object_type, object_id, org_id,
        org_path, outcome, detail, prev_hash, hash) VALUES (${r.seq}, '${ts}', NULL, NULL, 'system', NULL, '${action}', 'org',
        ${id}, ${id}, '${p}', 'ok', '${r.detail}', '${prev}', '${h}')`);
      prev = h;
    });
    q(`UPDATE audit_head SET seq = 3, hash = '${prev}'`);
    const auditTip = prev;

    // two ledger transfers in 江苏's books, and their balances
    const acct = (code, name, kind, side) =>
      Number(
        q(`INSERT INTO ledger_accounts (org_id, code, name, kind, normal_side, created_at)
      VALUES (${js}, '${code}', '${name}', '${kind}', '${side}', '${ts}') RETURNING id`),
      );
    const bank = acct('bank', '银行存款', 'asset', 'debit');
    const income = acct('fee_income', '工会经费收入', 'income', 'credit');
    prev = '0'.repeat(64);
    for (const [seq, amount] of [
      [1, 1000],
      [2, 2500],
    ]) {
      const t = {
        seq,
        idem: `old:${seq}`,
        batch: `old:${seq}`,
        debit: bank,
        credit: income,
        amount,
        status: 'posted',
        ref_type: 'manual',
        ref_id: 0,
        memo: '旧账',
        org_id: js,
        value_date: '2026-01-05',
        created_at: ts,
        prev,
      };
      const h = legacyXferHash(t);
      q(`INSERT INTO ledger_transfers (seq, idem_key, batch_key, debit_account_id, credit_account_id, amount_fen, status,
        ref_type, memo, org_id, value_date, created_at, prev_hash, hash) VALUES (${seq}, '${t.idem}', '${t.batch}', ${bank},
        ${income}, ${amount}, 'posted', 'manual', '旧账', ${js}, '2026-01-05', '${ts}', '${prev}', '${h}')`);
      prev = h;
    }
    q(
      `INSERT INTO ledger_balances (account_id, debit_fen, credit_fen) VALUES (${bank}, 3500, 0), (${income}, 0, 3500)`,
    );
    q(`UPDATE ledger_head SET seq = 2, hash = '${prev}'`);
    const ledgerTip = prev;

    // the migration: everything so far is partition 0, hashes untouched
    const m = runCli(['migrate', '--to', '13', ...common]);
    assert.equal(m.status, 0, m.stderr);
    assert.match(m.stdout, /版本 13，本次升级 1 步/);
    assert.equal(q('SELECT COUNT(*) FROM audit_log WHERE part <> 0'), '0');
    assert.equal(q('SELECT part, seq, hash FROM audit_heads'), `0|3|${auditTip}`);
    assert.equal(q('SELECT part, seq, hash FROM ledger_heads'), `0|2|${ledgerTip}`);
    const v = runCli(['audit', 'verify', ...common]);
    assert.equal(v.status, 0, v.stderr);
    assert.match(v.stdout, /分区 0（全国及无所属组织）：3 条/);
    // the first run with the key file sealed the heads: keyed from row 4 on
    assert.equal(q('SELECT keyed_from FROM audit_heads WHERE part = 0'), '4');
    assert.match(q('SELECT mac FROM audit_heads WHERE part = 0'), /^[0-9a-f]{64}$/);
    assert.match(v.stdout, /共 3 条，哈希链无误/);
    const l = runCli(['ledger', 'check', ...common]);
    assert.equal(l.status, 0, l.stdout + l.stderr);
    assert.match(l.stdout, /2 笔记账的哈希链完整（1 个分区）/);

    // new writes: 江苏 starts its own partition, national ones go on in 0
    const pw = 'Chain#2026pass';
    const u = runCli(['user', 'create', '--login', 'root', '--role', 'admin', '--name', '管理员', ...common], {
      input: `${pw}\n`,
    });
    assert.equal(u.status, 0, u.stderr);
    old = await startServer({ demo: false, db: { url: db.url, drop() {} }, args: ['--key-file', key] });
    const c = await new Client(old.url).login('root', pw);
    for (const id of [nat, nj])
      assert.equal((await c.patch(`/api/v1/orgs/${id}`, { contact_name: '值班员' })).status, 200);
    const post = await c.post('/api/v1/ledger/transfers', {
      debit_account_id: bank,
      credit_account_id: income,
      amount_fen: 99,
      memo: '新账',
    });
    assert.equal(post.status, 201, JSON.stringify(post.body));
    assert.equal(post.body.partition, js);
    assert.equal(post.body.seq, 1);
    assert.equal(
      q(`SELECT seq FROM audit_log WHERE action = 'org.update' AND object_id = ${nj} AND part = ${js}`),
      '1',
    );
    assert.equal(
      q(`SELECT prev_hash FROM audit_log WHERE part = 0 AND seq = 4`),
      auditTip,
      'partition 0 goes on from the old tip',
    );
    const v2 = runCli(['audit', 'verify', ...common]);
    assert.equal(v2.status, 0, v2.stderr);
    assert.match(v2.stdout, new RegExp(`分区 ${js}（江苏省总工会）：\\d+ 条`));
    // a mixed chain: rows 1-3 of partition 0 plain SHA-256, row 4 on keyed
    const plainOf = (seq) => {
      const r = q(`SELECT seq, ts, actor_id, actor_login, actor_role, client, action, object_type, object_id, org_id,
        org_path, outcome, detail, prev_hash, hash FROM audit_log WHERE part = 0 AND seq = ${seq}`).split('|');
      const h = legacyAuditHash({
        seq,
        ts: r[1],
        actor_id: Number(r[2] || 0),
        login: r[3] || null,
        role: r[4],
        client: r[5] || null,
        action: r[6],
        object_type: r[7] || null,
        object_id: Number(r[8] || 0),
        org_id: Number(r[9] || 0),
        org_path: r[10] || null,
        outcome: r[11],
        detail: r[12] || null,
        prev: r[13],
      });
      return [h, r[14]];
    };
    const [plain3, stored3] = plainOf(3);
    assert.equal(plain3, stored3, 'row 3 (before keying) is plain SHA-256');
    const [plain4, stored4] = plainOf(4);
    assert.notEqual(stored4, plain4, 'row 4 is keyed: plain SHA-256 does not give its hash');
    assert.equal(q(`SELECT keyed_from FROM audit_heads WHERE part = ${js}`), '1');
    const l2 = runCli(['ledger', 'check', ...common]);
    assert.equal(l2.status, 0, l2.stdout + l2.stderr);
    assert.match(l2.stdout, /3 笔记账的哈希链完整（2 个分区）/);
  } finally {
    if (old) await old.stop();
    db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});
