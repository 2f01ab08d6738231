/**
 * Bench "classical-step" (issue 14 item 4): where the time of a classical training step goes on the wasm
 * backend, and how it compares with the same model in PyTorch (bench/peers/epoch_model.py) at 1 and 2 threads,
 * on the same official MNIST images, batch 32, Adam, in one run. Contenders, interleaved round by round:
 *   - tfjs-shipped: tfjs-backend-wasm's own kernels and Adam by tensor ops;
 *   - before: qkc's faster gradient kernels and host Adam, without the exact kernels (the default until
 *     issue 14's classical work: every saved tensor copied, bias sums through a transpose, the input
 *     resize's average pool and small bias adds through XNNPACK, the loss as ~23 tensor ops; MaxPoolGrad's
 *     faster loop is in both);
 *   - qkc: the defaults (src/backend/wasm-fast-grads.ts, wasm-exact-kernels.ts; src/train/optimizer.ts,
 *     loss-host.ts);
 *   - torch-1, torch-2: PyTorch's loop at 1 and 2 threads, OpenMP waits passive (needs the bench venv,
 *     `npm run bench:setup`).
 * Each times a pass over the images with the trainer's step (feeding, forward + backward, Adam, read-back of
 * loss and accuracy) in CPU and wall time, and for qkc and torch the pieces: feeding alone and feeding +
 * forward (training mode, no gradient tape). A separate pass wraps every wasm kernel to split qkc's step
 * into time inside kernels (by kernel and shape) and outside (the tfjs engine, tape, tidy, tfjs-layers).
 * control-small has a PyTorch twin; cnn-small (one more conv model) runs the tfjs contenders only.
 * Results: stdout and bench/results/classical-step.json, with the machine load.
 * Run: npm run bench -- classical-step [rounds=5] [images=3200]
 */
import * as path from 'path';
import { ready, tf, useWasmFastGrads } from '../src/backend';
import { loadMnistOfficial, type ImageDataset } from '../src/data';
import { buildModel } from '../src/models';
import { Adam, writeFileAtomic } from '../src/train';
import { correctCount, crossEntropySum } from '../src/train/loss';
import { useHostCrossEntropy } from '../src/train/loss-host';
import { machineLoad } from './timing';
import { PeerProcess, benchPython } from './peers/peer-process';

const BATCH = 32;
const EXACT = ['Identity', 'Cast', 'Sum', 'AvgPool', 'Add'];
interface Variant { label: string; fastGrads: string[] | 'all' | 'none'; hostAdam: boolean }
const VARIANTS: Variant[] = [
  { label: 'tfjs-shipped', fastGrads: 'none', hostAdam: false },
  { label: 'before', fastGrads: 'all', hostAdam: true }, // with the exact kernels switched off below
  { label: 'qkc', fastGrads: 'all', hostAdam: true },
];
interface Sample { cpuS: number; wallS: number; feedCpuS?: number; forwardCpuS?: number }

const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const batchAt = (data: ImageDataset, start: number) => Int32Array.from({ length: Math.min(BATCH, data.size - start) }, (_, k) => start + k);

function switchTo(v: Variant): void {
  useWasmFastGrads(v.fastGrads !== 'none');
  if (v.label === 'before') useWasmFastGrads(false, EXACT);
  useHostCrossEntropy(v.label === 'qkc');
}

