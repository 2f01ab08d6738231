/** Small shared utilities with no dependencies: seeded randomness, atomic file writes. */
export { Rng } from './random';
export { writeFileAtomic } from './atomic';
export type { AtomicWriteHooks } from './atomic';
export { ArgumentError } from './errors';
