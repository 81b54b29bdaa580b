// fallback-menu.js — the console menu as it was kept by hand in console.js,
// used only while the server does not answer GET /api/v1/menu (404): the
// same entries, in the same order and shape as that answer, for the logged-in
// user. Delete this file once the server's menu (from each capability's
// module descriptor) has landed; console.js then never loads it.
import { hasDuty, hasRole } from './lib/session.js';

// Voucher lotteries: the retreat duty runs them, finance and auditors read.
function seesLottery(u) {
  return hasDuty(u, 'retreat') || hasDuty(u, 'finance') || hasRole(u, 'auditor');
}

// Money pages: the finance duty (admins have every duty), auditors read.
function seesFinance(u) {
  return hasDuty(u, 'finance') || hasRole(u, 'auditor');
}

// Every entry with who may see it (show); 首页 is console.js's own.
const ENTRIES = [
  {
    group: '基础管理',
    label: '组织架构',
    path: '/orgs',
    icon: 'tree',
    page: 'org/orgs',
    also: [{ path: '/orgs/{id}' }],
    show: (u) => !!u.org || u.role === 'admin',
  },
  {
    group: '基础管理',
    label: '账号管理',
    path: '/users',
    icon: 'users',
    page: 'auth/users',
    show: (u) => u.role === 'admin' || (u.role === 'officer' && hasDuty(u, 'org')),
  },
  {
    group: '基础管理',
    label: '政策参数',
    path: '/policies',
    icon: 'sliders',
    page: 'core/policies',
    show: (u) => hasRole(u, 'admin', 'auditor') || ['finance', 'hardship', 'retreat'].some((d) => hasDuty(u, d)),
  },
  {
    group: '基础管理',
    label: '审计日志',
    path: '/audit',
    icon: 'audit',
    page: 'core/audit',
    show: (u) => hasRole(u, 'auditor', 'admin'),
  },
  {
    group: '会员服务',
    label: '会员管理',
    path: '/members',
    icon: 'card',
    page: 'member/members',
    also: [{ path: '/members/{id}', title: '会员详情', page: 'member/member-detail' }],
    show: (u) => hasRole(u, 'officer', 'admin', 'auditor'),
  },
  {
    group: '会员服务',
    label: '入会审批',
    path: '/join-requests',
    icon: 'inbox',
    page: 'member/join-requests',
    show: (u) => hasRole(u, 'officer', 'admin', 'auditor'),
  },
  {
    group: '会员服务',
    label: '会员导入',
    path: '/members/import',
    icon: 'upload',
    page: 'member/member-import',
    show: (u) => hasDuty(u, 'membership'),
  },
  {
    group: '经费与账务',
    label: '企业名录',
    path: '/enterprises',
    icon: 'building',
    page: 'enterprise/enterprises',
    also: [
      { path: '/enterprises/{id}', title: '企业详情', page: 'enterprise/enterprise-detail' },
      { path: '/enterprises/import', title: '导入企业', page: 'enterprise/enterprise-import' },
    ],
    show: seesFinance,
  },
  {
    group: '经费与账务',
    label: '经费缴纳',
    path: '/fee-payments',
    icon: 'coins',
    page: 'fees/fee-payments',
    also: [{ path: '/fee-payments/import', title: '导入缴费', page: 'fees/fee-import' }],
    show: seesFinance,
  },
  {
    group: '经费与账务',
    label: '经费返还',
    path: '/refunds',
    icon: 'refund',
    page: 'refund/refunds',
    also: [{ path: '/refunds/{id}', title: '返还批次', page: 'refund/refund-run' }],
    show: seesFinance,
  },
  {
    group: '经费与账务',
    label: '返还统计',
    path: '/refund-stats',
    icon: 'chart',
    page: 'refund/refund-stats',
    show: seesFinance,
  },
  {
    group: '经费与账务',
    label: '账簿',
    path: '/ledger',
    icon: 'book',
    page: 'core/ledger',
    also: [{ path: '/ledger/transfers/{id}', title: '记账记录', page: 'core/ledger-transfer' }],
    show: seesFinance,
  },
  {
    group: '职工疗休养',
    label: '线路管理',
    path: '/retreat/routes',
    icon: 'file',
    page: 'retreat/retreat-routes',
    also: [
      { path: '/retreat/routes/{id}', title: '线路详情', page: 'retreat/retreat-route-admin' },
      { path: '/retreat/routes/import', title: '导入线路', page: 'retreat/retreat-route-import' },
    ],
    show: (u) => hasRole(u, 'officer', 'admin', 'auditor'),
  },
  {
    group: '职工疗休养',
    label: '预订审核',
    path: '/retreat/bookings',
    icon: 'check',
    page: 'retreat/retreat-bookings',
    show: (u) => hasRole(u, 'officer', 'admin', 'auditor'),
  },
  {
    group: '职工疗休养',
    label: '服务机构',
    path: '/retreat/providers',
    icon: 'org',
    page: 'retreat/retreat-providers',
    also: [{ path: '/retreat/providers/import', title: '导入服务机构', page: 'retreat/retreat-provider-import' }],
    show: (u) => hasRole(u, 'officer', 'admin', 'auditor'),
  },
  {
    group: '职工疗休养',
    label: '专题与规则',
    path: '/retreat/settings',
    icon: 'edit',
    page: 'retreat/retreat-settings',
    show: (u) => hasRole(u, 'officer', 'admin', 'auditor'),
  },
  {
    group: '职工疗休养',
    label: '疗休养统计',
    path: '/retreat/stats',
    icon: 'chart',
    page: 'retreat/retreat-stats',
    show: (u) => hasDuty(u, 'retreat') || hasDuty(u, 'finance') || hasRole(u, 'auditor'),
  },
  {
    group: '职工疗休养',
    label: '疗休养接待',
    path: '/desk',
    icon: 'users',
    page: 'retreat/retreat-desk',
    also: [{ path: '/desk/{id}', title: '接待名单', page: 'retreat/retreat-desk' }],
    show: (u) => u.role === 'provider',
  },
  {
    group: '消费券',
    label: '消费券抽取',
    path: '/lottery',
    icon: 'card',
    page: 'lottery/lottery-campaigns',
    also: [{ path: '/lottery/{id}', title: '抽取活动', page: 'lottery/lottery-admin' }],
    show: seesLottery,
  },
  {
    group: '消费券',
    label: '消费券统计',
    path: '/lottery-stats',
    icon: 'chart',
    page: 'lottery/lottery-stats',
    show: seesLottery,
  },
  {
    group: '消费券',
    label: '消费券核销',
    path: '/redeem',
    icon: 'check',
    page: 'voucher/voucher-redeem',
    show: (u) => u.role === 'provider',
  },
  {
    group: '困难帮扶',
    label: '困难职工档案',
    path: '/hardship',
    icon: 'file',
    page: 'hardship/hardship',
    also: [{ path: '/hardship/{id}', title: '困难职工档案', page: 'hardship/hardship-detail' }],
    show: (u) => hasDuty(u, 'hardship'),
  },
  {
    group: '困难帮扶',
    label: '年度复核',
    path: '/hardship-reviews',
    icon: 'refresh',
    page: 'hardship/hardship-reviews',
    show: (u) => hasDuty(u, 'hardship'),
  },
  {
    group: '困难帮扶',
    label: '帮扶救助',
    path: '/aid',
    icon: 'inbox',
    page: 'aid/aid',
    show: (u) => hasDuty(u, 'hardship'),
  },
  {
    group: '困难帮扶',
    label: '医疗互助',
    path: '/mutual-aid',
    icon: 'card',
    page: 'mutual_aid/mutual-aid',
    show: (u) => hasDuty(u, 'hardship'),
  },
];

// The answer GET /api/v1/menu would give this user: {items: […]}.
export function fallbackMenu(user) {
  return { items: ENTRIES.filter((e) => e.show(user)).map(({ show: _show, ...e }) => e) };
}
