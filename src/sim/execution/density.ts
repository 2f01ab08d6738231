/**
 * The density executor: noisy runs as density matrices (vec(ρ), 4^n amplitudes per row) through the
 * tf ops (src/sim/density.ts), differentiated by tfjs autodiff (exact expectations only).
 */
import { tf } from '../../backend';
import { Circuit } from '../circuit';
import { planMeasurement } from '../readout';
import { DensityOptions, densityProbabilities, measurePlanDensity } from '../density';
import { Executor, shotSampler } from './types';

/** The density executor (see the file comment); `probabilities` includes read-out error. */
export const densityExecutor: Executor & { probabilities(circuit: Circuit, options: DensityOptions): tf.Tensor2D } = {
  name: 'density',
  expval(circuit, observables, options) {
    const plan = planMeasurement(observables, circuit.nQubits);
    return measurePlanDensity(circuit, plan, { ...options, rng: shotSampler(options) });
  },
  probabilities(circuit, options) {
    return densityProbabilities(circuit, options);
  },
};
