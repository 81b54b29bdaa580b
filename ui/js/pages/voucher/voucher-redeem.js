// voucher-redeem.js — 消费券核销 for a provider's till (#/redeem): scan the
// member's QR code (a scanner types it into the box and presses Enter, or the
// phone camera where the browser can read QR codes) or type the code; the
// voucher is checked first (face value, holder, validity) and redeemed on
// confirmation — once: a second scan, here or at another till, is refused
// with when and where it was used. Below, this provider's redemptions.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { fmtTime, fmtYuan } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { busy, panel, pageHeader, toast } from '../../lib/ui.js';
import { yuan, ensureCss } from '../../lib/lottery.js';

export default function voucherRedeemPage() {
  ensureCss();
  const input = h('input', {
    id: 'rd-code',
    class: 'rd-input',
    name: 'code',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    maxlength: 40,
    placeholder: 'XXXX-XXXX-XXXX-XXXX-XXXX-XXXX',
    'aria-describedby': 'rd-hint',
  });
  const check = h('button', { type: 'submit', class: 'btn btn-primary' }, '查验');
  const result = h('div', { 'aria-live': 'polite' });
  const f = h(
    'form',
    { class: 'rd-box', novalidate: true },
    h(
      'div',
      { class: 'field' },
      h('label', { class: 'field-label', for: 'rd-code' }, '消费券码'),
      input,
      h(
        'div',
        { class: 'field-hint', id: 'rd-hint' },
        '用扫码枪扫描会员出示的二维码，或输入 24 位券码（不区分大小写，可不输横线）',
      ),
    ),
    h(
      'div',
      { class: 'lt-actions' },
      check,
      'BarcodeDetector' in window
        ? h('button', { type: 'button', class: 'btn', onclick: camera }, icon('eye', 16), '用摄像头扫码')
        : null,
    ),
    result,
  );
  const history = createTable({
    caption: '核销记录',
    columns: [
      { key: 'redeemed_at', title: '时间', nowrap: true, render: (x) => fmtTime(x.redeemed_at, { seconds: true }) },
      { key: 'campaign_title', title: '活动' },
      { key: 'holder', title: '持券人', nowrap: true },
      {
        key: 'code_tail',
        title: '券码尾号',
        nowrap: true,
        render: (x) => h('span', { class: 'mono' }, `…${x.code_tail}`),
      },
      {
        key: 'face_value_fen',
        title: '面值（元）',
        align: 'right',
        nowrap: true,
        render: (x) => fmtYuan(x.face_value_fen),
      },
    ],
    empty: '还没有核销记录',
    exportXlsx: { path: '/api/v1/me/redemptions', filename: '消费券核销记录.xlsx' },
    fetch: async (p, signal) => {
      const r = await api.get('/api/v1/me/redemptions', p, { signal });
      totals.textContent = `累计核销 ${r.redeemed_count} 张，合计 ${yuan(r.redeemed_fen)}（由发放工会结算）`;
      return r;
    },
  });
  const totals = h('p', { class: 'muted' });

  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const code = input.value.trim();
    if (!code) return input.focus();
    busy(check, true, '查验中…');
    try {
      const v = await api.post('/api/v1/vouchers/lookup', { code });
      const ok = h('button', { type: 'button', class: 'btn btn-primary' }, '确认核销');
      const cancel = h('button', { type: 'button', class: 'btn' }, '取消');
      mount(
        result,
        h(
          'div',
          { class: 'rd-card' },
          h('div', { class: 'lt-big' }, `${yuan(v.face_value_fen)} · ${v.campaign_title}`),
          h('div', `持券人：${v.holder}　有效期：${v.valid_from} 至 ${v.valid_to}`),
          h('div', { class: 'lt-actions' }, ok, cancel),
        ),
      );
      cancel.addEventListener('click', reset);
      ok.addEventListener('click', async () => {
        busy(ok, true, '核销中…');
        try {
          const r = await api.post('/api/v1/vouchers/redeem', { code });
          mount(
            result,
            h(
              'div',
              { class: 'rd-card is-done', role: 'status' },
              h('div', { class: 'lt-big' }, `核销成功：${yuan(r.face_value_fen)}`),
              h('div', `${r.campaign_title} · 持券人 ${r.holder} · ${fmtTime(r.redeemed_at, { seconds: true })}`),
            ),
          );
          input.value = '';
          input.focus();
          history.reload();
        } catch (e) {
          busy(ok, false);
          showProblem(e);
        }
      });
      ok.focus();
    } catch (e) {
      showProblem(e);
    } finally {
      busy(check, false);
    }
  });

  function showProblem(e) {
    mount(result, h('div', { class: 'notice notice-error', role: 'alert' }, e.message));
    input.select();
    input.focus();
  }

  function reset() {
    mount(result);
    input.value = '';
    input.focus();
  }

  // Phones with a camera and a browser that reads QR codes.
  async function camera() {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    } catch (e) {
      toast(`无法打开摄像头：${e.message}`, 'error');
      return;
    }
    const video = h('video', { class: 'rd-video', autoplay: true, playsinline: true, muted: true });
    video.srcObject = stream;
    const stop = () => stream.getTracks().forEach((t) => t.stop());
    mount(
      result,
      h(
        'div',
        video,
        h(
          'div',
          h(
            'button',
            {
              type: 'button',
              class: 'btn',
              onclick: () => {
                stop();
                reset();
              },
            },
            '关闭摄像头',
          ),
        ),
      ),
    );
    const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    const tick = async () => {
      if (!video.isConnected) return stop();
      try {
        const codes = await detector.detect(video);
        if (codes.length) {
          stop();
          input.value = codes[0].rawValue;
          f.requestSubmit();
          return;
        }
      } catch {
        /* the frame was not ready yet */
      }
      setTimeout(tick, 250);
    };
    tick();
  }

  setTimeout(() => input.focus(), 0);
  return h(
    'div',
    pageHeader({ title: '消费券核销', desc: '每张消费券只能核销一次；核销后由发放工会按面值与本机构结算' }),
    panel(null, f),
    panel('本机构核销记录', totals, history.el),
  );
}
