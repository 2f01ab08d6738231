/**
 * What training notebooks call, so that they read saved results instead of retraining:
 * - `savedOrRunSuite`: the saved results of a suite when `qkc reproduce` has written them, else a
 *   reduced run of the same suite settings for the models the notebook shows, written to a folder of its
 *   own (so the saved suite's summary is never overwritten) and resumable: executing the notebook again
 *   reads that run instead of training again;
 * - `savedOrTrainedModel`: one trained model from a run directory, trained there first if needed;
 * - `savedOrRunEntanglementAnalysis`: src/studies' entanglement analysis from its result file, or run.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  ENTANGLEMENT_ANALYSIS_COMMAND, ENTANGLEMENT_RESULTS_FILE, readEntanglementAnalysis, runEntanglementAnalysis, type EntanglementAnalysisResults,
} from '../studies';
import type { tf } from '../backend';
import type { TrainTestSplit } from '../data';
import {
  RUN_FILES, SUITES, loadRun, readRunResult, runExperiment, runSuite, type ExperimentOptions, type RunResult, type SuiteName,
  type SuiteRunOptions, type SuiteSettings,
} from '../experiments';
import type { DiffMethod } from '../sim';
import { RESULTS_DIR, readSuiteResults, reproduceCommand, type SuiteResults } from './results-files';

/** Options of {@link savedOrRunSuite}. */
export interface SavedOrRunOptions {
  /** The models the caller needs (a saved suite must hold all of them on every dataset it runs). */
  models: string[];
  /** Where a fresh reduced run writes its results and checkpoints (e.g. runs/notebooks/02-quick). */
  runDir: string;
  /** Saved suite results (default figures/results). */
  resultsDir?: string;
  /** Seeds of a fresh run (default: the suite's). */
  seeds?: number[];
  /** Datasets of a fresh run (default: the suite's 'mnist' entry only). */
  datasets?: Array<SuiteSettings['datasets'][number]['name']>;
  /** One line per event (default: none). */
  log?: (line: string) => void;
  /** Replaces dataset loading of a fresh run (tests). */
  loadData?: SuiteRunOptions['loadData'];
}

/** Suite results and where they came from. */
export interface SourcedSuiteResults extends SuiteResults {
  /** 'saved': read from resultsDir; 'run': trained (or resumed) in runDir. */
  source: 'saved' | 'run';
  dir: string;
}

/** True when `results` hold runs of every model in `models`. */
function covers(results: SuiteResults, models: readonly string[]): boolean {
  const have = new Set(results.runs.map((r) => r.model.name));
  return models.every((m) => have.has(m));
}

/** See the file comment. */
export async function savedOrRunSuite(suite: SuiteName, opts: SavedOrRunOptions): Promise<SourcedSuiteResults> {
  if (!Array.isArray(opts.models) || opts.models.length === 0) throw new Error('savedOrRunSuite(models): expected at least one model name');
  const log = opts.log ?? (() => undefined);
  const resultsDir = opts.resultsDir ?? RESULTS_DIR;
  const saved = readSuiteResults(suite, resultsDir);
  if (saved && covers(saved, opts.models)) {
    log(`using the saved '${suite}' suite results in ${resultsDir} (${saved.runs.length} runs; written by '${reproduceCommand(suite)}')`);
    return { ...saved, source: 'saved', dir: resultsDir };
  }
  const base = SUITES[suite];
  const wanted = opts.datasets ?? ['mnist'];
  const settings: SuiteSettings = {
    ...base, models: [...opts.models], seeds: [...(opts.seeds ?? base.seeds)],
    datasets: base.datasets.filter((d) => wanted.includes(d.name)).map((d) => ({ ...d })),
  };
  if (settings.datasets.length === 0) throw new Error(`savedOrRunSuite(datasets): the '${suite}' suite has none of ${wanted.join(', ')}`);
  log(saved
    ? `the saved '${suite}' results in ${resultsDir} lack some of ${opts.models.join(', ')}; running them in ${opts.runDir}`
    : `no saved '${suite}' results in ${resultsDir} ('${reproduceCommand(suite)}' writes them); running ${opts.models.length} model(s) × ` +
      `${settings.seeds.length} seed(s) in ${opts.runDir} (resumable)`);
  await runSuite(settings, { outDir: opts.runDir, runsDir: path.join(opts.runDir, 'runs'), log, loadData: opts.loadData });
  const ran = readSuiteResults(suite, opts.runDir);
  if (!ran) throw new Error(`savedOrRunSuite: the run wrote no ${suite}-summary.json in '${opts.runDir}'`);
  return { ...ran, source: 'run', dir: opts.runDir };
}

