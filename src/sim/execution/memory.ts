/**
 * The up-front memory guard: how many bytes a run's states take on each executor, the limit
 * (`maxStateBytes` option, else the QKC_MAX_STATE_BYTES environment variable, else a default), and
 * the typed error that refuses a run before anything is allocated.
 */
import * as os from 'os';
import type { ExecutorName } from './types';
import { badArgument } from '../../util/errors';
import { rowsPerChunk } from '../host/host-run';
import { hostBatching, hostWalkBytes } from './host-batching';
import { MAX_SHIFT_BATCH_AMPLITUDES } from '../host/host-shifted';

const GiB = 2 ** 30;

/**
 * Default limit: 2 GiB or half the machine's memory, whichever is less. 24 qubits forward + adjoint
 * gradient needs 960 MiB on the host (and any batch of them the same, chunk by chunk); 26 qubits
 * need 3.6 GiB even one row at a time, and hours: such a run is refused unless the limit is raised.
 */
export const DEFAULT_MAX_STATE_BYTES = Math.min(2 * GiB, Math.floor(os.totalmem() / 2));

/** The environment variable that raises (or lowers) the limit: bytes, or a number with K/M/G[i][B]. */
export const MAX_STATE_BYTES_ENV = 'QKC_MAX_STATE_BYTES';

/**
 * A run refused up front because its states would not fit: names the qubits, batch and bytes. With
 * `wasmHeap`, the limit is the WebAssembly heap's (WASM_HEAP_MAX_BYTES), which no option raises.
 */
