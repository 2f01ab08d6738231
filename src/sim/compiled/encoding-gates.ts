/**
 * The encoding prefix of a compilable circuit, qubit by qubit: its data gates M(u) = A0 + cos u·A1 +
 * sin u·A2 (u = coef·x_i) with the fixed gates around them folded in, and the plan format the two
 * encoding planners (levels, Fourier) produce for `ProductEncoding`.
 */
import { CMatrix } from '../gates';
import { TermOp } from '../gate-terms';
import { isParamRef } from '../params';

/** A complex number [re, im]. */
export type C = [number, number];

/** One data gate on a qubit: M(u) = A0 + cos(u)·A1 + sin(u)·A2 with u = trig[k].coef · x[trig[k].input]. */
export interface DataGate { trig: number; a: [CMatrix, CMatrix, CMatrix] }

/** The prefix as data gates per qubit (fixed gates folded in) or, for qubits without data, a constant vector. */
export interface FoldedPrefix {
  nQubits: number;
  numInputs: number;
  /** The data angles: u_k = coef · x[input] (radians). */
  trig: { input: number; coef: number }[];
  gates: DataGate[][];
  constants: (C[] | undefined)[];
}

/**
 * What a planner hands to `ProductEncoding`: T = cos(2π(x·S + bias)) (angles in turns), then levels
 * next = (F·left) ⊙ (F·right), then φ = F·M ([φr | φi], or φr alone when real).
 */
export interface EncodingPlan {
  kind: 'levels' | 'fourier';
  /** Columns of T; S is row-major [numInputs, cols], bias [cols]. */
  cols: number;
  S: Float64Array;
  bias: Float64Array;
  /** dT/dt = T·swap (row-major [cols, cols]) when every cos column has its sin partner and vice versa. */
  swap?: Float64Array;
  levels: { left: Float64Array; right: Float64Array; rows: number; cols: number }[];
  /** Width of the last features and M [width, dimIn]. */
  width: number;
  M: Float64Array;
  real: boolean;
  dimIn: number;
}

const cm = (re: number[][], im: number[][]): CMatrix => ({ re, im });
export const ID2 = cm([[1, 0], [0, 1]], [[0, 0], [0, 0]]);
const ZERO2 = cm([[0, 0], [0, 0]], [[0, 0], [0, 0]]);

/** Complex matrix product. */
export function matmul(a: CMatrix, b: CMatrix): CMatrix {
  const d = a.re.length, re = a.re.map(() => new Array<number>(d).fill(0)), im = a.re.map(() => new Array<number>(d).fill(0));
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) {
    re[i][j] += a.re[i][k] * b.re[k][j] - a.im[i][k] * b.im[k][j];
    im[i][j] += a.re[i][k] * b.im[k][j] + a.im[i][k] * b.re[k][j];
  }
  return { re, im };
}

/** z·w for complex numbers. */
export const cmul = (z: C, w: C): C => [z[0] * w[0] - z[1] * w[1], z[0] * w[1] + z[1] * w[0]];

function numericTerm(op: TermOp, theta: number | undefined): CMatrix {
  if (op.angle === undefined || theta === undefined) return op.a0;
  const c = Math.cos(op.freq * theta), s = Math.sin(op.freq * theta);
  const part = (p: 're' | 'im') => op.a0[p].map((row, i) => row.map((v, j) => v + c * (op.a1?.[p][i][j] ?? 0) + s * (op.a2?.[p][i][j] ?? 0)));
  return cm(part('re'), part('im'));
}

/** Folds the fixed gates of each qubit into its neighbouring data gates (or into a constant vector). */
export function foldPrefix(prefix: readonly TermOp[], nQubits: number, numInputs: number): FoldedPrefix {
  const trig: FoldedPrefix['trig'] = [];
  const gates: DataGate[][] = Array.from({ length: nQubits }, () => []);
  const pending: CMatrix[] = Array.from({ length: nQubits }, () => ID2);
  for (const op of prefix) {
    const q = op.wires[0];
    if (op.angle !== undefined && isParamRef(op.angle)) {
      if (op.angle.kind !== 'input') throw new Error('foldPrefix: the prefix cannot hold weight references');
      trig.push({ input: op.angle.index, coef: op.freq * op.angle.scale });
      // Fixed gates before a data gate multiply its terms on the right: M(u)·P = Σ coef_t (A_t·P).
      const a = [op.a0, op.a1 ?? ZERO2, op.a2 ?? ZERO2].map((m) => matmul(m, pending[q])) as DataGate['a'];
      gates[q].push({ trig: trig.length - 1, a });
      pending[q] = ID2;
    } else {
      pending[q] = matmul(numericTerm(op, op.angle as number | undefined), pending[q]);
    }
  }
  const constants: (C[] | undefined)[] = new Array(nQubits);
  for (let q = 0; q < nQubits; q++) {
    const last = gates[q][gates[q].length - 1];
    if (last) last.a = last.a.map((m) => matmul(pending[q], m)) as DataGate['a'];
    else constants[q] = [[pending[q].re[0][0], pending[q].im[0][0]], [pending[q].re[1][0], pending[q].im[1][0]]];
  }
  return { nQubits, numInputs, trig, gates, constants };
}

/** Product of the constant qubits' amplitudes at basis index j (1 when every qubit carries data). */
export function constantFactor(folded: FoldedPrefix, j: number): C {
  let z: C = [1, 0];
  folded.constants.forEach((c, q) => { if (c) z = cmul(z, c[(j >> q) & 1]); });
  return z;
}
