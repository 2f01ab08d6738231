/**
 * The reproduction suite behind `qkc reproduce`: every model × seeds on the embedded MNIST split (and on
 * Fashion-MNIST when its files are present), one `RunResult` file per run and a summary over seeds.
 * Resumable at two levels: a run whose result file exists with the same settings is skipped, and an
 * unfinished run continues from its last epoch checkpoint (its run directory is keyed by the settings).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { locateDataset, type TrainTestSplit } from '../data';
import { openDataset, type DatasetRef } from './dataset-ref';
import type { DiffMethod } from '../qkc';
import { writeFileAtomic, type TrainOptions } from '../train';
import { runExperiment } from './experiment';
import { MODELS, getModelSpec } from './registry';
import { architectureHash } from './architecture';
import { checkRunResult, summarizeRuns, summaryToCsv, type ResultsSummary, type RunResult, type SuiteName } from './results';

/** One dataset of a suite: how long and on how much of it to train. */
export interface SuiteDataset {
  /** 'mnist' is always the embedded 8,000/2,000 split; 'mnist-official' the official 60,000/10,000 (5,000 held out to validate); 'fashion-mnist' needs its IDX files. */
  name: 'mnist' | 'mnist-official' | 'fashion-mnist';
  epochs: number;
  /** Stratified prefix sizes of the train/test parts (null: all). */
  trainSize: number | null;
  testSize: number | null;
}

/** What a suite runs. */
export interface SuiteSettings {
  suite: SuiteName;
  models: string[];
  seeds: number[];
  datasets: SuiteDataset[];
  batchSize: number;
  learningRate: number;
  quantumLearningRate: number;
  diffMethod: DiffMethod;
}

const ALL_MODELS = MODELS.map((m) => m.name);

/** The two suites: 'quick' (the README's command, a few minutes on 2 cores) and 'full'. */
export const SUITES: Readonly<Record<SuiteName, SuiteSettings>> = Object.freeze({
  // quick: the same models and seeds on a stratified 2,000/500 subset for 4 epochs, with backprop gradients
  // (exact simulation: the same gradients as parameter-shift, test/models.test.ts). Measured per epoch of
  // 1,000 images: parameter-shift 4–36 s per hybrid, adjoint 1–7 s, backprop 0.7–1.5 s. The whole quick suite
  // took 44 s at 1,000 images × 3 epochs on an idle 2-core machine; 2,000 × 4 gets past the slow first
  // epochs (hybrid-qpool stayed near chance for one seed at 1,000 × 3).
  quick: {
    suite: 'quick', models: ALL_MODELS, seeds: [0, 1, 2],
    datasets: [{ name: 'mnist', epochs: 4, trainSize: 2000, testSize: 500 }],
    batchSize: 32, learningRate: 3e-3, quantumLearningRate: 0.01, diffMethod: 'backprop',
  },
  full: {
    suite: 'full', models: ALL_MODELS, seeds: [0, 1, 2],
    datasets: [
      { name: 'mnist', epochs: 20, trainSize: null, testSize: null },
      { name: 'fashion-mnist', epochs: 5, trainSize: null, testSize: null },
    ],
    batchSize: 32, learningRate: 3e-3, quantumLearningRate: 0.01, diffMethod: 'parameter-shift',
  },
});

/** Human-readable lines saying exactly what a suite runs (printed before it starts). */
export function describeSuite(s: SuiteSettings): string[] {
  const lines = [`suite '${s.suite}': ${s.models.length} models × ${s.seeds.length} seeds (${s.seeds.join(', ')})`];
  for (const d of s.datasets) {
    const src = d.name === 'mnist' ? 'embedded MNIST (fixed stratified 8,000/2,000 split)'
      : d.name === 'mnist-official' ? 'official MNIST (60,000/10,000; 5,000 of the 60,000 held out to validate each epoch)' : 'Fashion-MNIST (official 60,000/10,000)';
    const sizes = d.trainSize == null && d.testSize == null ? 'all of it'
      : `stratified prefixes: ${d.trainSize ?? 'all'} train / ${d.testSize ?? 'all'} test images`;
    lines.push(`  ${d.name}: ${src}, ${sizes}, ${d.epochs} epoch(s)`);
  }
  const why = s.diffMethod === 'parameter-shift' ? ''
    : ' (exact simulation gives the same gradients as parameter-shift, only faster; circuit counts are this method\'s)';
  lines.push(`  Adam lr ${s.learningRate} (quantum ${s.quantumLearningRate}), batch ${s.batchSize}, quantum gradients by ${s.diffMethod}${why}`);
  lines.push(`  models: ${s.models.join(', ')}`);
  return lines;
}

