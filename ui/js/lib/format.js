// format.js — Chinese labels for the codes the API uses, and date/time display
// (timestamps come as UTC RFC 3339; people read them in China time).

export const LEVELS = {
  national: '全国总工会',
  province: '省级',
  city: '市级',
  county: '县(区)级',
  grassroots: '基层工会',
};
export const LEVEL_ORDER = ['national', 'province', 'city', 'county', 'grassroots'];
// Short forms for tags in tight places (the tree).
export const LEVEL_SHORT = { national: '全总', province: '省级', city: '市级', county: '县区级', grassroots: '基层' };

export const KINDS = {
  regional: '地方工会',
  industry: '产业工会联合会',
  enterprise: '企业工会',
};

export const ROLES = {
  member: '会员',
  officer: '工会工作人员',
  provider: '服务机构',
  bank: '合作银行',
  auditor: '审计员',
  admin: '系统管理员',
  enterprise: '企业',
  system: '系统',
};

export const DUTIES = {
  membership: '会员管理',
  hardship: '困难帮扶',
  finance: '经费财务',
  retreat: '疗休养',
  employment: '就业服务',
  rights: '维权服务',
  org: '组织管理',
};

export const ORG_STATUS = { active: '正常', dissolved: '已撤销' };
export const USER_STATUS = { active: '正常', disabled: '已停用' };
export const OUTCOMES = { ok: '成功', failed: '失败', denied: '拒绝' };

export const ACTIONS = {
  'session.login': '登录',
  'session.logout': '退出登录',
  'user.create': '新增账号',
  'user.update': '修改账号',
  'user.password_reset': '重置密码',
  'user.password_change': '修改密码',
  'org.create': '新增组织',
  'org.update': '修改组织',
  'org.move': '调整上级组织',
  'org.delete': '删除组织',
};

export const OBJECT_TYPES = { user: '账号', org: '工会组织' };

// label(LEVELS, 'city') → '市级'; unknown codes are shown as they are.
export function label(map, code) {
  if (code === null || code === undefined || code === '') return '';
  return Object.prototype.hasOwnProperty.call(map, code) ? map[code] : String(code);
}

// [[value, label], …] for selects.
export function options(map, keys = Object.keys(map)) {
  return keys.map((k) => [k, map[k]]);
}

const CN = 'Asia/Shanghai';
const dtFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: CN, year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

function parts(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const p = {};
  for (const { type, value } of dtFmt.formatToParts(d)) p[type] = value;
  if (p.hour === '24') p.hour = '00';
  return p;
}

// '2026-11-30 01:15:59' (China time) from an RFC 3339 timestamp; '' for none.
export function fmtTime(iso, { seconds = false } = {}) {
  if (!iso) return '';
  const p = parts(iso);
  if (!p) return String(iso);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
}

// '2026-11-30' (China time).
export function fmtDate(iso) {
  if (!iso) return '';
  const p = parts(iso);
  return p ? `${p.year}-${p.month}-${p.day}` : String(iso);
}

// A China-time calendar day 'YYYY-MM-DD' as the UTC instant it starts (or,
// with end=true, the last millisecond of it), for API time-range filters.
export function dayToUtc(day, end = false) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day || '')) return '';
  const t = Date.parse(`${day}T${end ? '23:59:59.999' : '00:00:00.000'}+08:00`);
  return Number.isNaN(t) ? '' : new Date(t).toISOString();
}

// Today's date in China time, 'YYYY-MM-DD'.
export function today() {
  return fmtDate(new Date().toISOString());
}
