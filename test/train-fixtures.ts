// Shared fixtures for the trainer tests: seeded toy data, tiny seeded models and a fake quantum layer.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../src/backend';
import type { CircuitPass, QuantumDiffMethod, QuantumLayerLike, TensorData } from '../src/train';

/** Deterministic LCG for test data (independent of the trainer's PRNG). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Three noisy, separable classes in `dim` dimensions: class c has a bump on feature c. */
export function blobs(n: number, seed = 1, dim = 4): { x: tf.Tensor2D; y: number[] } {
  const r = lcg(seed);
  const xs = new Float32Array(n * dim);
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    ys.push(c);
    for (let d = 0; d < dim; d++) xs[i * dim + d] = (d === c ? 1.5 : 0) + (r() - 0.5) * 1.2;
  }
  return { x: tf.tensor2d(xs, [n, dim]), y: ys };
}

/** Train + validation blobs as tensors. */
export type BlobData = { train: TensorData; validation: TensorData };

/** Train + validation blobs. */
export function blobData(nTrain = 96, nVal = 30): BlobData {
  return { train: blobs(nTrain, 1), validation: blobs(nVal, 2) };
}

/** Frees the tensors of a TrainData. */
export function disposeData(d: BlobData): void {
  d.train.x.dispose();
  d.validation.x.dispose();
}

/** A Layer marked quantum: elementwise y = x * w + b (stands in for QuantumConv2D in trainer tests). */
export class FakeQuantumLayer extends tf.layers.Layer implements QuantumLayerLike {
  static className = 'FakeQuantumLayer';
  readonly isQuantumLayer = true as const;
  diffMethod: QuantumDiffMethod = 'backprop';
  private w!: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as tf.Shape;
    this.w = this.addWeight('theta', [shape[shape.length - 1] as number], 'float32', tf.initializers.ones());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.mul(x, this.w.read());
  }

  /** Pretend cost: 2 circuits per sample forward, 10 more per sample for the gradient. */
  circuitExecutions(batchSize: number, pass: CircuitPass): number {
    return pass === 'forward' ? 2 * batchSize : 10 * batchSize;
  }
}

/** Dense(8, relu) → [Dropout] → [FakeQuantumLayer] → Dense(3) with seeded initialisers. */
export function tinyModel(opts: { seed?: number; dropout?: boolean; quantum?: boolean; softmax?: boolean; dim?: number } = {}): tf.Sequential {
  const seed = opts.seed ?? 1;
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [opts.dim ?? 4], units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  if (opts.dropout) m.add(tf.layers.dropout({ rate: 0.3 }));
  if (opts.quantum) m.add(new FakeQuantumLayer({}));
  m.add(tf.layers.dense({ units: 3, activation: opts.softmax ? 'softmax' : 'linear', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return m;
}

/** The model's weights as raw bytes, for bitwise comparison. */
export function weightBytes(model: tf.LayersModel): Buffer[] {
  return model.getWeights().map((w) => {
    const d = w.dataSync();
    return Buffer.from(d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength));
  });
}

/** A fresh temporary directory. */
export function tmpDir(prefix = 'qkc-train-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
