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
  'session.challenge': '登录（待输入验证码）',
  'user.totp_enable': '开启两步验证',
  'user.totp_disable': '关闭两步验证',
  'user.totp_reset': '重置两步验证',
  'settings.second_factor': '设置两步验证要求',
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
  'policy.set': '发布政策参数',
  'enterprise.create': '登记企业',
  'enterprise.update': '修改企业',
  'enterprise.reveal': '查看企业完整账号',
  'enterprise.import': '批量导入企业',
  'fee.import': '导入经费缴纳',
  'refund.compute': '计算经费返还',
  'refund.approve': '审批经费返还',
  'refund.reject': '退回经费返还',
  'refund.bank_file': '生成银行付款文件',
  'refund.bank_result': '导入银行回单',
  'refund.apply': '申请经费返还',
  'ledger.reverse': '冲销记账',
  'provider.create': '登记服务机构',
  'provider.update': '修改服务机构',
  'provider.status': '服务机构准入/暂停',
  'provider.import': '批量导入服务机构',
  'retreat.route.create': '新建疗休养线路',
  'retreat.route.update': '修改疗休养线路',
  'retreat.route.status': '发布/下架疗休养线路',
  'retreat.route.import': '批量导入疗休养线路',
  'retreat.departure.create': '新增出发批次',
  'retreat.departure.update': '调整出发批次',
  'retreat.departure.cancel': '取消出发批次',
  'retreat.departure.complete': '确认出发批次完成',
  'retreat.book': '预订疗休养',
  'retreat.booking.confirm': '确认疗休养预订',
  'retreat.booking.reject': '拒绝疗休养预订',
  'retreat.booking.cancel': '取消疗休养预订',
  'retreat.booking.promote': '候补递补',
  'retreat.collection.create': '新建疗休养专题',
  'retreat.collection.update': '修改疗休养专题',
  'retreat.agreement.create': '登记跨区域合作协议',
  'hardship.open': '建立困难职工档案',
  'hardship.read': '查看困难职工档案',
  'hardship.list': '查询困难职工档案列表',
  'hardship.update': '修改困难职工档案',
  'hardship.approve': '审核确认困难职工档案',
  'hardship.reject': '不予建档',
  'hardship.review': '困难职工档案年度复核',
  'hardship.close': '困难职工档案撤档',
  'hardship.history': '查看档案变动历史',
  'hardship.reveal': '查看档案完整信息',
  'hardship.purge': '清除期满档案',
  'aid.apply': '申请帮扶救助',
  'aid.read': '查看救助申请',
  'aid.list': '查询救助申请列表',
  'aid.review': '初审救助申请',
  'aid.approve': '批准帮扶救助',
  'aid.reject': '不予救助',
  'aid.pay': '支付救助金',
  'aid.pairing': '建立结对帮扶',
  'aid.visit': '登记走访',
  'aid.visits_read': '查看走访记录',
  'mutual_aid.plan_create': '新建医疗互助计划',
  'mutual_aid.enrol': '参加医疗互助',
  'mutual_aid.group_enrol': '单位集体参加医疗互助',
  'mutual_aid.claim_submit': '申请医疗互助金',
  'mutual_aid.claim_read': '查看互助金申请',
  'mutual_aid.claim_list': '查询互助金申请列表',
  'mutual_aid.claim_approve': '审核通过互助金',
  'mutual_aid.claim_reject': '退回互助金申请',
  'mutual_aid.claim_pay': '支付互助金',
  'lottery.create': '发布消费券抽取活动',
  'lottery.update': '修改抽取活动',
  'lottery.cancel': '取消抽取活动',
  'lottery.enter': '报名抽取活动',
  'lottery.freeze': '锁定并公布报名名单',
  'lottery.draw': '抽取消费券',
  'lottery.correct': '更正随机源号码',
  'lottery.round': '补抽消费券',
  'voucher.redeem': '核销消费券',
  'voucher.decline': '放弃消费券',
  'voucher.forfeit': '收回消费券',
};

