// photos.js — the officers' photo list of a provider or a route: the
// photos as thumbnails (the original images scaled by the browser; the
// server makes no thumbnails), 删除 for each, and 上传照片 (JPEG, PNG or
// WebP up to 5 MB; the server decides the type by the file's bytes and
// says why it refuses one). The first photo is the cover of the route's
// catalogue card.
//   photoManager({photos, uploadUrl, canEdit, onChange(photos)}) → element;
// a photo is removed with DELETE uploadUrl/{id}.
import { h, mount, icon } from './dom.js';
import { api, upload } from './api.js';
import { toast, busy, confirmDialog } from './ui.js';

export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
const TYPES = 'image/jpeg,image/png,image/webp';

export function photoManager({ photos = [], uploadUrl, canEdit, onChange, title = '照片' }) {
  let list = photos.slice();
  const grid = h('ul', { class: 'ph-grid', 'aria-label': title });
  const status = h('div', { class: 'ph-status', role: 'status', 'aria-live': 'polite' });
  const input = h('input', {
    type: 'file',
    accept: TYPES,
    multiple: true,
    class: 'sr-only',
    'aria-label': '选择照片文件',
    onchange: () => send(Array.from(input.files)),
  });
  const pick = h(
    'button',
    { type: 'button', class: 'btn', onclick: () => input.click() },
    icon('upload', 16),
    '上传照片',
  );

  function draw() {
    mount(
      grid,
      list.length
        ? list.map((p, i) =>
            h(
              'li',
              { class: 'ph-item' },
              h('img', { src: p.url, width: p.width, height: p.height, alt: `${title} ${i + 1}`, loading: 'lazy' }),
              h(
                'div',
                { class: 'ph-meta' },
                i === 0 ? h('span', { class: 'tag tag-red' }, '封面') : null,
                h(
                  'span',
                  { class: 'muted small' },
                  `${p.width}×${p.height} · ${(p.bytes / 1024 / 1024).toFixed(1)} MB`,
                ),
                canEdit
                  ? h(
                      'button',
                      { type: 'button', class: 'btn btn-text btn-sm', onclick: (ev) => remove(p, ev.currentTarget) },
                      '删除',
                    )
                  : null,
              ),
            ),
          )
        : h(
            'li',
            { class: 'muted small ph-empty' },
            canEdit ? '还没有照片。第一张将作为目录卡片的封面。' : '还没有照片',
          ),
    );
    if (onChange) onChange(list);
  }

  async function send(files) {
    input.value = '';
    for (const f of files) {
      if (f.size > PHOTO_MAX_BYTES) {
        toast(`“${f.name}”超过 5 MB，请压缩后再上传`, 'error');
        continue;
      }
      busy(pick, true, '上传中…');
      status.textContent = `正在上传“${f.name}”…`;
      try {
        const p = await upload(uploadUrl, f, {
          contentType: 'application/octet-stream',
          onProgress: (sent, total) => {
            status.textContent = `正在上传“${f.name}”：${Math.round((sent / total) * 100)}%`;
          },
        });
        list = list.concat([p]);
        draw();
        toast(`已上传“${f.name}”`, 'success');
      } catch (e) {
        toast(`“${f.name}”没有上传：${e.message}`, 'error');
      } finally {
        busy(pick, false);
        status.textContent = '';
      }
    }
  }

  async function remove(p, btn) {
    if (!(await confirmDialog({ title: '删除照片', message: '确定删除这张照片？', okText: '删除', danger: true })))
      return;
    busy(btn, true);
    try {
      await api.del(`${uploadUrl}/${p.id}`);
      list = list.filter((x) => x.id !== p.id);
      draw();
      toast('照片已删除', 'success');
    } catch (e) {
      busy(btn, false);
      toast(e.message, 'error');
    }
  }

  draw();
  return h(
    'div',
    { class: 'ph-manager' },
    canEdit
      ? h(
          'div',
          { class: 'ph-bar' },
          pick,
          input,
          h('span', { class: 'muted small' }, 'JPEG、PNG 或 WebP，每张不超过 5 MB，最多 12 张'),
          status,
        )
      : null,
    grid,
  );
}
