/**
 * The model zoo by name: what the CLI, notebooks, tests and the reproduction suite build. Each hybrid
 * names its same-shape classical control and its parameter-matched CNN, so that a results table can
 * put them side by side without a hand-kept mapping elsewhere.
 */
import { tf } from '../backend';
import { buildLeNet5, buildLinear, buildSmallCnn, lenetFitsUnpadded, smallCnnFitsUnpadded } from './classical';
import { buildHybridDesign, describeDesignLayers, hybridDesignOf, hybridFront, spatialQuantumPoolingParameters, type HybridDesign } from './hybrid';
import { resolveModelOptions, type ModelOptions, type ResolvedModelOptions } from './model-options';
import { QCNN_ENTRIES } from './qcnn';
import type { LrSchedule } from '../train';

/** 'hybrid' models hold quantum layers; 'classical' ones do not. */
export type ModelFamily = 'hybrid' | 'classical';

/**
 * A model's own training recipe, for a model the suite default does not suit, chosen on the validation split
 * only. Only suites with `modelRecipes` apply it (full-official); what it leaves out is the suite's.
 */
export interface ModelRecipe {
  /** Adam learning rate of the classical weights. */
  learningRate?: number;
  /** Learning-rate schedule by epoch (src/train/lr-schedule.ts). */
  lrSchedule?: LrSchedule;
  /** Why, and the results file where the choice was made. */
  why: string;
}

/** One named model. */
export interface ModelSpec {
  name: string;
  /** One line: the architecture on the default 28×28 grayscale input (`describe` for another input). */
  description: string;
  family: ModelFamily;
  /** For hybrids: the classical models it is compared with (names in MODELS). */
  controls?: { sameShape: string; paramMatched: string };
  /** For hybrids built from a design: the design (frozen-kernel twins are derived from it). */
  design?: HybridDesign;
  /** Its own training recipe where a suite applies model recipes (absent: the suite's settings). */
  recipe?: ModelRecipe;
  /** One line: the architecture on this input, saying what the model does to it (resize, gray, padding). */
  describe(options?: ModelOptions): string;
  /**
   * Builds a fresh model whose initial weights are fixed by `seed`. An input outside INPUT_LIMITS, or one
   * the model cannot take, is an UnsupportedInputError naming the model and the shape (before any training).
   */
  builder(seed: number, options?: ModelOptions): tf.LayersModel;
}

/** hybrid-small: area resize to 14×14 (larger inputs only), quantum 2×2/2 kernel → 7×7×4, conv 3×3×16 + max-pool, dropout 0.3, softmax. */
export const HYBRID_SMALL: HybridDesign = Object.freeze({ resize: 14, filters: 1, depth: 2, head: Object.freeze([16]), dropout: 0.3 });
/** hybrid-kpool: hybrid-small with in-kernel pooling (the 4 qubits pooled to 2 by Hur et al.'s block) → 7×7×2, conv 3×3×18. */
export const HYBRID_KPOOL: HybridDesign = Object.freeze({
  // Block 'hur-y': Hur's CRZ, read out in Z right after, was idle (1 of 18 angles); its CRY counts (src/pooling/blocks.ts).
  resize: 14, filters: 1, depth: 2, pooling: Object.freeze({ kind: 'in-kernel' as const, block: 'hur-y' as const, keep: 2 }), head: Object.freeze([18]), dropout: 0.3,
});
/** hybrid-qpool: 14×14 → quantum 2×2 kernel at stride 1 ('same') → 14×14×4 → QuantumPooling 2×2 (Hur block) → 7×7×4 → as hybrid-small. */
export const HYBRID_QPOOL: HybridDesign = Object.freeze({
  resize: 14, filters: 1, depth: 2, pooling: Object.freeze({ kind: 'spatial' as const, block: 'hur' as const }), head: Object.freeze([16]), dropout: 0.3,
});
/** hybrid-qpool-learned: hybrid-qpool with QuantumPooling replaced by LearnedPooling2D (max/min/avg mixture, as many parameters as the Hur QuantumPooling). */
export const HYBRID_QPOOL_LEARNED: HybridDesign = Object.freeze({
  ...HYBRID_QPOOL, pooling: Object.freeze({ kind: 'spatial-learned' as const, block: 'hur' as const }),
});
/** hybrid-strong: quantum 2×2/2 kernel on the full image → 14×14×4 (on 28×28), two conv 3×3 + max-pool blocks, dropout 0.3, softmax (dropout: +0.5–0.7% test accuracy at 8,000 images, measured). */
export const HYBRID_STRONG: HybridDesign = Object.freeze({ resize: null, filters: 1, depth: 2, head: Object.freeze([12, 24]), dropout: 0.3 });

