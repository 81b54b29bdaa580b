// enterprise-import.js — 导入企业: the enterprise directory from a CSV file
// (as Excel saves it) into a union in scope; 试导入 checks every row without
// writing, 正式导入 writes all rows or none.
import { h, icon } from '../../lib/dom.js';
import { ENTERPRISE_FIELDS } from '../../lib/format.js';
import { csvImport, stats, errorTable, columnList } from '../../lib/csvimport.js';
import { pageHeader, panel } from '../../lib/ui.js';

const TEMPLATE = '/templates/enterprises-template.csv';

const COLUMNS = [
  ['统一社会信用代码', '必填', '18 位，末位为校验码；同一企业只能登记一次'],
  ['企业名称', '必填', '与营业执照一致'],
  ['行政区划代码', '必填', '6 位数字，如 320115'],
  ['行业', '选填', '国民经济行业分类门类字母 A–T，如 I（信息传输、软件和信息技术服务业）'],
  ['从业人数', '选填', '整数'],
  ['营业收入', '选填', '上年营业收入，单位元，最多两位小数'],
  ['小规模纳税人', '选填', '是 / 否，默认否'],
  ['工会组织编号', '选填', '已建会企业的基层工会编号；填写时须同时填写建会日期'],
  ['建会日期', '选填', '如 2021-03-01'],
  ['开户银行', '选填', '返还款的收款银行'],
  ['户名', '选填', '收款账户名称，默认企业名称'],
  ['银行账号', '选填', '8 到 30 位数字；保存后只显示掩码'],
  ['联系人', '选填', ''],
  ['联系电话', '选填', ''],
  ['负责工会编号', '选填', '留空即为所选组织'],
];

export default function enterpriseImportPage(ctx) {
  const { form, result } = csvImport({
    signal: ctx.signal,
    endpoint: '/api/v1/enterprises/import',
    what: '企业',
    orgLabel: '负责的工会',
    orgHint: '企业登记到该工会名下；文件中填了“负责工会编号”的行登记到该编号的下级工会',
    lead: '试导入只检查、不写入；正式导入时全部行无误才写入，有任何错误则整批不导入。',
    confirm: (file, org) => `确定把「${file}」中的企业登记到「${org}」名下吗？全部行无误时才会写入。`,
    report: (r, { dryRun }) => {
      let verdict;
      if (dryRun)
        verdict = r.error_count
          ? `检查发现 ${r.error_count} 行有错误（共 ${r.message_count || r.error_count} 处），请修改文件后再导入。试导入未写入任何数据。`
          : `检查通过，共 ${r.rows} 行，可以正式导入。试导入未写入任何数据。`;
      else
        verdict = r.error_count
          ? `发现 ${r.error_count} 行有错误（共 ${r.message_count || r.error_count} 处），整批未导入。请修改文件后重新导入。`
          : `导入成功，已登记 ${r.imported} 户企业。`;
      const tone = r.error_count ? 'error' : 'ok';
      return [
        h('div', { class: ['notice', `notice-${tone}`], role: tone === 'error' ? 'alert' : 'status' }, verdict),
        stats([
          [r.rows, '数据行数'],
          dryRun ? null : [r.imported, '已登记', 'is-total'],
          [r.error_count, '有错误的行', r.error_count ? 'is-bad' : 'is-good'],
        ]),
        errorTable(r.errors, ENTERPRISE_FIELDS, {
          truncated: r.errors_truncated,
          total: r.message_count || r.error_count,
        }),
      ];
    },
  });

  return h(
    'div',
    h('a', { class: 'back-link', href: '#/enterprises' }, icon('arrowLeft', 16), '返回企业名录'),
    pageHeader({
      title: '导入企业',
      desc: '用 CSV 文件批量登记企业；先试导入检查，再正式导入',
      actions: [
        h('a', { class: 'btn', href: TEMPLATE, download: '企业导入模板.csv' }, icon('download', 16), '下载模板'),
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
        h('a', { href: TEMPLATE, download: '企业导入模板.csv' }, '下载模板'),
        '（含两行示例，导入前请删除）。',
      ),
      columnList(COLUMNS),
    ),
  );
}
