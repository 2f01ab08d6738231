/**
 * The one argument-validation module of qkc. Every check throws an `ArgumentError` whose message reads
 * "<argument>: expected <what>, got <value as given>": strings show in quotes (and say they are strings
 * where a number was wanted), arrays and objects as short JSON, tensors by dtype and shape.
 *
 * The error class is src/util/errors.ts's ArgumentError (argument, expected, got).
 *
 * API: ArgumentError, expectedError, show, closest, checkOptionKeys, positiveInt, integerIn, finiteNumber,
 * positiveNumber, oneOf, intPair, optionalSeed.
 */
import { ArgumentError } from './errors';

export { ArgumentError };

/** An ArgumentError reading "arg: expected <expected>, got <received>; <note>"; `received` is already shown. */
export function expectedError(arg: string, expected: string, received: string, note?: string): ArgumentError {
  return new ArgumentError(arg, expected, received, note);
}

/**
 * How a value reads in an error message, as it was given: 'abc', 1, NaN, [1,2], {"a":1}, a float32 tensor of
 * shape [2, 3]. With `wanted` (a typeof name such as 'number'), a value of another type also says its type:
 * "'1' (a string)".
 */
export function show(v: unknown, wanted?: string): string {
  if (wanted !== undefined && typeof v !== wanted && v != null) {
    const kind = Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
    return `${show(v)} (${kind})`;
  }
  if (typeof v === 'string') return `'${v.length > 80 ? `${v.slice(0, 77)}...` : v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v == null) return String(v);
  if (typeof v === 'function') return `a function${v.name ? ` ${v.name}` : ''}`;
  if (typeof v === 'symbol') return v.toString();
  const t = v as { dtype?: unknown; shape?: unknown };
  if (typeof t.dtype === 'string' && Array.isArray(t.shape)) return `a ${t.dtype} tensor of shape [${t.shape.join(', ')}]`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${(v as unknown as ArrayLike<number>).length}`;
  try {
    // Non-finite numbers inside arrays/objects stay visible (JSON would print them as null).
    const s = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));
    if (s === undefined) return String(v);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(v);
  }
}

/** Edit distance with adjacent transpositions counted as one edit ('vaild' → 'valid' is 1), for "did you mean". */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate closest to `name` when it is plausibly a slip: within a third of its length in edit distance
 * (case-insensitive), or, for names of 4+ letters, its letters in order inside the candidate ('maxDepth' →
 * 'maxExprDepth'). Undefined when nothing is close.
 */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const inOrder = (c: string) => { let i = 0; for (const ch of c) if (ch === lower[i]) i++; return i === lower.length; };
  let best: string | undefined, bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    const close = d <= Math.max(1, Math.floor(name.length / 3)) || (name.length >= 4 && inOrder(c.toLowerCase()));
    if (close && d < bestD) { best = c; bestD = d; }
  }
  return best;
}

/**
 * Checks that `options` is undefined, null or a plain object whose keys are all in `known`; an unknown key is
 * named with the closest known one ("QuantumConv2D(args): expected known option names, got unknown option 'kernalSize';
 * did you mean 'kernelSize'? known: …").
 */
export function checkOptionKeys(options: unknown, known: readonly string[], arg: string): void {
  if (options == null) return;
  if (typeof options !== 'object' || Array.isArray(options)) throw expectedError(arg, 'an object of options', show(options, 'object'));
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) {
      const hint = closest(k, known);
      throw new ArgumentError(arg, 'known option names', `unknown option '${k}'`, `${hint ? `did you mean '${hint}'? ` : ''}known: ${known.join(', ')}`);
    }
  }
}

/** A positive integer (≥ `min`, default 1), or an ArgumentError naming `arg`. */
export function positiveInt(v: unknown, arg: string, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw expectedError(arg, min === 1 ? 'a positive integer' : `an integer ≥ ${min}`, show(v, 'number'));
  }
  return v;
}

/** An integer in [min, max], or an ArgumentError naming `arg` (and `what` the integer is, e.g. "a qubit index"). */
export function integerIn(v: unknown, arg: string, min: number, max: number, what = 'an integer'): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw expectedError(arg, `${what} in [${min}, ${max}]`, show(v, 'number'));
  }
  return v;
}

/** A finite number, or an ArgumentError naming `arg`. */
export function finiteNumber(v: unknown, arg: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw expectedError(arg, 'a finite number', show(v, 'number'));
  return v;
}

/** A finite number > 0, or an ArgumentError naming `arg`. */
export function positiveNumber(v: unknown, arg: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw expectedError(arg, 'a finite number > 0', show(v, 'number'));
  return v;
}

/** One of `allowed` (exact match), or an ArgumentError listing them and suggesting the closest. */
export function oneOf<T extends string>(v: unknown, allowed: readonly T[], arg: string): T {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  const hint = typeof v === 'string' ? closest(v, allowed) : undefined;
  throw expectedError(arg, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, show(v, 'string'), hint ? `did you mean '${hint}'?` : undefined);
}

/** A [rows, cols] pair of positive integers from a number or a pair (as tf.layers.conv2d accepts). */
export function intPair(v: unknown, arg: string): [number, number] {
  if (typeof v === 'number') return [positiveInt(v, arg), v];
  if (Array.isArray(v) && v.length === 2) return [positiveInt(v[0], `${arg}[0]`), positiveInt(v[1], `${arg}[1]`)];
  throw expectedError(arg, 'a positive integer or a pair [rows, cols]', show(v, 'number'));
}

/** An optional seed: undefined/null, or an integer in [0, 2^32). */
export function optionalSeed(v: unknown, arg = 'seed'): number | undefined {
  if (v == null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) throw expectedError(arg, 'a non-negative integer', show(v, 'number'), typeof v === 'number' && v > 0xffffffff ? 'seeds are below 2^32' : undefined);
  return v;
}
