// chart.js — charts on figures pages and dashboards, drawn by ECharts (the npm
// package, pinned in package-lock.json and served by gonghui at
// /vendor/echarts.esm.min.js; only pages that draw a chart load it). A chart
// is a second view of figures the page also shows in a table, so when the
// library cannot be loaded the chart's box goes away and the table remains.
import { h } from './dom.js';

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
// format(value) its labels; integer: true keeps an axis to whole numbers.
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
      barMaxWidth: 36,
      symbolSize: 7,
      label: { show: false },
    })),
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
