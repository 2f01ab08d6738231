/**
 * A short hash of a model's architecture (layer classes and their configs, without the auto-numbered
 * layer names), so that a saved result can be recognised as stale when a factory changes: the suite
 * redoes a run whose stored hash differs from the one of the model it would build now.
 */
import { createHash } from 'crypto';
import { tf } from '../backend';

/**
 * Config keys that are not architecture: tfjs's per-process layer names, the run's gradient method, and
 * QuantumConv2D's in-kernel pooling record (a description of its circuit, which is hashed already).
 */
const IGNORED = new Set(['name', 'diffMethod', 'pooling']);

/**
 * Key-sorted JSON without the IGNORED keys of the layer config itself (top level only: a nested 'name' is
 * architecture, e.g. the gate names of a circuit's operations, so 'crz' and 'cry' kernels hash apart).
 */
function canonical(v: unknown, top = false): string {
  if (Array.isArray(v)) return `[${v.map((x) => canonical(x)).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => !(top && IGNORED.has(k))).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** SHA-256 (16 hex digits) over every layer's class name and config (minus names and diffMethod), in order. */
export function architectureHash(model: tf.LayersModel): string {
  const h = createHash('sha256');
  for (const layer of model.layers) h.update(`${layer.getClassName()}${canonical(layer.getConfig(), true)}\n`);
  return h.digest('hex').slice(0, 16);
}
