/** The executors by name, and the batch of a run read off its options (before anything is allocated). */
import { tf } from '../../backend';
import { Executor, ExecutorName, SimulateOptions } from './types';
import { tfExecutor } from './tf-statevector';
import { hostExecutor } from './host';
import { compiledExecutor } from './compiled';
import { densityExecutor } from './density';
import { superoperatorExecutor } from './superoperator';
import { gradientRecording } from './tape';

/** Every executor by name. */
export const executors: Readonly<Record<ExecutorName, Executor>> = {
  tf: tfExecutor, host: hostExecutor, compiled: compiledExecutor, density: densityExecutor, superoperator: superoperatorExecutor,
};

/**
 * Rows a run with these options produces: the inputs' rows, else the initial state's, else 1. Cheap
 * (shapes only), so the memory guard can run first; malformed arguments count as 1 row and are
 * reported by the argument checks that follow.
 */
export function batchOf(options: Pick<SimulateOptions, 'inputs' | 'initialState'>): number {
  const { inputs, initialState } = options;
  if (Array.isArray(inputs)) return Math.max(1, inputs.length);
  if (inputs instanceof tf.Tensor) return Math.max(1, inputs.shape[0] ?? 1);
  if (initialState?.re instanceof tf.Tensor) return Math.max(1, initialState.re.shape[0] ?? 1);
  return 1;
}

/** Whether a gradient can reach the run: a tape is recording and weights, inputs or an initial state are tensors. */
export function differentiableArgs(options: Pick<SimulateOptions, 'inputs' | 'weights' | 'initialState'>): boolean {
  if (!gradientRecording()) return false;
  return options.weights instanceof tf.Tensor || options.inputs instanceof tf.Tensor || options.initialState?.re instanceof tf.Tensor;
}
