/**
 * A trained hybrid under device noise: each quantum layer's circuit (a QuantumConv2D kernel, a
 * QuantumPooling block) is transpiled once for the device and the layer replaced by one that feeds the
 * same circuit rows to the transpiled circuit under the device's calibrated noise, run by `expval` —
 * whose execution decision picks the superoperator executor for such circuits (exact expectations, and
 * finite shots); the classical layers are shared with the trained model. Aer evaluates the same
 * transpiled circuits on rows of real test images as a cross-check (optionally on every row of the set).
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../backend';
import { describeChoice, explainExecution, expval } from '../sim';
import type { ExecutorSetting } from '../sim';
import { QuantumConv2D, QuantumLayer } from '../qkc';
import { QuantumPooling } from '../pooling';
import { evaluateModel } from '../train';
import type { BatchSource } from '../train';
import { Rng, readFormattedJson } from '../util';
import { DeviceInfo, DeviceKernel, transpileForDevices } from './device-kernel';

/** Options of `noiseEvaluate`. */
export interface NoiseEvalOptions {
  /** Fake device names, e.g. ['fake_manila']. */
  devices: string[];
  /** Finite shots per patch for the sampled evaluation (exact only when omitted). */
  shots?: number;
  /** Circuit rows of test images on which Aer cross-checks each transpiled kernel (default 32; 0: none). */
  checkWindows?: number;
  /** Aer evaluates every circuit row of the test set instead (its time on the whole evaluation; slow). */
  aerFull?: boolean;
  batchSize?: number;
  seed?: number;
  /**
   * Indices into the model's quantum layers (in model order; hybrid-qpool: 0 the kernel, 1 its
   * QuantumPooling block) of those run under the device's noise; the others keep their noiseless
   * simulation (default: all). Separates what each layer's noise does to a model with layers in series.
   */
  noisyLayers?: readonly number[];
  /**
   * Also measure, on every test image, how far the last quantum layer's outputs (what the classical head
   * reads) move from the noiseless model's under the device noise (exact; one more pass of the noisy layers).
   */
  headShift?: boolean;
  /** Called with a line of progress text. */
  log?: (line: string) => void;
}

/** The cross-check of one transpiled kernel against Aer on the same windows. */
export interface AerCheck {
  windows: number;
  /** max |qkc exact − Aer exact density matrix| over windows × observables (both qkc executors). */
  maxAbsExact: number;
  /** max |qkc exact − Aer sampled| / (1/√shots) (a few units: within shot error). */
  maxShotZ: number | null;
  /** Wall-clock seconds on these windows: qkc gate by gate (density executor; omitted on a full-set check) and composed (superoperator executor), Aer exact and with shots. */
  seconds: { qkcGateByGate: number | null; qkcFused: number; aerExact: number; aerShots: number | null };
  /** CPU seconds of the same (process CPU time, all threads; comparable under a shared machine's load; absent in older records). */
  cpuSeconds?: { qkcFused: number; aerExact: number; aerShots: number | null };
}

/** Results on one device. */
export interface DeviceEvaluation {
  device: DeviceInfo;
  kernels: {
    layer: string; qubits: number; gates: Record<string, number>; depth: number; channels: number; aer: AerCheck | null;
    /** What ran the transpiled circuit on one batch and why (explainExecution; absent in older records). */
    execution?: string;
    /** This layer's own noise in the exact evaluation, on the inputs it received there (absent in older records). */
    shift?: LayerShift;
  }[];
  /** Accuracy and loss under the device's noise, wall-clock and CPU seconds (all threads) of the evaluation. */
  exact: { accuracy: number; loss: number; seconds: number; cpuSeconds?: number };
  /** With `headShift`: the last quantum layer's outputs under this device's noise (exact) against the noiseless model's, same images. */
  headShift?: LayerShift;
  shots: { shots: number; accuracy: number; loss: number; seconds: number; cpuSeconds?: number } | null;
}

/**
 * How far one noisy layer's outputs moved, on the inputs it received: mean |noisy − noiseless| over every
 * output of the evaluated set, beside the spread (standard deviation) of its noiseless outputs over the set.
 */
export interface LayerShift { meanAbs: number; noiselessStd: number; outputs: number }

/** What `noiseEvaluate` returns. */
export interface NoiseEvaluation {
  samples: number;
  /** The model's quantum layers in order (absent in older records). */
  quantumLayers?: { layer: string; className: string }[];
  /** Indices into `quantumLayers` of those run under device noise (absent in older records: all of them). */
  noisyLayers?: number[];
  noiseless: { accuracy: number; loss: number; seconds: number };
  devices: DeviceEvaluation[];
}