/** Checks suite settings (model names, sizes, seeds) before any work starts. */
export function checkSuiteSettings(s: SuiteSettings): void {
  for (const m of s.models) {
    if (!ALL_MODELS.includes(m)) throw new Error(`models: unknown model '${m}' (expected names from: ${ALL_MODELS.join(', ')})`);
  }
  if (s.models.length === 0) throw new Error('models: expected at least one model');
  if (s.seeds.length === 0 || !s.seeds.every((x) => Number.isInteger(x) && x >= 0)) throw new Error(`seeds: expected non-negative integers, got [${s.seeds.join(', ')}]`);
  for (const d of s.datasets) {
    if (!Number.isInteger(d.epochs) || d.epochs < 1) throw new Error(`${d.name}: epochs must be a positive integer, got ${d.epochs}`);
  }
}

/** Where a suite writes and how it reports. */
export interface SuiteRunOptions {
  /** Result files and summaries (e.g. figures/results). */
  outDir: string;
  /** Per-run directories with checkpoints, so an interrupted run resumes (the CLI uses runs/reproduce). */
  runsDir: string;
  /** One line per event (default: nothing). */
  log?: (line: string) => void;
  /** Trainer progress for each run (default 'none'). */
  progress?: TrainOptions['progress'];
  progressStream?: NodeJS.WritableStream;
  /** Replaces dataset loading (tests); return { skip: reason } to skip a dataset. */
  loadData?: (d: SuiteDataset) => TrainTestSplit | { skip: string };
}

/** The default loader: embedded MNIST always; Fashion-MNIST only when its files are found. */
export function loadSuiteData(d: SuiteDataset): TrainTestSplit | { skip: string } {
  const ref = suiteDataRef(d);
  if (d.name === 'fashion-mnist' && !locateDataset('fashion-mnist')) {
    return { skip: "Fashion-MNIST IDX files not found (get them with 'qkc data download fashion-mnist' or 'apt install dataset-fashion-mnist')" };
  }
  return openDataset(ref);
}

/** The dataset reference of a suite dataset ('mnist' means the embedded split, whatever files exist). */
export function suiteDataRef(d: SuiteDataset): DatasetRef {
  const subset = { ...(d.trainSize != null ? { trainSize: d.trainSize } : {}), ...(d.testSize != null ? { testSize: d.testSize } : {}) };
  return { dataset: d.name === 'mnist' ? 'mnist-embedded' : d.name, subset };
}

/** File name of one run's result in the suite's results folder. */
export function resultFileName(suite: SuiteName, dataset: string, model: string, seed: number): string {
  return `${suite}-${dataset}-${model}-s${seed}.json`;
}

/** The architecture hash of the model a run would build now (cheap: building is milliseconds). */
function currentArchitecture(model: string, seed: number, d: TrainTestSplit): string {
  const m = getModelSpec(model).builder(seed, { numClasses: d.train.numClasses, imageSize: [d.train.height, d.train.width] });
  try {
    return architectureHash(m);
  } finally {
    m.dispose();
  }
}

/**
 * Whether an existing result was produced with exactly these settings and architecture (else the run is redone).
 * The quantum gradient method is ignored for models without quantum weights: it cannot change their training,
 * so a parameter-shift suite reuses classical runs made under backprop instead of repeating them.
 */
function sameSettings(r: RunResult, s: SuiteSettings, d: TrainTestSplit, epochs: number): boolean {
  const t = r.training;
  const sameDiff = t.diffMethod === s.diffMethod || r.parameters.quantum === 0;
  return r.model.architecture === currentArchitecture(r.model.name, t.seed, d) && t.epochs === epochs && t.batchSize === s.batchSize && t.learningRate === s.learningRate
    && t.quantumLearningRate === s.quantumLearningRate && sameDiff
    && r.dataset.trainSize === d.train.size && r.dataset.testSize === d.test.size && r.dataset.source === d.source;
}

function readResult(file: string): RunResult | null {
  if (!fs.existsSync(file)) return null;
  try {
    return checkRunResult(JSON.parse(fs.readFileSync(file, 'utf8')), file);
  } catch {
    return null; // unreadable or foreign: redo the run (files are written atomically, so this is rare)
  }
}

/** Valid result files of `suite` in `dir` (not the summary). */
function savedResults(dir: string, suite: SuiteName): RunResult[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .filter((f) => f.startsWith(`${suite}-`) && f.endsWith('.json') && f !== `${suite}-summary.json`)
    .map((f) => readResult(path.join(dir, f)))
    .filter((r): r is RunResult => r !== null && r.suite === suite);
}

/** Runs in table order: MNIST, Fashion-MNIST, other datasets by name; models in MODELS order; seeds ascending. */
function sortRuns(runs: RunResult[]): RunResult[] {
  const dataRank = (n: string): string => (n === 'mnist' ? '0' : n === 'fashion-mnist' ? '1' : `2${n}`);
  const modelRank = (n: string): number => {
    const i = ALL_MODELS.indexOf(n);
    return i < 0 ? ALL_MODELS.length : i;
  };
  return [...runs].sort((a, b) => dataRank(a.dataset.name).localeCompare(dataRank(b.dataset.name))
    || modelRank(a.model.name) - modelRank(b.model.name) || a.model.name.localeCompare(b.model.name)
    || a.training.seed - b.training.seed);
}

