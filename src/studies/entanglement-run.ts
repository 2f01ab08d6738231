/**
 * `runEntanglementAnalysis`: the whole entanglement study in one call, written to one JSON file
 * (atomically) under figures/results/, from which notebooks and `npm run figures` rebuild every figure
 * without retraining (`readEntanglementAnalysis`, `entanglementAnalysisFigures`).
 *
 * The model comes from a run directory of `qkc train` / `qkc reproduce` (`modelDir`: trained weights from
 * its checkpoint; "before training" = the same model rebuilt from its seed), from a model in memory, or —
 * when neither is given — is trained here: the registry's hybrid-kpool (in-kernel 4 → 2 qubit Hur
 * pooling) on a stratified prefix of the embedded MNIST split for a few epochs (quick mode by default),
 * keeping the weights of every epoch for the purity trajectory. The result file says which (`source`).
 *
 * Which pooling is analysed: a QuantumPooling layer when the model has one (hybrid-qpool), else the
 * pooling inside the first QuantumConv2D's circuit when there is one (hybrid-kpool: its own trained
 * block), else `block` appended to the trained kernel (hybrid-small/-strong measure every qubit) with
 * the parameters fitted in step (2). Order: (2) information kept by pooling (it fits those parameters),
 * (1) entanglement maps before and after training, (3) the purity trajectory over the snapshots,
 * (4) shot statistics of the trained model.
 */
import { tf } from '../backend';
import { ImageDataset, loadMnist } from '../data';
import { QuantumConv2D } from '../qkc';
import { QuantumPooling } from '../pooling';
import { getModelSpec } from '../models';
import { loadRun } from '../experiments';
import type { PoolBlockName } from '../pooling';
import { evaluateModel, train, writeFileAtomic } from '../train';
import {
  EntanglementMap, PoolingInformation, PoolingInformationOptions, PoolSpec, PuritySnapshot, PurityTrajectory, ShotStatistics,
  compactEntanglementMap, entanglementMap, poolingInformation, purityTrajectory, quantumLayersOf, shotStatistics,
} from '../analysis';

/** Default result file (relative to the working directory). */
export const ENTANGLEMENT_RESULTS_FILE = 'figures/results/entanglement-analysis.json';
/** Format tag of the result file. */
export const ENTANGLEMENT_RESULTS_FORMAT = 'qkc-entanglement-analysis/1';

/** Options of `runEntanglementAnalysis`; everything has a default. */
export interface EntanglementAnalysisOptions {
  /** A run directory (or checkpoint file) of `qkc train` / `qkc reproduce`. */
  modelDir?: string;
  /** A trained model in memory (instead of modelDir), and optionally the same model before training. */
  model?: tf.LayersModel;
  initialModel?: tf.LayersModel | null;
  /** Images for the probe's train split and for everything else (default: stratified prefixes of the embedded MNIST split). */
  trainImages?: ImageDataset;
  images?: ImageDataset;
  /** Where to write the results (default ENTANGLEMENT_RESULTS_FILE); null writes nothing. */
  out?: string | null;
  /** Quick mode (default true): 2,000 train / 500 test images and 3 training epochs; full: 8,000 / 2,000 and 10 epochs. */
  /** Registry model trained here when no model is given (default 'hybrid-kpool'). */
  trainModel?: string;
  quick?: boolean;
  /** Overrides of the mode's sizes and epochs. */
  trainSize?: number;
  testSize?: number;
  epochs?: number;
  /** Seed of the model trained here, of pool angles and of shot sampling (default 0). */
  seed?: number;
  /** For a model without pooling: the pool block appended for the maps, trajectory and shots (default 'hur'), and kept qubits (default ⌈n/2⌉). */
  block?: PoolBlockName;
  keep?: number;
  /** Extra options of the pooling-information step (blocks, read-outs, fitting, probe recipe). */
  information?: Omit<PoolingInformationOptions, 'log' | 'trainLabels' | 'testLabels' | 'layer'>;
  /** The quantum layer of the maps, trajectory and shots (name or index among quantum layers; default: see the file comment). */
  layer?: string | number;
  /** Progress lines (default: console.log). */
  log?: (line: string) => void;
}

/** Where the analysed model came from. */
export interface AnalysisSource {
  kind: 'run' | 'model' | 'quick-train';
  model: string;
  dir: string | null;
  epochs: number | null;
  testAccuracy: number | null;
  note: string;
}

