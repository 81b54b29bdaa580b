// Policy parameters over HTTP (/api/v1/policies): the kinds each actor works
// with; versions listed with their status (in force, scheduled, superseded)
// on a day, filtered and paged; the version in force for an org on a day,
// inherited or its own; refusals that name the exact input inside a
// collection (an aid project, a mutual-aid band, a refund threshold) and
// write nothing; one version per org, kind and date even when two officers
// publish at the same moment; the audit record; and the console's unit
// conversions (ui/js/lib/policy-params.js: %, 倍, 元, 万元) round-tripping
// through the server's validators unchanged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runCli, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { rawSql } from '../lib/sql.js';
import {
  KIND_FORMS,
  summarize,
  explainError,
  pctToPermille,
  permilleToPct,
  timesToPct,
  pctToTimes,
  wanToFen,
  fenToWan,
} from '../../ui/js/lib/policy-params.js';

let srv;
let anon;
let admin;
let js;
let nj;
let sz;
let jn;
let auditor;
let org;

// Today and other days in China time, as the server judges them.
function day(offset = 0) {
  const t = new Date(Date.now() + 8 * 3600 * 1000 + offset * 86400 * 1000);
  return t.toISOString().slice(0, 10);
}

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  admin = await anon.login('admin', DEMO_PASSWORD);
  js = await anon.login('js_officer', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  sz = await anon.login('sz_officer', DEMO_PASSWORD);
  jn = await anon.login('jn_officer', DEMO_PASSWORD);
  auditor = await anon.login('auditor', DEMO_PASSWORD);
  org = {};
  for (const o of (await admin.get('/api/v1/orgs?per_page=100')).body.items) org[o.name] = o.id;
});
after(async () => srv && srv.stop());

const count = () => Number(rawSql(srv.db.url, 'SELECT COUNT(*) FROM policies'));
const STD = (yuan, pct) => ({ dibao_fen: yuan * 100, relative_multiple_pct: pct });

test('kinds: officers see the kinds of their duties, admins and auditors all; only duties may set', async () => {
  const kinds = async (c) => (await c.get('/api/v1/policies/kinds')).body.items;
  const all = ['fee_split', 'refund', 'retreat_booking', 'hardship_standard', 'aid_rules', 'mutual_aid_benefit'];
  assert.deepEqual(
    (await kinds(js)).map((k) => k.kind),
    all,
  );
  assert.ok((await kinds(js)).every((k) => k.can_set && k.label && k.duty));
  // jn_officer: membership, hardship, org — no finance, no retreat
  const j = await kinds(jn);
  assert.deepEqual(
    j.map((k) => k.kind),
    ['hardship_standard', 'aid_rules', 'mutual_aid_benefit'],
  );
  assert.ok(j.every((k) => k.can_set && k.duty === 'hardship'));
  const a = await kinds(auditor);
  assert.deepEqual(
    a.map((k) => k.kind),
    all,
  );
  assert.ok(a.every((k) => !k.can_set));
  assert.ok((await kinds(admin)).every((k) => k.can_set));
  assert.equal((await anon.get('/api/v1/policies/kinds')).status, 401);
  // the server refuses what the list leaves out
  const r = await jn.post('/api/v1/policies', {
    kind: 'fee_split',
    org_id: org['江宁区总工会'],
    effective_from: '2031-01-01',
    params: { grassroots: 1000, remainder_to: 'grassroots' },
  });
  assert.equal(r.status, 403);
});

