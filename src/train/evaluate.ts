/**
 * Test-set evaluation of a trained classifier in inference mode, batch by batch (a 10,000-image set is
 * never one tensor): accuracy, mean cross-entropy, per-class accuracy and the confusion matrix.
 */
import { tf } from '../backend';
import type { BatchSource } from './options';
// The trainer's own loss, so that eval and the per-epoch validation numbers agree to the bit.
import { crossEntropySum, resolveOutputKind } from './loss';

/** What `evaluateModel` measures. */
export interface Evaluation {
  samples: number;
  accuracy: number;
  /** Mean cross-entropy (the trainer's loss: clipped log of softmax outputs, or log-softmax of logits). */
  loss: number;
  /** Accuracy per true class (NaN for a class without samples). */
  perClassAccuracy: number[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  /** Wall-clock seconds of the pass. */
  seconds: number;
}

/** Evaluates `model` on every sample of `data` (an ImageDataset or any BatchSource) in order. */
export function evaluateModel(model: tf.LayersModel, data: BatchSource, options: { batchSize?: number } = {}): Evaluation {
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize: expected a positive integer, got ${batchSize}`);
  const n = data.size;
  if (!Number.isInteger(n) || n < 1) throw new Error(`data: expected at least one sample, got ${n}`);
  const numClasses = model.outputs[0].shape[model.outputs[0].shape.length - 1] as number;
  const kind = resolveOutputKind(model, 'auto');
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let lossSum = 0;
  let correct = 0;
  const t0 = performance.now();
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const positions = Int32Array.from({ length: count }, (_, k) => start + k);
    const labels = Int32Array.from(positions, (i) => data.labels[i]);
    for (const c of labels) {
      if (!(c >= 0 && c < numClasses)) throw new Error(`data: label ${c} is outside the model's ${numClasses} classes`);
    }
    const [pred, loss] = tf.tidy(() => {
      const { xs, ys } = data.tensorsAt(positions, { oneHot: false });
      ys.dispose();
      const out = model.apply(xs, { training: false }) as tf.Tensor2D;
      return [tf.argMax(out, 1), crossEntropySum(out, tf.tensor1d(labels, 'int32'), kind)];
    });
    const p = pred.dataSync();
    lossSum += loss.dataSync()[0];
    tf.dispose([pred, loss]);
    for (let k = 0; k < count; k++) {
      confusion[labels[k]][p[k]]++;
      if (p[k] === labels[k]) correct++;
    }
  }
  const perClassAccuracy = confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? NaN : row[c] / total;
  });
  return { samples: n, accuracy: correct / n, loss: lossSum / n, perClassAccuracy, confusion, seconds: (performance.now() - t0) / 1000 };
}
