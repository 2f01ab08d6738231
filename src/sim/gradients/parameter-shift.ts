/**
 * Parameter-shift differentiation: every angle occurrence's derivative is an exact combination of
 * expectations at shifted angles (two terms for gates whose generator has two eigenvalues, four for
 * the controlled rotations, whose generator has three). The transform itself (the shift plan and its
 * combine step) is src/sim/shift-plan.ts; here it runs on the host executor, where all shifted
 * circuits of a batch are stacked into the batch axis and simulated together (see `runShifted`), so
 * the cost grows with the number of shifts but carries no per-circuit overhead.
 */
import { Rng } from '../../util/random';
import { Circuit } from '../circuit';
import { Observable } from '../observables';
import { shiftPlan, shiftAccumulator } from '../shift-plan';
import { runShiftPlanHost, MAX_SHIFT_BATCH_AMPLITUDES } from '../host/host-shifted';
import { CHUNK_AMPLITUDES } from '../host/host-run';
import { shotSampler } from '../execution/types';
import { GradientOptions, GradientRun, Jacobians, jacobianTensors, prepareGradientRun } from './jacobians';

export { SHIFT_RULES, shiftPlan, combineShifts, shiftAccumulator } from '../shift-plan';
export type { ShiftPlan, ShiftedSet, ShiftOccurrence } from '../shift-plan';
export { MAX_SHIFT_BATCH_AMPLITUDES } from '../host/host-shifted';

/** Options of `parameterShift`: run arguments, and optional finite shots for every shifted circuit. */
export interface ParameterShiftOptions extends GradientOptions {
  /** Shots per shifted circuit (and row and measurement basis); exact expectations when omitted. */
  shots?: number;
  /** Seed of the shot sampler (random when omitted). */
  seed?: number;
}

/**
 * Host Jacobians [batch × nObs × numWeights] and [batch × nObs × numInputs] by parameter shift on a
 * prepared run: the circuit's shift plan (inputs skipped, zero Jacobian, when `includeInputs` is
 * false), run on the host executor (see `runShiftPlanHost` for the chunking by `maxAmplitudes` and
 * `chunkAmplitudes`), then combined.
 */
export function parameterShiftHost(
  run: GradientRun, shots?: number, rng?: Rng, includeInputs = true,
  maxAmplitudes = MAX_SHIFT_BATCH_AMPLITUDES, chunkAmplitudes = CHUNK_AMPLITUDES,
): { weights: Float64Array; inputs: Float64Array } {
  const plan = shiftPlan(run.circuit, { inputs: includeInputs });
  const acc = shiftAccumulator(plan, run.batch, run.plan.nObs);
  runShiftPlanHost(run, plan, shots, rng, maxAmplitudes, chunkAmplitudes, acc.add);
  return acc.result();
}

/** Checks a shot count (undefined means exact). */
export function checkShots(shots: number | undefined, fn: string): void {
  if (shots !== undefined && (!Number.isInteger(shots) || shots < 1)) throw new Error(`${fn}(shots): expected a positive integer, got ${shots}`);
}

/**
 * Jacobians of ⟨observables⟩ by the parameter-shift rule, w.r.t. weights [batch, nObs, numWeights]
 * and inputs [batch, nObs, numInputs], with the rule each gate's angle needs and the chain rule over
 * each occurrence's scale. With `shots`, every shifted circuit is estimated from that many shots.
 * The caller owns (and disposes) the returned tensors.
 */
export function parameterShift(circuit: Circuit, observables: readonly Observable[], options: ParameterShiftOptions = {}): Jacobians {
  checkShots(options.shots, 'parameterShift');
  const run = prepareGradientRun(circuit, observables, options, 'parameterShift');
  const rng = shotSampler(options);
  const j = parameterShiftHost(run, options.shots, rng);
  return jacobianTensors(j, run.batch, run.plan.nObs, circuit.numWeights, circuit.numInputs);
}
