/** The vocabulary of execution: executors, the one execution setting, gradient methods, run options. */
import { tf } from '../../backend';
import { Rng } from '../../util/random';
import { Circuit } from '../circuit';
import { Observable } from '../observables';
import { InputsArg, WeightsArg } from '../angles';
import { StateBatch } from '../state';
import { NoiseModel } from '../noise';

/**
 * The ways of running a circuit. 'tf': tf ops on [batch, 2^n] states (tfjs autodiff). 'compiled':
 * encoding prefix × one block unitary as matMuls (small registers). 'host': the plain-JS float64
 * kernel (adjoint sweep, shifted batches). 'density': density matrices through the tf ops (noise).
 * 'superoperator': noisy circuits with data only in rz gates, fixed stretches composed once (device kernels).
 */
export type ExecutorName = 'tf' | 'compiled' | 'host' | 'density' | 'superoperator';
/** Every executor, in the order `explainExecution` considers them. */
export const EXECUTOR_NAMES: readonly ExecutorName[] = ['compiled', 'tf', 'host', 'superoperator', 'density'];

/**
 * The one execution setting: 'auto' (the decision of `explainExecution`), 'gate-by-gate' (auto, but
 * never the compiled block), or one executor by name. Older options map onto it: expval's
 * `method` ('compiled' | 'gate-by-gate'), simulate's `engine` ('tf' | 'host'), differentiableExpval's
 * `compiled: false` (= 'gate-by-gate') and the layers' `simulation`.
 */
export type ExecutorSetting = 'auto' | 'gate-by-gate' | ExecutorName;
/** Accepted values of the execution setting. */
export const EXECUTOR_SETTINGS: readonly ExecutorSetting[] = ['auto', 'gate-by-gate', 'compiled', 'tf', 'host', 'density', 'superoperator'];

/** How gradients are computed. */
export type DiffMethod = 'backprop' | 'parameter-shift' | 'adjoint';
/** Every gradient method. */
export const DIFF_METHOD_NAMES: readonly DiffMethod[] = ['backprop', 'parameter-shift', 'adjoint'];

/**
 * 'tf': tf ops, differentiated by tfjs autodiff. 'host': the plain-JS float64 kernel, differentiated
 * by a custom gradient (the adjoint sweep). 'auto': host from HOST_ENGINE_MIN_QUBITS qubits on, else tf.
 * (An alias of the execution setting: `executor`.)
 */
export type SimEngine = 'auto' | 'tf' | 'host';

/** How `expval` simulates: 'auto' takes the compiled fast path whenever it applies. (Alias of `executor`.) */
export type ExpvalMethod = 'auto' | 'compiled' | 'gate-by-gate';

/** Options of `simulate`: data rows, trainable weights, and an optional initial state. */
export interface SimulateOptions {
  /** [batch, numInputs] data values read by `input(i)` angles. */
  inputs?: InputsArg;
  /** [numWeights] values read by `weight(j)` angles. */
  weights?: WeightsArg;
  /** Initial states [batch or 1, 2^n] (default |0…0⟩). */
  initialState?: StateBatch;
  /** Simulation engine (default 'auto'); see `SimEngine`. Alias of `executor: 'tf' | 'host'`. */
  engine?: SimEngine;
  /** Which executor runs (default 'auto'); see `ExecutorSetting` and `explainExecution`. */
  executor?: ExecutorSetting;
  /** Refuse runs whose states need more bytes than this (default: QKC_MAX_STATE_BYTES, else DEFAULT_MAX_STATE_BYTES). */
  maxStateBytes?: number;
}

/** Options of `expval`: simulation options plus optional finite shots. */
export interface ExpvalOptions extends SimulateOptions {
  /** Number of shots per row (and per measurement basis); exact expectations when omitted. */
  shots?: number;
  /** Seed of the shot sampler (random when omitted). */
  seed?: number;
  /** A seeded sampler stream shared across calls (wins over `seed`): successive calls draw on from it. */
  rng?: Rng;
  /** Noise channels and read-out error: switches to the density-matrix simulator. */
  noise?: NoiseModel;
  /**
   * Whether a gradient w.r.t. `inputs` may be asked for (default true). False lets the compiled path leave
   * out the inputs' gradient node (the pixels of a first layer need none); their gradient is then zero.
   */
  inputGrads?: boolean;
  /**
   * 'auto' (default): the compiled fast path (see `compileCircuit`) when the circuit is an encoding
   * prefix followed by a data-independent block, has at most AUTO_COMPILE_MAX_QUBITS qubits, and no
   * shots, noise or initial state are given; otherwise gate by gate. 'compiled' insists (an error
   * says why it cannot apply); 'gate-by-gate' never compiles. Both paths give the same numbers.
   * Alias of `executor`.
   */
  method?: ExpvalMethod;
}

/** The shot sampler of a run: the given stream, else one seeded by `seed` (random when omitted); none without shots. */
export function shotSampler(options: Pick<ExpvalOptions, 'shots' | 'seed' | 'rng'>): Rng | undefined {
  if (options.shots === undefined) return undefined;
  return options.rng ?? new Rng(options.seed ?? Math.floor(Math.random() * 2 ** 32));
}

/**
 * An expectation function: inputs [batch, numInputs] (null when the circuit reads none: batch 1) and
 * weights [numWeights] give ⟨observables⟩ [batch, nObs], differentiable w.r.t. both.
 */
export type ExpvalFn = (inputs: tf.Tensor2D | null, weights: tf.Tensor1D) => tf.Tensor2D;

/** Options of an executor's gradient function. */
export interface GradientFnOptions {
  /** Whether input gradients are needed (parameter-shift skips the input shifts when false). */
  inputGrads: boolean;
  /** Finite shots per row and basis (parameter-shift on the host only). */
  shots?: number;
  /** The shot sampler's seeded stream. */
  rng?: Rng;
  /** The memory limit the run was checked against (default: maxStateBytes()); the host keeps states only where they fit. */
  maxStateBytes?: number;
  /** Names the caller in errors. */
  fn: string;
}

/**
 * One way of running circuits: a forward run (expectations; states where it has them), differentiable
 * by the executor's own gradient, and where it runs batches, the gradient methods on top of it
 * (parameter-shift runs the circuit's shift plan, adjoint sweeps back).
 */
export interface Executor {
  readonly name: ExecutorName;
  /** Expectations [batch, nObs] of `circuit` (options already checked by the caller's decision). */
  expval(circuit: Circuit, observables: readonly Observable[], options: ExpvalOptions): tf.Tensor2D;
  /** The final states of every row (the caller owns them); absent where the executor has none. */
  states?(circuit: Circuit, options: SimulateOptions, fn: string): StateBatch;
  /** An expectation function differentiated by `method`; absent where the executor has neither. */
  gradient?(circuit: Circuit, observables: readonly Observable[], method: 'parameter-shift' | 'adjoint', options: GradientFnOptions): ExpvalFn;
}