/** The result file's content. */
export interface EntanglementAnalysisResults {
  format: typeof ENTANGLEMENT_RESULTS_FORMAT;
  created: string;
  quick: boolean;
  source: AnalysisSource;
  settings: { pooling: string; block: PoolBlockName; keep: number | null; trainSize: number; testSize: number; trajectoryImages: number; shotPatches: number; seed: number };
  entanglement: { before: EntanglementMap | null; after: EntanglementMap };
  information: PoolingInformation;
  purity: PurityTrajectory;
  shots: ShotStatistics;
  /** Seconds per step. */
  timings: Record<string, number>;
}

const MODES = { quick: { trainSize: 2000, testSize: 500, epochs: 3 }, full: { trainSize: 8000, testSize: 2000, epochs: 10 } };

/** The model, its pre-training twin and the training snapshots, from the options. */
async function prepareModels(o: EntanglementAnalysisOptions, trainSet: ImageDataset, testSet: ImageDataset, epochs: number, seed: number, log: (l: string) => void) {
  const owned: tf.LayersModel[] = [];
  const snapshots: PuritySnapshot[] = [];
  let trained: tf.LayersModel, initial: tf.LayersModel | null, source: AnalysisSource;
  if (o.modelDir !== undefined) {
    const run = await loadRun(o.modelDir);
    trained = run.model;
    owned.push(trained);
    initial = run.info ? getModelSpec(run.info.model).builder(run.info.seed, run.info.modelOptions) : null;
    if (initial) owned.push(initial);
    source = { kind: 'run', model: run.info?.model ?? trained.name, dir: o.modelDir, epochs: run.epoch, testAccuracy: null, note: `trained weights from ${run.checkpoint}; "before" rebuilt from the run's seed` };
  } else if (o.model !== undefined) {
    trained = o.model;
    initial = o.initialModel ?? null;
    source = { kind: 'model', model: trained.name, dir: null, epochs: null, testAccuracy: null, note: 'model given in memory' };
  } else {
    const name = o.trainModel ?? 'hybrid-kpool';
    const spec = getModelSpec(name);
    trained = spec.builder(seed);
    initial = spec.builder(seed);
    owned.push(trained, initial);
    const weights: tf.Tensor[][] = [];
    log(`  training ${name} here (no model given): ${epochs} epoch(s) on ${trainSet.size} images, seed ${seed}`);
    await train(trained, { train: trainSet, validation: testSet }, {
      epochs, seed, batchSize: 32, learningRate: 3e-3, quantumLearningRate: 0.01, diffMethod: 'backprop', progress: 'none',
      onEpochEnd: (r) => { weights.push(trained.getWeights().map((w) => tf.clone(w))); log(`    epoch ${r.epoch}: val_acc ${r.val_accuracy?.toFixed(3)}`); },
    });
    // The last epoch's weights are the trained model's own; earlier epochs get a rebuilt model each.
    for (const [e, ws] of weights.entries()) {
      if (e < weights.length - 1) {
        const m = spec.builder(seed);
        m.setWeights(ws);
        owned.push(m);
        snapshots.push({ label: `epoch ${e + 1}`, epoch: e + 1, target: m });
      }
      tf.dispose(ws);
    }
    source = { kind: 'quick-train', model: name, dir: null, epochs, testAccuracy: null, note: `no trained model was given: ${name} trained here for ${epochs} epoch(s) on ${trainSet.size} embedded MNIST images (${o.quick === false ? 'full' : 'quick'} mode)` };
  }
  if (initial) snapshots.unshift({ label: 'before training', epoch: 0, target: initial });
  snapshots.push({ label: 'trained', epoch: source.epochs, target: trained });
  return { trained, initial, source, snapshots, dispose: () => owned.forEach((m) => m.dispose()) };
}

/** Index (among the model's quantum layers) of its first QuantumConv2D: the kernel whose pooling step (2) studies. */
function firstConv(model: tf.LayersModel): number {
  const i = quantumLayersOf(model).findIndex((l) => l instanceof QuantumConv2D);
  if (i < 0) throw new Error(`runEntanglementAnalysis: model '${model.name}' has no QuantumConv2D whose kernel pooling could be compared`);
  return i;
}

