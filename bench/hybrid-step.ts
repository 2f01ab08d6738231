/**
 * Bench "hybrid-step" (issue 14: the hybrid's epoch against its classical control): where a hybrid-small
 * training step spends more than a control-small step. Two measurements, interleaved round by round:
 *   - the trainer's steps on the first `images` official MNIST training images (batch 32, Adam): CPU time
 *     per step between the first and the last batch (the start-up of train() left out), and wall time;
 *   - the first layer alone (the quantum kernel, or control-small's conv 2×2/2 + tanh) on one batch of
 *     14×14 images: forward + gradient of its weights, CPU time per call, and the wasm kernel calls it makes;
 *   - the hybrid with every all-zero window computed (`setMergeZeroRows(false)`: the fused path before the merge);
 *   - the share of the kernel's windows the node computes (all-zero ones merged) on the first 5,000 training images of
 *     official MNIST and Fashion-MNIST, through hybrid-small's own layers;
 *   - the same steps of hybrid-small's classical part alone (bench/classical-part.ts: the quantum layer a free
 *     reshape), so hybrid − classical part is what the quantum layer adds to a step.
 * CPU time is the steadier measure on a shared machine (wall time counts time spent descheduled).
 * Results: stdout and bench/results/hybrid-step.json, with the machine load.
 * Run: npm run bench -- hybrid-step [rounds=5] [images=1600]
 */
import * as path from 'path';
import { ready, tf } from '../src/backend';
import { loadDataset, loadMnistOfficial, type ImageDataset } from '../src/data';
import type { DiffMethod } from '../src/qkc';
import { buildModel } from '../src/models';
import { train, writeFileAtomic } from '../src/train';
import { setFusedKernels } from '../src/qkc/run-kernel';
import { lastFusedRows, setMergeZeroRows } from '../src/sim/compiled/fused-rows';
import { machineLoad } from './timing';
import { CLASSICAL_PART, classicalPartModel } from './classical-part';

const BATCH = 32;
const LAYER_CALLS = 100;
const VARIANTS: Array<{ label: string; model: 'hybrid-small' | 'control-small' | typeof CLASSICAL_PART; diff: DiffMethod; opByOp?: boolean; unmerged?: boolean }> = [
  { label: 'control-small', model: 'control-small', diff: 'backprop' },
  { label: 'hybrid-small backprop', model: 'hybrid-small', diff: 'backprop' },
  { label: 'hybrid-small parameter-shift', model: 'hybrid-small', diff: 'parameter-shift' },
  { label: 'hybrid-small backprop, op-by-op', model: 'hybrid-small', diff: 'backprop', opByOp: true },
  { label: 'hybrid-small parameter-shift, op-by-op', model: 'hybrid-small', diff: 'parameter-shift', opByOp: true },
  { label: 'hybrid-small backprop, zero rows unmerged', model: 'hybrid-small', diff: 'backprop', unmerged: true },
  { label: 'hybrid-small parameter-shift, zero rows unmerged', model: 'hybrid-small', diff: 'parameter-shift', unmerged: true },
  { label: CLASSICAL_PART, model: CLASSICAL_PART, diff: 'backprop' },
];
/** Switches the quantum layer to `v`'s path (fused or op-by-op, zero rows merged or not). */
const usePathOf = (v: (typeof VARIANTS)[number]) => { setFusedKernels(!v.opByOp); setMergeZeroRows(!v.unmerged); };
/** The label of the variant with `v`'s model and gradient method on the default path (fused, zero rows merged). */
const defaultPathOf = (v: (typeof VARIANTS)[number]) => VARIANTS.find((f) => f.model === v.model && f.diff === v.diff && !f.opByOp && !f.unmerged)?.label as string;
const build = (v: (typeof VARIANTS)[number], options?: { diffMethod: DiffMethod }) => (v.model === CLASSICAL_PART ? classicalPartModel(0) : buildModel(v.model, 0, options));

const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (xs: number[]) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length });

/** The model's first layer with weights: the quantum kernel, or the control's conv. */
function firstLayer(model: tf.LayersModel): tf.layers.Layer {
  const layer = model.layers.find((l) => l.trainableWeights.length > 0);
  if (!layer) throw new Error('hybrid-step: the model has no trainable layer');
  return layer;
}

/** Wasm kernel calls (outermost) made by `fn`, counted by wrapping every registered kernel once. */
function kernelCalls(fn: () => void): number {
  const originals = tf.getKernelsForBackend(tf.getBackend());
  let calls = 0, depth = 0;
  for (const k of originals) {
    tf.unregisterKernel(k.kernelName, k.backendName);
    tf.registerKernel({ ...k, setupFunc: undefined, kernelFunc: (args) => {
      if (depth++ === 0) calls++;
      try { return k.kernelFunc(args); } finally { depth--; }
    } });
  }
  try { fn(); } finally {
    for (const k of originals) { tf.unregisterKernel(k.kernelName, k.backendName); tf.registerKernel({ ...k, setupFunc: undefined }); }
  }
  return calls;
}