export const OBJECT_TYPES = {
  user: '账号',
  org: '工会组织',
  member: '会员',
  join_request: '入会申请',
  enterprise: '企业',
  fee_import: '经费导入批次',
  refund_run: '返还批次',
  ledger_transfer: '记账记录',
  policy: '政策参数版本',
  provider: '服务机构',
  retreat_route: '疗休养线路',
  retreat_departure: '出发批次',
  retreat_booking: '疗休养预订',
  retreat_collection: '疗休养专题',
  retreat_agreement: '跨区域合作协议',
  hardship_file: '困难职工档案',
  aid_grant: '救助申请',
  aid_pairing: '结对帮扶',
  mutual_aid_plan: '医疗互助计划',
  mutual_aid_enrolment: '医疗互助参加',
  mutual_aid_group: '集体参加',
  mutual_aid_claim: '互助金申请',
  lottery_campaign: '消费券抽取活动',
  voucher: '消费券',
};

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
export const NEW_EMPLOYMENT_FORMS = [
  'courier',
  'food_delivery',
  'ride_hailing',
  'truck_driver',
  'domestic',
  'other_new',
];

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
  timeZone: CN,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
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

// ---- money (经费与账务) -------------------------------------------------------
// Amounts come from the API as integer fen (分). They are shown in yuan with
// two decimals; all arithmetic stays on the integer fen.

