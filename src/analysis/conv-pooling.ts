/**
 * Pooling seen from a QuantumConv2D, for capture and the analyses: either a pool block appended to the
 * layer's trained kernel (most models of `qkc reproduce` measure every qubit, so pooling is a probe added
 * after the kernel), or pooling already inside the layer's circuit (built with `poolKernel`, whose record
 * the layer carries as `layer.pooling`: read here, never recognised from the circuit). Either way
 * we build the *other* half as a separate, non-trainable QuantumConv2D with the same window and weights,
 * so that both the pre-pool and the post-pool states come out of a layer's capture side door and the
 * user's layer is never modified.
 */
import { tf } from '../backend';
import { Circuit, Observable } from '../sim';
import { QuantumConv2D, type KernelPooling } from '../qkc';
import {
  POOL_BLOCKS, PoolBlockName, ParamSharing, PoolReadout, PoolSchedule, checkSchedule, poolKernel, poolingSchedule,
} from '../pooling';
import { Rng } from '../util';

/** A pool block appended to a QuantumConv2D's kernel for the analysis (the layer itself is not changed). */
export interface AppendedPool {
  block: PoolBlockName;
  /** Kept qubits (default ⌈n/2⌉: one halving stage); ignored with `schedule`. */
  keep?: number;
  /** Explicit [dropped, kept] stages instead of the default halving schedule. */
  schedule?: PoolSchedule;
  /** Parameter sharing across pairs (default 'shared'). */
  sharing?: ParamSharing;
  /** Read-out of the kept qubits (default 'z'). */
  readout?: PoolReadout;
  /** Pool parameters (as many as the block and sharing need); default: uniform on [0, 2π) from `seed`. */
  weights?: ArrayLike<number>;
  /** Seed of the default pool parameters (default 0). */
  seed?: number;
}

/** Pooling already inside a QuantumConv2D's circuit (as `poolKernel` returns it): where it starts and which qubits stay. */
export interface InCircuitPool {
  pooledAt: number;
  kept: readonly number[];
}

/**
 * How a QuantumConv2D's patches are pooled for capture. Default: the pooling inside the layer's circuit
 * when the layer has one (`layer.pooling`, e.g. the hybrid-kpool model), else an appended 'trace-out'
 * keeping ⌈n/2⌉ qubits.
 */
export type PoolSpec = AppendedPool | InCircuitPool;

/** What pooling a capture used. */
export interface PoolInfo {
  /** 'appended' (probe after the kernel), 'in-circuit' (in the layer's circuit) or 'layer' (a QuantumPooling layer). */
  source: 'appended' | 'in-circuit' | 'layer';
  /** Pool block name (null when the circuit's pooling was given by position only). */
  block: string | null;
  kept: number[];
  dropped: number[];
  /** Pool parameters of the block (appended, detected in the circuit, or the QuantumPooling layer's; empty when unknown). */
  weights: number[];
  /** Observables of the pooled read-out (circuit qubit numbering). */
  observables: Observable[];
}

/** The two layers whose captures give a QuantumConv2D's pre-pool and post-pool states. */
export interface ConvPooling {
  /** Layer whose last stage is the pre-pool state (the user's layer when the pool is appended). */
  pre: QuantumConv2D;
  /** Layer whose last stage is the post-pool state (the user's layer when the pool is in its circuit). */
  post: QuantumConv2D;
  /** Which one is the user's layer. */
  userLayer: 'pre' | 'post';
  info: PoolInfo;
  /** Frees the helper layer's weights. */
  dispose(): void;
}

function isInCircuit(spec: PoolSpec): spec is InCircuitPool {
  return typeof (spec as InCircuitPool).pooledAt === 'number';
}

/** Weights of filter `copy` of a built QuantumConv2D as plain numbers ([] when the circuit has none). */
export function convCopyWeights(layer: QuantumConv2D, copy: number): number[] {
  const ws = layer.getWeights();
  if (ws.length === 0) return [];
  const w = ws[0];
  if (!Number.isInteger(copy) || copy < 0 || copy >= layer.filters) {
    throw new Error(`copy: expected an integer in [0, ${layer.filters - 1}] (the filters of ${layer.name}), got ${copy}`);
  }
  const all = Array.from(w.dataSync());
  const p = layer.kernelCircuit.numWeights;
  return layer.filters === 1 ? all : all.slice(copy * p, (copy + 1) * p);
}

/** Seeded pool parameters, uniform on [0, 2π). */
export function randomPoolWeights(count: number, seed = 0): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => 2 * Math.PI * rng.next());
}

/**
 * A non-trainable QuantumConv2D with `layer`'s window, running `circuit` with `observables` and weights
 * `weights`, built for inputs [*, ...inputShape]. Used for probe layers around a user's layer.
 */
export function probeConv(layer: QuantumConv2D, circuit: Circuit, observables: Observable[], weights: readonly number[], inputShape: readonly number[]): QuantumConv2D {
  const probe = new QuantumConv2D({
    kernelSize: layer.window.kernelSize, strides: layer.window.strides, padding: layer.window.padding,
    circuit, observables, simulation: layer.simulation, inputGradients: false, trainable: false, diffMethod: 'backprop',
  });
  probe.build([null, ...inputShape]);
  if (circuit.numWeights > 0) {
    if (weights.length !== circuit.numWeights) throw new Error(`probe weights: expected ${circuit.numWeights} values, got ${weights.length}`);
    const t = tf.tensor1d([...weights]);
    probe.setWeights([t]);
    t.dispose();
  }
  return probe;
}

