/**
 * Running whole op lists on host state batches: forward runs (one-qubit gates fused first), and the
 * row views and chunk sizes that let long sweeps work on bounded pieces of a large batch.
 */
import { TermOp } from '../gate-terms';
import { HostAngle, HostStates, hostApply } from './host-kernel';
import { fuseSingleQubit } from './host-fusion';

/**
 * Runs ops in order on all rows of `s` (in place); `angles[t]` is op t's angle, per-row values having
 * one entry per row of `s` (or a single shared period). One-qubit gates with shared angles are fused
 * first; large batches run chunk by chunk of rows.
 */
export function hostRun(s: HostStates, allOps: readonly TermOp[], allAngles: readonly (HostAngle | undefined)[]): void {
  const { ops, angles } = fuseSingleQubit(allOps, allAngles);
  const step = rowsPerChunk(2 ** s.nQubits);
  const aligned = angles.every((a) => !(a instanceof Float64Array) || a.length === s.rows);
  if (step >= s.rows || !aligned) {
    ops.forEach((op, t) => hostApply(s, op, angles[t]));
    return;
  }
  for (let from = 0; from < s.rows; from += step) {
    const to = Math.min(s.rows, from + step), view = hostRows(s, from, to), a = anglesForRows(angles, from, to);
    ops.forEach((op, t) => hostApply(view, op, a[t]));
  }
}

/** A view of rows [from, to) of `s` (shares memory: kernels applied to it change `s`). */
export function hostRows(s: HostStates, from: number, to: number): HostStates {
  const dim = 2 ** s.nQubits;
  return { re: s.re.subarray(from * dim, to * dim), im: s.im.subarray(from * dim, to * dim), rows: to - from, nQubits: s.nQubits };
}

/** Per-row angles restricted to rows [from, to) of a batch whose columns have one value per row. */
export function anglesForRows(angles: readonly (HostAngle | undefined)[], from: number, to: number): (HostAngle | undefined)[] {
  return angles.map((a) => (a instanceof Float64Array ? a.subarray(from, to) : a));
}

/**
 * Rows per chunk so that a chunk of `rowWidth` amplitudes per row stays near `target` amplitudes, which
 * bounds the memory of stacked batches (parameter-shift's copies, adjoint's cotangents).
 */
export function rowsPerChunk(rowWidth: number, target = CHUNK_AMPLITUDES): number {
  return Math.max(1, Math.floor(target / rowWidth));
}

/**
 * Amplitudes per chunk of rows (2^20 complex float64 = 16 MiB). Measured on qkc-mnist-batch: chunks
 * of 2^16 to 2^23 amplitudes run parameter-shift equally fast (smaller ones pay per-call overhead),
 * so the chunk only bounds memory.
 */
export const CHUNK_AMPLITUDES = 2 ** 20;
