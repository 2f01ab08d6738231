/**
 * The filter gradient of conv2d for the wasm backend. tfjs-backend-wasm 4.22 registers no
 * 'Conv2DBackpropFilter' kernel, so no model with a trainable tf.layers.conv2d can train on wasm
 * (see /work/shared/notes/tfjs-wasm-conv2d-grad.md). This kernel fills the gap with kernels wasm does
 * have, keeping the work in XNNPACK: im2col as a Conv2D with an identity filter (output channel k of
 * the patch tensor is window value k in (row, column, channel) order), then one BatchMatMul:
 *   dW[kh·kw·C, F] = patchesᵀ [K, M] · dy [M, F],   M = batch · outHeight · outWidth.
 */
import * as tf from '@tensorflow/tfjs';

/** The wasm backend's methods this kernel uses (not in tfjs's public KernelBackend type). */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  disposeData(dataId: tf.DataId): boolean;
}

interface BackpropFilterAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** Runs a registered wasm kernel by name. */
function run(name: string, inputs: tf.NamedTensorInfoMap, backend: unknown, attrs: Record<string, unknown>): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`Conv2DBackpropFilter (wasm): needs the wasm '${name}' kernel, which is not registered`);
  return kernel.kernelFunc({ inputs, backend: backend as tf.KernelBackend, attrs: attrs as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
}

/** dW of conv2d (NHWC, dilation 1) from the input x and the output gradient dy. */
function conv2dBackpropFilter({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as BackpropFilterAttrs;
  if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter (wasm): only dataFormat 'NHWC' is supported, got '${dataFormat}'`);
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') throw new Error(`Conv2DBackpropFilter (wasm): expected float32 x and dy, got ${x.dtype} and ${dy.dtype}`);
  const b = backend as WasmBackendLike;
  const [kh, kw, c, f] = filterShape;
  const k = kh * kw * c;
  // Identity filter [kh, kw, C, K]: flat index ((i·kw + j)·C + ch)·K + k' is 1 iff k' = (i·kw + j)·C + ch,
  // i.e. the K×K identity matrix laid out as [kh, kw, C, K].
  const eye = b.makeOutput([kh, kw, c, k], 'float32');
  const eyeValues = b.typedArrayFromHeap(eye);
  eyeValues.fill(0);
  for (let i = 0; i < k; i++) eyeValues[i * k + i] = 1;
  const temps: tf.TensorInfo[] = [eye];
  try {
    const patches = run('Conv2D', { x, filter: eye }, backend, { strides, pad, dataFormat: 'NHWC', dilations: 1, dimRoundingMode });
    temps.push(patches);
    const m = patches.shape[0] * patches.shape[1] * patches.shape[2];
    if (dy.shape[0] * dy.shape[1] * dy.shape[2] !== m || dy.shape[3] !== f) {
      throw new Error(`Conv2DBackpropFilter (wasm): dy has shape [${dy.shape}], expected [${patches.shape.slice(0, 3)}, ${f}] for x [${x.shape}] and filter [${filterShape}]`);
    }
    const a = run('Reshape', { x: patches }, backend, { shape: [1, m, k] });
    temps.push(a);
    const g = run('Reshape', { x: dy }, backend, { shape: [1, m, f] });
    temps.push(g);
    const product = run('BatchMatMul', { a, b: g }, backend, { transposeA: true, transposeB: false });
    temps.push(product);
    return run('Reshape', { x: product }, backend, { shape: [...filterShape] });
  } finally {
    for (const t of temps) b.disposeData(t.dataId);
  }
}

/**
 * Registers the kernel for 'wasm' unless one exists (a later tfjs may ship its own); returns true when it
 * registered. Safe to call before or after the wasm backend is initialised, and more than once.
 */
export function registerWasmConv2dBackpropFilter(): boolean {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') != null) return false;
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc });
  return true;
}
