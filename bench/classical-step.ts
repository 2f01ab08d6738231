/**
 * Bench "classical-step" (issue 14 item 4): where the time of a control-small training step goes on the wasm
 * backend, and how it compares with the same model in PyTorch (bench/peers/epoch_model.py, one thread) on
 * the same official MNIST images, batch 32, Adam. Variants, interleaved round by round:
 *   - tfjs-shipped: tfjs-backend-wasm's own Conv2DBackpropInput / MaxPoolGrad and Adam by tensor ops (as before);
 *   - qkc: our faster wasm gradient kernels (src/backend/wasm-fast-grads.ts) and Adam's host update
 *     (src/train/optimizer.ts) — the defaults;
 *   - torch: PyTorch's loop (needs the bench venv, `npm run bench:setup`).
 * The qkc variants run the trainer's step (same loss, same Adam) with CPU-time spans: batch assembly (uint8
 * pixels → float32 tensor, labels), forward + backward, Adam, read-back of loss and accuracy. A separate
 * pass per variant wraps every wasm kernel to split the step into time inside kernels and outside (the
 * tfjs engine: tape, tidy, shape checks, tfjs-layers' graph walk).
 * Results: stdout and bench/results/classical-step.json, with the machine load.
 * Run: npm run bench -- classical-step [rounds=3] [images=4000]
 */
import * as path from 'path';
import { ready, tf, useWasmFastGrads } from '../src/backend';
import { loadMnistOfficial, type ImageDataset } from '../src/data';
import { buildModel } from '../src/models';
import { Adam, writeFileAtomic } from '../src/train';
import { correctCount, crossEntropySum } from '../src/train/loss';
import { machineLoad } from './timing';
import { PeerProcess, benchPython } from './peers/peer-process';

const BATCH = 32;
const SPANS = ['batch', 'forwardBackward', 'adam', 'read'] as const;
type Span = typeof SPANS[number];
interface Variant { label: string; fastGrads: boolean; hostUpdateMaxSize?: number }
const VARIANTS: Variant[] = [
  { label: 'tfjs-shipped', fastGrads: false, hostUpdateMaxSize: 0 },
  { label: 'qkc', fastGrads: true },
];

const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One pass over `data` in order with the trainer's step; CPU ms per span and wall seconds. */
function epochSpans(v: Variant, data: ImageDataset, switchKernels = true): { spans: Record<Span, number>; wallS: number; cpuS: number; loss: number } {
  if (switchKernels) useWasmFastGrads(v.fastGrads);
  const model = buildModel('control-small', 0);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const adam = new Adam([{ name: 'classical', variables: vars, learningRate: 1e-3 }], undefined, { hostUpdateMaxSize: v.hostUpdateMaxSize });
  const spans: Record<Span, number> = { batch: 0, forwardBackward: 0, adam: 0, read: 0 };
  let loss = 0;
  const t0 = performance.now(), c0 = cpuMs();
  try {
    for (let start = 0; start < data.size; start += BATCH) {
      const idx = Int32Array.from({ length: Math.min(BATCH, data.size - start) }, (_, k) => start + k);
      const a = cpuMs();
      const { xs } = data.tensorsAt(idx, { oneHot: false });
      const y = tf.tensor1d(Int32Array.from(idx, (i) => data.labels[i]), 'int32');
      const b = cpuMs();
      let l: tf.Scalar | null = null, c: tf.Scalar | null = null;
      const { value, grads } = tf.variableGrads(() => {
        const out = model.apply(xs, { training: true }) as tf.Tensor;
        l = tf.keep(crossEntropySum(out, y, 'probabilities'));
        c = tf.keep(correctCount(out, y));
        return tf.div(l, idx.length) as tf.Scalar;
      }, vars);
      const d = cpuMs();
      tf.tidy(() => adam.applyGradients(grads));
      const e = cpuMs();
      loss += (l as unknown as tf.Scalar).dataSync()[0];
      (c as unknown as tf.Scalar).dataSync();
      const f = cpuMs();
      tf.dispose([xs, y, value, l as unknown as tf.Scalar, c as unknown as tf.Scalar, ...Object.values(grads)]);
      spans.batch += b - a; spans.forwardBackward += d - b; spans.adam += e - d; spans.read += f - e;
    }
  } finally {
    adam.dispose();
    model.dispose();
  }
  return { spans, wallS: (performance.now() - t0) / 1000, cpuS: (cpuMs() - c0) / 1000, loss: loss / data.size };
}

