// audit.js — 审计日志 (auditors and admins): search the append-only audit
// log by who, what, object, outcome and date range; each entry's detail opens
// in a dialog.
import { h } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { ACTIONS, OBJECT_TYPES, OUTCOMES, ROLES, label, options, fmtTime, dayToUtc } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { openDialog, tag, pageHeader } from '../../lib/ui.js';

// Prefixes match every action of a kind ("org." finds all org actions).
const ACTION_CHOICES = [
  ['session.', '登录与退出（全部）'],
  ['org.', '组织管理（全部）'],
  ['user.', '账号管理（全部）'],
  ...Object.entries(ACTIONS),
];

export default function auditPage() {
  const table = createTable({
    caption: '审计日志',
    search: [
      { name: 'actor', label: '操作人', placeholder: '用户名', maxlength: 50 },
      { name: 'action', label: '操作', type: 'select', empty: '全部操作', options: ACTION_CHOICES },
      { name: 'object_type', label: '对象类型', type: 'select', empty: '全部', options: options(OBJECT_TYPES) },
      { name: 'object_id', label: '对象编号', inputmode: 'numeric', maxlength: 18 },
      { name: 'outcome', label: '结果', type: 'select', empty: '全部', options: options(OUTCOMES) },
      { name: 'from', label: '开始日期', type: 'date' },
      { name: 'to', label: '结束日期', type: 'date' },
    ],
    columns: [
      { key: 'ts', title: '时间', nowrap: true, render: (r) => fmtTime(r.ts, { seconds: true }) },
      {
        key: 'actor_login',
        title: '操作人',
        render: (r) =>
          r.actor_login
            ? h(
                'span',
                { title: r.actor_login },
                actorName(r),
                r.actor_role ? h('span', { class: 'muted' }, `（${label(ROLES, r.actor_role)}）`) : null,
              )
            : '系统',
      },
      { key: 'action', title: '操作', render: (r) => h('span', { title: r.action }, label(ACTIONS, r.action)) },
      {
        key: 'object',
        title: '对象',
        nowrap: true,
        render: (r) => (r.object_type ? `${label(OBJECT_TYPES, r.object_type)} #${r.object_id ?? ''}` : ''),
      },
      {
        key: 'outcome',
        title: '结果',
        nowrap: true,
        render: (r) =>
          tag(label(OUTCOMES, r.outcome), r.outcome === 'ok' ? 'green' : r.outcome === 'denied' ? 'orange' : 'red'),
      },
      { key: 'client', title: '来源', nowrap: true, render: (r) => source(r.client) },
      {
        key: 'detail',
        title: '详情',
        nowrap: true,
        render: (r) =>
          r.detail ? h('button', { type: 'button', class: 'btn btn-text', onclick: () => showDetail(r) }, '查看') : '',
      },
    ],
    exportXlsx: {
      path: '/api/v1/audit',
      filename: '审计日志.xlsx',
      query: (f) => ({ ...f, from: dayToUtc(f.from), to: dayToUtc(f.to, true) }),
    },
    fetch: (p, signal) => {
      const q = { ...p, from: dayToUtc(p.from), to: dayToUtc(p.to, true) };
      return api.get('/api/v1/audit', q, { signal });
    },
  });

  function showDetail(r) {
    let text = r.detail;
    if (typeof text === 'string') {
      try {
        text = JSON.parse(text);
      } catch {
        /* plain text */
      }
    }
    if (typeof text !== 'string') text = JSON.stringify(text, null, 2);
    openDialog({
      title: `${label(ACTIONS, r.action)} · ${r.partition ? `分区 ${r.partition} ` : ''}第 ${r.seq} 条`,
      wide: true,
      body: [
        h(
          'p',
          { class: 'muted', style: { marginBottom: '10px' } },
          `${fmtTime(r.ts, { seconds: true })} · ${r.actor_login ? actorName(r) : '系统'} · ${label(ACTIONS, r.action)}`,
        ),
        h('pre', { class: 'pre' }, text),
      ],
      actions: [{ text: '关闭', value: true }],
    });
  }

  return h(
    'div',
    pageHeader({ title: '审计日志', desc: '所有登录、组织与账号变更的记录，只可查询，不可修改' }),
    table.el,
  );
}

// The person, as people know them: the account's display name; a member's
// log-in ("member:9") is never shown as such.
function actorName(r) {
  if (r.actor_name) return r.actor_name;
  if (/^member:/.test(r.actor_login || '')) return '会员';
  if (/^unknown:/.test(r.actor_login || '')) return '未知账号';
  return r.actor_login;
}

// Where it came from, in words: the command line on the server, or an address.
function source(client) {
  if (!client || client === 'local') return '本机命令行';
  return `网络地址 ${client}`;
}
