/**
 * Cyclic complex Jacobi eigen-solver for one small Hermitian (or real symmetric) matrix in Float64Array, because tfjs
 * has none. Each rotation first rephases column q so that a_pq is real and positive, then applies the classic real
 * Jacobi rotation (Numerical Recipes `jacobi`). Slow for big matrices but exact to machine precision; shared by the
 * state inspection (reduced density matrices) and the data PCA (its Rayleigh–Ritz step).
 */

const MAX_SWEEPS = 60;
/** Stop when the off-diagonal Frobenius mass is below this fraction (squared) of the total. */
const REL_OFF2 = 1e-30;

/** One real Jacobi rotation of the entries at i (column p) and j (column q): g ← g − s(h + τg), h ← h + s(g − τh). */
function rotatePair(re: Float64Array, im: Float64Array, i: number, j: number, s: number, tau: number): void {
  const gr = re[i], gi = im[i], hr = re[j], hi = im[j];
  re[i] = gr - s * (hr + gr * tau);
  im[i] = gi - s * (hi + gi * tau);
  re[j] = hr + s * (gr - hr * tau);
  im[j] = hi + s * (gi - hi * tau);
}

/**
 * Diagonalises one Hermitian d×d matrix in place (row-major re/im, only the Hermitian part is used):
 * afterwards the eigenvalues sit on the diagonal of `re`. When `vRe`/`vIm` are given they receive the
 * unitary V whose column j is the eigenvector of the eigenvalue re[j·d+j] (A = V·diag·V†).
 */
export function jacobiHermitian(re: Float64Array, im: Float64Array, d: number, vRe?: Float64Array, vIm?: Float64Array): void {
  for (let i = 0; i < d; i++) im[i * d + i] = 0;
  if (vRe && vIm) {
    vRe.fill(0, 0, d * d);
    vIm.fill(0, 0, d * d);
    for (let i = 0; i < d; i++) vRe[i * d + i] = 1;
  }
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    let total = 0;
    for (let p = 0; p < d; p++) {
      total += re[p * d + p] * re[p * d + p];
      for (let q = p + 1; q < d; q++) off += re[p * d + q] * re[p * d + q] + im[p * d + q] * im[p * d + q];
    }
    if (off === 0 || off <= REL_OFF2 * (total + 2 * off)) return;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const pq = p * d + q;
        const mag = Math.hypot(re[pq], im[pq]);
        if (mag === 0) continue;
        const app = re[p * d + p];
        const aqq = re[q * d + q];
        // Late sweeps: an element negligible against both diagonal entries is simply dropped (NR's rule),
        // which keeps the loop from chasing underflow.
        if (sweep > 3 && Math.abs(app) + 100 * mag === Math.abs(app) && Math.abs(aqq) + 100 * mag === Math.abs(aqq)) {
          re[pq] = im[pq] = re[q * d + p] = im[q * d + p] = 0;
          continue;
        }
        // Rephase: column q times e^{-iθ}, row q times e^{iθ}, where a_pq = |a_pq| e^{iθ}.
        const cr = re[pq] / mag;
        const ci = im[pq] / mag;
        for (let k = 0; k < d; k++) {
          if (k === q) continue;
          const kq = k * d + q;
          const x = re[kq];
          const y = im[kq];
          re[kq] = x * cr + y * ci;
          im[kq] = y * cr - x * ci;
          re[q * d + k] = re[kq];
          im[q * d + k] = -im[kq];
        }
        if (vRe && vIm) {
          for (let k = 0; k < d; k++) {
            const kq = k * d + q;
            const x = vRe[kq];
            const y = vIm[kq];
            vRe[kq] = x * cr + y * ci;
            vIm[kq] = y * cr - x * ci;
          }
        }
        // Real Jacobi rotation zeroing the now real a_pq.
        const theta = (aqq - app) / (2 * mag);
        let t = Math.abs(theta) > 1e150 ? 1 / (2 * Math.abs(theta)) : 1 / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta < 0) t = -t;
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        const tau = s / (1 + c);
        re[p * d + p] = app - t * mag;
        re[q * d + q] = aqq + t * mag;
        re[pq] = im[pq] = re[q * d + p] = im[q * d + p] = 0;
        for (let r = 0; r < d; r++) {
          if (r === p || r === q) continue;
          const rp = r * d + p;
          const rq = r * d + q;
          rotatePair(re, im, rp, rq, s, tau);
          re[p * d + r] = re[rp];
          im[p * d + r] = -im[rp];
          re[q * d + r] = re[rq];
          im[q * d + r] = -im[rq];
        }
        if (vRe && vIm) {
          for (let r = 0; r < d; r++) rotatePair(vRe, vIm, r * d + p, r * d + q, s, tau);
        }
      }
    }
  }
}
