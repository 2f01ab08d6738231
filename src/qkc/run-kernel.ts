/**
 * The one place where quantum layers call the simulator. Everything else in src/qkc goes through
 * `runKernel`, which asks the simulator's execution decision (`explainExecution`) what runs — the
 * compiled fast path, the tf or host state vector, the density-matrix path for noise — and whether
 * the gradient method can differentiate it.
 */
import { tf } from '../backend';
import {
  Circuit, CompiledCircuit, DiffMethod, ExecutionChoice, ExpvalFn, ExpvalOptions, FusedParts, Observable, WeightGrad, compiledFor, compiledWeightShiftGrad,
  differentiableExpval, expval, explainExecution, shiftPlan,
} from '../sim';

/**
 * How kernels are simulated: 'auto' lets the execution decision take the compiled fast path (encoding
 * prefix × block unitary) when the circuit allows it; 'gate-by-gate' never compiles (for
 * parameter-shift and adjoint: the simulator's host kernel). The simulator's execution setting
 * (`executor`) restricted to these two values.
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
    diffMethod: opts.diffMethod, shots: opts.shots, seed, inputGrads: opts.inputGradients, executor: opts.simulation,
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

/** What runs for a kernel call of `rows` rows with these options, and why (refuses what would not fit in memory). */
export function explainKernel(circuit: Circuit, rows: number, opts: Omit<KernelRunOptions, 'inputGradients'>): ExecutionChoice {
  return explainExecution({
    circuit, batch: rows, shots: opts.shots, noise: opts.noise, diffMethod: opts.diffMethod, executor: opts.simulation, fn: 'runKernel',
  });
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
  const choice = explainKernel(circuit, inputs.shape[0], opts);
  if (choice.executor === 'density' || choice.gradientBlocker) {
    const run = () => expval(circuit, observables, { inputs, weights: weights ?? undefined, noise: opts.noise, shots: opts.shots, executor: opts.simulation } as ExpvalOptions);
    return choice.gradientBlocker ? forwardOnly(run, choice.gradientBlocker, inputs, weights) : run();
  }
  return expvalFn(circuit, observables, opts)(inputs, weights ?? tf.zeros([0]) as tf.Tensor1D);
}

/** Whether `fusedKernel` may answer (benches and tests turn it off to compare with the op-by-op path). */
let fusedEnabled = true;

/** Turns the fused row path on or off (default on); returns the previous setting. */
export function setFusedKernels(on: boolean): boolean {
  const was = fusedEnabled;
  fusedEnabled = on;
  return was;
}

/** Parameter-shift weight gradients per compiled circuit (collected with it when `compiledFor`'s cache lets it go). */
const shiftGrads = new WeakMap<CompiledCircuit, WeightGrad>();

/**
 * The fused path's constants from the compiled circuit `expval` uses (`compiledFor`'s bounded cache, so nothing is
 * kept per layer); with `shift`, the parameter-shift weight gradient as the compiled executor takes it (no input shifts).
 */
function fusedPartsFor(circuit: Circuit, observables: readonly Observable[], shift: boolean): FusedParts | undefined {
  const compiled = compiledFor(circuit, observables), parts = compiled.fusedParts();
  if (!parts || !shift) return parts;
  let weightGrad = shiftGrads.get(compiled);
  if (!weightGrad) shiftGrads.set(compiled, (weightGrad = compiledWeightShiftGrad(compiled, shiftPlan(circuit, { inputs: false }))));
  return { ...parts, weightGrad };
}

/** The last eligibility decision of `fusedKernel` per circuit and the settings it was made for (it is asked every call). */
const fusedMemo = new WeakMap<Circuit, { key: unknown[]; eligible: boolean }>();

/**
 * The compiled circuit's constants when a kernel call of `rows` rows with these options can run as one fused
 * node (src/sim/compiled/fused-rows.ts: same kernels, same bits, no per-op tfjs work), else undefined: it needs
 * the wasm backend, exact expectations without noise, no input gradients, the compiled executor, and features
 * that are one trig pass. Backprop and adjoint are the adjoint sweep there, parameter-shift its weight shifts.
 */
export function fusedKernel(circuit: Circuit, observables: readonly Observable[], rows: number, opts: KernelRunOptions): FusedParts | undefined {
  const key = [fusedEnabled, tf.getBackend(), opts.diffMethod, opts.shots, opts.noise, opts.simulation, opts.inputGradients, rows, observables, circuit.ops.length];
  let memo = fusedMemo.get(circuit);
  if (!memo || !memo.key.every((v, i) => v === key[i])) {
    const plain = fusedEnabled && tf.getBackend() === 'wasm' && !opts.inputGradients && opts.shots === undefined && opts.noise === undefined;
    const choice = plain ? explainKernel(circuit, rows, opts) : undefined;
    memo = { key, eligible: choice !== undefined && choice.executor === 'compiled' && !choice.gradientBlocker };
    fusedMemo.set(circuit, memo);
  }
  return memo.eligible ? fusedPartsFor(circuit, observables, opts.diffMethod === 'parameter-shift') : undefined;
}
