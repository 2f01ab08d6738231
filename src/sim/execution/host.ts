/**
 * The host executor: the plain-JS float64 kernel (src/sim/host). Exact expectations run chunk by chunk
 * of rows and are read out on the host; their gradient (weights, inputs) is the adjoint sweep, so a
 * forward + gradient holds a constant number of state chunks whatever the batch (see hostAdjointRun).
 * It runs batches of shifted copies, so parameter-shift runs the circuit's shift plan here. States
 * (simulate) and finite-shot estimates go through tensors, differentiated by the same sweep.
 */
import { tf } from '../../backend';
import { Rng } from '../../util/random';
import { Circuit } from '../circuit';
import { Observable } from '../observables';
import { InputsArg, WeightsArg } from '../angles';
import { contractJacobians, shiftAccumulator, shiftPlan } from '../shift-plan';
import { hostMeasure } from '../host/host-measure';
import { HostStates } from '../host/host-kernel';
import { adjointHost, forwardHost } from '../host/host-adjoint';
import { GradientRun, prepareGradientRun, withoutIdleOps } from '../host/host-prepare';
import { anglesForRows } from '../host/host-run';
import { runShiftPlanHost } from '../host/host-shifted';
import { simulateHost } from '../host/host-simulate';
import { adjointParallel, forwardParallel } from '../host/host-parallel';
import { hostThreads } from './threads';
import { gradientRecording } from './tape';
import { Executor, ExpvalFn, ExpvalOptions, GradientFnOptions } from './types';
import { checkInitialState, expvalFromStates, stateRunArgs } from './tf-statevector';
import { hostBatching } from './host-batching';
import { CALL_OVERHEAD_BYTES, maxStateBytes } from './memory';

/** Rows [b0, b1) of a prepared run: the same ops, the angles of those rows. */
function chunkOf(run: GradientRun, b0: number, b1: number): GradientRun {
  return { ...run, batch: b1 - b0, angles: anglesForRows(run.angles, b0, b1) };
}

/**
 * Expectations of a prepared run and, when `differentiable`, the adjoint backward pass of their
 * vector-Jacobian product. Rows run in chunks, and the final states of the first `keptRows` rows are kept
 * for the backward pass, as `hostBatching` decides; the backward pass recomputes the other chunks' states
 * (one more forward run each), so memory stays at the kept states and two chunks (ψ and its cotangent). Finite-shot
 * values with `shots` and `rng` (rows sampled in order, as on the whole batch). Without `inputGrads` the
 * backward pass leaves the input gradients zero and stops its sweep at the first weighted op.
 * `limitBytes` is the run's memory limit (default maxStateBytes()): states are kept only where they fit.
 */
export function hostAdjointRun(full: GradientRun, differentiable: boolean, shots?: number, rng?: Rng, inputGrads = true, limitBytes?: number): { values: Float64Array; backward: (dy: Float64Array) => { weights: Float64Array; inputs: Float64Array } } {
  // Ops a Z read-out cannot see are not run (their angles' gradients are zero).
  const run = withoutIdleOps(full);
  const B = run.batch, nObs = run.plan.nObs, W = run.circuit.numWeights, I = run.circuit.numInputs;
  const { chunkRows: step, keptRows } = hostBatching(run.circuit.nQubits, B, differentiable, maxStateBytes(limitBytes) - CALL_OVERHEAD_BYTES);
  // Two threads split each chunk's states (shared memory) where the measured rule says so.
  const { threads } = hostThreads(run.circuit, B, differentiable ? 'gradient' : 'forward');
  const forward = (sub: GradientRun) => (threads > 1 ? forwardParallel(sub, threads) : forwardHost(sub));
  const kept: (HostStates | undefined)[] = [];
  const values = new Float64Array(B * nObs);
  for (let b0 = 0; b0 < B; b0 += step) {
    const psi = forward(chunkOf(run, b0, Math.min(B, b0 + step)));
    values.set(hostMeasure(psi, run.plan, shots, rng), b0 * nObs);
    kept.push(b0 < keptRows ? psi : undefined);
  }
  const backward = (dy: Float64Array) => {
    const weights = new Float64Array(W), inputs = new Float64Array(B * I);
    for (let b0 = 0, c = 0; b0 < B; b0 += step, c++) {
      const sub = chunkOf(run, b0, Math.min(B, b0 + step));
      // The kept states are consumed by the sweep (it un-computes them in place).
      const psi = kept[c] ?? forward(sub);
      kept[c] = undefined;
      const up = dy.subarray(b0 * nObs, (b0 + sub.batch) * nObs);
      const j = threads > 1 ? adjointParallel(sub, psi, up, threads, inputGrads) : adjointHost(sub, psi, up, inputGrads);
      for (let b = 0; b < sub.batch; b++) for (let k = 0; k < W; k++) weights[k] += j.weights[b * W + k];
      inputs.set(j.inputs, b0 * I);
    }
    return { weights, inputs };
  };
  return { values, backward };
}

/**
 * Exact expectations on the host, differentiable w.r.t. the weights and inputs tensors passed (not
 * copies made from arrays) through the adjoint sweep. `template` reuses a previous run's lowering.
 * With `inputGrads` false the inputs get a zero gradient and the sweep stops at the first weighted op.
 */
