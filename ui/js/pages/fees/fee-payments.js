// fee-payments.js — 经费缴纳: union fees (2% of payroll) and preparatory fees
// paid by the enterprises in scope, as imported from the tax department's
// collection files; filtered by union, months and 待核 (amount ≠ 2% of the
// payroll). The finance duty goes on to 导入缴费.
import { h, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { createTable } from '../../lib/table.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { pageHeader } from '../../lib/ui.js';
import { paymentColumns } from '../enterprise/enterprise-detail.js';

export default function feePaymentsPage(ctx) {
  const me = currentUser();
  const canImport = hasDuty(me, 'finance');
  const initial = {};
  if (ctx.query.flagged === '1') initial.flagged = '1';
  const table = createTable({
    caption: '经费缴纳记录',
    search: [
      { name: 'from', label: '所属期起', type: 'month' },
      { name: 'to', label: '所属期止', type: 'month' },
      {
        name: 'flagged',
        label: '核对结果',
        type: 'select',
        empty: '全部',
        options: [
          ['1', '只看待核'],
          ['0', '相符'],
        ],
      },
      orgPicker({ label: '负责的工会', empty: '全部' }),
    ],
    initial,
    toolbar: canImport
      ? [h('a', { class: 'btn btn-primary', href: '#/fee-payments/import' }, icon('upload', 16), '导入缴费')]
      : null,
    columns: [
      ...paymentColumns({ withEnterprise: true }).slice(0, 1),
      { key: 'uscc', title: '统一社会信用代码', nowrap: true, render: (p) => h('span', { class: 'mono' }, p.uscc) },
      ...paymentColumns().slice(0),
    ],
    empty: '没有符合条件的缴纳记录',
    exportXlsx: { path: '/api/v1/fee-payments', filename: '经费缴纳.xlsx' },
    fetch: (p, signal) => api.get('/api/v1/fee-payments', p, { signal }),
  });
  return h(
    'div',
    pageHeader({
      title: '经费缴纳',
      desc: '企业按工资总额 2% 缴纳的工会经费和建会筹备金；金额与 2% 不符的记录标记为待核',
    }),
    table.el,
  );
}
