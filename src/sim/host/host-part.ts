/**
 * One thread's share of a parallel host run. A program lists shared state batches and steps; every
 * thread runs every step on its part and meets the others at a barrier between steps. Parts: in
 * 'rows' mode thread p owns a contiguous range of rows; in 'halves' mode it owns half p of every row
 * (the top bit, see host-layout.ts), seen by the kernel as a row of n − 1 qubits, so the plain host
 * kernel (hostApply, hostInner) runs unchanged on each piece.
 */
import { TermOp } from '../gate-terms';
import { HostAngle, HostStates, hostApply } from './host-kernel';
import { sweepFused } from './host-sweep';

/** A state batch in shared memory (re, im over SharedArrayBuffers). */
export interface SharedStates { re: Float64Array; im: Float64Array; rows: number }

/** One step: ops[from, to) forward on a state; the adjoint sweep back over ops[from, to); or a top-bit swap. */
export type PartStep =
  | { kind: 'apply'; state: number; from: number; to: number }
  | { kind: 'sweep'; psi: number; lambda: number; from: number; to: number }
  | { kind: 'swap'; states: number[]; bit: number };

/** What every thread of a parallel run gets (cloned to the workers; the states and sums are shared). */
export interface PartProgram {
  mode: 'rows' | 'halves';
  parts: number;
  nQubits: number;
  states: SharedStates[];
  /** The ops with physical wires, and their angles (per-row arrays: row r uses v[r % v.length]). */
  ops: TermOp[];
  angles: (HostAngle | undefined)[];
  /** For sweeps: the derivative slot of each op (−1: none). Inner products go to sums[(part·slots + slot)·rows + r]. */
  slots?: Int32Array;
  nSlots?: number;
  sums?: Float64Array;
  steps: PartStep[];
}

/** The rows of `rows` that part p owns in 'rows' mode (all of them in 'halves' mode). */
export function rowRange(program: Pick<PartProgram, 'mode' | 'parts'>, rows: number, part: number): [number, number] {
  if (program.mode === 'halves') return [0, rows];
  return [Math.floor((rows * part) / program.parts), Math.floor((rows * (part + 1)) / program.parts)];
}

/** Part p's piece of row r: the whole row ('rows') or its half p ('halves', one qubit fewer). */
function piece(program: PartProgram, s: SharedStates, r: number, part: number): HostStates {
  const dim = 2 ** program.nQubits;
  if (program.mode === 'rows') return { re: s.re.subarray(r * dim, (r + 1) * dim), im: s.im.subarray(r * dim, (r + 1) * dim), rows: 1, nQubits: program.nQubits };
  const half = dim / 2, at = r * dim + part * half;
  return { re: s.re.subarray(at, at + half), im: s.im.subarray(at, at + half), rows: 1, nQubits: program.nQubits - 1 };
}

/** The angle row r uses, as one number (or undefined for fixed ops). */
function angleOf(a: HostAngle | undefined, r: number): HostAngle | undefined {
  return a instanceof Float64Array ? a[r % a.length] : a;
}

/**
 * Swaps the top bit with `bit` on every row of `s`: amplitudes with (top, bit) = (0, 1) and (1, 0)
 * trade places. Part p of `parts` takes an equal share of the pairs of every row.
 */
function swapTopBit(s: SharedStates, nQubits: number, bit: number, part: number, parts: number): void {
  const dim = 2 ** nQubits, half = dim / 2, pairs = half / 2, low = (1 << bit) - 1, one = 1 << bit;
  const k0 = Math.floor((pairs * part) / parts), k1 = Math.floor((pairs * (part + 1)) / parts);
  for (const a of [s.re, s.im]) {
    for (let r = 0; r < s.rows; r++) {
      const base = r * dim;
      for (let k = k0; k < k1; k++) {
        const i = base + ((((k >>> bit) << (bit + 1)) | one | (k & low)) >>> 0);
        const j = i - one + half;
        const x = a[i]; a[i] = a[j]; a[j] = x;
      }
    }
  }
}

/**
 * Runs `program` as part `part`, calling `barrier()` after every step (the caller's rendezvous with the
 * other parts) and `tick()` after every op (a heartbeat for stall detection).
 */
export function runPart(program: PartProgram, part: number, barrier: () => void, tick: () => void = () => undefined): void {
  const { ops, angles, states } = program;
  for (const step of program.steps) {
    if (step.kind === 'swap') {
      for (const id of step.states) swapTopBit(states[id], program.nQubits, step.bit, part, program.parts);
    } else if (step.kind === 'apply') {
      const s = states[step.state], [r0, r1] = rowRange(program, s.rows, part);
      for (let t = step.from; t < step.to; t++) {
        for (let r = r0; r < r1; r++) hostApply(piece(program, s, r, part), ops[t], angleOf(angles[t], r));
        tick();
      }
    } else {
      sweepPart(program, step, part, tick);
    }
    barrier();
  }
}

/**
 * The adjoint sweep on this part, row by row: ops[from, to) (already in sweep order) un-applied to ψ and λ
 * with each wanted op's ⟨λ|dM|ψ⟩ read on the way, one-qubit groups and permutation runs fused (host-sweep.ts).
 */
function sweepPart(program: PartProgram, step: Extract<PartStep, { kind: 'sweep' }>, part: number, tick: () => void): void {
  const { ops, angles, slots, sums } = program;
  const psi = program.states[step.psi], lambda = program.states[step.lambda];
  const [r0, r1] = rowRange(program, lambda.rows, part), nSlots = program.nSlots ?? 0;
  const order = Array.from({ length: step.to - step.from }, (_, i) => step.from + i);
  const wanted = (t: number) => slots !== undefined && slots[t] >= 0 && sums !== undefined;
  for (let r = r0; r < r1; r++) {
    const p = piece(program, psi, r % psi.rows, part), l = piece(program, lambda, r, part);
    const rowAngles = angles.map((a) => angleOf(a, r % psi.rows));
    sweepFused(ops, rowAngles, p, l, order, wanted, (t, _, v) => { (sums as Float64Array)[(part * nSlots + (slots as Int32Array)[t]) * lambda.rows + r] += v; }, tick);
  }
}
