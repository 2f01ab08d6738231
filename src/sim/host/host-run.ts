/**
 * Running whole op lists on host state batches: forward runs (one-qubit gates fused first, permutation
 * runs as one, a leading product state built directly), and the row views and chunk sizes that let long
 * sweeps work on bounded pieces of a large batch.
 */
import { TermOp } from '../gate-terms';
import { HostAngle, HostStates, hostApply, hostZero } from './host-kernel';
import { infoOf, matricesFor } from './host-terms';
import { fuseSingleQubit } from './host-fusion';
import { BasisMap, composeBasisMap, permutationRun, permuteRows } from './host-permute';

/**
 * Runs ops in order on all rows of `s` (in place); `angles[t]` is op t's angle, per-row values having
 * one entry per row of `s` (or a single shared period). One-qubit gates with shared angles are fused
 * first, runs of basis permutations (a CNOT ring) applied as one; large batches run chunk by chunk of rows.
 */
export function hostRun(s: HostStates, allOps: readonly TermOp[], allAngles: readonly (HostAngle | undefined)[]): void {
  const { ops, angles } = fuseSingleQubit(allOps, allAngles);
  const steps = runSteps(ops, s.nQubits);
  const step = rowsPerChunk(2 ** s.nQubits);
  const aligned = angles.every((a) => !(a instanceof Float64Array) || a.length === s.rows);
  if (step >= s.rows || !aligned) {
    applySteps(s, steps, ops, angles);
    return;
  }
  for (let from = 0; from < s.rows; from += step) {
    const to = Math.min(s.rows, from + step);
    applySteps(hostRows(s, from, to), steps, ops, anglesForRows(angles, from, to));
  }
}

/** A forward run's steps: one op, or a run of basis permutations composed into one map. */
type RunStep = { t: number } | { map: BasisMap };

function runSteps(ops: readonly TermOp[], nQubits: number): RunStep[] {
  const steps: RunStep[] = [], order = ops.map((_, t) => t);
  for (let t = 0; t < ops.length; t++) {
    const k = permutationRun(ops, order, t, nQubits);
    if (k >= 2) { steps.push({ map: composeBasisMap(ops.slice(t, t + k), nQubits) }); t += k - 1; } else steps.push({ t });
  }
  return steps;
}

function applySteps(s: HostStates, steps: readonly RunStep[], ops: readonly TermOp[], angles: readonly (HostAngle | undefined)[]): void {
  for (const st of steps) {
    if ('map' in st) permuteRows(s, st.map, false); else hostApply(s, ops[st.t], angles[st.t]);
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

/**
 * Starts a run from |0…0⟩ in one pass: each wire's one-qubit ops before the first multi-qubit op on that
 * wire (an encoding and a first rotation layer) commute to the front and leave a product state, built
 * per row as ⊗_q M_q|0⟩ (2^n products per row) instead of one pass over the states per op. Returns the
 * states and the ops (with angles) left to run; angles per row have one value per row or a period.
 */
export function productStart(nQubits: number, rows: number, ops: readonly TermOp[], angles: readonly (HostAngle | undefined)[]): { s: HostStates; ops: TermOp[]; angles: (HostAngle | undefined)[] } {
  const open = new Array<boolean>(nQubits).fill(true), prefix: number[][] = Array.from({ length: nQubits }, () => []);
  const restOps: TermOp[] = [], restAngles: (HostAngle | undefined)[] = [];
  ops.forEach((op, t) => {
    if (op.wires.length === 1 && open[op.wires[0]]) { prefix[op.wires[0]].push(t); return; }
    for (const w of op.wires) open[w] = false;
    restOps.push(op);
    restAngles.push(angles[t]);
  });
  const s = hostZero(nQubits, rows);
  if (prefix.every((p) => p.length === 0)) return { s, ops: restOps, angles: restAngles };
  // v[q][4r …]: M_q|0⟩ of row r (re 0, im 0, re 1, im 1).
  const v = prefix.map((ts) => {
    const out = new Float64Array(4 * rows);
    for (let r = 0; r < rows; r++) out[4 * r] = 1;
    for (const t of ts) {
      const { mr, mi, perRow, period } = matricesFor(ops[t], infoOf(ops[t]), angles[t], 'forward');
      for (let r = 0; r < rows; r++) {
        const m = perRow ? (r % period) * 4 : 0, at = 4 * r;
        const ar = out[at], ai = out[at + 1], br = out[at + 2], bi = out[at + 3];
        out[at] = mr[m] * ar - mi[m] * ai + mr[m + 1] * br - mi[m + 1] * bi;
        out[at + 1] = mr[m] * ai + mi[m] * ar + mr[m + 1] * bi + mi[m + 1] * br;
        out[at + 2] = mr[m + 2] * ar - mi[m + 2] * ai + mr[m + 3] * br - mi[m + 3] * bi;
        out[at + 3] = mr[m + 2] * ai + mi[m + 2] * ar + mr[m + 3] * bi + mi[m + 3] * br;
      }
    }
    return out;
  });
  const dim = 2 ** nQubits;
  for (let r = 0; r < rows; r++) {
    const at = r * dim;
    for (let q = 0, size = 1; q < nQubits; q++, size *= 2) {
      const x = v[q], k = 4 * r, v0r = x[k], v0i = x[k + 1], v1r = x[k + 2], v1i = x[k + 3];
      for (let j = at; j < at + size; j++) {
        const ar = s.re[j], ai = s.im[j];
        s.re[j + size] = ar * v1r - ai * v1i; s.im[j + size] = ar * v1i + ai * v1r;
        s.re[j] = ar * v0r - ai * v0i; s.im[j] = ar * v0i + ai * v0r;
      }
    }
  }
  return { s, ops: restOps, angles: restAngles };
}
