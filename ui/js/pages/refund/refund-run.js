// refund-run.js — one refund run (#/refunds/{id}): where it stands (计算中 →
// 待审批 → 已审批 → 已完成, or 已退回), its totals and lines, and the steps
// the finance duty takes: 审批通过 or 退回 (by someone other than who started
// it — the server enforces maker/checker and we show its answer), then
// 下载银行付款文件 for the bank and 导入银行回单 with the bank's results.
import { h, mount, icon } from '../../lib/dom.js';
import { api, upload } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { href } from '../../lib/router.js';
import {
  RUN_STATUS,
  RUN_STATUS_TONE,
  LINE_STATUS,
  LINE_STATUS_TONE,
  BANK_RESULT_FIELDS,
  label,
  fmtTime,
  fmtYuan,
  fmtYuanBig,
  periodLabel,
} from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { form, showError, clearErrors, formDialog, fieldError } from '../../lib/form.js';
import { download } from '../../lib/download.js';
import { fmtBytes } from '../../lib/jobs.js';
import { stats, errorTable } from '../../lib/csvimport.js';
import { openDialog, busy, tag, panel, segmented } from '../../lib/ui.js';

const STEPS = [
  ['computing', '计算'],
  ['computed', '审批'],
  ['approved', '银行付款'],
  ['closed', '完成'],
];

const LINE_TABS = [
  ['', '全部'],
  ...['due', 'approved', 'exported', 'paid', 'failed', 'cancelled'].map((s) => [s, LINE_STATUS[s]]),
];

function steps(run) {
  const at = run.status === 'rejected' ? 1 : STEPS.findIndex(([s]) => s === run.status);
  return h(
    'ol',
    { class: 'steps', 'aria-label': '批次进度' },
    STEPS.map(([, text], i) => {
      let state = i < at ? 'is-done' : i === at ? 'is-current' : '';
      if (run.status === 'closed' && i === at) state = 'is-done';
      let caption = text;
      if (run.status === 'rejected' && i === 1) {
        state = 'is-rejected';
        caption = '已退回';
      }
      return h(
        'li',
        { class: ['step', state], 'aria-current': i === at ? 'step' : null },
        h(
          'span',
          { class: 'step-dot', 'aria-hidden': 'true' },
          state === 'is-done' ? icon('check', 14) : String(i + 1),
        ),
        h('span', { class: 'step-text' }, caption),
      );
    }),
  );
}

