// reveal.js — show a sensitive value in full (an ID number, a mobile) after
// the officer gives a reason. The server audits the reveal; the value lives
// only in the dialog and is gone when the dialog closes.
import { h, mount } from './dom.js';
import { openDialog, busy } from './ui.js';
import { form, showError, checkRequired } from './form.js';

// revealDialog({what: '身份证号', masked: '3201**********123X', reveal: async (reason) → value})
export function revealDialog({ what, masked, reveal, minReason = 2 }) {
  const formId = `reveal-${Math.random().toString(36).slice(2, 8)}`;
  let value = null;
  const f = form({
    id: formId,
    className: 'form-grid form-1',
    fields: [
      h(
        'p',
        { class: 'reveal-note field-wide' },
        `查看完整${what}将记入审计日志，请填写事由。完整信息关闭窗口后即不再显示。`,
      ),
      h(
        'div',
        { class: 'reveal-masked field-wide' },
        h('span', { class: 'muted' }, `当前显示：`),
        h('span', { class: 'mono' }, masked || '—'),
      ),
      {
        name: 'reason',
        label: '事由',
        type: 'textarea',
        rows: 2,
        required: true,
        maxlength: 200,
        wide: true,
        placeholder: '如：核实会员身份、办理转会手续',
      },
    ],
    onSubmit: async (v, fe) => {
      if (!checkRequired(fe)) return;
      if (v.reason.length < minReason) return showError(fe, { field: 'reason', message: `事由至少 ${minReason} 个字` });
      const btn = d.footer.querySelector('[type=submit]');
      busy(btn, true, '查询中…');
      try {
        value = await reveal(v.reason);
      } catch (e) {
        busy(btn, false);
        showError(fe, e);
        return;
      }
      mount(
        d.body,
        h(
          'div',
          { class: 'reveal-shown' },
          h('div', { class: 'reveal-label' }, `完整${what}`),
          h(
            'div',
            { class: 'reveal-value mono', tabindex: '0' },
            value === null || value === undefined ? '未登记' : value,
          ),
          h('p', { class: 'muted' }, '本次查看已记入审计日志；关闭窗口后不再显示。'),
        ),
      );
      const close = h('button', { type: 'button', class: 'btn btn-primary', onclick: () => d.close(true) }, '完成');
      mount(d.footer, close);
      close.focus();
    },
  });
  const d = openDialog({
    title: `查看完整${what}`,
    body: f,
    actions: [
      { text: '取消', value: false },
      { text: '查看', kind: 'primary', type: 'submit', form: formId },
    ],
    onClose: () => {
      value = null;
    },
  });
  f.elements.reason.focus();
  return d;
}
