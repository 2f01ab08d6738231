/**
 * Hybrid QCNNs and their same-shape classical controls, built by one function: a design names the
 * classical front (resize, and optionally a trainable conv / batch-norm), the quantum kernel (window,
 * encoding, ansatz), the pooling and the classical head, and the `quantum` switch decides whether the
 * quantum parts are quantum or classical layers of the same shape:
 *   - kernel: QuantumConv2D (one qubit per window value, or two with the dense encoding; ⟨Z⟩ per qubit →
 *     one channel per qubit and filter) ↔ Conv2D with the same window, stride and output channels (tanh,
 *     bounded like expectation values);
 *   - in-kernel pooling (the kernel's 4 qubits pooled to `keep` inside the circuit, ⟨Z⟩ of the kept
 *     qubits) ↔ a Conv2D 2×2 with `keep` channels per filter;
 *   - spatial pooling (kernel at stride 1, then QuantumPooling 2×2 per channel) ↔ average pooling 2×2;
 *   - learned spatial pooling: LearnedPooling2D 2×2 with as many trainable parameters as the QuantumPooling
 *     it stands in for, in the hybrid and its control alike (so the pooling alone can be compared).
 * Everything else is identical, down to the initial weights of the front and head (the seed stream is
 * consumed alike).
 * `frozenQuantum` builds the frozen-kernel baseline: the same hybrid with its quantum angles fixed at their
 * seeded random initial values (the same values the trainable hybrid starts from), only the classical rest
 * training, so the value of training the circuit is measured against it.
 */
import { tf } from '../backend';
import { buildKernelCircuit, encodingQubits, type AnsatzName, type QuantumConv2DArgs, type WeightInit } from '../qkc';
import { LearnedPooling2D, QuantumPooling, poolKernel, statisticsForParameters, type PoolBlockName, type QuantumPoolingArgs } from '../pooling';
import { withoutTrailingPhases } from '../sim';
import { ImageGrayscale, ImageResize } from './image-resize';
import { chain, type ResolvedModelOptions } from './model-options';
import { SeededLayers } from './seeded-layers';

/**
 * Pooling of a hybrid: none (the stride-2 kernel downsamples), inside the kernel circuit, a spatial
 * QuantumPooling layer, or a spatial LearnedPooling2D parameter-matched to the QuantumPooling with `block`.
 */
export type HybridPooling =
  | null
  | { kind: 'in-kernel'; block: PoolBlockName; keep: number }
  | { kind: 'spatial'; block: PoolBlockName }
  | { kind: 'spatial-learned'; block: PoolBlockName };

/** True for the poolings that follow a stride-1 kernel with a separate 2×2 pooling layer. */
function isSpatial(pooling: HybridPooling): pooling is Extract<HybridPooling, { kind: 'spatial' | 'spatial-learned' }> {
  return pooling?.kind === 'spatial' || pooling?.kind === 'spatial-learned';
}

/**
 * The QuantumPooling of a spatial design: 2×2 → 1 qubit per channel. Kernel outputs cluster near 0 (std ≈ 0.1
 * for random angles). RY(π·σ(v)) centres them at angle π/2, where ⟨Z⟩ = cos is steepest; RY(π/2·v) put them
 * near angle 0, where cos is flat and the pooled outputs came out ≈ 1 for every image (measured: mean 0.95,
 * std 0.03; training stayed at chance).
 */
export function spatialQuantumPoolingArgs(block: PoolBlockName, seed?: number, diffMethod?: ResolvedModelOptions['diffMethod']): QuantumPoolingArgs {
  return { poolSize: 2, block, keep: 1, squash: 'sigmoid', encodingScale: Math.PI, ...(diffMethod ? { diffMethod } : {}), ...(seed != null ? { seed } : {}) };
}

/** Trainable angles of a spatial design's QuantumPooling with `block` (what its learned classical rival matches). */
export function spatialQuantumPoolingParameters(block: PoolBlockName): number {
  return new QuantumPooling(spatialQuantumPoolingArgs(block)).pooling.poolWeights.count;
}

/** The 2×2 pooling layer of a spatial design. */
function spatialPool(pooling: Extract<HybridPooling, { kind: 'spatial' | 'spatial-learned' }>, quantum: boolean, seed: number, o: ResolvedModelOptions): tf.layers.Layer {
  if (pooling.kind === 'spatial-learned') {
    return new LearnedPooling2D({ poolSize: 2, statistics: statisticsForParameters(spatialQuantumPoolingParameters(pooling.block)) });
  }
  return quantum ? new QuantumPooling(spatialQuantumPoolingArgs(pooling.block, seed, o.diffMethod)) : tf.layers.averagePooling2d({ poolSize: 2 });
}

