/**
 * The rules of suite planning, one small function each: run order, file and folder names, which saved
 * result still counts (same architecture, training and data), which saved runs a summary keeps, and the
 * order of a results table. src/experiments/plan.ts and summary.ts compose them; test/experiments-plan.test.ts
 * checks each one.
 */
import { createHash } from 'crypto';
import { getModelSpec } from '../models';
import { isConstantLr } from '../train';
import type { DatasetRef } from './dataset-ref';
import { SUITE_NAMES, type RunResult, type SuiteName } from './results';
import type { PlannedData, RunTraining } from './run-spec';
import { ALL_MODELS, type SuiteDataset, type SuiteSettings } from './suites';

/** File name of one run's result in the suite's results folder. */
export function resultFileName(suite: SuiteName, dataset: string, model: string, seed: number): string {
  return `${suite}-${dataset}-${model}-s${seed}.json`;
}

/** The folder (inside the results folder) where a suite that keeps models puts each hybrid run's trained model, one sub-folder per run id. */
export function modelsDirName(suite: SuiteName): string {
  return `${suite}-models`;
}

/** The summary file's base name (`<suite>-summary`; .json and .csv). */
export function summaryBaseName(suite: SuiteName): string {
  return `${suite}-summary`;
}

/**
 * Whether `file` (a bare name) is one of `suite`'s run result files, `<suite>-<dataset>-<model>-s<seed>.json`
 * (not its summary, nor a file of a suite whose name extends this one: 'full-official-…' is not 'full''s).
 */
export function isRunResultFileName(file: string, suite: SuiteName): boolean {
  return isSuiteFileName(file, suite) && /-s\d+\.json$/.test(file);
}

/** Whether `name` (a file or figure name) is `suite`'s, `<suite>-…`, and not a suite's whose name extends it ('full-official-…' is not 'full''s). */
export function isSuiteFileName(name: string, suite: SuiteName): boolean {
  if (!name.startsWith(`${suite}-`)) return false;
  return !SUITE_NAMES.some((other) => other !== suite && other.startsWith(`${suite}-`) && name.startsWith(`${other}-`));
}

/** The (seed, model) pairs of one dataset in run order: seed by seed, every model per seed (a partial suite covers all models). */
export function runOrder(settings: Pick<SuiteSettings, 'models' | 'seeds'>): Array<{ model: string; seed: number }> {
  return settings.seeds.flatMap((seed) => settings.models.map((model) => ({ model, seed })));
}

/**
 * The training settings a suite gives a run on dataset `d`: the suite's, with `model`'s own recipe on top
 * when the suite applies model recipes (the one place that decides; without `model`, the suite default).
 * A constant learning rate leaves `lrSchedule` out, so every model without a recipe plans as before.
 */
export function runTraining(settings: SuiteSettings, d: SuiteDataset, model?: string): RunTraining {
  const base: RunTraining = {
    epochs: d.epochs, batchSize: settings.batchSize, learningRate: settings.learningRate,
    quantumLearningRate: settings.quantumLearningRate, diffMethod: settings.diffMethod, patience: settings.patience,
  };
  const recipe = model !== undefined && settings.modelRecipes ? getModelSpec(model).recipe : undefined;
  if (!recipe) return base;
  return {
    ...base, ...(recipe.learningRate !== undefined ? { learningRate: recipe.learningRate } : {}),
    ...(!isConstantLr(recipe.lrSchedule) ? { lrSchedule: recipe.lrSchedule } : {}),
  };
}

/** The schedule as a key ('' for constant). */
const scheduleKey = (t: Pick<RunTraining, 'lrSchedule'>): string => (isConstantLr(t.lrSchedule) ? '' : JSON.stringify(t.lrSchedule));

/** The dataset reference of a suite dataset ('mnist' means the embedded split, whatever files exist). */
export function suiteDataRef(d: SuiteDataset): DatasetRef {
  // validationSize always explicit (0 too): 'mnist-official' would otherwise carve its default 5,000.
  const subset = { validationSize: d.validationSize, ...(d.trainSize != null ? { trainSize: d.trainSize } : {}), ...(d.testSize != null ? { testSize: d.testSize } : {}) };
  return { dataset: d.name === 'mnist' ? 'mnist-embedded' : d.name, subset };
}

/** 8 hex digits over everything that changes a run except epochs, so a longer suite extends the same checkpoints (patience and schedule only when set: older folders keep their key). */
export function runDirKey(t: RunTraining): string {
  const key: unknown[] = [t.batchSize, t.learningRate, t.quantumLearningRate, t.diffMethod];
  if (t.patience != null) key.push(t.patience);
  if (scheduleKey(t)) key.push(scheduleKey(t));
  return createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 8);
}

