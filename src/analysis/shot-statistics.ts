/**
 * Analysis 4, measurement statistics: finite-shot estimates of the pooled read-out against the exact
 * expectations, from the captured post-pool states (sampled by the simulator's own measurement code,
 * the path a layer with `shots` takes). For a Pauli-product observable O a shot gives ±1 with variance
 * 1 − ⟨O⟩², so the estimate's standard error is √((1 − ⟨O⟩²)/shots): the predicted RMSE averages that
 * over patches, and 1/√shots is its worst case (⟨O⟩ = 0).
 */
import { Observable, measurePlan, parseObservable, planMeasurement } from '../sim';
import { Rng } from '../util';
import { CaptureStatesOptions, CaptureTarget, captureChunks } from './capture';
import type { AnalysisImages } from './images';

/** Options: capture options plus the shot counts (default 1 … 4096 in powers of 4), seed and a patch cap. */
export interface ShotStatisticsOptions extends CaptureStatesOptions {
  shots?: number[];
  /** Seed of the shot sampler (default 0). */
  seed?: number;
  /** Use at most this many patches (default 20,000; the images are streamed until it is reached). */
  maxPatches?: number;
}

/** Errors at one shot count, over all (patch, observable) pairs. */
export interface ShotStatisticsRow {
  shots: number;
  rmse: number;
  meanAbsError: number;
  maxAbsError: number;
  /** √(mean (1 − ⟨O⟩²)/shots), when every observable is a single Pauli product (else null). */
  predictedRmse: number | null;
  /** 1/√shots. */
  reference: number;
}

/** What `shotStatistics` returns. */
export interface ShotStatistics {
  kind: 'shot-statistics';
  layer: string;
  observables: string[];
  patches: number;
  seed: number;
  rows: ShotStatisticsRow[];
}

const DEFAULT_SHOTS = [1, 4, 16, 64, 256, 1024, 4096];

/** True when `o` is ±(one Pauli product), whose single-shot outcomes are ±1. */
function isPauliProduct(o: Observable, n: number): boolean {
  const terms = parseObservable(o, n);
  return terms.length === 1 && Math.abs(terms[0].coeff) === 1;
}

/** Finite-shot vs exact pooled outputs; see the file comment. */
export async function shotStatistics(target: CaptureTarget, images: AnalysisImages, options: ShotStatisticsOptions = {}): Promise<ShotStatistics> {
  const fn = 'shotStatistics';
  const shots = options.shots ?? DEFAULT_SHOTS;
  if (!Array.isArray(shots) || shots.length === 0 || shots.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new Error(`${fn}(options.shots): expected a non-empty array of positive integers, got ${JSON.stringify(shots)}`);
  }
  const cap = options.maxPatches ?? 20_000;
  if (!Number.isInteger(cap) || cap < 1) throw new Error(`${fn}(options.maxPatches): expected a positive integer, got ${cap}`);
  const seed = options.seed ?? 0;
  const rng = new Rng(seed);
  const sums = shots.map(() => ({ sq: 0, abs: 0, max: 0 }));
  let varSum = 0, count = 0, patches = 0;
  let meta: { layer: string; observables: Observable[]; product: boolean } | null = null;
  const { maxPatches: _ignored, ...captureOptions } = options;
  for await (const c of captureChunks(target, images, captureOptions)) {
    const n = c.postPool.nQubits;
    meta ??= { layer: c.layer, observables: c.pool.observables, product: c.pool.observables.every((o) => isPauliProduct(o, n)) };
    const plan = planMeasurement(meta.observables, n);
    const exact = c.pooledOutputs.dataSync();
    const nObs = c.pooledOutputs.shape[1];
    const rows = Math.min(c.pooledOutputs.shape[0], cap - patches);
    for (let i = 0; i < rows * nObs; i++) varSum += 1 - exact[i] * exact[i];
    count += rows * nObs;
    shots.forEach((s, k) => {
      const est = measurePlan(c.postPool, plan, n, s, rng);
      const e = est.dataSync();
      est.dispose();
      for (let i = 0; i < rows * nObs; i++) {
        const d = e[i] - exact[i];
        sums[k].sq += d * d; sums[k].abs += Math.abs(d); sums[k].max = Math.max(sums[k].max, Math.abs(d));
      }
    });
    patches += rows;
    if (patches >= cap) break;
  }
  if (!meta) throw new Error(`${fn}(images): expected at least one image, got 0`);
  return {
    kind: 'shot-statistics', layer: meta.layer,
    observables: meta.observables.map((o) => (typeof o === 'string' ? o : JSON.stringify(o))),
    patches, seed,
    rows: shots.map((s, k) => ({
      shots: s, rmse: Math.sqrt(sums[k].sq / count), meanAbsError: sums[k].abs / count, maxAbsError: sums[k].max,
      predictedRmse: meta!.product ? Math.sqrt(varSum / count / s) : null, reference: 1 / Math.sqrt(s),
    })),
  };
}
