/**
 * The up-front memory guard: how many bytes a run's states take on each executor, the limit
 * (`maxStateBytes` option, else the QKC_MAX_STATE_BYTES environment variable, else a default), and
 * the typed error that refuses a run before anything is allocated.
 */
import * as os from 'os';
import type { ExecutorName } from './types';
import { badArgument } from '../../util/errors';

const GiB = 2 ** 30;

/**
 * Default limit: 4 GiB or half the machine's memory, whichever is less. A larger state either does
 * not fit the wasm heap the results go to (4 GiB at most) or takes minutes before failing.
 */
export const DEFAULT_MAX_STATE_BYTES = Math.min(4 * GiB, Math.floor(os.totalmem() / 2));

/** The environment variable that raises (or lowers) the limit: bytes, or a number with K/M/G[i][B]. */
export const MAX_STATE_BYTES_ENV = 'QKC_MAX_STATE_BYTES';

/** A run refused up front because its states would not fit: names the qubits, batch and bytes. */
export class StateTooLargeError extends RangeError {
  override readonly name = 'StateTooLargeError';
  constructor(
    readonly fn: string, readonly qubits: number, readonly batch: number, readonly executor: ExecutorName,
    readonly bytesNeeded: number, readonly limitBytes: number, readonly amplitudesPerRow: number,
  ) {
    super(`${fn}: ${qubits} qubits × batch ${batch} needs ${formatBytes(bytesNeeded)} (${batch} × ${amplitudesPerRow === 4 ** qubits ? `4^${qubits}` : `2^${qubits}`} amplitudes on the ${executor} executor), more than the limit of ${formatBytes(limitBytes)}; use a smaller batch, or raise the limit with the maxStateBytes option or ${MAX_STATE_BYTES_ENV}`);
  }
}

/** Bytes in a readable unit (GiB, MiB, KiB or bytes), one decimal. */
export function shortBytes(bytes: number): string {
  const units: [number, string][] = [[GiB, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']];
  for (const [size, unit] of units) if (bytes >= size) return `${(bytes / size).toFixed(1)} ${unit}`;
  return `${bytes} bytes`;
}

/** Bytes in a readable unit with the exact count: "24.0 GiB (25,769,803,776 bytes)". */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 ? `${shortBytes(bytes)} (${bytes.toLocaleString('en-US')} bytes)` : `${bytes} bytes`;
}

/** Parses a byte count: a non-negative number, optionally with K, M, G or T (powers of 1024) and 'iB' / 'B'. */
export function parseBytes(text: string, where: string): number {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(text);
  if (!m) throw badArgument(`${where}: expected a byte count such as 8589934592, 8G or 8GiB, got ${JSON.stringify(text)}`);
  const power = ' kmgt'.indexOf((m[2] || ' ').toLowerCase());
  return Math.floor(Number(m[1]) * 1024 ** power);
}

/** The limit in bytes: the option when given, else QKC_MAX_STATE_BYTES, else DEFAULT_MAX_STATE_BYTES. */
export function maxStateBytes(option?: number, fn = 'execution'): number {
  if (option !== undefined) {
    if (typeof option !== 'number' || !(option > 0)) throw badArgument(`${fn}(maxStateBytes): expected a positive number of bytes, got ${String(option)}`);
    return option;
  }
  const env = process.env[MAX_STATE_BYTES_ENV];
  return env === undefined || env === '' ? DEFAULT_MAX_STATE_BYTES : parseBytes(env, MAX_STATE_BYTES_ENV);
}

/**
 * Bytes per amplitude each executor holds at once (a lower bound that the run cannot go below):
 * tf: complex float32 in, out and one gate's temporaries; host: the complex float64 state and the
 * float32 copy handed back to tfjs, plus a copy of ψ and the cotangent when it differentiates;
 * compiled: features, ψ and |ψ|² per basis; density: as tf, over 4^n amplitudes per row; superoperator: vec(ρ) in and out of a
 * stretch's matrix products (four of them) over 4^n amplitudes per row.
 */
const BYTES_PER_AMPLITUDE: Record<ExecutorName, { forward: number; gradient: number }> = {
  tf: { forward: 24, gradient: 24 },
  host: { forward: 24, gradient: 56 },
  compiled: { forward: 32, gradient: 32 },
  density: { forward: 24, gradient: 24 },
  superoperator: { forward: 32, gradient: 32 },
};

/** Amplitudes per row of a run on `executor`: 2^n, or 4^n for density matrices. */
export function amplitudesPerRow(executor: ExecutorName, nQubits: number): number {
  return executor === 'density' || executor === 'superoperator' ? 4 ** nQubits : 2 ** nQubits;
}

/** Bytes a run of `batch` rows on `executor` needs (with its gradient when `gradient`). */
export function stateBytes(executor: ExecutorName, nQubits: number, batch: number, gradient: boolean): number {
  const per = BYTES_PER_AMPLITUDE[executor];
  return amplitudesPerRow(executor, nQubits) * batch * (gradient ? per.gradient : per.forward);
}
