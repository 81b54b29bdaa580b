// retreat-catalog.js — the public recuperation catalogue (/retreat/, no log-in,
// phone first): the province's figures, curated collections, filters by
// theme, province, days, member price and "has seats", and route cards with
// the price breakdown and the next departure's seats left. The filters live
// in the address (?theme=红色&has_seats=1), so a link shows the same list.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { publicPage } from '../../lib/shell.js';
import { label } from '../../lib/format.js';
import { tag } from '../../lib/ui.js';
import { PROVIDER_KINDS, priceBlock, shortDate } from '../../lib/retreat.js';

const PER_PAGE = 12;
const DAYS = [
  ['', '天数不限'],
  ['1-2', '1–2 天'],
  ['3-4', '3–4 天'],
  ['5-30', '5 天及以上'],
];
const PRICES = [
  ['', '会员价不限'],
  ['0-100000', '1000 元以下'],
  ['100000-200000', '1000–2000 元'],
  ['200000-', '2000 元以上'],
];
const SORTS = [
  ['newest', '最新发布'],
  ['price_asc', '会员价从低到高'],
  ['price_desc', '会员价从高到低'],
  ['days', '天数从少到多'],
];
const KEYS = ['q', 'theme', 'region', 'days', 'price', 'collection_id', 'has_seats', 'sort', 'page'];

const app = document.getElementById('rt-app');
const head = document.getElementById('rt-head');
const headline = document.getElementById('rt-headline');

const state = Object.fromEntries(KEYS.map((k) => [k, new URLSearchParams(location.search).get(k) || '']));
let facets = { themes: [], provinces: [], collections: [] };
let seq = 0;

boot();

async function boot() {
  publicPage({ head, member: ['/m/retreat.html', '我的预订'] });
  api
    .get('/api/v1/retreat/headline')
    .then((r) =>
      mount(
        headline,
        (r.items || []).map((i) => h('p', i.sentence)),
      ),
    )
    .catch(() => {});
  try {
    facets = await api.get('/api/v1/retreat/facets');
  } catch (e) {
    mount(
      app,
      h(
        'div',
        { class: 'state state-error', role: 'alert' },
        `目录加载失败：${e.message}`,
        h('button', { type: 'button', class: 'btn btn-sm', onclick: () => location.reload() }, '重试'),
      ),
    );
    return;
  }
  render();
}

function chip(text, pressed, onclick, n) {
  return h(
    'button',
    { type: 'button', class: 'rt-chip', 'aria-pressed': String(pressed), onclick },
    text,
    n !== undefined ? h('span', { class: 'rt-chip-n' }, n) : null,
  );
}

function select(name, opts, labelText) {
  return h(
    'select',
    { name, 'aria-label': labelText, onchange: (ev) => set({ [name]: ev.target.value }) },
    opts.map(([v, t]) => h('option', { value: v, selected: state[name] === v }, t)),
  );
}

function set(changes) {
  Object.assign(state, changes);
  if (!('page' in changes)) state.page = '';
  const u = new URLSearchParams();
  for (const k of KEYS) if (state[k]) u.set(k, state[k]);
  history.replaceState(null, '', `${location.pathname}${u.toString() ? `?${u}` : ''}`);
  render();
}

const results = h('div', { id: 'rt-results', 'aria-live': 'polite' });

function render() {
  const q = h('input', {
    type: 'search',
    name: 'q',
    value: state.q,
    placeholder: '搜索线路名称或目的地',
    maxlength: 30,
    'aria-label': '搜索线路',
  });
  const search = h(
    'form',
    { class: 'rt-search', role: 'search', onsubmit: (ev) => (ev.preventDefault(), set({ q: q.value.trim() })) },
    q,
    h('button', { type: 'submit', class: 'btn btn-primary' }, icon('search', 16), '搜索'),
  );
  const themes = h(
    'div',
    { class: 'rt-chips', role: 'group', 'aria-label': '主题' },
    chip('全部主题', !state.theme, () => set({ theme: '' })),
    facets.themes.map((t) =>
      chip(t.name, state.theme === t.name, () => set({ theme: state.theme === t.name ? '' : t.name }), t.count),
    ),
  );
  const provinces = [['', '全部地区'], ...facets.provinces.map((p) => [p.code, `${p.name}（${p.count}）`])];
  const filters = h(
    'section',
    { class: 'rt-filters', 'aria-label': '筛选' },
    search,
    themes,
    h(
      'div',
      { class: 'rt-selects' },
      select('region', provinces, '地区'),
      select('days', DAYS, '天数'),
      select('price', PRICES, '会员价'),
      select('sort', SORTS, '排序'),
    ),
    h(
      'label',
      { class: 'rt-toggle' },
      h('input', {
        type: 'checkbox',
        name: 'has_seats',
        checked: state.has_seats === '1',
        onchange: (ev) => set({ has_seats: ev.target.checked ? '1' : '' }),
      }),
      '只看还有名额的线路',
    ),
  );
  const collections = facets.collections.length
    ? h(
        'div',
        { class: 'rt-collections', role: 'group', 'aria-label': '精选专题' },
        facets.collections.map((c) =>
          h(
            'button',
            {
              type: 'button',
              class: 'rt-collection',
              'aria-pressed': String(state.collection_id === String(c.id)),
              onclick: () => set({ collection_id: state.collection_id === String(c.id) ? '' : String(c.id) }),
            },
            h('div', { class: 'rt-collection-title' }, c.title),
            c.description ? h('div', { class: 'rt-collection-desc' }, c.description) : null,
            h('div', { class: 'rt-collection-n' }, `${c.org_name} · ${c.count} 条线路`),
          ),
        ),
      )
    : null;
  mount(app, filters, collections, results);
  load();
}

