/**
 * The host kernel on several threads: forward runs and the adjoint sweep of one batch of state vectors
 * in shared memory, split between threads by rows (when the batch divides evenly) or by halves of every
 * row (batch 1 and odd batches: the top qubit splits each state, host-layout.ts moves gates off it).
 * Same kernel, same float64 arithmetic as the single-thread path; the memory is the same states, only
 * allocated as SharedArrayBuffers.
 */
import { TermOp } from '../gate-terms';
import { ParamRef } from '../params';
import { AngleDerivative, chainRule } from '../shift-plan';
import { HostAngle, HostStates } from './host-kernel';
import { fuseSingleQubit } from './host-fusion';
import { anglesForRows, hostRows, rowsPerChunk } from './host-run';
import { hostApplyObservables } from './host-measure';
import { GradientRun } from './host-prepare';
import { wantedOps } from './host-adjoint';
import { planLayout } from './host-layout';
import { PartProgram, PartStep } from './host-part';
import { runOnThreads } from './host-threads';
import { sharedStates, sharedZero } from './host-shared';

export { sharedStates, sharedZero, sharedClone } from './host-shared';

/** Whether `s` lives in shared memory (the parallel runs need it). */
function isShared(s: HostStates): boolean {
  return s.re.buffer instanceof SharedArrayBuffer && s.im.buffer instanceof SharedArrayBuffer;
}

/** Splits by rows when every thread gets the same number, else by halves of every row. */
function modeFor(rows: number, threads: number): PartProgram['mode'] {
  return rows % threads === 0 ? 'rows' : 'halves';
}

/** Steps and physical ops for `ops` on `states`: one step by rows, or the layout plan's steps by halves. */
function stepsFor(ops: readonly TermOp[], nQubits: number, mode: PartProgram['mode'], kind: 'apply' | 'sweep', states: number[], restore: boolean): { steps: PartStep[]; ops: TermOp[] } {
  const run = (from: number, to: number): PartStep => (kind === 'apply' ? { kind, state: states[0], from, to } : { kind, psi: states[0], lambda: states[1], from, to });
  if (mode === 'rows') return { steps: [run(0, ops.length)], ops: [...ops] };
  if (nQubits < 2) throw new Error('parallel host run: splitting by halves needs at least 2 qubits');
  const plan = planLayout(ops, nQubits, { restore });
  return { steps: plan.steps.map((s) => (s.kind === 'ops' ? run(s.from, s.to) : { kind: 'swap', states, bit: s.bit })), ops: plan.ops };
}

/**
 * Runs ops (one-qubit gates with shared angles fused first) on the shared states `s` in place, on
 * `threads` threads; per-row angles have one value per row of `s` or a period (row r uses v[r % len]).
 */
export function hostRunParallel(s: HostStates, allOps: readonly TermOp[], allAngles: readonly (HostAngle | undefined)[], threads: number): void {
  if (!isShared(s)) throw new Error('hostRunParallel(s): expected states in shared memory (sharedStates)');
  const fused = fuseSingleQubit(allOps, allAngles);
  const mode = modeFor(s.rows, threads);
  const { steps, ops } = stepsFor(fused.ops, s.nQubits, mode, 'apply', [0], true);
  runOnThreads({ mode, parts: threads, nQubits: s.nQubits, states: [s], ops, angles: fused.angles, steps });
}

/** The final states of a prepared run (B rows, shared memory), computed on `threads` threads. */
export function forwardParallel(run: GradientRun, threads: number): HostStates {
  const s = sharedZero(run.circuit.nQubits, run.batch);
  hostRunParallel(s, run.ops, run.angles, threads);
  return s;
}

/**
 * adjointSweep (host-adjoint.ts) on `threads` threads: `psi` (final states) and `lambda` (cotangents,
 * one row per ψ row), both shared, are swept back in place over `ops`; returns dL/dθ_t per row for
 * every op with `wanted(t)`. With `restore` (default) both end in their usual layout (ψ initial,
 * λ = U†λ); without, their qubits may end permuted (cheaper when they are thrown away).
 */
