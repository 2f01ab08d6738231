/**
 * In-kernel pooling (QCNN style): append pooling stages to a kernel circuit so that its n qubits are
 * pooled down to m kept qubits before measurement. The result's `circuit` and `observables` (on the kept
 * qubits only, which traces the dropped ones out) can be handed to QuantumConv2D as its `circuit` /
 * `observables`, and the result itself as its `pooling`, so the layer knows where pooling starts
 * (`pooledAt`, for capturing the pre-pool state), which qubits stay and which weights are the pool's.
 */
import { Circuit, Observable, PauliSum, parseObservable } from '../sim';
import type { KernelPooling } from '../qkc';
import { normalizeObservables } from '../qkc/observables';
import { oneOf, show } from '../qkc/validate';
import { POOL_BLOCKS, POOL_BLOCK_PARAMS, PoolBlockName, appendPoolBlock } from './blocks';
import { PoolSchedule, checkSchedule, poolingSchedule } from './schedule';
import { badArgument } from '../util/errors';

/** How pool parameters are shared: one set for all pairs, one per stage (as Hur et al.), or one per pair. */
export type ParamSharing = 'shared' | 'per-stage' | 'per-pair';
/** Accepted sharing modes. */
export const PARAM_SHARINGS: readonly ParamSharing[] = ['shared', 'per-stage', 'per-pair'];

/** Default read-outs of the kept qubits: ⟨Z⟩ each, or the full Bloch vector (⟨X⟩, ⟨Y⟩, ⟨Z⟩) each. */
export type PoolReadout = 'z' | 'bloch';
/** Accepted read-outs. */
export const POOL_READOUTS: readonly PoolReadout[] = ['z', 'bloch'];

/** Options of `poolKernel`. */
export interface PoolKernelOptions {
  /** The pool block (not 'avg'/'max', which are classical). */
  block: PoolBlockName;
  /** Kept qubits m (default ⌈n/2⌉: one halving stage); ignored with `schedule`. */
  keep?: number;
  /** Explicit stages of [dropped, kept] pairs instead of the default schedule. */
  schedule?: PoolSchedule;
  /** Parameter sharing across pairs (default 'shared'). */
  sharing?: ParamSharing;
  /** First weight index of the pool parameters (default circuit.numWeights, after the kernel's own). */
  weightOffset?: number;
  /** Read-out when `observables` is not given (default 'z'). */
  readout?: PoolReadout;
  /** Observables in kept-qubit numbering: 'Z0' is the first kept qubit, 'X1 Z0' a correlator of two. */
  observables?: Observable[];
}

/** A kernel circuit with its pooling stage; the record fields (KernelPooling) are what QuantumConv2D keeps as `pooling`. */
export interface PooledKernel extends KernelPooling {
  /** A new circuit: the kernel followed by the pool blocks (the input circuit is not changed). */
  circuit: Circuit;
  block: PoolBlockName;
  sharing: ParamSharing;
  schedule: PoolSchedule;
  /** Observables on the circuit's qubits (remapped from the kept-qubit numbering). */
  observables: Observable[];
}

/** Weight index of the first parameter of pair `pairIndex` in stage `stage`. */
function firstWeightOf(sharing: ParamSharing, offset: number, per: number, stage: number, pairIndex: number): number {
  return offset + per * (sharing === 'shared' ? 0 : sharing === 'per-stage' ? stage : pairIndex);
}

/** Number of parameter sets a schedule needs under `sharing`. */
export function parameterSets(schedule: PoolSchedule, sharing: ParamSharing): number {
  return sharing === 'shared' ? 1 : sharing === 'per-stage' ? schedule.length : schedule.reduce((n, s) => n + s.length, 0);
}

/**
 * Observables on `kept` qubits: the read-out's defaults, or `observables` given in kept-qubit numbering
 * and remapped to circuit qubits (an index ≥ kept.length is an error naming the missing qubit).
 */
export function keptObservables(kept: readonly number[], readout: PoolReadout, observables?: readonly Observable[]): Observable[] {
  if (observables === undefined) {
    return readout === 'z' ? kept.map((q) => `Z${q}`) : kept.flatMap((q) => [`X${q}`, `Y${q}`, `Z${q}`]);
  }
  const normalized = normalizeObservables(observables) as Observable[];
  return normalized.map((o, i): PauliSum => {
    const terms = parseObservable(o, kept.length, `observables[${i}] (kept-qubit numbering, ${kept.length} kept)`);
    return {
      terms: terms.map((t) => [t.coeff, t.factors.length ? t.factors.map((f) => `${f.op}${kept[f.qubit]}`).join(' ') : 'I'] as [number, string]),
    };
  });
}

/** Appends a pooling stage to (a copy of) `kernel`; see PoolKernelOptions and the file comment. */
export function poolKernel(kernel: Circuit, options: PoolKernelOptions): PooledKernel {
  if (!(kernel instanceof Circuit)) throw badArgument(`poolKernel(kernel): expected a Circuit, got ${show(kernel)}`);
  if (!options || typeof options !== 'object') throw badArgument(`poolKernel(options): expected { block, … }, got ${show(options)}`);
  const block = oneOf(options.block, POOL_BLOCKS, 'block');
  const sharing = oneOf(options.sharing ?? 'shared', PARAM_SHARINGS, 'sharing');
  const readout = oneOf(options.readout ?? 'z', POOL_READOUTS, 'readout');
  const n = kernel.nQubits;
  const schedule = options.schedule ?? poolingSchedule(n, options.keep ?? Math.ceil(n / 2));
  const { kept, dropped } = checkSchedule(schedule, n);
  const offset = options.weightOffset ?? kernel.numWeights;
  if (!Number.isInteger(offset) || offset < 0) throw badArgument(`weightOffset: expected a non-negative integer, got ${show(offset)}`);
  if (offset < kernel.numWeights) {
    throw badArgument(`weightOffset: ${offset} would share weights with the kernel, which uses weight(0) … weight(${kernel.numWeights - 1}); use ${kernel.numWeights} or more`);
  }
  const per = POOL_BLOCK_PARAMS[block];
  const circuit = kernel.clone();
  const pooledAt = circuit.ops.length;
  let pairIndex = 0;
  schedule.forEach((stage, s) => {
    for (const [d, k] of stage) appendPoolBlock(circuit, block, d, k, firstWeightOf(sharing, offset, per, s, pairIndex++));
  });
  return {
    circuit, block, sharing, kept, dropped, schedule: schedule.map((stage) => stage.map(([d, k]) => [d, k])),
    observables: keptObservables(kept, readout, options.observables),
    pooledAt,
    poolWeights: { offset, count: per * parameterSets(schedule, sharing) },
  };
}
