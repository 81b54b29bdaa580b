// lottery-admin.js — one voucher lottery in the console (#/lottery/{id}):
// where it stands, its figures (winners, redeemed and their value,
// forfeited, expired), and what the retreat duty does next — enter the
// sources' published numbers and draw (once), correct a typo in them (a new,
// audited version while no voucher is used), draw a second round for
// forfeited vouchers, withdraw a voucher with a reason, or cancel before the
// earliest draw date of the sources. The vouchers are listed by state, codes
// never shown.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { fmtTime } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { field, formDialog } from '../../lib/form.js';
import { panel, segmented, tag } from '../../lib/ui.js';
import {
  VOUCHER_STATUS,
  VOUCHER_TONE,
  phaseTag,
  yuan,
  rulesList,
  sourcesList,
  timeline,
  ensureCss,
  loading,
  failed,
} from '../../lib/lottery.js';

const VOUCHER_TABS = [
  ['', '全部'],
  ...['issued', 'redeemed', 'expired', 'forfeited', 'void'].map((s) => [s, VOUCHER_STATUS[s]]),
];

export default function lotteryAdminPage(ctx) {
  ensureCss();
  const id = Number(ctx.params.id);
  const body = h('div', h('div', { class: 'panel' }, loading()));
  const el = h('div', h('a', { class: 'back-link', href: '#/lottery' }, icon('arrowLeft', 16), '返回抽取活动'), body);
  let status = '';

  async function load() {
    let c;
    try {
      c = await api.get(`/api/v1/lottery/campaigns/${id}`, undefined, { signal: ctx.signal });
    } catch (e) {
      if (e.name === 'AbortError') return;
      return mount(
        body,
        h('div', { class: 'panel' }, failed(e.status === 404 ? '没有这个活动' : `加载失败：${e.message}`, load)),
      );
    }
    render(c);
  }

  function valuesDialog(c, { correction }) {
    const cur = c.draws.find((d) => d.current);
    const { form: f } = formDialog({
      title: correction ? '更正开奖号码' : '录入开奖号码并抽取',
      wide: true,
      className: 'form-grid form-1',
      intro: h(
        'p',
        { class: 'notice notice-warn' },
        correction
          ? '只能更正录入错误：更正后原结果作废、其消费券失效，两个版本和更正原因都会公开并记入审计日志。已有消费券被使用或放弃后不能再更正。'
          : `请核对彩票官方开奖公告后录入。提交后立即按 RFC 3797 抽取 ${Math.min(c.voucher_count, c.entrants)} 人，结果公开，不能重新抽取。`,
      ),
      submitText: correction ? '更正' : '抽取',
      danger: correction,
      busyText: '抽取中…',
      fields: [
        ...c.sources.map((s, i) =>
          field({
            name: `s${i}`,
            label: `${s.name}（${s.draw_date} 开奖${s.value_count ? `，${s.value_count} 个号码` : ''}）`,
            required: true,
            wide: true,
            value: correction ? cur.source_values[i] : '',
            placeholder: '按开奖公告填写，号码之间用空格分隔',
            autocomplete: 'off',
          }),
        ),
        correction
          ? field({
              name: 'reason',
              label: '更正原因',
              required: true,
              maxlength: 200,
              wide: true,
              hint: '将与两个版本一起公开',
            })
          : null,
      ].filter(Boolean),
      submit: (v) => {
        const sources = c.sources.map((_, i) => v[`s${i}`]);
        return api.post(
          `/api/v1/lottery/campaigns/${id}/${correction ? 'correction' : 'draw'}`,
          correction ? { sources, reason: v.reason } : { sources },
        );
      },
      // sources[1] → the field s1
      aliases: (e) => {
        const m = /^sources\[(\d+)\]$/.exec(e.field || '');
        return m ? { [e.field]: `s${m[1]}` } : {};
      },
      success: correction ? '已更正并重新计算，两个版本都已公开' : '抽取完成，结果已公开',
      after: () => load(),
    });
    f.querySelector('input').focus();
  }

  function reasonDialog({ title, label, okText, url, done }) {
    const { form: f } = formDialog({
      title,
      className: 'form-grid form-1',
      submitText: okText,
      danger: true,
      busyText: '提交中…',
      fields: [{ name: 'reason', label, required: true, maxlength: 200, wide: true }],
      submit: (v) => api.post(url, { reason: v.reason }),
      success: done,
      after: () => load(),
    });
    f.querySelector('input').focus();
  }

  function roundDialog(c, slots) {
    formDialog({
      title: '补抽',
      className: 'form-grid form-1',
      intro: h(
        'p',
        { class: 'notice' },
        '补抽接续原抽取的序号，从未中签的报名人中按同一密钥串继续计算（与一次抽取更多人的结果相同），无需新的随机源。',
      ),
      submitText: '补抽',
      busyText: '抽取中…',
      fields: [
        {
          name: 'count',
          label: '补抽人数',
          type: 'number',
          required: true,
          value: String(slots),
          hint: `最多 ${slots} 人（被放弃或收回的消费券数）`,
        },
      ],
      submit: (v) => api.post(`/api/v1/lottery/campaigns/${id}/rounds`, { count: Number(v.count) }),
      success: '补抽完成',
      after: () => {
        load();
      },
    });
  }

  function render(c) {
    const fig = c.figures || {};
    const slots = c.voucher_count - (fig.winners - fig.forfeited);
    const actions = [];
    if (c.can_manage) {
      if (c.phase === 'frozen' || c.phase === 'closed')
        actions.push(
          h(
            'button',
            { type: 'button', class: 'btn btn-primary', onclick: () => valuesDialog(c, { correction: false }) },
            '录入开奖号码并抽取',
          ),
        );
      if (c.phase === 'drawn' && !fig.redeemed && !fig.forfeited && c.rounds === 1)
        actions.push(
          h(
            'button',
            { type: 'button', class: 'btn', onclick: () => valuesDialog(c, { correction: true }) },
            '更正开奖号码',
          ),
        );
      if (c.phase === 'drawn' && slots > 0 && c.winners < c.entrants)
        actions.push(
          h(
            'button',
            {
              type: 'button',
              class: 'btn btn-primary',
              onclick: () => roundDialog(c, Math.min(slots, c.entrants - c.winners)),
            },
            '补抽',
          ),
        );
      // offered only while the server would accept it: before the earliest
      // draw date of the sources, never once a result can take shape
      if (c.can_cancel) {
        actions.push(
          h(
            'button',
            {
              type: 'button',
              class: 'btn btn-danger',
              onclick: () =>
                reasonDialog({
                  title: '取消活动',
                  label: '取消原因（公开）',
                  okText: '取消活动',
                  url: `/api/v1/lottery/campaigns/${id}/cancel`,
                  done: '活动已取消',
                }),
            },
            '取消活动',
          ),
        );
      }
    }
    actions.push(
      h('a', { class: 'btn', href: `/lottery/campaign.html?id=${id}`, target: '_blank', rel: 'noopener' }, '公开页面'),
    );
    const stat = (label, value, sub) =>
      h(
        'div',
        { class: 'stat' },
        h('div', { class: 'stat-label' }, label),
        h('div', { class: 'stat-num' }, value),
        sub ? h('div', { class: 'muted small' }, sub) : null,
      );
    const vouchers = c.draws.length ? voucherTable() : null;
    mount(
      body,
      h(
        'div',
        { class: 'detail-head' },
        h(
          'div',
          h('h1', { class: 'detail-title' }, c.title),
          h(
            'div',
            { class: 'detail-tags' },
            phaseTag(c.phase),
            h('span', { class: 'muted' }, `${c.org_name} · 编号 ${c.id}`),
          ),
        ),
        h('div', { class: 'detail-actions' }, actions),
      ),
      panel(
        null,
        h(
          'div',
          { class: 'stats' },
          stat('报名', `${c.entrants} 人`, c.list_sha256 ? '名单已公布' : `截止 ${fmtTime(c.signup_closes_at)}`),
          stat('中签', `${c.winners} 人`, c.rounds > 1 ? `共 ${c.rounds} 轮` : `${c.voucher_count} 张可发`),
          stat('已核销', `${fig.redeemed ?? 0} 张`, yuan(fig.redeemed_fen ?? 0)),
          stat('放弃或收回', `${fig.forfeited ?? 0} 张`),
          stat('已过期未用', `${fig.expired ?? 0} 张`, `有效期至 ${c.valid_to}`),
        ),
      ),
      panel('规则', rulesList(c)),
      panel(
        '随机源',
        sourcesList(c),
        c.draws.length
          ? h(
              'p',
              { class: 'muted small', style: { marginTop: '8px' } },
              `密钥串：${c.draws.find((d) => d.current).key_string}（${c.draws.length} 个版本）`,
            )
          : null,
      ),
      panel('进度', timeline(c)),
      vouchers ? panel('消费券', vouchers) : null,
    );
  }

  function voucherTable() {
    const tabs = segmented({
      label: '消费券状态',
      options: VOUCHER_TABS,
      value: status,
      onChange: (v) => {
        status = v;
        table.reload();
      },
    });
    const table = createTable({
      caption: '消费券',
      columns: [
        { key: 'pick_index', title: '序号', nowrap: true },
        { key: 'entry_no', title: '报名编号', nowrap: true },
        { key: 'holder', title: '中签人', nowrap: true, render: (v) => `${v.holder}` },
        { key: 'holder_org', title: '所在工会' },
        {
          key: 'code_tail',
          title: '券码尾号',
          nowrap: true,
          render: (v) => h('span', { class: 'mono' }, `…${v.code_tail}`),
        },
        {
          key: 'status',
          title: '状态',
          nowrap: true,
          render: (v) => tag(VOUCHER_STATUS[v.status] || v.status, VOUCHER_TONE[v.status]),
        },
        {
          key: 'redeemed_at',
          title: '使用',
          render: (v) => (v.redeemed_at ? `${fmtTime(v.redeemed_at)} ${v.provider_name}` : v.status_reason || ''),
        },
        {
          key: 'act',
          title: '操作',
          nowrap: true,
          render: (v) =>
            v.status === 'issued'
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn btn-sm',
                    onclick: (ev) => {
                      ev.stopPropagation();
                      reasonDialog({
                        title: '收回消费券',
                        label: '收回原因',
                        okText: '收回',
                        url: `/api/v1/vouchers/${v.id}/forfeit`,
                        done: '已收回，可补抽',
                      });
                    },
                  },
                  '收回',
                )
              : '',
        },
      ],
      perPage: 20,
      empty: '没有这种状态的消费券',
      exportXlsx: {
        path: `/api/v1/lottery/campaigns/${id}/vouchers`,
        filename: '消费券.xlsx',
        query: (f) => ({ ...f, status }),
      },
      fetch: (p, signal) => api.get(`/api/v1/lottery/campaigns/${id}/vouchers`, { ...p, status }, { signal }),
    });
    return h('div', tabs, h('div', { style: { height: '10px' } }), table.el);
  }

  load();
  return el;
}
