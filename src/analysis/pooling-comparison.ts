/**
 * The estimator of the pooling study: how much of what a classifier needs survives a pooling of given
 * pre-pool feature maps [N, H, W, C] (e.g. a trained kernel's outputs), for several poolings on the same
 * maps — none (the ceiling), avg, max, a learned classical pooling and a quantum pooling, or a model's own
 * trained pooling layer.
 *
 * Three splits, each with its own role, so that nothing reported is chosen on the test images:
 *   - train: a pooling's trainable parameters are fitted here (pooling layer + a softmax head on its
 *     flattened output, minibatch Adam, the maps frozen), and the linear probe is trained here;
 *   - validation: picks the fitting epoch whose parameters are kept and the probe's L2 penalty;
 *   - test: scored once per variant with what validation chose.
 * The figure of merit is the linear probe's test accuracy (softmax regression on train-standardised
 * features, src/analysis/probe.ts), with the Barber–Agakov bound H(Y) − CE_test on I(features; label).
 */
import { tf } from '../backend';
import { labelEntropy } from './mutual-information';
import { layerFeatures, type FeatureMatrix } from './pooled-features';
import { linearProbe, probeScores, type ProbeOptions, type ProbeScores } from './probe';
import { fitWithSoftmaxHead } from './softmax-head';

/** Pre-pool maps of one split with a class label per map. */
export interface MapSplit {
  x: tf.Tensor4D;
  labels: ArrayLike<number>;
}

/** One pooling to compare. */
export interface PoolingVariant {
  /** Row name ('none', 'avg', 'max', 'learned', 'quantum', 'quantum (model)', …). */
  name: string;
  /** 'none' (the unpooled maps), 'classical' (no parameters), 'learned' (classical, trainable), 'quantum'. */
  kind: 'none' | 'classical' | 'learned' | 'quantum';
  /** A fresh pooling layer, or null for no pooling. A layer given here is applied, never disposed. */
  layer: () => tf.layers.Layer | null;
  /** Fit the layer's trainable weights on the train split (default: true when it has any). False: use them as they are. */
  fit?: boolean;
  /** One line on where the parameters come from. */
  note?: string;
}

/** How a pooling's parameters are fitted (defaults: 4 epochs, batch 128, Adam 0.05, seed 0). */
export interface FitOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
}

/** Options of `comparePoolings`. */
export interface PoolingComparisonOptions {
  /** Classes (default: largest label + 1). */
  numClasses?: number;
  /** L2 penalties the validation split chooses from (default [1e-3, 1e-2, 1e-1]). */
  l2Grid?: number[];
  /** The probe's other settings (steps, learning rate). */
  probe?: Omit<ProbeOptions, 'l2'>;
  fit?: FitOptions;
  log?: (line: string) => void;
}

/** One compared pooling: what it is, how it was fitted, the probe's L2 penalty and scores. */
export interface PoolingComparisonRow extends ProbeScores {
  variant: string;
  kind: PoolingVariant['kind'];
  note: string;
  /** Features per image after pooling. */
  featureDim: number;
  /** Trainable parameters of the pooling, and their values as used. */
  parameters: number;
  values: number[];
  fitted: boolean;
  /** Fitting: epoch kept (1-based) and its validation accuracy through the fitting head; null without fitting. */
  fitEpoch: number | null;
  fitValidationAccuracy: number | null;
  /** L2 penalty validation chose, and the probe's validation accuracy with it. */
  l2: number;
  validationAccuracy: number;
}

/** What `comparePoolings` returns. */
export interface PoolingComparison {
  mapShape: number[];
  sizes: { train: number; validation: number; test: number };
  numClasses: number;
  labelEntropyBits: number;
  rows: PoolingComparisonRow[];
}

function labelsOf(split: MapSplit, name: string, numClasses: number | undefined): number[] {
  if (!split || !(split.x instanceof tf.Tensor) || split.x.rank !== 4) throw new Error(`comparePoolings(${name}.x): expected a 4-D tensor [N, H, W, C] of pre-pool maps, got ${split?.x}`);
  const labels = Array.from(split.labels ?? []);
  if (labels.length !== split.x.shape[0]) throw new Error(`comparePoolings(${name}.labels): expected ${split.x.shape[0]} labels (one per map), got ${labels.length}`);
  labels.forEach((y, i) => {
    if (!Number.isInteger(y) || y < 0 || (numClasses !== undefined && y >= numClasses)) throw new Error(`comparePoolings(${name}.labels): expected class indices, got ${y} at ${i}`);
  });
  return labels;
}

/** Features of `maps` after `layer` (or the maps themselves), flattened per image. */
function features(layer: tf.layers.Layer | null, maps: tf.Tensor4D): FeatureMatrix {
  if (layer) return layerFeatures(layer, maps);
  const values = tf.tidy(() => tf.reshape(maps, [maps.shape[0], -1]).dataSync() as Float32Array);
  return { values, rows: maps.shape[0], dim: values.length / maps.shape[0] };
}

/**
 * Fits `layer`'s trainable weights with a softmax head on its flattened output (train split), keeping the
 * epoch whose head scores best on the validation split; leaves those weights in the layer.
 */
