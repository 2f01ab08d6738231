/**
 * Fidelity and trace distance between two batches of states, row by row. Either side may be pure or
 * mixed; a side with batch 1 is compared against every row of the other (the one explicit broadcast, for
 * "distance of every state to one reference"); other batch mismatches are errors. Results: Float64Array.
 */
import { jacobiHermitian } from './eigen';
import { densityAt, toHost } from './host-batch';
import type { HostBatch } from './host-batch';
import { cmatmul, psdSqrt, traceSqrt } from './host-matrix';
import { checkState } from './validate';
import type { AnyState } from './validate';

/** Validates a pair and returns their host copies and the output batch size. */
function pair(fn: string, a: AnyState, b: AnyState): { ha: HostBatch; hb: HostBatch; batch: number } {
  checkState(fn, 'a', a);
  checkState(fn, 'b', b);
  if (a.nQubits !== b.nQubits) throw new Error(`${fn}(a, b): expected the same number of qubits, got ${a.nQubits} and ${b.nQubits}`);
  const na = a.re.shape[0];
  const nb = b.re.shape[0];
  if (na !== nb && na !== 1 && nb !== 1) {
    throw new Error(`${fn}(a, b): expected equal batch sizes (or one of them 1), got ${na} and ${nb}`);
  }
  return { ha: toHost(a), hb: toHost(b), batch: na === 1 ? nb : na };
}

/** Row index into a side that may be a single broadcast reference. */
const row = (h: HostBatch, b: number): number => (h.batch === 1 ? 0 : b);

/** ⟨a|b⟩ for pure rows. */
function overlap(ha: HostBatch, ia: number, hb: HostBatch, ib: number): [number, number] {
  const d = ha.dim;
  let sr = 0, si = 0;
  for (let k = 0; k < d; k++) {
    const ar = ha.re[ia * d + k], ai = ha.im[ia * d + k], br = hb.re[ib * d + k], bi = hb.im[ib * d + k];
    sr += ar * br + ai * bi;
    si += ar * bi - ai * br;
  }
  return [sr, si];
}

/** ⟨ψ|ρ|ψ⟩ for a pure row of hp and a density row of hr. */
function expectation(hp: HostBatch, ip: number, hr: HostBatch, ir: number): number {
  const d = hp.dim;
  const p = ip * d;
  const r = ir * d * d;
  let s = 0;
  for (let i = 0; i < d; i++) {
    // Re(conj(ψ_i) · Σ_j ρ_ij ψ_j)
    let tr = 0, ti = 0;
    for (let j = 0; j < d; j++) {
      const mr = hr.re[r + i * d + j], mi = hr.im[r + i * d + j], pr = hp.re[p + j], pi = hp.im[p + j];
      tr += mr * pr - mi * pi;
      ti += mr * pi + mi * pr;
    }
    s += hp.re[p + i] * tr + hp.im[p + i] * ti;
  }
  return s;
}

/**
 * Uhlmann–Jozsa fidelity F(ρ, σ) = (tr √(√ρ σ √ρ))² of every row pair (the squared convention:
 * |⟨ψ|φ⟩|² for pure states, ⟨ψ|ρ|ψ⟩ for pure vs mixed), in [0, 1] for normalised states.
 */
export function fidelity(a: AnyState, b: AnyState): Float64Array {
  const { ha, hb, batch } = pair('fidelity', a, b);
  const out = new Float64Array(batch);
  const d = ha.dim;
  if (!ha.density && !hb.density) {
    for (let k = 0; k < batch; k++) {
      const [r, i] = overlap(ha, row(ha, k), hb, row(hb, k));
      out[k] = r * r + i * i;
    }
    return out;
  }
  if (ha.density !== hb.density) {
    const [hp, hr] = ha.density ? [hb, ha] : [ha, hb];
    for (let k = 0; k < batch; k++) out[k] = Math.max(0, expectation(hp, row(hp, k), hr, row(hr, k)));
    return out;
  }
  const [rRe, rIm, sRe, sIm, vRe, vIm, qRe, qIm, tRe, tIm, mRe, mIm] = Array.from({ length: 12 }, () => new Float64Array(d * d));
  let sqrtRow = -1;
  for (let k = 0; k < batch; k++) {
    const ia = row(ha, k);
    if (ia !== sqrtRow) {
      // √ρ is reused across rows when a is a single reference state.
      densityAt(ha, ia, rRe, rIm);
      psdSqrt(rRe, rIm, d, vRe, vIm, qRe, qIm);
      sqrtRow = ia;
    }
    densityAt(hb, row(hb, k), sRe, sIm);
    // Use σ with its rounding-negative eigenvalues clamped, (√σ)², as ρ's are in √ρ: then F(ρ, σ) = F(σ, ρ)
    // to rounding, where raw float32 noise would enter asymmetrically through the square roots.
    psdSqrt(sRe, sIm, d, vRe, vIm, mRe, mIm);
    cmatmul(mRe, mIm, mRe, mIm, d, sRe, sIm);
    cmatmul(qRe, qIm, sRe, sIm, d, tRe, tIm);
    cmatmul(tRe, tIm, qRe, qIm, d, mRe, mIm);
    const f = traceSqrt(mRe, mIm, d);
    out[k] = f * f;
  }
  return out;
}

/**
 * Trace distance T(ρ, σ) = ½‖ρ − σ‖₁ (half the sum of |eigenvalues| of the difference) of every row
 * pair; √(1 − |⟨ψ|φ⟩|²) for two pure (normalised) states. In [0, 1].
 */
export function traceDistance(a: AnyState, b: AnyState): Float64Array {
  const { ha, hb, batch } = pair('traceDistance', a, b);
  const out = new Float64Array(batch);
  const d = ha.dim;
  if (!ha.density && !hb.density) {
    for (let k = 0; k < batch; k++) {
      const [r, i] = overlap(ha, row(ha, k), hb, row(hb, k));
      out[k] = Math.sqrt(Math.max(0, 1 - (r * r + i * i)));
    }
    return out;
  }
  const [aRe, aIm, bRe, bIm] = Array.from({ length: 4 }, () => new Float64Array(d * d));
  for (let k = 0; k < batch; k++) {
    densityAt(ha, row(ha, k), aRe, aIm);
    densityAt(hb, row(hb, k), bRe, bIm);
    for (let i = 0; i < d * d; i++) {
      aRe[i] -= bRe[i];
      aIm[i] -= bIm[i];
    }
    jacobiHermitian(aRe, aIm, d);
    let s = 0;
    for (let i = 0; i < d; i++) s += Math.abs(aRe[i * d + i]);
    out[k] = s / 2;
  }
  return out;
}
