// refund-stats.js — 返还统计: refunds paid to small and micro enterprises,
// by year and region and cumulatively, with the sentence the federation
// reports ("截至2022年底，累计为11户小微企业返还工会经费33.35万元"), for the
// user's scope or one union in it; 导出 Excel for the report. Each table has a
// chart above it (cumulative by year; by year and region, stacked by region)
// and 导出数据 for its figures.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { fmtYuan, fmtYuanBig } from '../../lib/format.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { download } from '../../lib/download.js';
import { simpleTable } from '../../lib/simpletable.js';
import { toast, busy, pageHeader } from '../../lib/ui.js';
import { chart, categoryOption, figurePanel } from '../../lib/chart.js';

export default function refundStatsPage(ctx) {
  let orgId = '';
  const content = h('div');
  const picker = orgPicker({ label: '统计范围', empty: '我的全部管辖范围' });
  const exportBtn = h(
    'button',
    { type: 'button', class: 'btn', onclick: exportXlsx },
    icon('download', 16),
    '导出 Excel',
  );
  const filter = h(
    'form',
    { class: 'search-form', role: 'search', novalidate: true },
    picker,
    h(
      'div',
      { class: 'search-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, icon('search', 16), '查询'),
    ),
  );
  filter.addEventListener('submit', (ev) => {
    ev.preventDefault();
    orgId = filter.elements.org_id.value;
    load();
  });

  async function exportXlsx() {
    busy(exportBtn, true, '导出中…');
    try {
      const f = await download('/api/v1/refund-stats', {
        query: { format: 'xlsx', org_id: orgId },
        filename: '经费返还统计.xlsx',
        signal: ctx.signal,
      });
      toast(`已导出 ${f.name}`, 'success');
    } catch (e) {
      if (e.name !== 'AbortError') toast(`导出失败：${e.message}`, 'error');
    } finally {
      busy(exportBtn, false);
    }
  }

  async function load() {
    mount(
      content,
      h(
        'div',
        { class: 'panel' },
        h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '统计中…'),
      ),
    );
    let s;
    try {
      s = await api.get('/api/v1/refund-stats', { org_id: orgId }, { signal: ctx.signal });
    } catch (e) {
      if (e.name === 'AbortError') return;
      mount(
        content,
        h(
          'div',
          { class: 'panel' },
          h('div', { class: 'state state-error', role: 'alert' }, `统计加载失败：${e.message}`),
        ),
      );
      return;
    }
    const cumulative = s.cumulative || [];
    const rows = s.by_year_region || [];
    const last = cumulative[cumulative.length - 1];
    // Sum of integer fen; enterprises are not summed across years (one may be refunded in several).
    const totalFen = rows.reduce((a, r) => a + r.amount_fen, 0);
    mount(
      content,
      h(
        'section',
        { class: ['panel', 'headline', !last && 'is-empty'], 'aria-label': '返还成效' },
        // A check only when there is something to report.
        last ? h('div', { class: 'headline-icon', 'aria-hidden': 'true' }, icon('check', 22)) : null,
        h(
          'div',
          { class: 'headline-body' },
          h('p', { class: 'headline-text' }, s.sentence),
          last
            ? h('p', { class: 'headline-sub' }, `累计返还 ${last.enterprises} 户、${fmtYuan(last.amount_fen)} 元`)
            : null,
        ),
      ),
      figurePanel({
        title: '逐年累计',
        filename: '经费返还统计-逐年累计.csv',
        chart: cumulative.length ? cumulativeChart(cumulative) : null,
        table: simpleTable({
          caption: '逐年累计',
          columns: [
            { key: 'year', title: '截至年底', nowrap: true, render: (r) => `${r.year} 年` },
            { key: 'enterprises', title: '累计企业（户）', align: 'right', nowrap: true },
            {
              key: 'amount_fen',
              title: '累计金额（元）',
              align: 'right',
              nowrap: true,
              render: (r) => h('span', { class: 'num' }, fmtYuan(r.amount_fen)),
            },
            { key: 'wan', title: '折合', align: 'right', nowrap: true, render: (r) => fmtYuanBig(r.amount_fen) },
            { key: 'sentence', title: '表述' },
          ],
          rows: cumulative,
          empty: '尚无已付款的返还记录',
        }),
      }),
      figurePanel({
        title: '按年度和地区',
        filename: '经费返还统计-按年度和地区.csv',
        chart: rows.length ? regionChart(rows) : null,
        note: '按付款日期所在年度统计；合计的企业户数为不重复的企业数。',
        table: simpleTable({
          caption: '按年度和地区',
          columns: [
            { key: 'year', title: '付款年度', nowrap: true },
            { key: 'city_name', title: '地区', render: (r) => r.city_name || '' },
            {
              key: 'city_code',
              title: '区划代码',
              nowrap: true,
              render: (r) => h('span', { class: 'mono' }, r.city_code),
            },
            { key: 'enterprises', title: '返还企业（户）', align: 'right', nowrap: true },
            {
              key: 'amount_fen',
              title: '返还金额（元）',
              align: 'right',
              nowrap: true,
              render: (r) => (r.amount_fen === null ? '' : h('span', { class: 'num' }, fmtYuan(r.amount_fen))),
            },
          ],
          rows,
          foot: rows.length
            ? [
                {
                  year: '合计',
                  city_name: '',
                  city_code: '',
                  enterprises: last ? last.enterprises : '',
                  amount_fen: totalFen,
                },
              ]
            : null,
          empty: '尚无已付款的返还记录',
        }),
      }),
    );
  }

  // Cumulative amount (bars, 万元) and enterprises (line) at each year's end.
  function cumulativeChart(cum) {
    return chart({
      label: '逐年累计返还金额与企业户数',
      signal: ctx.signal,
      option: categoryOption({
        categories: cum.map((r) => `${r.year}年`),
        axes: [{ name: '万元' }, { name: '户', integer: true }],
        series: [
          {
            name: '累计返还金额',
            type: 'bar',
            data: cum.map((r) => r.amount_fen / 1000000),
            format: (_, i) => fmtYuanBig(cum[i].amount_fen),
          },
          {
            name: '累计企业',
            type: 'line',
            right: true,
            data: cum.map((r) => r.enterprises),
            format: (v) => `${v} 户`,
          },
        ],
      }),
    });
  }

  // Amount paid each year (万元), one stacked bar segment per region.
  function regionChart(rows) {
    const years = [...new Set(rows.map((r) => String(r.year)))].sort();
    const regions = [...new Set(rows.map((r) => r.city_name || r.city_code || '未注明地区'))];
    const fen = (y, c) =>
      rows
        .filter((r) => String(r.year) === y && (r.city_name || r.city_code || '未注明地区') === c)
        .reduce((a, r) => a + (r.amount_fen || 0), 0);
    return chart({
      label: '各年度分地区返还金额',
      signal: ctx.signal,
      option: categoryOption({
        categories: years.map((y) => `${y}年`),
        axes: [{ name: '万元' }],
        series: regions.map((c) => ({
          name: c,
          type: 'bar',
          stack: 'amount',
          data: years.map((y) => fen(y, c) / 1000000),
          format: (_, i) => fmtYuanBig(fen(years[i], c)),
        })),
      }),
    });
  }

  load();
  return h(
    'div',
    pageHeader({ title: '返还统计', desc: '已付款的小微企业工会经费返还，按年度、地区统计', actions: [exportBtn] }),
    filter,
    content,
  );
}
