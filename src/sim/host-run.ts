/**
 * Running whole op lists on host state batches: forward runs (one-qubit gates fused first), and the
 * row views and chunk sizes that let long sweeps work on cache-sized pieces of a large batch.
 */
import { TermOp } from './gate-terms';
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
 * Rows per chunk so that a chunk of `rowWidth` amplitudes per row stays near `target` amplitudes:
 * sweeping many ops over a cache-sized chunk beats streaming a large batch through memory per op.
 */
export function rowsPerChunk(rowWidth: number, target = CACHE_CHUNK_AMPLITUDES): number {
  return Math.max(1, Math.floor(target / rowWidth));
}

/** Amplitudes per cache-blocked chunk (2^16 complex float64 = 1 MiB). */
export const CACHE_CHUNK_AMPLITUDES = 2 ** 16;
