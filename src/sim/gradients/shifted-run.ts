/**
 * The engine entry point for gradient methods that run many angle-shifted copies of one circuit
 * (parameter-shift): all copies of a batch are stacked into the batch axis of one host state batch and
 * advanced op by op together, never one circuit at a time.
 */
import { TermOp } from '../gate-terms';
import { HostAngle, HostStates, hostApply, hostZero } from '../host/host-kernel';

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
