// enterprisepicker.js — choose an enterprise in the user's scope inside a
// form (an enterprise account's enterprise): a filter by name or 统一社会信用代码
// over a select of the matches (GET /api/v1/enterprises?q=). The select
// carries the form field (default 'enterprise_id'); each option remembers the
// enterprise's organisation (dataset.org), which its account belongs to.
// The list loads when first shown (start()), so users who never pick an
// enterprise never ask for one.
import { h, mount } from './dom.js';
import { api } from './api.js';

// enterprisePicker({name, label, required, hint}) → .field element with .start()
export function enterprisePicker({ name = 'enterprise_id', label: text = '企业', required = false, hint } = {}) {
  const id = `ep-${Math.random().toString(36).slice(2, 8)}`;
  const filter = h('input', {
    type: 'search',
    placeholder: '企业名称或信用代码',
    'aria-label': `${text}筛选`,
    maxlength: 100,
  });
  const select = h('select', { id, name, required: required || null, 'aria-describedby': `${id}-err` });
  const info = h('div', { class: 'field-hint' }, hint || '');
  let timer = null;
  let seq = 0;
  let started = false;

  async function load(q) {
    const mine = ++seq;
    const keep = select.value;
    try {
      const r = await api.get('/api/v1/enterprises', { q, per_page: 50 });
      if (mine !== seq) return;
      mount(
        select,
        h('option', { value: '' }, r.items.length ? '请选择企业' : '没有匹配的企业'),
        r.items.map((en) =>
          h('option', { value: en.id, dataset: { org: en.org_id || '' } }, `${en.name}（${en.uscc}）`),
        ),
      );
      select.value = keep;
      if (select.value !== keep) select.value = '';
      info.textContent =
        r.total > r.items.length
          ? `共 ${r.total} 家，仅列出前 ${r.items.length} 家，请输入名称或信用代码筛选`
          : hint || '';
    } catch (e) {
      if (mine === seq) info.textContent = `企业列表加载失败：${e.message}`;
    }
  }

  filter.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => load(filter.value.trim()), 300);
  });
  filter.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      clearTimeout(timer);
      load(filter.value.trim());
    }
  });

  const el = h(
    'div',
    { class: ['field', 'field-wide', 'org-picker', required && 'is-required'], dataset: { field: name } },
    h('label', { class: 'field-label', for: id }, text),
    h('div', { class: 'org-picker-row' }, filter, select),
    info,
    h('div', { class: 'field-error', id: `${id}-err`, 'aria-live': 'polite' }),
  );
  el.start = () => {
    if (started) return;
    started = true;
    load('');
  };
  // The organisation of the chosen enterprise (its account belongs there).
  el.orgId = () => {
    const o = select.selectedOptions[0];
    return o && o.dataset.org ? Number(o.dataset.org) : null;
  };
  return el;
}
