/**
 * hybrid-small's classical part alone (issue 14: how fast could a hybrid epoch be with a quantum layer that cost
 * nothing?): the zoo's hybrid-small with its QuantumConv2D replaced by a nearly free stand-in, a reshape of the
 * 14×14 image into the 7×7×4 grid the kernel outputs times one trainable scalar (so that, as in the hybrid, the
 * head's conv computes the gradient of its input: a trainable first layer needs it), everything else the same
 * layers (resize, conv 3×3×16, max-pool, dropout, softmax) with the same initial weights. Used by the
 * hybrid-step and peers-epoch benches.
 */
import { tf } from '../src/backend';
import { buildModel } from '../src/models';

/** x·s with one trainable scalar s = 1: the stand-in's only arithmetic (one multiply forward, two ops backward). */
class TrainableScale extends tf.layers.Layer {
  static className = 'TrainableScale';
  private scale: tf.LayerVariable | null = null;
  override build(): void {
    this.scale = this.addWeight('scale', [1], 'float32', tf.initializers.ones());
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, (this.scale as tf.LayerVariable).read());
  }
}

/** The name the benches give it. */
export const CLASSICAL_PART = 'classical part (quantum layer free)';

/** hybrid-small (seed `seed`) with the quantum layer replaced by a reshape to its output shape and a trainable scale. */
export function classicalPartModel(seed: number): tf.LayersModel {
  const hybrid = buildModel('hybrid-small', seed);
  const input = tf.input({ shape: hybrid.inputs[0].shape.slice(1) as number[] });
  let x: tf.SymbolicTensor = input;
  let replaced = 0;
  for (const layer of hybrid.layers.slice(1)) {
    if (layer.getClassName() === 'QuantumConv2D') {
      const out = layer.outputShape as number[];
      x = new TrainableScale({}).apply(tf.layers.reshape({ targetShape: out.slice(1) }).apply(x)) as tf.SymbolicTensor;
      replaced++;
    } else {
      x = layer.apply(x) as tf.SymbolicTensor;
    }
  }
  if (replaced !== 1) throw new Error(`classicalPartModel: expected one QuantumConv2D in hybrid-small, found ${replaced}`);
  return tf.model({ inputs: input, outputs: x, name: 'hybrid-small-classical-part' });
}
