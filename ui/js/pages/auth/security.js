// security.js — 账号安全: the user's own second factor. Enrol (scan the QR
// code with an authenticator app or type the key, confirm with the first
// code), see the ten recovery codes once, turn it off with a current code.
// Admins also set who must use it (admins, auditors, the finance and
// hardship duties); auditors see that setting. A user whose session may
// only enrol (the admin requires it and it is not on yet) lands here, and
// the console reloads with the full menu once enrolment is done.
import { h, mount } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser } from '../../lib/session.js';
import { fmtTime } from '../../lib/format.js';
import { panel, pageHeader, tag, toast, busy } from '../../lib/ui.js';
import { form, formDialog, showError, checkRequired } from '../../lib/form.js';

const APPS = 'Microsoft Authenticator、Google 身份验证器、腾讯身份验证器等';

export default function securityPage() {
  const me = currentUser();
  const factor = h('div', h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'));
  const el = h(
    'div',
    { class: 'totp-page' },
    pageHeader({ title: '账号安全', desc: '两步验证：登录时除密码外，还需输入手机验证器应用上的 6 位动态验证码' }),
    factor,
  );
  if (me.role === 'admin' || me.role === 'auditor') el.append(policyPanel(me.role === 'admin'));
  showStatus();
  return el;

  async function showStatus() {
    let st;
    try {
      st = await api.get('/api/v1/session/totp');
    } catch (e) {
      mount(factor, h('div', { class: 'state state-error', role: 'alert' }, e.message));
      return;
    }
    const rows = [
      h(
        'p',
        { class: 'totp-status' },
        '两步验证：',
        st.enabled ? tag('已开启', 'green') : tag('未开启', 'gray'),
        st.enabled && st.enabled_at ? h('span', { class: 'muted' }, `（${fmtTime(st.enabled_at)} 开启）`) : null,
      ),
    ];
    if (me.must_enrol_totp || (st.required && !st.enabled)) {
      rows.push(
        h(
          'div',
          { class: 'notice notice-warn', role: 'alert' },
          '按管理员要求，您的账号须开启两步验证。完成绑定后才能使用其他功能。',
        ),
      );
    }
    if (st.enabled) {
      rows.push(
        h(
          'p',
          `剩余恢复码 ${st.recovery_codes_left} 个。手机丢失或无法使用时，可用恢复码代替验证码登录，每个只能用一次。`,
        ),
      );
      if (st.required) rows.push(h('p', { class: 'muted' }, '按管理员要求，您的账号必须使用两步验证，不能关闭。'));
      else
        rows.push(
          h(
            'div',
            { class: 'form-actions form-actions-start' },
            h('button', { type: 'button', class: 'btn btn-danger', onclick: disable }, '关闭两步验证'),
          ),
        );
    } else {
      rows.push(
        h('p', `开启后，登录时需输入验证器应用（${APPS}）上显示的 6 位动态验证码。`),
        h(
          'div',
          { class: 'form-actions form-actions-start' },
          h('button', { type: 'button', class: 'btn btn-primary', onclick: begin }, '开启两步验证'),
        ),
      );
    }
    mount(factor, panel('两步验证', ...rows));
  }

  async function begin(ev) {
    const btn = ev.currentTarget;
    busy(btn, true, '生成中…');
    let b;
    try {
      b = await api.post('/api/v1/session/totp', {});
    } catch (e) {
      busy(btn, false);
      toast(e.message, 'error');
      return;
    }
    const qr = h('img', {
      class: 'totp-qr',
      src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(b.qr_svg)}`,
      alt: '两步验证二维码',
      width: 200,
      height: 200,
    });
    const f = form({
      id: 'totp-confirm',
      fields: [
        {
          name: 'code',
          label: '6 位验证码',
          required: true,
          maxlength: 7,
          inputmode: 'numeric',
          autocomplete: 'one-time-code',
          placeholder: '例如 123456',
        },
      ],
      onSubmit: async (v, fe) => {
        if (!checkRequired(fe)) return;
        const go = fe.querySelector('[type=submit]');
        busy(go, true, '验证中…');
        try {
          const r = await api.post('/api/v1/session/totp/confirm', { code: v.code });
          showCodes(r.recovery_codes);
        } catch (e) {
          busy(go, false);
          showError(fe, e);
        }
      },
    });
    f.classList.add('form-1', 'totp-confirm');
    f.append(
      h(
        'div',
        { class: 'form-actions form-actions-start' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, '确认绑定'),
      ),
    );
    mount(
      factor,
      panel(
        '开启两步验证',
        h(
          'ol',
          { class: 'totp-steps' },
          h(
            'li',
            h('p', `在手机上打开验证器应用（${APPS}），扫描下面的二维码：`),
            h('div', { class: 'totp-qr-box' }, qr),
            h('p', '无法扫码时，在应用中选择“手动输入密钥”，账号填 ', h('strong', b.account), '，密钥填：'),
            h('p', h('code', { class: 'totp-secret', 'aria-label': '密钥' }, b.secret_grouped)),
            h('p', { class: 'muted' }, '类型选“基于时间”，6 位数字，每 30 秒更新。'),
          ),
          h('li', h('p', '输入应用中显示的 6 位验证码，确认绑定：'), f),
        ),
        h('button', { type: 'button', class: 'btn', onclick: showStatus }, '取消'),
      ),
    );
    f.elements.code.focus();
  }

  function showCodes(codes) {
    const must = me.must_enrol_totp;
    me.must_enrol_totp = false;
    mount(
      factor,
      panel(
        '两步验证已开启',
        h(
          'div',
          { class: 'notice notice-warn', role: 'alert' },
          '请立即抄写或打印下面的恢复码，妥善保管。它们只显示这一次；手机丢失时，每个恢复码可代替验证码登录一次。',
        ),
        h(
          'ol',
          { class: 'recovery-codes', 'aria-label': '恢复码' },
          codes.map((c) => h('li', h('code', c))),
        ),
        h(
          'div',
          { class: 'detail-actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => window.print() }, '打印'),
          h(
            'button',
            {
              type: 'button',
              class: 'btn btn-primary',
              onclick: () => {
                // A session that could only enrol is a full one now: reload
                // the console for the whole menu.
                if (must) {
                  location.hash = '#/home';
                  location.reload();
                } else showStatus();
              },
            },
            '我已保存恢复码',
          ),
        ),
      ),
    );
  }

  function disable() {
    formDialog({
      title: '关闭两步验证',
      submitText: '关闭',
      busyText: '验证中…',
      danger: true,
      focus: 'code',
      intro: h('p', '请输入验证器应用中当前的 6 位验证码（或一个恢复码）确认关闭。关闭后，现有恢复码全部作废。'),
      fields: [{ name: 'code', label: '验证码', required: true, maxlength: 16, autocomplete: 'one-time-code' }],
      submit: (v) => api.post('/api/v1/session/totp/disable', { code: v.code }),
      success: '已关闭两步验证',
      after: () => showStatus(),
    });
  }
}

// Who must use a second factor: admins edit it, auditors read it.
function policyPanel(editable) {
  const box = h('div', h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'));
  const names = [
    ['admin', '系统管理员'],
    ['auditor', '审计员'],
    ['finance', '有“财务”职责的工作人员'],
    ['hardship', '有“困难帮扶”职责的工作人员'],
  ];
  api
    .get('/api/v1/settings/second-factor')
    .then((p) => {
      const f = form({
        id: 'second-factor-policy',
        fields: [
          {
            name: 'require',
            label: '以下账号必须开启两步验证',
            type: 'checkboxes',
            options: names,
            value: names.map(([k]) => k).filter((k) => p[k]),
            disabled: !editable,
            wide: true,
            hint: '从下次登录起生效：尚未开启的人登录后只能先完成绑定。等保 2.0 三级要求管理员使用两种以上鉴别方式。',
          },
        ],
        onSubmit: async (v, fe) => {
          const chosen = new Set(v.require || []);
          const body = Object.fromEntries(names.map(([k]) => [k, chosen.has(k)]));
          const go = fe.querySelector('[type=submit]');
          busy(go, true, '保存中…');
          try {
            await api.put('/api/v1/settings/second-factor', body);
            toast('已保存两步验证要求', 'success');
          } catch (e) {
            showError(fe, e);
          } finally {
            busy(go, false);
          }
        },
      });
      if (!editable) for (const c of f.querySelectorAll('input')) c.disabled = true;
      else
        f.append(
          h(
            'div',
            { class: 'field-wide form-actions form-actions-start' },
            h('button', { type: 'submit', class: 'btn btn-primary' }, '保存'),
          ),
        );
      mount(box, f);
    })
    .catch((e) => mount(box, h('div', { class: 'state state-error', role: 'alert' }, e.message)));
  return panel('两步验证要求', box);
}
