/**
 * DepthwiseConv2dNativeBackpropFilter and DepthwiseConv2dNativeBackpropInput for the wasm backend, which
 * tfjs-backend-wasm 4.22 lacks both of (so tf.layers.depthwiseConv2d / separableConv2d could not train
 * on wasm). Plain loops over the wasm heap: depthwise layers are rare in our models, and the XNNPACK
 * trick of wasm-conv-grad.ts would cost C times the work here (it cannot keep channels apart).
 * Geometry, NHWC, channel multiplier M: y[n, p, q, c·M + m] = Σ_{i, j} x[n, p·sh − top + i, q·sw − left + j, c] · w[i, j, c, m].
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, requireFloat32, type WasmBackendLike } from './wasm-heap';

interface DepthwiseGradAttrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/** Conv geometry for a depthwise gradient; tfjs's own gradient supports dilation 1 only, and so do we. */
function depthwiseInfo(kernelName: string, xShape: number[], filterShape: number[], attrs: DepthwiseGradAttrs, dy: tf.TensorInfo): tf.backend_util.Conv2DInfo {
  const d = attrs.dilations ?? 1;
  if (!(d === 1 || (Array.isArray(d) && d.every((v) => v === 1)))) {
    throw new Error(`${kernelName} (qkc, wasm): dilations must be 1 (as in tfjs's depthwise gradient), got ${JSON.stringify(d)}`);
  }
  const info = tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], filterShape as [number, number, number, number],
    attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, true, 'channelsLast');
  if (dy.shape.length !== 4 || dy.shape.some((v, i) => v !== info.outShape[i])) {
    throw new Error(`${kernelName} (qkc, wasm): dy must have shape [${info.outShape}] for x [${xShape}] and filter [${filterShape}], got [${dy.shape}]`);
  }
  return info;
}

/**
 * Calls visit(dyOffset, xOffset, wOffset) for every (n, p, q, i, j) whose input pixel lies inside x:
 * the flat offsets of dy[n, p, q, 0], x[n, h, w, 0] and w[i, j, 0, 0].
 */
function forEachTap(info: tf.backend_util.Conv2DInfo, visit: (dyOff: number, xOff: number, wOff: number) => void): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  for (let n = 0; n < batchSize; n++) {
    for (let p = 0; p < outHeight; p++) {
      for (let q = 0; q < outWidth; q++) {
        const dyOff = ((n * outHeight + p) * outWidth + q) * outChannels;
        for (let i = 0; i < filterHeight; i++) {
          const h = p * strideHeight - top + i;
          if (h < 0 || h >= inHeight) continue;
          for (let j = 0; j < filterWidth; j++) {
            const w = q * strideWidth - left + j;
            if (w < 0 || w >= inWidth) continue;
            visit(dyOff, ((n * inHeight + h) * inWidth + w) * inChannels, (i * filterWidth + j) * outChannels);
          }
        }
      }
    }
  }
}

/** dW [kh, kw, C, M] = Σ x · dy over batch and output positions. */
export function depthwiseBackpropFilterWasm(args: KernelArgs): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as DepthwiseGradAttrs & { filterShape: [number, number, number, number] };
  const backend = args.backend as WasmBackendLike;
  requireFloat32('DepthwiseConv2dNativeBackpropFilter', { x, dy });
  const info = depthwiseInfo('DepthwiseConv2dNativeBackpropFilter', x.shape, attrs.filterShape, attrs, dy);
  const c1 = info.inChannels, m1 = info.outChannels / info.inChannels;
  const acc = new Float64Array(info.filterHeight * info.filterWidth * c1 * m1);
  const out = backend.makeOutput([...attrs.filterShape], 'float32');
  const xv = heapF32(backend, x), dyv = heapF32(backend, dy);
  // w[i, j, c, m] sits at wOff + c·M + m, the same offset as channel c·M + m of dy.
  forEachTap(info, (dyOff, xOff, wOff) => {
    for (let c = 0; c < c1; c++) {
      const xc = xv[xOff + c];
      if (xc === 0) continue;
      const k = c * m1;
      for (let m = 0; m < m1; m++) acc[wOff + k + m] += xc * dyv[dyOff + k + m];
    }
  });
  heapF32(backend, out).set(acc);
  return out;
}

/** dx [N, H, W, C] = Σ dy · w scattered back to the input pixels each output read. */
export function depthwiseBackpropInputWasm(args: KernelArgs): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as DepthwiseGradAttrs & { inputShape: [number, number, number, number] };
  const backend = args.backend as WasmBackendLike;
  requireFloat32('DepthwiseConv2dNativeBackpropInput', { dy, filter });
  const info = depthwiseInfo('DepthwiseConv2dNativeBackpropInput', attrs.inputShape, filter.shape, attrs, dy);
  const c1 = info.inChannels, m1 = info.outChannels / info.inChannels;
  const acc = new Float64Array(attrs.inputShape.reduce((a, b) => a * b, 1));
  const out = backend.makeOutput([...attrs.inputShape], 'float32');
  const dyv = heapF32(backend, dy), wv = heapF32(backend, filter);
  forEachTap(info, (dyOff, xOff, wOff) => {
    for (let c = 0; c < c1; c++) {
      const k = c * m1;
      let s = 0;
      for (let m = 0; m < m1; m++) s += dyv[dyOff + k + m] * wv[wOff + k + m];
      acc[xOff + c] += s;
    }
  });
  heapF32(backend, out).set(acc);
  return out;
}
