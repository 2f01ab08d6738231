/**
 * Kept for existing callers (src/models/seeded-layers.ts): the wasm conv gradient kernels now live in
 * wasm-grad-kernels.ts and `ready()` installs them when it picks wasm. The identity-filter im2col kernel
 * that was here measured 1.1–1.7× faster than a JS loop, the transposed conv that replaced it 8–22×
 * (bench/conv-grad.ts).
 */
import { installWasmGradKernels } from './wasm-grad-kernels';

/** Installs the wasm gradient kernels (idempotent); true when this call registered Conv2DBackpropFilter. */
export function registerWasmConv2dBackpropFilter(): boolean {
  return installWasmGradKernels().includes('Conv2DBackpropFilter');
}