/** One pass over `data` in order with the trainer's step: CPU and wall seconds. */
function stepPass(name: string, v: Variant, data: ImageDataset): Sample {
  const model = buildModel(name, 0);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const adam = new Adam([{ name: 'classical', variables: vars, learningRate: 1e-3 }], undefined, { hostUpdateMaxSize: v.hostAdam ? undefined : 0 });
  const t0 = performance.now(), c0 = cpuMs();
  try {
    for (let start = 0; start < data.size; start += BATCH) {
      const idx = batchAt(data, start);
      const [l, c] = tf.tidy(() => {
        const { xs, ys } = data.tensorsAt(idx, { oneHot: false });
        let loss: tf.Scalar | null = null, correct: tf.Scalar | null = null;
        const { grads } = tf.variableGrads(() => {
          const out = model.apply(xs, { training: true }) as tf.Tensor;
          loss = tf.keep(crossEntropySum(out, ys as tf.Tensor1D, 'probabilities'));
          correct = tf.keep(correctCount(out, ys as tf.Tensor1D));
          return tf.div(loss, idx.length) as tf.Scalar;
        }, vars);
        adam.applyGradients(grads);
        return [loss as unknown as tf.Scalar, correct as unknown as tf.Scalar];
      });
      l.dataSync();
      c.dataSync();
      tf.dispose([l, c]);
    }
    return { cpuS: (cpuMs() - c0) / 1000, wallS: (performance.now() - t0) / 1000 };
  } finally {
    adam.dispose();
    model.dispose();
  }
}

/** CPU seconds of feeding alone and of feeding + forward (training mode, no tape) over the same batches. */
function partsPass(name: string, data: ImageDataset): { feedCpuS: number; forwardCpuS: number } {
  const model = buildModel(name, 0);
  try {
    let c0 = cpuMs();
    for (let start = 0; start < data.size; start += BATCH) tf.dispose(Object.values(data.tensorsAt(batchAt(data, start), { oneHot: false })));
    const feedCpuS = (cpuMs() - c0) / 1000;
    c0 = cpuMs();
    for (let start = 0; start < data.size; start += BATCH) {
      tf.tidy(() => {
        const { xs, ys } = data.tensorsAt(batchAt(data, start), { oneHot: false });
        ys.dispose();
        (model.apply(xs, { training: true }) as tf.Tensor).sum().dataSync();
      });
    }
    return { feedCpuS, forwardCpuS: (cpuMs() - c0) / 1000 };
  } finally {
    model.dispose();
  }
}

/** CPU µs per step inside wasm kernels (outermost calls), by kernel and input shapes, over one pass with qkc's kernels. */
function kernelBreakdown(name: string, data: ImageDataset) {
  switchTo(VARIANTS[2]); // before wrapping: switching re-registers kernels
  const originals = tf.getKernelsForBackend('wasm');
  const per = new Map<string, { calls: number; ms: number }>();
  let depth = 0;
  for (const k of originals) {
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({ ...k, setupFunc: undefined, kernelFunc: (args) => {
      const t0 = depth++ === 0 ? cpuMs() : 0;
      try { return k.kernelFunc(args); } finally {
        if (--depth === 0) {
          const key = `${k.kernelName} ${Object.values(args.inputs).map((t) => (t ? `[${t.shape}]` : '-')).join(' ')}`;
          const e = per.get(key) ?? { calls: 0, ms: 0 };
          e.calls++;
          e.ms += cpuMs() - t0;
          per.set(key, e);
        }
      }
    } });
  }
  try {
    const r = stepPass(name, VARIANTS[2], data);
    const steps = Math.ceil(data.size / BATCH);
    const entries = [...per.entries()].sort((a, b) => b[1].ms - a[1].ms);
    return {
      stepUs: r.cpuS * 1e6 / steps, insideUs: entries.reduce((a, [, e]) => a + e.ms, 0) * 1000 / steps,
      callsPerStep: entries.reduce((a, [, e]) => a + e.calls, 0) / steps,
      note: 'CPU time with a process.cpuUsage() pair around every outermost kernel call (a few µs each, counted inside)',
      top: entries.slice(0, 16).map(([kernel, e]) => ({ kernel, usPerStep: e.ms * 1000 / steps, callsPerStep: e.calls / steps })),
    };
  } finally {
    for (const k of originals) { tf.unregisterKernel(k.kernelName, 'wasm'); tf.registerKernel({ ...k, setupFunc: undefined }); }
  }
}

