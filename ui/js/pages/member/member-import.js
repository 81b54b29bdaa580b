// member-import.js — 会员导入: upload a CSV (as Excel saves it) for a union
// in scope, either as a dry run (试导入, nothing written) or for real. The
// server queues a job; we poll it every 500 ms with a progress bar (bytes of
// the file read) and show its report: rows, imported, and each bad row.
import { h, mount, icon } from '../../lib/dom.js';
import { api, upload } from '../../lib/api.js';
import { currentUser } from '../../lib/session.js';
import { MEMBER_FIELDS, JOB_STATUS, label } from '../../lib/format.js';
import { orgPicker } from '../../lib/orgpicker.js';
import { showError, clearErrors, checkRequired } from '../../lib/form.js';
import { busy, confirmDialog, pageHeader, panel, progressBar, tag } from '../../lib/ui.js';
import { rowsText, errorsDownload } from '../../lib/csvimport.js';

const TEMPLATE = '/templates/members-template.csv';
const MAX_BYTES = 20 * 1024 * 1024;
const POLL_MS = 500;

const COLUMNS = [
  ['姓名', '必填', '与身份证一致'],
  ['身份证号', '必填', '18 位居民身份证号码；同一人只能登记一次'],
  ['手机号', '选填', '11 位手机号；会员凭身份证号和手机号开通账号'],
  ['就业形态', '必填', '职工、快递员、外卖送餐员、网约车司机、货车司机、家政服务员、其他新就业形态'],
  ['工作单位', '选填', '工作单位或平台名称'],
  ['一线职工', '选填', '是 / 否，默认否'],
  ['劳模称号', '选填', '全国劳动模范、省部级劳动模范、市级劳动模范，或留空'],
  ['工匠', '选填', '是 / 否，默认否'],
  ['入会日期', '选填', '如 2023-05-08 或 2023/5/8，默认今天'],
  ['会员证号', '选填', '字母、数字和 -；留空自动编号'],
  ['组织编号', '选填', '会员所属工会的编号，须在所选组织之下；留空即为所选组织'],
];

export function fmtBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new DOMException('Aborted', 'AbortError'));
      },
      { once: true },
    );
  });

