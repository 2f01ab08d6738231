/**
 * Backend selection: tfjs-node when it really loads, else the wasm backend, else the pure-JS cpu backend.
 * `QKC_BACKEND=node|wasm|cpu` forces one. Everything that touches tensors awaits `ready()` once.
 */
import * as tf from '@tensorflow/tfjs';
import { installWasmGradKernels } from './wasm-grad-kernels';
import { useWasmFastGrads } from './wasm-fast-grads';

/** The names `QKC_BACKEND` accepts. */
export type BackendChoice = 'node' | 'wasm' | 'cpu';

/** What `ready()` settled on and why. */
export interface BackendInfo {
  /** Our name for it. */
  choice: BackendChoice;
  /** tfjs's own backend name after loading ('tensorflow', 'wasm' or 'cpu'). */
  tfBackend: string;
  /** Human-readable reasons for skipping the faster backends. */
  notes: string[];
}

const CHOICES: BackendChoice[] = ['node', 'wasm', 'cpu'];
let settled: Promise<BackendInfo> | undefined;

/** Parses a backend name, failing with a message that names the argument and the accepted values. */
export function parseBackendChoice(value: string, argName = 'QKC_BACKEND'): BackendChoice {
  const v = value.trim().toLowerCase();
  if ((CHOICES as string[]).includes(v)) return v as BackendChoice;
  throw new Error(`${argName}: expected one of ${CHOICES.join(', ')}, got '${value}'`);
}

async function tryNode(notes: string[]): Promise<boolean> {
  try {
    // tfjs-node registers the 'tensorflow' backend on load. An npm alias or a stand-in module could be
    // installed under the same name, so we trust the registered backend, not the module name.
    require('@tensorflow/tfjs-node');
  } catch (e) {
    notes.push(`tfjs-node not loadable (${(e as Error).message.split('\n')[0]})`);
    return false;
  }
  if (tf.findBackendFactory('tensorflow') == null) {
    notes.push("a module named @tensorflow/tfjs-node loaded but registered no 'tensorflow' backend");
    return false;
  }
  return (await tf.setBackend('tensorflow')) && tf.getBackend() === 'tensorflow';
}

async function tryWasm(notes: string[]): Promise<boolean> {
  try {
    require('@tensorflow/tfjs-backend-wasm');
    return (await tf.setBackend('wasm')) && tf.getBackend() === 'wasm';
  } catch (e) {
    notes.push(`wasm backend failed (${(e as Error).message.split('\n')[0]})`);
    return false;
  }
}

async function settle(forced?: BackendChoice): Promise<BackendInfo> {
  const notes: string[] = [];
  const order: BackendChoice[] = forced ? [forced] : CHOICES;
  for (const choice of order) {
    const ok =
      choice === 'node' ? await tryNode(notes) :
      choice === 'wasm' ? await tryWasm(notes) :
      await tf.setBackend('cpu');
    if (ok) {
      // tfjs-backend-wasm lacks the conv2d / depthwise filter-gradient kernels; tfjs-node and cpu have them.
      if (choice === 'wasm') {
        installWasmGradKernels();
        useWasmFastGrads(); // faster stand-ins for slow shipped kernels (gradients, copies, bias sums)
      }
      return { choice, tfBackend: tf.getBackend(), notes };
    }
    if (forced) throw new Error(`QKC_BACKEND=${forced} was requested but could not be loaded: ${notes.join('; ')}`);
  }
  throw new Error(`no tfjs backend could be loaded: ${notes.join('; ')}`);
}

/**
 * Loads and selects the backend once (later calls return the same promise). `choice` overrides
 * `QKC_BACKEND`; without either the fastest available backend wins.
 */
export function ready(choice?: BackendChoice | string): Promise<BackendInfo> {
  if (!settled) {
    const raw = choice ?? process.env.QKC_BACKEND;
    settled = Promise.resolve().then(() =>
      settle(raw != null && raw !== '' ? parseBackendChoice(raw, choice != null ? 'backend' : 'QKC_BACKEND') : undefined));
  }
  return settled;
}

export { installWasmGradKernels, WASM_GRAD_KERNELS } from './wasm-grad-kernels';
export { useWasmFastGrads, WASM_FAST_GRADS, WASM_STAND_INS } from './wasm-fast-grads';
export { withZeroGradient } from './zero-gradient';
export { readF32, heapF32, runWasmKernel } from './wasm-heap';
export type { WasmBackendLike } from './wasm-heap';
export { tf };
