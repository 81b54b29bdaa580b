// csvimport.js — the CSV import form the finance pages share (企业名录,
// 经费缴纳): a union in scope, a file, 试导入 (dry run, nothing written) or
// 正式导入. The upload becomes a background job that we poll with a progress
// bar; the caller turns the job's result into its report.
import { h, mount, icon } from './dom.js';
import { upload } from './api.js';
import { currentUser } from './session.js';
import { label } from './format.js';
import { orgPicker } from './orgpicker.js';
import { showError, clearErrors, checkRequired } from './form.js';
import { busy, confirmDialog, panel, progressBar, tag, toast } from './ui.js';
import { pollJob, fmtBytes } from './jobs.js';
import { download } from './download.js';
import { simpleTable } from './simpletable.js';

const MAX_BYTES = 20 * 1024 * 1024;

// csvImport({signal, endpoint, what: '企业', orgLabel, orgHint, lead,
//   confirm(fileName, orgName) → text, report(result, {dryRun, fileName}) → [nodes]})
// → {form, result} elements for the page to place.
export function csvImport({ signal, endpoint, what, orgLabel = '导入到组织', orgHint, lead, confirm, report }) {
  const me = currentUser();
  const picker = orgPicker({ label: orgLabel, required: true, value: me.org, hint: orgHint });
  const inputId = `import-file-${Math.random().toString(36).slice(2, 8)}`;
  const fileInput = h('input', {
    type: 'file',
    id: inputId,
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
      h('label', { class: 'btn', for: inputId }, icon('file', 16), '选择文件'),
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
  const form = h(
    'form',
    { class: 'form-grid', novalidate: true, onsubmit: (ev) => ev.preventDefault(), 'aria-label': `导入${what}` },
    h('div', { class: 'form-error', role: 'alert', hidden: true }),
    picker,
    fileField,
    h(
      'div',
      { class: 'field-wide form-actions form-actions-start' },
      dryBtn,
      realBtn,
      lead ? h('span', { class: 'muted small' }, lead) : null,
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
    clearErrors(form);
    if (!checkRequired(form)) return;
    const file = fileInput.files[0];
    if (!file) return showError(form, { field: 'file', message: '请选择要导入的 Excel 或 CSV 文件' });
    if (!file.size) return showError(form, { field: 'file', message: '文件是空的' });
    if (file.size > MAX_BYTES) return showError(form, { field: 'file', message: '文件超过 20 MB，请分成几个文件导入' });
    const orgId = Number(form.elements.org_id.value);
    const opt = form.elements.org_id.selectedOptions[0];
    const orgName = opt ? opt.textContent.trim() : '';
    if (!dryRun) {
      const ok = await confirmDialog({ title: '正式导入', message: confirm(file.name, orgName), okText: '开始导入' });
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
      const accepted = await upload(endpoint, file, {
        query: { org_id: orgId, dry_run: dryRun ? 1 : 0 },
        contentType: 'text/csv',
        signal,
        onProgress: (sent, total) => bar.set(sent, total, `正在上传 ${fmtBytes(sent)} / ${fmtBytes(total)}`),
      });
      bar.set(0, 0, '已提交，等待处理…');
      const job = await pollJob(accepted.job_id, {
        signal,
        onProgress: (j) => bar.set(j.done, j.total, rowsText(j)),
      });
      bar.set(1, 1, job.status === 'done' ? '处理完成' : '处理失败');
      if (job.status === 'failed' || !job.result) {
        const msg = job.error ? job.error.message : '导入任务失败，请稍后重试';
        mount(result, panel(title, h('div', { class: 'notice notice-error', role: 'alert' }, msg)));
      } else {
        mount(
          result,
          panel(
            title,
            h('p', { class: 'muted small' }, `文件：${file.name}`),
            report(job.result, { dryRun, fileName: file.name }),
            errorsDownload(accepted.job_id, job.result, signal),
          ),
        );
      }
    } catch (e) {
      if (e.name === 'AbortError') return;
      mount(result);
      if (!showError(form, e, { body: 'file', org_id: 'org_id' }))
        form.querySelector('.form-error').scrollIntoView({ block: 'nearest' });
    } finally {
      running = false;
      busy(dryBtn, false);
      busy(realBtn, false);
    }
  }

  return { form, result };
}

// A running import's progress in rows (the job reports rows read and the
// rows the file holds, estimated until the end).
export function rowsText(j) {
  if (!j.total) return '处理中…';
  const n = (v) => Number(v || 0).toLocaleString('zh-CN');
  return j.done >= j.total ? `处理中：已读取 ${n(j.done)} 行` : `处理中：已读取 ${n(j.done)} 行，共约 ${n(j.total)} 行`;
}

// 下载需修改的行: the rows at fault as a workbook with the file's own columns
// and 错误说明, to correct and upload again (GET /api/v1/jobs/{id}/errors).
export function errorsDownload(jobId, result, signal) {
  if (!result || !result.error_count || !result.bad_rows) return null;
  const btn = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      onclick: async () => {
        busy(btn, true, '下载中…');
        try {
          const f = await download(`/api/v1/jobs/${jobId}/errors`, {
            query: { format: 'xlsx' },
            filename: '导入错误-需修改的行.xlsx',
            signal,
          });
          toast(`已下载 ${f.name}`, 'success');
        } catch (e) {
          if (e.name !== 'AbortError') toast(`下载失败：${e.message}`, 'error');
        } finally {
          busy(btn, false);
        }
      },
    },
    icon('download', 16),
    '下载需修改的行（Excel）',
  );
  return h(
    'div',
    { class: 'import-fix' },
    btn,
    h(
      'span',
      { class: 'muted small' },
      `${result.bad_rows.length} 行有错误，每行后附“错误说明”；在 Excel 中改正后直接上传这个文件即可重新导入（多出的说明列不读取）。`,
    ),
  );
}

// A row of figures: stats([[n, '数据行数', 'is-total'], …]).
export function stats(items) {
  return h(
    'div',
    { class: 'stats stats-auto' },
    items
      .filter(Boolean)
      .map(([n, text, cls]) =>
        h(
          'div',
          { class: ['stat', cls] },
          h('div', { class: 'stat-num' }, String(n)),
          h('div', { class: 'stat-label' }, text),
        ),
      ),
  );
}

// The table of bad rows: errors [{line, field, reason}], fields map field → 中文.
export function errorTable(errors, fields, { truncated, total } = {}) {
  if (!errors || !errors.length) return null;
  return h(
    'div',
    { class: 'import-errors' },
    h('h3', { class: 'subhead' }, '错误明细'),
    simpleTable({
      caption: '错误明细',
      columns: [
        { key: 'line', title: '行号', nowrap: true, render: (e) => `第 ${e.line} 行` },
        { key: 'field', title: '字段', nowrap: true, render: (e) => (e.field ? label(fields, e.field) : '—') },
        { key: 'reason', title: '原因' },
      ],
      rows: errors,
    }),
    truncated ? h('p', { class: 'muted small' }, `仅列出前 ${errors.length} 处错误，共 ${total} 处。`) : null,
  );
}

// The list of import columns under the form: [[name, '必填'|'选填', desc], …].
export function columnList(columns) {
  return h(
    'ul',
    { class: 'col-list', 'aria-label': '导入文件的列' },
    columns.map(([name, req, desc]) =>
      h(
        'li',
        h('span', { class: 'col-name' }, h('strong', name), req === '必填' ? tag('必填', 'red') : tag('选填')),
        h('span', { class: 'col-desc' }, desc),
      ),
    ),
  );
}
