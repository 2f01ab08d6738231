/**
 * Measurements on simulated states: expectation values of Pauli observables (exact or finite-shot),
 * probabilities and samples. Terms that need the same basis change share one rotated state, and all
 * terms of a basis are read with one matrix product: E = |ψ_rot|² · W, W = (signs × coefficients).
 */
import { tf } from '../backend';
import { Rng } from '../util/random';
import { Circuit } from './circuit';
import { lowerCircuit } from './gate-terms';
import { Amplitudes } from './apply';
import { runTermOps, simulate, SimulateOptions } from './statevector';
import { Observable, PauliTerm, basisKey, parseObservable, zSigns } from './observables';

/** Options of `expval`: simulation options plus optional finite shots. */
export interface ExpvalOptions extends SimulateOptions {
  /** Number of shots per row (and per measurement basis); exact expectations when omitted. */
  shots?: number;
  /** Seed of the shot sampler (random when omitted). */
  seed?: number;
}

/** Observables grouped by the basis change they need, with their [2^n, nObs] read-out matrix. */
export interface MeasurementPlan {
  groups: { rotation: Circuit | null; readout: Float32Array }[];
  nObs: number;
}

/** Builds the grouped read-out of `observables` on n qubits (numeric, independent of the state). */
export function planMeasurement(observables: readonly Observable[], nQubits: number, where = 'observables'): MeasurementPlan {
  if (!Array.isArray(observables) || observables.length === 0) {
    throw new Error(`${where}: expected a non-empty array of observables, got ${JSON.stringify(observables)}`);
  }
  const dim = 1 << nQubits, nObs = observables.length;
  const byKey = new Map<string, { terms: PauliTerm[]; obs: number[] }>();
  observables.forEach((o, i) => {
    for (const term of parseObservable(o, nQubits, `${where}[${i}]`)) {
      const key = basisKey(term.factors);
      const g = byKey.get(key) ?? { terms: [], obs: [] };
      g.terms.push(term);
      g.obs.push(i);
      byKey.set(key, g);
    }
  });
  const groups = [...byKey.values()].map(({ terms, obs }) => {
    const readout = new Float32Array(dim * nObs);
    terms.forEach((term, t) => {
      const signs = zSigns(term.factors.map((f) => f.qubit), nQubits);
      for (let j = 0; j < dim; j++) readout[j * nObs + obs[t]] += term.coeff * signs[j];
    });
    const rotated = terms[0].factors.filter((f) => f.op !== 'Z');
    let rotation: Circuit | null = null;
    if (rotated.length > 0) {
      rotation = new Circuit(nQubits);
      // H maps X to Z; H·S† maps Y to Z.
      for (const f of rotated) (f.op === 'Y' ? rotation.sdg(f.qubit) : rotation).h(f.qubit);
    }
    return { rotation, readout };
  });
  return { groups, nObs };
}

/** Born-rule probabilities |ψ|² of a batch of amplitudes. */
export function bornProbabilities(x: Amplitudes): tf.Tensor2D {
  return tf.add(tf.square(x.re), tf.square(x.im)) as tf.Tensor2D;
}

/** Replaces each row of probabilities by the frequencies of `shots` samples drawn from it. */
export function sampleFrequencies(probs: tf.Tensor2D, shots: number, rng: Rng): tf.Tensor2D {
  const counts = sampleCounts(probs.arraySync(), shots, rng);
  return tf.div(tf.tensor2d(counts), shots) as tf.Tensor2D;
}

/** Draws `shots` outcomes per row of `probs` and returns how often each basis state came up. */
export function sampleCounts(probs: number[][], shots: number, rng: Rng): number[][] {
  if (!Number.isInteger(shots) || shots < 1) throw new Error(`shots: expected a positive integer, got ${shots}`);
  return probs.map((row) => {
    const cdf = new Float64Array(row.length);
    let acc = 0;
    row.forEach((p, j) => { acc += Math.max(p, 0); cdf[j] = acc; });
    const counts = new Array<number>(row.length).fill(0);
    for (let s = 0; s < shots; s++) {
      const u = rng.next() * acc;
      let lo = 0, hi = row.length - 1;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid] > u) hi = mid; else lo = mid + 1; }
      counts[lo]++;
    }
    return counts;
  });
}

/** Expectations [batch, nObs] of a plan on amplitudes (exact, or finite-shot with `shots` and `rng`). */
export function measurePlan(x: Amplitudes, plan: MeasurementPlan, nQubits: number, shots?: number, rng?: Rng): tf.Tensor2D {
  return tf.tidy(() => {
    let out: tf.Tensor2D | undefined;
    for (const g of plan.groups) {
      const rotated = g.rotation ? runTermOps(x, lowerCircuit(g.rotation.ops), { batch: x.re.shape[0] }, nQubits) : x;
      let probs = bornProbabilities(rotated);
      if (shots !== undefined) probs = sampleFrequencies(probs, shots, rng as Rng);
      const part = tf.matMul(probs, tf.tensor2d(g.readout, [1 << nQubits, plan.nObs]));
      out = (out ? tf.add(out, part) : part) as tf.Tensor2D;
    }
    return out as tf.Tensor2D;
  });
}

function checkShots(shots: number | undefined): void {
  if (shots !== undefined && (!Number.isInteger(shots) || shots < 1)) throw new Error(`expval(shots): expected a positive integer, got ${shots}`);
}

/**
 * Expectation values ⟨ψ|O|ψ⟩ of each observable for each row: a [batch, observables.length] tensor.
 * Exact (and differentiable by tf.grad) without `shots`; a finite-shot estimate with it.
 */
export function expval(circuit: Circuit, observables: readonly Observable[], options: ExpvalOptions = {}): tf.Tensor2D {
  checkShots(options.shots);
  const plan = planMeasurement(observables, circuit.nQubits);
  const rng = options.shots !== undefined ? new Rng(options.seed ?? Math.floor(Math.random() * 2 ** 32)) : undefined;
  return tf.tidy(() => {
    const s = simulate(circuit, options);
    return measurePlan(s, plan, circuit.nQubits, options.shots, rng);
  });
}

/**
 * Probabilities of the basis states, [batch, 2^n]; with `wires`, the marginal on those qubits
 * ([batch, 2^k], wires[0] least significant).
 */
export function probabilities(circuit: Circuit, options: SimulateOptions & { wires?: number[] } = {}): tf.Tensor2D {
  const n = circuit.nQubits;
  const wires = options.wires;
  if (wires) {
    wires.forEach((w) => {
      if (!Number.isInteger(w) || w < 0 || w >= n) throw new Error(`probabilities(wires): expected qubits in [0, ${n - 1}], got ${w}`);
    });
    if (new Set(wires).size !== wires.length) throw new Error(`probabilities(wires): expected distinct qubits, got [${wires.join(', ')}]`);
  }
  return tf.tidy(() => {
    const probs = bornProbabilities(simulate(circuit, options));
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
export function sample(circuit: Circuit, shots: number, options: SimulateOptions & { seed?: number } = {}): Record<string, number>[] {
  checkShots(shots);
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
