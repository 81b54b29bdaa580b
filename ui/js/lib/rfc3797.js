// rfc3797.js — an independent JavaScript implementation of the RFC 3797
// random selection, so anyone can check a voucher lottery in the browser
// without trusting the server's code. Written from the texts of RFC 3797
// (sections 4 and 6) and RFC 1321 (MD5); the 128-bit modulo uses BigInt.
// Plain functions, no DOM: the public verification page and the tests both
// import it.
//
// The method: each source's numbers are written without leading zeros and
// terminated by "." (a number with a fraction as "I.F" without trailing
// zeros), sorted ascending, concatenated and followed by "/"; the sources
// in their declared order make the key string. Pick j (from 0) hashes
// index ‖ key ‖ index with MD5, the index as 2 bytes big-endian — or 4 bytes
// when the pool has more than 65,535 entrants (gonghui's documented
// extension); the digest as a big-endian number modulo the entrants left
// gives r, and the (r+1)-th remaining entrant (by entry number) is chosen.

// ---- MD5 (RFC 1321) ---------------------------------------------------------

// Per-round shift amounts (RFC 1321 section 3.4).
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
// T[i] = floor(2^32 × |sin(i + 1)|), i = 0..63 (RFC 1321 section 3.4).
const T = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296) >>> 0);

function rotl(x, n) {
  return (x << n) | (x >>> (32 - n));
}

// MD5 of a Uint8Array; returns a Uint8Array of 16 bytes.
export function md5(bytes) {
  const n = bytes.length;
  // message + 0x80 + zeros + 64-bit length, a multiple of 64 bytes
  const total = Math.ceil((n + 9) / 64) * 64;
  const m = new Uint8Array(total);
  m.set(bytes);
  m[n] = 0x80;
  const bitsLow = (n * 8) >>> 0;
  const bitsHigh = Math.floor(n / 0x20000000) >>> 0;
  for (let i = 0; i < 4; i++) {
    m[total - 8 + i] = (bitsLow >>> (8 * i)) & 0xff;
    m[total - 4 + i] = (bitsHigh >>> (8 * i)) & 0xff;
  }
  let a0 = 0x67452301;
  let b0 = 0xefcdab89;
  let c0 = 0x98badcfe;
  let d0 = 0x10325476;
  const w = new Int32Array(16);
  for (let off = 0; off < total; off += 64) {
    for (let j = 0; j < 16; j++) {
      const p = off + 4 * j;
      w[j] = m[p] | (m[p + 1] << 8) | (m[p + 2] << 16) | (m[p + 3] << 24);
    }
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f;
      let g;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const s = SHIFTS[(i >> 4) * 4 + (i & 3)];
      const sum = (f + a + T[i] + w[g]) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + rotl(sum, s)) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  const out = new Uint8Array(16);
  [a0, b0, c0, d0].forEach((v, k) => {
    for (let i = 0; i < 4; i++) out[4 * k + i] = (v >>> (8 * i)) & 0xff;
  });
  return out;
}

export function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

// ---- the key string ----------------------------------------------------------

const SEP = /[ \t,]+/;

// One source's numbers ("2 5 12 8 10") in canonical form ("2.5.8.10.12./").
// Throws an Error with a Chinese message for anything else.
export function canonicalSource(text) {
  const tokens = String(text ?? '')
    .split(SEP)
    .filter((t) => t !== '');
  if (!tokens.length) throw new Error('随机源的数值不能为空');
  if (tokens.length > 64) throw new Error('每个随机源最多 64 个数');
  const values = tokens.map((t) => {
    const m = /^(\d+)(?:\.(\d*))?$/.exec(t);
    if (!m || t.length > 40) throw new Error(`“${t}”不是非负的十进制数（多个数之间用空格分隔）`);
    const ip = m[1].replace(/^0+/, '');
    const fp = (m[2] || '').replace(/0+$/, '');
    return { ip, fp };
  });
  values.sort((x, y) => {
    if (x.ip.length !== y.ip.length) return x.ip.length - y.ip.length;
    if (x.ip !== y.ip) return x.ip < y.ip ? -1 : 1;
    if (x.fp === y.fp) return 0;
    return x.fp < y.fp ? -1 : 1;
  });
  return values.map((v) => `${v.ip || '0'}.${v.fp}`).join('') + '/';
}

