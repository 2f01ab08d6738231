/** Small shared utilities with no dependencies: seeded randomness. */
export { Rng } from './random';
