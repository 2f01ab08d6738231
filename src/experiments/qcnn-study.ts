/**
 * The fully quantum QCNN study (issue 13 item 5): the QCNNs of src/models/qcnn.ts beside classical models
 * on the same input (the 4×4 image, or Hur et al.'s PCA8 / AE8 features fitted on the training split:
 * qcnn-inputs.ts), on official MNIST tasks (0 vs 1, 3 vs 6, 10 classes), several seeds each.
 *
 * Protocol: the validation split is carved from the official training set (seeded, stratified, before
 * class filtering: src/data), the trainer keeps the best-validation-accuracy epoch's weights, and the
 * test set is read once per run at the end — for the selected epoch, and, for the record, for the last
 * epoch's weights (read after training finished, never used to choose anything).
 *
 * Resumable run by run: each finished run is a JSON file in `<outDir>/runs/` (written atomically) and is
 * skipped when its settings match; an interrupted run resumes from its epoch checkpoint in `runsDir`.
 * After every run `<outDir>/summary.json` is rewritten from the run files (mean ± std over seeds, the
 * seeds' values, parameters, runs that diverged or stalled named and left out of the mean).
 */
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import { loadDataset, type TrainTestSplit } from '../data';
import { tf } from '../backend';
import { getModelSpec, parameterSplit, QCNN_ENTRIES, type ParameterSplit } from '../models';
import type { DiffMethod } from '../qkc';
import { evaluateModel, train, writeFileAtomic, type EpochRecord } from '../train';
import { readFormattedJson } from '../util';
import { classifyRuns, countsInMean, failuresOf, outliersOf, pairedComparison, type PairedComparison, type RunFailure, type RunOutlier } from './run-health';
import { QCNN_PUBLISHED, publishedRowsMarkdown } from './qcnn-published';
import { qcnnInputSplit } from './qcnn-inputs';
import { QCNN_STUDIES, type QcnnStudySettings, type QcnnTask } from './qcnn-studies';
import { evaluateWith } from './experiment';
import { stat } from './results';
import { qcnnConvergence, qcnnConvergenceMarkdown, type QcnnConvergence } from './qcnn-convergence';

export { CONVERGENCE_WINDOW, qcnnConvergence, qcnnConvergenceMarkdown, type QcnnConvergence } from './qcnn-convergence';

export { QCNN_PUBLISHED, publishedStats, type QcnnPublishedFigure } from './qcnn-published';
export * from './qcnn-studies';

/** One finished run. */
export interface QcnnRunResult {
  format: 'qkc-qcnn-run/1';
  id: string;
  settingsHash: string;
  task: string;
  classes: number[] | null;
  model: string;
  description: string;
  seed: number;
  parameters: ParameterSplit;
  data: { source: string; train: number; validation: number; test: number; numClasses: number };
  training: { epochs: number; patience?: number; batchSize: number; learningRate: number; quantumLearningRate: number; diffMethod: DiffMethod; selection: 'best validation accuracy' };
  selected: { epoch: number; valAccuracy: number; testAccuracy: number };
  last: { epoch: number; valAccuracy: number; testAccuracy: number | null };
  history: EpochRecord[];
  trainSeconds: number;
  createdAt: string;
}

/** One row of the summary: a model on a task over its seeds. */
export interface QcnnSummaryRow {
  task: string;
  model: string;
  parameters: ParameterSplit;
  seeds: number[];
  /** Selected-epoch test accuracy per seed (same order as seeds). */
  testAccuracy: number[];
  /** Mean and sample standard deviation over the healthy seeds. */
  mean: number;
  std: number;
  lastEpochMean: number | null;
  selectedEpochs: number[];
  failed: RunFailure[];
  /** Seeds that trained but ended far below their peers: counted in mean, named. */
  outliers?: RunOutlier[];
}

/** The paths of a study. */
export interface QcnnStudyPaths { outDir: string; runsDir: string }

/** The epoch budget of `model` in `s`. */
const epochsOf = (s: QcnnStudySettings, model: string): number => s.modelEpochs?.[model] ?? s.epochs;

