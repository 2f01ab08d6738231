/**
 * Argument checks shared by the quantum layers: every error names the argument, says what was expected
 * and shows what came, so a wrong layer option is found at construction rather than deep in a kernel.
 */

/** Short printable form of any value for error messages. */
export function show(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || v == null) return String(v);
  try { return JSON.stringify(v); } catch { return String(v); }
}

/** A positive integer, or an error naming `arg`. */
export function positiveInt(v: unknown, arg: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${arg}: expected a positive integer, got ${show(v)}`);
  return v;
}

/** A [rows, cols] pair of positive integers from a number or a pair (as tf.layers.conv2d accepts). */
export function intPair(v: unknown, arg: string): [number, number] {
  if (typeof v === 'number') return [positiveInt(v, arg), v];
  if (Array.isArray(v) && v.length === 2) return [positiveInt(v[0], `${arg}[0]`), positiveInt(v[1], `${arg}[1]`)];
  throw new Error(`${arg}: expected a positive integer or a pair [rows, cols], got ${show(v)}`);
}

/** One of `allowed` (exact match), or an error listing them. */
export function oneOf<T extends string>(v: unknown, allowed: readonly T[], arg: string): T {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  throw new Error(`${arg}: expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${show(v)}`);
}

/** A finite number, or an error naming `arg`. */
export function finiteNumber(v: unknown, arg: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${arg}: expected a finite number, got ${show(v)}`);
  return v;
}

/**
 * tfjs serialisation snake-cases string values on save and camel-cases them on load, and turns
 * undefined into null; this maps null back to undefined so that optional options survive a round trip.
 */
export function orUndefined<T>(v: T | null | undefined): T | undefined {
  return v === null ? undefined : v;
}

/** An optional seed: undefined/null, or a non-negative integer. */
export function optionalSeed(v: unknown, arg = 'seed'): number | undefined {
  if (v == null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`${arg}: expected a non-negative integer, got ${show(v)}`);
  return v;
}
