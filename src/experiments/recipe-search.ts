/**
 * The training-recipe screen of issue 13 items 3 and 4: one model of the zoo (LeNet-5-like by default) on
 * official MNIST under the full-official protocol (55,000 train / 5,000 validation, up to 20 epochs, early stopping after 4 epochs without a
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
import { ArgumentError, readFormattedJson } from '../util';
import { readRunResult } from './saved-results';
import { ALL_MODELS, SUITES } from './suites';
import { runDirName, runTraining, sameEpochCap } from './plan-rules';
import { experimentTrainSettings } from './experiment';
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
 * Epochs of a screen: the full-official cap when the screens ran (20). The suite's cap is now 40; a screen's
 * candidates are compared with each other, and its committed tables were made at 20.
 */
const SCREEN_EPOCHS = 20;
/** The model screened when none is named (the existing screen and its results file). */
export const DEFAULT_RECIPE_MODEL = 'lenet5';

/** The protocol every candidate follows: the full-official suite's on official MNIST for one model, bar the recipe. */
export interface RecipeProtocol {
  model: string;
  seed: number;
  epochs: number;
  patience: number;
  validationSize: number;
  /** The suite's quantum learning rate (part of the run's config hash, so the chosen candidate's seed-0 checkpoint is the suite's run). */
  quantumLearningRate: number;
}

/** `name` if it is a model of the zoo (the suites' models), else an ArgumentError naming `argument`. */
export function checkRecipeModel(name: unknown, argument = 'model'): string {
  if (typeof name !== 'string' || !ALL_MODELS.includes(name)) {
    throw new ArgumentError(argument, `a model of the zoo (${ALL_MODELS.join(', ')})`, JSON.stringify(name));
  }
  return name;
}

/** The protocol of the screen of `model` (seed 0, SCREEN_EPOCHS, the full-official suite's patience, validation size and quantum learning rate). */
export function recipeProtocol(model: string = DEFAULT_RECIPE_MODEL): RecipeProtocol {
  return Object.freeze({
    model: checkRecipeModel(model), seed: 0, epochs: SCREEN_EPOCHS, patience: OFFICIAL.patience ?? 4,
    validationSize: OFFICIAL_MNIST.validationSize, quantumLearningRate: OFFICIAL.quantumLearningRate,
  });
}

/** LeNet-5-like's protocol (the default screen). */
export const RECIPE_PROTOCOL: RecipeProtocol = recipeProtocol();

/** The screen's results file of `model` in `dir` (figures/results/<model>-recipe-search.json: one table per model). */
export function recipeTableFile(model: string = DEFAULT_RECIPE_MODEL, dir = path.join('figures', 'results')): string {
  return path.join(dir, `${checkRecipeModel(model)}-recipe-search.json`);
}

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
  /** true: a second training of a candidate already in the table (imported from the sweep), by a later build: the two differ only by floating-point drift. */
  retrained?: boolean;
}

/** The results file. */
export interface RecipeTable {
  format: 'qkc-recipe-search/1';
  dataset: string;
  /** The protocol (files written before the quantum learning rate was recorded lack it). */
  protocol: Omit<RecipeProtocol, 'quantumLearningRate'> & { quantumLearningRate?: number };
  note: string;
  entries: RecipeEntry[];
}

/** Reads the table of `model` (a fresh one when the file is missing); refuses a file of another model. */
export function readRecipeTable(file: string, model: string = DEFAULT_RECIPE_MODEL): RecipeTable {
  const protocol = recipeProtocol(model);
  if (!fs.existsSync(file)) {
    return {
      format: 'qkc-recipe-search/1', dataset: 'mnist-official: 55,000 train / 5,000 validation (carved from the 60,000 training images, seed 0x716b63)',
      protocol: { ...protocol }, note: 'validation accuracy only; the test set is never read by the screen', entries: [],
    };
  }
  const t = readFormattedJson<RecipeTable>(file, 'qkc-recipe-search/1');
  if (t.protocol?.model !== protocol.model) throw new ArgumentError('file', `the screen table of model '${protocol.model}'`, `${file}, the table of ${JSON.stringify(t.protocol?.model)}`);
  return t;
}