/** The design search's choices (npm run design-search; figures/results/design-search.json): a trainable front, RealAmplitudes kernels (every angle acts), hybrid-strong's head. */
const FRONT_HEAD = Object.freeze({ head: Object.freeze([12, 24]), dropout: 0.3 });
/** Front conv 3×3×1 → batch-norm → sigmoid. */
const FRONT_CONV3_BN = Object.freeze({ conv: Object.freeze({ channels: 1, kernel: 3 }), norm: true });
/** hybrid-front-bn: batch-norm → sigmoid → QuantumConv2D 2×2/2 (RealAmplitudes ×2) → hybrid-strong's head. */
export const HYBRID_FRONT_BN: HybridDesign = Object.freeze({ resize: null, front: Object.freeze({ norm: true }), filters: 1, ansatz: 'real-amplitudes' as const, depth: 2, ...FRONT_HEAD });
/** hybrid-front-conv: conv 3×3×1 → batch-norm → sigmoid → QuantumConv2D 2×2/2 (RealAmplitudes ×2) → hybrid-strong's head. */
export const HYBRID_FRONT_CONV: HybridDesign = Object.freeze({ ...HYBRID_FRONT_BN, front: FRONT_CONV3_BN });
/** hybrid-front-conv4: conv 3×3/2×4 → batch-norm → sigmoid → QuantumConv2D reading the 4 channels of one position (1×1, 4 qubits) → hybrid-strong's head. */
export const HYBRID_FRONT_CONV4: HybridDesign = Object.freeze({
  ...HYBRID_FRONT_BN, front: Object.freeze({ conv: Object.freeze({ channels: 4, kernel: 3, stride: 2 }), norm: true }), window: Object.freeze({ size: 1 }),
});
/** The design-search models: [zoo suffix, design]; each gets hybrid-<suffix> and control-<suffix>. */
const FRONT_DESIGNS: ReadonlyArray<readonly [string, HybridDesign]> = [['front-bn', HYBRID_FRONT_BN], ['front-conv', HYBRID_FRONT_CONV], ['front-conv4', HYBRID_FRONT_CONV4]];

/**
 * LeNet-5-like's recipe in full-official: Adam 1e-3 with ×0.8 per epoch, chosen on the validation split only
 * (`npm run recipe-search`; figures/results/lenet5-recipe-search.json). With the suite default (Adam 3e-3,
 * constant) it reached 98.56 % validation, below the ≥ 98.9 % a LeNet-5 is known to reach: at a constant 3e-3
 * its validation accuracy swung by up to 0.56 points between epochs and early stopping took epoch 7 of 11.
 */
export const LENET5_RECIPE: ModelRecipe = Object.freeze({
  learningRate: 1e-3, lrSchedule: Object.freeze({ kind: 'exponential' as const, decay: 0.8 }),
  why: 'chosen on validation: figures/results/lenet5-recipe-search.json',
});

type Describe = (o: ResolvedModelOptions) => string;

function spec(
  name: string, family: ModelFamily, describe: Describe,
  build: (seed: number, o: ResolvedModelOptions) => tf.LayersModel, controls?: ModelSpec['controls'], recipe?: ModelRecipe,
): ModelSpec {
  const made = hybridDesignOf(build);
  return Object.freeze({
    name, family, description: describe(resolveModelOptions({}, name)), ...(controls ? { controls: Object.freeze(controls) } : {}),
    ...(recipe ? { recipe: Object.freeze({ ...recipe }) } : {}),
    ...(made?.quantum ? { design: made.design } : {}),
    describe: (options?: ModelOptions) => describe(resolveModelOptions(options, name)),
    builder: (seed: number, options?: ModelOptions) => build(seed, resolveModelOptions(options, name)),
  });
}