/** The torch twin of control-small at `threads` threads, or null without the bench venv. */
async function startTorch(data: ImageDataset, threads: number): Promise<PeerProcess | null> {
  const python = benchPython();
  if (!python) return null;
  const model = buildModel('control-small', 0);
  const weights = model.trainableWeights.map((w) => ({ shape: w.shape, values: Array.from(w.read().dataSync()) }));
  model.dispose();
  const fs = await import('fs'), os = await import('os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-classical-step-'));
  const file = path.join(dir, 'train.u8');
  fs.writeFileSync(file, Buffer.concat([Buffer.from(data.images as Uint8Array), Buffer.from(data.labels)]));
  // Passive OpenMP waits: with the default (spinning) policy two threads on the loaded 2-core machine took
  // ~100× one thread's CPU time per step (measured: 230 ms against 2.3 ms).
  const torch = new PeerProcess(python, 'torch-control', 600_000, { QKC_BENCH_TORCH_THREADS: String(threads), OMP_WAIT_POLICY: 'PASSIVE' });
  const setup = await torch.call({ op: 'epoch_setup', weights, data: file, images: data.size, lr: 1e-3 });
  fs.rmSync(dir, { recursive: true, force: true });
  if (setup.error) { console.log(`  torch-${threads}: ${setup.error}`); torch.close(); return null; }
  return torch;
}

async function torchSample(torch: PeerProcess, warm: boolean): Promise<Sample> {
  const maxBatches = warm ? 3 : null;
  const t = await torch.call({ op: 'epoch_time', batchSize: BATCH, maxBatches });
  const p = await torch.call({ op: 'epoch_parts', batchSize: BATCH, maxBatches });
  if (t.error || p.error) throw new Error(`torch: ${t.error ?? p.error}`);
  return { cpuS: t.cpuS as number, wallS: t.s as number, feedCpuS: p.feedCpuS as number, forwardCpuS: p.forwardCpuS as number };
}

