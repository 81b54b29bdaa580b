// retreat-stats.js — 疗休养统计: subsidy paid, trips and members served and
// the share of frontline workers for the user's scope or one union in it and
// a period of departures, by year, route and provider, with the sentence a
// federation puts in its report. Two views (GET /api/v1/retreat/stats?view=):
// 本会组织 (offered: the trips our unions organised and paid for) and
// 本会会员参加 (members: the trips our members took, whoever organised them).
// Charts by year and by route, each with its table and 导出数据; 导出 Excel
// (by route) follows the view.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { fmtYuan, fmtYuanBig, label } from '../../lib/format.js';
import { field } from '../../lib/form.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { download } from '../../lib/download.js';
import { simpleTable } from '../../lib/simpletable.js';
import { toast, busy, pageHeader, segmented } from '../../lib/ui.js';
import { ensureRetreatCss, PROVIDER_KINDS } from '../../lib/retreat.js';
import { chart, categoryOption, rankOption, figurePanel } from '../../lib/chart.js';

export default function retreatStatsPage(ctx) {
  ensureRetreatCss();
  const VIEWS = [
    ['offered', '本会组织'],
    ['members', '本会会员参加'],
  ];
  let view = VIEWS.some(([v]) => v === ctx.query.view) ? ctx.query.view : 'offered';
  let q = {};
  const content = h('div');
  const viewTabs = segmented({
    label: '统计口径',
    options: VIEWS,
    value: view,
    onChange: (v) => {
      view = v;
      history.replaceState(null, '', `#/retreat/stats${v === 'offered' ? '' : `?view=${v}`}`);
      load();
    },
  });
  const exportBtn = h(
    'button',
    { type: 'button', class: 'btn', onclick: exportXlsx },
    icon('download', 16),
    '导出 Excel',
  );
  const filter = h(
    'form',
    { class: 'search-form', role: 'search', novalidate: true },
    orgPicker({ label: '统计范围', empty: '我的全部管辖范围' }),
    field({ name: 'from', label: '出发日期从', type: 'date' }),
    field({ name: 'to', label: '至', type: 'date' }),
    h(
      'div',
      { class: 'search-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, icon('search', 16), '统计'),
    ),
  );
  filter.addEventListener('submit', (ev) => {
    ev.preventDefault();
    q = { org_id: filter.elements.org_id.value, from: filter.elements.from.value, to: filter.elements.to.value };
    load();
  });

  async function exportXlsx() {
    busy(exportBtn, true, '导出中…');
    try {
      const f = await download('/api/v1/retreat/stats', {
        query: { ...q, view, format: 'xlsx' },
        filename: `疗休养统计（${viewLabel()}）.xlsx`,
        signal: ctx.signal,
      });
      toast(`已导出 ${f.name}`, 'success');
    } catch (e) {
      if (e.name !== 'AbortError') toast(`导出失败：${e.message}`, 'error');
    } finally {
      busy(exportBtn, false);
    }
  }

  const stat = (num, text, total) =>
    h(
      'div',
      { class: ['stat', total && 'is-total'] },
      h('div', { class: 'stat-num' }, num),
      h('div', { class: 'stat-label' }, text),
    );

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
      s = await api.get('/api/v1/retreat/stats', { ...q, view }, { signal: ctx.signal });
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
    const t = s.totals;
    const money = (r) => h('span', { class: 'num' }, fmtYuan(r.subsidy_fen));
    const members = view === 'members';
    const empty = members ? '所选范围内的会员还没有已完成的疗休养' : '所选范围内还没有已完成的疗休养';
    const byYear = simpleTable({
      caption: '按年度',
      columns: [
        { key: 'year', title: '年度', nowrap: true },
        { key: 'trips', title: '人次', align: 'right', nowrap: true },
        { key: 'members', title: '人数', align: 'right', nowrap: true },
        { key: 'frontline_trips', title: '一线职工人次', align: 'right', nowrap: true },
        { key: 'subsidy_fen', title: '补助（元）', align: 'right', nowrap: true, render: money },
      ],
      rows: s.by_year,
      empty,
    });
    const byRoute = simpleTable({
      caption: '按线路',
      columns: [
        { key: 'title', title: '线路', render: (r) => h('a', { href: `#/retreat/routes/${r.route_id}` }, r.title) },
        { key: 'provider_name', title: '主要服务机构' },
        { key: 'trips', title: '人次', align: 'right', nowrap: true },
        { key: 'members', title: '人数', align: 'right', nowrap: true },
        { key: 'frontline_share', title: '一线占比', align: 'right', nowrap: true },
        { key: 'subsidy_fen', title: '补助（元）', align: 'right', nowrap: true, render: money },
      ],
      rows: s.by_route,
      empty,
    });
    const byProvider = simpleTable({
      caption: '按服务机构',
      columns: [
        { key: 'name', title: '服务机构' },
        { key: 'kind', title: '类型', nowrap: true, render: (r) => label(PROVIDER_KINDS, r.kind) },
        { key: 'trips', title: '人次', align: 'right', nowrap: true },
        { key: 'frontline_share', title: '一线占比', align: 'right', nowrap: true },
        { key: 'subsidy_fen', title: '补助（元）', align: 'right', nowrap: true, render: money },
      ],
      rows: s.by_provider,
      empty,
    });
    const file = (what) => `疗休养统计-${viewLabel()}-${what}.csv`;
    mount(
      content,
      h(
        'section',
        { class: ['panel', 'headline', !t.trips && 'is-empty'], 'aria-label': '疗休养成效' },
        // A check only for figures to report; an empty period is not a success.
        t.trips ? h('div', { class: 'headline-icon', 'aria-hidden': 'true' }, icon('check', 22)) : null,
        h(
          'div',
          { class: 'headline-body' },
          h('p', { class: 'headline-text' }, s.sentence),
          h(
            'p',
            { class: 'headline-sub' },
            t.trips
              ? `待确认预订 ${s.pending_confirmation} 个 · 即将出发的预订 ${s.upcoming_bookings} 个`
              : `${members ? '可切换到“本会组织”查看本会组织的线路。' : '可切换到“本会会员参加”查看本会会员参加上级或其他工会组织的疗休养。'}待确认预订 ${s.pending_confirmation} 个 · 即将出发的预订 ${s.upcoming_bookings} 个`,
          ),
        ),
      ),
      // No figures to add up: the sentence above says so, without a row of zeros.
      !t.trips
        ? null
        : h(
            'section',
            { class: 'panel', 'aria-label': '合计' },
            h(
              'div',
              { class: 'rt-figures' },
              stat(fmtYuanBig(t.subsidy_fen), members ? '会员享受补助' : '工会补助', true),
              stat(t.trips, members ? '参加会员（人次）' : '服务职工（人次）'),
              stat(t.members, members ? '参加会员（人）' : '服务职工（人）'),
              stat(t.frontline_share, `一线职工占比（${t.frontline_trips} 人次）`),
            ),
          ),
      figurePanel({
        title: '按年度',
        chart: s.by_year.length ? yearChart(s.by_year) : null,
        table: byYear,
        filename: file('按年度'),
      }),
      figurePanel({
        title: '按线路',
        chart: s.by_route.length ? routeChart(s.by_route) : null,
        table: byRoute,
        filename: file('按线路'),
      }),
      figurePanel({
        title: '按服务机构',
        table: byProvider,
        filename: file('按服务机构'),
        note: members
          ? '统计已完成的出行（补助已入账），按参加会员所属工会和出发日期，不论线路由哪一级工会组织；人次按预订计，人数为不重复的会员。'
          : '统计已完成的出行（补助已入账），按组织线路的工会和出发日期；人次按预订计，人数为不重复的会员。',
      }),
    );
  }

  function viewLabel() {
    return VIEWS.find(([v]) => v === view)[1];
  }

  // The ten routes with the most trips (the table has them all).
  function routeChart(rows) {
    const top = [...rows].sort((a, b) => b.trips - a.trips).slice(0, 10);
    return chart({
      label: '各线路服务人次',
      signal: ctx.signal,
      height: Math.max(160, 40 + top.length * 30),
      option: rankOption({
        categories: top.map((r) => r.title),
        name: '人次',
        integer: true,
        data: top.map((r) => r.trips),
        format: (v, i) => `${v} 人次 · 补助 ${fmtYuanBig(top[i].subsidy_fen)}`,
      }),
    });
  }

  // Subsidy (bars, 万元) and trips (lines, 人次) by year, oldest first; the
  // table below has the same figures (and stays alone if the chart cannot load).
  function yearChart(rows) {
    const years = [...rows].sort((a, b) => String(a.year).localeCompare(String(b.year)));
    return chart({
      label: '按年度的工会补助与服务人次',
      signal: ctx.signal,
      option: categoryOption({
        categories: years.map((r) => `${r.year}年`),
        axes: [{ name: '万元' }, { name: '人次', integer: true }],
        series: [
          {
            name: '工会补助',
            type: 'bar',
            data: years.map((r) => r.subsidy_fen / 1000000),
            format: (_, i) => fmtYuanBig(years[i].subsidy_fen),
          },
          { name: '服务职工', type: 'line', right: true, data: years.map((r) => r.trips), format: (v) => `${v} 人次` },
          {
            name: '其中一线职工',
            type: 'line',
            right: true,
            data: years.map((r) => r.frontline_trips),
            format: (v) => `${v} 人次`,
          },
        ],
      }),
    });
  }

  load();
  return h(
    'div',
    pageHeader({ title: '疗休养统计', desc: '投入的工会补助、服务的职工人次与一线职工占比', actions: [exportBtn] }),
    h('div', { class: 'page-tabs' }, viewTabs),
    filter,
    content,
  );
}
