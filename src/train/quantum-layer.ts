/**
 * The contract between the trainer and quantum layers. The trainer does not import src/qkc or
 * src/pooling (layers know nothing of training and training only needs this much), so quantum layers are
 * recognised by a duck-typed marker instead of `instanceof`.
 *
 * For layer authors (QuantumConv2D, QuantumPooling), implement:
 *   - `readonly isQuantumLayer = true` (the marker);
 *   - a `diffMethod` property the trainer can assign before training (the value applies to later calls);
 *   - optionally `circuitExecutions(batchSize, pass)` for cost accounting (else the layer counts as 0);
 *   - trainable weights through `addWeight` as usual: the trainer gives every trainable weight of a
 *     quantum layer the quantum learning rate.
 * Randomness inside `call` (finite shots, noise sampling) should come from tfjs random ops without a fixed
 * seed or from Math.random: the trainer seeds Math.random around each step, which makes it repeatable.
 */
import { tf } from '../backend';

/** Gradient methods a quantum layer offers; parameter-shift is what the experiment reports. */
export type QuantumDiffMethod = 'parameter-shift' | 'adjoint' | 'backprop';

/** All accepted diffMethod values, for validation and help texts. */
export const QUANTUM_DIFF_METHODS: readonly QuantumDiffMethod[] = ['parameter-shift', 'adjoint', 'backprop'];

/** Which pass a circuit-execution count is asked for. */
export type CircuitPass = 'forward' | 'backward';

/** What the trainer needs from a quantum layer (see the file comment for the full contract). */
export interface QuantumLayerLike {
  /** Marker: every layer with `isQuantumLayer === true` is treated as quantum (false: a classical mode of it). */
  readonly isQuantumLayer: boolean;
  /** Gradient method used by later forward/backward passes; the trainer sets it once per run. */
  diffMethod: QuantumDiffMethod;
  /**
   * Circuit executions for one pass over `batchSize` samples with the current diffMethod and shots:
   * 'forward' counts the forward pass, 'backward' the executions the gradient adds, as the layer's own
   * cost accounting counts them (e.g. parameter-shift: 2P per patch). A training step costs forward +
   * backward; a validation batch costs forward.
   */
  circuitExecutions?(batchSize: number, pass: CircuitPass): number;
}

/** True when `layer` carries the quantum marker. */
export function isQuantumLayer(layer: unknown): layer is QuantumLayerLike {
  return typeof layer === 'object' && layer !== null && (layer as { isQuantumLayer?: unknown }).isQuantumLayer === true;
}

/** Every quantum layer in `model`, descending into nested models (a model used as a layer). */
export function findQuantumLayers(model: tf.LayersModel): Array<tf.layers.Layer & QuantumLayerLike> {
  const found: Array<tf.layers.Layer & QuantumLayerLike> = [];
  const seen = new Set<tf.layers.Layer>();
  const visit = (layers: tf.layers.Layer[]): void => {
    for (const layer of layers) {
      if (seen.has(layer)) continue;
      seen.add(layer);
      if (isQuantumLayer(layer)) found.push(layer);
      const inner = (layer as unknown as { layers?: unknown }).layers;
      if (Array.isArray(inner)) visit(inner as tf.layers.Layer[]);
    }
  };
  visit(model.layers);
  return found;
}

/** Sets `diffMethod` on every quantum layer, failing clearly if a layer refuses the assignment. */
export function setDiffMethod(layers: readonly QuantumLayerLike[], method: QuantumDiffMethod): void {
  for (const layer of layers) {
    layer.diffMethod = method;
    if (layer.diffMethod !== method) {
      const name = (layer as unknown as { name?: string }).name ?? 'quantum layer';
      throw new Error(`diffMethod: layer '${name}' did not accept '${method}' (it reports '${layer.diffMethod}')`);
    }
  }
}

/** Sum of the layers' circuit executions for one pass over `batchSize` samples (0 for layers without a count). */
export function countCircuitExecutions(layers: readonly QuantumLayerLike[], batchSize: number, pass: CircuitPass): number {
  let total = 0;
  for (const layer of layers) {
    if (typeof layer.circuitExecutions !== 'function') continue;
    const n = layer.circuitExecutions(batchSize, pass);
    if (!Number.isFinite(n) || n < 0) {
      const name = (layer as unknown as { name?: string }).name ?? 'quantum layer';
      throw new Error(`circuitExecutions: layer '${name}' returned ${n} for ${pass} of ${batchSize} samples; expected a count ≥ 0`);
    }
    total += n;
  }
  return total;
}
