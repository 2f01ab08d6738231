/**
 * Faster stand-ins for wasm kernels, switched by `useWasmFastGrads` (the exact ones, which keep the shipped
 * kernels' bits, are in wasm-exact-kernels.ts). Two gradient kernels that tfjs-backend-wasm 4.22 ships as plain
 * scalar C++ loops dominated the backward pass of our small CNN heads (issue 14 item 4; bench/classical-step.ts):
 *  - Conv2DBackpropInput at stride 1 (the input gradient of a 3×3 'same' head conv): computed in XNNPACK as
 *    the forward wasm Conv2D of dy, padded, with the filter flipped and its in/out channels swapped (a
 *    transposed convolution). At larger strides dy would first be spread with zeros (the code does it), which
 *    measured slower than the shipped loop on our shapes, so strides > 1 stay with the shipped kernel (a JS
 *    window loop with the shipped kernel's bits measured no faster: 75 µs CPU on the 2×2/2 first layer's shape);
 *  - MaxPoolGrad: one pass over the windows in JS on the wasm heap (the first maximum of a window takes the
 *    gradient, as tfjs's cpu backend and the shipped kernel do).
 * Shapes or dtypes they do not cover go to the shipped kernel. The shipped MaxPoolGrad also sends the
 * gradient of a window whose values are all negative to the window's first element instead of its maximum
 * (found while checking ours against the cpu backend); after a ReLU, as in our models, no window is negative.
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, runWasmKernel, type WasmBackendLike } from './wasm-heap';
import { addSmallBias, avgPool2x2, castShared, identityShared, sumLeadingAxes, type Fallback } from './wasm-exact-kernels';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };


/**
 * dyS[n, t, u, f] = dy[n, p, q, f] at t = p·sh + kh − 1 − top, u = q·sw + kw − 1 − left (zero elsewhere),
 * over [N, H + kh − 1, W + kw − 1, F]: then dx = valid conv(dyS, flipped filter). Taps that land outside
 * (windows wholly in the padding) reach no input pixel and are dropped.
 */
function spreadPad(dy: Float32Array, info: tf.backend_util.Conv2DInfo, out: Float32Array, hs: number, ws: number): void {
  const { batchSize: n1, outHeight, outWidth, outChannels: f1, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  out.fill(0);
  for (let n = 0; n < n1; n++) {
    for (let p = 0; p < outHeight; p++) {
      const t = p * sh + kh - 1 - top;
      if (t < 0 || t >= hs) continue;
      for (let q = 0; q < outWidth; q++) {
        const u = q * sw + kw - 1 - left;
        if (u < 0 || u >= ws) continue;
        const src = ((n * outHeight + p) * outWidth + q) * f1, dst = ((n * hs + t) * ws + u) * f1;
        for (let f = 0; f < f1; f++) out[dst + f] = dy[src + f]; // a loop: subarray views cost more at 16 channels
      }
    }
  }
}

/** wf[i, j, f, c] = w[kh − 1 − i, kw − 1 − j, c, f]: the filter of the transposed convolution. */
function flipFilter(w: Float32Array, [kh, kw, c1, f1]: number[], out: Float32Array): void {
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const src = ((kh - 1 - i) * kw + (kw - 1 - j)) * c1 * f1;
      const dst = (i * kw + j) * f1 * c1;
      for (let c = 0; c < c1; c++) for (let f = 0; f < f1; f++) out[dst + f * c1 + c] = w[src + c * f1 + f];
    }
  }
}

/** The attributes tfjs passes to Conv2DBackpropInput. */
interface Conv2DBackpropInputAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** Conv2DBackpropInput through XNNPACK; `shipped` handles what this does not (NCHW, non-float32). */
export function conv2dBackpropInputFast(shipped: Fallback) {
  return (args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    const unitStride = attrs.strides === 1 || (Array.isArray(attrs.strides) && attrs.strides.every((v) => v === 1));
    if (!unitStride || attrs.dataFormat !== 'NHWC' || dy.dtype !== 'float32' || filter.dtype !== 'float32' || dy.shape.some((d) => d === 0)) return shipped(args);
    const backend = args.backend as WasmBackendLike;
    const info = tf.backend_util.computeConv2DInfo(attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1,
      attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
    if (dy.shape.length !== 4 || dy.shape.some((d, i) => d !== info.outShape[i])) return shipped(args); // the shipped kernel's own error
    const [, h1, w1] = attrs.inputShape;
    const hs = h1 + info.filterHeight - 1, ws = w1 + info.filterWidth - 1;
    const dyS = backend.makeOutput([info.batchSize, hs, ws, info.outChannels], 'float32');
    const wf = backend.makeOutput([info.filterHeight, info.filterWidth, info.outChannels, info.inChannels], 'float32');
    try {
      spreadPad(heapF32(backend, dy), info, heapF32(backend, dyS), hs, ws);
      flipFilter(heapF32(backend, filter), filter.shape, heapF32(backend, wf));
      return runWasmKernel('Conv2D', { x: dyS, filter: wf }, backend, { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 });
    } finally {
      backend.disposeData(dyS.dataId);
      backend.disposeData(wf.dataId);
    }
  };
}

/** The attributes tfjs passes to MaxPoolGrad. */
interface MaxPoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * out[argmax of each window and channel] += dy over the windows in order (n, p, q), the first maximum in the
 * window's row-major scan taking the gradient (as tfjs's cpu backend does); `out` starts at zero. Channels
 * are the inner loop over one window's positions: no per-window scratch to reset, which cost 4× the time.
 */
