/**
 * `QuantumPooling`: entanglement-based pooling of feature maps [batch, H, W, C]. Each kh×kw neighbourhood
 * (default 2×2, stride = pool size) of each channel is encoded into kh·kw qubits as RY(s·v) (s = π by
 * default), pooled down to `keep` qubits by a pool block (see blocks.ts; schedule in schedule.ts) and
 * measured on the kept qubits only. Outputs per channel: ⟨Z⟩ of each kept qubit (readout 'z'), the
 * Bloch vector (⟨X⟩, ⟨Y⟩, ⟨Z⟩) of each kept qubit (readout 'bloch'), or any observables in kept-qubit
 * numbering; output channel c·nObs + o holds observable o of input channel c.
 *
 * Values outside [0, 1]: RY(π·v) is 2π-periodic in the angle, so v and −v, or v and v + 2, encode the
 * same state; feed values in [0, 1] or choose squash 'sigmoid' (v → σ(v), all of ℝ into (0, 1)) or
 * 'clip'. Padding 'same' pads with zeros, i.e. |0⟩ qubits (unlike tf.maxPool, which ignores padding).
 *
 * The layer is quantum only: its classical counterparts are tf.layers.averagePooling2d /
 * maxPooling2d with the same window (the model zoo's controls use them), as tfjs-layers keeps each kind
 * of pooling its own class.
 */
import { tf } from '../backend';
import { Circuit, MAX_QUBITS, Observable } from '../sim';
import type { DensityBatch } from '../sim';
import { reducedDensityMatrix } from '../inspect';
import {
  CaptureOptions, KernelSpec, Padding, QuantumCapture, QUANTUM_LAYER_OPTIONS, QuantumLayer, QuantumLayerArgs,
  ResolvedInit, WeightInit, WindowSpec, appendEncoding, resolveInit,
} from '../qkc';
import { normalizeObservables, observablesForConfig } from '../qkc/observables';
import { checkOptionKeys, finiteNumber, intPair, oneOf, optionalSeed, orUndefined } from '../qkc/validate';
import { POOL_BLOCKS, PoolBlockName } from './blocks';
import { PARAM_SHARINGS, POOL_READOUTS, ParamSharing, PoolReadout, PooledKernel, poolKernel } from './kernel-pooling';
import { poolingSchedule } from './schedule';
import { SQUASHES, Squash, neighbourhoodRows, squashValues } from './neighbourhoods';
import { badArgument } from '../util/errors';

/** Classical pooling layers of tfjs, named when a classical mode is asked of QuantumPooling. */
const CLASSICAL_COUNTERPARTS: Readonly<Record<string, string>> = { avg: 'tf.layers.averagePooling2d', max: 'tf.layers.maxPooling2d' };

/** Options of QuantumPooling (plus name, inputShape, trainable and the QuantumLayer options). */
export interface QuantumPoolingArgs extends QuantumLayerArgs {
  /** Neighbourhood size (default 2: 2×2). */
  poolSize?: number | [number, number];
  /** Step (default: the pool size, as tf.layers.maxPooling2d). */
  strides?: number | [number, number] | null;
  /** 'valid' (default) or 'same' (zero padding, see the file comment). */
  padding?: Padding;
  /** Pool block (default 'hur'). */
  block?: PoolBlockName;
  /** Kept qubits per neighbourhood (default 1). */
  keep?: number;
  /** Pool-parameter sharing (default 'shared': one set for the whole layer). */
  sharing?: ParamSharing;
  /** Read-out of the kept qubits when `observables` is not given (default 'z'). */
  readout?: PoolReadout;
  /** Observables in kept-qubit numbering ('Z0' = first kept qubit). */
  observables?: Observable[] | null;
  /** Encoding angle scale s (default π). */
  encodingScale?: number;
  /** Value squashing before the encoding (default 'none'). */
  squash?: Squash;
  /** Initial pool angles (default uniform on [0, 2π)). */
  init?: WeightInit;
  /** Seed of the initial weights. */
  seed?: number | null;
}