export default async function refundRunPage(ctx) {
  const me = currentUser();
  const canAct = hasDuty(me, 'finance');
  const id = Number(ctx.params.id);
  const body = h(
    'div',
    h(
      'div',
      { class: 'panel' },
      h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'),
    ),
  );
  const el = h('div', h('a', { class: 'back-link', href: '#/refunds' }, icon('arrowLeft', 16), '返回经费返还'), body);
  let run = null;
  let lineStatus = '';
  let lines = null;

  async function load() {
    try {
      run = await api.get(`/api/v1/refund-runs/${id}`, undefined, { signal: ctx.signal });
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
            e.status === 404 ? '该返还批次不存在或不在您的管辖范围内。' : `加载失败：${e.message}`,
          ),
        ),
      );
      return;
    }
    render();
  }

  // Lines by status, counted (one small query each) for the figures.
  async function loadCounts(box) {
    const wanted = ['approved', 'exported', 'paid', 'failed'];
    try {
      const totals = await Promise.all(
        wanted.map((s) =>
          api
            .get(`/api/v1/refund-runs/${id}/lines`, { status: s, per_page: 1 }, { signal: ctx.signal })
            .then((r) => r.total),
        ),
      );
      const by = Object.fromEntries(wanted.map((s, i) => [s, totals[i]]));
      mount(
        box,
        stats([
          [run.lines, '返还企业（户）', 'is-total'],
          [fmtYuan(run.amount_fen), '返还金额（元）'],
          [by.approved, '待付款'],
          [by.exported, '付款中'],
          [by.paid, '已付款', by.paid ? 'is-good' : ''],
          [by.failed, '付款失败', by.failed ? 'is-bad' : ''],
        ]),
      );
    } catch (e) {
      if (e.name === 'AbortError') return;
      mount(box, h('div', { class: 'state state-error' }, `统计加载失败：${e.message}`));
    }
  }

  function actions() {
    if (!canAct) return null;
    const out = [];
    if (run.status === 'computed') {
      out.push(
        h('button', { type: 'button', class: 'btn btn-primary', onclick: approve }, icon('check', 16), '审批通过'),
        h('button', { type: 'button', class: 'btn btn-danger', onclick: reject }, '退回'),
      );
    }
    // Only an approved run pays out: a closed one is paid in full (the server
    // refuses a bank file or result for it too).
    if (run.status === 'approved') {
      out.push(
        h('button', { type: 'button', class: 'btn', onclick: bankFile }, icon('download', 16), '下载银行付款文件'),
        h('button', { type: 'button', class: 'btn', onclick: bankResult }, icon('upload', 16), '导入银行回单'),
      );
    }
    return out.length ? out : null;
  }

  function render() {
    const row = (k, v) => h('div', h('dt', k), h('dd', v === null || v === undefined || v === '' ? '—' : v));
    const figures = h('div', h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '统计中…'));
    const acts = actions();
    const mine = run.prepared_by === me.id;
    const tabs = segmented({
      label: '付款状态',
      options: LINE_TABS,
      value: lineStatus,
      onChange: (v) => {
        lineStatus = v;
        lines.reload();
      },
    });
    lines = createTable({
      caption: '返还明细',
      toolbar: [tabs],
      columns: [
        {
          key: 'enterprise_name',
          title: '企业',
          render: (l) =>
            h(
              'span',
              { class: 'status-cell cell-min' },
              h('a', { href: href('/enterprises/{id}', { id: l.enterprise_id }) }, l.enterprise_name),
              h('span', { class: 'cell-sub mono' }, l.uscc),
            ),
        },
        {
          key: 'amount_fen',
          title: '返还金额（元）',
          align: 'right',
          nowrap: true,
          render: (l) =>
            h(
              'span',
              { class: 'status-cell cell-right' },
              h('strong', { class: 'num' }, fmtYuan(l.amount_fen)),
              l.prep_fen ? h('span', { class: 'cell-sub' }, `含建会筹备金 ${fmtYuan(l.prep_fen)}`) : null,
            ),
        },
        {
          key: 'account_masked',
          title: '收款账号',
          nowrap: true,
          render: (l) =>
            l.account_masked
              ? h('span', { class: 'mono' }, l.account_masked)
              : h('span', { class: 'cell-sub' }, '未登记账号'),
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
        {
          key: 'bank_ref',
          title: '参考号',
          nowrap: true,
          render: (l) => (l.bank_ref ? h('span', { class: 'mono' }, l.bank_ref) : ''),
        },
        { key: 'paid_on', title: '付款日期', nowrap: true },
      ],
      empty: '没有这一状态的返还记录',
      exportXlsx: {
        path: `/api/v1/refund-runs/${id}/lines`,
        filename: `返还明细-${run.period}.xlsx`,
        query: (f) => ({ ...f, status: lineStatus }),
      },
      fetch: (p, signal) => api.get(`/api/v1/refund-runs/${id}/lines`, { ...p, status: lineStatus }, { signal }),
    });
    mount(
      body,
      h(
        'section',
        { class: 'panel', 'aria-label': '返还批次' },
        h(
          'div',
          { class: 'detail-head' },
          h(
            'div',
            h('h1', { class: 'detail-title' }, `${run.org_name} · ${periodLabel(run.period)}返还`),
            h(
              'div',
              { class: 'detail-tags' },
              tag(label(RUN_STATUS, run.status), RUN_STATUS_TONE[run.status]),
              tag(run.period),
            ),
          ),
          acts ? h('div', { class: 'detail-actions' }, acts) : null,
        ),
        steps(run),
        run.status === 'computed' && canAct && mine
          ? h(
              'p',
              { class: 'notice notice-warn' },
              '本批次由您发起。按照“经办与审批分离”的要求，须由另一名具有财务职责的工作人员审批。',
            )
          : null,
        run.status === 'closed'
          ? h(
              'p',
              { class: 'notice notice-ok', role: 'status' },
              '本批次已完成：返还款均已付清或已取消，不再生成银行付款文件或导入银行回单。',
            )
          : null,
        run.status === 'rejected'
          ? h(
              'p',
              { class: 'notice notice-error' },
              `已退回：${run.reason || '未说明原因'}。明细已作废，相关企业可在新的批次中重新计算。`,
            )
          : null,
        h('div', { class: 'run-figures' }, figures),
        h(
          'dl',
          { class: 'kv' },
          row('返还组织', run.org_name),
          row('返还期间', `${periodLabel(run.period)}（${run.period_from} 至 ${run.period_to}）`),
          row('返还企业', `${run.lines} 户`),
          row(
            '返还金额',
            `${fmtYuan(run.amount_fen)} 元${run.amount_fen >= 1000000 ? `（${fmtYuanBig(run.amount_fen)}）` : ''}`,
          ),
          row('发起人', run.prepared_by_name),
          row('发起时间', fmtTime(run.created_at)),
          row(run.status === 'rejected' ? '退回人' : '审批人', run.approved_by_name),
          row(run.status === 'rejected' ? '退回时间' : '审批时间', fmtTime(run.approved_at)),
        ),
      ),
      panel('返还明细', lines.el),
    );
    loadCounts(figures);
  }

  function summary() {
    return h(
      'dl',
      { class: 'kv kv-1 kv-compact field-wide' },
      h('div', h('dt', '返还组织'), h('dd', run.org_name)),
      h('div', h('dt', '返还期间'), h('dd', `${periodLabel(run.period)}（${run.period}）`)),
      h('div', h('dt', '返还企业'), h('dd', `${run.lines} 户`)),
      h('div', h('dt', '返还金额'), h('dd', `${fmtYuan(run.amount_fen)} 元`)),
      h('div', h('dt', '发起人'), h('dd', run.prepared_by_name || '—')),
    );
  }

  function approve() {
    const { dialog } = formDialog({
      title: '审批返还批次',
      className: 'form-grid form-1',
      submitText: '审批通过',
      busyText: '提交中…',
      fields: [summary(), h('p', { class: 'field-wide muted' }, '审批通过后即可生成银行付款文件，向企业付款。')],
      submit: () => api.post(`/api/v1/refund-runs/${id}/approve`, {}),
      success: '已审批通过',
      after: (r) => {
        run = r;
        render();
      },
      onError: (e) => {
        if (e.code === 'run_not_computed') load();
      },
    });
    dialog.footer.querySelector('button').focus();
  }

  function reject() {
    formDialog({
      title: '退回返还批次',
      className: 'form-grid form-1',
      submitText: '确认退回',
      danger: true,
      busyText: '提交中…',
      focus: 'reason',
      fields: [
        summary(),
        {
          name: 'reason',
          label: '退回原因',
          type: 'textarea',
          rows: 3,
          required: true,
          maxlength: 200,
          wide: true,
          placeholder: '如：企业名单需复核',
        },
        h('p', { class: 'field-wide muted' }, '退回后本批次的明细作废并冲销应付款，相关企业可在新的批次中重新计算。'),
      ],
      submit: (v) => {
        if (v.reason.length < 2) throw fieldError('reason', '原因至少 2 个字');
        return api.post(`/api/v1/refund-runs/${id}/reject`, { reason: v.reason });
      },
      success: '已退回',
      after: (r) => {
        run = r;
        render();
      },
    });
  }

  function bankFile() {
    formDialog({
      title: '下载银行付款文件',
      className: 'form-grid form-1',
      submitText: '生成并下载',
      busyText: '生成中…',
      fields: [
        {
          name: 'format',
          label: '文件格式',
          type: 'select',
          options: [
            ['csv', 'CSV（银行批量代发）'],
            ['xlsx', 'Excel（.xlsx）'],
          ],
          value: 'csv',
          wide: true,
        },
        h(
          'p',
          { class: 'field-wide notice notice-warn' },
          '付款文件含企业的完整银行账号，下载将记入审计日志，请妥善保管。文件包含全部待付款和付款失败的记录；生成后这些记录标记为“付款中”，等待导入银行回单。',
        ),
      ],
      submit: (v) =>
        download(`/api/v1/refund-runs/${id}/bank-file`, {
          method: 'POST',
          query: { format: v.format },
          filename: v.format === 'xlsx' ? '返还付款文件.xlsx' : '返还付款文件.csv',
          signal: ctx.signal,
        }),
      success: (file) => `已下载 ${file.name}`,
      after: () => render(),
    });
  }

  function bankResult() {
    const inputId = `bank-result-${id}`;
    const fileInput = h('input', {
      type: 'file',
      id: inputId,
      name: 'file',
      accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      class: 'file-input',
      dataset: { errorFocus: '' },
    });
    const fileInfo = h('span', { class: 'file-info' }, '未选择文件');
    fileInput.addEventListener('change', () => {
      const file = fileInput.files[0];
      fileInfo.textContent = file ? `${file.name}（${fmtBytes(file.size)}）` : '未选择文件';
    });
    const result = h('div', { class: 'import-result' });
    const f = form({
      id: 'run-bank-result',
      className: 'form-grid form-1',
      fields: [
        h(
          'div',
          { class: 'field field-wide is-required', dataset: { field: 'file' } },
          h('span', { class: 'field-label' }, '银行回单文件（Excel 或 CSV）'),
          h(
            'div',
            { class: 'file-row' },
            h('label', { class: 'btn', for: inputId }, icon('file', 16), '选择文件'),
            fileInput,
            fileInfo,
          ),
          h(
            'div',
            { class: 'field-hint' },
            '列：参考号、结果（成功 / 失败）、原因、日期。',
            h('a', { href: '/templates/bank-result-template.csv', download: '银行回单模板.csv' }, '下载模板'),
          ),
          h('div', { class: 'field-error', 'aria-live': 'polite' }),
        ),
        result,
      ],
      onSubmit: async (v, fe) => {
        const file = fileInput.files[0];
        if (!file) return showError(fe, { field: 'file', message: '请选择银行回单文件' });
        if (!file.size) return showError(fe, { field: 'file', message: '文件是空的' });
        const btn = d.footer.querySelector('[type=submit]');
        busy(btn, true, '导入中…');
        mount(result);
        try {
          const r = await upload(`/api/v1/refund-runs/${id}/bank-result`, file, {
            contentType: 'text/csv',
            signal: ctx.signal,
          });
          clearErrors(fe);
          const tone = r.error_count ? 'error' : 'ok';
          let verdict;
          if (r.error_count) verdict = `发现 ${r.error_count} 处错误，回单未导入。请核对后重新导入。`;
          else
            verdict = `回单已导入：付款成功 ${r.paid} 笔，失败 ${r.failed} 笔${r.already_paid ? `；${r.already_paid} 笔此前已付款，未重复入账` : ''}。`;
          mount(
            result,
            h('div', { class: ['notice', `notice-${tone}`], role: tone === 'error' ? 'alert' : 'status' }, verdict),
            stats([
              [r.paid, '付款成功', r.paid ? 'is-good' : ''],
              [r.failed, '付款失败', r.failed ? 'is-bad' : ''],
              [r.already_paid, '此前已付款'],
              [r.error_count, '错误', r.error_count ? 'is-bad' : 'is-good'],
            ]),
            errorTable(r.errors, BANK_RESULT_FIELDS, { truncated: r.errors_truncated, total: r.error_count }),
          );
          changed = true;
          if (!r.error_count) {
            mount(
              d.footer,
              h('button', { type: 'button', class: 'btn btn-primary', onclick: () => d.close(true) }, '完成'),
            );
            d.footer.querySelector('button').focus();
          }
        } catch (e) {
          if (e.name === 'AbortError') return;
          showError(fe, e, { body: 'file' });
        } finally {
          busy(btn, false);
        }
      },
    });
    let changed = false;
    const d = openDialog({
      title: '导入银行回单',
      wide: true,
      body: f,
      actions: [
        { text: '关闭', value: false },
        { text: '导入', kind: 'primary', type: 'submit', form: 'run-bank-result' },
      ],
      onClose: () => {
        if (changed) load();
      },
    });
  }

  await load();
  return { el };
}
