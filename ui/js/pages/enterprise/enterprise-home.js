// enterprise-home.js — an enterprise's own page (/e/): its record as the
// union holds it (bank account masked), the union fees it paid and the
// refunds it received (小微企业工会经费返还). The session, the header (name,
// password, log-out) and who may be here come from lib/shell.js.
import { h, mount } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { privatePage, failPage } from '../../lib/shell.js';
import { INDUSTRIES, label, fmtYuan, yesNo } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { tag } from '../../lib/ui.js';
import { paymentColumns, refundColumns } from './enterprise-detail.js';

const app = document.getElementById('e-app');

boot();

async function boot() {
  if (!(await privatePage({ home: '/e/', app, head: document.getElementById('e-head-actions') }))) return;
  let en;
  try {
    en = await api.get('/api/v1/me/enterprise');
  } catch (e) {
    if (e.status === 404) return failPage(app, '您的账号没有关联企业，请联系负责的工会。');
    return failPage(app, `加载失败：${e.message}`);
  }
  render(en);
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
