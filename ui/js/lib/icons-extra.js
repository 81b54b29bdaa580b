// icons-extra.js — stroke icons for the money pages that dom.js's set does
// not have, drawn the same way (24×24 grid, path "d" strings); anyIcon()
// takes a name from either set.
import { icon } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const EXTRA = {
  shield: ['M12 3l8 3v6c0 5-3.4 8.3-8 9-4.6-.7-8-4-8-9V6z', 'M9 12l2 2 4-4'],
  coins: [
    'M12 7c4.4 0 8-1.3 8-3s-3.6-3-8-3-8 1.3-8 3 3.6 3 8 3z',
    'M4 4v5c0 1.7 3.6 3 8 3s8-1.3 8-3V4',
    'M4 9v5c0 1.7 3.6 3 8 3s8-1.3 8-3V9',
    'M4 14v5c0 1.7 3.6 3 8 3s8-1.3 8-3v-5',
  ],
  building: [
    'M4 21V4h10v17',
    'M14 9h6v12',
    'M2 21h20',
    'M7 8h1',
    'M10 8h1',
    'M7 12h1',
    'M10 12h1',
    'M7 16h1',
    'M10 16h1',
    'M17 13h.01',
    'M17 17h.01',
  ],
  chart: ['M4 20V10', 'M10 20V4', 'M16 20v-7', 'M22 20H2'],
  book: ['M4 4h6a2 2 0 0 1 2 2v14a2 2 0 0 0-2-2H4z', 'M20 4h-6a2 2 0 0 0-2 2v14a2 2 0 0 1 2-2h6z'],
  refund: ['M9 14L4 9l5-5', 'M4 9h11a5 5 0 0 1 0 10h-3'],
  sliders: ['M4 6h9', 'M17 6h3', 'M15 4v4', 'M4 12h3', 'M11 12h9', 'M9 10v4', 'M4 18h11', 'M19 18h1', 'M17 16v4'],
};

export function anyIcon(name, size = 18) {
  if (!EXTRA[name]) return icon(name, size);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', size);
  svg.setAttribute('height', size);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  for (const d of EXTRA[name]) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    svg.appendChild(p);
  }
  return svg;
}
