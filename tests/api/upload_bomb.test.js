// Uploads and jobs that cannot exhaust memory: four .xlsx bombs at once (a
// 254 KB file whose sheet inflates to 250 MiB) are refused with a clear 413,
// and the same bombs lying about their size are stopped by the job as it
// inflates; the server's peak resident memory (VmHWM) stays bounded. The
// reader used to hold each inflated sheet whole: four took it past a
// gigabyte. Concurrent jobs are capped per server and per user with a 429,
// and so are upload bodies being received.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { xlsxBomb } from '../lib/xlsx.js';
import { idFor, mobileFor } from '../lib/ids.js';

let srv, anon, nj, njOrg;

before(async () => {
  // Four jobs at once from one user, for the memory figure below.
  srv = await startServer({ args: ['--max-jobs', '4', '--max-jobs-per-user', '4'] });
  anon = new Client(srv.url);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  njOrg = (await nj.get('/api/v1/orgs?q=' + encodeURIComponent('南京紫金软件'))).body.items[0].id;
});
after(async () => srv && srv.stop());

function upload(client, body, org = njOrg, dry = 1) {
  return client.req('POST', `/api/v1/members/import?org_id=${org}&dry_run=${dry}`, body, {
    raw: true,
    headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  });
}

async function waitJob(client, id) {
  for (let i = 0; i < 1200; i++) {
    const j = await client.get(`/api/v1/jobs/${id}`);
    if (j.body.status === 'done' || j.body.status === 'failed') return j.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

function vmHWM(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  return Number(m[1]) / 1024; // MiB
}

test('four 250 MiB bombs at once: refused (413 zip_bomb, or the job fails), peak memory bounded', async () => {
  const bomb = xlsxBomb({ mib: 250 });
  const liar = xlsxBomb({ mib: 250, lie: true });
  assert.ok(bomb.length < 300 * 1024, `the bomb is small: ${bomb.length} bytes`);
  const before = vmHWM(srv.proc.pid);
  // Honest sizes: refused at upload, before any job.
  const rs = await Promise.all([1, 2, 3, 4].map(() => upload(nj, bomb)));
  const jobs = [];
  for (const r of rs) {
    if (r.status === 202) {
      jobs.push(r.body.job_id);
      continue;
    }
    assert.equal(r.status, 413, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'zip_bomb');
    assert.match(r.body.error.message, /压缩/);
  }
  // Lying sizes: accepted (nothing looks wrong until it inflates), and each
  // job fails with zip_bomb after inflating about 100 times the file.
  const ls = await Promise.all([1, 2, 3, 4].map(() => upload(nj, liar)));
  for (const r of ls) {
    assert.equal(r.status, 202, JSON.stringify(r.body));
    jobs.push(r.body.job_id);
  }
  const results = await Promise.all(jobs.map((id) => waitJob(nj, id)));
  const peak = vmHWM(srv.proc.pid);
  console.log(
    `peak RSS (VmHWM) of the server: ${before.toFixed(0)} MiB before, ${peak.toFixed(0)} MiB after four 250 MiB bombs and four lying ones (+${(peak - before).toFixed(0)} MiB)`,
  );
  assert.equal(rs.filter((r) => r.status === 202).length, 0, 'honest bombs never become jobs');
  for (const j of results) {
    assert.equal(j.status, 'failed', JSON.stringify(j));
    assert.equal(j.error.code, 'zip_bomb');
  }
  assert.ok(peak - before < 128, `peak memory grew by ${(peak - before).toFixed(0)} MiB (bound 128)`);
});

test('a workbook within the limits still imports after the bombs', async () => {
  const { xlsx } = await import('../lib/xlsx.js');
  const wb = xlsx([
    ['姓名', '身份证号', '手机号', '就业形态', '一线职工', '劳模称号', '入会日期'],
    ['炸弹后', idFor(9900), mobileFor(9900), '职工', '是', null, '2021-01-01'],
  ]);
  const r = await upload(nj, wb);
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const j = await waitJob(nj, r.body.job_id);
  assert.equal(j.status, 'done', JSON.stringify(j));
  assert.equal(j.result.error_count, 0, JSON.stringify(j.result));
});

// A CSV long enough to keep a dry-run job busy for a while.
function bigCsv(rows) {
  let s = '姓名,身份证号,手机号,就业形态,一线职工,劳模称号,入会日期\r\n';
  for (let i = 0; i < rows; i++) s += `会员${i},${idFor(20000 + i)},${mobileFor(20000 + i)},职工,是,,2021/3/1\r\n`;
  return Buffer.from(s);
}

test('concurrent jobs are capped per server and per user: 429 too_many_jobs, nothing queued', async () => {
  const capped = await startServer({ args: ['--max-jobs', '2', '--max-jobs-per-user', '1'] });
  try {
    const a = new Client(capped.url);
    const njc = await a.login('nj_officer', DEMO_PASSWORD);
    const szc = await a.login('sz_officer', DEMO_PASSWORD);
    const njo = (await njc.get('/api/v1/orgs?q=' + encodeURIComponent('南京紫金软件'))).body.items[0].id;
    const szo = (await szc.get('/api/v1/orgs?per_page=1')).body.items[0].id;
    const csv = bigCsv(60000);
    const up = (c, org) =>
      c.req('POST', `/api/v1/members/import?org_id=${org}&dry_run=1`, csv, {
        raw: true,
        headers: { 'Content-Type': 'text/csv' },
      });
    const first = await up(njc, njo);
    assert.equal(first.status, 202, JSON.stringify(first.body));
    // the same user again while the first runs
    const mine = await up(njc, njo);
    assert.equal(mine.status, 429, JSON.stringify(mine.body));
    assert.equal(mine.body.error.code, 'too_many_jobs');
    assert.match(mine.body.error.message, /后台任务/);
    // another user still has room
    const other = await up(szc, szo);
    assert.equal(other.status, 202, JSON.stringify(other.body));
    // the server is full now: an upload is refused before its body is read
    const port = Number(new URL(capped.url).port);
    const early = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () =>
        s.write(
          `POST /api/v1/members/import?org_id=${njo}&dry_run=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${szc.token}\r\nContent-Type: text/csv\r\nContent-Length: 100000000\r\n\r\n`,
        ),
      );
      let t = '';
      const t0 = Date.now();
      s.on('data', (d) => (t += d));
      s.on('error', () => {});
      s.on('close', () => resolve({ t, ms: Date.now() - t0 }));
      setTimeout(() => s.destroy(), 3000);
    });
    assert.match(early.t, /^HTTP\/1\.1 429 /, early.t.slice(0, 200));
    assert.ok(early.ms < 2000);
    const done = await Promise.all([waitJob(njc, first.body.job_id), waitJob(szc, other.body.job_id)]);
    for (const d of done) assert.equal(d.status, 'done', JSON.stringify(d).slice(0, 300));
    // and room again once they are done
    const again = await up(njc, njo);
    assert.equal(again.status, 202, JSON.stringify(again.body));
    await waitJob(njc, again.body.job_id);
    // No more bodies held in memory at once than jobs may run: two uploads
    // still being sent, a third is refused at once.
    const head = `POST /api/v1/members/import?org_id=${njo}&dry_run=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${njc.token}\r\nContent-Type: text/csv\r\nContent-Length: 10000000\r\n\r\n`;
    const holders = [1, 2].map(() => {
      const s = net.connect(port, '127.0.0.1', () => s.write(head + 'x'.repeat(1000)));
      s.on('error', () => {});
      return s;
    });
    await new Promise((res) => setTimeout(res, 300));
    const third = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write(head));
      let t = '';
      s.on('data', (d) => (t += d));
      s.on('error', () => {});
      s.on('close', () => resolve(t));
      setTimeout(() => s.destroy(), 3000);
    });
    assert.match(third, /^HTTP\/1\.1 429 /, third.slice(0, 200));
    assert.match(third, /too_many_uploads/);
    for (const h of holders) h.destroy();
    await new Promise((res) => setTimeout(res, 300));
    const after = await up(njc, njo);
    assert.equal(after.status, 202, JSON.stringify(after.body));
    await waitJob(njc, after.body.job_id);
  } finally {
    await capped.stop();
  }
});