export class StateTooLargeError extends RangeError {
  override readonly name = 'StateTooLargeError';
  constructor(
    readonly fn: string, readonly qubits: number, readonly batch: number, readonly executor: ExecutorName,
    readonly bytesNeeded: number, readonly limitBytes: number, readonly amplitudesPerRow: number, readonly wasmHeap = false,
  ) {
    const what = `${batch} × ${amplitudesPerRow === 4 ** qubits ? `4^${qubits}` : `2^${qubits}`} amplitudes on the ${executor} executor`;
    super(wasmHeap
      ? `${fn}: ${qubits} qubits × batch ${batch} needs ${formatBytes(bytesNeeded)} of tensors in the WebAssembly heap (${what}), more than the ${formatBytes(limitBytes)} it can hold (tfjs-backend-wasm stops at 4 GiB; no option raises this); use a smaller batch, or exact expectations on the host executor, which keep their states out of the heap`
      : `${fn}: ${qubits} qubits × batch ${batch} needs ${formatBytes(bytesNeeded)} (${what}), more than the limit of ${formatBytes(limitBytes)}; use a smaller batch, or raise the limit with the maxStateBytes option or ${MAX_STATE_BYTES_ENV}`);
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

/** What the memory estimate of a run depends on. */
export interface MemoryRequest {
  executor: ExecutorName;
  nQubits: number;
  /** Rows of the run. */
  batch: number;
  /** 'expectations' (the default) or 'states' handed back as tensors. */
  output?: 'expectations' | 'states';
  /** Whether a gradient may be taken through the run (its tape or sweep is counted). */
  gradient: boolean;
  /** Whether host expectations read out on the host (exact, from |0…0⟩); else they go through state tensors. */
  hostReadOut?: boolean;
  /** Operations in the circuit: the tf executors' autodiff tape keeps about one state per operation. */
  operations?: number;
  /** Shifted parameter sets of a parameter-shift gradient on the host (an upper bound will do). */
  shiftSets?: number;
  /** Fixed stretches the superoperator executor composes (each a 4^n × 4^n matrix). */
  stretches?: number;
  /** The memory limit the run is checked against (default maxStateBytes()): the host keeps states only where they fit. */
  limitBytes?: number;
}

/** The estimate: bytes in all, and the part of them that lives in the WebAssembly heap (tensors). */
export interface MemoryEstimate { bytes: number; wasmBytes: number }

/** Amplitudes per row of a run on `executor`: 2^n, or 4^n for density matrices. */
export function amplitudesPerRow(executor: ExecutorName, nQubits: number): number {
  return executor === 'density' || executor === 'superoperator' ? 4 ** nQubits : 2 ** nQubits;
}

/**
 * The WebAssembly heap tensors live in cannot grow past 4 GiB (tfjs-backend-wasm's maximum): more
 * aborts the process (`Aborted()`), whatever the limit, so runs whose tensors need more than this
 * (leaving room for fragmentation and what the process already holds) are refused too.
 */
export const WASM_HEAP_MAX_BYTES = 3 * GiB;

/**
 * Working memory of any call beside its states: lowering, kernels' scratch, small tensors, code
 * loaded on first use, and freed chunks the garbage collector has not returned yet (4–35 MiB measured
 * on runs whose states are a few MiB, bench/results/memory-peaks.json).
 */
export const CALL_OVERHEAD_BYTES = 64 * 2 ** 20;

/**
 * Bytes a run needs, from what the code allocates (B rows, A amplitudes per row, N = B·A; float64
 * host states take 16 bytes per amplitude, float32 complex tensors 8), plus CALL_OVERHEAD_BYTES:
 * - host, expectations read out on the host (`hostAdjointRun`): the walk `hostBatching` decides
 *   (hostWalkBytes: chunks of rows, and with a gradient the kept final states where they fit, N ≤
 *   HOST_KEEP_STATES_AMPLITUDES). No state reaches the wasm heap, and beyond that the need does not
 *   grow with the batch. Parameter-shift: one scratch of stacked shifted copies (runShiftPlanHost),
 *   twice (its rotated copy in the read-out).
 * - host, states (simulate, probabilities, finite shots, initial states: `simulateHost`): ψ (16·N),
 *   its float32 packing (8·N, JS), a row of permutation scratch (16·A), the [2, B, A] tensor and its re/im slices (16·N, wasm), the
 *   read-out's squares (12·N, wasm); a gradient adds the cotangent tensors (24·N, wasm), their host
 *   copies (8·N float32, 16·N float64), ψ's copy (16·N) and the initial state's cotangent (8·N).
 * - tf / density: every operation (gate, or noise channel on density matrices) allocates new [B, A]
 *   complex float32 states with temporaries: about 24 states live at once in a forward run; autodiff
 *   keeps up to ~12 states per operation for its backward pass (measured: 7 density qubits × batch 8),
 *   counted as 14. All of it in the wasm heap.
 * - superoperator (≤ 6 qubits): one 4^n × 4^n complex matrix per fixed stretch, float64 on the host
 *   and float32 as a tensor (24 bytes per entry), and a forward run's few [B, 4^n] states.
 * - compiled (≤ COMPILE_MAX_QUBITS qubits): the encoded features, ψ and |ψ|² per row as float32
 *   tensors, and their cotangents with a gradient; the 2^n × 2^n block is small there.
 * Checked against peak resident memory (`npm run bench -- memory-peaks`: each case in a fresh process,
 * bench/results/memory-peaks.json; the first estimate, 56 bytes per amplitude for any host gradient,
 * was 2.8× under what 20 qubits × batch 32 took through state tensors).
 */
export function estimateMemory(req: MemoryRequest): MemoryEstimate {
  const A = amplitudesPerRow(req.executor, req.nQubits), B = req.batch, N = A * B;
  const ops = req.operations ?? 0, g = req.gradient;
  const est = (bytes: number, wasmBytes: number): MemoryEstimate => ({ bytes: bytes + CALL_OVERHEAD_BYTES, wasmBytes });
  switch (req.executor) {
    case 'host': {
      if (req.output !== 'states' && req.hostReadOut) {
        const walk = hostBatching(req.nQubits, B, g, (req.limitBytes ?? maxStateBytes()) - CALL_OVERHEAD_BYTES);
        let bytes = hostWalkBytes(req.nQubits, B, walk);
        if (req.shiftSets !== undefined && g) {
          const perRun = Math.max(1, Math.min(req.shiftSets, Math.floor(MAX_SHIFT_BATCH_AMPLITUDES / A) - 1));
          const rows = Math.min(B, rowsPerChunk((1 + perRun) * A));
          bytes = Math.max(bytes, 32 * (1 + perRun) * rows * A + 8 * A);
        }
        return est(bytes, 0);
      }
      const wasm = (16 + 12 + (g ? 24 : 0)) * N;
      return est(wasm + (16 + 8 + (g ? 48 : 0)) * N + 16 * A, wasm);
    }
    case 'tf':
    case 'density': {
      const wasm = 8 * N * (g ? 14 * ops + 24 : 24);
      return est(wasm, wasm);
    }
    case 'superoperator': {
      const matrices = (req.stretches ?? 1) * A * A;
      return est(24 * matrices + 8 * N * 24, 8 * matrices + 8 * N * 24);
    }
    case 'compiled': {
      const wasm = 8 * N * (g ? 8 : 4);
      return est(wasm, wasm);
    }
  }
}

/** Bytes a run of `batch` rows on `executor` needs (see estimateMemory). */
export function stateBytes(executor: ExecutorName, nQubits: number, batch: number, gradient: boolean, more: Partial<MemoryRequest> = {}): number {
  return estimateMemory({ executor, nQubits, batch, gradient, hostReadOut: true, ...more }).bytes;
}
