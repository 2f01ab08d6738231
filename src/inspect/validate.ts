/** Argument checks shared by the inspection functions: every error names the function, the argument, what was expected and what came. */
import { checkState, checkQubits } from '../sim/state-checks';
import type { AnyState } from '../sim/state-checks';

export { checkState, checkQubits };
export type { AnyState };

/** Checks that two qubit lists share no qubit. */
export function checkDisjoint(fn: string, argA: string, a: readonly number[], argB: string, b: readonly number[]): void {
  const shared = a.filter((q) => b.includes(q));
  if (shared.length > 0) {
    throw new Error(`${fn}(${argA}, ${argB}): expected disjoint qubit sets, got [${a.join(', ')}] and [${b.join(', ')}] sharing ${shared.join(', ')}`);
  }
}

/** Options of every logarithm-based function. */
export interface EntropyOptions {
  /** Logarithm base: 2 gives bits (the default), Math.E gives nats; any finite base > 1 is accepted. */
  base?: number;
}

/** ln(base) for the options, validated (default base 2, so results are in bits). */
export function logBase(fn: string, opts: EntropyOptions | undefined): number {
  const base = opts?.base ?? 2;
  if (typeof base !== 'number' || !Number.isFinite(base) || base <= 1) {
    throw new Error(`${fn}(options.base): expected a finite number > 1 (2 for bits, Math.E for nats), got ${base}`);
  }
  return Math.log(base);
}
