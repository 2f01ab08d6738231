/**
 * The results table as records for notebooks (showTable) and the hybrid-vs-controls comparison: each
 * hybrid's accuracy beside its same-shape control's and its parameter-matched CNN's, with the
 * differences in percentage points — whichever side wins; and the same runs under two gradient methods.
 */
import { pairedComparison, stat, type PairedComparison, type RunResult, type SummaryRow } from '../experiments';

function pct(r: SummaryRow): string {
  if (r.seeds.length === 0) return 'all seeds failed';
  const m = (100 * r.testAccuracy.mean).toFixed(1);
  return r.seeds.length > 1 ? `${m} ± ${(100 * r.testAccuracy.std).toFixed(1)}` : m;
}

/** The seeds column: counted seeds, then outliers and failed ones by seed (e.g. '5 (outliers: s2, s4)', '2 (failed: s2 stalled)'). */
function seedsCell(r: SummaryRow): number | string {
  const notes = [...healthNotes(r)];
  return notes.length ? `${r.seeds.length} (${notes.join('; ')})` : r.seeds.length;
}

/** The named seeds of a row: 'outliers: s2, s4' (counted) and 'failed: s1 stalled' (not counted), each when present. */
export function healthNotes(r: SummaryRow): string[] {
  const notes: string[] = [];
  if (r.outliers?.length) notes.push(`outlier${r.outliers.length > 1 ? 's' : ''}: ${r.outliers.map((o) => `s${o.seed}`).join(', ')}`);
  if (r.failed?.length) notes.push(`failed: ${r.failed.map((f) => `s${f.seed} ${f.status}`).join(', ')}`);
  return notes;
}

/** The paired a − b test-accuracy difference over the good seeds both rows share (null when they share none). */
export function rowPairedDifference(a: SummaryRow, b: SummaryRow): PairedComparison | null {
  const bySeed = (r: SummaryRow): Map<number, number> => new Map(r.seeds.map((s, i) => [s, r.testAccuracy.values[i]] as const));
  const x = bySeed(a); const y = bySeed(b);
  return [...x.keys()].some((s) => y.has(s)) ? pairedComparison(x, y) : null;
}

/** A paired difference in points with its 95 % t-interval, e.g. '0.12 [-0.05, 0.29] (n=3)' or '0.12 (n=1)'. */
export function pairedText(p: PairedComparison): string {
  const f = (x: number): string => (100 * x).toFixed(2);
  return p.ci95 ? `${f(p.meanDifference)} [${f(p.ci95[0])}, ${f(p.ci95[1])}] (n=${p.seeds.length})` : `${f(p.meanDifference)} (n=1)`;
}

/** Paired hybrid − control difference over shared good seeds, in points with its 95 % t-interval. */
function pairedCell(h: SummaryRow, c: SummaryRow | undefined): string {
  if (!c) return '';
  const p = rowPairedDifference(h, c);
  return p ? pairedText(p) : 'no shared seeds';
}

/** The individual seeds' selected test accuracies, e.g. 's0 98.91, s1 99.02'. */
function perSeed(r: SummaryRow): string {
  return r.seeds.map((s, i) => `s${s} ${(100 * r.testAccuracy.values[i]).toFixed(2)}`).join(', ');
}

/** What a row's accuracy is: the best-validation epoch's, or (old files, no validation split) the last epoch's. */
export function protocolOf(r: Pick<SummaryRow, 'validation'>): string {
  return r.validation ? `best-validation epoch (${r.validation.size} validation images)` : 'last epoch (no validation split: old protocol)';
}

/** One record per summary row: the columns of the results table. */
export function summaryRecords(rows: readonly SummaryRow[]): Record<string, string | number>[] {
  return rows.map((r) => ({
    dataset: r.dataset, model: r.model, family: r.family, 'test accuracy %': pct(r), 'per seed %': perSeed(r),
    // One seed has no spread: its value alone (as the test accuracy column shows it).
    'last-epoch test %': r.seeds.length > 1 ? `${(100 * r.lastEpochTestAccuracy.mean).toFixed(2)} ± ${(100 * r.lastEpochTestAccuracy.std).toFixed(2)}`
      : r.seeds.length === 1 ? (100 * r.lastEpochTestAccuracy.mean).toFixed(2) : '',
    'selected epoch': Number.isFinite(r.selectedEpoch) ? Number(r.selectedEpoch.toFixed(1)) : '', 'stopped early': r.stoppedEarly,
    'images / s': Number.isFinite(r.imagesPerS) ? Math.round(r.imagesPerS) : '', selection: protocolOf(r),
    'params quantum': r.parameters.frozenQuantum ? `${r.parameters.quantum} (+${r.parameters.frozenQuantum} frozen)` : r.parameters.quantum, 'params classical': r.parameters.classical, 'params total': r.parameters.total,
    's / epoch': Number(r.epochTimeS.mean.toFixed(2)), 'circuits / epoch': r.circuitExecutionsPerEpoch, seeds: seedsCell(r),
    epochs: r.epochs, 'train / test': `${r.trainSize} / ${r.testSize}`,
  }));
}

/** The rivals a hybrid is paired with, by role: its same-shape control, the parameter-matched CNN, LeNet-5-like and its frozen-kernel twin. */
export function hybridRivals(h: SummaryRow): Array<{ role: string; model: string }> {
  if (!h.controls) return [];
  return [
    { role: 'same-shape control', model: h.controls.sameShape },
    { role: 'parameter-matched CNN', model: h.controls.paramMatched },
    { role: 'LeNet-5-like', model: 'lenet5' },
    { role: 'frozen-kernel twin', model: `${h.model}-frozen` },
  ];
}

