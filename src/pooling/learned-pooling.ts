/**
 * `LearnedPooling2D`: a learned classical pooling of feature maps [batch, H, W, C], the parameter-matched
 * rival of QuantumPooling. Each kh×kw neighbourhood of each channel is pooled to a convex mixture of
 * window statistics (max, min, average): out = Σ_k π_k · stat_k(window), π = softmax(θ_1 … θ_{K−1}, 0).
 * The last statistic is the reference whose logit is fixed at 0 (a softmax over K logits has K − 1
 * degrees of freedom, so nothing is lost and every trainable logit changes the output). The logits are
 * shared across channels and positions, as QuantumPooling's 'shared' pool angles are.
 *
 * This is mixed max-average pooling (Lee, Gallagher & Tu 2016, "Generalizing pooling functions in CNNs")
 * widened by min: ['max', 'avg'] has 1 parameter, ['max', 'min', 'avg'] has 2, the count of the Hur pool
 * block that hybrid-qpool's QuantumPooling shares across its three pairs. avg and max pooling are limits
 * of the same family, so a learned mixture can only match or beat them on the training objective.
 */
import { tf } from '../backend';
import type { BaseLayerArgs, Padding } from '../qkc';
import { checkOptionKeys, intPair, oneOf, orUndefined, show } from '../qkc/validate';
import { badArgument } from '../util/errors';

/** Window statistics a LearnedPooling2D mixes. */
export type PoolStatistic = 'max' | 'min' | 'avg';
/** Accepted statistics. */
export const POOL_STATISTICS: readonly PoolStatistic[] = ['max', 'min', 'avg'];

/** Options of LearnedPooling2D (plus tfjs's name, inputShape, trainable, …). */
export interface LearnedPooling2DArgs extends BaseLayerArgs {
  /** Neighbourhood size (default 2: 2×2). */
  poolSize?: number | [number, number];
  /** Step (default: the pool size, as tf.layers.maxPooling2d). */
  strides?: number | [number, number] | null;
  /** 'valid' (default) or 'same' (padding ignored by every statistic, as tf.maxPool / tf.avgPool do). */
  padding?: Padding;
  /** Distinct statistics to mix (default ['max', 'min', 'avg']); the last is the reference (logit 0). */
  statistics?: PoolStatistic[];
  /** Initial logits, one per statistic but the last (default zeros: the equal mixture). */
  init?: number[] | null;
}

const OWN_OPTIONS = ['poolSize', 'strides', 'padding', 'statistics', 'init'];
/** tf.layers.Layer's own options, and 'customObjects' that deserialization adds to the config. */
const TFJS_OPTIONS = [
  ...((): (keyof BaseLayerArgs)[] => ['inputShape', 'batchInputShape', 'batchSize', 'dtype', 'name', 'trainable', 'weights', 'inputDType'])(),
  'customObjects',
];

/**
 * The statistics whose mixture has exactly `parameters` trainable logits (0: plain average, 1: max/avg,
 * 2: max/min/avg), so a learned classical pooling can be matched to a quantum pooling's parameter count.
 */
export function statisticsForParameters(parameters: number): PoolStatistic[] {
  const table: PoolStatistic[][] = [['avg'], ['max', 'avg'], ['max', 'min', 'avg']];
  if (!Number.isInteger(parameters) || parameters < 0 || parameters >= table.length) {
    throw badArgument(`parameters: expected an integer in [0, ${table.length - 1}] (a mixture of max, min and avg has at most ${table.length - 1} free logits), got ${show(parameters)}`);
  }
  return [...table[parameters]];
}

/** One statistic of every kh×kw window, per channel: [b, H', W', C]. */
function windowStatistic(x: tf.Tensor4D, stat: PoolStatistic, size: [number, number], strides: [number, number], padding: Padding): tf.Tensor4D {
  if (stat === 'max') return tf.maxPool(x, size, strides, padding);
  if (stat === 'avg') return tf.avgPool(x, size, strides, padding);
  return tf.neg(tf.maxPool(tf.neg(x), size, strides, padding));
}

/**
 * The pure pooling function: the softmax([logits, 0])-weighted mixture of `statistics` over each window.
 * Differentiable in x and in the logits.
 */
