// docs/openapi.yaml against the router: every route the server answers
// (`gonghui routes`) is documented under the same path template and method,
// nothing documented is missing from the router, public routes and only they
// carry `security: []`, every operation has a summary, a tag and a 2xx
// response, and every $ref resolves. No server is started: the route table is
// printed by the binary itself.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const DOC = path.join(root, 'docs/openapi.yaml');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// Any build prints the same table; prefer the one the other tests run
// (GONGHUI_BIN), else the plain build that CI makes before the tests.
function gonghuiBin() {
  const candidates = [process.env.GONGHUI_BIN, path.resolve(here, '../../build/gonghui')].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`gonghui binary not found (tried ${candidates.join(', ')}); run make first`);
  return found;
}

let routes; // [{method, path, access, key}]
let doc;
let ops; // [{method, path, op, key}]

before(() => {
  const bin = gonghuiBin();
  const r = spawnSync(bin, ['routes'], {
    encoding: 'utf8',
    timeout: 60000,
    env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' },
  });
  assert.equal(r.status, 0, `${bin} routes failed (${r.status}): ${r.stderr}`);
  routes = [];
  const bad = [];
  for (const line of r.stdout.split('\n')) {
    if (!line.trim()) continue;
    const m = line.trim().match(/^(GET|POST|PUT|PATCH|DELETE) (\/\S*) (public|auth)$/);
    if (!m) {
      bad.push(line);
      continue;
    }
    routes.push({ method: m[1], path: m[2], access: m[3], key: `${m[1]} ${m[2]}` });
  }
  assert.deepEqual(bad, [], 'unparseable lines from `gonghui routes`');
  assert.ok(routes.length > 0, '`gonghui routes` printed no routes');

  const text = readFileSync(DOC, 'utf8');
  const parsed = YAML.parseDocument(text, { uniqueKeys: true });
  assert.deepEqual(
    parsed.errors.map((e) => e.message),
    [],
    'docs/openapi.yaml is not valid YAML',
  );
  doc = parsed.toJS({ maxAliasCount: -1 });
  assert.equal(doc.openapi, '3.0.3', 'openapi version');
  assert.ok(doc.paths && typeof doc.paths === 'object', 'document has no paths');

  ops = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) {
      if (item && item[m])
        ops.push({ method: m.toUpperCase(), path: p, op: item[m], item, key: `${m.toUpperCase()} ${p}` });
    }
  }
});

const list = (xs) => (xs.length ? `\n  ${xs.join('\n  ')}` : ' none');

test('the router lists each route once', () => {
  const seen = new Set();
  const dup = routes.filter((r) => (seen.has(r.key) ? true : (seen.add(r.key), false))).map((r) => r.key);
  assert.deepEqual(dup, [], `routes listed twice:${list(dup)}`);
});

test('every route of the router is documented', () => {
  const documented = new Set(ops.map((o) => o.key));
  const missing = routes.filter((r) => !documented.has(r.key)).map((r) => `${r.key} (${r.access})`);
  assert.deepEqual(missing, [], `routes missing from docs/openapi.yaml:${list(missing)}`);
});

test('every documented operation exists in the router (no stale docs)', () => {
  const served = new Set(routes.map((r) => r.key));
  const stale = ops.filter((o) => !served.has(o.key)).map((o) => o.key);
  assert.deepEqual(stale, [], `operations in docs/openapi.yaml that the router does not serve:${list(stale)}`);
});

test('public routes have security: [] and authenticated routes require a scheme', () => {
  const byKey = new Map(ops.map((o) => [o.key, o]));
  const schemes = doc.components?.securitySchemes || {};
  const problems = [];
  for (const r of routes) {
    const o = byKey.get(r.key);
    if (!o) continue; // reported by the coverage test
    const own = o.op.security;
    if (r.access === 'public') {
      if (!Array.isArray(own) || own.length !== 0) problems.push(`${r.key}: public route needs \`security: []\``);
      continue;
    }
    const eff = own !== undefined ? own : doc.security;
    if (!Array.isArray(eff) || eff.length === 0) {
      problems.push(`${r.key}: needs log-in but its effective security is ${JSON.stringify(eff)}`);
      continue;
    }
    for (const req of eff) {
      const names = Object.keys(req || {});
      // {} would make authentication optional.
      if (names.length === 0) problems.push(`${r.key}: empty security requirement {} makes log-in optional`);
      for (const n of names) if (!schemes[n]) problems.push(`${r.key}: unknown security scheme ${n}`);
    }
  }
  assert.deepEqual(problems, [], `security does not match the router:${list(problems)}`);
});

