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
 * Re-measured on a quiet machine at 18–24 qubits (2026-12-07 10:18 UTC, load 0.7–1.5; 10–16 qubits kept from
 * the loaded run at 02:27 UTC, where two threads lost at every size): the forward pass loses on two threads at
 * every size (0.39–0.51×; one reason in the code: the single-thread run applies a CNOT ring as one basis
 * permutation pass, the threads apply it gate by gate, one pass per CNOT); forward + gradient ties from 20 qubits (0.99–1.08×) and wins by the rule at 24 × 1 (1.01×, rounds
 * 0.92–1.42; medians 18.5 s on one thread, 15.0 s on two). So: forward never, gradient from 24 qubits
 * (`QKC_HOST_THREADS=1|2` forces either).
 */
export const HOST_THREADS_MIN_QUBITS: Readonly<Record<HostThreadTask, number>> = { forward: 31, gradient: 24 };

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