function settingsHash(s: QcnnStudySettings, task: QcnnTask, model: string, seed: number): string {
  // patience only when set, so the runs of studies without it keep their hashes.
  const key = { task, model, seed, epochs: epochsOf(s, model), batchSize: s.batchSize, lr: s.learningRate, qlr: s.quantumLearningRate, diff: s.diffMethod, ...(s.patience ? { patience: s.patience } : {}) };
  return createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16);
}

const runId = (task: string, model: string, seed: number): string => `${task}-${model}-s${seed}`;
const runFile = (p: QcnnStudyPaths, id: string): string => path.join(p.outDir, 'runs', `${id}.json`);

/** The split of a task: official MNIST, validation carved first, then the classes, then the training prefix, then the task's input (fitted on the training images). */
export async function qcnnTaskData(task: QcnnTask): Promise<TrainTestSplit> {
  const data = loadDataset('mnist-official', { ...(task.classes ? { classes: task.classes } : {}), trainSize: task.trainSize, ...(task.testSize ? { testSize: task.testSize } : {}) });
  if (task.validationSize == null || !data.validation) return qcnnInputSplit(data, task.input ?? 'resize4');
  if (task.validationSize > data.validation.size) throw new Error(`qcnn study: task '${task.name}': validationSize: expected at most ${data.validation.size}, got ${task.validationSize}`);
  const validation = data.validation.stratifiedSubset(task.validationSize);
  return qcnnInputSplit({ ...data, validation, source: `${data.source}; validation: stratified prefix of ${task.validationSize}` }, task.input ?? 'resize4');
}

/** Builds `model` for `data`: through the registry for images; a feature vector (1×n, which the zoo's image models refuse) goes to the QCNN entry itself. */
function buildFor(model: string, seed: number, data: TrainTestSplit, diffMethod: DiffMethod): { net: tf.LayersModel; description: string } {
  const options = { numClasses: data.train.numClasses, imageSize: [data.train.height, data.train.width] as [number, number] };
  if (data.train.height !== 1) {
    const spec = getModelSpec(model);
    return { net: spec.builder(seed, { ...options, diffMethod }), description: spec.describe(options) };
  }
  const entry = QCNN_ENTRIES.find((e) => e.name === model);
  if (!entry) throw new Error(`qcnn study: model '${model}' cannot take a feature vector (expected one of ${QCNN_ENTRIES.map((e) => e.name).join(', ')})`);
  const o = { ...options, channels: 1, diffMethod };
  return { net: entry.build(seed, o), description: entry.describe(o) };
}

/** Trains and tests one run; writes its file atomically and returns it. */
async function runOne(s: QcnnStudySettings, task: QcnnTask, data: TrainTestSplit, model: string, seed: number, p: QcnnStudyPaths, label: string): Promise<QcnnRunResult> {
  const id = runId(task.name, model, seed);
  const epochs = epochsOf(s, model);
  const { net, description } = buildFor(model, seed, data, s.diffMethod);
  try {
    let lastTest: number | null = null;
    const validation = data.validation;
    if (!validation) throw new Error(`qcnn study: task '${task.name}' has no validation split`);
    const run = await train(net, { train: data.train, validation }, {
      epochs, batchSize: s.batchSize, learningRate: s.learningRate, quantumLearningRate: s.quantumLearningRate,
      diffMethod: s.diffMethod, seed, outDir: path.join(p.runsDir, id), resume: 'auto', progress: 'lines', progressLabel: label,
      // Without s.patience, patience = epochs: never stops early, only keeps the best validation epoch's weights.
      earlyStopping: { monitor: 'val_accuracy', patience: s.patience ?? epochs, restoreBest: true },
      // A run that stops early never reaches its last epoch: its last weights come back to be tested once.
      keepLastWeights: s.patience != null,
      onEpochEnd: (record) => {
        // The last epoch's weights, tested once for the record (the best epoch's are put back after this).
        if (record.epoch === epochs) lastTest = evaluateModel(net, data.test, { batchSize: 256 }).accuracy;
      },
    });
    if (run.interrupted) throw new Error(`qcnn study: run ${id} was interrupted; run again to resume it`);
    const h = run.history;
    if (lastTest == null && run.lastWeights) lastTest = evaluateWith(net, run.lastWeights, () => evaluateModel(net, data.test, { batchSize: 256 }).accuracy);
    run.lastWeights?.forEach((t) => t.dispose());
    const best = h.find((r) => r.epoch === run.restoredBestEpoch) ?? h[h.length - 1];
    const last = h[h.length - 1];
    // Best = last: the weights just tested are the ones restored, so the test set is not read twice.
    const selectedTest = best.epoch === last.epoch && lastTest != null ? lastTest : evaluateModel(net, data.test, { batchSize: 256 }).accuracy;
    const result: QcnnRunResult = {
      format: 'qkc-qcnn-run/1', id, settingsHash: settingsHash(s, task, model, seed), task: task.name, classes: task.classes, model,
      description, seed, parameters: parameterSplit(net),
      data: { source: data.source, train: data.train.size, validation: validation.size, test: data.test.size, numClasses: data.train.numClasses },
      training: { epochs, ...(s.patience ? { patience: s.patience } : {}), batchSize: s.batchSize, learningRate: s.learningRate, quantumLearningRate: s.quantumLearningRate, diffMethod: s.diffMethod, selection: 'best validation accuracy' },
      selected: { epoch: best.epoch, valAccuracy: best.val_accuracy ?? NaN, testAccuracy: selectedTest },
      // A run resumed after its last epoch (result not yet written) has no last-epoch test value: null says so.
      last: { epoch: last.epoch, valAccuracy: last.val_accuracy ?? NaN, testAccuracy: lastTest ?? (best.epoch === last.epoch ? selectedTest : null) },
      history: h, trainSeconds: h.reduce((a, r) => a + r.epoch_time_s, 0), createdAt: new Date().toISOString(),
    };
    await writeFileAtomic(runFile(p, id), JSON.stringify(result, null, 2) + '\n');
    return result;
  } finally {
    net.dispose();
  }
}

