/**
 * Read-out of observables from probabilities: observables grouped by the basis change they need, each
 * group read with one matrix product E = p · W (W = signs × coefficients), and finite-shot sampling.
 * Shared by the state-vector and density-matrix paths.
 */
import { tf } from '../backend';
import { Rng } from '../util/random';
import { Circuit } from './circuit';
import { Amplitudes } from './apply';
import { Observable, PauliTerm, basisKey, parseObservable, zSigns } from './observables';
import { badArgument } from '../util/errors';

/** One Pauli term of a group, read after the group's rotation as a Z product: ±coeff by the parity of j ∧ zMask. */
export interface ZTerm { obs: number; zMask: number; coeff: number }

/**
 * Observables grouped by the basis change they need, with their [2^n, nObs] read-out matrix (built on
 * first access: at 24 qubits and 24 observables it is 1.6 GB) and the same read-out as Z masks.
 */
export interface MeasurementPlan {
  groups: { rotation: Circuit | null; readout: Float32Array; terms: ZTerm[] }[];
  nObs: number;
}

function checkObservableList(observables: readonly Observable[], where: string): void {
  if (!Array.isArray(observables) || observables.length === 0) {
    throw badArgument(`${where}: expected a non-empty array of observables, got ${JSON.stringify(observables)}`);
  }
}

/** Checks observables as `planMeasurement` does (errors name `where[i]`), without building the 2^n read-out. */
export function checkObservables(observables: readonly Observable[], nQubits: number, where = 'observables'): void {
  checkObservableList(observables, where);
  observables.forEach((o, i) => parseObservable(o, nQubits, `${where}[${i}]`));
}

/** Builds the grouped read-out of `observables` on n qubits (numeric, independent of the state). */
export function planMeasurement(observables: readonly Observable[], nQubits: number, where = 'observables'): MeasurementPlan {
  checkObservableList(observables, where);
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
    let matrix: Float32Array | undefined;
    const buildReadout = () => {
      const readout = new Float32Array(dim * nObs);
      terms.forEach((term, t) => {
        const signs = zSigns(term.factors.map((f) => f.qubit), nQubits);
        for (let j = 0; j < dim; j++) readout[j * nObs + obs[t]] += term.coeff * signs[j];
      });
      return readout;
    };
    const zTerms = terms.map((term, t) => ({ obs: obs[t], coeff: term.coeff, zMask: term.factors.reduce((m, f) => m | (1 << f.qubit), 0) }));
    const rotated = terms[0].factors.filter((f) => f.op !== 'Z');
    let rotation: Circuit | null = null;
    if (rotated.length > 0) {
      rotation = new Circuit(nQubits);
      // H maps X to Z; H·S† maps Y to Z.
      for (const f of rotated) (f.op === 'Y' ? rotation.sdg(f.qubit) : rotation).h(f.qubit);
    }
    return { rotation, terms: zTerms, get readout() { return (matrix ??= buildReadout()); } };
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
  if (!Number.isInteger(shots) || shots < 1) throw badArgument(`shots: expected a positive integer, got ${shots}`);
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


/**
 * Expectations [batch, nObs] of a plan, given the probabilities of the state rotated into each group's
 * basis (`groupProbabilities(rotation)`); finite-shot estimates when `shots` and `rng` are given.
 */
export function readExpectations(
  plan: MeasurementPlan, nQubits: number, groupProbabilities: (rotation: Circuit | null) => tf.Tensor2D, shots?: number, rng?: Rng,
): tf.Tensor2D {
  return tf.tidy(() => {
    let out: tf.Tensor2D | undefined;
    for (const g of plan.groups) {
      let probs = groupProbabilities(g.rotation);
      if (shots !== undefined) probs = sampleFrequencies(probs, shots, rng as Rng);
      const part = tf.matMul(probs, tf.tensor2d(g.readout, [1 << nQubits, plan.nObs]));
      out = (out ? tf.add(out, part) : part) as tf.Tensor2D;
    }
    return out as tf.Tensor2D;
  });
}
