// Valid Chinese identifiers for tests, computed with the published check
// rules (GB 11643 for ID numbers), never copied from real people.
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const MAP = '10X98765432';

export function idCheck(first17) {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * W[i];
  return MAP[s % 11];
}

// An ID number: region (6 digits), birth date YYYYMMDD, sequence (0..999).
export function makeId(n, { region = '320102', birth = '19850315' } = {}) {
  const seq = String(n % 1000).padStart(3, '0');
  const first17 = region + birth + seq;
  return first17 + idCheck(first17);
}

// A distinct valid ID for each n (varies the birth date as well).
export function idFor(n) {
  const year = 1960 + (n % 40);
  const day = 1 + (Math.floor(n / 40) % 28);
  const month = 1 + (Math.floor(n / 1120) % 12);
  const birth = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
  return makeId(Math.floor(n / 13440), { birth });
}

export function mobileFor(n) {
  return `139${String(n).padStart(8, '0')}`;
}
