// Helpers shared by the hardship, aid and mutual-aid tests: members with
// log-ins, file bodies in the shape of the national form (figures that add
// up, valid family ID numbers), and the org ids of the demo data.
import assert from 'node:assert/strict';
import { Client } from './client.js';
import { idFor, makeId, mobileFor } from './ids.js';

export async function orgIds(admin) {
  const org = {};
  for (const o of (await admin.get('/api/v1/orgs?per_page=100')).body.items) org[o.name] = o.id;
  return org;
}

// A new active member of orgId (registered by an officer with the
// membership duty); with login, the member also activates an account and
// the returned object carries a logged-in client.
export async function makeMember(officer, orgId, n, { login = false, name = `困难测试${n}` } = {}) {
  const body = {
    name,
    id_number: idFor(n),
    mobile: mobileFor(n),
    org_id: orgId,
    employment_form: 'employee',
    join_date: '2015-03-01',
  };
  const r = await officer.post('/api/v1/members', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const m = { id: r.body.id, idNumber: body.id_number, mobile: body.mobile, name };
  if (login) {
    const anon = new Client(officer.base);
    const act = await anon.post('/api/v1/member-activation', {
      id_number: body.id_number,
      mobile: body.mobile,
      password: 'Kunnan2026',
    });
    assert.equal(act.status, 201, JSON.stringify(act.body));
    m.client = await anon.login(body.mobile, 'Kunnan2026');
  }
  return m;
}

// A family member's ID number: a made-up region and birth date per n.
export function familyId(n, birth = '19860101') {
  return makeId(n % 1000, { region: '320115', birth });
}

// A file body. Defaults: a family of four (spouse, two children), 3,200
// yuan a month in all (2,000 own wage, 1,200 the spouse's), 1,200 yuan of
// medical and 800 of schooling costs: 300 yuan a head after costs, under
// Jiangsu's 1,100-yuan 低保 → deep hardship.
export function fileBody(memberId, n, over = {}) {
  return {
    member_id: memberId,
    ethnicity: '汉族',
    health: 'serious_illness',
    disability: 'none',
    work_status: 'employed',
    household_type: 'urban',
    household_place: '江苏省南京市江宁区',
    monthly_income_fen: 200000,
    family_other_income_fen: 0,
    family_income_fen: 320000,
    medical_cost_fen: 120000,
    education_cost_fen: 80000,
    medical_insurance: 'employee',
    family: [
      {
        name: '配偶甲',
        relation: 'spouse',
        id_number: familyId(n * 3),
        health: 'healthy',
        school_or_work: '保洁员',
        income_fen: 120000,
      },
      {
        name: '子女乙',
        relation: 'child',
        id_number: familyId(n * 3 + 1, '20060901'),
        health: 'healthy',
        school_or_work: '南京大学',
        school_level: 'college',
      },
      {
        name: '子女丙',
        relation: 'child',
        id_number: familyId(n * 3 + 2, '20120301'),
        health: 'healthy',
        school_or_work: '东山小学',
        school_level: 'compulsory',
      },
    ],
    main_cause: 'major_illness',
    secondary_causes: ['schooling'],
    accident: false,
    homes_owned: 1,
    employs_others: false,
    category: 'deep',
    bank_name: '中国工商银行',
    bank_account: '6222024301000099887',
    ...over,
  };
}

// Open a file as `opener` and confirm it as `approver`; returns the file.
export async function openFile(opener, approver, memberId, n, over = {}) {
  const r = await opener.post('/api/v1/hardship/files', fileBody(memberId, n, over));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const a = await approver.post(`/api/v1/hardship/files/${r.body.id}/approve`, { note: '入户核实属实' });
  assert.equal(a.status, 200, JSON.stringify(a.body));
  return a.body;
}
