/**
 * The result files of training runs and of the reproduction suite: the schema (read by src/viz and the
 * notebooks, so every field is documented here), summaries over seeds, and the CSV twin of a summary.
 *
 * Files (all JSON, written atomically):
 *  - one `RunResult` per run: `qkc train --out DIR` writes DIR/result.json; `qkc reproduce` writes
 *    `<out>/<suite>-<dataset>-<model>-s<seed>.json` (e.g. figures/results/quick-mnist-hybrid-small-s0.json);
 *  - one `ResultsSummary` per suite: `<out>/<suite>-summary.json` and its table `<out>/<suite>-summary.csv`.
 * Protocol (format 'qkc-run-result/2'): a validation split held out of the training set is evaluated after
 * every epoch (`val_*` in `history`); the weights of the best-validation epoch are selected (optionally with
 * early stopping) and the test split is read once at the end, for the selected weights (`final.testAccuracy`)
 * and for the last epoch's (`final.lastEpochTestAccuracy`). Files of format 'qkc-run-result/1' (before
 * validation) are read too, upgraded in memory with `dataset.validation: null` and `final.selection:
 * 'last-epoch'`: their `val_*` history was the test split, and summaries keep them in rows of their own.
 */
import type { EpochRecord, LrSchedule } from '../train';
import type { ModelFamily, ParameterSplit } from '../models';
import { ArgumentError } from '../util';
import { classifyRuns, countsInMean, failuresOf, outliersOf, type RunFailure, type RunOutlier } from './run-health';

/** Which suite produced a result: 'quick' / 'full' from `qkc reproduce`, null for a single `qkc train`. */
export type SuiteName = 'quick' | 'full' | 'full-official';

/** Every suite name, in the order results are shown ('full-official' first: it is the paper's table). */
export const SUITE_NAMES: readonly SuiteName[] = Object.freeze(['full-official', 'full', 'quick'] as const);

/** A suite name that is not one of SUITE_NAMES; `argument` is the option or field that gave it. */
export class SuiteNameError extends ArgumentError {}

/** `value` as a SuiteName, or a SuiteNameError naming `argument`, the suites and what came. */
export function checkSuiteName(value: unknown, argument = 'suite'): SuiteName {
  if (typeof value === 'string' && (SUITE_NAMES as readonly string[]).includes(value)) return value as SuiteName;
  throw new SuiteNameError(argument, `one of ${SUITE_NAMES.join(', ')}`, typeof value === 'string' ? `'${value}'` : String(value));
}

/** The current run result format; RUN_RESULT_FORMATS lists every format the readers accept. */
export const RUN_RESULT_FORMAT = 'qkc-run-result/2';
export const RUN_RESULT_FORMATS = Object.freeze(['qkc-run-result/1', RUN_RESULT_FORMAT] as const);

/** The validation split of a run: how many training images were held out, with which seed. */
export interface ValidationInfo {
  size: number;
  seed: number;
}