/** QuantumPooling's own option names (the Record makes the compiler insist every option is listed). */
const POOLING_OPTIONS: Record<Exclude<keyof QuantumPoolingArgs, keyof QuantumLayerArgs>, true> = {
  poolSize: true, strides: true, padding: true, block: true, keep: true, sharing: true, readout: true, observables: true,
  encodingScale: true, squash: true, init: true, seed: true,
};

/** A QuantumPooling capture: the base capture plus the kept qubits' reduced states. */
export interface PoolingCapture extends QuantumCapture {
  /** Kept qubits of the circuit (kept[j] is qubit j of `pooled`). */
  kept: number[];
  /** Reduced density matrices of the kept qubits after pooling, [rows, 2^m, 2^m]. */
  pooled: DensityBatch;
}

/** Entanglement-based quantum pooling layer; see the file comment. */
export class QuantumPooling extends QuantumLayer {
  /** Name under which tfjs serialises the class. */
  static className = 'QuantumPooling';

  readonly window: WindowSpec;
  readonly block: PoolBlockName;
  readonly keep: number;
  readonly sharing: ParamSharing;
  readonly readout: PoolReadout;
  readonly encodingScale: number;
  readonly squash: Squash;
  readonly init: ResolvedInit;
  readonly seed: number | undefined;
  private readonly userObservables: Observable[] | undefined;
  private readonly pooledKernel: PooledKernel;
  private readonly spec: KernelSpec;
  private poolWeights: tf.LayerVariable | null = null;
  private grid: [number | null, number | null] = [null, null];
  private channels: number | null = null;

  constructor(args: QuantumPoolingArgs = {}) {
    super(args);
    checkOptionKeys(args, [...QUANTUM_LAYER_OPTIONS, ...Object.keys(POOLING_OPTIONS)], 'QuantumPooling(args)');
    const poolSize = intPair(orUndefined(args.poolSize) ?? 2, 'poolSize');
    this.window = {
      kernelSize: poolSize,
      strides: intPair(orUndefined(args.strides) ?? poolSize, 'strides'),
      padding: oneOf(orUndefined(args.padding) ?? 'valid', ['valid', 'same'] as const, 'padding'),
    };
    const block = orUndefined(args.block) ?? 'hur';
    const counterpart = typeof block === 'string' ? CLASSICAL_COUNTERPARTS[block] : undefined;
    if (counterpart) {
      throw badArgument(`block: expected a quantum pool block (one of ${POOL_BLOCKS.map((b) => `'${b}'`).join(', ')}), got '${block}'; classical pooling is ${counterpart}`);
    }
    this.block = oneOf(block, POOL_BLOCKS, 'block');
    this.sharing = oneOf(orUndefined(args.sharing) ?? 'shared', PARAM_SHARINGS, 'sharing');
    this.readout = oneOf(orUndefined(args.readout) ?? 'z', POOL_READOUTS, 'readout');
    this.encodingScale = finiteNumber(orUndefined(args.encodingScale) ?? Math.PI, 'encodingScale');
    this.squash = oneOf(orUndefined(args.squash) ?? 'none', SQUASHES, 'squash');
    this.init = resolveInit(orUndefined(args.init));
    this.seed = optionalSeed(args.seed);
    this.userObservables = normalizeObservables(orUndefined(args.observables));
    const keep = orUndefined(args.keep) ?? 1;
    this.keep = keep;
    const n = poolSize[0] * poolSize[1];
    if (n < 2) throw badArgument(`poolSize: a ${poolSize[0]}×${poolSize[1]} neighbourhood has a single value; quantum pooling needs at least 2 qubits`);
    if (n > MAX_QUBITS) throw badArgument(`poolSize: a ${poolSize[0]}×${poolSize[1]} neighbourhood needs ${n} qubits; the simulator allows at most ${MAX_QUBITS}`);
    const encoded = new Circuit(n);
    appendEncoding(encoded, 'ry', n, this.encodingScale);
    this.pooledKernel = poolKernel(encoded, {
      block: this.block, schedule: poolingSchedule(n, keep), sharing: this.sharing,
      readout: this.readout, observables: this.userObservables,
    });
    const { circuit, observables, pooledAt } = this.pooledKernel;
    this.spec = {
      circuit, observables, copies: 1,
      stages: [{ name: 'encoded', at: pooledAt }, { name: 'pooled', at: circuit.ops.length }],
    };
  }

