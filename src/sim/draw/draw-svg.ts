/**
 * The SVG rendering of a circuit layout: a self-contained string (no external fonts, styles or links;
 * generic `monospace` text) that notebooks can display inline.
 */
import type { Glyph, Layout } from './draw-layout';

const FONT = 13;
const CHAR_W = 0.62 * FONT; // a generous monospace advance, so labels never overflow their boxes
const ROW = 44;
const BOX_H = 26;
const PAD = 12;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v: number) => Number(v.toFixed(2)).toString();
const line = (x1: number, y1: number, x2: number, y2: number, extra = '') =>
  `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" stroke="#222" stroke-width="1.2"${extra}/>`;
const text = (x: number, y: number, s: string, anchor = 'middle') =>
  `<text x="${num(x)}" y="${num(y)}" text-anchor="${anchor}" dominant-baseline="central" font-family="monospace" font-size="${FONT}">${esc(s)}</text>`;

/** Width a glyph needs in its column. */
function glyphWidth(g: Glyph): number {
  return g.kind === 'box' ? g.text.length * CHAR_W + 2 * PAD : 24;
}

/** The SVG markup of one glyph centred at (x, y). */
function glyphSvg(g: Glyph, x: number, y: number): string {
  switch (g.kind) {
    case 'box': {
      const w = glyphWidth(g);
      return `<rect x="${num(x - w / 2)}" y="${num(y - BOX_H / 2)}" width="${num(w)}" height="${BOX_H}" rx="3" fill="#e8eefc" stroke="#1f3b73" stroke-width="1.2"/>` +
        text(x, y, g.text);
    }
    case 'control': return `<circle cx="${num(x)}" cy="${num(y)}" r="5" fill="#222"/>`;
    case 'target':
      return `<circle cx="${num(x)}" cy="${num(y)}" r="10" fill="#fff" stroke="#222" stroke-width="1.2"/>` +
        line(x - 10, y, x + 10, y) + line(x, y - 10, x, y + 10);
    case 'swap': return line(x - 6, y - 6, x + 6, y + 6) + line(x - 6, y + 6, x + 6, y - 6);
  }
}

/** Renders a layout as an SVG document string. */
export function renderSvg(layout: Layout): string {
  const n = layout.nQubits;
  const labelW = `q${n - 1}`.length * CHAR_W + 20;
  const widths = layout.columns.map((col) => Math.max(30, ...col.flatMap((p) => [...p.glyphs.values()].map(glyphWidth))) + PAD);
  const width = labelW + widths.reduce((a, b) => a + b, 0) + 2 * PAD;
  const height = n * ROW + 8;
  const y = (q: number) => 4 + q * ROW + ROW / 2;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${height}" viewBox="0 0 ${num(width)} ${height}">`,
    `<rect width="${num(width)}" height="${height}" fill="#fff"/>`,
  ];
  for (let q = 0; q < n; q++) {
    parts.push(text(8, y(q), `q${q}`, 'start'));
    parts.push(line(labelW, y(q), width - PAD / 2, y(q)));
  }
  let x0 = labelW + PAD;
  layout.columns.forEach((col, c) => {
    const cx = x0 + widths[c] / 2;
    for (const p of col) {
      if (p.bottom > p.top) parts.push(line(cx, y(p.top), cx, y(p.bottom)));
      for (const [q, g] of p.glyphs) parts.push(glyphSvg(g, cx, y(q)));
    }
    x0 += widths[c];
  });
  parts.push('</svg>');
  return parts.join('\n');
}