async function load() {
  const mine = ++seq;
  const [dmin, dmax] = (state.days || '-').split('-');
  const [pmin, pmax] = (state.price || '-').split('-');
  const query = {
    q: state.q,
    theme: state.theme,
    region: state.region,
    collection_id: state.collection_id,
    min_days: dmin,
    max_days: dmax,
    min_price_fen: pmin,
    max_price_fen: pmax,
    has_seats: state.has_seats,
    sort: state.sort === 'newest' ? '' : state.sort,
    page: state.page || 1,
    per_page: PER_PAGE,
  };
  if (!results.firstChild)
    mount(results, h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '正在加载线路…'));
  let r;
  try {
    r = await api.get('/api/v1/retreat/routes', query);
  } catch (e) {
    if (mine !== seq) return;
    mount(
      results,
      h(
        'div',
        { class: 'state state-error', role: 'alert' },
        `线路加载失败：${e.message}`,
        h('button', { type: 'button', class: 'btn btn-sm', onclick: load }, '重试'),
      ),
    );
    return;
  }
  if (mine !== seq) return;
  const page = r.page;
  const pages = Math.max(1, Math.ceil(r.total / r.per_page));
  const coll = facets.collections.find((c) => String(c.id) === state.collection_id);
  mount(
    results,
    h(
      'div',
      { class: 'rt-meta' },
      h('span', coll ? `专题“${coll.title}”：共 ${r.total} 条线路` : `共 ${r.total} 条线路`),
      pages > 1 ? h('span', `第 ${page} / ${pages} 页`) : null,
    ),
    r.items.length
      ? h(
          'ul',
          { class: 'rt-cards' },
          r.items.map((it) => h('li', card(it))),
        )
      : h('div', { class: 'state state-empty' }, '没有符合条件的线路，换个条件试试'),
    pages > 1
      ? h(
          'nav',
          { class: 'rt-more', 'aria-label': '分页' },
          h(
            'button',
            {
              type: 'button',
              class: 'btn',
              disabled: page <= 1,
              onclick: () => (set({ page: String(page - 1) }), scrollTo(0, 0)),
            },
            '上一页',
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'btn',
              disabled: page >= pages,
              onclick: () => (set({ page: String(page + 1) }), scrollTo(0, 0)),
            },
            '下一页',
          ),
        )
      : null,
  );
}

// A card: the cover photo (the route's first, else its main provider's; the
// original, scaled by the browser to the card: the server makes no
// thumbnails), the next departure's own seats, and how many more dates
// there are.
function card(it) {
  const more = Math.max(0, (it.departures || 0) - 1);
  const moreSeats = Math.max(0, (it.seats_left_all || 0) - (it.seats_left || 0));
  const seats = it.next_departure
    ? h(
        'div',
        { class: ['rt-seats', it.seats_left > 0 ? '' : 'is-none'] },
        `最近出发 ${shortDate(it.next_departure)} · `,
        it.seats_left > 0 ? h('span', '余 ', h('strong', it.seats_left), ' 个名额') : h('strong', '名额已满，可候补'),
        more
          ? h(
              'span',
              { class: 'rt-seats-more' },
              `另有 ${more} 个出发日期${moreSeats ? `（${more > 1 ? '共' : ''}余 ${moreSeats} 个名额）` : '（均已满）'}`,
            )
          : null,
      )
    : h('div', { class: 'rt-seats is-none' }, h('strong', '暂无可预订批次'));
  return h(
    'a',
    { class: 'rt-card', href: `/retreat/route.html?id=${it.id}`, dataset: { routeId: it.id } },
    it.photo
      ? h('img', {
          class: 'rt-card-photo',
          src: it.photo.url,
          width: it.photo.width,
          height: it.photo.height,
          alt: '',
          loading: 'lazy',
          decoding: 'async',
        })
      : null,
    h(
      'div',
      { class: 'rt-card-top' },
      (it.themes || []).map((t) => tag(t, t === '红色' ? 'red' : 'blue')),
      it.provider_kind ? tag(label(PROVIDER_KINDS, it.provider_kind), 'gray') : null,
      it.frontline_only ? tag('一线职工专享', 'orange') : null,
    ),
    h('div', { class: 'rt-card-title' }, it.title),
    h('div', { class: 'rt-card-sub' }, `${it.destination} · ${it.days} 天 · ${it.org_name}`),
    it.summary ? h('div', { class: 'rt-card-summary' }, it.summary) : null,
    h('div', { class: 'rt-card-foot' }, priceBlock(it), seats),
  );
}
