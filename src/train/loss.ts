/**
 * Sparse categorical cross-entropy and accuracy on a model's raw output. The output is either logits
 * (log-softmax inside the loss: numerically stable) or probabilities (clipped log, as Keras does);
 * 'auto' reads the output layer's activation.
 */
import { tf } from '../backend';
import { clippedCrossEntropySumHost, correctCountHost, hostCrossEntropyApplies, PROB_EPSILON } from './loss-host';

/** How to read the model's output: unnormalised logits or softmax probabilities. */
export type OutputKind = 'logits' | 'probabilities';

/** Accepted values of the `outputs` option. */
export const OUTPUT_KINDS: readonly (OutputKind | 'auto')[] = ['auto', 'logits', 'probabilities'];

/**
 * Resolves 'auto': probabilities when the model's last layer ends in softmax (a `softmax` activation or a
 * Softmax/Activation('softmax') layer), else logits.
 */
export function resolveOutputKind(model: tf.LayersModel, kind: OutputKind | 'auto'): OutputKind {
  if (kind !== 'auto') return kind;
  const last = model.layers[model.layers.length - 1];
  if (last == null) return 'logits';
  const config = last.getConfig() as { activation?: unknown };
  if (last.getClassName() === 'Softmax' || config.activation === 'softmax') return 'probabilities';
  return 'logits';
}

/**
 * Sum over the batch of the per-sample cross-entropy (the caller divides: batch means and epoch means
 * then come from the same sums). `labels`: int32 [B]; `output`: [B, C]. Probabilities on the wasm backend
 * take the host form of loss-host.ts (same bits, a tenth of the kernel calls).
 */
export function crossEntropySum(output: tf.Tensor, labels: tf.Tensor1D, kind: OutputKind): tf.Scalar {
  if (kind === 'probabilities' && labels.dtype === 'int32' && hostCrossEntropyApplies(output)) return clippedCrossEntropySumHost(output as tf.Tensor2D, labels);
  return tf.tidy(() => {
    const numClasses = output.shape[output.shape.length - 1];
    const logp = kind === 'logits'
      ? tf.logSoftmax(output as tf.Tensor2D)
      : tf.log(tf.clipByValue(output, PROB_EPSILON, 1 - PROB_EPSILON));
    const onehot = tf.oneHot(labels, numClasses);
    return tf.neg(tf.sum(tf.mul(onehot, logp))) as tf.Scalar;
  });
}

/** Number of samples whose arg-max output equals the label, as a scalar tensor (host form on wasm: loss-host.ts). */
export function correctCount(output: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  if (labels.dtype === 'int32' && hostCrossEntropyApplies(output)) return correctCountHost(output as tf.Tensor2D, labels);
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(output, -1), labels), 'float32')));
}
