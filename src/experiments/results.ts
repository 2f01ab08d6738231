/**
 * The result files of training runs and of the reproduction suite: the schema (read by src/viz and the
 * notebooks, so every field is documented here), summaries over seeds, and the CSV twin of a summary.
 *
 * Files (all JSON, written atomically):
 *  - one `RunResult` per run: `qkc train --out DIR` writes DIR/result.json; `qkc reproduce` writes
 *    `<out>/<suite>-<dataset>-<model>-s<seed>.json` (e.g. figures/results/quick-mnist-hybrid-small-s0.json);
 *  - one `ResultsSummary` per suite: `<out>/<suite>-summary.json` and its table `<out>/<suite>-summary.csv`.
 * Test accuracy is measured on the dataset's test split after the last epoch (no early stopping and no
 * model selection on the test set); the per-epoch `val_*` metrics in `history` are that same test split.
 */
import type { EpochRecord } from '../train';
import type { ModelFamily, ParameterSplit } from '../models';
import { classifyRuns, type RunHealth } from './run-health';

/** Which suite produced a result: 'quick' / 'full' from `qkc reproduce`, null for a single `qkc train`. */
export type SuiteName = 'quick' | 'full';

/** Everything one training run produced. */
export interface RunResult {
  format: 'qkc-run-result/1';
  /** `<dataset>-<model>-s<seed>`: unique within a suite. */
  id: string;
  suite: SuiteName | null;
  model: {
    name: string;
    family: ModelFamily;
    description: string;
    /** For hybrids: names of the same-shape control and the parameter-matched CNN. */
    controls: { sameShape: string; paramMatched: string } | null;
    /** `architectureHash` of the trained model (layer classes and configs): changes when a factory changes. */
    architecture: string;
  };
  /** Trainable parameters, split quantum (angles of quantum layers) / classical. */
  parameters: ParameterSplit;
  dataset: {
    /** 'mnist' (embedded 8,000/2,000 split unless full IDX files were used), 'fashion-mnist' or a directory. */
    name: string;
    /** Provenance line from src/data (package or directory, split, subsets). */
    source: string;
    trainSize: number;
    testSize: number;
    numClasses: number;
  };
  training: {
    seed: number;
    epochs: number;
    batchSize: number;
    learningRate: number;
    quantumLearningRate: number;
    /** Gradient method of the quantum layers ('parameter-shift', 'adjoint' or 'backprop'). */
    diffMethod: string;
    /** The trainer's run-config hash (identifies the run for resuming). */
    configHash: string | null;
  };
  /** Per-epoch metrics from the trainer (val_* = the test split). */
  history: EpochRecord[];
  /** After the last epoch, on the test split. */
  final: {
    testAccuracy: number;
    testLoss: number;
    /** Training-mode mean over the last epoch. */
    trainAccuracy: number;
    trainLoss: number;
    /** Accuracy per true class; null for a class absent from the test split. */
    perClassAccuracy: Array<number | null>;
    /** confusion[true][predicted]. */
    confusion: number[][];
  };
  timing: {
    /** Mean over epochs of the training pass (no validation, no checkpoint writing), seconds. */
    meanEpochTimeS: number;
    /** Sum of training passes, seconds. */
    trainTimeS: number;
    /** The final test evaluation, seconds. */
    evalTimeS: number;
  };
  /** Circuit executions as a hardware run would count them (0 for classical models). */
  circuitExecutions: {
    /** Mean per training epoch (forward + gradient). */
    perEpoch: number;
    /** All training epochs. */
    train: number;
    /** One forward pass over the test split. */
    testPass: number;
  };
  environment: { backend: string; qkcVersion: string; node: string; createdAt: string };
}

/** Mean and sample standard deviation (n − 1; 0 for a single value) with the values themselves. */
export interface Stat {
  mean: number;
  std: number;
  values: number[];
}

/** One row of a suite's table: a model on a dataset, aggregated over seeds. */
export interface SummaryRow {
  dataset: string;
  model: string;
  family: ModelFamily;
  controls: { sameShape: string; paramMatched: string } | null;
  /** The good seeds (testAccuracy.values is in this order). */
  seeds: number[];
  /** Seeds that diverged or stalled (see run-health.ts), kept out of testAccuracy; absent in old summaries. */
  failed?: Array<Exclude<RunHealth, { status: 'ok' }>>;
  parameters: ParameterSplit;
  /** Over the good seeds only (NaN mean when every seed failed). */
  testAccuracy: Stat;
  epochTimeS: Stat;
  /** Mean circuit executions per training epoch. */
  circuitExecutionsPerEpoch: number;
  epochs: number;
  trainSize: number;
  testSize: number;
  diffMethod: string;
}

