// Attack figures for the HTTP edge and the upload reader (bench/edge.sh):
//   node bench/edge.mjs loris URL CONNS ADDRS SECONDS
//     CONNS slow connections spread over ADDRS loopback addresses
//     (127.0.0.2 …), each sending a header line every two seconds and
//     reconnecting a second after the server closes it; meanwhile GET
//     /healthz on a fresh connection from 127.0.0.1 every 200 ms (from a
//     process of its own). Prints the /healthz latencies and how the
//     slow connections fared.
//   node bench/edge.mjs bomb URL PID TOKEN ORG
//     four .xlsx bombs (250 MiB sheets) and four that lie about their size,
//     uploaded at once; prints the server's VmHWM before and after.
// Loopback only, bounded in count and time.
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { xlsxBomb } from '../tests/lib/xlsx.js';

const [mode, url, ...rest] = process.argv.slice(2);
const port = Number(new URL(url).port);
const delay = (ms) => new Promise((r) => setTimeout(r, ms));

function healthz() {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    let text = '';
    const s = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.1' }, () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    const timer = setTimeout(() => s.destroy(), 5000);
    s.on('data', (d) => (text += d));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(timer);
      resolve(text.startsWith('HTTP/1.1 200') ? Number(process.hrtime.bigint() - t0) / 1e6 : Infinity);
    });
  });
}

// The /healthz prober runs in a process of its own, so the attacker's event
// loop does not add to the latencies it measures.
async function probe(seconds) {
  const lat = [];
  const t0 = Date.now();
  while (Date.now() - t0 < seconds * 1000) {
    lat.push(await healthz());
    await delay(200);
  }
  const ok = lat.filter((x) => x !== Infinity).sort((a, b) => a - b);
  const q = (p) => (ok.length ? ok[Math.min(ok.length - 1, Math.floor(p * ok.length))].toFixed(1) : '-');
  return `/healthz answered ${ok.length}/${lat.length}, median ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${ok.length ? ok[ok.length - 1].toFixed(1) : '-'} ms`;
}

async function loris(conns, addrs, seconds) {
  const stats = { opened: 0, closedByServer: 0 };
  let stop = false;
  const socks = new Set();
  function open(i) {
    if (stop) return;
    const s = net.connect({ port, host: '127.0.0.1', localAddress: `127.0.0.${2 + (i % addrs)}` });
    stats.opened++;
    socks.add(s);
    s.on('connect', () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'));
    s.on('error', () => {});
    s.on('close', () => {
      socks.delete(s);
      if (stop) return;
      stats.closedByServer++;
      setTimeout(() => open(i), 1000); /* reconnect a second later */
    });
  }
  for (let i = 0; i < conns; i++) {
    open(i);
    if (i % 200 === 199) await delay(20);
  }
  const ticker = setInterval(() => {
    for (const s of socks) if (s.writable) s.write('X-Slow: 1\r\n');
  }, 2000);
  await delay(1000);
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'probe', url, String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let report = '';
  child.stdout.on('data', (d) => (report += d));
  await new Promise((r) => child.on('exit', r));
  stop = true;
  clearInterval(ticker);
  for (const s of socks) s.destroy();
  console.log(`slow-loris ${conns} conns from ${addrs} address(es), ${seconds} s: ${report.trim()}; slow connections opened ${stats.opened}, closed by the server ${stats.closedByServer}`);
}

async function bomb(pid, token, org) {
  const hwm = () => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+)/m)[1]) / 1024;
  const before = hwm();
  const post = (body) => fetch(`${url}/api/v1/members/import?org_id=${org}&dry_run=1`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' }, body }).then(async (r) => ({ status: r.status, body: await r.json() }));
  const rs = await Promise.all([...[1, 2, 3, 4].map(() => post(xlsxBomb())), ...[1, 2, 3, 4].map(() => post(xlsxBomb({ lie: true })))]);
  for (const r of rs) {
    if (r.status !== 202) continue;
    for (;;) {
      const j = await fetch(`${url}/api/v1/jobs/${r.body.job_id}`, { headers: { Authorization: `Bearer ${token}` } }).then((x) => x.json());
      if (j.status === 'done' || j.status === 'failed') break;
      await delay(100);
    }
  }
  console.log(`bombs: answers ${rs.map((r) => r.status).join(' ')}; VmHWM ${before.toFixed(0)} MiB before, ${hwm().toFixed(0)} MiB after`);
}

if (mode === 'probe') console.log(await probe(Number(rest[0])));
else if (mode === 'loris') await loris(Number(rest[0]), Number(rest[1]), Number(rest[2]));
else if (mode === 'bomb') await bomb(rest[0], rest[1], rest[2]);
