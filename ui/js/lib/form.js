// form.js — forms from a field list, reading them back, showing the server's
// error message next to the field it names (error.field), and the dialog
// around a form that sends it (formDialog).
import { h } from './dom.js';
import { openDialog, busy, toast } from './ui.js';

let uid = 0;

// field({name, label, type, required, options, value, placeholder, maxlength, hint, autocomplete, inputmode, pattern})
// → a .field block: label, control, hint, and an (empty) error slot.
// type: text (default) | password | tel | number | date | textarea | select | checkboxes.
// options (select/checkboxes): [[value, label], …].
export function field(spec) {
  const id = `f${++uid}-${spec.name}`;
  let control;
  const common = {
    id,
    name: spec.name,
    required: spec.required || null,
    placeholder: spec.placeholder,
    maxlength: spec.maxlength,
    autocomplete: spec.autocomplete,
    inputmode: spec.inputmode,
    disabled: spec.disabled,
    'aria-describedby': `${id}-err`,
  };
  if (spec.type === 'select') {
    control = h(
      'select',
      common,
      spec.empty !== undefined ? h('option', { value: '' }, spec.empty) : null,
      (spec.options || []).map(([v, l]) =>
        h('option', { value: v, selected: String(spec.value ?? '') === String(v) }, l),
      ),
    );
  } else if (spec.type === 'textarea') {
    control = h('textarea', { ...common, rows: spec.rows || 3, value: spec.value ?? '' });
  } else if (spec.type === 'checkboxes') {
    const chosen = new Set(spec.value || []);
    control = h(
      'div',
      {
        class: 'checks',
        id,
        role: 'group',
        'aria-describedby': `${id}-err`,
        dataset: { name: spec.name, kind: 'checkboxes' },
      },
      (spec.options || []).map(([v, l]) =>
        h(
          'label',
          { class: 'check' },
          h('input', { type: 'checkbox', name: spec.name, value: v, checked: chosen.has(v) }),
          l,
        ),
      ),
    );
  } else {
    control = h('input', { ...common, type: spec.type || 'text', value: spec.value ?? '', pattern: spec.pattern });
  }
  return h(
    'div',
    { class: ['field', spec.required && 'is-required', spec.wide && 'field-wide'], dataset: { field: spec.name } },
    h(
      spec.type === 'checkboxes' ? 'span' : 'label',
      { class: 'field-label', for: spec.type === 'checkboxes' ? null : id },
      spec.label,
    ),
    control,
    spec.hint ? h('div', { class: 'field-hint' }, spec.hint) : null,
    h('div', { class: 'field-error', id: `${id}-err`, 'aria-live': 'polite' }),
  );
}

// form({id, fields: [spec…], onSubmit(values, formEl), className}) → <form>
// with a form-level error slot at the top. onSubmit runs on submit (Enter works).
export function form({ id, fields, onSubmit, className = 'form-grid' }) {
  const el = h(
    'form',
    { id, class: className, novalidate: true },
    h('div', { class: 'form-error', role: 'alert', hidden: true }),
    fields.map((f) => (f instanceof Node ? f : field(f))),
  );
  if (onSubmit) {
    el.addEventListener('submit', (ev) => {
      ev.preventDefault();
      clearErrors(el);
      onSubmit(readForm(el), el);
    });
  }
  return el;
}

// The form's values: strings trimmed, checkbox groups as arrays, disabled
// controls skipped.
export function readForm(formEl) {
  const out = {};
  for (const c of formEl.elements) {
    if (!c.name || c.disabled) continue;
    if (c.type === 'checkbox') {
      if (!out[c.name]) out[c.name] = [];
      if (c.checked) out[c.name].push(c.value);
    } else if (c.type === 'radio') {
      if (c.checked) out[c.name] = c.value;
    } else if (c.tagName !== 'BUTTON') {
      out[c.name] = c.type === 'password' ? c.value : c.value.trim();
    }
  }
  return out;
}

// Empty strings → null for the named keys (optional fields the API accepts as null).
export function nullIfEmpty(values, keys) {
  const out = { ...values };
  for (const k of keys) if (out[k] === '') out[k] = null;
  return out;
}

