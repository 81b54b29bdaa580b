// api.js — the one way the pages talk to the server: same-origin cookie
// session, the CSRF token on every request that changes something, JSON in
// and out, and errors as ApiError carrying the server's Chinese message and
// the field it concerns.

let csrfToken = null;
let unauthorizedHandler = null;

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.name = 'ApiError';
    this.status = status; // HTTP status; 0 when the server could not be reached
    this.code = code; // stable snake_case code from the server
    this.field = field || null; // the request field the error is about, if any
  }
}

// The session's CSRF token (from POST/GET /api/v1/session).
export function setCsrfToken(token) {
  csrfToken = token || null;
}

// fn(error) is called on any 401 (unless the request says noAuthRedirect).
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

// '?a=1&b=x' from an object, skipping empty values; '' when nothing is left.
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === null || v === undefined || v === '') continue;
    u.append(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

// request('GET', '/api/v1/orgs', undefined, {query: {q: '华建'}, signal})
// Resolves to the parsed JSON body (null for 204); rejects with ApiError.
export async function request(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path + qs(opts.query), {
      method,
      headers,
      body: payload,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: opts.signal,
    });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', '网络连接失败，请检查网络后重试');
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (res.ok) return data;
  const err = data && data.error ? data.error : {};
  const apiErr = new ApiError(
    res.status,
    err.code || `http_${res.status}`,
    err.message || defaultMessage(res.status),
    err.field,
  );
  if (res.status === 401 && unauthorizedHandler && !opts.noAuthRedirect) unauthorizedHandler(apiErr);
  throw apiErr;
}

function defaultMessage(status) {
  if (status === 401) return '登录已失效，请重新登录';
  if (status === 403) return '没有权限执行此操作';
  if (status === 404) return '请求的内容不存在';
  if (status === 429) return '操作过于频繁，请稍后再试';
  if (status >= 500) return `服务器暂时不可用（${status}），请稍后重试`;
  return `请求失败（${status}）`;
}

// Send raw bytes (a File or Blob, e.g. a CSV) as the request body, with the
// CSRF token, reporting upload progress: upload('/api/v1/x', file,
// {query, contentType: 'text/csv', onProgress(sent, total), signal}).
// Resolves to the parsed JSON answer; rejects with ApiError like request().
export function upload(path, body, opts = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(opts.method || 'POST', path + qs(opts.query));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', opts.contentType || 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.withCredentials = true;
    if (opts.onProgress) {
      xhr.upload.addEventListener('progress', (ev) => {
        if (ev.lengthComputable) opts.onProgress(ev.loaded, ev.total);
      });
    }
    const onAbort = () => xhr.abort();
    if (opts.signal) {
      if (opts.signal.aborted) {
        reject(new DOMException('Aborted', 'AbortError'));
        return;
      }
      opts.signal.addEventListener('abort', onAbort, { once: true });
    }
    const done = () => opts.signal && opts.signal.removeEventListener('abort', onAbort);
    xhr.addEventListener('load', () => {
      done();
      let data;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data);
      const err = data && data.error ? data.error : {};
      const apiErr = new ApiError(
        xhr.status,
        err.code || `http_${xhr.status}`,
        err.message || defaultMessage(xhr.status),
        err.field,
      );
      if (xhr.status === 401 && unauthorizedHandler && !opts.noAuthRedirect) unauthorizedHandler(apiErr);
      reject(apiErr);
    });
    xhr.addEventListener('error', () => {
      done();
      reject(new ApiError(0, 'network_error', '网络连接失败，请检查网络后重试'));
    });
    xhr.addEventListener('abort', () => {
      done();
      reject(new DOMException('Aborted', 'AbortError'));
    });
    xhr.send(body);
  });
}

export const api = {
  get: (path, query, opts = {}) => request('GET', path, undefined, { ...opts, query }),
  post: (path, body, opts) => request('POST', path, body === undefined ? {} : body, opts),
  patch: (path, body, opts) => request('PATCH', path, body, opts),
  put: (path, body, opts) => request('PUT', path, body, opts),
  del: (path, opts) => request('DELETE', path, undefined, opts),
};
