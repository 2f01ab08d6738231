/**
 * Batched state-vector simulation: every operation acts on all rows of a [batch, 2^n] state at once.
 * Which executor runs (tf ops for small registers, differentiated by tfjs; the plain-JS host kernel
 * for large ones, differentiated by its adjoint sweep) is decided by `explainExecution`.
 */
import { Circuit } from './circuit';
import { StateBatch } from './state';
import { explainExecution, executorSetting } from './execution/choose';
import { batchOf, differentiableArgs, executors } from './execution/registry';
import { SimulateOptions } from './execution/types';

export type { SimulateOptions, SimEngine } from './execution/types';
export { HOST_ENGINE_MIN_QUBITS } from './execution/choose';
export { checkInitialState, initialAmplitudes } from './execution/tf-statevector';
export { runTermOps } from './apply';

/**
 * Simulates `circuit` on every row of `inputs` (batch 1 when the circuit reads no inputs) and returns
 * the final states, differentiable w.r.t. weights, inputs and initial state on either engine.
 * The caller owns (and disposes) the returned tensors.
 */
export function simulate(circuit: Circuit, options: SimulateOptions = {}): StateBatch {
  const choice = explainExecution({
    circuit, batch: batchOf(options), output: 'states', executor: executorSetting(options, 'simulate'),
    initialState: options.initialState !== undefined, differentiable: differentiableArgs(options), maxStateBytes: options.maxStateBytes, fn: 'simulate',
  });
  const states = executors[choice.executor].states;
  if (!states) throw new Error(`simulate: the ${choice.executor} executor has no states`);
  return states(circuit, options, 'simulate');
}
