/**
 * What the gradient methods share: checked host-side run arguments, and the chain rule that turns
 * derivatives w.r.t. individual gate angles into Jacobians w.r.t. weights and inputs (a weight used by
 * several gates sums its occurrences, each times its scale; inputs likewise, per row).
 */
import { tf } from '../../backend';
import { Circuit } from '../circuit';
import { InputsArg, WeightsArg, HostArgs, prepareArgs, toHostArgs, hostAngle } from '../angles';
import { lowerCircuit, TermOp } from '../gate-terms';
import { HostAngle } from '../host/host-kernel';
import { ParamRef } from '../params';
import { Observable, PauliTerm, parseObservable } from '../observables';
import { MeasurementPlan, planMeasurement } from '../readout';

/** Arguments of `parameterShift` and `adjoint`: the same as `expval`'s. */
export interface GradientOptions {
  /** [batch, numInputs] data rows read by `input(i)` angles (omit when the circuit reads none: batch 1). */
  inputs?: InputsArg;
  /** [numWeights] trainable values read by `weight(j)` angles. */
  weights?: WeightsArg;
}

/** Jacobians of the expectations: d⟨O_o⟩_b/dw_j [batch, nObs, numWeights] and d⟨O_o⟩_b/dx_{b,i} [batch, nObs, numInputs]. */
export interface Jacobians { weights: tf.Tensor3D; inputs: tf.Tensor3D }

/** A checked gradient run on the host: lowered ops, their resolved angles, and the parsed observables. */
export interface GradientRun {
  circuit: Circuit;
  ops: TermOp[];
  angles: (HostAngle | undefined)[];
  host: HostArgs;
  batch: number;
  plan: MeasurementPlan;
  terms: PauliTerm[][];
}

/**
 * Validates a circuit, observables and run arguments (errors name `fn`), and downloads them once.
 * `reuse` (a previous run of the same circuit and observables) skips lowering and parsing again.
 */
export function prepareGradientRun(circuit: Circuit, observables: readonly Observable[], opts: GradientOptions, fn: string, reuse?: GradientRun): GradientRun {
  if (!(circuit instanceof Circuit)) throw new Error(`${fn}(circuit): expected a Circuit, got ${circuit === null ? 'null' : typeof circuit}`);
  const plan = reuse?.plan ?? planMeasurement(observables, circuit.nQubits, `${fn}(observables)`);
  const terms = reuse?.terms ?? observables.map((o, i) => parseObservable(o, circuit.nQubits, `${fn}(observables)[${i}]`));
  const args = prepareArgs(circuit.numInputs, circuit.numWeights, opts ?? {}, fn);
  try {
    const host = toHostArgs(args);
    const ops = reuse?.ops ?? lowerCircuit(circuit.ops);
    const angles = ops.map((op) => (op.angle === undefined ? undefined : hostAngle(op.angle, host)));
    return { circuit, ops, angles, host, batch: args.batch, plan, terms };
  } finally {
    args.owned.forEach((t) => t.dispose());
  }
}

/** Derivatives [batch × nObs] (row-major) w.r.t. one angle, and the parameter that angle reads. */
export interface AngleDerivative { ref: ParamRef; values: Float64Array }

/**
 * The chain rule: Σ over angles of scale·d/dθ, into host Jacobians [batch × nObs × numWeights] and
 * [batch × nObs × numInputs] (row-major).
 */
export function chainRule(derivs: readonly AngleDerivative[], batch: number, nObs: number, numWeights: number, numInputs: number): { weights: Float64Array; inputs: Float64Array } {
  const weights = new Float64Array(batch * nObs * numWeights), inputs = new Float64Array(batch * nObs * numInputs);
  for (const { ref, values } of derivs) {
    const [out, width] = ref.kind === 'weight' ? [weights, numWeights] : [inputs, numInputs];
    for (let r = 0; r < batch * nObs; r++) out[r * width + ref.index] += ref.scale * values[r];
  }
  return { weights, inputs };
}

/** Host Jacobians as float32 tensors. */
export function jacobianTensors(j: { weights: Float64Array; inputs: Float64Array }, batch: number, nObs: number, numWeights: number, numInputs: number): Jacobians {
  return {
    weights: tf.tensor3d(Float32Array.from(j.weights), [batch, nObs, numWeights]),
    inputs: tf.tensor3d(Float32Array.from(j.inputs), [batch, nObs, numInputs]),
  };
}

/**
 * A vector-Jacobian product from host Jacobians: with upstream dy [batch × nObs], the gradients
 * Σ_{b,o} dy·dE/dw [numWeights] and Σ_o dy·dE/dx [batch × numInputs].
 */
export function contractJacobians(j: { weights: Float64Array; inputs: Float64Array }, dy: ArrayLike<number>, batch: number, nObs: number, numWeights: number, numInputs: number): { weights: Float64Array; inputs: Float64Array } {
  const gw = new Float64Array(numWeights), gx = new Float64Array(batch * numInputs);
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < nObs; o++) {
      const g = dy[b * nObs + o], r = b * nObs + o;
      if (g === 0) continue;
      for (let k = 0; k < numWeights; k++) gw[k] += g * j.weights[r * numWeights + k];
      for (let i = 0; i < numInputs; i++) gx[b * numInputs + i] += g * j.inputs[r * numInputs + i];
    }
  }
  return { weights: gw, inputs: gx };
}
