/**
 * The record of pooling inside a QuantumConv2D's circuit. src/pooling's `poolKernel` builds the pooled
 * circuit and returns this record with it; the layer keeps it (and saves it in getConfig), so capture and
 * the analyses read where pooling starts, which qubits stay and which weights are the pool's from the
 * layer instead of recognising them in the circuit. It is plain data here because src/qkc sits below
 * src/pooling: the layer checks it against its circuit but does not know the pool blocks.
 */
import type { Circuit } from '../sim';
import { show } from './validate';
import { badArgument } from '../util/errors';

/** Pooling inside a kernel circuit: what `poolKernel` appended and where. */
export interface KernelPooling {
  /** Pool block name (one of src/pooling's POOL_BLOCKS). */
  block: string;
  /** Parameter sharing across pairs ('shared', 'per-stage' or 'per-pair'). */
  sharing: string;
  /** Stages of [dropped, kept] qubit pairs. */
  schedule: Array<Array<[number, number]>>;
  /** Operation index where pooling starts: the state there is the pre-pool state. */
  pooledAt: number;
  /** Kept qubits (ascending). */
  kept: number[];
  /** Dropped qubits in dropping order. */
  dropped: number[];
  /** The pool parameters are weight(offset) … weight(offset + count − 1) of the circuit. */
  poolWeights: { offset: number; count: number };
}

function isIndex(v: unknown, below: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < below;
}

/**
 * `pooling` checked against the layer's user `circuit` and copied to the fields above (extra fields of a
 * `poolKernel` result, such as its circuit, are left out); errors name `arg` and quote the value.
 */
export function checkKernelPooling(pooling: unknown, circuit: Circuit | null, arg = 'pooling'): KernelPooling {
  if (circuit === null) throw badArgument(`${arg}: describes pooling inside a user circuit; pass the pooled circuit as \`circuit\` too (got an ansatz)`);
  if (pooling === null || typeof pooling !== 'object') throw badArgument(`${arg}: expected the record poolKernel returns ({ block, pooledAt, kept, … }), got ${show(pooling)}`);
  const p = pooling as Record<string, unknown>;
  const n = circuit.nQubits;
  for (const key of ['block', 'sharing'] as const) {
    if (typeof p[key] !== 'string' || p[key] === '') throw badArgument(`${arg}.${key}: expected a non-empty string, got ${show(p[key])}`);
  }
  const at = p.pooledAt;
  if (typeof at !== 'number' || !Number.isInteger(at) || at < 1 || at > circuit.ops.length) {
    throw badArgument(`${arg}.pooledAt: expected an operation index in [1, ${circuit.ops.length}] of the ${circuit.ops.length}-operation circuit, got ${show(at)}`);
  }
  const kept = p.kept;
  if (!Array.isArray(kept) || kept.length === 0 || kept.length >= n || !kept.every((q) => isIndex(q, n)) || new Set(kept).size !== kept.length) {
    throw badArgument(`${arg}.kept: expected 1 … ${n - 1} distinct qubits of the ${n}-qubit circuit, got ${show(kept)}`);
  }
  const dropped = p.dropped;
  const expectDropped = Array.from({ length: n }, (_, q) => q).filter((q) => !kept.includes(q));
  if (!Array.isArray(dropped) || dropped.length !== expectDropped.length || !expectDropped.every((q) => dropped.includes(q))) {
    throw badArgument(`${arg}.dropped: expected the qubits not kept (${show(expectDropped)}) in dropping order, got ${show(dropped)}`);
  }
  const schedule = p.schedule;
  if (!Array.isArray(schedule) || !schedule.every((s) => Array.isArray(s) && s.every((pair) => Array.isArray(pair) && pair.length === 2 && isIndex(pair[0], n) && isIndex(pair[1], n)))) {
    throw badArgument(`${arg}.schedule: expected stages of [dropped, kept] qubit pairs of the ${n}-qubit circuit, got ${show(schedule)}`);
  }
  const w = p.poolWeights as { offset?: unknown; count?: unknown } | null | undefined;
  const offset = w?.offset;
  const count = w?.count;
  if (!isIndex(offset, circuit.numWeights + 1) || typeof count !== 'number' || !Number.isInteger(count) || count < 0 || offset + count > circuit.numWeights) {
    throw badArgument(`${arg}.poolWeights: expected { offset, count } within the circuit's ${circuit.numWeights} weight(s), got ${show(w)}`);
  }
  return {
    block: p.block as string, sharing: p.sharing as string,
    schedule: (schedule as Array<Array<[number, number]>>).map((s) => s.map(([d, k]) => [d, k] as [number, number])),
    pooledAt: at, kept: [...kept as number[]].sort((a, b) => a - b), dropped: [...dropped as number[]],
    poolWeights: { offset, count },
  };
}
