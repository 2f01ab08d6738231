/**
 * Linear probe: softmax regression trained on one split's features and scored on another's. The same
 * fixed recipe for every feature set (standardise with the train split's mean and sd, zero init,
 * full-batch Adam for a fixed number of steps, small L2), so that differences in test accuracy come from
 * the features, not from tuning.
 */
import { tf } from '../backend';
import { crossEntropyBound } from './mutual-information';

/** Features [rows, dim] (row-major) with one class label per row. */
export interface FeatureSet {
  values: Float32Array;
  rows: number;
  dim: number;
  labels: ArrayLike<number>;
}

/** Probe recipe (defaults: 200 full-batch Adam steps, learning rate 0.05, L2 penalty 0.01·‖W‖² on standardised features). */
export interface ProbeOptions {
  steps?: number;
  learningRate?: number;
  l2?: number;
}

/** Accuracies, cross-entropies (bits per example) and the test confusion matrix [true][predicted]. */
export interface ProbeResult {
  trainAccuracy: number;
  testAccuracy: number;
  trainCrossEntropyBits: number;
  testCrossEntropyBits: number;
  confusion: number[][];
}

/** What the pooling studies report of a probe: its accuracies, the test accuracy's standard error and the information bound. */
export interface ProbeScores {
  trainAccuracy: number;
  testAccuracy: number;
  /** Binomial standard error √(acc(1 − acc)/n_test) of the test accuracy. */
  testAccuracySe: number;
  testCrossEntropyBits: number;
  /** Barber–Agakov bound H(Y) − CE_test on I(features; label), bits. */
  miProbeBoundBits: number;
}

/** The scores of probe result `p` on `testSize` test rows whose labels carry `labelEntropyBits` (H(Y)). */
export function probeScores(p: ProbeResult, labelEntropyBits: number, testSize: number): ProbeScores {
  return {
    trainAccuracy: p.trainAccuracy, testAccuracy: p.testAccuracy,
    testAccuracySe: Math.sqrt((p.testAccuracy * (1 - p.testAccuracy)) / testSize),
    testCrossEntropyBits: p.testCrossEntropyBits, miProbeBoundBits: crossEntropyBound(labelEntropyBits, p.testCrossEntropyBits),
  };
}

function checkSet(s: FeatureSet, name: string, numClasses: number): void {
  if (!(s.values instanceof Float32Array) || s.values.length !== s.rows * s.dim) {
    throw new Error(`linearProbe(${name}): expected values of length rows·dim = ${s.rows}·${s.dim}, got ${s.values?.length}`);
  }
  if (s.labels.length !== s.rows) throw new Error(`linearProbe(${name}.labels): expected ${s.rows} labels, got ${s.labels.length}`);
  for (let i = 0; i < s.rows; i++) {
    const y = s.labels[i];
    if (!(Number.isInteger(y) && y >= 0 && y < numClasses)) throw new Error(`linearProbe(${name}.labels): expected integers in [0, ${numClasses - 1}], got ${y} at row ${i}`);
  }
  const bad = s.values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`linearProbe(${name}.values): expected finite features, found ${s.values[bad]} at index ${bad}`);
}

/** Trains a softmax regression on `train` and evaluates it on both splits; see the file comment. */
export function linearProbe(train: FeatureSet, test: FeatureSet, numClasses: number, options: ProbeOptions = {}): ProbeResult {
  checkSet(train, 'train', numClasses);
  checkSet(test, 'test', numClasses);
  if (train.dim !== test.dim) throw new Error(`linearProbe(test): expected ${train.dim} features like the train split, got ${test.dim}`);
  const steps = options.steps ?? 200, lr = options.learningRate ?? 0.05, l2 = options.l2 ?? 1e-2;
  const d = train.dim;
  const W = tf.variable(tf.zeros([d, numClasses]));
  const b = tf.variable(tf.zeros([numClasses]));
  const moments = [tf.variable(tf.zeros([d, numClasses])), tf.variable(tf.zeros([d, numClasses])), tf.variable(tf.zeros([numClasses])), tf.variable(tf.zeros([numClasses]))];
  try {
    const [xTr, xTe, yTr, yTe] = tf.tidy(() => {
      const raw = tf.tensor2d(train.values, [train.rows, d]);
      const { mean, variance } = tf.moments(raw, 0);
      // Constant features (e.g. every blank patch) have sd 0: centre them to 0 rather than divide by 0.
      const sd = tf.where(tf.greater(variance, 1e-12), tf.sqrt(variance), tf.onesLike(variance));
      const norm = (x: tf.Tensor2D) => tf.div(tf.sub(x, mean), sd) as tf.Tensor2D;
      return [
        norm(raw), norm(tf.tensor2d(test.values, [test.rows, d])),
        tf.oneHot(tf.tensor1d(Array.from(train.labels), 'int32'), numClasses),
        tf.oneHot(tf.tensor1d(Array.from(test.labels), 'int32'), numClasses),
      ];
    });
    const logits = (x: tf.Tensor2D) => tf.add(tf.matMul(x, W), b) as tf.Tensor2D;
    const ce = (x: tf.Tensor2D, y: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, logits(x)) as tf.Scalar;
    // Adam with the closed-form gradient of mean cross-entropy + l2·‖W‖² (autodiff costs ~2× more on wasm).
    const [mW, vW, mb, vb] = moments;
    const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
    for (let s = 1; s <= steps; s++) {
      tf.tidy(() => {
        const g = tf.div(tf.sub(tf.softmax(logits(xTr)), yTr), train.rows);
        const gW = tf.add(tf.matMul(xTr, g, true, false), tf.mul(2 * l2, W));
        const gb = tf.sum(g, 0);
        const step = lr * Math.sqrt(1 - beta2 ** s) / (1 - beta1 ** s);
        for (const [p, m, v, gr] of [[W, mW, vW, gW], [b, mb, vb, gb]] as const) {
          m.assign(tf.add(tf.mul(beta1, m), tf.mul(1 - beta1, gr)));
          v.assign(tf.add(tf.mul(beta2, v), tf.mul(1 - beta2, tf.square(gr))));
          p.assign(tf.sub(p, tf.mul(step, tf.div(m, tf.add(tf.sqrt(v), eps)))));
        }
      });
    }
    const score = (x: tf.Tensor2D, y: tf.Tensor, labels: ArrayLike<number>) => tf.tidy(() => {
      const pred = tf.argMax(logits(x), 1).dataSync();
      let hit = 0;
      const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
      pred.forEach((p, i) => { if (p === labels[i]) hit++; confusion[labels[i]][p]++; });
      return { accuracy: hit / pred.length, ceBits: ce(x, y).dataSync()[0] / Math.LN2, confusion };
    });
    const tr = score(xTr, yTr, train.labels), te = score(xTe, yTe, test.labels);
    tf.dispose([xTr, xTe, yTr, yTe]);
    return {
      trainAccuracy: tr.accuracy, testAccuracy: te.accuracy,
      trainCrossEntropyBits: tr.ceBits, testCrossEntropyBits: te.ceBits, confusion: te.confusion,
    };
  } finally {
    tf.dispose([W, b, ...moments]);
  }
}
