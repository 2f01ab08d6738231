/** The OpenQASM importers' limits against hostile input, and their options. */
import { checkOptionKeys, integerIn } from '../../util/validate';

/**
 * Bounds that keep hostile OpenQASM from exhausting the stack, memory or time. Exceeding one is a
 * QasmLimitError naming the limit, the line and the column, raised before the work it would cost.
 */
export interface QasmLimits {
  /** Deepest nesting of parentheses, function calls and '^' in one expression (default 128, at most 1000). */
  maxExprDepth: number;
  /** Most tokens in one expression (default 4096, at most 100,000). */
  maxExprTokens: number;
  /** Deepest chain of user gates calling user gates (default 64, at most 1000). */
  maxGateDepth: number;
  /** Most operations the whole program expands to (default 1,000,000, at most 50,000,000). */
  maxOperations: number;
}

/** The default limits: far above what real programs (QASMBench, Qiskit's exports) need. */
export const DEFAULT_QASM_LIMITS: Readonly<QasmLimits> = { maxExprDepth: 128, maxExprTokens: 4096, maxGateDepth: 64, maxOperations: 1_000_000 };
// Hard ceilings: past these the parser's own recursion (depth) or the op list (memory) is no longer safe.
const LIMIT_CEILINGS: Readonly<QasmLimits> = { maxExprDepth: 1000, maxExprTokens: 100_000, maxGateDepth: 1000, maxOperations: 50_000_000 };

/** Options of the OpenQASM importers. */
export interface QasmParseOptions {
  /** Raise or lower any of the parser's limits (the rest keep DEFAULT_QASM_LIMITS). */
  limits?: Partial<QasmLimits>;
}

/** The limits in effect for `options`, each checked to be an integer from 1 to its ceiling. */
export function resolveQasmLimits(options: QasmParseOptions = {}): QasmLimits {
  checkOptionKeys(options, ['limits'], 'fromQasm(options)');
  const given = options.limits ?? {};
  checkOptionKeys(given, Object.keys(DEFAULT_QASM_LIMITS), 'fromQasm(options.limits)');
  const out = { ...DEFAULT_QASM_LIMITS };
  for (const k of Object.keys(out) as (keyof QasmLimits)[]) {
    if (given[k] !== undefined) out[k] = integerIn(given[k], `fromQasm(options.limits.${k})`, 1, LIMIT_CEILINGS[k]);
  }
  return out;
}
