/**
 * Measurements on host state batches: expectations of a measurement plan (exact or finite-shot), and
 * observables applied to states (O|ψ⟩), which seed adjoint differentiation's backward sweep.
 */
import { Rng } from '../../util/random';
import { lowerCircuit } from '../gate-terms';
import { HostStates, hostClone } from './host-kernel';
import { hostRun } from './host-run';
import { MeasurementPlan, sampleCounts } from '../readout';
import { PauliTerm } from '../observables';

/**
 * Expectations [(rows − rowFrom) × nObs] (row-major) of a plan on rows rowFrom… of `s`; finite-shot
 * estimates with `shots` and `rng`.
 */
export function hostMeasure(s: HostStates, plan: MeasurementPlan, shots?: number, rng?: Rng, rowFrom = 0): Float64Array {
  const dim = 2 ** s.nQubits, nObs = plan.nObs, out = new Float64Array((s.rows - rowFrom) * nObs);
  // One row of probabilities; the read-out goes through each term's Z mask, not a 2^n × nObs matrix.
  const p = new Float64Array(dim);
  for (const g of plan.groups) {
    let src = s;
    if (g.rotation) {
      src = hostClone(s);
      hostRun(src, lowerCircuit(g.rotation.ops), []);
    }
    for (let r = rowFrom; r < s.rows; r++) {
      const from = r * dim, at = (r - rowFrom) * nObs;
      for (let j = 0; j < dim; j++) { const a = src.re[from + j], b = src.im[from + j]; p[j] = a * a + b * b; }
      if (shots !== undefined) {
        const counts = sampleCounts([Array.from(p)], shots, rng as Rng)[0];
        for (let j = 0; j < dim; j++) p[j] = counts[j] / shots;
      }
      for (const term of g.terms) out[at + term.obs] += term.coeff * zExpectation(p, term.zMask);
    }
  }
  return out;
}

/** Σ_j p[j]·(−1)^{|j ∧ mask|}; a one-qubit mask sums the strided half-blocks without parity work. */
function zExpectation(p: Float64Array, mask: number): number {
  const dim = p.length;
  if (mask === 0) { let t = 0; for (let j = 0; j < dim; j++) t += p[j]; return t; }
  if ((mask & (mask - 1)) === 0) {
    let lo = 0, hi = 0;
    for (let b = 0; b < dim; b += 2 * mask) {
      for (let j = b, top = b + mask; j < top; j++) { lo += p[j]; hi += p[j + mask]; }
    }
    return lo - hi;
  }
  let e = 0;
  for (let j = 0; j < dim; j++) e += parity(j & mask) ? -p[j] : p[j];
  return e;
}

/** Parity (0 or 1) of the set bits of x. */
function parity(x: number): number {
  x ^= x >>> 16; x ^= x >>> 8; x ^= x >>> 4; x ^= x >>> 2; x ^= x >>> 1;
  return x & 1;
}

/**
 * Adds coeff·P|ψ_b⟩ into row `to` of `out` for the Pauli product of `term`, where ψ_b is row `from`
 * of `psi`, and coeff may differ per call. P|j⟩ = i^{#Y}·(−1)^{|j ∧ (Y∪Z)|}·|j ⊕ (X∪Y)⟩.
 */
function addPauli(out: HostStates, to: number, psi: HostStates, from: number, term: PauliTerm, coeff: number): void {
  let xMask = 0, zMask = 0, nY = 0;
  for (const f of term.factors) {
    if (f.op !== 'Z') xMask |= 1 << f.qubit;
    if (f.op !== 'X') zMask |= 1 << f.qubit;
    if (f.op === 'Y') nY++;
  }
  // i^{#Y} as (cr + i·ci), times the coefficient.
  const ph = [[1, 0], [0, 1], [-1, 0], [0, -1]][nY % 4];
  const cr = coeff * ph[0], ci = coeff * ph[1];
  const dim = 2 ** psi.nQubits, po = from * dim, oo = to * dim;
  for (let j = 0; j < dim; j++) {
    const sign = parity(j & zMask) ? -1 : 1;
    const ar = sign * psi.re[po + j], ai = sign * psi.im[po + j];
    const k = oo + (j ^ xMask);
    out.re[k] += cr * ar - ci * ai;
    out.im[k] += cr * ai + ci * ar;
  }
}

