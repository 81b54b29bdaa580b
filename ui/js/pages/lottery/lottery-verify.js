// lottery-verify.js — check a voucher lottery in the browser
// (/lottery/verify.html?id=…), with code that does not come from the server's
// C implementation: ../lib/rfc3797.js (MD5 written from RFC 1321, BigInt for
// the 128-bit remainder). Anyone pastes the published source values (they
// are filled in, editable), and the page recomputes the key string, every
// step and the winners, then compares them with what was published: the key,
// each step's MD5 and remainder, the winners in order; it also downloads the
// entrant list and checks its SHA-256 and size. Without ?id it is a general
// RFC 3797 calculator (pool size, count, sources).
import { h, mount } from '../../lib/dom.js';
import { api } from '../../lib/api.js';
import { field } from '../../lib/form.js';
import { panel, busy, segmented } from '../../lib/ui.js';
import { simpleTable } from '../../lib/simpletable.js';
import { phaseTag, pageId, publicLinks, lotteryHead, loading, failed, fetchAll } from '../../lib/lottery.js';
import { keyString, keyFromText, draw, indexBytes, entropyBits } from '../../lib/rfc3797.js';

const app = document.getElementById('lt-app');
const id = pageId();
const STEPS_SHOWN = 200;

boot();

async function boot() {
  await lotteryHead();
  if (!id) return generic();
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
  document.title = `核验结果 - ${c.title} - 工会服务平台`;
  const head = [
    h('div', { class: 'lt-head' }, h('h1', c.title), phaseTag(c.phase), h('span', { class: 'muted' }, '核验抽取结果')),
    publicLinks(c, 'verify'),
  ];
  if (!c.draws.length) {
    return mount(app, ...head, panel('核验', h('div', { class: 'state' }, '尚未抽取，抽取后可在此核验。')));
  }
  campaignMode(c, head);
}

function check(ok, text) {
  return h(
    'li',
    { class: ok === null ? 'is-info' : ok ? 'is-ok' : 'is-bad' },
    h('span', { class: 'lt-mark', 'aria-hidden': 'true' }, ok === null ? 'i' : ok ? '✓' : '✗'),
    h('span', text),
  );
}

function stepsTable(steps, published, lines) {
  const rows = steps
    .slice(0, STEPS_SHOWN)
    .map((s, i) => ({ ...s, pub: published ? published[i] : null, line: lines ? lines.get(s.entry) : null }));
  const t = simpleTable({
    caption: '逐步计算',
    columns: [
      { key: 'index', title: '序号', nowrap: true },
      { key: 'entry', title: '中签编号', nowrap: true, render: (s) => h('strong', { class: 'mono' }, String(s.entry)) },
      { key: 'line', title: '名单中的这一行', nowrap: true, render: (s) => s.line || '' },
      {
        key: 'pub',
        title: '与公布的一致',
        nowrap: true,
        render: (s) =>
          s.pub
            ? s.pub.md5 === s.md5 && s.pub.entry_no === s.entry && s.pub.remainder === s.remainder
              ? '✓'
              : '✗ 不一致'
            : '—',
      },
      { key: 'remaining', title: '剩余人数', align: 'right', nowrap: true },
      { key: 'remainder', title: '余数', align: 'right', nowrap: true },
      { key: 'md5', title: 'MD5（本机计算）', render: (s) => h('span', { class: 'mono lt-md5' }, s.md5) },
    ],
    rows,
  });
  for (const [i, tr] of Array.from(t.querySelectorAll('tbody tr')).entries()) {
    const s = rows[i];
    if (s.pub && (s.pub.md5 !== s.md5 || s.pub.entry_no !== s.entry)) tr.classList.add('lt-step-bad');
  }
  return h(
    'div',
    { class: 'lt-grid' },
    steps.length > STEPS_SHOWN
      ? h(
          'p',
          { class: 'muted small' },
          `共 ${steps.length} 步，下表列出前 ${STEPS_SHOWN} 步；全部中签编号都已逐一比对。`,
        )
      : null,
    t,
  );
}

