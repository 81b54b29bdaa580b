// Write two CSVs as a tax department would send them: an enterprise list and
// monthly union-fee payments. Usage:
//   node bench/gen-fees.mjs N MONTHS START(YYYY-MM) DIR [union_org_id] [region]
// N enterprises (every third without a union: preparatory fee; every second
// a small-scale taxpayer), MONTHS months of payments each, 2% of payroll (one
// row in 997 deliberately off by a fen, to be flagged).
import { createWriteStream } from 'node:fs';
import { usccFor } from '../tests/lib/uscc.js';

const [nStr, mStr, start = '2020-01', dir = '.', unionOrg = '', region = '320115'] = process.argv.slice(2);
const N = Number(nStr || 1000);
const M = Number(mStr || 12);
const [sy, sm] = start.split('-').map(Number);
const ents = createWriteStream(`${dir}/enterprises.csv`);
const pays = createWriteStream(`${dir}/payments.csv`);
ents.write('\ufeff统一社会信用代码,企业名称,行政区划代码,行业,从业人数,营业收入,小规模纳税人,工会组织编号,建会日期,开户银行,户名,银行账号\r\n');
pays.write('\ufeff统一社会信用代码,所属期,工资总额,缴纳金额,缴款日期,类型\r\n');
const inds = 'CEFGHIKLMO';
let eb = '', pb = '';
for (let i = 0; i < N; i++) {
  const code = usccFor(i + 1, region);
  const hasUnion = i % 3 !== 0 && unionOrg;
  const name = `测试${['科技', '商贸', '建材', '餐饮', '物流', '印刷'][i % 6]}有限公司${i + 1}`;
  eb += `${code},${name},${region},${inds[i % inds.length]},${5 + (i % 60)},${(50 + (i % 400)) * 10000},${i % 2 ? '是' : '否'},${hasUnion ? unionOrg : ''},${hasUnion ? '2019-06-01' : ''},中国工商银行,${name},6222${String(i).padStart(12, '0')}\r\n`;
  const payroll = 3000000 + (i % 97) * 12345; // fen
  for (let m = 0; m < M; m++) {
    const y = sy + Math.floor((sm - 1 + m) / 12);
    const mo = ((sm - 1 + m) % 12) + 1;
    const month = `${y}-${String(mo).padStart(2, '0')}`;
    let amount = Math.floor((payroll * 2 + 50) / 100);
    if ((i * M + m) % 997 === 0) amount += 1;
    const py = mo === 12 ? y + 1 : y;
    const pm = mo === 12 ? 1 : mo + 1;
    pb += `${code},${month},${(payroll / 100).toFixed(2)},${(amount / 100).toFixed(2)},${py}-${String(pm).padStart(2, '0')}-15,${hasUnion ? '工会经费' : '建会筹备金'}\r\n`;
  }
  if (eb.length > 1 << 20) { ents.write(eb); eb = ''; }
  if (pb.length > 1 << 20) { pays.write(pb); pb = ''; }
}
ents.end(eb);
pays.end(pb);
