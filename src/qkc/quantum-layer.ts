/**
 * `QuantumLayer`: the shared base of qkc's quantum layers (QuantumConv2D, QuantumPooling). It holds what
 * every layer that runs one small circuit per patch needs: the trainer's duck-typed marker
 * (`isQuantumLayer`, a settable `diffMethod`, `circuitExecutions`), shots / noise / simulation options,
 * cost accounting, an execution counter, and a capture "side door" that returns intermediate states
 * without touching what `call` computes. Subclasses supply the circuit (`kernelSpec`) and the patch
 * geometry (`patchesPerSample`), and call `runCopies` from their `call`.
 */
import { tf } from '../backend';
import { Circuit, DiffMethod, ExecutionChoice, Observable, RowGather, StateBatch, describeChoice, fusedRowsExpval, hasNonFinite, simulate, zeroState } from '../sim';
import { DIFF_METHODS, executionsPerRun, measurementBases, shiftedParameters } from './cost';
import { KernelNoise, SIMULATION_METHODS, SimulationMethod, explainKernel, fusedKernel, runKernel } from './run-kernel';
import { ArgumentError, oneOf, orUndefined, positiveInt, show } from './validate';
import { WindowSpec, windowGrid } from './patches';
import { ResolvedInit, seededInitializer } from './init';
import { badArgument } from '../util/errors';

/** tf.layers.Layer's constructor arguments (name, trainable, inputShape, …). */
export type BaseLayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Options every quantum layer takes. */
export interface QuantumLayerArgs extends BaseLayerArgs {
  /** Gradient method (default 'backprop'); the trainer sets it per run. */
  diffMethod?: DiffMethod;
  /** Shots per circuit execution; exact expectations when omitted. */
  shots?: number | null;
  /** Noise model: the kernels then run on the density-matrix simulator. */
  noise?: KernelNoise | null;
  /** 'auto' (compiled fast path when the circuit allows it, the default) or 'gate-by-gate'. */
  simulation?: SimulationMethod;
  /**
   * Whether gradients w.r.t. the layer's inputs are computed (default true). Set false for a first layer
   * on raw data: parameter-shift then skips shifting the encoding angles (cheaper, and counted so).
   */
  inputGradients?: boolean;
}

/** Option names every quantum layer accepts: tf.layers.Layer's own and those of QuantumLayerArgs (a typo is an error). */
export const QUANTUM_LAYER_OPTIONS: readonly string[] = [
  ...((): (keyof QuantumLayerArgs)[] => [
    'inputShape', 'batchInputShape', 'batchSize', 'dtype', 'name', 'trainable', 'weights', 'inputDType',
    'diffMethod', 'shots', 'noise', 'simulation', 'inputGradients',
  ])(),
  'customObjects', // added to the config by tf.loadLayersModel / deserialization
];

/** The circuit a layer runs on every patch, `copies` times with independent weights (filters). */
export interface KernelSpec {
  circuit: Circuit;
  observables: Observable[];
  copies: number;
  /** Named capture points: the state after operation index `at` (exclusive) is recorded. */
  stages: Array<{ name: string; at: number }>;
}

/** What `cost()` reports (per patch, per sample and per circuit). */
export interface QuantumLayerCost {
  layer: string;
  className: string;
  diffMethod: DiffMethod;
  shots: number | null;
  noisy: boolean;
  trainableParams: number;
  qubits: number;
  depth: number;
  gateCounts: Record<string, number>;
  /** Kernel copies (filters) run on every patch. */
  copies: number;
  /** Measurement bases the observables need (each one a separate execution). */
  measurementBases: number;
  /** Shifted parameters P per circuit (four-term gates count 2): weight angles and input angles. */
  shiftedParameters: { weights: number; inputs: number };
  /** Executions per patch over all copies. */
  perPatch: { forward: number; backward: number };
  /** Patches per sample (null before the layer is built). */
  patchesPerSample: number | null;
  /** Executions per sample (null before build); a training step on b samples costs b·(forward + backward). */
  perSample: { forward: number; backward: number } | null;
  /** Which executor runs the kernel on one sample's patches and why (see `explainExecution`). */
  execution?: string;
}