/**
 * A trainable classical front before the quantum kernel (the same in the control): an optional conv
 * (padding 'same', linear) to `channels` channels, optional batch normalisation, then a sigmoid so the
 * kernel's encoding angles π·x stay in [0, π] as they do for pixel values.
 */
export interface HybridFrontLayers {
  /** A conv kernel×kernel/stride with `channels` outputs (the kernel then reads that many channels per position). */
  conv?: { channels: number; kernel: number; stride?: number };
  /** Batch normalisation of what reaches the kernel (default false). */
  norm?: boolean;
}

/** The quantum kernel's window: side, stride, and how its values are encoded. */
export interface HybridWindow {
  /** Window side (2 = 2×2; 1 reads the channels of one position). */
  size: number;
  /** Window step (default: the side; 1 with spatial pooling). Padding is 'same' when the step is smaller than the side. */
  stride?: number;
  /** 'ry': one qubit per value (default); 'dense': two values per qubit (RY then RZ). */
  encoding?: 'ry' | 'dense';
}

/** The shape of a hybrid model and of its control. */
export interface HybridDesign {
  /** Square size the front shrinks larger images to (area averaging; smaller ones are kept, never upsampled), or null to keep the input size. */
  resize: number | null;
  /** A trainable classical front after the resize (default none: pixel values reach the kernel). */
  front?: HybridFrontLayers;
  /** The kernel's window (default 2×2 at stride 2, one qubit per value). */
  window?: HybridWindow;
  /** Independent quantum kernels (each gives one channel per qubit, or `keep` with in-kernel pooling). */
  filters: number;
  /** Trainable template (default 'hardware-efficient': RY, RZ per qubit, then a CNOT ring). */
  ansatz?: AnsatzName;
  /** Layers of the ansatz. */
  depth: number;
  /** Encode the window again before every ansatz layer (data re-uploading; default false). */
  reupload?: boolean;
  /** Initial kernel angles (default: QuantumConv2D's uniform on [0, 2π)). */
  init?: WeightInit;
  /** Pooling after (or inside) the kernel; default null. */
  pooling?: HybridPooling;
  /** The head: one conv 3×3 (same, ReLU) + max-pool 2 per entry, with that many channels; then softmax. */
  head: readonly number[];
  /** Batch normalisation after each head conv (conv → BN → ReLU; default false). */
  headNorm?: boolean;
  /** How the head's features reach the softmax layer: 'flatten' (default) or 'global-average' (one value per channel). */
  readout?: 'flatten' | 'global-average';
  /** Dropout rate on the features before the softmax layer (default 0: none). */
  dropout?: number;
  /** Quantum kernel and quantum pooling angles fixed at their seeded random initial values (non-trainable); default false. */
  frozenQuantum?: boolean;
}

/** What `buildHybridDesign` built each builder from (the registry derives frozen-kernel twins from it). */
const BUILT_FROM = new WeakMap<object, { design: HybridDesign; quantum: boolean }>();

/** The design and quantum switch a builder of `buildHybridDesign` was made with, or undefined for any other function. */
export function hybridDesignOf(builder: object): { design: HybridDesign; quantum: boolean } | undefined {
  return BUILT_FROM.get(builder);
}

/** Qubits of the default patch kernel: one per value of a 2×2 window of a grayscale image. */
export const PATCH_QUBITS = 4;

/** The kernel window of a design with defaults filled in, and its padding. */
function windowOf(design: HybridDesign): { size: number; stride: number; encoding: 'ry' | 'dense'; padding: 'valid' | 'same' } {
  const spatial = isSpatial(design.pooling ?? null);
  const size = design.window?.size ?? 2;
  const stride = design.window?.stride ?? (spatial ? 1 : size);
  return { size, stride, encoding: design.window?.encoding ?? 'ry', padding: spatial || stride < size ? 'same' : 'valid' };
}

/** Values per window the kernel reads: side² × the channels reaching it (the front conv's, else 1 gray). */
function windowValues(design: HybridDesign): number {
  const { size } = windowOf(design);
  return size * size * (design.front?.conv?.channels ?? 1);
}

/** Qubits of a design's kernel. */
export function kernelQubits(design: HybridDesign): number {
  return encodingQubits(windowOf(design).encoding, windowValues(design));
}