function maxPoolGradLoop(x: Float32Array, g: Float32Array, out: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize: n1, inHeight: h1, inWidth: w1, inChannels: c1, outHeight, outWidth, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const rowStride = w1 * c1;
  for (let n = 0; n < n1; n++) {
    for (let p = 0; p < outHeight; p++) {
      const hLo = Math.max(0, p * sh - top), hHi = Math.min(h1, p * sh - top + kh);
      for (let q = 0; q < outWidth; q++) {
        const wLo = Math.max(0, q * sw - left), wHi = Math.min(w1, q * sw - left + kw);
        const first = ((n * h1 + hLo) * w1 + wLo) * c1, gBase = ((n * outHeight + p) * outWidth + q) * c1;
        for (let c = 0; c < c1; c++) {
          let best = -Infinity, at = -1;
          for (let h = hLo, row = first + c; h < hHi; h++, row += rowStride) {
            for (let w = wLo, i = row; w < wHi; w++, i += c1) {
              const v = x[i];
              if (v > best) { best = v; at = i; }
            }
          }
          if (at >= 0) out[at] += g[gBase + c];
        }
      }
    }
  }
}

/** MaxPoolGrad in one JS pass over the windows; `shipped` handles non-float32 inputs. */
export function maxPoolGradFast(shipped: Fallback) {
  return (args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    if (dy.dtype !== 'float32' || input.dtype !== 'float32' || input.shape.length !== 4) return shipped(args);
    const attrs = args.attrs as unknown as MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1,
      attrs.pad, attrs.dimRoundingMode);
    if (dy.shape.length !== 4 || dy.shape.some((d, i) => d !== info.outShape[i])) return shipped(args);
    const backend = args.backend as WasmBackendLike;
    const dx = backend.makeOutput([...input.shape], 'float32');
    const out = heapF32(backend, dx), x = heapF32(backend, input), g = heapF32(backend, dy);
    out.fill(0);
    maxPoolGradLoop(x, g, out, info);
    return dx;
  };
}

/** One stand-in: an id to switch it by, the kernel it serves, and how it wraps the next kernel of the chain. */
interface StandIn { id: string; kernel: string; make: (next: Fallback) => Fallback }

/**
 * Every stand-in, in chain order per kernel (the first listed is tried first). The exact ones (Identity, Cast,
 * Sum, AvgPool, Add) keep the shipped kernels' bits; Conv2DBackpropInput (stride 1) sums in another order, and MaxPoolGrad
 * routes all-negative windows as the cpu backend does.
 */
const STAND_INS: readonly StandIn[] = [
  { id: 'Conv2DBackpropInput', kernel: 'Conv2DBackpropInput', make: conv2dBackpropInputFast },
  { id: 'MaxPoolGrad', kernel: 'MaxPoolGrad', make: maxPoolGradFast },
  { id: 'Identity', kernel: 'Identity', make: identityShared },
  { id: 'Cast', kernel: 'Cast', make: castShared },
  { id: 'Sum', kernel: 'Sum', make: sumLeadingAxes },
  { id: 'AvgPool', kernel: 'AvgPool', make: avgPool2x2 },
  { id: 'Add', kernel: 'Add', make: addSmallBias },
];
/** The shipped kernels ours stand in for, kept to fall back on and to switch back. */
const shippedKernels = new Map<string, tf.KernelConfig>();
/** The stand-ins switched on, and per kernel the chain function registered now. */
const enabledIds = new Set<string>();
const registered = new Map<string, { ids: string; kernelFunc: tf.KernelFunc }>();

/** The ids `useWasmFastGrads` switches (default: all of them). */
export const WASM_STAND_INS: readonly string[] = STAND_INS.map((s) => s.id);
/** The kernel names `useWasmFastGrads` replaces. */
export const WASM_FAST_GRADS: readonly string[] = [...new Set(STAND_INS.map((s) => s.kernel))];

/**
 * Puts our stand-ins in place of the shipped wasm kernels (`enabled`, the default that `ready()` applies)
 * or the shipped ones back (false: for A/B benches and tests), for the stand-ins `ids` (default all, see
 * WASM_STAND_INS). Returns the kernel names whose registration changed. Never touches other backends.
 */
export function useWasmFastGrads(enabled = true, ids: readonly string[] = WASM_STAND_INS): string[] {
  const unknown = ids.filter((id) => !WASM_STAND_INS.includes(id));
  if (unknown.length) throw new Error(`useWasmFastGrads: ids: unknown stand-in(s) ${unknown.join(', ')}; expected some of ${WASM_STAND_INS.join(', ')}`);
  const switched: string[] = [];
  for (const name of WASM_FAST_GRADS) {
    const mine = STAND_INS.filter((s) => s.kernel === name);
    for (const s of mine) if (ids.includes(s.id)) (enabled ? enabledIds.add(s.id) : enabledIds.delete(s.id));
    const active = mine.filter((s) => enabledIds.has(s.id));
    const current = tf.getKernel(name, 'wasm');
    if (!current) continue; // a tfjs without this kernel: nothing to speed up
    if (!shippedKernels.has(name)) shippedKernels.set(name, current);
    const shipped = shippedKernels.get(name)!;
    const key = active.map((s) => s.id).join();
    const mineNow = registered.get(name);
    const inPlace = active.length === 0 ? current.kernelFunc === shipped.kernelFunc : mineNow?.ids === key && current.kernelFunc === mineNow.kernelFunc;
    if (inPlace) continue;
    let chain = shipped.kernelFunc as unknown as Fallback;
    for (const s of [...active].reverse()) chain = s.make(chain);
    const kernelFunc = chain as unknown as tf.KernelFunc;
    registered.set(name, { ids: key, kernelFunc });
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...shipped, kernelFunc, setupFunc: undefined, disposeFunc: undefined }); // set up once already
    switched.push(name);
  }
  return switched;
}
