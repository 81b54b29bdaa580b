// retreat-route-admin.js — one route in the console (#/retreat/routes/{id}):
// its facts and status (publish, withdraw, edit), and its departures: add a
// departure with seats and an opening date, change the seats (never below
// those taken), close or reopen bookings, cancel with a reason, see the
// passenger list (and book for a member), and after the trip confirm it as
// completed with the no-shows, which posts the subsidies to the ledger.
import { h, mount, icon } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { currentUser, hasDuty } from '../../lib/session.js';
import { label, today, fmtTime } from '../../lib/format.js';
import { form, showError, checkRequired, formDialog } from '../../lib/form.js';
import { simpleTable } from '../../lib/simpletable.js';
import { openDialog, toast, busy, tag, pageHeader, panel, confirmDialog } from '../../lib/ui.js';
import { photoManager } from '../../lib/photos.js';
import {
  PROVIDER_KINDS,
  PROVIDER_STATUS,
  ROUTE_STATUS,
  ROUTE_STATUS_TONE,
  BOOKING_STATUS,
  BOOKING_STATUS_TONE,
  DEPARTURE_STATUS,
  DEPARTURE_STATUS_TONE,
  CONFIRMATION,
  yuan,
  ensureRetreatCss,
} from '../../lib/retreat.js';
import { routeEditor } from './retreat-routes.js';

