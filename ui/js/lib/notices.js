// notices.js — the message centre (消息中心) in the browser, for members
// (/m/notices.html, and the bell in their header) and officers (the bell in
// the console's header opens the same list in a dialog).
//
// API: GET /api/v1/me/notices?unread=&page= → {items: [{id, kind, title,
// body, link, created_at, read}], total, unread}; GET /api/v1/me/notices/unread
// → {unread}; POST /api/v1/me/notices/{id}/read and /read-all → {unread}.
// Opening a notice marks it read and follows its link.
import { h, mount } from './dom.js';
import { api } from './api.js';
import { openDialog, toast, busy } from './ui.js';
import { fmtTime } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';

// Stroke icons on the 24×24 grid of dom.js, for the bell and the member
// home's service grid.
const ICONS = {
  bell: ['M6 16V11a6 6 0 0 1 12 0v5l2 2H4z', 'M10 20a2 2 0 0 0 4 0'],
  ticket: [
    'M3 8a2 2 0 0 0 0 4v0a2 2 0 0 1 0 4v2h18v-2a2 2 0 0 1 0-4v0a2 2 0 0 0 0-4V6H3z',
    'M14 6v2',
    'M14 11v2',
    'M14 16v2',
  ],
  suitcase: ['M4 8h16v12H4z', 'M9 8V5h6v3', 'M4 13h16', 'M10 13v2h4v-2'],
  heart: ['M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10z'],
  medical: ['M12 3l8 3v6c0 4.5-3.4 8-8 9-4.6-1-8-4.5-8-9V6z', 'M12 9v6', 'M9 12h6'],
  badge: ['M5 4h14v16H5z', 'M9 9a3 3 0 1 0 6 0 3 3 0 0 0-6 0', 'M8.5 17c.6-1.8 2-2.5 3.5-2.5s2.9.7 3.5 2.5'],
};

export function noticeIcon(name, size = 18) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', size);
  svg.setAttribute('height', size);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  for (const d of ICONS[name] || []) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    svg.appendChild(p);
  }
  return svg;
}

// "12" or "99+" for a badge.
export function badgeText(n) {
  return n > 99 ? '99+' : String(n);
}

// The unread count (0 when it cannot be had: the badge is a hint, not a page).
export async function unreadCount() {
  try {
    const r = await api.get('/api/v1/me/notices/unread');
    return r.unread || 0;
  } catch {
    return 0;
  }
}

const bells = new Set();

// The bell of a header: a link (members: to href) or a button (onclick),
// with the unread count as a badge. Its name says the count too
// ("消息，3 条未读"). Refreshed by refreshBells().
export function bell({ href, onclick, className = 'bell' }) {
  const badge = h('span', { class: 'bell-badge', hidden: true, 'aria-hidden': 'true' });
  const el = h(
    href ? 'a' : 'button',
    {
      class: className,
      href,
      type: href ? null : 'button',
      onclick,
      title: '消息',
      'aria-label': '消息',
      dataset: { bell: '1' },
    },
    noticeIcon('bell', 20),
    badge,
  );
  el.setCount = (n) => {
    badge.textContent = badgeText(n);
    badge.hidden = !n;
    el.setAttribute('aria-label', n ? `消息，${n} 条未读` : '消息');
    el.title = n ? `${n} 条未读消息` : '消息';
  };
  bells.add(el);
  unreadCount().then((n) => el.setCount(n));
  return el;
}

// Set every bell on the page to n (after reading), or ask the server.
export async function refreshBells(n) {
  const count = n === undefined ? await unreadCount() : n;
  for (const b of bells) if (b.isConnected) b.setCount(count);
  return count;
}

// Mark one notice read and go where it points (same page: just reload the
// view via after()). Returns the new unread count.
export async function openNotice(n, { navigate = (link) => location.assign(link) } = {}) {
  let unread;
  if (!n.read) {
    try {
      unread = (await api.post(`/api/v1/me/notices/${n.id}/read`, {})).unread;
      n.read = true;
      refreshBells(unread);
    } catch (e) {
      toast(e.message, 'error');
    }
  }
  if (n.link) navigate(n.link);
  return unread;
}

