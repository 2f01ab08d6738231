/**
 * Small complex matrix algebra on the host (row-major Float64Array re/im, d×d), for the functions that
 * need more than a spectrum: matrix square roots (fidelity, concurrence) and partial transposes.
 */
import { jacobiHermitian } from './eigen';

/** out = a · b for complex d×d matrices (out must not alias a or b). */
export function cmatmul(
  aRe: Float64Array, aIm: Float64Array, bRe: Float64Array, bIm: Float64Array, d: number,
  outRe: Float64Array, outIm: Float64Array,
): void {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let sr = 0, si = 0;
      for (let k = 0; k < d; k++) {
        const xr = aRe[i * d + k], xi = aIm[i * d + k], yr = bRe[k * d + j], yi = bIm[k * d + j];
        sr += xr * yr - xi * yi;
        si += xr * yi + xi * yr;
      }
      outRe[i * d + j] = sr;
      outIm[i * d + j] = si;
    }
  }
}

/**
 * Square root of a positive semi-definite Hermitian matrix: V·diag(√max(λ,0))·V†, written to outRe/outIm.
 * `aRe`/`aIm` are destroyed; `vRe`/`vIm` are scratch. Negative rounding eigenvalues are clamped to 0.
 */
export function psdSqrt(
  aRe: Float64Array, aIm: Float64Array, d: number,
  vRe: Float64Array, vIm: Float64Array, outRe: Float64Array, outIm: Float64Array,
): void {
  jacobiHermitian(aRe, aIm, d, vRe, vIm);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let sr = 0, si = 0;
      for (let k = 0; k < d; k++) {
        const lam = aRe[k * d + k];
        if (!(lam > 0)) continue;
        const r = Math.sqrt(lam);
        // V_ik · r · conj(V_jk)
        const xr = vRe[i * d + k], xi = vIm[i * d + k], yr = vRe[j * d + k], yi = vIm[j * d + k];
        sr += r * (xr * yr + xi * yi);
        si += r * (xi * yr - xr * yi);
      }
      outRe[i * d + j] = sr;
      outIm[i * d + j] = si;
      outRe[j * d + i] = sr;
      outIm[j * d + i] = -si;
    }
  }
}

/** Sum of the square roots of the (clamped) eigenvalues of a PSD Hermitian matrix, i.e. tr √A; destroys A. */
export function traceSqrt(aRe: Float64Array, aIm: Float64Array, d: number): number {
  jacobiHermitian(aRe, aIm, d);
  let s = 0;
  for (let k = 0; k < d; k++) if (aRe[k * d + k] > 0) s += Math.sqrt(aRe[k * d + k]);
  return s;
}

/** out = partial transpose of ρ over the qubits whose bits are set in `mask` (swap those bits of row and column). */
export function partialTranspose(re: Float64Array, im: Float64Array, d: number, mask: number, outRe: Float64Array, outIm: Float64Array): void {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const i2 = (i & ~mask) | (j & mask);
      const j2 = (j & ~mask) | (i & mask);
      outRe[i * d + j] = re[i2 * d + j2];
      outIm[i * d + j] = im[i2 * d + j2];
    }
  }
}
