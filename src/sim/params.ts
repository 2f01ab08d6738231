import { badArgument } from '../util/errors';
/**
 * Angles of a circuit: a plain number, or a reference to data (`input(i)`) or to a trainable weight
 * (`weight(j)`), each with a scale: the gate sees scale·value.
 */

/** A reference to the i-th data value of a row of `inputs` (angle = scale·x_i). */
export interface InputRef { readonly kind: 'input'; readonly index: number; readonly scale: number }
/** A reference to the j-th trainable weight (angle = scale·w_j). */
export interface WeightRef { readonly kind: 'weight'; readonly index: number; readonly scale: number }
/** A symbolic angle. */
export type ParamRef = InputRef | WeightRef;
/** What a gate's angle argument may be. */
export type Angle = number | ParamRef;

function checkRef(kind: string, index: number, scale: number): void {
  if (!Number.isInteger(index) || index < 0) {
    throw badArgument(`${kind}(index): expected a non-negative integer, got ${index}`);
  }
  if (typeof scale !== 'number' || !Number.isFinite(scale)) {
    throw badArgument(`${kind}(${index}, scale): expected a finite number, got ${scale}`);
  }
}

/** The angle scale·x_i, where x_i is column i of the `inputs` batch (e.g. a pixel). */
export function input(index: number, scale = 1): InputRef {
  checkRef('input', index, scale);
  return { kind: 'input', index, scale };
}

/** The angle scale·w_j, where w_j is trainable weight j. */
export function weight(index: number, scale = 1): WeightRef {
  checkRef('weight', index, scale);
  return { kind: 'weight', index, scale };
}

/** True when the angle refers to data or weights rather than being a fixed number. */
export function isParamRef(a: Angle): a is ParamRef {
  return typeof a === 'object' && a !== null && (a.kind === 'input' || a.kind === 'weight');
}

/** A short text form of an angle, used by draw and error messages: 0.5, π·x3, 2·w1. */
export function formatAngle(a: Angle, digits = 3): string {
  if (!isParamRef(a)) return formatNumber(a, digits);
  const sym = `${a.kind === 'input' ? 'x' : 'w'}${a.index}`;
  if (a.scale === 1) return sym;
  if (Math.abs(a.scale - Math.PI) < 1e-12) return `π·${sym}`;
  return `${formatNumber(a.scale, digits)}·${sym}`;
}

/** Formats a number compactly, writing simple multiples of π as such (π/2, -π/4). */
export function formatNumber(v: number, digits = 3): string {
  for (const d of [1, 2, 3, 4, 6, 8]) {
    const k = (v * d) / Math.PI;
    if (Math.abs(k - Math.round(k)) < 1e-9 && Math.round(k) !== 0 && Math.abs(Math.round(k)) <= 8) {
      const n = Math.round(k);
      const num = n === 1 ? 'π' : n === -1 ? '-π' : `${n}π`;
      return d === 1 ? num : `${num}/${d}`;
    }
  }
  return Number(v.toPrecision(digits)).toString();
}