/**
 * A candidate's training as the full-official suite would plan it for a model whose recipe it were: the suite
 * default (quantum learning rate, differentiation, patience, epochs) with the candidate's rate, batch and schedule.
 */
export function candidateTraining(c: RecipeCandidate): RunTraining {
  return {
    ...runTraining(OFFICIAL, OFFICIAL_MNIST), batchSize: c.batchSize, learningRate: c.learningRate,
    ...(isConstantLr(c.lrSchedule) ? {} : { lrSchedule: c.lrSchedule }),
  };
}

/**
 * A candidate's checkpoint folder inside `runsDir`: the name the full-official suite gives `model`'s seed-0 run
 * when it trains with this recipe, so with runsDir = the suite's (runs/reproduce) the chosen candidate's run is
 * the suite's seed-0 run and `qkc reproduce` resumes and tests it instead of training it again.
 */
export function candidateRunDir(c: RecipeCandidate, runsDir: string, model: string = DEFAULT_RECIPE_MODEL): string {
  const { seed, validationSize } = recipeProtocol(model);
  const architecture = plannedArchitecture(model, seed, { numClasses: 10, imageSize: [28, 28] });
  return path.join(runsDir, runDirName(OFFICIAL.suite, OFFICIAL_MNIST.name, model, seed, candidateTraining(c), architecture, validationSize));
}