export async function main(rounds = 5, images = 3200): Promise<void> {
  const info = await ready();
  if (info.tfBackend !== 'wasm') { console.log(`classical-step: the wasm backend is not in use (${info.tfBackend}); skipped`); return; }
  const full = loadMnistOfficial().train;
  const data = full.subset(Array.from({ length: Math.min(images, full.size) }, (_, i) => i));
  const warmData = data.subset(Array.from({ length: 3 * BATCH }, (_, i) => i));
  const steps = Math.ceil(data.size / BATCH);
  const loadBefore = machineLoad();
  const loads: number[] = [loadBefore.loadavg1];
  console.log(`classical-step: ${data.size} official MNIST images (${steps} steps of ${BATCH}); ${rounds} interleaved rounds; load ${loadBefore.loadavg1}`);
  const torches: Array<[string, PeerProcess]> = [];
  for (const threads of [1, 2]) { const t = await startTorch(data, threads); if (t) torches.push([`torch-${threads}`, t]); }
  const samples: Record<string, Record<string, Sample[]>> = { 'control-small': {}, 'cnn-small': {} };
  try {
    for (let r = -1; r < rounds; r++) {
      const d = r < 0 ? warmData : data;
      for (const name of Object.keys(samples)) {
        for (const v of VARIANTS) {
          switchTo(v);
          const s = stepPass(name, v, d);
          if (v.label === 'qkc') Object.assign(s, partsPass(name, d));
          if (r >= 0) (samples[name][v.label] ??= []).push(s);
        }
      }
      useWasmFastGrads(true);
      for (const [label, torch] of torches) {
        const s = await torchSample(torch, r < 0);
        if (r >= 0) (samples['control-small'][label] ??= []).push(s);
      }
      loads.push(machineLoad().loadavg1);
      if (r >= 0) console.log(`  round ${r + 1}/${rounds} done, load ${loads[loads.length - 1]}`);
    }
  } finally {
    for (const [, t] of torches) t.close();
    useWasmFastGrads(true);
    useHostCrossEntropy(true);
  }
  const perStep = (s: Sample[]) => ({
    cpuMsPerStep: median(s.map((x) => x.cpuS)) * 1000 / steps, wallMsPerStep: median(s.map((x) => x.wallS)) * 1000 / steps,
    ...(s[0].feedCpuS != null ? { feedCpuMsPerStep: median(s.map((x) => x.feedCpuS!)) * 1000 / steps, forwardCpuMsPerStep: median(s.map((x) => x.forwardCpuS!)) * 1000 / steps } : {}),
  });
  // Ratios per round (same load), median and range; CPU time leaves out time spent descheduled.
  const ratio = (m: Record<string, Sample[]>, a: string, b: string, key: 'cpuS' | 'wallS' | 'forwardCpuS' | 'feedCpuS') => {
    if (!m[a] || !m[b] || m[a][0][key] == null || m[b][0][key] == null) return null;
    const xs = m[a].map((x, i) => x[key]! / m[b][i][key]!);
    return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
  };
  const models = Object.fromEntries(Object.entries(samples).map(([name, m]) => {
    const pairs = [['tfjs-shipped', 'qkc'], ['before', 'qkc'], ['qkc', 'torch-1'], ['qkc', 'torch-2'], ['before', 'torch-1'], ['torch-2', 'torch-1']];
    const ratios = Object.fromEntries((['cpuS', 'wallS'] as const).flatMap((key) => pairs.map(([a, b]) => [`${a} / ${b} (${key === 'cpuS' ? 'CPU' : 'wall'})`, ratio(m, a, b, key)])));
    for (const key of ['forwardCpuS', 'feedCpuS'] as const) for (const t of ['torch-1', 'torch-2']) ratios[`qkc / ${t} (${key === 'forwardCpuS' ? 'feed + forward' : 'feed'}, CPU)`] = ratio(m, 'qkc', t, key);
    return [name, { variants: Object.fromEntries(Object.entries(m).map(([k, s]) => [k, perStep(s)])), ratios }];
  }));
  const kernels = Object.fromEntries(Object.keys(samples).map((name) => [name, kernelBreakdown(name, data)]));
  for (const [name, m] of Object.entries(models)) {
    console.log(`  ${name}:`);
    for (const [k, r] of Object.entries(m.variants)) {
      const parts = 'feedCpuMsPerStep' in r ? `; feed ${r.feedCpuMsPerStep!.toFixed(3)}, feed + forward ${r.forwardCpuMsPerStep!.toFixed(3)} ms CPU` : '';
      console.log(`    ${k.padEnd(13)} step ${r.cpuMsPerStep.toFixed(3)} ms CPU, ${r.wallMsPerStep.toFixed(2)} ms wall${parts}`);
    }
    for (const [k, r] of Object.entries(m.ratios)) if (r) console.log(`    ${k.padEnd(40)} ${r.median.toFixed(3)} (min ${r.min.toFixed(3)}, max ${r.max.toFixed(3)})`);
    const kb = kernels[name];
    console.log(`    kernels (qkc): ${kb.insideUs.toFixed(0)} of ${kb.stepUs.toFixed(0)} µs CPU per step inside ${kb.callsPerStep.toFixed(0)} kernel calls; top: ${kb.top.slice(0, 6).map((t) => `${t.kernel} ${t.usPerStep.toFixed(0)}`).join(', ')}`);
  }
  const file = path.join(__dirname, 'results', 'classical-step.json');
  const result = {
    workload: 'classical-step', date: new Date().toISOString(), backend: info.tfBackend, node: process.version,
    images: data.size, batchSize: BATCH, rounds, machine: { before: loadBefore, after: machineLoad(), loadavg1PerRound: loads },
    wasm: { simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') },
    models, kernels,
  };
  writeFileAtomic(file, JSON.stringify(result, null, 2) + '\n');
  console.log(`  load ${loadBefore.loadavg1} → ${result.machine.after.loadavg1} on ${loadBefore.cores} cores; wrote ${path.relative(process.cwd(), file)}`);
}

if (require.main === module) main(...process.argv.slice(2).map(Number)).catch((e) => { console.error(e); process.exit(1); });