/** Format tag of the results files `qkc noise-eval` writes. */
export const NOISE_EVAL_FORMAT = 'qkc-noise-eval/1';

/** A results file of `qkc noise-eval`: the evaluation plus which run and data it was made from. */
export interface NoiseEvalRecord extends NoiseEvaluation {
  format: typeof NOISE_EVAL_FORMAT;
  model: string;
  seed: number | null;
  /** The checkpoint's epoch (−1 for a saved model directory, whose record holds no epoch). */
  epoch: number;
  /** The checkpoint or saved model file the weights came from. */
  checkpoint: string;
  dataset: string;
  created: string;
}

/** Every noise-eval record (*.json with the format tag) in `dir`, by file name; none when the folder is missing. */
export function readNoiseEvalRecords(dir: string): NoiseEvalRecord[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => readFormattedJson<NoiseEvalRecord>(path.join(dir, f), NOISE_EVAL_FORMAT));
}

/** A quantum layer this evaluation runs under device noise: one circuit per row of `circuitRows(x)`. */
type DeviceLayer = QuantumConv2D | QuantumPooling;

/** The quantum layers of a model, refusing those this evaluation does not handle yet. */
function kernelLayers(model: tf.LayersModel): DeviceLayer[] {
  const out: DeviceLayer[] = [];
  for (const layer of model.layers) {
    if (!(layer instanceof QuantumLayer)) continue;
    if (!(layer instanceof QuantumConv2D) && !(layer instanceof QuantumPooling)) {
      throw new Error(`noise-eval: ${layer.getClassName()} '${layer.name}' is not supported under device noise yet (QuantumConv2D and QuantumPooling only)`);
    }
    if (layer.kernelSpec().copies !== 1) throw new Error(`noise-eval: ${layer.getClassName()} '${layer.name}' has ${layer.kernelSpec().copies} filters; one filter per layer is supported`);
    out.push(layer);
  }
  if (out.length === 0) throw new Error(`noise-eval: model '${model.name}' has no quantum kernel layer`);
  return out;
}

/** `noisy` checked against the model's `count` quantum layers (distinct indices in [0, count)), sorted; all when undefined. */
function noisyIndices(noisy: readonly number[] | undefined, count: number): number[] {
  if (noisy === undefined) return Array.from({ length: count }, (_, i) => i);
  const ok = noisy.length > 0 && noisy.every((i) => Number.isInteger(i) && i >= 0 && i < count) && new Set(noisy).size === noisy.length;
  if (!ok) throw new RangeError(`noiseEvaluate: noisyLayers: expected distinct quantum-layer indices in [0, ${count - 1}] (the model has ${count} quantum layer(s)), got ${JSON.stringify(noisy)}`);
  return [...noisy].sort((a, b) => a - b);
}

/** Sums of |noisy − noiseless|, noiseless and noiseless² over pairs of outputs, for a LayerShift. */
class ShiftTally {
  private abs = 0; private v = 0; private v2 = 0; private n = 0;
  add(noisy: tf.Tensor, noiseless: tf.Tensor): void {
    const a = noisy.dataSync(), b = noiseless.dataSync();
    for (let i = 0; i < b.length; i++) { this.abs += Math.abs(a[i] - b[i]); this.v += b[i]; this.v2 += b[i] * b[i]; }
    this.n += b.length;
  }
  result(): LayerShift {
    const mean = this.v / this.n;
    return { meanAbs: this.abs / this.n, noiselessStd: Math.sqrt(Math.max(0, this.v2 / this.n - mean * mean)), outputs: this.n };
  }
}

/** `x` through the model's layers (each swapped for its `replace`ment, if any) up to `stop`: before it, or through it when `through`. */
function applyUntil(model: tf.LayersModel, x: tf.Tensor, stop: tf.layers.Layer, through: boolean, replace?: Map<tf.layers.Layer, tf.layers.Layer>): tf.Tensor {
  for (const l of model.layers) {
    if (l === stop && !through) break;
    if (l.getClassName() !== 'InputLayer') x = (replace?.get(l) ?? l).apply(x) as tf.Tensor;
    if (l === stop) break;
  }
  return x;
}

/** The images [start, start + batchSize) of `data` (fewer at the end). */
function imagesAt(data: BatchSource, start: number, batchSize: number): tf.Tensor {
  return data.tensorsAt(Int32Array.from({ length: Math.min(batchSize, data.size - start) }, (_, i) => start + i), { oneHot: false }).xs;
}

