// Valid 统一社会信用代码 (GB 32100) for tests, computed with the published
// check rule, never copied from real enterprises.
const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheck(first17) {
  let s = 0;
  for (let i = 0; i < 17; i++) s += ALPHA.indexOf(first17[i]) * W[i];
  const c = 31 - (s % 31);
  return ALPHA[c === 31 ? 0 : c];
}

// 91 (enterprise) + region (6) + an organisation code from n (9 chars).
export function usccFor(n, region = '320115') {
  let body = '';
  let v = n;
  for (let i = 0; i < 9; i++) {
    body = ALPHA[v % 31] + body;
    v = Math.floor(v / 31);
  }
  const first17 = '91' + region + body;
  return first17 + usccCheck(first17);
}