/** A suite's summary file. */
export interface ResultsSummary {
  format: 'qkc-results-summary/1';
  suite: SuiteName;
  createdAt: string;
  /** What the last `qkc reproduce` invocation ran (epochs, sizes, seeds, learning rates, …), as it printed them. */
  settings: Record<string, unknown>;
  /**
   * One row per (dataset, model): this invocation's runs, plus the saved runs of pairs it did not run
   * (e.g. MNIST rows stay when only Fashion-MNIST runs). Each row states its own epochs, sizes and method.
   */
  rows: SummaryRow[];
  /** Datasets or runs not run, with the reason (e.g. Fashion-MNIST files absent). */
  skipped: Array<{ dataset: string; reason: string }>;
}

/** Mean and sample standard deviation of `values` (at least one). */
export function stat(values: readonly number[]): Stat {
  if (values.length === 0) throw new Error('stat: expected at least one value, got none');
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.length < 2 ? 0 : values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, std: Math.sqrt(variance), values: [...values] };
}

/** Groups run results by (dataset, model) into summary rows, in the order of first appearance. */
export function summarizeRuns(results: readonly RunResult[]): SummaryRow[] {
  const groups = new Map<string, RunResult[]>();
  for (const r of results) {
    const key = `${r.dataset.name}\u0000${r.model.name}`;
    const g = groups.get(key);
    if (g) g.push(r); else groups.set(key, [r]);
  }
  return [...groups.values()].map((runs) => {
    const first = runs[0];
    const health = classifyRuns(runs.map((r) => ({
      seed: r.training.seed, losses: r.history.map((h) => h.loss), accuracy: r.final.testAccuracy, numClasses: r.dataset.numClasses,
    })));
    const good = runs.filter((_, i) => health[i].status === 'ok');
    const failed = health.filter((h): h is Exclude<RunHealth, { status: 'ok' }> => h.status !== 'ok');
    return {
      dataset: first.dataset.name,
      model: first.model.name,
      family: first.model.family,
      controls: first.model.controls,
      seeds: good.map((r) => r.training.seed),
      failed,
      parameters: first.parameters,
      testAccuracy: good.length ? stat(good.map((r) => r.final.testAccuracy)) : { mean: NaN, std: NaN, values: [] },
      epochTimeS: stat(runs.map((r) => r.timing.meanEpochTimeS)),
      circuitExecutionsPerEpoch: stat(runs.map((r) => r.circuitExecutions.perEpoch)).mean,
      epochs: first.training.epochs,
      trainSize: first.dataset.trainSize,
      testSize: first.dataset.testSize,
      diffMethod: first.training.diffMethod,
    };
  });
}

/** Column order of the summary CSV. */
export const SUMMARY_COLUMNS = [
  'dataset', 'model', 'family', 'runs', 'test_accuracy_mean', 'test_accuracy_std', 'params_quantum', 'params_classical',
  'params_total', 'epoch_time_s_mean', 'epoch_time_s_std', 'circuit_executions_per_epoch', 'epochs', 'train_size',
  'test_size', 'diff_method', 'same_shape_control', 'param_matched_cnn',
] as const;

/** The summary table as CSV (header + one line per row). */
export function summaryToCsv(rows: readonly SummaryRow[]): string {
  const lines: string[] = [SUMMARY_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push([
      r.dataset, r.model, r.family, r.seeds.length, r.testAccuracy.mean, r.testAccuracy.std, r.parameters.quantum,
      r.parameters.classical, r.parameters.total, r.epochTimeS.mean, r.epochTimeS.std, r.circuitExecutionsPerEpoch,
      r.epochs, r.trainSize, r.testSize, r.diffMethod, r.controls?.sameShape ?? '', r.controls?.paramMatched ?? '',
    ].map((v) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v))).join(','));
  }
  return lines.join('\n') + '\n';
}

/** Checks that `value` looks like a RunResult (format tag and the fields summaries read); throws naming `source`. */
export function checkRunResult(value: unknown, source: string): RunResult {
  const r = value as RunResult;
  const ok = r != null && r.format === 'qkc-run-result/1' && typeof r.id === 'string' && typeof r.model?.name === 'string'
    && typeof r.final?.testAccuracy === 'number' && Array.isArray(r.history) && typeof r.parameters?.total === 'number';
  if (!ok) throw new Error(`${source}: not a qkc run result (expected format 'qkc-run-result/1' with model, final, history, parameters)`);
  return r;
}