export default function routeAdminPage(ctx) {
  ensureRetreatCss();
  const me = currentUser();
  const canEdit = hasDuty(me, 'retreat');
  const id = Number(ctx.params.id);
  const root = h(
    'div',
    h(
      'div',
      { class: 'panel' },
      h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'),
    ),
  );

  async function load() {
    let r;
    try {
      r = await api.get(`/api/v1/retreat/admin/routes/${id}`, undefined, { signal: ctx.signal });
    } catch (e) {
      if (e.name === 'AbortError') return;
      mount(
        root,
        h(
          'div',
          { class: 'panel' },
          h(
            'div',
            { class: 'state state-error', role: 'alert' },
            e.status === 404 ? '线路不存在或不在您的管辖范围内' : `加载失败：${e.message}`,
          ),
        ),
      );
      return;
    }
    render(r);
  }

  async function setStatus(r, status) {
    const words = { published: '发布', withdrawn: '下架' }[status];
    if (
      !(await confirmDialog({
        title: `${words}线路`,
        message:
          status === 'published'
            ? `发布后“${r.title}”将出现在公开目录中（服务机构须为已准入）。`
            : `下架后“${r.title}”不再对外展示，也不能再预订；已有预订不受影响。`,
        okText: words,
        danger: status === 'withdrawn',
      }))
    )
      return;
    try {
      await api.post(`/api/v1/retreat/admin/routes/${r.id}/status`, { status });
      toast(`已${words}`, 'success');
      load();
    } catch (e) {
      toast(e.message, 'error');
    }
  }

  function render(r) {
    const actions = canEdit
      ? [
          h(
            'a',
            { class: 'btn', href: `/retreat/route.html?id=${r.id}`, target: '_blank', rel: 'noopener' },
            '公开页面',
          ),
          h(
            'button',
            { type: 'button', class: 'btn', onclick: () => routeEditor({ route: r, onSaved: load }) },
            icon('edit', 16),
            '编辑',
          ),
          r.status !== 'published'
            ? h(
                'button',
                { type: 'button', class: 'btn btn-primary', onclick: () => setStatus(r, 'published') },
                '发布',
              )
            : h(
                'button',
                { type: 'button', class: 'btn btn-danger', onclick: () => setStatus(r, 'withdrawn') },
                '下架',
              ),
        ]
      : null;
    const notListed = r.status === 'published' && !r.listed;
    const kv = (k, v) => h('div', h('dt', k), h('dd', v === null || v === undefined || v === '' ? '—' : v));
    const info = panel(
      '线路信息',
      notListed
        ? h(
            'div',
            { class: 'rt-alert is-warn', style: { marginBottom: '12px' } },
            '已发布但未对外展示：有服务机构不在准入状态。',
          )
        : null,
      h(
        'dl',
        { class: 'kv' },
        kv('状态', [
          tag(label(ROUTE_STATUS, r.status), ROUTE_STATUS_TONE[r.status]),
          r.listed ? tag('目录中展示', 'green') : null,
        ]),
        kv('线路编号', r.code),
        kv('主办工会', r.org_name),
        kv('目的地', `${r.destination}（${r.region_code}）· ${r.days} 天`),
        kv('价格', `全价 ${yuan(r.price_fen)}，工会补助 ${yuan(r.subsidy_fen)}，会员价 ${yuan(r.member_price_fen)}`),
        kv('主题', r.themes.length ? r.themes.map((t) => tag(t, 'blue')) : ''),
        kv(
          '服务机构',
          r.providers
            .map((p) => `${p.name}（${label(PROVIDER_KINDS, p.kind)}，${label(PROVIDER_STATUS, p.status)}）`)
            .join('；'),
        ),
        kv(
          '可预订工会',
          r.eligibility.orgs
            .map((o) => o.name + (o.agreement_title ? `（依据《${o.agreement_title}》）` : ''))
            .join('、'),
        ),
        kv(
          '条件',
          [
            r.eligibility.min_member_years ? `入会满 ${r.eligibility.min_member_years} 年` : '入会年限不限',
            r.eligibility.frontline_only ? '仅限一线职工' : '全体会员',
          ].join('；'),
        ),
        kv(
          '确认方式',
          `${label(CONFIRMATION, r.rules.confirmation)}${r.confirm_mode ? '' : '（按预订规则）'}；出发前 ${r.rules.cancel_deadline_days} 天截止自行取消`,
        ),
        kv('专题', r.collections.map((c) => c.title).join('、')),
      ),
    );
    const t = today();
    const deps = simpleTable({
      caption: '出发批次',
      columns: [
        { key: 'depart_date', title: '出发', nowrap: true },
        { key: 'return_date', title: '返程', nowrap: true },
        { key: 'seats', title: '名额', align: 'right', nowrap: true },
        { key: 'seats_left', title: '余位', align: 'right', nowrap: true },
        { key: 'pending', title: '待确认', align: 'right', nowrap: true },
        { key: 'confirmed', title: '已确认', align: 'right', nowrap: true, render: (d) => d.confirmed + d.completed },
        { key: 'waitlisted', title: '候补', align: 'right', nowrap: true },
        { key: 'opens_on', title: '开放预订', nowrap: true, render: (d) => d.opens_on || '即时' },
        {
          key: 'status',
          title: '状态',
          nowrap: true,
          render: (d) => tag(label(DEPARTURE_STATUS, d.status), DEPARTURE_STATUS_TONE[d.status]),
        },
        {
          key: 'actions',
          title: '操作',
          nowrap: true,
          render: (d) => {
            const live = d.status === 'open' || d.status === 'closed';
            return h(
              'div',
              { class: 'row-actions' },
              h('button', { type: 'button', class: 'btn btn-text', onclick: () => passengers(r, d) }, '名单'),
              canEdit && live && d.depart_date > t
                ? h('button', { type: 'button', class: 'btn btn-text', onclick: () => seats(d) }, '调整')
                : null,
              canEdit && live && d.depart_date > t
                ? h(
                    'button',
                    { type: 'button', class: 'btn btn-text', onclick: () => toggle(d) },
                    d.status === 'open' ? '截止' : '开放',
                  )
                : null,
              canEdit && live && d.depart_date > t
                ? h('button', { type: 'button', class: 'btn btn-text', onclick: () => cancelDeparture(d) }, '取消')
                : null,
              canEdit && live && d.return_date <= t
                ? h('button', { type: 'button', class: 'btn btn-text', onclick: () => complete(r, d) }, '确认完成')
                : null,
            );
          },
        },
      ],
      rows: r.departures,
      empty: '还没有出发批次',
    });
    mount(
      root,
      pageHeader({ title: r.title, desc: `${r.org_name} · ${r.destination} · ${r.days} 天`, actions }),
      info,
      panel(
        '线路照片',
        photoManager({
          photos: r.photos || [],
          uploadUrl: `/api/v1/retreat/admin/routes/${r.id}/photos`,
          canEdit,
          title: '线路照片',
        }),
      ),
      panel(
        '出发批次',
        canEdit
          ? h(
              'div',
              { class: 'table-toolbar' },
              h(
                'button',
                { type: 'button', class: 'btn btn-primary', onclick: () => addDeparture(r) },
                icon('plus', 16),
                '新增出发批次',
              ),
            )
          : null,
        deps,
      ),
    );
  }

  function addDeparture(r) {
    formDialog({
      title: '新增出发批次',
      fields: [
        { name: 'depart_date', label: '出发日期', type: 'date', required: true },
        { name: 'seats', label: '名额', type: 'number', required: true, value: 30 },
        { name: 'opens_on', label: '公开预订日期', type: 'date', hint: '留空为立即开放；一线职工按规则可提前预订' },
        { name: 'note', label: '备注', maxlength: 200 },
      ],
      submit: (v) =>
        api.post(`/api/v1/retreat/admin/routes/${r.id}/departures`, {
          depart_date: v.depart_date,
          seats: Number(v.seats),
          opens_on: v.opens_on || null,
          note: v.note || null,
        }),
      success: '出发批次已添加',
      after: () => {
        load();
      },
    });
  }

  function seats(dep) {
    formDialog({
      title: `调整名额：${dep.depart_date} 出发`,
      className: 'form-grid form-1',
      fields: [
        {
          name: 'seats',
          label: '名额',
          type: 'number',
          required: true,
          value: dep.seats,
          hint: `已预订 ${dep.seats - dep.seats_left} 个；增加名额时候补会员自动递补`,
          wide: true,
        },
      ],
      submit: (v) => api.patch(`/api/v1/retreat/departures/${dep.id}`, { seats: Number(v.seats) }),
      success: '名额已调整',
      after: () => load(),
    });
  }

  async function toggle(dep) {
    try {
      await api.patch(`/api/v1/retreat/departures/${dep.id}`, { status: dep.status === 'open' ? 'closed' : 'open' });
      toast(dep.status === 'open' ? '已截止报名' : '已重新开放报名', 'success');
      load();
    } catch (e) {
      toast(e.message, 'error');
    }
  }

  function cancelDeparture(dep) {
    const f = form({
      id: 'dep-cancel',
      className: 'form-grid form-1',
      fields: [
        {
          name: 'reason',
          label: '取消原因',
          type: 'textarea',
          required: true,
          maxlength: 200,
          wide: true,
          placeholder: '将通知已预订和候补的会员',
        },
      ],
      onSubmit: async (v, fe) => {
        if (!checkRequired(fe)) return;
        try {
          await api.post(`/api/v1/retreat/departures/${dep.id}/cancel`, { reason: v.reason });
          d.close(true);
          toast('批次已取消，所有预订随之取消', 'success');
          load();
        } catch (e) {
          showError(fe, e);
        }
      },
    });
    const d = openDialog({
      title: `取消批次：${dep.depart_date} 出发`,
      body: f,
      actions: [
        { text: '返回', value: false },
        { text: '取消批次', kind: 'danger', type: 'submit', form: 'dep-cancel' },
      ],
    });
  }

  async function bookingsOf(dep) {
    const all = [];
    for (let page = 1; page < 200; page++) {
      const l = await api.get('/api/v1/retreat/bookings', { departure_id: dep.id, per_page: 100, page });
      all.push(...l.items);
      if (all.length >= l.total || !l.items.length) break;
    }
    return all;
  }

  async function passengers(r, dep) {
    const d = openDialog({
      title: `名单：${r.title}（${dep.depart_date} 出发）`,
      wide: true,
      body: h('div', { class: 'state state-loading' }, h('span', { class: 'spinner' }), '加载中…'),
    });
    try {
      const rows = await bookingsOf(dep);
      const onBehalf = canEdit && dep.status === 'open' ? bookFor(dep, () => (d.close(), load())) : null;
      d.body.replaceChildren(
        simpleTable({
          caption: '预订名单',
          columns: [
            { key: 'member_name', title: '姓名', nowrap: true },
            { key: 'org_name', title: '所在工会' },
            {
              key: 'mobile_masked',
              title: '手机号',
              nowrap: true,
              render: (b) => h('span', { class: 'mono' }, b.mobile_masked || ''),
            },
            { key: 'frontline', title: '一线', nowrap: true, render: (b) => (b.frontline ? '是' : '否') },
            {
              key: 'status',
              title: '状态',
              nowrap: true,
              render: (b) =>
                tag(
                  b.status === 'waitlisted' ? `候补第 ${b.waitlist_position} 位` : label(BOOKING_STATUS, b.status),
                  BOOKING_STATUS_TONE[b.status],
                ),
            },
            { key: 'created_at', title: '预订时间', nowrap: true, render: (b) => fmtTime(b.created_at) },
          ],
          rows,
          empty: '还没有人预订',
        }),
        onBehalf,
      );
    } catch (e) {
      d.body.replaceChildren(h('div', { class: 'state state-error' }, e.message));
    }
  }

  // 代报名: find a member in scope by name or the last four digits, book.
  function bookFor(dep, done) {
    const q = h('input', {
      type: 'search',
      placeholder: '会员姓名、证件或手机后 4 位',
      'aria-label': '查找会员',
      maxlength: 50,
    });
    const sel = h('select', { 'aria-label': '会员' }, h('option', { value: '' }, '先查找会员'));
    const wait = h('input', { type: 'checkbox' });
    const go = h('button', { type: 'button', class: 'btn btn-primary' }, '代为预订');
    const msg = h('div', { class: 'form-error', role: 'alert', hidden: true });
    let timer;
    q.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        if (!q.value.trim()) return;
        try {
          const l = await api.get('/api/v1/members', { q: q.value.trim(), status: 'active', per_page: 20 });
          mount(
            sel,
            l.items.length
              ? l.items.map((m) =>
                  h('option', { value: m.id }, `${m.name}（${m.org_name}${m.frontline ? '，一线' : ''}）`),
                )
              : h('option', { value: '' }, '没有匹配的会员'),
          );
        } catch {
          /* keep the list */
        }
      }, 300);
    });
    go.addEventListener('click', async () => {
      if (!sel.value) return;
      busy(go, true, '提交中…');
      msg.hidden = true;
      try {
        const b = await api.post('/api/v1/retreat/bookings', {
          departure_id: dep.id,
          member_id: Number(sel.value),
          waitlist: wait.checked,
        });
        toast(`已为 ${b.member_name} 预订：${label(BOOKING_STATUS, b.status)}`, 'success');
        done();
      } catch (e) {
        msg.textContent = e.message;
        msg.hidden = false;
      } finally {
        busy(go, false);
      }
    });
    return h(
      'div',
      { class: 'panel', style: { marginTop: '12px', boxShadow: 'none', border: '1px solid var(--line)' } },
      h('h3', { class: 'panel-title' }, '代会员报名'),
      msg,
      h('div', { class: 'org-picker-row' }, q, sel),
      h(
        'div',
        { class: 'search-actions', style: { marginTop: '8px' } },
        h('label', { class: 'check' }, wait, '名额已满时加入候补'),
        go,
      ),
    );
  }

  async function complete(r, dep) {
    let rows;
    try {
      rows = (await bookingsOf(dep)).filter((b) => b.status === 'confirmed' || b.status === 'pending');
    } catch (e) {
      return toast(e.message, 'error');
    }
    const pending = rows.filter((b) => b.status === 'pending').length;
    const confirmed = rows.filter((b) => b.status === 'confirmed');
    const body = h(
      'div',
      pending
        ? h(
            'div',
            { class: 'rt-alert is-warn', style: { marginBottom: '10px' } },
            `还有 ${pending} 个预订待会员所在工会确认，确认或拒绝后才能完成本批次。`,
          )
        : null,
      h(
        'p',
        { style: { marginBottom: '8px' } },
        `本批次已确认 ${confirmed.length} 人，每人工会补助 ${yuan(r.subsidy_fen)}。确认完成后补助计入“疗休养补助支出”，应付服务机构款同时入账。请勾选未出行的人员：`,
      ),
      h(
        'div',
        { class: 'rt-picks', role: 'group', 'aria-label': '未出行人员' },
        confirmed.length
          ? confirmed.map((b) =>
              h(
                'label',
                { class: 'check' },
                h('input', { type: 'checkbox', name: 'no_show', value: b.id }),
                `${b.member_name}（${b.org_name}）`,
              ),
            )
          : h('span', { class: 'muted' }, '无'),
      ),
    );
    openDialog({
      title: `确认完成：${dep.depart_date} 出发`,
      wide: true,
      body,
      actions: [
        { text: '取消', value: false },
        {
          text: '确认完成并结算补助',
          kind: 'primary',
          onClick: async (dlg) => {
            const btn = dlg.footer.querySelector('.btn-primary');
            busy(btn, true, '提交中…');
            try {
              const ns = [...body.querySelectorAll('input[name=no_show]:checked')].map((c) => Number(c.value));
              const res = await api.post(`/api/v1/retreat/departures/${dep.id}/complete`, { no_show: ns });
              dlg.close(true);
              toast(`已完成：出行 ${res.completed} 人，补助 ${yuan(res.subsidy_fen)} 已入账`, 'success');
              load();
            } catch (e) {
              busy(btn, false);
              toast(e.message, 'error');
            }
          },
        },
      ],
    });
  }

  load();
  return root;
}
