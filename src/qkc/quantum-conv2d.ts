/**
 * `QuantumConv2D`: quantum kernel convolution (quanvolution). Every kh×kw×C window of a [batch, H, W, C]
 * input is encoded into qubits, run through a trainable kernel circuit, and read out as expectation
 * values; `filters` independent kernels give filters·nObs output channels. All windows of all samples
 * form one batch of circuits: patches come from one im2col op and every gate acts on all of them.
 */
import { tf, withZeroGradient } from '../backend';
import { Circuit, CircuitJSON, MAX_QUBITS, Observable, RowGather, isParamRef } from '../sim';
import { measurementBases } from './cost';
import {
  ANSATZE, AnsatzName, ENCODINGS, ENTANGLEMENTS, Encoding, Entanglement, buildKernelCircuit, encodingQubits,
} from './ansatz';
import { ResolvedInit, WeightInit, resolveInit } from './init';
import { Padding, WindowSpec, extractPatches, windowOffsets } from './patches';
import { KernelPooling, checkKernelPooling } from './kernel-pooling';
import { CaptureOptions, KernelSpec, QUANTUM_LAYER_OPTIONS, QuantumCapture, QuantumLayer, QuantumLayerArgs } from './quantum-layer';
import { defaultObservables, normalizeObservables, observablesForConfig } from './observables';
import { checkOptionKeys, finiteNumber, intPair, oneOf, optionalSeed, orUndefined, positiveInt, show } from './validate';
import { badArgument } from '../util/errors';

/** Options of QuantumConv2D (plus name, inputShape, trainable and the QuantumLayer options). */
export interface QuantumConv2DArgs extends QuantumLayerArgs {
  /** Window size (default 2). */
  kernelSize?: number | [number, number];
  /** Window step (default 1, as tf.layers.conv2d). */
  strides?: number | [number, number];
  /** 'valid' (default) or 'same' (zero padding). */
  padding?: Padding;
  /** Independent kernels, each with its own weights (default 1). */
  filters?: number;
  /** 'ry' (default): RY(s·x) per value; 'rx'; 'dense': two values per qubit, RY then RZ. */
  encoding?: Encoding;
  /** Encoding angle scale s (default π). */
  encodingScale?: number;
  /** Trainable template (default 'hardware-efficient'); not with `circuit`. */
  ansatz?: AnsatzName | null;
  /** Template depth (default 1). */
  layers?: number;
  /** Repeat the encoding before every template layer (default false). */
  reupload?: boolean;
  /** RealAmplitudes CX pattern (default 'reverse-linear', Qiskit's default). */
  entanglement?: Entanglement;
  /** A user kernel: input(i) is window value i (row, column, channel order), weight(j) the layer's weights. */
  circuit?: Circuit | CircuitJSON | null;
  /** Observables per kernel (default ⟨Z⟩ on each qubit). */
  observables?: Observable[] | null;
  /** Pooling inside `circuit`: the `poolKernel` result the circuit came from (its record is kept and saved). */
  pooling?: KernelPooling | null;
  /** Weight initialisation (default uniform on [0, 2π)). */
  init?: WeightInit;
  /** Seed of the initial weights. */
  seed?: number | null;
}

/** QuantumConv2D's own option names (the Record makes the compiler insist every option is listed). */
const CONV2D_OPTIONS: Record<Exclude<keyof QuantumConv2DArgs, keyof QuantumLayerArgs>, true> = {
  kernelSize: true, strides: true, padding: true, filters: true, encoding: true, encodingScale: true, ansatz: true, layers: true,
  reupload: true, entanglement: true, circuit: true, observables: true, pooling: true, init: true, seed: true,
};

/** Largest number of amplitudes a single batched state may hold (2^27 float32 = 512 MiB per part). */
const MAX_AMPLITUDES = 2 ** 27;

/** Quantum kernel convolution layer; see the file comment. */
export class QuantumConv2D extends QuantumLayer {
  /** Name under which tfjs serialises the class. */
  static className = 'QuantumConv2D';

  readonly window: WindowSpec;
  readonly filters: number;
  readonly encoding: Encoding;
  readonly encodingScale: number;
  readonly ansatz: AnsatzName | null;
  readonly layers: number;
  readonly reupload: boolean;
  readonly entanglement: Entanglement;
  readonly init: ResolvedInit;
  readonly seed: number | undefined;
  /** Pooling inside the kernel circuit (where it starts, kept qubits, pool weights), or null for none. */
  readonly pooling: KernelPooling | null;
  private readonly userCircuit: Circuit | null;
  private readonly userObservables: Observable[] | undefined;
  private spec: KernelSpec | null = null;
  private kernelWeights: tf.LayerVariable | null = null;
  private builtChannels = 0;
  private grid: [number | null, number | null] = [null, null];

