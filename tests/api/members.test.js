// Members over HTTP: creation with validation, masking, the audited reveal,
// and the data-scope matrix — officers of two sibling cities, a province
// officer above both, and a member each try every member endpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { idFor, mobileFor, makeId } from '../lib/ids.js';

let srv, anon, admin, js, nj, sz, auditor;
const org = {};
let njMember, szMember, memberClient;

async function orgId(c, name) {
  const r = await admin.get('/api/v1/orgs?q=' + encodeURIComponent(name));
  return r.body.items.find((o) => o.name === name).id;
}

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  js = await anon.login('js_officer', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  sz = await anon.login('sz_officer', DEMO_PASSWORD);
  auditor = await anon.login('auditor', DEMO_PASSWORD);
  for (const n of [
    '南京紫金软件股份有限公司工会',
    '苏州平江路文旅发展有限公司工会',
    '玄武区总工会',
    '南京市总工会',
    '江宁区新就业形态劳动者联合工会',
  ])
    org[n] = await orgId(admin, n);
  const a = await nj.post('/api/v1/members', {
    name: '张建国',
    id_number: idFor(1),
    mobile: mobileFor(1),
    org_id: org['南京紫金软件股份有限公司工会'],
    employment_form: 'employee',
    frontline: true,
    join_date: '2019-06-01',
  });
  assert.equal(a.status, 201, JSON.stringify(a.body));
  njMember = a.body;
  const b = await sz.post('/api/v1/members', {
    name: '陆小芳',
    id_number: idFor(2),
    mobile: mobileFor(2),
    org_id: org['苏州平江路文旅发展有限公司工会'],
    employment_form: 'employee',
    join_date: '2020-03-15',
  });
  assert.equal(b.status, 201, JSON.stringify(b.body));
  szMember = b.body;
  // the Nanjing member activates an account and logs in
  const act = await anon.post('/api/v1/member-activation', {
    id_number: idFor(1),
    mobile: mobileFor(1),
    password: 'zhang2026',
  });
  assert.equal(act.status, 201, JSON.stringify(act.body));
  memberClient = await anon.login(mobileFor(1), 'zhang2026');
});
after(async () => srv && srv.stop());

test('sensitive fields are masked in every read', async () => {
  assert.match(njMember.id_number_masked, /^\d{4}\*{10}[\dX]{4}$/);
  assert.equal(njMember.mobile_masked, mobileFor(1).slice(0, 3) + '****' + mobileFor(1).slice(7));
  assert.equal(njMember.id_number, undefined);
  assert.equal(njMember.mobile, undefined);
  const list = await nj.get('/api/v1/members');
  const text = JSON.stringify(list.body);
  assert.ok(!text.includes(idFor(1)), 'no full ID number in the list');
  assert.ok(!text.includes(mobileFor(1)), 'no full mobile in the list');
  assert.equal(njMember.gender, Number(idFor(1)[16]) % 2 === 1 ? 'male' : 'female', 'gender comes from the 17th digit');
  assert.equal(njMember.frontline, true);
});

test('validation: bad ID, bad mobile, duplicate person, wrong org level, future date', async () => {
  const base = {
    name: '测试',
    mobile: mobileFor(9),
    org_id: org['南京紫金软件股份有限公司工会'],
    employment_form: 'employee',
  };
  const cases = [
    [
      { ...base, id_number: idFor(3).slice(0, 17) + (idFor(3)[17] === '1' ? '2' : '1') },
      'invalid_id_number',
      'id_number',
    ],
    [{ ...base, id_number: '32010219800230123X' }, 'invalid_id_number', 'id_number'],
    [{ ...base, id_number: idFor(3), mobile: '12345678901' }, 'invalid_mobile', 'mobile'],
    [{ ...base, id_number: idFor(1) }, 'already_member', 'id_number'],
    [{ ...base, id_number: idFor(3), org_id: org['玄武区总工会'] }, 'org_not_grassroots', 'org_id'],
    [{ ...base, id_number: idFor(3), join_date: '2099-01-01' }, 'invalid_date', 'join_date'],
    [{ ...base, id_number: idFor(3), employment_form: 'astronaut' }, 'invalid_choice', 'employment_form'],
  ];
  const before = (await nj.get('/api/v1/members')).body.total;
  for (const [body, code, field] of cases) {
    const r = await nj.post('/api/v1/members', body);
    assert.ok(r.status === 400 || r.status === 409, `${code}: ${r.status}`);
    assert.equal(r.body.error.code, code, JSON.stringify(r.body));
    assert.equal(r.body.error.field, field);
  }
  assert.equal((await nj.get('/api/v1/members')).body.total, before, 'nothing written');
  // lower-case x is accepted and normalised
  const x = makeId(7, { birth: '19900101' });
  if (x.endsWith('X')) {
    const r = await nj.post('/api/v1/members', { ...base, id_number: x.toLowerCase() });
    assert.equal(r.status, 201);
  }
  // platform workers may join the city's new-employment union
  const courier = await nj.post('/api/v1/members', {
    ...base,
    id_number: idFor(4),
    mobile: mobileFor(4),
    employment_form: 'food_delivery',
    employer: '美团',
    org_id: org['江宁区新就业形态劳动者联合工会'],
  });
  assert.equal(courier.status, 201, JSON.stringify(courier.body));
});

