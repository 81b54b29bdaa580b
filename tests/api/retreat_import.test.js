// Imports of the recuperation programme over HTTP (导入服务机构 / 导入线路):
// the upload becomes a background job like the other imports; the retreat
// duty and the org's scope are checked before anything is queued; a dry run
// writes nothing; a file with any bad row (or no readable table at all)
// writes nothing and reports every bad row with its line and field; a good
// file (CSV or Excel .xlsx) writes every row, audited, and published routes
// of admitted providers reach the public catalogue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';
import { Client } from '../lib/client.js';
import { rawSql } from '../lib/sql.js';
import { xlsx } from '../lib/xlsx.js';

let srv, anon, js, nj, sz, jn;
const org = {};

before(async () => {
  srv = await startServer();
  anon = new Client(srv.url);
  const admin = await anon.login('admin', DEMO_PASSWORD);
  js = await anon.login('js_officer', DEMO_PASSWORD);
  nj = await anon.login('nj_officer', DEMO_PASSWORD);
  sz = await anon.login('sz_officer', DEMO_PASSWORD);
  jn = await anon.login('jn_officer', DEMO_PASSWORD);
  for (const o of (await admin.get('/api/v1/orgs?per_page=100')).body.items) org[o.name] = o.id;
});
after(async () => srv && srv.stop());

const sql = (s) => rawSql(srv.db.url, s);
const count = (s) => Number(sql(s));

