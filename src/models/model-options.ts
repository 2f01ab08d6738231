/**
 * Options every model factory accepts, their validation, the input shapes the zoo supports, and the small
 * helper that chains layers into a tf.LayersModel (refusing an input that a layer would shrink to nothing).
 * Kept apart from the factories so hybrid and classical builders share one definition.
 */
import { tf } from '../backend';
import { DIFF_METHODS, type DiffMethod } from '../qkc';
import { ArgumentError } from '../util/errors';

/** Options of a model builder; all optional. */
export interface ModelOptions {
  /** Output classes (default 10). */
  numClasses?: number;
  /** Input image [height, width] (default [28, 28]); see INPUT_LIMITS. */
  imageSize?: [number, number];
  /** Channels per pixel: 1 (grayscale, default) or 3 (RGB). */
  channels?: number;
  /** Initial diffMethod of the quantum layers (default 'parameter-shift'; the trainer sets it per run anyway). */
  diffMethod?: DiffMethod;
}

/** ModelOptions with defaults filled in. */
export interface ResolvedModelOptions {
  numClasses: number;
  imageSize: [number, number];
  channels: number;
  diffMethod: DiffMethod;
}

/** The inputs every model of the zoo takes (each adapts to them, see its description): sides 8…64, 1 or 3 channels. */
export const INPUT_LIMITS = Object.freeze({ minSide: 8, maxSide: 64, channels: Object.freeze([1, 3]) });

/** A model that cannot take an input shape; thrown when the model is built, before any training. */
export class UnsupportedInputError extends ArgumentError {}

const KNOWN = ['numClasses', 'imageSize', 'channels', 'diffMethod'];

/** 'H×W×C', how input shapes are named in messages. */
export function shapeText(o: Pick<ResolvedModelOptions, 'imageSize' | 'channels'>): string {
  return `${o.imageSize[0]}×${o.imageSize[1]}×${o.channels}`;
}

/** Checks model options (unknown keys are errors: a misspelt option must not pass silently); `model` names the model in messages. */
export function resolveModelOptions(options: ModelOptions = {}, model = 'model'): ResolvedModelOptions {
  if (options == null || typeof options !== 'object') throw new Error(`model options: expected an object, got ${String(options)}`);
  for (const k of Object.keys(options)) {
    if (!KNOWN.includes(k)) throw new Error(`model options: unknown option '${k}' (known: ${KNOWN.join(', ')})`);
  }
  const numClasses = options.numClasses ?? 10;
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new Error(`numClasses: expected an integer ≥ 2, got ${String(numClasses)}`);
  const imageSize = options.imageSize ?? [28, 28];
  if (!Array.isArray(imageSize) || imageSize.length !== 2 || !imageSize.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new Error(`imageSize: expected [height, width] with positive integers, got ${JSON.stringify(imageSize)}`);
  }
  const channels = options.channels ?? 1;
  const { minSide, maxSide } = INPUT_LIMITS;
  if (!imageSize.every((v) => v >= minSide && v <= maxSide) || !INPUT_LIMITS.channels.includes(channels)) {
    throw new UnsupportedInputError(`${model} (input)`, `images from ${minSide}×${minSide} to ${maxSide}×${maxSide} with 1 or 3 channels`,
      `${imageSize[0]}×${imageSize[1]}×${channels}`);
  }
  const diffMethod = options.diffMethod ?? 'parameter-shift';
  if (!DIFF_METHODS.includes(diffMethod)) {
    throw new Error(`diffMethod: expected one of ${DIFF_METHODS.map((d) => `'${d}'`).join(', ')}, got ${JSON.stringify(diffMethod)}`);
  }
  return { numClasses, imageSize: [imageSize[0], imageSize[1]], channels, diffMethod };
}

/**
 * Chains `layers` after an input of [H, W, C] images into a model called `name`. A layer whose output would
 * have an empty dimension (an input too small for it) is refused here, naming it: a zero-sized tensor would
 * otherwise reach the wasm kernels (out-of-bounds crashes) or loop forever.
 */
export function chain(name: string, o: Pick<ResolvedModelOptions, 'imageSize' | 'channels'>, layers: tf.layers.Layer[]): tf.LayersModel {
  const input = tf.input({ shape: [o.imageSize[0], o.imageSize[1], o.channels], name: 'images' });
  let x: tf.SymbolicTensor = input;
  for (const layer of layers) {
    x = layer.apply(x) as tf.SymbolicTensor;
    if (x.shape.some((d) => d !== null && d < 1)) {
      throw new UnsupportedInputError(`${name} (input)`, `an input its layers can take (larger than ${o.imageSize[0]}×${o.imageSize[1]})`,
        `${shapeText(o)}: ${layer.getClassName()} would output [${x.shape.map((d) => d ?? 'batch').join(', ')}]`);
    }
  }
  return tf.model({ inputs: input, outputs: x, name });
}
