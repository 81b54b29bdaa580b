// uscc.js — 统一社会信用代码 (GB 32100-2015) checked in the browser before a
// round trip: 18 characters from the code alphabet, digits 3–8 the region
// code, and the check character. The server checks again.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

// The check character for the first 17 characters.
export function usccCheckChar(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  const c = 31 - (sum % 31);
  return ALPHABET[c === 31 ? 0 : c];
}

// null when valid, else a Chinese message.
export function usccProblem(value) {
  const s = String(value || '')
    .trim()
    .toUpperCase();
  if (!s) return '请填写统一社会信用代码';
  if (s.length !== 18) return '统一社会信用代码应为 18 位';
  for (const ch of s)
    if (!ALPHABET.includes(ch)) return '统一社会信用代码含有无效字符（只用数字和除 I、O、Z、S、V 以外的大写字母）';
  if (!/^\d{6}$/.test(s.slice(2, 8))) return '统一社会信用代码第 3–8 位（登记管理机关行政区划码）应为数字';
  if (usccCheckChar(s) !== s[17]) return '统一社会信用代码校验码（最后一位）不正确，请核对';
  return null;
}
