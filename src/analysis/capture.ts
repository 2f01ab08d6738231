/**
 * Capture: the intermediate states of every patch of a quantum layer — encoded, after the kernel, just
 * before pooling, after pooling, the pooled reduced state of the kept qubits — and the measured
 * outputs, for a trained model (its first or a named quantum layer) or a single QuantumConv2D /
 * QuantumPooling layer. Everything comes from the layers' capture side door, which reads and never
 * changes what a forward pass computes.
 *
 * Memory: 4-qubit states cost 128 bytes per patch and stage, so 1,000 MNIST images at 196 patches are
 * ~100 MB of states. `captureChunks` / `forEachCapture` stream the images in chunks (one chunk's
 * tensors alive at a time); `captureStates` returns everything at once and refuses more than
 * `maxPatches` patches with a message naming the limit and how to raise it.
 */
import { tf } from '../backend';
import type { DensityBatch, StateBatch } from '../sim';
import { reducedDensityMatrix } from '../inspect';
import { QuantumConv2D, QuantumCapture } from '../qkc';
import { QuantumPooling } from '../pooling';
import { AnalysisImages, ImageChunk, describeImages, imageChunks, positiveIntOption } from './images';
import { ConvPooling, PoolInfo, PoolSpec, convPooling } from './conv-pooling';

/** What can be captured: a model (its quantum layer is picked by `layer`) or one quantum layer. */
export type CaptureTarget = tf.LayersModel | QuantumConv2D | QuantumPooling;
/** A quantum layer capture works on. */
export type CapturedLayer = QuantumConv2D | QuantumPooling;

/** Options of the capture functions. */
export interface CaptureStatesOptions {
  /** For a model: the quantum layer's name, or its index among the model's quantum layers (default 0). */
  layer?: string | number;
  /** QuantumConv2D filter to capture (default 0). */
  copy?: number;
  /** QuantumConv2D only: the pooling to capture (default: appended 'trace-out' keeping ⌈n/2⌉ qubits). */
  pool?: PoolSpec;
  /** Images per chunk when streaming (default 64). */
  chunkSize?: number;
  /** `captureStates` only: refuse more patches than this (default 100,000). */
  maxPatches?: number;
}

/** Intermediate states of one chunk of images; rows in (image, row, column[, channel]) order. */
export interface PatchStates {
  layer: string;
  layerClass: 'QuantumConv2D' | 'QuantumPooling';
  /** Index of the chunk's first image in the whole input, and the chunk's image count. */
  offset: number;
  count: number;
  /** Patch grid [count, h, w] (QuantumConv2D) or [count, h, w, channels] (QuantumPooling); its product is the row count. */
  grid: number[];
  /** The chunk's images [count, H, W, C] as given, and the quantum layer's input for them. */
  images: tf.Tensor4D;
  layerInput: tf.Tensor4D;
  /** Encoded patch states (after the data encoding, before any trained gate). */
  encoded: StateBatch;
  /** State after the kernel (for QuantumPooling, which has no kernel, the encoded state). */
  kernel: StateBatch;
  /** State just before pooling (the kernel state; for QuantumPooling the encoded neighbourhood). */
  prePool: StateBatch;
  /** Full state after the pool block, before the dropped qubits are discarded. */
  postPool: StateBatch;
  /** Reduced density matrices of the kept qubits after pooling [rows, 2^m, 2^m] (kept[j] is qubit j). */
  pooled: DensityBatch;
  /** The user layer's outputs for these patches [rows, nObs] (exact; copy `copy` for QuantumConv2D). */
  outputs: tf.Tensor2D;
  /** The pooled read-out [rows, nPooledObs] (equal to `outputs` when the layer itself pools). */
  pooledOutputs: tf.Tensor2D;
  pool: PoolInfo;
  /** Frees the chunk's tensors (the streaming functions do this for you). */
  dispose(): void;
}

/** The quantum layers of a model that capture can read (QuantumConv2D, QuantumPooling). */
export function quantumLayersOf(model: tf.LayersModel): CapturedLayer[] {
  return model.layers.filter((l): l is CapturedLayer => l instanceof QuantumConv2D || l instanceof QuantumPooling);
}

interface ResolvedTarget {
  layer: CapturedLayer;
  /** The layer's input for a chunk of images (the images themselves for a bare layer). */
  feed(x: tf.Tensor4D): tf.Tensor4D;
  dispose(): void;
}

