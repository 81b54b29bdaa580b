// Log-in rules (issue 20): an unknown log-in behaves exactly like a real one;
// failures are throttled per address and per log-in with growing delays (429
// too_many_attempts, Retry-After), held in the database; an address that
// logged in to the account before keeps working, and so does a second factor;
// the audit log never holds a typed unknown log-in; TOTP (RFC 6238) enrolment,
// the two-step log-in, recovery codes, replay refusal, and the admin's
// requirement per duty with sessions that can only enrol.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runCli, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { rawSql } from '../lib/sql.js';
import { totp, codeSource } from '../lib/totp.js';

let srv, anon, admin;
let ipSeq = 0;
// A fresh client address for each scenario (the server trusts X-Forwarded-For).
const freshIp = () => `198.51.100.${++ipSeq}`;

before(async () => {
  srv = await startServer({ args: ['--trust-proxy'] });
  anon = new Client(srv.url);
  admin = await login('admin', DEMO_PASSWORD, '203.0.113.1');
});
after(async () => srv && srv.stop());

const post = (path, body, ip) => anon.req('POST', path, body, { headers: { 'X-Forwarded-For': ip } });
const attempt = (login, password, ip, extra = {}) =>
  post('/api/v1/session', { login, password, mode: 'bearer', ...extra }, ip);

async function login(name, password, ip) {
  const r = await attempt(name, password, ip);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const c = new Client(srv.url, r.body.token);
  c.user = r.body.user;
  c.body = r.body;
  return c;
}

async function newOfficer(loginName, duties, password = 'Denglu#Test2026') {
  const nj = (await admin.get(`/api/v1/orgs?q=${encodeURIComponent('南京市总工会')}`)).body.items[0];
  const u = await admin.post('/api/v1/users', {
    login: loginName,
    display_name: loginName,
    role: 'officer',
    org_id: nj.id,
    duties,
    password,
  });
  assert.equal(u.status, 201, JSON.stringify(u.body));
  return { id: u.body.id, password };
}

async function enrol(c) {
  const b = await c.post('/api/v1/session/totp', {});
  assert.equal(b.status, 201, JSON.stringify(b.body));
  const next = codeSource(b.body.secret);
  const ok = await c.post('/api/v1/session/totp/confirm', { code: await next() });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  return { secret: b.body.secret, next, recovery: ok.body.recovery_codes };
}

const errOf = (r) => `${r.status} ${r.body?.error?.code}`;

test('an unknown log-in and a real one answer alike, through the throttle and beyond', async () => {
  const real = await newOfficer('same_answer', ['membership']);
  const ipA = freshIp();
  const ipB = freshIp();
  const a = [];
  const b = [];
  for (let i = 0; i < 6; i++) {
    a.push(await attempt('same_answer', `Wrong-${i}-Pass`, ipA));
    b.push(await attempt('no_such_person', `Wrong-${i}-Pass`, ipB));
  }
  for (let i = 0; i < 5; i++) {
    assert.equal(errOf(a[i]), '401 invalid_credentials');
    assert.deepEqual(a[i].body, b[i].body, `failure ${i + 1}`);
  }
  for (const r of [a[5], b[5]]) {
    assert.equal(errOf(r), '429 too_many_attempts', JSON.stringify(r.body));
    const wait = Number(r.headers.get('retry-after'));
    assert.ok(wait > 0 && wait <= 30, `Retry-After ${wait}`);
  }
  assert.equal(a[5].body.error.message.replace(/\d+/g, 'N'), b[5].body.error.message.replace(/\d+/g, 'N'));
  // the right password does not get through either, and never a 423
  const right = await attempt('same_answer', real.password, freshIp());
  assert.equal(errOf(right), '429 too_many_attempts');
  // the counters are in the database, for both alike
  const rows = rawSql(srv.db.url, "SELECT key, failures FROM rate_backoff WHERE key LIKE 'login:%' ORDER BY key");
  assert.match(rows, new RegExp(`login:u${real.id}\\|5`));
  assert.match(rows, /login:h[0-9a-f]{32}\|5/);
  assert.doesNotMatch(rawSql(srv.db.url, 'SELECT key FROM rate_backoff'), /no_such_person/);
  // the delay doubles with each further failure, for both alike
  rawSql(srv.db.url, "UPDATE rate_backoff SET until_ms = 0 WHERE key LIKE 'login:%'");
  const a6 = await attempt('same_answer', 'Wrong-6-Pass', ipA);
  const b6 = await attempt('no_such_person', 'Wrong-6-Pass', ipB);
  assert.deepEqual(a6.body, b6.body);
  for (const ip of [ipA, ipB]) {
    const who = ip === ipA ? 'same_answer' : 'no_such_person';
    const r = await attempt(who, 'Wrong-7-Pass', ip);
    assert.equal(errOf(r), '429 too_many_attempts');
    const wait = Number(r.headers.get('retry-after'));
    assert.ok(wait > 30 && wait <= 60, `second delay ${wait}`);
  }
  // when the delay has passed, the right password works (and resets the count)
  rawSql(srv.db.url, "UPDATE rate_backoff SET until_ms = 0 WHERE key LIKE 'login:%'");
  const ok = await attempt('same_answer', real.password, freshIp());
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(rawSql(srv.db.url, `SELECT COUNT(*) FROM rate_backoff WHERE key = 'login:u${real.id}'`), '0');
});