/** Everything one training run produced. */
export interface RunResult {
  /** '…/2': validation-selected; '…/1': an old file (last epoch tested, no validation), upgraded when read. */
  format: (typeof RUN_RESULT_FORMATS)[number];
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
    /** The validation split held out of the training set (disjoint from train and test); null: none (the last epoch is tested). */
    validation: ValidationInfo | null;
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
    /** Early stopping: epochs without a better validation accuracy before the run stops; null: never early. */
    patience: number | null;
    /** Learning-rate schedule (a model recipe's); absent: constant. */
    lrSchedule?: LrSchedule;
  };
  /** Per-epoch metrics from the trainer (val_* = the validation split; in '…/1' files, the test split). */
  history: EpochRecord[];
  /** The test split, read once at the end. */
  final: {
    /** 'best-validation': the best-validation epoch's weights are tested; 'last-epoch': no validation split, the last epoch's. */
    selection: 'best-validation' | 'last-epoch';
    /** Epoch (1-based) whose weights `testAccuracy` is for. */
    selectedEpoch: number;
    /** Validation accuracy of the selected epoch (null without validation). */
    bestValidationAccuracy: number | null;
    /** Early stopping ended the run before its last epoch. */
    stoppedEarly: boolean;
    /** Test accuracy and loss of the selected weights. */
    testAccuracy: number;
    testLoss: number;
    /** Test accuracy and loss of the last epoch's weights (equal to the selected when that is the last epoch). */
    lastEpochTestAccuracy: number;
    lastEpochTestLoss: number;
    /** Training-mode mean over the last epoch. */
    trainAccuracy: number;
    trainLoss: number;
    /** Accuracy per true class (selected weights); null for a class absent from the test split. */
    perClassAccuracy: Array<number | null>;
    /** confusion[true][predicted]. */
    confusion: number[][];
  };
  timing: {
    /** Mean over epochs of the training pass (no validation, no checkpoint writing), seconds. */
    meanEpochTimeS: number;
    /** Sum of training passes, seconds. */
    trainTimeS: number;
    /** The final test evaluation(s), seconds. */
    evalTimeS: number;
    /** Training images per second of training pass (trainSize × epochs / trainTimeS). */
    imagesPerS: number;
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
  /** The good seeds, outliers included (testAccuracy.values and lastEpochTestAccuracy.values are in this order). */
  seeds: number[];
  /** The rows' validation split; null: runs without one (old files: the last epoch tested, never mixed with validated runs). */
  validation: ValidationInfo | null;
  /** Seeds that diverged or stalled (see run-health.ts), kept out of testAccuracy; absent in old summaries. */
  failed?: RunFailure[];
  /** Seeds that trained normally but ended far below their peers (see run-health.ts): counted in testAccuracy, named. */
  outliers?: RunOutlier[];
  parameters: ParameterSplit;
  /** Test accuracy of the selected (best-validation) weights, over the good seeds only (NaN mean when every seed failed). */
  testAccuracy: Stat;
  /** Test accuracy of the last epoch's weights, over the same seeds. */
  lastEpochTestAccuracy: Stat;
  /** Mean selected epoch over the good seeds (NaN when none). */
  selectedEpoch: number;
  /** Runs (good or failed) that early stopping ended. */
  stoppedEarly: number;
  /** Mean training images per second over all seeds. */
  imagesPerS: number;
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
  /** '/2' rows carry validation, last-epoch accuracy, selected epoch and throughput; '/1' rows are upgraded when read. */
  format: 'qkc-results-summary/1' | 'qkc-results-summary/2';
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

/** The statistic of `values`, or NaN mean and std with no values. */
function statOrEmpty(values: readonly number[]): Stat {
  return values.length ? stat(values) : { mean: NaN, std: NaN, values: [] };
}

/** The accuracy run health judges a run on: the selected epoch's validation accuracy (test accuracy for runs without validation). */
export function healthAccuracy(r: RunResult): number {
  return r.final.bestValidationAccuracy ?? r.final.testAccuracy;
}

/**
 * Groups run results by (dataset, model, validation split) into summary rows, in the order of first
 * appearance: runs with and without a validation split (old files) never share a row.
 */
export function summarizeRuns(results: readonly RunResult[]): SummaryRow[] {
  const groups = new Map<string, RunResult[]>();
  for (const r of results) {
    const v = r.dataset.validation;
    const key = `${r.dataset.name}\u0000${r.model.name}\u0000${v ? `${v.size}:${v.seed}` : 'none'}`;
    const g = groups.get(key);
    if (g) g.push(r); else groups.set(key, [r]);
  }
  return [...groups.values()].map((runs) => {
    const first = runs[0];
    const health = classifyRuns(runs.map((r) => ({
      seed: r.training.seed, losses: r.history.map((h) => h.loss), accuracy: healthAccuracy(r), numClasses: r.dataset.numClasses,
      sampleSize: r.dataset.validation?.size ?? r.dataset.testSize,
    })));
    const good = runs.filter((_, i) => countsInMean(health[i]));
    const failed = failuresOf(health);
    const outliers = outliersOf(health);
    return {
      dataset: first.dataset.name,
      model: first.model.name,
      family: first.model.family,
      controls: first.model.controls,
      seeds: good.map((r) => r.training.seed),
      validation: first.dataset.validation,
      failed,
      outliers,
      parameters: first.parameters,
      testAccuracy: statOrEmpty(good.map((r) => r.final.testAccuracy)),
      lastEpochTestAccuracy: statOrEmpty(good.map((r) => r.final.lastEpochTestAccuracy)),
      selectedEpoch: statOrEmpty(good.map((r) => r.final.selectedEpoch)).mean,
      stoppedEarly: runs.filter((r) => r.final.stoppedEarly).length,
      imagesPerS: stat(runs.map((r) => r.timing.imagesPerS)).mean,
      epochTimeS: stat(runs.map((r) => r.timing.meanEpochTimeS)),
      circuitExecutionsPerEpoch: stat(runs.map((r) => r.circuitExecutions.perEpoch)).mean,
      // The largest cap: a run that stopped early under a smaller one is the same run under it (sameEpochCap).
      epochs: Math.max(...runs.map((r) => r.training.epochs)),
      trainSize: first.dataset.trainSize,
      testSize: first.dataset.testSize,
      diffMethod: first.training.diffMethod,
    };
  });
}

/** Column order of the summary CSV. */
export const SUMMARY_COLUMNS = [
  'dataset', 'model', 'family', 'runs', 'test_accuracy_mean', 'test_accuracy_std', 'test_accuracy_seeds', 'last_epoch_test_accuracy_mean',
  'last_epoch_test_accuracy_std', 'selected_epoch_mean', 'stopped_early', 'validation_size', 'params_quantum', 'params_classical',
  'params_total', 'images_per_s', 'epoch_time_s_mean', 'epoch_time_s_std', 'circuit_executions_per_epoch', 'epochs', 'train_size',
  'test_size', 'diff_method', 'failed_seeds', 'same_shape_control', 'param_matched_cnn', 'params_quantum_frozen', 'outlier_seeds',
] as const;

/** The summary table as CSV (header + one line per row); test_accuracy_seeds is `seed:accuracy` pairs separated by spaces. */
export function summaryToCsv(rows: readonly SummaryRow[]): string {
  const lines: string[] = [SUMMARY_COLUMNS.join(',')];
  for (const r of rows) {
    const perSeed = r.seeds.map((s, i) => `${s}:${r.testAccuracy.values[i]}`).join(' ');
    const failed = (r.failed ?? []).map((f) => `${f.seed}:${f.status}`).join(' ');
    lines.push([
      r.dataset, r.model, r.family, r.seeds.length, r.testAccuracy.mean, r.testAccuracy.std, perSeed, r.lastEpochTestAccuracy.mean,
      r.lastEpochTestAccuracy.std, r.selectedEpoch, r.stoppedEarly, r.validation?.size ?? 0, r.parameters.quantum,
      r.parameters.classical, r.parameters.total, r.imagesPerS, r.epochTimeS.mean, r.epochTimeS.std, r.circuitExecutionsPerEpoch,
      r.epochs, r.trainSize, r.testSize, r.diffMethod, failed, r.controls?.sameShape ?? '', r.controls?.paramMatched ?? '', r.parameters.frozenQuantum ?? 0,
      (r.outliers ?? []).map((o) => o.seed).join(' '),
    ].map((v) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v))).join(','));
  }
  return lines.join('\n') + '\n';
}

