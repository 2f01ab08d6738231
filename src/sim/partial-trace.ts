/**
 * Reduced density matrices by partial trace, batched in tfjs.
 *
 * The basis is reordered (one gather per axis) so that the kept qubits form the high part of the index
 * and the traced qubits the low part; a pure batch then reshapes to [batch, dKeep, dTrace] = M and
 * ρ = M·M†, a density batch reshapes to [batch, dKeep, dTrace, dKeep, dTrace] and its traced diagonal is
 * summed.
 */
import { tf } from '../backend';
import { isDensity } from './state';
import type { DensityBatch } from './state';
import { checkQubits, checkState } from './state-checks';
import type { AnyState } from './state-checks';

/**
 * Basis permutation: new index k·dTrace + t ← old index, where bit j of k is qubit keep[j] and bit i of
 * t is the i-th traced qubit (ascending). Null when the permutation is the identity.
 */
function keepHighPermutation(nQubits: number, keep: readonly number[]): Int32Array | null {
  const traced: number[] = [];
  for (let q = 0; q < nQubits; q++) if (!keep.includes(q)) traced.push(q);
  const dKeep = 1 << keep.length;
  const dTrace = 1 << traced.length;
  const perm = new Int32Array(dKeep * dTrace);
  let identity = true;
  for (let k = 0; k < dKeep; k++) {
    let hi = 0;
    for (let j = 0; j < keep.length; j++) if ((k >> j) & 1) hi |= 1 << keep[j];
    for (let t = 0; t < dTrace; t++) {
      let old = hi;
      for (let i = 0; i < traced.length; i++) if ((t >> i) & 1) old |= 1 << traced[i];
      perm[k * dTrace + t] = old;
      if (old !== k * dTrace + t) identity = false;
    }
  }
  return identity ? null : perm;
}

/**
 * The reduced density matrices of the qubits `keep` (in the order given) for every state of the batch.
 * Ordering convention (Qiskit little-endian, like the input): keep[j] becomes qubit j of the result, i.e.
 * bit j of the reduced basis index — so keep = [2, 0] puts old qubit 2 in the least significant bit.
 * Accepts pure ([batch, 2^n]) or density ([batch, 2^n, 2^n]) batches; returns new tensors the caller owns.
 */
export function partialTrace(state: AnyState, keep: readonly number[], fn = 'partialTrace'): DensityBatch {
  checkState(fn, 'state', state);
  const n = state.nQubits;
  checkQubits(fn, 'keep', keep, n);
  const batch = state.re.shape[0];
  const dKeep = 2 ** keep.length;
  const dTrace = 2 ** (n - keep.length);
  const perm = keepHighPermutation(n, keep);
  return tf.tidy(() => {
    if (!isDensity(state)) {
      const index = perm && tf.tensor1d(perm, 'int32');
      const mr = (index ? tf.gather(state.re, index, 1) : state.re).reshape([batch, dKeep, dTrace]) as tf.Tensor3D;
      const mi = (index ? tf.gather(state.im, index, 1) : state.im).reshape([batch, dKeep, dTrace]) as tf.Tensor3D;
      // ρ_kl = Σ_t M_kt conj(M_lt)
      const re = tf.add(tf.matMul(mr, mr, false, true), tf.matMul(mi, mi, false, true)) as tf.Tensor3D;
      const im = tf.sub(tf.matMul(mi, mr, false, true), tf.matMul(mr, mi, false, true)) as tf.Tensor3D;
      return { re, im, nQubits: keep.length };
    }
    const index = perm && tf.tensor1d(perm, 'int32');
    const mask = tf.eye(dTrace).reshape([1, 1, dTrace, 1, dTrace]);
    const reduce = (x: tf.Tensor3D): tf.Tensor3D => {
      const y = index ? tf.gather(tf.gather(x, index, 1), index, 2) : x;
      return tf.sum(tf.mul(y.reshape([batch, dKeep, dTrace, dKeep, dTrace]), mask), [2, 4]) as tf.Tensor3D;
    };
    return { re: reduce(state.re), im: reduce(state.im), nQubits: keep.length };
  });
}
