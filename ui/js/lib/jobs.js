// jobs.js — background jobs (imports, refund runs): the server answers 202
// with a job id; we poll GET /api/v1/jobs/{id} until it is done or failed.
import { api } from './api.js';

export const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal && signal.aborted) {
      reject(new DOMException('Aborted', 'AbortError'));
      return;
    }
    const t = setTimeout(resolve, ms);
    if (signal) {
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          reject(new DOMException('Aborted', 'AbortError'));
        },
        { once: true },
      );
    }
  });

// pollJob(id, {signal, interval, onProgress(job)}) → the finished job
// ({status: 'done'|'failed', result, error, done, total}).
export async function pollJob(id, { signal, interval = 500, onProgress } = {}) {
  for (;;) {
    const job = await api.get(`/api/v1/jobs/${id}`, undefined, { signal });
    if (job.status === 'done' || job.status === 'failed') return job;
    if (onProgress) onProgress(job);
    await sleep(interval, signal);
  }
}

export function fmtBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