/** Finds the quantum layer and how to compute its input from images. */
export function resolveCaptureTarget(target: CaptureTarget, layerSel: string | number | undefined, fn: string): ResolvedTarget {
  if (target instanceof QuantumConv2D || target instanceof QuantumPooling) {
    if (layerSel !== undefined) throw new Error(`${fn}(options.layer): only for a model; got a single layer '${target.name}' and layer ${JSON.stringify(layerSel)}`);
    return { layer: target, feed: (x) => x, dispose: () => undefined };
  }
  if (!(target instanceof tf.LayersModel)) throw new Error(`${fn}(target): expected a tf.LayersModel, QuantumConv2D or QuantumPooling, got ${target === null ? 'null' : typeof target}`);
  const layers = quantumLayersOf(target);
  if (layers.length === 0) throw new Error(`${fn}(target): model '${target.name}' has no QuantumConv2D or QuantumPooling layer`);
  const names = layers.map((l) => `'${l.name}'`).join(', ');
  let layer: CapturedLayer | undefined;
  if (layerSel === undefined) layer = layers[0];
  else if (typeof layerSel === 'number') layer = layers[layerSel];
  else layer = layers.find((l) => l.name === layerSel);
  if (!layer) throw new Error(`${fn}(options.layer): expected a quantum layer name or index of model '${target.name}' (quantum layers: ${names}), got ${JSON.stringify(layerSel)}`);
  const input = layer.input as tf.SymbolicTensor;
  if (input === target.inputs[0]) return { layer, feed: (x) => x, dispose: () => undefined };
  const front = tf.model({ inputs: target.inputs, outputs: input });
  return { layer, feed: (x) => front.predict(x) as tf.Tensor4D, dispose: () => undefined };
}

/** Collects tensors and frees each once. */
function disposer(tensors: tf.Tensor[]): () => void {
  return () => { for (const t of new Set(tensors)) t.dispose(); };
}

/** Captures one chunk (the caller owns the result); `pair` is built once per stream. */
function captureChunk(
  layer: CapturedLayer, pair: ConvPooling | null, chunk: ImageChunk, input: tf.Tensor4D, copy: number, maxPatches: number, ownInput: boolean,
): PatchStates {
  const owned: tf.Tensor[] = ownInput ? [input] : [];
  const common = { layer: layer.name, offset: chunk.offset, count: chunk.count, images: chunk.x, layerInput: input };
  if (layer instanceof QuantumPooling) {
    const cap = layer.capture(input, { maxPatches });
    const [pre, post] = [cap.stages[0].state, cap.stages[cap.stages.length - 1].state];
    owned.push(pre.re, pre.im, post.re, post.im, cap.outputs, cap.pooled.re, cap.pooled.im);
    const n = pre.nQubits;
    const ws = layer.getWeights();
    return {
      ...common, layerClass: 'QuantumPooling', grid: cap.grid,
      encoded: pre, kernel: pre, prePool: pre, postPool: post, pooled: cap.pooled, outputs: cap.outputs, pooledOutputs: cap.outputs,
      pool: {
        source: 'layer', block: layer.block, kept: [...cap.kept], dropped: Array.from({ length: n }, (_, q) => q).filter((q) => !cap.kept.includes(q)),
        weights: ws.length ? Array.from(ws[0].dataSync()) : [], observables: [...layer.observables],
      },
      dispose: disposer(owned),
    };
  }
  const p = pair as ConvPooling;
  const user = layer.capture(input, { copy, maxPatches });
  let probe: QuantumCapture;
  try {
    probe = (p.userLayer === 'pre' ? p.post : p.pre).capture(input, { maxPatches });
  } catch (e) {
    user.dispose();
    throw e;
  }
  const last = (c: QuantumCapture) => c.stages[c.stages.length - 1].state;
  const [preCap, postCap] = p.userLayer === 'pre' ? [user, probe] : [probe, user];
  const encoded = user.stages[0].state;
  const prePool = last(preCap), postPool = last(postCap);
  // The probe's encoded stage duplicates the user's; the in-circuit probe's outputs (⟨Z⟩ of the unpooled kernel) are not part of the record.
  const keep = new Set<tf.Tensor>([encoded.re, encoded.im, prePool.re, prePool.im, postPool.re, postPool.im, user.outputs, postCap.outputs]);
  for (const t of [...probe.stages.flatMap((s) => [s.state.re, s.state.im]), probe.outputs]) if (!keep.has(t)) t.dispose();
  const pooled = reducedDensityMatrix(postPool, p.info.kept);
  owned.push(...keep, pooled.re, pooled.im);
  return {
    ...common, layerClass: 'QuantumConv2D', grid: user.grid,
    encoded, kernel: prePool, prePool, postPool, pooled, outputs: user.outputs, pooledOutputs: postCap.outputs,
    pool: { ...p.info, kept: [...p.info.kept], dropped: [...p.info.dropped], weights: [...p.info.weights] },
    dispose: disposer(owned),
  };
}