/** The `last` quantum layer's outputs with the `replace`d layers against the noiseless model's, on every image of `data`. */
function headShiftOf(model: tf.LayersModel, last: tf.layers.Layer, replace: Map<tf.layers.Layer, tf.layers.Layer>, data: BatchSource, batchSize: number): LayerShift {
  const tally = new ShiftTally();
  for (let start = 0; start < data.size; start += batchSize) {
    tf.tidy(() => {
      const xs = imagesAt(data, start, batchSize);
      tally.add(applyUntil(model, xs, last, true, replace), applyUntil(model, xs, last, true));
    });
  }
  return tally.result();
}

/** The model with `replace`d layers (the others shared, weights included). */
function rewire(model: tf.LayersModel, replace: Map<tf.layers.Layer, tf.layers.Layer>): tf.LayersModel {
  const input = tf.input({ shape: model.inputs[0].shape.slice(1) as number[] });
  let x: tf.SymbolicTensor = input;
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    x = (replace.get(layer) ?? layer).apply(x) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: x, name: `${model.name}-device` });
}

/**
 * The layer's circuit rows [rows, nValues] for the first images of `data`, in batches of `batchSize`
 * images until `count` rows (Infinity: every row of the set).
 */
function windowsOf(model: tf.LayersModel, layer: DeviceLayer, data: BatchSource, count: number, batchSize: number): number[][] {
  const out: number[][] = [];
  for (let start = 0; start < data.size && out.length < count; start += batchSize) {
    const rows = tf.tidy(() => layer.circuitRows(applyUntil(model, imagesAt(data, start, batchSize), layer, false) as tf.Tensor4D).arraySync() as number[][]);
    for (const r of rows) { if (out.length >= count) break; out.push(r); }
  }
  return out;
}

/**
 * `layer` with its circuit replaced by the transpiled device circuit under the device's noise (same
 * circuit rows, same output shape; exact expectations, or `shots` per circuit from one seeded stream).
 */
class DeviceNoiseLayer extends tf.layers.Layer {
  static className = 'DeviceNoiseLayer';
  private readonly rng: Rng;
  private readonly tally = new ShiftTally();
  constructor(private readonly original: DeviceLayer, private readonly kernel: DeviceKernel, private readonly shots: number | undefined, seed: number, private readonly tallyShift = false) {
    super({ name: `${original.name}_device${shots ? `_${shots}shots` : ''}` });
    this.rng = new Rng(seed);
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape { return this.original.computeOutputShape(inputShape); }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => {
      const rows = this.original.circuitRows(x);
      const out = expval(this.kernel.circuit, this.kernel.observables, { inputs: rows, noise: this.kernel.noise, shots: this.shots, rng: this.shots ? this.rng : undefined });
      const [, h, w] = this.original.computeOutputShape(x.shape) as number[];
      const noisy = tf.reshape(out, [x.shape[0], h, w, -1]);
      if (this.tallyShift) this.tally.add(noisy, this.original.call(x) as tf.Tensor);
      return noisy;
    });
  }
  /** How far this layer's outputs moved from its noiseless outputs on the same inputs, over every call (tallyShift). */
  shift(): LayerShift { return this.tally.result(); }
}

