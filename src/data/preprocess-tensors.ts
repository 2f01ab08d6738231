/**
 * Preprocessing as differentiable tf ops on image batches [N, H, W, 1], for the classical front of the
 * hybrid models (normalise, standardise, crop, pad, resize). Same maths as preprocess-arrays.ts.
 */
import { tf } from '../backend';
import { ImageSize, ResizeMethod, resizeWeights, toHW } from './resize-weights';

function checkBatch(x: tf.Tensor, fn: string): asserts x is tf.Tensor4D {
  if (x.rank !== 4 || x.shape[3] !== 1) {
    throw new Error(`${fn}(x): expected a batch of grayscale images [N, H, W, 1], got shape [${x.shape.join(', ')}]`);
  }
}

/** x / scale (default 255): raw pixel values to [0, 1]. */
export function normalizePixels(x: tf.Tensor4D, scale = 255): tf.Tensor4D {
  if (!(scale > 0)) throw new Error(`normalizePixels(scale): expected a positive number, got ${scale}`);
  return tf.tidy(() => tf.div(tf.cast(x, 'float32'), scale));
}

/** (x − mean) / std, with mean and std taken from the training set (see `pixelStats`). */
export function standardizePixels(x: tf.Tensor4D, mean: number, std: number): tf.Tensor4D {
  if (!(std > 0)) throw new Error(`standardizePixels(std): expected a positive number, got ${std}`);
  return tf.tidy(() => tf.div(tf.sub(x, mean), std));
}

/** The centred [h, w] window of every image (offset floor((H−h)/2), floor((W−w)/2)). */
export function cropImages(x: tf.Tensor4D, size: ImageSize): tf.Tensor4D {
  checkBatch(x, 'cropImages');
  const [, H, W] = x.shape;
  const [h, w] = toHW(size, 'cropImages(size)');
  if (h > H || w > W) throw new Error(`cropImages(size): expected at most ${H}×${W}, got ${h}×${w}`);
  return tf.slice(x, [0, Math.floor((H - h) / 2), Math.floor((W - w) / 2), 0], [-1, h, w, 1]);
}

/** Every image framed by `pad` pixels of `value` on each side. */
export function padImages(x: tf.Tensor4D, pad: number, value = 0): tf.Tensor4D {
  checkBatch(x, 'padImages');
  if (!Number.isInteger(pad) || pad < 0) throw new Error(`padImages(pad): expected a non-negative integer, got ${pad}`);
  return tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]], value);
}

/**
 * Resizes every image to `size` by area averaging (default) or bilinear sampling (half-pixel centres).
 * Area with an integer factor is an average pool; otherwise two matrix products with the separable
 * weights of `resizeWeights` (matMul is the fast path on wasm).
 */
export function resizeImages(x: tf.Tensor4D, size: ImageSize, method: ResizeMethod = 'area'): tf.Tensor4D {
  checkBatch(x, 'resizeImages');
  const [n, H, W] = x.shape;
  const [h, w] = toHW(size, 'resizeImages(size)');
  if (h === H && w === W) return x.clone();
  if (method === 'area' && H % h === 0 && W % w === 0) {
    return tf.avgPool(x, [H / h, W / w], [H / h, W / w], 'valid');
  }
  return tf.tidy(() => {
    const ww = tf.tensor2d(resizeWeights(W, w, method), [w, W]);
    const wh = tf.tensor3d(resizeWeights(H, h, method), [1, h, H]);
    const cols = tf.matMul(tf.reshape(x, [n * H, W]), ww, false, true); // [n·H, w]
    const both = tf.matMul(wh, tf.reshape(cols, [n, H, w])); // [1, h, H] × [n, H, w] → [n, h, w]
    return tf.reshape(both, [n, h, w, 1]);
  });
}