/** Shared by the streaming and all-at-once paths: resolves the target and walks the chunks. */
function* chunkCaptures(target: CaptureTarget, images: AnalysisImages, options: CaptureStatesOptions, fn: string, chunkSize: number, maxPatches: number): Generator<PatchStates> {
  describeImages(images, fn);
  const copy = options.copy ?? 0;
  const resolved = resolveCaptureTarget(target, options.layer, fn);
  const { layer } = resolved;
  if (layer instanceof QuantumPooling && options.pool !== undefined) {
    throw new Error(`${fn}(options.pool): only for a QuantumConv2D; QuantumPooling '${layer.name}' pools by itself`);
  }
  let pair: ConvPooling | null = null;
  try {
    for (const chunk of imageChunks(images, chunkSize, fn)) {
      const input = resolved.feed(chunk.x);
      const ownInput = input !== chunk.x;
      let states: PatchStates;
      try {
        if (layer instanceof QuantumConv2D) {
          if (!layer.built) layer.build(input.shape);
          pair ??= convPooling(layer, input.shape.slice(1), copy, options.pool);
        }
        states = captureChunk(layer, pair, chunk, input, copy, maxPatches, ownInput);
      } catch (e) {
        if (ownInput) input.dispose();
        throw e;
      }
      try {
        yield states;
      } finally {
        states.dispose();
      }
    }
  } finally {
    pair?.dispose();
    resolved.dispose();
  }
}

/**
 * Streams the states of all patches of `images`, one chunk of `chunkSize` images at a time. Each
 * chunk's tensors are freed when the next chunk is requested (or the loop ends or breaks): copy out
 * what you need to keep.
 */
export async function* captureChunks(target: CaptureTarget, images: AnalysisImages, options: CaptureStatesOptions = {}): AsyncGenerator<PatchStates> {
  const chunkSize = positiveIntOption(options.chunkSize, 'chunkSize', 64);
  yield* chunkCaptures(target, images, options, 'captureChunks', chunkSize, Number.MAX_SAFE_INTEGER);
}

/** Calls `fn` (awaited) with every chunk's states; the chunk is freed after `fn` returns. */
export async function forEachCapture(
  target: CaptureTarget, images: AnalysisImages, fn: (chunk: PatchStates) => void | Promise<void>, options: CaptureStatesOptions = {},
): Promise<void> {
  if (typeof fn !== 'function') throw new Error(`forEachCapture(fn): expected a function called per chunk, got ${typeof fn}`);
  for await (const chunk of captureChunks(target, images, options)) await fn(chunk);
}

/** Patches per image of a capture target for images of shape [H, W, C]. */
export function patchesPerImage(target: CaptureTarget, imageShape: readonly number[], layerSel?: string | number): number {
  const { layer } = resolveCaptureTarget(target, layerSel, 'patchesPerImage');
  const inShape = target instanceof tf.LayersModel ? (layer.input as tf.SymbolicTensor).shape : [null, ...imageShape];
  const out = layer.computeOutputShape(inShape as tf.Shape) as number[];
  return layer instanceof QuantumPooling ? out[1] * out[2] * (inShape[3] as number) : out[1] * out[2];
}

/**
 * All states at once, as one PatchStates the caller must `dispose()`. Refuses more than
 * `options.maxPatches` (default 100,000) patches; stream with `captureChunks` / `forEachCapture` instead.
 */
export function captureStates(target: CaptureTarget, images: AnalysisImages, options: CaptureStatesOptions = {}): PatchStates {
  const fn = 'captureStates';
  const { count, shape } = describeImages(images, fn);
  const maxPatches = positiveIntOption(options.maxPatches, 'maxPatches', 100_000);
  if (count === 0) throw new Error(`${fn}(images): expected at least one image, got 0`);
  const per = patchesPerImage(target, shape, options.layer);
  if (count * per > maxPatches) {
    throw new Error(`${fn}: ${count} images × ${per} patches = ${count * per} patches exceed maxPatches = ${maxPatches}; stream them with captureChunks()/forEachCapture() (one chunk in memory at a time) or raise options.maxPatches`);
  }
  const it = chunkCaptures(target, images, options, fn, count, maxPatches);
  const first = it.next();
  if (first.done) throw new Error(`${fn}: no chunk was captured`);
  const states = first.value;
  // Detach the chunk from the generator, whose clean-up frees the chunk's image tensor and the states.
  const release = states.dispose;
  states.dispose = () => undefined;
  const imagesCopy = tf.clone(states.images);
  const layerInput = states.layerInput === states.images ? imagesCopy : states.layerInput;
  it.return(undefined);
  return { ...states, images: imagesCopy, layerInput, dispose: () => { release(); imagesCopy.dispose(); } };
}
