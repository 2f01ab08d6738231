/**
 * The pooling study: does entanglement-based quantum pooling keep more of the discriminative information
 * than classical pooling of the same maps? Over several trained models and seeds, each run
 *   1. trains a zoo model with a spatial 2×2 pooling (hybrid-qpool, its controls and the learned-pooling
 *      variants) on a stratified subset of the official MNIST training images, with the official
 *      validation hold-out choosing the epoch (early stopping, best weights restored);
 *   2. takes the maps the model feeds its pooling layer (the trained kernel's outputs, 14×14×4) and
 *      compares, on the same maps (src/analysis/pooling-comparison.ts): no pooling (the ceiling), avg, max,
 *      the learned classical pooling with as many parameters as the quantum one, the Hur QuantumPooling
 *      (both fitted on the train split, epoch chosen on validation), and the model's own trained pooling
 *      when it has parameters. Linear-probe test accuracy is the figure of merit.
 * Each run is written atomically to its own file (figures/results/pooling-study-<model>-s<seed>.json) as it
 * finishes, so an interrupted study resumes run by run; a run file counts as done only when its settings and
 * its model's architecture hash match today's (a zoo change makes it stale); the summary (mean ± sd over seeds, and every
 * variant's paired difference from the quantum pooling with a 95 % t-interval) goes to
 * figures/results/pooling-study.json, which the figure is drawn from.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import { tf } from '../backend';
import { ImageDataset, loadMnistOfficial } from '../data';
import { LearnedPooling2D, QuantumPooling, statisticsForParameters, type PoolBlockName } from '../pooling';
import { architectureHash, getModelSpec, spatialQuantumPoolingArgs, spatialQuantumPoolingParameters } from '../models';
import { pairedComparison } from '../experiments';
import { evaluateModel, train, writeFileAtomic } from '../train';
import { readFormattedJson } from '../util';
import { comparePoolings, type PoolingComparison, type PoolingFitOptions, type PoolingVariant } from '../analysis';
import { mean, summarize } from '../analysis/stats';

/** Summary file; the run files go beside it, named after it. */
export const POOLING_STUDY_FILE = 'figures/results/pooling-study.json';
/** Format tags of the summary and of a run file. */
export const POOLING_STUDY_FORMAT = 'qkc-pooling-study/1';
export const POOLING_STUDY_RUN_FORMAT = 'qkc-pooling-study-run/1';
/** The command that writes the study's files. */
export const POOLING_STUDY_COMMAND = 'nice -n 10 npm run analysis:pooling';

/** Settings of the study (every field has a default in POOLING_STUDY_DEFAULTS). */
export interface PoolingStudySettings {
  models: string[];
  seeds: number[];
  /** Official MNIST: training images (stratified prefix of the 55,000 left after the validation hold-out), validation images (prefix of the 5,000 held out), test images (stratified prefix of the 10,000). */
  trainSize: number;
  validationSize: number;
  testSize: number;
  /** Training: most epochs, early-stopping patience on validation accuracy (best epoch restored), batch, learning rates. */
  epochs: number;
  patience: number;
  batchSize: number;
  learningRate: number;
  quantumLearningRate: number;
  /** The quantum pool block compared (and matched in parameters by the learned pooling). */
  block: PoolBlockName;
  /** Fitting of the compared poolings' parameters on frozen maps. */
  fit: Required<Omit<PoolingFitOptions, 'seed'>>;
  /** L2 penalties of the probe that validation chooses from. */
  l2Grid: number[];
  /** Full-batch Adam steps of the linear probe (absent: the probe's default, 200). */
  probeSteps?: number;
}

/** The default study: four models × three seeds, a few minutes per run on a shared 2-core machine. */
export const POOLING_STUDY_DEFAULTS: Readonly<PoolingStudySettings> = Object.freeze({
  models: ['hybrid-qpool', 'control-qpool', 'hybrid-qpool-learned', 'control-qpool-learned'],
  seeds: [0, 1, 2],
  trainSize: 2000, validationSize: 1000, testSize: 2000,
  epochs: 5, patience: 2, batchSize: 32, learningRate: 3e-3, quantumLearningRate: 0.01,
  block: 'hur' as PoolBlockName,
  fit: { epochs: 4, batchSize: 128, learningRate: 0.05 },
  l2Grid: [1e-3, 1e-2, 1e-1],
});

