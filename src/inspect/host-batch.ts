/**
 * Host (Float64) access to a state or density batch: the eigen-solver and the small-matrix algebra run
 * in plain JavaScript, so each function downloads its batch once and walks it matrix by matrix.
 */
import { isDensity } from '../sim/state';
import type { AnyState } from './validate';

/** A downloaded batch: pure rows [batch, dim] or density matrices [batch, dim, dim], row-major. */
export interface HostBatch {
  readonly density: boolean;
  readonly batch: number;
  readonly dim: number;
  readonly re: Float32Array;
  readonly im: Float32Array;
}

/** Downloads a validated batch (one dataSync per part). */
export function toHost(s: AnyState): HostBatch {
  return {
    density: isDensity(s),
    batch: s.re.shape[0],
    dim: 2 ** s.nQubits,
    re: s.re.dataSync() as Float32Array,
    im: s.im.dataSync() as Float32Array,
  };
}

/** Writes row b of the batch as a dim×dim density matrix into outRe/outIm (|ψ⟩⟨ψ| for a pure row). */
export function densityAt(h: HostBatch, b: number, outRe: Float64Array, outIm: Float64Array): void {
  const d = h.dim;
  if (h.density) {
    const base = b * d * d;
    for (let i = 0; i < d * d; i++) {
      outRe[i] = h.re[base + i];
      outIm[i] = h.im[base + i];
    }
    return;
  }
  const base = b * d;
  for (let i = 0; i < d; i++) {
    const ar = h.re[base + i], ai = h.im[base + i];
    for (let j = 0; j < d; j++) {
      const br = h.re[base + j], bi = h.im[base + j];
      // ψ_i · conj(ψ_j)
      outRe[i * d + j] = ar * br + ai * bi;
      outIm[i * d + j] = ai * br - ar * bi;
    }
  }
}
