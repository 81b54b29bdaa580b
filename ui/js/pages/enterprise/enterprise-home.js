// enterprise-home.js — an enterprise's own page (/e/): its record as the
// union holds it (bank account masked), the union fees it paid and the
// refunds it received (小微企业工会经费返还), and its account (password,
// log-out). Other users are sent to their own pages; nobody logged in goes
// to the log-in page.
import { h, mount, icon } from '../../lib/dom.js';
import { api, onUnauthorized } from '../../lib/api.js';
import { loadSession, logout, landingFor } from '../../lib/session.js';
import { form, showError, checkRequired } from '../../lib/form.js';
import { INDUSTRIES, label, fmtYuan, yesNo } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { busy, toast, tag, openDialog } from '../../lib/ui.js';
import { paymentColumns, refundColumns } from './enterprise-detail.js';

const app = document.getElementById('e-app');
const headActions = document.getElementById('e-head-actions');
let leaving = false;

onUnauthorized(() => {
  if (leaving) return;
  leaving = true;
  location.assign('/login.html?next=%2Fe%2F');
});

boot();

async function boot() {
  let user;
  try {
    user = await loadSession();
  } catch (e) {
    return fail(`无法连接服务器：${e.message}`);
  }
  if (!user) {
    location.replace('/login.html?next=%2Fe%2F');
    return;
  }
  if (landingFor(user) !== '/e/') {
    location.replace(landingFor(user));
    return;
  }
  mount(
    headActions,
    h(
      'span',
      { class: 'e-head-actions' },
      h(
        'button',
        { type: 'button', class: 'btn btn-text', 'aria-label': '修改密码', title: '修改密码', onclick: changePassword },
        icon('key'),
        h('span', { class: 'btn-label' }, '修改密码'),
      ),
      h('button', { type: 'button', class: 'btn btn-text', onclick: onLogout }, icon('logout'), h('span', '退出')),
    ),
  );
  let en;
  try {
    en = await api.get('/api/v1/me/enterprise');
  } catch (e) {
    if (e.status === 404) return fail('您的账号没有关联企业，请联系负责的工会。');
    return fail(`加载失败：${e.message}`);
  }
  render(en);
}

function fail(message) {
  mount(
    app,
    h(
      'div',
      { class: 'panel' },
      h(
        'div',
        { class: 'state state-error', role: 'alert' },
        message,
        h('button', { type: 'button', class: 'btn btn-sm', onclick: () => location.reload() }, '重试'),
      ),
    ),
  );
}

async function onLogout(ev) {
  busy(ev.currentTarget, true);
  leaving = true;
  await logout();
}

function changePassword() {
  const f = form({
    id: 'e-pw-form',
    className: 'form-grid form-1',
    fields: [
      {
        name: 'old_password',
        label: '原密码',
        type: 'password',
        required: true,
        autocomplete: 'current-password',
        wide: true,
      },
      {
        name: 'new_password',
        label: '新密码',
        type: 'password',
        required: true,
        autocomplete: 'new-password',
        wide: true,
        hint: '至少 8 位，包含小写字母、大写字母、数字、符号中的至少三类',
      },
      {
        name: 'confirm',
        label: '确认新密码',
        type: 'password',
        required: true,
        autocomplete: 'new-password',
        wide: true,
      },
    ],
    onSubmit: async (v, el) => {
      if (!checkRequired(el)) return;
      if (v.new_password !== v.confirm) return showError(el, { field: 'confirm', message: '两次输入的新密码不一致' });
      const btn = d.footer.querySelector('[type=submit]');
      busy(btn, true, '提交中…');
      try {
        await api.post('/api/v1/session/password', { old_password: v.old_password, new_password: v.new_password });
        d.close(true);
        toast('密码已修改，其他设备上的登录已失效', 'success');
      } catch (e) {
        showError(el, e, { password: 'new_password' });
      } finally {
        busy(btn, false);
      }
    },
  });
  const d = openDialog({
    title: '修改密码',
    body: f,
    actions: [
      { text: '取消', value: false },
      { text: '确认修改', kind: 'primary', type: 'submit', form: 'e-pw-form' },
    ],
  });
  f.elements.old_password.focus();
}

function render(en) {
  document.title = `${en.name} - 企业服务 - 工会服务平台`;
  const row = (k, v) => h('div', h('dt', k), h('dd', v === null || v === undefined || v === '' ? '—' : v));
  const refunds = createTable({
    caption: '经费返还记录',
    perPage: 10,
    columns: refundColumns({ linkRuns: false }),
    empty: '暂无返还记录',
    fetch: (p, signal) => api.get(`/api/v1/enterprises/${en.id}/refunds`, p, { signal }),
  });
  const payments = createTable({
    caption: '经费缴纳记录',
    perPage: 10,
    columns: paymentColumns(),
    empty: '暂无缴纳记录',
    fetch: (p, signal) => api.get('/api/v1/fee-payments', p, { signal }),
  });
  mount(
    app,
    h(
      'div',
      { class: 'm-hello' },
      h('h1', en.name),
      h('p', { class: 'muted' }, h('span', { class: 'mono' }, en.uscc), ' · ', en.org_name),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'e-info-title' },
      h(
        'div',
        { class: 'panel-title' },
        h('h2', { id: 'e-info-title' }, '企业信息'),
        h(
          'span',
          { class: 'tags' },
          en.has_union ? tag('已建会', 'green') : tag('未建会', 'gray'),
          en.small_scale ? tag('小规模纳税人', 'blue') : null,
        ),
      ),
      h(
        'dl',
        { class: 'kv kv-wide' },
        row('统一社会信用代码', h('span', { class: 'mono' }, en.uscc)),
        row('行业门类', en.industry ? label(INDUSTRIES, en.industry) : ''),
        row('从业人数', en.headcount === null ? '' : String(en.headcount)),
        row('年营业收入', en.annual_revenue_fen === null ? '' : `${fmtYuan(en.annual_revenue_fen)} 元`),
        row('小规模纳税人', yesNo(en.small_scale)),
        row('负责的工会', en.org_name),
        row('企业工会', en.union_org_name || '未建会'),
        row('建会日期', en.union_founded_on),
        row('开户银行', en.bank_name),
        row('收款账号', en.account_masked ? h('span', { class: 'mono' }, en.account_masked) : '未登记'),
        row('联系人', en.contact_name),
        row('联系电话', en.contact_phone),
      ),
      h('p', { class: 'panel-note' }, '信息有误（特别是收款银行账号）请联系负责的工会修改，以免影响经费返还。'),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'e-refunds-title' },
      h('h2', { class: 'panel-title', id: 'e-refunds-title' }, '经费返还记录'),
      refunds.el,
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'e-pay-title' },
      h('h2', { class: 'panel-title', id: 'e-pay-title' }, '经费缴纳记录'),
      payments.el,
    ),
  );
}
