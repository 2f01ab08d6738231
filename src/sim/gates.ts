import { badArgument } from '../util/errors';
/**
 * The gate set: arity, parameter count, shift rule and numeric matrix of every gate.
 *
 * Wire order follows Qiskit: in a gate's matrix the first wire is the least significant bit, so for
 * `cx(c, t)` the local basis index is bit(c) + 2·bit(t). The same holds for `unitary(matrix, wires)`.
 */

/** A complex matrix as separate real and imaginary parts (row-major). */
export interface CMatrix { re: number[][]; im: number[][] }

/** The parameter-shift rule that differentiates one of the gate's angles exactly. */
export type ShiftRule = 'two-term' | 'four-term';

/** Names of the built-in gates (plus 'unitary' for a user matrix). */
export type GateName =
  | 'h' | 'x' | 'y' | 'z' | 's' | 'sdg' | 't' | 'tdg' | 'sx'
  | 'rx' | 'ry' | 'rz' | 'phase' | 'u3'
  | 'cx' | 'cz' | 'swap' | 'crx' | 'cry' | 'crz' | 'cphase'
  | 'ccx' | 'unitary';

/** Static facts about a gate. */
export interface GateSpec {
  /** Number of wires it acts on (0 for 'unitary': given by its matrix). */
  arity: number;
  /** Number of angle parameters. */
  nParams: number;
  /** Shift rule for its angles (undefined for fixed gates). */
  shiftRule?: ShiftRule;
  /** Number of leading wires that are controls (the gate acts on the rest when they are all 1). */
  nControls: number;
}

/** The gate table. */
export const GATES: Readonly<Record<GateName, GateSpec>> = {
  h: { arity: 1, nParams: 0, nControls: 0 },
  x: { arity: 1, nParams: 0, nControls: 0 },
  y: { arity: 1, nParams: 0, nControls: 0 },
  z: { arity: 1, nParams: 0, nControls: 0 },
  s: { arity: 1, nParams: 0, nControls: 0 },
  sdg: { arity: 1, nParams: 0, nControls: 0 },
  t: { arity: 1, nParams: 0, nControls: 0 },
  tdg: { arity: 1, nParams: 0, nControls: 0 },
  sx: { arity: 1, nParams: 0, nControls: 0 },
  rx: { arity: 1, nParams: 1, shiftRule: 'two-term', nControls: 0 },
  ry: { arity: 1, nParams: 1, shiftRule: 'two-term', nControls: 0 },
  rz: { arity: 1, nParams: 1, shiftRule: 'two-term', nControls: 0 },
  phase: { arity: 1, nParams: 1, shiftRule: 'two-term', nControls: 0 },
  u3: { arity: 1, nParams: 3, shiftRule: 'two-term', nControls: 0 },
  cx: { arity: 2, nParams: 0, nControls: 1 },
  cz: { arity: 2, nParams: 0, nControls: 1 },
  swap: { arity: 2, nParams: 0, nControls: 0 },
  crx: { arity: 2, nParams: 1, shiftRule: 'four-term', nControls: 1 },
  cry: { arity: 2, nParams: 1, shiftRule: 'four-term', nControls: 1 },
  crz: { arity: 2, nParams: 1, shiftRule: 'four-term', nControls: 1 },
  // The controlled phase's generator |11><11| has eigenvalues {0, 1}: one frequency, so two terms suffice.
  cphase: { arity: 2, nParams: 1, shiftRule: 'two-term', nControls: 1 },
  ccx: { arity: 3, nParams: 0, nControls: 2 },
  unitary: { arity: 0, nParams: 0, nControls: 0 },
};

const S2 = Math.SQRT1_2;
const real = (m: number[][]): CMatrix => ({ re: m, im: m.map((r) => r.map(() => 0)) });
const diag = (re: number[], im: number[]): CMatrix => ({
  re: re.map((v, i) => re.map((_, j) => (i === j ? v : 0))),
  im: im.map((v, i) => im.map((_, j) => (i === j ? v : 0))),
});

