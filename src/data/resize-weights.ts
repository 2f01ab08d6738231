/**
 * Resizing as linear maps. Both methods are separable, so resizing an image is W_h · image · W_wᵀ with
 * one small [out, in] matrix per axis; the typed-array and the tensor code share these matrices (and on
 * wasm a matMul is far cheaper than gathers).
 */

/** 'area': each output pixel is the mean of the input area it covers (fractional edges weighted);
 *  'bilinear': half-pixel-centre bilinear sampling, as tf.image.resizeBilinear(x, size, false, true). */
export type ResizeMethod = 'area' | 'bilinear';

/** Output height and width; a single number means a square. */
export type ImageSize = number | readonly [number, number];

/** Normalises an `ImageSize` to [h, w], checking both are positive integers. */
export function toHW(size: ImageSize, argName: string): [number, number] {
  const hw: [number, number] = typeof size === 'number' ? [size, size] : [size[0], size[1]];
  if (!hw.every((v) => Number.isInteger(v) && v > 0) || (typeof size !== 'number' && size.length !== 2)) {
    throw new Error(`${argName}: expected a positive integer or [height, width], got ${JSON.stringify(size)}`);
  }
  return hw;
}

/**
 * The [outSize, inSize] row-major matrix taking a line of `inSize` pixels to `outSize` pixels.
 * Area: output i covers [i·s, (i+1)·s) with s = in/out; input pixel a gets weight overlap/s.
 * Bilinear: output i samples at x = (i + ½)·s − ½, between floor(x) and ceil(x) clamped to the image.
 * Every row sums to 1, so constant images stay constant.
 */
export function resizeWeights(inSize: number, outSize: number, method: ResizeMethod = 'area'): Float32Array {
  if (!Number.isInteger(inSize) || inSize <= 0) throw new Error(`resize: input size must be a positive integer, got ${inSize}`);
  if (!Number.isInteger(outSize) || outSize <= 0) throw new Error(`resize: output size must be a positive integer, got ${outSize}`);
  const w = new Float64Array(outSize * inSize);
  const s = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    if (method === 'area') {
      const start = i * s;
      const end = (i + 1) * s;
      for (let a = Math.floor(start); a < Math.min(inSize, Math.ceil(end)); a++) {
        const overlap = Math.min(end, a + 1) - Math.max(start, a);
        if (overlap > 0) w[i * inSize + a] = overlap / s;
      }
    } else if (method === 'bilinear') {
      const x = (i + 0.5) * s - 0.5;
      const lo = Math.max(0, Math.floor(x));
      const hi = Math.min(inSize - 1, Math.ceil(x));
      const frac = x - Math.floor(x);
      w[i * inSize + lo] += 1 - frac;
      w[i * inSize + hi] += frac;
    } else {
      throw new Error(`resize method: expected 'area' or 'bilinear', got '${method as string}'`);
    }
  }
  return Float32Array.from(w);
}
