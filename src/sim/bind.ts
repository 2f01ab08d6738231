/**
 * Binding a circuit's symbolic angles to plain numbers for one row of data, for the tools that print
 * circuits (QASM export, drawing) rather than simulate them.
 */
import { tf } from '../backend';
import { Angle, isParamRef } from './params';
import { badArgument } from '../util/errors';

/** Values for `weight(j)` ([numWeights]) or one row of `input(i)` ([numInputs] or [1, numInputs]). */
export type BindValues = number[] | Float32Array | tf.Tensor;

/**
 * Reads `weights` or one row of `inputs` into plain numbers, checking shape, length and finiteness.
 * `argName` (e.g. "toQasm(options.weights)") starts every error message.
 */
export function readBindValues(v: BindValues | undefined, expected: number, argName: string, allowRow = false): number[] | undefined {
  if (v === undefined) return undefined;
  let values: number[];
  if (v instanceof tf.Tensor) {
    const rowShape = allowRow && v.rank === 2 && v.shape[0] === 1;
    if (v.rank !== 1 && !rowShape) {
      throw badArgument(`${argName}: expected shape [${expected}]${allowRow ? ` or [1, ${expected}]` : ''}, got [${v.shape.join(', ')}]`);
    }
    values = Array.from(v.dataSync());
  } else if (Array.isArray(v) || v instanceof Float32Array) {
    values = Array.from(v as ArrayLike<number>);
  } else {
    throw badArgument(`${argName}: expected a number array or a tensor, got ${typeof v}`);
  }
  if (values.length !== expected) throw badArgument(`${argName}: expected ${expected} value(s), got ${values.length}`);
  const bad = values.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
  if (bad >= 0) throw badArgument(`${argName}: expected finite numbers, found ${values[bad]} at index ${bad}`);
  return values;
}

/** The angle as a number when its reference is bound (scale·value), else the angle unchanged. */
export function bindAngle(a: Angle, weights?: readonly number[], inputs?: readonly number[]): Angle {
  if (!isParamRef(a)) return a;
  const values = a.kind === 'weight' ? weights : inputs;
  return values ? a.scale * values[a.index] : a;
}
