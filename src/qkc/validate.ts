/**
 * Argument checks of the quantum layers: the shared validators of src/util/validate.ts (one module for the
 * whole library) plus what only tfjs layer configs need.
 */
export { show, positiveInt, intPair, oneOf, finiteNumber, optionalSeed, checkOptionKeys, ArgumentError } from '../util/validate';

/**
 * tfjs serialisation snake-cases string values on save and camel-cases them on load, and turns
 * undefined into null; this maps null back to undefined so that optional options survive a round trip.
 */
export function orUndefined<T>(v: T | null | undefined): T | undefined {
  return v === null ? undefined : v;
}
