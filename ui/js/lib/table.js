// table.js — the console's list view: a search form over a table with
// server-side pagination ({items, total, page, per_page} from the API), and
// the loading, empty ("暂无数据") and error states. On phones each row turns
// into a card whose cells carry their column title.
import { h, mount, icon } from './dom.js';
import { field, readForm } from './form.js';
import { download } from './download.js';
import { toast, busy } from './ui.js';

// createTable({
//   columns: [{key, title, render?(row) → Node|string, width?, align?, nowrap?}],
//   search:  [field specs for form.js (text/select/date …) or ready .field
//            nodes such as orgPicker()] (optional),
//   fetch:   async (params, signal) → {items, total, total_exact?, page, per_page};
//            params = {...search values, page, per_page},
//   perPage: 20, toolbar: [nodes shown right of the title/search buttons],
//   initial: {search values}, empty: '暂无数据', caption: accessible name,
//   exportXlsx: {path, filename, query?(filters) → params} (optional): a
//            导出 Excel button that downloads exactly the rows the filters
//            select (every page): GET path?<same filters>&format=xlsx,
// }) → {el, reload(), refresh() (same page), setFilters(values), params()}
export function createTable(opts) {
  const columns = opts.columns;
  const perPageChoices = [10, 20, 50, 100];
  const state = { page: 1, per_page: opts.perPage || 20, filters: { ...(opts.initial || {}) }, total: 0 };
  let controller = null;

  const form = opts.search && opts.search.length ? buildSearch() : null;
  const exportBtn = opts.exportXlsx ? exportButton(opts.exportXlsx) : null;
  const toolbar = [...(opts.toolbar || []), exportBtn].filter(Boolean);
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'table' },
    opts.caption ? h('caption', { class: 'sr-only' }, opts.caption) : null,
    h(
      'thead',
      h(
        'tr',
        columns.map((c) =>
          h(
            'th',
            { scope: 'col', style: c.width ? { width: c.width } : null, class: c.align && `t-${c.align}` },
            c.title,
          ),
        ),
      ),
    ),
    tbody,
  );
  const status = h('div', { class: 'table-status', 'aria-live': 'polite' });
  const pager = h('nav', { class: 'pager', 'aria-label': '分页' });
  const wrap = h('div', { class: 'table-wrap' }, table, status);
  const el = h(
    'div',
    { class: 'data-table' },
    form,
    toolbar.length ? h('div', { class: 'table-toolbar' }, toolbar) : null,
    wrap,
    pager,
  );

  function buildSearch() {
    // On phones only the first two filters show until 更多筛选 is pressed.
    const fields = opts.search.map((s, i) => {
      // A ready-made field (e.g. orgPicker()) may stand in for a spec.
      const fe = s instanceof Node ? s : field({ ...s, value: (opts.initial || {})[s.name] ?? s.value });
      if (i >= 2) fe.classList.add('search-extra');
      return fe;
    });
    const more =
      opts.search.length > 2
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn btn-text search-more',
              'aria-expanded': 'false',
              onclick: () => {
                const open = f.classList.toggle('is-expanded');
                more.setAttribute('aria-expanded', String(open));
                more.textContent = open ? '收起筛选' : '更多筛选';
              },
            },
            '更多筛选',
          )
        : null;
    const f = h(
      'form',
      { class: 'search-form', role: 'search', novalidate: true },
      fields,
      h(
        'div',
        { class: 'search-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, icon('search', 16), '查询'),
        h('button', { type: 'reset', class: 'btn' }, '重置'),
        more,
      ),
    );
    f.addEventListener('submit', (ev) => {
      ev.preventDefault();
      state.filters = readForm(f);
      state.page = 1;
      load();
    });
    f.addEventListener('reset', () => {
      // Let the browser reset the controls first, then search with them.
      setTimeout(() => {
        state.filters = readForm(f);
        state.page = 1;
        load();
      });
    });
    return f;
  }

  // 导出 Excel: the filters in force (as searched, not as typed since), all pages.
  function exportButton({ path, filename, query }) {
    const btn = h(
      'button',
      {
        type: 'button',
        class: 'btn table-export',
        title: '按当前筛选条件导出全部结果',
        onclick: async () => {
          const filters = { ...state.filters };
          const q = query ? query(filters) : filters;
          busy(btn, true, '导出中…');
          try {
            const f = await download(typeof path === 'function' ? path() : path, {
              query: { ...q, format: 'xlsx' },
              filename,
            });
            toast(`已导出 ${f.name}`, 'success');
          } catch (e) {
            if (e.name !== 'AbortError') toast(`导出失败：${e.message}`, 'error');
          } finally {
            busy(btn, false);
          }
        },
      },
      icon('download', 16),
      '导出 Excel',
    );
    return btn;
  }

  function showState(kind, message, retry) {
    wrap.classList.toggle('is-loading', kind === 'loading');
    table.setAttribute('aria-busy', kind === 'loading' ? 'true' : 'false');
    if (kind === 'loading') {
      if (!tbody.firstChild)
        mount(status, h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'));
      return;
    }
    if (kind === 'empty') mount(status, h('div', { class: 'state state-empty' }, message));
    else if (kind === 'error') {
      mount(
        status,
        h(
          'div',
          { class: 'state state-error', role: 'alert' },
          h('span', `加载失败：${message}`),
          h('button', { type: 'button', class: 'btn btn-sm', onclick: retry }, icon('refresh', 14), '重试'),
        ),
      );
    } else mount(status);
  }

  async function load() {
    if (controller) controller.abort();
    controller = new AbortController();
    const mine = controller;
    showState('loading');
    const params = { ...state.filters, page: state.page, per_page: state.per_page };
    let data;
    try {
      data = await opts.fetch(params, mine.signal);
    } catch (e) {
      if (e.name === 'AbortError' || mine !== controller) return;
      mount(tbody);
      mount(pager);
      showState('error', e.message || '未知错误', load);
      return;
    }
    if (mine !== controller) return;
    const items = (data && data.items) || [];
    state.total = (data && data.total) || 0;
    // A capped count (huge lists) comes with total_exact: false: "10000+".
    state.exact = !(data && data.total_exact === false);
    // A deleted last row can leave us past the end: step back once.
    if (!items.length && state.page > 1 && state.total > 0) {
      state.page = Math.max(1, Math.ceil(state.total / state.per_page));
      return load();
    }
    mount(
      tbody,
      items.map((row) =>
        h(
          'tr',
          { onclick: opts.onRowClick ? (ev) => rowClick(ev, row) : null, class: opts.onRowClick && 'is-clickable' },
          columns.map((c) => {
            const v = c.render ? c.render(row) : row[c.key];
            return h(
              'td',
              { 'data-label': c.title, class: [c.align && `t-${c.align}`, c.nowrap && 'nowrap'] },
              v === null || v === undefined || v === '' ? '—' : v,
            );
          }),
        ),
      ),
    );
    showState(items.length ? 'ok' : 'empty', opts.empty || '暂无数据');
    renderPager();
  }

  function rowClick(ev, row) {
    if (ev.target.closest('a, button, input, select, label')) return;
    opts.onRowClick(row);
  }

  function go(page) {
    state.page = page;
    load();
  }

  function renderPager() {
    const pages = Math.max(1, Math.ceil(state.total / state.per_page));
    const p = state.page;
    const btn = (text, page, { current = false, label } = {}) =>
      h(
        'button',
        {
          type: 'button',
          class: ['pager-btn', current && 'is-current'],
          disabled: page < 1 || page > pages || (current ? true : null),
          'aria-current': current ? 'page' : null,
          'aria-label': label,
          onclick: () => go(page),
        },
        text,
      );
    const nums = [];
    // With a capped total the last page is unknown: no jump to it.
    const want = new Set(
      [1, state.exact ? pages : 1, p - 1, p, p + 1, p - 2, p + 2].filter((n) => n >= 1 && n <= pages),
    );
    let last = 0;
    for (const n of [...want].sort((a, b) => a - b)) {
      if (n - last > 1) nums.push(h('span', { class: 'pager-gap' }, '…'));
      nums.push(btn(String(n), n, { current: n === p, label: `第 ${n} 页` }));
      last = n;
    }
    const sizeSel = h(
      'select',
      {
        class: 'pager-size',
        'aria-label': '每页条数',
        onchange: (ev) => {
          state.per_page = Number(ev.target.value);
          go(1);
        },
      },
      perPageChoices.map((n) => h('option', { value: n, selected: n === state.per_page }, `${n} 条/页`)),
    );
    mount(
      pager,
      h('span', { class: 'pager-total' }, `共 ${state.total}${state.exact ? '' : '+'} 条`),
      h(
        'div',
        { class: 'pager-pages' },
        btn(icon('chevronLeft', 16), p - 1, { label: '上一页' }),
        nums,
        btn(icon('chevronRight', 16), p + 1, { label: '下一页' }),
      ),
      sizeSel,
    );
    pager.hidden = state.total === 0;
  }

  load();
  return {
    el,
    reload() {
      state.page = 1;
      return load();
    },
    refresh: () => load(),
    setFilters(values) {
      state.filters = { ...values };
      state.page = 1;
      if (form) for (const [k, v] of Object.entries(values)) if (form.elements[k]) form.elements[k].value = v;
      return load();
    },
    params: () => ({ ...state.filters, page: state.page, per_page: state.per_page }),
  };
}
