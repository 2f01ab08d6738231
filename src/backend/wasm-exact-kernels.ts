/**
 * Stand-ins for shipped tfjs-backend-wasm 4.22 kernels that give the same float32 bits with less work
 * (issue 14 item 4; bench/classical-step.ts). Training numerics stay as they were: each one either moves no
 * value at all or performs the shipped kernel's float32 operations in the shipped kernel's order.
 *  - Identity and same-dtype Cast share the input's memory (reference counted, as the wasm Reshape and the
 *    cpu backend's Identity do) instead of copying it: tfjs clones every tensor it keeps for a backward
 *    pass (~40 copies per control-small step). Nothing in qkc writes into an existing tensor's memory.
 *  - Sum over leading axes (the bias gradients, [N, H, W, C] → [C]): one pass in memory order, each channel
 *    accumulated in float32 from 0 in the order (n, h, w), which is the order the shipped kernel sums in after
 *    it has transposed the reduced axes innermost; the transpose (a copy) is skipped.
 *  - AvgPool 2×2 at stride 2, 'valid' (the 28 → 14 area resize of the zoo's fronts): ((x00 + x10) + (x01 + x11))·¼,
 *    the pairing of XNNPACK's 9-input average-pooling kernel (its indirection runs down a window's columns
 *    first; the row-first pairing and a running sum each differed from it on ~40 % of random inputs in a
 *    check, this pairing on none), without XNNPACK's per-call operator set-up for one channel. Equal for
 *    finite inputs (XNNPACK's output clamp may turn a NaN into −∞; ours keeps it NaN).
 *  - Add of a bias of at most 4 channels to a large tensor ([N, H, W, C] + [C], the unfused conv + bias + ReLU
 *    of a training step): one pass of float32 a + b, where XNNPACK's broadcasting add runs its kernel once per
 *    row of C values (at C = 4 on [32, 26, 26, 4]: 340 µs against 80 µs; from C = 7 no faster, so left to it).
 *    Equal for finite inputs, as the average pool.
 * Anything else goes to the next kernel in the chain (`next`).
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, type WasmBackendLike } from './wasm-heap';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };
/** A kernel function to fall back on. */
export type Fallback = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];
type RefCounting = WasmBackendLike & { incRef(dataId: tf.DataId): void };

/** The input itself under a new reference: what a copy would hold, without copying. */
function alias(backend: RefCounting, x: tf.TensorInfo): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}

/** Identity without a copy (strings go to `next`). */
export function identityShared(next: Fallback): Fallback {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    return x.dtype === 'string' ? next(args) : alias(args.backend as RefCounting, x);
  };
}

/** Cast to the dtype the tensor already has, without a copy; real conversions go to `next`. */
export function castShared(next: Fallback): Fallback {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { dtype } = args.attrs as { dtype: tf.DataType };
    return dtype === x.dtype && dtype !== 'string' ? alias(args.backend as RefCounting, x) : next(args);
  };
}

/** Sum of a float32 tensor over its leading axes given as [0, 1, …, k−1] (k < rank) in one pass; other reductions go to `next`. */
export function sumLeadingAxes(next: Fallback): Fallback {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    if (x.dtype !== 'float32') return next(args);
    // In the order given: the shipped kernel sums the reduced axes in that order (outermost first).
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const k = axes.length;
    if (k === 0 || k >= x.shape.length || axes.some((a, i) => a !== i) || x.shape.some((d) => d === 0)) return next(args);
    const inner = tf.util.sizeFromShape(x.shape.slice(k));
    const outer = tf.util.sizeFromShape(x.shape.slice(0, k));
    const backend = args.backend as WasmBackendLike;
    const out = backend.makeOutput(keepDims ? x.shape.map((d, i) => (i < k ? 1 : d)) : x.shape.slice(k), 'float32');
    const acc = heapF32(backend, out), xv = heapF32(backend, x);
    acc.fill(0);
    // A Float32Array element rounds every partial sum to float32, as the shipped kernel's `float sum` does.
    for (let o = 0, base = 0; o < outer; o++, base += inner) {
      for (let c = 0; c < inner; c++) acc[c] += xv[base + c];
    }
    return out;
  };
}

/** The attributes tfjs passes to AvgPool. */
interface AvgPoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const isTwo = (v: number | [number, number]) => v === 2 || (Array.isArray(v) && v[0] === 2 && v[1] === 2);

/** AvgPool 2×2/2 'valid' on float32 NHWC in one pass, with XNNPACK's bits; other poolings go to `next`. */
export function avgPool2x2(next: Fallback): Fallback {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const attrs = args.attrs as unknown as AvgPoolAttrs;
    if (x.dtype !== 'float32' || x.shape.length !== 4 || !isTwo(attrs.filterSize) || !isTwo(attrs.strides) || attrs.pad !== 'valid') return next(args);
    const [n1, h1, w1, c1] = x.shape;
    const h2 = Math.floor(h1 / 2), w2 = Math.floor(w1 / 2);
    if (n1 * h2 * w2 * c1 === 0) return next(args);
    const backend = args.backend as WasmBackendLike;
    const out = backend.makeOutput([n1, h2, w2, c1], 'float32');
    const y = heapF32(backend, out), xv = heapF32(backend, x);
    const f = Math.fround, down = w1 * c1;
    let o = 0;
    for (let n = 0; n < n1; n++) {
      for (let p = 0; p < h2; p++) {
        for (let q = 0; q < w2; q++) {
          const i00 = ((n * h1 + 2 * p) * w1 + 2 * q) * c1;
          for (let c = 0; c < c1; c++, o++) {
            const a = i00 + c;
            y[o] = f(f(f(xv[a] + xv[a + down]) + f(xv[a + c1] + xv[a + down + c1])) * 0.25);
          }
        }
      }
    }
    return out;
  };
}

/** Bias adds this one takes: at most this many channels, at least this many output values. */
const BIAS_ADD_MAX_CHANNELS = 4, BIAS_ADD_MIN_SIZE = 4096;

/** True when `small`'s shape (leading 1s aside) is the trailing part of `big`'s. */
function isTrailing(small: number[], big: number[]): boolean {
  const s = small.slice(small.findIndex((d) => d !== 1) < 0 ? small.length : small.findIndex((d) => d !== 1));
  return s.length > 0 && s.length < big.length && s.every((d, i) => d === big[big.length - s.length + i]);
}

/** Add of a small trailing-dims operand (≤ 4 values) to a large float32 tensor, in one pass; other adds go to `next`. */
export function addSmallBias(next: Fallback): Fallback {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return next(args);
    const aSmall = tf.util.sizeFromShape(a.shape) < tf.util.sizeFromShape(b.shape);
    const [big, small] = aSmall ? [b, a] : [a, b];
    const inner = tf.util.sizeFromShape(small.shape), size = tf.util.sizeFromShape(big.shape);
    if (inner > BIAS_ADD_MAX_CHANNELS || size < BIAS_ADD_MIN_SIZE || !isTrailing(small.shape, big.shape)) return next(args);
    const backend = args.backend as WasmBackendLike;
    const out = backend.makeOutput(big.shape.slice(), 'float32');
    const y = heapF32(backend, out), x = heapF32(backend, big), v = heapF32(backend, small);
    // A Float32Array element rounds each sum to float32, as XNNPACK's f32 add does.
    for (let i = 0; i < size; i += inner) for (let c = 0; c < inner; c++) y[i + c] = x[i + c] + v[c];
    return out;
  };
}
