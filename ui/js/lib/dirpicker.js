// dirpicker.js — choose a union from the public directory
// (GET /api/v1/directory/orgs?q=, no log-in needed) inside a form: a search
// box, the matches as buttons (name and level), and the chosen union shown
// with a 更换 button. The id sits in a hidden input named like the field, so
// readForm(), checkRequired() and showError() treat it like any other field.
import { h, mount, icon } from './dom.js';
import { api } from './api.js';
import { LEVELS, label } from './format.js';

// dirOrgPicker({name, label, required, hint, placeholder, perPage, accept(org) → true|string})
// → .field element; .picker.value is the chosen org ({id, name, level, …}) or null.
// accept() may refuse an org by returning a reason shown on its button.
export function dirOrgPicker({
  name = 'org_id',
  label: text = '工会组织',
  required = false,
  hint,
  placeholder = '输入工会名称搜索',
  perPage = 20,
  accept,
  onChange,
} = {}) {
  const id = `dp-${Math.random().toString(36).slice(2, 8)}`;
  const hidden = h('input', { type: 'hidden', name, value: '' });
  const search = h('input', {
    id,
    type: 'search',
    placeholder,
    maxlength: 100,
    autocomplete: 'off',
    enterkeyhint: 'search',
    'aria-describedby': `${id}-err`,
    'aria-controls': `${id}-list`,
    dataset: { errorFocus: '' },
  });
  const status = h('div', { class: 'dir-status', 'aria-live': 'polite' });
  const list = h('ul', { class: 'dir-results', id: `${id}-list`, 'aria-label': '工会搜索结果' });
  const chosenBox = h('div', { class: 'dir-chosen', hidden: true });
  const finder = h(
    'div',
    { class: 'dir-finder' },
    h('div', { class: 'dir-search' }, icon('search', 16), search),
    status,
    list,
  );
  let timer = null;
  let seq = 0;
  let chosen = null;

  async function find(q) {
    const mine = ++seq;
    if (!q) {
      mount(list);
      status.textContent = '';
      return;
    }
    status.textContent = '搜索中…';
    try {
      const r = await api.get('/api/v1/directory/orgs', { q, per_page: perPage }, { noAuthRedirect: true });
      if (mine !== seq) return;
      status.textContent = !r.total
        ? `没有找到名称包含“${q}”的工会`
        : r.total > r.items.length
          ? `共 ${r.total} 个，仅显示前 ${r.items.length} 个，请输入更完整的名称`
          : `找到 ${r.total} 个`;
      mount(
        list,
        r.items.map((org) => {
          const refusal = accept ? accept(org) : true;
          const ok = refusal === true;
          return h(
            'li',
            h(
              'button',
              { type: 'button', class: 'dir-item', disabled: !ok, onclick: () => choose(org) },
              h('span', { class: 'dir-name' }, org.name),
              h(
                'span',
                { class: 'dir-meta' },
                h('span', { class: 'tag tag-red' }, label(LEVELS, org.level)),
                ok ? null : h('span', refusal),
              ),
            ),
          );
        }),
      );
    } catch (e) {
      if (mine === seq) status.textContent = `搜索失败：${e.message}`;
    }
  }

  function choose(org) {
    chosen = org;
    hidden.value = org ? String(org.id) : '';
    if (org) {
      mount(
        chosenBox,
        h(
          'div',
          { class: 'dir-chosen-text' },
          h('span', { class: 'dir-chosen-label' }, '已选择'),
          h('strong', { class: 'dir-name' }, org.name),
          h('span', { class: 'tag tag-red' }, label(LEVELS, org.level)),
        ),
        h('button', { type: 'button', class: 'btn btn-sm', onclick: () => reopen() }, '更换'),
      );
      chosenBox.hidden = false;
      finder.hidden = true;
      box.classList.remove('has-error');
      box.querySelector('.field-error').textContent = '';
    } else {
      chosenBox.hidden = true;
      finder.hidden = false;
    }
    if (onChange) onChange(org);
  }

  function reopen() {
    choose(null);
    search.focus();
    if (search.value.trim()) find(search.value.trim());
  }

  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => find(search.value.trim()), 300);
  });
  // Enter searches at once and must not submit the surrounding form.
  search.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      clearTimeout(timer);
      find(search.value.trim());
    }
  });

  const box = h(
    'div',
    { class: ['field', 'field-wide', 'dir-picker', required && 'is-required'], dataset: { field: name } },
    h('label', { class: 'field-label', for: id }, text),
    hidden,
    chosenBox,
    finder,
    hint ? h('div', { class: 'field-hint' }, hint) : null,
    h('div', { class: 'field-error', id: `${id}-err`, 'aria-live': 'polite' }),
  );
  box.picker = {
    get value() {
      return chosen;
    },
    set: choose,
  };
  return box;
}
