// hardship-labels.js — Chinese labels for the codes of the hardship, aid and
// mutual-aid API (困难职工档案, 帮扶救助, 职工医疗互助), and the calculation
// table a claim shows line by line.
import { h } from './dom.js';
import { fmtYuan } from './format.js';
import { simpleTable } from './simpletable.js';

export const CATEGORIES = { deep: '深度困难', relative: '相对困难', accident: '意外致困' };
export const CATEGORY_TONE = { deep: 'red', relative: 'orange', accident: 'blue' };
export const FILE_STATUS = {
  pending: '待上级审核',
  open: '在档',
  rejected: '未通过',
  closed: '已撤档',
  purged: '已清除',
};
export const FILE_STATUS_TONE = { pending: 'orange', open: 'green', rejected: 'gray', closed: 'gray', purged: 'gray' };
export const CAUSES = {
  no_work_ability: '无劳动能力',
  unemployed: '有劳动能力但失业',
  laid_off: '下岗',
  uninsured: '未参加社会保险',
  insurance_arrears: '社会保险缴费不足',
  major_illness: '本人或家人患大病',
  disaster: '自然灾害',
  accident: '突发意外',
  schooling: '子女就学',
  other: '其他',
};
export const HEALTH = { healthy: '健康', chronic: '慢性病', serious_illness: '大病', disabled: '残疾' };
export const DISABILITY = { none: '无', grade1: '一级', grade2: '二级', grade3: '三级', grade4: '四级' };
export const WORK_STATUS = {
  employed: '在岗',
  flexible: '灵活就业',
  laid_off: '下岗',
  unemployed: '失业',
  retired: '退休',
};
export const HOUSEHOLD = { urban: '城镇', rural: '农村' };
export const INSURANCE = { employee: '职工基本医疗保险', resident: '城乡居民医疗保险', none: '未参保' };
export const RELATIONS = {
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  sibling: '兄弟姐妹',
  grandchild: '孙辈',
  other: '其他',
};
export const SCHOOL_LEVELS = {
  none: '未就学',
  preschool: '学前',
  compulsory: '义务教育',
  high_school: '高中（中职）',
  college: '大学（高职）',
};
export const CLOSE_REASONS = {
  out_of_hardship: '脱困',
  retired: '退休',
  transferred: '调离',
  deceased: '去世',
  left_union: '退会',
  other: '其他',
  rejected: '未通过',
};
export const EXCLUSIONS = { multiple_homes: '拥有两套及以上住房', business_owner: '经营企业并雇用他人' };
export const HISTORY_KINDS = {
  opened: '建档',
  updated: '修改',
  approved: '上级审核确认',
  rejected: '不予建档',
  reviewed: '年度复核',
  closed: '撤档',
  purged: '期满清除',
};
export const FIELD_NAMES = {
  ethnicity: '民族',
  health: '健康状况',
  disability: '残疾等级',
  work_status: '就业状况',
  household_type: '户籍类型',
  household_place: '户籍所在地',
  monthly_income_fen: '本人月收入',
  family_other_income_fen: '家庭非工资性月收入',
  family_income_fen: '家庭月总收入',
  medical_cost_fen: '月均医疗支出',
  education_cost_fen: '月均教育支出',
  disability_cost_fen: '月均残疾康复支出',
  work_cost_fen: '月均就业必要支出',
  medical_insurance: '医疗保险',
  family: '家庭成员',
  main_cause: '主要致困原因',
  secondary_causes: '次要致困原因',
  accident: '突发意外',
  accident_note: '意外情况说明',
  homes_owned: '住房套数',
  employs_others: '经营企业雇用他人',
  category: '困难类别',
  category_reason: '类别理由',
  bank_name: '开户银行',
  bank_account: '银行账号',
  note: '备注',
  '*': '全部内容',
};

export const AID_KINDS = {
  education: '金秋助学',
  illness: '大病救助',
  living: '生活救助',
  holiday: '送温暖',
  training: '技能培训',
};
export const GRANT_STATUS = {
  applied: '待初审',
  reviewed: '待批准',
  approved: '待支付',
  paid: '已支付',
  rejected: '未通过',
};
export const GRANT_STATUS_TONE = {
  applied: 'orange',
  reviewed: 'orange',
  approved: 'blue',
  paid: 'green',
  rejected: 'gray',
};
export const AID_SCHOOL = { compulsory: '义务教育', high_school: '高中（中职）', college: '大学（高职）' };
export const CLAIM_STATUS = { submitted: '待审核', approved: '待支付', paid: '已支付', rejected: '已退回' };
export const CLAIM_STATUS_TONE = { submitted: 'orange', approved: 'blue', paid: 'green', rejected: 'gray' };
export const PARTNER_KINDS = { officer: '干部', unit: '单位' };

// Fen as '12,345.67 元'.
export function yuan(fen) {
  return fen === null || fen === undefined ? '' : `${fmtYuan(fen)} 元`;
}

// The claim's calculation as a table: item, base × ratio, amount; the
// result line stands out, the rounding rule follows.
export function calcTable(calc) {
  if (!calc) return h('p', { class: 'muted' }, '暂无计算过程');
  const rows = calc.lines.map((l) => ({ ...l, is_result: l.label === '本次互助金' }));
  return h(
    'div',
    { class: 'ma-calc' },
    simpleTable({
      caption: '互助金计算过程',
      className: 'ma-calc-table',
      scroll: true,
      columns: [
        { key: 'label', title: '项目', render: (l) => (l.is_result ? h('strong', l.label) : l.label) },
        {
          key: 'base_fen',
          title: '计算基数',
          align: 'right',
          nowrap: true,
          render: (l) => (l.base_fen !== undefined ? `${fmtYuan(l.base_fen)} × ${l.ratio_pct}%` : ''),
        },
        {
          key: 'amount_fen',
          title: '金额（元）',
          align: 'right',
          nowrap: true,
          render: (l) =>
            l.is_result ? h('strong', { class: 'ma-payable' }, fmtYuan(l.amount_fen)) : fmtYuan(l.amount_fen),
        },
      ],
      rows,
    }),
    h('p', { class: 'panel-note' }, `适用 ${calc.effective_from || '—'} 起施行的待遇标准。${calc.rounding || ''}`),
  );
}
