// Write the recuperation catalogue's initial load as Excel would (UTF-8 with
// BOM, CRLF): P providers and N routes spread over themes, provinces, days
// and prices, for `gonghui import providers` and `gonghui import
// retreat-routes`. Usage: node bench/gen-retreat.mjs DIR [N] [P]
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const N = Number(process.argv[3] || 2000);
const P = Number(process.argv[4] || 50);
const kinds = ['疗休养基地', '旅游民宿', '乡村旅游产业集聚区', '特色小镇', '红色旅游景区'];
const places = [
  ['320102', '南京钟山'], ['320506', '苏州东山'], ['320481', '溧阳天目湖'], ['320282', '宜兴丁蜀'], ['320803', '淮安'],
  ['320902', '盐城'], ['321002', '扬州'], ['320706', '连云港'], ['640502', '中卫沙坡头'], ['640424', '固原六盘山'],
  ['330106', '杭州西湖'], ['341003', '黄山'], ['360430', '井冈山'], ['370102', '济南'], ['530702', '丽江'],
];
const themes = ['红色', '乡村', '康养', '研学', '非遗', '休闲', '海滨', '生态'];
const crlf = (rows) => '\ufeff' + rows.join('\r\n') + '\r\n';

const prov = ['名称,类型,行政区划代码,地址,联系人,联系电话,合作部门,状态'];
for (let i = 0; i < P; i++) {
  const [code, place] = places[i % places.length];
  prov.push(`${place}压测服务机构${i + 1},${kinds[i % kinds.length]},${code},${place}景区路${i + 1}号,联系人${i + 1},0512-6${String(1000000 + i).slice(1)},文化和旅游局,已准入`);
}
writeFileSync(path.join(dir, 'providers.csv'), crlf(prov));

const routes = ['线路编号,线路名称,简介,目的地,行政区划代码,天数,全价,工会补助,主题,服务机构,行程,费用包含,状态'];
for (let i = 0; i < N; i++) {
  const p = i % P;
  const [code, place] = places[p % places.length];
  const days = 2 + (i % 5);
  const price = 1200 + (i % 25) * 100;
  const subsidy = Math.min(price - 200, 600 + (i % 9) * 100);
  const t1 = themes[i % themes.length];
  const t2 = themes[(i * 3 + 1) % themes.length];
  const th = t1 === t2 ? t1 : `${t1}、${t2}`;
  const itin = Array.from({ length: days }, (_, d) => `第${d + 1}天 ${place}第${d + 1}站：参观学习、座谈交流`).join('|');
  routes.push(`BENCH-${String(i + 1).padStart(5, '0')},${place}${th.replace('、', '')}疗休养${days}日（${i + 1}）,${place}的${th}主题疗休养线路，含住宿餐饮与专题讲座。,${place},${code},${days},${price},${subsidy},${th},${place}压测服务机构${p + 1},${itin},住宿、餐饮、门票、保险,发布`);
}
writeFileSync(path.join(dir, 'routes.csv'), crlf(routes));
