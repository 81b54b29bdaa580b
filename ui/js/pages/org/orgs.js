// orgs.js — 组织架构: the tree of organisations in the user's scope (children
// fetched when a node is opened), a name search with results as a flat list,
// and the selected organisation's details with its ancestors as a breadcrumb.
// Staff with the "org" duty add, edit and delete organisations here.
//
// Routes: #/orgs (the user's own org selected), #/orgs/{id}, and
// ?q=…&level=… to show search results instead of the tree. The view stays
// alive across these (router key 'orgs'), so the tree keeps what is open.
import { h, mount, clear, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { href } from '../../lib/router.js';
import { LEVELS, LEVEL_SHORT, LEVEL_ORDER, KINDS, ORG_STATUS, label, options, fmtTime } from '../../lib/format.js';
import { toast, confirmDialog, tag, pageHeader } from '../../lib/ui.js';
import { nullIfEmpty, formDialog } from '../../lib/form.js';
import { createTable } from '../../lib/table.js';

const CHILD_PAGE = 100;
const narrow = window.matchMedia('(max-width: 1023px)');

export default async function orgsPage(firstCtx) {
  const user = currentUser();
  const canEdit = hasDuty(user, 'org');
  const nodes = new Map(); // id → tree node {org, li, row, list, expanded, loaded, more}
  const names = new Map(); // id → name, for breadcrumbs (in scope and public directory)
  let roots = [];
  let scopeIds = new Set(); // ids of the top(s) of what this user may see
  let selected = null; // the org shown in the detail panel
  let detailSeq = 0;
  let childTable = null;
  let ctx = firstCtx;

  // ---- layout ------------------------------------------------------------
  const searchInput = h('input', {
    type: 'search',
    name: 'q',
    placeholder: '按组织名称搜索',
    'aria-label': '组织名称',
    maxlength: 100,
    enterkeyhint: 'search',
  });
  const searchForm = h(
    'form',
    { class: 'org-search', role: 'search', onsubmit: onSearch },
    searchInput,
    h('button', { type: 'submit', class: 'btn btn-primary' }, icon('search', 16), h('span', '搜索')),
  );
  const tree = h('ul', { class: 'tree', 'aria-label': '组织树' });
  const results = h('div', { class: 'org-results', hidden: true });
  const navBody = h('div', { class: 'org-nav-body' }, tree, results);
  const detail = h('section', { class: 'panel org-detail', 'aria-label': '组织详情', tabindex: '-1' });
  const el = h(
    'div',
    pageHeader({ title: '组织架构', desc: '本级及下级工会组织；点击组织查看详情，点击箭头展开下级' }),
    h(
      'div',
      { class: 'org-layout' },
      h('aside', { class: 'panel org-nav', 'aria-label': '组织导航' }, searchForm, navBody),
      detail,
    ),
  );

  // ---- the tree ------------------------------------------------------------
  function remember(org) {
    names.set(org.id, org.name);
    const n = nodes.get(org.id);
    if (n) {
      n.org = org;
      paintRow(n);
    }
  }

  function makeNode(org) {
    const n = { org, li: h('li'), row: h('div', { class: 'tree-row' }), list: null, expanded: false, loaded: false };
    n.li.append(n.row);
    nodes.set(org.id, n);
    names.set(org.id, org.name);
    paintRow(n);
    return n;
  }

  function paintRow(n) {
    const { org } = n;
    const hasKids = org.child_count > 0;
    const toggle = hasKids
      ? h(
          'button',
          {
            type: 'button',
            class: 'tree-toggle',
            'aria-expanded': String(n.expanded),
            'aria-label': `${n.expanded ? '收起' : '展开'}${org.name}的下级组织`,
            onclick: () => (n.expanded ? collapse(n) : expand(n)),
          },
          icon('chevronRight', 16),
        )
      : h('span', { class: 'tree-leaf', 'aria-hidden': 'true' });
    const link = h(
      'a',
      {
        class: 'tree-name',
        href: href('/orgs/{id}', { id: org.id }),
        title: org.name,
        'aria-current': selected && selected.id === org.id ? 'true' : null,
        onclick: () => {
          userPicked = true;
        },
      },
      h('span', { class: 'name' }, org.name),
      tag(label(LEVEL_SHORT, org.level), org.kind === 'industry' ? 'orange' : ''),
      org.status && org.status !== 'active' ? tag(label(ORG_STATUS, org.status), 'gray') : null,
    );
    mount(n.row, toggle, link);
    n.row.classList.toggle('is-selected', !!selected && selected.id === org.id);
    if (!hasKids && n.list) {
      n.list.remove();
      n.list = null;
      n.expanded = false;
      n.loaded = false;
    }
  }

  async function expand(n) {
    n.expanded = true;
    if (!n.list) {
      n.list = h('ul', { role: 'group', 'aria-label': `${n.org.name}的下级组织` });
      n.li.append(n.list);
    }
    n.list.hidden = false;
    paintRow(n);
    if (!n.loaded) {
      // One fetch at a time per node (a click and reveal() may both ask).
      if (!n.loading)
        n.loading = loadChildren(n, 1).finally(() => {
          n.loading = null;
        });
      await n.loading;
    }
  }

  function collapse(n) {
    n.expanded = false;
    if (n.list) n.list.hidden = true;
    paintRow(n);
  }

  async function loadChildren(n, page) {
    const note = h('li', { class: 'tree-note' }, h('span', { class: 'spinner' }), '加载中…');
    if (page === 1) mount(n.list, note);
    else n.list.append(note);
    try {
      const r = await api.get(
        `/api/v1/orgs/${n.org.id}/children`,
        { page, per_page: CHILD_PAGE },
        { signal: ctx.signal },
      );
      note.remove();
      for (const org of r.items) {
        const old = nodes.get(org.id);
        // Reuse a node already built (keeps what the user opened below it).
        const child = old && old.org.parent_id === n.org.id ? old : makeNode(org);
        child.org = org;
        paintRow(child);
        n.list.append(child.li);
      }
      n.loaded = true;
      const shown = (page - 1) * CHILD_PAGE + r.items.length;
      if (r.total > shown) {
        const more = h(
          'li',
          { class: 'tree-note' },
          h(
            'button',
            {
              type: 'button',
              class: 'btn btn-sm',
              onclick: () => {
                more.remove();
                loadChildren(n, page + 1);
              },
            },
            `加载更多（还有 ${r.total - shown} 个）`,
          ),
        );
        n.list.append(more);
      }
      if (!r.total) n.list.append(h('li', { class: 'tree-note' }, '暂无下级组织'));
    } catch (e) {
      if (e.name === 'AbortError') return;
      mount(
        note,
        h('span', `加载失败：${e.message}`),
        h('button', { type: 'button', class: 'btn btn-sm', onclick: () => loadChildren(n, page) }, '重试'),
      );
    }
  }

  // Reload a node's children (after adding or deleting below it).
  async function refreshNode(id) {
    const n = nodes.get(id);
    if (!n) return;
    try {
      remember(await api.get(`/api/v1/orgs/${id}`));
    } catch {
      /* keep what we had */
    }
    n.loaded = false;
    if (n.org.child_count > 0) await expand(n);
    else collapse(n);
  }

  // Open the tree down to org (its path lists its ancestors), so the selected
  // org is visible in it.
  async function reveal(org) {
    const ids = org.path.split('/').filter(Boolean).map(Number);
    const start = ids.findIndex((id) => scopeIds.has(id));
    if (start < 0) return;
    for (const id of ids.slice(start, -1)) {
      const n = nodes.get(id);
      if (!n) return;
      if (!n.expanded || !n.loaded) await expand(n);
    }
    const me = nodes.get(org.id);
    if (me) me.row.scrollIntoView({ block: 'nearest' });
  }

  async function loadRoots() {
    if (user.org) {
      roots = [await api.get(`/api/v1/orgs/${user.org.id}`, undefined, { signal: ctx.signal })];
    } else {
      // An admin without an org: the top of everything (ordered by path).
      const r = await api.get('/api/v1/orgs', { per_page: 100 }, { signal: ctx.signal });
      const minDepth = Math.min(...r.items.map((o) => o.depth));
      roots = r.items.filter((o) => o.depth === minDepth);
    }
    scopeIds = new Set(roots.map((o) => o.id));
    mount(
      tree,
      roots.map((o) => makeNode(o).li),
    );
    if (roots.length === 1) await expand(nodes.get(roots[0].id));
  }

  // ---- search ----------------------------------------------------------------
  function onSearch(ev) {
    ev.preventDefault();
    const q = searchInput.value.trim();
    const base = selected ? `/orgs/${selected.id}` : '/orgs';
    ctx.router.navigate(q ? `${base}?q=${encodeURIComponent(q)}` : base);
  }

  let lastSearch = null;
  async function showResults(q, level) {
    tree.hidden = true;
    results.hidden = false;
    const key = `${q}|${level}`;
    if (key === lastSearch) return markResults();
    lastSearch = key;
    const what = [q && `“${q}”`, level && label(LEVELS, level)].filter(Boolean).join('，');
    const head = h(
      'div',
      { class: 'result-head' },
      h('span', { 'aria-live': 'polite' }, `搜索 ${what} …`),
      h(
        'a',
        {
          href: selected ? href('/orgs/{id}', { id: selected.id }) : '#/orgs',
          onclick: () => {
            searchInput.value = '';
          },
        },
        '返回组织树',
      ),
    );
    const list = h('ul', { class: 'result-list' });
    mount(results, head, list);
    const pageSize = 50;
    const load = async (page) => {
      try {
        const r = await api.get('/api/v1/orgs', { q, level, page, per_page: pageSize }, { signal: ctx.signal });
        head.firstChild.textContent = `${what}：共 ${r.total} 个组织`;
        for (const org of r.items) {
          names.set(org.id, org.name);
          list.append(
            h(
              'li',
              h(
                'a',
                {
                  class: 'result-item',
                  href: href('/orgs/{id}', { id: org.id }, { q, level }),
                  dataset: { id: org.id },
                  onclick: () => {
                    userPicked = true;
                  },
                },
                h('div', { class: 'result-name' }, org.name),
                h(
                  'div',
                  { class: 'result-meta' },
                  tag(label(LEVELS, org.level), 'red'),
                  tag(label(KINDS, org.kind), org.kind === 'industry' ? 'orange' : 'blue'),
                  h('span', `下级组织 ${org.child_count} 个`),
                ),
              ),
            ),
          );
        }
        if (!r.total) list.append(h('li', { class: 'state state-empty' }, '没有找到匹配的组织'));
        if (r.total > page * pageSize) {
          const more = h(
            'li',
            { class: 'tree-note' },
            h(
              'button',
              {
                type: 'button',
                class: 'btn btn-sm',
                onclick: () => {
                  more.remove();
                  load(page + 1);
                },
              },
              '加载更多',
            ),
          );
          list.append(more);
        }
        markResults();
      } catch (e) {
        if (e.name === 'AbortError') return;
        head.firstChild.textContent = `搜索失败：${e.message}`;
        lastSearch = null;
      }
    };
    await load(1);
  }

  function markResults() {
    for (const a of results.querySelectorAll('.result-item')) {
      const on = !!selected && Number(a.dataset.id) === selected.id;
      a.classList.toggle('is-selected', on);
      if (on) a.setAttribute('aria-current', 'true');
      else a.removeAttribute('aria-current');
    }
  }

  function showTree() {
    lastSearch = null;
    results.hidden = true;
    clear(results);
    tree.hidden = false;
  }

  // ---- detail --------------------------------------------------------------------
  let userPicked = false;

  async function select(id) {
    const mine = ++detailSeq;
    if (!selected || selected.id !== id)
      mount(detail, h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'));
    let org;
    try {
      org = await api.get(`/api/v1/orgs/${id}`, undefined, { signal: ctx.signal });
    } catch (e) {
      if (e.name === 'AbortError' || mine !== detailSeq) return;
      selected = null;
      mount(
        detail,
        h(
          'div',
          { class: 'empty-detail', role: 'alert' },
          e.status === 404 ? '该组织不存在或不在您的管辖范围内。' : `加载失败：${e.message}`,
        ),
      );
      return;
    }
    if (mine !== detailSeq) return;
    const prev = selected;
    selected = org;
    if (prev && nodes.get(prev.id)) paintRow(nodes.get(prev.id));
    remember(org);
    renderDetail(org);
    markResults();
    if (userPicked && narrow.matches) detail.scrollIntoView({ behavior: 'smooth', block: 'start' });
    userPicked = false;
    reveal(org).catch(() => {});
  }

  function renderDetail(org) {
    const crumbs = h('nav', { class: 'crumbs', 'aria-label': '上级组织' });
    fillCrumbs(crumbs, org);
    const isRoot = scopeIds.has(org.id);
    const actions = canEdit
      ? [
          org.status === 'active'
            ? h(
                'button',
                { type: 'button', class: 'btn btn-primary', onclick: () => addChild(org) },
                icon('plus', 16),
                '新增下级组织',
              )
            : null,
          h('button', { type: 'button', class: 'btn', onclick: () => editOrg(org) }, icon('edit', 16), '编辑'),
          isRoot
            ? null
            : h(
                'button',
                { type: 'button', class: 'btn btn-danger', onclick: () => deleteOrg(org) },
                icon('trash', 16),
                '删除',
              ),
        ]
      : [];
    const row = (k, v) => h('div', h('dt', k), h('dd', v === null || v === undefined || v === '' ? '—' : v));
    const kv = h(
      'dl',
      { class: 'kv' },
      row('简称', org.short_name),
      row('层级', label(LEVELS, org.level)),
      row('类型', label(KINDS, org.kind)),
      row('行政区划代码', org.region_code),
      row('地址', org.address),
      row('联系人', org.contact_name),
      row('联系电话', org.contact_phone),
      row('下级组织数', String(org.child_count)),
      row('状态', label(ORG_STATUS, org.status)),
      row('创建时间', fmtTime(org.created_at)),
      row('更新时间', fmtTime(org.updated_at)),
    );
    const childrenBox = h('div');
    mount(
      detail,
      crumbs,
      h(
        'div',
        { class: 'detail-head' },
        h(
          'div',
          h('h2', { class: 'detail-title' }, org.name),
          h(
            'div',
            { class: 'detail-tags' },
            tag(label(LEVELS, org.level), 'red'),
            tag(label(KINDS, org.kind), org.kind === 'industry' ? 'orange' : 'blue'),
            org.status !== 'active' ? tag(label(ORG_STATUS, org.status), 'gray') : null,
          ),
        ),
        h('div', { class: 'detail-actions' }, actions),
      ),
      kv,
      h('div', { class: 'subhead-row' }, h('h3', { class: 'subhead' }, `下级组织（${org.child_count}）`)),
      childrenBox,
    );
    childTable = null;
    if (org.child_count > 0) {
      childTable = createTable({
        caption: `${org.name}的下级组织`,
        perPage: 10,
        columns: [
          { key: 'name', title: '名称', render: (o) => h('a', { href: href('/orgs/{id}', { id: o.id }) }, o.name) },
          { key: 'level', title: '层级', nowrap: true, render: (o) => label(LEVELS, o.level) },
          { key: 'kind', title: '类型', nowrap: true, render: (o) => label(KINDS, o.kind) },
          { key: 'contact_name', title: '联系人', nowrap: true },
          { key: 'contact_phone', title: '联系电话', nowrap: true },
          { key: 'child_count', title: '下级数', align: 'right' },
        ],
        fetch: (p, signal) =>
          api.get(`/api/v1/orgs/${org.id}/children`, { page: p.page, per_page: p.per_page }, { signal }),
      });
      childrenBox.append(childTable.el);
    } else {
      childrenBox.append(h('div', { class: 'state state-empty' }, '暂无下级组织'));
    }
  }

  // Breadcrumb: the names of the org's ancestors. Those in the user's scope
  // link to their page; those above it come from the public directory.
  async function fillCrumbs(box, org) {
    const ids = org.path.split('/').filter(Boolean).map(Number).slice(0, -1);
    if (!ids.length) return;
    const start = ids.findIndex((id) => scopeIds.has(id));
    try {
      await Promise.all(
        ids.map(async (id, i) => {
          if (names.has(id)) return;
          if (start >= 0 && i >= start) {
            names.set(id, (await api.get(`/api/v1/orgs/${id}`)).name);
          } else {
            await directoryNames(i === 0 ? null : ids[i - 1]);
          }
        }),
      );
    } catch {
      /* show what we know */
    }
    const parts = [];
    ids.forEach((id, i) => {
      const n = names.get(id);
      if (!n) return;
      if (parts.length) parts.push(h('span', { class: 'sep', 'aria-hidden': 'true' }, '/'));
      parts.push(start >= 0 && i >= start ? h('a', { href: href('/orgs/{id}', { id }) }, n) : h('span', n));
    });
    mount(box, parts);
  }

  const dirLoaded = new Set();
  async function directoryNames(parentId) {
    const key = parentId || 0;
    if (dirLoaded.has(key)) return;
    dirLoaded.add(key);
    const r = await api.get('/api/v1/directory/orgs', { parent_id: parentId || '', per_page: 100 });
    for (const o of r.items) if (!names.has(o.id)) names.set(o.id, o.name);
  }

  // ---- add / edit / delete -----------------------------------------------------------
  function childLevels(parent) {
    const pr = LEVEL_ORDER.indexOf(parent.level);
    // The server has the full rule; offer the levels that can make sense.
    return LEVEL_ORDER.filter((l, i) => i > pr || (i === pr && (l === 'grassroots' || parent.kind === 'regional')));
  }

  function defaultKind(level, parent) {
    if (level === 'grassroots') return 'enterprise';
    if (level === parent.level) return 'industry';
    return 'regional';
  }

  function addChild(parent) {
    const levels = childLevels(parent);
    const pr = LEVEL_ORDER.indexOf(parent.level);
    const level0 = levels.find((l) => LEVEL_ORDER.indexOf(l) > pr) || levels[0];
    let kindTouched = false;
    const { form: f } = formDialog({
      title: `新增下级组织 · ${parent.name}`,
      wide: true,
      focus: 'name',
      fields: [
        {
          name: 'name',
          label: '名称',
          required: true,
          maxlength: 100,
          wide: true,
          placeholder: '如：南京市玄武区某某公司工会',
        },
        {
          name: 'level',
          label: '层级',
          type: 'select',
          required: true,
          options: options(LEVELS, levels),
          value: level0,
        },
        {
          name: 'kind',
          label: '类型',
          type: 'select',
          required: true,
          options: options(KINDS),
          value: defaultKind(level0, parent),
        },
        {
          name: 'region_code',
          label: '行政区划代码',
          required: true,
          maxlength: 6,
          inputmode: 'numeric',
          value: parent.region_code || '',
          hint: '6 位数字，如 320115',
        },
        { name: 'short_name', label: '简称', maxlength: 40 },
        { name: 'contact_name', label: '联系人', maxlength: 50 },
        { name: 'contact_phone', label: '联系电话', type: 'tel', maxlength: 30, inputmode: 'tel' },
        { name: 'address', label: '地址', maxlength: 200, wide: true },
      ],
      submit: (v) =>
        api.post(
          '/api/v1/orgs',
          nullIfEmpty({ ...v, parent_id: parent.id }, ['short_name', 'address', 'contact_name', 'contact_phone']),
        ),
      success: (created) => `已新增「${created.name}」`,
      after: async () => {
        await refreshNode(parent.id);
        if (selected && selected.id === parent.id) select(parent.id);
      },
    });
    const levelSel = f.elements.level;
    const kindSel = f.elements.kind;
    kindSel.addEventListener('change', () => {
      kindTouched = true;
    });
    levelSel.addEventListener('change', () => {
      if (!kindTouched) kindSel.value = defaultKind(levelSel.value, parent);
    });
  }

  function editOrg(org) {
    const editable = ['name', 'short_name', 'region_code', 'address', 'contact_name', 'contact_phone'];
    formDialog({
      title: '编辑组织信息',
      wide: true,
      focus: 'name',
      fields: [
        { name: 'name', label: '名称', required: true, maxlength: 100, wide: true, value: org.name },
        { name: 'short_name', label: '简称', maxlength: 40, value: org.short_name || '' },
        {
          name: 'region_code',
          label: '行政区划代码',
          required: true,
          maxlength: 6,
          inputmode: 'numeric',
          value: org.region_code || '',
          hint: '6 位数字',
        },
        { name: 'contact_name', label: '联系人', maxlength: 50, value: org.contact_name || '' },
        {
          name: 'contact_phone',
          label: '联系电话',
          type: 'tel',
          maxlength: 30,
          inputmode: 'tel',
          value: org.contact_phone || '',
        },
        { name: 'address', label: '地址', maxlength: 200, wide: true, value: org.address || '' },
      ],
      submit: (v) => {
        // Send only what changed.
        const body = {};
        for (const k of editable) if ((org[k] || '') !== v[k]) body[k] = v[k];
        if (!Object.keys(body).length) return false;
        return api.patch(
          `/api/v1/orgs/${org.id}`,
          nullIfEmpty(body, ['short_name', 'address', 'contact_name', 'contact_phone']),
        );
      },
      success: '已保存',
      after: (updated) => {
        remember(updated);
        if (selected && selected.id === updated.id) {
          selected = updated;
          renderDetail(updated);
        }
      },
    });
  }

  async function deleteOrg(org) {
    const ok = await confirmDialog({
      title: '删除组织',
      message: `确定删除「${org.name}」吗？删除后不可恢复。`,
      okText: '删除',
      danger: true,
    });
    if (!ok) return;
    try {
      await api.del(`/api/v1/orgs/${org.id}`);
    } catch (e) {
      toast(e.message, 'error');
      return;
    }
    toast(`已删除「${org.name}」`, 'success');
    const n = nodes.get(org.id);
    if (n) {
      n.li.remove();
      nodes.delete(org.id);
    }
    names.delete(org.id);
    lastSearch = null;
    await refreshNode(org.parent_id);
    const q = ctx.query.q || ctx.query.level ? `?${new URLSearchParams(ctx.query)}` : '';
    ctx.router.navigate(`/orgs/${org.parent_id}${q}`, { replace: true });
  }

  // ---- routing ----------------------------------------------------------------------
  async function apply(c) {
    ctx = c;
    const q = (c.query.q || '').trim();
    const level = LEVEL_ORDER.includes(c.query.level) ? c.query.level : '';
    if (document.activeElement !== searchInput) searchInput.value = q;
    if (q || level) showResults(q, level);
    else showTree();
    const id = c.params.id ? Number(c.params.id) : roots[0] && roots[0].id;
    if (!Number.isInteger(id) || id <= 0) {
      mount(detail, h('div', { class: 'empty-detail' }, '请选择一个组织。'));
      return;
    }
    await select(id);
  }

  try {
    await loadRoots();
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    mount(tree, h('li', { class: 'state state-error', role: 'alert' }, `组织树加载失败：${e.message}`));
  }
  apply(firstCtx);
  return { el, update: apply };
}
