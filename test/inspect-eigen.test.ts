import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { eigvalsh, eigvalshHost, jacobiHermitian } from '../src/inspect';
import { assertClose, gauss, rng } from './inspect-helpers';

/** A random unitary by Gram–Schmidt on a complex Gaussian matrix (columns orthonormal). */
function randomUnitary(d: number, r: () => number): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(d * d).map(() => gauss(r));
  const im = new Float64Array(d * d).map(() => gauss(r));
  for (let c = 0; c < d; c++) {
    for (let p = 0; p < c; p++) {
      // column c −= ⟨col p, col c⟩ col p
      let sr = 0, si = 0;
      for (let k = 0; k < d; k++) {
        sr += re[k * d + p] * re[k * d + c] + im[k * d + p] * im[k * d + c];
        si += re[k * d + p] * im[k * d + c] - im[k * d + p] * re[k * d + c];
      }
      for (let k = 0; k < d; k++) {
        re[k * d + c] -= sr * re[k * d + p] - si * im[k * d + p];
        im[k * d + c] -= sr * im[k * d + p] + si * re[k * d + p];
      }
    }
    let n = 0;
    for (let k = 0; k < d; k++) n += re[k * d + c] ** 2 + im[k * d + c] ** 2;
    n = Math.sqrt(n);
    for (let k = 0; k < d; k++) {
      re[k * d + c] /= n;
      im[k * d + c] /= n;
    }
  }
  return { re, im };
}

/** U·diag(λ)·U†. */
function withSpectrum(lambda: number[], r: () => number): { re: Float64Array; im: Float64Array } {
  const d = lambda.length;
  const u = randomUnitary(d, r);
  const re = new Float64Array(d * d);
  const im = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) {
    const ar = u.re[i * d + k], ai = u.im[i * d + k], br = u.re[j * d + k], bi = u.im[j * d + k];
    re[i * d + j] += lambda[k] * (ar * br + ai * bi);
    im[i * d + j] += lambda[k] * (ai * br - ar * bi);
  }
  return { re, im };
}

describe('inspect: Hermitian eigen-solver', () => {
  it('recovers known spectra of random Hermitian matrices, d = 2 … 64, including degenerate ones', () => {
    const r = rng(7);
    for (const d of [2, 4, 8, 16, 64]) {
      const spectra = [
        Array.from({ length: d }, () => gauss(r)),
        Array.from({ length: d }, (_, i) => (i < d / 2 ? 0.5 : -0.25)), // two degenerate blocks
        Array.from({ length: d }, (_, i) => (i === 0 ? 1 : 0)), // a pure state
      ];
      for (const lambda of spectra) {
        const m = withSpectrum(lambda, r);
        const got = eigvalshHost(m.re, m.im, 1, d);
        assertClose(got, [...lambda].sort((a, b) => a - b), 1e-10, `d=${d}`);
      }
    }
  });

  it('returns eigenvectors that reconstruct the matrix and are orthonormal', () => {
    const r = rng(11);
    const d = 8;
    const m = withSpectrum(Array.from({ length: d }, () => gauss(r)), r);
    const a = { re: m.re.slice(), im: m.im.slice() };
    const vRe = new Float64Array(d * d);
    const vIm = new Float64Array(d * d);
    jacobiHermitian(a.re, a.im, d, vRe, vIm);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
      let sr = 0, si = 0, gr = 0, gi = 0;
      for (let k = 0; k < d; k++) {
        const xr = vRe[i * d + k], xi = vIm[i * d + k], yr = vRe[j * d + k], yi = vIm[j * d + k];
        sr += a.re[k * d + k] * (xr * yr + xi * yi); // (V Λ V†)_ij
        si += a.re[k * d + k] * (xi * yr - xr * yi);
        const cr = vRe[k * d + i], ci = vIm[k * d + i], er = vRe[k * d + j], ei = vIm[k * d + j];
        gr += cr * er + ci * ei; // (V†V)_ij
        gi += cr * ei - ci * er;
      }
      assert.ok(Math.abs(sr - m.re[i * d + j]) < 1e-10 && Math.abs(si - m.im[i * d + j]) < 1e-10, `A[${i},${j}]`);
      assert.ok(Math.abs(gr - (i === j ? 1 : 0)) < 1e-10 && Math.abs(gi) < 1e-10, `V†V[${i},${j}]`);
    }
  });

  it('handles diagonal, zero and already-real matrices without NaN', () => {
    assertClose(eigvalshHost([3, 0, 0, -1], [0, 0, 0, 0], 1, 2), [-1, 3], 0, 'diag');
    assertClose(eigvalshHost(new Float64Array(16), new Float64Array(16), 1, 4), [0, 0, 0, 0], 0, 'zero');
    // [[0, 1], [1, 0]] and [[0, −i], [i, 0]]: both ±1.
    assertClose(eigvalshHost([0, 1, 1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, -1, 1, 0], 2, 2), [-1, 1, -1, 1], 1e-15, 'pauli');
  });

  it('eigvalsh works on a float32 DensityBatch, batched, and names bad input', () => {
    const r = rng(3);
    const lambdas = [[0.1, 0.2, 0.3, 0.4], [1, 0, 0, 0], [0.25, 0.25, 0.25, 0.25]];
    const mats = lambdas.map((l) => withSpectrum(l, r));
    const re = tf.tensor3d(mats.flatMap((m) => Array.from(m.re)), [3, 4, 4]);
    const im = tf.tensor3d(mats.flatMap((m) => Array.from(m.im)), [3, 4, 4]);
    const got = eigvalsh({ re, im, nQubits: 2 });
    assertClose(got, lambdas.flatMap((l) => [...l].sort((a, b) => a - b)), 1e-6, 'float32 batch');
    assert.throws(() => eigvalsh({ re: re.reshape([3, 16]) as unknown as tf.Tensor3D, im, nQubits: 2 }), /eigvalsh\(rho\).*rank-3/);
    re.dispose();
    im.dispose();
  });
});
