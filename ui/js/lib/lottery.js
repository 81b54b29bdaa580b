// lottery.js — what the voucher-lottery pages share: labels and tones of
// campaign phases and voucher states, the page stylesheet, the public page
// header, a campaign's rules, sources and timeline as DOM, and reading every
// page of a list.
import { h } from './dom.js';
import { api } from './api.js';
import { fmtTime, fmtYuan } from './format.js';
import { tag } from './ui.js';
import { publicPage } from './shell.js';

export const PHASES = {
  upcoming: '未开始报名',
  signup: '报名中',
  closed: '报名已截止',
  frozen: '名单已公布，待抽取',
  drawn: '已抽取',
  cancelled: '已取消',
};
export const PHASE_TONE = {
  upcoming: 'gray',
  signup: 'green',
  closed: 'orange',
  frozen: 'orange',
  drawn: 'blue',
  cancelled: 'gray',
};

export const VOUCHER_STATUS = {
  issued: '可使用',
  redeemed: '已使用',
  forfeited: '已放弃',
  void: '已作废',
  expired: '已过期',
};
export const VOUCHER_TONE = { issued: 'green', redeemed: 'blue', forfeited: 'gray', void: 'gray', expired: 'orange' };

export const PROVIDER_KINDS = {
  guesthouse: '旅游民宿',
  rural_cluster: '乡村旅游集聚区',
  themed_town: '特色小镇',
  red_site: '红色旅游景区',
  retreat_base: '疗休养基地',
};

export function phaseTag(phase) {
  return tag(PHASES[phase] || phase, PHASE_TONE[phase]);
}

// The lottery pages' own styles (console pages load it on first use).
export function ensureCss() {
  if (document.querySelector('link[data-lottery-css]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: '/css/lottery.css', dataset: { lotteryCss: '1' } }));
}

// '200.00 元'
export function yuan(fen) {
  return `${fmtYuan(fen)} 元`;
}

// ?id=… of the current page, or null.
export function pageId() {
  const v = new URLSearchParams(location.search).get('id');
  return /^[1-9]\d{0,17}$/.test(v || '') ? Number(v) : null;
}

// Every item of a paged list (per_page 100), up to `limit` items.
export async function fetchAll(path, query = {}, { limit = 100000, signal } = {}) {
  const items = [];
  for (let page = 1; ; page++) {
    const r = await api.get(path, { ...query, page, per_page: 100 }, { signal });
    items.push(...r.items);
    if (r.items.length < 100 || items.length >= limit || items.length >= r.total) return items;
  }
}

// The public page links of a campaign.
export function publicLinks(c, current) {
  const links = [
    ['campaign', `/lottery/campaign.html?id=${c.id}`, '活动详情'],
    ['entrants', `/lottery/entrants.html?id=${c.id}`, '报名名单'],
    ['result', `/lottery/result.html?id=${c.id}`, '抽取结果'],
    ['verify', `/lottery/verify.html?id=${c.id}`, '核验结果'],
  ];
  return h(
    'nav',
    { class: 'lt-tabs', 'aria-label': '活动页面' },
    links.map(([k, href, text]) =>
      h('a', { href, class: k === current ? 'is-current' : null, 'aria-current': k === current ? 'page' : null }, text),
    ),
  );
}

// Rules: face value, count, validity, eligibility, window.
export function rulesList(c) {
  const row = (k, v) => h('div', h('dt', k), h('dd', v));
  return h(
    'dl',
    { class: 'kv' },
    row('发放工会', c.org_name),
    row('消费券面值', yuan(c.face_value_fen)),
    row('发放数量', `${c.voucher_count} 张`),
    row('有效期', `${c.valid_from} 至 ${c.valid_to}`),
    row('参与范围', `${c.elig_org_name}及下级工会的在会会员${c.frontline_only ? '（仅限一线职工）' : ''}`),
    row('报名时间', `${fmtTime(c.signup_opens_at)} 至 ${fmtTime(c.signup_closes_at)}`),
    c.cancel_before && c.status !== 'cancelled'
      ? row(
          '取消规则',
          `${c.cancel_before}（最早的随机源开奖日）之前，发放工会可公开说明原因取消活动；此后不能取消，开奖号码录入有误只能公开更正`,
        )
      : null,
  );
}

// The declared sources of randomness, with the entered values when drawn.
export function sourcesList(c) {
  const current = (c.draws || []).find((d) => d.current);
  return h(
    'ol',
    { class: 'lt-sources' },
    c.sources.map((s, i) =>
      h(
        'li',
        h('div', { class: 'lt-source-name' }, s.name),
        h(
          'div',
          { class: 'muted small' },
          `开奖日期 ${s.draw_date}${s.value_count ? ` · ${s.value_count} 个号码` : ''}${s.note ? ` · ${s.note}` : ''}`,
        ),
        current ? h('div', { class: 'lt-source-value mono' }, current.source_values[i]) : null,
      ),
    ),
  );
}

// What happened when, oldest first; future steps greyed.
export function timeline(c) {
  const now = Date.parse(c.server_time || new Date().toISOString());
  const items = [
    [c.created_at, '活动发布，公布规则和随机源'],
    [c.signup_opens_at, '开始报名'],
    [c.signup_closes_at, '报名截止'],
  ];
  if (c.frozen_at) items.push([c.frozen_at, `公布报名名单（${c.entrants} 人）及其 SHA-256 指纹`]);
  const sourceDay = c.sources
    .map((s) => s.draw_date)
    .sort()
    .pop();
  // a day, not an instant: sorted after anything else that day
  if (sourceDay && c.status !== 'cancelled')
    items.push([`${sourceDay}T23:59:59+08:00`, '随机源开奖日（各随机源开奖后才能录入号码）', true]);
  for (const d of c.draws || []) {
    items.push([
      d.created_at,
      d.version === 1 ? '录入开奖号码，公开抽取' : `更正开奖号码（第 ${d.version} 版）：${d.reason || ''}`,
    ]);
  }
  for (const r of c.round_list || []) {
    if (r.round > 1) items.push([r.created_at, `第 ${r.round} 轮补抽 ${r.count} 人（接续序号 ${r.first_index} 起）`]);
  }
  if (c.status === 'cancelled') items.push([c.updated_at, `活动取消：${c.cancel_reason || ''}`]);
  items.sort((a, b) => Date.parse(a[0]) - Date.parse(b[0]));
  return h(
    'ol',
    { class: 'lt-timeline' },
    items.map(([at, text, dayOnly]) =>
      h(
        'li',
        {
          class:
            (dayOnly ? Date.parse(`${at.slice(0, 10)}T00:00:00+08:00`) : Date.parse(at)) > now
              ? 'is-future'
              : 'is-past',
        },
        h('span', { class: 'lt-tl-time' }, dayOnly ? at.slice(0, 10) : fmtTime(at)),
        h('span', { class: 'lt-tl-text' }, text),
      ),
    ),
  );
}

// The public lottery pages' header (lib/shell.js): 登录 for visitors, 我的消费券
// for members, 管理后台 for staff. Resolves to the logged-in user or null.
export function lotteryHead() {
  return publicPage({
    head: document.getElementById('head-actions'),
    member: ['/m/vouchers.html', '我的消费券', 'card'],
    staff: ['/console/#/lottery', '管理后台'],
  });
}

export function loading(text = '正在加载…') {
  return h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), text);
}

export function failed(message, retry) {
  return h(
    'div',
    { class: 'state state-error', role: 'alert' },
    message,
    retry ? h('button', { type: 'button', class: 'btn btn-sm', onclick: retry }, '重试') : null,
  );
}