async function poll(c, jobId) {
  for (let i = 0; i < 1200; i++) {
    const j = await c.get(`/api/v1/jobs/${jobId}`);
    assert.equal(j.status, 200, JSON.stringify(j.body));
    if (j.body.status === 'done' || j.body.status === 'failed') return j.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('job did not finish');
}

// POST the file; {http} when refused before a job, else the finished job.
async function upload(c, url, data, type = 'text/csv') {
  const r = await c.req('POST', url, Buffer.isBuffer(data) ? data : Buffer.from(data), {
    raw: true,
    headers: { 'Content-Type': type },
  });
  if (r.status !== 202) return { http: r };
  assert.ok(r.body.job_id > 0);
  return poll(c, r.body.job_id);
}

const PROVIDER_HEAD = '\ufeff名称,类型,行政区划代码,地址,联系人,联系电话,合作部门,状态,管理工会编号\n';
const P1 = '高淳国际慢城大山村民宿（网页导入）';
const P2 = '六合竹镇金磁村乡村旅游集聚区（网页导入）';
const providerRows = () =>
  `${P1},旅游民宿,320118,南京市高淳区桠溪街道大山村,邢春兰,025-57351234,南京市文化和旅游局,已准入,\n` +
  `${P2},乡村旅游产业集聚区,320116,南京市六合区竹镇镇金磁村,韩立军,025-57761234,南京市文化和旅游局,申请中,${org['南京市总工会']}\n`;

test('provider import: duty and scope checked before queueing; bad rows or a broken file write nothing; dry run; real run audited', async () => {
  const url = (o, dry = 0) => `/api/v1/providers/import?org_id=${o}&dry_run=${dry}`;
  const good = PROVIDER_HEAD + providerRows();
  // refused before any job: no duty, org outside the scope, no org, empty file, not logged in
  let r = await upload(jn, url(org['江宁区总工会']), good);
  assert.equal(r.http.status, 403);
  assert.equal(r.http.body.error.code, 'forbidden');
  r = await upload(sz, url(org['南京市总工会']), good);
  assert.equal(r.http.status, 404, 'another city looks absent');
  r = await upload(nj, '/api/v1/providers/import', good);
  assert.equal(r.http.status, 400);
  assert.equal(r.http.body.error.field, 'org_id');
  r = await upload(nj, url(org['南京市总工会']), '');
  assert.equal(r.http.status, 400);
  assert.equal(r.http.body.error.code, 'empty_file');
  r = await upload(anon, url(org['南京市总工会']), good);
  assert.equal(r.http.status, 401);
  assert.equal(count("SELECT COUNT(*) FROM jobs WHERE kind LIKE 'provider_import%'"), 0, 'nothing was queued');

  // one bad row among good ones: every bad row reported, nothing written
  const bad =
    good +
    '坏的机构,古堡,320118,,,,,,\n' +
    `${P1},旅游民宿,320118,,,,,,\n` +
    `越权机构,旅游民宿,320506,,,,,,${org['苏州市总工会']}\n` +
    '电话不对,旅游民宿,320118,,,电话,,,\n';
  const before = count('SELECT COUNT(*) FROM providers');
  const auditBefore = count("SELECT COUNT(*) FROM audit_log WHERE action = 'provider.import'");
  let j = await upload(nj, url(org['南京市总工会']), bad);
  assert.equal(j.status, 'done', JSON.stringify(j));
  assert.equal(j.result.rows, 6);
  assert.equal(j.result.imported, 0);
  assert.deepEqual(
    j.result.errors.map((x) => [x.line, x.field]),
    [
      [4, 'kind'],
      [5, 'name'],
      [6, 'org_id'],
      [7, 'contact_phone'],
    ],
  );
  assert.match(j.result.errors[1].reason, /重复/);
  assert.equal(count('SELECT COUNT(*) FROM providers'), before, 'a bad file changes nothing');
  assert.equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'provider.import'"), auditBefore);

  // a file that is no table at all: the job fails, nothing written
  j = await upload(
    nj,
    url(org['南京市总工会']),
    Buffer.from('PK\u0003\u0004 not really a workbook'),
    'application/octet-stream',
  );
  assert.ok(j.status === 'failed' || j.result.error_count > 0, JSON.stringify(j));
  assert.equal(count('SELECT COUNT(*) FROM providers'), before);

  // dry run of the good file: checked, nothing written
  j = await upload(nj, url(org['南京市总工会'], 1), good);
  assert.equal(j.status, 'done');
  assert.equal(j.result.dry_run, true);
  assert.equal(j.result.error_count, 0, JSON.stringify(j.result.errors));
  assert.equal(j.result.rows, 2);
  assert.equal(count('SELECT COUNT(*) FROM providers'), before);

  // the real run: both rows, the admission in the history, one audit entry
  j = await upload(nj, url(org['南京市总工会']), good);
  assert.equal(j.status, 'done');
  assert.equal(j.result.imported, 2, JSON.stringify(j.result));
  assert.equal(count('SELECT COUNT(*) FROM providers'), before + 2);
  const list = (await nj.get(`/api/v1/providers?q=${encodeURIComponent('网页导入')}`)).body.items;
  const p1 = list.find((p) => p.name === P1);
  assert.equal(p1.status, 'admitted');
  assert.equal(p1.org_id, org['南京市总工会']);
  assert.equal(list.find((p) => p.name === P2).status, 'applied');
  const hist = (await nj.get(`/api/v1/providers/${p1.id}/history`)).body.items;
  assert.equal(hist.at(-1).to_status, 'admitted');
  assert.equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'provider.import'"), auditBefore + 1);
  assert.equal(
    sql(`SELECT detail FROM audit_log WHERE action = 'provider.import' ORDER BY id DESC LIMIT 1`),
    '{"imported":2}',
  );
  // the same file again: every name already registered, nothing written
  j = await upload(nj, url(org['南京市总工会']), good);
  assert.equal(j.result.error_count, 2);
  assert.match(j.result.errors[0].reason, /同名服务机构已登记/);
  assert.equal(count('SELECT COUNT(*) FROM providers'), before + 2);
});

test('provider import takes an Excel workbook (.xlsx)', async () => {
  const book = xlsx([
    ['名称', '类型', '行政区划代码', '地址', '联系人', '联系电话', '合作部门', '状态'],
    [
      '吴江震泽丝绸特色小镇（表格导入）',
      '特色小镇',
      '320509',
      '苏州市吴江区震泽镇',
      '沈建明',
      '0512-63751234',
      '苏州市文化广电和旅游局',
      '已准入',
    ],
  ]);
  const j = await upload(
    sz,
    `/api/v1/providers/import?org_id=${org['苏州市总工会']}`,
    book,
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  assert.equal(j.status, 'done', JSON.stringify(j));
  assert.equal(j.result.imported, 1, JSON.stringify(j.result));
  assert.equal(
    sql("SELECT kind || '/' || status FROM providers WHERE name = '吴江震泽丝绸特色小镇（表格导入）'"),
    'themed_town/admitted',
  );
});

test('route import: rows checked like the API, all or none, published routes of admitted providers reach the catalogue', async () => {
  const url = (o, dry = 0) => `/api/v1/retreat/admin/routes/import?org_id=${o}&dry_run=${dry}`;
  const head =
    '线路编号,线路名称,简介,目的地,行政区划代码,天数,全价,工会补助,主题,服务机构,行程,费用包含,可预订工会编号,入会年限,仅限一线职工,确认方式,状态\n';
  const r1 =
    `WEB-GC-01,高淳慢城·大山村乡居康养三日,慢城里的乡村民宿，骑行与茶园,南京高淳,320118,3,1580.00,900,康养、乡村,${P1},` +
    '"第1天 抵达慢城：入住大山村民宿\n第2天 慢城骑行：国际慢城绿道骑行、茶园采茶\n第3天 返程：游子山登高后返程",住宿、餐饮、骑行装备,,0,否,工会确认,发布\n';
  const r2 = `WEB-GC-02,高淳慢城·劳模休养两日,劳模工匠专场,南京高淳,320118,2,980,500,康养,${P1},第1天 抵达：入住|第2天 返程：座谈后返程,住宿、餐饮,,3,是,即时确认,草稿\n`;
  const good = head + r1 + r2;
  let r = await upload(jn, url(org['江宁区总工会']), good);
  assert.equal(r.http.status, 403, 'the retreat duty is needed');
  r = await upload(sz, url(org['南京市总工会']), good);
  assert.equal(r.http.status, 404);
  assert.equal(count("SELECT COUNT(*) FROM jobs WHERE kind LIKE 'retreat_route_import%'"), 0);

  const bad =
    good +
    'WEB-GC-03,补助高于全价,,南京高淳,320118,2,800,900,康养,' +
    P1 +
    ',第1天 出发|第2天 返回,,,,,,\n' +
    'WEB-GC-04,机构不存在,,南京高淳,320118,2,800,300,康养,不存在的民宿,第1天 出发|第2天 返回,,,,,,\n' +
    'WEB-GC-01,编号重复,,南京高淳,320118,2,800,300,康养,' +
    P1 +
    ',第1天 出发|第2天 返回,,,,,,\n' +
    'WEB-GC-05,行程天数不符,,南京高淳,320118,3,800,300,康养,' +
    P1 +
    ',第1天 出发|第2天 返回,,,,,,\n';
  const routesBefore = count('SELECT COUNT(*) FROM retreat_routes');
  let j = await upload(nj, url(org['南京市总工会']), bad);
  assert.equal(j.status, 'done', JSON.stringify(j));
  assert.equal(j.result.imported, 0);
  // (line numbers are the file's: the first route's itinerary cell spans lines 2–4)
  assert.deepEqual(
    j.result.errors.map((x) => x.line),
    [6, 7, 8, 9],
    JSON.stringify(j.result.errors),
  );
  assert.equal(j.result.errors[0].field, 'subsidy_fen');
  assert.equal(j.result.errors[1].field, 'provider_ids');
  assert.match(j.result.errors[1].reason, /不存在的民宿.*未登记/);
  assert.equal(j.result.errors[2].field, 'code');
  assert.equal(j.result.errors[3].field, 'itinerary');
  assert.equal(count('SELECT COUNT(*) FROM retreat_routes'), routesBefore, 'a bad file changes nothing');
  assert.equal(count("SELECT COUNT(*) FROM retreat_routes WHERE code LIKE 'WEB-GC-%'"), 0);

  j = await upload(nj, url(org['南京市总工会'], 1), good);
  assert.equal(j.result.error_count, 0, JSON.stringify(j.result.errors));
  assert.equal(count('SELECT COUNT(*) FROM retreat_routes'), routesBefore, 'a dry run writes nothing');

  const auditBefore = count("SELECT COUNT(*) FROM audit_log WHERE action = 'retreat.route.import'");
  j = await upload(nj, url(org['南京市总工会']), good);
  assert.equal(j.result.imported, 2, JSON.stringify(j.result));
  assert.equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'retreat.route.import'"), auditBefore + 1);
  const published = count("SELECT id FROM retreat_routes WHERE code = 'WEB-GC-01'");
  const draft = count("SELECT id FROM retreat_routes WHERE code = 'WEB-GC-02'");
  // the offering union is the import's org; the staff view has every fact
  const a = (await nj.get(`/api/v1/retreat/admin/routes/${published}`)).body;
  assert.equal(a.org_id, org['南京市总工会']);
  assert.equal(a.status, 'published');
  assert.equal(a.member_price_fen, 68000);
  const d = (await nj.get(`/api/v1/retreat/admin/routes/${draft}`)).body;
  assert.equal(d.status, 'draft');
  assert.equal(d.confirm_mode, 'instant');
  // the published route is in the public catalogue (within the cache's 2 s); the draft is not
  let pub;
  for (let i = 0; i < 40; i++) {
    pub = await anon.get(`/api/v1/retreat/routes/${published}`);
    if (pub.status === 200) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal(pub.status, 200);
  assert.deepEqual(
    pub.body.itinerary.map((x) => x.title),
    ['抵达慢城', '慢城骑行', '返程'],
  );
  assert.equal((await anon.get(`/api/v1/retreat/routes/${draft}`)).status, 404);
  // Suzhou's officer cannot import into Nanjing, nor read the job's result
  assert.equal(
    (await sz.get(`/api/v1/jobs/${sql("SELECT MAX(id) FROM jobs WHERE kind = 'retreat_route_import'")}`)).status,
    404,
  );
});

test('the downloadable templates are served and import as they stand (providers first, then routes naming them)', async () => {
  const pt = await anon.req('GET', '/templates/providers-template.csv');
  assert.equal(pt.status, 200);
  const rt = await anon.req('GET', '/templates/retreat-routes-template.csv');
  assert.equal(rt.status, 200);
  let j = await upload(js, `/api/v1/providers/import?org_id=${org['江苏省总工会']}`, pt.body);
  assert.equal(j.result.error_count, 0, JSON.stringify(j.result.errors));
  assert.equal(j.result.imported, 2);
  j = await upload(js, `/api/v1/retreat/admin/routes/import?org_id=${org['江苏省总工会']}&dry_run=1`, rt.body);
  assert.equal(j.result.error_count, 0, JSON.stringify(j.result.errors));
  assert.equal(j.result.rows, 2);
});
