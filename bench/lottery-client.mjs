// Redemption load for bench/lottery.sh: every code is sent by TWO tills at
// the same moment (two connections, two provider sessions), so the run
// measures redemptions per second under the exactly-once guarantee and
// checks it: each code must be redeemed exactly once, the twin request must
// get 409 voucher_used. With mode "lookup" the same requests go to the
// read-only check endpoint instead (the baseline: same parsing, session and
// lookup, no write).
// Usage: node bench/lottery-client.mjs URL TOKEN1 TOKEN2 CODES_FILE CONCURRENCY MODE(redeem|lookup)
import http from 'node:http';
import { readFileSync } from 'node:fs';

const [base, tok1, tok2, file, concStr, mode] = process.argv.slice(2);
const codes = readFileSync(file, 'utf8').split('\n').filter(Boolean);
const conc = Number(concStr);
const agent = new http.Agent({ keepAlive: true, maxSockets: conc * 2 });
const url = new URL(base);
const path = mode === 'lookup' ? '/api/v1/vouchers/lookup' : '/api/v1/vouchers/redeem';

function post(token, code) {
  const body = JSON.stringify({ code });
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, path, method: 'POST', agent,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode, data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let next = 0;
const counts = {};
let ok = 0;
let twins = 0;
const bad = [];
async function worker() {
  for (;;) {
    const i = next++;
    if (i >= codes.length) return;
    const [a, b] = await Promise.all([post(tok1, codes[i]), post(tok2, codes[i])]);
    for (const r of [a, b]) counts[r.status] = (counts[r.status] || 0) + 1;
    const wins = [a, b].filter((r) => r.status === 200).length;
    if (mode === 'lookup') {
      if (wins !== 2) bad.push(`${codes[i]}: ${a.status}/${b.status}`);
    } else if (wins === 1 && [a, b].some((r) => r.status === 409 && r.data.includes('voucher_used'))) {
      ok++;
    } else {
      bad.push(`${codes[i]}: ${a.status} ${a.data.slice(0, 80)} / ${b.status} ${b.data.slice(0, 80)}`);
    }
    twins++;
  }
}
const t0 = process.hrtime.bigint();
await Promise.all(Array.from({ length: conc }, worker));
const s = Number(process.hrtime.bigint() - t0) / 1e9;
agent.destroy();
// one line for the shell: codes, seconds, requests/s, codes/s, exactly-once count, problems
console.log(`${codes.length} ${s.toFixed(3)} ${(twins * 2 / s).toFixed(0)} ${(codes.length / s).toFixed(0)} ${mode === 'lookup' ? twins : ok} ${bad.length} ${JSON.stringify(counts)}`);
if (bad.length) console.error(bad.slice(0, 5).join('\n'));
