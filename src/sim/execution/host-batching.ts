/**
 * How the host executor walks the rows of an exact expectation run (part of the execution decision):
 * how many rows each chunk holds, and how many rows' final states a differentiable run keeps between
 * its forward run and its adjoint sweep (the others are recomputed chunk by chunk in the backward pass,
 * one more forward run each). The memory guard (memory.ts) counts what this decides.
 */
import { rowsPerChunk } from '../host/host-run';

/** The walk over a batch: rows per chunk, and the rows (from the first) whose final states are kept. */
export interface HostBatching { chunkRows: number; keptRows: number }

/**
 * A differentiable run keeps the final states of all its rows between the forward run and the adjoint
 * sweep when they are at most this many amplitudes (2^26: 1 GiB of float64 states, 20 qubits × 64 rows)
 * and fit under the memory limit beside the rest of the run; else it keeps none and the sweep
 * recomputes each chunk's states (one more forward run per chunk). Measured (`npm run bench --
 * large-batch`, bench/results/large-batch.json): at 20 qubits × 64 rows recomputing took 1.1× the time of
 * keeping; walking the rows in smaller chunks, or one call per row, was no faster than the chunks here.
 */
export const HOST_KEEP_STATES_AMPLITUDES = 2 ** 26;

/** Amplitudes per chunk of rows (2^20 complex float64 = 16 MiB; see CHUNK_AMPLITUDES in host-run.ts). */
export const HOST_CHUNK_AMPLITUDES = 2 ** 20;

/** A forced walk (benches and tests): amplitudes per chunk and most amplitudes of kept states. */
export interface HostBatchingOverride { chunkAmplitudes?: number; keepAmplitudes?: number }

let forced: HostBatchingOverride | undefined;

/**
 * Forces the walk's sizes (for benches that time the alternatives, and tests that compare them);
 * `undefined` restores the measured rule. Returns the previous override.
 */
export function forceHostBatching(override: HostBatchingOverride | undefined): HostBatchingOverride | undefined {
  const before = forced;
  forced = override;
  return before;
}

/** Rows per chunk of a host expectation run on n qubits (one row from 20 qubits up). */
export function hostChunkRows(nQubits: number, batch: number): number {
  return Math.max(1, Math.min(batch, rowsPerChunk(2 ** nQubits, forced?.chunkAmplitudes ?? HOST_CHUNK_AMPLITUDES)));
}

/**
 * Bytes of the states a walk holds at once (float64, 16 bytes per amplitude; A per row): the kept final
 * states, one chunk's ψ and one more chunk (the forward run's rotated copy, or the sweep's cotangent) —
 * a chunk being recomputed or run beside the kept ones adds a third — the probabilities of one row
 * (8·A), and a row of scratch per thread for permutation runs (16·A, twice when a chunk has rows enough
 * for two threads to split it by rows).
 */
export function hostWalkBytes(nQubits: number, batch: number, walk: HostBatching): number {
  const A = 2 ** nQubits, C = walk.chunkRows * A, kept = walk.keptRows * A;
  const chunks = kept === 0 || kept >= batch * A ? Math.max(kept, C) + C : kept + 2 * C;
  return 16 * chunks + 8 * A + (C >= 2 * A ? 2 : 1) * 16 * A;
}

/**
 * The walk over `batch` rows on n qubits: chunks of hostChunkRows rows; with `differentiable`, all final
 * states kept when they are at most HOST_KEEP_STATES_AMPLITUDES amplitudes and the walk then fits in
 * `availableBytes` (the memory limit less the call's working allowance), else none.
 */
export function hostBatching(nQubits: number, batch: number, differentiable: boolean, availableBytes = Infinity): HostBatching {
  const chunkRows = hostChunkRows(nQubits, batch);
  const keepAll: HostBatching = { chunkRows, keptRows: batch };
  const fits = batch * 2 ** nQubits <= (forced?.keepAmplitudes ?? HOST_KEEP_STATES_AMPLITUDES) && hostWalkBytes(nQubits, batch, keepAll) <= availableBytes;
  return differentiable && fits ? keepAll : { chunkRows, keptRows: 0 };
}
