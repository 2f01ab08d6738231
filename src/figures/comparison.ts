/**
 * The results table as records for notebooks (showTable) and the hybrid-vs-controls comparison: each
 * hybrid's accuracy beside its same-shape control's and its parameter-matched CNN's, with the
 * differences in percentage points — whichever side wins.
 */
import type { SummaryRow } from '../models';

function pct(r: SummaryRow): string {
  const m = (100 * r.testAccuracy.mean).toFixed(1);
  return r.seeds.length > 1 ? `${m} ± ${(100 * r.testAccuracy.std).toFixed(1)}` : m;
}

/** One record per summary row: the columns of the results table. */
export function summaryRecords(rows: readonly SummaryRow[]): Record<string, string | number>[] {
  return rows.map((r) => ({
    dataset: r.dataset, model: r.model, family: r.family, 'test accuracy %': pct(r),
    'params quantum': r.parameters.quantum, 'params classical': r.parameters.classical, 'params total': r.parameters.total,
    's / epoch': Number(r.epochTimeS.mean.toFixed(2)), 'circuits / epoch': r.circuitExecutionsPerEpoch, seeds: r.seeds.length,
    epochs: r.epochs, 'train / test': `${r.trainSize} / ${r.testSize}`,
  }));
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
      'same-shape control': h.controls.sameShape, 'control %': same ? pct(same) : 'no result', 'Δ vs control (points)': diff(same),
      'parameter-matched CNN': h.controls.paramMatched, 'CNN %': matched ? pct(matched) : 'no result', 'Δ vs CNN (points)': diff(matched),
    });
  }
  return out;
}
