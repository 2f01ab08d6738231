/**
 * Batched state-vector simulation: every operation acts on all rows of a [batch, 2^n] state at once.
 * Two engines: tf ops (tfjs differentiates through them, w.r.t. weights and inputs) for small
 * registers, and the plain-JS host kernel for large ones (differentiable through its adjoint sweep).
 */
import { tf } from '../backend';
import { Circuit } from './circuit';
import { InputsArg, WeightsArg, RunArgs, prepareArgs, resolveAngle } from './angles';
import { lowerCircuit, TermOp } from './gate-terms';
import { Amplitudes, applyTermOp } from './apply';
import { StateBatch, zeroState } from './state';
import { simulateHost } from './host/host-simulate';

/** Options of `simulate`: data rows, trainable weights, and an optional initial state. */
export interface SimulateOptions {
  /** [batch, numInputs] data values read by `input(i)` angles. */
  inputs?: InputsArg;
  /** [numWeights] values read by `weight(j)` angles. */
  weights?: WeightsArg;
  /** Initial states [batch or 1, 2^n] (default |0…0⟩). */
  initialState?: StateBatch;
  /** Simulation engine (default 'auto'); see `SimEngine`. */
  engine?: SimEngine;
}

/**
 * 'tf': tf ops, differentiated by tfjs autodiff. 'host': the plain-JS float64 kernel, differentiated
 * by a custom gradient (the adjoint sweep). 'auto': host from HOST_ENGINE_MIN_QUBITS qubits on, else tf.
 */
export type SimEngine = 'auto' | 'tf' | 'host';

/**
 * From this many qubits 'auto' simulates on the host kernel. On wasm the host kernel was faster at
 * every size measured (2–40×, bench/large-state.ts), and from ~12 qubits the tf engine's per-gate
 * transposes of the whole state (and its autodiff tape of one state per gate) make it impractical
 * (a 20-qubit, 200-gate circuit: ~30 s against ~1 s). Below, 'auto' keeps the tf engine so that
 * backprop stays plain tfjs autodiff (higher-order gradients, tfjs-node's native kernels when
 * installed); engine: 'host' takes the faster path there too.
 */
export const HOST_ENGINE_MIN_QUBITS = 12;

/** The engine a run uses: checks the option's value and resolves 'auto'. */
export function chooseEngine(engine: SimEngine | undefined, nQubits: number, fn = 'simulate'): 'tf' | 'host' {
  const e = engine ?? 'auto';
  if (e !== 'auto' && e !== 'tf' && e !== 'host') throw new Error(`${fn}(engine): expected 'auto', 'tf' or 'host', got '${String(e)}'`);
  return e === 'auto' ? (nQubits >= HOST_ENGINE_MIN_QUBITS ? 'host' : 'tf') : e;
}

/** Runs the term-form operations on `x` with already-checked arguments (used by the gradient methods too). */
export function runTermOps(x: Amplitudes, ops: readonly TermOp[], args: RunArgs, n: number): Amplitudes {
  let cur = x;
  for (const op of ops) {
    const [re, im] = tf.tidy(() => {
      const y = applyTermOp(cur, op, op.angle === undefined ? undefined : resolveAngle(op.angle, args), n);
      return [y.re, y.im];
    }) as [tf.Tensor2D, tf.Tensor2D];
    const next = { re, im };
    if (cur !== x) { cur.re.dispose(); cur.im.dispose(); }
    cur = next;
  }
  return cur === x ? { re: tf.clone(x.re), im: tf.clone(x.im) } : cur;
}

/** Checks that an initial state fits the circuit and has 1 or `batch` rows. */
export function checkInitialState(circuit: Circuit, batch: number, initial: StateBatch): void {
  const dim = 1 << circuit.nQubits;
  if (initial.nQubits !== circuit.nQubits || initial.re.shape[1] !== dim) {
    throw new Error(`simulate(initialState): expected states on ${circuit.nQubits} qubits [*, ${dim}], got ${initial.nQubits} qubits [${initial.re.shape.join(', ')}]`);
  }
  const rows = initial.re.shape[0];
  if (rows !== batch && rows !== 1) throw new Error(`simulate(initialState): expected 1 or ${batch} rows, got ${rows}`);
}

/** The starting amplitudes for a run: the given initial state broadcast to the batch, or |0…0⟩. */
export function initialAmplitudes(circuit: Circuit, batch: number, initial?: StateBatch): Amplitudes {
  if (!initial) return zeroState(circuit.nQubits, batch);
  checkInitialState(circuit, batch, initial);
  const dim = 1 << circuit.nQubits;
  return tf.tidy(() => ({
    re: tf.broadcastTo(initial.re, [batch, dim]) as tf.Tensor2D,
    im: tf.broadcastTo(initial.im, [batch, dim]) as tf.Tensor2D,
  }));
}

/**
 * Simulates `circuit` on every row of `inputs` (batch 1 when the circuit reads no inputs) and returns
 * the final states, differentiable w.r.t. weights, inputs and initial state on either engine.
 * The caller owns (and disposes) the returned tensors.
 */
export function simulate(circuit: Circuit, options: SimulateOptions = {}): StateBatch {
  const args = prepareArgs(circuit.numInputs, circuit.numWeights, { ...options, batch: options.initialState && !options.inputs ? options.initialState.re.shape[0] : undefined });
  try {
    if (chooseEngine(options.engine, circuit.nQubits) === 'host') {
      if (options.initialState) checkInitialState(circuit, args.batch, options.initialState);
      return simulateHost(circuit, args, options.initialState);
    }
    const x0 = initialAmplitudes(circuit, args.batch, options.initialState);
    const out = runTermOps(x0, lowerCircuit(circuit.ops), args, circuit.nQubits);
    if (out !== x0) { x0.re.dispose(); x0.im.dispose(); }
    return { re: out.re, im: out.im, nQubits: circuit.nQubits };
  } finally {
    args.owned.forEach((t) => t.dispose());
  }
}
