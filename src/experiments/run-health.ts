/**
 * Which suite runs count: a run that diverged (a non-finite loss in any epoch) or stalled is reported as
 * failed with its seed and kept out of the mean, never silently averaged. A run that trained but ended far from
 * its peers is an outlier: named, and counted in the mean. Also the paired comparison of a hybrid with its
 * control over shared seeds (mean difference with a 95 % Student-t interval).
 *
 * Stall rule (one place). A run stalled when its selected accuracy is below chance + STALL_RULE.chanceMargin
 * (e.g. < 20 % on 10 classes), or when, with at least STALL_RULE.minPeers other seeds of the same model, it is
 * more than STALL_RULE.peerGap below the median of those other seeds AND its training made less than
 * STALL_RULE.progressRatio of their median progress. Progress is how far the lowest training loss fell below
 * ln(classes), the cross-entropy of a uniform guess, as a fraction of it. When the accuracy was measured on few
 * images the gap widens to STALL_RULE.noiseSE binomial standard errors of the median at that size (200
 * validation images at 90 %: 6.4 points), so sampling noise of a small validation split is not called a failure.
 *
 * Why the progress condition: a gap alone does not tell a failed optimisation from a model that differs by seed.
 * The quick suite's hybrid-qpool seed 1 (47.2 % against 84 %) is a failure: its loss stayed near ln 10 (16 % of
 * the way down, its peers 68 %). The frozen random kernels of official hybrid-kpool-frozen / hybrid-qpool-frozen
 * are seed-made models: seeds 79–86 % against peers near 90 % trained steadily, 78–92 % of their peers' progress;
 * so they are outliers, as is LeNet-5-like seed 2 of the old subset suite (95.05 % on a last-epoch dip, its
 * training loss as low as its peers').
 */

/** Thresholds of the stall rule (absolute accuracy fractions; progressRatio a fraction of the peers' median progress). */
export const STALL_RULE = Object.freeze({ chanceMargin: 0.1, peerGap: 0.02, minPeers: 2, noiseSE: 3, progressRatio: 0.5 });

/** What classifyRuns needs of one run. */
export interface RunHealthInput {
  seed: number;
  /** Training losses per epoch, cross-entropy (any non-finite value marks divergence). */
  losses: readonly number[];
  /** The accuracy the run is judged on (validation accuracy of the selected epoch; test accuracy for old files). */
  accuracy: number;
  numClasses: number;
  /** Images the accuracy was measured on (widens the peer gap for small sets; absent: the fixed gap). */
  sampleSize?: number;
}

/** The verdict on one run: ok and outlier runs count in the means; diverged and stalled ones are failures, kept out. */
export type RunHealth = { seed: number; status: 'ok' } | { seed: number; status: 'outlier' | 'diverged' | 'stalled'; reason: string };

/** A failed run's verdict (diverged or stalled). */
export type RunFailure = { seed: number; status: 'diverged' | 'stalled'; reason: string };

/** An outlier's verdict (trained normally, far below its peers; counted). */
export type RunOutlier = { seed: number; status: 'outlier'; reason: string };

/** Whether a verdict keeps the run in the means (ok or outlier). */
export function countsInMean(h: RunHealth): boolean {
  return h.status === 'ok' || h.status === 'outlier';
}

/** The failed verdicts of `health` (diverged or stalled). */
export function failuresOf(health: readonly RunHealth[]): RunFailure[] {
  return health.filter((h): h is RunFailure => h.status === 'diverged' || h.status === 'stalled');
}

