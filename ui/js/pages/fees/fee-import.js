// fee-import.js — 导入缴费: the tax department's collection file (CSV) for a
// union in scope. Every row is checked; nothing is written unless all rows
// are good. Rows whose amount is not 2% of the payroll are imported but
// marked 待核 and listed; rows imported before with the same figures are
// skipped, so importing a file twice changes nothing.
import { h, icon } from '../../lib/dom.js';
import { PAYMENT_FIELDS, fmtYuan } from '../../lib/format.js';
import { csvImport, stats, errorTable, columnList } from '../../lib/csvimport.js';
import { simpleTable } from '../../lib/simpletable.js';
import { pageHeader, panel } from '../../lib/ui.js';

const TEMPLATE = '/templates/fee-payments-template.csv';

const COLUMNS = [
  ['统一社会信用代码', '必填', '企业须已在企业名录中登记，且在所选工会之下'],
  ['所属期', '必填', '费款所属年月，如 2023-01 或 2023/1'],
  ['工资总额', '必填', '当月计缴工资总额，单位元，最多两位小数'],
  ['缴纳金额', '必填', '实缴金额，单位元；与工资总额的 2% 不符时导入并标记为待核'],
  ['缴款日期', '必填', '如 2023-02-15'],
  ['类型', '选填', '工会经费（已建会企业，默认）或 建会筹备金（未建会企业）'],
];

function report(r, { dryRun }) {
  let verdict;
  if (r.error_count) {
    verdict = dryRun
      ? `检查发现 ${r.error_count} 行有错误（共 ${r.message_count || r.error_count} 处），请修改文件后再导入。试导入未写入任何数据。`
      : `发现 ${r.error_count} 行有错误（共 ${r.message_count || r.error_count} 处），整批未导入。请修改文件后重新导入。`;
  } else if (dryRun) {
    const fresh = r.rows - (r.skipped_existing || 0);
    verdict = `检查通过，共 ${r.rows} 行，其中 ${fresh} 行为新缴费记录${r.skipped_existing ? `、${r.skipped_existing} 行已导入过（将跳过）` : ''}。试导入未写入任何数据。`;
  } else if (!r.imported && r.skipped_existing) {
    verdict = `文件中的 ${r.skipped_existing} 行都已导入过，本次没有新增记录，账务未作变动。`;
  } else {
    verdict = `导入成功，新增 ${r.imported} 条缴费记录，合计 ${fmtYuan(r.amount_fen)} 元${r.skipped_existing ? `；${r.skipped_existing} 行已导入过，未重复导入` : ''}。`;
  }
  const tone = r.error_count ? 'error' : 'ok';
  const flagged = r.flagged || [];
  return [
    h('div', { class: ['notice', `notice-${tone}`], role: tone === 'error' ? 'alert' : 'status' }, verdict),
    stats([
      [r.rows, '数据行数'],
      dryRun ? null : [r.imported, '新增记录', 'is-total'],
      dryRun ? null : [fmtYuan(r.amount_fen), '新增金额（元）'],
      [r.flagged_count || 0, '金额待核', r.flagged_count ? 'is-warn' : 'is-good'],
      [r.skipped_existing || 0, '已导入过（跳过）'],
      [r.error_count, '有错误的行', r.error_count ? 'is-bad' : 'is-good'],
    ]),
    errorTable(r.errors, PAYMENT_FIELDS, { truncated: r.errors_truncated, total: r.message_count || r.error_count }),
    flagged.length
      ? h(
          'div',
          { class: 'import-errors' },
          h('h3', { class: 'subhead' }, '金额待核的行'),
          h(
            'p',
            { class: 'muted small' },
            r.error_count
              ? '以下行的缴纳金额与工资总额的 2% 不符；改正错误后导入时，这些行会导入并标记为待核。'
              : dryRun
                ? '以下行的缴纳金额与工资总额的 2% 不符，正式导入时会导入并标记为待核。'
                : '以下行的缴纳金额与工资总额的 2% 不符，已导入并标记为待核，请与企业核实。',
          ),
          simpleTable({
            caption: '金额待核的行',
            columns: [
              { key: 'line', title: '行号', nowrap: true, render: (f) => `第 ${f.line} 行` },
              {
                key: 'uscc',
                title: '统一社会信用代码',
                nowrap: true,
                render: (f) => h('span', { class: 'mono' }, f.uscc),
              },
              { key: 'month', title: '所属期', nowrap: true },
              { key: 'reason', title: '原因' },
            ],
            rows: flagged,
          }),
          r.flagged_count > flagged.length
            ? h('p', { class: 'muted small' }, `仅列出前 ${flagged.length} 行，共 ${r.flagged_count} 行。`)
            : null,
        )
      : null,
    !dryRun && !r.error_count && r.flagged_count
      ? h('p', { class: 'panel-note' }, h('a', { href: '#/fee-payments?flagged=1' }, '查看全部待核记录'))
      : null,
  ];
}

export default function feeImportPage(ctx) {
  const { form, result } = csvImport({
    signal: ctx.signal,
    endpoint: '/api/v1/fee-payments/import',
    what: '经费缴纳',
    orgLabel: '导入到工会',
    orgHint: '文件中的企业须在该工会之下登记；经费按分成比例分配到各级工会',
    lead: '试导入只检查、不写入；正式导入时全部行无误才写入。已导入过的行自动跳过，重复导入不会重复记账。',
    confirm: (file, org) => `确定导入「${file}」中的缴费记录到「${org}」吗？全部行无误时才会写入并按分成比例记账。`,
    report,
  });
  return h(
    'div',
    h('a', { class: 'back-link', href: '#/fee-payments' }, icon('arrowLeft', 16), '返回经费缴纳'),
    pageHeader({
      title: '导入缴费',
      desc: '导入税务部门代收工会经费的明细文件（Excel 或 CSV）',
      actions: [
        h('a', { class: 'btn', href: TEMPLATE, download: '经费缴纳导入模板.csv' }, icon('download', 16), '下载模板'),
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
        h('a', { href: TEMPLATE, download: '经费缴纳导入模板.csv' }, '下载模板'),
        '（含两行示例，导入前请删除）。',
      ),
      columnList(COLUMNS),
    ),
  );
}