  /** The circuit run on every neighbourhood, its kept qubits, schedule and observables. */
  get pooling(): PooledKernel { return this.pooledKernel; }

  /** The observables measured on every neighbourhood circuit (circuit qubit numbering). */
  get observables(): Observable[] { return this.kernelSpec().observables; }

  /** Outputs per channel: observables per neighbourhood. */
  get outputsPerChannel(): number { return this.spec.observables.length; }

  /** The per-neighbourhood circuit, observables and capture stages ('encoded' = pre-pool, 'pooled'). */
  kernelSpec(): KernelSpec { return this.spec; }

  /** Circuits per sample: output positions × channels (null before the input size is known). */
  patchesPerSample(): number | null {
    const [h, w] = this.grid;
    return h == null || w == null || this.channels == null ? null : h * w * this.channels;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const { channels, grid } = this.inputGrid(inputShape, this.window);
    const p = this.spec.circuit.numWeights;
    if (p > 0 && !this.poolWeights) this.poolWeights = this.addAngleWeights('pool', [p], this.init, this.seed);
    this.channels = channels;
    this.grid = grid;
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const { shape, channels, grid } = this.inputGrid(inputShape, this.window);
    return [shape[0], grid[0], grid[1], channels * this.outputsPerChannel];
  }

  /** The circuit input rows [batch·H'·W'·C, kh·kw] of (squashed) neighbourhood values, in the order `call` runs them. */
  circuitRows(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => neighbourhoodRows(squashValues(x, this.squash), this.window));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const { x, h, w } = this.validatedInput(inputs, this.window, this.channels);
    return tf.tidy(() => {
      const out = this.runCopies(this.circuitRows(x), this.poolWeights ? this.poolWeights.read() : null);
      return tf.reshape(out, [x.shape[0], h, w, x.shape[3] * out.shape[1]]);
    });
  }

  /**
   * Side door for inspection: for feature maps `x` [batch, H, W, C], the pre-pool ('encoded') and
   * post-pool ('pooled') states of every neighbourhood circuit (rows in (sample, row, column, channel)
   * order), the kept qubits' reduced density matrices after pooling, and the outputs `call` computes
   * (exact). Reads only: the layer and its forward results are unchanged.
   */
  capture(x: tf.Tensor4D, options: CaptureOptions = {}): PoolingCapture {
    if (!this.built) this.build(x.shape);
    const { h, w } = this.validatedInput(x, this.window, this.channels);
    const rows = this.circuitRows(x);
    let base: QuantumCapture;
    try {
      base = this.captureRows(rows, this.poolWeights ? this.poolWeights.read() : null, [x.shape[0], h, w, x.shape[3]], options);
    } finally {
      rows.dispose();
    }
    const after = base.stages[base.stages.length - 1].state;
    const pooled = reducedDensityMatrix(after, this.pooling.kept);
    return {
      ...base, kept: [...this.pooling.kept], pooled,
      dispose: () => { base.dispose(); pooled.re.dispose(); pooled.im.dispose(); },
    };
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      poolSize: [...this.window.kernelSize],
      strides: [...this.window.strides],
      padding: this.window.padding,
      block: this.block,
      keep: this.keep,
      sharing: this.sharing,
      readout: this.readout,
      observables: (this.userObservables ? observablesForConfig(this.userObservables) : null) as unknown as tf.serialization.ConfigDictValue,
      encodingScale: this.encodingScale,
      squash: this.squash,
      init: this.init as unknown as tf.serialization.ConfigDictValue,
      seed: this.seed ?? null,
      ...this.quantumConfig(),
      ...super.getConfig(),
    };
  }
}

tf.serialization.registerClass(QuantumPooling);
