/**
 * A small dense float64 reference simulator in plain JS, built only from `gateMatrix`. It is the
 * independent path that tests compare the tensor simulator, QASM round trips and decompositions against.
 * Conventions as in the library: qubit 0 is the least significant bit of a basis index, and in a gate
 * matrix the first wire is the least significant bit.
 */
import { Circuit, Operation } from '../../src/sim/circuit';
import { Rng } from '../../src/util/random';
import { CMatrix, gateMatrix } from '../../src/sim/gates';
import { Angle, isParamRef } from '../../src/sim/params';
import { Observable, parseObservable } from '../../src/sim/observables';

/** A state vector as separate real and imaginary parts. */
export interface CVector { re: number[]; im: number[] }

/** The numeric value of an angle, reading `weights[j]` / `inputs[i]` for references. */
export function resolveAngle(a: Angle, weights?: readonly number[], inputs?: readonly number[]): number {
  if (!isParamRef(a)) return a;
  const values = a.kind === 'weight' ? weights : inputs;
  const v = values?.[a.index];
  if (v === undefined) throw new Error(`reference: ${a.kind}(${a.index}) is unbound (got ${values ? values.length : 'no'} ${a.kind}s)`);
  return a.scale * v;
}

/** The matrix an operation applies on its own wires, with its angles resolved. */
export function opMatrix(op: Operation, weights?: readonly number[], inputs?: readonly number[]): CMatrix {
  return gateMatrix(op.name, op.params.map((p) => resolveAngle(p, weights, inputs)), op.matrix);
}

/** Applies a 2^k × 2^k matrix on `wires` of an n-qubit state, in place. */
export function applyMatrix(state: CVector, m: CMatrix, wires: readonly number[]): void {
  const k = wires.length;
  const dim = 1 << k;
  let mask = 0;
  for (const w of wires) mask |= 1 << w;
  // offsets[l]: where local basis index l (bit b = bit of wires[b]) lands relative to the base index.
  const offsets = Array.from({ length: dim }, (_, l) => wires.reduce((o, w, b) => o | (((l >> b) & 1) << w), 0));
  const re = new Array<number>(dim), im = new Array<number>(dim);
  for (let base = 0; base < state.re.length; base++) {
    if (base & mask) continue;
    for (let l = 0; l < dim; l++) { re[l] = state.re[base + offsets[l]]; im[l] = state.im[base + offsets[l]]; }
    for (let r = 0; r < dim; r++) {
      let sr = 0, si = 0;
      for (let c = 0; c < dim; c++) {
        sr += m.re[r][c] * re[c] - m.im[r][c] * im[c];
        si += m.re[r][c] * im[c] + m.im[r][c] * re[c];
      }
      state.re[base + offsets[r]] = sr;
      state.im[base + offsets[r]] = si;
    }
  }
}

/** The state the circuit prepares from |0…0⟩ (or from `initial`, which is not modified). */
export function referenceState(circuit: Circuit, weights?: readonly number[], inputs?: readonly number[], initial?: CVector): CVector {
  const dim = 2 ** circuit.nQubits;
  const state: CVector = initial
    ? { re: [...initial.re], im: [...initial.im] }
    : { re: Array.from({ length: dim }, (_, i) => (i === 0 ? 1 : 0)), im: new Array<number>(dim).fill(0) };
  for (const op of circuit.ops) applyMatrix(state, opMatrix(op, weights, inputs), op.wires);
  return state;
}

/** The circuit's full 2^n × 2^n unitary (column j is the image of basis state j). */
export function referenceUnitary(circuit: Circuit, weights?: readonly number[], inputs?: readonly number[]): CMatrix {
  const dim = 2 ** circuit.nQubits;
  const re = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
  const im = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
  const mats = circuit.ops.map((op) => opMatrix(op, weights, inputs));
  for (let j = 0; j < dim; j++) {
    const s: CVector = { re: new Array<number>(dim).fill(0), im: new Array<number>(dim).fill(0) };
    s.re[j] = 1;
    circuit.ops.forEach((op, i) => applyMatrix(s, mats[i], op.wires));
    for (let i = 0; i < dim; i++) { re[i][j] = s.re[i]; im[i][j] = s.im[i]; }
  }
  return { re, im };
}

