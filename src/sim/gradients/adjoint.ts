/**
 * Adjoint differentiation: one forward run and one backward sweep give the derivatives w.r.t. every
 * angle at once (exact, no shifts). Runs on the plain-JS host kernel: on the wasm backend it is several
 * times faster than the tf engine for this gate-by-gate work (see bench/gradients.ts).
 */
import { Circuit } from '../circuit';
import { isParamRef, ParamRef } from '../params';
import { Observable } from '../observables';
import { HostStates, hostZero } from '../host/host-kernel';
import { anglesForRows, hostRows, hostRun, rowsPerChunk } from '../host/host-run';
import { hostApplyObservables } from '../host/host-measure';
import { adjointSweep } from './adjoint-sweep';
import { AngleDerivative, GradientOptions, GradientRun, Jacobians, chainRule, jacobianTensors, prepareGradientRun } from './jacobians';

/** The final states of a prepared run (B rows). */
export function forwardHost(run: GradientRun): HostStates {
  const s = hostZero(run.circuit.nQubits, run.batch);
  hostRun(s, run.ops, run.angles);
  return s;
}

/**
 * Host Jacobians by adjoint differentiation. Without `dy`: the full Jacobians [batch × nObs × …]
 * (one cotangent per observable). With `dy` [batch × nObs]: the vector-Jacobian product as
 * "Jacobians" with nObs = 1 (one cotangent Σ_o dy·O_o per row, whatever the number of observables).
 * `psi` (the final states) is consumed. Rows are swept in chunks (bounded cotangent memory).
 */
export function adjointHost(run: GradientRun, psi: HostStates, dy?: Float64Array): { weights: Float64Array; inputs: Float64Array } {
  const B = run.batch, nObs = dy ? 1 : run.plan.nObs, W = run.circuit.numWeights, I = run.circuit.numInputs;
  const out = { weights: new Float64Array(B * nObs * W), inputs: new Float64Array(B * nObs * I) };
  const isRef = (t: number) => { const a = run.ops[t].angle; return a !== undefined && isParamRef(a); };
  // Chunks of rows, each swept with its own cotangents.
  const step = rowsPerChunk((1 + nObs) * 2 ** run.circuit.nQubits);
  for (let b0 = 0; b0 < B; b0 += step) {
    const b1 = Math.min(B, b0 + step), R = b1 - b0;
    const rows = hostRows(psi, b0, b1);
    // d⟨ψ|O|ψ⟩ = 2·Re⟨Oψ|dψ⟩: the cotangent is 2·O|ψ⟩.
    const lambda = hostApplyObservables(rows, run.terms, 2, dy?.subarray(b0 * run.plan.nObs, b1 * run.plan.nObs));
    const grads = adjointSweep(run.ops, anglesForRows(run.angles, b0, b1), rows, lambda, isRef);
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

/**
 * Jacobians of ⟨observables⟩ by adjoint differentiation, w.r.t. weights [batch, nObs, numWeights] and
 * inputs [batch, nObs, numInputs]: same arguments and result as `parameterShift` (exact only).
 * The caller owns (and disposes) the returned tensors.
 */
export function adjoint(circuit: Circuit, observables: readonly Observable[], options: GradientOptions = {}): Jacobians {
  const run = prepareGradientRun(circuit, observables, options, 'adjoint');
  const j = adjointHost(run, forwardHost(run));
  return jacobianTensors(j, run.batch, run.plan.nObs, circuit.numWeights, circuit.numInputs);
}