/** The outlier verdicts of `health`. */
export function outliersOf(health: readonly RunHealth[]): RunOutlier[] {
  return health.filter((h): h is RunOutlier => h.status === 'outlier');
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** How far training got: (ln C − lowest training loss) / ln C; 0 at a uniform guess, 1 at zero loss; NaN without losses. */
export function trainingProgress(losses: readonly number[], numClasses: number): number {
  if (losses.length === 0) return NaN;
  const chanceLoss = Math.log(numClasses);
  return (chanceLoss - Math.min(...losses)) / chanceLoss;
}

/** Classifies the seeds of ONE model on one dataset as ok, outlier, diverged or stalled (see the file comment). */
export function classifyRuns(runs: readonly RunHealthInput[]): RunHealth[] {
  const diverged = (r: RunHealthInput): boolean => !Number.isFinite(r.accuracy) || r.losses.some((l) => !Number.isFinite(l));
  const finite = runs.filter((r) => !diverged(r));
  const pct = (x: number): string => (100 * x).toFixed(2);
  return runs.map((r): RunHealth => {
    if (diverged(r)) return { seed: r.seed, status: 'diverged', reason: 'non-finite loss or accuracy' };
    const chance = 1 / r.numClasses;
    if (r.accuracy < chance + STALL_RULE.chanceMargin) {
      return { seed: r.seed, status: 'stalled', reason: `accuracy ${pct(r.accuracy)} % is within ${100 * STALL_RULE.chanceMargin} points of chance (${(100 * chance).toFixed(1)} %)` };
    }
    const peers = finite.filter((p) => p !== r);
    if (peers.length < STALL_RULE.minPeers) return { seed: r.seed, status: 'ok' };
    const mid = median(peers.map((p) => p.accuracy));
    const noise = r.sampleSize ? STALL_RULE.noiseSE * Math.sqrt((mid * (1 - mid)) / r.sampleSize) : 0;
    const gap = Math.max(STALL_RULE.peerGap, noise);
    if (r.accuracy >= mid - gap) return { seed: r.seed, status: 'ok' };
    const progress = trainingProgress(r.losses, r.numClasses);
    const peerProgress = median(peers.map((p) => trainingProgress(p.losses, p.numClasses)));
    const below = `accuracy ${pct(r.accuracy)} % is more than ${(100 * gap).toFixed(1)} points below the other seeds' median ${pct(mid)} %`;
    const progressText = `training progress ${progress.toFixed(2)} against the other seeds' median ${peerProgress.toFixed(2)}`;
    // Without loss histories (NaN) nothing shows a failed optimisation, so the run is an outlier.
    if (peerProgress > 0 && progress < STALL_RULE.progressRatio * peerProgress) {
      return { seed: r.seed, status: 'stalled', reason: `${below}, and its ${progressText} is less than ${STALL_RULE.progressRatio} of it` };
    }
    return { seed: r.seed, status: 'outlier', reason: `${below}, but it trained (${progressText}): counted` };
  });
}

/** Two-sided 97.5 % quantiles of Student's t for 1…30 degrees of freedom (standard tables). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** The 0.975 quantile of Student's t with `df` degrees of freedom (table up to 30, then 1.96 + a 1/df correction). */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new Error(`tQuantile975: df must be an integer >= 1, got ${df}`);
  return df <= 30 ? T975[df - 1] : 1.96 + 2.4 / df;
}

/** Paired comparison over the seeds both sides have (a − b per seed). */
export interface PairedComparison {
  seeds: number[];
  differences: number[];
  meanDifference: number;
  /** 95 % t-interval of the mean difference; null with fewer than two shared seeds. */
  ci95: [number, number] | null;
}

/** Pairs `a` and `b` (seed → value) on their shared seeds and returns the mean difference with its 95 % t-interval. */
export function pairedComparison(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): PairedComparison {
  const seeds = [...a.keys()].filter((s) => b.has(s)).sort((x, y) => x - y);
  if (seeds.length === 0) throw new Error(`pairedComparison: no shared seeds (a has ${[...a.keys()].join(',') || 'none'}, b has ${[...b.keys()].join(',') || 'none'})`);
  const differences = seeds.map((s) => (a.get(s) as number) - (b.get(s) as number));
  const n = differences.length;
  const meanDifference = differences.reduce((x, y) => x + y, 0) / n;
  if (n < 2) return { seeds, differences, meanDifference, ci95: null };
  const sd = Math.sqrt(differences.reduce((x, d) => x + (d - meanDifference) ** 2, 0) / (n - 1));
  const half = tQuantile975(n - 1) * sd / Math.sqrt(n);
  return { seeds, differences, meanDifference, ci95: [meanDifference - half, meanDifference + half] };
}
