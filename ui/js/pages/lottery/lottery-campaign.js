// lottery-campaign.js — the public page of one voucher lottery
// (/lottery/campaign.html?id=…): its rules, the randomness sources declared
// before sign-up, where vouchers are usable, the timeline, and the sign-up
// box — a member enters here (log-in first); after the draw it links to the
// result and the verification page.
import { h, mount } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { fmtTime } from '../../lib/format.js';
import { busy, toast, panel } from '../../lib/ui.js';
import {
  PROVIDER_KINDS,
  phaseTag,
  pageId,
  publicLinks,
  rulesList,
  sourcesList,
  timeline,
  lotteryHead,
  loading,
  failed,
} from '../../lib/lottery.js';

const app = document.getElementById('lt-app');
const id = pageId();
let user = null;

boot();

async function boot() {
  user = await lotteryHead();
  if (!id) return mount(app, h('div', { class: 'panel' }, failed('链接缺少活动编号')));
  load();
}

async function load() {
  mount(app, loading());
  let c;
  try {
    c = await api.get(`/api/v1/lottery/campaigns/${id}`);
  } catch (e) {
    return mount(
      app,
      h(
        'div',
        { class: 'panel' },
        failed(e.status === 404 ? '没有这个活动' : `加载失败：${e.message}`, e.status === 404 ? null : load),
      ),
    );
  }
  document.title = `${c.title} - 消费券抽取 - 工会服务平台`;
  const current = (c.draws || []).find((d) => d.current);
  mount(
    app,
    h(
      'div',
      { class: 'lt-head' },
      h('h1', c.title),
      phaseTag(c.phase),
      h('span', { class: 'muted' }, `${c.org_name} · 编号 ${c.id}`),
    ),
    publicLinks(c, 'campaign'),
    signupPanel(c),
    panel('活动规则', rulesList(c), c.description ? h('p', { class: 'lt-desc' }, c.description) : null),
    panel(
      '公开随机源',
      h(
        'p',
        { class: 'panel-lead' },
        '以下随机源在活动发布时（报名开始前）就已公布，开奖晚于报名截止，任何人（包括工会）都无法事先知道或左右其结果。',
      ),
      sourcesList(c),
      current
        ? h(
            'div',
            { style: { marginTop: '12px' } },
            h('div', { class: 'muted small' }, '密钥串（按 RFC 3797 由开奖号码生成）'),
            h('code', { class: 'lt-hash lt-key' }, current.key_string),
          )
        : null,
    ),
    panel(
      '适用服务机构',
      h(
        'ul',
        { class: 'lt-sources' },
        c.providers.map((p) =>
          h(
            'li',
            h('div', { class: 'lt-source-name' }, p.name),
            h(
              'div',
              { class: 'muted small' },
              [PROVIDER_KINDS[p.kind] || p.kind, p.address].filter(Boolean).join(' · '),
            ),
          ),
        ),
      ),
    ),
    panel('进度', timeline(c)),
    panel(
      '抽取方法',
      h(
        'p',
        { class: 'panel-lead' },
        '报名截止后按报名先后编号并公布名单（姓名部分隐去、手机尾号）及名单文件的 SHA-256。开奖后录入各随机源的号码：同一随机源的号码从小到大排序，写成“号码.”并以“/”结尾，依声明顺序连成密钥串；第 j 次（j 从 0 起）抽取计算 MD5(序号‖密钥串‖序号)，序号为 2 字节大端整数（报名超过 65535 人时为 4 字节），把结果看作 128 位无符号整数，除以剩余人数取余数 r，剩余名单中第 r+1 位中签并移出名单，如此重复。这就是 RFC 3797 规定的方法。',
      ),
      c.method
        ? h(
            'p',
            { class: 'muted small', style: { marginTop: '6px' } },
            `本活动：${c.method}${c.entropy_bits_needed ? `；所需熵约 ${c.entropy_bits_needed.toFixed(1)} 比特` : ''}`,
          )
        : null,
    ),
  );
}

function signupPanel(c) {
  const me = c.me;
  const box = h('div', { class: 'lt-signup' });
  const loginLink = () =>
    h(
      'a',
      { class: 'btn btn-primary', href: `/login.html?next=${encodeURIComponent(location.pathname + location.search)}` },
      '登录后报名',
    );
  switch (c.phase) {
    case 'upcoming':
      box.append(h('div', { class: 'lt-big' }, `报名将于 ${fmtTime(c.signup_opens_at)} 开始`));
      break;
    case 'signup':
      box.append(h('div', `报名截止：${fmtTime(c.signup_closes_at)} · 已有 ${c.entrants} 人报名`));
      if (!user)
        box.append(loginLink(), h('p', { class: 'muted small' }, '会员用手机号登录；还没有账号的会员可先开通账号。'));
      else if (!me) box.append(h('p', { class: 'muted' }, '工作人员账号不能报名；请会员本人登录报名。'));
      else if (me.entered)
        box.append(h('div', { class: 'notice notice-ok' }, '您已报名。报名截止后公布报名名单和您的报名编号。'));
      else if (me.eligible === false)
        box.append(h('div', { class: 'notice notice-error' }, me.reason || '您不在本次活动的参与范围内'));
      else {
        const btn = h('button', { type: 'button', class: 'btn btn-primary' }, '我要报名');
        btn.addEventListener('click', async () => {
          busy(btn, true, '提交中…');
          try {
            await api.post(`/api/v1/lottery/campaigns/${c.id}/entries`, {});
            toast('报名成功', 'success');
            load();
          } catch (e) {
            busy(btn, false);
            toast(e.message, 'error');
          }
        });
        box.append(btn, h('p', { class: 'muted small' }, '每人限报一次。报名即表示同意按公开规则抽取。'));
      }
      break;
    case 'closed':
    case 'frozen':
      box.append(
        h('div', { class: 'lt-big' }, `报名已截止，共 ${c.entrants} 人报名`),
        h(
          'div',
          { class: 'muted' },
          `抽取在随机源开奖（${c.sources
            .map((s) => s.draw_date)
            .sort()
            .pop()}）后进行。`,
        ),
      );
      break;
    case 'drawn':
      box.append(
        h('div', { class: 'lt-big' }, `已抽取：${c.entrants} 人报名，${c.winners} 人中签`),
        h(
          'div',
          { class: 'lt-actions' },
          h('a', { class: 'btn btn-primary', href: `/lottery/result.html?id=${c.id}` }, '查看抽取结果'),
          h('a', { class: 'btn', href: `/lottery/verify.html?id=${c.id}` }, '自己核验'),
        ),
      );
      break;
    case 'cancelled':
      box.append(h('div', { class: 'notice notice-error' }, `本活动已取消：${c.cancel_reason || ''}`));
      break;
    default:
      break;
  }
  if (me && me.entered && c.phase !== 'signup') {
    box.append(
      me.entry_no ? h('div', '您的报名编号：', h('span', { class: 'lt-entry-no' }, String(me.entry_no))) : null,
      c.phase === 'drawn'
        ? me.won
          ? h(
              'div',
              { class: 'notice notice-ok' },
              '恭喜您中签！',
              h('a', { href: '/m/vouchers.html' }, '到“我的消费券”出示二维码使用'),
            )
          : h('div', { class: 'muted' }, '很遗憾，您这次没有中签。')
        : null,
    );
  }
  return panel('报名', box);
}
