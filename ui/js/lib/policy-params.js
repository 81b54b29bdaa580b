// policy-params.js — the parameters of each policy kind (政策参数) as people
// read and write them, with no DOM: units officers think in (元, 万元, %, 倍)
// converted exactly to what the server's validators take (fen, ‰, integer
// percent) and back, readable Chinese summaries of a version, and the
// server's validation errors pointed at the form's inputs (and told in the
// form's units). Form values are a flat map keyed by the API's own paths
// ('grassroots', 'kinds.illness.max_fen', 'bands[1].ratio_pct'), the same
// names policy_check reports errors under, so an error finds its input.
import { fmtYuan, yuanToFen, fenToInput, INDUSTRIES, INDUSTRY_SHORT } from './format.js';
import { CATEGORIES, AID_KINDS, AID_SCHOOL } from './hardship-labels.js';
import { CONFIRMATION } from './retreat.js';

export const SHARE_LEVELS = ['grassroots', 'county', 'city', 'province', 'national'];
export const SHARE_LABELS = {
  grassroots: '基层工会',
  county: '县（区）总工会',
  city: '市总工会',
  province: '省总工会',
  national: '全国总工会',
};
const SHARE_SHORT = { grassroots: '基层', county: '县区', city: '市', province: '省', national: '全总' };
export const REFUND_SHARE = { all: '全部经费', upper: '上级工会的分成（不含基层留成）' };
export const REFUND_MODE = { automatic: '自动返还', application: '企业申请后返还' };
export const AID_KIND_KEYS = ['education', 'illness', 'living', 'holiday', 'training'];
export const SCHOOL_KEYS = ['compulsory', 'high_school', 'college'];
export const CATEGORY_KEYS = ['deep', 'relative', 'accident'];
export const MAX_BANDS = 8; // MA_MAX_BANDS in domain/mutual_aid.h
export const MAX_THRESHOLDS = 50;
export { CATEGORIES, AID_KINDS, AID_SCHOOL, CONFIRMATION };

// A problem with one input, found before anything is sent.
export class FieldError extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

// ---- exact unit conversions (strings in, integers out; never floats) ----

// Decimal text with at most `places` decimals → integer of 10^-places units;
// null when it is not such a number. '2.5', 1 → 25.
function scaled(text, places) {
  const s = String(text ?? '')
    .trim()
    .replace(/[,，\s]/g, '');
  const m = new RegExp(`^(\\d{1,13})(?:\\.(\\d{0,${places}}))?$`).exec(s);
  if (!m) return null;
  return Number(m[1]) * 10 ** places + Number((m[2] || '').padEnd(places, '0') || 0);
}