/** The quantum kernel layer of a design (after the front). */
function quantumKernel(L: SeededLayers, design: HybridDesign, o: ResolvedModelOptions): tf.layers.Layer {
  const pooling = design.pooling ?? null;
  const win = windowOf(design);
  const trainableFront = design.front?.conv != null || design.front?.norm === true;
  const common: Omit<QuantumConv2DArgs, 'seed'> = {
    kernelSize: win.size, strides: win.stride, padding: win.padding,
    filters: design.filters, diffMethod: o.diffMethod, ...(design.init ? { init: design.init } : {}),
    // With a fixed front (a resize) nothing trainable precedes the kernel, so no input gradient is needed:
    // parameter-shift then shifts only the weight angles, and the circuit count says so.
    inputGradients: trainableFront,
  };
  const kernel = {
    encoding: win.encoding, nValues: windowValues(design), scale: Math.PI, ansatz: design.ansatz ?? 'hardware-efficient' as AnsatzName,
    layers: design.depth, reupload: design.reupload ?? false,
  };
  const circuit = buildKernelCircuit({ ...kernel, entanglement: 'reverse-linear' }).circuit;
  if (pooling?.kind === 'in-kernel') {
    const pooled = poolKernel(circuit, { block: pooling.block, keep: pooling.keep });
    return L.quantumConv2d({ ...common, circuit: pooled.circuit, observables: pooled.observables, pooling: pooled });
  }
  // Read out in Z, the ansatz's last RZ layer (before the CNOT ring) is idle: the kernel drops it, so every
  // counted angle affects the output (test/models-frozen-idle.test.ts). A template without idle angles
  // keeps its named form (and its architecture hash).
  const pruned = withoutTrailingPhases(circuit);
  if (pruned !== circuit) return L.quantumConv2d({ ...common, circuit: pruned });
  return L.quantumConv2d({ ...common, encoding: kernel.encoding, encodingScale: kernel.scale, ansatz: kernel.ansatz, layers: kernel.layers, reupload: kernel.reupload });
}

/** Output channels of the kernel: per filter, one per qubit (⟨Z⟩) or the kept qubits of in-kernel pooling. */
function kernelChannels(design: HybridDesign): number {
  const pooling = design.pooling ?? null;
  return design.filters * (pooling?.kind === 'in-kernel' ? pooling.keep : kernelQubits(design));
}

/**
 * The fixed front of a design for an input: RGB is turned to gray (the kernel has one qubit per
 * pixel value), and a side larger than `design.resize` is shrunk to it by area averaging; a smaller image
 * is kept as it is (never upsampled). Returns the layers and the words that say so in the description.
 */
export function hybridFront(design: HybridDesign, o: Pick<ResolvedModelOptions, 'imageSize' | 'channels'>): { layers: tf.layers.Layer[]; text: string } {
  const layers: tf.layers.Layer[] = [];
  const words: string[] = [];
  if (o.channels === 3) {
    layers.push(new ImageGrayscale());
    words.push('RGB → gray (BT.601 luma)');
  }
  const [h, w] = o.imageSize;
  const t = design.resize;
  if (t != null && (h > t || w > t)) {
    const [th, tw] = [Math.min(h, t), Math.min(w, t)];
    layers.push(new ImageResize({ size: [th, tw], method: 'area' }));
    words.push(h === w && th === tw ? `resize ${h}→${th}` : `resize ${h}×${w}→${th}×${tw}`);
  } else if (t != null) {
    words.push(`${h}×${w} kept (not upsampled to ${t}×${t})`);
  }
  return { layers, text: words.join(' → ') };
}

/** The trainable front's layers (conv, batch-norm, sigmoid), or none. */
function trainableFront(L: SeededLayers, front: HybridFrontLayers | undefined): tf.layers.Layer[] {
  if (!front || (front.conv == null && !front.norm)) return [];
  const layers: tf.layers.Layer[] = [];
  if (front.conv) {
    const { channels, kernel, stride = 1 } = front.conv;
    // Before batch-norm a bias would be subtracted again with the batch mean: it could not affect the output.
    layers.push(L.conv2d(channels, kernel, 'linear', { strides: stride, padding: 'same', ...(front.norm ? { useBias: false } : {}) }));
  }
  if (front.norm) layers.push(tf.layers.batchNormalization({ axis: -1 }));
  layers.push(tf.layers.activation({ activation: 'sigmoid' }));
  return layers;
}