/** Runs (or resumes) a suite; writes result files and `<suite>-summary.json/csv` into outDir; returns the summary. */
export async function runSuite(settings: SuiteSettings, options: SuiteRunOptions): Promise<ResultsSummary> {
  checkSuiteSettings(settings);
  const log = options.log ?? (() => undefined);
  const load = options.loadData ?? loadSuiteData;
  fs.mkdirSync(options.outDir, { recursive: true });
  // Run directories are keyed by everything that changes a run except epochs (so a longer suite extends it).
  const key = createHash('sha256').update(JSON.stringify([settings.batchSize, settings.learningRate, settings.quantumLearningRate, settings.diffMethod])).digest('hex').slice(0, 8);
  const results: RunResult[] = [];
  const skipped: ResultsSummary['skipped'] = [];
  const ran = new Set<string>(); // "dataset\0model\0seed" runs this invocation covers
  // Per loaded dataset: whether a saved run of one of this invocation's models has this invocation's settings.
  const fits = new Map<string, (r: RunResult) => boolean>();
  const summary = (): ResultsSummary => {
    // Saved runs this invocation does not cover (e.g. MNIST when only --datasets fashion-mnist runs, or other
    // seeds when only --seeds 2 runs) stay in the summary from their files, except other seeds of a model it runs
    // that were trained with other settings: one row never mixes, say, 5- and 20-epoch runs.
    const kept = savedResults(options.outDir, settings.suite).filter((r) => !ran.has(`${r.dataset.name}\0${r.model.name}\0${r.training.seed}`)
      && (fits.get(r.dataset.name)?.(r) ?? true));
    return {
      format: 'qkc-results-summary/1', suite: settings.suite, createdAt: new Date().toISOString(),
      settings: settings as unknown as Record<string, unknown>, rows: summarizeRuns(sortRuns([...results, ...kept])), skipped,
    };
  };
  const writeSummary = async (): Promise<void> => {
    const s = summary();
    await writeFileAtomic(path.join(options.outDir, `${settings.suite}-summary.json`), JSON.stringify(s, null, 2) + '\n');
    await writeFileAtomic(path.join(options.outDir, `${settings.suite}-summary.csv`), summaryToCsv(s.rows));
  };
  const total = settings.datasets.length * settings.models.length * settings.seeds.length;
  let index = 0;
  for (const d of settings.datasets) {
    const data = load(d);
    if ('skip' in data) {
      skipped.push({ dataset: d.name, reason: data.skip });
      log(`${d.name}: skipped — ${data.skip}`);
      index += settings.models.length * settings.seeds.length;
      continue;
    }
    log(`${d.name}: ${data.source}; ${data.train.size} train / ${data.test.size} test images`);
    for (const m of settings.models) for (const seed of settings.seeds) ran.add(`${d.name}\0${m}\0${seed}`);
    fits.set(d.name, (r) => !settings.models.includes(r.model.name) || sameSettings(r, settings, data, d.epochs));
    for (const seed of settings.seeds) {
      for (const model of settings.models) {
        index++;
        const file = path.join(options.outDir, resultFileName(settings.suite, d.name, model, seed));
        const existing = readResult(file);
        if (existing && sameSettings(existing, settings, data, d.epochs)) {
          results.push(existing);
          log(`[${index}/${total}] ${d.name} ${model} seed ${seed}: done before (test acc ${existing.final.testAccuracy.toFixed(4)}), skipped`);
          continue;
        }
        // Keyed by the settings and the architecture, so a changed factory starts afresh instead of failing to resume.
        const runDir = path.join(options.runsDir, `${settings.suite}-${d.name}-${model}-s${seed}-${key}-${currentArchitecture(model, seed, data).slice(0, 8)}`);
        const { result } = await runExperiment({
          model, seed, data, dataRef: options.loadData ? null : suiteDataRef(d), epochs: d.epochs, batchSize: settings.batchSize, learningRate: settings.learningRate,
          quantumLearningRate: settings.quantumLearningRate, diffMethod: settings.diffMethod, runDir, resume: 'auto',
          resultFile: file, suite: settings.suite, progress: options.progress ?? 'none', progressStream: options.progressStream,
        });
        if (!result) throw new Error(`${d.name} ${model} seed ${seed}: the run stopped before its last epoch; run the command again to resume`);
        results.push(result);
        log(`[${index}/${total}] ${d.name} ${model} seed ${seed}: test acc ${result.final.testAccuracy.toFixed(4)}, ` +
          `${result.timing.meanEpochTimeS.toFixed(1)} s/epoch, params ${result.parameters.quantum}q + ${result.parameters.classical}c`);
        await writeSummary();
      }
    }
  }
  await writeSummary();
  return summary();
}