/** One run's file. */
export interface PoolingStudyRun {
  format: typeof POOLING_STUDY_RUN_FORMAT;
  created: string;
  model: string;
  seed: number;
  /** JSON of the settings a run depends on (all but models and seeds): a run file with another key is run again. */
  settingsKey: string;
  /** `architectureHash` of the model trained (absent in files written before it was recorded): a run file whose hash differs from the zoo's today is run again. */
  architecture?: string;
  training: { epochs: number; bestEpoch: number | null; validationAccuracy: number; testAccuracy: number; seconds: number };
  /** The layer whose input maps were pooled. */
  poolingLayer: string;
  comparison: PoolingComparison;
  seconds: number;
}

/** One model × variant over the seeds. */
export interface PoolingStudyRow {
  model: string;
  variant: string;
  kind: string;
  featureDim: number;
  parameters: number;
  seeds: number[];
  testAccuracies: number[];
  mean: number;
  sd: number | null;
  validationMean: number;
  miBoundMeanBits: number;
}

/** A variant's paired difference from the reference pooling of the same model (test accuracy, a − reference per seed). */
export interface PoolingStudyDifference {
  model: string;
  variant: string;
  reference: string;
  seeds: number[];
  differences: number[];
  meanDifference: number;
  ci95: [number, number] | null;
}

/** The summary file. */
export interface PoolingStudySummary {
  format: typeof POOLING_STUDY_FORMAT;
  created: string;
  settings: PoolingStudySettings;
  /** What the numbers are. */
  estimator: string;
  /** Runs missing from the summary (not yet run). */
  missing: { model: string; seed: number }[];
  models: { model: string; seeds: number[]; testAccuracies: number[]; bestEpochs: (number | null)[] }[];
  rows: PoolingStudyRow[];
  differences: PoolingStudyDifference[];
}

const ESTIMATOR = 'linear-probe test accuracy (softmax regression on train-standardised pooled features; L2 chosen on validation) '
  + 'of each pooling of the maps the trained model feeds its pooling layer; parametrised poolings fitted on the train split '
  + '(softmax head, maps frozen, epoch kept by validation accuracy); mean ± sd over seeds, differences paired by seed with a 95 % Student-t interval.';

/** The reference variant every other is compared with. */
export const POOLING_STUDY_REFERENCE = 'quantum';

/** The settings, with defaults, checked. */
export function resolvePoolingStudySettings(overrides: Partial<PoolingStudySettings> = {}): PoolingStudySettings {
  const s: PoolingStudySettings = { ...POOLING_STUDY_DEFAULTS, ...overrides, fit: { ...POOLING_STUDY_DEFAULTS.fit, ...overrides.fit } };
  for (const m of s.models) getModelSpec(m);
  if (s.probeSteps !== undefined && (!Number.isInteger(s.probeSteps) || s.probeSteps < 1)) throw new Error(`probeSteps: expected a positive integer, got ${JSON.stringify(s.probeSteps)}`);
  if (!Array.isArray(s.seeds) || s.seeds.length === 0 || !s.seeds.every((x) => Number.isInteger(x) && x >= 0)) throw new Error(`seeds: expected non-negative integers, got ${JSON.stringify(s.seeds)}`);
  for (const k of ['trainSize', 'validationSize', 'testSize', 'epochs', 'patience', 'batchSize'] as const) {
    if (!Number.isInteger(s[k]) || s[k] < 1) throw new Error(`${k}: expected a positive integer, got ${JSON.stringify(s[k])}`);
  }
  return s;
}

/** The run file of `model` and `seed` beside the summary file `out` (pooling-study.json → pooling-study-<model>-s<seed>.json). */
export function poolingStudyRunFile(out: string, model: string, seed: number): string {
  return path.join(path.dirname(out), `${path.basename(out, '.json')}-${model}-s${seed}.json`);
}

function settingsKey(s: PoolingStudySettings): string {
  const { models: _m, seeds: _s, ...rest } = s;
  return JSON.stringify(rest);
}

