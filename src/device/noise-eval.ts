/**
 * A trained hybrid under device noise: each QuantumConv2D kernel is transpiled once for the device and
 * replaced by the same window convolution running the transpiled circuit under the device's calibrated
 * noise on qkc's density-matrix simulator (fused.ts; exact expectations, and finite shots); the classical layers
 * are shared with the trained model. Aer evaluates the same transpiled circuits on windows of real test
 * images as a cross-check.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../backend';
import { expval } from '../sim';
import { QuantumConv2D, QuantumLayer, extractPatches } from '../qkc';
import { evaluateModel } from '../train';
import type { BatchSource } from '../train';
import { Rng } from '../util';
import { DeviceInfo, DeviceKernel, transpileForDevices } from './device-kernel';
import { FusedKernel, fuseDeviceKernel } from './fused';

/** Options of `noiseEvaluate`. */
export interface NoiseEvalOptions {
  /** Fake device names, e.g. ['fake_manila']. */
  devices: string[];
  /** Finite shots per patch for the sampled evaluation (exact only when omitted). */
  shots?: number;
  /** Windows of test images on which Aer cross-checks each transpiled kernel (default 32; 0: none). */
  checkWindows?: number;
  batchSize?: number;
  seed?: number;
  /** Called with a line of progress text. */
  log?: (line: string) => void;
}

/** The cross-check of one transpiled kernel against Aer on the same windows. */
export interface AerCheck {
  windows: number;
  /** max |qkc exact − Aer exact density matrix| over windows × observables (both qkc paths). */
  maxAbsExact: number;
  /** max |qkc exact − Aer sampled| / (1/√shots) (a few units: within shot error). */
  maxShotZ: number | null;
  /** Wall-clock seconds on these windows: qkc gate by gate and fused, Aer exact and with shots. */
  seconds: { qkcGateByGate: number; qkcFused: number; aerExact: number; aerShots: number | null };
}

/** Results on one device. */
export interface DeviceEvaluation {
  device: DeviceInfo;
  kernels: { layer: string; qubits: number; gates: Record<string, number>; depth: number; channels: number; aer: AerCheck | null }[];
  exact: { accuracy: number; loss: number; seconds: number };
  shots: { shots: number; accuracy: number; loss: number; seconds: number } | null;
}

/** What `noiseEvaluate` returns. */
export interface NoiseEvaluation {
  samples: number;
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
  epoch: number;
  checkpoint: string;
  dataset: string;
  created: string;
}

/** Every noise-eval record (*.json with the format tag) in `dir`, by file name; none when the folder is missing. */
export function readNoiseEvalRecords(dir: string): NoiseEvalRecord[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => {
    const r = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as NoiseEvalRecord;
    if (r.format !== NOISE_EVAL_FORMAT) throw new Error(`${path.join(dir, f)}: expected format '${NOISE_EVAL_FORMAT}', got ${JSON.stringify(r.format)}`);
    return r;
  });
}

/** The kernel layers of a model, refusing quantum layers this evaluation does not handle yet. */
function kernelLayers(model: tf.LayersModel): QuantumConv2D[] {
  const out: QuantumConv2D[] = [];
  for (const layer of model.layers) {
    if (!(layer instanceof QuantumLayer)) continue;
    if (!(layer instanceof QuantumConv2D)) throw new Error(`noise-eval: ${layer.getClassName()} '${layer.name}' is not supported under device noise yet (QuantumConv2D kernels only)`);
    if (layer.kernelSpec().copies !== 1) throw new Error(`noise-eval: QuantumConv2D '${layer.name}' has ${layer.kernelSpec().copies} filters; one filter per layer is supported`);
    out.push(layer);
  }
  if (out.length === 0) throw new Error(`noise-eval: model '${model.name}' has no quantum kernel layer`);
  return out;
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

/** The layer's input windows [rows, nValues] for the first images of `data` (rows = count of them). */
function windowsOf(model: tf.LayersModel, layer: QuantumConv2D, data: BatchSource, count: number): number[][] {
  if (count <= 0) return [];
  return tf.tidy(() => {
    const { xs } = data.tensorsAt(Int32Array.from({ length: Math.min(4, data.size) }, (_, i) => i), { oneHot: false });
    let x: tf.Tensor = xs;
    for (const l of model.layers) {
      if (l === layer) break;
      if (l.getClassName() !== 'InputLayer') x = l.apply(x) as tf.Tensor;
    }
    const rows = tf.reshape(extractPatches(x as tf.Tensor4D, layer.window), [-1, layer.kernelSpec().circuit.numInputs]);
    return (rows.arraySync() as number[][]).slice(0, count);
  });
}

/**
 * The window convolution of `layer` with its kernel replaced by the fused device kernel (same windows,
 * same output channels; exact expectations, or `shots` per patch).
 */
class DeviceKernelConv extends tf.layers.Layer {
  static className = 'DeviceKernelConv';
  private readonly rng: Rng;
  constructor(private readonly original: QuantumConv2D, private readonly fused: FusedKernel, private readonly shots: number | undefined, seed: number) {
    super({ name: `${original.name}_device${shots ? `_${shots}shots` : ''}` });
    this.rng = new Rng(seed);
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape { return this.original.computeOutputShape(inputShape); }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => {
      const patches = extractPatches(x, this.original.window);
      const [b, h, w] = patches.shape;
      const out = this.fused(tf.reshape(patches, [b * h * w, -1]) as tf.Tensor2D, this.shots, this.shots ? this.rng : undefined);
      return tf.reshape(out, [b, h, w, out.shape[1]]);
    });
  }
}

