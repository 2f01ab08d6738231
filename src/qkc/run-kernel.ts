/**
 * The one place where quantum layers call the simulator. Everything else in src/qkc goes through
 * `runKernel`, so that switching simulator entry points (gate-by-gate expval today; the compiled fast
 * path and differentiableExpval's gradient methods as they land in src/sim) is an edit here only.
 */
import { tf } from '../backend';
import { Circuit, Observable, expval, ExpvalOptions } from '../sim';
import { DiffMethod } from './cost';

/** How kernels are simulated: 'auto' lets the simulator pick its compiled fast path; 'gate-by-gate' forces the plain one. */
export type SimulationMethod = 'auto' | 'gate-by-gate';
/** Accepted simulation methods. */
export const SIMULATION_METHODS: readonly SimulationMethod[] = ['auto', 'gate-by-gate'];

/** Noise model as the simulator's expval accepts it. */
export type KernelNoise = NonNullable<ExpvalOptions extends { noise?: infer N } ? N : never>;

/** Options of one kernel run. */
export interface KernelRunOptions {
  diffMethod: DiffMethod;
  shots?: number;
  noise?: KernelNoise;
  simulation: SimulationMethod;
}

/**
 * Expectations [rows, nObs] of `circuit` on every row of `inputs` ([rows, circuit.numInputs]) with one
 * shared weight vector; differentiable w.r.t. both (exact runs) with `opts.diffMethod`.
 */
export function runKernel(
  circuit: Circuit, observables: readonly Observable[], inputs: tf.Tensor2D, weights: tf.Tensor1D | null, opts: KernelRunOptions,
): tf.Tensor2D {
  const args = { inputs, weights: weights ?? undefined, noise: opts.noise } as ExpvalOptions;
  if (opts.shots === undefined) return expval(circuit, observables, args);
  // Finite-shot estimates are sampled, so tfjs cannot differentiate them; until the simulator's
  // parameter-shift entry point lands, a gradient request fails loudly instead of coming back as zero.
  const sampled = tf.customGrad((...xs: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: expval(circuit, observables, { ...args, inputs: xs[0] as tf.Tensor2D, shots: opts.shots }),
    gradFunc: (): tf.Tensor[] => {
      throw new Error(`shots: gradients of finite-shot estimates need diffMethod 'parameter-shift' from src/sim/differentiable.ts, which is not available yet (diffMethod is '${opts.diffMethod}')`);
    },
  }));
  return (weights ? sampled(inputs, weights) : sampled(inputs)) as tf.Tensor2D;
}
