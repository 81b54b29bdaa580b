// chart.js — charts on figures pages and dashboards, drawn by ECharts (the npm
// package, pinned in package-lock.json and served by gonghui at
// /vendor/echarts.esm.min.js; only pages that draw a chart load it). A chart
// is a second view of figures the page also shows in a table, so when the
// library cannot be loaded the chart's box goes away and the table remains.
import { h, icon } from './dom.js';
import { saveTableCsv } from './download.js';

const SRC = '/vendor/echarts.esm.min.js';
const COLORS = ['#c8161d', '#2b63c6', '#1f8a4c', '#b86e00', '#7a4fc4', '#4e5561'];
const TEXT = '#4e5561';
const LINE = '#e4e6eb';

let loading = null;

// The ECharts module, loaded once; rejects when it cannot be loaded (a later
// call tries again).
export function loadECharts() {
  if (!loading) {
    loading = import(SRC).catch((e) => {
      loading = null;
      throw e;
    });
  }
  return loading;
}

// chart({label, option, height, signal}) → a <figure class="chart"> that draws
// the ECharts option once the library is loaded and the box has a width,
// follows the box's size (phone rotation, the side menu opening), and is
// disposed of when it leaves the page or signal aborts. label names the chart
// for screen readers. data-state on the figure: loading → ready (drawn, its
// animation over; none for people who asked for reduced motion); the figure
// removes itself when the library fails to load.
export function chart({ label, option, height = 300, signal }) {
  const box = h('div', { class: 'chart-box', role: 'img', 'aria-label': label, style: { height: `${height}px` } });
  const el = h('figure', { class: 'chart', dataset: { state: 'loading' } }, box);
  loadECharts().then(
    (echarts) => {
      if (signal && signal.aborted) return;
      let c = null;
      const ro = new ResizeObserver(() => {
        if (!box.isConnected) return stop();
        if (!box.clientWidth) return;
        if (c) return c.resize();
        c = echarts.init(box, null, { renderer: 'svg', locale: 'ZH' });
        c.on('finished', () => {
          el.dataset.state = 'ready';
        });
        c.setOption({ animation: !matchMedia('(prefers-reduced-motion: reduce)').matches, ...option });
      });
      const stop = () => {
        ro.disconnect();
        if (c) c.dispose();
        c = null;
      };
      ro.observe(box);
      if (signal) signal.addEventListener('abort', stop, { once: true });
    },
    () => el.remove(),
  );
  return el;
}

// An ECharts option for figures by category (years, months, unions): bars and
// lines over the same categories, each series on the left value axis or, with
// right: true, on the right one.
//   categoryOption({categories: ['2023', …],
//                   axes: [{name: '万元', format: (v) => …}, {name: '人次'}],
//                   series: [{name: '工会补助', type: 'bar', data: [2.68, …], format: (v) => '2.68万元'}, …]})
// format(value, index) (optional) writes a value in the tooltip; an axis's
// format(value) its labels; integer: true keeps an axis to whole numbers;
// series with the same stack: 'name' are stacked.
export function categoryOption({ categories, axes = [{}], series }) {
  const axis = (a, i) => ({
    type: 'value',
    name: a.name || '',
    position: i ? 'right' : 'left',
    nameTextStyle: { color: TEXT, align: i ? 'right' : 'left' },
    axisLabel: { color: TEXT, formatter: a.format },
    splitLine: { show: !i, lineStyle: { color: LINE } },
    minInterval: a.integer ? 1 : undefined,
  });
  return {
    color: COLORS,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    legend: { top: 0, left: 'center', itemGap: 14, textStyle: { color: TEXT } },
    // The grid's box holds the axis labels and names too (ECharts 6 outer bounds).
    grid: { top: 56, left: 4, right: 4, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'all' },
    tooltip: { trigger: 'axis', confine: true, formatter: (items) => tooltip(items, series) },
    xAxis: {
      type: 'category',
      data: categories,
      axisLine: { lineStyle: { color: LINE } },
      axisTick: { alignWithLabel: true },
      axisLabel: { color: TEXT },
    },
    yAxis: axes.map(axis),
    series: series.map((s) => ({
      name: s.name,
      type: s.type || 'bar',
      data: s.data,
      yAxisIndex: s.right ? 1 : 0,
      stack: s.stack,
      barMaxWidth: 36,
      symbolSize: 7,
      label: { show: false },
    })),
  };
}

