/**
 * Analysis 2, information kept by pooling. For one trained QuantumConv2D kernel, pool its n qubits down
 * to `keep` in different ways and ask how much of what a classifier needs survives:
 *   - 'kernel': no pooling, ⟨Z⟩ of all n qubits (the reference the pooled variants compress);
 *   - 'avg' / 'max': classical pooling of those ⟨Z⟩ values over the same qubit groups the schedule merges
 *     (same output dimension as a 'z' read-out of the kept qubits);
 *   - each quantum pool block ('trace-out' = drop with no rotation, 'hur', 'qiskit', 'tfq',
 *     'measure-condition') read out as ⟨Z⟩ ('z') or the full Bloch vector ('bloch') of each kept qubit,
 *     with its parameters fitted on the train split (kernel frozen) unless given;
 *   - when the layer's circuit pools already (e.g. hybrid-kpool), '<block> (model)': the layer's own read-out
 *     with the pool parameters trained end to end in the model; the comparison then runs on the kernel
 *     before that pooling.
 * For each feature set: a linear probe (softmax regression, train split → test split), mutual
 * information with the labels (see mutual-information.ts for the estimators and their bias), and the
 * feature dimension. The numbers are reported as they come out.
 */
import { tf } from '../backend';
import { QuantumConv2D } from '../qkc';
import { POOL_BLOCKS, PoolBlockName, PoolReadout, PoolSchedule, poolKernel, poolingSchedule } from '../pooling';
import { CaptureTarget, resolveCaptureTarget } from './capture';
import { convCopyWeights, inKernelPoolWeights, kernelWithoutPool, randomPoolWeights } from './conv-pooling';
import { AnalysisImages, describeImages, imageChunks, imageLabels } from './images';
import { binnedMutualInformation, confusionMutualInformation, labelEntropy } from './mutual-information';
import {
  FeatureMatrix, FitPoolOptions, classicalPoolFeatures, fitPoolWeights, kernelZFeatures, poolGroups, pooledFeatures,
} from './pooled-features';
import { linearProbe, probeScores, type ProbeOptions, type ProbeScores } from './probe';

