/**
 * The training-recipe screen of issue 13 item 3: LeNet-5-like on official MNIST under the full-official
 * protocol (55,000 train / 5,000 validation, up to 20 epochs, early stopping after 4 epochs without a
 * better validation accuracy, seed 0) with a few learning rates and schedules. Scored on the validation
 * split only: the test set is never loaded here. Each candidate trains in its own checkpoint folder
 * (an interrupted one resumes epoch by epoch) and the table is written atomically after each candidate,
 * merged with what other processes wrote meanwhile (two screens may run side by side).
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadMnistOfficial, type ImageDataset } from '../data';
import { buildModel, parameterSplit } from '../models';
import { describeLrSchedule, isConstantLr, loadCheckpoint, lrFactor, train, writeFileAtomic, type EpochRecord, type LrSchedule } from '../train';
import { checkRunResult } from './results';
import { SUITES } from './suites';
import { runDirName, runTraining } from './plan-rules';
import { plannedArchitecture } from './plan';
import type { RunTraining } from './run-spec';

/** One recipe of the screen. */
export interface RecipeCandidate {
  name: string;
  learningRate: number;
  batchSize: number;
  lrSchedule: LrSchedule;
  /** What it tests, in a few words. */
  note: string;
}

const CONSTANT: LrSchedule = { kind: 'constant' };

/** The candidates, in run order (the first is the suite's default recipe, the one that gave 98.56 % validation). */
export const RECIPE_CANDIDATES: readonly RecipeCandidate[] = Object.freeze([
  { name: 'suite-default', learningRate: 3e-3, batchSize: 32, lrSchedule: CONSTANT, note: 'the suite default: Adam 3e-3, constant' },
  { name: 'lr1e-3-exp0.8', learningRate: 1e-3, batchSize: 32, lrSchedule: { kind: 'exponential', decay: 0.8 }, note: 'Adam 1e-3, ×0.8 per epoch' },
  { name: 'lr3e-3-exp0.7', learningRate: 3e-3, batchSize: 32, lrSchedule: { kind: 'exponential', decay: 0.7 }, note: 'Adam 3e-3, ×0.7 per epoch' },
  { name: 'lr1e-3', learningRate: 1e-3, batchSize: 32, lrSchedule: CONSTANT, note: 'Adam 1e-3 (the Keras default), constant' },
  { name: 'lr1e-3-plateau', learningRate: 1e-3, batchSize: 32, lrSchedule: { kind: 'plateau', monitor: 'val_accuracy', patience: 1, factor: 0.5 }, note: 'Adam 1e-3, ×0.5 after an epoch without a better validation accuracy' },
] satisfies RecipeCandidate[]);

const OFFICIAL = SUITES['full-official'];
const OFFICIAL_MNIST = OFFICIAL.datasets.find((d) => d.name === 'mnist-official')!;
/**
 * The protocol every candidate follows: the full-official suite's on official MNIST, bar the recipe (its
 * quantum learning rate too: it changes nothing for LeNet-5-like but is part of the run's config hash, so the
 * chosen candidate's seed-0 checkpoint is the suite's run).
 */
export const RECIPE_PROTOCOL = Object.freeze({
  model: 'lenet5', seed: 0, epochs: OFFICIAL_MNIST.epochs, patience: OFFICIAL.patience ?? 4, validationSize: OFFICIAL_MNIST.validationSize,
  quantumLearningRate: OFFICIAL.quantumLearningRate,
});

/** One screened candidate. */
export interface RecipeEntry {
  candidate: string;
  note: string;
  learningRate: number;
  batchSize: number;
  lrSchedule: LrSchedule;
  schedule: string;
  seed: number;
  parameters: number;
  /** Validation accuracy after each epoch. */
  valAccuracy: number[];
  valLoss: number[];
  /** The learning-rate factor of each epoch (1 = the candidate's learningRate). */
  lrFactors: number[];
  bestValAccuracy: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  trainAccuracyLast: number;
  trainSeconds: number;
  /** false: recorded part-way from its checkpoint (`--partial`: the screen's time ran out), so its best may come later. */
  complete?: boolean;
}

/** The results file. */
export interface RecipeTable {
  format: 'qkc-recipe-search/1';
  dataset: string;
  protocol: typeof RECIPE_PROTOCOL;
  note: string;
  entries: RecipeEntry[];
}

/** Reads a table (a fresh one when the file is missing). */
export function readRecipeTable(file: string): RecipeTable {
  if (!fs.existsSync(file)) {
    return {
      format: 'qkc-recipe-search/1', dataset: 'mnist-official: 55,000 train / 5,000 validation (carved from the 60,000 training images, seed 0x716b63)',
      protocol: { ...RECIPE_PROTOCOL }, note: 'validation accuracy only; the test set is never read by the screen', entries: [],
    };
  }
  const t = JSON.parse(fs.readFileSync(file, 'utf8')) as RecipeTable;
  if (t.format !== 'qkc-recipe-search/1') throw new Error(`${file}: expected format 'qkc-recipe-search/1', got ${JSON.stringify(t.format)}`);
  return t;
}

