/**
 * An in-memory set of images (1 channel, or C channels interleaved per pixel) with integer labels, kept as one flat typed array so that
 * subsets can be views and tensors are built one batch at a time (never the whole set as float32 unless
 * asked for).
 */
import { tf } from '../backend';
import { deriveSeed, permutation } from './random';
import { countClasses, stratifiedSelection } from './stratify';

/** Pixel storage: raw bytes 0…255 (as in IDX files) or floats already scaled by preprocessing. */
export type PixelArray = Uint8Array | Float32Array;

/** What an `ImageDataset` is built from. */
export interface ImageDatasetInit {
  /** N·H·W·C values, image-major, then row-major, channels last ([N, H, W, C]). */
  images: PixelArray;
  /** N labels in [0, numClasses). */
  labels: Uint8Array;
  height: number;
  width: number;
  /** Channels per pixel (default 1: grayscale; 3 for RGB). */
  channels?: number;
  numClasses: number;
  /** Human names of the classes (defaults to '0', '1', …). */
  classNames?: readonly string[];
  /** A short name for messages and results ('mnist/train', …). */
  name?: string;
  /** For each example, its index in the source's canonical ordering (provenance; kept through subsets). */
  sourceIndices?: Uint32Array;
}

/** How pixels and labels become tensors. */
export interface TensorOptions {
  /** One-hot float32 labels [n, numClasses] (default) instead of int32 class indices [n]. */
  oneHot?: boolean;
  /** Keep uint8 pixels in 0…255 instead of scaling them to [0, 1] (for models that normalise inside). */
  raw?: boolean;
}

/** How an epoch is cut into batches. */
export interface BatchOptions extends TensorOptions {
  /** Visit examples in a seeded random order (requires `seed`). */
  shuffle?: boolean;
  /** Seed of the shuffle; the order is a pure function of (seed, epoch). */
  seed?: number;
  /** Epoch number, mixed into the seed so every epoch gets its own order (default 0). */
  epoch?: number;
  /** Drop the last batch when it is smaller than batchSize. */
  dropRemainder?: boolean;
}

/** One batch of tensors; the caller owns xs and ys and must dispose them (or call `dispose()`). */
export interface Batch {
  /** float32 [b, H, W, C]. */
  xs: tf.Tensor4D;
  /** float32 one-hot [b, numClasses] or int32 [b]. */
  ys: tf.Tensor;
  /** Positions of the batch's examples in the dataset. */
  indices: Uint32Array;
  /** Disposes xs and ys. */
  dispose(): void;
}