  constructor(args: QuantumConv2DArgs = {}) {
    super(args);
    checkOptionKeys(args, [...QUANTUM_LAYER_OPTIONS, ...Object.keys(CONV2D_OPTIONS)], 'QuantumConv2D(args)');
    const kernelSize = intPair(orUndefined(args.kernelSize) ?? 2, 'kernelSize');
    this.window = {
      kernelSize,
      strides: intPair(orUndefined(args.strides) ?? 1, 'strides'),
      padding: oneOf(orUndefined(args.padding) ?? 'valid', ['valid', 'same'] as const, 'padding'),
    };
    this.filters = positiveInt(orUndefined(args.filters) ?? 1, 'filters');
    this.encoding = oneOf(orUndefined(args.encoding) ?? 'ry', ENCODINGS, 'encoding');
    this.encodingScale = finiteNumber(orUndefined(args.encodingScale) ?? Math.PI, 'encodingScale');
    this.layers = positiveInt(orUndefined(args.layers) ?? 1, 'layers');
    if (args.reupload != null && typeof args.reupload !== 'boolean') throw badArgument(`reupload: expected true or false, got ${show(args.reupload)}`);
    this.reupload = args.reupload ?? false;
    const ent = orUndefined(args.entanglement);
    this.entanglement = oneOf(typeof ent === 'string' ? ent.replace(/_/g, '-') : ent ?? 'reverse-linear', ENTANGLEMENTS, 'entanglement');
    this.init = resolveInit(orUndefined(args.init));
    this.seed = optionalSeed(args.seed);
    const circuit = orUndefined(args.circuit);
    const ansatz = orUndefined(args.ansatz);
    if (circuit !== undefined && ansatz !== undefined) {
      throw badArgument(`circuit: pass either a user circuit or ansatz '${ansatz}', not both`);
    }
    this.ansatz = circuit !== undefined ? null : oneOf(ansatz ?? 'hardware-efficient', ANSATZE, 'ansatz');
    this.userCircuit = circuit === undefined ? null : circuit instanceof Circuit ? circuit.clone() : Circuit.fromJSON(circuit);
    this.userObservables = normalizeObservables(orUndefined(args.observables));
    if (this.userCircuit) {
      if (this.userCircuit.numInputs === 0) throw badArgument('circuit: reads no input(i); a convolution kernel must encode its window values');
      measurementBases(this.userObservables ?? defaultObservables(this.userCircuit.nQubits), this.userCircuit.nQubits);
    }
    const pooling = orUndefined(args.pooling);
    this.pooling = pooling === undefined ? null : checkKernelPooling(pooling, this.userCircuit);
  }

  /** Window values per patch for `channels` input channels. */
  private windowValues(channels: number): number {
    return this.window.kernelSize[0] * this.window.kernelSize[1] * channels;
  }

  /** Qubits of the kernel for `channels` input channels. */
  private qubitsFor(channels: number): number {
    return this.userCircuit ? this.userCircuit.nQubits : encodingQubits(this.encoding, this.windowValues(channels));
  }