/** The quantum layer and pooling the maps use (see the file comment), and a phrase saying which. */
function analysedPooling(model: tf.LayersModel, o: EntanglementAnalysisOptions, block: PoolBlockName, info: PoolingInformation): { layer: string | number | undefined; pool: PoolSpec | undefined; what: string } {
  const layers = quantumLayersOf(model);
  const chosen = o.layer === undefined
    ? layers.find((l) => l instanceof QuantumPooling) ?? layers[0]
    : typeof o.layer === 'number' ? layers[o.layer] : layers.find((l) => l.name === o.layer);
  if (!chosen) throw new Error(`layer: expected a quantum layer of model '${model.name}' (${layers.map((l) => l.name).join(', ')}), got ${JSON.stringify(o.layer)}`);
  const layer = layers.indexOf(chosen);
  if (chosen instanceof QuantumPooling) return { layer, pool: undefined, what: `QuantumPooling layer '${chosen.name}' (block '${chosen.block}')` };
  const own = (chosen as QuantumConv2D).pooling;
  if (own) return { layer, pool: undefined, what: `the '${own.block}' pool inside '${chosen.name}' (${own.kept.length} kept qubits, the model's own parameters)` };
  const row = info.rows.find((r) => r.variant === `${block}/z`);
  return {
    layer, pool: { block, keep: o.keep, weights: row?.poolWeights, seed: o.seed ?? 0 },
    what: `'${block}' appended to the kernel of '${chosen.name}' (parameters ${row?.fitted ? 'fitted in (2)' : 'seeded'})`,
  };
}

/** Runs analyses 1–4 and writes the results file; see the file comment. */
export async function runEntanglementAnalysis(options: EntanglementAnalysisOptions = {}): Promise<{ results: EntanglementAnalysisResults; file: string | null }> {
  const log = options.log ?? ((l: string) => console.log(l));
  if (options.modelDir !== undefined && options.model !== undefined) throw new Error('runEntanglementAnalysis: pass either modelDir or model, not both');
  const quick = options.quick ?? true;
  const mode = quick ? MODES.quick : MODES.full;
  const seed = options.seed ?? 0;
  const block = options.block ?? 'hur';
  const epochs = options.epochs ?? mode.epochs;
  const mnist = options.trainImages && options.images ? null : loadMnist({ trainSize: options.trainSize ?? mode.trainSize, testSize: options.testSize ?? mode.testSize });
  const trainSet = options.trainImages ?? mnist!.train;
  const testSet = options.images ?? mnist!.test;
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try { return await f(); } finally { timings[name] = (performance.now() - t0) / 1000; }
  };
  log(`entanglement analysis (${quick ? 'quick' : 'full'}): train ${trainSet.size}, test ${testSet.size} images`);
  const models = await timed('model', () => prepareModels(options, trainSet, testSet, epochs, seed, log));
  try {
    models.source.testAccuracy = evaluateModel(models.trained, testSet).accuracy;
    log(`  model: ${models.source.model} (${models.source.kind}), test accuracy ${models.source.testAccuracy.toFixed(3)}`);
    log('  (2) information kept by pooling');
    const information = await timed('information', () => poolingInformation(models.trained, { train: trainSet, test: testSet }, { keep: options.keep, seed, ...options.information, layer: firstConv(models.trained), log }));
    const { layer, pool, what } = analysedPooling(models.trained, options, block, information);
    log(`  (1) entanglement maps: ${what}`);
    const after = await timed('mapAfter', () => entanglementMap(models.trained, testSet, { pool, layer }));
    const before = models.initial ? await timed('mapBefore', () => entanglementMap(models.initial!, testSet, { pool, layer })) : null;
    const trajectoryImages = testSet.subset(Uint32Array.from({ length: Math.min(200, testSet.size) }, (_, i) => i));
    log(`  (3) purity trajectory over ${models.snapshots.length} snapshot(s)`);
    const purity = await timed('purity', () => purityTrajectory(models.snapshots, trajectoryImages, { pool, layer }));
    log('  (4) shot statistics');
    const shotPatches = quick ? 2000 : 10_000;
    const shots = await timed('shots', () => shotStatistics(models.trained, testSet, { pool, layer, seed, maxPatches: shotPatches }));
    const results: EntanglementAnalysisResults = {
      format: ENTANGLEMENT_RESULTS_FORMAT, created: new Date().toISOString(), quick, source: models.source,
      settings: { pooling: what, block, keep: options.keep ?? null, trainSize: trainSet.size, testSize: testSet.size, trajectoryImages: trajectoryImages.size, shotPatches: shots.patches, seed },
      entanglement: { before: before && compactEntanglementMap(before), after: compactEntanglementMap(after) },
      information, purity, shots, timings,
    };
    const file = options.out === null ? null : options.out ?? ENTANGLEMENT_RESULTS_FILE;
    if (file) {
      await writeFileAtomic(file, JSON.stringify(results));
      log(`  wrote ${file}`);
    }
    return { results, file };
  } finally {
    models.dispose();
  }
}