function checkPositiveInt(value: number, argName: string): void {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${argName}: expected a positive integer, got ${value}`);
}

/** A labelled set of images; immutable by convention (subsets may share its buffers). */
export class ImageDataset {
  readonly images: PixelArray;
  readonly labels: Uint8Array;
  readonly size: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly classNames: readonly string[];
  readonly name: string;
  readonly sourceIndices: Uint32Array;

  /** Wraps the arrays (no copy) after checking that their lengths and labels agree. */
  constructor(init: ImageDatasetInit) {
    const { images, labels, height, width, numClasses } = init;
    const name = init.name ?? 'dataset';
    checkPositiveInt(height, `${name}: height`);
    checkPositiveInt(width, `${name}: width`);
    const channels = init.channels ?? 1;
    checkPositiveInt(channels, `${name}: channels`);
    checkPositiveInt(numClasses, `${name}: numClasses`);
    if (images.length !== labels.length * height * width * channels) {
      throw new Error(
        `${name}: images has ${images.length} values, expected labels.length·height·width·channels = ` +
          `${labels.length}·${height}·${width}·${channels} = ${labels.length * height * width * channels}`,
      );
    }
    countClasses(labels, numClasses, `${name}: labels`);
    const classNames = init.classNames ?? Array.from({ length: numClasses }, (_, i) => String(i));
    if (classNames.length !== numClasses) {
      throw new Error(`${name}: classNames has ${classNames.length} entries, expected numClasses = ${numClasses}`);
    }
    if (init.sourceIndices && init.sourceIndices.length !== labels.length) {
      throw new Error(`${name}: sourceIndices has ${init.sourceIndices.length} entries, expected ${labels.length}`);
    }
    this.images = images;
    this.labels = labels;
    this.size = labels.length;
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.numClasses = numClasses;
    this.classNames = classNames;
    this.name = name;
    this.sourceIndices = init.sourceIndices ?? Uint32Array.from({ length: labels.length }, (_, i) => i);
  }

  /** Values per image (H·W·C). */
  get pixelsPerImage(): number {
    return this.height * this.width * this.channels;
  }

  /** Image i as a view [H·W·C] into the dataset's buffer (no copy). */
  image(i: number): PixelArray {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) {
      throw new Error(`${this.name}.image(i): expected an integer in [0, ${this.size - 1}], got ${i}`);
    }
    const p = this.pixelsPerImage;
    return this.images.subarray(i * p, (i + 1) * p);
  }

  /** Number of examples of each class. */
  classCounts(): number[] {
    return countClasses(this.labels, this.numClasses);
  }

  /** Same arrays, new metadata (used by subsets and preprocessing). */
  with(changes: Partial<ImageDatasetInit>): ImageDataset {
    return new ImageDataset({
      images: this.images,
      labels: this.labels,
      height: this.height,
      width: this.width,
      channels: this.channels,
      numClasses: this.numClasses,
      classNames: this.classNames,
      name: this.name,
      sourceIndices: this.sourceIndices,
      ...changes,
    });
  }

  /**
   * The examples at `positions`, in that order. A contiguous ascending run becomes views of this
   * dataset's buffers (no copy); anything else is gathered into new arrays.
   */
  subset(positions: ArrayLike<number>, name = this.name): ImageDataset {
    const n = positions.length;
    const p = this.pixelsPerImage;
    for (let k = 0; k < n; k++) {
      const i = positions[k];
      if (!Number.isInteger(i) || i < 0 || i >= this.size) {
        throw new Error(`${this.name}.subset(positions): entry ${k} is ${i}, expected an integer in [0, ${this.size - 1}]`);
      }
    }
    let contiguous = true;
    for (let k = 1; k < n && contiguous; k++) contiguous = positions[k] === positions[0] + k;
    if (contiguous) {
      const a = n > 0 ? positions[0] : 0;
      return this.with({
        images: this.images.subarray(a * p, (a + n) * p),
        labels: this.labels.subarray(a, a + n),
        sourceIndices: this.sourceIndices.subarray(a, a + n),
        name,
      });
    }
    const images = this.images instanceof Uint8Array ? new Uint8Array(n * p) : new Float32Array(n * p);
    const labels = new Uint8Array(n);
    const sourceIndices = new Uint32Array(n);
    for (let k = 0; k < n; k++) {
      const i = positions[k];
      images.set(this.images.subarray(i * p, (i + 1) * p), k * p);
      labels[k] = this.labels[i];
      sourceIndices[k] = this.sourceIndices[i];
    }
    return this.with({ images, labels, sourceIndices, name });
  }

  /**
   * A stratified subset of n examples: the first n of the stratified interleaving (see `stratifiedOrder`),
   * kept in this dataset's order. Nested in n; a view when this dataset is already stratified-ordered.
   */
  stratifiedSubset(n: number, name = this.name): ImageDataset {
    return this.subset(stratifiedSelection(this.labels, this.numClasses, n), name);
  }

  /**
   * Only the examples of `classes` (original class indices), relabelled 0…k-1 in the order given, e.g.
   * [3, 8] makes 3 → 0 and 8 → 1. `classNames` follows, so results still read '3' and '8'.
   */
  selectClasses(classes: readonly number[]): ImageDataset {
    const seen = new Set<number>();
    for (const c of classes) {
      if (!Number.isInteger(c) || c < 0 || c >= this.numClasses || seen.has(c)) {
        throw new Error(
          `classes: expected distinct integers in [0, ${this.numClasses - 1}], got [${classes.join(', ')}]`,
        );
      }
      seen.add(c);
    }
    if (classes.length === 0) throw new Error('classes: expected at least one class, got []');
    const newLabel = new Int16Array(this.numClasses).fill(-1);
    classes.forEach((c, k) => (newLabel[c] = k));
    const positions: number[] = [];
    for (let i = 0; i < this.size; i++) if (newLabel[this.labels[i]] >= 0) positions.push(i);
    const sub = this.subset(positions);
    // subset() may return views; relabel into a fresh array so the parent's labels stay untouched.
    const labels = Uint8Array.from(sub.labels, (c) => newLabel[c]);
    return sub.with({ labels, numClasses: classes.length, classNames: classes.map((c) => this.classNames[c]) });
  }

  /** Float32 pixels of the examples at `positions`, [n·H·W·C], scaled to [0, 1] for uint8 storage unless raw. */
  pixelsAt(positions: ArrayLike<number>, raw = false): Float32Array {
    const p = this.pixelsPerImage;
    const out = new Float32Array(positions.length * p);
    const scale = this.images instanceof Uint8Array && !raw ? 1 / 255 : 1;
    for (let k = 0; k < positions.length; k++) {
      const src = this.images.subarray(positions[k] * p, (positions[k] + 1) * p);
      if (scale === 1) out.set(src, k * p);
      else for (let j = 0, o = k * p; j < p; j++) out[o + j] = src[j] * scale;
    }
    return out;
  }

  /** Tensors for the examples at `positions` (one float32 copy of just those images). */
  tensorsAt(positions: ArrayLike<number>, options: TensorOptions = {}): { xs: tf.Tensor4D; ys: tf.Tensor } {
    const n = positions.length;
    const xs = tf.tensor4d(this.pixelsAt(positions, options.raw), [n, this.height, this.width, this.channels], 'float32');
    let ys: tf.Tensor;
    if (options.oneHot ?? true) {
      const hot = new Float32Array(n * this.numClasses);
      for (let k = 0; k < n; k++) hot[k * this.numClasses + this.labels[positions[k]]] = 1;
      ys = tf.tensor2d(hot, [n, this.numClasses], 'float32');
    } else {
      ys = tf.tensor1d(Int32Array.from({ length: n }, (_, k) => this.labels[positions[k]]), 'int32');
    }
    return { xs, ys };
  }

  /** The whole dataset as tensors (xs float32 [N, H, W, C]); prefer `batches` for large sets. */
  toTensors(options: TensorOptions = {}): { xs: tf.Tensor4D; ys: tf.Tensor } {
    return this.tensorsAt(Uint32Array.from({ length: this.size }, (_, i) => i), options);
  }

  /** Number of batches per epoch. */
  numBatches(batchSize: number, dropRemainder = false): number {
    checkPositiveInt(batchSize, 'batchSize');
    return dropRemainder ? Math.floor(this.size / batchSize) : Math.ceil(this.size / batchSize);
  }

  /**
   * The order an epoch visits the examples in: 0…N-1, or with `shuffle` the permutation seeded by
   * deriveSeed(seed, epoch). Exposed so a trainer can checkpoint its position inside an epoch.
   */
  epochOrder(options: Pick<BatchOptions, 'shuffle' | 'seed' | 'epoch'> = {}): Uint32Array {
    if (!options.shuffle) return Uint32Array.from({ length: this.size }, (_, i) => i);
    if (options.seed === undefined) {
      throw new Error(`${this.name}.batches: shuffle needs an explicit integer seed, got none`);
    }
    const epoch = options.epoch ?? 0;
    if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`epoch: expected a non-negative integer, got ${epoch}`);
    return permutation(this.size, deriveSeed(options.seed, epoch));
  }

  /**
   * Yields the epoch's batches one at a time; each batch's tensors are created when it is yielded and
   * belong to the caller. Stop early with `break` without leaking: nothing is pre-built.
   */
  *batches(batchSize: number, options: BatchOptions = {}): Generator<Batch> {
    const nb = this.numBatches(batchSize, options.dropRemainder);
    const order = this.epochOrder(options);
    for (let b = 0; b < nb; b++) {
      const indices = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, this.size));
      const { xs, ys } = this.tensorsAt(indices, options);
      yield { xs, ys, indices, dispose: () => tf.dispose([xs, ys]) };
    }
  }
}

/** A dataset's fixed train and test parts, with where they came from. */
export interface TrainTestSplit {
  /** 'mnist', 'fashion-mnist' or the directory's base name. */
  name: string;
  train: ImageDataset;
  test: ImageDataset;
  /** Held out of the training set for per-epoch validation (disjoint from train), when one was carved. */
  validation?: ImageDataset;
  /** Where the data came from (embedded package or directory) and which split, for result files. */
  source: string;
}
