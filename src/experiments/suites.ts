/**
 * The two reproduction suites as data ('quick' and 'full'), the lines that describe one, the checks that
 * run before any work, and a suite with command-line style overrides applied (what `qkc reproduce` runs).
 */
import { MODELS } from '../models';
import type { DiffMethod } from '../qkc';
import type { SuiteName } from './results';

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

/** Names of every model of the zoo, in table order. */
export const ALL_MODELS: readonly string[] = Object.freeze(MODELS.map((m) => m.name));

/** Dataset names a suite knows. */
export const SUITE_DATASETS: readonly SuiteDataset['name'][] = Object.freeze(['mnist', 'mnist-official', 'fashion-mnist'] as const);

/** The two suites: 'quick' (the README's command, a few minutes on 2 cores) and 'full'. */
export const SUITES: Readonly<Record<SuiteName, SuiteSettings>> = Object.freeze({
  // quick: the same models and seeds on a stratified 2,000/500 subset for 4 epochs, with backprop gradients
  // (exact simulation: the same gradients as parameter-shift, test/models.test.ts). Measured per epoch of
  // 1,000 images: parameter-shift 4–36 s per hybrid, adjoint 1–7 s, backprop 0.7–1.5 s. The whole quick suite
  // took 44 s at 1,000 images × 3 epochs on an idle 2-core machine; 2,000 × 4 gets past the slow first
  // epochs (hybrid-qpool stayed near chance for one seed at 1,000 × 3).
  quick: {
    suite: 'quick', models: [...ALL_MODELS], seeds: [0, 1, 2],
    datasets: [{ name: 'mnist', epochs: 4, trainSize: 2000, testSize: 500 }],
    batchSize: 32, learningRate: 3e-3, quantumLearningRate: 0.01, diffMethod: 'backprop',
  },
  full: {
    suite: 'full', models: [...ALL_MODELS], seeds: [0, 1, 2],
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
    // Every suite dataset has 10 classes; a stratified prefix of fewer test images misses some of them.
    const tiny = d.testSize != null && d.testSize < 10 ? `; WARNING: ${d.testSize} test image(s) for 10 classes, so its accuracies say little` : '';
    lines.push(`  ${d.name}: ${src}, ${sizes}, ${d.epochs} epoch(s)${tiny}`);
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
  // A dataset in neither suite (mnist-official) trains as the full suite's other 60,000-image set does: 5 epochs on all of it.
  const other = (name: SuiteDataset['name']): SuiteDataset => ({ name, epochs: 5, trainSize: null, testSize: null });
  return (names as SuiteDataset['name'][]).map((name) => ({ ...(base.find((d) => d.name === name) ?? SUITES.full.datasets.find((d) => d.name === name) ?? other(name)) }));
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
  checkSuiteSettings(s);
  return s;
}
