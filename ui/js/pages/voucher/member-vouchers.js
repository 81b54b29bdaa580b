// member-vouchers.js — a member's vouchers (/m/vouchers.html, phone first):
// each voucher as a card with its QR code and code to show at the provider,
// its face value, validity and where it can be used; giving up an unused one
// (it may then go to a second round); the lotteries the member may still
// enter, with a sign-up button; and their entries with entry numbers and
// outcomes.
import { h, mount } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { privatePage } from '../../lib/shell.js';
import { fmtTime } from '../../lib/format.js';
import { busy, toast, tag, panel, confirmDialog } from '../../lib/ui.js';
import { PHASES, VOUCHER_STATUS, VOUCHER_TONE, phaseTag, yuan, loading, failed } from '../../lib/lottery.js';

const app = document.getElementById('m-app');

boot();

async function boot() {
  if (await privatePage({ home: '/m/', app, head: document.getElementById('m-head-actions') })) load();
}

async function load() {
  mount(app, loading());
  let vouchers;
  let open;
  let entries;
  try {
    [vouchers, open, entries] = await Promise.all([
      api.get('/api/v1/me/vouchers'),
      api.get('/api/v1/lottery/campaigns', { for_me: 1, phase: 'signup', per_page: 20 }),
      api.get('/api/v1/me/lottery-entries', { per_page: 50 }),
    ]);
  } catch (e) {
    return mount(app, h('div', { class: 'panel' }, failed(`加载失败：${e.message}`, load)));
  }
  const entered = new Set(entries.items.map((x) => x.campaign_id));
  const usable = vouchers.items.filter((v) => v.status === 'issued');
  const others = vouchers.items.filter((v) => v.status !== 'issued');
  mount(
    app,
    h(
      'div',
      { class: 'm-hello' },
      h('h1', '我的消费券'),
      h('p', { class: 'muted' }, h('a', { href: '/m/' }, '‹ 返回我的会员服务')),
    ),
    h(
      'section',
      { 'aria-labelledby': 'vc-title' },
      h('h2', { class: 'sr-only', id: 'vc-title' }, '可使用的消费券'),
      usable.length
        ? h('div', { class: 'vc-list' }, usable.map(voucherCard))
        : h(
            'div',
            { class: 'panel' },
            h('div', { class: 'state' }, '暂时没有可使用的消费券。报名参加下面的抽取活动，中签后消费券会出现在这里。'),
          ),
    ),
    open.items.filter((c) => !entered.has(c.id)).length
      ? panel(
          '可报名的抽取活动',
          h('ul', { class: 'lt-list' }, open.items.filter((c) => !entered.has(c.id)).map(openCard)),
        )
      : null,
    panel(
      '我的报名',
      entries.items.length
        ? h('ul', { class: 'lt-list' }, entries.items.map(entryCard))
        : h('div', { class: 'state' }, '还没有报名过抽取活动'),
    ),
    others.length ? panel('已使用或失效的消费券', h('div', { class: 'vc-list' }, others.map(voucherCard))) : null,
  );
}

function voucherCard(v) {
  const on = v.status === 'issued';
  const body = h('div', { class: 'vc-body' });
  if (on) {
    body.append(
      h(
        'div',
        { class: 'vc-qr' },
        h('img', {
          src: `/api/v1/me/vouchers/${v.id}/qr`,
          alt: `消费券二维码，券码 ${v.code}`,
          width: 208,
          height: 208,
        }),
        h('div', { class: 'vc-code', 'aria-label': '券码' }, v.code),
        h('div', { class: 'muted small' }, '在服务机构付款时出示二维码，或报出券码'),
      ),
    );
  } else if (v.code) {
    body.append(h('div', { class: 'vc-code muted' }, v.code));
  }
  body.append(
    h(
      'div',
      { class: 'vc-meta' },
      h('div', `有效期：${v.valid_from} 至 ${v.valid_to}`),
      h('div', `适用：${v.providers.map((p) => p.name).join('、')}`),
      h('div', `第 ${v.round} 轮中签 · 报名编号 ${v.entry_no} · ${v.org_name}`),
      v.redeemed_at ? h('div', `已于 ${fmtTime(v.redeemed_at)} 在 ${v.redeemed_provider} 使用`) : null,
      v.status_reason ? h('div', v.status_reason) : null,
    ),
  );
  if (on) {
    const btn = h('button', { type: 'button', class: 'btn btn-text btn-text-muted' }, '放弃这张消费券');
    btn.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: '放弃消费券',
        message: `确定放弃“${v.campaign_title}”的这张消费券吗？放弃后不能恢复，名额可能由其他报名人递补。`,
        okText: '确定放弃',
        danger: true,
      });
      if (!ok) return;
      busy(btn, true, '提交中…');
      try {
        await api.post(`/api/v1/me/vouchers/${v.id}/decline`, {});
        toast('已放弃', 'success');
        load();
      } catch (e) {
        busy(btn, false);
        toast(e.message, 'error');
      }
    });
    body.append(btn);
  }
  return h(
    'article',
    { class: ['vc', !on && 'is-off'], 'aria-label': `${v.campaign_title} 消费券` },
    h(
      'div',
      { class: 'vc-top' },
      h(
        'div',
        h(
          'div',
          { class: 'vc-face' },
          (v.face_value_fen / 100).toFixed(v.face_value_fen % 100 ? 2 : 0),
          h('small', '元'),
        ),
        h('div', { class: 'vc-title' }, v.campaign_title),
      ),
      tag(VOUCHER_STATUS[v.status] || v.status, VOUCHER_TONE[v.status]),
    ),
    body,
  );
}

function openCard(c) {
  const btn = h('button', { type: 'button', class: 'btn btn-primary btn-sm' }, '报名');
  btn.addEventListener('click', async () => {
    busy(btn, true, '提交中…');
    try {
      await api.post(`/api/v1/lottery/campaigns/${c.id}/entries`, {});
      toast(`已报名“${c.title}”`, 'success');
      load();
    } catch (e) {
      busy(btn, false);
      toast(e.message, 'error');
    }
  });
  return h(
    'li',
    h(
      'div',
      { class: 'lt-card' },
      h(
        'div',
        { class: 'lt-card-top' },
        h('a', { class: 'lt-card-title', href: `/lottery/campaign.html?id=${c.id}` }, c.title),
        phaseTag(c.phase),
      ),
      h(
        'div',
        { class: 'lt-card-meta' },
        h('span', c.org_name),
        h('span', h('span', { class: 'lt-face' }, yuan(c.face_value_fen)), ` × ${c.voucher_count} 张`),
        h('span', `截止 ${fmtTime(c.signup_closes_at)}`),
      ),
      h(
        'div',
        { class: 'lt-actions' },
        btn,
        h('a', { class: 'btn btn-sm', href: `/lottery/campaign.html?id=${c.id}` }, '活动规则'),
      ),
    ),
  );
}

function entryCard(x) {
  let outcome;
  if (x.phase === 'drawn') outcome = x.won ? tag('中签', 'green') : tag('未中签', 'gray');
  else outcome = tag(PHASES[x.phase] || x.phase, 'orange');
  return h(
    'li',
    h(
      'a',
      { class: 'lt-card', href: `/lottery/campaign.html?id=${x.campaign_id}` },
      h('div', { class: 'lt-card-top' }, h('span', { class: 'lt-card-title' }, x.title), outcome),
      h(
        'div',
        { class: 'lt-card-meta' },
        h('span', x.entry_no ? `报名编号 ${x.entry_no}` : '报名编号待公布'),
        h('span', `报名于 ${fmtTime(x.entered_at)}`),
      ),
    ),
  );
}