/** The model's spatial pooling layer (QuantumPooling, LearnedPooling2D or average pooling) and its index. */
function poolingLayerOf(model: tf.LayersModel): { layer: tf.layers.Layer; index: number } {
  const index = model.layers.findIndex((l) => l instanceof QuantumPooling || l instanceof LearnedPooling2D || l.getClassName() === 'AveragePooling2D');
  if (index < 0) throw new Error(`pooling study: model '${model.name}' has no spatial pooling layer (QuantumPooling, LearnedPooling2D or AveragePooling2D)`);
  return { layer: model.layers[index], index };
}

/** The maps `model` feeds its pooling layer, for every image of `data`. */
function prePoolMaps(model: tf.LayersModel, data: ImageDataset): tf.Tensor4D {
  const { layer } = poolingLayerOf(model);
  const front = tf.model({ inputs: model.inputs, outputs: layer.input as tf.SymbolicTensor });
  const parts: tf.Tensor4D[] = [];
  for (let s = 0; s < data.size; s += 256) {
    const idx = Array.from({ length: Math.min(256, data.size - s) }, (_, i) => s + i);
    const { xs, ys } = data.tensorsAt(idx);
    parts.push(front.predict(xs) as tf.Tensor4D);
    tf.dispose([xs, ys]);
  }
  const out = tf.concat(parts, 0);
  tf.dispose(parts);
  return out;
}

/** The compared poolings for a model whose own pooling layer is `own`. */
function variantsFor(own: tf.layers.Layer, s: PoolingStudySettings, seed: number): PoolingVariant[] {
  const matched = spatialQuantumPoolingParameters(s.block);
  const variants: PoolingVariant[] = [
    { name: 'none', kind: 'none', layer: () => null, note: 'the unpooled maps (4× the features): the ceiling' },
    { name: 'avg', kind: 'classical', layer: () => tf.layers.averagePooling2d({ poolSize: 2 }) },
    { name: 'max', kind: 'classical', layer: () => tf.layers.maxPooling2d({ poolSize: 2 }) },
    {
      name: 'learned', kind: 'learned', note: `LearnedPooling2D with ${matched} parameter(s), as the '${s.block}' QuantumPooling; fitted on the train split`,
      layer: () => new LearnedPooling2D({ poolSize: 2, statistics: statisticsForParameters(matched) }),
    },
    {
      name: POOLING_STUDY_REFERENCE, kind: 'quantum', note: `QuantumPooling '${s.block}' 2×2 → 1 qubit (hybrid-qpool's), fitted on the train split from seeded random angles`,
      layer: () => new QuantumPooling({ ...spatialQuantumPoolingArgs(s.block, 1000 + seed), diffMethod: 'backprop' }),
    },
  ];
  if (own.countParams() > 0) {
    const kind = own instanceof QuantumPooling ? 'quantum' : 'learned';
    variants.push({ name: `${kind} (model)`, kind, layer: () => own, fit: false, note: 'the model\'s own pooling layer with its parameters trained end to end' });
  }
  return variants;
}