function hostExpectations(circuit: Circuit, obs: Observable[], args: { inputs?: InputsArg | null; weights?: WeightsArg; inputGrads?: boolean; maxStateBytes?: number }, fn: string, template?: GradientRun): { out: tf.Tensor2D; run: GradientRun } {
  const { inputs, weights } = args, inputGrads = args.inputGrads ?? true;
  const run = prepareGradientRun(circuit, obs, { inputs: inputs ?? undefined, weights }, fn, template);
  const roles: { role: 'weights' | 'inputs'; t: tf.Tensor }[] = [];
  if (weights instanceof tf.Tensor) roles.push({ role: 'weights', t: weights });
  if (inputs instanceof tf.Tensor) roles.push({ role: 'inputs', t: inputs });
  // Without a recording tape no backward pass can follow: the states are not kept (memory as a forward run).
  const differentiable = roles.length > 0 && gradientRecording();
  const { values, backward } = hostAdjointRun(run, differentiable, undefined, undefined, inputGrads, args.maxStateBytes);
  const shape: [number, number] = [run.batch, run.plan.nObs];
  if (!differentiable) return { out: tf.tensor2d(Float32Array.from(values), shape), run };
  const f = tf.customGrad((...xs: unknown[]) => {
    void xs;
    return {
      value: tf.tensor2d(Float32Array.from(values), shape),
      gradFunc: (dy: tf.Tensor) => {
        const g = backward(Float64Array.from(dy.dataSync()));
        return roles.map(({ role, t }) => (role === 'inputs' && !inputGrads ? tf.zerosLike(t) : tf.tensor(Float32Array.from(role === 'weights' ? g.weights : g.inputs), t.shape)));
      },
    };
  });
  return { out: f(...roles.map((r) => r.t)) as tf.Tensor2D, run };
}

/**
 * Expectations on the host whose gradient is `method`: adjoint (one cotangent Σ_o dy·O_o per row, so
 * the sweep's cost does not grow with the observables) or parameter-shift (the shift plan run as
 * stacked batches, combined, then contracted with dy). Arguments are checked by the caller.
 */
function hostGradient(circuit: Circuit, observables: readonly Observable[], method: 'parameter-shift' | 'adjoint', options: GradientFnOptions): ExpvalFn {
  const { fn, inputGrads, shots, rng, maxStateBytes: limitBytes } = options;
  const obs = [...observables];
  // Lowered ops and parsed observables of the first call, reused by the later ones.
  let template: GradientRun | undefined;
  if (method === 'adjoint') {
    return (inputs, weights) => {
      const { out, run } = hostExpectations(circuit, obs, { inputs, weights, inputGrads, maxStateBytes: limitBytes }, fn, template);
      template ??= run;
      return out;
    };
  }
  const plan = shiftPlan(circuit, { inputs: inputGrads });
  return (inputs, weights) => {
    const run: GradientRun = prepareGradientRun(circuit, obs, { inputs: inputs ?? undefined, weights }, fn, template);
    template ??= run;
    const B = run.batch, nObs = run.plan.nObs, W = circuit.numWeights, I = circuit.numInputs;
    const value = hostAdjointRun(run, false, shots, rng).values; // chunk by chunk: bounded memory
    const backward = (dy: tf.Tensor): tf.Tensor[] => {
      const acc = shiftAccumulator(plan, B, nObs);
      runShiftPlanHost(run, plan, shots, rng, undefined, undefined, acc.add);
      const g = contractJacobians(acc.result(), Float64Array.from(dy.dataSync()), B, nObs, W, I);
      const gw = tf.tensor1d(Float32Array.from(g.weights));
      if (!inputs) return [gw];
      // Without input shifts there is no input gradient.
      return [gw, inputGrads ? tf.tensor2d(Float32Array.from(g.inputs), [B, I]) : tf.zerosLike(inputs)];
    };
    const f = tf.customGrad((...xs: unknown[]) => {
      void xs;
      return { value: tf.tensor2d(Float32Array.from(value), [B, nObs]), gradFunc: (dy: tf.Tensor) => backward(dy) };
    });
    return (inputs ? f(weights, inputs) : f(weights)) as tf.Tensor2D;
  };
}

/** Whether `expval` on the host reads out on the host (exact, from |0…0⟩) rather than through state tensors. */
export function hostReadsOut(options: Pick<ExpvalOptions, 'shots' | 'initialState'>): boolean {
  return options.shots === undefined && options.initialState === undefined;
}

/** Per circuit, the prepared run of its last `expval` on the host (a template: lowering, observables). */
const lastRun = new WeakMap<Circuit, { ops: number; key: string; run: GradientRun }>();

/** The host executor (see the file comment). */
export const hostExecutor: Executor & Required<Pick<Executor, 'states' | 'gradient'>> = {
  name: 'host',
  states(circuit, options, fn) {
    const args = stateRunArgs(circuit, options, fn);
    try {
      if (options.initialState) checkInitialState(circuit, args.batch, options.initialState);
      return simulateHost(circuit, args, options.initialState, hostThreads(circuit, args.batch, 'forward').threads);
    } finally {
      args.owned.forEach((t) => t.dispose());
    }
  },
  expval(circuit, observables, options) {
    if (!hostReadsOut(options)) return expvalFromStates(hostExecutor, circuit, observables, options);
    // The lowering and parsed observables of the circuit's last call are reused (a third of a
    // millisecond per call at 8 qubits): same operation count and the same observables.
    const key = JSON.stringify(observables), last = lastRun.get(circuit);
    const template = last && last.ops === circuit.ops.length && last.key === key ? last.run : undefined;
    const { out, run } = hostExpectations(circuit, [...observables], options, 'expval', template);
    if (!template) lastRun.set(circuit, { ops: circuit.ops.length, key, run });
    return out;
  },
  gradient: hostGradient,
};
