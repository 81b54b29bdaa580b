// lottery-stats.js — 消费券统计 (#/lottery-stats): for the user's organisation
// or one chosen below it, each campaign's entrants, winners, vouchers
// redeemed and their value, forfeited and expired ones; and the same by the
// entrants' unions (each child organisation with everything below it), and
// redemption over time (by_day: a chart of vouchers and value redeemed each
// day, with its table and 导出数据).
import { h, mount } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { fmtYuan, fmtYuanBig } from '../../lib/format.js';
import { simpleTable } from '../../lib/simpletable.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { panel, pageHeader } from '../../lib/ui.js';
import { chart, categoryOption, figurePanel } from '../../lib/chart.js';
import { phaseTag, ensureCss, loading, failed } from '../../lib/lottery.js';
import { href } from '../../lib/router.js';

export default function lotteryStatsPage(ctx) {
  ensureCss();
  const out = h('div', panel(null, loading('统计中…')));
  const picker = orgPicker({ label: '统计范围', empty: '本人范围' });
  const f = h(
    'form',
    { class: 'search-form', role: 'search', novalidate: true },
    picker,
    h('div', { class: 'search-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '统计')),
  );
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    load(f.elements.org_id.value);
  });

  async function load(org) {
    mount(out, panel(null, loading('统计中…')));
    let s;
    try {
      s = await api.get('/api/v1/lottery/stats', { org_id: org || '' }, { signal: ctx.signal });
    } catch (e) {
      if (e.name === 'AbortError') return;
      return mount(
        out,
        panel(
          null,
          failed(`统计失败：${e.message}`, () => load(org)),
        ),
      );
    }
    const t = s.totals;
    const stat = (label, value) =>
      h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-num' }, value));
    mount(
      out,
      panel(
        null,
        h(
          'div',
          { class: 'stats' },
          stat('报名人次', String(t.entrants)),
          stat('中签', String(t.winners)),
          stat('已核销', String(t.redeemed)),
          stat('核销金额', fmtYuanBig(t.redeemed_fen)),
          stat('过期未用', String(t.expired)),
        ),
      ),
      redemptionPanel(s.by_day || []),
      panel(
        '按活动',
        simpleTable({
          caption: '按活动统计',
          columns: [
            {
              key: 'title',
              title: '活动',
              render: (c) => h('a', { href: href('/lottery/{id}', { id: c.id }) }, c.title),
            },
            { key: 'org_name', title: '发放工会', nowrap: true },
            {
              key: 'status',
              title: '状态',
              nowrap: true,
              render: (c) => phaseTag(c.status === 'open' ? 'signup' : c.status),
            },
            { key: 'entrants', title: '报名', align: 'right' },
            { key: 'winners', title: '中签', align: 'right' },
            { key: 'redeemed', title: '已核销', align: 'right' },
            {
              key: 'redeemed_fen',
              title: '核销金额（元）',
              align: 'right',
              nowrap: true,
              render: (c) => fmtYuan(c.redeemed_fen),
            },
            { key: 'forfeited', title: '放弃/收回', align: 'right' },
            { key: 'expired', title: '过期未用', align: 'right' },
            {
              key: 'expired_fen',
              title: '过期金额（元）',
              align: 'right',
              nowrap: true,
              render: (c) => fmtYuan(c.expired_fen),
            },
          ],
          rows: s.campaigns,
          empty: '范围内没有抽取活动',
        }),
      ),
      panel(
        '按报名人所在工会',
        simpleTable({
          caption: '按工会统计',
          columns: [
            { key: 'org_name', title: '工会', render: (o) => (o.own_level ? `${o.org_name}（本级）` : o.org_name) },
            { key: 'entrants', title: '报名人次', align: 'right' },
            { key: 'winners', title: '中签', align: 'right' },
            { key: 'redeemed', title: '已核销', align: 'right' },
            {
              key: 'redeemed_fen',
              title: '核销金额（元）',
              align: 'right',
              nowrap: true,
              render: (o) => fmtYuan(o.redeemed_fen),
            },
          ],
          rows: s.by_org,
          empty: '没有报名记录',
        }),
      ),
    );
  }

  // Vouchers redeemed each day (bars) and their value (line, 元).
  function redemptionPanel(days) {
    return figurePanel({
      title: '核销趋势',
      filename: '消费券统计-核销趋势.csv',
      chart: days.length
        ? chart({
            label: '每日核销张数与金额',
            signal: ctx.signal,
            option: categoryOption({
              // MM-DD within one year, the full date across years
              categories: days.map((d) =>
                days[0].date.slice(0, 4) === days.at(-1).date.slice(0, 4) ? d.date.slice(5) : d.date,
              ),
              axes: [{ name: '张', integer: true }, { name: '元' }],
              series: [
                { name: '核销张数', type: 'bar', data: days.map((d) => d.redeemed), format: (v) => `${v} 张` },
                {
                  name: '核销金额',
                  type: 'line',
                  right: true,
                  data: days.map((d) => d.redeemed_fen / 100),
                  format: (_, i) => `${fmtYuan(days[i].redeemed_fen)} 元`,
                },
              ],
            }),
          })
        : null,
      table: simpleTable({
        caption: '每日核销',
        columns: [
          { key: 'date', title: '日期', nowrap: true },
          { key: 'redeemed', title: '核销（张）', align: 'right' },
          {
            key: 'redeemed_fen',
            title: '核销金额（元）',
            align: 'right',
            nowrap: true,
            render: (d) => fmtYuan(d.redeemed_fen),
          },
        ],
        rows: days,
        empty: '范围内还没有核销的消费券',
      }),
    });
  }

  load('');
  return h(
    'div',
    pageHeader({ title: '消费券统计', desc: '报名、中签、核销与过期情况，按活动和按报名人所在工会' }),
    f,
    out,
  );
}