/** Trains one model and compares poolings of its pre-pool maps; see the file comment. */
export async function runPoolingStudyRun(
  model: string, seed: number, s: PoolingStudySettings, data: { train: ImageDataset; validation: ImageDataset; test: ImageDataset }, log: (l: string) => void,
): Promise<PoolingStudyRun> {
  const t0 = performance.now();
  const net = getModelSpec(model).builder(seed);
  const architecture = architectureHash(net);
  const maps: tf.Tensor4D[] = [];
  try {
    const r = await train(net, { train: data.train, validation: data.validation }, {
      epochs: s.epochs, seed, batchSize: s.batchSize, learningRate: s.learningRate, quantumLearningRate: s.quantumLearningRate,
      diffMethod: 'backprop', progress: 'none', earlyStopping: { monitor: 'val_accuracy', patience: s.patience, restoreBest: true },
      onEpochEnd: (e) => log(`    epoch ${e.epoch}: loss ${e.loss.toFixed(4)}  val_acc ${e.val_accuracy?.toFixed(4)}`),
    });
    const trainingSeconds = (performance.now() - t0) / 1000;
    const bestEpoch = r.restoredBestEpoch ?? r.epoch;
    const validationAccuracy = r.history.find((h) => h.epoch === bestEpoch)?.val_accuracy ?? NaN;
    const testAccuracy = evaluateModel(net, data.test).accuracy;
    log(`    trained: best epoch ${bestEpoch} (val ${validationAccuracy.toFixed(4)}), model test accuracy ${testAccuracy.toFixed(4)} in ${trainingSeconds.toFixed(0)} s`);
    const { layer } = poolingLayerOf(net);
    for (const d of [data.train, data.validation, data.test]) maps.push(prePoolMaps(net, d));
    const comparison = comparePoolings(
      { train: { x: maps[0], labels: data.train.labels }, validation: { x: maps[1], labels: data.validation.labels }, test: { x: maps[2], labels: data.test.labels } },
      variantsFor(layer, s, seed), {
        numClasses: data.train.numClasses, l2Grid: s.l2Grid, fit: { ...s.fit, seed }, log, ...(s.probeSteps ? { probe: { steps: s.probeSteps } } : {}),
      },
    );
    return {
      format: POOLING_STUDY_RUN_FORMAT, created: new Date().toISOString(), model, seed, settingsKey: settingsKey(s), architecture,
      training: { epochs: r.epoch, bestEpoch, validationAccuracy, testAccuracy, seconds: trainingSeconds },
      poolingLayer: `${layer.getClassName()} '${layer.name}'`, comparison, seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    tf.dispose(maps);
    net.dispose();
  }
}

/** Aggregates run files into the summary (mean ± sd over seeds, paired differences from the reference). */
export function summarizePoolingStudy(runs: readonly PoolingStudyRun[], s: PoolingStudySettings): PoolingStudySummary {
  const rows: PoolingStudyRow[] = [];
  const differences: PoolingStudyDifference[] = [];
  const models: PoolingStudySummary['models'] = [];
  const missing: PoolingStudySummary['missing'] = [];
  for (const model of s.models) {
    const mine = s.seeds.map((seed) => runs.find((r) => r.model === model && r.seed === seed) ?? null);
    s.seeds.forEach((seed, i) => { if (!mine[i]) missing.push({ model, seed }); });
    const have = mine.filter((r): r is PoolingStudyRun => r !== null);
    if (have.length === 0) continue;
    models.push({ model, seeds: have.map((r) => r.seed), testAccuracies: have.map((r) => r.training.testAccuracy), bestEpochs: have.map((r) => r.training.bestEpoch) });
    const variants = [...new Set(have.flatMap((r) => r.comparison.rows.map((x) => x.variant)))];
    const bySeed = (variant: string) => new Map(have.flatMap((r) => r.comparison.rows.filter((x) => x.variant === variant).map((x) => [r.seed, x.testAccuracy] as [number, number])));
    const reference = bySeed(POOLING_STUDY_REFERENCE);
    for (const variant of variants) {
      const found = have.flatMap((r) => r.comparison.rows.filter((x) => x.variant === variant).map((x) => ({ seed: r.seed, row: x })));
      const acc = found.map((f) => f.row.testAccuracy);
      const sum = summarize(acc);
      rows.push({
        model, variant, kind: found[0].row.kind, featureDim: found[0].row.featureDim, parameters: found[0].row.parameters,
        seeds: found.map((f) => f.seed), testAccuracies: acc, mean: sum.mean, sd: Number.isFinite(sum.sd) ? sum.sd : null,
        validationMean: mean(found.map((f) => f.row.validationAccuracy)), miBoundMeanBits: mean(found.map((f) => f.row.miProbeBoundBits)),
      });
      if (variant !== POOLING_STUDY_REFERENCE && reference.size > 0) {
        const p = pairedComparison(bySeed(variant), reference);
        differences.push({ model, variant, reference: POOLING_STUDY_REFERENCE, seeds: p.seeds, differences: p.differences, meanDifference: p.meanDifference, ci95: p.ci95 });
      }
    }
  }
  return { format: POOLING_STUDY_FORMAT, created: new Date().toISOString(), settings: s, estimator: ESTIMATOR, missing, models, rows, differences };
}

/** `architectureHash` of the model the zoo builds today for `model` and `seed` (the seed sets weights, not the hash, but it is the model the run trains). */
export function poolingStudyArchitecture(model: string, seed: number): string {
  const net = getModelSpec(model).builder(seed);
  try {
    return architectureHash(net);
  } finally {
    net.dispose();
  }
}

/** A run file, or why it is not a finished run of these settings on today's zoo (missing, unreadable, other settings, other or no architecture). */
export async function readPoolingStudyRun(file: string, key: string, architecture: string): Promise<{ run: PoolingStudyRun } | { stale: string }> {
  let r: PoolingStudyRun;
  try {
    r = JSON.parse(await fsp.readFile(file, 'utf8')) as PoolingStudyRun;
  } catch (e) {
    return { stale: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not run yet' : `unreadable (${(e as Error).message})` };
  }
  if (r?.format !== POOLING_STUDY_RUN_FORMAT) return { stale: `format ${JSON.stringify(r?.format)}, expected '${POOLING_STUDY_RUN_FORMAT}'` };
  if (r.settingsKey !== key) return { stale: 'written with other settings' };
  if (r.architecture === undefined) return { stale: `no architecture recorded (written before the study recorded it); today's is ${architecture}` };
  if (r.architecture !== architecture) return { stale: `architecture ${r.architecture} differs from today's zoo (${architecture})` };
  return { run: r };
}

/** Options of `runPoolingStudy`. */
export interface PoolingStudyOptions {
  settings?: Partial<PoolingStudySettings>;
  /** Summary file (default POOLING_STUDY_FILE); run files go beside it. */
  out?: string;
  /** Progress lines (default console.log). */
  log?: (line: string) => void;
}

/** Runs what is missing of the study (run by run, each file written as it finishes), then writes the summary. */
export async function runPoolingStudy(options: PoolingStudyOptions = {}): Promise<PoolingStudySummary> {
  const s = resolvePoolingStudySettings(options.settings);
  const out = options.out ?? POOLING_STUDY_FILE;
  const log = options.log ?? ((l: string) => console.log(l));
  const key = settingsKey(s);
  const runs: PoolingStudyRun[] = [];
  const todo: { model: string; seed: number }[] = [];
  for (const model of s.models) {
    for (const seed of s.seeds) {
      const file = poolingStudyRunFile(out, model, seed);
      const r = await readPoolingStudyRun(file, key, poolingStudyArchitecture(model, seed));
      if ('run' in r) runs.push(r.run);
      else {
        todo.push({ model, seed });
        log(`  ${model} seed ${seed}: to run (${file}: ${r.stale})`);
      }
    }
  }
  log(`pooling study: ${s.models.length} model(s) × ${s.seeds.length} seed(s); ${runs.length} run(s) done, ${todo.length} to run`);
  if (todo.length > 0) {
    const split = loadMnistOfficial({ trainSize: s.trainSize, testSize: s.testSize });
    const validation = split.validation!.subset(Uint32Array.from({ length: s.validationSize }, (_, i) => i));
    const data = { train: split.train, validation, test: split.test };
    log(`  data: ${split.source}: train ${data.train.size}, validation ${validation.size} (of the ${split.validation!.size} held out), test ${data.test.size}`);
    const t0 = performance.now();
    for (const [i, { model, seed }] of todo.entries()) {
      log(`  run ${i + 1}/${todo.length}: ${model} seed ${seed}`);
      const r = await runPoolingStudyRun(model, seed, s, data, log);
      const file = poolingStudyRunFile(out, model, seed);
      await writeFileAtomic(file, JSON.stringify(r, null, 1));
      runs.push(r);
      const elapsed = (performance.now() - t0) / 1000;
      const eta = (elapsed / (i + 1)) * (todo.length - i - 1);
      log(`  wrote ${file} (${r.seconds.toFixed(0)} s; ${((i + 1) / elapsed * 3600).toFixed(1)} runs/h, ETA ${(eta / 60).toFixed(1)} min)`);
      await writeFileAtomic(out, JSON.stringify(summarizePoolingStudy(runs, s), null, 1));
    }
  }
  const summary = summarizePoolingStudy(runs, s);
  await writeFileAtomic(out, JSON.stringify(summary, null, 1));
  log(`  wrote ${out}`);
  return summary;
}

/** Reads and checks the summary file (default POOLING_STUDY_FILE). */
export async function readPoolingStudy(file = POOLING_STUDY_FILE): Promise<PoolingStudySummary> {
  const r = readFormattedJson<PoolingStudySummary>(file, POOLING_STUDY_FORMAT, `run ${POOLING_STUDY_COMMAND} first`);
  if (!Array.isArray(r.rows) || !Array.isArray(r.differences)) throw new Error(`readPoolingStudy: '${file}' lacks rows or differences`);
  return r;
}
