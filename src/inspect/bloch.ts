/** Single-qubit Bloch vectors of batched states, read directly off the amplitudes / matrix entries. */
import { isDensity } from '../sim/state';
import { toHost } from './host-batch';
import { checkState } from './validate';
import type { AnyState } from './validate';

/**
 * Bloch vectors (⟨X_q⟩, ⟨Y_q⟩, ⟨Z_q⟩) of every qubit q of every state, as a Float64Array of shape
 * [batch, n, 3] flattened row-major: entry (b, q, k) is at (b·n + q)·3 + k. Qubit q is bit q of the
 * basis index (Qiskit little-endian). Uses ρ_q = (I + xX + yY + zZ)/2, so x = 2 Re ρ_q[0,1],
 * y = −2 Im ρ_q[0,1], z = ρ_q[0,0] − ρ_q[1,1].
 */
export function blochVectors(state: AnyState): Float64Array {
  checkState('blochVectors', 'state', state);
  const n = state.nQubits;
  const h = toHost(state);
  const d = h.dim;
  const out = new Float64Array(h.batch * n * 3);
  const density = isDensity(state);
  for (let b = 0; b < h.batch; b++) {
    for (let q = 0; q < n; q++) {
      const bit = 1 << q;
      let offRe = 0, offIm = 0, z = 0;
      for (let i = 0; i < d; i++) {
        if (i & bit) continue;
        const j = i | bit;
        if (density) {
          const base = b * d * d;
          offRe += h.re[base + i * d + j];
          offIm += h.im[base + i * d + j];
          z += h.re[base + i * d + i] - h.re[base + j * d + j];
        } else {
          const ar = h.re[b * d + i], ai = h.im[b * d + i], br = h.re[b * d + j], bi = h.im[b * d + j];
          // ρ_q[0,1] gathers ψ_i · conj(ψ_j) over the pairs that differ only in bit q.
          offRe += ar * br + ai * bi;
          offIm += ai * br - ar * bi;
          z += ar * ar + ai * ai - br * br - bi * bi;
        }
      }
      const o = (b * n + q) * 3;
      out[o] = 2 * offRe;
      out[o + 1] = -2 * offIm;
      out[o + 2] = z;
    }
  }
  return out;
}
