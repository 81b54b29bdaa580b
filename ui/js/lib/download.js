// download.js — files the server builds (bank payment files, Excel exports):
// fetched with the session (and, for POST, the CSRF token), then handed to
// the browser as a download through an object URL and a temporary
// <a download>. Errors come back as ApiError with the server's message, so a
// page can show them instead of navigating to a JSON body.
import { api, ApiError } from './api.js';

// The CSRF token of the current session. api.js keeps its copy private, so a
// write that is not JSON (a download by POST) asks the session for it.
async function csrfToken(signal) {
  const s = await api.get('/api/v1/session', undefined, { signal });
  return s && s.csrf_token;
}

// 'attachment; filename*=UTF-8''%E8%BF%94….csv' → '返….csv'.
export function filenameFrom(disposition) {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
  return plain && plain[1] !== 'download' ? plain[1] : null;
}

// Save a Blob under a name: an object URL clicked through a temporary link.
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser time to start reading it before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

// download('/api/v1/refund-runs/3/bank-file', {method: 'POST', query: {format: 'csv'},
//   filename: '返还付款文件.csv', signal}) → {name, size} once the download was handed over.
export async function download(path, { method = 'GET', query, filename, signal } = {}) {
  const headers = { Accept: '*/*' };
  if (method !== 'GET') {
    const token = await csrfToken(signal);
    if (token) headers['X-CSRF-Token'] = token;
  }
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {}))
    if (v !== null && v !== undefined && v !== '') u.append(k, String(v));
  const url = path + (u.toString() ? `?${u}` : '');
  let res;
  try {
    res = await fetch(url, { method, headers, credentials: 'same-origin', cache: 'no-store', signal });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', '网络连接失败，请检查网络后重试');
  }
  if (!res.ok) {
    let err = {};
    try {
      const data = await res.json();
      err = (data && data.error) || {};
    } catch {
      /* not JSON */
    }
    throw new ApiError(
      res.status,
      err.code || `http_${res.status}`,
      err.message || `下载失败（${res.status}）`,
      err.field,
    );
  }
  const blob = await res.blob();
  const name = filenameFrom(res.headers.get('Content-Disposition')) || filename || 'download';
  saveBlob(blob, name);
  return { name, size: blob.size };
}

// The text of a cell for a spreadsheet: '1,234.50' → '1234.50' so that
// figures stay numbers; '—' (no value) → ''.
function cellText(td) {
  const t = td.textContent.trim();
  if (t === '—') return '';
  return /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t) ? t.replace(/,/g, '') : t;
}

// A table as shown (header, body and total rows) → CSV text with a BOM, so
// Excel opens it with the Chinese intact.
export function tableCsv(table) {
  const quote = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [...table.querySelectorAll('tr')].map((tr) =>
    [...tr.children].map((c) => quote(cellText(c))).join(','),
  );
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

// Save the figures of a table (the one under a chart) as a CSV file.
export function saveTableCsv(table, filename) {
  saveBlob(new Blob([tableCsv(table)], { type: 'text/csv;charset=utf-8' }), filename);
}
