/**
 * The trainer's seeded PRNG (mulberry32: 32-bit state, fast, good enough for shuffling and dropout seeds).
 * Its whole state is one uint32, so a checkpoint stores it exactly. Kept internal to src/train (not
 * re-exported) so that it cannot clash with a PRNG that src/data may export later.
 */

/** A mulberry32 generator whose state can be read and restored (for checkpoints). */
export class Mulberry32 {
  private s: number;

  /** `seed`: an integer 0 ≤ seed < 2^32. */
  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** The full generator state: pass it to `setState` to continue the same stream. */
  getState(): number {
    return this.s;
  }

  /** Restores a state returned by `getState`. */
  setState(state: number): void {
    if (!Number.isInteger(state) || state < 0 || state > 0xffffffff) {
      throw new Error(`Mulberry32.setState: expected an integer in [0, 2^32), got ${state}`);
    }
    this.s = state >>> 0;
  }

  /** Next uint32. */
  nextUint32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Next float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T extends { length: number; [i: number]: number }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      // floor(u·(i+1)) from a 32-bit u: bias below 2^-32·(i+1), negligible for any dataset size.
      const j = Math.floor(this.next() * (i + 1));
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}

/**
 * Runs `fn` with `Math.random` replaced by a generator seeded with `seed`, then restores it.
 * tfjs random ops without an explicit seed (dropout, randomUniform, …) draw their seed from Math.random,
 * so this makes such randomness inside one synchronous training step repeatable. `fn` must be
 * synchronous: an await inside would let other code see the seeded Math.random.
 */
export function withSeededMathRandom<T>(seed: number, fn: () => T): T {
  const original = Math.random;
  const g = new Mulberry32(seed);
  Math.random = () => g.next();
  try {
    const out = fn();
    if (out instanceof Promise) throw new Error('withSeededMathRandom: fn must be synchronous');
    return out;
  } finally {
    Math.random = original;
  }
}