/** Options of {@link savedOrTrainedModel}. */
export interface SavedOrTrainedOptions {
  /** A model name of the zoo. */
  model: string;
  /** Run directory: read when it holds a finished run of these settings, else trained into (resumable). */
  runDir: string;
  data: TrainTestSplit;
  epochs: number;
  seed?: number;
  /** Gradient method of the quantum layers while training (default 'adjoint': same gradients, fastest). */
  diffMethod?: DiffMethod;
  /** Trainer progress (default 'lines'). */
  progress?: ExperimentOptions['progress'];
  log?: (line: string) => void;
}

/**
 * A trained model for studies that need one (noise, shots, entanglement): the finished run in `runDir`
 * when it matches (model, seed, epochs, data sizes), else trained there with `runExperiment` (resumable),
 * then loaded with its trained weights. The caller disposes the model.
 */
export async function savedOrTrainedModel(opts: SavedOrTrainedOptions): Promise<{ model: tf.LayersModel; result: RunResult; source: 'saved' | 'run' }> {
  const log = opts.log ?? (() => undefined);
  const seed = opts.seed ?? 0;
  const file = path.join(opts.runDir, RUN_FILES.result);
  const matches = (r: RunResult): boolean => r.model.name === opts.model && r.training.seed === seed && r.training.epochs === opts.epochs
    && r.dataset.trainSize === opts.data.train.size && r.dataset.testSize === opts.data.test.size && r.dataset.source === opts.data.source;
  let result: RunResult | null = null;
  if (fs.existsSync(file)) {
    const saved = readRunResult(file);
    if (!matches(saved)) {
      throw new Error(`savedOrTrainedModel(runDir): '${opts.runDir}' holds a run of ${saved.model.name} seed ${saved.training.seed}, ` +
        `${saved.training.epochs} epochs on ${saved.dataset.trainSize}/${saved.dataset.testSize} images, not the one asked for; use another runDir or delete it`);
    }
    result = saved;
    log(`using the trained ${opts.model} in ${opts.runDir} (test accuracy ${(100 * saved.final.testAccuracy).toFixed(1)}%)`);
  }
  const source = result ? 'saved' : 'run';
  if (!result) {
    log(`training ${opts.model} (seed ${seed}, ${opts.epochs} epochs on ${opts.data.train.size} images) into ${opts.runDir}`);
    const out = await runExperiment({
      model: opts.model, seed, data: opts.data, epochs: opts.epochs, diffMethod: opts.diffMethod ?? 'adjoint',
      runDir: opts.runDir, resume: 'auto', progress: opts.progress ?? 'lines',
    });
    if (!out.result) throw new Error(`savedOrTrainedModel: training of ${opts.model} stopped early; run again to resume`);
    result = out.result;
  }
  const { model } = await loadRun(opts.runDir);
  return { model, result, source };
}

/** Options of {@link savedOrRunEntanglementAnalysis}. */
export interface SavedOrRunAnalysisOptions {
  /** Quick (default) or full analysis settings for a fresh run. */
  quick?: boolean;
  /** The saved analysis (default figures/results/entanglement-analysis.json). */
  savedFile?: string;
  /** Where a fresh run writes (read on later calls), e.g. runs/notebooks/04-entanglement-quick.json. */
  runFile: string;
  log?: (line: string) => void;
}

/**
 * The entanglement analysis of src/analysis from its saved result file when it is there (a full
 * analysis serves a quick request too; a quick one does not serve a full request), else from `runFile`
 * when an earlier call wrote it, else run now (`runEntanglementAnalysis`) into `runFile`.
 */
export async function savedOrRunEntanglementAnalysis(opts: SavedOrRunAnalysisOptions): Promise<{ results: EntanglementAnalysisResults; file: string; source: 'saved' | 'run' }> {
  const quick = opts.quick ?? true;
  const log = opts.log ?? (() => undefined);
  const savedFile = opts.savedFile ?? path.join(RESULTS_DIR, path.basename(ENTANGLEMENT_RESULTS_FILE));
  const serves = (r: EntanglementAnalysisResults): boolean => quick || !r.quick;
  for (const [file, source] of [[savedFile, 'saved'], [opts.runFile, 'run']] as const) {
    if (!fs.existsSync(file)) continue;
    const results = await readEntanglementAnalysis(file);
    if (serves(results)) {
      log(`using the ${results.quick ? 'quick' : 'full'} entanglement analysis in ${file} (${results.created})`);
      return { results, file, source };
    }
    log(`${file} holds a quick analysis; the full setting needs a full one`);
  }
  log(`no saved entanglement analysis (${ENTANGLEMENT_ANALYSIS_COMMAND.split(' (')[0]} writes ${savedFile}); running the ${quick ? 'quick' : 'full'} analysis into ${opts.runFile}`);
  fs.mkdirSync(path.dirname(opts.runFile), { recursive: true });
  const { results } = await runEntanglementAnalysis({ quick, out: opts.runFile, log });
  return { results, file: opts.runFile, source: 'run' };
}
