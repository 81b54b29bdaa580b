// refund-stats.js — 返还统计: refunds paid to small and micro enterprises,
// by year and region and cumulatively, with the sentence the federation
// reports ("截至2022年底，累计为11户小微企业返还工会经费33.35万元"), for the
// user's scope or one union in it; 导出 Excel for the report.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { fmtYuan, fmtYuanBig } from '../../lib/format.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { download } from '../../lib/download.js';
import { simpleTable } from '../../lib/simpletable.js';
import { toast, busy, pageHeader, panel } from '../../lib/ui.js';

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
        { class: 'panel headline', 'aria-label': '返还成效' },
        h('div', { class: 'headline-icon', 'aria-hidden': 'true' }, icon('check', 22)),
        h(
          'div',
          { class: 'headline-body' },
          h('p', { class: 'headline-text' }, s.sentence),
          last
            ? h('p', { class: 'headline-sub' }, `累计返还 ${last.enterprises} 户、${fmtYuan(last.amount_fen)} 元`)
            : null,
        ),
      ),
      panel(
        '逐年累计',
        simpleTable({
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
      ),
      panel(
        '按年度和地区',
        simpleTable({
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
        h('p', { class: 'panel-note' }, '按付款日期所在年度统计；合计的企业户数为不重复的企业数。'),
      ),
    );
  }

  load();
  return h(
    'div',
    pageHeader({ title: '返还统计', desc: '已付款的小微企业工会经费返还，按年度、地区统计', actions: [exportBtn] }),
    filter,
    content,
  );
}