test('wrong passwords for an unknown and a real log-in cost the same time', async () => {
  await newOfficer('timing_real', ['membership']);
  const time = async (name, ip) => {
    const t0 = process.hrtime.bigint();
    const r = await attempt(name, 'Wrong-Timing-1', ip);
    assert.equal(r.status, 401);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const real = [];
  const none = [];
  for (let i = 0; i < 4; i++) {
    real.push(await time('timing_real', freshIp()));
    none.push(await time('timing_nobody', freshIp()));
  }
  const median = (xs) => xs.sort((p, q) => p - q)[Math.floor(xs.length / 2)];
  const ratio = median(none) / median(real);
  assert.ok(
    ratio > 0.33 && ratio < 3,
    `unknown/real time ratio ${ratio.toFixed(2)} (${median(none)} / ${median(real)} ms)`,
  );
});

test('one address trying many log-ins is throttled, other addresses are not', async () => {
  const ip = freshIp();
  for (let i = 0; i < 20; i++) {
    const r = await attempt(`spray_${i}`, 'Spray-Pass-1', ip);
    assert.equal(errOf(r), '401 invalid_credentials', `try ${i + 1}`);
  }
  const r = await attempt('spray_new', 'Spray-Pass-1', ip);
  assert.equal(errOf(r), '429 too_many_attempts');
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  // even for a real account with the right password
  assert.equal(errOf(await attempt('nj_officer', DEMO_PASSWORD, ip)), '429 too_many_attempts');
  assert.equal((await attempt('nj_officer', DEMO_PASSWORD, freshIp())).status, 201);
});

test('strangers cannot lock an account out of the address it logs in from', async () => {
  const owner = await newOfficer('locked_out_not', ['membership']);
  const home = freshIp();
  await login('locked_out_not', owner.password, home);
  const stranger = freshIp();
  for (let i = 0; i < 5; i++) await attempt('locked_out_not', `Guess-${i}-Pass`, stranger);
  assert.equal(errOf(await attempt('locked_out_not', owner.password, stranger)), '429 too_many_attempts');
  assert.equal(errOf(await attempt('locked_out_not', owner.password, freshIp())), '429 too_many_attempts');
  // from home it still works
  const ok = await attempt('locked_out_not', owner.password, home);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  // and guessing from home has its own counter
  for (let i = 0; i < 5; i++) assert.equal((await attempt('locked_out_not', `Home-${i}-Pass`, home)).status, 401);
  assert.equal(errOf(await attempt('locked_out_not', owner.password, home)), '429 too_many_attempts');
  // the officer's list shows the account as throttled; a password reset clears it
  const list = await admin.get('/api/v1/users?q=locked_out_not');
  assert.equal(list.body.items[0].locked, true);
  const reset = await admin.post(`/api/v1/users/${owner.id}/password`, { password: 'Denglu#Reset2026' });
  assert.equal(reset.status, 204);
  assert.equal((await attempt('locked_out_not', 'Denglu#Reset2026', stranger)).status, 201);
});

test('the audit log keeps a keyed hash of an unknown log-in, never the text typed', async () => {
  const typed = 'Secret-Looking-Name-7731';
  const ip = freshIp();
  await attempt(typed, 'Wrong-Pass-7731', ip);
  await attempt(typed.toLowerCase(), 'Wrong-Pass-7732', ip);
  const r = await admin.get('/api/v1/audit?action=session.login&per_page=100');
  const unknown = r.body.items.filter((a) => a.outcome === 'failed' && /^unknown:/.test(a.actor_login || ''));
  assert.ok(unknown.length >= 2, JSON.stringify(r.body.items.slice(0, 3)));
  for (const a of unknown) assert.match(a.actor_login, /^unknown:[0-9a-f]{32}$/);
  // the same name (any case) gives the same hash, so repeated tries can be grouped
  const mine = unknown.filter((a) => a.client === ip);
  assert.equal(mine.length, 2);
  assert.equal(mine[0].actor_login, mine[1].actor_login);
  // an investigator with the key file finds the attempts at a name
  const hash = runCli(['user', 'login-hash', typed.toUpperCase(), ...srv.common]);
  assert.equal(hash.status, 0, hash.stderr);
  assert.equal(hash.stdout.trim(), mine[0].actor_login);
  const dump = rawSql(srv.db.url, 'SELECT * FROM audit_log');
  assert.ok(!dump.toLowerCase().includes(typed.toLowerCase()), 'the typed name is nowhere in the audit log');
});

test('TOTP enrolment: QR code, base32 secret sealed at rest, confirmed by a first code, ten recovery codes', async () => {
  const u = await newOfficer('totp_enrol', ['membership']);
  const c = await login('totp_enrol', u.password, freshIp());
  assert.deepEqual((await c.get('/api/v1/session/totp')).body, {
    enabled: false,
    pending: false,
    required: false,
    enabled_at: null,
    recovery_codes_left: 0,
  });
  const b = await c.post('/api/v1/session/totp', {});
  assert.equal(b.status, 201);
  assert.match(b.body.secret, /^[A-Z2-7]{32}$/);
  assert.equal(b.body.secret_grouped.replace(/ /g, ''), b.body.secret);
  const uri = new URL(b.body.uri);
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.host, 'totp');
  assert.equal(decodeURIComponent(uri.pathname), '/工会服务平台:totp_enrol');
  assert.equal(uri.searchParams.get('secret'), b.body.secret);
  assert.equal(uri.searchParams.get('issuer'), '工会服务平台');
  assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
  assert.equal(uri.searchParams.get('digits'), '6');
  assert.equal(uri.searchParams.get('period'), '30');
  assert.match(b.body.qr_svg, /^<svg [^>]*viewBox="0 0 \d+ \d+"/);
  const sealed = rawSql(srv.db.url, `SELECT secret_sealed FROM user_totp WHERE user_id = ${u.id}`);
  assert.match(sealed, /^v1:/);
  assert.ok(!sealed.includes(b.body.secret));
  // not in force until confirmed
  assert.equal((await attempt('totp_enrol', u.password, freshIp())).status, 201);
  const bad = await c.post('/api/v1/session/totp/confirm', {
    code: '000000' === totp(b.body.secret) ? '111111' : '000000',
  });
  assert.equal(errOf(bad), '400 invalid_code');
  const ok = await c.post('/api/v1/session/totp/confirm', { code: totp(b.body.secret) });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.recovery_codes.length, 10);
  assert.equal(new Set(ok.body.recovery_codes).size, 10);
  for (const rc of ok.body.recovery_codes) assert.match(rc, /^[2-9a-z]{5}-[2-9a-z]{5}$/);
  const stored = rawSql(srv.db.url, `SELECT code_hash FROM user_recovery_codes WHERE user_id = ${u.id}`);
  for (const rc of ok.body.recovery_codes) assert.ok(!stored.includes(rc.replace('-', '')), 'stored hashed');
  const st = (await c.get('/api/v1/session/totp')).body;
  assert.equal(st.enabled, true);
  assert.equal(st.recovery_codes_left, 10);
  // a second enrolment is refused while one is in force
  assert.equal(errOf(await c.post('/api/v1/session/totp', {})), '409 totp_enabled');
  assert.equal(errOf(await c.post('/api/v1/session/totp/confirm', { code: '123456' })), '409 totp_not_pending');
});

