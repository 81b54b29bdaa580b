// retreat.js — what the recuperation pages (职工疗休养) share: Chinese labels
// for providers, routes and bookings, the price breakdown (the member price
// always comes from the server as price − subsidy, never computed here from
// typed numbers), dates, and the page stylesheet.
import { h } from './dom.js';
import { fmtYuan } from './format.js';

export const PROVIDER_KINDS = {
  guesthouse: '旅游民宿',
  rural_cluster: '乡村旅游产业集聚区',
  themed_town: '特色小镇',
  red_site: '红色旅游景区',
  retreat_base: '疗休养基地',
};
export const PROVIDER_STATUS = { applied: '申请中', admitted: '已准入', suspended: '已暂停' };
export const PROVIDER_STATUS_TONE = { applied: 'orange', admitted: 'green', suspended: 'gray' };

export const ROUTE_STATUS = { draft: '草稿', published: '已发布', withdrawn: '已下架' };
export const ROUTE_STATUS_TONE = { draft: 'gray', published: 'green', withdrawn: 'orange' };

export const BOOKING_STATUS = {
  waitlisted: '候补中',
  pending: '待工会确认',
  confirmed: '已确认',
  completed: '已出行',
  cancelled: '已取消',
  rejected: '未通过',
  no_show: '未出行',
};
export const BOOKING_STATUS_TONE = {
  waitlisted: 'orange',
  pending: 'blue',
  confirmed: 'green',
  completed: 'green',
  cancelled: 'gray',
  rejected: 'red',
  no_show: 'gray',
};

export const DEPARTURE_STATUS = { open: '报名中', closed: '已截止', cancelled: '已取消', completed: '已结束' };
export const DEPARTURE_STATUS_TONE = { open: 'green', closed: 'orange', cancelled: 'gray', completed: 'blue' };

export const CONFIRMATION = { instant: '报名即确认', union: '所在工会确认' };

// Field names the imports report bad rows under (导入服务机构 / 导入线路).
export const PROVIDER_IMPORT_FIELDS = {
  name: '机构名称',
  kind: '机构类型',
  region_code: '行政区划代码',
  address: '地址',
  contact_name: '联系人',
  contact_phone: '联系电话',
  partner_department: '合作部门',
  status: '状态',
  org_id: '管理工会编号',
  body: '文件',
};
export const ROUTE_IMPORT_FIELDS = {
  code: '线路编号',
  title: '线路名称',
  summary: '简介',
  destination: '目的地',
  region_code: '行政区划代码',
  days: '天数',
  price_fen: '全价',
  subsidy_fen: '工会补助',
  themes: '主题',
  provider_ids: '服务机构',
  itinerary: '行程',
  inclusions: '费用包含',
  eligible_org_ids: '可预订工会编号',
  min_member_years: '入会年限',
  frontline_only: '仅限一线职工',
  confirm_mode: '确认方式',
  status: '状态',
  org_id: '主办工会编号',
  body: '文件',
};

// ¥1,080 (whole yuan without decimals, as price tags read).
export function yuan(fen) {
  if (fen === null || fen === undefined) return '';
  const s = fmtYuan(fen);
  return `¥${s.endsWith('.00') ? s.slice(0, -3) : s}`;
}

// The price block: member price large, full price struck, the subsidy.
export function priceBlock(r, { large = false } = {}) {
  return h(
    'div',
    { class: ['rt-price', large && 'is-large'] },
    h('span', { class: 'rt-price-label' }, '会员价'),
    h('span', { class: 'rt-price-member' }, yuan(r.member_price_fen)),
    r.subsidy_fen > 0 ? h('s', { class: 'rt-price-full', title: '线路全价' }, yuan(r.price_fen)) : null,
    r.subsidy_fen > 0 ? h('span', { class: 'rt-price-subsidy' }, `工会补助 ${yuan(r.subsidy_fen)}`) : null,
  );
}

// '2026-05-01' → '5月1日'; with the year when it is not this year.
export function shortDate(d) {
  if (!d) return '';
  const [y, m, day] = d.split('-').map(Number);
  const thisYear = new Date().getFullYear();
  return `${y !== thisYear ? `${y}年` : ''}${m}月${day}日`;
}

const WEEK = '日一二三四五六';
// '2026-05-01' → '周五' (the calendar day itself, whatever the browser's zone).
export function weekday(d) {
  const [y, m, day] = (d || '').split('-').map(Number);
  if (!y || !m || !day) return '';
  return `周${WEEK[new Date(Date.UTC(y, m - 1, day)).getUTCDay()]}`;
}

// Load the recuperation stylesheet once (console pages come in by import()).
export function ensureRetreatCss() {
  if (document.querySelector('link[data-retreat-css]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: '/css/retreat.css', dataset: { retreatCss: '1' } }));
}
