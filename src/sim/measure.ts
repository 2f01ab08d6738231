/**
 * Measurements on simulated states: expectation values of Pauli observables (exact or finite-shot),
 * probabilities and samples. Terms that need the same basis change share one rotated state.
 */
import { tf } from '../backend';
import { Rng } from '../util/random';
import { positiveInt } from '../util/validate';
import { Circuit } from './circuit';
import { lowerCircuit } from './gate-terms';
import { Amplitudes } from './apply';
import { runTermOps, simulate, SimulateOptions } from './statevector';
import { Observable } from './observables';
import { MeasurementPlan, planMeasurement, bornProbabilities, readExpectations, sampleCounts } from './readout';
import { NoiseModel } from './noise';
import { densityProbabilities, measurePlanDensity } from './density';
import { canCompile } from './compiled/compile-split';
import { compiledFor } from './compiled/compiled';

/** How `expval` simulates: 'auto' takes the compiled fast path whenever it applies. */
export type ExpvalMethod = 'auto' | 'compiled' | 'gate-by-gate';
const METHODS: readonly ExpvalMethod[] = ['auto', 'compiled', 'gate-by-gate'];

/**
 * Largest register 'auto' compiles: beyond it the 2^n × 2^n block unitary (built on the host) stops
 * paying for itself. Measured here, forward + weight gradient, 4 hardware-efficient layers: 7 qubits
 * compiled 3–10× faster than gate by gate (batch 1 and 1000); 8 qubits slower at batch 1.
 */
export const AUTO_COMPILE_MAX_QUBITS = 7;

/** Options of `expval`: simulation options plus optional finite shots. */
export interface ExpvalOptions extends SimulateOptions {
  /** Number of shots per row (and per measurement basis); exact expectations when omitted. */
  shots?: number;
  /** Seed of the shot sampler (random when omitted). */
  seed?: number;
  /** Noise channels and read-out error: switches to the density-matrix simulator. */
  noise?: NoiseModel;
  /**
   * 'auto' (default): the compiled fast path (see `compileCircuit`) when the circuit is an encoding
   * prefix followed by a data-independent block, has at most AUTO_COMPILE_MAX_QUBITS qubits, and no
   * shots, noise or initial state are given; otherwise gate by gate. 'compiled' insists (an error
   * says why it cannot apply); 'gate-by-gate' never compiles. Both paths give the same numbers.
   */
  method?: ExpvalMethod;
}

/** Why the compiled path cannot serve this expval call (undefined when it can). */
function compiledBlocker(circuit: Circuit, options: ExpvalOptions): string | undefined {
  if (options.shots !== undefined) return 'shots were requested (the compiled path is exact)';
  if (options.noise) return 'noise was requested (the compiled path is a pure-state simulator)';
  if (options.initialState) return 'an initial state was given (the compiled path starts from |0…0⟩)';
  if (options.engine !== undefined && options.engine !== 'auto') return `a gate-by-gate engine was chosen (engine: '${options.engine}')`;
  return canCompile(circuit).reason;
}

/** Expectations [batch, nObs] of a plan on amplitudes (exact, or finite-shot with `shots` and `rng`). */
export function measurePlan(x: Amplitudes, plan: MeasurementPlan, nQubits: number, shots?: number, rng?: Rng): tf.Tensor2D {
  const batch = x.re.shape[0];
  return readExpectations(plan, nQubits, (rotation) =>
    bornProbabilities(rotation ? runTermOps(x, lowerCircuit(rotation.ops), { batch }, nQubits) : x), shots, rng);
}

function checkShots(shots: number | undefined, fn: 'expval' | 'sample'): void {
  if (shots !== undefined || fn === 'sample') positiveInt(shots, `${fn}(shots)`);
}

/**
 * Expectation values ⟨ψ|O|ψ⟩ of each observable for each row: a [batch, observables.length] tensor.
 * Exact (and differentiable by tf.grad) without `shots`; a finite-shot estimate with it.
 */
export function expval(circuit: Circuit, observables: readonly Observable[], options: ExpvalOptions = {}): tf.Tensor2D {
  checkShots(options.shots, 'expval');
  const method = options.method ?? 'auto';
  if (!METHODS.includes(method)) throw new Error(`expval(method): expected one of ${METHODS.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(method)}`);
  if (method !== 'gate-by-gate') {
    const blocker = compiledBlocker(circuit, options);
    if (method === 'compiled' && blocker) throw new Error(`expval(method): 'compiled' cannot be used: ${blocker}`);
    if (!blocker && (method === 'compiled' || circuit.nQubits <= AUTO_COMPILE_MAX_QUBITS)) {
      return compiledFor(circuit, observables).expectations(options.inputs, options.weights, 'expval');
    }
  }
  const plan = planMeasurement(observables, circuit.nQubits);
  const rng = options.shots !== undefined ? new Rng(options.seed ?? Math.floor(Math.random() * 2 ** 32)) : undefined;
  if (options.noise) return measurePlanDensity(circuit, plan, { ...options, rng });
  return tf.tidy(() => {
    const s = simulate(circuit, options);
    return measurePlan(s, plan, circuit.nQubits, options.shots, rng);
  });
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
      if (!Number.isInteger(w) || w < 0 || w >= n) throw new Error(`probabilities(wires): expected qubits in [0, ${n - 1}], got ${w}`);
    });
    if (new Set(wires).size !== wires.length) throw new Error(`probabilities(wires): expected distinct qubits, got [${wires.join(', ')}]`);
  }
  return tf.tidy(() => {
    const probs = options.noise ? densityProbabilities(circuit, options) : bornProbabilities(simulate(circuit, options));
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
  const probs = probabilities(circuit, options);
  const rows = probs.arraySync();
  probs.dispose();
  const rng = new Rng(options.seed ?? Math.floor(Math.random() * 2 ** 32));
  return sampleCounts(rows, shots, rng).map((counts) => {
    const out: Record<string, number> = {};
    counts.forEach((c, j) => { if (c > 0) out[j.toString(2).padStart(circuit.nQubits, '0')] = c; });
    return out;
  });
}