/** The front of a hybrid design on this input, followed by ' → ' when it does anything. */
const front = (design: HybridDesign, o: ResolvedModelOptions): string => {
  const text = hybridFront(design, o).text;
  return text ? `${text} → ` : '';
};
/** '' for grayscale input, else how a classical model reads RGB. */
const rgb = (o: ResolvedModelOptions): string => (o.channels === 3 ? ' (RGB as 3 input channels)' : '');
const hw = (o: ResolvedModelOptions): string => `${o.imageSize[0]}×${o.imageSize[1]}`;
const smallCnnText = (match: string, c1: number, c2: number) => (o: ResolvedModelOptions) =>
  `plain CNN, parameter-matched to ${match}: conv3×3×${c1} → maxpool → conv3×3×${c2} → maxpool → dropout 0.3 → softmax${rgb(o)}` +
  (smallCnnFitsUnpadded(o) ? '' : ` (convs padded 'same': ${hw(o)} is too small for unpadded ones)`);

/**
 * The frozen-kernel twin `<hybrid>-frozen` of every hybrid built from a design: the same design with its
 * quantum angles fixed at the random initial values (the hybrid's own, seed for seed), the rest trained.
 * Derived here so hybrids added to the zoo get theirs; they pair with the hybrid in `qkc results`.
 */
function withFrozenTwins(models: readonly ModelSpec[]): ModelSpec[] {
  const twins = models.filter((m) => m.design && !m.design.frozenQuantum).map((m) => {
    const name = `${m.name}-frozen`;
    return spec(name, 'hybrid',
      (o) => `${m.describe(o)}; quantum angles frozen at their random initial values (only the classical part trains)`,
      buildHybridDesign(name, { ...m.design!, frozenQuantum: true }, true), m.controls);
  });
  return [...models, ...twins];
}