async function sha256Hex(buf) {
  if (!(window.crypto && crypto.subtle)) return null;
  return Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', buf)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}

function campaignMode(c, head) {
  let version = c.draws.find((d) => d.current).version;
  const inputs = h('div', { class: 'lt-verify-form' });
  const out = h('div', { 'aria-live': 'polite' });
  const run = h('button', { type: 'submit', class: 'btn btn-primary' }, '开始核验');
  const f = h('form', { class: 'lt-verify-form', novalidate: true }, inputs, h('div', run));
  const fill = () => {
    const d = c.draws.find((x) => x.version === version);
    mount(
      inputs,
      c.sources.map((s, i) =>
        field({
          name: `s${i}`,
          label: `${i + 1}. ${s.name}（${s.draw_date} 开奖）`,
          value: d.source_values[i],
          hint: '各号码之间用空格分隔；可改成您从官方开奖公告查到的号码',
          wide: true,
        }),
      ),
    );
  };
  const tabs =
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
            fill();
            mount(out);
          },
        })
      : null;
  fill();
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    busy(run, true, '计算中…');
    try {
      await verifyCampaign(
        c,
        version,
        c.sources.map((_, i) => f.elements[`s${i}`].value),
        out,
      );
    } finally {
      busy(run, false);
    }
  });
  mount(
    app,
    ...head,
    panel(
      '输入随机源的开奖号码',
      h(
        'p',
        { class: 'panel-lead' },
        '本页用独立编写的 JavaScript（MD5 按 RFC 1321、128 位取余用 BigInt）在您的浏览器里重新计算，不依赖服务器的计算结果。号码已按公布值填好，您可以改成自己从彩票官方开奖公告查到的号码。',
      ),
      tabs,
      tabs ? h('div', { style: { height: '10px' } }) : null,
      f,
    ),
    out,
  );
}

async function verifyCampaign(c, version, sources, out) {
  mount(out, panel('核验结果', loading('正在下载公布的名单和结果并计算…')));
  const d = c.draws.find((x) => x.version === version);
  const checks = [];
  let key;
  try {
    key = keyString(sources);
  } catch (e) {
    return mount(out, panel('核验结果', h('ul', { class: 'lt-checks' }, check(false, e.message))));
  }
  checks.push(
    check(
      key === d.key_string,
      key === d.key_string ? `密钥串一致：${key}` : `密钥串不一致：本机为 ${key}，公布的是 ${d.key_string}`,
    ),
  );
  // the entrant list: size and fingerprint
  const lines = new Map();
  try {
    const res = await fetch(`/api/v1/lottery/campaigns/${c.id}/entrant-list`, { cache: 'no-store' });
    const buf = await res.arrayBuffer();
    const text = new TextDecoder().decode(buf);
    for (const l of text.split('\n')) {
      const m = /^(\d+)\t(.*)$/.exec(l.replace(/\r$/, ''));
      if (m) lines.set(Number(m[1]), `${m[1]} ${m[2].replace(/\t/g, ' ')}`);
    }
    const sha = await sha256Hex(buf);
    checks.push(
      check(
        lines.size === d.pool_size,
        `报名名单共 ${lines.size} 人${lines.size === d.pool_size ? '，与抽取时的人数一致' : `，但抽取时为 ${d.pool_size} 人`}`,
      ),
    );
    if (sha)
      checks.push(
        check(
          sha === c.list_sha256,
          sha === c.list_sha256
            ? '名单文件的 SHA-256 与公布的指纹一致'
            : `名单文件的 SHA-256（${sha}）与公布的指纹不一致`,
        ),
      );
  } catch (e) {
    checks.push(check(false, `名单下载失败：${e.message}`));
  }
  // what was published for this version
  let published;
  let winners;
  try {
    const first = await api.get(`/api/v1/lottery/campaigns/${c.id}/picks`, { version, per_page: 100 });
    const count = first.total;
    if (count <= 2000) {
      published = await fetchAll(`/api/v1/lottery/campaigns/${c.id}/picks`, { version });
      winners = published.map((p) => p.entry_no);
    } else {
      published = first.items;
      if (!d.current) throw new Error('旧版本人数过多，请用命令行工具核验');
      const text = await (await fetch(`/api/v1/lottery/campaigns/${c.id}/result`, { cache: 'no-store' })).text();
      winners = text
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => Number(l.split('\t')[0]));
    }
  } catch (e) {
    checks.push(check(false, `公布结果下载失败：${e.message}`));
    return mount(out, panel('核验结果', h('ul', { class: 'lt-checks' }, checks)));
  }
  const t0 = performance.now();
  const steps = draw(key, d.pool_size, winners.length);
  const ms = performance.now() - t0;
  const firstBad = steps.findIndex((s, i) => s.entry !== winners[i]);
  const stepBad = published.findIndex(
    (p, i) => !steps[i] || p.md5 !== steps[i].md5 || p.remainder !== steps[i].remainder,
  );
  checks.push(
    check(
      firstBad < 0,
      firstBad < 0
        ? `中签名单一致：${winners.length} 人，顺序相同（本机计算用时 ${ms.toFixed(0)} 毫秒）`
        : `中签名单从第 ${firstBad + 1} 位起不一致：本机算得 ${steps[firstBad].entry} 号，公布的是 ${winners[firstBad]} 号`,
    ),
  );
  checks.push(
    check(
      stepBad < 0,
      stepBad < 0
        ? `逐步比对了 ${published.length} 步的 MD5 和余数，全部一致`
        : `第 ${stepBad} 步的 MD5 或余数与公布的不一致`,
    ),
  );
  checks.push(
    check(
      null,
      `方法：RFC 3797，序号 ${indexBytes(d.pool_size)} 字节${indexBytes(d.pool_size) === 4 ? '（报名超过 65535 人时的扩展）' : ''}；按 RFC 3797 第 3.3 节，本次抽取约需 ${entropyBits(d.pool_size, winners.length).toFixed(1)} 比特熵`,
    ),
  );
  mount(
    out,
    panel('核验结果', h('ul', { class: 'lt-checks', id: 'verify-checks' }, checks)),
    panel(
      '中签编号（本机计算，按抽取顺序）',
      h(
        'ul',
        { class: 'lt-winners' },
        steps.slice(0, 2000).map((s) => h('li', String(s.entry))),
      ),
      steps.length > 2000 ? h('p', { class: 'muted small' }, `仅列出前 2000 个，共 ${steps.length} 个`) : null,
    ),
    panel('逐步计算', stepsTable(steps, published, lines)),
  );
}

