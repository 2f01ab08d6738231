/**
 * The two reproduction suites as data ('quick' and 'full'), the lines that describe one, the checks that
 * run before any work, and a suite with command-line style overrides applied (what `qkc reproduce` runs).
 */
import { MODELS } from '../models';
import type { DiffMethod } from '../qkc';
import { CONSTANT_LR, describeLrSchedule } from '../train';
import type { SuiteName } from './results';

/** One dataset of a suite: how long and on how much of it to train. */
export interface SuiteDataset {
  /** 'mnist' is always the embedded 8,000/2,000 split; 'mnist-official' the official 60,000/10,000 (5,000 held out to validate); 'fashion-mnist' needs its IDX files. */
  name: 'mnist' | 'mnist-official' | 'fashion-mnist';
  epochs: number;
  /** Stratified prefix sizes of the train/test parts (null: all). */
  trainSize: number | null;
  testSize: number | null;
  /**
   * Images held out of the training set to validate each epoch and select the model (seeded, stratified,
   * carved before the prefix sizes apply, so disjoint from train and test; the same seed for every run of a
   * dataset, so runs are paired on the same data). 0: none (the result then says so).
   */
  validationSize: number;
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
  /**
   * Early stopping: stop after this many epochs without a better validation accuracy; null: never stop
   * early. Either way the weights of the best-validation epoch are the ones tested (model selection).
   */
  patience: number | null;
  /** Also copy each finished hybrid run's trained model (model.json + weights.bin) into `<out>/<suite>-models/<run id>/`. */
  keepModels: boolean;
  /**
   * Apply the model zoo's per-model training recipes (ModelSpec.recipe: LeNet-5-like's learning rate and
   * schedule, chosen on validation) instead of the suite's settings for those models; absent/false: none.
   */
  modelRecipes?: boolean;
}

/** Names of every model of the zoo, in table order. */
export const ALL_MODELS: readonly string[] = Object.freeze(MODELS.map((m) => m.name));

/**
 * The quick suite's models: the four original hybrids, their same-shape controls, the two parameter-matched
 * CNNs, LeNet-5-like, linear, and the four hybrids' frozen-kernel twins (cheap: no quantum gradient). The
 * design-search models run in 'full' and 'full-official' (every model of the zoo), so the quick suite stays
 * a few minutes long.
 */
const QUICK_CORE: readonly string[] = ['hybrid-small', 'hybrid-strong', 'hybrid-kpool', 'hybrid-qpool', 'control-small', 'control-strong',
  'control-kpool', 'control-qpool', 'cnn-small', 'cnn-medium', 'lenet5', 'linear'];
export const QUICK_MODELS: readonly string[] = Object.freeze(ALL_MODELS.filter((m) => QUICK_CORE.includes(m.replace(/-frozen$/, ''))));

/** Dataset names a suite knows. */
export const SUITE_DATASETS: readonly SuiteDataset['name'][] = Object.freeze(['mnist', 'mnist-official', 'fashion-mnist'] as const);

/** Validation images of the official 60,000-image training sets (the customary 55,000 / 5,000). */
export const OFFICIAL_VALIDATION_SIZE = 5000;

/**
 * The suites: 'quick' (the README's command, a few minutes on 2 cores), 'full' (the embedded 8,000/2,000
 * MNIST and Fashion-MNIST) and 'full-official' (the official splits, trained to convergence: the paper's table).
 * Every suite holds out a validation split from its training set (embedded MNIST: 10 % of the training part)
 * and tests the best-validation epoch's weights.
 */
