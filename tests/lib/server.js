// Start a real gonghui server for a test: its own temporary database (SQLite
// by default; PostgreSQL when GONGHUI_TEST_PG names a server), demo data
// unless told otherwise, a free port chosen by the server itself, and the
// sanitizer build unless GONGHUI_BIN says otherwise. stop() sends SIGTERM and
// fails when the server does not exit cleanly — a sanitizer report or a leak
// at exit makes the exit status non-zero, so memory errors fail the tests.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.GONGHUI_BIN || path.join(root, 'build/san/gonghui');
export const UI_DIR = path.join(root, 'ui');
export const DEMO_PASSWORD = 'Gonghui@2026';

const baseEnv = {
  ...process.env,
  GONGHUI_ARGON2_FAST: '1',
  ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0:exitcode=23',
  UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1:exitcode=24',
};

// A fresh database URL: a SQLite file in dir, or a new PostgreSQL database.
export function freshDb(dir) {
  const pg = process.env.GONGHUI_TEST_PG;
  if (!pg) return { url: `sqlite:${path.join(dir, 'test.db')}`, drop() {} };
  const name = `gh_test_${randomBytes(6).toString('hex')}`;
  const admin = pg.replace(/\/[^/]*$/, '/postgres');
  const r = spawnSync('psql', [admin, '-qAtc', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`createdb failed: ${r.stderr}`);
  return {
    url: pg.replace(/\/[^/]*$/, `/${name}`),
    drop() {
      spawnSync('psql', [admin, '-qAtc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
    },
  };
}

// Run a gonghui command to completion; returns {status, stdout, stderr}.
export function runCli(args, { env = {}, input } = {}) {
  const r = spawnSync(BIN, args, { env: { ...baseEnv, ...env }, encoding: 'utf8', input, timeout: 600000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function startServer({ demo = true, args = [], env = {}, db: givenDb } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gonghui-test-'));
  const db = givenDb || freshDb(dir);
  const common = ['--db', db.url, '--key-file', path.join(dir, 'test.key')];
  if (demo) {
    const r = runCli(['demo-data', ...common], { env });
    if (r.status !== 0) throw new Error(`demo-data failed (${r.status}): ${r.stderr}`);
  }
  const proc = spawn(BIN, ['serve', ...common, '--listen', '127.0.0.1:0', '--ui-dir', UI_DIR, ...args], {
    env: { ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.length > 4e6) stderr = stderr.slice(-2e6);
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 30000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${stderr}`));
    });
  });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    url,
    dir,
    db,
    common,
    proc,
    get stderr() {
      return stderr;
    },
    async stop({ keep = false } = {}) {
      proc.kill('SIGTERM');
      const { code, signal } = await exited;
      if (!keep) {
        db.drop();
        rmSync(dir, { recursive: true, force: true });
      }
      if (code !== 0) {
        throw new Error(`server exited with code ${code} signal ${signal}:\n${stderr.slice(-20000)}`);
      }
      // A sanitizer report fails the test even if the exit status hid it.
      const report = stderr.search(/(LeakSanitizer|AddressSanitizer|runtime error:)/);
      if (report >= 0)
        throw new Error(`sanitizer report in the server's output:\n${stderr.slice(report, report + 20000)}`);
    },
  };
}
