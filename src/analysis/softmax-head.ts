/**
 * Fitting a few parameters through a softmax head: the one minibatch loop both pooling fits share (a pooling
 * layer's weights in the pooling study, an appended pool block's angles in the information analysis). A
 * zero-initialised linear head W [dim, C], b [C] sits on the features; Adam minimises softmax cross-entropy over
 * the head and the given variables, in batches of a seeded shuffle drawn anew each epoch.
 */
import { tf } from '../backend';
import { Rng } from '../util';

/** How the head and the variables are fitted. */
export interface HeadFitSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Seed of the batch order (one `Rng`, reshuffled every epoch). */
  seed: number;
}

/**
 * Fits `vars` and a fresh head on `features(indices)` (batch × dim values for those training rows, any shape) against `labels`
 * (n rows, classes 0 … numClasses − 1). After each epoch `onEpochEnd(epoch, logits)` may score the current state
 * (`logits(features)` applies the head); the head is disposed at the end, the variables keep their values.
 */
export function fitWithSoftmaxHead(
  n: number, dim: number, numClasses: number, labels: ArrayLike<number>, features: (indices: number[]) => tf.Tensor,
  vars: tf.Variable[], s: HeadFitSettings, onEpochEnd?: (epoch: number, logits: (features: tf.Tensor) => tf.Tensor2D) => void,
): void {
  // In tidy: the zero tensors the variables start from are freed with them.
  const [W, b] = tf.tidy(() => [tf.variable(tf.zeros([dim, numClasses])), tf.variable(tf.zeros([numClasses]))]);
  const opt = tf.train.adam(s.learningRate);
  const rng = new Rng(s.seed);
  const logits = (f: tf.Tensor): tf.Tensor2D => tf.add(tf.matMul(tf.reshape(f, [-1, dim]) as tf.Tensor2D, W), b) as tf.Tensor2D;
  try {
    for (let e = 1; e <= s.epochs; e++) {
      const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
      for (let at = 0; at < n; at += s.batchSize) {
        const idx = order.slice(at, at + s.batchSize);
        opt.minimize(() => {
          const y = tf.oneHot(tf.tensor1d(idx.map((i) => labels[i]), 'int32'), numClasses);
          return tf.losses.softmaxCrossEntropy(y, logits(features(idx))) as tf.Scalar;
        }, false, [...vars, W, b]);
      }
      onEpochEnd?.(e, logits);
    }
  } finally {
    tf.dispose([W, b]);
    opt.dispose();
  }
}