test('log-in with TOTP: a challenge, then a session for a valid code; replays and spent codes refused', async () => {
  const u = await newOfficer('totp_login', ['membership']);
  const c = await login('totp_login', u.password, freshIp());
  const { secret, next, recovery } = await enrol(c);
  const ip = freshIp();
  const first = await attempt('totp_login', u.password, ip);
  assert.equal(first.status, 202, JSON.stringify(first.body));
  assert.equal(first.body.second_factor, 'totp');
  assert.match(first.body.challenge, /^[A-Za-z0-9_-]{40,}$/);
  assert.equal(first.body.expires_in, 300);
  assert.equal(first.body.token, undefined);
  assert.equal(first.headers.get('set-cookie'), null);
  const wrongPw = await attempt('totp_login', 'Wrong-Pass-9', ip);
  assert.equal(errOf(wrongPw), '401 invalid_credentials', 'no challenge without the password');
  const wrong = await post('/api/v1/session/second-factor', { challenge: first.body.challenge, code: '12345' }, ip);
  assert.equal(errOf(wrong), '401 invalid_code');
  const code = await next();
  const good = await post('/api/v1/session/second-factor', { challenge: first.body.challenge, code }, ip);
  assert.equal(good.status, 201, JSON.stringify(good.body));
  assert.ok(good.body.token, 'bearer, as the first step asked');
  assert.equal(good.body.user.login, 'totp_login');
  assert.equal((await new Client(srv.url, good.body.token).get('/api/v1/session')).status, 200);
  // the challenge is spent
  const again = await post('/api/v1/session/second-factor', { challenge: first.body.challenge, code }, ip);
  assert.equal(errOf(again), '401 challenge_expired');
  // the same code (a replayed step) is refused with a new challenge
  const second = await attempt('totp_login', u.password, ip);
  const replay = await post('/api/v1/session/second-factor', { challenge: second.body.challenge, code }, ip);
  assert.equal(errOf(replay), '401 invalid_code');
  // an older step than one accepted is refused too
  const older = totp(secret, { stepOffset: -1 });
  if (older !== code) {
    const r = await post('/api/v1/session/second-factor', { challenge: second.body.challenge, code: older }, ip);
    assert.equal(r.status, 401);
  }
  // a recovery code works once, in either form
  const rc = recovery[0];
  const viaRc = await post(
    '/api/v1/session/second-factor',
    { challenge: second.body.challenge, code: rc.toUpperCase() },
    ip,
  );
  assert.equal(viaRc.status, 201, JSON.stringify(viaRc.body));
  const third = await attempt('totp_login', u.password, ip);
  const spent = await post('/api/v1/session/second-factor', { challenge: third.body.challenge, code: rc }, ip);
  assert.equal(errOf(spent), '401 invalid_code');
  assert.equal((await c.get('/api/v1/session/totp')).body.recovery_codes_left, 9);
  // cookie mode: the cookie comes with the second step
  const cookieFirst = await post('/api/v1/session', { login: 'totp_login', password: u.password }, ip);
  assert.equal(cookieFirst.status, 202);
  const cookieOk = await post(
    '/api/v1/session/second-factor',
    { challenge: cookieFirst.body.challenge, code: await next() },
    ip,
  );
  assert.equal(cookieOk.status, 201, JSON.stringify(cookieOk.body));
  assert.match(cookieOk.headers.get('set-cookie'), /gh_session=.*HttpOnly/);
  assert.equal(cookieOk.body.token, undefined);
  // the audit log names the factor
  const log = await admin.get(`/api/v1/audit?action=session.login&actor_id=${u.id}&per_page=100`);
  const factors = log.body.items.filter((a) => a.outcome === 'ok').map((a) => a.detail && a.detail.factor);
  assert.ok(factors.includes('totp') && factors.includes('recovery_code'), JSON.stringify(factors));
});

