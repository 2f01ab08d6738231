/**
 * Options every model factory accepts, their validation, and the small helper that chains layers into a
 * tf.LayersModel. Kept apart from the factories so hybrid and classical builders share one definition.
 */
import { tf } from '../backend';
import { DIFF_METHODS, type DiffMethod } from '../qkc';

/** Options of a model builder; all optional. */
export interface ModelOptions {
  /** Output classes (default 10). */
  numClasses?: number;
  /** Input image [height, width] (default [28, 28]); images are grayscale [H, W, 1]. */
  imageSize?: [number, number];
  /** Initial diffMethod of the quantum layers (default 'parameter-shift'; the trainer sets it per run anyway). */
  diffMethod?: DiffMethod;
}

/** ModelOptions with defaults filled in. */
export interface ResolvedModelOptions {
  numClasses: number;
  imageSize: [number, number];
  diffMethod: DiffMethod;
}

const KNOWN = ['numClasses', 'imageSize', 'diffMethod'];

/** Checks model options (unknown keys are errors: a misspelt option must not pass silently). */
export function resolveModelOptions(options: ModelOptions = {}): ResolvedModelOptions {
  if (options == null || typeof options !== 'object') throw new Error(`model options: expected an object, got ${String(options)}`);
  for (const k of Object.keys(options)) {
    if (!KNOWN.includes(k)) throw new Error(`model options: unknown option '${k}' (known: ${KNOWN.join(', ')})`);
  }
  const numClasses = options.numClasses ?? 10;
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new Error(`numClasses: expected an integer ≥ 2, got ${String(numClasses)}`);
  const imageSize = options.imageSize ?? [28, 28];
  if (!Array.isArray(imageSize) || imageSize.length !== 2 || !imageSize.every((v) => Number.isInteger(v) && v >= 8)) {
    throw new Error(`imageSize: expected [height, width] with integers ≥ 8, got ${JSON.stringify(imageSize)}`);
  }
  const diffMethod = options.diffMethod ?? 'parameter-shift';
  if (!DIFF_METHODS.includes(diffMethod)) {
    throw new Error(`diffMethod: expected one of ${DIFF_METHODS.map((d) => `'${d}'`).join(', ')}, got ${JSON.stringify(diffMethod)}`);
  }
  return { numClasses, imageSize: [imageSize[0], imageSize[1]], diffMethod };
}

/** Chains `layers` after an input of [H, W, 1] images into a model called `name`. */
export function chain(name: string, imageSize: [number, number], layers: tf.layers.Layer[]): tf.LayersModel {
  const input = tf.input({ shape: [imageSize[0], imageSize[1], 1], name: 'images' });
  let x: tf.SymbolicTensor = input;
  for (const layer of layers) x = layer.apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x, name });
}
