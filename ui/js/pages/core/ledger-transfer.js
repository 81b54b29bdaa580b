// ledger-transfer.js — one ledger transfer (#/ledger/transfers/{id}): both
// sides, amount, business reference, the transfer it reverses or the one
// that reversed it, and 冲销 for the finance duty. A transfer is never
// changed; 冲销 posts the mirror image with the reason as its memo.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { href } from '../../lib/router.js';
import { TRANSFER_STATUS, REF_TYPES, label, fmtTime, fmtYuan, fmtYuanBig } from '../../lib/format.js';
import { tag } from '../../lib/ui.js';
import { chartCell, sideText } from '../../lib/accounts.js';
import { formDialog, fieldError } from '../../lib/form.js';

export default async function ledgerTransferPage(ctx) {
  const me = currentUser();
  const canReverse = hasDuty(me, 'finance');
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
    h('a', { class: 'back-link', href: '#/ledger?tab=transfers' }, icon('arrowLeft', 16), '返回记账明细'),
    body,
  );
  let t = null;
  let reversedBy = null;

  async function load() {
    try {
      t = await api.get(`/api/v1/ledger/transfers/${id}`, undefined, { signal: ctx.signal });
      // The reversal (if any) carries the same business reference.
      reversedBy = null;
      if (t.ref_type) {
        const r = await api.get(
          '/api/v1/ledger/transfers',
          { ref_type: t.ref_type, ref_id: t.ref_id || '', per_page: 100 },
          { signal: ctx.signal },
        );
        reversedBy = r.items.find((x) => x.reverses_id === t.id) || null;
      }
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
            e.status === 404 ? '该记账记录不存在或不在您的管辖范围内。' : `加载失败：${e.message}`,
          ),
        ),
      );
      return;
    }
    render();
  }

  function side(s) {
    return h('span', { class: 'status-cell' }, chartCell(s), h('span', { class: 'cell-sub' }, s.org_name));
  }

  function render() {
    const row = (k, v) => h('div', h('dt', k), h('dd', v === null || v === undefined || v === '' ? '—' : v));
    // Business postings (fee splits, refunds, subsidies) are corrected in their
    // own process; only manual entries are reversed by hand.
    const can = canReverse && t.status === 'posted' && !reversedBy && t.ref_type === 'manual';
    mount(
      body,
      h(
        'section',
        { class: 'panel', 'aria-label': '记账记录' },
        h(
          'div',
          { class: 'detail-head' },
          h(
            'div',
            h('h1', { class: 'detail-title' }, `记账记录 #${t.id}`),
            h(
              'div',
              { class: 'detail-tags' },
              tag(
                label(TRANSFER_STATUS, t.status),
                t.status === 'posted' ? 'green' : t.status === 'pending' ? 'orange' : 'gray',
              ),
              t.reverses_id ? tag('冲销记录', 'red') : null,
              reversedBy ? tag('已被冲销', 'gray') : null,
            ),
          ),
          can
            ? h(
                'div',
                { class: 'detail-actions' },
                h('button', { type: 'button', class: 'btn btn-danger', onclick: reverse }, '冲销'),
              )
            : null,
        ),
        h(
          'div',
          { class: 'xfer' },
          h('div', { class: 'xfer-side' }, h('div', { class: 'xfer-label' }, '借方'), side(t.debit)),
          h(
            'div',
            { class: 'xfer-amount' },
            h('div', { class: 'xfer-num num' }, `${fmtYuan(t.amount_fen)} 元`),
            icon('transfer', 20),
            t.amount_fen >= 1000000 ? h('div', { class: 'cell-sub' }, fmtYuanBig(t.amount_fen)) : null,
          ),
          h('div', { class: 'xfer-side' }, h('div', { class: 'xfer-label' }, '贷方'), side(t.credit)),
        ),
        h(
          'dl',
          { class: 'kv' },
          row('金额', `${fmtYuan(t.amount_fen)} 元`),
          row('记账日期', t.value_date),
          row('业务类型', label(REF_TYPES, t.ref_type)),
          row('业务编号', t.ref_id ? `#${t.ref_id}` : ''),
          row('摘要', t.memo),
          row('状态', label(TRANSFER_STATUS, t.status)),
          row(
            '冲销的原记录',
            t.reverses_id
              ? h('a', { href: href('/ledger/transfers/{id}', { id: t.reverses_id }) }, `#${t.reverses_id}`)
              : '',
          ),
          row(
            '冲销记录',
            reversedBy
              ? h(
                  'a',
                  { href: href('/ledger/transfers/{id}', { id: reversedBy.id }) },
                  `#${reversedBy.id}（${reversedBy.memo || ''}）`,
                )
              : '',
          ),
          row('记账批次', h('span', { class: 'mono small' }, t.batch_key)),
          row('序号', t.partition ? `分区 ${t.partition} 第 ${t.seq} 笔` : String(t.seq)),
          row('幂等键', h('span', { class: 'mono small' }, t.idem_key)),
          row('记账时间', fmtTime(t.created_at, { seconds: true })),
        ),
      ),
    );
  }

  function reverse() {
    formDialog({
      title: '冲销记账',
      className: 'form-grid form-1',
      submitText: '确认冲销',
      danger: true,
      busyText: '提交中…',
      focus: 'reason',
      fields: [
        h(
          'dl',
          { class: 'kv kv-1 kv-compact field-wide' },
          h('div', h('dt', '原记录'), h('dd', `#${t.id}（${t.value_date}）`)),
          h('div', h('dt', '借方'), h('dd', sideText(t.debit))),
          h('div', h('dt', '贷方'), h('dd', sideText(t.credit))),
          h('div', h('dt', '金额'), h('dd', `${fmtYuan(t.amount_fen)} 元`)),
        ),
        {
          name: 'reason',
          label: '冲销原因',
          type: 'textarea',
          rows: 3,
          required: true,
          maxlength: 200,
          wide: true,
          placeholder: '如：重复导入，予以冲销',
        },
        h(
          'p',
          { class: 'field-wide muted' },
          '冲销将记一笔借贷方向相反、金额相同的记录；原记录保留不变。每笔记录只能冲销一次，操作记入审计日志。',
        ),
      ],
      submit: (v) => {
        if (v.reason.length < 2) throw fieldError('reason', '原因至少 2 个字');
        return api.post(`/api/v1/ledger/transfers/${id}/reverse`, { reason: v.reason });
      },
      success: (r) => `已冲销，冲销记录 #${r.id}`,
      after: (r) => {
        ctx.router.navigate(`/ledger/transfers/${r.id}`);
      },
      onError: (e) => {
        if (e.code === 'already_reversed') load();
      },
    });
  }

  await load();
  return { el };
}