test('a challenge allows five tries and lasts five minutes', async () => {
  const u = await newOfficer('totp_tries', ['membership']);
  const c = await login('totp_tries', u.password, freshIp());
  const { next } = await enrol(c);
  const ip = freshIp();
  const ch = (await attempt('totp_tries', u.password, ip)).body.challenge;
  for (let i = 0; i < 4; i++) {
    const r = await post('/api/v1/session/second-factor', { challenge: ch, code: 'aaaaa-aaaaa' }, ip);
    assert.equal(errOf(r), '401 invalid_code', `try ${i + 1}`);
  }
  assert.equal(
    errOf(await post('/api/v1/session/second-factor', { challenge: ch, code: 'aaaaa-aaaaa' }, ip)),
    '401 challenge_expired',
  );
  assert.equal(
    errOf(await post('/api/v1/session/second-factor', { challenge: ch, code: await next() }, ip)),
    '401 challenge_expired',
  );
  const ch2 = (await attempt('totp_tries', u.password, ip)).body.challenge;
  rawSql(srv.db.url, `UPDATE login_challenges SET expires_ms = 1 WHERE user_id = ${u.id} AND used = 0`);
  assert.equal(
    errOf(await post('/api/v1/session/second-factor', { challenge: ch2, code: await next() }, ip)),
    '401 challenge_expired',
  );
  assert.equal(
    errOf(await post('/api/v1/session/second-factor', { challenge: 'made-up', code: '123456' }, ip)),
    '401 challenge_expired',
  );
});

