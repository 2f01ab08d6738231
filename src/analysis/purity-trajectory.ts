/**
 * Analysis 3, purity of pooled states vs entanglement, and how both move during training. For each
 * snapshot (a model or layer with the weights of one epoch) the pooled reduced states of the same
 * images are captured; per snapshot we keep summaries of purity tr ρ² and entropy S(ρ) over non-blank
 * patches and an evenly spaced sample of (purity, entropy) pairs for scatter plots.
 *
 * Purity and entropy are tied: S ≥ S₂ = −log tr ρ² (Rényi-2 never exceeds von Neumann) and S ≤ log d;
 * for one kept qubit S is a function of the purity alone. `renyi2Bound` gives the curve for figures.
 */
import type { CaptureTarget } from './capture';
import { EntanglementMapOptions, entanglementMap } from './entanglement-map';
import type { AnalysisImages } from './images';
import { JsonSummary, evenSample } from './stats';

/** One point in training: a label, the epoch (null when unknown) and the model or layer holding its weights. */
export interface PuritySnapshot {
  label: string;
  epoch: number | null;
  target: CaptureTarget;
}

/** Options: those of `entanglementMap` plus the scatter sample size (default 1,500 non-blank patches). */
export interface PurityTrajectoryOptions extends EntanglementMapOptions {
  samplePatches?: number;
}

/** Summaries of one snapshot. */
export interface PuritySnapshotResult {
  label: string;
  epoch: number | null;
  /** Over non-blank patches. */
  purity: JsonSummary;
  entropy: JsonSummary;
  prePoolEntropy: JsonSummary;
  /** Purity and entropy of a blank patch (null when none). */
  blank: { purity: number | null; entropy: number | null };
  /** Evenly spaced sample of non-blank patches (the same patch positions in every snapshot). */
  sample: { purity: number[]; entropy: number[] };
}

/** What `purityTrajectory` returns. */
export interface PurityTrajectory {
  kind: 'purity-trajectory';
  unit: string;
  kept: number[];
  /** Dimension 2^kept of the pooled states and log d in `unit`. */
  dimension: number;
  maxEntropy: number;
  images: number;
  snapshots: PuritySnapshotResult[];
}

/** Rényi-2 entropy −log_base(P) for purities P: the lower bound of S at each purity. */
export function renyi2Bound(purities: readonly number[], base = 2): number[] {
  return purities.map((p) => -Math.log(p) / Math.log(base));
}

/** Purity and entropy of pooled states for every snapshot; see the file comment. */
export async function purityTrajectory(snapshots: readonly PuritySnapshot[], images: AnalysisImages, options: PurityTrajectoryOptions = {}): Promise<PurityTrajectory> {
  if (!Array.isArray(snapshots) || snapshots.length === 0) throw new Error('purityTrajectory(snapshots): expected a non-empty array of { label, epoch, target }');
  const sampleSize = options.samplePatches ?? 1500;
  const results: PuritySnapshotResult[] = [];
  let meta: Pick<PurityTrajectory, 'unit' | 'kept' | 'dimension' | 'maxEntropy' | 'images'> | null = null;
  let sampleRows: number[] | null = null;
  for (const [i, s] of snapshots.entries()) {
    if (!s || typeof s.label !== 'string') throw new Error(`purityTrajectory(snapshots[${i}]): expected { label: string, epoch, target }, got ${JSON.stringify(s)}`);
    const map = await entanglementMap(s.target, images, { ...options, examples: [], keepPatches: true });
    const p = map.patches!;
    // Blank patches are the same in every snapshot (they depend on the images only), so the sample rows match.
    const ink = p.blank.map((b, r) => (b ? -1 : r)).filter((r) => r >= 0);
    sampleRows ??= evenSample(ink.length, sampleSize).map((k) => ink[k]);
    meta ??= { unit: map.unit, kept: map.pool.kept, dimension: 2 ** map.pool.kept.length, maxEntropy: map.maxEntropy, images: map.count };
    results.push({
      label: s.label, epoch: s.epoch,
      purity: map.ink.purity, entropy: map.ink.entropy, prePoolEntropy: map.ink.prePoolEntropy,
      blank: { purity: map.blank.purity, entropy: map.blank.entropy },
      sample: { purity: sampleRows.map((r) => p.purity[r]), entropy: sampleRows.map((r) => p.entropy[r]) },
    });
  }
  return { kind: 'purity-trajectory', ...meta!, snapshots: results };
}
