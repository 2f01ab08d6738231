/**
 * Layer constructors with seeded initial weights. A model factory draws every layer's seed from one
 * generator started at the model seed, so a (name, seed) pair gives the same initial weights on every
 * run (tfjs's seeded initializers draw from their own seeded generator, not from Math.random).
 */
import { tf } from '../backend';
import { Rng } from '../util';
import { QuantumConv2D, type QuantumConv2DArgs } from '../qkc';

/** Activations the factories use. */
export type Activation = 'relu' | 'tanh' | 'linear' | 'softmax';

/** Hands out seeded layers; one instance per model build. */
export class SeededLayers {
  private readonly rng: Rng;

  /** `seed`: the model seed (integer ≥ 0). */
  constructor(readonly seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed: expected an integer 0 ≤ seed < 2^32, got ${seed}`);
    this.rng = new Rng(seed ^ 0x5eed5eed);
  }

  /** The next layer seed (a positive 31-bit integer). */
  nextSeed(): number {
    return 1 + Math.floor(this.rng.next() * 0x7ffffffe);
  }

  /** He-uniform for ReLU layers, Glorot-uniform otherwise (the usual pairing). */
  private kernelInit(activation: Activation): ReturnType<typeof tf.initializers.heUniform> {
    const seed = this.nextSeed();
    return activation === 'relu' ? tf.initializers.heUniform({ seed }) : tf.initializers.glorotUniform({ seed });
  }

  /**
   * A 2-D convolution with a seeded kernel and zero bias; `initFor` picks the initialiser for the activation
   * that follows later (a conv before batch-norm + ReLU is linear but He-initialised), `useBias: false` drops
   * the bias (batch-norm's β replaces it).
   */
  conv2d(
    filters: number, kernelSize: number, activation: Activation,
    opts: { strides?: number; padding?: 'valid' | 'same'; useBias?: boolean; initFor?: Activation } = {},
  ): tf.layers.Layer {
    return tf.layers.conv2d({
      filters, kernelSize, activation, strides: opts.strides ?? 1, padding: opts.padding ?? 'valid',
      kernelInitializer: this.kernelInit(opts.initFor ?? activation), ...(opts.useBias === false ? { useBias: false } : { biasInitializer: 'zeros' }),
    });
  }

  /** A dense layer with a seeded kernel and zero bias. */
  dense(units: number, activation: Activation): tf.layers.Layer {
    return tf.layers.dense({ units, activation, kernelInitializer: this.kernelInit(activation), biasInitializer: 'zeros' });
  }

  /** A QuantumConv2D whose initial angles come from the next seed. */
  quantumConv2d(args: Omit<QuantumConv2DArgs, 'seed'>): QuantumConv2D {
    return new QuantumConv2D({ ...args, seed: this.nextSeed() });
  }
}
