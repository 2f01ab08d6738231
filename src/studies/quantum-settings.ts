/**
 * A copy of a trained model whose quantum layers run with other shots / noise settings. Noise is fixed
 * when a quantum layer is built (it selects the density-matrix simulator), so the copy is rebuilt from
 * the model's serialized topology with those config entries replaced, and gets the same weights. The
 * original model is never changed.
 */
import { tf } from '../backend';
import type { KernelNoise } from '../qkc';

/** Quantum settings of the copy: `shots` null = exact expectations, `noise` null = noiseless. */
export interface QuantumSettings {
  shots?: number | null;
  noise?: KernelNoise | null;
}

const QUANTUM_CLASSES = new Set(['QuantumConv2D', 'QuantumPooling']);

type LayerJson = { class_name: string; config: Record<string, unknown> };

/** Every layer entry of a serialized topology (descending into nested models). */
function layerEntries(node: unknown, out: LayerJson[] = []): LayerJson[] {
  if (Array.isArray(node)) {
    for (const n of node) layerEntries(n, out);
  } else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.class_name === 'string' && o.config !== null && typeof o.config === 'object') out.push(o as unknown as LayerJson);
    for (const v of Object.values(o)) if (v !== null && typeof v === 'object') layerEntries(v, out);
  }
  return out;
}

/** A copy of `model` with every quantum layer set to `settings` (unset fields keep the model's values). */
export async function withQuantumSettings(model: tf.LayersModel, settings: QuantumSettings): Promise<tf.LayersModel> {
  if (!(model instanceof tf.LayersModel)) throw new Error('withQuantumSettings(model): expected a tf.LayersModel');
  const { shots, noise } = settings;
  if (shots != null && (!Number.isInteger(shots) || shots < 1)) throw new Error(`withQuantumSettings(shots): expected a positive integer or null, got ${shots}`);
  const topology = model.toJSON(null, false) as unknown as Record<string, unknown>;
  const quantum = layerEntries(topology).filter((l) => QUANTUM_CLASSES.has(l.class_name));
  if (quantum.length === 0) throw new Error(`withQuantumSettings(model): '${model.name}' has no quantum layer`);
  for (const l of quantum) {
    if (shots !== undefined) l.config.shots = shots;
    if (noise !== undefined) l.config.noise = noise as unknown;
  }
  const copy = await tf.models.modelFromJSON({ modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'] });
  try {
    copy.setWeights(model.getWeights());
  } catch (e) {
    copy.dispose();
    throw e;
  }
  return copy;
}
