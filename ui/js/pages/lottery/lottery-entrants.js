// lottery-entrants.js — the published entrant list of a voucher lottery
// (/lottery/entrants.html?id=…): every entrant with the entry number given
// when sign-up closed, the name partly hidden and the mobile tail; the
// SHA-256 of the list file (the file anyone can download and feed to
// `gonghui lottery verify`), checked here in the browser; a search by entry
// number, mobile tail or name so members can find themselves. A name is
// hidden the way the list hides it ("张立明" → "张*明") and looked up in the
// downloaded list file, so the server never sees the name typed.
import { h, mount } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { fmtTime } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { panel } from '../../lib/ui.js';
import { phaseTag, pageId, publicLinks, lotteryHead, loading, failed } from '../../lib/lottery.js';

const app = document.getElementById('lt-app');
const id = pageId();

boot();

async function boot() {
  await lotteryHead();
  if (!id) return mount(app, h('div', { class: 'panel' }, failed('链接缺少活动编号')));
  mount(app, loading());
  let c;
  try {
    c = await api.get(`/api/v1/lottery/campaigns/${id}`);
  } catch (e) {
    return mount(
      app,
      h('div', { class: 'panel' }, failed(e.status === 404 ? '没有这个活动' : `加载失败：${e.message}`)),
    );
  }
  document.title = `报名名单 - ${c.title} - 工会服务平台`;
  const head = [
    h('div', { class: 'lt-head' }, h('h1', c.title), phaseTag(c.phase), h('span', { class: 'muted' }, '报名名单')),
    publicLinks(c, 'entrants'),
  ];
  if (c.status === 'open' || !c.list_sha256) {
    return mount(
      app,
      ...head,
      panel(
        '报名名单',
        h(
          'div',
          { class: 'state' },
          c.phase === 'cancelled'
            ? '活动在报名截止前已取消，没有公布名单。'
            : `报名截止（${fmtTime(c.signup_closes_at)}）后公布全部报名名单。`,
        ),
      ),
    );
  }
  const fileUrl = `/api/v1/lottery/campaigns/${id}/entrant-list`;
  const check = h('div', { class: 'muted small' });
  const file = fetchList(fileUrl);
  const table = createTable({
    caption: '报名名单',
    search: [
      {
        name: 'q',
        label: '查找',
        placeholder: '报名编号、手机尾号（4 位）或姓名',
        hint: '姓名按名单的方式隐去中间的字后查找（如“张立明”查“张*明”），写法相同的人都会列出。',
        maxlength: 20,
      },
    ],
    columns: [
      {
        key: 'entry_no',
        title: '报名编号',
        nowrap: true,
        render: (x) => h('span', { class: 'mono' }, String(x.entry_no)),
      },
      { key: 'name_mask', title: '姓名' },
      {
        key: 'mobile_tail',
        title: '手机尾号',
        nowrap: true,
        render: (x) => (x.mobile_tail ? h('span', { class: 'mono' }, x.mobile_tail) : '—'),
      },
    ],
    perPage: 50,
    empty: '没有符合条件的报名人',
    fetch: (p, signal) =>
      !p.q || /^\d{1,9}$/.test(p.q)
        ? api.get(`/api/v1/lottery/campaigns/${id}/entrants`, p, { signal })
        : byName(file, p),
  });
  mount(
    app,
    ...head,
    panel(
      `共 ${c.entrants} 人报名`,
      h(
        'p',
        { class: 'panel-lead' },
        `${fmtTime(c.frozen_at)} 报名截止后锁定，按报名先后编号。名单文件每行一人：报名编号、姓名（部分隐去）、手机尾号；文件的 SHA-256 指纹如下，名单公布后任何改动都会使指纹改变。`,
      ),
      h('code', { class: 'lt-hash' }, c.list_sha256),
      check,
      h(
        'div',
        { class: 'lt-actions' },
        h('a', { class: 'btn', href: fileUrl, download: `消费券抽取报名名单-${id}.txt` }, '下载名单文件'),
      ),
    ),
    panel('名单', h('div', { class: 'lt-grid' }, table.el)),
  );
  verifyFile(file, c.list_sha256, check);
}

// The list file, once: its bytes (for the fingerprint) and its entrants.
async function fetchList(url) {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const buf = await res.arrayBuffer();
  const rows = new TextDecoder()
    .decode(buf)
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [no, name, tail] = l.split('\t');
      return { entry_no: Number(no), name_mask: name, mobile_tail: tail || null };
    });
  return { buf, rows };
}

// A name hidden as the server hides it (base/valid.c mask_name): "张" →
// "张", "张三" → "张*", "张小明" → "张*明", "欧阳小明" → "欧**明".
function maskName(name) {
  const c = Array.from(name.trim());
  if (c.length <= 1) return c.join('');
  if (c.length === 2) return `${c[0]}*`;
  return `${c[0]}${'*'.repeat(c.length - 2)}${c[c.length - 1]}`;
}

// One page of the entrants whose hidden name is that of the name typed (or
// the hidden form itself, "张*明").
async function byName(file, p) {
  const want = p.q.includes('*') ? p.q.trim() : maskName(p.q);
  const { rows } = await file;
  const hits = rows.filter((r) => r.name_mask === want);
  const per = p.per_page || 50;
  const page = p.page || 1;
  return { items: hits.slice((page - 1) * per, page * per), total: hits.length };
}

// Recompute the file's SHA-256 here, so the page itself proves the list it
// links to is the one fingerprinted.
async function verifyFile(file, want, out) {
  if (!(window.crypto && crypto.subtle)) {
    out.textContent = '此浏览器不能计算 SHA-256（需 HTTPS）；可下载后用 sha256sum 命令核对。';
    return;
  }
  try {
    const { buf } = await file;
    const digest = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', buf)), (b) =>
      b.toString(16).padStart(2, '0'),
    ).join('');
    out.textContent =
      digest === want
        ? '✓ 已在本机重新计算下载文件的 SHA-256，与公布的指纹一致。'
        : `✗ 下载文件的 SHA-256 为 ${digest}，与公布的不一致！`;
    out.className = digest === want ? 'small lt-ok' : 'small notice notice-error';
  } catch (e) {
    out.textContent = `名单文件下载失败：${e.message}`;
  }
}
