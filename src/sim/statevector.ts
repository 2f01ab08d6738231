/**
 * Batched state-vector simulation: every operation acts on all rows of a [batch, 2^n] state at once,
 * built from tf ops so that tfjs can differentiate through it (w.r.t. weights and inputs).
 */
import { tf } from '../backend';
import { Circuit } from './circuit';
import { InputsArg, WeightsArg, RunArgs, prepareArgs, resolveAngle } from './angles';
import { lowerCircuit, TermOp } from './gate-terms';
import { Amplitudes, applyTermOp } from './apply';
import { StateBatch, zeroState } from './state';

/** Options of `simulate`: data rows, trainable weights, and an optional initial state. */
export interface SimulateOptions {
  /** [batch, numInputs] data values read by `input(i)` angles. */
  inputs?: InputsArg;
  /** [numWeights] values read by `weight(j)` angles. */
  weights?: WeightsArg;
  /** Initial states [batch or 1, 2^n] (default |0…0⟩). */
  initialState?: StateBatch;
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

/** The starting amplitudes for a run: the given initial state broadcast to the batch, or |0…0⟩. */
export function initialAmplitudes(circuit: Circuit, batch: number, initial?: StateBatch): Amplitudes {
  if (!initial) return zeroState(circuit.nQubits, batch);
  const dim = 1 << circuit.nQubits;
  if (initial.nQubits !== circuit.nQubits || initial.re.shape[1] !== dim) {
    throw new Error(`simulate(initialState): expected states on ${circuit.nQubits} qubits [*, ${dim}], got ${initial.nQubits} qubits [${initial.re.shape.join(', ')}]`);
  }
  const rows = initial.re.shape[0];
  if (rows !== batch && rows !== 1) throw new Error(`simulate(initialState): expected 1 or ${batch} rows, got ${rows}`);
  return tf.tidy(() => ({
    re: tf.broadcastTo(initial.re, [batch, dim]) as tf.Tensor2D,
    im: tf.broadcastTo(initial.im, [batch, dim]) as tf.Tensor2D,
  }));
}

/**
 * Simulates `circuit` on every row of `inputs` (batch 1 when the circuit reads no inputs) and returns
 * the final states. The caller owns (and disposes) the returned tensors.
 */
export function simulate(circuit: Circuit, options: SimulateOptions = {}): StateBatch {
  const args = prepareArgs(circuit.numInputs, circuit.numWeights, { ...options, batch: options.initialState && !options.inputs ? options.initialState.re.shape[0] : undefined });
  try {
    const x0 = initialAmplitudes(circuit, args.batch, options.initialState);
    const out = runTermOps(x0, lowerCircuit(circuit.ops), args, circuit.nQubits);
    if (out !== x0) { x0.re.dispose(); x0.im.dispose(); }
    return { re: out.re, im: out.im, nQubits: circuit.nQubits };
  } finally {
    args.owned.forEach((t) => t.dispose());
  }
}
