// idnumber.js — checks of Chinese identity numbers and mobile numbers done in
// the browser before a round trip (the server checks again, and more: region
// codes and birth dates). GB 11643: the 18th character is a check digit over
// the first 17 with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

// The check character for 17 digits ('32010619900307123' → 'X').
export function idCheckDigit(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

// null when s looks like a valid 18-character ID number, else a message.
export function idNumberProblem(s) {
  const v = String(s || '')
    .trim()
    .toUpperCase();
  if (!/^\d{17}[\dX]$/.test(v)) return '身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X';
  if (idCheckDigit(v) !== v[17]) return '身份证号码校验码（最后一位）不正确，请核对号码';
  return null;
}

// A mainland mobile number without +86, spaces or dashes; '' when s is none.
export function normaliseMobile(s) {
  return String(s || '')
    .replace(/[\s-]/g, '')
    .replace(/^(\+?86)(?=1\d{10}$)/, '');
}

// null when s is an 11-digit mainland mobile number, else a message.
export function mobileProblem(s) {
  return /^1[3-9]\d{9}$/.test(normaliseMobile(s)) ? null : '手机号码应为 11 位数字，以 13–19 开头';
}