test('a throttled account with a second factor still logs in by sending the code with the password', async () => {
  const u = await newOfficer('totp_throttled', ['membership']);
  const c = await login('totp_throttled', u.password, freshIp());
  const { next } = await enrol(c);
  for (let i = 0; i < 5; i++) await attempt('totp_throttled', `Guess-${i}-Pass`, freshIp());
  const ip = freshIp();
  assert.equal(errOf(await attempt('totp_throttled', u.password, ip)), '429 too_many_attempts');
  // with the code: in at once, no challenge
  const ok = await attempt('totp_throttled', u.password, ip, { code: await next() });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.ok(ok.body.token);
  // a wrong password or code with it: the same 401 whichever was wrong
  for (const other of [freshIp(), freshIp()]) {
    for (let i = 0; i < 5; i++) await attempt('totp_throttled', `Guess-${i}-Again`, other);
  }
  const wrongCode = await attempt('totp_throttled', u.password, freshIp(), { code: '000001' });
  const wrongPw = await attempt('totp_throttled', 'Wrong-Pass-1', freshIp(), { code: '123456' });
  assert.equal(errOf(wrongCode), '401 invalid_credentials');
  assert.deepEqual(wrongCode.body, wrongPw.body);
  // an unknown log-in (or one without a second factor) sending a code: the same
  for (let i = 0; i < 5; i++) await attempt('nobody_with_code', `Guess-${i}-Pass`, freshIp());
  const unknown = await attempt('nobody_with_code', 'Wrong-Pass-1', freshIp(), { code: '123456' });
  assert.deepEqual(unknown.body, wrongPw.body);
  // code guesses are themselves throttled
  for (let i = 0; i < 3; i++) await attempt('totp_throttled', u.password, freshIp(), { code: '000002' });
  const blocked = await attempt('totp_throttled', u.password, freshIp(), { code: '000003' });
  assert.equal(errOf(blocked), '429 too_many_attempts');
});

