/**
 * The host kernel running many angle-shifted copies of one circuit (a parameter-shift plan): all
 * copies of a batch are stacked into the batch axis of one host state batch and advanced op by op
 * together, never one circuit at a time.
 */
import { Rng } from '../../util/random';
import { TermOp } from '../gate-terms';
import { ShiftPlan, planOnTermOps } from '../shift-plan';
import { HostAngle, HostStates, hostApply, hostZero } from './host-kernel';
import { hostMeasure } from './host-measure';
import { CHUNK_AMPLITUDES, anglesForRows, rowsPerChunk } from './host-run';
import { GradientRun } from './host-prepare';

/** One shifted copy of a circuit: the listed term ops (indices into the lowered op list) see angle + shift. */
export interface AngleShift { readonly ops: readonly number[]; readonly shift: number }

function shifted(base: HostAngle, delta: number): HostAngle {
  if (delta === 0) return base;
  if (typeof base === 'number') return base + delta;
  const out = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) out[i] = base[i] + delta;
  return out;
}

/**
 * Runs the unshifted circuit and one copy per entry of `shifts` as a single batch of (1 + S)·batch
 * rows: block 0 is the unshifted run, block 1 + s the copy with shifts[s]. `angles[t]` is op t's
 * unshifted angle (per-row values of length `batch`). A copy branches off the unshifted run just
 * before its first shifted op, so the common prefix is simulated once; every op then acts on all live
 * blocks with one kernel call per run of neighbouring blocks that share its angle. Passing shifts in
 * order of their first op keeps the live blocks contiguous. `initial` (batch rows) defaults to |0…0⟩.
 * `scratch` (at least (1 + S)·batch·2^n amplitudes) is used instead of a new allocation; the result
 * is then a view of it.
 */
export function runShifted(
  ops: readonly TermOp[], angles: readonly (HostAngle | undefined)[], nQubits: number, batch: number,
  shifts: readonly AngleShift[], initial?: HostStates, scratch?: { re: Float64Array; im: Float64Array },
): HostStates {
  const S = shifts.length, dim = 2 ** nQubits, blockSize = batch * dim;
  const starts = shifts.map((s, i) => {
    if (s.ops.length === 0) throw new Error(`runShifted(shifts[${i}]): expected at least one op to shift`);
    for (const t of s.ops) {
      if (!Number.isInteger(t) || t < 0 || t >= ops.length || ops[t].angle === undefined) {
        throw new Error(`runShifted(shifts[${i}]): op ${t} is not a parametrised op of this circuit`);
      }
    }
    return Math.min(...s.ops);
  });
  // Only block 0 needs initialising: every other block is a copy of it made before it is first used.
  const size = (1 + S) * blockSize;
  if (scratch && scratch.re.length < size) throw new Error(`runShifted(scratch): expected room for ${size} amplitudes, got ${scratch.re.length}`);
  const out: HostStates = scratch
    ? { re: scratch.re.subarray(0, size), im: scratch.im.subarray(0, size), rows: (1 + S) * batch, nQubits }
    : hostZero(nQubits, (1 + S) * batch);
  if (scratch) {
    out.re.fill(0, 0, blockSize);
    out.im.fill(0, 0, blockSize);
    for (let b = 0; b < batch; b++) out.re[b * dim] = 1;
  }
  if (initial) {
    if (initial.rows !== batch || initial.nQubits !== nQubits) throw new Error(`runShifted(initial): expected ${batch} rows on ${nQubits} qubits, got ${initial.rows} on ${initial.nQubits}`);
    out.re.set(initial.re);
    out.im.set(initial.im);
  }
  const deltas = new Float64Array(1 + S);
  const byOp = new Map<number, { block: number; delta: number }[]>();
  shifts.forEach((s, i) => {
    for (const t of new Set(s.ops)) {
      const list = byOp.get(t) ?? [];
      list.push({ block: 1 + i, delta: s.shift });
      byOp.set(t, list);
    }
  });
  for (let t = 0; t < ops.length; t++) {
    starts.forEach((st, i) => {
      if (st === t) {
        out.re.copyWithin((1 + i) * blockSize, 0, blockSize);
        out.im.copyWithin((1 + i) * blockSize, 0, blockSize);
      }
    });
    const op = ops[t], base = angles[t];
    deltas.fill(0);
    for (const { block, delta } of byOp.get(t) ?? []) deltas[block] += delta;
    // Runs of live neighbouring blocks with equal shifts share one kernel call.
    let b = 0;
    while (b <= S) {
      if (b > 0 && starts[b - 1] > t) { b++; continue; }
      let e = b + 1;
      while (e <= S && starts[e - 1] <= t && deltas[e] === deltas[b]) e++;
      const angle = op.angle === undefined ? undefined : shifted(base as HostAngle, deltas[b]);
      hostApply(out, op, angle, 'forward', b * batch, e * batch);
      b = e;
    }
  }
  return out;
}

/** Largest stack of shifted copies of one row (copies × 2^n amplitudes) simulated at once. */
export const MAX_SHIFT_BATCH_AMPLITUDES = 2 ** 23;

/**
 * Runs a shift plan on a prepared host run: the expectations of every shifted set, [sets × batch ×
 * nObs] in plan order (finite-shot estimates with `shots` and `rng`), or, with `sink`, handed over
 * piece by piece (set index in plan order, first row, [rows × nObs]) instead of kept. The stacked
 * batch is processed in chunks of rows of about `chunkAmplitudes` (each chunk still carries all its
 * shifted copies together); when one row's copies exceed `maxAmplitudes`, the sets are split too (the
 * unshifted prefix is then recomputed per split).
 */
export function runShiftPlanHost(
  run: GradientRun, plan: ShiftPlan, shots?: number, rng?: Rng,
  maxAmplitudes = MAX_SHIFT_BATCH_AMPLITUDES, chunkAmplitudes = CHUNK_AMPLITUDES,
  sink?: (set: number, rowFrom: number, values: Float64Array) => void,
): Float64Array {
  const n = run.circuit.nQubits, B = run.batch, nObs = run.plan.nObs;
  const { sets: shifts, order } = planOnTermOps(plan, run.ops);
  const out = new Float64Array(sink ? 0 : plan.sets.length * B * nObs);
  const take = sink ?? ((set: number, rowFrom: number, values: Float64Array) => out.set(values, (set * B + rowFrom) * nObs));
  const dim = 2 ** n;
  // Sets per stacked run (so that one row's copies fit), then rows per run (bounded memory).
  const perRun = Math.max(1, Math.min(shifts.length, Math.floor(maxAmplitudes / dim) - 1));
  const rows = Math.min(B, rowsPerChunk((1 + perRun) * dim, chunkAmplitudes));
  const size = (1 + Math.min(perRun, shifts.length)) * rows * dim;
  const scratch = { re: new Float64Array(size), im: new Float64Array(size) }; // reused by every run
  for (let b0 = 0; b0 < B; b0 += rows) {
    const b1 = Math.min(B, b0 + rows), R = b1 - b0;
    const angles = anglesForRows(run.angles, b0, b1);
    for (let from = 0; from < shifts.length; from += perRun) {
      const chunk = shifts.slice(from, from + perRun);
      const states = runShifted(run.ops, angles, n, R, chunk, undefined, scratch);
      const e = hostMeasure(states, run.plan, shots, rng, R); // block 0 (unshifted) is not needed
      chunk.forEach((_, c) => take(order[from + c], b0, e.subarray(c * R * nObs, (c + 1) * R * nObs)));
    }
  }
  return out;
}
