/**
 * Batched Hermitian eigen-solver for small matrices (d = 2^k, k ≤ ~6), because tfjs has none: cyclic complex
 * Jacobi per matrix (src/util/jacobi.ts). For 4×4 reduced states it needs ~4 sweeps of 6 rotations, which makes
 * 10^5 matrices a fraction of a second.
 */
import { tf } from '../backend';
import type { DensityBatch } from '../sim/state';

import { jacobiHermitian } from '../util/jacobi';

export { jacobiHermitian };

/** Sorts values[off, off+d) ascending (insertion sort: d is tiny). */
function sortAscending(values: Float64Array, off: number, d: number): void {
  for (let i = off + 1; i < off + d; i++) {
    const v = values[i];
    let j = i - 1;
    while (j >= off && values[j] > v) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = v;
  }
}

/**
 * Eigenvalues (ascending, per matrix) of a host batch of Hermitian d×d matrices stored row-major in
 * `re`/`im` ([batch, d, d] flattened). Returns a Float64Array [batch, d] flattened.
 */
export function eigvalshHost(re: ArrayLike<number>, im: ArrayLike<number>, batch: number, d: number): Float64Array {
  const values = new Float64Array(batch * d);
  const wRe = new Float64Array(d * d);
  const wIm = new Float64Array(d * d);
  const dd = d * d;
  for (let b = 0; b < batch; b++) {
    const base = b * dd;
    for (let i = 0; i < dd; i++) {
      wRe[i] = re[base + i];
      wIm[i] = im[base + i];
    }
    jacobiHermitian(wRe, wIm, d);
    for (let i = 0; i < d; i++) values[b * d + i] = wRe[i * d + i];
    sortAscending(values, b * d, d);
  }
  return values;
}

/**
 * Eigenvalues of every matrix of a density batch, ascending per row, as a Float64Array [batch, 2^n]
 * flattened (row b holds the spectrum of matrix b). Computed on the host in float64.
 */
export function eigvalsh(rho: DensityBatch): Float64Array {
  if (rho.re.rank !== 3 || rho.im.rank !== 3) {
    throw new Error(`eigvalsh(rho): expected a DensityBatch with rank-3 re/im, got rank ${rho.re.rank}/${rho.im.rank}`);
  }
  const [batch, d, d2] = rho.re.shape;
  if (d !== d2 || !tf.util.arraysEqual(rho.re.shape, rho.im.shape)) {
    throw new Error(`eigvalsh(rho): expected re and im of shape [batch, d, d], got [${rho.re.shape}] and [${rho.im.shape}]`);
  }
  return eigvalshHost(rho.re.dataSync(), rho.im.dataSync(), batch, d);
}