// An ECharts option ranking categories (routes, unions, kinds) by one figure:
// horizontal bars, the first category on top (pass them largest first), long names shortened on the axis (the
// tooltip and the table below have them in full).
//   rankOption({categories: ['黄山…', …], name: '人次', data: [120, …],
//               format: (v, i) => '120 人次', integer: true})
export function rankOption({ categories, name, data, format, integer = false }) {
  const n = categories.length;
  const cats = [...categories].reverse();
  const vals = [...data].reverse();
  const short = (s) => (String(s).length > 10 ? `${String(s).slice(0, 9)}…` : String(s));
  return {
    color: COLORS,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    grid: { top: 24, left: 4, right: 16, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'all' },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      formatter: (items) =>
        h(
          'div',
          { class: 'chart-tip' },
          h('div', { class: 'chart-tip-title' }, cats[items[0].dataIndex]),
          h(
            'div',
            h('span', { class: 'chart-tip-dot', style: { background: items[0].color } }),
            `${name}：${format ? format(items[0].value, n - 1 - items[0].dataIndex) : items[0].value}`,
          ),
        ),
    },
    xAxis: {
      type: 'value',
      name,
      nameTextStyle: { color: TEXT },
      axisLabel: { color: TEXT },
      splitLine: { lineStyle: { color: LINE } },
      minInterval: integer ? 1 : undefined,
    },
    yAxis: {
      type: 'category',
      data: cats,
      axisLine: { lineStyle: { color: LINE } },
      axisTick: { show: false },
      axisLabel: { color: TEXT, formatter: short },
    },
    series: [{ name, type: 'bar', data: vals, barMaxWidth: 22 }],
  };
}

// The tooltip as DOM (data goes in as text): the category, then one line per series.
function tooltip(items, series) {
  return h(
    'div',
    { class: 'chart-tip' },
    h('div', { class: 'chart-tip-title' }, items[0].axisValueLabel),
    items.map((it) => {
      const s = series[it.seriesIndex];
      return h(
        'div',
        h('span', { class: 'chart-tip-dot', style: { background: it.color } }),
        `${it.seriesName}：${s.format ? s.format(it.value, it.dataIndex) : it.value}`,
      );
    }),
  );
}

// A figures panel: its title with 导出数据, the chart (may be null, e.g. when
// there are no rows) and under it the table with the same figures. 导出数据
// saves the table as shown (a CSV file Excel opens), so each chart's data can
// be taken away even when the library did not load.
//   figurePanel({title: '按年度', chart: chart({…}), table: simpleTable({…}),
//                filename: '疗休养统计-按年度.csv', note})
let figureSeq = 0;
export function figurePanel({ title, chart: c, table, filename, note }) {
  const id = `figure-${++figureSeq}`;
  const rows = table.querySelectorAll('tbody tr').length;
  const btn = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-sm',
      disabled: rows ? null : true,
      title: rows ? `导出“${title}”的数据（CSV，可用 Excel 打开）` : '没有可导出的数据',
      onclick: () => saveTableCsv(table.querySelector('table'), filename || `${title}.csv`),
    },
    icon('download', 14),
    '导出数据',
  );
  return h(
    'section',
    { class: 'panel figure-panel', 'aria-labelledby': id },
    h('div', { class: 'panel-title' }, h('h2', { id }, title), btn),
    c,
    table,
    note ? h('p', { class: 'panel-note' }, note) : null,
  );
}
