// Send N sequential GET requests over one keep-alive connection and exit.
// Usage: node bench/client.mjs URL N [token] [path-template with {id} lo hi]
import http from 'node:http';
const [base, nStr, token, tmpl, lo, hi] = process.argv.slice(2);
const n = Number(nStr);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const get = (path) => new Promise((resolve, reject) => {
  const req = http.get(base + path, { agent, headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
    res.resume();
    res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${path}: ${res.statusCode}`))));
  });
  req.on('error', reject);
});
for (let i = 0; i < n; i++) {
  const path = tmpl ? tmpl.replace('{id}', String(Number(lo) + Math.floor(rand() * (Number(hi) - Number(lo))))) : '/healthz';
  await get(path);
}
agent.destroy();
