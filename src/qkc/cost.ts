/**
 * Cost accounting of quantum layers: how many circuits a forward and a backward pass execute, as a
 * hardware run would (one execution per circuit, per measurement basis, per shifted parameter). The
 * counts are read off the circuit, so they follow the circuit rather than a hand-kept table.
 */
import { Circuit, DiffMethod, GATES, Observable, isParamRef, parseObservable } from '../sim';

/** Accepted diffMethod values (the simulator's DiffMethod; the trainer's QuantumDiffMethod has the same members). */
export const DIFF_METHODS: readonly DiffMethod[] = ['parameter-shift', 'adjoint', 'backprop'];

/**
 * Shifted-parameter counts P of a circuit: one per gate angle that references a weight (or an input),
 * two for angles of four-term gates (controlled rotations), so a parameter-shift gradient costs 2P runs.
 */
export function shiftedParameters(circuit: Circuit): { weights: number; inputs: number } {
  const out = { weights: 0, inputs: 0 };
  for (const op of circuit.ops) {
    const per = GATES[op.name].shiftRule === 'four-term' ? 2 : 1;
    for (const p of op.params) {
      if (!isParamRef(p)) continue;
      if (p.kind === 'weight') out.weights += per; else out.inputs += per;
    }
  }
  return out;
}

/**
 * Number of distinct measurement bases the observables need (each is a separate run on hardware):
 * terms that rotate the same qubits into the same X/Y basis share one. Also validates the observables
 * (errors name `where[i]`) without building the simulator's 2^n read-out tables.
 */
export function measurementBases(observables: readonly Observable[], nQubits: number, where = 'observables'): number {
  if (!Array.isArray(observables) || observables.length === 0) throw new Error(`${where}: expected a non-empty array of observables`);
  const keys = new Set<string>();
  observables.forEach((o, i) => {
    for (const term of parseObservable(o, nQubits, `${where}[${i}]`)) {
      keys.add(term.factors.filter((f) => f.op !== 'Z').map((f) => `${f.op}${f.qubit}`).sort().join(' '));
    }
  });
  return keys.size;
}

/** Circuit executions per patch and per kernel copy (filter), for one forward and one backward pass. */
export function executionsPerRun(
  diffMethod: DiffMethod, bases: number, shifted: { weights: number; inputs: number }, inputGradients: boolean,
): { forward: number; backward: number } {
  const p = shifted.weights + (inputGradients ? shifted.inputs : 0);
  // parameter-shift: two shifted runs per shifted parameter (forward included, 2P+1 in all);
  // adjoint and backprop: one backward sweep through the same circuit.
  return { forward: bases, backward: diffMethod === 'parameter-shift' ? 2 * p * bases : 1 };
}