export const SUITES: Readonly<Record<SuiteName, SuiteSettings>> = Object.freeze({
  // quick: the same models and seeds on a stratified 2,000/500 subset for 4 epochs, with backprop gradients
  // (exact simulation: the same gradients as parameter-shift, test/models.test.ts). Measured per epoch of
  // 1,000 images: parameter-shift 4–36 s per hybrid, adjoint 1–7 s, backprop 0.7–1.5 s. The whole quick suite
  // took 44 s at 1,000 images × 3 epochs on an idle 2-core machine; 2,000 × 4 gets past the slow first
  // epochs (hybrid-qpool stayed near chance for one seed at 1,000 × 3).
  quick: {
    suite: 'quick', models: [...QUICK_MODELS], seeds: [0, 1, 2],
    // Validation: 200 images (10 % of the 2,000 trained on), carved from the 8,000 before the 2,000 are taken.
    datasets: [{ name: 'mnist', epochs: 4, trainSize: 2000, testSize: 500, validationSize: 200 }],
    batchSize: 32, learningRate: 3e-3, quantumLearningRate: 0.01, diffMethod: 'backprop', patience: null, keepModels: false,
  },
  full: {
    suite: 'full', models: [...ALL_MODELS], seeds: [0, 1, 2],
    datasets: [
      { name: 'mnist', epochs: 20, trainSize: null, testSize: null, validationSize: 800 },
      { name: 'fashion-mnist', epochs: 5, trainSize: null, testSize: null, validationSize: OFFICIAL_VALIDATION_SIZE },
    ],
    batchSize: 32, learningRate: 3e-3, quantumLearningRate: 0.01, diffMethod: 'parameter-shift', patience: null, keepModels: false,
  },
  // full-official: the official splits (55,000 train / 5,000 validation / 10,000 test), every model of the zoo.
  // Epochs: on the embedded 8,000 images the validation curves peaked between epochs 10 and 20 (2,500–5,000
  // steps of 32; figures/results/full-mnist-*.json); an official epoch is 1,719 steps, so 20 epochs give ~7× the
  // steps after which the small set's curves had flattened. Patience 4 epochs = ~6,900 steps without a better
  // validation accuracy, more than a whole 20-epoch embedded run (5,000 steps): counted in epochs of 250 steps,
  // patience 4 would have stopped 21 of the 36 embedded MNIST runs early and cost up to 1.05 points (measured on
  // their histories), so it is sized in steps, generously. The cap was 20 epochs until 30 of the first 172 official
  // runs reached it without early stopping, some with validation accuracy still 0.4–0.7 points better in their
  // last 5 epochs than before (the curve had not flattened); at 40, patience decides when a run ends. Runs that
  // stopped early under 20 are the same runs under 40 (`sameEpochCap`); runs that reached 20 resume from their
  // checkpoints and go on.
  // Backprop: exact simulation, the same gradients as
  // parameter-shift (test/models.test.ts) at a fraction of the time; the parameter-shift twin is a subset run with
  // `--diff parameter-shift --models … --out figures/results/full-official-parameter-shift` (README).
  'full-official': {
    suite: 'full-official', models: [...ALL_MODELS], seeds: [0, 1, 2],
    datasets: [
      { name: 'mnist-official', epochs: 40, trainSize: null, testSize: null, validationSize: OFFICIAL_VALIDATION_SIZE },
      { name: 'fashion-mnist', epochs: 40, trainSize: null, testSize: null, validationSize: OFFICIAL_VALIDATION_SIZE },
    ],
    batchSize: 32, learningRate: 3e-3, quantumLearningRate: 0.01, diffMethod: 'backprop', patience: 4, keepModels: true, modelRecipes: true,
  },
});

