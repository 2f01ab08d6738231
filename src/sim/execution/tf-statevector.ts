/**
 * The tf executor: [batch, 2^n] state vectors advanced gate by gate with tf ops, differentiated by
 * tfjs autodiff w.r.t. weights, inputs and the initial state. Also the read-out every state-vector
 * executor shares (`measurePlan`).
 */
import { tf } from '../../backend';
import { Rng } from '../../util/random';
import { Circuit } from '../circuit';
import { prepareArgs, RunArgs } from '../angles';
import { lowerCircuit } from '../gate-terms';
import { Amplitudes, runTermOps } from '../apply';
import { StateBatch, zeroState } from '../state';
import { Observable } from '../observables';
import { MeasurementPlan, planMeasurement, bornProbabilities, readExpectations } from '../readout';
import { Executor, ExpvalOptions, SimulateOptions, shotSampler } from './types';
import { badArgument } from '../../util/errors';

/** Checks that an initial state fits the circuit and has 1 or `batch` rows. */
export function checkInitialState(circuit: Circuit, batch: number, initial: StateBatch): void {
  const dim = 1 << circuit.nQubits;
  if (initial.nQubits !== circuit.nQubits || initial.re.shape[1] !== dim) {
    throw badArgument(`simulate(initialState): expected states on ${circuit.nQubits} qubits [*, ${dim}], got ${initial.nQubits} qubits [${initial.re.shape.join(', ')}]`);
  }
  const rows = initial.re.shape[0];
  if (rows !== batch && rows !== 1) throw badArgument(`simulate(initialState): expected 1 or ${batch} rows, got ${rows}`);
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

/** Checked run arguments of a state-vector run (batch from the inputs, else the initial state's rows). */
export function stateRunArgs(circuit: Circuit, options: SimulateOptions, fn: string): RunArgs & { owned: tf.Tensor[] } {
  return prepareArgs(circuit.numInputs, circuit.numWeights, { ...options, batch: options.initialState && !options.inputs ? options.initialState.re.shape[0] : undefined }, fn);
}

/** Expectations [batch, nObs] of a plan on amplitudes (exact, or finite-shot with `shots` and `rng`). */
export function measurePlan(x: Amplitudes, plan: MeasurementPlan, nQubits: number, shots?: number, rng?: Rng): tf.Tensor2D {
  const batch = x.re.shape[0];
  return readExpectations(plan, nQubits, (rotation) =>
    bornProbabilities(rotation ? runTermOps(x, lowerCircuit(rotation.ops), { batch }, nQubits) : x), shots, rng);
}

/** Expectations of a state-vector executor: its states, then the shared read-out. */
export function expvalFromStates(executor: Required<Pick<Executor, 'states'>>, circuit: Circuit, observables: readonly Observable[], options: ExpvalOptions): tf.Tensor2D {
  const plan = planMeasurement(observables, circuit.nQubits);
  const rng = shotSampler(options);
  return tf.tidy(() => {
    const s = executor.states(circuit, options, 'simulate');
    return measurePlan(s, plan, circuit.nQubits, options.shots, rng);
  });
}

/** The tf executor (see the file comment). */
export const tfExecutor: Executor & Required<Pick<Executor, 'states'>> = {
  name: 'tf',
  states(circuit, options, fn) {
    const args = stateRunArgs(circuit, options, fn);
    try {
      const x0 = initialAmplitudes(circuit, args.batch, options.initialState);
      const out = runTermOps(x0, lowerCircuit(circuit.ops), args, circuit.nQubits);
      if (out !== x0) { x0.re.dispose(); x0.im.dispose(); }
      return { re: out.re, im: out.im, nQubits: circuit.nQubits };
    } finally {
      args.owned.forEach((t) => t.dispose());
    }
  },
  expval(circuit, observables, options) {
    return expvalFromStates(tfExecutor, circuit, observables, options);
  },
};