/**
 * A run's checkpoint folder name, keyed by settings, architecture and validation size (a changed factory or
 * split starts afresh instead of failing to resume; `-v<size>` only when a validation split is held out).
 */
export function runDirName(suite: SuiteName, dataset: string, model: string, seed: number, t: RunTraining, architecture: string, validationSize = 0): string {
  return `${suite}-${dataset}-${model}-s${seed}-${runDirKey(t)}-${architecture.slice(0, 8)}${validationSize > 0 ? `-v${validationSize}` : ''}`;
}

/**
 * Whether a run trained under its epoch cap is the same run under `epochs`: the same cap, or it stopped early
 * (patience ran out) within `epochs`. Early stopping reads only the history, so a larger cap changes nothing
 * for such a run; a run that reached a smaller cap is not done: resuming it extends its checkpoint.
 */
export function sameEpochCap(r: Pick<RunResult, 'training' | 'final' | 'history'>, epochs: number): boolean {
  return r.training.epochs === epochs || (r.final.stoppedEarly && r.history.length <= epochs);
}

/**
 * Whether a saved result was trained with `t`. The quantum gradient method is ignored for models without
 * quantum weights: it cannot change their training, so a parameter-shift suite reuses classical runs made
 * under backprop instead of repeating them.
 */
export function sameTraining(r: RunResult, t: RunTraining): boolean {
  const s = r.training;
  const sameDiff = s.diffMethod === t.diffMethod || r.parameters.quantum === 0;
  return sameEpochCap(r, t.epochs) && s.batchSize === t.batchSize && s.learningRate === t.learningRate
    && s.quantumLearningRate === t.quantumLearningRate && sameDiff && (s.patience ?? null) === (t.patience ?? null)
    && scheduleKey(s) === scheduleKey(t);
}

/** Whether a saved result was trained, validated and tested on the same split (sizes and provenance line). */
export function sameData(r: RunResult, d: Pick<PlannedData, 'source' | 'trainSize' | 'testSize' | 'validationSize'>): boolean {
  return r.dataset.trainSize === d.trainSize && r.dataset.testSize === d.testSize && r.dataset.source === d.source
    && (r.dataset.validation?.size ?? 0) === d.validationSize;
}

/** What a saved result must match to count as done. */
export interface RunExpectation {
  architecture: string;
  training: RunTraining;
  data: Pick<PlannedData, 'source' | 'trainSize' | 'testSize' | 'validationSize'>;
}

/** Whether a saved result counts as this run, done (same architecture, training and data); else the run is redone. */
export function resultMatches(r: RunResult, e: RunExpectation): boolean {
  return r.model.architecture === e.architecture && sameTraining(r, e.training) && sameData(r, e.data);
}

/** `dataset\0model\0seed`: identifies a run within a suite. */
export function runKey(dataset: string, model: string, seed: number): string {
  return `${dataset}\0${model}\0${seed}`;
}

/** What the summary rule needs to know about an invocation. */
export interface KeepContext {
  /** runKey of every run this invocation planned (they come from the plan, not from saved files). */
  planned: ReadonlySet<string>;
  /** Models this invocation runs. */
  models: readonly string[];
  /** Per dataset this invocation loaded: whether a saved run matches this invocation's settings. */
  matches: ReadonlyMap<string, (r: RunResult) => boolean>;
}

/**
 * Whether a saved run the invocation did not plan stays in the summary: runs of other datasets, other
 * models or datasets not loaded (e.g. MNIST when only --datasets fashion-mnist runs) stay; other seeds of
 * a model it runs stay only when trained with the same settings, so one row never mixes, say, 5- and
 * 20-epoch runs.
 */
export function keepSavedRun(r: RunResult, c: KeepContext): boolean {
  if (c.planned.has(runKey(r.dataset.name, r.model.name, r.training.seed))) return false;
  const matches = c.matches.get(r.dataset.name);
  if (!matches || !c.models.includes(r.model.name)) return true;
  return matches(r);
}

/** Runs in table order: MNIST (official, then embedded), Fashion-MNIST, other datasets by name; models in MODELS order; seeds ascending. */
export function tableOrder(runs: readonly RunResult[]): RunResult[] {
  const dataRank = (n: string): string => (n === 'mnist-official' ? '0' : n === 'mnist' ? '1' : n === 'fashion-mnist' ? '2' : `3${n}`);
  const modelRank = (n: string): number => {
    const i = ALL_MODELS.indexOf(n);
    return i < 0 ? ALL_MODELS.length : i;
  };
  return [...runs].sort((a, b) => dataRank(a.dataset.name).localeCompare(dataRank(b.dataset.name))
    || modelRank(a.model.name) - modelRank(b.model.name) || a.model.name.localeCompare(b.model.name)
    || a.training.seed - b.training.seed);
}
