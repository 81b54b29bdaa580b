// ui.js — toast messages, modal dialogs and the confirm dialog, built on the
// native <dialog> element (it traps focus, closes on Esc and sits above the page).
import { h, icon } from './dom.js';

let toastBox = null;

// toast('已保存', 'success'); type: info | success | error; ms: how long it stays.
export function toast(message, type = 'info', ms = type === 'error' ? 5000 : 2600) {
  if (!toastBox || !toastBox.isConnected) {
    toastBox = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(toastBox);
  }
  const t = h('div', { class: ['toast', `toast-${type}`] }, message);
  toastBox.append(t);
  setTimeout(() => {
    t.classList.add('toast-out');
    setTimeout(() => t.remove(), 300);
  }, ms);
  return t;
}

// openDialog({title, body, actions, wide}) → {el, body, close(result), closed: Promise}.
// actions: [{text, kind: 'primary'|'danger'|'', onClick(dialog) | value}] — an
// action without onClick closes the dialog with its value.
export function openDialog({ title, body, actions = [], wide = false, onClose }) {
  let resolveClosed;
  const closed = new Promise((r) => {
    resolveClosed = r;
  });
  let result;
  const dlg = h('dialog', { class: ['dialog', wide && 'dialog-wide'], 'aria-label': title });
  const close = (value) => {
    result = value;
    if (dlg.open) dlg.close();
  };
  const footer = h(
    'div',
    { class: 'dialog-foot' },
    actions.map((a) =>
      h(
        'button',
        {
          type: a.type || 'button',
          form: a.form,
          class: ['btn', a.kind && `btn-${a.kind}`],
          onclick: a.onClick ? () => a.onClick(api) : a.type === 'submit' ? null : () => close(a.value),
        },
        a.text,
      ),
    ),
  );
  const bodyEl = h('div', { class: 'dialog-body' }, body);
  dlg.append(
    h(
      'div',
      { class: 'dialog-head' },
      h('h2', { class: 'dialog-title' }, title),
      h(
        'button',
        { type: 'button', class: 'icon-btn', 'aria-label': '关闭', onclick: () => close(undefined) },
        icon('close'),
      ),
    ),
    bodyEl,
    actions.length ? footer : null,
  );
  dlg.addEventListener('close', () => {
    dlg.remove();
    if (onClose) onClose(result);
    resolveClosed(result);
  });
  // A click on the backdrop (outside the box) closes, as people expect.
  dlg.addEventListener('mousedown', (ev) => {
    if (ev.target === dlg) {
      const r = dlg.getBoundingClientRect();
      const inside = ev.clientX >= r.left && ev.clientX <= r.right && ev.clientY >= r.top && ev.clientY <= r.bottom;
      if (!inside) close(undefined);
    }
  });
  document.body.append(dlg);
  dlg.showModal();
  const api = { el: dlg, body: bodyEl, footer, close, closed };
  return api;
}

// await confirmDialog({title: '删除组织', message: '确定删除…？', okText: '删除', danger: true}) → true/false
export async function confirmDialog({
  title = '请确认',
  message,
  okText = '确定',
  cancelText = '取消',
  danger = false,
}) {
  const d = openDialog({
    title,
    body: h('p', { class: 'confirm-text' }, message),
    actions: [
      { text: cancelText, value: false },
      { text: okText, kind: danger ? 'danger' : 'primary', value: true },
    ],
  });
  // Focus the safe choice first.
  d.footer.querySelector('button').focus();
  return (await d.closed) === true;
}

// Set a button busy (disabled, with a label such as '保存中…') and restore it
// (with its icon, when it had one).
const busyKids = new WeakMap();
export function busy(button, on, text) {
  if (!button) return;
  if (on) {
    if (!busyKids.has(button)) busyKids.set(button, Array.from(button.childNodes));
    button.dataset.label = button.textContent;
    button.disabled = true;
    if (text) button.textContent = text;
  } else {
    button.disabled = false;
    const kids = busyKids.get(button);
    if (kids) button.replaceChildren(...kids);
    else if (button.dataset.label !== undefined) button.textContent = button.dataset.label;
    busyKids.delete(button);
    delete button.dataset.label;
  }
}

// A small coloured tag: tag('市级'), tag('已停用', 'gray').
export function tag(text, tone = '') {
  return h('span', { class: ['tag', tone && `tag-${tone}`] }, text);
}

// The title row of a console page: pageHeader({title, desc, actions: [nodes]}).
export function pageHeader({ title, desc, actions }) {
  return h(
    'div',
    { class: 'c-page-head' },
    h('div', h('h1', { class: 'c-page-title' }, title), desc ? h('p', { class: 'c-page-desc' }, desc) : null),
    actions ? h('div', { class: 'detail-actions' }, actions) : null,
  );
}

// A bordered white block with an optional title row: panel('下属组织', child…).
// With a title it is a region named by it (for screen readers and tests).
let panelSeq = 0;
export function panel(title, ...children) {
  const id = title ? `panel-${++panelSeq}` : null;
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': id },
    title ? h('h2', { class: 'panel-title', id }, title) : null,
    children,
  );
}

// A row of toggle buttons choosing one value (tabs over a list):
// segmented({label: '审核状态', options: [['pending', '待审核'], …], value, onChange(v)})
// → element with .set(value).
export function segmented({ label, options, value, onChange }) {
  let current = value;
  const buttons = options.map(([v, text]) =>
    h(
      'button',
      {
        type: 'button',
        class: 'seg-btn',
        'aria-pressed': String(v === current),
        dataset: { value: v },
        onclick: () => {
          if (v === current) return;
          el.set(v);
          if (onChange) onChange(v);
        },
      },
      text,
    ),
  );
  const el = h('div', { class: 'segmented', role: 'group', 'aria-label': label }, buttons);
  el.set = (v) => {
    current = v;
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.value === v));
  };
  return el;
}

// A progress bar: progressBar({label}) → element with .set(done, total, text).
// Without a total it shows an indeterminate stripe.
export function progressBar({ label = '进度' } = {}) {
  const fill = h('div', { class: 'progress-fill' });
  const bar = h(
    'div',
    { class: 'progress', role: 'progressbar', 'aria-label': label, 'aria-valuemin': '0', 'aria-valuemax': '100' },
    fill,
  );
  const text = h('div', { class: 'progress-text', 'aria-live': 'polite' });
  const el = h('div', { class: 'progress-box' }, bar, text);
  el.set = (done, total, caption) => {
    if (total > 0) {
      const pct = Math.max(0, Math.min(100, Math.round((done / total) * 100)));
      bar.classList.remove('is-indeterminate');
      bar.setAttribute('aria-valuenow', String(pct));
      fill.style.width = `${pct}%`;
    } else {
      bar.classList.add('is-indeterminate');
      bar.removeAttribute('aria-valuenow');
      fill.style.width = '';
    }
    text.textContent = caption || '';
  };
  return el;
}
