/** Reduced density matrices: the simulator's partial trace under the name the inspection API uses. */
import { partialTrace } from '../sim/partial-trace';
import type { DensityBatch } from '../sim/state';
import type { AnyState } from './validate';

/**
 * The reduced density matrices of the qubits `keep` (in the order given: keep[j] becomes qubit j of the
 * result) for every state of a pure or density batch; new tensors the caller owns.
 */
export function reducedDensityMatrix(state: AnyState, keep: readonly number[]): DensityBatch {
  return partialTrace(state, keep, 'reducedDensityMatrix');
}