/** A '…/1' result (no validation; the last epoch tested, its val_* history the test split) in the current shape, format tag kept. */
function upgradeV1(r: RunResult): RunResult {
  const old = r as unknown as { final: Partial<RunResult['final']>; timing: Partial<RunResult['timing']> };
  const epochs = r.history.length;
  return {
    ...r,
    dataset: { ...r.dataset, validation: null },
    training: { ...r.training, patience: null },
    final: {
      ...r.final, selection: 'last-epoch', selectedEpoch: epochs, bestValidationAccuracy: null, stoppedEarly: false,
      lastEpochTestAccuracy: old.final.testAccuracy as number, lastEpochTestLoss: old.final.testLoss as number,
    },
    timing: { ...r.timing, imagesPerS: old.timing.trainTimeS ? (r.dataset.trainSize * epochs) / (old.timing.trainTimeS as number) : NaN },
  };
}

/** Checks that `value` looks like a RunResult (format tag and the fields summaries read); throws naming `source`. Old '…/1' files come back upgraded (see the file comment). */
export function checkRunResult(value: unknown, source: string): RunResult {
  const r = value as RunResult;
  const ok = r != null && (RUN_RESULT_FORMATS as readonly string[]).includes(r.format) && typeof r.id === 'string' && typeof r.model?.name === 'string'
    && typeof r.final?.testAccuracy === 'number' && Array.isArray(r.history) && typeof r.parameters?.total === 'number';
  if (!ok) throw new Error(`${source}: not a qkc run result (expected format ${RUN_RESULT_FORMATS.map((f) => `'${f}'`).join(' or ')} with model, final, history, parameters)`);
  return r.format === 'qkc-run-result/1' ? upgradeV1(r) : r;
}

/** A summary row of an old ('/1') summary in the current shape: no validation, the last epoch tested. */
export function upgradeSummaryRow(row: SummaryRow): SummaryRow {
  if (row.lastEpochTestAccuracy) return row;
  return { ...row, validation: null, lastEpochTestAccuracy: row.testAccuracy, selectedEpoch: row.epochs, stoppedEarly: 0, imagesPerS: NaN };
}
