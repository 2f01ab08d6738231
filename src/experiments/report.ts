/** The text `qkc reproduce` prints after a suite: one line per summary row, then each hybrid beside its two controls. */
import type { ResultsSummary, SummaryRow } from './results';

/** One table line of a summary row (selected and last-epoch accuracy as mean ± std in %, selected epoch, images/s). */
function rowLine(r: SummaryRow, w: number): string {
  const acc = `${(100 * r.testAccuracy.mean).toFixed(2)} ± ${(100 * r.testAccuracy.std).toFixed(2)}`;
  const last = `${(100 * r.lastEpochTestAccuracy.mean).toFixed(2)}`;
  const selection = r.validation ? `${last.padStart(6)} ${r.selectedEpoch.toFixed(1).padStart(5)}` : `${'(no validation)'.padStart(12)}`;
  const p = r.parameters;
  const circuits = r.circuitExecutionsPerEpoch > 0 ? r.circuitExecutionsPerEpoch.toExponential(2) : '0';
  return `${r.dataset.padEnd(14)} ${r.model.padEnd(w)} ${acc.padStart(14)} ${selection}  ${String(p.quantum).padStart(4)} / ${String(p.classical).padEnd(6)} ` +
    `${Math.round(r.imagesPerS).toString().padStart(7)}  ${circuits.padStart(9)}  ${r.seeds.length}${r.outliers?.length ? ` (outliers: ${r.outliers.map((o) => `s${o.seed}`).join(', ')})` : ''}${r.failed?.length ? ` (failed: ${r.failed.map((f) => `s${f.seed} ${f.status}`).join(', ')})` : ''}`;
}

/** `model acc ± std` of a row, or '(not run)'. */
function accuracyOf(r: SummaryRow | undefined): string {
  if (!r) return '(not run)';
  if (r.seeds.length === 0) return `${r.model} all seeds failed`;
  return `${r.model} ${(100 * r.testAccuracy.mean).toFixed(2)} ± ${(100 * r.testAccuracy.std).toFixed(2)}`;
}

/** The lines of the results table and of the hybrid-vs-controls comparison, and one per skipped dataset. */
export function suiteReportLines(summary: ResultsSummary): string[] {
  const w = Math.max(15, ...summary.rows.map((r) => r.model.length));
  const lines = [`${'dataset'.padEnd(14)} ${'model'.padEnd(w)} ${'test acc %'.padStart(14)} ${'last %'.padStart(6)} ${'epoch'.padStart(5)}  params q / c    img/s  circ/epoch  seeds`];
  lines.push(...summary.rows.map((r) => rowLine(r, w)));
  const hybrids = summary.rows.filter((r) => r.controls);
  if (hybrids.length > 0) lines.push('', 'each hybrid | its same-shape classical control | the parameter-matched CNN (test acc %):');
  for (const h of hybrids) {
    const find = (name: string): SummaryRow | undefined => summary.rows.find((r) => r.dataset === h.dataset && r.model === name && (r.validation?.size ?? 0) === (h.validation?.size ?? 0));
    lines.push(`${h.dataset.padEnd(14)} ${accuracyOf(h)} | ${accuracyOf(find(h.controls!.sameShape))} | ${accuracyOf(find(h.controls!.paramMatched))}`);
  }
  for (const s of summary.skipped) lines.push(`skipped ${s.dataset}: ${s.reason}`);
  return lines;
}