function generic() {
  document.title = '抽取核验工具 - 工会服务平台';
  const out = h('div', { 'aria-live': 'polite' });
  const run = h('button', { type: 'submit', class: 'btn btn-primary' }, '计算');
  const f = h(
    'form',
    { class: 'lt-verify-form form-grid', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', hidden: true }),
    field({
      name: 'sources',
      label: '随机源的号码',
      type: 'textarea',
      rows: 3,
      wide: true,
      value: '9319/2 5 12 8 10/9 18 26 34 41 45',
      hint: '按公布的顺序，各随机源之间用 / 分隔或分行，同一随机源的号码用空格分隔（示例为 RFC 3797 第 6 节的例子）',
    }),
    field({ name: 'pool', label: '报名人数', type: 'number', value: '25', inputmode: 'numeric' }),
    field({ name: 'count', label: '抽取人数', type: 'number', value: '10', inputmode: 'numeric' }),
    h('div', { class: 'form-actions field-wide' }, run),
  );
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const err = f.querySelector('.form-error');
    err.hidden = true;
    try {
      const key = keyFromText(f.elements.sources.value.replace(/\n+/g, '/'));
      const pool = Number(f.elements.pool.value);
      const count = Number(f.elements.count.value);
      if (!Number.isInteger(pool) || pool < 1 || pool > 20000000)
        throw new Error('报名人数应为 1 到 20000000 之间的整数');
      if (!Number.isInteger(count) || count < 1 || count > pool) throw new Error('抽取人数应为 1 到报名人数之间的整数');
      const steps = draw(key, pool, count);
      mount(
        out,
        panel(
          '结果',
          h('div', { class: 'muted small' }, '密钥串'),
          h('code', { class: 'lt-hash lt-key' }, key),
          h(
            'p',
            { class: 'muted small', style: { margin: '8px 0' } },
            `序号 ${indexBytes(pool)} 字节；约需 ${entropyBits(pool, count).toFixed(1)} 比特熵。中签编号（按抽取顺序）：`,
          ),
          h(
            'ul',
            { class: 'lt-winners' },
            steps.slice(0, 2000).map((s) => h('li', String(s.entry))),
          ),
        ),
        panel('逐步计算', stepsTable(steps, null, null)),
      );
    } catch (e) {
      err.textContent = e.message;
      err.hidden = false;
    }
  });
  mount(
    app,
    h(
      'div',
      { class: 'pub-intro' },
      h('h1', '抽取核验工具'),
      h(
        'p',
        '按 RFC 3797 在浏览器中计算：输入公布的随机源号码、报名人数和抽取人数，得到密钥串、每一步的 MD5 和中签编号。计算全部在您的浏览器中完成。',
      ),
    ),
    panel('输入', f),
    out,
  );
}
