// One request at a time, alternating between two builds (bench/chains.sh):
// the cost of one audited write without any queueing. Each target file is
// {url, token, members: [ids], accounts: [[debit, credit], …]}; prints
// "KIND BEFORE_MS AFTER_MS" per kind, the median of ROUNDS batches of N.
//   node bench/chain-seq.mjs before.json after.json [rounds] [n]
import { readFileSync } from 'node:fs';

const [bf, af] = process.argv.slice(2, 4);
const rounds = Number(process.argv[4] || 12);
const n = Number(process.argv[5] || 150);
const t = { before: JSON.parse(readFileSync(bf, 'utf8')), after: JSON.parse(readFileSync(af, 'utf8')) };
let seq = 0;

async function one(k, kind) {
  const x = t[k];
  seq++;
  const headers = { Authorization: `Bearer ${x.token}`, 'Content-Type': 'application/json' };
  const r = kind === 'patch'
    ? await fetch(`${x.url}/api/v1/members/${x.members[seq % x.members.length]}`, {
      method: 'PATCH', headers, body: JSON.stringify({ employer: `顺序单位${seq}` }),
    })
    : await fetch(`${x.url}/api/v1/ledger/transfers`, {
      method: 'POST', headers,
      body: JSON.stringify({ debit_account_id: x.accounts[seq % x.accounts.length][0], credit_account_id: x.accounts[seq % x.accounts.length][1], amount_fen: 1 + (seq % 100), memo: '顺序记账' }),
    });
  if (r.status >= 300) throw new Error(`${k} ${kind}: ${r.status} ${await r.text()}`);
  await r.arrayBuffer();
}

const median = (a) => a.slice().sort((p, q) => p - q)[a.length >> 1];
for (const kind of ['patch', 'ledger']) {
  const ms = { before: [], after: [] };
  for (let r = 0; r < rounds; r++) {
    for (const k of r % 2 ? ['after', 'before'] : ['before', 'after']) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await one(k, kind);
      ms[k].push((performance.now() - t0) / n);
    }
  }
  console.log(kind, median(ms.before).toFixed(3), median(ms.after).toFixed(3));
}
