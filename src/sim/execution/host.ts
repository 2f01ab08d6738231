/**
 * The host executor: the plain-JS float64 kernel (src/sim/host). Its forward run is differentiable
 * through the adjoint sweep (a tf.customGrad); it runs batches of shifted copies, so parameter-shift
 * runs the circuit's shift plan here, and adjoint sweeps back one cotangent per row.
 */
import { tf } from '../../backend';
import { Circuit } from '../circuit';
import { Observable } from '../observables';
import { contractJacobians, shiftAccumulator, shiftPlan } from '../shift-plan';
import { hostMeasure } from '../host/host-measure';
import { hostClone } from '../host/host-kernel';
import { adjointHost, forwardHost } from '../host/host-adjoint';
import { GradientRun, prepareGradientRun } from '../host/host-prepare';
import { runShiftPlanHost } from '../host/host-shifted';
import { simulateHost } from '../host/host-simulate';
import { adjointParallel, forwardParallel, sharedClone } from '../host/host-parallel';
import { hostThreads } from './threads';
import { Executor, ExpvalFn, GradientFnOptions } from './types';
import { checkInitialState, expvalFromStates, stateRunArgs } from './tf-statevector';

/**
 * Expectations on the host whose gradient is `method`: adjoint (one cotangent Σ_o dy·O_o per row, so
 * the sweep's cost does not grow with the observables) or parameter-shift (the shift plan run as
 * stacked batches, combined, then contracted with dy). Arguments are checked by the caller.
 */
function hostGradient(circuit: Circuit, observables: readonly Observable[], method: 'parameter-shift' | 'adjoint', options: GradientFnOptions): ExpvalFn {
  const { fn, inputGrads, shots, rng } = options;
  const obs = [...observables];
  const plan = method === 'parameter-shift' ? shiftPlan(circuit, { inputs: inputGrads }) : undefined;
  // Lowered ops and parsed observables of the first call, reused by the later ones.
  let template: GradientRun | undefined;
  return (inputs, weights) => {
    const run: GradientRun = prepareGradientRun(circuit, obs, { inputs: inputs ?? undefined, weights }, fn, template);
    template ??= run;
    const B = run.batch, nObs = run.plan.nObs, W = circuit.numWeights, I = circuit.numInputs;
    const { threads } = hostThreads(circuit, B, method === 'adjoint' ? 'gradient' : method);
    const psi = threads > 1 ? forwardParallel(run, threads) : forwardHost(run);
    const value = hostMeasure(psi, run.plan, shots, rng);
    const backward = (dy: tf.Tensor): tf.Tensor[] => {
      const up = Float64Array.from(dy.dataSync());
      let g: { weights: Float64Array; inputs: Float64Array };
      if (plan) {
        const acc = shiftAccumulator(plan, B, nObs);
        runShiftPlanHost(run, plan, shots, rng, undefined, undefined, acc.add);
        g = contractJacobians(acc.result(), up, B, nObs, W, I);
      } else {
        const j = threads > 1 ? adjointParallel(run, sharedClone(psi), up, threads) : adjointHost(run, hostClone(psi), up);
        const gw = new Float64Array(W);
        for (let b = 0; b < B; b++) for (let k = 0; k < W; k++) gw[k] += j.weights[b * W + k];
        g = { weights: gw, inputs: j.inputs };
      }
      const gw = tf.tensor1d(Float32Array.from(g.weights));
      if (!inputs) return [gw];
      // Parameter-shift without input shifts has no input gradient; adjoint has it anyway.
      return [gw, inputGrads || !plan ? tf.tensor2d(Float32Array.from(g.inputs), [B, I]) : tf.zerosLike(inputs)];
    };
    const f = tf.customGrad((...xs: unknown[]) => {
      void xs;
      return { value: tf.tensor2d(Float32Array.from(value), [B, nObs]), gradFunc: (dy: tf.Tensor) => backward(dy) };
    });
    return (inputs ? f(weights, inputs) : f(weights)) as tf.Tensor2D;
  };
}

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
    return expvalFromStates(hostExecutor, circuit, observables, options);
  },
  gradient: hostGradient,
};
