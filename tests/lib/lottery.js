// Helpers for the voucher-lottery tests (API and browser): dates in China
// time, members with log-ins, admitted providers with their accounts, and
// campaigns whose sign-up window closes a few seconds from now (the tests
// wait for the real clock instead of faking it).
import assert from 'node:assert/strict';
import { idFor, mobileFor } from './ids.js';
import { rawSql } from './sql.js';

export const MEMBER_PASSWORD = 'Lottery@2026';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// 'YYYY-MM-DD' in China (UTC+8) for an instant (ms).
export function chinaDate(ms = Date.now()) {
  return new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);
}

export function addDays(day, n) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);
}

// Sleep until an RFC 3339 instant has passed.
export async function waitUntil(iso) {
  const d = Date.parse(iso) - Date.now() + 150;
  if (d > 0) await sleep(d);
}

export async function orgIds(admin) {
  const org = {};
  for (let page = 1; ; page++) {
    const r = await admin.get(`/api/v1/orgs?per_page=100&page=${page}`);
    for (const o of r.body.items) org[o.name] = o.id;
    if (r.body.items.length < 100) break;
  }
  return org;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙'];
const GIVEN = ['建华', '秀兰', '志刚', '丽娟', '海峰', '春梅', '国平', '晓燕', '玉珍', '文杰', '红霞', '立军'];

// A member of orgId registered by officer, with a log-in. Activation is
// rate-limited per client address, so each one comes from its own address
// (the server runs with --trust-proxy).
export async function newMember(anon, officer, n, orgId, { frontline = true, name } = {}) {
  const body = {
    name: name || `${SURNAMES[n % 12]}${GIVEN[(n * 5) % 12]}`,
    id_number: idFor(n),
    mobile: mobileFor(n),
    org_id: orgId,
    employment_form: 'employee',
    frontline,
    join_date: '2020-05-01',
  };
  const m = await officer.post('/api/v1/members', body);
  assert.equal(m.status, 201, JSON.stringify(m.body));
  const act = await anon.req(
    'POST',
    '/api/v1/member-activation',
    { id_number: idFor(n), mobile: mobileFor(n), password: MEMBER_PASSWORD },
    { headers: { 'X-Forwarded-For': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` } },
  );
  assert.equal(act.status, 201, JSON.stringify(act.body));
  const c = await anon.login(mobileFor(n), MEMBER_PASSWORD);
  c.member = m.body;
  return c;
}

// An admitted provider, registered and admitted through the providers API
// by an officer of orgId's union (the recuperation capability's), and, when
// login is given, its account.
export async function newProvider(srv, admin, { name, orgId, login }) {
  const p = await admin.post('/api/v1/providers', {
    org_id: orgId,
    kind: 'guesthouse',
    name,
    region_code: '320115',
    partner_department: '南京市文化和旅游局',
  });
  assert.equal(p.status, 201, JSON.stringify(p.body));
  const id = p.body.id;
  const a = await admin.post(`/api/v1/providers/${id}/status`, { status: 'admitted', reason: '联合评定准入' });
  assert.equal(a.status, 200, JSON.stringify(a.body));
  let client = null;
  if (login) {
    const u = await admin.post('/api/v1/users', {
      login,
      display_name: `${name}收银台`,
      role: 'provider',
      provider_id: id,
      password: 'Provider@2026',
    });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    client = await admin.login(login, 'Provider@2026');
  }
  return { id, client };
}

// A campaign whose sign-up opens now and closes in closeInMs; its sources
// draw the day after the close day (China time: a source must draw strictly
// after it) unless sources are given. To draw it the same day, let a day pass
// (daysPass) once sign-up has closed.
export async function newCampaign(
  officer,
  {
    orgId,
    providerIds,
    closeInMs = 4000,
    voucherCount = 3,
    faceFen = 20000,
    title = '职工疗休养消费券',
    sources,
    validFrom,
    validTo,
    eligOrgId,
    frontlineOnly = false,
    opensInMs = 0,
  },
) {
  const opens = new Date(Date.now() + opensInMs - 1000).toISOString();
  const closes = new Date(Date.now() + closeInMs).toISOString();
  const closeDay = chinaDate(Date.parse(closes));
  const body = {
    title,
    org_id: orgId,
    face_value_fen: faceFen,
    voucher_count: voucherCount,
    valid_from: validFrom || chinaDate(),
    valid_to: validTo || addDays(chinaDate(), 90),
    frontline_only: frontlineOnly,
    signup_opens_at: opens,
    signup_closes_at: closes,
    sources: sources || [
      {
        name: '中国福利彩票双色球第2026138期开奖号码',
        draw_date: addDays(closeDay, 1),
        value_count: 7,
        note: '6 个红球和 1 个蓝球',
      },
      { name: '中国体育彩票排列5第26318期开奖号码', draw_date: addDays(closeDay, 1), value_count: 5 },
    ],
    provider_ids: providerIds,
  };
  if (eligOrgId) body.elig_org_id = eligOrgId;
  const r = await officer.post('/api/v1/lottery/campaigns', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

// As if `days` days had passed for campaign id: its publication, sign-up
// window, freeze time and sources' draw dates move that far into the past,
// so a source that draws tomorrow draws today (a test cannot wait for a
// lottery's draw day). Voucher validity stays: it is checked against the
// real today.
export function daysPass(srv, id, days = 1) {
  const back = (ts) => new Date(Date.parse(ts) - days * 86400e3).toISOString();
  const url = srv.db.url;
  const [created, opens, closes, frozen] = rawSql(
    url,
    `SELECT created_at, signup_opens_at, signup_closes_at, COALESCE(frozen_at, '') FROM lottery_campaigns WHERE id = ${Number(id)}`,
  ).split('|');
  assert.ok(opens && closes, `campaign ${id}`);
  rawSql(
    url,
    `UPDATE lottery_campaigns SET created_at = '${back(created)}', signup_opens_at = '${back(opens)}', signup_closes_at = '${back(closes)}'` +
      `${frozen ? `, frozen_at = '${back(frozen)}'` : ''} WHERE id = ${Number(id)}`,
  );
  for (const line of rawSql(url, `SELECT id, draw_date FROM lottery_sources WHERE campaign_id = ${Number(id)}`).split(
    '\n',
  )) {
    const [sid, day] = line.split('|');
    rawSql(url, `UPDATE lottery_sources SET draw_date = '${addDays(day, -days)}' WHERE id = ${Number(sid)}`);
  }
}
