/**
 * Entropies and purity of batched states. Results are Float64Array [batch] (one number per state,
 * computed in float64 on the host); logarithms default to base 2 (bits), `{ base: Math.E }` gives nats.
 */
import { tf } from '../backend';
import { isDensity } from '../sim/state';
import { eigvalsh } from './eigen';
import { reducedDensityMatrix } from './reduced';
import { checkDisjoint, checkQubits, checkState, logBase } from './validate';
import type { AnyState, EntropyOptions } from './validate';

/** How far a trace (or squared norm) may stray from 1 before an entropy refuses the state. */
export const TRACE_TOLERANCE = 1e-3;
/**
 * For α < 1 eigenvalues up to this size count as zero: float32 states carry ~1e-7 eigenvalue noise, which
 * Σ λ^α magnifies (√1e-7 ≈ 3e-4) and which would make the rank (α = 0) of every state full. For α ≥ 1
 * such eigenvalues contribute < 1e-5 and are kept.
 */
const NOISE_FLOOR = 1e-6;

/**
 * Rényi-α entropy (α = 1: von Neumann, α = Infinity: min-entropy) of the spectrum values[off, off+d),
 * in nats. Eigenvalues are clamped at 0 and renormalised to sum 1 (absorbing float32 rounding), and
 * 0·log 0 = 0, so a pure state gives exactly 0 and nothing gives NaN.
 */
export function spectrumEntropy(fn: string, values: Float64Array, off: number, d: number, alpha: number): number {
  let sum = 0;
  for (let i = off; i < off + d; i++) if (values[i] > 0) sum += values[i];
  if (!(Math.abs(sum - 1) <= TRACE_TOLERANCE)) {
    throw new Error(`${fn}(rho): expected unit-trace states (|tr ρ − 1| ≤ ${TRACE_TOLERANCE}), got trace ${sum} in row ${Math.floor(off / d)}`);
  }
  let s = 0;
  if (alpha === 1) {
    for (let i = off; i < off + d; i++) {
      const p = values[i] / sum;
      if (p > 0) s -= p * Math.log(p);
    }
  } else if (alpha === Infinity) {
    let max = 0;
    for (let i = off; i < off + d; i++) max = Math.max(max, values[i] / sum);
    s = -Math.log(max);
  } else if (alpha === 0) {
    let rank = 0;
    for (let i = off; i < off + d; i++) if (values[i] / sum > NOISE_FLOOR) rank++;
    s = Math.log(rank);
  } else {
    const floor = alpha < 1 ? NOISE_FLOOR : 0;
    let m = 0;
    for (let i = off; i < off + d; i++) if (values[i] / sum > floor) m += (values[i] / sum) ** alpha;
    s = Math.log(m) / (1 - alpha);
  }
  return s > 0 ? s : 0;
}

/** Throws unless every pure row has ‖ψ‖² ≈ 1, so pure and density inputs are held to the same standard. */
function checkPureNorms(fn: string, state: AnyState): void {
  const norms = tf.tidy(() => tf.sum(tf.add(tf.square(state.re), tf.square(state.im)), 1).dataSync());
  norms.forEach((v, b) => {
    if (!(Math.abs(v - 1) <= TRACE_TOLERANCE)) throw new Error(`${fn}(rho): expected normalised states (|‖ψ‖² − 1| ≤ ${TRACE_TOLERANCE}), got ${v} in row ${b}`);
  });
}

function entropies(fn: string, rho: AnyState, alpha: number, opts: EntropyOptions | undefined): Float64Array {
  checkState(fn, 'rho', rho);
  const lnBase = logBase(fn, opts);
  const batch = rho.re.shape[0];
  if (!isDensity(rho)) {
    // A pure state |ψ⟩⟨ψ| has the spectrum {1, 0, …}: every Rényi entropy is exactly 0.
    checkPureNorms(fn, rho);
    return new Float64Array(batch);
  }
  const d = 2 ** rho.nQubits;
  const values = eigvalsh(rho);
  const out = new Float64Array(batch);
  for (let b = 0; b < batch; b++) out[b] = spectrumEntropy(fn, values, b * d, d, alpha) / lnBase;
  return out;
}