/** The classical head: conv 3×3 [→ BN] → ReLU → max-pool per entry, then flatten or global average. */
function head(L: SeededLayers, design: HybridDesign): tf.layers.Layer[] {
  const layers: tf.layers.Layer[] = [];
  for (const channels of design.head) {
    if (design.headNorm) {
      layers.push(L.conv2d(channels, 3, 'linear', { padding: 'same', useBias: false, initFor: 'relu' }), tf.layers.batchNormalization({ axis: -1 }));
      layers.push(tf.layers.activation({ activation: 'relu' }));
    } else {
      layers.push(L.conv2d(channels, 3, 'relu', { padding: 'same' }));
    }
    layers.push(tf.layers.maxPooling2d({ poolSize: 2 }));
  }
  layers.push(design.readout === 'global-average' ? tf.layers.globalAveragePooling2d({}) : tf.layers.flatten());
  return layers;
}

/** Builds a design with its quantum layers (`quantum` true) or as its same-shape classical control. */
export function buildHybridDesign(name: string, design: HybridDesign, quantum: boolean) {
  const build = (seed: number, o: ResolvedModelOptions): tf.LayersModel => {
    const L = new SeededLayers(seed);
    const pooling = design.pooling ?? null;
    const layers: tf.layers.Layer[] = [...hybridFront(design, o).layers, ...trainableFront(L, design.front)];
    // Frozen: the angles are drawn from the same seeds as the trainable hybrid's, then never updated.
    const freeze = (layer: tf.layers.Layer): tf.layers.Layer => {
      if (design.frozenQuantum && (layer as { isQuantumLayer?: boolean }).isQuantumLayer) layer.trainable = false;
      return layer;
    };
    if (quantum) {
      layers.push(freeze(quantumKernel(L, design, o)));
    } else {
      const win = windowOf(design);
      layers.push(L.conv2d(kernelChannels(design), win.size, 'tanh', { strides: win.stride, padding: win.padding }));
    }
    if (isSpatial(pooling)) {
      // The seed is drawn whichever layer pools, so the head's initial weights match across the variants.
      layers.push(freeze(spatialPool(pooling, quantum, L.nextSeed(), o)));
    }
    layers.push(...head(L, design));
    if (design.dropout) layers.push(tf.layers.dropout({ rate: design.dropout }));
    layers.push(L.dense(o.numClasses, 'softmax'));
    return chain(name, o, layers);
  };
  BUILT_FROM.set(build, { design, quantum });
  return build;
}

/** One line naming a design's layers after its fixed front (trainable front, kernel, pooling, head), from the design data. */
export function describeDesignLayers(design: HybridDesign, quantum: boolean): string {
  const parts: string[] = [];
  const f = design.front;
  if (f?.conv) parts.push(`conv${f.conv.kernel}×${f.conv.kernel}${(f.conv.stride ?? 1) > 1 ? `/${f.conv.stride}` : ''}×${f.conv.channels}`);
  if (f?.norm) parts.push('batch-norm');
  if (f?.conv || f?.norm) parts.push('sigmoid');
  const win = windowOf(design);
  const ansatz = { 'hardware-efficient': 'HEA', 'strongly-entangling': 'strongly-entangling', 'real-amplitudes': 'RealAmplitudes' }[design.ansatz ?? 'hardware-efficient'];
  const pooled = design.pooling?.kind === 'in-kernel' ? `, pooled to ${design.pooling.keep} in-kernel (${design.pooling.block})` : '';
  const filters = design.filters > 1 ? `${design.filters} filters × ` : '';
  parts.push(quantum
    ? `QuantumConv2D ${win.size}×${win.size}/${win.stride} (${filters}${kernelQubits(design)} qubits, ${win.encoding === 'dense' ? 'dense encoding, ' : ''}${ansatz} ×${design.depth}${design.reupload ? ' re-uploading' : ''}${pooled})`
    : `conv${win.size}×${win.size}/${win.stride}×${kernelChannels(design)} (tanh, in place of the quantum kernel)`);
  if (design.pooling && isSpatial(design.pooling)) parts.push(quantum || design.pooling.kind === 'spatial-learned' ? `${design.pooling.kind === 'spatial' ? 'QuantumPooling' : 'learned pooling'} 2×2` : 'avgpool 2×2');
  for (const c of design.head) parts.push(`conv3×3×${c}${design.headNorm ? ' → batch-norm' : ''}`, 'maxpool');
  if (design.readout === 'global-average') parts.push('global average');
  if (design.dropout) parts.push(`dropout ${design.dropout}`);
  parts.push('softmax');
  return parts.join(' → ');
}
