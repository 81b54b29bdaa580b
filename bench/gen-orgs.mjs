// Print SQL that adds N organisations to a demo database: provinces, cities,
// counties and grassroots unions below the national org (id 1), with correct
// materialised paths. Usage: node bench/gen-orgs.mjs 10000 | sqlite3 var/bench.db
const N = Number(process.argv[2] || 10000);
const start = 1000; // above the demo data's ids
const ts = new Date().toISOString();
const out = [];
out.push('BEGIN;');
let id = start;
const add = (parent, path, depth, level, kind, name, region) => {
  const me = id++;
  const p = `${path}${me}/`;
  out.push(`INSERT INTO orgs (id, parent_id, path, depth, level, kind, name, region_code, contact_name, contact_phone, status, created_at, updated_at) VALUES (${me}, ${parent}, '${p}', ${depth}, '${level}', '${kind}', '${name}', '${region}', '联系人${me}', '010-${String(me).padStart(8, '0')}', 'active', '${ts}', '${ts}');`);
  return { id: me, path: p };
};
const provinces = [11, 12, 13, 14, 15, 21, 22, 23, 31, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 65];
let made = 0;
outer: for (const pc of provinces) {
  const prov = add(1, '/1/', 1, 'province', 'regional', `第${pc}省总工会（测试）`, `${pc}0000`);
  made++;
  for (let c = 1; c <= 8; c++) {
    const city = add(prov.id, prov.path, 2, 'city', 'regional', `第${pc}省第${c}市总工会`, `${pc}${String(c).padStart(2, '0')}00`);
    made++;
    for (let k = 1; k <= 5; k++) {
      const county = add(city.id, city.path, 3, 'county', 'regional', `第${pc}省第${c}市第${k}区总工会`, `${pc}${String(c).padStart(2, '0')}${String(k).padStart(2, '0')}`);
      made++;
      for (let g = 1; g <= 8; g++) {
        if (made >= N) break outer;
        add(county.id, county.path, 4, 'grassroots', 'enterprise', `第${pc}省第${c}市第${k}区测试企业${g}有限公司工会`, `${pc}${String(c).padStart(2, '0')}${String(k).padStart(2, '0')}`);
        made++;
      }
      if (made >= N) break outer;
    }
  }
}
out.push('COMMIT;');
process.stdout.write(out.join('\n') + '\n');
process.stderr.write(`generated ${made} orgs, ids ${start}..${id - 1}\n`);