export function clearErrors(formEl) {
  for (const f of formEl.querySelectorAll('.field.has-error')) f.classList.remove('has-error');
  for (const e of formEl.querySelectorAll('.field-error')) e.textContent = '';
  for (const c of formEl.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  const top = formEl.querySelector('.form-error');
  if (top) {
    top.textContent = '';
    top.hidden = true;
  }
}

// Show err (an ApiError or any Error) on the form: next to the field named by
// err.field when the form has it (aliases maps server field → form field),
// otherwise at the top. Focuses the field. Returns true when a field took it.
export function showError(formEl, err, aliases = {}) {
  const name = err && err.field ? aliases[err.field] || err.field : null;
  const box = name ? formEl.querySelector(`.field[data-field="${CSS.escape(name)}"]`) : null;
  const message = (err && err.message) || '操作失败，请稍后重试';
  if (box) {
    box.classList.add('has-error');
    box.querySelector('.field-error').textContent = message;
    // A field whose value sits in a hidden input (a picker) names the control
    // to focus with data-error-focus.
    const control =
      box.querySelector('[data-error-focus]') ||
      box.querySelector(`[name="${CSS.escape(name)}"]`) ||
      box.querySelector('input, select, textarea');
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.focus();
    }
    return true;
  }
  const top = formEl.querySelector('.form-error');
  if (top) {
    top.textContent = message;
    top.hidden = false;
  }
  return false;
}

// Client-side check of required fields before a round trip: every empty
// one is marked at once (like a server error at its field), and the first
// takes the focus. Returns true when all are filled.
export function checkRequired(formEl) {
  let first = null;
  for (const box of formEl.querySelectorAll('.field.is-required')) {
    const c =
      box.querySelector(`[name="${CSS.escape(box.dataset.field)}"]`) || box.querySelector('input, select, textarea');
    if (c && !c.disabled && !c.value.trim()) {
      const lbl = box.querySelector('.field-label').textContent;
      const verb = c.tagName === 'SELECT' || c.type === 'hidden' || c.type === 'file' ? '选择' : '填写';
      showError(formEl, { field: box.dataset.field, message: `请${verb}“${lbl}”` });
      first = first || box;
    }
  }
  if (first) focusField(first);
  return !first;
}

// Focus the control of a .field block (the one named by data-error-focus
// when its value sits in a hidden input).
export function focusField(box) {
  const c =
    box.querySelector('[data-error-focus]') ||
    box.querySelector(`[name="${CSS.escape(box.dataset.field)}"]:not([type=hidden])`) ||
    box.querySelector('input:not([type=hidden]), select, textarea, button');
  if (c) c.focus();
}

// An error about one field, thrown from a formDialog's submit for a check the
// page makes itself: throw fieldError('confirm', '两次输入的新密码不一致').
export function fieldError(field, message) {
  return Object.assign(new Error(message), { field });
}

// A dialog around a form that sends it: open → the user submits → required
// fields checked → the submit button busy → submit(values, formEl) (calls the
// API) → the dialog closes, a success toast, after() (refresh a table,
// navigate); or the error shown at its field (aliases: server field → form
// field, or a function of the error giving them) or at the top of the form,
// the dialog staying open.
//   formDialog({title, fields, submit, success: '已保存' | (result, values) => text,
//               after(result, values), onError(err, formEl), submitText = '保存',
//               busyText = '保存中…', cancelText = '取消', danger, wide, className,
//               id, focus: 'field name', intro: nodes shown above the form})
//   → {form, dialog}
// submit may throw fieldError(…) for its own checks, and may return false
// for "nothing to send" (the dialog closes quietly).
let dialogSeq = 0;
export function formDialog({
  title,
  fields,
  submit,
  success,
  after,
  onError,
  aliases,
  submitText = '保存',
  busyText = '保存中…',
  cancelText = '取消',
  intro,
  danger = false,
  wide = false,
  className,
  id = `form-dialog-${++dialogSeq}`,
  focus,
}) {
  const el = form({
    id,
    className,
    fields,
    onSubmit: async (values, fe) => {
      if (!checkRequired(fe)) return;
      const btn = dialog.footer.querySelector('[type=submit]');
      busy(btn, true, busyText);
      let result;
      try {
        result = await submit(values, fe);
      } catch (e) {
        if (e && e.name === 'AbortError') return;
        showError(fe, e, typeof aliases === 'function' ? aliases(e) : aliases);
        if (onError) onError(e, fe);
        return;
      } finally {
        busy(btn, false);
      }
      if (result === false) return dialog.close(false);
      dialog.close(result ?? true);
      const text = typeof success === 'function' ? success(result, values) : success;
      if (text) toast(text, 'success');
      if (after) {
        try {
          await after(result, values);
        } catch (e) {
          if (!e || e.name !== 'AbortError') toast(e.message, 'error');
        }
      }
    },
  });
  const dialog = openDialog({
    title,
    wide,
    body: intro ? [intro, el] : el,
    actions: [
      { text: cancelText, value: false },
      { text: submitText, kind: danger ? 'danger' : 'primary', type: 'submit', form: id },
    ],
  });
  if (focus) el.elements[focus].focus();
  return { form: el, dialog };
}
