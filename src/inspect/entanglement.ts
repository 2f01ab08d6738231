/**
 * Entanglement measures of batched states: concurrence (Wootters), negativity / logarithmic negativity
 * (partial transpose) and the Meyer–Wallach global entanglement. Results are Float64Array [batch].
 */
import { isDensity } from '../sim/state';
import { blochVectors } from './bloch';
import { jacobiHermitian } from './eigen';
import { densityAt, toHost } from './host-batch';
import { cmatmul, partialTranspose, psdSqrt } from './host-matrix';
import { reducedDensityMatrix } from './reduced';
import { checkDisjoint, checkQubits, checkState, logBase } from './validate';
import type { AnyState, EntropyOptions } from './validate';

/** Signs of Y⊗Y, which is anti-diagonal: (Y⊗Y)_{i,3−i} = SPIN_FLIP_SIGN[i]. */
const SPIN_FLIP_SIGN = [-1, 1, 1, -1];

/**
 * Concurrence of every two-qubit state: 2|ψ00ψ11 − ψ01ψ10| for a pure batch, Wootters'
 * max(0, λ1 − λ2 − λ3 − λ4) for a density batch, where λ are the decreasing square roots of the
 * eigenvalues of √ρ ρ̃ √ρ with ρ̃ = (Y⊗Y) ρ* (Y⊗Y) (the same λ as those of ρρ̃, found with the Hermitian
 * solver). 1 for Bell states, 0 for product states.
 */
export function concurrence(state: AnyState): Float64Array {
  checkState('concurrence', 'state', state);
  if (state.nQubits !== 2) throw new Error(`concurrence(state): expected a two-qubit state (nQubits = 2), got nQubits = ${state.nQubits}`);
  const h = toHost(state);
  const out = new Float64Array(h.batch);
  if (!isDensity(state)) {
    for (let b = 0; b < h.batch; b++) {
      const o = b * 4;
      const r = h.re, i = h.im;
      const pr = r[o] * r[o + 3] - i[o] * i[o + 3] - (r[o + 1] * r[o + 2] - i[o + 1] * i[o + 2]);
      const pi = r[o] * i[o + 3] + i[o] * r[o + 3] - (r[o + 1] * i[o + 2] + i[o + 1] * r[o + 2]);
      out[b] = 2 * Math.hypot(pr, pi);
    }
    return out;
  }
  const [rhoRe, rhoIm, vRe, vIm, sRe, sIm, tRe, tIm, mRe, mIm, fRe, fIm] = Array.from({ length: 12 }, () => new Float64Array(16));
  const lam = new Float64Array(4);
  for (let b = 0; b < h.batch; b++) {
    densityAt(h, b, rhoRe, rhoIm);
    psdSqrt(rhoRe, rhoIm, 4, vRe, vIm, sRe, sIm);
    // ρ̃ is built from (√ρ)², i.e. ρ with its rounding-negative eigenvalues clamped: Wootters' λ pair up
    // and cancel (C ≈ 0 for product states) only when ρ and ρ̃ come from the same PSD matrix.
    cmatmul(sRe, sIm, sRe, sIm, 4, rhoRe, rhoIm);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const s = SPIN_FLIP_SIGN[i] * SPIN_FLIP_SIGN[j];
        fRe[i * 4 + j] = s * rhoRe[(3 - i) * 4 + 3 - j];
        fIm[i * 4 + j] = -s * rhoIm[(3 - i) * 4 + 3 - j];
      }
    }
    cmatmul(sRe, sIm, fRe, fIm, 4, tRe, tIm);
    cmatmul(tRe, tIm, sRe, sIm, 4, mRe, mIm);
    jacobiHermitian(mRe, mIm, 4);
    for (let k = 0; k < 4; k++) lam[k] = Math.sqrt(Math.max(0, mRe[k * 4 + k]));
    lam.sort().reverse();
    out[b] = Math.max(0, lam[0] - lam[1] - lam[2] - lam[3]);
  }
  return out;
}