// Integer of 10^-places units → the shortest decimal text: 25, 1 → '2.5'.
function unscaled(n, places) {
  const d = 10 ** places;
  const whole = Math.floor(n / d);
  const frac = String(n % d)
    .padStart(places, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

// Shares: 60% → 600‰ (the validator's unit); one decimal of a percent at most.
export const pctToPermille = (text) => scaled(text, 1);
export const permilleToPct = (n) => unscaled(n, 1);
// Multiples: 1.5 倍 → 150 (relative_multiple_pct); two decimals at most.
export const timesToPct = (text) => scaled(text, 2);
export const pctToTimes = (n) => unscaled(n, 2);
// 万元 → fen: 1 万元 = 1,000,000 fen, so six decimals are exact.
export const wanToFen = (text) => scaled(text, 6);
export const fenToWan = (fen) => unscaled(fen, 6);
// Whole numbers (days, people, percent points).
export function wholeNumber(text) {
  const s = String(text ?? '').trim();
  return /^\d{1,9}$/.test(s) ? Number(s) : null;
}

// '¥1,100' for whole yuan, '¥1,100.50' otherwise.
export function yuanShort(fen) {
  if (fen === null || fen === undefined) return '';
  const t = fmtYuan(fen);
  return `¥${t.endsWith('.00') ? t.slice(0, -3) : t}`;
}
const plainYuan = (fen) => yuanShort(fen).slice(1);
// Fen as input text without trailing '.00': 110000 → '1100'.
const fenText = (fen) => (fen === null || fen === undefined ? '' : fenToInput(fen).replace(/\.00$/, ''));

// ---- reading inputs ----

function need(v, name, label) {
  if (v === undefined || v === null || String(v).trim() === '') throw new FieldError(name, `请填写“${label}”`);
  return String(v).trim();
}
function money(v, name, label, { optional = false } = {}) {
  if (optional && (v === undefined || v === null || String(v).trim() === '')) return undefined;
  const fen = yuanToFen(need(v, name, label));
  if (fen === null) throw new FieldError(name, `“${label}”应为金额（元），最多两位小数`);
  return fen;
}
function whole(v, name, label) {
  const n = wholeNumber(need(v, name, label));
  if (n === null) throw new FieldError(name, `“${label}”应为整数`);
  return n;
}
const checked = (v) => Array.isArray(v) && v.includes('yes');
// Row indexes present in the values for a prefix such as 'bands'.
function rowsOf(values, prefix) {
  const re = new RegExp(`^${prefix.replace(/[.[\]]/g, '\\$&')}\\[(\\d+)\\]\\.`);
  const idx = new Set();
  for (const k of Object.keys(values)) {
    const m = re.exec(k);
    if (m) idx.add(Number(m[1]));
  }
  return [...idx].sort((a, b) => a - b);
}

// ---- the kinds ----
// toForm(params|null) → flat values; toParams(values) → params (throws
// FieldError); summary(params) → {lines: [text], table?: {head, rows}};
// explain(err, params) → {field, message} in the form's words.

const feeSplit = {
  defaults: { remainder_to: 'province' },
  toForm(p) {
    const v = { remainder_to: (p && p.remainder_to) || 'province' };
    for (const l of SHARE_LEVELS) v[l] = p && p[l] ? permilleToPct(p[l]) : '';
    return v;
  },
  toParams(v) {
    const p = {};
    for (const l of SHARE_LEVELS) {
      const t = String(v[l] ?? '').trim();
      if (!t) continue;
      const pm = pctToPermille(t);
      if (pm === null) throw new FieldError(l, `“${SHARE_LABELS[l]}”的比例应为百分数，最多一位小数（如 60 或 2.5）`);
      if (pm) p[l] = pm;
    }
    p.remainder_to = need(v.remainder_to, 'remainder_to', '尾差归属');
    return p;
  },
  // Tenths of a percent entered so far (for the running total).
  total(v) {
    let sum = 0;
    for (const l of SHARE_LEVELS) {
      const pm = pctToPermille(v[l] || '0');
      if (pm === null) return null;
      sum += pm;
    }
    return sum;
  },
  summary(p) {
    const grass = p.grassroots || 0;
    const upper = SHARE_LEVELS.filter((l) => l !== 'grassroots' && p[l]);
    const upperSum = upper.reduce((s, l) => s + p[l], 0);
    return {
      lines: [
        `基层 ${permilleToPct(grass)}% / 上级 ${permilleToPct(upperSum)}%`,
        `${upper.map((l) => `${SHARE_SHORT[l]} ${permilleToPct(p[l])}%`).join('、') || '上级不分成'}；尾差归${SHARE_SHORT[p.remainder_to] || p.remainder_to}`,
      ],
    };
  },
  explain(err, p) {
    if (err.code === 'shares_not_whole') {
      const sum = SHARE_LEVELS.reduce((s, l) => s + (p[l] || 0), 0);
      return { field: 'shares', message: `各级分成比例之和应为 100%，现为 ${permilleToPct(sum)}%` };
    }
    if (err.code === 'invalid_share')
      return { field: err.field, message: `“${SHARE_LABELS[err.field] || err.field}”的比例应在 0% 到 100% 之间` };
    return err;
  },
};

const refund = {
  toForm(p) {
    const v = {
      from: (p && p.from) || '',
      to: (p && p.to) || '',
      share: (p && p.share) || 'all',
      mode: (p && p.mode) || 'automatic',
      prep_fee_on_founding: p && p.prep_fee_on_founding ? ['yes'] : [],
      'qualify.small_scale': !p || (p.qualify && p.qualify.small_scale) ? ['yes'] : [],
    };
    ((p && p.qualify && p.qualify.thresholds) || []).forEach((t, i) => {
      v[`qualify.thresholds[${i}].industry`] = t.industry;
      v[`qualify.thresholds[${i}].max_headcount`] = String(t.max_headcount);
      v[`qualify.thresholds[${i}].max_revenue_fen`] = fenToWan(t.max_revenue_fen);
    });
    return v;
  },
  toParams(v) {
    const p = {
      from: need(v.from, 'from', '覆盖起始日期'),
      to: need(v.to, 'to', '覆盖截止日期'),
      share: need(v.share, 'share', '返还部分'),
      mode: need(v.mode, 'mode', '返还方式'),
      prep_fee_on_founding: checked(v.prep_fee_on_founding),
      qualify: { small_scale: checked(v['qualify.small_scale']), thresholds: [] },
    };
    // The page numbers rows 0..n-1, so a row's index is its place in the array.
    rowsOf(v, 'qualify.thresholds').forEach((i) => {
      const k = (f) => `qualify.thresholds[${i}].${f}`;
      const rev = wanToFen(need(v[k('max_revenue_fen')], k('max_revenue_fen'), '营业收入上限'));
      if (rev === null) throw new FieldError(k('max_revenue_fen'), '营业收入上限应为万元数，最多六位小数');
      p.qualify.thresholds.push({
        industry: need(v[k('industry')], k('industry'), '行业'),
        max_headcount: whole(v[k('max_headcount')], k('max_headcount'), '从业人数上限'),
        max_revenue_fen: rev,
      });
    });
    return p;
  },
  summary(p) {
    const q = p.qualify || {};
    const ways = [];
    if (q.small_scale) ways.push('小规模纳税人');
    for (const t of q.thresholds || []) {
      const ind = t.industry === '*' ? '全部行业' : INDUSTRY_SHORT[t.industry] || t.industry;
      ways.push(`${ind}从业人数≤${t.max_headcount}人且年营业收入≤${fenToWan(t.max_revenue_fen)}万元`);
    }
    return {
      lines: [
        `返还 ${p.from} 至 ${p.to} 所属期的经费`,
        [
          p.share === 'upper' ? '返还上级分成部分' : '全额返还',
          REFUND_MODE[p.mode] || p.mode,
          p.prep_fee_on_founding ? '建会后返还筹备金' : null,
        ]
          .filter(Boolean)
          .join(' · '),
        `认定小微企业：${ways.join('；或')}`,
      ],
    };
  },
  explain(err) {
    if (err.code === 'invalid_amount' && /max_revenue_fen$/.test(err.field || ''))
      return { field: err.field, message: '营业收入上限超出允许范围' };
    return err;
  },
};

const retreatBooking = {
  summary(p) {
    return {
      lines: [
        `每人每年补助 ${p.max_subsidised_per_year} 次；${p.frontline_window_days ? `一线职工提前 ${p.frontline_window_days} 天预订` : '不设一线职工优先期'}`,
        `出发前 ${p.cancel_deadline_days} 天截止取消；${CONFIRMATION[p.confirmation] || p.confirmation}`,
      ],
    };
  },
};

const hardshipStandard = {
  toForm(p) {
    return {
      dibao_fen: p ? fenText(p.dibao_fen) : '',
      relative_multiple_pct: p ? pctToTimes(p.relative_multiple_pct) : '',
    };
  },
  toParams(v) {
    const t = need(v.relative_multiple_pct, 'relative_multiple_pct', '相对困难倍数');
    const pct = timesToPct(t);
    if (pct === null) throw new FieldError('relative_multiple_pct', '相对困难倍数应为数字，最多两位小数（如 1.5）');
    return { dibao_fen: money(v.dibao_fen, 'dibao_fen', '低保标准'), relative_multiple_pct: pct };
  },
  // The relative-hardship line for the figures entered, or null.
  line(v) {
    const fen = yuanToFen(v.dibao_fen || '');
    const pct = timesToPct(v.relative_multiple_pct || '');
    if (fen === null || pct === null) return null;
    return Math.floor((fen * pct + 50) / 100);
  },
  summary(p) {
    const line = Math.floor((p.dibao_fen * p.relative_multiple_pct + 50) / 100);
    return {
      lines: [
        `低保 ${yuanShort(p.dibao_fen)}/人·月，相对困难 ${pctToTimes(p.relative_multiple_pct)} 倍（${yuanShort(line)}/人·月）`,
      ],
    };
  },
  explain(err) {
    if (err.field === 'relative_multiple_pct' && err.code === 'out_of_range')
      return { field: err.field, message: '相对困难倍数应在 1 到 5 倍之间' };
    if (err.field === 'dibao_fen' && (err.code === 'out_of_range' || err.code === 'invalid_amount'))
      return { field: err.field, message: '低保标准应在 0.01 到 100,000 元之间' };
    return err;
  },
};

const aidRules = {
  toForm(p) {
    const v = {};
    const kinds = (p && p.kinds) || {};
    for (const k of AID_KIND_KEYS) {
      const r = kinds[k];
      v[`kinds.${k}.on`] = r || !p ? ['yes'] : [];
      v[`kinds.${k}.eligible`] = r
        ? r.eligible.slice()
        : k === 'training'
          ? ['deep', 'relative']
          : ['deep', 'relative', 'accident'];
      v[`kinds.${k}.yearly_cap_fen`] = r ? fenText(r.yearly_cap_fen) : '';
      v[`kinds.${k}.max_fen`] = r ? fenText(r.max_fen) : '';
      v[`kinds.${k}.standard_fen`] = r ? fenText(r.standard_fen) : '';
      if (k === 'education')
        for (const lv of SCHOOL_KEYS)
          for (const c of CATEGORY_KEYS)
            v[`kinds.education.amounts_fen.${lv}.${c}`] =
              r && r.amounts_fen && r.amounts_fen[lv] ? fenText(r.amounts_fen[lv][c]) : '';
    }
    return v;
  },
  toParams(v) {
    const kinds = {};
    for (const k of AID_KIND_KEYS) {
      if (!checked(v[`kinds.${k}.on`])) continue;
      const n = (f) => `kinds.${k}.${f}`;
      const r = {
        eligible: v[n('eligible')] || [],
        yearly_cap_fen: money(v[n('yearly_cap_fen')], n('yearly_cap_fen'), '每人每年上限'),
      };
      if (!r.eligible.length) throw new FieldError(n('eligible'), `请选择“${AID_KINDS[k]}”可申请的困难类别`);
      const max = money(v[n('max_fen')], n('max_fen'), '单次最高金额', { optional: k === 'education' });
      const std = money(v[n('standard_fen')], n('standard_fen'), '标准金额', { optional: true });
      if (max !== undefined) r.max_fen = max;
      if (std !== undefined) r.standard_fen = std;
      if (k === 'education') {
        r.amounts_fen = {};
        for (const lv of SCHOOL_KEYS) {
          const row = {};
          for (const c of CATEGORY_KEYS) {
            const name = `kinds.education.amounts_fen.${lv}.${c}`;
            const fen = money(v[name], name, `${AID_SCHOOL[lv]}${CATEGORIES[c]}标准`, { optional: true });
            if (fen !== undefined) row[c] = fen;
          }
          if (Object.keys(row).length) r.amounts_fen[lv] = row;
        }
      }
      kinds[k] = r;
    }
    return { kinds };
  },
  summary(p) {
    const rows = AID_KIND_KEYS.filter((k) => p.kinds && p.kinds[k]).map((k) => {
      const r = p.kinds[k];
      let std;
      if (k === 'education') {
        std = SCHOOL_KEYS.filter((lv) => r.amounts_fen && r.amounts_fen[lv])
          .map(
            (lv) =>
              `${AID_SCHOOL[lv]} ${CATEGORY_KEYS.filter((c) => r.amounts_fen[lv][c] !== undefined)
                .map((c) => `${CATEGORIES[c].slice(0, 2)}${plainYuan(r.amounts_fen[lv][c])}`)
                .join('/')}`,
          )
          .join('；');
      } else {
        std = [
          r.standard_fen !== undefined ? `标准 ${plainYuan(r.standard_fen)}` : null,
          r.max_fen !== undefined ? `单次最高 ${plainYuan(r.max_fen)}` : null,
        ]
          .filter(Boolean)
          .join('，');
      }
      return [
        AID_KINDS[k],
        r.eligible.map((c) => CATEGORIES[c].slice(0, 2)).join('、'),
        std || '—',
        plainYuan(r.yearly_cap_fen),
      ];
    });
    return {
      lines: rows.length ? [] : ['未开展救助项目'],
      table: rows.length ? { head: ['项目', '可申请', '标准（元）', '每人每年上限（元）'], rows } : null,
    };
  },
  explain(err) {
    return err;
  },
};

const mutualAid = {
  toForm(p) {
    const v = {
      deductible_fen: p ? fenText(p.deductible_fen) : '',
      yearly_cap_fen: p ? fenText(p.yearly_cap_fen) : '',
    };
    const bands = p ? p.bands : [{ upto_fen: null, ratio_pct: '' }];
    bands.forEach((b, i) => {
      v[`bands[${i}].upto_fen`] = b.upto_fen === null || b.upto_fen === undefined ? '' : fenText(b.upto_fen);
      v[`bands[${i}].ratio_pct`] = String(b.ratio_pct ?? '');
    });
    return v;
  },
  toParams(v) {
    const bands = rowsOf(v, 'bands').map((i) => {
      const up = String(v[`bands[${i}].upto_fen`] ?? '').trim();
      return {
        upto_fen: up ? money(up, `bands[${i}].upto_fen`, '分段上限') : null,
        ratio_pct: whole(v[`bands[${i}].ratio_pct`], `bands[${i}].ratio_pct`, '报销比例'),
      };
    });
    return {
      deductible_fen: money(v.deductible_fen, 'deductible_fen', '起付线'),
      yearly_cap_fen: money(v.yearly_cap_fen, 'yearly_cap_fen', '年度封顶'),
      bands,
    };
  },
  summary(p) {
    let prev = 0;
    const rows = p.bands.map((b) => {
      const r = [
        b.upto_fen ? `${plainYuan(prev)} – ${plainYuan(b.upto_fen)} 元` : `${plainYuan(prev)} 元以上`,
        `${b.ratio_pct}%`,
      ];
      prev = b.upto_fen || prev;
      return r;
    });
    const last = p.bands[p.bands.length - 1];
    return {
      lines: [
        `起付线 ${yuanShort(p.deductible_fen)}，年度封顶 ${yuanShort(p.yearly_cap_fen)}${last && last.upto_fen ? `；起付线以上超过 ${plainYuan(last.upto_fen)} 元的部分不予支付` : ''}`,
      ],
      table: { head: ['起付线以上金额', '报销比例'], rows },
    };
  },
  // "invalid_bands" names no band: find the first one breaking the rules
  // (only the last may be open-ended; limits rise band by band).
  explain(err, p) {
    if (err.code !== 'invalid_bands' || !p || !Array.isArray(p.bands)) return err;
    let prev = 0;
    for (let i = 0; i < p.bands.length; i++) {
      const up = p.bands[i].upto_fen;
      if ((!up && i + 1 < p.bands.length) || (up && up <= prev))
        return { field: `bands[${i}].upto_fen`, message: `第 ${i + 1} 段：${err.message}` };
      prev = up || prev;
    }
    return err;
  },
};

export const KIND_FORMS = {
  fee_split: feeSplit,
  refund,
  retreat_booking: retreatBooking,
  hardship_standard: hardshipStandard,
  aid_rules: aidRules,
  mutual_aid_benefit: mutualAid,
};

// The summary of a version's params; a plain line for kinds this page does
// not know (a newer server).
export function summarize(kind, params) {
  const k = KIND_FORMS[kind];
  if (!k || !params) return { lines: [params ? JSON.stringify(params) : '—'] };
  try {
    return k.summary(params);
  } catch {
    return { lines: [JSON.stringify(params)] };
  }
}

// A server error on params of kind, in the form's words and at its input.
export function explainError(kind, err, params) {
  const k = KIND_FORMS[kind];
  const e = { code: err.code, field: err.field || null, message: err.message };
  return k && k.explain && params ? k.explain(e, params) : e;
}

export { INDUSTRIES };
