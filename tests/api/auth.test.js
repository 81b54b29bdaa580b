// Log-in, sessions, CSRF, throttling, password changes and the audit log's
// integrity, over HTTP and the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runCli, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { rawSql } from '../lib/sql.js';

let srv, anon, admin;

before(async () => {
  srv = await startServer({ args: ['--session-idle', '3'] });
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
});
after(async () => srv && srv.stop());

test('wrong password and unknown user look the same', async () => {
  const a = await anon.post('/api/v1/session', { login: 'nj_officer', password: 'Wrong-pass1' });
  const b = await anon.post('/api/v1/session', { login: 'no_such_user', password: 'Wrong-pass1' });
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.equal(a.body.error.code, 'invalid_credentials');
  assert.deepEqual(a.body, b.body);
});

test('five failures throttle the log-in, even for the right password (tests/api/login.test.js has the rest)', async () => {
  for (let i = 0; i < 5; i++) {
    const r = await anon.post('/api/v1/session', { login: 'sz_officer', password: `Wrong-${i}-Pass` });
    assert.equal(r.status, 401);
  }
  const locked = await anon.post('/api/v1/session', { login: 'sz_officer', password: DEMO_PASSWORD });
  assert.equal(locked.status, 429);
  assert.equal(locked.body.error.code, 'too_many_attempts');
  assert.match(locked.body.error.message, /秒/);
  assert.ok(Number(locked.headers.get('retry-after')) > 0);
  // an admin's reset unlocks it
  const users = await admin.get('/api/v1/users?q=sz_officer');
  const id = users.body.items[0].id;
  assert.equal(users.body.items[0].locked, true);
  const reset = await admin.post(`/api/v1/users/${id}/password`, { password: 'Suzhou#2026new' });
  assert.equal(reset.status, 204);
  const ok = await anon.post('/api/v1/session', { login: 'sz_officer', password: 'Suzhou#2026new' });
  assert.equal(ok.status, 201);
});

test('cookie sessions: HttpOnly, SameSite=Strict, CSRF token required for writes', async () => {
  const r = await fetch(srv.url + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: 'nj_officer', password: DEMO_PASSWORD }),
  });
  assert.equal(r.status, 201);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /gh_session=[A-Za-z0-9_-]{40,}/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const body = await r.json();
  assert.equal(body.token, undefined, 'the token is not readable by page scripts');
  const c = cookie.split(';')[0];
  const me = await fetch(srv.url + '/api/v1/session', { headers: { Cookie: c } });
  assert.equal(me.status, 200);
  const meBody = await me.json();
  assert.equal(meBody.user.login, 'nj_officer');
  assert.equal(meBody.csrf_token, body.csrf_token);
  const post = (headers) =>
    fetch(srv.url + '/api/v1/orgs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: c, ...headers },
      body: JSON.stringify({
        name: 'CSRF 测试工会',
        level: 'grassroots',
        kind: 'enterprise',
        region_code: '320102',
        parent_id: 4,
      }),
    });
  const no = await post({});
  assert.equal(no.status, 403);
  assert.equal((await no.json()).error.code, 'csrf_failed');
  const wrong = await post({ 'X-CSRF-Token': 'forged' });
  assert.equal(wrong.status, 403);
  const yes = await post({ 'X-CSRF-Token': body.csrf_token });
  assert.equal(yes.status, 201);
  const out = await fetch(srv.url + '/api/v1/session', {
    method: 'DELETE',
    headers: { Cookie: c, 'X-CSRF-Token': body.csrf_token },
  });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie'), /Max-Age=0/);
  const after = await fetch(srv.url + '/api/v1/orgs', { headers: { Cookie: c } });
  assert.equal(after.status, 401);
});

test('idle sessions expire', async () => {
  const c = await anon.login('jn_officer', DEMO_PASSWORD);
  assert.equal((await c.get('/api/v1/session')).status, 200);
  await new Promise((r) => setTimeout(r, 4200));
  const r = await c.get('/api/v1/session');
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'session_expired');
});

