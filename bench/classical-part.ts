/**
 * hybrid-small's classical part alone (issue 14: how fast could a hybrid epoch be with a quantum layer that cost
 * nothing?): the zoo's hybrid-small with its QuantumConv2D replaced by a free reshape of the 14×14 image into
 * the 7×7×4 grid the kernel outputs (no weights, no arithmetic), everything else the same layers (resize, conv
 * 3×3×16, max-pool, dropout, softmax) with the same initial weights. Used by the hybrid-step and peers-epoch benches.
 */
import { tf } from '../src/backend';
import { buildModel } from '../src/models';

/** The name the benches give it. */
export const CLASSICAL_PART = 'classical part (quantum layer free)';

/** hybrid-small (seed `seed`) with the quantum layer replaced by a reshape to its output shape. */
export function classicalPartModel(seed: number): tf.LayersModel {
  const hybrid = buildModel('hybrid-small', seed);
  const input = tf.input({ shape: hybrid.inputs[0].shape.slice(1) as number[] });
  let x: tf.SymbolicTensor = input;
  let replaced = 0;
  for (const layer of hybrid.layers.slice(1)) {
    if (layer.getClassName() === 'QuantumConv2D') {
      const out = layer.outputShape as number[];
      x = tf.layers.reshape({ targetShape: out.slice(1) }).apply(x) as tf.SymbolicTensor;
      replaced++;
    } else {
      x = layer.apply(x) as tf.SymbolicTensor;
    }
  }
  if (replaced !== 1) throw new Error(`classicalPartModel: expected one QuantumConv2D in hybrid-small, found ${replaced}`);
  return tf.model({ inputs: input, outputs: x, name: 'hybrid-small-classical-part' });
}
