/**
 * The tables `qkc results` prints (plain text or Markdown) from a suite's saved results: one results table
 * and one paired-comparison table per dataset and protocol. The README's generated Results block prints the
 * same text (src/figures/readme-results.ts), so the two cannot drift apart.
 */
import type { SummaryRow } from '../experiments';
import { tableMarkdown, tableText } from '../viz';
import { pairedComparisons, protocolOf, summaryRecords } from './comparison';
import type { SuiteResults } from './results-files';

/** One titled table, as `qkc results` prints it. */
export function titledTable(title: string, records: Record<string, string | number>[], markdown: boolean): string {
  return markdown ? `**${title}**\n\n${tableMarkdown(records)}\n` : `${title}\n${tableText(records, Infinity)}\n`;
}

/** One line saying what a dataset's rows were trained on and how. */
export function resultsHeading(rows: readonly SummaryRow[]): string {
  const r = rows[0];
  const seeds = Math.max(...rows.map((x) => x.seeds.length + (x.failed?.length ?? 0)));
  const methods = [...new Set(rows.filter((x) => x.parameters.quantum > 0).map((x) => x.diffMethod))];
  const validation = r.validation ? ` / ${r.validation.size.toLocaleString('en-US')} validation` : '';
  return `${r.dataset}: ${r.trainSize.toLocaleString('en-US')} train${validation} / ${r.testSize.toLocaleString('en-US')} test images, up to ${Math.max(...rows.map((x) => x.epochs))} epochs; ` +
    `test accuracy of the ${protocolOf(r)} as mean ± std of the good seeds (outliers counted and named, failed ones named and left out) over ${seeds} seed(s)${methods.length ? `; quantum gradients by ${methods.join(' and ')}` : ''}`;
}

/** The rows grouped by dataset and protocol (validated runs and old runs without validation never share a table), in row order. */
export function rowGroups(rows: readonly SummaryRow[]): SummaryRow[][] {
  const groupOf = (r: SummaryRow): string => `${r.dataset}\0${r.validation?.size ?? 0}`;
  return [...new Set(rows.map(groupOf))].map((g) => rows.filter((r) => groupOf(r) === g));
}

/**
 * The tables of `qkc results`: missing run files first, then per dataset and protocol the results table and
 * each hybrid paired with its rivals (same-shape control, parameter-matched CNN, LeNet-5-like, frozen twin).
 */
export function suiteResultsTables(saved: SuiteResults, markdown: boolean): string {
  const parts: string[] = saved.missingRuns.map((m) => `missing run file: ${m}`);
  for (const rows of rowGroups(saved.summary.rows)) {
    parts.push(titledTable(resultsHeading(rows), summaryRecords(rows).map((r) => ({
      model: r.model, 'test accuracy %': r['test accuracy %'], 'per seed %': r['per seed %'], 'last-epoch test %': r['last-epoch test %'],
      'selected epoch': r['selected epoch'], 'params quantum': r['params quantum'], 'params classical': r['params classical'],
      'images / s': r['images / s'], 'circuits / epoch': r['circuits / epoch'], seeds: r.seeds,
    })), markdown));
    const paired = pairedComparisons(rows);
    if (paired.length > 0) {
      parts.push(titledTable(`${rows[0].dataset}: each hybrid paired with its same-shape control, the parameter-matched CNN, LeNet-5-like and its frozen-kernel twin ` +
        '(hybrid − rival over shared good seeds, accuracy points, 95 % t-interval)', paired, markdown));
    }
  }
  return parts.map((p) => `${p}\n`).join('');
}
