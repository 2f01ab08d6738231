// Shared builders for the inspection tests: seeded random states, known states, and plain-JS reference
// implementations that follow the textbook definitions (an independent path to compare against).
import { tf } from '../src/backend';
import type { DensityBatch, StateBatch } from '../src/sim/state';
import { seededRandom } from './helpers/reference';

/** A complex vector or matrix on the host. */
export interface CVec { re: number[]; im: number[] }
export interface CMat { re: number[][]; im: number[][] }

/** Deterministic uniform generator (mulberry32), so failures reproduce. */
export const rng = seededRandom;

/** Standard normal sample (Box–Muller). */
export function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** A random normalised pure state on n qubits (complex Gaussian, so Haar distributed). */
export function randomPure(n: number, r: () => number): CVec {
  const d = 1 << n;
  const re = Array.from({ length: d }, () => gauss(r));
  const im = Array.from({ length: d }, () => gauss(r));
  const norm = Math.sqrt(re.reduce((s, x, i) => s + x * x + im[i] * im[i], 0));
  return { re: re.map((x) => x / norm), im: im.map((x) => x / norm) };
}

/** |ψ⟩⟨ψ| on the host. */
export function outer(v: CVec): CMat {
  const d = v.re.length;
  const re: number[][] = [];
  const im: number[][] = [];
  for (let i = 0; i < d; i++) {
    re.push([]);
    im.push([]);
    for (let j = 0; j < d; j++) {
      re[i].push(v.re[i] * v.re[j] + v.im[i] * v.im[j]);
      im[i].push(v.im[i] * v.re[j] - v.re[i] * v.im[j]);
    }
  }
  return { re, im };
}

/** Σ w_k ρ_k. */
export function mix(weights: number[], mats: CMat[]): CMat {
  const d = mats[0].re.length;
  const z = (): number[][] => Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const out = { re: z(), im: z() };
  mats.forEach((m, k) => {
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
      out.re[i][j] += weights[k] * m.re[i][j];
      out.im[i][j] += weights[k] * m.im[i][j];
    }
  });
  return out;
}

/** The maximally mixed state I/d. */
export function maximallyMixed(d: number): CMat {
  return {
    re: Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 / d : 0))),
    im: Array.from({ length: d }, () => new Array<number>(d).fill(0)),
  };
}

/** A random full-rank mixed state: a mixture of `rank` random pure states with random weights. */
export function randomMixed(n: number, r: () => number, rank = 1 << n): CMat {
  const w = Array.from({ length: rank }, () => r() + 0.05);
  const s = w.reduce((a, b) => a + b, 0);
  return mix(w.map((x) => x / s), Array.from({ length: rank }, () => outer(randomPure(n, r))));
}

/** A pure batch tensor from host vectors. */
export function pureBatch(rows: CVec[]): StateBatch {
  const n = Math.log2(rows[0].re.length);
  return { re: tf.tensor2d(rows.map((v) => v.re)), im: tf.tensor2d(rows.map((v) => v.im)), nQubits: n };
}

/** A density batch tensor from host matrices. */
export function densityBatch(mats: CMat[]): DensityBatch {
  const n = Math.log2(mats[0].re.length);
  return { re: tf.tensor3d(mats.map((m) => m.re)), im: tf.tensor3d(mats.map((m) => m.im)), nQubits: n };
}

/** Real amplitudes → vector (basis index = Σ bit_q 2^q). */
export function real(amps: number[]): CVec {
  return { re: amps, im: amps.map(() => 0) };
}

/** Bell state (|00⟩ + |11⟩)/√2. */
export const BELL = real([Math.SQRT1_2, 0, 0, Math.SQRT1_2]);

/** GHZ state on n qubits. */
export function ghz(n: number): CVec {
  const a = new Array<number>(1 << n).fill(0);
  a[0] = a[(1 << n) - 1] = Math.SQRT1_2;
  return real(a);
}

/** W state on n qubits (equal superposition of the one-hot basis states). */
export function wState(n: number): CVec {
  const a = new Array<number>(1 << n).fill(0);
  for (let q = 0; q < n; q++) a[1 << q] = 1 / Math.sqrt(n);
  return real(a);
}

/** Kronecker product of single-qubit vectors given as [qubit 0, qubit 1, …] (qubit 0 least significant). */
export function product(qubits: CVec[]): CVec {
  let re = [1];
  let im = [0];
  for (const q of qubits) {
    const nr: number[] = [];
    const ni: number[] = [];
    // New qubit becomes the most significant bit: index = bit·2^k + old.
    for (let bit = 0; bit < 2; bit++) for (let i = 0; i < re.length; i++) {
      nr.push(q.re[bit] * re[i] - q.im[bit] * im[i]);
      ni.push(q.re[bit] * im[i] + q.im[bit] * re[i]);
    }
    re = nr;
    im = ni;
  }
  return { re, im };
}

/** Reference partial trace straight from the definition ρ_kl = Σ over basis pairs agreeing on traced bits. */
export function naivePartialTrace(rho: CMat, n: number, keep: number[]): CMat {
  const dk = 1 << keep.length;
  const z = (): number[][] => Array.from({ length: dk }, () => new Array<number>(dk).fill(0));
  const out = { re: z(), im: z() };
  let keptMask = 0;
  for (const q of keep) keptMask |= 1 << q;
  const local = (i: number): number => keep.reduce((acc, q, j) => acc | (((i >> q) & 1) << j), 0);
  for (let i = 0; i < 1 << n; i++) for (let j = 0; j < 1 << n; j++) {
    if ((i & ~keptMask) !== (j & ~keptMask)) continue;
    out.re[local(i)][local(j)] += rho.re[i][j];
    out.im[local(i)][local(j)] += rho.im[i][j];
  }
  return out;
}

/** Asserts every pair of numbers agrees within tol, with a message naming the first failure. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = ''): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} ≠ ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new Error(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]} (tol ${tol})`);
    }
  }
}

/** Host copy of a density batch as nested arrays. */
export function densityToHost(rho: DensityBatch): CMat[] {
  const re = rho.re.arraySync();
  const im = rho.im.arraySync();
  return re.map((m, b) => ({ re: m, im: im[b] }));
}

/** Flattens matrices for assertClose. */
export function flat(ms: CMat[]): { re: number[]; im: number[] } {
  return { re: ms.flatMap((m) => m.re.flat()), im: ms.flatMap((m) => m.im.flat()) };
}

/** Disposes every tensor part of the given batches. */
export function dispose(...states: (StateBatch | DensityBatch)[]): void {
  for (const s of states) {
    s.re.dispose();
    s.im.dispose();
  }
}