/** Largest entry-wise |a − e^{iφ}·b| over the best global phase φ (0 means equal up to phase). */
export function diffUpToPhase(a: CVector | CMatrix, b: CVector | CMatrix): number {
  const flat = (v: CVector | CMatrix): CVector =>
    Array.isArray(v.re[0]) ? { re: (v.re as number[][]).flat(), im: (v.im as number[][]).flat() } : (v as CVector);
  const x = flat(a), y = flat(b);
  if (x.re.length !== y.re.length) throw new Error(`diffUpToPhase: sizes differ (${x.re.length} vs ${y.re.length})`);
  let pr = 0, pi = 0; // Σ a·conj(b): its phase is the best global phase
  for (let i = 0; i < x.re.length; i++) {
    pr += x.re[i] * y.re[i] + x.im[i] * y.im[i];
    pi += x.im[i] * y.re[i] - x.re[i] * y.im[i];
  }
  const n = Math.hypot(pr, pi);
  const [cr, ci] = n > 0 ? [pr / n, pi / n] : [1, 0];
  let worst = 0;
  for (let i = 0; i < x.re.length; i++) {
    const br = cr * y.re[i] - ci * y.im[i], bi = cr * y.im[i] + ci * y.re[i];
    worst = Math.max(worst, Math.hypot(x.re[i] - br, x.im[i] - bi));
  }
  return worst;
}

/** Largest entry-wise |a − b| (exact comparison, global phase included). */
export function maxDiff(a: CVector | CMatrix, b: CVector | CMatrix): number {
  const fa = [a.re, a.im].flat(2) as number[], fb = [b.re, b.im].flat(2) as number[];
  if (fa.length !== fb.length) throw new Error(`maxDiff: sizes differ (${fa.length} vs ${fb.length})`);
  return fa.reduce((m, v, i) => Math.max(m, Math.abs(v - fb[i])), 0);
}

/** A seeded uniform [0, 1) generator: the library's mulberry32 `Rng`, so random tests are reproducible. */
export function seededRandom(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

/** A random dim × dim unitary: Gram–Schmidt on the columns of a complex Gaussian matrix. */
export function randomUnitary(dim: number, rand: () => number): CMatrix {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const cols: CVector[] = [];
  for (let j = 0; j < dim; j++) {
    const v: CVector = { re: Array.from({ length: dim }, gauss), im: Array.from({ length: dim }, gauss) };
    for (const u of cols) {
      let dr = 0, di = 0; // ⟨u, v⟩
      for (let i = 0; i < dim; i++) { dr += u.re[i] * v.re[i] + u.im[i] * v.im[i]; di += u.re[i] * v.im[i] - u.im[i] * v.re[i]; }
      for (let i = 0; i < dim; i++) { v.re[i] -= dr * u.re[i] - di * u.im[i]; v.im[i] -= dr * u.im[i] + di * u.re[i]; }
    }
    const n = Math.hypot(...v.re, ...v.im);
    cols.push({ re: v.re.map((x) => x / n), im: v.im.map((x) => x / n) });
  }
  return {
    re: Array.from({ length: dim }, (_, i) => cols.map((c) => c.re[i])),
    im: Array.from({ length: dim }, (_, i) => cols.map((c) => c.im[i])),
  };
}

/** ⟨ψ|O|ψ⟩ in float64 for the state the circuit prepares from these weights and one input row. */
export function referenceExpval(circuit: Circuit, obs: Observable, weights: readonly number[], row: readonly number[]): number {
  const psi = referenceState(circuit, weights, row);
  let e = 0;
  for (const term of parseObservable(obs, circuit.nQubits)) {
    const phi: CVector = { re: [...psi.re], im: [...psi.im] };
    for (const f of term.factors) applyMatrix(phi, gateMatrix(f.op.toLowerCase() as 'x' | 'y' | 'z', []), [f.qubit]);
    let dot = 0;
    psi.re.forEach((v, j) => { dot += v * phi.re[j] + psi.im[j] * phi.im[j]; });
    e += term.coeff * dot;
  }
  return e;
}