const SHARE_IMAGES = 5000;

/** Rows the fused node computed over rows it answered, on hybrid-small's forward passes over the first SHARE_IMAGES images. */
function computedShare(data: ImageDataset): number {
  setFusedKernels(true);
  setMergeZeroRows(true);
  const model = buildModel('hybrid-small', 0, { imageSize: [data.height, data.width] });
  let rows = 0, computed = 0;
  for (let b = 0; b < SHARE_IMAGES; b += BATCH) {
    const at = Int32Array.from({ length: Math.min(BATCH, SHARE_IMAGES - b) }, (_, i) => b + i);
    tf.tidy(() => { (model.apply(data.tensorsAt(at).xs) as tf.Tensor).dataSync(); });
    rows += lastFusedRows.rows;
    computed += lastFusedRows.computed;
  }
  model.dispose();
  return computed / rows;
}

export async function main(rounds = 5, images = 1600): Promise<void> {
  const info = await ready();
  const data = loadMnistOfficial().train;
  const timed = data.subset(Array.from({ length: images }, (_, i) => i));
  // V8 compiles a hybrid step's host code over its first ~100 steps (see peers-epoch.ts): warm up on 100 batches.
  const warm = data.subset(Array.from({ length: 100 * BATCH }, (_, i) => i));
  const x = tf.image.resizeBilinear(data.tensorsAt(Int32Array.from({ length: BATCH }, (_, i) => i), { oneHot: false }).xs as tf.Tensor4D, [14, 14]);
  const loadBefore = machineLoad();
  console.log(`hybrid-step: ${timed.size} official MNIST images (${Math.ceil(timed.size / BATCH)} steps of ${BATCH}), ${rounds} interleaved rounds; load ${loadBefore.loadavg1}`);
  // The first layer alone: the quantum kernel or the control's conv (the classical part has none: its first trainable layer is the head's).
  const layers = VARIANTS.filter((v) => v.model !== CLASSICAL_PART).map((v) => {
    const model = build(v, { diffMethod: v.diff });
    const layer = firstLayer(model);
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const dy = tf.randomUniform(layer.computeOutputShape(x.shape) as number[], -1, 1, 'float32', 1);
    const call = () => tf.tidy(() => {
      usePathOf(v);
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, dy)) as tf.Scalar, vars);
      Object.values(grads).forEach((g) => g.dataSync());
    });
    return { model, call, dy };
  });
  const steps: Record<string, { cpuMs: number[]; wallMs: number[] }> = {};
  const layerMs: Record<string, number[]> = {};
  for (let r = -1; r < rounds; r++) { // round -1 warms up
    // The variants take turns at going first (the first of a round ran slower than the same variant later).
    for (const i of VARIANTS.map((_, k) => (k + Math.max(0, r)) % VARIANTS.length)) {
      const v = VARIANTS[i];
      const model = build(v);
      usePathOf(v);
      let c0 = 0, c1 = 0, w0 = 0, w1 = 0, last = 0;
      await train(model, { train: r < 0 ? warm : timed }, {
        epochs: 1, batchSize: BATCH, diffMethod: v.diff, learningRate: 1e-3, progress: 'none', seed: 0,
        onBatchEnd: (b) => { if (b.batch === 0) { c0 = cpuMs(); w0 = performance.now(); } else { c1 = cpuMs(); w1 = performance.now(); last = b.batch; } },
      });
      model.dispose();
      const l0 = cpuMs();
      if (layers[i]) for (let k = 0; k < LAYER_CALLS; k++) layers[i].call();
      const perCall = (cpuMs() - l0) / LAYER_CALLS;
      if (r < 0) continue;
      const s = (steps[v.label] ??= { cpuMs: [], wallMs: [] });
      s.cpuMs.push((c1 - c0) / last);
      s.wallMs.push((w1 - w0) / last);
      if (layers[i]) (layerMs[v.label] ??= []).push(perCall);
    }
  }
  setFusedKernels(true);
  setMergeZeroRows(true);
  const calls = Object.fromEntries(layers.map((l, i) => [VARIANTS[i].label, kernelCalls(l.call) - kernelCalls(() => tf.tidy(() => { tf.sum(tf.mul(l.dy, l.dy)).dataSync(); }))]));
  const base = VARIANTS[0].label;
  const ratio = (label: string, key: 'cpuMs' | 'wallMs') => summary(steps[label][key].map((t, r) => t / steps[base][key][r]));
  // Fused / op-by-op per round: the whole step (CPU), the step minus the classical part's (the quantum layer's share), the first layer.
  const fusedOverOpByOp = Object.fromEntries(VARIANTS.filter((v) => v.opByOp).map((v) => {
    const fused = defaultPathOf(v), cp = steps[CLASSICAL_PART].cpuMs;
    return [v.diff, {
      stepCpu: summary(steps[fused].cpuMs.map((t, r) => t / steps[v.label].cpuMs[r])),
      overClassicalPartCpuMs: { fused: summary(steps[fused].cpuMs.map((t, r) => t - cp[r])), opByOp: summary(steps[v.label].cpuMs.map((t, r) => t - cp[r])) },
      firstLayerCpu: summary(layerMs[fused].map((t, r) => t / layerMs[v.label][r])),
    }];
  }));
  // Zero rows merged / unmerged per round (CPU): the whole step and the first layer.
  const mergedOverUnmerged = Object.fromEntries(VARIANTS.filter((v) => v.unmerged).map((v) => {
    const merged = defaultPathOf(v);
    return [v.diff, {
      stepCpu: summary(steps[merged].cpuMs.map((t, r) => t / steps[v.label].cpuMs[r])),
      firstLayerCpu: summary(layerMs[merged].map((t, r) => t / layerMs[v.label][r])),
    }];
  }));
  const computedRows = { 'mnist-official': computedShare(data), 'fashion-mnist': computedShare(loadDataset('fashion-mnist').train) };
  const result = {
    workload: 'hybrid-step', date: new Date().toISOString(), backend: info.tfBackend, node: process.version, images: timed.size, batchSize: BATCH, rounds,
    machine: { before: loadBefore, after: machineLoad() },
    variants: Object.fromEntries(VARIANTS.map((v) => [v.label, {
      stepCpuMs: summary(steps[v.label].cpuMs), stepWallMs: summary(steps[v.label].wallMs),
      stepCpuOverControl: ratio(v.label, 'cpuMs'), stepWallOverControl: ratio(v.label, 'wallMs'),
      ...(layerMs[v.label] ? { firstLayerCpuMs: summary(layerMs[v.label]), firstLayerKernelCalls: calls[v.label] } : {}),
    }])),
    fusedOverOpByOp,
    mergedOverUnmerged,
    computedRowShare: { images: SHARE_IMAGES, ...computedRows },
  };
  for (const [k, v] of Object.entries(result.variants)) {
    console.log(`  ${k.padEnd(36)} step ${v.stepCpuMs.median.toFixed(2)} ms CPU (× control ${v.stepCpuOverControl.median.toFixed(2)}, ` +
      `${v.stepCpuOverControl.min.toFixed(2)}–${v.stepCpuOverControl.max.toFixed(2)}), wall ${v.stepWallMs.median.toFixed(2)} ms (× ${v.stepWallOverControl.median.toFixed(2)})` +
      (v.firstLayerCpuMs ? `; first layer fwd+grad ${v.firstLayerCpuMs.median.toFixed(2)} ms CPU in ${v.firstLayerKernelCalls} kernel calls` : ''));
  }
  for (const [m, f] of Object.entries(fusedOverOpByOp)) {
    console.log(`  ${m}: fused / op-by-op step CPU ${f.stepCpu.median.toFixed(2)} (${f.stepCpu.min.toFixed(2)}–${f.stepCpu.max.toFixed(2)}), first layer ` +
      `${f.firstLayerCpu.median.toFixed(2)} (${f.firstLayerCpu.min.toFixed(2)}–${f.firstLayerCpu.max.toFixed(2)}); step − classical part ` +
      `${f.overClassicalPartCpuMs.fused.median.toFixed(2)} ms fused, ${f.overClassicalPartCpuMs.opByOp.median.toFixed(2)} ms op-by-op`);
  }
  for (const [m, f] of Object.entries(mergedOverUnmerged)) {
    console.log(`  ${m}: zero rows merged / unmerged step CPU ${f.stepCpu.median.toFixed(2)} (${f.stepCpu.min.toFixed(2)}–${f.stepCpu.max.toFixed(2)}), ` +
      `first layer ${f.firstLayerCpu.median.toFixed(2)} (${f.firstLayerCpu.min.toFixed(2)}–${f.firstLayerCpu.max.toFixed(2)})`);
  }
  console.log(`  windows computed (the rest all zero, merged), first ${SHARE_IMAGES} training images: ` +
    Object.entries(computedRows).map(([k, v]) => `${k} ${(100 * v).toFixed(1)} %`).join(', '));
  layers.forEach((l) => { l.model.dispose(); l.dy.dispose(); });
  x.dispose();
  const file = path.join(__dirname, 'results', 'hybrid-step.json');
  writeFileAtomic(file, JSON.stringify(result, null, 2) + '\n');
  console.log(`  load ${loadBefore.loadavg1} → ${result.machine.after.loadavg1} on ${loadBefore.cores} cores; wrote ${path.relative(process.cwd(), file)}`);
}

if (require.main === module) main(...process.argv.slice(2).map(Number)).catch((e) => { console.error(e); process.exit(1); });
