/**
 * `differentiableExpval`: the one entry point layers use to get expectations whose gradients reach
 * both the weights and the inputs, computed by the method of the caller's choice. Non-backprop methods
 * plug into tfjs through tf.customGrad, so tf.grad, tf.variableGrads, optimizers and tfjs-layers
 * training work the same with every method.
 */
import { tf } from '../../backend';
import { Circuit } from '../circuit';
import { Observable } from '../observables';
import { checkObservables } from '../readout';
import { explainExecution, executorSetting } from '../execution/choose';
import { executors } from '../execution/registry';
import { gradientRecording } from '../execution/tape';
import { DiffMethod, DIFF_METHOD_NAMES, ExecutorName, ExecutorSetting, ExpvalFn, shotSampler } from '../execution/types';
import { checkShots } from './parameter-shift';

export type { DiffMethod, ExpvalFn } from '../execution/types';

/** Options of `differentiableExpval`. */
export interface DifferentiableExpvalOptions {
  /**
   * 'backprop': tfjs autodiff through `expval` (on the tf engine; from HOST_ENGINE_MIN_QUBITS qubits
   * `simulate` runs on the host kernel, whose custom gradient is the adjoint sweep).
   * 'parameter-shift': exact shift rules, all shifted circuits of a batch simulated as one batch. When
   * the circuit compiles (see `canCompile`, at most AUTO_COMPILE_MAX_QUBITS qubits) and there are no
   * shots, the shifted circuits are evaluated on the compiled path (see compiled-shift.ts): every
   * weight shift's block unitary against the shared encoded states in a few large matMuls, and the
   * input shifts as re-encoded stacked rows; otherwise on the host kernel.
   * 'adjoint': one forward run and one backward sweep per gradient. On compilable circuits this is the
   * compiled path's own gradient, whose backward contracts over rows (∂L/∂K = Fᵀ·∂L/∂ψ) and then
   * runs the adjoint sweep through the block on the host; otherwise the host kernel's sweep per row.
   */
  diffMethod: DiffMethod;
  /** Finite shots per row and measurement basis (parameter-shift only: its shifted circuits use them too). */
  shots?: number;
  /** Seed of the shot sampler; successive calls continue one seeded stream (random when omitted). */
  seed?: number;
  /**
   * Whether input gradients are needed (default true). With false, parameter-shift skips the input
   * shifts (cheaper when the inputs are data) and gives the inputs a zero gradient; so do backprop and
   * adjoint on the compiled path, whose forward then records no input-gradient node (five tfjs ops
   * fewer), and the host kernel, whose adjoint sweep then stops at the first weighted op.
   */
  inputGrads?: boolean;
  /**
   * Which executor runs (default 'auto': see `explainExecution`); 'gate-by-gate' keeps every method
   * off the compiled block (parameter-shift and adjoint then run on the host kernel).
   */
  executor?: ExecutorSetting;
  /**
   * Alias of `executor: 'gate-by-gate'` when false: whether parameter-shift and adjoint may use the
   * compiled path when the circuit allows it (default true).
   */
  compiled?: boolean;
  /** Refuse calls whose states need more bytes than this (default: QKC_MAX_STATE_BYTES, else 4 GiB or half the memory). */
  maxStateBytes?: number;
}

/**
 * Builds the expectation function of `circuit` and `observables` whose gradients use `diffMethod`.
 * Arguments are checked here once; each call checks its tensors. Stable signature: the QKC layers
 * call it.
 */
export function differentiableExpval(circuit: Circuit, observables: readonly Observable[], options: DifferentiableExpvalOptions): ExpvalFn {
  const fn = 'differentiableExpval';
  if (!(circuit instanceof Circuit)) throw new Error(`${fn}(circuit): expected a Circuit, got ${circuit === null ? 'null' : typeof circuit}`);
  const method = options?.diffMethod;
  if (!DIFF_METHOD_NAMES.includes(method)) throw new Error(`${fn}(diffMethod): expected one of ${DIFF_METHOD_NAMES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(method)}`);
  checkShots(options.shots, fn);
  if (options.shots !== undefined && method !== 'parameter-shift') {
    throw new Error(`${fn}(shots): finite shots need diffMethod 'parameter-shift' (${method} differentiates exact expectations), got shots = ${options.shots}`);
  }
  if (options.seed !== undefined && !Number.isFinite(options.seed)) throw new Error(`${fn}(seed): expected a finite number, got ${options.seed}`);
  const inputGrads = options.inputGrads ?? true;
  const obs = [...observables];
  const setting = executorSetting({ executor: options.executor, compiled: options.compiled }, fn);
  // The decision first (a register too large even for one row is refused up front), then the
  // observables are checked once, before any call, without building their 2^n read-out.
  explainExecution({ circuit, batch: 1, shots: options.shots, diffMethod: method, executor: setting, maxStateBytes: options.maxStateBytes, fn });
  checkObservables(obs, circuit.nQubits, `${fn}(observables)`);
  const rng = shotSampler(options);

  const checkCall = (inputs: tf.Tensor2D | null, weights: tf.Tensor1D) => {
    if (!(weights instanceof tf.Tensor)) throw new Error(`${fn}(weights): expected a tf.Tensor1D of length ${circuit.numWeights}, got ${weights === null ? 'null' : typeof weights}`);
    if (inputs !== null && !(inputs instanceof tf.Tensor)) throw new Error(`${fn}(inputs): expected a tf.Tensor2D [batch, ${circuit.numInputs}] or null, got ${typeof inputs}`);
    if (inputs === null && circuit.numInputs > 0) throw new Error(`${fn}(inputs): the circuit reads ${circuit.numInputs} input value(s) per row; expected [batch, ${circuit.numInputs}], got null`);
  };

  // Each call asks the decision (the batch is known only now); the gradient functions built per executor are kept.
  const built = new Map<ExecutorName, ExpvalFn>();
  return (inputs, weights) => {
    checkCall(inputs, weights);
    // Outside a recording tape (predict, evaluation) the call is a forward run and is counted as one.
    const choice = explainExecution({
      circuit, batch: inputs ? inputs.shape[0] : 1, shots: options.shots, diffMethod: method, executor: setting,
      maxStateBytes: options.maxStateBytes, forwardOnly: !gradientRecording(), fn,
    });
    const executor = executors[choice.executor];
    if (method === 'backprop') return executor.expval(circuit, obs, { inputs: inputs ?? undefined, weights, executor: choice.executor, inputGrads, maxStateBytes: options.maxStateBytes });
    let run = built.get(choice.executor);
    if (!run) {
      if (!executor.gradient) throw new Error(`${fn}: the ${choice.executor} executor has no ${method} gradient`);
      built.set(choice.executor, (run = executor.gradient(circuit, obs, method, { inputGrads, shots: options.shots, rng, maxStateBytes: options.maxStateBytes, fn })));
    }
    return run(inputs, weights);
  };
}