export function mixedPool(x: tf.Tensor4D, logits: tf.Tensor1D | null, statistics: readonly PoolStatistic[], size: [number, number], strides: [number, number], padding: Padding): tf.Tensor4D {
  return tf.tidy(() => {
    const stats = statistics.map((s) => windowStatistic(x, s, size, strides, padding));
    if (stats.length === 1) return stats[0];
    const weights = tf.softmax(tf.concat([logits as tf.Tensor1D, tf.zeros([1])]));
    const parts = tf.unstack(weights);
    return tf.addN(stats.map((s, k) => tf.mul(s, parts[k]))) as tf.Tensor4D;
  });
}

/** Learned mixture pooling; see the file comment. */
export class LearnedPooling2D extends tf.layers.Layer {
  /** Name under which tfjs serialises the class. */
  static className = 'LearnedPooling2D';

  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly statistics: PoolStatistic[];
  readonly init: number[];
  private logits: tf.LayerVariable | null = null;

  constructor(args: LearnedPooling2DArgs = {}) {
    super(args);
    checkOptionKeys(args, [...OWN_OPTIONS, ...TFJS_OPTIONS], 'LearnedPooling2D(args)');
    this.poolSize = intPair(orUndefined(args.poolSize) ?? 2, 'poolSize');
    this.strides = intPair(orUndefined(args.strides) ?? this.poolSize, 'strides');
    this.padding = oneOf(orUndefined(args.padding) ?? 'valid', ['valid', 'same'] as const, 'padding');
    const statistics = orUndefined(args.statistics) ?? ['max', 'min', 'avg'];
    if (!Array.isArray(statistics) || statistics.length === 0) throw badArgument(`statistics: expected a non-empty array of ${POOL_STATISTICS.map((s) => `'${s}'`).join(', ')}, got ${show(statistics)}`);
    this.statistics = statistics.map((s, i) => oneOf(s, POOL_STATISTICS, `statistics[${i}]`));
    if (new Set(this.statistics).size !== this.statistics.length) throw badArgument(`statistics: expected distinct statistics, got ${show(statistics)}`);
    const p = this.statistics.length - 1;
    const init = orUndefined(args.init) ?? new Array<number>(p).fill(0);
    if (!Array.isArray(init) || init.length !== p || !init.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw badArgument(`init: expected ${p} finite initial logit(s) (one per statistic but the last of ${show(this.statistics)}), got ${show(init)}`);
    }
    this.init = [...init];
  }

  /** Trainable parameters: one logit per statistic but the reference. */
  get parameterCount(): number { return this.statistics.length - 1; }

  /** The current mixture weights π over `statistics` (sums to 1). */
  mixture(): number[] {
    return tf.tidy(() => {
      const logits = this.logits ? this.logits.read() : tf.tensor1d(this.init);
      return Array.from(tf.softmax(tf.concat([logits, tf.zeros([1])])).dataSync());
    });
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (shape.length !== 4) throw badArgument(`LearnedPooling2D input: expected a 4-D shape [batch, height, width, channels], got ${show(shape)}`);
    if (this.parameterCount > 0 && !this.logits) {
      this.logits = this.addWeight('logits', [this.parameterCount], 'float32', tf.initializers.zeros());
      this.logits.write(tf.tensor1d(this.init));
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (shape.length !== 4) throw badArgument(`LearnedPooling2D input: expected a 4-D shape [batch, height, width, channels], got ${show(shape)}`);
    const out = (n: number | null, k: number, s: number): number | null => (n == null ? null : this.padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);
    const [h, w] = [out(shape[1], this.poolSize[0], this.strides[0]), out(shape[2], this.poolSize[1], this.strides[1])];
    if ((h != null && h < 1) || (w != null && w < 1)) throw badArgument(`LearnedPooling2D input: a ${shape[1]}×${shape[2]} map is smaller than the ${this.poolSize[0]}×${this.poolSize[1]} window ('valid' padding)`);
    return [shape[0], h, w, shape[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (x.rank !== 4) throw badArgument(`LearnedPooling2D input: expected a 4-D tensor [batch, height, width, channels], got ${show(x)}`);
    return mixedPool(x as tf.Tensor4D, this.logits ? (this.logits.read() as tf.Tensor1D) : null, this.statistics, this.poolSize, this.strides, this.padding);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      poolSize: [...this.poolSize], strides: [...this.strides], padding: this.padding,
      statistics: [...this.statistics], init: [...this.init], ...super.getConfig(),
    };
  }
}

tf.serialization.registerClass(LearnedPooling2D);