/** Summary rows from run files (healthy seeds averaged; diverged or stalled ones named). */
export function summarizeQcnnRuns(runs: readonly QcnnRunResult[]): QcnnSummaryRow[] {
  const groups = new Map<string, QcnnRunResult[]>();
  for (const r of runs) groups.set(`${r.task}|${r.model}`, [...(groups.get(`${r.task}|${r.model}`) ?? []), r]);
  return [...groups.values()].map((g) => {
    const rs = [...g].sort((a, b) => a.seed - b.seed);
    // Judged on validation accuracy, with the rule's allowance for the noise of a small validation set (the qubits-16 study's 256 images).
    const health = classifyRuns(rs.map((r) => ({ seed: r.seed, losses: r.history.map((e) => e.loss), accuracy: r.selected.valAccuracy, numClasses: r.data.numClasses, sampleSize: r.data.validation })));
    const ok = rs.filter((_, i) => countsInMean(health[i]));
    const lastValues = ok.map((r) => r.last.testAccuracy).filter((v): v is number => v != null);
    const selected = ok.length ? stat(ok.map((r) => r.selected.testAccuracy)) : { mean: NaN, std: 0 }; // no healthy seed: no mean
    return {
      task: rs[0].task, model: rs[0].model, parameters: rs[0].parameters, seeds: rs.map((r) => r.seed),
      testAccuracy: rs.map((r) => r.selected.testAccuracy),
      mean: selected.mean, std: selected.std,
      lastEpochMean: lastValues.length === ok.length && ok.length ? stat(lastValues).mean : null,
      selectedEpochs: rs.map((r) => r.selected.epoch),
      failed: failuresOf(health),
      outliers: outliersOf(health),
    };
  });
}

/** The paired comparisons made (a − b on shared seeds, every seed included, flagged ones too): the QCNN against each classical model, and each variant against qcnn-8. */
export const QCNN_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['qcnn-8', 'qcnn-8-mlp'], ['qcnn-8', 'linear-4x4'], ['qcnn-8-z', 'linear-4x4'], ['qcnn-8-angle', 'qcnn-8-mlp'], ['qcnn-8-dense', 'qcnn-8'], ['qcnn-8-z', 'qcnn-8'],
  ['qcnn-16', 'qcnn-16-mlp'], ['qcnn-16', 'linear-4x4'], ['qcnn-16', 'qcnn-8'],
];

/** The run files of `<outDir>/runs/` (none when the folder does not exist), by file name. */
export function readQcnnRuns(outDir: string): QcnnRunResult[] {
  const dir = path.join(outDir, 'runs');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => readFormattedJson<QcnnRunResult>(path.join(dir, f), 'qkc-qcnn-run/1')) : [];
}

