// enterprise-detail.js — one enterprise (#/enterprises/{id}): its record with
// the bank account masked (查看完整 asks a reason and is audited; the full
// number shows in the dialog only), 编辑 for the finance duty, and below the
// union fees it paid and the refunds it was given.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { href } from '../../lib/router.js';
import {
  INDUSTRIES,
  PAYMENT_KINDS,
  LINE_STATUS,
  LINE_STATUS_TONE,
  label,
  fmtTime,
  fmtYuan,
  yesNo,
  periodLabel,
} from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { revealDialog } from '../../lib/reveal.js';
import { toast, tag, panel } from '../../lib/ui.js';
import { enterpriseDialog } from './enterprises.js';

const money = (fen) => h('span', { class: 'num' }, fmtYuan(fen));

// Columns of a payments table (shared with the enterprise's own page).
export function paymentColumns({ withEnterprise = false } = {}) {
  return [
    withEnterprise
      ? {
          key: 'enterprise_name',
          title: '企业',
          render: (p) => h('a', { href: href('/enterprises/{id}', { id: p.enterprise_id }) }, p.enterprise_name),
        }
      : null,
    { key: 'month', title: '所属期', nowrap: true },
    { key: 'kind', title: '类型', nowrap: true, render: (p) => label(PAYMENT_KINDS, p.kind) },
    { key: 'payroll_fen', title: '工资总额（元）', align: 'right', nowrap: true, render: (p) => money(p.payroll_fen) },
    { key: 'amount_fen', title: '缴纳金额（元）', align: 'right', nowrap: true, render: (p) => money(p.amount_fen) },
    { key: 'paid_on', title: '缴款日期', nowrap: true },
    {
      key: 'flagged',
      title: '核对',
      render: (p) =>
        p.flagged
          ? h(
              'span',
              { class: 'status-cell' },
              tag('待核', 'orange'),
              p.flag_reason ? h('span', { class: 'cell-sub' }, p.flag_reason) : null,
            )
          : tag('相符', 'green'),
    },
  ].filter(Boolean);
}

// Columns of an enterprise's refunds.
export function refundColumns({ linkRuns = true } = {}) {
  return [
    {
      key: 'period',
      title: '返还期间',
      nowrap: true,
      render: (l) =>
        linkRuns
          ? h('a', { href: href('/refunds/{id}', { id: l.run_id }) }, periodLabel(l.period))
          : periodLabel(l.period),
    },
    {
      key: 'fee_fen',
      title: '计入的工会经费（元）',
      align: 'right',
      nowrap: true,
      // what is summed: the fees of these months, less what was refunded before
      render: (l) =>
        l.months_from && l.months_to
          ? h(
              'span',
              money(l.fee_fen),
              h('div', { class: 'muted small' }, `${l.months_from} 至 ${l.months_to} 所属期，扣除已返还部分`),
            )
          : money(l.fee_fen),
    },
    { key: 'prep_fen', title: '建会筹备金（元）', align: 'right', nowrap: true, render: (l) => money(l.prep_fen) },
    {
      key: 'amount_fen',
      title: '返还金额（元）',
      align: 'right',
      nowrap: true,
      render: (l) => h('strong', { class: 'num' }, fmtYuan(l.amount_fen)),
    },
    {
      key: 'status',
      title: '状态',
      nowrap: true,
      render: (l) =>
        h(
          'span',
          { class: 'status-cell' },
          tag(label(LINE_STATUS, l.status), LINE_STATUS_TONE[l.status]),
          l.status === 'failed' && l.fail_reason ? h('span', { class: 'cell-sub' }, l.fail_reason) : null,
        ),
    },
    { key: 'paid_on', title: '付款日期', nowrap: true },
    {
      key: 'account_masked',
      title: '收款账号',
      nowrap: true,
      render: (l) => (l.account_masked ? h('span', { class: 'mono' }, l.account_masked) : ''),
    },
  ];
}

