// password.js — the server's one password rule (domain/auth/auth.c,
// auth_password_ok), in the words every password field shows as its hint:
// members and staff alike, on joining, activation, reset and change.
export const PASSWORD_RULE =
  '8–128 个字符；不能用常见密码、连续或重复的字符（如 abcdefgh、12345678、aaaa1111）、键盘序列（如 qwertyui）或纯数字，也不能包含登录名';

// The quick checks the page can make before a round trip (the server makes
// them all): a message for a password that is too short or too long, else null.
export function passwordProblem(pw) {
  if (pw.length < 8) return '密码至少 8 个字符';
  if (pw.length > 128) return '密码不能超过 128 个字符';
  return null;
}