/**
 * Observables applied to states. Without `dy`: rows o·B + b hold scale·O_o|ψ_b⟩ (one block per
 * observable). With `dy` [B × nObs] (row-major): row b holds scale·Σ_o dy[b,o]·O_o|ψ_b⟩, the cotangent
 * of a vector-Jacobian product. `out` (zeroed, of the right size) receives them when given (e.g. shared memory).
 */
export function hostApplyObservables(psi: HostStates, observables: readonly PauliTerm[][], scale: number, dy?: Float64Array, out?: HostStates): HostStates {
  const B = psi.rows, nObs = observables.length, dim = 2 ** psi.nQubits;
  if (dy && dy.length !== B * nObs) throw new Error(`hostApplyObservables(dy): expected ${B}×${nObs} values, got ${dy.length}`);
  const rows = dy ? B : nObs * B;
  if (out && (out.rows !== rows || out.nQubits !== psi.nQubits)) throw new Error(`hostApplyObservables(out): expected ${rows} rows of ${psi.nQubits} qubits, got ${out.rows} of ${out.nQubits}`);
  out ??= { re: new Float64Array(rows * dim), im: new Float64Array(rows * dim), rows, nQubits: psi.nQubits };
  // Z-only terms of all observables that meet in one output row are applied as one diagonal (one pass).
  const diagonal = (term: PauliTerm) => term.factors.every((f) => f.op === 'Z');
  const zMask = (term: PauliTerm) => term.factors.reduce((m, f) => m | (1 << f.qubit), 0);
  for (let b = 0; b < B; b++) {
    let diag: { mask: number; c: number }[] = [];
    for (let o = 0; o < nObs; o++) {
      const w = dy ? dy[b * nObs + o] : 1;
      if (w !== 0) {
        for (const term of observables[o]) {
          if (diagonal(term)) diag.push({ mask: zMask(term), c: scale * w * term.coeff });
          else addPauli(out, dy ? b : o * B + b, psi, b, term, scale * w * term.coeff);
        }
      }
      if (!dy || o === nObs - 1) {
        if (diag.length) addDiagonal(out, dy ? b : o * B + b, psi, b, diag);
        diag = [];
      }
    }
  }
  return out;
}

/**
 * Adds D|ψ_b⟩ into row `to` of `out`, D = Σ c·Z^{mask} (ψ_b = row `from` of `psi`), in one pass. One-qubit
 * and empty masks are additive over the index bits: they go into two tables over the low and high
 * halves of the bits (D(j) = lo[j_lo] + hi[j_hi]); longer ones add their signs in a row-sized table.
 */
function addDiagonal(out: HostStates, to: number, psi: HostStates, from: number, terms: readonly { mask: number; c: number }[]): void {
  const n = psi.nQubits, dim = 2 ** n, h = Math.ceil(n / 2), lo = new Float64Array(2 ** h), hi = new Float64Array(2 ** (n - h));
  let extra: Float64Array | undefined;
  for (const { mask, c } of terms) {
    if ((mask & (mask - 1)) === 0) {
      const q = mask === 0 ? -1 : 31 - Math.clz32(mask), t = q < h ? lo : hi, bit = q < h ? q : q - h;
      for (let u = 0; u < t.length; u++) t[u] += q >= 0 && (u >>> bit) & 1 ? -c : c;
      continue;
    }
    extra ??= new Float64Array(dim);
    for (let j = 0; j < dim; j++) extra[j] += parity(j & mask) ? -c : c;
  }
  const po = from * dim, oo = to * dim, m = lo.length - 1;
  for (let j = 0; j < dim; j++) {
    const d = lo[j & m] + hi[j >>> h] + (extra ? extra[j] : 0);
    out.re[oo + j] += d * psi.re[po + j];
    out.im[oo + j] += d * psi.im[po + j];
  }
}