function groupDigits(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// fmtYuan(1234567) → '12,345.67'; fmtYuan(-5) → '-0.05'; '' for null/undefined.
export function fmtYuan(fen) {
  if (fen === null || fen === undefined || fen === '') return '';
  const n = Number(fen);
  if (!Number.isSafeInteger(n)) return String(fen);
  const abs = Math.abs(n);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${n < 0 ? '-' : ''}${groupDigits(String(yuan))}.${String(cents).padStart(2, '0')}`;
}

// Large totals in 万元 / 亿元, rounded half up to two decimals of the unit:
// fmtYuanBig(33345001) → '33.35万元'; below 1 万元 the plain '1,234.56元'.
export function fmtYuanBig(fen) {
  if (fen === null || fen === undefined || fen === '') return '';
  const n = Number(fen);
  if (!Number.isSafeInteger(n)) return String(fen);
  const abs = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  // Hundredths of the unit, rounded half up, in integers only:
  // 1 万元 = 1,000,000 fen (a hundredth is 10,000 fen); 1 亿元 = 100 × that.
  const hundredths = (step) => {
    const q = Math.floor(abs / step);
    return (abs % step) * 2 >= step ? q + 1 : q;
  };
  const show = (hs, unit) =>
    `${sign}${groupDigits(String(Math.floor(hs / 100)))}.${String(hs % 100).padStart(2, '0')}${unit}`;
  const wan = hundredths(10000);
  if (wan >= 1000000) return show(hundredths(100000000), '亿元');
  if (abs >= 1000000) return show(wan, '万元');
  return `${fmtYuan(n)}元`;
}

// '12,345.67' / '12345.6' / '￥12,345' → 1234567 (integer fen), by string
// parsing (never through a float). null when it is not an amount with at most
// two decimals; negative amounts are refused.
export function yuanToFen(text) {
  if (text === null || text === undefined) return null;
  const s = String(text)
    .trim()
    .replace(/^[￥¥]/, '')
    .replace(/[,，\s]/g, '');
  const m = /^(\d{1,13})(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
}

// Integer fen → the plain yuan text an input shows ('1234567.89'), for edit forms.
export function fenToInput(fen) {
  if (fen === null || fen === undefined) return '';
  return fmtYuan(fen).replace(/,/g, '');
}

// 国民经济行业分类 (GB/T 4754-2017) 门类.
export const INDUSTRIES = {
  A: '农、林、牧、渔业',
  B: '采矿业',
  C: '制造业',
  D: '电力、热力、燃气及水生产和供应业',
  E: '建筑业',
  F: '批发和零售业',
  G: '交通运输、仓储和邮政业',
  H: '住宿和餐饮业',
  I: '信息传输、软件和信息技术服务业',
  J: '金融业',
  K: '房地产业',
  L: '租赁和商务服务业',
  M: '科学研究和技术服务业',
  N: '水利、环境和公共设施管理业',
  O: '居民服务、修理和其他服务业',
  P: '教育',
  Q: '卫生和社会工作',
  R: '文化、体育和娱乐业',
  S: '公共管理、社会保障和社会组织',
  T: '国际组织',
};
// Short names for tight table cells (the full name goes in a title).
export const INDUSTRY_SHORT = {
  A: '农林牧渔',
  B: '采矿',
  C: '制造',
  D: '电热燃水',
  E: '建筑',
  F: '批发零售',
  G: '交通运输',
  H: '住宿餐饮',
  I: '信息技术',
  J: '金融',
  K: '房地产',
  L: '租赁商务',
  M: '科研技术',
  N: '水利环境',
  O: '居民服务',
  P: '教育',
  Q: '卫生社工',
  R: '文体娱乐',
  S: '公共管理',
  T: '国际组织',
};
// 'I 信息传输、软件和信息技术服务业' for a select; 'I' alone when unknown.
export function industryLabel(code) {
  if (!code) return '';
  return INDUSTRIES[code] ? `${code} ${INDUSTRIES[code]}` : String(code);
}

export const PAYMENT_KINDS = { fee: '工会经费', prep_fee: '建会筹备金' };
export const RUN_STATUS = {
  computing: '计算中',
  computed: '待审批',
  approved: '已审批',
  closed: '已完成',
  rejected: '已退回',
};
export const RUN_STATUS_TONE = {
  computing: 'blue',
  computed: 'orange',
  approved: 'blue',
  closed: 'green',
  rejected: 'gray',
};
export const LINE_STATUS = {
  due: '待审批',
  approved: '待付款',
  exported: '付款中',
  paid: '已付款',
  failed: '付款失败',
  cancelled: '已取消',
};
export const LINE_STATUS_TONE = {
  due: 'orange',
  approved: 'blue',
  exported: 'blue',
  paid: 'green',
  failed: 'red',
  cancelled: 'gray',
};
export const ACCOUNT_KINDS = { asset: '资产', liability: '负债', equity: '净资产', income: '收入', expense: '支出' };
export const SIDES = { debit: '借', credit: '贷' };
export const TRANSFER_STATUS = { posted: '已入账', pending: '预留', voided: '已撤销' };
export const REF_TYPES = {
  fee_import: '经费缴纳导入',
  refund_line: '经费返还',
  manual: '手工记账',
  voucher: '消费券核销',
  aid_grant: '帮扶救助',
  mutual_aid_claim: '医疗互助金',
  mutual_aid_enrolment: '医疗互助会费',
  mutual_aid_group: '医疗互助会费（集体）',
};
export const LEDGER_CHECKS = {
  cached_balances: '科目余额与明细一致',
  debits_equal_credits: '借贷平衡',
  batches_whole: '记账批次完整',
  reversals_mirror: '冲销与原记录对应',
  pending_resolutions: '预留的入账与撤销',
  references: '业务记录引用完整',
  hash_chain: '哈希链完整',
  chain_root: '各分区根摘要',
};

// Enterprise and payment fields in Chinese (import error reports).
export const ENTERPRISE_FIELDS = {
  uscc: '统一社会信用代码',
  name: '企业名称',
  region_code: '行政区划代码',
  industry: '行业',
  headcount: '从业人数',
  annual_revenue_fen: '营业收入',
  small_scale: '小规模纳税人',
  org_id: '负责工会编号',
  union_org_id: '工会组织编号',
  union_founded_on: '建会日期',
  bank_name: '开户银行',
  account_name: '户名',
  account_number: '银行账号',
  contact_name: '联系人',
  contact_phone: '联系电话',
};
export const PAYMENT_FIELDS = {
  uscc: '统一社会信用代码',
  month: '所属期',
  payroll_fen: '工资总额',
  amount_fen: '缴纳金额',
  paid_on: '缴款日期',
  kind: '类型',
};
export const BANK_RESULT_FIELDS = { ref: '参考号', result: '结果', reason: '原因', date: '日期' };

// '2023H1' → '2023 年上半年'.
export function periodLabel(p) {
  const m = /^(\d{4})H([12])$/i.exec(p || '');
  if (!m) return p || '';
  return `${m[1]} 年${m[2] === '1' ? '上' : '下'}半年`;
}
