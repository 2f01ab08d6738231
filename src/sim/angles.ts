/**
 * Turning a circuit's symbolic angles into numbers or tensors for one batched run, and checking the
 * `inputs` / `weights` arguments that feed them.
 */
import { ArgumentError, show } from '../util/validate';
import { readF32, tf } from '../backend';
import { Angle, isParamRef } from './params';
import { badArgument } from '../util/errors';

/** `inputs` as accepted by the simulator: [batch, numInputs]. */
export type InputsArg = tf.Tensor2D | number[][];
/** `weights` as accepted by the simulator: [numWeights]. */
export type WeightsArg = tf.Tensor1D | tf.Variable | number[] | Float32Array;

/** A resolved angle: a number, a scalar tensor (shared by the batch) or a [batch, 1] tensor. */
export type AngleValue = number | tf.Scalar | tf.Tensor2D;

/** Checked, tensor-form run arguments. `batch` is the number of rows the run produces. */
export interface RunArgs { inputs?: tf.Tensor2D; weights?: tf.Tensor1D; batch: number }

/** Backends whose tensors live in host memory (a read is a copy, not a device transfer). */
const HOST_MEMORY_BACKENDS = new Set(['wasm', 'cpu']);

/** True when `t` holds a NaN or an infinity (false for an empty tensor). */
export function hasNonFinite(t: tf.Tensor): boolean {
  // wasm's All kernel reads one stale byte for an empty tensor (seen: 0 or 144), so an empty tensor could "fail".
  if (t.size === 0) return false;
  // On the CPU backends (wasm, cpu) the values are in host memory: one read and a loop cost less than the
  // three tfjs ops (≈ 16 µs of engine work each) and the read-back that the tensor form needs anyway.
  if (HOST_MEMORY_BACKENDS.has(tf.getBackend()) && (t.dtype === 'float32' || t.dtype === 'int32')) {
    const v = t.dtype === 'float32' ? readF32(t) : t.dataSync() as Int32Array;
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return true;
    return false;
  }
  return tf.tidy(() => tf.logicalNot(tf.all(tf.isFinite(t))).dataSync()[0] === 1);
}

/**
 * Validates and converts `inputs` / `weights` for a circuit with `numInputs` / `numWeights` references.
 * Errors name the argument, the expected shape and what came. NaN or infinite values are refused.
 * Tensors passed in are used as they are (not copied), so gradients flow through them.
 */
export function prepareArgs(
  numInputs: number, numWeights: number,
  opts: { inputs?: InputsArg; weights?: WeightsArg; batch?: number }, fn = 'simulate',
): RunArgs & { owned: tf.Tensor[] } {
  const owned: tf.Tensor[] = [];
  let inputs: tf.Tensor2D | undefined;
  if (opts.inputs !== undefined) {
    if (Array.isArray(opts.inputs)) {
      const rows = opts.inputs;
      if (rows.some((r) => !Array.isArray(r) || r.length !== numInputs)) {
        const bad = rows.findIndex((r) => !Array.isArray(r) || r.length !== numInputs);
        throw badArgument(`${fn}(inputs): expected [batch, ${numInputs}], but row ${bad} has ${Array.isArray(rows[bad]) ? rows[bad].length : typeof rows[bad]} values`);
      }
      if (rows.some((r) => r.some((v) => typeof v !== 'number' || !Number.isFinite(v)))) {
        throw badArgument(`${fn}(inputs): expected finite numbers, found NaN or infinity`);
      }
      inputs = tf.tensor2d(rows, [rows.length, numInputs], 'float32');
      owned.push(inputs);
    } else {
      const t = opts.inputs;
      if (!(t instanceof tf.Tensor)) throw new ArgumentError(`${fn}(inputs)`, `rows of ${numInputs} number(s) or a [batch, ${numInputs}] tensor`, show(t));
      if (t.rank !== 2 || t.shape[1] !== numInputs) {
        throw badArgument(`${fn}(inputs): expected shape [batch, ${numInputs}], got [${t.shape.join(', ')}]`);
      }
      if (hasNonFinite(t)) throw badArgument(`${fn}(inputs): expected finite numbers, found NaN or infinity`);
      inputs = t;
    }
  } else if (numInputs > 0) {
    throw badArgument(`${fn}(inputs): the circuit reads ${numInputs} input value(s) per row; pass inputs of shape [batch, ${numInputs}]`);
  }
  let weights: tf.Tensor1D | undefined;
  if (opts.weights !== undefined) {
    const w = opts.weights;
    if (w instanceof tf.Tensor) {
      if (w.rank !== 1 || w.shape[0] !== numWeights) {
        throw badArgument(`${fn}(weights): expected shape [${numWeights}], got [${w.shape.join(', ')}]`);
      }
      if (hasNonFinite(w)) throw badArgument(`${fn}(weights): expected finite numbers, found NaN or infinity`);
      weights = w as tf.Tensor1D;
    } else {
      const arr = Array.from(w as ArrayLike<number>);
      if (arr.length !== numWeights) throw badArgument(`${fn}(weights): expected ${numWeights} value(s), got ${arr.length}`);
      if (arr.some((v) => typeof v !== 'number' || !Number.isFinite(v))) throw badArgument(`${fn}(weights): expected finite numbers, found NaN or infinity`);
      weights = tf.tensor1d(arr, 'float32');
      owned.push(weights);
    }
  } else if (numWeights > 0) {
    throw badArgument(`${fn}(weights): the circuit has ${numWeights} weight(s); pass weights of length ${numWeights}`);
  }
  const batch = inputs ? inputs.shape[0] : opts.batch ?? 1;
  if (opts.batch !== undefined && inputs && opts.batch !== inputs.shape[0]) {
    throw badArgument(`${fn}(batch): ${opts.batch} disagrees with inputs, which have ${inputs.shape[0]} rows`);
  }
  return { inputs, weights, batch, owned };
}

/** The value of one angle for a run: a number, a scalar (weights) or a [batch, 1] column (inputs). */
export function resolveAngle(a: Angle, args: RunArgs): AngleValue {
  if (!isParamRef(a)) return a;
  if (a.kind === 'weight') {
    const w = args.weights as tf.Tensor1D;
    return tf.mul(tf.squeeze(tf.slice(w, [a.index], [1])), a.scale) as tf.Scalar;
  }
  const x = args.inputs as tf.Tensor2D;
  return tf.mul(tf.slice(x, [0, a.index], [-1, 1]), a.scale) as tf.Tensor2D;
}

/** Run arguments downloaded to the host (float64) for the plain-JS kernel: inputs row-major [batch × numInputs]. */
export interface HostArgs { inputs?: Float64Array; numInputs: number; weights?: Float64Array; batch: number }

/** Downloads checked run arguments once (one dataSync per tensor). */
export function toHostArgs(args: RunArgs): HostArgs {
  return {
    inputs: args.inputs ? Float64Array.from(args.inputs.dataSync()) : undefined,
    numInputs: args.inputs ? args.inputs.shape[1] : 0,
    weights: args.weights ? Float64Array.from(args.weights.dataSync()) : undefined,
    batch: args.batch,
  };
}

/** The host value of one angle: a number (constants, weights) or a per-row column [batch] (inputs). */
export function hostAngle(a: Angle, h: HostArgs): number | Float64Array {
  if (!isParamRef(a)) return a;
  if (a.kind === 'weight') return a.scale * (h.weights as Float64Array)[a.index];
  const x = h.inputs as Float64Array, col = new Float64Array(h.batch);
  for (let b = 0; b < h.batch; b++) col[b] = a.scale * x[b * h.numInputs + a.index];
  return col;
}
