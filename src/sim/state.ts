/**
 * Batched quantum states as tensors. Batch is the first axis everywhere; real and imaginary parts are
 * separate float32 tensors because tfjs complex support is thin and slow on wasm.
 * Basis index of a state: Σ_q bit_q · 2^q (qubit 0 least significant, as in Qiskit).
 */
import { tf } from '../backend';
import { badArgument } from '../util/errors';

/** A batch of pure states: re and im of shape [batch, 2^nQubits]. */
export interface StateBatch { readonly re: tf.Tensor2D; readonly im: tf.Tensor2D; readonly nQubits: number }

/** A batch of density matrices: re and im of shape [batch, 2^nQubits, 2^nQubits]. */
export interface DensityBatch { readonly re: tf.Tensor3D; readonly im: tf.Tensor3D; readonly nQubits: number }

/** True when `s` is a density-matrix batch (rank-3 parts). */
export function isDensity(s: StateBatch | DensityBatch): s is DensityBatch {
  return s.re.rank === 3;
}

/** `batch` copies of |0…0⟩ on n qubits. */
export function zeroState(nQubits: number, batch = 1): StateBatch {
  return tf.tidy(() => {
    const dim = 1 << nQubits;
    const re = tf.oneHot(tf.zeros([batch], 'int32'), dim).toFloat() as tf.Tensor2D;
    return { re, im: tf.zeros([batch, dim]) as tf.Tensor2D, nQubits };
  });
}

/** A state batch from plain arrays of amplitudes ([batch][2^n] re and optional im), validated. */
export function stateFromArrays(re: number[][], im?: number[][]): StateBatch {
  const dim = re[0]?.length ?? 0;
  const n = Math.log2(dim);
  if (!Number.isInteger(n) || n < 1) throw badArgument(`stateFromArrays(re): expected rows of length 2^n (n ≥ 1), got ${dim}`);
  if (re.some((r) => r.length !== dim)) throw badArgument(`stateFromArrays(re): expected every row of length ${dim}`);
  const imag = im ?? re.map((r) => r.map(() => 0));
  if (imag.length !== re.length || imag.some((r) => r.length !== dim)) {
    throw badArgument(`stateFromArrays(im): expected shape [${re.length}, ${dim}] like re`);
  }
  return { re: tf.tensor2d(re), im: tf.tensor2d(imag), nQubits: n };
}

/** Frees the tensors of a state or density batch. */
export function disposeState(s: StateBatch | DensityBatch): void {
  s.re.dispose();
  s.im.dispose();
}
