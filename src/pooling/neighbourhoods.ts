/**
 * The functional core of the QuantumPooling layer: per-channel neighbourhoods of a feature map as rows of
 * circuit inputs and the squashing of values into the encoding's range.
 */
import { tf } from '../backend';
import { WindowSpec, extractPatches } from '../qkc';

/** How values reach the encoding RY(s·v): as they are ('none'), through a sigmoid, or clipped to [0, 1]. */
export type Squash = 'none' | 'sigmoid' | 'clip';
/** Accepted squash modes. */
export const SQUASHES: readonly Squash[] = ['none', 'sigmoid', 'clip'];

/** Applies a squash mode (differentiable; 'clip' has zero gradient outside [0, 1]). */
export function squashValues(x: tf.Tensor4D, squash: Squash): tf.Tensor4D {
  if (squash === 'sigmoid') return tf.sigmoid(x);
  if (squash === 'clip') return tf.clipByValue(x, 0, 1);
  return x;
}

/**
 * Rows [batch·H'·W'·C, kh·kw]: the kh×kw neighbourhood of every output position and channel, rows in
 * (sample, row, column, channel) order and values in row-major (row, column) order. Differentiable w.r.t. x.
 */
export function neighbourhoodRows(x: tf.Tensor4D, window: WindowSpec): tf.Tensor2D {
  const [kh, kw] = window.kernelSize;
  const channels = x.shape[3];
  return tf.tidy(() => {
    const p = extractPatches(x, window); // [b, H', W', kh·kw·C] in (row, column, channel) order
    const [b, h, w] = p.shape;
    const split = tf.reshape(p, [b, h, w, kh * kw, channels]);
    return tf.reshape(tf.transpose(split, [0, 1, 2, 4, 3]), [b * h * w * channels, kh * kw]) as tf.Tensor2D;
  });
}