test('list: status in force, scheduled and superseded on a day; current hides the superseded; paging', async () => {
  const sid = org['苏州市总工会'];
  for (const [from, s] of [
    ['2021-01-01', STD(1045, 200)],
    ['2023-07-01', STD(1095, 200)],
    [day(30), STD(1195, 150)],
  ]) {
    const r = await sz.post('/api/v1/policies', {
      kind: 'hardship_standard',
      org_id: sid,
      effective_from: from,
      params: s,
      note: `苏州 ${from}`,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.org_name, '苏州市总工会');
    assert.equal(r.body.created_by_name, '苏州市总 沈丽');
    assert.equal(r.body.in_scope, true);
    assert.equal(r.body.status, from > day() ? 'scheduled' : 'in_force');
  }
  const list = async (q) => {
    const r = await sz.get(`/api/v1/policies?kind=hardship_standard&org_id=${sid}&${q}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const mine = (b) => b.items.filter((p) => p.org_id === sid).map((p) => [p.effective_from, p.status]);
  assert.deepEqual(mine(await list('')), [
    ['2021-01-01', 'superseded'],
    ['2023-07-01', 'in_force'],
    [day(30), 'scheduled'],
  ]);
  assert.deepEqual(mine(await list('status=current')), [
    ['2023-07-01', 'in_force'],
    [day(30), 'scheduled'],
  ]);
  assert.deepEqual(mine(await list('status=scheduled')), [[day(30), 'scheduled']]);
  assert.deepEqual(mine(await list('status=superseded')), [['2021-01-01', 'superseded']]);
  // judged on another day
  assert.deepEqual(mine(await list('on=2022-06-30')), [
    ['2021-01-01', 'in_force'],
    ['2023-07-01', 'scheduled'],
    [day(30), 'scheduled'],
  ]);
  assert.deepEqual(mine(await list(`on=${day(30)}&status=in_force`)), [[day(30), 'in_force']]);
  assert.deepEqual(mine(await list('on=2020-12-31&status=in_force')), []);
  // the province's versions apply to Suzhou: listed, in force, not Suzhou's to publish for
  const cur = await list('status=current');
  const prov = cur.items.filter((p) => p.org_name === '江苏省总工会');
  assert.deepEqual(
    prov.map((p) => p.status),
    ['in_force', 'scheduled'],
  ); // the demo schedules next year's standard
  assert.ok(prov.every((p) => p.in_scope === false));
  // province first (depth), then by date
  assert.deepEqual(
    cur.items.map((p) => p.org_name),
    ['江苏省总工会', '江苏省总工会', '苏州市总工会', '苏州市总工会'],
  );
  // paging: per_page honoured, total exact; without per_page 100 as before
  const p1 = await list('per_page=1&page=2');
  assert.equal(p1.items.length, 1);
  assert.equal(p1.total, 5);
  assert.equal((await list('')).per_page, 100);
  // Nanjing does not see Suzhou's versions; Suzhou's org is out of its scope
  const njList = await nj.get('/api/v1/policies?kind=hardship_standard');
  assert.ok(!njList.body.items.some((p) => p.org_id === sid));
  assert.equal((await nj.get(`/api/v1/policies?org_id=${sid}`)).status, 404);
  // bad filters are 400, never an empty list
  for (const q of ['status=bogus', 'on=2024-13-01', 'per_page=101', 'org_id=x']) {
    const r = await sz.get(`/api/v1/policies?${q}`);
    assert.equal(r.status, 400, q);
  }
  // members are not staff
  assert.equal((await auditor.get('/api/v1/policies?status=current')).status, 200);
});

test('effective: the nearest org wins, then the latest version in force; out of scope is 404', async () => {
  const eff = (c, q) => c.get(`/api/v1/policies/effective?${q}`);
  // Jiangning inherits Nanjing's mutual-aid rules (the demo's 2026 version)
  let r = await eff(jn, `kind=mutual_aid_benefit&org_id=${org['江宁区总工会']}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.org_name, '南京市总工会');
  assert.equal(r.body.inherited, true);
  assert.equal(r.body.for_org_id, org['江宁区总工会']);
  assert.equal(r.body.on, day());
  assert.equal(r.body.status, 'in_force');
  // before the demo's second version the first applied
  r = await eff(jn, `kind=mutual_aid_benefit&on=2021-05-01`);
  assert.equal(r.status, 200);
  assert.equal(r.body.effective_from, '2020-01-01');
  assert.equal(r.body.params.deductible_fen, 100000);
  // Jiangning's own version wins from its date on
  const own = await jn.post('/api/v1/policies', {
    kind: 'mutual_aid_benefit',
    org_id: org['江宁区总工会'],
    effective_from: day(10),
    note: '江宁区提高封顶',
    params: {
      deductible_fen: 80000,
      yearly_cap_fen: 6000000,
      bands: [
        { upto_fen: 2000000, ratio_pct: 60 },
        { upto_fen: null, ratio_pct: 75 },
      ],
    },
  });
  assert.equal(own.status, 201, JSON.stringify(own.body));
  assert.equal(own.body.status, 'scheduled');
  assert.equal((await eff(jn, 'kind=mutual_aid_benefit')).body.org_name, '南京市总工会');
  r = await eff(jn, `kind=mutual_aid_benefit&on=${day(10)}`);
  assert.equal(r.body.org_name, '江宁区总工会');
  assert.equal(r.body.inherited, false);
  assert.equal(r.body.status, 'in_force');
  // Nanjing itself is not affected by its child's version
  assert.equal((await eff(nj, `kind=mutual_aid_benefit&on=${day(10)}`)).body.org_name, '南京市总工会');
  // none before any version
  r = await eff(js, 'kind=fee_split&on=2019-12-31');
  assert.equal(r.status, 404);
  assert.equal(r.body.error.code, 'no_policy');
  // out of scope looks like absent; bad kind / date / missing kind are 400
  r = await eff(nj, `kind=fee_split&org_id=${org['苏州市总工会']}`);
  assert.equal(r.status, 404);
  assert.equal(r.body.error.code, 'org_not_found');
  assert.equal((await eff(nj, 'kind=bogus')).body.error.code, 'invalid_choice');
  assert.equal((await eff(nj, 'kind=fee_split&on=yesterday')).status, 400);
  assert.equal((await eff(nj, '')).body.error.field, 'kind');
  // an admin without an org must name one
  assert.equal((await eff(admin, 'kind=fee_split')).body.error.field, 'org_id');
  assert.equal((await eff(admin, `kind=fee_split&org_id=${org['南京市总工会']}`)).body.org_name, '江苏省总工会');
});

test('refusals name the input inside a collection, keep unit-free messages, and write nothing', async () => {
  const before = count();
  const post = (kind, params, c = nj) =>
    c.post('/api/v1/policies', { kind, org_id: org['南京市总工会'], effective_from: '2032-01-01', params });
  const cases = [
    [
      'aid_rules',
      {
        kinds: {
          living: { eligible: ['deep'], yearly_cap_fen: 100, max_fen: 100 },
          illness: { eligible: ['deep'], yearly_cap_fen: 100 },
        },
      },
      'missing_field',
      'kinds.illness.max_fen',
    ],
    [
      'aid_rules',
      { kinds: { holiday: { eligible: ['deep'], yearly_cap_fen: 100, max_fen: 100, standard_fen: 200 } } },
      'invalid_amount',
      'kinds.holiday.standard_fen',
    ],
    [
      'aid_rules',
      { kinds: { education: { eligible: ['deep'], yearly_cap_fen: 100 } } },
      'missing_field',
      'kinds.education.amounts_fen',
    ],
    ['aid_rules', { kinds: { picnic: {} } }, 'unknown_field', 'kinds.picnic'],
    [
      'aid_rules',
      { kinds: { living: { eligible: ['rich'], yearly_cap_fen: 100, max_fen: 100 } } },
      'invalid_choice',
      'kinds.living.eligible',
    ],
    [
      'mutual_aid_benefit',
      {
        deductible_fen: 0,
        yearly_cap_fen: 1,
        bands: [
          { upto_fen: 100, ratio_pct: 50 },
          { upto_fen: 200, ratio_pct: 101 },
        ],
      },
      'out_of_range',
      'bands[1].ratio_pct',
    ],
    [
      'mutual_aid_benefit',
      { deductible_fen: 0, yearly_cap_fen: 1, bands: [{ upto_fen: 100, ratio_pct: 50 }, 'x'] },
      'invalid_type',
      'bands[1]',
    ],
    // how bands relate names no single band: the validator's own field stays
    [
      'mutual_aid_benefit',
      {
        deductible_fen: 0,
        yearly_cap_fen: 1,
        bands: [
          { upto_fen: 300, ratio_pct: 50 },
          { upto_fen: 200, ratio_pct: 60 },
        ],
      },
      'invalid_bands',
      'bands',
    ],
    ['mutual_aid_benefit', { deductible_fen: 0, yearly_cap_fen: 1, bands: [] }, 'missing_field', 'bands'],
    [
      'refund',
      {
        from: '2032-01-01',
        to: '2032-12-31',
        share: 'all',
        mode: 'automatic',
        qualify: {
          thresholds: [
            { industry: '*', max_headcount: 20, max_revenue_fen: 1 },
            { industry: 'C', max_headcount: 0, max_revenue_fen: 1 },
          ],
        },
      },
      'out_of_range',
      'qualify.thresholds[1].max_headcount',
    ],
    [
      'refund',
      { from: '2032-01-01', to: '2031-12-31', share: 'all', mode: 'automatic', qualify: { small_scale: true } },
      'invalid_date',
      'to',
    ],
    [
      'refund',
      { from: '2032-01-01', to: '2032-12-31', share: 'all', mode: 'automatic', qualify: {} },
      'missing_field',
      'qualify',
    ],
    ['fee_split', { grassroots: 1500, remainder_to: 'grassroots' }, 'invalid_share', 'grassroots'],
    ['fee_split', { grassroots: 600, city: 500, remainder_to: 'city' }, 'shares_not_whole', undefined],
    ['hardship_standard', { dibao_fen: 100000, relative_multiple_pct: 90 }, 'out_of_range', 'relative_multiple_pct'],
  ];
  for (const [kind, params, code, field] of cases) {
    const r = await post(kind, params);
    assert.equal(r.status, 400, `${kind} ${JSON.stringify(params)}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, code, JSON.stringify(r.body));
    assert.equal(r.body.error.field, field, JSON.stringify(r.body));
    assert.ok(r.body.error.message.length > 4);
  }
  // array items are named in the message too
  const b = await post('mutual_aid_benefit', cases[5][1]);
  assert.match(b.body.error.message, /^第 2 段：/);
  assert.equal(count(), before, 'nothing written');
  // the command line answers the same way
  const cli = runCli([
    'policy',
    'set',
    ...srv.common,
    '--kind',
    'mutual_aid_benefit',
    '--org',
    String(org['南京市总工会']),
    '--from',
    '2032-01-01',
    '--params',
    JSON.stringify(cases[5][1]),
  ]);
  assert.equal(cli.status, 1, cli.stderr);
  assert.match(cli.stderr, /\[out_of_range\]（bands\[1\]\.ratio_pct）：第 2 段：/);
  assert.equal(count(), before);
});

test('check: every refusal of a publish, and what the version would take over, without writing', async () => {
  const before = count();
  const body = {
    kind: 'fee_split',
    org_id: org['南京市总工会'],
    effective_from: '2035-03-01',
    params: { grassroots: 650, county: 100, city: 100, province: 100, national: 50, remainder_to: 'city' },
    note: '预检',
  };
  let r = await nj.post('/api/v1/policies/check', body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.params, body.params);
  // on that day Nanjing would otherwise follow the province's latest version
  assert.equal(r.body.replaces.org_name, '江苏省总工会');
  assert.equal(r.body.replaces.inherited, true);
  assert.equal(r.body.replaces.status, 'in_force');
  assert.equal(r.body.replaces.effective_from, `${Number(day().slice(0, 4)) + 1}-01-01`);
  // nothing applies yet: null
  r = await nj.post('/api/v1/policies/check', { ...body, effective_from: '2019-06-01' });
  assert.equal(r.status, 200);
  assert.equal(r.body.replaces, null);
  // the same refusals as publishing
  r = await nj.post('/api/v1/policies/check', {
    ...body,
    kind: 'aid_rules',
    params: { kinds: { illness: { eligible: ['deep'], yearly_cap_fen: 100 } } },
  });
  assert.equal(r.body.error.field, 'kinds.illness.max_fen');
  assert.equal((await jn.post('/api/v1/policies/check', { ...body, org_id: org['江宁区总工会'] })).status, 403);
  assert.equal((await nj.post('/api/v1/policies/check', { ...body, org_id: org['苏州市总工会'] })).status, 404);
  assert.equal((await nj.post('/api/v1/policies/check', { ...body, effective_from: '2035-02-30' })).status, 400);
  // a version already on that day is found before the confirmation
  r = await nj.post('/api/v1/policies/check', { ...body, org_id: org['江苏省总工会'] });
  assert.equal(r.status, 404, "the province is out of Nanjing's scope");
  r = await js.post('/api/v1/policies/check', { ...body, org_id: org['江苏省总工会'], effective_from: '2020-01-01' });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'policy_exists');
  assert.equal(r.body.error.field, 'effective_from');
  assert.equal(count(), before, 'a check writes nothing');
});

test('one version per org, kind and day: a second is 409 at the date, also when two publish at once', async () => {
  const body = {
    kind: 'hardship_standard',
    org_id: org['南京市总工会'],
    effective_from: '2033-01-01',
    params: STD(1200, 200),
    note: '同日',
  };
  const before = count();
  const rs = await Promise.all([
    nj.post('/api/v1/policies', body),
    js.post('/api/v1/policies', body),
    nj.post('/api/v1/policies', body),
  ]);
  assert.deepEqual(rs.map((r) => r.status).sort(), [201, 409, 409], JSON.stringify(rs.map((r) => r.body)));
  for (const r of rs.filter((x) => x.status === 409)) {
    assert.equal(r.body.error.code, 'policy_exists');
    assert.equal(r.body.error.field, 'effective_from');
  }
  assert.equal(count(), before + 1);
  const audit = await auditor.get('/api/v1/audit?action=policy.set&per_page=100');
  assert.equal(audit.status, 200);
  const id = rs.find((r) => r.status === 201).body.id;
  assert.ok(
    audit.body.items.some((a) => String(a.object_id) === String(id) && a.outcome === 'ok'),
    'policy.set audited',
  );
});

test('the console form: units convert exactly and round-trip through the validators', async () => {
  // the conversions themselves, on their edges
  assert.equal(pctToPermille('60'), 600);
  assert.equal(pctToPermille('2.5'), 25);
  assert.equal(pctToPermille('0.1'), 1);
  assert.equal(pctToPermille('60.05'), null);
  assert.equal(pctToPermille('-5'), null);
  assert.equal(permilleToPct(333), '33.3');
  assert.equal(permilleToPct(1000), '100');
  assert.equal(timesToPct('1.5'), 150);
  assert.equal(timesToPct('2'), 200);
  assert.equal(timesToPct('1.555'), null);
  assert.equal(pctToTimes(155), '1.55');
  assert.equal(wanToFen('300'), 300000000);
  assert.equal(wanToFen('0.000001'), 1);
  assert.equal(wanToFen('12.3456789'), null);
  assert.equal(fenToWan(123456789), '123.456789');
  assert.equal(fenToWan(300000000), '300');

  const forms = {
    fee_split: { grassroots: '60', county: '12.5', city: '10', province: '12.5', national: '5', remainder_to: 'city' },
    hardship_standard: { dibao_fen: '1,180.50', relative_multiple_pct: '1.55' },
    mutual_aid_benefit: {
      deductible_fen: '800',
      yearly_cap_fen: '60000.01',
      'bands[0].upto_fen': '20000',
      'bands[0].ratio_pct': '60',
      'bands[1].upto_fen': '50000',
      'bands[1].ratio_pct': '70',
      'bands[2].upto_fen': '',
      'bands[2].ratio_pct': '85',
    },
    refund: {
      from: '2034-01-01',
      to: '2034-12-31',
      share: 'upper',
      mode: 'application',
      prep_fee_on_founding: ['yes'],
      'qualify.small_scale': [],
      'qualify.thresholds[0].industry': '*',
      'qualify.thresholds[0].max_headcount': '20',
      'qualify.thresholds[0].max_revenue_fen': '300',
      'qualify.thresholds[1].industry': 'C',
      'qualify.thresholds[1].max_headcount': '300',
      'qualify.thresholds[1].max_revenue_fen': '2000.5',
    },
    aid_rules: {
      ...KIND_FORMS.aid_rules.toForm(null),
      'kinds.education.yearly_cap_fen': '7500',
      'kinds.education.amounts_fen.college.deep': '7500',
      'kinds.education.amounts_fen.college.relative': '6000',
      'kinds.education.amounts_fen.compulsory.deep': '3000',
      'kinds.illness.yearly_cap_fen': '50000',
      'kinds.illness.max_fen': '30000',
      'kinds.living.on': [],
      'kinds.holiday.on': [],
      'kinds.training.on': [],
    },
  };
  const expect = {
    fee_split: { grassroots: 600, county: 125, city: 100, province: 125, national: 50, remainder_to: 'city' },
    hardship_standard: { dibao_fen: 118050, relative_multiple_pct: 155 },
    mutual_aid_benefit: {
      deductible_fen: 80000,
      yearly_cap_fen: 6000001,
      bands: [
        { upto_fen: 2000000, ratio_pct: 60 },
        { upto_fen: 5000000, ratio_pct: 70 },
        { upto_fen: null, ratio_pct: 85 },
      ],
    },
  };
  let n = 0;
  for (const [kind, values] of Object.entries(forms)) {
    const params = KIND_FORMS[kind].toParams(values);
    if (expect[kind]) assert.deepEqual(params, expect[kind], kind);
    const r = await js.post('/api/v1/policies', {
      kind,
      org_id: org['江苏省总工会'],
      effective_from: `2040-01-0${++n}`,
      params,
      note: '界面换算',
    });
    assert.equal(r.status, 201, `${kind}: ${JSON.stringify(r.body)}`);
    // what the server stored, shown back in the form, is what was typed
    const back = KIND_FORMS[kind].toForm(r.body.params);
    assert.deepEqual(KIND_FORMS[kind].toParams(back), params, kind);
    const sum = summarize(kind, r.body.params);
    assert.ok(sum.lines.length > 0 || sum.table.rows.length > 0, kind);
    assert.ok(
      sum.lines.every((l) => !/[{}"]/.test(l)),
      `${kind}: summary is not raw JSON: ${sum.lines}`,
    );
  }
  // summaries read as officers write them
  assert.deepEqual(summarize('fee_split', expect.fee_split).lines, [
    '基层 60% / 上级 40%',
    '县区 12.5%、市 10%、省 12.5%、全总 5%；尾差归市',
  ]);
  assert.deepEqual(summarize('hardship_standard', { dibao_fen: 80000, relative_multiple_pct: 150 }).lines, [
    '低保 ¥800/人·月，相对困难 1.5 倍（¥1,200/人·月）',
  ]);
  assert.deepEqual(summarize('mutual_aid_benefit', expect.mutual_aid_benefit).table.rows, [
    ['0 – 20,000 元', '60%'],
    ['20,000 – 50,000 元', '70%'],
    ['50,000 元以上', '85%'],
  ]);
  // server errors told in the form's units, at the form's inputs
  const bad = KIND_FORMS.fee_split.toParams({ ...forms.fee_split, grassroots: '70' });
  const r = await js.post('/api/v1/policies', {
    kind: 'fee_split',
    org_id: org['江苏省总工会'],
    effective_from: '2041-01-01',
    params: bad,
  });
  assert.equal(r.status, 400);
  assert.deepEqual(explainError('fee_split', r.body.error, bad), {
    field: 'shares',
    message: '各级分成比例之和应为 100%，现为 110%',
  });
  const bands = {
    deductible_fen: 0,
    yearly_cap_fen: 1,
    bands: [
      { upto_fen: 100, ratio_pct: 50 },
      { upto_fen: null, ratio_pct: 60 },
      { upto_fen: 300, ratio_pct: 70 },
    ],
  };
  const rb = await js.post('/api/v1/policies', {
    kind: 'mutual_aid_benefit',
    org_id: org['江苏省总工会'],
    effective_from: '2041-01-01',
    params: bands,
  });
  assert.equal(explainError('mutual_aid_benefit', rb.body.error, bands).field, 'bands[1].upto_fen');
  // a typing mistake never reaches the server
  assert.throws(
    () => KIND_FORMS.fee_split.toParams({ ...forms.fee_split, county: '12.55' }),
    (e) => e.field === 'county',
  );
  assert.throws(
    () => KIND_FORMS.mutual_aid_benefit.toParams({ ...forms.mutual_aid_benefit, 'bands[1].ratio_pct': '70%' }),
    (e) => e.field === 'bands[1].ratio_pct',
  );
  assert.throws(
    () => KIND_FORMS.refund.toParams({ ...forms.refund, 'qualify.thresholds[1].max_revenue_fen': '1,000万' }),
    (e) => e.field === 'qualify.thresholds[1].max_revenue_fen',
  );
});