/** Options of `capture`. */
export interface CaptureOptions {
  /** Which kernel copy (filter) to capture (default 0). */
  copy?: number;
  /** Refuse to capture more patches than this (default 100,000), to bound memory. */
  maxPatches?: number;
}

/** Intermediate states of every patch (rows in (sample, row, column) order) and the layer's outputs. */
export interface QuantumCapture {
  layer: string;
  /** Patch grid [batch, …spatial] whose product is the number of rows. */
  grid: number[];
  copy: number;
  /** States [rows, 2^n] at each named stage, in circuit order. */
  stages: Array<{ name: string; state: StateBatch }>;
  /** The copy's outputs [rows, nObs], as `call` computes them without shots. */
  outputs: tf.Tensor2D;
  /** Frees all tensors of the capture. */
  dispose(): void;
}

/** Base class of the quantum layers; see the file comment. */
export abstract class QuantumLayer extends tf.layers.Layer {
  /** The trainer's marker: layers with `isQuantumLayer === true` are quantum (a subclass may run classically). */
  get isQuantumLayer(): boolean { return true; }
  /** Noise model (density-matrix runs) or undefined. */
  readonly noise: KernelNoise | undefined;
  /** Simulation method. */
  readonly simulation: SimulationMethod;
  /** Whether input gradients are computed (false: the inputs receive zero gradient). */
  readonly inputGradients: boolean;
  private _diffMethod: DiffMethod;
  private _shots: number | undefined;
  private readonly counts = { forward: 0, backward: 0 };

  constructor(args: QuantumLayerArgs = {}) {
    super(args);
    this._diffMethod = oneOf(orUndefined(args.diffMethod) ?? 'backprop', DIFF_METHODS, 'diffMethod');
    this._shots = orUndefined(args.shots) === undefined ? undefined : positiveInt(args.shots, 'shots');
    this.simulation = oneOf(orUndefined(args.simulation) ?? 'auto', SIMULATION_METHODS, 'simulation');
    this.noise = orUndefined(args.noise);
    const ig = orUndefined(args.inputGradients);
    if (ig !== undefined && typeof ig !== 'boolean') throw badArgument(`inputGradients: expected true or false, got ${show(ig)}`);
    this.inputGradients = ig ?? true;
  }

  /** Gradient method of later passes. */
  get diffMethod(): DiffMethod { return this._diffMethod; }
  set diffMethod(m: DiffMethod) { this._diffMethod = oneOf(m, DIFF_METHODS, 'diffMethod'); }

  /** Shots per execution (undefined: exact expectations). */
  get shots(): number | undefined { return this._shots; }
  set shots(s: number | undefined) { this._shots = s == null ? undefined : positiveInt(s, 'shots'); }

  /** The per-patch circuit; may throw before build when it depends on the input shape. */
  abstract kernelSpec(): KernelSpec;

  /** Patches per input sample (needs the built input shape). */
  abstract patchesPerSample(): number | null;

  /** A name for errors: "ClassName 'layer-name'". */
  protected get where(): string { return `${this.getClassName()} '${this.name}'`; }