/** Evaluates a trained model noiselessly and under each device's noise (exact, and with shots). */
export function noiseEvaluate(model: tf.LayersModel, test: BatchSource, options: NoiseEvalOptions): NoiseEvaluation {
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchSize ?? 64;
  const all = kernelLayers(model);
  const noisy = noisyIndices(options.noisyLayers, all.length);
  const layers = noisy.map((i) => all[i]);
  const base = evaluateModel(model, test, { batchSize });
  log(`noiseless: accuracy ${base.accuracy.toFixed(4)} on ${base.samples} images (${base.seconds.toFixed(1)} s)`);
  const checkWindows = options.aerFull ? Infinity : options.checkWindows ?? 32;
  const windows = layers.map((layer) => windowsOf(model, layer, test, checkWindows, batchSize));
  const requests = options.devices.flatMap((device) => layers.map((layer, i) => {
    const spec = layer.kernelSpec();
    return {
      circuit: spec.circuit, weights: Array.from(layer.getWeights()[0]?.dataSync() ?? []), observables: spec.observables, device,
      windows: windows[i], shots: options.shots, seed: options.seed ?? 0,
    };
  }));
  const t0 = performance.now();
  const kernels = transpileForDevices(requests);
  log(`transpiled ${kernels.length} kernel(s) for ${options.devices.join(', ')} and ran Aer's cross-check (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const devices: DeviceEvaluation[] = options.devices.map((device, d) => {
    const mine = kernels.slice(d * layers.length, (d + 1) * layers.length);
    const checks = mine.map((k, i) => aerCheck(k, windows[i], options.shots, !options.aerFull));
    let shifts: LayerShift[] = [];
    const replacing = (replaced: tf.layers.Layer[]) => new Map(layers.map((l, i) => [l as tf.layers.Layer, replaced[i]]));
    const run = (shots?: number) => {
      const replaced = layers.map((l, i) => new DeviceNoiseLayer(l, mine[i], shots, (options.seed ?? 0) + noisy[i], shots === undefined));
      const m = rewire(model, replacing(replaced));
      const cpu0 = process.cpuUsage();
      const e = evaluateModel(m, test, { batchSize });
      if (shots === undefined) shifts = replaced.map((r) => r.shift());
      return { accuracy: e.accuracy, loss: e.loss, seconds: e.seconds, cpuSeconds: cpuSecondsSince(cpu0) };
    };
    const exact = run();
    const head = options.headShift ? headShiftOf(model, all[all.length - 1], replacing(layers.map((l, i) => new DeviceNoiseLayer(l, mine[i], undefined, 0))), test, batchSize) : undefined;
    log(`${mine[0].device.name}: exact accuracy ${exact.accuracy.toFixed(4)} (${exact.seconds.toFixed(1)} s)`);
    const sampled = options.shots ? { shots: options.shots, ...run(options.shots) } : null;
    if (sampled) log(`${mine[0].device.name}: ${options.shots} shots, accuracy ${sampled.accuracy.toFixed(4)} (${sampled.seconds.toFixed(1)} s)`);
    return {
      device: mine[0].device,
      kernels: mine.map((k, i) => ({
        layer: layers[i].name, qubits: k.circuit.nQubits, gates: k.counts, depth: k.depth, channels: k.noise.opChannels?.length ?? 0, aer: checks[i],
        execution: describeChoice(explainExecution({ circuit: k.circuit, batch: batchSize * (layers[i].patchesPerSample() ?? 1), noise: k.noise, fn: 'noise-eval' })),
        shift: shifts[i],
      })),
      exact, ...(head ? { headShift: head } : {}), shots: sampled,
    };
  });
  return {
    samples: base.samples, quantumLayers: all.map((l) => ({ layer: l.name, className: l.getClassName() })), noisyLayers: noisy,
    noiseless: { accuracy: base.accuracy, loss: base.loss, seconds: base.seconds }, devices };
}

/** Rows of one qkc run in the Aer cross-check (about one evaluation batch of 64 images × 49 patches). */
const CHECK_ROWS = 4096;

/** CPU seconds (user + system, all threads) of this process since `from`. */
function cpuSecondsSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
}

/** qkc's exact expectations on the check windows (gate by gate when `gateByGate`, and composed) against Aer's. */
function aerCheck(k: DeviceKernel, windows: number[][], shots: number | undefined, gateByGate: boolean): AerCheck | null {
  if (!k.aer || windows.length === 0) return null;
  // In chunks of CHECK_ROWS rows: a whole test set's rows at once would exceed the wasm heap.
  const on = (executor: ExecutorSetting) => {
    const out: number[][] = [];
    for (let r = 0; r < windows.length; r += CHECK_ROWS) {
      out.push(...tf.tidy(() => expval(k.circuit, k.observables, { inputs: windows.slice(r, r + CHECK_ROWS), noise: k.noise, executor }).arraySync() as number[][]));
    }
    return out;
  };
  const t0 = performance.now();
  const slow = gateByGate ? on('density') : null;
  const t1 = performance.now(), cpu1 = process.cpuUsage();
  const fast = on('superoperator');
  const t2 = performance.now(), fastCpu = cpuSecondsSince(cpu1);
  let maxAbsExact = 0, maxShotZ = 0;
  for (const ours of slow ? [slow, fast] : [fast]) {
    ours.forEach((row, i) => row.forEach((v, j) => {
      maxAbsExact = Math.max(maxAbsExact, Math.abs(v - k.aer!.exact[i][j]));
      if (k.aer!.sampled && shots) maxShotZ = Math.max(maxShotZ, Math.abs(v - k.aer!.sampled[i][j]) * Math.sqrt(shots));
    }));
  }
  return {
    windows: windows.length, maxAbsExact, maxShotZ: k.aer.sampled ? maxShotZ : null,
    seconds: { qkcGateByGate: slow ? (t1 - t0) / 1000 : null, qkcFused: (t2 - t1) / 1000, aerExact: k.aer.seconds.exact, aerShots: k.aer.seconds.shots },
    cpuSeconds: { qkcFused: fastCpu, aerExact: k.aer.cpuSeconds.exact, aerShots: k.aer.cpuSeconds.shots },
  };
}
