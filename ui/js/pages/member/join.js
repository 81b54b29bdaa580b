// join.js — 网上入会 (public, phone first): the join form (person, work,
// the union chosen from the public directory, a password for later log-in;
// an empty or wrong submit marks every problem at once), the short tracking
// code (K7M2Q-9XHPT) shown large once on success, and 查询申请进度 by that
// code — or, when it is lost, by ID number and mobile.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { field, form, showError, checkRequired, clearErrors, focusField } from '../../lib/form.js';
import { dirOrgPicker } from '../../lib/dirpicker.js';
import { idNumberProblem, mobileProblem, normaliseMobile } from '../../lib/idnumber.js';
import { EMPLOYMENT_FORMS, JOIN_STATUS, label, options, fmtTime } from '../../lib/format.js';
import { busy, toast, tag } from '../../lib/ui.js';
import { PASSWORD_RULE, passwordProblem } from '../../lib/password.js';

const app = document.getElementById('join-app');

// Which unions a person may join: employees a grassroots union; workers in new
// forms of employment also a city or county union (the server checks again).
function acceptFor(formSel) {
  return (org) => {
    const form = formSel.value;
    if (org.level === 'grassroots') return true;
    if (org.level === 'city' || org.level === 'county') {
      return !form || form !== 'employee' ? true : '职工请选择所在单位的基层工会';
    }
    return '请选择基层工会或市、县（区）总工会';
  };
}

function section(title, ...children) {
  return h(
    'fieldset',
    { class: 'form-section' },
    h('legend', { class: 'form-section-title' }, title),
    h('div', { class: 'form-grid' }, children),
  );
}

function joinForm(onDone) {
  const formField = field({
    name: 'employment_form',
    label: '就业形态',
    type: 'select',
    required: true,
    empty: '请选择',
    options: options(EMPLOYMENT_FORMS),
  });
  const formSel = formField.querySelector('select');
  const picker = dirOrgPicker({
    name: 'org_id',
    label: '申请加入的工会',
    required: true,
    placeholder: '输入工会名称搜索，如：江宁区',
    hint: '一般选择所在单位的工会。快递员、外卖送餐员、网约车司机等新就业形态劳动者，所在单位或平台没有工会的，可以选择所在城市、县（区）的总工会或当地的新就业形态劳动者联合工会。',
    accept: acceptFor(formSel),
  });
  const pledge = h(
    'label',
    { class: 'check pledge' },
    h('input', { type: 'checkbox', name: 'pledge', value: 'yes' }),
    h('span', '本人自愿加入工会，承认《中国工会章程》，履行会员义务。'),
  );
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, '提交入会申请');
  const f = form({
    id: 'join-form',
    className: 'join-form',
    fields: [
      section(
        '个人信息',
        field({
          name: 'name',
          label: '姓名',
          required: true,
          maxlength: 50,
          autocomplete: 'name',
          placeholder: '与身份证一致',
        }),
        field({
          name: 'id_number',
          label: '身份证号',
          required: true,
          maxlength: 18,
          autocomplete: 'off',
          placeholder: '18 位居民身份证号码',
        }),
        field({
          name: 'mobile',
          label: '手机号',
          type: 'tel',
          required: true,
          maxlength: 20,
          inputmode: 'numeric',
          autocomplete: 'tel',
          placeholder: '审核通过后作为登录账号',
          wide: true,
        }),
      ),
      section(
        '就业信息',
        formField,
        field({
          name: 'city',
          label: '所在城市',
          maxlength: 50,
          autocomplete: 'address-level2',
          placeholder: '如：南京市',
        }),
        field({
          name: 'employer',
          label: '工作单位或平台',
          maxlength: 100,
          placeholder: '如：所在公司、美团、顺丰、滴滴出行',
          wide: true,
        }),
      ),
      section('选择工会', picker),
      section(
        '设置登录密码',
        field({
          name: 'password',
          label: '密码',
          type: 'password',
          required: true,
          maxlength: 128,
          autocomplete: 'new-password',
          hint: `${PASSWORD_RULE}。审核通过后用手机号和此密码登录`,
        }),
        field({
          name: 'confirm',
          label: '确认密码',
          type: 'password',
          required: true,
          maxlength: 128,
          autocomplete: 'new-password',
        }),
      ),
      h(
        'div',
        { class: 'field', dataset: { field: 'pledge' } },
        pledge,
        h('div', { class: 'field-error', 'aria-live': 'polite' }),
      ),
      submit,
    ],
    onSubmit: async (v, el) => {
      // Every problem at once: the empty required fields, then the checks of
      // what was filled in; the first marked field takes the focus.
      const filled = checkRequired(el);
      const problems = [
        ['id_number', v.id_number && idNumberProblem(v.id_number)],
        ['mobile', v.mobile && mobileProblem(v.mobile)],
        ['password', v.password && passwordProblem(v.password)],
        ['confirm', v.confirm && v.password !== v.confirm && '两次输入的密码不一致'],
        ['pledge', !(v.pledge || []).length && '请阅读并勾选入会声明'],
      ].filter(([, m]) => m);
      for (const [name, message] of problems) showError(el, { field: name, message });
      if (!filled || problems.length) {
        const first = el.querySelector('.field.has-error');
        if (first) focusField(first);
        return;
      }
      const body = {
        name: v.name,
        id_number: v.id_number.toUpperCase(),
        mobile: normaliseMobile(v.mobile),
        employment_form: v.employment_form,
        org_id: Number(v.org_id),
        password: v.password,
      };
      if (v.employer) body.employer = v.employer;
      if (v.city) body.city = v.city;
      busy(submit, true, '提交中…');
      try {
        const r = await api.post('/api/v1/join-requests', body, { noAuthRedirect: true });
        onDone(r, body);
      } catch (e) {
        busy(submit, false);
        showError(el, e);
      }
    },
  });
  return f;
}

