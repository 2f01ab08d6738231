/**
 * Parameter counts split quantum / classical. A weight is quantum when a quantum layer (the trainer's
 * `isQuantumLayer` marker) owns it, the same rule the trainer uses to give it the quantum learning rate.
 */
import { tf } from '../backend';
import { findQuantumLayers } from '../train';

/** Trainable parameter counts of a model. */
export interface ParameterSplit {
  /** Trainable parameters of quantum layers (rotation angles). */
  quantum: number;
  /** All other trainable parameters. */
  classical: number;
  /** quantum + classical. */
  total: number;
  /** Angles of quantum layers held fixed (frozen-kernel baselines), not in `total`; present only when nonzero. */
  frozenQuantum?: number;
}

function size(w: tf.LayerVariable): number {
  return w.shape.reduce((a: number, b) => a * (b ?? 0), 1);
}

/** Splits `model`'s trainable parameters into quantum and classical, and counts the frozen quantum angles. */
export function parameterSplit(model: tf.LayersModel): ParameterSplit {
  const quantumVars = new Set<tf.LayerVariable>();
  let frozenQuantum = 0;
  for (const layer of findQuantumLayers(model)) {
    for (const w of layer.trainableWeights) quantumVars.add(w);
    for (const w of layer.nonTrainableWeights) frozenQuantum += size(w);
  }
  let quantum = 0;
  let classical = 0;
  for (const w of model.trainableWeights) {
    if (quantumVars.has(w)) quantum += size(w);
    else classical += size(w);
  }
  return { quantum, classical, total: quantum + classical, ...(frozenQuantum > 0 ? { frozenQuantum } : {}) };
}
