// orgpicker.js — choose an organisation from the user's scope inside a form:
// a name filter over a select listing the matches (indented by depth). The
// select carries the form field (name, default 'org_id'), so readForm() and
// showError() treat it like any other field.
import { h, mount } from './dom.js';
import { api } from './api.js';
import { LEVEL_SHORT, label } from './format.js';

// orgPicker({name, label, required, value: {id, name}|null, hint, empty}) → .field element
// empty: the text of the "nothing chosen" choice (e.g. '全部' in a search form).
export function orgPicker({
  name = 'org_id',
  label: text = '所属组织',
  required = false,
  value = null,
  hint,
  empty = '请选择',
} = {}) {
  const id = `op-${Math.random().toString(36).slice(2, 8)}`;
  const filter = h('input', {
    type: 'search',
    placeholder: '输入名称筛选',
    'aria-label': `${text}筛选`,
    maxlength: 100,
  });
  const select = h('select', { id, name, required: required || null, 'aria-describedby': `${id}-err` });
  const info = h('div', { class: 'field-hint' });
  let timer = null;
  let seq = 0;

  async function load(q) {
    const mine = ++seq;
    const keep = select.value || (value ? String(value.id) : '');
    try {
      const r = await api.get('/api/v1/orgs', { q, per_page: 100 });
      if (mine !== seq) return;
      const minDepth = r.items.length ? Math.min(...r.items.map((o) => o.depth)) : 0;
      const opts = r.items.map((o) =>
        h(
          'option',
          { value: o.id },
          `${q ? '' : '\u3000'.repeat(Math.min(o.depth - minDepth, 6))}${o.name}（${label(LEVEL_SHORT, o.level)}）`,
        ),
      );
      if (value && !r.items.some((o) => String(o.id) === String(value.id))) {
        opts.unshift(h('option', { value: value.id }, value.name));
      }
      mount(select, h('option', { value: '' }, r.items.length ? empty : '没有匹配的组织'), opts);
      select.value = keep;
      if (select.value !== keep) select.value = '';
      info.textContent =
        r.total > r.items.length ? `共 ${r.total} 个，仅列出前 ${r.items.length} 个，请输入名称筛选` : hint || '';
    } catch (e) {
      if (mine === seq) info.textContent = `组织列表加载失败：${e.message}`;
    }
  }

  filter.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => load(filter.value.trim()), 300);
  });
  // Enter in the filter must not submit the surrounding form.
  filter.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      clearTimeout(timer);
      load(filter.value.trim());
    }
  });

  if (value) mount(select, h('option', { value: value.id }, value.name));
  load('');
  return h(
    'div',
    { class: ['field', 'field-wide', 'org-picker', required && 'is-required'], dataset: { field: name } },
    h('label', { class: 'field-label', for: id }, text),
    h('div', { class: 'org-picker-row' }, filter, select),
    info,
    h('div', { class: 'field-error', id: `${id}-err`, 'aria-live': 'polite' }),
  );
}
