// router.js — a tiny hash router: '#/orgs/12?tab=x' → the route '/orgs/{id}'
// with params {id: '12'} and query {tab: 'x'}.
//
// Each route names a view: a function (or a loader returning a module whose
// default export is one) called as view(ctx) with ctx = {params, query, path,
// signal, router}. It returns {el, update?(ctx), destroy?()} or just an element.
// Routes sharing a `key` keep the same view alive across navigations: the
// router calls update(ctx) instead of rebuilding (the org tree keeps its state
// when the selected org changes). ctx.signal aborts when the view is left.

export function compile(pattern) {
  const names = [];
  const src = pattern
    .split('/')
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]);
      return '([^/]+)';
    })
    .join('/');
  const re = new RegExp(`^${src}/?$`);
  return (path) => {
    const m = re.exec(path);
    if (!m) return null;
    const params = {};
    names.forEach((n, i) => {
      params[n] = decodeURIComponent(m[i + 1]);
    });
    return params;
  };
}

// Parse a location hash into {path, query}.
export function parseHash(hash) {
  const raw = (hash || '').replace(/^#/, '') || '/';
  const i = raw.indexOf('?');
  const path = i < 0 ? raw : raw.slice(0, i);
  const query = Object.fromEntries(new URLSearchParams(i < 0 ? '' : raw.slice(i + 1)));
  return { path: path.startsWith('/') ? path : `/${path}`, query };
}

// createRouter({routes: [{path, view, key?, title?}], outlet, fallback, notFound, onRoute})
//   outlet   — element the current view is mounted into
//   fallback — hash to use for '#/' and, without notFound, when nothing matches (e.g. '/home')
//   notFound — {view, title}: the route shown for any other path nothing matches
//   onRoute(route, ctx) — after each navigation (highlight the menu, set the title)
export function createRouter({ routes, outlet, fallback = '/', notFound, onRoute, onError }) {
  // A literal segment beats a parameter: '/members/import' wins over
  // '/members/{id}' whatever the order the routes were listed in.
  const params = (p) => (p.match(/\{\w+\}/g) || []).length;
  const table = routes
    .map((r, i) => ({ ...r, match: compile(r.path), key: r.key || r.path, i }))
    .sort((a, b) => params(a.path) - params(b.path) || a.i - b.i);
  let active = null; // {key, view, controller}
  let seq = 0;

  async function resolve() {
    const { path, query } = parseHash(location.hash);
    let route = null;
    let params = null;
    for (const r of table) {
      params = r.match(path);
      if (params) {
        route = r;
        break;
      }
    }
    if (!route && notFound && path !== '/') {
      route = { ...notFound, path, key: null };
      params = {};
    } else if (!route) {
      navigate(fallback, { replace: true });
      return;
    }
    const mine = ++seq;
    if (active && active.key === route.key && active.view && active.view.update) {
      const ctx = { params, query, path, signal: active.controller.signal, router };
      active.view.update(ctx);
      if (onRoute) onRoute(route, ctx);
      return;
    }
    if (active) {
      active.controller.abort();
      if (active.view && active.view.destroy) active.view.destroy();
    }
    const controller = new AbortController();
    active = { key: route.key, view: null, controller };
    const ctx = { params, query, path, signal: controller.signal, router };
    if (onRoute) onRoute(route, ctx);
    try {
      let fn = route.view;
      if (route.load) fn = (await route.load()).default;
      if (mine !== seq) return; // a newer navigation won
      let view = await fn(ctx);
      if (mine !== seq) return;
      if (view instanceof Node) view = { el: view };
      active.view = view;
      outlet.replaceChildren(view.el);
    } catch (e) {
      if (mine !== seq || (e && e.name === 'AbortError')) return;
      if (onError) onError(e, outlet);
      else throw e;
    }
  }

  function navigate(path, { replace = false } = {}) {
    const hash = `#${path}`;
    if (location.hash === hash) {
      resolve();
    } else if (replace) {
      history.replaceState(null, '', hash);
      resolve();
    } else {
      location.hash = hash;
    }
  }

  const router = {
    start() {
      window.addEventListener('hashchange', resolve);
      resolve();
    },
    navigate,
    // Re-run the current route from scratch (e.g. after a change elsewhere).
    reload() {
      if (active) active.key = null;
      resolve();
    },
    current: () => parseHash(location.hash),
  };
  return router;
}

// '#/orgs/12' for building links: href('/orgs/{id}', {id: 12}).
export function href(pattern, params = {}, query) {
  let p = pattern.replace(/\{(\w+)\}/g, (_, n) => encodeURIComponent(params[n]));
  if (query) {
    const s = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '' && v != null)).toString();
    if (s) p += `?${s}`;
  }
  return `#${p}`;
}
