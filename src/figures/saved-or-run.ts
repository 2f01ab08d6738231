/**
 * What training notebooks call: the saved results of a suite when `qkc reproduce` has written them
 * (nothing is retrained), else a reduced run of the same suite settings for the models the notebook
 * shows, written to a folder of its own (so the saved suite's summary is never overwritten) and itself
 * resumable: executing the notebook again reads that run instead of training again.
 */
import * as path from 'path';
import { SUITES, runSuite, type SuiteName, type SuiteRunOptions, type SuiteSettings } from '../models';
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
  datasets?: Array<'mnist' | 'fashion-mnist'>;
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