/** The 2×2 matrix of a one-qubit gate with the given angles. */
export function singleQubitMatrix(name: GateName, p: readonly number[]): CMatrix {
  const [a = 0, b = 0, c = 0] = p;
  const co = Math.cos(a / 2), si = Math.sin(a / 2);
  switch (name) {
    case 'h': return real([[S2, S2], [S2, -S2]]);
    case 'x': return real([[0, 1], [1, 0]]);
    case 'y': return { re: [[0, 0], [0, 0]], im: [[0, -1], [1, 0]] };
    case 'z': return real([[1, 0], [0, -1]]);
    case 's': return diag([1, 0], [0, 1]);
    case 'sdg': return diag([1, 0], [0, -1]);
    case 't': return diag([1, S2], [0, S2]);
    case 'tdg': return diag([1, S2], [0, -S2]);
    case 'sx': return { re: [[0.5, 0.5], [0.5, 0.5]], im: [[0.5, -0.5], [-0.5, 0.5]] };
    case 'rx': return { re: [[co, 0], [0, co]], im: [[0, -si], [-si, 0]] };
    case 'ry': return real([[co, -si], [si, co]]);
    case 'rz': return diag([co, co], [-si, si]);
    case 'phase': return diag([1, Math.cos(a)], [0, Math.sin(a)]);
    case 'u3': // U(θ,φ,λ) = [[cos θ/2, -e^{iλ} sin θ/2], [e^{iφ} sin θ/2, e^{i(φ+λ)} cos θ/2]]
      return {
        re: [[co, -Math.cos(c) * si], [Math.cos(b) * si, Math.cos(b + c) * co]],
        im: [[0, -Math.sin(c) * si], [Math.sin(b) * si, Math.sin(b + c) * co]],
      };
    default:
      throw badArgument(`singleQubitMatrix(name): '${name}' is not a one-qubit gate`);
  }
}

/** The operator a controlled gate applies to its target when all controls are 1. */
export function controlledTarget(name: GateName, p: readonly number[]): CMatrix {
  switch (name) {
    case 'cx': case 'ccx': return singleQubitMatrix('x', []);
    case 'cz': return singleQubitMatrix('z', []);
    case 'crx': return singleQubitMatrix('rx', p);
    case 'cry': return singleQubitMatrix('ry', p);
    case 'crz': return singleQubitMatrix('rz', p);
    case 'cphase': return singleQubitMatrix('phase', p);
    default: throw badArgument(`controlledTarget(name): '${name}' is not a controlled gate`);
  }
}

/**
 * The full matrix of a gate on its own wires (2^k × 2^k, first wire least significant).
 * `matrix` is required for 'unitary'.
 */
export function gateMatrix(name: GateName, p: readonly number[], matrix?: CMatrix): CMatrix {
  const spec = GATES[name];
  if (name === 'unitary') {
    if (!matrix) throw badArgument("gateMatrix(matrix): 'unitary' needs its matrix");
    return matrix;
  }
  if (spec.arity === 1) return singleQubitMatrix(name, p);
  if (name === 'swap') return real([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]]);
  // Controlled gates: controls are the low bits, the target the top bit.
  const u = controlledTarget(name, p);
  const dim = 1 << spec.arity;
  const allControls = (1 << spec.nControls) - 1;
  const re: number[][] = Array.from({ length: dim }, (_, i) => Array.from({ length: dim }, (_, j) => (i === j ? 1 : 0)));
  const im = re.map((r) => r.map(() => 0));
  const hi = 1 << spec.nControls;
  for (let a = 0; a < 2; a++) {
    for (let b = 0; b < 2; b++) {
      const i = allControls + a * hi, j = allControls + b * hi;
      re[i][j] = u.re[a][b];
      im[i][j] = u.im[a][b];
    }
  }
  return { re, im };
}

/** Checks that a matrix is square, of size 2^k, finite and unitary to `tol`; returns k. */
export function checkUnitary(m: CMatrix, argName = 'matrix', tol = 1e-6): number {
  const n = m.re.length;
  const k = Math.log2(n);
  if (!Number.isInteger(k) || k < 1) throw badArgument(`${argName}: expected a 2^k × 2^k matrix (k ≥ 1), got ${n} rows`);
  for (const [part, rows] of [['re', m.re], ['im', m.im]] as const) {
    if (rows.length !== n || rows.some((r) => r.length !== n)) {
      throw badArgument(`${argName}.${part}: expected ${n}×${n}, got rows of lengths [${rows.map((r) => r.length).join(', ')}]`);
    }
    if (rows.some((r) => r.some((v) => typeof v !== 'number' || !Number.isFinite(v)))) {
      throw badArgument(`${argName}.${part}: expected finite numbers, found NaN or infinity`);
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sr = 0, si = 0; // (M† M)_ij
      for (let r = 0; r < n; r++) {
        sr += m.re[r][i] * m.re[r][j] + m.im[r][i] * m.im[r][j];
        si += m.re[r][i] * m.im[r][j] - m.im[r][i] * m.re[r][j];
      }
      if (Math.abs(sr - (i === j ? 1 : 0)) > tol || Math.abs(si) > tol) {
        throw badArgument(`${argName}: expected a unitary matrix, but (M†M)[${i}][${j}] = ${sr.toFixed(6)}${si >= 0 ? '+' : ''}${si.toFixed(6)}i`);
      }
    }
  }
  return k;
}