test('every operation has a summary, a declared tag and a 2xx response', () => {
  const declared = new Set((doc.tags || []).map((t) => t.name));
  const problems = [];
  for (const o of ops) {
    if (typeof o.op.summary !== 'string' || !o.op.summary.trim()) problems.push(`${o.key}: no summary`);
    if (!Array.isArray(o.op.tags) || o.op.tags.length === 0) problems.push(`${o.key}: no tag`);
    else for (const t of o.op.tags) if (!declared.has(t)) problems.push(`${o.key}: tag "${t}" is not declared in tags`);
    const codes = Object.keys(o.op.responses || {});
    if (!codes.some((c) => /^2(\d\d|XX)$/.test(c))) problems.push(`${o.key}: no 2xx response`);
  }
  assert.deepEqual(problems, [], `incomplete operations:${list(problems)}`);
});

test('operationIds are unique', () => {
  const seen = new Map();
  const dup = [];
  for (const o of ops) {
    const id = o.op.operationId;
    if (!id) continue;
    if (seen.has(id)) dup.push(`${id}: ${seen.get(id)} and ${o.key}`);
    else seen.set(id, o.key);
  }
  assert.deepEqual(dup, [], `duplicate operationIds:${list(dup)}`);
});

// Resolve a local JSON pointer ("#/components/schemas/Org").
function resolve(ref) {
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return undefined;
  let node = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

test('every $ref resolves inside the document', () => {
  const broken = [];
  let count = 0;
  const walk = (node, where) => {
    if (Array.isArray(node)) return node.forEach((x, i) => walk(x, `${where}/${i}`));
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref') {
        count++;
        if (resolve(v) === undefined) broken.push(`${where}: ${v}`);
      } else {
        walk(v, `${where}/${k}`);
      }
    }
  };
  walk(doc, '#');
  assert.ok(count > 0, 'no $ref found at all');
  assert.deepEqual(broken, [], `unresolved $ref:${list(broken)}`);
});

test("path parameters are declared with the router's names", () => {
  const problems = [];
  const params = (arr) =>
    (arr || []).map((p) => (p && p.$ref ? resolve(p.$ref) : p)).filter((p) => p && p.in === 'path');
  for (const o of ops) {
    const names = [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const declared = [...params(o.item.parameters), ...params(o.op.parameters)];
    const declaredNames = new Set(declared.map((p) => p.name));
    for (const n of names) if (!declaredNames.has(n)) problems.push(`${o.key}: {${n}} has no path parameter`);
    for (const p of declared) {
      if (!names.includes(p.name)) problems.push(`${o.key}: path parameter ${p.name} is not in the path`);
      if (p.required !== true) problems.push(`${o.key}: path parameter ${p.name} must be required`);
    }
  }
  assert.deepEqual(problems, [], `path parameters:${list(problems)}`);
});

// The request side of the document against the tables the server checks
// requests with (`gonghui routes --json`): a declared success status is a
// documented response, a declared body's fields are the documented
// properties with the same required list, and every declared query
// parameter is documented.
function declaredRoutes() {
  const r = spawnSync(gonghuiBin(), ['routes', '--json'], {
    encoding: 'utf8',
    timeout: 60000,
    env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' },
  });
  assert.equal(r.status, 0, `routes --json failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function deref(node) {
  let n = node;
  for (let i = 0; n && n.$ref && i < 10; i++) {
    const parts = n.$ref.replace(/^#\//, '').split('/');
    n = parts.reduce((o, k) => (o ? o[k] : undefined), doc);
  }
  return n;
}

test('documented request schemas and statuses match the declared routes', () => {
  const byKey = new Map(ops.map((o) => [o.key, o]));
  const problems = [];
  for (const r of declaredRoutes()) {
    const key = `${r.method} ${r.path}`;
    const o = byKey.get(key);
    if (!o) continue; // reported by the coverage test
    if (r.declared && !Object.keys(o.op.responses || {}).includes(String(r.status)))
      problems.push(`${key}: declared status ${r.status} is not a documented response`);
    if (r.body) {
      const schema = deref(o.op.requestBody?.content?.['application/json']?.schema);
      if (!schema) {
        problems.push(`${key}: declares a body but documents no application/json schema`);
      } else {
        const props = Object.keys(deref(schema).properties || {}).sort();
        const fields = r.body.map((f) => f.name).sort();
        if (JSON.stringify(props) !== JSON.stringify(fields))
          problems.push(
            `${key}: body fields ${fields.join(',') || '(none)'} but documented ${props.join(',') || '(none)'}`,
          );
        const req = [...(deref(schema).required || [])].sort();
        const wants = r.body
          .filter((f) => f.required)
          .map((f) => f.name)
          .sort();
        if (JSON.stringify(req) !== JSON.stringify(wants))
          problems.push(`${key}: required ${wants.join(',') || '(none)'} but documented ${req.join(',') || '(none)'}`);
      }
    }
    if (r.query) {
      const params = [...(o.item.parameters || []), ...(o.op.parameters || [])].map(deref);
      const documented = new Set(params.filter((p) => p && p.in === 'query').map((p) => p.name));
      for (const q of r.query)
        if (!documented.has(q.name)) problems.push(`${key}: query parameter ${q.name} is not documented`);
    }
  }
  assert.deepEqual(problems, [], `docs/openapi.yaml differs from the declared routes:${list(problems)}`);
});
