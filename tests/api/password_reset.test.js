// Members reset a forgotten password themselves: ID number and mobile, then
// a 6-digit code by text message (read here from the server log, which the
// development hook GONGHUI_SMS_ECHO=1 writes), then a new password. The
// first step answers the same whether or not the person is a member; codes
// expire, die after 5 wrong tries and are used once; the reset ends every
// session; everything is rate-limited and audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { idFor, mobileFor } from '../lib/ids.js';
import { rawSql } from '../lib/sql.js';

let srv, anon, nj, admin;
let orgId;

before(async () => {
  srv = await startServer({ env: { GONGHUI_SMS_ECHO: '1' } });
  anon = new Client(srv.url);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  admin = await anon.login('admin', DEMO_PASSWORD);
  const dir = await anon.get(`/api/v1/directory/orgs?per_page=20&q=${encodeURIComponent('江宁区新就业形态')}`);
  orgId = dir.body.items[0].id;
});
after(async () => srv && srv.stop());

// A member with an account: joins online, approved by the Nanjing officer.
async function member(n, password = 'Kuaidi#2026') {
  const body = {
    name: `重置${n}`,
    id_number: idFor(n),
    mobile: mobileFor(n),
    employment_form: 'courier',
    org_id: orgId,
    password,
  };
  const r = await anon.post('/api/v1/join-requests', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const list = await nj.get('/api/v1/join-requests?per_page=100');
  const jr = list.body.items.find((i) => i.name === body.name);
  assert.equal((await nj.post(`/api/v1/join-requests/${jr.id}/approve`, {})).status, 200);
  return { id_number: idFor(n), mobile: mobileFor(n), password };
}

// The reset codes texted since `from` characters of the log (other texts,
// such as the notice of an approved join request, are left out).
function codesSince(from) {
  return srv.stderr
    .slice(from)
    .split('\n')
    .filter((l) => l.includes('sms echo'))
    .map((l) => JSON.parse(l).msg.match(/验证码 (\d{6})/))
    .filter(Boolean)
    .map((m) => m[1]);
}

// The code of the latest reset text after `from` (the log is flushed a few
// times a second).
async function codeAfter(from) {
  for (let i = 0; i < 40; i++) {
    const codes = codesSince(from);
    if (codes.length) return codes[codes.length - 1];
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

async function echoedSince(from) {
  await new Promise((r) => setTimeout(r, 600));
  return codesSince(from).length > 0;
}

const ask = (who) => anon.post('/api/v1/member-password-reset', { id_number: who.id_number, mobile: who.mobile });
const confirm = (who, code, new_password) =>
  anon.post('/api/v1/member-password-reset/confirm', {
    id_number: who.id_number,
    mobile: who.mobile,
    code,
    new_password,
  });

test('the same answer for a stranger and a member; the member gets a code and sets a new password', async () => {
  const m = await member(9101);
  const old = await anon.login(m.mobile, m.password);
  assert.equal((await old.get('/api/v1/me/member')).status, 200);

  // a stranger (valid numbers, nobody's), and a member's ID with another mobile
  let mark = srv.stderr.length;
  const stranger = await ask({ id_number: idFor(9199), mobile: mobileFor(9199) });
  const wrongPair = await ask({ id_number: m.id_number, mobile: mobileFor(9198) });
  assert.equal(stranger.status, 202);
  assert.equal(wrongPair.status, 202);
  assert.equal(await echoedSince(mark), false, 'no text message for a stranger');

  mark = srv.stderr.length;
  const mine = await ask(m);
  assert.equal(mine.status, 202);
  assert.deepEqual(mine.body, stranger.body, 'the answer does not tell who is a member');
  assert.equal(mine.body.expires_in_s, 600);
  const code = await codeAfter(mark);
  assert.match(code, /^\d{6}$/);

  // the text waits sealed in the outbox, outside the message centre; the code is stored hashed
  const outbox = rawSql(srv.db.url, 'SELECT COUNT(*) FROM sms_outbox WHERE notice_id IS NULL');
  assert.ok(Number(outbox) >= 1);
  assert.ok(
    !rawSql(srv.db.url, 'SELECT text_sealed || code_hash FROM sms_outbox, member_password_resets').includes(code),
  );
  const notices = await old.get('/api/v1/me/notices');
  assert.ok(!notices.body.items.some((i) => i.body.includes(code)), 'no code in the message centre');

  // the password rule comes first, and does not use up the code
  const weak = await confirm(m, code, 'abcdefgh');
  assert.equal(weak.status, 400);
  assert.equal(weak.body.error.code, 'weak_password');
  assert.equal(weak.body.error.field, 'new_password');
  const withMobile = await confirm(m, code, `${m.mobile}xyz`);
  assert.equal(withMobile.body.error.code, 'weak_password', 'the password may not contain the login');

  // a wrong code, a malformed one
  const wrong = await confirm(m, code === '000000' ? '111111' : '000000', 'Zhaohui#2027');
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.error.code, 'reset_code_invalid');
  assert.equal(wrong.body.error.field, 'code');
  assert.equal((await confirm(m, '12ab', 'Zhaohui#2027')).body.error.code, 'invalid_code');

  const ok = await confirm(m, code, 'Zhaohui#2027');
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.match(ok.body.message, /密码已重置/);

  // the old session is gone, the old password too; the new one works
  assert.equal((await old.get('/api/v1/me/member')).status, 401);
  const relog = await anon.post('/api/v1/session', { login: m.mobile, password: m.password, mode: 'bearer' });
  assert.equal(relog.status, 401);
  const fresh = await anon.login(m.mobile, 'Zhaohui#2027');
  assert.equal((await fresh.get('/api/v1/me/member')).status, 200);

  // used once
  const again = await confirm(m, code, 'Another#Pass2028');
  assert.equal(again.body.error.code, 'reset_code_invalid');

  // audited: the request and the reset, by the member
  const audit = await admin.get('/api/v1/audit?action=member.password_reset&per_page=50');
  assert.equal(audit.status, 200, JSON.stringify(audit.body));
  const actions = audit.body.items.map((i) => `${i.action}/${i.outcome}`);
  assert.ok(actions.includes('member.password_reset_request/ok'), actions.join());
  assert.ok(actions.includes('member.password_reset_request/failed'), actions.join());
  assert.ok(actions.includes('member.password_reset/ok'), actions.join());
  assert.ok(actions.includes('member.password_reset/failed'), actions.join());
});

test('a code dies after 5 wrong tries, and a new request replaces the open code', async () => {
  const m = await member(9102);
  let mark = srv.stderr.length;
  assert.equal((await ask(m)).status, 202);
  const first = await codeAfter(mark);
  mark = srv.stderr.length;
  assert.equal((await ask(m)).status, 202);
  const second = await codeAfter(mark);
  // Every wrong try counts against the open code (the second): the first
  // code, replaced, is one of them when it differs.
  let tries = 0;
  if (first !== second) {
    const replaced = await confirm(m, first, 'Zhaohui#2027');
    assert.equal(replaced.body.error.code, 'reset_code_invalid', 'the first code was replaced');
    tries++;
  }
  const bad = second === '999999' ? '999998' : '999999';
  for (; tries < 5; tries++) assert.equal((await confirm(m, bad, 'Zhaohui#2027')).status, 400);
  const late = await confirm(m, second, 'Zhaohui#2027');
  assert.equal(late.body.error.code, 'reset_code_invalid', 'spent after 5 wrong tries');
  // the old password still works
  await anon.login(m.mobile, m.password);
});

test('an expired code is refused', async () => {
  const m = await member(9103);
  const mark = srv.stderr.length;
  await ask(m);
  const code = await codeAfter(mark);
  rawSql(srv.db.url, "UPDATE member_password_resets SET expires_ms = 1000 WHERE status = 'open'");
  assert.equal((await confirm(m, code, 'Zhaohui#2027')).body.error.code, 'reset_code_invalid');
});

test('requests are limited per person and per address, malformed numbers are refused', async () => {
  const bad = await anon.post('/api/v1/member-password-reset', { id_number: '123', mobile: mobileFor(1) });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'id_number');
  const extra = await anon.post('/api/v1/member-password-reset', { id_number: idFor(1), mobile: mobileFor(1), x: 1 });
  assert.equal(extra.status, 400);

  // 3 codes an hour for one person (whether or not they exist)
  const p = { id_number: idFor(9150), mobile: mobileFor(9150) };
  const answers = [];
  for (let i = 0; i < 4; i++) answers.push((await ask(p)).status);
  assert.deepEqual(answers.slice(0, 3), [202, 202, 202]);
  assert.equal(answers[3], 429);

  // 10 an hour from one address, however many people
  let limited = false;
  for (let n = 9160; n < 9175 && !limited; n++) {
    limited = (await ask({ id_number: idFor(n), mobile: mobileFor(n) })).status === 429;
  }
  assert.ok(limited, 'the address is limited');
  // confirmations are limited too
  let capped = false;
  for (let i = 0; i < 25 && !capped; i++) {
    capped = (await confirm(p, '123456', 'Zhaohui#2027')).status === 429;
  }
  assert.ok(capped, 'confirmations are limited');
});
