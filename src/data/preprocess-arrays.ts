/**
 * Preprocessing on flat typed arrays of images [N, H, W] (row-major), for preparing a dataset once
 * before training (the tensor versions in preprocess-tensors.ts do the same inside a model).
 */
import { ArgumentError } from '../util/errors';
import { ImageDataset, PixelArray } from './image-dataset';
import { ImageSize, ResizeMethod, resizeWeights, toHW } from './resize-weights';

/** Shape of a flat image stack. */
export interface StackShape {
  n: number;
  height: number;
  width: number;
}

function checkStack(images: PixelArray, shape: StackShape, fn: string): void {
  const { n, height, width } = shape;
  if (images.length !== n * height * width) {
    throw new Error(`${fn}(images): expected n·height·width = ${n}·${height}·${width} = ${n * height * width} pixels, got ${images.length}`);
  }
}

/** Pixels scaled to [0, 1]: uint8 bytes divided by `scale` (default 255) into a new Float32Array. */
export function normalizeArray(images: PixelArray, scale = 255): Float32Array {
  if (!(scale > 0)) throw new Error(`normalizeArray(scale): expected a positive number, got ${scale}`);
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) out[i] = images[i] / scale;
  return out;
}

/** Mean and standard deviation of all pixels (population std), e.g. of a training set. */
export function pixelStats(images: PixelArray): { mean: number; std: number } {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < images.length; i++) {
    sum += images[i];
    sq += images[i] * images[i];
  }
  const mean = sum / images.length;
  return { mean, std: Math.sqrt(Math.max(0, sq / images.length - mean * mean)) };
}

/** (x − mean) / std for every pixel, into a new Float32Array. */
export function standardizeArray(images: PixelArray, mean: number, std: number): Float32Array {
  if (!(std > 0)) throw new Error(`standardizeArray(std): expected a positive number, got ${std}`);
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) out[i] = (images[i] - mean) / std;
  return out;
}

/** Resizes every image (area averaging by default, or bilinear) into a new Float32Array [N, h, w]. */
export function resizeArray(images: PixelArray, shape: StackShape, size: ImageSize, method: ResizeMethod = 'area'): Float32Array {
  checkStack(images, shape, 'resizeArray');
  const { n, height: H, width: W } = shape;
  const [h, w] = toHW(size, 'resizeArray(size)');
  const wh = resizeWeights(H, h, method);
  const ww = resizeWeights(W, w, method);
  const out = new Float32Array(n * h * w);
  const rows = new Float64Array(h * W); // the image after resizing its rows axis only
  for (let k = 0; k < n; k++) {
    const img = k * H * W;
    rows.fill(0);
    for (let i = 0; i < h; i++) {
      for (let a = 0; a < H; a++) {
        const c = wh[i * H + a];
        if (c === 0) continue;
        for (let b = 0; b < W; b++) rows[i * W + b] += c * images[img + a * W + b];
      }
    }
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        let acc = 0;
        for (let b = 0; b < W; b++) acc += ww[j * W + b] * rows[i * W + b];
        out[k * h * w + i * w + j] = acc;
      }
    }
  }
  return out;
}

/** The centred [h, w] window of every image (offset floor((H−h)/2), floor((W−w)/2)), as a new array. */
export function cropArray<T extends PixelArray>(images: T, shape: StackShape, size: ImageSize): T {
  checkStack(images, shape, 'cropArray');
  const { n, height: H, width: W } = shape;
  const [h, w] = toHW(size, 'cropArray(size)');
  if (h > H || w > W) throw new Error(`cropArray(size): expected at most ${H}×${W}, got ${h}×${w}`);
  const top = Math.floor((H - h) / 2);
  const left = Math.floor((W - w) / 2);
  const out = (images instanceof Uint8Array ? new Uint8Array(n * h * w) : new Float32Array(n * h * w)) as T;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < h; i++) {
      const src = k * H * W + (top + i) * W + left;
      out.set(images.subarray(src, src + w), k * h * w + i * w);
    }
  }
  return out;
}

/** Every image framed by `pad` pixels of `value` on each side, as a new array [N, H+2p, W+2p]. */
export function padArray<T extends PixelArray>(images: T, shape: StackShape, pad: number, value = 0): T {
  checkStack(images, shape, 'padArray');
  if (!Number.isInteger(pad) || pad < 0) throw new Error(`padArray(pad): expected a non-negative integer, got ${pad}`);
  const { n, height: H, width: W } = shape;
  const h = H + 2 * pad;
  const w = W + 2 * pad;
  const out = (images instanceof Uint8Array ? new Uint8Array(n * h * w) : new Float32Array(n * h * w)) as T;
  out.fill(value);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < H; i++) {
      const src = k * H * W + i * W;
      out.set(images.subarray(src, src + W), k * h * w + (pad + i) * w + pad);
    }
  }
  return out;
}

/** Steps of `preprocessDataset`, applied in this order: scale to [0, 1], crop, pad, resize, standardise. */
export interface PreprocessOptions {
  /** Centre-crop to this size first. */
  crop?: ImageSize;
  /** Then pad with zeros by this many pixels per side. */
  pad?: number;
  /** Then resize to this size (e.g. 14 or 8). */
  resize?: ImageSize;
  /** Resize method (default 'area'). */
  method?: ResizeMethod;
  /** Finally (x − mean) / std, with stats taken from the training set (see `pixelStats`). */
  standardize?: { mean: number; std: number };
}

/**
 * A new dataset with preprocessed float32 pixels: uint8 pixels are first scaled to [0, 1]; labels and
 * provenance are shared with the input. Use the same options (and training-set stats) for train and test.
 */
export function preprocessDataset(dataset: ImageDataset, options: PreprocessOptions): ImageDataset {
  let pixels: Float32Array =
    dataset.images instanceof Uint8Array ? normalizeArray(dataset.images) : dataset.images;
  if (dataset.channels !== 1) throw new ArgumentError('preprocessDataset(dataset)', 'grayscale images (1 channel)', `${dataset.channels} channels (${dataset.name})`);
  let shape: StackShape = { n: dataset.size, height: dataset.height, width: dataset.width };
  if (options.crop !== undefined) {
    pixels = cropArray(pixels, shape, options.crop);
    [shape.height, shape.width] = toHW(options.crop, 'crop');
  }
  if (options.pad !== undefined) {
    pixels = padArray(pixels, shape, options.pad);
    shape = { n: shape.n, height: shape.height + 2 * options.pad, width: shape.width + 2 * options.pad };
  }
  if (options.resize !== undefined) {
    pixels = resizeArray(pixels, shape, options.resize, options.method);
    [shape.height, shape.width] = toHW(options.resize, 'resize');
  }
  if (options.standardize) pixels = standardizeArray(pixels, options.standardize.mean, options.standardize.std);
  if (pixels === dataset.images) pixels = Float32Array.from(pixels); // never alias the input's pixels
  return dataset.with({ images: pixels, height: shape.height, width: shape.width });
}
