// retreat-route-import.js — 导入线路: recuperation routes from an Excel
// workbook or CSV, one row per route, for a union in scope (the offering
// union that pays the subsidy). Every row passes the same checks as the route
// editor; 试导入 writes nothing, 正式导入 writes all rows or none. The member
// price is never imported: the server derives it as 全价 − 工会补助.
import { h, icon } from '../../lib/dom.js';
import { csvImport, stats, errorTable, columnList } from '../../lib/csvimport.js';
import { pageHeader, panel } from '../../lib/ui.js';
import { ROUTE_IMPORT_FIELDS } from '../../lib/retreat.js';

const TEMPLATE = '/templates/retreat-routes-template.csv';

const COLUMNS = [
  ['线路名称', '必填', ''],
  ['目的地', '必填', '如 淮安、溧阳天目湖'],
  ['行政区划代码', '必填', '目的地所在区县，6 位'],
  ['天数', '必填', '1 到 30'],
  ['全价', '必填', '元/人，最多两位小数'],
  ['工会补助', '必填', '元/人，不高于全价；会员价由系统按 全价 − 补助 计算，不必填写'],
  ['服务机构', '必填', '已登记机构的全称或编号，多个用“、”分隔（第一个为主要机构）'],
  ['行程', '必填', '每天一行（或用“|”分隔），如“第1天 抵达淮安：参观纪念馆”；天数须与“天数”一致'],
  ['线路编号', '选填', '字母、数字、- 或 _，不能重复'],
  ['简介', '选填', ''],
  ['主题', '选填', '如 红色、乡村、康养、研学，多个用“、”分隔'],
  ['费用包含', '选填', '如 住宿、餐饮、门票，多个用“、”分隔'],
  ['可预订工会编号', '选填', '留空为主办工会及其下级；外省工会须有有效的跨区域合作协议'],
  ['入会年限', '选填', '入会满几年可预订，默认 0'],
  ['仅限一线职工', '选填', '是 / 否，默认否'],
  ['确认方式', '选填', '即时确认 或 工会确认；留空按预订规则'],
  ['状态', '选填', '发布 或 草稿（默认）；已发布且服务机构均已准入的线路随即在公开目录展示'],
  ['主办工会编号', '选填', '留空即为所选工会；填写时须是其下级工会'],
];

export default function routeImportPage(ctx) {
  const { form, result } = csvImport({
    signal: ctx.signal,
    endpoint: '/api/v1/retreat/admin/routes/import',
    what: '线路',
    orgLabel: '主办工会',
    orgHint: '发放补助、管理出发批次的工会；文件中填了“主办工会编号”的行属于该编号的下级工会',
    lead: '试导入只检查、不写入；正式导入时全部行无误才写入，有任何错误则整批不导入。',
    confirm: (file, org) => `确定把「${file}」中的线路导入为「${org}」主办的线路吗？全部行无误时才会写入。`,
    report: (r, { dryRun }) => {
      let verdict;
      if (dryRun)
        verdict = r.error_count
          ? `检查发现 ${r.error_count} 行有错误（共 ${r.message_count || r.error_count} 处），请修改文件后再导入。试导入未写入任何数据。`
          : `检查通过，共 ${r.rows} 条线路，可以正式导入。试导入未写入任何数据。`;
      else
        verdict = r.error_count
          ? `发现 ${r.error_count} 行有错误（共 ${r.message_count || r.error_count} 处），整批未导入。请修改文件后重新导入。`
          : `导入成功，已新建 ${r.imported} 条线路。出发批次请在线路详情中添加。`;
      const tone = r.error_count ? 'error' : 'ok';
      return [
        h('div', { class: ['notice', `notice-${tone}`], role: tone === 'error' ? 'alert' : 'status' }, verdict),
        stats([
          [r.rows, '线路行数'],
          dryRun ? null : [r.imported, '已新建', 'is-total'],
          [r.error_count, '有错误的行', r.error_count ? 'is-bad' : 'is-good'],
        ]),
        errorTable(r.errors, ROUTE_IMPORT_FIELDS, {
          truncated: r.errors_truncated,
          total: r.message_count || r.error_count,
        }),
        !dryRun && !r.error_count
          ? h('p', { class: 'small' }, h('a', { href: '#/retreat/routes' }, '查看线路列表 ›'))
          : null,
      ];
    },
  });

  return h(
    'div',
    h('a', { class: 'back-link', href: '#/retreat/routes' }, icon('arrowLeft', 16), '返回线路管理'),
    pageHeader({
      title: '导入线路',
      desc: '用 Excel 或 CSV 文件批量新建疗休养线路（每行一条）；先试导入检查，再正式导入',
      actions: [
        h('a', { class: 'btn', href: TEMPLATE, download: '疗休养线路导入模板.csv' }, icon('download', 16), '下载模板'),
      ],
    }),
    panel('选择工会和文件', form),
    result,
    panel(
      '文件格式',
      h(
        'p',
        { class: 'panel-lead' },
        '第一行为表头，列的顺序不限；行号从表头算起（表头为第 1 行；一个单元格内换行时占多行）。服务机构须先登记（可先',
        h('a', { href: '#/retreat/providers/import' }, '导入服务机构'),
        '）。',
        h('a', { href: TEMPLATE, download: '疗休养线路导入模板.csv' }, '下载模板'),
        '（含两行示例，导入前请删除）。',
      ),
      columnList(COLUMNS),
    ),
  );
}