/** Evaluates a trained model noiselessly and under each device's noise (exact, and with shots). */
export function noiseEvaluate(model: tf.LayersModel, test: BatchSource, options: NoiseEvalOptions): NoiseEvaluation {
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchSize ?? 64;
  const layers = kernelLayers(model);
  const base = evaluateModel(model, test, { batchSize });
  log(`noiseless: accuracy ${base.accuracy.toFixed(4)} on ${base.samples} images (${base.seconds.toFixed(1)} s)`);
  const checkWindows = options.checkWindows ?? 32;
  const requests = options.devices.flatMap((device) => layers.map((layer) => {
    const spec = layer.kernelSpec();
    return {
      circuit: spec.circuit, weights: Array.from(layer.getWeights()[0]?.dataSync() ?? []), observables: spec.observables, device,
      windows: windowsOf(model, layer, test, checkWindows), shots: options.shots, seed: options.seed ?? 0,
    };
  }));
  const t0 = performance.now();
  const kernels = transpileForDevices(requests);
  log(`transpiled ${kernels.length} kernel(s) for ${options.devices.join(', ')} and ran Aer's cross-check (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const devices: DeviceEvaluation[] = options.devices.map((device, d) => {
    const mine = kernels.slice(d * layers.length, (d + 1) * layers.length);
    const fused = mine.map((k) => fuseDeviceKernel(k));
    const checks = mine.map((k, i) => aerCheck(k, fused[i], requests[d * layers.length + i].windows, options.shots));
    const run = (shots?: number) => {
      const m = rewire(model, new Map(layers.map((l, i) => [l as tf.layers.Layer, new DeviceKernelConv(l, fused[i], shots, (options.seed ?? 0) + i)])));
      const e = evaluateModel(m, test, { batchSize });
      return { accuracy: e.accuracy, loss: e.loss, seconds: e.seconds };
    };
    const exact = run();
    log(`${mine[0].device.name}: exact accuracy ${exact.accuracy.toFixed(4)} (${exact.seconds.toFixed(1)} s)`);
    const sampled = options.shots ? { shots: options.shots, ...run(options.shots) } : null;
    if (sampled) log(`${mine[0].device.name}: ${options.shots} shots, accuracy ${sampled.accuracy.toFixed(4)} (${sampled.seconds.toFixed(1)} s)`);
    fused.forEach((f) => f.dispose());
    return {
      device: mine[0].device,
      kernels: mine.map((k, i) => ({
        layer: layers[i].name, qubits: k.circuit.nQubits, gates: k.counts, depth: k.depth, channels: k.noise.opChannels?.length ?? 0, aer: checks[i],
      })),
      exact, shots: sampled,
    };
  });
  return { samples: base.samples, noiseless: { accuracy: base.accuracy, loss: base.loss, seconds: base.seconds }, devices };
}

/** qkc's exact expectations on the check windows (gate by gate, and fused) against Aer's. */
function aerCheck(k: DeviceKernel, fused: FusedKernel, windows: number[][] | undefined, shots: number | undefined): AerCheck | null {
  if (!k.aer || !windows || windows.length === 0) return null;
  const t0 = performance.now();
  const gateByGate = tf.tidy(() => expval(k.circuit, k.observables, { inputs: windows, noise: k.noise }).arraySync() as number[][]);
  const t1 = performance.now();
  const fast = tf.tidy(() => fused(tf.tensor2d(windows)).arraySync() as number[][]);
  const t2 = performance.now();
  let maxAbsExact = 0, maxShotZ = 0;
  for (const ours of [gateByGate, fast]) {
    ours.forEach((row, i) => row.forEach((v, j) => {
      maxAbsExact = Math.max(maxAbsExact, Math.abs(v - k.aer!.exact[i][j]));
      if (k.aer!.sampled && shots) maxShotZ = Math.max(maxShotZ, Math.abs(v - k.aer!.sampled[i][j]) * Math.sqrt(shots));
    }));
  }
  return {
    windows: windows.length, maxAbsExact, maxShotZ: k.aer.sampled ? maxShotZ : null,
    seconds: { qkcGateByGate: (t1 - t0) / 1000, qkcFused: (t2 - t1) / 1000, aerExact: k.aer.seconds.exact, aerShots: k.aer.seconds.shots },
  };
}