export function adjointSweepParallel(
  ops: readonly TermOp[], angles: readonly (HostAngle | undefined)[], psi: HostStates, lambda: HostStates,
  wanted: (t: number) => boolean, threads: number, restore = true,
): (Float64Array | undefined)[] {
  if (!isShared(psi) || !isShared(lambda)) throw new Error('adjointSweepParallel: expected ψ and λ in shared memory (sharedStates)');
  if (lambda.rows !== psi.rows) throw new Error(`adjointSweepParallel(lambda): expected ${psi.rows} rows (one per ψ row), got ${lambda.rows}`);
  const B = psi.rows, n = psi.nQubits;
  // The sweep runs the ops last to first; each wanted parametrised op gets a slot for its inner products.
  const order = ops.map((_, i) => ops.length - 1 - i);
  const slotOf = new Int32Array(ops.length).fill(-1);
  let nSlots = 0;
  const slots = Int32Array.from(order, (t) => (ops[t].angle !== undefined && wanted(t) ? (slotOf[t] = nSlots++) : -1));
  const mode = modeFor(B, threads);
  const plan = stepsFor(order.map((t) => ops[t]), n, mode, 'sweep', [0, 1], restore);
  const sums = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, threads * nSlots * B)));
  runOnThreads({ mode, parts: threads, nQubits: n, states: [psi, lambda], ops: plan.ops, angles: order.map((t) => angles[t]), steps: plan.steps, slots, nSlots, sums });
  return ops.map((_, t) => {
    const slot = slotOf[t];
    if (slot < 0) return undefined;
    const values = new Float64Array(B);
    for (let p = 0; p < threads; p++) for (let r = 0; r < B; r++) values[r] += sums[(p * nSlots + slot) * B + r];
    return values;
  });
}

/**
 * The adjoint vector-Jacobian product on `threads` threads: with dy [B × nObs], Σ_o dy·dE_o/dθ as
 * "Jacobians" with nObs = 1 (as adjointHost with dy). `psi` (the final states, shared) is consumed.
 * Rows are swept in chunks as adjointHost does, so the cotangents take no more memory than there.
 * Without `inputs` the input gradients stay zero (no inner products are read for input angles).
 */
export function adjointParallel(run: GradientRun, psi: HostStates, dy: Float64Array, threads: number, inputs = true): { weights: Float64Array; inputs: Float64Array } {
  const B = run.batch, W = run.circuit.numWeights, I = run.circuit.numInputs, nObs = run.plan.nObs;
  const out = { weights: new Float64Array(B * W), inputs: new Float64Array(B * I) };
  const isRef = wantedOps(run.ops, inputs);
  const step = rowsPerChunk(2 * 2 ** psi.nQubits);
  for (let b0 = 0; b0 < B; b0 += step) {
    const b1 = Math.min(B, b0 + step), rows = hostRows(psi, b0, b1);
    // d⟨ψ|O|ψ⟩ = 2·Re⟨Oψ|dψ⟩: the cotangent is 2·Σ_o dy_o·O_o|ψ⟩, written straight into shared memory.
    const lambda = hostApplyObservables(rows, run.terms, 2, dy.subarray(b0 * nObs, b1 * nObs), sharedStates(psi.nQubits, b1 - b0));
    const grads = adjointSweepParallel(run.ops, anglesForRows(run.angles, b0, b1), rows, lambda, isRef, threads, false);
    const derivs: AngleDerivative[] = [];
    grads.forEach((values, t) => { if (values) derivs.push({ ref: run.ops[t].angle as ParamRef, values }); });
    const j = chainRule(derivs, b1 - b0, 1, W, I);
    out.weights.set(j.weights, b0 * W);
    out.inputs.set(j.inputs, b0 * I);
  }
  return out;
}