test('a password change ends every other session', async () => {
  const a = await anon.login('yc_officer', DEMO_PASSWORD);
  const b = await anon.login('yc_officer', DEMO_PASSWORD);
  const weak = await a.post('/api/v1/session/password', { old_password: DEMO_PASSWORD, new_password: 'short' });
  assert.equal(weak.status, 400);
  assert.equal(weak.body.error.code, 'weak_password');
  const twoClasses = await a.post('/api/v1/session/password', {
    old_password: DEMO_PASSWORD,
    new_password: 'abcdefgh12',
  });
  assert.equal(twoClasses.status, 400, 'a letter run with digits is guessable');
  const wrongOld = await a.post('/api/v1/session/password', {
    old_password: 'nope-Nope-1',
    new_password: 'Yinchuan#2027',
  });
  assert.equal(wrongOld.status, 400);
  assert.equal(wrongOld.body.error.code, 'wrong_password');
  const ok = await a.post('/api/v1/session/password', { old_password: DEMO_PASSWORD, new_password: 'Yinchuan#2027' });
  assert.equal(ok.status, 204);
  assert.equal((await a.get('/api/v1/session')).status, 200, 'the session that changed it goes on');
  assert.equal((await b.get('/api/v1/session')).status, 401, 'every other session ended');
  assert.equal((await anon.post('/api/v1/session', { login: 'yc_officer', password: DEMO_PASSWORD })).status, 401);
  assert.equal((await anon.post('/api/v1/session', { login: 'yc_officer', password: 'Yinchuan#2027' })).status, 201);
});

test('staff accounts: scope, no duty escalation', async () => {
  const nj = await anon.login('nj_officer', DEMO_PASSWORD);
  const orgs = await nj.get('/api/v1/orgs?q=' + encodeURIComponent('玄武区总工会'));
  const xw = orgs.body.items[0].id;
  const esc = await nj.post('/api/v1/users', {
    login: 'xw_officer',
    display_name: '玄武区 陈晓东',
    role: 'officer',
    org_id: xw,
    duties: ['membership', 'employment'],
    password: 'Xuanwu#2026',
  });
  assert.equal(esc.status, 403);
  assert.equal(esc.body.error.code, 'duty_escalation');
  const adm = await nj.post('/api/v1/users', {
    login: 'xw_admin',
    display_name: 'x',
    role: 'admin',
    password: 'Xuanwu#2026',
  });
  assert.equal(adm.status, 403);
  const ok = await nj.post('/api/v1/users', {
    login: 'xw_officer',
    display_name: '玄武区 陈晓东',
    role: 'officer',
    org_id: xw,
    duties: ['membership'],
    password: 'Xuanwu#2026',
  });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const dup = await nj.post('/api/v1/users', {
    login: 'xw_officer',
    display_name: '重复',
    role: 'officer',
    org_id: xw,
    duties: [],
    password: 'Xuanwu#2026',
  });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error.code, 'login_taken');
  const sz = await anon.login('nx_officer', DEMO_PASSWORD);
  assert.equal((await sz.get(`/api/v1/users/${ok.body.id}`)).status, 404, 'Ningxia cannot see a Nanjing account');
  const list = await nj.get('/api/v1/users?per_page=100');
  assert.ok(list.body.items.some((u) => u.login === 'xw_officer'));
  assert.ok(!list.body.items.some((u) => u.login === 'nx_officer'));
  const self = await nj.patch(`/api/v1/users/${nj.user.id}`, {
    duties: ['membership', 'hardship', 'finance', 'retreat', 'org', 'rights'],
  });
  assert.equal(self.status, 403);
});

test('the audit log records log-ins and writes, and cannot be changed through the API', async () => {
  const auditor = await anon.login('auditor', DEMO_PASSWORD);
  const r = await auditor.get('/api/v1/audit?action=session.login&per_page=100');
  assert.equal(r.status, 200);
  assert.ok(
    r.body.items.some((a) => a.outcome === 'failed'),
    'failed log-ins are there',
  );
  assert.ok(r.body.items.some((a) => a.outcome === 'ok'));
  const any = r.body.items[0];
  assert.equal((await admin.del(`/api/v1/audit/${any.id}`)).status, 404);
  assert.equal((await admin.patch('/api/v1/audit', {})).status, 405);
  const officer = await anon.login('jn_officer', DEMO_PASSWORD);
  assert.equal((await officer.get('/api/v1/audit')).status, 403);
});

