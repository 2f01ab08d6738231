/**
 * Pooled features of a trained QuantumConv2D kernel, for the information analysis: the kernel's own
 * ⟨Z⟩ outputs, classical avg/max pooling of those outputs over the same qubit groups a pool schedule
 * merges, and the read-out of an appended quantum pool block — plus fitting a block's few parameters
 * (with the kernel frozen) through a softmax head, so that every block is compared at its best rather
 * than at random angles.
 */
import { tf } from '../backend';
import { Circuit, Observable, expval } from '../sim';
import { QuantumConv2D, extractPatches } from '../qkc';
import type { PoolSchedule } from '../pooling';
import { allZ, disposeProbe, probeConv } from './conv-pooling';
import { fitWithSoftmaxHead } from './softmax-head';

/** Features [rows, dim] row-major. */
export interface FeatureMatrix {
  values: Float32Array;
  rows: number;
  dim: number;
}

/** The qubits merged into each kept qubit by a schedule (kept ascending; each group starts with its kept qubit). */
export function poolGroups(schedule: PoolSchedule, nQubits: number, kept: readonly number[]): number[][] {
  const members = Array.from({ length: nQubits }, (_, q) => [q]);
  for (const stage of schedule) for (const [d, k] of stage) members[k] = [...members[k], ...members[d]];
  return kept.map((k) => members[k]);
}

/** Runs `layer` on `inputs` [N, H, W, C] in chunks and returns its outputs flattened per image. */
export function layerFeatures(layer: tf.layers.Layer, inputs: tf.Tensor4D, chunk = 256): FeatureMatrix {
  const n = inputs.shape[0];
  let out: Float32Array | null = null;
  let dim = 0;
  for (let s = 0; s < n; s += chunk) {
    const m = Math.min(chunk, n - s);
    const part = tf.tidy(() => {
      const y = layer.apply(tf.slice(inputs, [s, 0, 0, 0], [m, -1, -1, -1])) as tf.Tensor;
      return tf.reshape(y, [m, -1]).dataSync() as Float32Array;
    });
    dim = part.length / m;
    out ??= new Float32Array(n * dim);
    out.set(part, s * dim);
  }
  return { values: out ?? new Float32Array(0), rows: n, dim };
}

/** ⟨Z_q⟩ of every qubit of `kernel` (with `weights`, run in `layer`'s windows) at every patch: [N, cells·n] (cell-major, qubit fastest). */
export function kernelZFeatures(layer: QuantumConv2D, kernel: Circuit, weights: number[], inputs: tf.Tensor4D): FeatureMatrix {
  const probe = probeConv(layer, kernel, allZ(kernel.nQubits), weights, inputs.shape.slice(1));
  try {
    return layerFeatures(probe, inputs);
  } finally {
    disposeProbe(probe);
  }
}

/** Classical avg / max of kernel ⟨Z⟩ features over each kept qubit's group: [N, cells·groups.length]. */
export function classicalPoolFeatures(kernelZ: FeatureMatrix, nQubits: number, groups: number[][], mode: 'avg' | 'max'): FeatureMatrix {
  const cells = kernelZ.dim / nQubits;
  const dim = cells * groups.length;
  const values = new Float32Array(kernelZ.rows * dim);
  for (let r = 0; r < kernelZ.rows; r++) {
    for (let cell = 0; cell < cells; cell++) {
      const base = r * kernelZ.dim + cell * nQubits;
      groups.forEach((g, k) => {
        let acc = mode === 'avg' ? 0 : -Infinity;
        for (const q of g) acc = mode === 'avg' ? acc + kernelZ.values[base + q] : Math.max(acc, kernelZ.values[base + q]);
        values[r * dim + cell * groups.length + k] = mode === 'avg' ? acc / g.length : acc;
      });
    }
  }
  return { values, rows: kernelZ.rows, dim };
}

/** The read-out of `circuit` (kernel + pool block) with `weights` at every patch: [N, cells·nObs]. */
export function pooledFeatures(layer: QuantumConv2D, circuit: Circuit, observables: Observable[], weights: number[], inputs: tf.Tensor4D): FeatureMatrix {
  const probe = probeConv(layer, circuit, observables, weights, inputs.shape.slice(1));
  try {
    return layerFeatures(probe, inputs);
  } finally {
    disposeProbe(probe);
  }
}

/** How pool parameters are fitted (defaults: 2 epochs, batch 128, Adam learning rate 0.05). */
export interface FitPoolOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
}

/**
 * Fits the pool parameters (weights from index `kernelWeights.length` on) of `circuit` with the kernel
 * weights frozen, through a softmax head on the flattened read-out, by minibatch Adam on cross-entropy;
 * returns the fitted pool parameters (the head is discarded).
 */
export function fitPoolWeights(
  layer: QuantumConv2D, circuit: Circuit, observables: Observable[], kernelWeights: number[], init: number[],
  inputs: tf.Tensor4D, labels: ArrayLike<number>, numClasses: number, options: FitPoolOptions = {}, seed = 0,
): number[] {
  if (init.length === 0) return [];
  const epochs = options.epochs ?? 2, batchSize = options.batchSize ?? 128, lr = options.learningRate ?? 0.05;
  const n = inputs.shape[0];
  const cells = patchCells(layer, inputs.shape.slice(1));
  const dim = cells * observables.length;
  const kw = tf.tensor1d(kernelWeights);
  const pw = tf.tidy(() => tf.variable(tf.tensor1d(init)));
  const features = (idx: number[]): tf.Tensor => {
    const p = extractPatches(tf.gather(inputs, idx), layer.window);
    const rows = tf.slice(tf.reshape(p, [idx.length * cells, -1]), [0, 0], [-1, circuit.numInputs]) as tf.Tensor2D;
    return expval(circuit, observables, { inputs: rows, weights: tf.concat([kw, pw]) as tf.Tensor1D });
  };
  try {
    fitWithSoftmaxHead(n, dim, numClasses, labels, features, [pw], { epochs, batchSize, learningRate: lr, seed });
    return Array.from(pw.dataSync());
  } finally {
    tf.dispose([kw, pw]);
  }
}

/** Patches per image of `layer` for inputs of shape [H, W, C]. */
export function patchCells(layer: QuantumConv2D, inputShape: readonly number[]): number {
  const out = layer.computeOutputShape([null, ...inputShape]) as number[];
  return out[1] * out[2];
}