/**
 * A candidate's checkpoint folder inside `runsDir`: the name the full-official suite gives lenet5's seed-0 run
 * when it trains with this recipe, so with runsDir = the suite's (runs/reproduce) the chosen candidate's run is
 * the suite's seed-0 run and `qkc reproduce` resumes and tests it instead of training it again.
 */
export function candidateRunDir(c: RecipeCandidate, runsDir: string): string {
  const d = OFFICIAL_MNIST;
  const training: RunTraining = {
    ...runTraining(OFFICIAL, d), batchSize: c.batchSize, learningRate: c.learningRate,
    ...(isConstantLr(c.lrSchedule) ? {} : { lrSchedule: c.lrSchedule }),
  };
  const { model, seed, validationSize } = RECIPE_PROTOCOL;
  return path.join(runsDir, runDirName(OFFICIAL.suite, d.name, model, seed, training, plannedArchitecture(model, seed, { numClasses: 10, imageSize: [28, 28] }), validationSize));
}

/** Options of `runRecipeSearch`. */
export interface RecipeSearchOptions {
  /** Candidate names (default all). */
  candidates?: readonly string[];
  file: string;
  /** Where the candidates' checkpoint folders go (candidateRunDir; the suite's runs/reproduce makes the chosen one its seed-0 run). */
  runsDir: string;
  log?: (line: string) => void;
}

/** The candidates called `names`, or an Error listing the known ones. */
export function recipeCandidates(names?: readonly string[]): RecipeCandidate[] {
  return (names ?? RECIPE_CANDIDATES.map((c) => c.name)).map((n) => {
    const c = RECIPE_CANDIDATES.find((d) => d.name === n);
    if (!c) throw new Error(`candidates: unknown candidate '${n}' (expected some of: ${RECIPE_CANDIDATES.map((d) => d.name).join(', ')})`);
    return c;
  });
}

/** A table entry from a candidate's history (validation figures only). */
function entryOf(c: RecipeCandidate, history: readonly EpochRecord[], parameters: number, stoppedEarly: boolean, complete: boolean): RecipeEntry {
  const acc = history.map((h) => h.val_accuracy ?? NaN);
  const best = acc.reduce((b, a, i) => (a > acc[b] ? i : b), 0);
  return {
    candidate: c.name, note: c.note, learningRate: c.learningRate, batchSize: c.batchSize, lrSchedule: c.lrSchedule,
    schedule: describeLrSchedule(c.lrSchedule), seed: RECIPE_PROTOCOL.seed, parameters,
    valAccuracy: acc, valLoss: history.map((h) => h.val_loss ?? NaN), lrFactors: history.map((h) => lrFactor(c.lrSchedule, h.epoch, history)),
    bestValAccuracy: acc[best], bestEpoch: best + 1, stoppedEarly,
    trainAccuracyLast: history[history.length - 1].accuracy, trainSeconds: history.reduce((a, h) => a + h.epoch_time_s, 0),
    ...(complete ? {} : { complete: false }),
  };
}

/**
 * Records candidates part-way, from the checkpoints of interrupted screens (the epochs they finished), marked
 * `complete: false`; a candidate already complete in the table is left alone. Returns the entries written.
 */
export async function recordPartial(names: readonly string[], file: string, runsDir: string): Promise<RecipeEntry[]> {
  const out: RecipeEntry[] = [];
  for (const c of recipeCandidates(names)) {
    if (readRecipeTable(file).entries.some((e) => e.candidate === c.name && e.complete !== false)) continue;
    const dir = candidateRunDir(c, runsDir);
    const ckpt = await loadCheckpoint(dir);
    if (!ckpt || ckpt.meta.history.length === 0) throw new Error(`${c.name}: no checkpoint with a finished epoch in ${dir}`);
    const model = buildModel(RECIPE_PROTOCOL.model, RECIPE_PROTOCOL.seed);
    const parameters = parameterSplit(model).total;
    model.dispose();
    const entry = entryOf(c, ckpt.meta.history, parameters, ckpt.meta.earlyStopping?.stopped ?? false, false);
    await saveEntry(file, entry);
    out.push(entry);
  }
  return out;
}

