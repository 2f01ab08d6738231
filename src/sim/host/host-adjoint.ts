/**
 * The backward sweep of adjoint differentiation (Jones & Gacon, 2020) on host state batches: one pass
 * from the last op to the first that un-computes the state with M†, reads each parametrised op's
 * derivative as an inner product with the cotangent, and carries the cotangent back with M†.
 * Memory is two (plus the cotangents') state batches, whatever the circuit depth. Also the host
 * executor's adjoint Jacobians (`adjointHost`) built on it.
 */
import { TermOp } from '../gate-terms';
import { isParamRef, ParamRef } from '../params';
import { AngleDerivative, chainRule } from '../shift-plan';
import { HostAngle, HostStates, hostApply, hostInner } from './host-kernel';
import { anglesForRows, hostRows, hostRun, productStart, rowsPerChunk } from './host-run';
import { hostApplyObservables } from './host-measure';
import { GradientRun } from './host-prepare';
import { sweepFused } from './host-sweep';

/**
 * Sweeps back over `ops`. On entry `psi` holds the final states (B rows) and `lambda` the cotangents
 * (k·B rows; row r pairs with ψ row r mod B), e.g. 2·O|ψ⟩ for ⟨O⟩ or ∂L/∂re + i·∂L/∂im for a loss L of
 * the state. Both are updated in place: on exit `psi` holds the initial states and `lambda` holds U†λ,
 * the cotangent of the initial states. Returns, for every op t with `wanted(t)`, the per-λ-row
 * derivatives dL/dθ_t = Re⟨λ_t| dM_t/dθ |ψ_{t−1}⟩ (undefined for the others). With `from` > 0 the sweep
 * stops before op `from − 1` (ψ and λ are then un-computed only down to there): nothing below is wanted.
 */
export function adjointSweep(
  ops: readonly TermOp[], angles: readonly (HostAngle | undefined)[], psi: HostStates, lambda: HostStates,
  wanted: (t: number) => boolean, from = 0,
): (Float64Array | undefined)[] {
  if (lambda.rows % psi.rows !== 0) throw new Error(`adjointSweep(lambda): expected a multiple of ${psi.rows} rows, got ${lambda.rows}`);
  const grads: (Float64Array | undefined)[] = new Array(ops.length).fill(undefined);
  if (lambda.rows === psi.rows) {
    // One cotangent per row: one-qubit ops are swept in fused groups (host-sweep.ts).
    const order = Array.from({ length: ops.length - from }, (_, i) => ops.length - 1 - i);
    sweepFused(ops, angles, psi, lambda, order, wanted, (t, r, v) => { (grads[t] ??= new Float64Array(lambda.rows))[r] = v; });
    return grads;
  }
  for (let t = ops.length - 1; t >= from; t--) {
    const op = ops[t], angle = angles[t];
    hostApply(psi, op, angle, 'inverse');
    if (op.angle !== undefined && wanted(t)) grads[t] = hostInner(lambda, psi, op, angle, 'derivative');
    hostApply(lambda, op, angle, 'inverse');
  }
  return grads;
}

/** The final states of a prepared run (B rows). */
export function forwardHost(run: GradientRun): HostStates {
  const { s, ops, angles } = productStart(run.circuit.nQubits, run.batch, run.ops, run.angles);
  hostRun(s, ops, angles);
  return s;
}

/**
 * Host Jacobians by adjoint differentiation. Without `dy`: the full Jacobians [batch × nObs × …]
 * (one cotangent per observable). With `dy` [batch × nObs]: the vector-Jacobian product as
 * "Jacobians" with nObs = 1 (one cotangent Σ_o dy·O_o per row, whatever the number of observables).
 * `psi` (the final states) is consumed. Rows are swept in chunks (bounded cotangent memory). Without
 * `inputs` the input Jacobians are left zero and the sweep stops at the first weighted op.
 */
export function adjointHost(run: GradientRun, psi: HostStates, dy?: Float64Array, inputs = true): { weights: Float64Array; inputs: Float64Array } {
  const B = run.batch, nObs = dy ? 1 : run.plan.nObs, W = run.circuit.numWeights, I = run.circuit.numInputs;
  const out = { weights: new Float64Array(B * nObs * W), inputs: new Float64Array(B * nObs * I) };
  const wanted = wantedOps(run.ops, inputs);
  const first = run.ops.findIndex((_, t) => wanted(t)), from = inputs ? 0 : first < 0 ? run.ops.length : first;
  // Chunks of rows, each swept with its own cotangents.
  const step = rowsPerChunk((1 + nObs) * 2 ** run.circuit.nQubits);
  for (let b0 = 0; b0 < B; b0 += step) {
    const b1 = Math.min(B, b0 + step), R = b1 - b0;
    const rows = hostRows(psi, b0, b1);
    // d⟨ψ|O|ψ⟩ = 2·Re⟨Oψ|dψ⟩: the cotangent is 2·O|ψ⟩.
    const lambda = hostApplyObservables(rows, run.terms, 2, dy?.subarray(b0 * run.plan.nObs, b1 * run.plan.nObs));
    const grads = adjointSweep(run.ops, anglesForRows(run.angles, b0, b1), rows, lambda, wanted, from);
    const derivs: AngleDerivative[] = [];
    grads.forEach((g, t) => {
      if (!g) return;
      // λ rows are o·R + b; Jacobian rows are b·nObs + o.
      const values = new Float64Array(R * nObs);
      for (let o = 0; o < nObs; o++) for (let b = 0; b < R; b++) values[b * nObs + o] = g[o * R + b];
      derivs.push({ ref: run.ops[t].angle as ParamRef, values });
    });
    const j = chainRule(derivs, R, nObs, W, I);
    out.weights.set(j.weights, b0 * nObs * W);
    out.inputs.set(j.inputs, b0 * nObs * I);
  }
  return out;
}

/** Which ops' derivatives an adjoint run reads: every op with a weight or input angle (weights only without `inputs`). */
export function wantedOps(ops: readonly TermOp[], inputs: boolean): (t: number) => boolean {
  return (t) => {
    const a = ops[t].angle;
    return a !== undefined && isParamRef(a) && (inputs || a.kind === 'weight');
  };
}