export default async function enterpriseDetail(ctx) {
  const me = currentUser();
  const canEdit = hasDuty(me, 'finance');
  const id = Number(ctx.params.id);
  const body = h(
    'div',
    h(
      'div',
      { class: 'panel' },
      h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'),
    ),
  );
  const el = h(
    'div',
    h('a', { class: 'back-link', href: '#/enterprises' }, icon('arrowLeft', 16), '返回企业名录'),
    body,
  );
  let en = null;

  async function load() {
    try {
      en = await api.get(`/api/v1/enterprises/${id}`, undefined, { signal: ctx.signal });
    } catch (e) {
      if (e.name === 'AbortError') return;
      mount(
        body,
        h(
          'div',
          { class: 'panel' },
          h(
            'div',
            { class: 'state state-error', role: 'alert' },
            e.status === 404 ? '该企业不存在或不在您的管辖范围内。' : `加载失败：${e.message}`,
          ),
        ),
      );
      return;
    }
    render();
  }

  function account() {
    if (!en.account_masked) return '未登记';
    return h(
      'span',
      { class: 'sensitive' },
      h('span', { class: 'mono' }, en.account_masked),
      canEdit
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn btn-text btn-sm',
              'aria-label': '查看完整银行账号',
              onclick: () =>
                revealDialog({
                  what: '银行账号',
                  masked: en.account_masked,
                  reveal: async (reason) => (await api.post(`/api/v1/enterprises/${id}/reveal`, { reason })).value,
                }),
            },
            icon('eye', 14),
            '查看完整',
          )
        : null,
    );
  }

  function render() {
    const row = (k, v) => h('div', h('dt', k), h('dd', v === null || v === undefined || v === '' ? '—' : v));
    const actions = canEdit
      ? [
          h(
            'button',
            {
              type: 'button',
              class: 'btn',
              onclick: async () => {
                const saved = await enterpriseDialog({ en });
                if (saved) {
                  en = saved;
                  toast('已保存', 'success');
                  render();
                }
              },
            },
            icon('edit', 16),
            '编辑',
          ),
        ]
      : null;
    const payments = createTable({
      caption: '经费缴纳记录',
      perPage: 10,
      columns: paymentColumns(),
      empty: '暂无缴纳记录',
      fetch: (p, signal) => api.get('/api/v1/fee-payments', { ...p, enterprise_id: id }, { signal }),
    });
    const refunds = createTable({
      caption: '经费返还记录',
      perPage: 10,
      columns: refundColumns(),
      empty: '暂无返还记录',
      fetch: (p, signal) => api.get(`/api/v1/enterprises/${id}/refunds`, p, { signal }),
    });
    mount(
      body,
      h(
        'section',
        { class: 'panel', 'aria-label': '企业档案' },
        h(
          'div',
          { class: 'detail-head' },
          h(
            'div',
            h('h1', { class: 'detail-title' }, en.name),
            h(
              'div',
              { class: 'detail-tags' },
              en.has_union ? tag('已建会', 'green') : tag('未建会', 'gray'),
              en.small_scale ? tag('小规模纳税人', 'blue') : null,
              en.industry ? tag(label(INDUSTRIES, en.industry)) : null,
            ),
          ),
          actions ? h('div', { class: 'detail-actions' }, actions) : null,
        ),
        h(
          'dl',
          { class: 'kv kv-wide' },
          row('统一社会信用代码', h('span', { class: 'mono' }, en.uscc)),
          row('企业名称', en.name),
          row('行政区划代码', h('span', { class: 'mono' }, en.region_code)),
          row('行业门类', en.industry ? `${en.industry} ${label(INDUSTRIES, en.industry)}` : ''),
          row('从业人数', en.headcount === null ? '' : String(en.headcount)),
          row('年营业收入', en.annual_revenue_fen === null ? '' : `${fmtYuan(en.annual_revenue_fen)} 元`),
          row('小规模纳税人', yesNo(en.small_scale)),
          row('负责的工会', en.org_name),
          row('企业工会', en.union_org_name || '未建会'),
          row('建会日期', en.union_founded_on),
          row('开户银行', en.bank_name),
          row('账户名称', en.account_name),
          row('银行账号', account()),
          row('联系人', en.contact_name),
          row('联系电话', en.contact_phone),
          row('登记时间', fmtTime(en.created_at)),
          row('更新时间', fmtTime(en.updated_at)),
        ),
      ),
      panel('经费缴纳记录', payments.el),
      panel('经费返还记录', refunds.el),
    );
  }

  await load();
  return { el };
}