/** Options of `runRecipeSearch`. */
export interface RecipeSearchOptions {
  /** Candidate names (default all). */
  candidates?: readonly string[];
  file: string;
  /** Where the candidates' checkpoint folders go (candidateRunDir; the suite's runs/reproduce makes the chosen one its seed-0 run). */
  runsDir: string;
  /** The model screened (default lenet5). */
  model?: string;
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
function entryOf(c: RecipeCandidate, seed: number, history: readonly EpochRecord[], parameters: number, stoppedEarly: boolean, complete: boolean): RecipeEntry {
  const acc = history.map((h) => h.val_accuracy ?? NaN);
  const best = acc.reduce((b, a, i) => (a > acc[b] ? i : b), 0);
  return {
    candidate: c.name, note: c.note, learningRate: c.learningRate, batchSize: c.batchSize, lrSchedule: c.lrSchedule,
    schedule: describeLrSchedule(c.lrSchedule), seed, parameters,
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
export async function recordPartial(names: readonly string[], file: string, runsDir: string, modelName: string = DEFAULT_RECIPE_MODEL): Promise<RecipeEntry[]> {
  const { model: name, seed } = recipeProtocol(modelName);
  const out: RecipeEntry[] = [];
  for (const c of recipeCandidates(names)) {
    if (readRecipeTable(file, name).entries.some((e) => e.candidate === c.name && e.complete !== false)) continue;
    const dir = candidateRunDir(c, runsDir, name);
    const ckpt = await loadCheckpoint(dir);
    if (!ckpt || ckpt.meta.history.length === 0) throw new Error(`${c.name}: no checkpoint with a finished epoch in ${dir}`);
    const model = buildModel(name, seed);
    const parameters = parameterSplit(model).total;
    model.dispose();
    const entry = entryOf(c, seed, ckpt.meta.history, parameters, ckpt.meta.earlyStopping?.stopped ?? false, false);
    await saveEntry(file, entry, name);
    out.push(entry);
  }
  return out;
}

/** Trains every chosen candidate not yet in the table, writing the table after each. */
export async function runRecipeSearch(opts: RecipeSearchOptions): Promise<RecipeTable> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const chosen = recipeCandidates(opts.candidates);
  const { model: modelName, seed, validationSize } = recipeProtocol(opts.model);
  const todo = chosen.filter((c) => !readRecipeTable(opts.file, modelName).entries.some((e) => e.candidate === c.name && e.complete !== false));
  if (todo.length === 0) return readRecipeTable(opts.file, modelName);
  const split = loadMnistOfficial({ validationSize });
  const validation = split.validation as ImageDataset;
  log(`recipe search: ${modelName} seed ${seed}, ${split.train.size} training / ${validation.size} validation images; ${todo.length} candidate(s) to train`);
  for (const c of todo) {
    const model = buildModel(modelName, seed, { diffMethod: candidateTraining(c).diffMethod });
    try {
      // The suite's own options for this training (experimentTrainSettings), so the checkpoint's config hash is the suite run's.
      const run = await train(model, { train: split.train, validation }, {
        ...experimentTrainSettings({ seed, ...candidateTraining(c) }, true),
        outDir: candidateRunDir(c, opts.runsDir, modelName), resume: 'auto', progress: 'lines', progressLabel: `${modelName} ${c.name}`,
      });
      if (run.interrupted) throw new Error(`${c.name}: interrupted; run again to resume`);
      const entry = entryOf(c, seed, run.history, parameterSplit(model).total, run.stoppedEarly, true);
      await saveEntry(opts.file, entry, modelName);
      log(`${c.name}: best validation ${(100 * entry.bestValAccuracy).toFixed(2)} % at epoch ${entry.bestEpoch} of ${run.history.length}${run.stoppedEarly ? ' (stopped early)' : ''}`);
    } finally {
      model.dispose();
    }
  }
  return readRecipeTable(opts.file, modelName);
}

/**
 * Adds candidate `name` from a full-official suite result file of the same run (`model`, seed 0, the
 * candidate's rate, schedule and batch, the suite's quantum learning rate and differentiation, the screen's
 * epochs and patience) instead of training it again: its per-epoch validation history only (the file's test
 * figures are not copied). Refuses a file of another run.
 */
export async function importSuiteRun(file: string, name: string, tableFile: string, model: string = DEFAULT_RECIPE_MODEL): Promise<RecipeEntry> {
  const c = recipeCandidates([name])[0];
  const p = recipeProtocol(model);
  const want = candidateTraining(c);
  const r = readRunResult(file);
  const t = r.training;
  const same = r.model.name === p.model && t.seed === p.seed && sameEpochCap(r, p.epochs) && t.patience === p.patience
    && t.learningRate === c.learningRate && t.batchSize === c.batchSize && t.quantumLearningRate === p.quantumLearningRate && t.diffMethod === want.diffMethod
    && JSON.stringify(t.lrSchedule ?? { kind: 'constant' }) === JSON.stringify(c.lrSchedule) && r.dataset.validation?.size === p.validationSize;
  if (!same) {
    throw new Error(`${file}: not the run of candidate '${name}' (${p.model} seed ${p.seed}, lr ${c.learningRate}, quantum lr ${p.quantumLearningRate}, ` +
      `batch ${c.batchSize}, ${describeLrSchedule(c.lrSchedule)}, ${want.diffMethod}, ${p.epochs} epochs, patience ${p.patience})`);
  }
  const entry = { ...entryOf(c, p.seed, r.history, r.parameters.total, r.final.stoppedEarly, true), note: `${c.note} (from ${path.basename(file)}: its validation history)` };
  await saveEntry(tableFile, entry, p.model);
  return entry;
}

/**
 * Adds the complete entries of another table file of `model` (a screen run with `--out` elsewhere) as retrained
 * twins of the same candidates: the table then holds both trainings of one recipe, e.g. the sweep's imported run and
 * a retraining by the screen's build. Returns the entries added.
 */
export async function addRetrained(fromFile: string, tableFile: string, model: string = DEFAULT_RECIPE_MODEL): Promise<RecipeEntry[]> {
  const added = readRecipeTable(fromFile, model).entries.filter((e) => e.complete !== false && !e.retrained)
    .map((e) => ({ ...e, retrained: true, note: `${e.note} (retrained by the screen; same config hash as the row above)` }));
  for (const e of added) await saveEntry(tableFile, e, model);
  return added;
}

/** Writes `entry` into the table file of `model`, merged with what another screen process wrote meanwhile. */
async function saveEntry(file: string, entry: RecipeEntry, model: string): Promise<void> {
  const table = readRecipeTable(file, model);
  const rank = (e: RecipeEntry): number => 2 * RECIPE_CANDIDATES.findIndex((x) => x.name === e.candidate) + (e.retrained ? 1 : 0);
  table.entries = [...table.entries.filter((e) => rank(e) !== rank(entry)), entry].sort((a, b) => rank(a) - rank(b));
  await writeFileAtomic(file, JSON.stringify(table, null, 1) + '\n');
}

const pct = (x: number): string => (100 * x).toFixed(2);

/** A row's cells: candidate, rate, schedule, batch, best validation (epoch / epochs run), last epoch's validation, stopped early. */
function entryCells(e: RecipeEntry): string[] {
  return [
    e.retrained ? `${e.candidate} (retrained)` : e.candidate, String(e.learningRate), e.schedule, String(e.batchSize), `${pct(e.bestValAccuracy)} (${e.bestEpoch} / ${e.valAccuracy.length})`,
    pct(e.valAccuracy[e.valAccuracy.length - 1]), e.stoppedEarly ? 'yes' : e.complete === false ? 'no (screen stopped part-way)' : 'no',
  ];
}

const ENTRY_HEADER = ['candidate', 'Adam lr', 'schedule', 'batch', 'best validation % (epoch / epochs run)', 'last epoch validation %', 'stopped early'];
const ENTRY_ALIGN = ['---', '---:', '---', '---:', '---:', '---:', '---'];
const markdownRow = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
const alignRow = (cells: readonly string[]): string => `|${cells.join('|')}|`;

/** The table as Markdown: one row per candidate (validation accuracy only). */
export function recipeTableMarkdown(table: RecipeTable): string {
  return [markdownRow(ENTRY_HEADER), alignRow(ENTRY_ALIGN), ...table.entries.map((e) => markdownRow(entryCells(e)))].join('\n') + '\n';
}

/**
 * Several models' tables as one Markdown table (validation accuracy only): a row per model and candidate, with
 * the model's parameters and each candidate's best validation accuracy minus the suite default's, in points.
 */
export function recipeScreenMarkdown(tables: readonly RecipeTable[]): string {
  const lines = [
    markdownRow(['model', 'parameters', ...ENTRY_HEADER, 'vs suite-default (points)']),
    alignRow(['---', '---:', ...ENTRY_ALIGN, '---:']),
  ];
  for (const t of tables) {
    const base = t.entries.find((e) => e.candidate === 'suite-default' && !e.retrained);
    for (const e of t.entries) {
      const lift = !base || e === base ? '' : `${e.bestValAccuracy >= base.bestValAccuracy ? '+' : '−'}${Math.abs(100 * (e.bestValAccuracy - base.bestValAccuracy)).toFixed(2)}`;
      lines.push(markdownRow([t.protocol.model, e.parameters.toLocaleString('en-US'), ...entryCells(e), lift]));
    }
  }
  return lines.join('\n') + '\n';
}

/** The screen tables in `dir` other than the default model's (which the README shows with its own prose), in the zoo's order. */
export function otherRecipeTables(dir: string): RecipeTable[] {
  return ALL_MODELS.filter((m) => m !== DEFAULT_RECIPE_MODEL && fs.existsSync(recipeTableFile(m, dir))).map((m) => readRecipeTable(recipeTableFile(m, dir), m));
}

/** The README lines around the generated screen table of the other models (`npm run recipe-search -- --write-readme`). */
export const RECIPE_README_MARKERS = Object.freeze({
  begin: '<!-- recipe-screen begin: generated by `npm run recipe-search -- --write-readme` from figures/results/<model>-recipe-search.json; do not edit by hand -->',
  end: '<!-- recipe-screen end -->',
});
