/**
 * The one place where quantum layers call the simulator. Everything else in src/qkc goes through
 * `runKernel`, so that a change of simulator entry point (differentiableExpval's gradient methods, the
 * compiled fast path, the density-matrix path for noise) is an edit here only.
 */
import { tf } from '../backend';
import { Circuit, DiffMethod, ExpvalFn, ExpvalOptions, Observable, differentiableExpval, expval } from '../sim';

/**
 * How kernels are simulated: 'auto' lets expval take its compiled fast path (encoding prefix × block
 * unitary) when the circuit allows it; 'gate-by-gate' forces the plain path (for parameter-shift and
 * adjoint: the simulator's host kernel).
 */
export type SimulationMethod = 'auto' | 'gate-by-gate';
/** Accepted simulation methods. */
export const SIMULATION_METHODS: readonly SimulationMethod[] = ['auto', 'gate-by-gate'];

/** Noise model as the simulator's expval accepts it. */
export type KernelNoise = NonNullable<ExpvalOptions['noise']>;

/** Options of one kernel run. */
export interface KernelRunOptions {
  diffMethod: DiffMethod;
  shots?: number;
  noise?: KernelNoise;
  simulation: SimulationMethod;
  /** Whether the inputs need gradients (parameter-shift then also shifts the encoding angles). */
  inputGradients: boolean;
}

/** Expectation functions per circuit, reused across calls (building one validates the circuit once). */
const cache = new WeakMap<Circuit, Map<string, ExpvalFn>>();

function expvalFn(circuit: Circuit, observables: readonly Observable[], opts: KernelRunOptions): ExpvalFn {
  const build = (seed?: number) => differentiableExpval(circuit, observables, {
    diffMethod: opts.diffMethod, shots: opts.shots, seed, inputGrads: opts.inputGradients, compiled: opts.simulation !== 'gate-by-gate',
  });
  // Finite shots: a fresh sampler seed per call, drawn from Math.random, which the trainer seeds per step.
  if (opts.shots !== undefined) return build(Math.floor(Math.random() * 2 ** 32));
  const key = `${opts.diffMethod}|${opts.inputGradients}|${opts.simulation}|${JSON.stringify(observables)}`;
  let byKey = cache.get(circuit);
  if (!byKey) cache.set(circuit, (byKey = new Map()));
  let fn = byKey.get(key);
  if (!fn) byKey.set(key, (fn = build()));
  return fn;
}

/** `value` with a gradient that fails with `message` (for runs tfjs cannot differentiate). */
function forwardOnly(value: () => tf.Tensor2D, message: string, inputs: tf.Tensor2D, weights: tf.Tensor1D | null): tf.Tensor2D {
  const f = tf.customGrad((...xs: unknown[]) => {
    void xs;
    return { value: value(), gradFunc: (): tf.Tensor[] => { throw new Error(message); } };
  });
  return (weights ? f(inputs, weights) : f(inputs)) as tf.Tensor2D;
}

/**
 * Expectations [rows, nObs] of `circuit` on every row of `inputs` ([rows, circuit.numInputs]) with one
 * shared weight vector, differentiable w.r.t. both by `opts.diffMethod`. Finite shots need
 * parameter-shift for gradients, and noisy (density-matrix) runs are differentiated by backprop only:
 * other combinations compute the forward pass and fail clearly if a gradient is requested.
 */
export function runKernel(
  circuit: Circuit, observables: readonly Observable[], inputs: tf.Tensor2D, weights: tf.Tensor1D | null, opts: KernelRunOptions,
): tf.Tensor2D {
  if (opts.noise !== undefined) {
    const run = () => expval(circuit, observables, { inputs, weights: weights ?? undefined, noise: opts.noise, shots: opts.shots });
    if (opts.diffMethod === 'backprop' && opts.shots === undefined) return run();
    return forwardOnly(run, `noise: gradients of noisy (density-matrix) runs are available with diffMethod 'backprop' and exact expectations only (got diffMethod '${opts.diffMethod}'${opts.shots !== undefined ? `, shots ${opts.shots}` : ''})`, inputs, weights);
  }
  if (opts.shots !== undefined && opts.diffMethod !== 'parameter-shift') {
    const run = () => expval(circuit, observables, { inputs, weights: weights ?? undefined, shots: opts.shots });
    return forwardOnly(run, `shots: gradients of finite-shot estimates need diffMethod 'parameter-shift' (got '${opts.diffMethod}')`, inputs, weights);
  }
  if (opts.diffMethod === 'backprop' && opts.simulation === 'gate-by-gate') {
    // What differentiableExpval's backprop does, with expval's compiled fast path switched off.
    return expval(circuit, observables, { inputs, weights: weights ?? undefined, method: 'gate-by-gate' } as ExpvalOptions);
  }
  return expvalFn(circuit, observables, opts)(inputs, weights ?? tf.zeros([0]) as tf.Tensor1D);
}