/** Frees a probe layer's weights (tfjs refuses Layer.dispose() on a layer that was never applied symbolically). */
export function disposeProbe(layer: tf.layers.Layer): void {
  for (const w of layer.weights) w.dispose();
}

/** ⟨Z⟩ on every qubit of an n-qubit circuit. */
export function allZ(n: number): Observable[] {
  return Array.from({ length: n }, (_, q) => `Z${q}`);
}

/** The first `at` operations of `circuit` as a new circuit. */
export function circuitPrefix(circuit: Circuit, at: number): Circuit {
  const c = new Circuit(circuit.nQubits);
  for (const op of circuit.ops.slice(0, at)) c.append(op.name, op.wires, op.params, op.matrix);
  return c;
}

/** The kernel of `layer` (copy `copy`) followed by an appended pool block: circuit, observables, kept/dropped and full weights. */
export function appendedPoolCircuit(layer: QuantumConv2D, copy: number, spec: AppendedPool) {
  if (!POOL_BLOCKS.includes(spec.block)) {
    throw new Error(`pool.block: expected one of ${POOL_BLOCKS.map((b) => `'${b}'`).join(', ')}, got ${JSON.stringify(spec.block)}`);
  }
  const kernel = layer.kernelCircuit;
  const n = kernel.nQubits;
  const schedule = spec.schedule ?? poolingSchedule(n, spec.keep ?? Math.ceil(n / 2));
  const pk = poolKernel(kernel, { block: spec.block, schedule, sharing: spec.sharing, readout: spec.readout, weightOffset: kernel.numWeights });
  const count = pk.poolWeights.count;
  const poolW = spec.weights === undefined ? randomPoolWeights(count, spec.seed ?? 0) : Array.from(spec.weights, Number);
  if (poolW.length !== count) throw new Error(`pool.weights: block '${spec.block}' with this schedule and sharing needs ${count} parameter(s), got ${poolW.length}`);
  const bad = poolW.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`pool.weights: expected finite numbers, found ${poolW[bad]} at index ${bad}`);
  return { pooled: pk, poolWeights: poolW, weights: [...convCopyWeights(layer, copy), ...poolW] };
}

/** The kernel of a QuantumConv2D without its in-circuit pooling, if any (circuit and filter `copy`'s weights), and that pooling. */
export function kernelWithoutPool(layer: QuantumConv2D, copy: number): { circuit: Circuit; weights: number[]; pooling: KernelPooling | null } {
  const pooling = layer.pooling;
  const all = convCopyWeights(layer, copy);
  if (!pooling) return { circuit: layer.kernelCircuit, weights: all, pooling };
  const circuit = circuitPrefix(layer.kernelCircuit, pooling.pooledAt);
  return { circuit, weights: all.slice(0, circuit.numWeights), pooling };
}

/** The trained pool parameters of filter `copy` of a layer whose circuit pools. */
export function inKernelPoolWeights(layer: QuantumConv2D, copy: number, pooling: KernelPooling): number[] {
  return convCopyWeights(layer, copy).slice(pooling.poolWeights.offset, pooling.poolWeights.offset + pooling.poolWeights.count);
}

/** Builds the pre/post layer pair of a built QuantumConv2D for inputs [*, ...inputShape]; see the file comment. */
export function convPooling(layer: QuantumConv2D, inputShape: readonly number[], copy: number, given?: PoolSpec): ConvPooling {
  const circuit = layer.kernelCircuit;
  const own = layer.pooling;
  const spec: PoolSpec = given ?? own ?? { block: 'trace-out' };
  if (isInCircuit(spec)) {
    const { pooledAt } = spec;
    if (!Number.isInteger(pooledAt) || pooledAt < 1 || pooledAt > circuit.ops.length) {
      throw new Error(`pool.pooledAt: expected an operation index in [1, ${circuit.ops.length}] of ${layer.name}'s circuit, got ${pooledAt}`);
    }
    const n = circuit.nQubits;
    const kept = [...spec.kept];
    if (kept.length === 0 || kept.length >= n || kept.some((q) => !Number.isInteger(q) || q < 0 || q >= n) || new Set(kept).size !== kept.length) {
      throw new Error(`pool.kept: expected 1 … ${n - 1} distinct qubits of ${layer.name}'s ${n}-qubit circuit, got [${kept.join(', ')}]`);
    }
    const prefix = circuitPrefix(circuit, pooledAt);
    const w = convCopyWeights(layer, copy).slice(0, prefix.numWeights);
    const pre = probeConv(layer, prefix, allZ(n), w, inputShape);
    const dropped = Array.from({ length: n }, (_, q) => q).filter((q) => !kept.includes(q));
    // The layer's own record names the block and its weights when the spec points at the same place.
    const found = own && own.pooledAt === pooledAt ? own : null;
    return {
      pre, post: layer, userLayer: 'post',
      info: {
        source: 'in-circuit', block: found?.block ?? null, kept: [...kept].sort((a, b) => a - b), dropped,
        weights: found ? inKernelPoolWeights(layer, copy, found) : [],
        observables: [...layer.observables],
      },
      dispose: () => disposeProbe(pre),
    };
  }
  const { pooled, poolWeights, weights } = appendedPoolCircuit(layer, copy, spec);
  checkSchedule(pooled.schedule, circuit.nQubits, 'pool.schedule');
  const post = probeConv(layer, pooled.circuit, pooled.observables, weights, inputShape);
  return {
    pre: layer, post, userLayer: 'pre',
    info: { source: 'appended', block: spec.block, kept: pooled.kept, dropped: pooled.dropped, weights: poolWeights, observables: pooled.observables },
    dispose: () => disposeProbe(post),
  };
}
