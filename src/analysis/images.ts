/**
 * Images for the analyses: a tensor [N, H, W, C] (labels optional) or an ImageDataset, visited in chunks
 * so that at most one chunk of input tensors (and of the states made from it) exists at a time.
 */
import { tf } from '../backend';
import { ImageDataset } from '../data';

/** What the analyses accept as images: a tensor [N, H, W, C] (not disposed by us) or a dataset (pixels scaled to [0, 1]). */
export type AnalysisImages = tf.Tensor4D | ImageDataset;

/** One chunk of images: tensor [count, H, W, C] owned by the iterator (disposed when the next chunk is requested). */
export interface ImageChunk {
  x: tf.Tensor4D;
  /** Index of the chunk's first image in the whole input. */
  offset: number;
  count: number;
}

/** Checks the argument and returns the number of images and the image shape [H, W, C]. */
export function describeImages(images: AnalysisImages, fn: string): { count: number; shape: [number, number, number] } {
  if (images instanceof ImageDataset) return { count: images.size, shape: [images.height, images.width, 1] };
  if (images instanceof tf.Tensor) {
    if (images.rank !== 4) throw new Error(`${fn}(images): expected a tensor [N, height, width, channels], got shape [${images.shape.join(', ')}]`);
    if (images.isDisposed) throw new Error(`${fn}(images): the tensor is disposed`);
    const [n, h, w, c] = images.shape;
    return { count: n, shape: [h, w, c] };
  }
  throw new Error(`${fn}(images): expected a tf.Tensor4D [N, H, W, C] or an ImageDataset, got ${images === null ? 'null' : typeof images}`);
}

/** Class labels: the dataset's, else `labels` (checked against the image count), else null. */
export function imageLabels(images: AnalysisImages, labels: ArrayLike<number> | undefined, fn: string): number[] | null {
  const { count } = describeImages(images, fn);
  const given = labels ?? (images instanceof ImageDataset ? images.labels : undefined);
  if (given === undefined) return null;
  if (given.length !== count) throw new Error(`${fn}(labels): expected ${count} labels (one per image), got ${given.length}`);
  const out = Array.from(given, Number);
  const bad = out.findIndex((v) => !Number.isInteger(v) || v < 0);
  if (bad >= 0) throw new Error(`${fn}(labels): expected non-negative integer class labels, got ${out[bad]} at index ${bad}`);
  return out;
}

/** A positive integer option, or an error naming it. */
export function positiveIntOption(v: unknown, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${name}: expected a positive integer, got ${String(v)}`);
  return v;
}

/** Yields the images in chunks of `chunkSize`; each chunk's tensor is disposed when the next one is requested or the loop ends. */
export function* imageChunks(images: AnalysisImages, chunkSize: number, fn: string): Generator<ImageChunk> {
  const { count } = describeImages(images, fn);
  for (let offset = 0; offset < count; offset += chunkSize) {
    const n = Math.min(chunkSize, count - offset);
    let x: tf.Tensor4D;
    if (images instanceof ImageDataset) {
      const t = images.tensorsAt(Uint32Array.from({ length: n }, (_, i) => offset + i), { oneHot: false });
      t.ys.dispose();
      x = t.xs;
    } else {
      x = tf.slice(images, [offset, 0, 0, 0], [n, -1, -1, -1]);
    }
    try {
      yield { x, offset, count: n };
    } finally {
      x.dispose();
    }
  }
}

/** Pixels of image `index` as a plain array [H·W] (first channel), for overlays in figures. */
export function imagePixels(images: AnalysisImages, index: number): number[] {
  if (images instanceof ImageDataset) return Array.from(images.pixelsAt([index]));
  return tf.tidy(() => Array.from(tf.slice(images, [index, 0, 0, 0], [1, -1, -1, 1]).dataSync()));
}
