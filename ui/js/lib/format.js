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
  'member.create': '登记会员',
  'member.update': '修改会员',
  'member.transfer': '会员转会',
  'member.reveal': '查看完整信息',
  'member.import': '批量导入会员',
  'member.activate': '会员开通账号',
  'join.submit': '提交入会申请',
  'join.approve': '批准入会',
  'join.reject': '不予通过入会',
};

export const OBJECT_TYPES = { user: '账号', org: '工会组织', member: '会员', join_request: '入会申请' };

// ---- members ----------------------------------------------------------------
export const EMPLOYMENT_FORMS = {
  employee: '职工',
  courier: '快递员',
  food_delivery: '外卖送餐员',
  ride_hailing: '网约车司机',
  truck_driver: '货车司机',
  domestic: '家政服务员',
  other_new: '其他新就业形态',
};
// Forms counted as 新就业形态 (everything except an ordinary employee).
export const NEW_EMPLOYMENT_FORMS = ['courier', 'food_delivery', 'ride_hailing', 'truck_driver', 'domestic', 'other_new'];

export const MEMBER_STATUS = { active: '在会', transferred: '已转出', left: '已退会' };
export const MODEL_WORKER = { national: '全国劳动模范', provincial: '省部级劳动模范', city: '市级劳动模范' };
export const GENDERS = { male: '男', female: '女' };
export const JOIN_STATUS = { pending: '待审核', approved: '已通过', rejected: '未通过' };
export const HISTORY_KINDS = { joined: '入会', transfer: '转会', status: '会籍变更' };
export const JOB_STATUS = { queued: '排队中', running: '处理中', done: '已完成', failed: '失败' };

// Member record fields in Chinese (import error reports, field errors).
export const MEMBER_FIELDS = {
  name: '姓名',
  id_number: '身份证号',
  mobile: '手机号',
  employment_form: '就业形态',
  employer: '工作单位',
  frontline: '一线职工',
  model_worker: '劳模称号',
  craftsman: '工匠',
  join_date: '入会日期',
  card_no: '会员证号',
  org_id: '组织编号',
  city: '所在城市',
  password: '密码',
};

// '是' / '否' for a boolean.
export function yesNo(v) {
  return v ? '是' : '否';
}

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