/** Summary rows in the studies' task and model order (`s`'s first), the paired comparisons on shared seeds (every seed included, flagged ones too) and the convergence of runs trained with a patience (same order). */
export function qcnnSummary(runs: readonly QcnnRunResult[], s: QcnnStudySettings): { rows: QcnnSummaryRow[]; paired: QcnnPaired[]; convergence: QcnnConvergence[] } {
  // Every study's tasks and models, the one being run first: rows of all studies share one summary.
  const all = [s, ...Object.values(QCNN_STUDIES)];
  const tasks = [...new Set(all.flatMap((x) => x.tasks.map((t) => t.name)))], models = [...new Set(all.flatMap((x) => x.models))];
  const order = (r: { task: string; model: string }): number => {
    const t = tasks.indexOf(r.task), m = models.indexOf(r.model);
    return (t < 0 ? 99 : t) * 100 + (m < 0 ? 99 : m);
  };
  const rows = summarizeQcnnRuns(runs).sort((a, b) => order(a) - order(b));
  const paired: QcnnPaired[] = [];
  const of = (task: string, m: string) => new Map(runs.filter((r) => r.task === task && r.model === m).map((r) => [r.seed, r.selected.testAccuracy] as [number, number]));
  const push = (task: string, a: string, b: string, taskB = task): void => {
    const A = of(task, a), B = of(taskB, b);
    if ([...A.keys()].some((k) => B.has(k))) paired.push({ task, a, b, ...(taskB !== task ? { taskB } : {}), ...pairedComparison(A, B) });
  };
  for (const task of new Set(rows.map((r) => r.task))) {
    for (const [a, b] of QCNN_PAIRS) push(task, a, b);
    const base = /^(.*)-(?:pca8|ae8)$/.exec(task)?.[1];
    if (base) for (const [a, b] of QCNN_INPUT_PAIRS) push(task, a, b, base);
  }
  const convergence = qcnnConvergence(runs).sort((a, b) => order(a) - order(b) || a.seed - b.seed);
  return { rows, paired, convergence };
}

/**
 * Comparisons across inputs, paired by seed: [a, b] compares model a on a fitted-input task ('0-vs-1-pca8')
 * with model b on the image task of the same classes ('0-vs-1'), same training otherwise (QCNN_INPUTS_STUDY).
 */
export const QCNN_INPUT_PAIRS: ReadonlyArray<readonly [string, string]> = [['qcnn-8-angle', 'qcnn-8'], ['qcnn-8-mlp', 'qcnn-8-mlp']];

/** A paired comparison of the summary: a − b on `task` (b on `taskB` when it is another task). */
export type QcnnPaired = { task: string; a: string; b: string; taskB?: string } & PairedComparison;

