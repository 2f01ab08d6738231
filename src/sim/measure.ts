/**
 * Measurements on simulated states: expectation values of Pauli observables (exact or finite-shot),
 * probabilities and samples. Which executor runs is decided by `explainExecution`; terms that need the
 * same basis change share one rotated state.
 */
import { tf } from '../backend';
import { Rng } from '../util/random';
import { integerIn, positiveInt } from '../util/validate';
import { Circuit } from './circuit';
import { Observable } from './observables';
import { bornProbabilities, sampleCounts } from './readout';
import { NoiseModel } from './noise';
import { explainExecution, executorSetting } from './execution/choose';
import { batchOf, differentiableArgs, executors } from './execution/registry';
import { densityExecutor } from './execution/density';
import { ExpvalOptions, SimulateOptions } from './execution/types';
import { badArgument } from '../util/errors';

export type { ExpvalOptions, ExpvalMethod } from './execution/types';
export { AUTO_COMPILE_MAX_QUBITS } from './execution/choose';
export { measurePlan } from './execution/tf-statevector';

/**
 * Most shots per row `expval` and `sample` accept: sampling costs time per shot (about 0.5 s per row at
 * this count), so a mistyped 2^40 is refused up front instead of running for hours.
 */
export const MAX_SHOTS = 2 ** 24;

function checkShots(shots: number | undefined, fn: 'expval' | 'sample'): void {
  if (shots === undefined && fn === 'expval') return;
  positiveInt(shots, `${fn}(shots)`);
  integerIn(shots, `${fn}(shots)`, 1, MAX_SHOTS, 'a number of shots');
}

/**
 * Expectation values ⟨ψ|O|ψ⟩ of each observable for each row: a [batch, observables.length] tensor.
 * Exact (and differentiable by tf.grad) without `shots`; a finite-shot estimate with it.
 */
export function expval(circuit: Circuit, observables: readonly Observable[], options: ExpvalOptions = {}): tf.Tensor2D {
  checkShots(options.shots, 'expval');
  const choice = explainExecution({
    circuit, batch: batchOf(options), shots: options.shots, noise: options.noise, executor: executorSetting(options, 'expval'),
    initialState: options.initialState !== undefined, differentiable: differentiableArgs(options), maxStateBytes: options.maxStateBytes, fn: 'expval',
  });
  return executors[choice.executor].expval(circuit, observables, options);
}

/** Probabilities of all basis states [batch, 2^n] on the executor the decision picks. */
function allProbabilities(circuit: Circuit, options: SimulateOptions & { noise?: NoiseModel }, fn: string): tf.Tensor2D {
  const choice = explainExecution({
    circuit, batch: batchOf(options), output: 'states', noise: options.noise, executor: executorSetting(options, fn),
    initialState: options.initialState !== undefined, maxStateBytes: options.maxStateBytes, fn,
  });
  if (choice.executor === 'density') return densityExecutor.probabilities(circuit, options);
  const states = executors[choice.executor].states;
  if (!states) throw new Error(`${fn}: the ${choice.executor} executor has no states`);
  return tf.tidy(() => bornProbabilities(states(circuit, options, 'simulate')));
}

/**
 * Probabilities of the basis states, [batch, 2^n]; with `wires`, the marginal on those qubits
 * ([batch, 2^k], wires[0] least significant).
 */
export function probabilities(circuit: Circuit, options: SimulateOptions & { wires?: number[]; noise?: NoiseModel } = {}): tf.Tensor2D {
  const n = circuit.nQubits;
  const wires = options.wires;
  if (wires) {
    wires.forEach((w) => {
      if (!Number.isInteger(w) || w < 0 || w >= n) throw badArgument(`probabilities(wires): expected qubits in [0, ${n - 1}], got ${w}`);
    });
    if (new Set(wires).size !== wires.length) throw badArgument(`probabilities(wires): expected distinct qubits, got [${wires.join(', ')}]`);
  }
  return tf.tidy(() => {
    const probs = allProbabilities(circuit, options, 'probabilities');
    if (!wires) return probs;
    const k = wires.length, dim = 1 << n, marg = new Float32Array(dim * (1 << k));
    for (let j = 0; j < dim; j++) {
      let l = 0;
      wires.forEach((w, b) => { l |= ((j >> w) & 1) << b; });
      marg[j * (1 << k) + l] = 1;
    }
    return tf.matMul(probs, tf.tensor2d(marg, [dim, 1 << k]));
  });
}

/** Samples `shots` measurements of all qubits per row; counts keyed by bitstring (qubit n−1 leftmost, as Qiskit). */
export function sample(circuit: Circuit, shots: number, options: SimulateOptions & { seed?: number; noise?: NoiseModel } = {}): Record<string, number>[] {
  checkShots(shots, 'sample');
  const probs = allProbabilities(circuit, options, 'sample');
  const rows = probs.arraySync();
  probs.dispose();
  const rng = new Rng(options.seed ?? Math.floor(Math.random() * 2 ** 32));
  return sampleCounts(rows, shots, rng).map((counts) => {
    const out: Record<string, number> = {};
    counts.forEach((c, j) => { if (c > 0) out[j.toString(2).padStart(circuit.nQubits, '0')] = c; });
    return out;
  });
}