/** Trains every chosen candidate not yet in the table, writing the table after each. */
export async function runRecipeSearch(opts: RecipeSearchOptions): Promise<RecipeTable> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const chosen = recipeCandidates(opts.candidates);
  const { model: modelName, seed, epochs, patience, validationSize } = RECIPE_PROTOCOL;
  const todo = chosen.filter((c) => !readRecipeTable(opts.file).entries.some((e) => e.candidate === c.name && e.complete !== false));
  if (todo.length === 0) return readRecipeTable(opts.file);
  const split = loadMnistOfficial({ validationSize });
  const validation = split.validation as ImageDataset;
  log(`recipe search: ${modelName} seed ${seed}, ${split.train.size} training / ${validation.size} validation images; ${todo.length} candidate(s) to train`);
  for (const c of todo) {
    const model = buildModel(modelName, seed, { diffMethod: 'backprop' });
    try {
      const run = await train(model, { train: split.train, validation }, {
        epochs, batchSize: c.batchSize, learningRate: c.learningRate, quantumLearningRate: RECIPE_PROTOCOL.quantumLearningRate,
        lrSchedule: c.lrSchedule, diffMethod: 'backprop', seed,
        earlyStopping: { monitor: 'val_accuracy', patience, restoreBest: true },
        outDir: candidateRunDir(c, opts.runsDir), resume: 'auto', progress: 'lines', progressLabel: c.name,
      });
      if (run.interrupted) throw new Error(`${c.name}: interrupted; run again to resume`);
      const entry = entryOf(c, run.history, parameterSplit(model).total, run.stoppedEarly, true);
      await saveEntry(opts.file, entry);
      log(`${c.name}: best validation ${(100 * entry.bestValAccuracy).toFixed(2)} % at epoch ${entry.bestEpoch} of ${run.history.length}${run.stoppedEarly ? ' (stopped early)' : ''}`);
    } finally {
      model.dispose();
    }
  }
  return readRecipeTable(opts.file);
}

/**
 * Adds candidate `name` from a full-official suite result file of the same run (lenet5, seed 0, the
 * candidate's rate, schedule and batch, the screen's epochs and patience) instead of training it again: its
 * per-epoch validation history only (the file's test figures are not copied). Refuses a file of another run.
 */
export async function importSuiteRun(file: string, name: string, tableFile: string): Promise<RecipeEntry> {
  const c = recipeCandidates([name])[0];
  const r = checkRunResult(JSON.parse(fs.readFileSync(file, 'utf8')), file);
  const t = r.training;
  const same = r.model.name === RECIPE_PROTOCOL.model && t.seed === RECIPE_PROTOCOL.seed && t.epochs === RECIPE_PROTOCOL.epochs
    && t.patience === RECIPE_PROTOCOL.patience && t.learningRate === c.learningRate && t.batchSize === c.batchSize
    && JSON.stringify(t.lrSchedule ?? { kind: 'constant' }) === JSON.stringify(c.lrSchedule) && r.dataset.validation?.size === RECIPE_PROTOCOL.validationSize;
  if (!same) throw new Error(`${file}: not the run of candidate '${name}' (${RECIPE_PROTOCOL.model} seed ${RECIPE_PROTOCOL.seed}, lr ${c.learningRate}, batch ${c.batchSize}, ${describeLrSchedule(c.lrSchedule)}, ${RECIPE_PROTOCOL.epochs} epochs, patience ${RECIPE_PROTOCOL.patience})`);
  const entry = { ...entryOf(c, r.history, r.parameters.total, r.final.stoppedEarly, true), note: `${c.note} (from ${path.basename(file)}: its validation history)` };
  await saveEntry(tableFile, entry);
  return entry;
}

/** Writes `entry` into the table file, merged with what another screen process wrote meanwhile. */
async function saveEntry(file: string, entry: RecipeEntry): Promise<void> {
  const table = readRecipeTable(file);
  const rank = (n: string): number => RECIPE_CANDIDATES.findIndex((x) => x.name === n);
  table.entries = [...table.entries.filter((e) => e.candidate !== entry.candidate), entry].sort((a, b) => rank(a.candidate) - rank(b.candidate));
  await writeFileAtomic(file, JSON.stringify(table, null, 1) + '\n');
}

/** The table as Markdown: one row per candidate (validation accuracy only). */
export function recipeTableMarkdown(table: RecipeTable): string {
  const lines = [
    '| candidate | Adam lr | schedule | batch | best validation % (epoch / epochs run) | last epoch validation % | stopped early |',
    '|---|---:|---|---:|---:|---:|---|',
  ];
  for (const e of table.entries) {
    lines.push(`| ${e.candidate} | ${e.learningRate} | ${e.schedule} | ${e.batchSize} | ${(100 * e.bestValAccuracy).toFixed(2)} (${e.bestEpoch} / ${e.valAccuracy.length}) | ` +
      `${(100 * e.valAccuracy[e.valAccuracy.length - 1]).toFixed(2)} | ${e.stoppedEarly ? 'yes' : e.complete === false ? 'no (screen stopped part-way)' : 'no'} |`);
  }
  return lines.join('\n') + '\n';
}