/** Every model, hybrids first, frozen-kernel twins last; names are stable (result files and notebooks refer to them). */
export const MODELS: readonly ModelSpec[] = Object.freeze(withFrozenTwins([
  spec('hybrid-small', 'hybrid',
    (o) => `${front(HYBRID_SMALL, o)}QuantumConv2D 2×2/2 (4 qubits, HEA ×2) → conv3×3×16 → maxpool → dropout 0.3 → softmax`,
    buildHybridDesign('hybrid-small', HYBRID_SMALL, true), { sameShape: 'control-small', paramMatched: 'cnn-small' }),
  spec('hybrid-strong', 'hybrid',
    (o) => `${front(HYBRID_STRONG, o)}QuantumConv2D 2×2/2 on ${hw(o)} (4 qubits, HEA ×2) → conv3×3×12 → maxpool → conv3×3×24 → maxpool → dropout 0.3 → softmax`,
    buildHybridDesign('hybrid-strong', HYBRID_STRONG, true), { sameShape: 'control-strong', paramMatched: 'cnn-medium' }),
  spec('hybrid-kpool', 'hybrid',
    (o) => `${front(HYBRID_KPOOL, o)}QuantumConv2D 2×2/2 with in-kernel pooling 4→2 qubits (HEA ×2, Hur pool with CRY for the idle CRZ) → conv3×3×18 → maxpool → dropout 0.3 → softmax`,
    buildHybridDesign('hybrid-kpool', HYBRID_KPOOL, true), { sameShape: 'control-kpool', paramMatched: 'cnn-small' }),
  spec('hybrid-qpool', 'hybrid',
    (o) => `${front(HYBRID_QPOOL, o)}QuantumConv2D 2×2/1 same → QuantumPooling 2×2 (Hur) → conv3×3×16 → maxpool → dropout 0.3 → softmax`,
    buildHybridDesign('hybrid-qpool', HYBRID_QPOOL, true), { sameShape: 'control-qpool', paramMatched: 'cnn-small' }),
  spec('hybrid-qpool-learned', 'hybrid',
    (o) => `${front(HYBRID_QPOOL_LEARNED, o)}hybrid-qpool with QuantumPooling replaced by a learned max/min/avg mixture pooling 2×2 (${spatialQuantumPoolingParameters('hur')} parameters, as the Hur QuantumPooling)`,
    buildHybridDesign('hybrid-qpool-learned', HYBRID_QPOOL_LEARNED, true), { sameShape: 'control-qpool-learned', paramMatched: 'cnn-small' }),
  ...FRONT_DESIGNS.map(([n, d]) => spec(`hybrid-${n}`, 'hybrid', (o) => `${front(d, o)}${describeDesignLayers(d, true)}`,
    buildHybridDesign(`hybrid-${n}`, d, true), { sameShape: `control-${n}`, paramMatched: 'cnn-medium' })),
  spec('control-small', 'classical',
    (o) => `${front(HYBRID_SMALL, o)}hybrid-small with the quantum layer replaced by conv2×2/2×4 (tanh)`, buildHybridDesign('control-small', HYBRID_SMALL, false)),
  spec('control-strong', 'classical',
    (o) => `${front(HYBRID_STRONG, o)}hybrid-strong with the quantum layer replaced by conv2×2/2×4 (tanh)`, buildHybridDesign('control-strong', HYBRID_STRONG, false)),
  spec('control-kpool', 'classical',
    (o) => `${front(HYBRID_KPOOL, o)}hybrid-kpool with the pooled quantum kernel replaced by conv2×2/2×2 (tanh)`, buildHybridDesign('control-kpool', HYBRID_KPOOL, false)),
  spec('control-qpool', 'classical',
    (o) => `${front(HYBRID_QPOOL, o)}hybrid-qpool with conv2×2/1×4 (tanh) for the kernel and average pooling for QuantumPooling`, buildHybridDesign('control-qpool', HYBRID_QPOOL, false)),
  spec('control-qpool-learned', 'classical',
    (o) => `${front(HYBRID_QPOOL_LEARNED, o)}hybrid-qpool with conv2×2/1×4 (tanh) for the kernel and, for QuantumPooling, a learned max/min/avg mixture pooling 2×2 with as many parameters (${spatialQuantumPoolingParameters('hur')})`,
    buildHybridDesign('control-qpool-learned', HYBRID_QPOOL_LEARNED, false)),
  ...FRONT_DESIGNS.map(([n, d]) => spec(`control-${n}`, 'classical', (o) => `${front(d, o)}${describeDesignLayers(d, false)}`,
    buildHybridDesign(`control-${n}`, d, false))),
  spec('cnn-small', 'classical', smallCnnText('hybrid-small', 4, 7), buildSmallCnn('cnn-small', 4, 7, 0.3)),
  spec('cnn-medium', 'classical', smallCnnText('hybrid-strong', 8, 16), buildSmallCnn('cnn-medium', 8, 16, 0.3)),
  spec('lenet5', 'classical',
    (o) => `LeNet-5-like: conv5×5×6 → maxpool → conv5×5×16 → maxpool → dense 120 → dense 84 → softmax (ReLU)${rgb(o)}` +
      (lenetFitsUnpadded(o) ? '' : ` (second conv padded 'same': ${hw(o)} is too small for an unpadded one)`),
    buildLeNet5, undefined, LENET5_RECIPE),
  spec('linear', 'classical',
    (o) => `linear ${o.imageSize[0] * o.imageSize[1] * o.channels}→${o.numClasses} (softmax regression on the ${o.channels === 3 ? 'RGB values' : 'pixels'})`, buildLinear),
]));

/**
 * The fully quantum QCNNs and their classical twins on the same 4×4 input (src/models/qcnn.ts): found by
 * name like the others, but not in MODELS, the suites' table of 28×28 models (`npm run qcnn` runs them).
 */
export const QCNN_MODELS: readonly ModelSpec[] = Object.freeze(QCNN_ENTRIES.map((e) => spec(e.name, e.family, e.describe, e.build)));

/** The model called `name` (in MODELS or QCNN_MODELS), or an Error listing the known names. */
export function getModelSpec(name: string): ModelSpec {
  const found = MODELS.find((m) => m.name === name) ?? QCNN_MODELS.find((m) => m.name === name);
  if (!found) {
    throw new Error(`model: unknown model '${name}' (expected one of: ${MODELS.map((m) => m.name).join(', ')}) or a QCNN-study model (${QCNN_MODELS.map((m) => m.name).join(', ')})`);
  }
  return found;
}

/** Builds model `name` with initial weights fixed by `seed`. */
export function buildModel(name: string, seed: number, options?: ModelOptions): tf.LayersModel {
  return getModelSpec(name).builder(seed, options);
}