/**
 * One record per (hybrid, rival) with results on the same dataset under the same protocol: both selected
 * test accuracies and the paired hybrid − rival difference over shared good seeds with its 95 % t-interval.
 */
export function pairedComparisons(rows: readonly SummaryRow[]): Record<string, string | number>[] {
  const out: Record<string, string | number>[] = [];
  const sameProtocol = (a: SummaryRow, b: SummaryRow): boolean => (a.validation?.size ?? 0) === (b.validation?.size ?? 0);
  for (const h of rows) {
    if (h.family !== 'hybrid' || !h.controls) continue;
    for (const { role, model } of hybridRivals(h)) {
      const c = rows.find((r) => r.dataset === h.dataset && r.model === model && sameProtocol(r, h));
      if (!c) continue;
      out.push({
        dataset: h.dataset, hybrid: h.model, 'hybrid %': pct(h), 'params (q + c)': `${h.parameters.quantum} + ${h.parameters.classical}`,
        versus: role, rival: model, 'rival %': pct(c), 'rival params': c.parameters.total, 'paired Δ (points), 95 % CI': pairedCell(h, c),
      });
    }
  }
  return out;
}

/** One record per hybrid (with results for both controls): accuracies and hybrid − control differences in points. */
export function hybridComparison(rows: readonly SummaryRow[]): Record<string, string | number>[] {
  const out: Record<string, string | number>[] = [];
  for (const h of rows) {
    if (h.family !== 'hybrid' || !h.controls) continue;
    const same = rows.find((r) => r.dataset === h.dataset && r.model === h.controls!.sameShape);
    const matched = rows.find((r) => r.dataset === h.dataset && r.model === h.controls!.paramMatched);
    const diff = (c: SummaryRow | undefined): number | string => (c ? Number((100 * (h.testAccuracy.mean - c.testAccuracy.mean)).toFixed(1)) : '');
    out.push({
      dataset: h.dataset, hybrid: h.model, 'hybrid %': pct(h), 'params (q + c)': `${h.parameters.quantum} + ${h.parameters.classical}`,
      'same-shape control': h.controls.sameShape, 'control %': same ? pct(same) : 'no result', 'Δ vs control (points)': diff(same), 'paired Δ vs control, 95 % CI': pairedCell(h, same),
      'parameter-matched CNN': h.controls.paramMatched, 'CNN %': matched ? pct(matched) : 'no result', 'Δ vs CNN (points)': diff(matched), 'paired Δ vs CNN, 95 % CI': pairedCell(h, matched),
    });
  }
  return out;
}

/**
 * Hybrid runs of `a` paired with the run of `b` of the same dataset, model and seed trained with another
 * quantum gradient method, grouped by (dataset, model) in `a`'s order.
 */
export function pairRunsByGradientMethod(a: readonly RunResult[], b: readonly RunResult[]): Array<Array<[RunResult, RunResult]>> {
  const key = (r: RunResult): string => `${r.dataset.name}\0${r.model.name}\0${r.training.seed}`;
  const other = new Map(b.filter((r) => r.parameters.quantum > 0).map((r) => [key(r), r] as const));
  const groups = new Map<string, Array<[RunResult, RunResult]>>();
  for (const r of a) {
    const twin = other.get(key(r));
    if (r.parameters.quantum === 0 || !twin || twin.training.diffMethod === r.training.diffMethod) continue;
    const g = `${r.dataset.name}\0${r.model.name}`;
    groups.set(g, [...(groups.get(g) ?? []), [r, twin]]);
  }
  return [...groups.values()];
}

/**
 * One record per (dataset, hybrid) trained with two quantum gradient methods on the same seeds (e.g. the
 * parameter-shift suite in figures/results and its backprop twin in figures/results/full-backprop):
 * both accuracies, the largest per-seed accuracy and per-epoch training-loss differences, and what each
 * method cost (seconds and circuit executions per epoch). Pairs are matched by dataset, model and seed.
 */
export function gradientMethodComparison(a: readonly RunResult[], b: readonly RunResult[]): Record<string, string | number>[] {
  const mean = (xs: number[]): number => stat(xs).mean;
  const out: Record<string, string | number>[] = [];
  for (const pairs of pairRunsByGradientMethod(a, b)) {
    const [x, y] = pairs[0];
    const ma = x.training.diffMethod;
    const mb = y.training.diffMethod;
    const lossGap = Math.max(...pairs.flatMap(([p, q]) => p.history.map((h, i) => (q.history[i] ? Math.abs(h.loss - q.history[i].loss) : 0))));
    const secs = (rs: RunResult[]): number => mean(rs.map((r) => r.timing.meanEpochTimeS));
    out.push({
      dataset: x.dataset.name, model: x.model.name, seeds: pairs.map(([p]) => p.training.seed).join(','),
      [`${ma} %`]: Number((100 * mean(pairs.map(([p]) => p.final.testAccuracy))).toFixed(2)),
      [`${mb} %`]: Number((100 * mean(pairs.map(([, q]) => q.final.testAccuracy))).toFixed(2)),
      'max |Δ acc| (points)': Number((100 * Math.max(...pairs.map(([p, q]) => Math.abs(p.final.testAccuracy - q.final.testAccuracy)))).toFixed(2)),
      'max |Δ train loss|': Number(lossGap.toPrecision(2)),
      [`s / epoch (${ma})`]: Number(secs(pairs.map(([p]) => p)).toFixed(2)),
      [`s / epoch (${mb})`]: Number(secs(pairs.map(([, q]) => q)).toFixed(2)),
      [`circuits / epoch (${ma})`]: x.circuitExecutions.perEpoch,
      [`circuits / epoch (${mb})`]: y.circuitExecutions.perEpoch,
    });
  }
  return out;
}
