/**
 * Host forms of the loss and the accuracy count on the wasm backend (issue 14 item 4), same bits as loss.ts's
 * op forms. The clipped-log cross-entropy of softmax probabilities is one differentiable op, with
 * the same float32 bits as its tensor-op form in loss.ts (issue 14 item 4). The op form runs ~23 small wasm
 * kernels per training step (clip, log, one-hot and its casts, multiply, sum, neg; in the backward pass
 * neg, the sum's broadcast, multiply, divide, and the clip's mask: two compares, and, zeros, select), each
 * with tfjs's per-op bookkeeping. Here the clip and the log stay wasm kernels; the one-hot product, the sum
 * and the whole backward pass are host loops that perform the op form's float32 operations, in its order,
 * rounding each result to float32 (Math.fround: a float32 +, ×, / computed in double and rounded once is the
 * correctly rounded float32 result), signed zeros included.
 */
import { readF32, tf } from '../backend';

/** Keras's epsilon for clipping probabilities before the log (loss.ts's op form uses the same). */
export const PROB_EPSILON = 1e-7;

let enabled = true;

/** Switches the host forms on or off (A/B benches and tests); returns the previous setting. */
export function useHostCrossEntropy(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** Whether `crossEntropySum` and `correctCount` take the host forms for this output: wasm backend, float32 [B, C], switched on. */
export function hostCrossEntropyApplies(output: tf.Tensor): boolean {
  return enabled && output.rank === 2 && output.dtype === 'float32' && tf.getBackend() === 'wasm';
}

/** −Σ_b log(clip(p[b, labels[b]])) with the op form's bits and gradient; `labels` int32 [B] in [0, C). */
export function clippedCrossEntropySumHost(output: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const f = Math.fround;
  const [rows, classes] = output.shape;
  const label = labels.dataSync();
  const lo = f(PROB_EPSILON), hi = f(1 - PROB_EPSILON);
  const op = tf.customGrad(((out: tf.Tensor, save: tf.GradSaveFunc) => {
    const clipped = tf.clipByValue(out, PROB_EPSILON, 1 - PROB_EPSILON);
    const logp = readF32(tf.log(clipped));
    // sum(onehot ⊙ log p) over all [B, C] in memory order, as the wasm Sum adds; then neg.
    let acc = 0;
    for (let r = 0, i = 0; r < rows; r++) for (let c = 0; c < classes; c++, i++) acc = f(acc + f((c === label[r] ? 1 : 0) * logp[i]));
    save([out, clipped]);
    return {
      value: tf.scalar(-acc),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        // neg → −dy; sum → (−dy)·1 everywhere; ⊙ onehot; ÷ clipped (log); where(lo ≤ p ≤ hi, ·, +0) (clip).
        const a = f(f(-dy.dataSync()[0]) * 1);
        const p = readF32(saved[0]), q = readF32(saved[1]); // heap views: no wasm allocation until the tensor below
        const dx = new Float32Array(rows * classes);
        for (let r = 0, i = 0; r < rows; r++) {
          for (let c = 0; c < classes; c++, i++) dx[i] = p[i] >= lo && p[i] <= hi ? f(f(a * (c === label[r] ? 1 : 0)) / q[i]) : 0;
        }
        return tf.tensor2d(dx, [rows, classes]);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(output) as tf.Scalar;
}

/**
 * Σ_b [argmax_c p[b, c] = labels[b]] as a float32 scalar: the op form's ArgMax (first maximum; a NaN never
 * wins over an earlier value), Equal, Cast and Sum (4 kernels with tape nodes inside a training step) as one
 * read of the [B, C] output. `labels` int32 [B].
 */
export function correctCountHost(output: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const [rows, classes] = output.shape;
  const label = labels.dataSync();
  const p = readF32(output);
  let count = 0;
  for (let r = 0; r < rows; r++) {
    let best = p[r * classes], at = 0;
    for (let c = 1; c < classes; c++) if (best < p[r * classes + c]) { best = p[r * classes + c]; at = c; }
    if (at === label[r]) count++;
  }
  return tf.scalar(count);
}