test('the scope matrix: every member endpoint, every actor', async () => {
  const n = njMember.id,
    s = szMember.id;
  const ok = (r) => r.status >= 200 && r.status < 300;
  // reads
  assert.ok(ok(await nj.get(`/api/v1/members/${n}`)));
  assert.ok(ok(await sz.get(`/api/v1/members/${s}`)));
  assert.ok(ok(await js.get(`/api/v1/members/${n}`)), 'province sees Nanjing');
  assert.ok(ok(await js.get(`/api/v1/members/${s}`)), 'province sees Suzhou');
  assert.equal((await nj.get(`/api/v1/members/${s}`)).status, 404);
  assert.equal((await sz.get(`/api/v1/members/${n}`)).status, 404);
  assert.equal((await memberClient.get(`/api/v1/members/${s}`)).status, 404);
  assert.ok(ok(await memberClient.get(`/api/v1/members/${n}`)), 'a member sees themself');
  // lists
  const njList = await nj.get('/api/v1/members?per_page=100');
  assert.ok(njList.body.items.every((m) => m.id !== s));
  const jsList = await js.get('/api/v1/members?per_page=100');
  assert.ok(jsList.body.items.some((m) => m.id === n) && jsList.body.items.some((m) => m.id === s));
  assert.equal((await memberClient.get('/api/v1/members')).status, 403);
  assert.equal((await nj.get(`/api/v1/members?org_id=${org['苏州平江路文旅发展有限公司工会']}`)).status, 404);
  // history
  assert.equal((await nj.get(`/api/v1/members/${s}/history`)).status, 404);
  assert.ok(ok(await sz.get(`/api/v1/members/${s}/history`)));
  // writes
  assert.equal((await nj.patch(`/api/v1/members/${s}`, { employer: '偷改' })).status, 404);
  assert.equal((await memberClient.patch(`/api/v1/members/${n}`, { frontline: false })).status, 403);
  assert.equal(
    (await nj.post(`/api/v1/members/${s}/transfer`, { to_org_id: org['南京紫金软件股份有限公司工会'], reason: '抢人' }))
      .status,
    404,
  );
  assert.equal((await nj.post(`/api/v1/members/${s}/reveal`, { field: 'id_number', reason: '核对' })).status, 404);
  assert.equal((await auditor.post(`/api/v1/members/${n}/reveal`, { field: 'id_number', reason: '核对' })).status, 403);
  assert.equal((await anon.get(`/api/v1/members/${n}`)).status, 401);
  // stats
  const st = await nj.get(`/api/v1/members/stats?org_id=${org['苏州平江路文旅发展有限公司工会']}`);
  assert.equal(st.status, 404);
  const szAfter = await admin.get(`/api/v1/members/${s}`);
  assert.equal(szAfter.body.employer, null, 'nothing changed');
});

