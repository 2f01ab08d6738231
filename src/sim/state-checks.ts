/** Argument checks for state batches and qubit lists: every error names the function, the argument, what was expected and what came. */
import type { DensityBatch, StateBatch } from './state';
import { badArgument } from '../util/errors';

/** Either kind of batch the inspection functions accept. */
export type AnyState = StateBatch | DensityBatch;

function shapeOf(t: { shape?: unknown } | undefined): string {
  return t && Array.isArray(t.shape) ? `[${t.shape.join(', ')}]` : String(t);
}

/** Checks that `s` is a well-formed StateBatch ([batch, 2^n]) or DensityBatch ([batch, 2^n, 2^n]). */
export function checkState(fn: string, arg: string, s: AnyState): void {
  if (s == null || typeof s !== 'object' || s.re == null || s.im == null) {
    throw badArgument(`${fn}(${arg}): expected a StateBatch or DensityBatch {re, im, nQubits}, got ${s === null ? 'null' : typeof s}`);
  }
  const n = s.nQubits;
  if (!Number.isInteger(n) || n < 1) throw badArgument(`${fn}(${arg}): expected nQubits to be an integer ≥ 1, got ${n}`);
  const dim = 2 ** n;
  const shape = s.re.shape;
  const ok =
    (shape.length === 2 && shape[1] === dim) ||
    (shape.length === 3 && shape[1] === dim && shape[2] === dim);
  if (!ok) {
    throw badArgument(`${fn}(${arg}): expected re of shape [batch, ${dim}] or [batch, ${dim}, ${dim}] for nQubits = ${n}, got ${shapeOf(s.re)}`);
  }
  const imShape = s.im.shape;
  if (imShape.length !== shape.length || imShape.some((v, i) => v !== shape[i])) {
    throw badArgument(`${fn}(${arg}): expected im of the same shape as re ${shapeOf(s.re)}, got ${shapeOf(s.im)}`);
  }
}

/** Checks a list of distinct qubit indices in [0, nQubits); an empty list only when `allowEmpty`. */
export function checkQubits(fn: string, arg: string, qubits: readonly number[], nQubits: number, allowEmpty = false): void {
  if (!Array.isArray(qubits)) throw badArgument(`${fn}(${arg}): expected an array of qubit indices, got ${typeof qubits}`);
  if (!allowEmpty && qubits.length === 0) throw badArgument(`${fn}(${arg}): expected at least one qubit, got []`);
  const seen = new Set<number>();
  for (const q of qubits) {
    if (!Number.isInteger(q) || q < 0 || q >= nQubits) {
      throw badArgument(`${fn}(${arg}): expected qubit indices in [0, ${nQubits - 1}], got ${q} in [${qubits.join(', ')}]`);
    }
    if (seen.has(q)) throw badArgument(`${fn}(${arg}): expected distinct qubits, got ${q} twice in [${qubits.join(', ')}]`);
    seen.add(q);
  }
}

