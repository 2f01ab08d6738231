/**
 * Seeded randomness inside training steps. The trainer's own stream is the project's shared mulberry32
 * `Rng` (src/util/random); this file adds the one thing the trainer needs beyond it.
 */
import { Rng } from '../util/random';

/**
 * Runs `fn` with `Math.random` replaced by an `Rng` seeded with `seed`, then restores it.
 * tfjs random ops without an explicit seed (dropout, randomUniform, …) draw their seed from Math.random,
 * so this makes such randomness inside one synchronous training step repeatable. `fn` must be
 * synchronous: an await inside would let other code see the seeded Math.random.
 */
export function withSeededMathRandom<T>(seed: number, fn: () => T): T {
  const original = Math.random;
  const g = new Rng(seed);
  Math.random = () => g.next();
  try {
    const out = fn();
    if (out instanceof Promise) throw new Error('withSeededMathRandom: fn must be synchronous');
    return out;
  } finally {
    Math.random = original;
  }
}

/** A seeded permutation of 0 … n−1 drawn from `rng` (Fisher–Yates, the same algorithm as src/data's `permutation`). */
export function shuffledOrder(n: number, rng: Rng): Int32Array {
  return Int32Array.from(rng.shuffle(Array.from({ length: n }, (_, i) => i)));
}

/** The next uint32 from `rng`, for seeding a step. */
export function nextSeed(rng: Rng): number {
  return Math.floor(rng.next() * 4294967296) >>> 0;
}
