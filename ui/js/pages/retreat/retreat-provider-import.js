// retreat-provider-import.js — 导入服务机构: the recuperation providers
// (疗休养基地、民宿、乡村旅游集聚区、特色小镇、红色旅游景区) from an Excel
// workbook or CSV into a union in scope; 试导入 checks every row without
// writing, 正式导入 writes all rows or none (the shared import form polls the
// background job with a progress bar and lists every bad row).
import { h, icon } from '../../lib/dom.js';
import { csvImport, stats, errorTable, columnList } from '../../lib/csvimport.js';
import { pageHeader, panel } from '../../lib/ui.js';
import { PROVIDER_IMPORT_FIELDS } from '../../lib/retreat.js';

const TEMPLATE = '/templates/providers-template.csv';

const COLUMNS = [
  ['名称', '必填', '机构的登记名称；同名机构只能登记一次（线路导入时按名称找机构）'],
  ['类型', '必填', '旅游民宿、乡村旅游产业集聚区、特色小镇、红色旅游景区、疗休养基地'],
  ['行政区划代码', '必填', '机构所在区县，6 位，如 320118'],
  ['地址', '选填', ''],
  ['联系人', '选填', ''],
  ['联系电话', '选填', '固定电话（如 025-57351234）或手机号'],
  ['合作部门', '选填', '共同准入的文旅部门，如 南京市文化和旅游局'],
  ['状态', '选填', '申请中（默认）或 已准入；已准入的记入准入记录，其已发布线路随即对外展示'],
  ['管理工会编号', '选填', '留空即为所选工会；填写时须是其下级工会'],
];

export default function providerImportPage(ctx) {
  const { form, result } = csvImport({
    signal: ctx.signal,
    endpoint: '/api/v1/providers/import',
    what: '服务机构',
    orgLabel: '管理工会',
    orgHint: '机构登记到该工会名下；文件中填了“管理工会编号”的行登记到该编号的下级工会',
    lead: '试导入只检查、不写入；正式导入时全部行无误才写入，有任何错误则整批不导入。',
    confirm: (file, org) => `确定把「${file}」中的服务机构登记到「${org}」名下吗？全部行无误时才会写入。`,
    report: (r, { dryRun }) => {
      let verdict;
      if (dryRun)
        verdict = r.error_count
          ? `检查发现 ${r.error_count} 行有错误（共 ${r.message_count || r.error_count} 处），请修改文件后再导入。试导入未写入任何数据。`
          : `检查通过，共 ${r.rows} 行，可以正式导入。试导入未写入任何数据。`;
      else
        verdict = r.error_count
          ? `发现 ${r.error_count} 行有错误（共 ${r.message_count || r.error_count} 处），整批未导入。请修改文件后重新导入。`
          : `导入成功，已登记 ${r.imported} 家服务机构。`;
      const tone = r.error_count ? 'error' : 'ok';
      return [
        h('div', { class: ['notice', `notice-${tone}`], role: tone === 'error' ? 'alert' : 'status' }, verdict),
        stats([
          [r.rows, '数据行数'],
          dryRun ? null : [r.imported, '已登记', 'is-total'],
          [r.error_count, '有错误的行', r.error_count ? 'is-bad' : 'is-good'],
        ]),
        errorTable(r.errors, PROVIDER_IMPORT_FIELDS, {
          truncated: r.errors_truncated,
          total: r.message_count || r.error_count,
        }),
        !dryRun && !r.error_count
          ? h('p', { class: 'small' }, h('a', { href: '#/retreat/providers' }, '查看服务机构列表 ›'))
          : null,
      ];
    },
  });

  return h(
    'div',
    h('a', { class: 'back-link', href: '#/retreat/providers' }, icon('arrowLeft', 16), '返回服务机构'),
    pageHeader({
      title: '导入服务机构',
      desc: '用 Excel 或 CSV 文件批量登记疗休养服务机构；先试导入检查，再正式导入',
      actions: [
        h('a', { class: 'btn', href: TEMPLATE, download: '服务机构导入模板.csv' }, icon('download', 16), '下载模板'),
      ],
    }),
    panel('选择工会和文件', form),
    result,
    panel(
      '文件格式',
      h(
        'p',
        { class: 'panel-lead' },
        '第一行为表头，列的顺序不限；文件中行号从表头算起（表头为第 1 行）。',
        h('a', { href: TEMPLATE, download: '服务机构导入模板.csv' }, '下载模板'),
        '（含两行示例，导入前请删除）。',
      ),
      columnList(COLUMNS),
    ),
  );
}