/** The summary file: rows, paired QCNN-vs-classical comparisons on shared seeds, the settings and the published reference. */
export async function writeQcnnSummary(s: QcnnStudySettings, p: QcnnStudyPaths): Promise<ReturnType<typeof qcnnSummary>> {
  const { rows, paired, convergence } = qcnnSummary(readQcnnRuns(p.outDir), s);
  const summary = { format: 'qkc-qcnn-summary/1', settings: s, studies: QCNN_STUDIES, rows, paired, convergence, published: QCNN_PUBLISHED, updatedAt: new Date().toISOString() };
  await writeFileAtomic(path.join(p.outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  return { rows, paired, convergence };
}

/**
 * The README tables: per study with runs, a marker line, the results table (published figures after their
 * task's rows) and the paired comparisons, separated by blank lines (`npm run qcnn -- --report` prints this;
 * the README carries each table verbatim).
 */
export function qcnnReadmeTables({ rows, paired, convergence }: ReturnType<typeof qcnnSummary>): string[] {
  const out: string[] = [];
  for (const [name, study] of Object.entries(QCNN_STUDIES)) {
    const mine = (t: { task: string }) => study.tasks.some((x) => x.name === t.task);
    if (!rows.some(mine)) continue;
    const flat = convergence.filter(mine);
    out.push(`<!-- qcnn study '${name}' -->\n${qcnnTableMarkdown(rows.filter(mine), true)}\n\n${qcnnPairedMarkdown(paired.filter(mine))}\n` +
      (flat.length ? `\n${qcnnConvergenceMarkdown(flat)}\n` : ''));
  }
  return out;
}

/** Runs every (task, model, seed) not done yet, one after the other, rewriting the summary after each; `log` gets progress lines. */
export async function runQcnnStudy(s: QcnnStudySettings, p: QcnnStudyPaths, log: (line: string) => void = console.log): Promise<QcnnSummaryRow[]> {
  const plan = s.tasks.flatMap((task) => s.models.filter((m) => s.modelTasks?.[m]?.includes(task.name) ?? true)
    .flatMap((model) => s.seeds.map((seed) => ({ task, model, seed }))));
  const todo = plan.filter(({ task, model, seed }) => {
    const f = runFile(p, runId(task.name, model, seed));
    return !(fs.existsSync(f) && (JSON.parse(fs.readFileSync(f, 'utf8')) as QcnnRunResult).settingsHash === settingsHash(s, task, model, seed));
  });
  log(`qcnn study: ${plan.length} runs planned, ${plan.length - todo.length} done, ${todo.length} to run → ${p.outDir}`);
  const data = new Map<string, TrainTestSplit>();
  const t0 = Date.now();
  for (const [k, { task, model, seed }] of todo.entries()) {
    if (!data.has(task.name)) data.set(task.name, await qcnnTaskData(task));
    const label = `[${k + 1}/${todo.length} ${runId(task.name, model, seed)}] `;
    const r = await runOne(s, task, data.get(task.name) as TrainTestSplit, model, seed, p, label);
    const elapsed = (Date.now() - t0) / 1000;
    const eta = (elapsed / (k + 1)) * (todo.length - k - 1);
    log(`${label}test ${(100 * r.selected.testAccuracy).toFixed(2)} % (epoch ${r.selected.epoch}), ${r.parameters.total} params, ${r.trainSeconds.toFixed(0)} s; elapsed ${elapsed.toFixed(0)} s, ETA ${eta.toFixed(0)} s`);
    await writeQcnnSummary(s, p);
  }
  return (await writeQcnnSummary(s, p)).rows;
}

/** The README table (markdown) from summary rows; with `published`, the published figures of a task follow its rows (runs numbered, not seeds). */
export function qcnnTableMarkdown(rows: readonly QcnnSummaryRow[], published = false): string {
  const pct = (v: number) => (100 * v).toFixed(2);
  const lines = ['| task | model | params (quantum + classical) | test accuracy % (selected epoch), mean ± std | seeds: value % | last-epoch mean % | failed seeds |', '|---|---|---|---|---|---|---|'];
  for (const [i, r] of rows.entries()) {
    lines.push(`| ${r.task} | ${r.model} | ${r.parameters.quantum} + ${r.parameters.classical} | ${pct(r.mean)} ± ${pct(r.std)} | ` +
      `${r.seeds.map((s, i) => `${s}: ${pct(r.testAccuracy[i])}`).join(', ')} | ${r.lastEpochMean == null ? '—' : pct(r.lastEpochMean)} | ` +
      `${[...r.failed, ...(r.outliers ?? [])].map((f) => `${f.seed} (${f.status === 'outlier' ? 'outlier, counted' : f.status})`).join(', ') || '—'} |`);
    if (published && rows[i + 1]?.task !== r.task) lines.push(...publishedRowsMarkdown(r.task));
  }
  return lines.join('\n');
}

/** The paired comparisons (a − b per seed, points, with the 95 % t-interval) as a markdown table. */
export function qcnnPairedMarkdown(paired: readonly QcnnPaired[]): string {
  const pts = (v: number) => (100 * v).toFixed(2);
  const lines = ['| task | a − b | seeds | Δ per seed (points) | mean Δ (points) | 95 % interval |', '|---|---|---|---|---:|---|'];
  for (const p of paired) {
    lines.push(`| ${p.task} | ${p.a} − ${p.b}${p.taskB ? ` on ${p.taskB}` : ''} | ${p.seeds.join(', ')} | ${p.differences.map(pts).join(', ')} | ${pts(p.meanDifference)} | ` +
      `${p.ci95 ? `[${pts(p.ci95[0])}, ${pts(p.ci95[1])}]` : '—'} |`);
  }
  return lines.join('\n');
}