/** Milliseconds per step inside wasm kernels (outermost kernel calls only) over one pass, and the top kernels. */
function kernelShare(v: Variant, data: ImageDataset): { insideMs: number; stepMs: number; calls: number; top: Array<{ kernel: string; ms: number }> } {
  const originals = tf.getKernelsForBackend('wasm');
  const per = new Map<string, number>();
  let depth = 0, calls = 0;
  useWasmFastGrads(v.fastGrads);
  for (const k of tf.getKernelsForBackend('wasm')) {
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({ ...k, setupFunc: undefined, kernelFunc: (args) => {
      const t0 = depth++ === 0 ? cpuMs() : 0;
      try { return k.kernelFunc(args); } finally {
        if (--depth === 0) { per.set(k.kernelName, (per.get(k.kernelName) ?? 0) + cpuMs() - t0); calls++; }
      }
    } });
  }
  try {
    const r = epochSpans(v, data, false); // the kernels are switched already, under the wrappers
    const steps = Math.ceil(data.size / BATCH);
    const inside = [...per.values()].reduce((a, b) => a + b, 0);
    return {
      insideMs: inside / steps, stepMs: r.cpuS * 1000 / steps, calls: calls / steps,
      top: [...per.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([kernel, ms]) => ({ kernel, ms: ms / steps })),
    };
  } finally {
    for (const k of originals) { tf.unregisterKernel(k.kernelName, 'wasm'); tf.registerKernel({ ...k, setupFunc: undefined }); }
  }
}