// One notice as a list row: a button that opens it (whole row, ≥ 44 px).
export function noticeRow(n, onOpen) {
  return h(
    'li',
    { class: ['nt-item', !n.read && 'is-unread'] },
    h(
      'button',
      {
        type: 'button',
        class: 'nt-open',
        onclick: (ev) => onOpen(n, ev.currentTarget),
        'aria-label': `${n.read ? '' : '未读：'}${n.title}`,
      },
      h(
        'span',
        { class: 'nt-head' },
        !n.read ? h('span', { class: 'nt-dot', 'aria-hidden': 'true' }) : null,
        h('span', { class: 'nt-title' }, n.title),
        h('span', { class: 'nt-time' }, fmtTime(n.created_at)),
      ),
      h('span', { class: 'nt-body' }, n.body),
      n.link ? h('span', { class: 'nt-go' }, '查看 ›') : null,
    ),
  );
}

// A list of notices with 全部/未读 tabs, 全部标为已读 and 加载更多, mounted in
// box. onOpen(n) follows a notice (default: openNotice). Returns {reload}.
export function noticeList(box, { onOpen, perPage = 20, empty = '暂时没有消息' } = {}) {
  let onlyUnread = false;
  let page = 1;
  let items = [];
  let total = 0;
  let unread = 0;
  const list = h('ul', { class: 'nt-list' });
  const more = h(
    'button',
    { type: 'button', class: 'btn btn-block', hidden: true, onclick: () => load(page + 1) },
    '加载更多',
  );
  const summary = h('span', { class: 'nt-summary muted', 'aria-live': 'polite' });
  const readAll = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      onclick: async (ev) => {
        const btn = ev.currentTarget;
        busy(btn, true, '处理中…');
        try {
          const r = await api.post('/api/v1/me/notices/read-all', {});
          refreshBells(r.unread);
          toast('已全部标为已读', 'success');
          await load(1);
        } catch (e) {
          toast(e.message, 'error');
        } finally {
          busy(btn, false);
        }
      },
    },
    '全部标为已读',
  );
  const tabs = ['全部', '未读'].map((text, i) =>
    h(
      'button',
      {
        type: 'button',
        class: 'seg-btn',
        'aria-pressed': String(i === 0),
        onclick: (ev) => {
          onlyUnread = i === 1;
          for (const t of tabs) t.setAttribute('aria-pressed', String(t === ev.currentTarget));
          load(1);
        },
      },
      text,
    ),
  );
  const open = async (n, btn) => {
    btn.disabled = true;
    try {
      if (onOpen) await onOpen(n);
      else await openNotice(n);
    } finally {
      btn.disabled = false;
    }
    if (!n.link) load(1);
  };
  function draw() {
    summary.textContent = unread ? `${unread} 条未读` : '没有未读消息';
    readAll.hidden = !unread;
    mount(
      list,
      items.length
        ? items.map((n) => noticeRow(n, open))
        : h('li', { class: 'state state-empty' }, onlyUnread ? '没有未读消息' : empty),
    );
    more.hidden = items.length >= total;
  }
  async function load(p) {
    if (p === 1) mount(list, h('li', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '正在加载…'));
    try {
      const r = await api.get('/api/v1/me/notices', { unread: onlyUnread ? 1 : '', page: p, per_page: perPage });
      items = p === 1 ? r.items : items.concat(r.items);
      total = r.total;
      unread = r.unread;
      page = p;
      refreshBells(unread);
      draw();
    } catch (e) {
      mount(
        list,
        h(
          'li',
          { class: 'state state-error', role: 'alert' },
          `消息加载失败：${e.message}`,
          h('button', { type: 'button', class: 'btn btn-sm', onclick: () => load(p) }, '重试'),
        ),
      );
    }
  }
  mount(
    box,
    h(
      'div',
      { class: 'nt-bar' },
      h('div', { class: 'segmented', role: 'group', 'aria-label': '显示' }, tabs),
      summary,
      readAll,
    ),
    list,
    more,
  );
  load(1);
  return { reload: () => load(1) };
}

// The officers' view: the list in a dialog (the console's bell). A notice
// with an in-console link ("#/refunds/12") closes the dialog and goes there.
export function noticesDialog() {
  const box = h('div', { class: 'nt-dialog' });
  const d = openDialog({ title: '消息', wide: true, body: box, actions: [{ text: '关闭', value: false }] });
  noticeList(box, {
    onOpen: (n) =>
      openNotice(n, {
        navigate: (link) => {
          d.close();
          location.assign(link);
        },
      }),
  });
  return d;
}