  /** Output channels for `channels` input channels: filters × observables. */
  private outChannels(channels: number): number {
    return this.filters * (this.userObservables?.length ?? this.qubitsFor(channels));
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const { shape, channels, grid } = this.inputGrid(inputShape, this.window);
    const [kh, kw] = this.window.kernelSize;
    const nValues = this.windowValues(channels);
    let circuit: Circuit;
    let encodedAt: number;
    if (this.userCircuit) {
      circuit = this.userCircuit;
      if (circuit.numInputs > nValues) {
        throw badArgument(`${this.where} (circuit): the circuit reads input(${circuit.numInputs - 1}) but a ${kh}×${kw}×${channels} window has ${nValues} values (input shape ${show(shape)}); check kernelSize and the input's channel count`);
      }
      const firstWeighted = circuit.ops.findIndex((op) => op.params.some((p) => isParamRef(p) && p.kind === 'weight'));
      encodedAt = firstWeighted < 0 ? circuit.ops.length : firstWeighted;
    } else {
      const n = encodingQubits(this.encoding, nValues);
      if (n > MAX_QUBITS) {
        throw badArgument(`${this.where} (kernelSize): a ${kh}×${kw}×${channels} window with encoding '${this.encoding}' needs ${n} qubits; the simulator allows at most ${MAX_QUBITS} (use a smaller kernelSize, fewer channels or encoding 'dense')`);
      }
      ({ circuit, encodedAt } = buildKernelCircuit({
        encoding: this.encoding, nValues, scale: this.encodingScale, ansatz: this.ansatz as AnsatzName,
        layers: this.layers, reupload: this.reupload, entanglement: this.entanglement,
      }));
    }
    const observables = this.userObservables ?? defaultObservables(circuit.nQubits);
    measurementBases(observables, circuit.nQubits, `${this.where} (observables)`);
    this.spec = {
      circuit, observables, copies: this.filters,
      stages: [{ name: 'encoded', at: encodedAt }, { name: 'kernel', at: circuit.ops.length }],
    };
    const p = circuit.numWeights;
    if (p > 0) {
      const wShape = this.filters === 1 ? [p] : [this.filters, p];
      this.kernelWeights = this.addAngleWeights('kernel', wShape, this.init, this.seed);
    }
    this.builtChannels = channels;
    this.grid = grid;
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const { shape, channels, grid } = this.inputGrid(inputShape, this.window);
    return [shape[0], grid[0], grid[1], this.outChannels(channels)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const { x, h, w } = this.validatedInput(inputs, this.window, this.builtChannels);
    const spec = this.kernelSpec();
    const rowsN = x.shape[0] * h * w;
    if (rowsN * 2 ** spec.circuit.nQubits > MAX_AMPLITUDES) {
      throw badArgument(`${this.where} (inputs): ${rowsN} patches × 2^${spec.circuit.nQubits} amplitudes exceed the simulator's budget of 2^27 per state batch; use a smaller batch`);
    }
    const weights = this.kernelWeights ? this.kernelWeights.read() : null;
    const fused = this.runFused(x, this.gatherFor(x.shape, spec.circuit.numInputs), weights, [x.shape[0], h, w, this.filters * spec.observables.length]);
    if (fused) return fused;
    return tf.tidy(() => {
      // Without input gradients the window extraction is one untaped node (no saved copies).
      const rows = this.inputGradients ? this.circuitRows(x) : withZeroGradient((t: tf.Tensor4D) => this.circuitRows(t), x);
      const out = this.runCopies(rows, weights);
      return tf.reshape(out, [x.shape[0], h, w, out.shape[1]]);
    });
  }

  /** The last input shape's window offsets (the fused path's row gather), rebuilt when the shape changes. */
  private gatherMemo: { shape: string; gather: RowGather | undefined } | null = null;

  private gatherFor(shape: number[], values: number): RowGather | undefined {
    const key = `${shape.join(',')}|${values}`;
    if (this.gatherMemo?.shape !== key) this.gatherMemo = { shape: key, gather: windowOffsets(shape, this.window, values) };
    return this.gatherMemo.gather;
  }

  /** The circuit input rows [batch·H'·W', window values] of images `x`, in the order `call` runs them. */
  circuitRows(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      const patches = extractPatches(x, this.window);
      return tf.reshape(patches, [-1, patches.shape[3]]) as tf.Tensor2D;
    });
  }

  /** The kernel circuit, observables, filters and capture stages (after build). */
  kernelSpec(): KernelSpec {
    if (!this.spec) throw badArgument(`${this.where}: not built yet; call it on an input (or give inputShape) first`);
    return this.spec;
  }

  /** Output positions per sample (H'·W'; null when the input size is unknown). */
  patchesPerSample(): number | null {
    return this.grid[0] == null || this.grid[1] == null ? null : this.grid[0] * this.grid[1];
  }

  /** The kernel circuit (input(i) = window value i, weight(j) = weight j of each filter). */
  get kernelCircuit(): Circuit { return this.kernelSpec().circuit; }

  /** The observables read from each kernel. */
  get observables(): Observable[] { return this.kernelSpec().observables; }

  /**
   * Side door for inspection: for images `x` [batch, H, W, C], the encoded state and the state after
   * the kernel of every patch (rows in (sample, row, column) order) and the outputs of filter `copy`.
   */
  capture(x: tf.Tensor4D, options: CaptureOptions = {}): QuantumCapture {
    if (!this.built) this.build(x.shape);
    const { h, w } = this.validatedInput(x, this.window, this.builtChannels);
    const rows = this.circuitRows(x);
    try {
      return this.captureRows(rows, this.kernelWeights ? this.kernelWeights.read() : null, [x.shape[0], h, w], options);
    } finally {
      rows.dispose();
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      kernelSize: [...this.window.kernelSize],
      strides: [...this.window.strides],
      padding: this.window.padding,
      filters: this.filters,
      encoding: this.encoding,
      encodingScale: this.encodingScale,
      ansatz: this.ansatz,
      layers: this.layers,
      reupload: this.reupload,
      entanglement: this.entanglement,
      circuit: (this.userCircuit ? this.userCircuit.toJSON() : null) as unknown as tf.serialization.ConfigDictValue,
      observables: (this.userObservables ? observablesForConfig(this.userObservables) : null) as unknown as tf.serialization.ConfigDictValue,
      init: this.init as unknown as tf.serialization.ConfigDictValue,
      seed: this.seed ?? null,
      // Only when set, so the configs (and architecture hashes) of layers without in-kernel pooling stay as they were.
      ...(this.pooling ? { pooling: this.pooling as unknown as tf.serialization.ConfigDictValue } : {}),
      ...this.quantumConfig(),
      ...super.getConfig(),
    };
  }
}

tf.serialization.registerClass(QuantumConv2D);