/** Human-readable lines saying exactly what a suite runs (printed before it starts). */
export function describeSuite(s: SuiteSettings): string[] {
  const lines = [`suite '${s.suite}': ${s.models.length} models × ${s.seeds.length} seeds (${s.seeds.join(', ')})`];
  for (const d of s.datasets) {
    const src = d.name === 'mnist' ? 'embedded MNIST (fixed stratified 8,000/2,000 split)'
      : d.name === 'mnist-official' ? 'official MNIST (60,000/10,000)' : 'Fashion-MNIST (official 60,000/10,000)';
    const validation = d.validationSize > 0
      ? `${d.validationSize} training images held out to validate each epoch and select the model (stratified, seeded)`
      : 'NO validation split (the last epoch is tested)';
    const sizes = d.trainSize == null && d.testSize == null ? 'all of it'
      : `stratified prefixes: ${d.trainSize ?? 'all'} train / ${d.testSize ?? 'all'} test images`;
    // Every suite dataset has 10 classes; a stratified prefix of fewer test images misses some of them.
    const tiny = d.testSize != null && d.testSize < 10 ? `; WARNING: ${d.testSize} test image(s) for 10 classes, so its accuracies say little` : '';
    lines.push(`  ${d.name}: ${src}, ${sizes}, ${validation}, ${d.epochs} epoch(s)${tiny}`);
  }
  const why = s.diffMethod === 'parameter-shift' ? ''
    : ' (exact simulation gives the same gradients as parameter-shift, only faster; circuit counts are this method\'s)';
  lines.push(`  Adam lr ${s.learningRate} (quantum ${s.quantumLearningRate}), batch ${s.batchSize}, quantum gradients by ${s.diffMethod}${why}`);
  for (const m of s.modelRecipes ? MODELS.filter((x) => x.recipe && s.models.includes(x.name)) : []) {
    const r = m.recipe!;
    lines.push(`  ${m.name}: its own recipe: Adam lr ${r.learningRate ?? s.learningRate}, learning rate ${describeLrSchedule(r.lrSchedule ?? CONSTANT_LR)} (${r.why})`);
  }
  lines.push(`  model selection: the best-validation epoch's weights are tested (and the last epoch's, reported beside them); ` +
    (s.patience == null ? 'no early stopping' : `early stopping after ${s.patience} epochs without a better validation accuracy`));
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
    if (!Number.isInteger(d.validationSize) || d.validationSize < 0) throw new Error(`${d.name}: validationSize must be a non-negative integer, got ${d.validationSize}`);
  }
  if (s.patience !== null && (!Number.isInteger(s.patience) || s.patience < 1)) throw new Error(`patience: expected a positive integer or null, got ${s.patience}`);
}

/** Changes to a suite's settings, as `qkc reproduce` takes them (every field optional). */
export interface SuiteOverrides {
  models?: string[];
  /** Seeds as given (strings from a command line or numbers). */
  seeds?: Array<string | number>;
  datasets?: string[];
  /** Applied to every dataset. */
  epochs?: number;
  trainSize?: number;
  testSize?: number;
  batchSize?: number;
  diffMethod?: DiffMethod;
  /** Early-stopping patience in epochs (null: none). */
  patience?: number | null;
}

/** Parses one seed: a non-negative integer, or an Error naming `--seeds` and the value. */
function parseSeed(x: string | number): number {
  const v = typeof x === 'number' ? x : Number(x);
  if (String(x).trim() === '' || !Number.isInteger(v) || v < 0) throw new Error(`--seeds: expected non-negative integers, got '${x}'`);
  return v;
}

/** The datasets named by `names`, each with the base suite's settings when it has them, else the full suite's, else 5 epochs on all. */
function pickDatasets(base: readonly SuiteDataset[], names: readonly string[]): SuiteDataset[] {
  for (const d of names) {
    if (!(SUITE_DATASETS as readonly string[]).includes(d)) throw new Error(`--datasets: expected ${SUITE_DATASETS.join(', ')}, got '${d}'`);
  }
  // A dataset in neither this suite nor 'full' (mnist-official) trains as in 'full-official'.
  const other = (name: SuiteDataset['name']): SuiteDataset | undefined => SUITES['full-official'].datasets.find((d) => d.name === name);
  return (names as SuiteDataset['name'][]).map((name) => ({ ...(base.find((d) => d.name === name) ?? SUITES.full.datasets.find((d) => d.name === name) ?? other(name)!) }));
}

/** A copy of `base` with `o` applied, checked; errors name the option (`--seeds`, `models`, …). */
export function suiteWithOverrides(base: SuiteSettings, o: SuiteOverrides): SuiteSettings {
  const s: SuiteSettings = { ...base, models: [...base.models], seeds: [...base.seeds], datasets: base.datasets.map((d) => ({ ...d })) };
  if (o.models) s.models = [...o.models];
  if (o.seeds) s.seeds = o.seeds.map(parseSeed);
  if (o.datasets) s.datasets = pickDatasets(s.datasets, o.datasets);
  for (const d of s.datasets) {
    if (o.epochs !== undefined) d.epochs = o.epochs;
    if (o.trainSize !== undefined) d.trainSize = o.trainSize;
    if (o.testSize !== undefined) d.testSize = o.testSize;
  }
  if (o.diffMethod !== undefined) s.diffMethod = o.diffMethod;
  if (o.batchSize !== undefined) s.batchSize = o.batchSize;
  if (o.patience !== undefined) s.patience = o.patience;
  checkSuiteSettings(s);
  return s;
}
