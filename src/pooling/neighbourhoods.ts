/**
 * The functional core of the QuantumPooling layer: per-channel neighbourhoods of a feature map as rows of
 * circuit inputs, the squashing of values into the encoding's range, and the classical avg/max controls.
 */
import { tf } from '../backend';
import { WindowSpec, extractPatches } from '../qkc';

/** How values reach the encoding RY(s·v): as they are ('none'), through a sigmoid, or clipped to [0, 1]. */
export type Squash = 'none' | 'sigmoid' | 'clip';
/** Accepted squash modes. */
export const SQUASHES: readonly Squash[] = ['none', 'sigmoid', 'clip'];

/** Classical pooling controls. */
export type ClassicalPool = 'avg' | 'max';
/** Accepted classical modes. */
export const CLASSICAL_POOLS: readonly ClassicalPool[] = ['avg', 'max'];

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

/** tf.avgPool / tf.maxPool with the same window: the classical controls of the layer. */
export function classicalPool(x: tf.Tensor4D, mode: ClassicalPool, window: WindowSpec): tf.Tensor4D {
  const fn = mode === 'avg' ? tf.avgPool : tf.maxPool;
  return fn(x, window.kernelSize, window.strides, window.padding);
}
