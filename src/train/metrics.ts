/**
 * Per-epoch metrics: CSV/JSON files (written atomically, since figures and notebooks
 * read them while runs go on) and a danfojs DataFrame. danfojs-node takes about a second to load, so it
 * is required only when a DataFrame is asked for.
 */
import * as path from 'path';
import type { DataFrame } from 'danfojs-node';
import { writeFileAtomic } from '../util/atomic';
import type { EpochRecord } from './epoch-record';
import type { RunConfig } from './fingerprint';

export type { EpochRecord } from './epoch-record';

/** Column order of CSV files and DataFrames. */
export const METRIC_COLUMNS: readonly (keyof EpochRecord)[] = [
  'epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'epoch_time_s', 'val_time_s', 'circuit_executions',
  'val_circuit_executions',
];

/** File names inside outDir. */
export const METRICS_JSON = 'metrics.json';
/** CSV twin of metrics.json. */
export const METRICS_CSV = 'metrics.csv';

/** The content of metrics.json. */
export interface MetricsFile {
  format: 'qkc-train-metrics/1';
  configHash: string | null;
  config: RunConfig | null;
  history: EpochRecord[];
}

/** History as CSV: a header line, then one line per epoch; null is an empty field. */
export function metricsToCsv(history: readonly EpochRecord[]): string {
  const lines = [METRIC_COLUMNS.join(',')];
  for (const r of history) lines.push(METRIC_COLUMNS.map((c) => (r[c] == null ? '' : String(r[c]))).join(','));
  return lines.join('\n') + '\n';
}

/** Writes metrics.json and metrics.csv into `outDir`, each atomically. */
export async function writeMetrics(outDir: string, history: readonly EpochRecord[], config: RunConfig | null, hash: string | null): Promise<void> {
  const file: MetricsFile = { format: 'qkc-train-metrics/1', configHash: hash, config, history: [...history] };
  await writeFileAtomic(path.join(outDir, METRICS_JSON), JSON.stringify(file, null, 2) + '\n');
  await writeFileAtomic(path.join(outDir, METRICS_CSV), metricsToCsv(history));
}

/** History as a danfojs DataFrame (columns as METRIC_COLUMNS; missing validation values are NaN). */
export function metricsDataFrame(history: readonly EpochRecord[]): DataFrame {
  // Lazy: loading danfojs-node costs ~1 s, which users of plain arrays should not pay.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const danfo = require('danfojs-node') as typeof import('danfojs-node');
  // danfojs cannot build an empty frame from an object of empty columns; an empty row list works.
  if (history.length === 0) return new danfo.DataFrame([], { columns: [...METRIC_COLUMNS] });
  const columns: Record<string, number[]> = {};
  for (const c of METRIC_COLUMNS) columns[c] = history.map((r) => (r[c] == null ? NaN : (r[c] as number)));
  return new danfo.DataFrame(columns, { columns: [...METRIC_COLUMNS] });
}
