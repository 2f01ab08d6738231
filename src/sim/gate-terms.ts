/**
 * Every operation as "fixed matrix plus angle-dependent parts": M(θ) = A0 + cos(f·θ)·A1 + sin(f·θ)·A2.
 * All built-in parametrised gates have this form, so one code path builds their (possibly batched,
 * differentiable) matrices from angle tensors; u3 is lowered first into rz·ry·rz and a global phase.
 */
import { Angle } from './params';
import { CMatrix, GATES, GateName, gateMatrix } from './gates';
import { Operation } from './circuit';

/** A k-qubit operation in term form; `angle` is undefined for fixed gates (then A1 = A2 = 0). */
export interface TermOp {
  /** Wires, first wire least significant in the matrices. */
  wires: readonly number[];
  /** Constant part. */
  a0: CMatrix;
  /** Coefficient of cos(f·θ). */
  a1?: CMatrix;
  /** Coefficient of sin(f·θ). */
  a2?: CMatrix;
  /** Angle frequency f (1/2 for rotations, 1 for phases). */
  freq: number;
  /** The angle θ, if any. */
  angle?: Angle;
  /** True when the matrix is diagonal for every θ (applied as an elementwise phase). */
  diagonal: boolean;
  /** Index of the circuit operation this came from, and which of its angles `angle` is. */
  source: { op: number; param: number };
}

const zeros = (d: number): CMatrix => ({ re: Array.from({ length: d }, () => new Array<number>(d).fill(0)), im: Array.from({ length: d }, () => new Array<number>(d).fill(0)) });

function isDiagonal(m: CMatrix): boolean {
  return m.re.every((r, i) => r.every((v, j) => i === j || (v === 0 && m.im[i][j] === 0)));
}

/** Term decomposition of a gate with one angle, found by evaluating it at θ = 0, π/(2f), π/f. */
function termsOf(name: GateName, freq: number): { a0: CMatrix; a1: CMatrix; a2: CMatrix } {
  // M(0) = A0 + A1, M(π/f) = A0 − A1, M(π/2f) = A0 + A2.
  const m0 = gateMatrix(name, [0]), mPi = gateMatrix(name, [Math.PI / freq]), mHalf = gateMatrix(name, [Math.PI / (2 * freq)]);
  const d = m0.re.length;
  const a0 = zeros(d), a1 = zeros(d), a2 = zeros(d);
  for (const part of ['re', 'im'] as const) {
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
      a0[part][i][j] = (m0[part][i][j] + mPi[part][i][j]) / 2;
      a1[part][i][j] = (m0[part][i][j] - mPi[part][i][j]) / 2;
      a2[part][i][j] = mHalf[part][i][j] - a0[part][i][j];
    }
  }
  return { a0, a1, a2 };
}

const FREQ: Partial<Record<GateName, number>> = { rx: 0.5, ry: 0.5, rz: 0.5, crx: 0.5, cry: 0.5, crz: 0.5, phase: 1, cphase: 1 };
const termCache = new Map<GateName, { a0: CMatrix; a1: CMatrix; a2: CMatrix }>();

/** Lowers one circuit operation into term operations (u3 becomes four). */
export function toTermOps(op: Operation, index: number): TermOp[] {
  if (op.name === 'u3') {
    // U(θ,φ,λ) = e^{i(φ+λ)/2} · RZ(φ) · RY(θ) · RZ(λ): lowered in application order.
    const [theta, phi, lam] = op.params;
    const w = op.wires;
    const sub = (name: GateName, a: Angle, param: number) => ({ ...toTermOps({ name, wires: w, params: [a] }, index)[0], source: { op: index, param } });
    return [sub('rz', lam, 2), sub('ry', theta, 0), sub('rz', phi, 1), globalPhaseTerm(w, phi, index, 1), globalPhaseTerm(w, lam, index, 2)];
  }
  const spec = GATES[op.name];
  if (spec.nParams === 0) {
    const a0 = gateMatrix(op.name, [], op.matrix);
    return [{ wires: op.wires, a0, freq: 0, diagonal: isDiagonal(a0), source: { op: index, param: -1 } }];
  }
  const freq = FREQ[op.name];
  if (freq === undefined) throw new Error(`toTermOps: no term form for gate '${op.name}'`);
  let t = termCache.get(op.name);
  if (!t) { t = termsOf(op.name, freq); termCache.set(op.name, t); }
  return [{ wires: op.wires, ...t, freq, angle: op.params[0], diagonal: isDiagonal(t.a0) && isDiagonal(t.a1) && isDiagonal(t.a2), source: { op: index, param: 0 } }];
}

/** e^{iα/2}·I on one wire: the global phase left over when u3 is lowered (α = φ or λ). */
function globalPhaseTerm(wires: readonly number[], angle: Angle, op: number, param: number): TermOp {
  const id = { re: [[1, 0], [0, 1]], im: [[0, 0], [0, 0]] };
  return { wires: [wires[0]], a0: zeros(2), a1: id, a2: { re: id.im, im: id.re }, freq: 0.5, angle, diagonal: true, source: { op, param } };
}

/** All of a circuit's operations in term form, in application order. */
export function lowerCircuit(ops: readonly Operation[]): TermOp[] {
  return ops.flatMap((op, i) => toTermOps(op, i));
}
