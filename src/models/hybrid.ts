/**
 * Hybrid QCNNs and their same-shape classical controls, built by one function: a design names the
 * classical front (resize), the patch kernel (2×2 windows), the pooling and the classical head, and the
 * `quantum` switch decides whether the quantum parts are quantum or classical layers of the same shape:
 *   - kernel: QuantumConv2D (4 qubits, hardware-efficient ansatz, ⟨Z⟩ per qubit → 4 channels per
 *     filter) ↔ Conv2D 2×2 with the same output channels (tanh, bounded like expectation values);
 *   - in-kernel pooling (the kernel's 4 qubits pooled to `keep` inside the circuit, ⟨Z⟩ of the kept
 *     qubits) ↔ a Conv2D 2×2 with `keep` channels per filter;
 *   - spatial pooling (kernel at stride 1, then QuantumPooling 2×2 per channel) ↔ average pooling 2×2;
 *   - learned spatial pooling: LearnedPooling2D 2×2 with as many trainable parameters as the QuantumPooling
 *     it stands in for, in the hybrid and its control alike (so the pooling alone can be compared).
 * Everything else is identical, down to the initial head weights (the seed stream is consumed alike).
 */
import { tf } from '../backend';
import { buildKernelCircuit, type QuantumConv2DArgs, type WeightInit } from '../qkc';
import { LearnedPooling2D, QuantumPooling, poolKernel, statisticsForParameters, type PoolBlockName, type QuantumPoolingArgs } from '../pooling';
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

/** The shape of a hybrid model and of its control. */
export interface HybridDesign {
  /** Square size the front shrinks larger images to (area averaging; smaller ones are kept, never upsampled), or null to keep the input size. */
  resize: number | null;
  /** Independent quantum kernels (each gives 4 channels, or `keep` with in-kernel pooling). */
  filters: number;
  /** Layers of the hardware-efficient ansatz (8 angles each: RY, RZ per qubit, then a CNOT ring). */
  depth: number;
  /** Encode the window again before every ansatz layer (data re-uploading; default false). */
  reupload?: boolean;
  /** Initial kernel angles (default: QuantumConv2D's uniform on [0, 2π)). */
  init?: WeightInit;
  /** Pooling after (or inside) the kernel; default null. */
  pooling?: HybridPooling;
  /** The head: one conv 3×3 (same, ReLU) + max-pool 2 per entry, with that many channels; then softmax. */
  head: readonly number[];
  /** Dropout rate on the flattened features before the softmax layer (default 0: none). */
  dropout?: number;
}

/** Qubits of the patch kernel: one per value of a 2×2 window of a grayscale image. */
export const PATCH_QUBITS = 4;

/** The quantum kernel layer of a design (after the front). */
function quantumKernel(L: SeededLayers, design: HybridDesign, o: ResolvedModelOptions): tf.layers.Layer {
  const pooling = design.pooling ?? null;
  const common: Omit<QuantumConv2DArgs, 'seed'> = {
    kernelSize: 2, strides: isSpatial(pooling) ? 1 : 2, padding: isSpatial(pooling) ? 'same' : 'valid',
    filters: design.filters, diffMethod: o.diffMethod, ...(design.init ? { init: design.init } : {}),
    // Nothing trainable precedes the kernel (the front is a fixed resize), so no input gradient is needed:
    // parameter-shift then shifts only the weight angles, and the circuit count says so.
    inputGradients: false,
  };
  const kernel = { encoding: 'ry' as const, nValues: PATCH_QUBITS, scale: Math.PI, ansatz: 'hardware-efficient' as const, layers: design.depth, reupload: design.reupload ?? false };
  if (pooling?.kind === 'in-kernel') {
    const pooled = poolKernel(buildKernelCircuit({ ...kernel, entanglement: 'reverse-linear' }).circuit, { block: pooling.block, keep: pooling.keep });
    return L.quantumConv2d({ ...common, circuit: pooled.circuit, observables: pooled.observables, pooling: pooled });
  }
  return L.quantumConv2d({ ...common, encoding: kernel.encoding, encodingScale: kernel.scale, ansatz: kernel.ansatz, layers: kernel.layers, reupload: kernel.reupload });
}

/** Output channels of the kernel per filter: 4 (⟨Z⟩ per qubit) or the kept qubits of in-kernel pooling. */
function kernelChannels(design: HybridDesign): number {
  const pooling = design.pooling ?? null;
  return design.filters * (pooling?.kind === 'in-kernel' ? pooling.keep : PATCH_QUBITS);
}

/**
 * The classical front of a design for an input: RGB is turned to gray (the 2×2 kernel has one qubit per
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

/** Builds a design with its quantum layers (`quantum` true) or as its same-shape classical control. */
export function buildHybridDesign(name: string, design: HybridDesign, quantum: boolean) {
  return (seed: number, o: ResolvedModelOptions): tf.LayersModel => {
    const L = new SeededLayers(seed);
    const pooling = design.pooling ?? null;
    const layers: tf.layers.Layer[] = [...hybridFront(design, o).layers];
    if (quantum) {
      layers.push(quantumKernel(L, design, o));
    } else {
      const spatial = isSpatial(pooling);
      layers.push(L.conv2d(kernelChannels(design), 2, 'tanh', { strides: spatial ? 1 : 2, padding: spatial ? 'same' : 'valid' }));
    }
    if (isSpatial(pooling)) {
      // The seed is drawn whichever layer pools, so the head's initial weights match across the variants.
      layers.push(spatialPool(pooling, quantum, L.nextSeed(), o));
    }
    for (const channels of design.head) {
      layers.push(L.conv2d(channels, 3, 'relu', { padding: 'same' }), tf.layers.maxPooling2d({ poolSize: 2 }));
    }
    layers.push(tf.layers.flatten());
    if (design.dropout) layers.push(tf.layers.dropout({ rate: design.dropout }));
    layers.push(L.dense(o.numClasses, 'softmax'));
    return chain(name, o, layers);
  };
}
