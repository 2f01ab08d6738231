/**
 * The layout shared by the text and SVG drawings: operations packed into columns (moments) so that no
 * two operations in a column overlap, counting the vertical span a multi-qubit gate draws across the
 * wires between its qubits; and the glyph each operation shows on each of its wires.
 */
import type { Circuit, Operation } from '../circuit';
import { formatAngle } from '../params';
import { bindAngle } from '../bind';

/** What an operation shows on one of its wires. */
export type Glyph = { kind: 'box'; text: string } | { kind: 'control' } | { kind: 'target' } | { kind: 'swap' };

/** An operation placed in a column, with its glyph per wire and the wire span its connector covers. */
export interface PlacedOp { op: Operation; column: number; glyphs: Map<number, Glyph>; top: number; bottom: number }

/** The diagram layout: columns of non-overlapping placed operations. */
export interface Layout { nQubits: number; columns: PlacedOp[][] }

const LABELS: Partial<Record<Operation['name'], string>> = {
  h: 'H', x: 'X', y: 'Y', z: 'Z', s: 'S', sdg: 'S†', t: 'T', tdg: 'T†', sx: '√X', rx: 'RX', ry: 'RY', rz: 'RZ',
  phase: 'P', u3: 'U3', crx: 'RX', cry: 'RY', crz: 'RZ', cphase: 'P',
};

/** The glyphs of one operation, with angles shown bound (numbers) where values are given. */
function glyphsOf(op: Operation, weights?: number[], inputs?: number[]): Map<number, Glyph> {
  const g = new Map<number, Glyph>();
  const box = (name: string): Glyph => ({
    kind: 'box',
    text: name + (op.params.length ? `(${op.params.map((p) => formatAngle(bindAngle(p, weights, inputs))).join(', ')})` : ''),
  });
  const w = op.wires;
  switch (op.name) {
    case 'cx': case 'ccx': w.slice(0, -1).forEach((q) => g.set(q, { kind: 'control' })); g.set(w[w.length - 1], { kind: 'target' }); break;
    case 'cz': w.forEach((q) => g.set(q, { kind: 'control' })); break;
    case 'swap': w.forEach((q) => g.set(q, { kind: 'swap' })); break;
    case 'crx': case 'cry': case 'crz': case 'cphase': g.set(w[0], { kind: 'control' }); g.set(w[1], box(LABELS[op.name] as string)); break;
    case 'unitary': w.forEach((q, i) => g.set(q, { kind: 'box', text: w.length === 1 ? 'U' : `U[${i}]` })); break;
    default: g.set(w[0], box(LABELS[op.name] ?? op.name));
  }
  return g;
}

/** Packs operations into columns: each goes to the first column after every earlier op it overlaps. */
export function layoutCircuit(circuit: Circuit, weights?: number[], inputs?: number[]): Layout {
  const next = new Array<number>(circuit.nQubits).fill(0);
  const columns: PlacedOp[][] = [];
  for (const op of circuit.ops) {
    const top = Math.min(...op.wires), bottom = Math.max(...op.wires);
    let column = 0;
    for (let q = top; q <= bottom; q++) column = Math.max(column, next[q]);
    for (let q = top; q <= bottom; q++) next[q] = column + 1;
    (columns[column] ??= []).push({ op, column, glyphs: glyphsOf(op, weights, inputs), top, bottom });
  }
  return { nQubits: circuit.nQubits, columns };
}