export default function memberImportPage(ctx) {
  const me = currentUser();
  const picker = orgPicker({
    label: '导入到组织',
    required: true,
    value: me.org,
    hint: '会员登记到该组织；文件中填了“组织编号”的行登记到该编号的下级组织',
  });
  const fileInput = h('input', {
    type: 'file',
    id: 'import-file',
    name: 'file',
    accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    class: 'file-input',
    dataset: { errorFocus: '' },
  });
  const fileInfo = h('span', { class: 'file-info' }, '未选择文件');
  const fileField = h(
    'div',
    { class: 'field field-wide is-required', dataset: { field: 'file' } },
    h('span', { class: 'field-label' }, 'Excel 或 CSV 文件'),
    h(
      'div',
      { class: 'file-row' },
      h('label', { class: 'btn', for: 'import-file' }, icon('file', 16), '选择文件'),
      fileInput,
      fileInfo,
    ),
    h(
      'div',
      { class: 'field-hint' },
      'Excel 工作簿（.xlsx，读第一个工作表）直接上传；CSV 的 UTF-8 或 GBK 编码都可以。文件不超过 20 MB。',
    ),
    h('div', { class: 'field-error', 'aria-live': 'polite' }),
  );
  const dryBtn = h('button', { type: 'button', class: 'btn', onclick: () => start(true) }, '试导入');
  const realBtn = h(
    'button',
    { type: 'button', class: 'btn btn-primary', onclick: () => start(false) },
    icon('upload', 16),
    '正式导入',
  );
  const f = h(
    'form',
    { class: 'form-grid', novalidate: true, onsubmit: (ev) => ev.preventDefault(), 'aria-label': '导入会员' },
    h('div', { class: 'form-error', role: 'alert', hidden: true }),
    picker,
    fileField,
    h(
      'div',
      { class: 'field-wide form-actions form-actions-start' },
      dryBtn,
      realBtn,
      h('span', { class: 'muted small' }, '试导入只检查、不写入；正式导入时全部行无误才写入，有任何错误则整批不导入。'),
    ),
  );
  fileInput.addEventListener('change', () => {
    const file = fileInput.files[0];
    fileInfo.textContent = file ? `${file.name}（${fmtBytes(file.size)}）` : '未选择文件';
    fileField.classList.remove('has-error');
    fileField.querySelector('.field-error').textContent = '';
  });

  const result = h('div', { class: 'import-result' });
  let running = false;

  async function start(dryRun) {
    if (running) return;
    clearErrors(f);
    if (!checkRequired(f)) return;
    const file = fileInput.files[0];
    if (!file) return showError(f, { field: 'file', message: '请选择要导入的 Excel 或 CSV 文件' });
    if (!file.size) return showError(f, { field: 'file', message: '文件是空的' });
    if (file.size > MAX_BYTES) return showError(f, { field: 'file', message: '文件超过 20 MB，请分成几个文件导入' });
    const orgId = Number(f.elements.org_id.value);
    const orgName = f.elements.org_id.selectedOptions[0] ? f.elements.org_id.selectedOptions[0].textContent.trim() : '';
    if (!dryRun) {
      const ok = await confirmDialog({
        title: '正式导入',
        message: `确定把「${file.name}」中的会员导入到「${orgName}」吗？全部行无误时才会写入。`,
        okText: '开始导入',
      });
      if (!ok) return;
    }
    running = true;
    busy(dryBtn, true);
    busy(realBtn, true);
    const bar = progressBar({ label: '导入进度' });
    const title = dryRun ? '试导入（只检查，不写入）' : '正式导入';
    mount(result, panel(title, bar));
    result.scrollIntoView({ block: 'nearest' });
    try {
      bar.set(0, file.size, `正在上传 ${file.name}…`);
      const accepted = await upload('/api/v1/members/import', file, {
        query: { org_id: orgId, dry_run: dryRun ? 1 : 0 },
        contentType: 'text/csv',
        signal: ctx.signal,
        onProgress: (sent, total) => bar.set(sent, total, `正在上传 ${fmtBytes(sent)} / ${fmtBytes(total)}`),
      });
      let job;
      bar.set(0, 0, '已提交，等待处理…');
      for (;;) {
        job = await api.get(`/api/v1/jobs/${accepted.job_id}`, undefined, { signal: ctx.signal });
        if (job.status === 'done' || job.status === 'failed') break;
        bar.set(job.done, job.total, job.total ? rowsText(job) : `${label(JOB_STATUS, job.status)}…`);
        await sleep(POLL_MS, ctx.signal);
      }
      bar.set(1, 1, job.status === 'done' ? '处理完成' : '处理失败');
      mount(result, report(job, title, file.name));
      const fix = errorsDownload(accepted.job_id, job.result, ctx.signal);
      if (fix) result.querySelector('.panel').append(fix);
    } catch (e) {
      if (e.name === 'AbortError') return;
      mount(result);
      if (!showError(f, e, { body: 'file', org_id: 'org_id' }))
        f.querySelector('.form-error').scrollIntoView({ block: 'nearest' });
    } finally {
      running = false;
      busy(dryBtn, false);
      busy(realBtn, false);
    }
  }

  function report(job, title, fileName) {
    if (job.status === 'failed' || !job.result) {
      const msg = job.error ? job.error.message : '导入任务失败，请稍后重试';
      return panel(title, h('div', { class: 'notice notice-error', role: 'alert' }, msg));
    }
    const r = job.result;
    let verdict;
    let tone;
    if (r.dry_run) {
      verdict = r.error_count
        ? `检查发现 ${r.error_count} 行有错误（共 ${r.message_count || r.error_count} 处），请修改文件后再导入。试导入未写入任何数据。`
        : `检查通过，共 ${r.rows} 行，可以正式导入。试导入未写入任何数据。`;
      tone = r.error_count ? 'error' : 'ok';
    } else {
      verdict = r.error_count
        ? `发现 ${r.error_count} 行有错误（共 ${r.message_count || r.error_count} 处），整批未导入。请修改文件后重新导入。`
        : `导入成功，已登记 ${r.imported} 名会员。`;
      tone = r.error_count ? 'error' : 'ok';
    }
    const stat = (n, text, cls) =>
      h(
        'div',
        { class: ['stat', cls] },
        h('div', { class: 'stat-num' }, String(n)),
        h('div', { class: 'stat-label' }, text),
      );
    const errs = r.errors || [];
    return panel(
      title,
      h('p', { class: 'muted small' }, `文件：${fileName}`),
      h('div', { class: ['notice', `notice-${tone}`], role: tone === 'error' ? 'alert' : 'status' }, verdict),
      h(
        'div',
        { class: 'stats stats-3' },
        stat(r.rows, '数据行数'),
        r.dry_run ? null : stat(r.imported, '已导入', 'is-total'),
        stat(r.error_count, '有错误的行', r.error_count ? 'is-bad' : 'is-good'),
      ),
      errs.length
        ? h(
            'div',
            { class: 'import-errors' },
            h('h3', { class: 'subhead' }, '错误明细'),
            h(
              'div',
              { class: 'table-wrap' },
              h(
                'table',
                { class: 'table', 'aria-label': '错误明细' },
                h(
                  'thead',
                  h(
                    'tr',
                    h('th', { scope: 'col' }, '行号'),
                    h('th', { scope: 'col' }, '字段'),
                    h('th', { scope: 'col' }, '原因'),
                  ),
                ),
                h(
                  'tbody',
                  errs.map((e) =>
                    h(
                      'tr',
                      h('td', { 'data-label': '行号', class: 'nowrap' }, `第 ${e.line} 行`),
                      h('td', { 'data-label': '字段', class: 'nowrap' }, e.field ? label(MEMBER_FIELDS, e.field) : '—'),
                      h('td', { 'data-label': '原因' }, e.reason),
                    ),
                  ),
                ),
              ),
            ),
            r.errors_truncated
              ? h(
                  'p',
                  { class: 'muted small' },
                  `仅列出前 ${errs.length} 处错误，共 ${r.message_count || r.error_count} 处。`,
                )
              : null,
          )
        : null,
    );
  }

  const columns = h(
    'ul',
    { class: 'col-list', 'aria-label': '导入文件的列' },
    COLUMNS.map(([name, req, desc]) =>
      h(
        'li',
        h('span', { class: 'col-name' }, h('strong', name), req === '必填' ? tag('必填', 'red') : tag('选填')),
        h('span', { class: 'col-desc' }, desc),
      ),
    ),
  );

  return h(
    'div',
    pageHeader({
      title: '会员导入',
      desc: '用 Excel 或 CSV 文件批量登记会员；先试导入检查，再正式导入',
      actions: [
        h('a', { class: 'btn', href: TEMPLATE, download: '会员导入模板.csv' }, icon('download', 16), '下载模板'),
      ],
    }),
    panel('选择组织和文件', f),
    result,
    panel(
      '文件格式',
      h(
        'p',
        { class: 'panel-lead' },
        '第一行为表头，列的顺序不限；文件中行号从表头算起（表头为第 1 行）。',
        h('a', { href: TEMPLATE, download: '会员导入模板.csv' }, '下载模板'),
        '（含两行示例，导入前请删除）。',
      ),
      columns,
    ),
  );
}
