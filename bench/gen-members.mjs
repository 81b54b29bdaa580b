// Write a members CSV as Excel would (UTF-8 with BOM, CRLF) with N distinct,
// valid ID numbers and mobiles. Usage: node bench/gen-members.mjs N > members.csv
const N = Number(process.argv[2] || 1000000);
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const MAP = '10X98765432';
const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const given = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建国志斌辉海波宁晨雪梅琳鹏飞俊峰建华春燕';
const forms = ['职工', '职工', '职工', '职工', '职工', '快递员', '外卖送餐员', '网约车司机', '货车司机', '家政服务员'];
const regions = ['320102', '320104', '320115', '320508', '320583', '640104', '640106', '640202', '640302'];
const out = [];
const flush = () => { process.stdout.write(out.join('')); out.length = 0; };
process.stdout.write('\ufeff姓名,身份证号,手机号,就业形态,一线职工,入会日期\r\n');
for (let i = 0; i < N; i++) {
  // distinct: birth date from i, sequence from i / 14000
  const year = 1960 + (i % 40);
  const day = 1 + (Math.floor(i / 40) % 28);
  const month = 1 + (Math.floor(i / 1120) % 12);
  const seq = Math.floor(i / 13440) % 1000;
  const region = regions[Math.floor(i / 13440000) % regions.length];
  const f17 = region + year + String(month).padStart(2, '0') + String(day).padStart(2, '0') + String(seq).padStart(3, '0');
  let s = 0;
  for (let k = 0; k < 17; k++) s += (f17.charCodeAt(k) - 48) * W[k];
  const id = f17 + MAP[s % 11];
  const name = surnames[i % surnames.length] + given[(i * 7) % given.length] + (i % 3 ? given[(i * 13) % given.length] : '');
  const mobile = '13' + String(i).padStart(9, '0');
  const joined = `${Math.min(year + 18 + (i % 20), 2025)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  out.push(`${name},${id},${mobile},${forms[i % forms.length]},${i % 2 ? '是' : '否'},${joined}\r\n`);
  if (out.length >= 10000) flush();
}
flush();
