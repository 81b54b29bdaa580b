// The recovery drill (issue 20, docs/operations.md 「恢复演练」): a backup
// taken while writes keep coming restores into a new database on which
// `audit verify`, `ledger check` and the signed checkpoints all pass, and a
// backup of the quiet database restores with every table's row count equal.
// On SQLite with `gonghui backup`; on PostgreSQL (GONGHUI_TEST_PG) with
// pg_dump -Fc / pg_restore. The commands are the ones the guide gives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, runCli, freshDb, BIN, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { rawSql } from '../lib/sql.js';

const pg = !!process.env.GONGHUI_TEST_PG;
let srv, admin, key, cpFile;

before(async () => {
  srv = await startServer({ args: ['--checkpoint-interval', '1'] });
  admin = await new Client(srv.url).login('admin', DEMO_PASSWORD);
  key = path.join(srv.dir, 'test.key');
  cpFile = path.join(srv.dir, 'checkpoints.jsonl');
});
after(async () => srv && srv.stop());

// A command run in the background (spawnSync would stop the load too).
function runAsync(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

// Writes in several provinces, audit rows and transfers, until stopped
// (bounded: at most 600 requests).
function load() {
  const state = { stop: false, done: 0 };
  const members = rawSql(srv.db.url, 'SELECT id FROM members ORDER BY id LIMIT 40').split('\n').map(Number);
  const accounts = rawSql(
    srv.db.url,
    "SELECT a.id, b.id FROM ledger_accounts a JOIN ledger_accounts b ON b.org_id = a.org_id AND b.code = 'fee_income'" +
      " WHERE a.code = 'bank' ORDER BY a.id LIMIT 6",
  )
    .split('\n')
    .map((l) => l.split('|').map(Number));
  const worker = async (w) => {
    for (let i = 0; !state.stop && i < 150; i++) {
      const r =
        i % 3 === 2
          ? await admin.post('/api/v1/ledger/transfers', {
              debit_account_id: accounts[(w + i) % accounts.length][0],
              credit_account_id: accounts[(w + i) % accounts.length][1],
              amount_fen: 100 + i,
              memo: `演练记账 ${w}-${i}`,
            })
          : await admin.patch(`/api/v1/members/${members[(w * 7 + i) % members.length]}`, {
              employer: `演练单位${w}-${i}`,
            });
      assert.ok(r.status === 200 || r.status === 201, `${r.status} ${JSON.stringify(r.body)}`);
      state.done++;
    }
  };
  state.finished = Promise.all([0, 1, 2, 3].map(worker));
  return state;
}

const tables = (url) =>
  rawSql(
    url,
    url.startsWith('sqlite:')
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
      : "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  ).split('\n');
const counts = (url) =>
  Object.fromEntries(tables(url).map((t) => [t, Number(rawSql(url, `SELECT COUNT(*) FROM ${t}`))]));

// audit verify, ledger check and the checkpoints on a restored database
function drill(url, checkpoints) {
  const common = ['--db', url, '--key-file', key, '--checkpoints', checkpoints];
  const v = runCli(['audit', 'verify', ...common]);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /签名全部有效/);
  assert.match(v.stdout, /哈希链无误，与检查点一致/);
  const l = runCli(['ledger', 'check', ...common]);
  assert.equal(l.status, 0, l.stdout + l.stderr);
  assert.match(l.stdout, /账簿校验全部通过/);
  return { audit: Number(v.stdout.match(/共 (\d+) 条/)[1]), root: v.stdout.match(/根摘要（\d+ 个分区）：(\w+)/)[1] };
}

// The checkpoint lines written up to now (the ones a backup taken now is
// at or beyond), kept aside as the auditor would.
async function checkpointsSoFar(name) {
  const r = await admin.post('/api/v1/audit/checkpoints', {});
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const copy = path.join(srv.dir, name);
  copyFileSync(cpFile, copy);
  return copy;
}

async function underLoadThenQuiet(backup, restore) {
  const l = load();
  while (l.done < 40) await new Promise((r) => setTimeout(r, 20));
  const kept = await checkpointsSoFar('kept-before-backup.jsonl');
  const at = l.done;
  const b = await backup('under-load');
  assert.equal(b.status, 0, b.stderr);
  const during = l.done - at;
  l.stop = true;
  await l.finished;
  assert.ok(during > 0, 'writes went on while the backup ran');

  // restored into a new database: the chains, the ledger and the kept checkpoints
  const r1 = await restore('under-load');
  const d1 = drill(r1.url, kept);
  assert.ok(d1.audit > 0);
  // the checkpoints signed after the backup: the restore lacks what came
  // after it, and the tools say so, partition by partition
  await checkpointsSoFar('all.jsonl');
  const later = runCli(['audit', 'verify', '--db', r1.url, '--key-file', key, '--checkpoints', cpFile]);
  assert.equal(later.status, 1);
  assert.match(later.stderr, /比检查点短（缺少记录）/);

  // quiet: the backup restores with every table's row count equal
  const kept2 = await checkpointsSoFar('kept-quiet.jsonl');
  const b2 = await backup('quiet');
  assert.equal(b2.status, 0, b2.stderr);
  const r2 = await restore('quiet');
  drill(r2.url, kept2);
  const live = counts(srv.db.url),
    restored = counts(r2.url);
  assert.ok(live.audit_log > 0 && live.ledger_transfers > 0 && live.members > 0);
  assert.deepEqual(restored, live);

  // the restored database serves: same key file, log in, write, verify again
  const s = await startServer({
    demo: false,
    db: { url: r2.url, drop() {} },
    args: ['--key-file', key, '--checkpoints', path.join(srv.dir, 'restored.jsonl')],
  });
  try {
    const c = await new Client(s.url).login('admin', DEMO_PASSWORD);
    assert.equal((await c.patch('/api/v1/orgs/4', { contact_name: '恢复后' })).status, 200);
  } finally {
    await s.stop();
  }
  drill(r2.url, path.join(srv.dir, 'restored.jsonl'));
  return [r1, r2];
}

test(
  'SQLite: gonghui backup under load restores; verify, ledger check and checkpoints pass; counts match',
  { skip: pg && 'SQLite only (PostgreSQL: pg_dump below)' },
  async () => {
    const file = (tag) => path.join(srv.dir, `backup-${tag}.db`);
    await underLoadThenQuiet(
      (tag) => runAsync(BIN, ['backup', '--db', srv.db.url, '--to', file(tag)]),
      async (tag) => {
        // restore = the backup file as the database of a new deployment
        const target = path.join(srv.dir, `restored-${tag}.db`);
        copyFileSync(file(tag), target);
        return { url: `sqlite:${target}` };
      },
    );
  },
);

test(
  'PostgreSQL: pg_dump -Fc under load and pg_restore into a new database; verify, ledger check and checkpoints pass; counts match',
  { skip: !pg && 'PostgreSQL only (GONGHUI_TEST_PG)' },
  async () => {
    const file = (tag) => path.join(srv.dir, `backup-${tag}.dump`);
    const made = [];
    try {
      await underLoadThenQuiet(
        (tag) => runAsync('pg_dump', ['-Fc', '-d', srv.db.url, '-f', file(tag)]),
        async (tag) => {
          const target = freshDb(srv.dir);
          made.push(target);
          const r = spawnSync('pg_restore', ['--no-owner', '--exit-on-error', '-d', target.url, file(tag)], {
            encoding: 'utf8',
          });
          assert.equal(r.status, 0, r.stderr);
          return target;
        },
      );
    } finally {
      for (const t of made) t.drop();
    }
  },
);

test('the checkpoint file the server keeps: one line per change, readable by the drill', () => {
  const lines = readFileSync(cpFile, 'utf8').trim().split('\n');
  assert.ok(lines.length >= 3, `${lines.length} lines`);
  for (const l of lines) assert.match(JSON.parse(l).sig, /^[0-9a-f]{128}$/);
});