function success(r, body, statusForm) {
  const code = h('div', { class: 'code-value mono', tabindex: '0', 'aria-label': '查询码' }, r.tracking_code);
  const copy = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(r.tracking_code);
          toast('查询码已复制', 'success');
        } catch {
          const range = document.createRange();
          range.selectNodeContents(code);
          const sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          toast('请长按或按 Ctrl+C 复制已选中的查询码');
        }
      },
    },
    '复制查询码',
  );
  const mobile = body.mobile.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2');
  return h(
    'section',
    { class: 'panel join-done', 'aria-labelledby': 'done-title' },
    h('div', { class: 'done-icon', 'aria-hidden': 'true' }, icon('check', 28)),
    h('h2', { id: 'done-title' }, '入会申请已提交'),
    h('p', { class: 'done-org' }, '申请加入：', h('strong', r.org_name)),
    h('div', { class: 'code-box' }, h('div', { class: 'code-label' }, '您的查询码'), code, copy),
    h(
      'ul',
      { class: 'advice' },
      h('li', h('strong', '请截图或抄下查询码'), '（10 位，不分大小写），不要告诉他人。'),
      h('li', '凭查询码可在本页下方“查询申请进度”中查看审核结果。'),
      h('li', '查询码丢失时，也可以用身份证号和手机号查询。'),
      h('li', `审核通过后，用手机号 ${mobile} 和您设置的密码登录，查看电子会员证。`),
    ),
    h(
      'div',
      { class: 'done-actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-primary',
          onclick: () => {
            statusForm.scrollIntoView({ behavior: 'smooth', block: 'start' });
            statusForm.elements.code.focus();
          },
        },
        '查询进度',
      ),
      h('a', { class: 'btn', href: '/' }, '返回首页'),
    ),
  );
}

