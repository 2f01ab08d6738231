/**
 * What the gradient methods share: Jacobians as tensors and vector-Jacobian products of host Jacobians.
 * The checked host run (`prepareGradientRun`) and the chain rule live below, in host/host-prepare.ts and
 * shift-plan.ts, and are re-exported here for the gradient methods' callers.
 */
import { tf } from '../../backend';

export { prepareGradientRun } from '../host/host-prepare';
export type { GradientOptions, GradientRun } from '../host/host-prepare';
export { chainRule, contractJacobians } from '../shift-plan';
export type { AngleDerivative } from '../shift-plan';

/** Jacobians of the expectations: d⟨O_o⟩_b/dw_j [batch, nObs, numWeights] and d⟨O_o⟩_b/dx_{b,i} [batch, nObs, numInputs]. */
export interface Jacobians { weights: tf.Tensor3D; inputs: tf.Tensor3D }

/** Host Jacobians as float32 tensors. */
export function jacobianTensors(j: { weights: Float64Array; inputs: Float64Array }, batch: number, nObs: number, numWeights: number, numInputs: number): Jacobians {
  return {
    weights: tf.tensor3d(Float32Array.from(j.weights), [batch, nObs, numWeights]),
    inputs: tf.tensor3d(Float32Array.from(j.inputs), [batch, nObs, numInputs]),
  };
}
