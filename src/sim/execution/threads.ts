/**
 * How many threads the host kernel uses for a run: part of the execution decision (explainExecution
 * reports it; the host executor asks it). Two threads split each state vector (src/sim/host/
 * host-parallel.ts) from the register sizes where `npm run bench -- host-threads` measured them faster.
 */
import { Circuit } from '../circuit';
import { availableCores } from '../host/host-threads';
import { badArgument } from '../../util/errors';

/** What the host kernel runs: a forward pass, or a forward pass and its adjoint sweep. */
export type HostThreadTask = 'forward' | 'gradient';

/**
 * From these register sizes the host kernel runs on two threads, per task, when the process has ≥ 2
 * cores: the smallest size from which two threads were faster at every larger measured size, at batch 1
 * and at a small batch (`npm run bench -- host-threads`, bench/results/host-threads.json; 31 = never).
 * Re-measured after the host-kernel fusions at 10–20 qubits (2026-12-07, load 9–12 with the lead's sweep
 * paused): two threads lost at every size and both tasks there. 24 × 1 re-measured after them (2026-12-07
 * 05:48 UTC, load 3.7–4.3, under the sweep): two threads lost there too (forward + gradient 0.61×, rounds
 * 0.42–0.91; forward 0.37×), so no size is left where they won: one thread everywhere (`QKC_HOST_THREADS=2` forces two).
 */
export const HOST_THREADS_MIN_QUBITS: Readonly<Record<HostThreadTask, number>> = { forward: 31, gradient: 31 };

/** Most threads the host kernel uses (a state splits into halves by its top qubit). */
export const MAX_HOST_THREADS = 2;

/** Environment variable that fixes the host kernel's thread count (1 or 2; unset: the measured rule). */
export const HOST_THREADS_ENV = 'QKC_HOST_THREADS';

/** The thread count `QKC_HOST_THREADS` asks for, or undefined when unset. */
function threadsFromEnv(): number | undefined {
  const v = process.env[HOST_THREADS_ENV];
  if (v === undefined || v.trim() === '' || v.trim() === 'auto') return undefined;
  const k = Number(v);
  if (!Number.isInteger(k) || k < 1 || k > MAX_HOST_THREADS) throw badArgument(`${HOST_THREADS_ENV}: expected 'auto' or an integer from 1 to ${MAX_HOST_THREADS}, got ${JSON.stringify(v)}`);
  return k;
}

/**
 * Threads for a host run of `circuit` on `batch` rows, and why. Parameter-shift's stacked batches and
 * gates on every qubit (nothing left to split on) run on one thread.
 */
export function hostThreads(circuit: Circuit, batch: number, task: HostThreadTask | 'parameter-shift'): { threads: number; why: string } {
  const n = circuit.nQubits;
  if (task === 'parameter-shift') return { threads: 1, why: 'parameter-shift batches run on one thread' };
  if (n < 2 || circuit.ops.some((op) => op.wires.length >= n)) return { threads: 1, why: 'a gate acts on every qubit: no qubit left to split the state on' };
  const forced = threadsFromEnv();
  if (forced !== undefined) return { threads: forced, why: `${HOST_THREADS_ENV}=${forced}` };
  const cores = availableCores(), min = HOST_THREADS_MIN_QUBITS[task];
  if (cores < 2) return { threads: 1, why: `${cores} core available` };
  if (n < min) return { threads: 1, why: `${n} < ${min} qubits (HOST_THREADS_MIN_QUBITS.${task}): one thread is as fast there` };
  return { threads: MAX_HOST_THREADS, why: `${n} ≥ ${min} qubits on ${cores} cores (HOST_THREADS_MIN_QUBITS.${task}): ${batch % MAX_HOST_THREADS === 0 ? 'rows' : 'halves of every state'} split between ${MAX_HOST_THREADS} threads, states in shared memory` };
}