test("audit verify passes, and detects a row changed behind the platform's back", async () => {
  const ok = runCli(['audit', 'verify', ...srv.common]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /哈希链无误/);
  rawSql(srv.db.url, "UPDATE audit_log SET actor_login = 'someone_else' WHERE seq = 3");
  const bad = runCli(['audit', 'verify', ...srv.common]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /audit_row_altered/);
  assert.match(bad.stderr, /第 3 条/);
});

test('one password rule for members and staff: guessable passwords are refused', async () => {
  const { newMember } = await import('../lib/lottery.js');
  const nj = await anon.login('nj_officer', DEMO_PASSWORD);
  const zijin = (await nj.get(`/api/v1/orgs?q=${encodeURIComponent('紫金软件')}`)).body.items[0];
  const member = await newMember(anon, nj, 7301, zijin.id);
  for (const weak of ['abcdefgh', '12345678', 'Password#2026', 'qwerty123']) {
    const r = await member.post('/api/v1/session/password', { old_password: 'Lottery@2026', new_password: weak });
    assert.equal(r.status, 400, weak);
    assert.equal(r.body.error.code, 'weak_password', weak);
    assert.equal(r.body.error.field, 'new_password');
  }
  // the same rule for staff, and a sound password passes for both
  const staff = await nj.post('/api/v1/session/password', { old_password: DEMO_PASSWORD, new_password: 'abcdefgh' });
  assert.equal(staff.body.error.code, 'weak_password');
  const ok = await member.post('/api/v1/session/password', {
    old_password: 'Lottery@2026',
    new_password: 'Qinhuai#River7',
  });
  assert.equal(ok.status, 204, JSON.stringify(ok.body));
});

test('a public page learns that nobody is logged in without a 401', async () => {
  const none = await anon.get('/api/v1/session/state');
  assert.equal(none.status, 200);
  assert.equal(none.body.user, null);
  const nj = await anon.login('nj_officer', DEMO_PASSWORD);
  const some = await nj.get('/api/v1/session/state');
  assert.equal(some.status, 200);
  assert.equal(some.body.user.login, 'nj_officer');
  assert.ok(some.body.csrf_token.length > 10);
  // the plain session route still answers 401 for a visitor
  assert.equal((await anon.get('/api/v1/session')).status, 401);
});

test('an officer with the finance duty creates an enterprise account for an enterprise in scope', async () => {
  const nj = await anon.login('nj_officer', DEMO_PASSWORD); // org and finance duties, 南京
  const mine = (await nj.get('/api/v1/enterprises?per_page=1')).body.items[0];
  const body = {
    login: 'qiye_test_nj',
    display_name: '企业财务 测试',
    role: 'enterprise',
    enterprise_id: mine.id,
    org_id: mine.org_id,
    password: 'Qiye@2026x',
  };
  const r = await nj.post('/api/v1/users', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.role, 'enterprise');
  assert.equal(r.body.enterprise_id, mine.id);
  const ent = await anon.login('qiye_test_nj', 'Qiye@2026x');
  assert.equal((await ent.get(`/api/v1/enterprises/${mine.id}`)).status, 200);
  // an officer of another region (org and finance duties too) does not see it
  const yc = await anon.login('nx_officer', DEMO_PASSWORD); // 宁夏
  const out = await yc.post('/api/v1/users', { ...body, login: 'qiye_test_yc', org_id: null });
  assert.equal(out.status, 404);
  assert.equal(out.body.error.field, 'enterprise_id');
  // without the finance duty the enterprise cannot be seen, so no account either
  const jn = await anon.login('jn_officer', DEMO_PASSWORD); // org duty, no finance
  const noFin = await jn.post('/api/v1/users', { ...body, login: 'qiye_test_jn' });
  assert.notEqual(noFin.status, 201);
  // an enterprise account needs its enterprise
  const none = await nj.post('/api/v1/users', { ...body, login: 'qiye_test_none', enterprise_id: undefined });
  assert.equal(none.status, 400);
  assert.equal(none.body.error.field, 'enterprise_id');
});
