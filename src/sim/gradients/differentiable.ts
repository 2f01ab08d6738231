/**
 * `differentiableExpval`: the one entry point layers use to get expectations whose gradients reach
 * both the weights and the inputs, computed by the method of the caller's choice. Non-backprop methods
 * plug into tfjs through tf.customGrad, so tf.grad, tf.variableGrads, optimizers and tfjs-layers
 * training work the same with every method.
 */
import { tf } from '../../backend';
import { Rng } from '../../util/random';
import { Circuit } from '../circuit';
import { Observable } from '../observables';
import { AUTO_COMPILE_MAX_QUBITS, expval } from '../measure';
import { canCompile } from '../compiled/compile-split';
import { compiledFor } from '../compiled/compiled';
import { compiledShiftExpval } from '../compiled/compiled-shift';
import { hostMeasure } from '../host/host-measure';
import { hostClone } from '../host/host-kernel';
import { adjointHost, forwardHost } from './adjoint';
import { checkShots, parameterShiftHost } from './parameter-shift';
import { contractJacobians, GradientRun, prepareGradientRun } from './jacobians';

/** How gradients are computed. */
export type DiffMethod = 'backprop' | 'parameter-shift' | 'adjoint';

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
   * shifts (cheaper when the inputs are data) and gives the inputs a zero gradient; backprop and
   * adjoint get input gradients at no extra cost and still return them.
   */
  inputGrads?: boolean;
  /**
   * Whether parameter-shift and adjoint may use the compiled path when the circuit allows it (default
   * true); false keeps them on the host kernel (e.g. to compare the two, or a 'gate-by-gate' layer).
   */
  compiled?: boolean;
}

/**
 * An expectation function: inputs [batch, numInputs] (null when the circuit reads none: batch 1) and
 * weights [numWeights] give ⟨observables⟩ [batch, nObs], differentiable w.r.t. both.
 */
export type ExpvalFn = (inputs: tf.Tensor2D | null, weights: tf.Tensor1D) => tf.Tensor2D;

const METHODS: readonly DiffMethod[] = ['backprop', 'parameter-shift', 'adjoint'];

/**
 * Builds the expectation function of `circuit` and `observables` whose gradients use `diffMethod`.
 * Arguments are checked here once; each call checks its tensors. Stable signature: the QKC layers
 * call it.
 */
export function differentiableExpval(circuit: Circuit, observables: readonly Observable[], options: DifferentiableExpvalOptions): ExpvalFn {
  const fn = 'differentiableExpval';
  if (!(circuit instanceof Circuit)) throw new Error(`${fn}(circuit): expected a Circuit, got ${circuit === null ? 'null' : typeof circuit}`);
  const method = options?.diffMethod;
  if (!METHODS.includes(method)) throw new Error(`${fn}(diffMethod): expected one of ${METHODS.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(method)}`);
  checkShots(options.shots, fn);
  if (options.shots !== undefined && method !== 'parameter-shift') {
    throw new Error(`${fn}(shots): finite shots need diffMethod 'parameter-shift' (${method} differentiates exact expectations), got shots = ${options.shots}`);
  }
  if (options.seed !== undefined && !Number.isFinite(options.seed)) throw new Error(`${fn}(seed): expected a finite number, got ${options.seed}`);
  const inputGrads = options.inputGrads ?? true;
  const obs = [...observables];
  // Checks the observables now, and keeps the lowered ops and parsed observables for every call.
  const template = prepareGradientRun(circuit, obs, { inputs: circuit.numInputs > 0 ? [new Array<number>(circuit.numInputs).fill(0)] : undefined, weights: new Array<number>(circuit.numWeights).fill(0) }, fn);
  const rng = options.shots !== undefined ? new Rng(options.seed ?? Math.floor(Math.random() * 2 ** 32)) : undefined;

  const checkCall = (inputs: tf.Tensor2D | null, weights: tf.Tensor1D) => {
    if (!(weights instanceof tf.Tensor)) throw new Error(`${fn}(weights): expected a tf.Tensor1D of length ${circuit.numWeights}, got ${weights === null ? 'null' : typeof weights}`);
    if (inputs !== null && !(inputs instanceof tf.Tensor)) throw new Error(`${fn}(inputs): expected a tf.Tensor2D [batch, ${circuit.numInputs}] or null, got ${typeof inputs}`);
    if (inputs === null && circuit.numInputs > 0) throw new Error(`${fn}(inputs): the circuit reads ${circuit.numInputs} input value(s) per row; expected [batch, ${circuit.numInputs}], got null`);
  };

  const useCompiled = options.compiled !== false && options.shots === undefined
    && circuit.nQubits <= AUTO_COMPILE_MAX_QUBITS && canCompile(circuit).ok;
  if (useCompiled && method === 'parameter-shift') {
    const run = compiledShiftExpval(circuit, obs, inputGrads);
    return (inputs, weights) => {
      checkCall(inputs, weights);
      return run(inputs, weights);
    };
  }
  if (useCompiled && method === 'adjoint') {
    // The compiled path's customGrad is the adjoint method (after the contraction over rows).
    return (inputs, weights) => {
      checkCall(inputs, weights);
      return compiledFor(circuit, obs).expectations(inputs ?? undefined, weights, fn);
    };
  }

  if (method === 'backprop') {
    return (inputs, weights) => {
      checkCall(inputs, weights);
      return expval(circuit, obs, { inputs: inputs ?? undefined, weights });
    };
  }

  return (inputs, weights) => {
    checkCall(inputs, weights);
    const run: GradientRun = prepareGradientRun(circuit, obs, { inputs: inputs ?? undefined, weights }, fn, template);
    const B = run.batch, nObs = run.plan.nObs, W = circuit.numWeights, I = circuit.numInputs;
    const psi = forwardHost(run);
    const value = hostMeasure(psi, run.plan, options.shots, rng);
    const backward = (dy: tf.Tensor): tf.Tensor[] => {
      const up = Float64Array.from(dy.dataSync());
      let g: { weights: Float64Array; inputs: Float64Array };
      if (method === 'adjoint') {
        // One cotangent per row, Σ_o dy·O_o: the sweep's cost does not grow with the observables.
        const j = adjointHost(run, hostClone(psi), up);
        const gw = new Float64Array(W);
        for (let b = 0; b < B; b++) for (let k = 0; k < W; k++) gw[k] += j.weights[b * W + k];
        g = { weights: gw, inputs: j.inputs };
      } else {
        g = contractJacobians(parameterShiftHost(run, options.shots, rng, inputGrads), up, B, nObs, W, I);
      }
      const gw = tf.tensor1d(Float32Array.from(g.weights));
      if (!inputs) return [gw];
      // Parameter-shift without input shifts has no input gradient; adjoint has it anyway.
      return [gw, inputGrads || method === 'adjoint' ? tf.tensor2d(Float32Array.from(g.inputs), [B, I]) : tf.zerosLike(inputs)];
    };
    const f = tf.customGrad((...xs: unknown[]) => {
      void xs;
      return { value: tf.tensor2d(Float32Array.from(value), [B, nObs]), gradFunc: (dy: tf.Tensor) => backward(dy) };
    });
    return (inputs ? f(weights, inputs) : f(weights)) as tf.Tensor2D;
  };
}
