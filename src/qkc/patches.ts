/**
 * Sliding windows as batched tensor work: `extractPatches` turns [batch, H, W, C] into
 * [batch, H', W', kh·kw·C] with each window's values in row-major (row, column, channel) order. It is a
 * conv2d with a one-hot identity kernel (im2col): one fast, differentiable op on wasm, where slicing or
 * gathering windows would be many slow ones. Shared by the quantum convolution and pooling layers.
 */
import { tf } from '../backend';
import { ArgumentError, show } from './validate';

/** How windows are placed: tf.layers.conv2d's 'valid' (inside the image) or 'same' (zero-padded). */
export type Padding = 'valid' | 'same';

/** Window geometry: kernel size and strides as [rows, cols]. */
export interface WindowSpec {
  kernelSize: [number, number];
  strides: [number, number];
  padding: Padding;
}

/** Output length along one axis (as tf.conv2d computes it). */
export function outputLength(inLength: number, kernel: number, stride: number, padding: Padding): number {
  return padding === 'same' ? Math.ceil(inLength / stride) : Math.floor((inLength - kernel) / stride) + 1;
}

/**
 * Checks an input shape [batch, H, W, C] against the window and returns the output grid [H', W'].
 * `where` names the layer in the error (e.g. "QuantumConv2D 'qconv'").
 */
export function windowGrid(inputShape: readonly (number | null)[], spec: WindowSpec, where: string): [number | null, number | null] {
  if (inputShape.length !== 4) {
    throw new ArgumentError(`${where} (input shape)`, 'rank 4 [batch, height, width, channels]', show(inputShape));
  }
  const [, h, w] = inputShape;
  const [kh, kw] = spec.kernelSize;
  const dims: Array<[number | null, number, number, string]> = [[h, kh, spec.strides[0], 'height'], [w, kw, spec.strides[1], 'width']];
  return dims.map(([len, k, s, axis]) => {
    if (len == null) return null;
    if (spec.padding === 'valid' && k > len) {
      throw new ArgumentError(`${where} (kernelSize)`, `a window no larger than the input's ${axis} ${len} (input shape ${show(inputShape)})`,
        `the ${kh}×${kw} window`, "use a smaller kernelSize or padding 'same'");
    }
    return outputLength(len, k, s, spec.padding);
  }) as [number | null, number | null];
}

/**
 * Where each window value of `extractPatches` sits in the flat input of shape [batch, H, W, C]: row r (sample,
 * window row, window column) and value i ((row, column, channel) order, the first `values` of each window) is
 * x.flat[rowBase[r] + colOffset[i]]. Undefined for padding 'same' (its windows read zeros outside the image).
 */
export function windowOffsets(shape: readonly number[], spec: WindowSpec, values: number): { rowBase: Int32Array; colOffset: Int32Array } | undefined {
  if (spec.padding !== 'valid') return undefined;
  const [b, h, w, c] = shape, [kh, kw] = spec.kernelSize, [sh, sw] = spec.strides;
  const ho = outputLength(h, kh, sh, 'valid'), wo = outputLength(w, kw, sw, 'valid');
  const rowBase = new Int32Array(b * ho * wo), colOffset = new Int32Array(values);
  for (let n = 0, r = 0; n < b; n++) for (let i = 0; i < ho; i++) for (let j = 0; j < wo; j++) rowBase[r++] = ((n * h + i * sh) * w + j * sw) * c;
  for (let k = 0; k < values; k++) {
    const ch = k % c, col = Math.floor(k / c) % kw, row = Math.floor(k / (c * kw));
    colOffset[k] = (row * w + col) * c + ch;
  }
  return { rowBase, colOffset };
}

/** The [kh, kw, C, kh·kw·C] one-hot kernel that copies window value (r, c, ch) to channel (r·kw + c)·C + ch. */
export function identityKernel(kh: number, kw: number, channels: number): tf.Tensor4D {
  const k = kh * kw * channels;
  const data = new Float32Array(k * k);
  // Row-major [r][c][ch][o] layout: entry index = ((r·kw + c)·C + ch)·K + o, set where o equals the window index.
  for (let i = 0; i < k; i++) data[i * k + i] = 1;
  return tf.tensor4d(data, [kh, kw, channels, k]);
}

/**
 * Window values [batch, H', W', kh·kw·C] in (row, column, channel) order; differentiable w.r.t. `x`.
 * Windows that tile the image (stride = window, 'valid') are a reshape and one transpose
 * ([B·H', kh, W', kw·C] → [B·H', W', kh, kw·C]): on wasm a third of the identity-kernel conv's time, whose
 * one input channel XNNPACK handles poorly. Other geometries take the conv.
 */
export function extractPatches(x: tf.Tensor4D, spec: WindowSpec): tf.Tensor4D {
  const [kh, kw] = spec.kernelSize;
  const [b, h, w, c] = x.shape;
  if (spec.padding === 'valid' && spec.strides[0] === kh && spec.strides[1] === kw && h % kh === 0 && w % kw === 0) {
    const ho = h / kh, wo = w / kw;
    return tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(x, [b * ho, kh, wo, kw * c]), [0, 2, 1, 3]), [b, ho, wo, kh * kw * c]));
  }
  return tf.tidy(() => tf.conv2d(x, identityKernel(kh, kw, c), spec.strides, spec.padding));
}