export function fitPooling(layer: tf.layers.Layer, train: MapSplit, validation: MapSplit, numClasses: number, options: FitOptions = {}): { epoch: number; validationAccuracy: number } {
  const epochs = options.epochs ?? 4, batchSize = options.batchSize ?? 128, lr = options.learningRate ?? 0.05;
  const n = train.x.shape[0];
  const dim = tf.tidy(() => (layer.apply(tf.slice(train.x, [0, 0, 0, 0], [1, -1, -1, -1])) as tf.Tensor).size);
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const yTr = Array.from(train.labels);
  const valAccuracy = (logits: (f: tf.Tensor) => tf.Tensor2D): number => {
    let hit = 0;
    for (let s = 0; s < validation.x.shape[0]; s += 256) {
      const m = Math.min(256, validation.x.shape[0] - s);
      const pred = tf.tidy(() => tf.argMax(logits(layer.apply(tf.slice(validation.x, [s, 0, 0, 0], [m, -1, -1, -1])) as tf.Tensor), 1).dataSync());
      pred.forEach((p, i) => { if (p === validation.labels[s + i]) hit++; });
    }
    return hit / validation.x.shape[0];
  };
  let best = { epoch: 0, validationAccuracy: -1, values: layer.getWeights().map((w) => tf.clone(w)) };
  try {
    fitWithSoftmaxHead(n, dim, numClasses, yTr, (idx) => layer.apply(tf.gather(train.x, idx)) as tf.Tensor, vars,
      { epochs, batchSize, learningRate: lr, seed: options.seed ?? 0 }, (e, logits) => {
        const acc = valAccuracy(logits);
        if (acc > best.validationAccuracy) {
          tf.dispose(best.values);
          best = { epoch: e, validationAccuracy: acc, values: layer.getWeights().map((w) => tf.clone(w)) };
        }
      });
    layer.setWeights(best.values);
    return { epoch: best.epoch, validationAccuracy: best.validationAccuracy };
  } finally {
    tf.dispose(best.values);
  }
}

/** Compares poolings of the same pre-pool maps; see the file comment. */
export function comparePoolings(splits: { train: MapSplit; validation: MapSplit; test: MapSplit }, variants: readonly PoolingVariant[], options: PoolingComparisonOptions = {}): PoolingComparison {
  const yTr = labelsOf(splits?.train, 'train', options.numClasses);
  const yVa = labelsOf(splits.validation, 'validation', options.numClasses);
  const yTe = labelsOf(splits.test, 'test', options.numClasses);
  const shape = splits.train.x.shape.slice(1);
  for (const [name, s] of [['validation', splits.validation], ['test', splits.test]] as const) {
    if (s.x.shape.slice(1).join() !== shape.join()) throw new Error(`comparePoolings(${name}.x): expected maps of shape [N, ${shape.join(', ')}] like the train split, got [${s.x.shape.join(', ')}]`);
  }
  if (!Array.isArray(variants) || variants.length === 0) throw new Error('comparePoolings(variants): expected at least one pooling variant');
  const names = new Set<string>();
  for (const v of variants) {
    if (names.has(v.name)) throw new Error(`comparePoolings(variants): two variants are called '${v.name}'`);
    names.add(v.name);
  }
  const numClasses = options.numClasses ?? Math.max(...yTr, ...yVa, ...yTe) + 1;
  const l2Grid = options.l2Grid ?? [1e-3, 1e-2, 1e-1];
  const hY = labelEntropy(yTe, numClasses);
  const log = options.log ?? (() => undefined);
  const rows: PoolingComparisonRow[] = [];
  for (const v of variants) {
    const layer = v.layer();
    if (layer && !layer.built) tf.tidy(() => { layer.apply(tf.zeros([1, ...shape])); });
    const parameters = layer ? layer.countParams() : 0;
    const fit = (v.fit ?? true) && parameters > 0 && layer !== null;
    const fitted = fit ? fitPooling(layer, { x: splits.train.x, labels: yTr }, { x: splits.validation.x, labels: yVa }, numClasses, options.fit) : null;
    const values: number[] = layer ? layer.getWeights().flatMap((w: tf.Tensor) => Array.from(w.dataSync())) : [];
    const [ftr, fva, fte] = [splits.train.x, splits.validation.x, splits.test.x].map((x) => features(layer, x));
    const set = (f: FeatureMatrix, labels: number[]) => ({ ...f, labels });
    let chosen = { l2: l2Grid[0], acc: -1 };
    for (const l2 of l2Grid) {
      const acc = linearProbe(set(ftr, yTr), set(fva, yVa), numClasses, { ...options.probe, l2 }).testAccuracy;
      if (acc > chosen.acc) chosen = { l2, acc };
    }
    const p = linearProbe(set(ftr, yTr), set(fte, yTe), numClasses, { ...options.probe, l2: chosen.l2 });
    rows.push({
      variant: v.name, kind: v.kind, note: v.note ?? '', featureDim: ftr.dim, parameters, values, fitted: fit,
      fitEpoch: fitted?.epoch ?? null, fitValidationAccuracy: fitted?.validationAccuracy ?? null,
      l2: chosen.l2, validationAccuracy: chosen.acc, ...probeScores(p, hY, yTe.length),
    });
    log(`    ${v.name.padEnd(18)} dim ${String(ftr.dim).padStart(4)}  params ${parameters}  val ${chosen.acc.toFixed(4)}  test ${p.testAccuracy.toFixed(4)}  (l2 ${chosen.l2})`);
  }
  return {
    mapShape: [...shape], sizes: { train: yTr.length, validation: yVa.length, test: yTe.length }, numClasses, labelEntropyBits: hY, rows,
  };
}