// The key string of an array of sources (each a string of numbers).
export function keyString(sources) {
  if (!sources.length) throw new Error('至少需要一个随机源');
  return sources
    .map((s, i) => {
      try {
        return canonicalSource(s);
      } catch (e) {
        throw new Error(`第 ${i + 1} 个随机源：${e.message}`, { cause: e });
      }
    })
    .join('');
}

// "9319/2 5 12 8 10/9 18 26 34 41 45" → the key string.
export function keyFromText(text) {
  const t = String(text ?? '').replace(/[\s/]+$/, '');
  return keyString(t.split('/'));
}

// ---- the selection -------------------------------------------------------------

export const RFC_POOL_MAX = 65535;

// Bytes of the index: the RFC's 2, or 4 beyond 65,535 entrants.
export function indexBytes(pool) {
  return pool <= RFC_POOL_MAX ? 2 : 4;
}

// MD5(index ‖ key ‖ index).
export function stepDigest(key, index, width) {
  const k = new TextEncoder().encode(key);
  const buf = new Uint8Array(k.length + 2 * width);
  for (let i = 0; i < width; i++) {
    const b = (index >>> (8 * (width - 1 - i))) & 0xff;
    buf[i] = b;
    buf[width + k.length + i] = b;
  }
  buf.set(k, width);
  return md5(buf);
}

// The digest, read as an unsigned big-endian integer, modulo m.
export function digestMod(digest, m) {
  return Number(BigInt(`0x${hex(digest)}`) % BigInt(m));
}

// Draw `count` entrants from 1..pool. Returns [{index, md5, remaining,
// remainder, entry}] in draw order. Small pools use the RFC's own
// remove-from-a-list loop; large ones a Fenwick tree (same result, tested).
export function draw(key, pool, count, { method } = {}) {
  if (!Number.isInteger(pool) || pool < 1) throw new Error('报名人数无效');
  if (!Number.isInteger(count) || count < 0 || count > pool) throw new Error('抽取人数应在 0 到报名人数之间');
  const width = indexBytes(pool);
  const useTree = method ? method === 'tree' : pool > 50000;
  const steps = [];
  if (!useTree) {
    const list = new Uint32Array(pool);
    for (let i = 0; i < pool; i++) list[i] = i + 1;
    let left = pool;
    for (let j = 0; j < count; j++) {
      const d = stepDigest(key, j, width);
      const r = digestMod(d, left);
      const entry = list[r];
      list.copyWithin(r, r + 1, left);
      steps.push({ index: j, md5: hex(d), remaining: left, remainder: r, entry });
      left--;
    }
    return steps;
  }
  const tree = new Uint32Array(pool + 1);
  for (let i = 1; i <= pool; i++) tree[i] = i & -i;
  let top = 1;
  while (top * 2 <= pool) top *= 2;
  for (let j = 0; j < count; j++) {
    const left = pool - j;
    const d = stepDigest(key, j, width);
    const r = digestMod(d, left);
    let pos = 0;
    let want = r + 1;
    for (let s = top; s; s >>>= 1) {
      if (pos + s <= pool && tree[pos + s] < want) {
        pos += s;
        want -= tree[pos];
      }
    }
    for (let i = pos + 1; i <= pool; i += i & -i) tree[i]--;
    steps.push({ index: j, md5: hex(d), remaining: left, remainder: r, entry: pos + 1 });
  }
  return steps;
}

// log2 C(pool, count): the entropy the sources should carry (RFC 3797 §3.3).
export function entropyBits(pool, count) {
  let bits = 0;
  for (let i = 0; i < count; i++) bits += Math.log2((pool - i) / (i + 1));
  return Math.max(0, bits);
}
