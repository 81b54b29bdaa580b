// lottery-list.js — the public list of voucher lotteries (/lottery/): tabs
// for 报名中 / 待抽取 / 已抽取 / 全部, one card per campaign with its phase,
// face value and count, entrants and sign-up deadline. No log-in needed.
import { h, mount } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { fmtTime } from '../../lib/format.js';
import { segmented } from '../../lib/ui.js';
import { phaseTag, yuan, lotteryHead, loading, failed } from '../../lib/lottery.js';

const app = document.getElementById('lt-app');
const TABS = [
  ['signup', '报名中'],
  ['frozen', '待抽取'],
  ['drawn', '已抽取'],
  ['', '全部'],
];

lotteryHead();

let phase = new URLSearchParams(location.search).get('phase') ?? 'signup';
const listBox = h('div');
const more = h('button', { type: 'button', class: 'btn btn-block', hidden: true }, '加载更多');
let page = 1;

mount(
  app,
  h(
    'div',
    { class: 'pub-intro' },
    h('h1', '消费券抽取'),
    h(
      'p',
      '工会消费券公开抽取：报名截止后公布报名名单，按事先公布的彩票开奖号码、用公开的算法（RFC 3797）抽取，任何人都可以复核结果。',
    ),
  ),
  segmented({
    label: '活动阶段',
    options: TABS,
    value: phase,
    onChange: (v) => {
      phase = v;
      load(true);
    },
  }),
  h('div', { style: { height: '12px' } }),
  listBox,
  h('div', { style: { marginTop: '12px' } }, more),
  h(
    'p',
    { class: 'muted small', style: { marginTop: '16px' } },
    '想自己核验某次抽取？打开活动的“核验结果”页，或使用 ',
    h('a', { href: '/lottery/verify.html' }, '抽取核验工具'),
    '。',
  ),
);
more.addEventListener('click', () => load(false));
load(true);

function card(c) {
  return h(
    'li',
    h(
      'a',
      { class: 'lt-card', href: `/lottery/campaign.html?id=${c.id}` },
      h('div', { class: 'lt-card-top' }, h('span', { class: 'lt-card-title' }, c.title), phaseTag(c.phase)),
      h(
        'div',
        { class: 'lt-card-meta' },
        h('span', c.org_name),
        h('span', h('span', { class: 'lt-face' }, yuan(c.face_value_fen)), ` × ${c.voucher_count} 张`),
        c.phase === 'upcoming' || c.phase === 'signup'
          ? h('span', `报名截止 ${fmtTime(c.signup_closes_at)}`)
          : h('span', `报名 ${c.entrants} 人${c.winners ? ` · 中签 ${c.winners} 人` : ''}`),
      ),
    ),
  );
}

async function load(reset) {
  if (reset) {
    page = 1;
    mount(listBox, loading());
  }
  try {
    const r = await api.get('/api/v1/lottery/campaigns', { phase, page, per_page: 20 });
    const list = reset ? h('ul', { class: 'lt-list' }) : listBox.querySelector('.lt-list');
    list.append(...r.items.map(card));
    if (reset)
      mount(
        listBox,
        r.items.length ? list : h('div', { class: 'panel' }, h('div', { class: 'state state-empty' }, '暂无活动')),
      );
    more.hidden = page * 20 >= r.total;
    page++;
  } catch (e) {
    mount(
      listBox,
      failed(`加载失败：${e.message}`, () => load(true)),
    );
  }
}
