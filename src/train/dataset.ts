/**
 * Checks a data split against the model (shapes, label range) and cuts it into batches. Labels are kept
 * as an Int32Array on the JS side: batches of labels are then cheap to build and accuracy needs no
 * extra device reads.
 */
import { tf } from '../backend';
import type { LabeledData } from './options';

/** A split that passed the checks. */
export interface PreparedSplit {
  /** 'data.train' or 'data.validation', for messages. */
  name: string;
  x: tf.Tensor;
  labels: Int32Array;
  size: number;
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

/** Validates one split against the model and returns it with labels as Int32Array. */
export function prepareSplit(name: string, data: LabeledData | undefined, model: tf.LayersModel): PreparedSplit {
  if (data == null || typeof data !== 'object') throw new Error(`${name}: expected { x, y }, got ${String(data)}`);
  const { x, y } = data;
  if (!(x instanceof tf.Tensor)) throw new Error(`${name}.x: expected a tf.Tensor, got ${x === null ? 'null' : typeof x}`);
  if (x.isDisposed) throw new Error(`${name}.x: the tensor has been disposed`);
  if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new Error(`${name}.x: expected dtype float32 or int32, got ${x.dtype}`);
  if (model.inputs == null || model.inputs.length !== 1) {
    throw new Error(`model: expected a built model with exactly one input, got ${model.inputs == null ? 'none' : model.inputs.length}`);
  }
  const inShape = model.inputs[0].shape;
  const n = x.shape[0];
  const matches = x.rank === inShape.length && inShape.every((d, i) => i === 0 || d == null || d === x.shape[i]);
  if (!matches) {
    throw new Error(`${name}.x: expected shape ${fmtShape(inShape)} for the model's input, got ${fmtShape(x.shape)}`);
  }
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
  if (values.length !== n) throw new Error(`${name}.y: expected ${n} labels (one per sample of x), got ${values.length}`);

  const numClasses = numClassesOf(model);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new Error(`${name}.y: labels must be integers in [0, ${numClasses}) for a model with ${numClasses} outputs, got ${v} at index ${i}`);
    }
    labels[i] = v;
  }
  return { name, x, labels, size: n };
}

/** The inputs and labels at `indices` (gathered on the device; labels built from the JS copy). */
export function gatherBatch(split: PreparedSplit, indices: Int32Array): { x: tf.Tensor; y: tf.Tensor1D } {
  return tf.tidy(() => {
    const idx = tf.tensor1d(indices, 'int32');
    const y = tf.tensor1d(Int32Array.from(indices, (i) => split.labels[i]), 'int32');
    return { x: tf.gather(split.x, idx), y };
  });
}

/** Samples [start, start + size) in order: a slice, cheaper than a gather, for evaluation passes. */
export function sliceBatch(split: PreparedSplit, start: number, size: number): { x: tf.Tensor; y: tf.Tensor1D } {
  return tf.tidy(() => ({
    x: tf.slice(split.x, start, size),
    y: tf.tensor1d(split.labels.subarray(start, start + size), 'int32'),
  }));
}