test('the admin requires a second factor per duty; who must enrol gets a session that can only enrol', async () => {
  const fin = await newOfficer('must_enrol_fin', ['membership', 'finance']);
  const plain = await newOfficer('must_enrol_not', ['membership', 'retreat']);
  const officer = await login('nj_officer', DEMO_PASSWORD, freshIp());
  const auditor = await login('auditor', DEMO_PASSWORD, freshIp());
  const policy = { admin: false, auditor: false, finance: true, hardship: true };
  assert.equal((await officer.put('/api/v1/settings/second-factor', policy)).status, 403);
  assert.equal((await officer.get('/api/v1/settings/second-factor')).status, 403);
  assert.equal((await auditor.put('/api/v1/settings/second-factor', policy)).status, 403);
  assert.deepEqual((await auditor.get('/api/v1/settings/second-factor')).body, {
    admin: false,
    auditor: false,
    finance: false,
    hardship: false,
  });
  assert.equal((await admin.put('/api/v1/settings/second-factor', { admin: true })).status, 400);
  const set = await admin.put('/api/v1/settings/second-factor', policy);
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.deepEqual(set.body, policy);
  // an officer without those duties is not asked
  const p = await login('must_enrol_not', plain.password, freshIp());
  assert.equal(p.body.must_enrol_totp, false);
  assert.equal((await p.get('/api/v1/session/totp')).body.required, false);
  // one with the finance duty gets a session that can only enrol
  const f = await login('must_enrol_fin', fin.password, freshIp());
  assert.equal(f.body.must_enrol_totp, true);
  for (const path of ['/api/v1/orgs', '/api/v1/menu', '/api/v1/members', '/api/v1/ledger/accounts']) {
    const r = await f.get(path);
    assert.equal(errOf(r), '403 second_factor_required', path);
  }
  assert.equal(errOf(await f.post('/api/v1/orgs', { name: 'x' })), '403 second_factor_required');
  assert.equal((await f.get('/api/v1/session')).body.must_enrol_totp, true);
  assert.equal((await f.get('/api/v1/session/totp')).body.required, true);
  // the session state that public pages read stays open to it
  assert.equal((await f.get('/api/v1/session/state')).body.user.login, 'must_enrol_fin');
  const { next } = await enrol(f);
  assert.equal((await f.get('/api/v1/orgs')).status, 200, 'the same session is a full one after enrolment');
  assert.equal((await f.get('/api/v1/session')).body.must_enrol_totp, false);
  // required: cannot be turned off by the user
  assert.equal(
    errOf(await f.post('/api/v1/session/totp/disable', { code: await next() })),
    '403 second_factor_mandatory',
  );
  // the next log-in asks for the code
  assert.equal((await attempt('must_enrol_fin', fin.password, freshIp())).status, 202);
  // admins when required
  await admin.put('/api/v1/settings/second-factor', { ...policy, admin: true });
  const a2 = await attempt('admin', DEMO_PASSWORD, freshIp());
  assert.equal(a2.body.must_enrol_totp, true);
  await admin.put('/api/v1/settings/second-factor', { admin: false, auditor: false, finance: false, hardship: false });
  const a3 = await attempt('admin', DEMO_PASSWORD, freshIp());
  assert.equal(a3.body.must_enrol_totp, false);
  const log = await admin.get('/api/v1/audit?action=settings.second_factor');
  assert.ok(log.body.items.length >= 3);
});

test('turning TOTP off takes a current code; an officer can reset a lost one', async () => {
  const u = await newOfficer('totp_off', ['membership']);
  const c = await login('totp_off', u.password, freshIp());
  const { next, recovery } = await enrol(c);
  assert.equal(errOf(await c.post('/api/v1/session/totp/disable', { code: 'zzzzz-zzzzz' })), '400 invalid_code');
  const off = await c.post('/api/v1/session/totp/disable', { code: await next() });
  assert.equal(off.status, 200, JSON.stringify(off.body));
  assert.equal(off.body.enabled, false);
  assert.equal(rawSql(srv.db.url, `SELECT COUNT(*) FROM user_recovery_codes WHERE user_id = ${u.id}`), '0');
  assert.equal((await attempt('totp_off', u.password, freshIp())).status, 201, 'no second step any more');
  // the old recovery codes are gone with it
  assert.equal(errOf(await c.post('/api/v1/session/totp/disable', { code: recovery[1] })), '409 totp_not_enabled');
  // lost phone: an officer who manages the account resets it
  await enrol(c);
  assert.equal((await attempt('totp_off', u.password, freshIp())).status, 202);
  const scoped = await login('nx_officer', DEMO_PASSWORD, freshIp());
  assert.equal(
    errOf(await scoped.post(`/api/v1/users/${u.id}/totp/reset`, { reason: '更换手机' })),
    '404 user_not_found',
  );
  assert.equal(errOf(await admin.post(`/api/v1/users/${u.id}/totp/reset`, {})), '400 missing_field');
  const reset = await admin.post(`/api/v1/users/${u.id}/totp/reset`, { reason: '更换手机，原验证器丢失' });
  assert.equal(reset.status, 200, JSON.stringify(reset.body));
  assert.equal(reset.body.totp, false);
  assert.equal((await attempt('totp_off', u.password, freshIp())).status, 201);
  assert.equal(errOf(await admin.post(`/api/v1/users/${u.id}/totp/reset`, { reason: '再次' })), '409 totp_not_enabled');
  // the only admin who lost both: the operator resets it from the command line
  const a = await login('admin', DEMO_PASSWORD, freshIp());
  await enrol(a);
  assert.equal((await attempt('admin', DEMO_PASSWORD, freshIp())).status, 202);
  const cli = runCli(['user', 'reset-totp', '--login', 'admin', '--reason', '唯一管理员更换手机', ...srv.common]);
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /已重置 admin 的两步验证/);
  assert.equal((await attempt('admin', DEMO_PASSWORD, freshIp())).status, 201);
});
