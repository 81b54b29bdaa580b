// lottery-result.js — the published result of a voucher lottery
// (/lottery/result.html?id=…): the source values as entered (every version,
// when a typo was corrected: both stay public with the reason), the key
// string, the method, and every step of the draw — index, MD5, entrants
// left, remainder, the entry number chosen — with the winners in order.
// Checking the result comes first, in the browser (核验 page); the
// command-line check stays folded away for experts.
import { h, mount } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { fmtTime } from '../../lib/format.js';
import { createTable } from '../../lib/table.js';
import { panel, tag, segmented } from '../../lib/ui.js';
import { phaseTag, pageId, publicLinks, lotteryHead, loading, failed } from '../../lib/lottery.js';

const app = document.getElementById('lt-app');
const id = pageId();

boot();

async function boot() {
  await lotteryHead();
  if (!id) return mount(app, h('div', { class: 'panel' }, failed('链接缺少活动编号')));
  mount(app, loading());
  let c;
  try {
    c = await api.get(`/api/v1/lottery/campaigns/${id}`);
  } catch (e) {
    return mount(
      app,
      h('div', { class: 'panel' }, failed(e.status === 404 ? '没有这个活动' : `加载失败：${e.message}`)),
    );
  }
  document.title = `抽取结果 - ${c.title} - 工会服务平台`;
  const head = [
    h('div', { class: 'lt-head' }, h('h1', c.title), phaseTag(c.phase), h('span', { class: 'muted' }, '抽取结果')),
    publicLinks(c, 'result'),
  ];
  if (!c.draws.length) {
    return mount(
      app,
      ...head,
      panel(
        '抽取结果',
        h(
          'div',
          { class: 'state' },
          c.phase === 'cancelled' ? '活动已取消。' : '尚未抽取。各随机源开奖后，由工会录入开奖号码并当场公开抽取。',
        ),
      ),
    );
  }
  const current = c.draws.find((d) => d.current);
  let version = current.version;
  const stepsBox = h('div');
  const showSteps = () => {
    const d = c.draws.find((x) => x.version === version);
    const table = createTable({
      caption: '抽取过程',
      columns: [
        { key: 'index', title: '序号', nowrap: true, render: (p) => h('span', { class: 'mono' }, String(p.index)) },
        {
          key: 'entry_no',
          title: '中签编号',
          nowrap: true,
          render: (p) => h('strong', { class: 'mono' }, String(p.entry_no)),
        },
        {
          key: 'name_mask',
          title: '姓名',
          nowrap: true,
          render: (p) => `${p.name_mask}${p.mobile_tail ? `（尾号 ${p.mobile_tail}）` : ''}`,
        },
        { key: 'pool_remaining', title: '剩余人数', nowrap: true, align: 'right' },
        { key: 'remainder', title: '余数', nowrap: true, align: 'right' },
        { key: 'md5', title: 'MD5(序号‖密钥串‖序号)', render: (p) => h('span', { class: 'mono lt-md5' }, p.md5) },
        { key: 'round', title: '轮次', nowrap: true, render: (p) => `第 ${p.round} 轮` },
      ],
      perPage: 50,
      empty: '没有抽取记录',
      fetch: (p, signal) => api.get(`/api/v1/lottery/campaigns/${id}/picks`, { ...p, version }, { signal }),
    });
    mount(
      stepsBox,
      d.current ? null : h('div', { class: 'notice notice-warn' }, '这是已被更正的旧版本，仅供核对；以当前版本为准。'),
      h('div', { class: 'lt-grid' }, table.el),
    );
  };
  const versionTabs =
    c.draws.length > 1
      ? segmented({
          label: '版本',
          options: c.draws.map((d) => [
            String(d.version),
            d.current ? `第 ${d.version} 版（当前）` : `第 ${d.version} 版（已更正）`,
          ]),
          value: String(version),
          onChange: (v) => {
            version = Number(v);
            showSteps();
          },
        })
      : null;
  mount(
    app,
    ...head,
    panel(
      `${c.entrants} 人报名，${c.winners} 人中签`,
      h(
        'div',
        { class: 'lt-verify-call' },
        h(
          'p',
          '抽取按公开的随机源和公开的方法计算，任何人都能复算。点下面的按钮，在您自己的浏览器里重新计算一遍，看结果是否一致。',
        ),
        h('a', { class: 'btn btn-primary', href: `/lottery/verify.html?id=${id}` }, '在浏览器中核验'),
      ),
      c.draws.map((d) =>
        h(
          'div',
          { class: ['lt-version', !d.current && 'is-old'] },
          h(
            'div',
            { class: 'lt-version-head' },
            h('strong', `第 ${d.version} 版`),
            d.current ? tag('当前结果', 'green') : tag('已更正', 'gray'),
            h(
              'span',
              { class: 'muted small' },
              `${fmtTime(d.created_at)} 录入${d.entered_by ? `（${d.entered_by}）` : ''}`,
            ),
          ),
          d.reason ? h('div', { class: 'small' }, `更正原因：${d.reason}`) : null,
          h(
            'ol',
            { class: 'lt-sources' },
            c.sources.map((s, i) =>
              h('li', h('span', s.name, '：'), h('span', { class: 'lt-source-value mono' }, d.source_values[i])),
            ),
          ),
          h('div', { class: 'muted small', style: { marginTop: '8px' } }, '密钥串'),
          h('code', { class: 'lt-hash lt-key' }, d.key_string),
          h('div', { class: 'muted small', style: { marginTop: '6px' } }, `方法：${d.method}；报名 ${d.pool_size} 人`),
        ),
      ),
      h(
        'div',
        { class: 'lt-actions' },
        h(
          'a',
          { class: 'btn', href: `/api/v1/lottery/campaigns/${id}/result`, download: `消费券抽取结果-${id}.txt` },
          '下载结果文件',
        ),
        h(
          'a',
          {
            class: 'btn',
            href: `/api/v1/lottery/campaigns/${id}/entrant-list`,
            download: `消费券抽取报名名单-${id}.txt`,
          },
          '下载报名名单',
        ),
      ),
      h(
        'details',
        { class: 'lt-expert' },
        h('summary', '专业人员：用命令行离线核验'),
        h(
          'p',
          { class: 'muted small' },
          '下载上面的报名名单，用 gonghui 程序（不需要数据库）运行下面的命令，输出与结果文件逐字相同：',
        ),
        h(
          'pre',
          { class: 'pre' },
          `gonghui lottery verify --entrants 报名名单.txt --sources "${current.source_values.join('/')}" --count ${c.winners}`,
        ),
      ),
    ),
    panel('抽取过程', versionTabs, versionTabs ? h('div', { style: { height: '10px' } }) : null, stepsBox),
  );
  showSteps();
}