  /**
   * Checks an input shape [batch, H, W, C] (or the first of a list, as tfjs passes to build and
   * computeOutputShape) against `window`; returns the shape, the output grid and the channel count.
   */
  protected inputGrid(inputShape: tf.Shape | tf.Shape[], window: WindowSpec): { shape: (number | null)[]; channels: number; grid: [number | null, number | null] } {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number | null)[];
    const grid = windowGrid(shape, window, this.where);
    const channels = shape[3];
    if (channels == null) throw badArgument(`${this.where} (input shape): the channel count must be known, got ${show(shape)}`);
    return { shape, channels, grid };
  }

  /**
   * A call's input checked (rank 4, `channels` channels when known, finite values: one host read) with
   * its output grid [h, w] for `window`.
   */
  protected validatedInput(inputs: tf.Tensor | tf.Tensor[], window: WindowSpec, channels: number | null): { x: tf.Tensor4D; h: number; w: number } {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const arg = `${this.where} (inputs)`;
    if (!(x instanceof tf.Tensor)) throw new ArgumentError(arg, 'a float32 tensor [batch, height, width, channels]', show(x));
    if (x.dtype !== 'float32') {
      throw new ArgumentError(arg, 'a float32 tensor', show(x), "cast it with tf.cast(x, 'float32') (image pixels usually scaled to [0, 1] too)");
    }
    if (x.rank !== 4) throw new ArgumentError(arg, 'rank 4 [batch, height, width, channels]', `shape ${show(x.shape)}`);
    if (x.size === 0) throw new ArgumentError(arg, 'a non-empty tensor', `shape ${show(x.shape)}`);
    if (channels != null && x.shape[3] !== channels) {
      throw new ArgumentError(arg, `${channels} channel(s), as the layer was built for`, `${x.shape[3]} (shape ${show(x.shape)})`);
    }
    if (hasNonFinite(x)) throw new ArgumentError(arg, 'finite values', 'NaN or infinity');
    const [h, w] = windowGrid(x.shape, window, this.where) as [number, number];
    return { x, h, w };
  }

  /** Adds a trainable angle tensor with seeded initial values (tfjs skips them when loading saved weights). */
  protected addAngleWeights(name: string, shape: number[], init: ResolvedInit, seed?: number): tf.LayerVariable {
    const initializer = seededInitializer(init, seed) as unknown as Parameters<tf.layers.Layer['addWeight']>[3];
    return this.addWeight(name, shape, 'float32', initializer, undefined, true, undefined, () => initializer);
  }

  /**
   * The last `cost()` and the settings it was computed for: the trainer asks for it three times a step
   * (forward count, two execution counts), and it walks the circuit and asks the execution decision.
   */
  private costMemo: { key: unknown[]; cost: QuantumLayerCost } | null = null;

  /** Trainable parameters, qubits, depth, gates and circuit executions for the current diffMethod and shots. */
  cost(options: { inputGradients?: boolean } = {}): QuantumLayerCost {
    const key = [this._diffMethod, this._shots, this.noise, this.simulation, this.trainable, options.inputGradients ?? this.inputGradients,
      this.built, this.built ? this.patchesPerSample() : null, this.built ? this.kernelSpec() : null, this.name];
    const memo = this.costMemo;
    if (memo && memo.key.length === key.length && memo.key.every((v, i) => v === key[i])) return memo.cost;
    const cost = this.computeCost(options);
    this.costMemo = { key, cost };
    return cost;
  }

  private computeCost(options: { inputGradients?: boolean }): QuantumLayerCost {
    const k = this.kernelSpec();
    const n = k.circuit.nQubits;
    const shifted = shiftedParameters(k.circuit);
    const bases = measurementBases(k.observables, n);
    const inputGradients = options.inputGradients ?? this.inputGradients;
    const run = executionsPerRun(this._diffMethod, bases, shifted, inputGradients);
    // A frozen layer (not trainable) needs no weight gradients; without input gradients its backward pass is empty.
    const backward = !this.trainable && !inputGradients ? 0 : run.backward;
    const perPatch = { forward: k.copies * run.forward, backward: k.copies * backward };
    const patches = this.built ? this.patchesPerSample() : null;
    return {
      layer: this.name,
      className: this.getClassName(),
      diffMethod: this._diffMethod,
      shots: this._shots ?? null,
      noisy: this.noise !== undefined,
      // Before build (a layer whose circuit does not depend on the input shape), count the circuit's weights.
      trainableParams: !this.trainable ? 0 : this.built ? this.countParams() : k.copies * k.circuit.numWeights,
      qubits: n,
      depth: k.circuit.depth(),
      gateCounts: k.circuit.gateCounts(),
      copies: k.copies,
      measurementBases: bases,
      shiftedParameters: shifted,
      perPatch,
      patchesPerSample: patches,
      perSample: patches == null ? null : { forward: patches * perPatch.forward, backward: patches * perPatch.backward },
      execution: describeChoice(this.execution(patches ?? 1)),
    };
  }

  /** What runs the kernel on `rows` patches (default one sample's) with the current settings, and why. */
  execution(rows?: number): ExecutionChoice {
    const k = this.kernelSpec();
    return explainKernel(k.circuit, rows ?? (this.built ? this.patchesPerSample() ?? 1 : 1), {
      diffMethod: this._diffMethod, shots: this._shots, noise: this.noise, simulation: this.simulation,
    });
  }

  /** Executions for one pass over `batchSize` samples (the trainer's cost hook). */
  circuitExecutions(batchSize: number, pass: 'forward' | 'backward'): number {
    const per = this.cost().perSample;
    if (per == null) throw badArgument(`${this.where}: circuitExecutions needs a built layer (call the model once or give inputShape)`);
    return batchSize * per[pass];
  }

  /** Executions counted so far by forward and backward passes (since construction or reset). */
  get executions(): { forward: number; backward: number; total: number } {
    return { ...this.counts, total: this.counts.forward + this.counts.backward };
  }

  /** Sets the execution counters to zero. */
  resetExecutions(): void { this.counts.forward = 0; this.counts.backward = 0; }

  /** The weights of copy `c` as a [numWeights] tensor, from a [numWeights] or [copies, numWeights] variable. */
  protected copyWeights(weights: tf.Tensor | null, c: number, copies: number): tf.Tensor1D | null {
    if (weights == null) return null;
    return (copies === 1 ? weights : tf.reshape(tf.slice(weights, [c, 0], [1, -1]), [-1])) as tf.Tensor1D;
  }

  /**
   * Runs every copy of the kernel on `rows` ([rows, numValues] window values) and returns
   * [rows, copies·nObs] (copy-major). Counts forward executions now and backward ones when a gradient
   * flows through, by the cost model of the current diffMethod.
   */
  protected runCopies(rows: tf.Tensor2D, weights: tf.Tensor | null): tf.Tensor2D {
    const k = this.kernelSpec();
    const cols = k.circuit.numInputs;
    const opts = { diffMethod: this._diffMethod, shots: this._shots, noise: this.noise, simulation: this.simulation, inputGradients: this.inputGradients };
    const out = tf.tidy(() => {
      const x = cols === rows.shape[1] ? rows : tf.slice(rows, [0, 0], [-1, cols]) as tf.Tensor2D;
      const parts: tf.Tensor2D[] = [];
      for (let c = 0; c < k.copies; c++) parts.push(runKernel(k.circuit, k.observables, x, this.copyWeights(weights, c, k.copies), opts));
      return parts.length === 1 ? parts[0] : tf.concat(parts, 1) as tf.Tensor2D;
    });
    const perPatch = this.cost().perPatch;
    const patches = rows.shape[0];
    this.counts.forward += patches * perPatch.forward;
    return this.countBackward(out, patches * perPatch.backward);
  }

  /**
   * `runCopies` on the rows `gather` picks from `x`, as one fused node (src/sim/compiled/fused-rows.ts: the same
   * kernels and bits without tfjs's per-op work), shaped `outShape`; undefined when the settings need the
   * op-by-op path (run-kernel's `fusedKernel` decides). Counts executions as `runCopies` does.
   */
  protected runFused(x: tf.Tensor, gather: RowGather | undefined, weights: tf.Tensor | null, outShape: number[]): tf.Tensor | undefined {
    const k = this.kernelSpec();
    if (!gather || !weights || k.copies !== 1 || gather.colOffset.length !== k.circuit.numInputs) return undefined;
    const patches = gather.rowBase.length;
    const parts = fusedKernel(k.circuit, k.observables, patches, {
      diffMethod: this._diffMethod, shots: this._shots, noise: this.noise, simulation: this.simulation, inputGradients: this.inputGradients,
    });
    if (!parts) return undefined;
    const perPatch = this.cost().perPatch;
    this.counts.forward += patches * perPatch.forward;
    return fusedRowsExpval(parts, x, gather, weights as tf.Tensor1D, outShape, () => { this.counts.backward += patches * perPatch.backward; });
  }

  /** Identity whose gradient adds `n` to the backward counter (tfjs calls it once per backward pass). */
  private countBackward(y: tf.Tensor2D, n: number): tf.Tensor2D {
    const counted = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
      // A same-shape reshape shares the data (a clone would copy it: one more wasm op per call).
      value: tf.reshape(args[0] as tf.Tensor, (args[0] as tf.Tensor).shape),
      gradFunc: (dy: tf.Tensor) => { this.counts.backward += n; return dy; },
    }));
    const out = counted(y) as tf.Tensor2D;
    y.dispose();
    return out;
  }

  /**
   * States of copy `copy` at each stage of the kernel for every row of `rows`, plus the outputs the
   * layer computes for them (exact, without shots). Reads only: nothing in the layer changes.
   */
  protected captureRows(rows: tf.Tensor2D, weights: tf.Tensor | null, grid: number[], options: CaptureOptions): QuantumCapture {
    const k = this.kernelSpec();
    const copy = options.copy ?? 0;
    if (!Number.isInteger(copy) || copy < 0 || copy >= k.copies) throw badArgument(`${this.where} capture(copy): expected an integer in [0, ${k.copies - 1}], got ${show(copy)}`);
    const max = options.maxPatches ?? 100_000;
    if (rows.shape[0] > max) {
      throw badArgument(`${this.where} capture: ${rows.shape[0]} patches exceed maxPatches = ${max}; pass fewer samples at a time or raise maxPatches`);
    }
    if (this.noise !== undefined) throw badArgument(`${this.where} capture: states of noisy (density-matrix) runs are not available yet`);
    const stages: QuantumCapture['stages'] = [];
    let outputs: tf.Tensor2D | undefined;
    tf.tidy(() => {
      const w = this.copyWeights(weights, copy, k.copies);
      let state: StateBatch = zeroState(k.circuit.nQubits, rows.shape[0]);
      let from = 0;
      for (const stage of k.stages) {
        const part = new Circuit(k.circuit.nQubits);
        for (const op of k.circuit.ops.slice(from, stage.at)) part.append(op.name, op.wires, op.params, op.matrix);
        const x = tf.slice(rows, [0, 0], [-1, part.numInputs]) as tf.Tensor2D;
        const wPart = w && part.numWeights > 0 ? tf.slice(w, [0], [part.numWeights]) as tf.Tensor1D : undefined;
        state = simulate(part, { inputs: part.numInputs > 0 ? x : undefined, weights: wPart, initialState: state });
        tf.keep(state.re); tf.keep(state.im);
        stages.push({ name: stage.name, state });
        from = stage.at;
      }
      const x = tf.slice(rows, [0, 0], [-1, k.circuit.numInputs]) as tf.Tensor2D;
      outputs = tf.keep(runKernel(k.circuit, k.observables, x, w, { diffMethod: this._diffMethod, simulation: this.simulation, inputGradients: this.inputGradients }));
    });
    return {
      layer: this.name, grid, copy, stages, outputs: outputs as tf.Tensor2D,
      dispose: () => { for (const s of stages) { s.state.re.dispose(); s.state.im.dispose(); } outputs?.dispose(); },
    };
  }

  /** Config entries of the base (merged into each subclass's getConfig). */
  protected quantumConfig(): tf.serialization.ConfigDict {
    return {
      diffMethod: this._diffMethod,
      shots: this._shots ?? null,
      noise: (this.noise ?? null) as unknown as tf.serialization.ConfigDictValue,
      simulation: this.simulation,
      inputGradients: this.inputGradients,
    };
  }
}