/**
 * Von Neumann entropy S(ρ) = −tr ρ log ρ of every state, in bits by default ({ base: Math.E } for nats).
 * A pure-state batch gives 0; for the entanglement of a subsystem pass `reducedDensityMatrix(state, keep)`
 * or use `entanglementEntropy`.
 */
export function vonNeumannEntropy(rho: AnyState, opts?: EntropyOptions): Float64Array {
  return entropies('vonNeumannEntropy', rho, 1, opts);
}

/**
 * Rényi entropy S_α(ρ) = log(tr ρ^α)/(1 − α) of every state (base 2 by default); α ≥ 0, α = 1 is von
 * Neumann, α = Infinity the min-entropy −log λ_max, α = 0 log of the rank. For α < 1 eigenvalues ≤ 1e-6
 * count as zero (float32 noise would otherwise dominate Σ λ^α).
 */
export function renyiEntropy(rho: AnyState, alpha: number, opts?: EntropyOptions): Float64Array {
  if (typeof alpha !== 'number' || Number.isNaN(alpha) || alpha < 0) {
    throw new Error(`renyiEntropy(alpha): expected a number ≥ 0 (or Infinity), got ${alpha}`);
  }
  return entropies('renyiEntropy', rho, alpha, opts);
}

/** Purity tr ρ² of every state (1 for pure, 1/d for maximally mixed); for a pure batch (⟨ψ|ψ⟩)². */
export function purity(state: AnyState): Float64Array {
  checkState('purity', 'state', state);
  const values = tf.tidy(() => {
    // tr ρ² = Σ_ij |ρ_ij|² because ρ is Hermitian.
    if (isDensity(state)) return tf.sum(tf.add(tf.square(state.re), tf.square(state.im)), [1, 2]).dataSync();
    return tf.square(tf.sum(tf.add(tf.square(state.re), tf.square(state.im)), 1)).dataSync();
  });
  return Float64Array.from(values);
}

/** Entropy of the reduced state of `keep` (the entanglement entropy across keep | rest for pure states). */
export function entanglementEntropy(state: AnyState, keep: readonly number[], opts?: EntropyOptions): Float64Array {
  checkState('entanglementEntropy', 'state', state);
  checkQubits('entanglementEntropy', 'keep', keep, state.nQubits);
  let side: readonly number[] = keep;
  if (!isDensity(state) && 2 * keep.length > state.nQubits) {
    // For a pure state both sides share their nonzero spectrum: diagonalise the smaller one.
    const rest: number[] = [];
    for (let q = 0; q < state.nQubits; q++) if (!keep.includes(q)) rest.push(q);
    side = rest;
    if (side.length === 0) return entropies('entanglementEntropy', state, 1, opts);
  }
  const rho = reducedDensityMatrix(state, side);
  try {
    return entropies('entanglementEntropy', rho, 1, opts);
  } finally {
    rho.re.dispose();
    rho.im.dispose();
  }
}

/**
 * Quantum mutual information I(A:B) = S(A) + S(B) − S(AB) between disjoint qubit sets A and B of every
 * state (base 2 by default), from the reduced states of A, B and A∪B.
 */
export function mutualInformation(state: AnyState, A: readonly number[], B: readonly number[], opts?: EntropyOptions): Float64Array {
  checkState('mutualInformation', 'state', state);
  checkQubits('mutualInformation', 'A', A, state.nQubits);
  checkQubits('mutualInformation', 'B', B, state.nQubits);
  checkDisjoint('mutualInformation', 'A', A, 'B', B);
  logBase('mutualInformation', opts);
  const sA = entanglementEntropy(state, A, opts);
  const sB = entanglementEntropy(state, B, opts);
  const sAB = entanglementEntropy(state, [...A, ...B], opts);
  return sA.map((a, b) => Math.max(0, a + sB[b] - sAB[b]));
}