/** Options of `poolingInformation`. */
export interface PoolingInformationOptions {
  /** For a model: the QuantumConv2D's name or index among its quantum layers (default 0). */
  layer?: string | number;
  /** Filter of the layer (default 0). */
  copy?: number;
  /** Kept qubits (default ⌈n/2⌉); or an explicit schedule. */
  keep?: number;
  schedule?: PoolSchedule;
  /** Quantum pool blocks to compare (default all five). */
  blocks?: PoolBlockName[];
  /** Read-outs of the kept qubits (default ['z', 'bloch']). */
  readouts?: PoolReadout[];
  /** Classical controls (default ['avg', 'max']). */
  classical?: ('avg' | 'max')[];
  /** Include the unpooled kernel outputs (default true). */
  includeKernel?: boolean;
  /** Fitting of the pool parameters; false keeps the seeded random initial angles. */
  fit?: FitPoolOptions | false;
  /** Pool parameters to use as given (no fitting), by block (keyed 'block' or 'block/readout'). */
  poolWeights?: Record<string, number[]>;
  /** Seed of initial pool angles and of the fitting's shuffles (default 0). */
  seed?: number;
  probe?: ProbeOptions;
  /** Equal-frequency bins of the per-feature MI estimate (default 8). */
  bins?: number;
  /** Labels when the images are tensors (ImageDatasets carry their own). */
  trainLabels?: ArrayLike<number>;
  testLabels?: ArrayLike<number>;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** One compared feature set. */
export interface PoolingInformationRow extends ProbeScores {
  /** 'kernel', 'avg', 'max', or '<block>/<readout>'. */
  variant: string;
  kind: 'kernel' | 'classical' | 'quantum';
  block: string | null;
  readout: string | null;
  /** Features per patch and per image. */
  perPatch: number;
  featureDim: number;
  /** Pool parameters used, and whether they were fitted. */
  poolWeights: number[];
  fitted: boolean;
  /** True for the row of the model's own in-circuit pool block with its trained parameters. */
  fromModel: boolean;
  /** I(probe prediction; label) on the test split, Miller–Madow corrected, bits (≤ I(features; label)). */
  miPredictionBits: number;
  /** Per-feature binned I(feature; label) on the train split, Miller–Madow corrected: mean and max, bits. */
  miFeatureMeanBits: number;
  miFeatureMaxBits: number;
  /** Mean first-order upward bias of the per-feature plug-in values (already removed above), bits. */
  miFeatureBiasBits: number;
}

/** What `poolingInformation` returns. */
export interface PoolingInformation {
  kind: 'pooling-information';
  layer: string;
  nQubits: number;
  kept: number[];
  dropped: number[];
  /** Qubits merged into each kept qubit (what avg/max pool over). */
  groups: number[][];
  cells: number;
  trainSize: number;
  testSize: number;
  numClasses: number;
  labelEntropyBits: number;
  bins: number;
  estimators: string;
  rows: PoolingInformationRow[];
}

const ESTIMATORS = 'probe: softmax regression on train-standardised features (full-batch Adam), scored on the test split; '
  + 'miProbeBoundBits = H(Y) − test cross-entropy (Barber–Agakov lower bound); miPredictionBits = plug-in I(prediction; label) '
  + 'with Miller–Madow correction (a lower bound by data processing); miFeature* = per-feature plug-in I(feature; label) on '
  + 'equal-frequency bins with Miller–Madow correction (plug-in values are biased upward by ≈ (B−1)(C−1)/(2N ln 2) bits).';

/** The layer's inputs for all images, stacked (a model's front runs chunk by chunk). */
function layerInputs(target: CaptureTarget, images: AnalysisImages, layerSel: string | number | undefined, fn: string): { layer: QuantumConv2D; x: tf.Tensor4D } {
  const resolved = resolveCaptureTarget(target, layerSel, fn);
  if (!(resolved.layer instanceof QuantumConv2D)) {
    throw new Error(`${fn}(target): compares pool blocks after a QuantumConv2D kernel; got ${resolved.layer.getClassName()} '${resolved.layer.name}'`);
  }
  const parts: tf.Tensor4D[] = [];
  for (const chunk of imageChunks(images, 256, fn)) {
    const y = resolved.feed(chunk.x);
    parts.push(y === chunk.x ? tf.clone(y) : y);
  }
  const x = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
  if (parts.length > 1) tf.dispose(parts);
  if (!resolved.layer.built) resolved.layer.build(x.shape);
  return { layer: resolved.layer, x };
}

/** Probe and MI figures of one feature set. */
function scoreFeatures(train: FeatureMatrix, test: FeatureMatrix, yTr: number[], yTe: number[], numClasses: number, hY: number, bins: number, probe: ProbeOptions | undefined) {
  const p = linearProbe({ ...train, labels: yTr }, { ...test, labels: yTe }, numClasses, probe);
  let sum = 0, max = 0, bias = 0;
  const column = new Float32Array(train.rows);
  for (let j = 0; j < train.dim; j++) {
    for (let r = 0; r < train.rows; r++) column[r] = train.values[r * train.dim + j];
    const mi = binnedMutualInformation(column, yTr, numClasses, bins);
    sum += mi.millerMadow; max = Math.max(max, mi.millerMadow); bias += mi.bias;
  }
  return {
    ...probeScores(p, hY, test.rows),
    miPredictionBits: confusionMutualInformation(p.confusion).millerMadow,
    miFeatureMeanBits: sum / train.dim, miFeatureMaxBits: max, miFeatureBiasBits: bias / train.dim,
  };
}

/** Compares pooled features of one trained kernel; see the file comment. */
export async function poolingInformation(
  target: CaptureTarget, data: { train: AnalysisImages; test: AnalysisImages }, options: PoolingInformationOptions = {},
): Promise<PoolingInformation> {
  const fn = 'poolingInformation';
  if (!data || typeof data !== 'object') throw new Error(`${fn}(data): expected { train, test } images, got ${String(data)}`);
  describeImages(data.train, `${fn}(data.train)`);
  describeImages(data.test, `${fn}(data.test)`);
  const yTr = imageLabels(data.train, options.trainLabels, `${fn}(data.train)`);
  const yTe = imageLabels(data.test, options.testLabels, `${fn}(data.test)`);
  if (!yTr || !yTe) throw new Error(`${fn}: labels are needed for both splits (ImageDatasets carry them; for tensors pass options.trainLabels / testLabels)`);
  const numClasses = Math.max(...yTr, ...yTe) + 1;
  const blocks = options.blocks ?? [...POOL_BLOCKS];
  for (const b of blocks) if (!POOL_BLOCKS.includes(b)) throw new Error(`${fn}(options.blocks): expected names from ${POOL_BLOCKS.join(', ')}, got ${JSON.stringify(b)}`);
  const readouts = options.readouts ?? ['z', 'bloch'];
  const copy = options.copy ?? 0;
  const bins = options.bins ?? 8;
  const seed = options.seed ?? 0;
  const log = options.log ?? (() => undefined);
  const tr = layerInputs(target, data.train, options.layer, fn);
  const te = layerInputs(target, data.test, options.layer, fn);
  try {
    const layer = tr.layer;
    // A layer whose circuit pools already (hybrid-kpool): compare on the kernel before its pooling.
    const { circuit: kernel, weights: kw, pooling: inKernel } = kernelWithoutPool(layer, copy);
    const n = kernel.nQubits;
    const schedule = options.schedule ?? (options.keep === undefined && inKernel ? inKernel.schedule : poolingSchedule(n, options.keep ?? Math.ceil(n / 2)));
    const shape = poolKernel(kernel, { block: 'trace-out', schedule });
    const groups = poolGroups(schedule, n, shape.kept);
    const hY = labelEntropy(yTe, numClasses);
    const rows: PoolingInformationRow[] = [];
    const add = (row: Omit<PoolingInformationRow, keyof ReturnType<typeof scoreFeatures> | 'featureDim'>, ftr: FeatureMatrix, fte: FeatureMatrix) => {
      const s = scoreFeatures(ftr, fte, yTr, yTe, numClasses, hY, bins, options.probe);
      rows.push({ ...row, featureDim: ftr.dim, ...s });
      log(`  ${row.variant.padEnd(26)} dim ${String(ftr.dim).padStart(4)}  test acc ${s.testAccuracy.toFixed(3)} ± ${s.testAccuracySe.toFixed(3)}  I ≥ ${s.miProbeBoundBits.toFixed(3)} bits`);
    };
    const zTr = kernelZFeatures(layer, kernel, kw, tr.x), zTe = kernelZFeatures(layer, kernel, kw, te.x);
    const cells = zTr.dim / n;
    const base = { block: null, readout: null, poolWeights: [], fitted: false, fromModel: false };
    if (options.includeKernel ?? true) add({ ...base, variant: 'kernel', kind: 'kernel', perPatch: n }, zTr, zTe);
    for (const mode of options.classical ?? ['avg', 'max'] as const) {
      add({ ...base, variant: mode, kind: 'classical', perPatch: groups.length }, classicalPoolFeatures(zTr, n, groups, mode), classicalPoolFeatures(zTe, n, groups, mode));
    }
    if (inKernel) {
      // The model's own in-circuit pool with the parameters it was trained with (end to end, with its head): its actual read-out.
      const all = convCopyWeights(layer, copy);
      add({
        variant: `${inKernel.block} (model)`, kind: 'quantum', block: inKernel.block, readout: 'model', perPatch: layer.observables.length,
        poolWeights: inKernelPoolWeights(layer, copy, inKernel), fitted: false, fromModel: true,
      }, pooledFeatures(layer, layer.kernelCircuit, layer.observables, all, tr.x), pooledFeatures(layer, layer.kernelCircuit, layer.observables, all, te.x));
    }
    for (const block of blocks) {
      for (const readout of readouts) {
        const pk = poolKernel(kernel, { block, schedule, readout, weightOffset: kernel.numWeights });
        const variant = `${block}/${readout}`;
        const given = options.poolWeights?.[variant] ?? options.poolWeights?.[block];
        const init = randomPoolWeights(pk.poolWeights.count, seed);
        const fit = given === undefined && options.fit !== false && init.length > 0;
        const pw = given ?? (fit ? fitPoolWeights(layer, pk.circuit, pk.observables, kw, init, tr.x, yTr, numClasses, options.fit || {}, seed) : init);
        if (pw.length !== pk.poolWeights.count) throw new Error(`${fn}(options.poolWeights['${variant}']): block '${block}' needs ${pk.poolWeights.count} parameter(s), got ${pw.length}`);
        const ftr = pooledFeatures(layer, pk.circuit, pk.observables, [...kw, ...pw], tr.x);
        const fte = pooledFeatures(layer, pk.circuit, pk.observables, [...kw, ...pw], te.x);
        add({ variant, kind: 'quantum', block, readout, perPatch: pk.observables.length, poolWeights: pw, fitted: fit, fromModel: false }, ftr, fte);
      }
    }
    return {
      kind: 'pooling-information', layer: layer.name, nQubits: n, kept: shape.kept, dropped: shape.dropped, groups, cells,
      trainSize: yTr.length, testSize: yTe.length, numClasses, labelEntropyBits: hY, bins, estimators: ESTIMATORS, rows,
    };
  } finally {
    tr.x.dispose();
    te.x.dispose();
  }
}
