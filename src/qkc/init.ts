/**
 * Seeded initial values for quantum weights (rotation angles). Values come from our own PRNG, not from
 * tfjs's initializers, so that a seed gives the same angles on every backend and platform.
 */
import { tf } from '../backend';
import { Rng } from '../util';
import { finiteNumber, show } from './validate';
import { badArgument } from '../util/errors';

/** Initial angle distributions: uniform on [min, max) (default [0, 2π)), normal(mean, stddev), or zeros. */
export type WeightInit =
  | 'uniform' | 'normal' | 'zeros'
  | { distribution: 'uniform'; min?: number; max?: number }
  | { distribution: 'normal'; mean?: number; stddev?: number };

/** A validated, fully specified initialiser. */
export type ResolvedInit =
  | { distribution: 'uniform'; min: number; max: number }
  | { distribution: 'normal'; mean: number; stddev: number }
  | { distribution: 'zeros' };

/** Checks an `init` option and fills in defaults. */
export function resolveInit(init: WeightInit | undefined, arg = 'init'): ResolvedInit {
  const v = init ?? 'uniform';
  const kind = typeof v === 'string' ? v : (v as { distribution?: unknown })?.distribution;
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  if (kind === 'zeros') return { distribution: 'zeros' };
  if (kind === 'uniform') {
    const min = o.min == null ? 0 : finiteNumber(o.min, `${arg}.min`);
    const max = o.max == null ? 2 * Math.PI : finiteNumber(o.max, `${arg}.max`);
    if (!(max > min)) throw badArgument(`${arg}: expected max > min for a uniform distribution, got [${min}, ${max})`);
    return { distribution: 'uniform', min, max };
  }
  if (kind === 'normal') {
    const mean = o.mean == null ? 0 : finiteNumber(o.mean, `${arg}.mean`);
    const stddev = o.stddev == null ? 1 : finiteNumber(o.stddev, `${arg}.stddev`);
    if (!(stddev >= 0)) throw badArgument(`${arg}.stddev: expected a non-negative number, got ${stddev}`);
    return { distribution: 'normal', mean, stddev };
  }
  throw badArgument(`${arg}: expected 'uniform', 'normal', 'zeros' or { distribution, … }, got ${show(init)}`);
}

/** `size` initial values; the seed (default: drawn from Math.random, which the trainer seeds) fixes them. */
export function initialValues(init: ResolvedInit, size: number, seed?: number): Float32Array {
  const rng = new Rng(seed ?? Math.floor(Math.random() * 2 ** 32));
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    out[i] = init.distribution === 'zeros' ? 0
      : init.distribution === 'uniform' ? init.min + (init.max - init.min) * rng.next()
      : init.mean + init.stddev * rng.normal();
  }
  return out;
}

/** A tfjs initializer object (what Layer.addWeight calls `apply` on) producing `initialValues`. */
export function seededInitializer(init: ResolvedInit, seed?: number): { apply(shape: number[]): tf.Tensor } {
  return { apply: (shape: number[]) => tf.tensor(initialValues(init, shape.reduce((a, b) => a * b, 1), seed), shape) };
}
