/** `qkc reproduce [--quick]`: the experiment suite (every model × 3 seeds) into figures/results. */
import * as path from 'path';
import { ready } from '../backend';
import { FIGURES_DIR, RESULTS_DIR, drawFiguresLater, drawSuiteFigures } from '../figures';
import { DIFF_METHODS, type DiffMethod } from '../qkc';
import { SUITES, describeSuite, runSuite, suiteReportLines, suiteWithOverrides, type ResultsSummary, type SuiteName, type SuiteSettings } from '../experiments';
import { LocalWorkersExecutor, RedisQueueExecutor, checkRedis, checkRedisUrl, defaultWorkerCount, runSuiteOn, type RunExecutor } from '../experiments/executors';
import { UsageError } from './args';
import { checkPositionals, listOption } from './cli-util';
import { Command } from './command';

/** The settings of the chosen suite with command-line overrides applied (a bad value is a usage error). */
function settingsFrom(o: Record<string, unknown>, models?: string[], seeds?: string[], datasets?: string[]): SuiteSettings {
  try {
    if (o.quick && o.suite !== undefined && o.suite !== 'quick') throw new Error(`--quick and --suite ${o.suite} contradict each other; give one`);
    return suiteWithOverrides(SUITES[o.quick ? 'quick' : (o.suite as SuiteName | undefined) ?? 'full'], {
      models, seeds, datasets, epochs: o.epochs as number | undefined, trainSize: o['train-size'] as number | undefined,
      testSize: o['test-size'] as number | undefined, batchSize: o['batch-size'] as number | undefined,
      diffMethod: (o['diff-method'] ?? o.diff) as DiffMethod | undefined,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Where the runs execute: null for sequential in this process, else local worker processes or a Redis queue (checked reachable first). */
async function executorFrom(o: Record<string, unknown>): Promise<RunExecutor | null> {
  const workers = o.workers as number;
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers: expected a positive integer, got ${workers}`);
  if (o.queue !== undefined) {
    const url = String(o.queue);
    try {
      checkRedisUrl(url);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    await checkRedis(url); // before planning: a Redis that is down is said in one line, at once
    return new RedisQueueExecutor(url);
  }
  return workers === 1 ? null : new LocalWorkersExecutor(workers);
}

/**
 * Where each suite writes by default. The quick suite is the README's main job, a check that a machine
 * reproduces the numbers: it writes to a git-ignored folder so a clean checkout stays clean. The full
 * suite writes the results the repository keeps (figures/results) and skips the runs already there.
 */
const DEFAULT_OUT = Object.freeze({
  quick: { results: path.join('runs', 'quick', 'results'), figures: path.join('runs', 'quick', 'figures') },
  full: { results: RESULTS_DIR, figures: FIGURES_DIR },
  'full-official': { results: RESULTS_DIR, figures: FIGURES_DIR },
});

/** Runs the suite and prints the table; see `qkc reproduce --help`. */
export const reproduceCommand: Command = {
  name: 'reproduce',
  summary: 'run the experiment suite (every model × 3 seeds) and write figures/results/*.json; --quick takes a few minutes',
  options: {
    quick: { type: 'boolean', help: 'the quick suite: stratified 2,000/500 subset of the embedded MNIST (200 more held out to validate), 4 epochs, backprop gradients (the README command)' },
    suite: { type: 'string', help: "which suite: quick (= --quick), full (embedded MNIST + Fashion-MNIST) or full-official (official MNIST + Fashion-MNIST, 5,000 validation each, early stopping: the paper's table)", choices: ['quick', 'full', 'full-official'] },
    out: { type: 'string', help: `folder for result files and summaries (default ${DEFAULT_OUT.quick.results} with --quick, git-ignored; else ${DEFAULT_OUT.full.results})` },
    'runs-dir': { type: 'string', help: 'folder for per-run checkpoints (resumable)', default: path.join('runs', 'reproduce') },
    models: { type: 'string', help: 'only these models (comma-separated)' },
    seeds: { type: 'string', help: 'these seeds instead of 0,1,2 (comma-separated)' },
    datasets: { type: 'string', help: "only these datasets (comma-separated): mnist (embedded), mnist-official (60,000/10,000, not in the suites by default), fashion-mnist" },
    epochs: { type: 'integer', help: 'epochs for every dataset (overrides the suite)' },
    'train-size': { type: 'integer', help: 'stratified training subset size for every dataset (overrides the suite)' },
    'test-size': { type: 'integer', help: 'stratified test subset size for every dataset (overrides the suite)' },
    'batch-size': { type: 'integer', help: 'training batch size (overrides the suite)' },
    diff: { type: 'string', help: 'gradient method of the quantum layers (overrides the suite)', choices: DIFF_METHODS },
    'diff-method': { type: 'string', help: 'the same as --diff (e.g. the parameter-shift twin of a backprop suite on a subset: --diff-method parameter-shift --models … --out …)', choices: DIFF_METHODS },
    progress: { type: 'string', help: 'training progress: auto = one line per run with epoch, rate and ETA on a terminal, per-epoch lines otherwise', choices: ['auto', 'bar', 'lines', 'none'], default: 'auto' },
    figures: { type: 'string', help: `folder for this suite's figures (SVG + PNG, redrawn from the results at the end; default ${DEFAULT_OUT.quick.figures} with --quick, else ${DEFAULT_OUT.full.figures})` },
    'no-figures': { type: 'boolean', help: 'do not redraw the figures (the last line says the command that draws them later)' },
    workers: { type: 'integer', help: `worker processes on this machine (1: sequential, in this process)`, default: defaultWorkerCount() },
    queue: { type: 'string', help: "Redis URL (redis://host:port/db): put the runs on a BullMQ queue for 'qkc worker --queue' processes anywhere and follow them" },
  },
  async run(args) {
    checkPositionals(args, 'reproduce');
    const o = args.options;
    for (const k of ['epochs', 'train-size', 'test-size', 'batch-size']) {
      if (o[k] !== undefined && (o[k] as number) < 1) throw new UsageError(`--${k}: expected a positive integer, got ${o[k]}`);
    }
    const settings = settingsFrom(o, listOption(args, 'models'), listOption(args, 'seeds'), listOption(args, 'datasets'));
    const executor = await executorFrom(o);
    const out = o.out === undefined ? DEFAULT_OUT[settings.suite].results : String(o.out);
    const figures = o.figures === undefined ? DEFAULT_OUT[settings.suite].figures : String(o.figures);
    const info = await ready();
    for (const line of describeSuite(settings)) console.log(line);
    console.log(`  backend ${info.tfBackend}; results → ${out}; checkpoints → ${o['runs-dir']} (interrupt and rerun to resume)`);
    const t0 = performance.now();
    const log = (line: string): void => console.log(line);
    let summary: ResultsSummary;
    let failed: string[] = [];
    if (executor) {
      if (o.progress === 'bar' || o.progress === 'lines') console.log(`  (--progress ${o.progress} is for --workers 1; with workers the sweep prints its own progress lines)`);
      const outcome = await runSuiteOn(executor, settings, { outDir: out, runsDir: String(o['runs-dir']), log });
      summary = outcome.summary;
      failed = outcome.failed.map((f) => `${f.spec.id} (${f.attempts} attempts: ${f.error})`);
    } else {
      summary = await runSuite(settings, { outDir: out, runsDir: String(o['runs-dir']), log, progress: o.progress as 'none' });
    }
    console.log('');
    for (const line of suiteReportLines(summary)) console.log(line);
    const base = path.join(out, `${settings.suite}-summary`);
    console.log(`\nsummary: ${base}.json, ${base}.csv; one result file per run in ${out}; ${((performance.now() - t0) / 1000).toFixed(0)} s in training`);
    const failures = (): void => {
      if (failed.length > 0) throw new Error(`${failed.length} run(s) failed: ${failed.join('; ')}; the others are in the summary`);
    };
    if (o['no-figures']) {
      console.log(`figures not redrawn (--no-figures): ${drawFiguresLater(settings.suite, out, figures)} draws them from these files`);
      failures();
      return;
    }
    await drawSuiteFigures(settings.suite, out, figures, log);
    failures();
  },
};
