// Run raw SQL against a test server's database from outside the platform —
// for tests that play an attacker or a broken disk (tampering with the audit
// log, the ledger). SQLite through the sqlite3 CLI, PostgreSQL through psql.
import { spawnSync } from 'node:child_process';

export function rawSql(dbUrl, sql) {
  let r;
  if (dbUrl.startsWith('sqlite:')) {
    r = spawnSync('sqlite3', ['-batch', dbUrl.slice(7), sql], { encoding: 'utf8' });
  } else {
    r = spawnSync('psql', [dbUrl, '-qAtc', sql], { encoding: 'utf8' });
  }
  if (r.status !== 0) throw new Error(`raw SQL failed: ${r.stderr}`);
  return r.stdout.trim();
}
