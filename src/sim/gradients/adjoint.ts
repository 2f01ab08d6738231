/**
 * Adjoint differentiation: one forward run and one backward sweep give the derivatives w.r.t. every
 * angle at once (exact, no shifts). Runs on the plain-JS host kernel (src/sim/host/host-adjoint.ts): on
 * the wasm backend it is several times faster than the tf engine for this gate-by-gate work (see
 * bench/gradients.ts).
 */
import { Circuit } from '../circuit';
import { Observable } from '../observables';
import { adjointHost, forwardHost } from '../host/host-adjoint';
import { GradientOptions, Jacobians, jacobianTensors, prepareGradientRun } from './jacobians';

export { adjointHost, forwardHost } from '../host/host-adjoint';

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
