// refunds.js — 经费返还: the refund runs (小微企业工会经费返还批次) of the
// unions in scope, newest first, with the federation's running figure on top.
// The finance duty starts a run for a union and a half-year (发起返还计算):
// the server computes it as a background job, which we follow enterprise by
// enterprise, and then opens the run for approval by another officer.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { href } from '../../lib/router.js';
import {
  RUN_STATUS,
  RUN_STATUS_TONE,
  label,
  fmtTime,
  fmtYuan,
  fmtYuanBig,
  periodLabel,
  today,
} from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { form, showError, checkRequired } from '../../lib/form.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { pollJob } from '../../lib/jobs.js';
import { openDialog, toast, busy, tag, pageHeader, progressBar } from '../../lib/ui.js';

// Half-years to choose from: the current one back to 2018, newest first.
export function periodChoices() {
  const [y, m] = today().split('-').map(Number);
  const out = [];
  for (let year = y; year >= 2018; year--) {
    for (const half of ['2', '1']) {
      if (year === y && half === '2' && m < 7) continue;
      const p = `${year}H${half}`;
      out.push([p, `${periodLabel(p)}（${p}）`]);
    }
  }
  return out;
}

// The last half-year that has ended.
function lastClosedPeriod() {
  const [y, m] = today().split('-').map(Number);
  return m >= 7 ? `${y}H1` : `${y - 1}H2`;
}

// The federation's sentence ("截至2022年底，累计为11户小微企业返还工会经费33.35万元").
export function statsBanner(signal, { link = true } = {}) {
  const box = h(
    'section',
    { class: 'panel headline', 'aria-label': '返还成效' },
    h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '统计中…'),
  );
  api
    .get('/api/v1/refund-stats', undefined, { signal })
    .then((s) => {
      const last = (s.cumulative || [])[s.cumulative.length - 1];
      mount(
        box,
        h('div', { class: 'headline-icon', 'aria-hidden': 'true' }, icon('check', 22)),
        h(
          'div',
          { class: 'headline-body' },
          h('p', { class: 'headline-text' }, s.sentence),
          last
            ? h(
                'p',
                { class: 'headline-sub' },
                `累计返还 ${last.enterprises} 户、${fmtYuan(last.amount_fen)} 元（${fmtYuanBig(last.amount_fen)}）`,
              )
            : null,
        ),
        link ? h('a', { class: 'btn', href: '#/refund-stats' }, '查看统计') : null,
      );
    })
    .catch((e) => {
      if (e.name === 'AbortError') return;
      mount(box, h('div', { class: 'state state-error' }, `统计加载失败：${e.message}`));
    });
  return box;
}

// 发起返还计算: resolves with the computed run, or null when cancelled.
function startRun(me, signal) {
  return new Promise((resolve) => {
    let result = null;
    let running = false;
    const bar = progressBar({ label: '计算进度' });
    bar.hidden = true;
    const f = form({
      id: 'run-start',
      className: 'form-grid form-1',
      fields: [
        orgPicker({ label: '返还组织', required: true, value: me.org, hint: '计算该工会及下级工会负责的全部企业' }),
        {
          name: 'period',
          label: '返还期间',
          type: 'select',
          required: true,
          options: periodChoices(),
          value: lastClosedPeriod(),
          wide: true,
          hint: '按政策规定的返还条件，计算截至该半年末应返还而尚未返还的经费',
        },
        bar,
      ],
      onSubmit: async (v, fe) => {
        if (running) return;
        if (!checkRequired(fe)) return;
        const btn = d.footer.querySelector('[type=submit]');
        busy(btn, true, '计算中…');
        running = true;
        bar.hidden = false;
        bar.set(0, 0, '已提交，等待计算…');
        try {
          const accepted = await api.post('/api/v1/refund-runs', { org_id: Number(v.org_id), period: v.period });
          const job = await pollJob(accepted.job_id, {
            signal,
            onProgress: (j) =>
              bar.set(j.done, j.total, j.total ? `正在计算：已处理 ${j.done} / ${j.total} 户企业` : '正在计算…'),
          });
          if (job.status === 'failed' || !job.result) {
            bar.hidden = true;
            showError(fe, job.error || { message: '计算失败，请稍后重试' });
            return;
          }
          bar.set(job.total || 1, job.total || 1, `计算完成：共 ${job.total} 户企业`);
          result = job.result;
          d.close(true);
        } catch (e) {
          if (e.name === 'AbortError') return;
          bar.hidden = true;
          showError(fe, e);
        } finally {
          running = false;
          busy(btn, false);
        }
      },
    });
    const d = openDialog({
      title: '发起返还计算',
      body: f,
      actions: [
        { text: '取消', value: false },
        { text: '开始计算', kind: 'primary', type: 'submit', form: 'run-start' },
      ],
      onClose: () => resolve(result),
    });
    f.querySelector('input[type=search]').focus();
  });
}

export default function refundsPage(ctx) {
  const me = currentUser();
  const canRun = hasDuty(me, 'finance');

  const table = createTable({
    caption: '返还批次',
    search: [orgPicker({ label: '返还组织', empty: '全部' })],
    toolbar: canRun
      ? [
          h(
            'button',
            {
              type: 'button',
              class: 'btn btn-primary',
              onclick: async () => {
                const run = await startRun(me, ctx.signal);
                if (!run) return;
                toast(
                  `${run.org_name} ${periodLabel(run.period)}返还计算完成：${run.lines} 户，${fmtYuan(run.amount_fen)} 元`,
                  'success',
                  4000,
                );
                ctx.router.navigate(`/refunds/${run.id}`);
              },
            },
            icon('plus', 16),
            '发起返还计算',
          ),
        ]
      : null,
    onRowClick: (r) => ctx.router.navigate(`/refunds/${r.id}`),
    columns: [
      {
        key: 'period',
        title: '返还期间',
        nowrap: true,
        render: (r) => h('a', { href: href('/refunds/{id}', { id: r.id }) }, `${periodLabel(r.period)}`),
      },
      { key: 'org_name', title: '返还组织' },
      { key: 'lines', title: '企业（户）', align: 'right', nowrap: true },
      {
        key: 'amount_fen',
        title: '返还金额（元）',
        align: 'right',
        nowrap: true,
        render: (r) => h('span', { class: 'num' }, fmtYuan(r.amount_fen)),
      },
      {
        key: 'status',
        title: '状态',
        nowrap: true,
        render: (r) => tag(label(RUN_STATUS, r.status), RUN_STATUS_TONE[r.status]),
      },
      { key: 'prepared_by_name', title: '发起人', nowrap: true },
      { key: 'approved_by_name', title: '审批人', nowrap: true },
      { key: 'created_at', title: '发起时间', nowrap: true, render: (r) => fmtTime(r.created_at) },
    ],
    empty: '暂无返还批次',
    fetch: (p, signal) => api.get('/api/v1/refund-runs', p, { signal }),
  });

  return h(
    'div',
    pageHeader({ title: '经费返还', desc: '小微企业工会经费返还：计算、审批（发起人以外的工作人员）、银行付款和回单' }),
    statsBanner(ctx.signal),
    h('div', { class: 'gap' }),
    table.el,
  );
}
