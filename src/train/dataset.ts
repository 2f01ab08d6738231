/**
 * Checks a data split against the model (shapes, label range) and cuts it into batches. A split is either
 * tensors ({ x, y }) or a batch source that builds tensors on demand (src/data's ImageDataset fits), so
 * that a 60,000-image set need not sit on the device as one float32 tensor. Labels are kept as an
 * Int32Array on the JS side: label batches are cheap and accuracy needs no extra device reads.
 */
import { createHash } from 'crypto';
import { tf } from '../backend';
import type { BatchSource, LabeledData } from './options';

/** A split that passed the checks. */
export interface PreparedSplit {
  /** 'data.train' or 'data.validation', for messages. */
  name: string;
  size: number;
  labels: Int32Array;
  /** Inputs at `indices` as a new tensor (the caller disposes it). */
  inputsAt(indices: Int32Array): tf.Tensor;
  /** Inputs [start, start + count) in order (a slice for tensors: cheaper than a gather). */
  inputsRange(start: number, count: number): tf.Tensor;
  /** Description of the inputs' dtype/shape and content hash, for the run config. */
  fingerprint(): string;
}

function fmtShape(shape: ReadonlyArray<number | null>): string {
  return `[${shape.map((d) => (d == null ? 'N' : String(d))).join(', ')}]`;
}

/** Number of classes: the last axis of the model's single rank-2 output. */
export function numClassesOf(model: tf.LayersModel): number {
  if (model.outputs.length !== 1) throw new Error(`model: expected exactly one output, got ${model.outputs.length}`);
  const shape = model.outputs[0].shape;
  const c = shape[shape.length - 1];
  if (shape.length !== 2 || c == null || c < 1) {
    throw new Error(`model: expected an output of shape [N, numClasses] (class scores), got ${fmtShape(shape)}`);
  }
  return c;
}

function isBatchSource(d: unknown): d is BatchSource {
  return typeof (d as BatchSource).tensorsAt === 'function';
}

function checkInput(name: string, x: tf.Tensor, model: tf.LayersModel): void {
  if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new Error(`${name}: expected dtype float32 or int32, got ${x.dtype}`);
  if (model.inputs == null || model.inputs.length !== 1) {
    throw new Error(`model: expected a built model with exactly one input, got ${model.inputs == null ? 'none' : model.inputs.length}`);
  }
  const inShape = model.inputs[0].shape;
  const matches = x.rank === inShape.length && inShape.every((d, i) => i === 0 || d == null || d === x.shape[i]);
  if (!matches) throw new Error(`${name}: expected shape ${fmtShape(inShape)} for the model's input, got ${fmtShape(x.shape)}`);
}

function checkLabels(name: string, values: ArrayLike<number>, n: number, numClasses: number): Int32Array {
  if (values.length !== n) throw new Error(`${name}: expected ${n} labels (one per sample), got ${values.length}`);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new Error(`${name}: labels must be integers in [0, ${numClasses}) for a model with ${numClasses} outputs, got ${v} at index ${i}`);
    }
    labels[i] = v;
  }
  return labels;
}

function hashTensor(h: ReturnType<typeof createHash>, t: tf.Tensor): void {
  const d = t.dataSync();
  h.update(Buffer.from(d.buffer, d.byteOffset, d.byteLength));
}

function fromSource(name: string, src: BatchSource, model: tf.LayersModel): PreparedSplit {
  const n = src.size;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}.size: expected at least one sample, got ${n}`);
  const inputsAt = (indices: ArrayLike<number>): tf.Tensor => {
    const { xs, ys } = src.tensorsAt(indices, { oneHot: false });
    ys.dispose();
    return xs;
  };
  const probe = inputsAt([0]);
  try {
    checkInput(`${name} (batches from tensorsAt)`, probe, model);
  } finally {
    probe.dispose();
  }
  const labels = checkLabels(`${name}.labels`, src.labels, n, numClassesOf(model));
  return {
    name, size: n, labels, inputsAt,
    inputsRange: (start, count) => inputsAt(Int32Array.from({ length: count }, (_, k) => start + k)),
    fingerprint: () => {
      const h = createHash('sha256');
      let shape = '';
      for (let s = 0; s < n; s += 1024) {
        const xs = inputsAt(Int32Array.from({ length: Math.min(1024, n - s) }, (_, k) => s + k));
        shape = `${xs.dtype}[${n},${xs.shape.slice(1).join(',')}]`;
        hashTensor(h, xs);
        xs.dispose();
      }
      h.update(Buffer.from(labels.buffer));
      return `${shape} sha256:${h.digest('hex').slice(0, 16)}`;
    },
  };
}

/** Validates one split against the model. */
export function prepareSplit(name: string, data: LabeledData | undefined, model: tf.LayersModel): PreparedSplit {
  if (data == null || typeof data !== 'object') throw new Error(`${name}: expected { x, y } or a dataset with tensorsAt(), got ${String(data)}`);
  if (isBatchSource(data)) return fromSource(name, data, model);
  const { x, y } = data;
  if (!(x instanceof tf.Tensor)) throw new Error(`${name}.x: expected a tf.Tensor, got ${x === null ? 'null' : typeof x}`);
  if (x.isDisposed) throw new Error(`${name}.x: the tensor has been disposed`);
  checkInput(`${name}.x`, x, model);
  const n = x.shape[0];
  if (n < 1) throw new Error(`${name}.x: expected at least one sample, got 0`);
  let values: ArrayLike<number>;
  if (y instanceof tf.Tensor) {
    if (y.isDisposed) throw new Error(`${name}.y: the tensor has been disposed`);
    if (y.rank !== 1) throw new Error(`${name}.y: expected integer class labels of shape [${n}], got ${fmtShape(y.shape)} (one-hot labels are not accepted)`);
    values = y.dataSync();
  } else if (y != null && typeof (y as ArrayLike<number>).length === 'number') {
    values = y;
  } else {
    throw new Error(`${name}.y: expected a rank-1 tensor or an array of class labels, got ${y === null ? 'null' : typeof y}`);
  }
  const labels = checkLabels(`${name}.y`, values, n, numClassesOf(model));
  return {
    name, size: n, labels,
    inputsAt: (indices) => tf.tidy(() => tf.gather(x, tf.tensor1d(indices, 'int32'))),
    inputsRange: (start, count) => tf.slice(x, start, count),
    fingerprint: () => {
      const h = createHash('sha256');
      hashTensor(h, x);
      h.update(Buffer.from(labels.buffer));
      return `${x.dtype}[${x.shape.join(',')}] sha256:${h.digest('hex').slice(0, 16)}`;
    },
  };
}

/** Labels at `indices` (or the range [start, start + count)) as an int32 tensor. */
export function labelTensor(split: PreparedSplit, indices: Int32Array): tf.Tensor1D {
  return tf.tensor1d(Int32Array.from(indices, (i) => split.labels[i]), 'int32');
}
