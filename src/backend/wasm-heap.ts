/**
 * Access to the wasm backend from inside a kernel: running its registered kernels by name and reading or
 * writing tensor memory on the wasm heap. BackendWasm is not part of tfjs's public types, hence the
 * structural interface.
 */
import * as tf from '@tensorflow/tfjs';

/** The BackendWasm methods our kernels use. */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.TypedArray): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): tf.TypedArray;
  disposeData(dataId: tf.DataId): boolean;
}

/** Runs the wasm backend's kernel `name`; the caller disposes the result (`backend.disposeData`). */
export function runWasmKernel(name: string, inputs: tf.NamedTensorInfoMap, backend: WasmBackendLike, attrs: object): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`qkc wasm kernels: need the wasm '${name}' kernel, which is not registered`);
  return kernel.kernelFunc({ inputs, backend: backend as unknown as tf.KernelBackend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
}

/**
 * A float32 view of a tensor's heap memory. Take views only after the last `makeOutput` of a kernel:
 * allocating can grow the wasm memory, which detaches earlier views.
 */
export function heapF32(backend: WasmBackendLike, t: tf.TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(t);
  if (!(view instanceof Float32Array)) throw new Error(`qkc wasm kernels: expected a float32 tensor, got dtype '${t.dtype}'`);
  return view;
}

/**
 * The values of a float32 tensor as a Float32Array: on wasm a view of its heap memory (no copy; valid until
 * the next tensor allocation, so read it at once), elsewhere `dataSync()`'s copy.
 */
export function readF32(t: tf.Tensor): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`readF32: expected a float32 tensor, got dtype '${t.dtype}'`);
  if (tf.getBackend() === 'wasm') {
    const view = (tf.backend() as unknown as WasmBackendLike).typedArrayFromHeap(t as unknown as tf.TensorInfo);
    if (view instanceof Float32Array) return view;
  }
  return t.dataSync() as Float32Array;
}

/** Throws unless every named input is float32 (the only dtype these gradient kernels compute in). */
export function requireFloat32(kernelName: string, inputs: Record<string, tf.TensorInfo>): void {
  for (const [name, t] of Object.entries(inputs)) {
    if (t.dtype !== 'float32') throw new Error(`${kernelName} (qkc, wasm): input '${name}' must be float32, got '${t.dtype}'`);
  }
}
