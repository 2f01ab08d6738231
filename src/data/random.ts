/**
 * Seeded orderings for the data code (dataset split, epoch shuffles), built on the shared mulberry32
 * generator `Rng` of src/util so that the whole project has one PRNG. Exported for the trainer too.
 */
import { Rng } from '../util/random';

function checkUint32(value: number, argName: string): number {
  if (!Number.isInteger(value)) throw new Error(`${argName}: expected an integer seed, got ${value}`);
  return value >>> 0;
}

/**
 * Mixes a base seed with further integers (epoch, purpose, …) into a new uint32 seed (murmur3-style
 * mixing), so derived streams are decorrelated from each other yet fixed by the base seed.
 */
export function deriveSeed(seed: number, ...parts: number[]): number {
  const mix = (h: number): number => {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  let h = mix(checkUint32(seed, 'deriveSeed(seed)') ^ 0x9e3779b9);
  parts.forEach((p, i) => (h = mix((h + 0x9e3779b9 + checkUint32(p, `deriveSeed(part ${i})`)) >>> 0)));
  return h;
}

/**
 * A random permutation of 0 … n-1: Fisher–Yates with the shared `Rng` (for i = n-1 … 1, swap a[i] with
 * a[rng.int(i + 1)]), from a seed or from a generator the caller keeps advancing.
 */
export function permutation(n: number, seedOrRng: number | Rng): Uint32Array {
  if (!Number.isInteger(n) || n < 0) throw new Error(`permutation(n): expected a non-negative integer, got ${n}`);
  const rng = typeof seedOrRng === 'number' ? new Rng(checkUint32(seedOrRng, 'permutation(seed)')) : seedOrRng;
  return Uint32Array.from(rng.shuffle(Array.from({ length: n }, (_, i) => i)));
}
