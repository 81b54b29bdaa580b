// dom.js — building DOM without HTML strings. Everything that carries data is
// inserted as text nodes or attribute values, so server data can never become
// markup (the CSP forbids inline script anyway; this keeps markup injection out
// too).

const PROPS = new Set(['value', 'checked', 'selected', 'disabled', 'hidden', 'open', 'indeterminate']);

// h('button', {class: 'btn', onclick: fn, dataset: {id: 3}}, '保存', child, [more])
// attrs: class (string or array), style (object or string), dataset (object),
// on* (event listeners), value/checked/… (set as properties), false/null (skipped),
// true (empty attribute), anything else (setAttribute). Children: nodes,
// strings/numbers (text), arrays (flattened), null/undefined/false (skipped).
export function h(tag, attrs, ...children) {
  const el = tag instanceof Node ? tag : document.createElement(tag);
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') {
      el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    } else if (k === 'style' && typeof v === 'object') {
      Object.assign(el.style, v);
    } else if (k === 'dataset') {
      for (const [dk, dv] of Object.entries(v)) if (dv !== null && dv !== undefined) el.dataset[dk] = dv;
    } else if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (PROPS.has(k)) {
      el[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

// Append children (same rules as h()) to el; returns el.
export function append(el, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Remove every child of el; returns el.
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// Replace el's children with the given ones; returns el.
export function mount(el, ...children) {
  return append(clear(el), children);
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

// A small inline SVG icon from a list of path "d" strings (stroke icons drawn
// on a 24×24 grid). Data never goes in here; only the constant icon set below.
const SVG = 'http://www.w3.org/2000/svg';
export function icon(name, size = 18) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', size);
  svg.setAttribute('height', size);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  for (const d of ICONS[name] || []) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    svg.appendChild(p);
  }
  return svg;
}

const ICONS = {
  home: ['M3 11l9-7 9 7', 'M5 10v10h5v-6h4v6h5V10'],
  tree: ['M4 4h6v5H4z', 'M14 15h6v5h-6z', 'M14 4h6v5h-6z', 'M7 9v8.5h7', 'M10 6.5h4'],
  users: [
    'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z',
    'M2 21v-1a6 6 0 0 1 6-6h2a6 6 0 0 1 6 6v1',
    'M16 3.5a4 4 0 0 1 0 7.5',
    'M19 14a5 5 0 0 1 3 4.5V21',
  ],
  audit: ['M6 2h9l5 5v15H6z', 'M14 2v6h6', 'M9 13h8', 'M9 17h8', 'M9 9h2'],
  menu: ['M3 6h18', 'M3 12h18', 'M3 18h18'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  logout: ['M15 4h4a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1h-4', 'M10 17l-5-5 5-5', 'M5 12h11'],
  key: ['M14 10a4 4 0 1 0-3 3.87V14l2 2h2v2h2v2h3v-3l-6.13-6.13', 'M8 9h.01'],
  search: ['M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14z', 'M21 21l-5-5'],
  plus: ['M12 5v14', 'M5 12h14'],
  edit: ['M4 20h4L19 9l-4-4L4 16z', 'M13.5 6.5l4 4'],
  trash: ['M4 7h16', 'M9 7V4h6v3', 'M6 7l1 13h10l1-13'],
  chevronRight: ['M9 6l6 6-6 6'],
  chevronDown: ['M6 9l6 6 6-6'],
  chevronLeft: ['M15 6l-6 6 6 6'],
  refresh: ['M20 11a8 8 0 1 0-2.3 5.7', 'M20 4v7h-7'],
  org: ['M4 21V8l8-5 8 5v13', 'M9 21v-6h6v6', 'M9 10h.01', 'M15 10h.01'],
  card: [
    'M3 6h18v12H3z',
    'M7 10a1.5 1.5 0 1 0 3 0 1.5 1.5 0 0 0-3 0',
    'M5.5 15c.6-1.5 1.7-2 3-2s2.4.5 3 2',
    'M14 10h4',
    'M14 13.5h3',
  ],
  inbox: ['M3 13l3-8h12l3 8v6H3z', 'M3 13h5l1 2h6l1-2h5'],
  upload: ['M12 16V4', 'M7 9l5-5 5 5', 'M4 16v4h16v-4'],
  download: ['M12 4v12', 'M7 11l5 5 5-5', 'M4 16v4h16v-4'],
  eye: ['M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z', 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  transfer: ['M4 8h14', 'M14 4l4 4-4 4', 'M20 16H6', 'M10 12l-4 4 4 4'],
  file: ['M6 2h9l5 5v15H6z', 'M14 2v6h6'],
  arrowLeft: ['M19 12H5', 'M11 6l-6 6 6 6'],
};