test('reveal is explicit, needs a reason and is audited', async () => {
  const noReason = await nj.post(`/api/v1/members/${njMember.id}/reveal`, { field: 'id_number' });
  assert.equal(noReason.status, 400);
  const r = await nj.post(`/api/v1/members/${njMember.id}/reveal`, {
    field: 'id_number',
    reason: '办理大病救助核对身份',
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.value, idFor(1));
  const m = await nj.post(`/api/v1/members/${njMember.id}/reveal`, { field: 'mobile', reason: '电话回访' });
  assert.equal(m.body.value, mobileFor(1));
  const audit = await auditor.get(`/api/v1/audit?action=member.reveal&object_id=${njMember.id}`);
  assert.equal(audit.body.total, 2);
  assert.equal(audit.body.items[0].actor_login, 'nj_officer');
  assert.ok(audit.body.items.some((a) => a.detail.reason === '办理大病救助核对身份'));
  assert.ok(!JSON.stringify(audit.body).includes(idFor(1)), 'the audit log does not hold the value itself');
});

test('a member sees their own record and union card', async () => {
  const r = await memberClient.get('/api/v1/me/member');
  assert.equal(r.status, 200);
  assert.equal(r.body.name, '张建国');
  assert.equal(r.body.card.org_name, '南京紫金软件股份有限公司工会');
  assert.match(r.body.card.card_no, /^GH\d{10}$/);
  assert.match(r.body.id_number_masked, /\*/);
  assert.equal((await nj.get('/api/v1/me/member')).status, 404);
});

test('search by name prefix, ID tail, mobile tail, full ID and full mobile', async () => {
  const q = async (s) => (await nj.get('/api/v1/members?q=' + encodeURIComponent(s))).body.items.map((m) => m.id);
  assert.ok((await q('张')).includes(njMember.id));
  assert.ok((await q('张建国')).includes(njMember.id));
  assert.ok(!(await q('建国')).includes(njMember.id), 'name search is by prefix');
  // a tail finds every member whose ID or mobile ends so (the demo data has some)
  for (const tail of [idFor(1).slice(-4), mobileFor(1).slice(-4)]) {
    const r = (await nj.get('/api/v1/members?per_page=100&q=' + tail)).body.items;
    assert.ok(
      r.some((m) => m.id === njMember.id),
      tail,
    );
    assert.ok(
      r.every((m) => m.id_number_masked.endsWith(tail) || m.mobile_masked.endsWith(tail)),
      tail,
    );
  }
  assert.deepEqual(await q(idFor(1)), [njMember.id]);
  assert.deepEqual(await q(mobileFor(1)), [njMember.id]);
  assert.deepEqual(await q(idFor(2)), [], 'a Suzhou member is not found from Nanjing, even by full ID');
});

test('transfer keeps history; status changes need a reason', async () => {
  const c = await nj.post('/api/v1/members', {
    name: '王调动',
    id_number: idFor(20),
    mobile: mobileFor(20),
    org_id: org['南京紫金软件股份有限公司工会'],
    employment_form: 'employee',
  });
  const t = await nj.post(`/api/v1/members/${c.body.id}/transfer`, {
    to_org_id: org['苏州平江路文旅发展有限公司工会'],
    reason: '工作调动到苏州',
  });
  assert.equal(t.status, 200, JSON.stringify(t.body));
  assert.equal(t.body.out_of_scope, true);
  assert.equal((await nj.get(`/api/v1/members/${c.body.id}`)).status, 404, "now out of Nanjing's reach");
  const h = await sz.get(`/api/v1/members/${c.body.id}/history`);
  assert.deepEqual(
    h.body.items.map((x) => x.kind),
    ['joined', 'transfer'],
  );
  assert.equal(h.body.items[1].from_org_name, '南京紫金软件股份有限公司工会');
  assert.equal(h.body.items[1].to_org_name, '苏州平江路文旅发展有限公司工会');
  const noReason = await sz.patch(`/api/v1/members/${c.body.id}`, { status: 'left' });
  assert.equal(noReason.status, 400);
  const left = await sz.patch(`/api/v1/members/${c.body.id}`, { status: 'left', reason: '本人申请退会' });
  assert.equal(left.body.status, 'left');
});

test('stats by employment form, child org and month', async () => {
  const r = await js.get('/api/v1/members/stats');
  assert.equal(r.status, 200);
  assert.ok(r.body.total >= 3);
  assert.ok(r.body.by_employment_form.employee >= 2);
  assert.ok(r.body.by_employment_form.food_delivery >= 1);
  assert.equal(r.body.joined_by_month.length, 24);
  const kids = r.body.by_child_org.map((k) => k.name);
  assert.ok(kids.includes('南京市总工会') && kids.includes('苏州市总工会'));
  const njStats = await nj.get('/api/v1/members/stats');
  assert.equal(njStats.body.by_child_org.find((k) => k.name === '玄武区总工会').members >= 1, true);
});
