/** Seeded pseudo-random numbers (mulberry32): small, fast, and repeatable across platforms. */

/** A seeded generator of uniform numbers in [0, 1) whose state can be saved and restored. */
export class Rng {
  private state: number;

  /** A generator started from an integer seed. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng(seed): expected a finite number, got ${seed}`);
    this.state = seed >>> 0;
  }

  /** The next uniform number in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number { return Math.floor(this.next() * n); }

  /** A standard normal number (Box–Muller). */
  normal(): number {
    const u = 1 - this.next(), v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `a` in place (Fisher–Yates) and returns it. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }

  /** The internal state, to save in a checkpoint. */
  getState(): number { return this.state; }

  /** Restores a state returned by `getState`. */
  setState(s: number): void { this.state = s >>> 0; }
}