export async function main(rounds = 3, images = 4000): Promise<void> {
  const info = await ready();
  if (info.tfBackend !== 'wasm') { console.log(`classical-step: the wasm backend is not in use (${info.tfBackend}); skipped`); return; }
  const full = loadMnistOfficial().train;
  const data = full.subset(Array.from({ length: Math.min(images, full.size) }, (_, i) => i));
  const loadBefore = machineLoad();
  const steps = Math.ceil(data.size / BATCH);
  console.log(`classical-step: control-small, ${data.size} official MNIST images (${steps} steps of ${BATCH}); ${rounds} interleaved rounds; load ${loadBefore.loadavg1}`);
  const python = benchPython();
  let torch: PeerProcess | null = null;
  if (python) {
    const model = buildModel('control-small', 0);
    const weights = model.trainableWeights.map((w) => ({ shape: w.shape, values: Array.from(w.read().dataSync()) }));
    model.dispose();
    const fs = await import('fs'), os = await import('os');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-classical-step-'));
    const file = path.join(dir, 'train.u8');
    fs.writeFileSync(file, Buffer.concat([Buffer.from(data.images as Uint8Array), Buffer.from(data.labels)]));
    torch = new PeerProcess(python, 'torch-control', 600_000);
    const setup = await torch.call({ op: 'epoch_setup', weights, data: file, images: data.size, lr: 1e-3 });
    fs.rmSync(dir, { recursive: true, force: true });
    if (setup.error) { console.log(`  torch: ${setup.error}`); torch.close(); torch = null; }
  }
  const samples: Record<string, Array<{ wallS: number; cpuS: number; spans?: Record<Span, number>; loss?: number }>> = {};
  try {
    for (let r = -1; r < rounds; r++) {
      for (const v of VARIANTS) {
        const e = epochSpans(v, r < 0 ? data.subset(Array.from({ length: 3 * BATCH }, (_, i) => i)) : data);
        if (r >= 0) (samples[v.label] ??= []).push(e);
      }
      if (torch) {
        const t = await torch.call({ op: 'epoch_time', batchSize: BATCH, maxBatches: r < 0 ? 3 : null });
        if (t.error) throw new Error(`torch: ${t.error}`);
        if (r >= 0) (samples.torch ??= []).push({ wallS: t.s as number, cpuS: t.cpuS as number, loss: t.loss as number });
      }
    }
  } finally {
    torch?.close();
    useWasmFastGrads(true);
  }
  const perStep = (label: string) => {
    const s = samples[label];
    return {
      wallMsPerStep: median(s.map((x) => x.wallS)) * 1000 / steps,
      cpuMsPerStep: median(s.map((x) => x.cpuS)) * 1000 / steps,
      spansCpuMsPerStep: s[0].spans ? Object.fromEntries(SPANS.map((k) => [k, median(s.map((x) => x.spans![k])) / steps])) : null,
      wallS: s.map((x) => x.wallS),
    };
  };
  const rows = Object.fromEntries(Object.keys(samples).map((k) => [k, perStep(k)]));
  // Ratios per round (same load), median and range.
  // Wall and CPU time: on a shared machine the CPU time leaves out time spent descheduled.
  const ratio = (a: string, b: string, key: 'wallS' | 'cpuS') => {
    if (!samples[a] || !samples[b]) return null;
    const xs = samples[a].map((x, i) => x[key] / samples[b][i][key]);
    return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
  };
  const ratios = Object.fromEntries((['wallS', 'cpuS'] as const).flatMap((key) => [['tfjs-shipped', 'torch'], ['qkc', 'torch'], ['qkc', 'tfjs-shipped']]
    .map(([a, b]) => [`${a} / ${b} (${key === 'wallS' ? 'wall' : 'CPU'})`, ratio(a, b, key)])));
  const kernels = Object.fromEntries(VARIANTS.map((v) => [v.label, kernelShare(v, data.subset(Array.from({ length: Math.min(1600, data.size) }, (_, i) => i)))]));
  for (const [k, r] of Object.entries(rows)) {
    const sp = r.spansCpuMsPerStep ? Object.entries(r.spansCpuMsPerStep).map(([s, ms]) => `${s} ${ms.toFixed(2)}`).join(', ') : '';
    console.log(`  ${k.padEnd(14)} ${r.wallMsPerStep.toFixed(2)} ms/step wall${Number.isFinite(r.cpuMsPerStep) ? `, ${r.cpuMsPerStep.toFixed(2)} ms CPU (${sp})` : ''}`);
  }
  for (const [k, r] of Object.entries(kernels)) {
    console.log(`  ${k}: ${r.insideMs.toFixed(2)} of ${r.stepMs.toFixed(2)} CPU ms/step inside ${r.calls.toFixed(0)} kernel calls; top: ${r.top.slice(0, 5).map((t) => `${t.kernel} ${t.ms.toFixed(2)}`).join(', ')}`);
  }
  for (const [k, r] of Object.entries(ratios)) if (r) console.log(`  ${k.padEnd(30)} ${r.median.toFixed(2)}× (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)})`);
  const file = path.join(__dirname, 'results', 'classical-step.json');
  const result = {
    workload: 'classical-step', date: new Date().toISOString(), backend: info.tfBackend, node: process.version, model: 'control-small',
    images: data.size, batchSize: BATCH, rounds, machine: { before: loadBefore, after: machineLoad() },
    torchThreads: Number(process.env.QKC_BENCH_TORCH_THREADS ?? 1), variants: rows, kernels, ratios,
  };
  writeFileAtomic(file, JSON.stringify(result, null, 2) + '\n');
  console.log(`  load ${loadBefore.loadavg1} → ${result.machine.after.loadavg1} on ${loadBefore.cores} cores; wrote ${path.relative(process.cwd(), file)}`);
}

if (require.main === module) main(...process.argv.slice(2).map(Number)).catch((e) => { console.error(e); process.exit(1); });
