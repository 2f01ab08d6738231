/**
 * Circuit diagrams: a text drawing for terminals and logs, and a self-contained SVG for notebooks,
 * both rendered from the column layout in draw-layout.ts.
 */
import { Circuit } from '../circuit';
import { BindValues, readBindValues } from '../bind';
import { Glyph, Layout, layoutCircuit } from './draw-layout';
import { renderSvg } from './draw-svg';

/** Options of `draw`. */
export interface DrawOptions {
  /** 'text' (default) or 'svg'. */
  format?: 'text' | 'svg';
  /** Show weight(j) angles as numbers using these values (length numWeights). */
  weights?: BindValues;
  /** Show input(i) angles as numbers using this one row of data (length numInputs). */
  inputs?: BindValues;
}

/** The text a glyph prints (boxes as ┤label├). */
export function glyphText(g: Glyph): string {
  switch (g.kind) {
    case 'box': return `┤${g.text}├`;
    case 'control': return '●';
    case 'target': return '⊕';
    case 'swap': return '×';
  }
}

/** Renders a layout as text: one wire row per qubit, connector rows between them. */
export function renderText(layout: Layout): string {
  const n = layout.nQubits;
  const names = Array.from({ length: n }, (_, q) => `q${q}: `);
  const pad = Math.max(...names.map((s) => s.length));
  const rows = Array.from({ length: 2 * n - 1 }, (_, r) => (r % 2 === 0 ? names[r / 2].padEnd(pad) + '─' : ' '.repeat(pad + 1)));
  for (const col of layout.columns) {
    const cells = new Map<number, string>(); // wire → text in this column
    for (const p of col) for (const [q, g] of p.glyphs) cells.set(q, glyphText(g));
    const width = Math.max(1, ...[...cells.values()].map((s) => s.length));
    const mid = Math.floor((width - 1) / 2); // the connector runs through this character
    const centered = (s: string, fill: string) => {
      const start = mid - Math.floor((s.length - 1) / 2);
      return fill.repeat(start) + s + fill.repeat(width - start - s.length);
    };
    const spanOf = (q: number) => col.find((p) => p.top <= q && q <= p.bottom);
    for (let q = 0; q < n; q++) {
      const text = cells.get(q);
      const crossed = !text && spanOf(q) !== undefined;
      rows[2 * q] += '─' + (text ? centered(text, '─') : crossed ? centered('┼', '─') : '─'.repeat(width)) + '─';
      if (q < n - 1) {
        const p = spanOf(q);
        const linked = p !== undefined && q < p.bottom;
        rows[2 * q + 1] += ' ' + (linked ? centered('│', ' ') : ' '.repeat(width)) + ' ';
      }
    }
  }
  return rows.map((r, i) => (i % 2 === 0 ? r + '─' : r.trimEnd())).join('\n');
}

/**
 * Draws the circuit: a text diagram (default) or an SVG string. Angles print symbolically (π·x0, w3)
 * unless `weights` / `inputs` are given, in which case those references print as numbers.
 */
export function draw(circuit: Circuit, options: DrawOptions = {}): string {
  if (!(circuit instanceof Circuit)) throw new Error('draw(circuit): expected a Circuit');
  const format = options.format ?? 'text';
  if (format !== 'text' && format !== 'svg') throw new Error(`draw(options.format): expected 'text' or 'svg', got ${JSON.stringify(format)}`);
  const weights = readBindValues(options.weights, circuit.numWeights, 'draw(options.weights)');
  const inputs = readBindValues(options.inputs, circuit.numInputs, 'draw(options.inputs)', true);
  const layout = layoutCircuit(circuit, weights, inputs);
  return format === 'text' ? renderText(layout) : renderSvg(layout);
}