/** Options of the partial-transpose measures. */
export interface BipartitionOptions extends EntropyOptions {
  /** The other side of the cut; default: every qubit not in A. Qubits in neither are traced out first. */
  B?: readonly number[];
}

/** Σ|λ| − Σλ = 2·(sum of the magnitudes of the negative eigenvalues) of ρ^{T_A}, per state. */
function negativeSpectrumMass(fn: string, state: AnyState, A: readonly number[], opts: BipartitionOptions | undefined): Float64Array {
  checkState(fn, 'state', state);
  const n = state.nQubits;
  checkQubits(fn, 'A', A, n);
  const B = opts?.B;
  let mask = 0;
  let work = state;
  if (B !== undefined) {
    checkQubits(fn, 'options.B', B, n);
    checkDisjoint(fn, 'A', A, 'options.B', B);
  } else if (A.length === n) {
    throw new Error(`${fn}(A): expected a proper subset of the ${n} qubits (the other side would be empty), got [${A.join(', ')}]`);
  }
  if (B !== undefined && A.length + B.length < n) {
    // Trace out the qubits in neither set; A becomes qubits 0 … |A|−1 of the reduced state.
    work = reducedDensityMatrix(state, [...A, ...B]);
    mask = (1 << A.length) - 1;
  } else {
    for (const q of A) mask |= 1 << q;
  }
  try {
    const h = toHost(work);
    const d = h.dim;
    const [re, im, pRe, pIm] = Array.from({ length: 4 }, () => new Float64Array(d * d));
    const out = new Float64Array(h.batch);
    for (let b = 0; b < h.batch; b++) {
      densityAt(h, b, re, im);
      partialTranspose(re, im, d, mask, pRe, pIm);
      jacobiHermitian(pRe, pIm, d);
      let neg = 0;
      for (let k = 0; k < d; k++) if (pRe[k * d + k] < 0) neg -= pRe[k * d + k];
      out[b] = 2 * neg;
    }
    return out;
  } finally {
    if (work !== state) {
      work.re.dispose();
      work.im.dispose();
    }
  }
}

/**
 * Negativity N = (‖ρ^{T_A}‖₁ − 1)/2 = Σ|negative eigenvalues of ρ^{T_A}| of every state across the cut
 * A | B (B defaults to the rest; qubits in neither are traced out). 1/2 for a Bell pair, 0 for separable.
 */
export function negativity(state: AnyState, A: readonly number[], opts?: BipartitionOptions): Float64Array {
  return negativeSpectrumMass('negativity', state, A, opts).map((m) => m / 2);
}

/**
 * Logarithmic negativity E_N = log ‖ρ^{T_A}‖₁, computed as log(1 + 2N) so that rounding in the trace
 * cannot make it negative; base 2 by default (1 for a Bell pair).
 */
export function logNegativity(state: AnyState, A: readonly number[], opts?: BipartitionOptions): Float64Array {
  const lnBase = logBase('logNegativity', opts);
  return negativeSpectrumMass('logNegativity', state, A, opts).map((m) => Math.log1p(m) / lnBase);
}

/**
 * Meyer–Wallach global entanglement Q = 2(1 − (1/n) Σ_q tr ρ_q²) = 1 − (1/n) Σ_q |r_q|² (r_q the Bloch
 * vector of qubit q), normalised so GHZ gives 1 and product states 0. Defined for pure states; on a
 * density batch the same formula measures local mixedness, which includes classical noise.
 */
export function meyerWallach(state: AnyState): Float64Array {
  checkState('meyerWallach', 'state', state);
  const n = state.nQubits;
  const r = blochVectors(state);
  const batch = state.re.shape[0];
  const out = new Float64Array(batch);
  for (let b = 0; b < batch; b++) {
    let s = 0;
    for (let k = b * n * 3; k < (b + 1) * n * 3; k++) s += r[k] * r[k];
    out[b] = Math.max(0, 1 - s / n);
  }
  return out;
}