function statusPanel() {
  const result = h('div', { class: 'status-result', 'aria-live': 'polite' });
  const btn = h('button', { type: 'submit', class: 'btn btn-primary' }, icon('search', 16), '查询');
  const codeField = field({
    name: 'code',
    label: '查询码',
    required: true,
    maxlength: 64,
    autocomplete: 'off',
    placeholder: '如 K7M2Q-9XHPT，不分大小写',
  });
  // The other way in: the ID number and mobile of the application.
  const idField = field({
    name: 'id_number',
    label: '身份证号',
    required: true,
    maxlength: 18,
    autocomplete: 'off',
    placeholder: '申请时填写的身份证号',
  });
  const mobileField = field({
    name: 'mobile',
    label: '手机号',
    type: 'tel',
    required: true,
    maxlength: 20,
    inputmode: 'numeric',
    autocomplete: 'tel',
    placeholder: '申请时填写的手机号',
  });
  // (in the page only while chosen: the join form above has fields of the same names)
  const byPerson = h('div', { class: 'status-person', hidden: true });
  let person = false;
  const toggle = h('button', {
    type: 'button',
    class: 'btn btn-text status-switch',
    onclick: () => usePerson(!person),
  });
  function usePerson(on, focus = true) {
    person = on;
    clearErrors(f);
    codeField.hidden = on;
    codeField.querySelector('input').disabled = on;
    byPerson.hidden = !on;
    if (on) mount(byPerson, idField, mobileField);
    else mount(byPerson);
    toggle.textContent = on ? '有查询码？用查询码查询' : '查询码丢失？用身份证号和手机号查询';
    if (focus) (on ? idField : codeField).querySelector('input').focus({ preventScroll: true });
  }
  toggle.textContent = '查询码丢失？用身份证号和手机号查询';
  const f = h(
    'form',
    { class: 'status-form', id: 'status-form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', hidden: true }),
    h('div', { class: 'status-row' }, codeField, byPerson, btn),
    toggle,
  );
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(f);
    let ask;
    if (person) {
      if (!checkRequired(f)) return;
      const v = { id_number: f.elements.id_number.value.trim(), mobile: f.elements.mobile.value.trim() };
      const problems = [
        ['id_number', idNumberProblem(v.id_number)],
        ['mobile', mobileProblem(v.mobile)],
      ].filter(([, m]) => m);
      for (const [name, message] of problems) showError(f, { field: name, message });
      if (problems.length) return focusField(f.querySelector('.field.has-error'));
      ask = { id_number: v.id_number.toUpperCase(), mobile: normaliseMobile(v.mobile) };
    } else {
      const code = f.elements.code.value.trim();
      if (!code) return showError(f, { field: 'code', message: '请输入查询码' });
      ask = { code };
    }
    busy(btn, true);
    mount(result);
    try {
      const s = await api.post('/api/v1/join-requests/status', ask, { noAuthRedirect: true });
      const tone = s.status === 'approved' ? 'green' : s.status === 'rejected' ? 'gray' : 'orange';
      const row = (k, v) => (v ? h('div', h('dt', k), h('dd', v)) : null);
      mount(
        result,
        h(
          'dl',
          { class: 'kv kv-1' },
          row('审核状态', tag(label(JOIN_STATUS, s.status), tone)),
          row('申请人', s.name),
          row('申请加入', s.org_name),
          row('提交时间', fmtTime(s.submitted_at)),
          row('处理时间', fmtTime(s.decided_at)),
          row('未通过原因', s.status === 'rejected' ? s.reason || '—' : null),
        ),
        s.status === 'approved'
          ? h(
              'p',
              { class: 'status-next' },
              '审核已通过。请用申请时填写的手机号和密码 ',
              h('a', { href: '/login.html' }, '登录'),
              '，查看电子会员证。',
            )
          : s.status === 'pending'
            ? h('p', { class: 'status-next muted' }, '工会正在审核，请耐心等待。')
            : null,
      );
    } catch (e) {
      showError(f, e);
    } finally {
      busy(btn, false);
    }
  });
  return {
    el: h(
      'section',
      { class: 'panel status-panel', id: 'status', 'aria-labelledby': 'status-title' },
      h('h2', { id: 'status-title', class: 'panel-title' }, '查询申请进度'),
      f,
      result,
    ),
    form: f,
    usePerson,
  };
}

const status = statusPanel();
const formPanel = h('section', { class: 'panel', 'aria-label': '入会申请表' });
const f = joinForm((r, body) => {
  formPanel.replaceWith(success(r, body, status.form));
  status.usePerson(false, false);
  status.form.elements.code.value = r.tracking_code;
  window.scrollTo({ top: 0 });
});
mount(formPanel, f);
mount(app, formPanel, status.el);
