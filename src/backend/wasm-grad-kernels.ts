/**
 * Installs the gradient kernels tfjs-backend-wasm lacks, so conv2d and depthwise conv2d layers train on
 * wasm (see /work/shared/notes/tfjs-wasm-conv2d-grad.md). `ready()` calls this once when wasm is chosen.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterWasm } from './wasm-conv-grad';
import { depthwiseBackpropFilterWasm, depthwiseBackpropInputWasm } from './wasm-depthwise-grad';

const KERNELS: ReadonlyArray<[string, (args: never) => tf.TensorInfo]> = [
  ['Conv2DBackpropFilter', conv2dBackpropFilterWasm],
  ['DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilterWasm],
  ['DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInputWasm],
];

/** The kernel names `installWasmGradKernels` provides. */
export const WASM_GRAD_KERNELS: readonly string[] = KERNELS.map(([name]) => name);

/** Whether the installed tfjs-backend-wasm ships its own kernel `name` (one source file per kernel). */
function shippedByTfjs(name: string): boolean {
  try {
    const root = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    return fs.existsSync(path.join(root, 'dist', 'kernels', `${name}.js`));
  } catch {
    return false;
  }
}

/**
 * Registers our kernels for 'wasm' and returns the names it registered now. Idempotent: kernels already
 * ours are left alone, and so is any kernel tfjs-backend-wasm ships itself (a later release may add them).
 * A stand-in registered earlier by other code (not shipped by tfjs) is replaced, so every wasm run
 * computes these gradients the same way. Never touches other backends.
 */
export function installWasmGradKernels(): string[] {
  const installed: string[] = [];
  for (const [name, kernelFunc] of KERNELS) {
    const existing = tf.getKernel(name, 'wasm');
    if (existing?.kernelFunc === kernelFunc) continue;
    if (shippedByTfjs(name)) continue;
    if (existing) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
    installed.push(name);
  }
  return installed;
}
