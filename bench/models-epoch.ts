/**
 * Bench: one training epoch (train(), batch 32, Adam) of the model zoo on the embedded MNIST training
 * images, timed in one run: hybrid-small with each quantum gradient method (parameter-shift, adjoint,
 * backprop) and the classical models, as ratios to hybrid-small's same-shape classical control
 * (control-small). Issue 4's targets: ≤ 30 s (parameter-shift) and ≤ 10 s (backprop/adjoint) per 8,000
 * images on 2 cores. The other hybrids (parameter-shift and backprop) and all controls are listed too.
 * Variants are interleaved round by round so that load from other processes hits them alike; medians
 * are reported. Optionally one parameter-shift epoch of hybrid-small on the full
 * Fashion-MNIST training set (60,000 images) when its files are present.
 * Run: node -r ts-node/register/transpile-only bench/models-epoch.ts [rounds=1] [images=8000] [fashion=0]
 *      (or: npm run bench -- models-epoch 1 8000 1)
 */
import { ready } from '../src/backend';
import { loadDataset, loadMnist, locateDataset, type ImageDataset } from '../src/data';
import type { DiffMethod } from '../src/qkc';
import { train } from '../src/train';
import { buildModel, parameterSplit } from '../src/models';

interface Variant { label: string; model: string; diff: DiffMethod }

const VARIANTS: Variant[] = [
  { label: 'hybrid-small parameter-shift', model: 'hybrid-small', diff: 'parameter-shift' },
  { label: 'hybrid-small adjoint', model: 'hybrid-small', diff: 'adjoint' },
  { label: 'hybrid-small backprop', model: 'hybrid-small', diff: 'backprop' },
  { label: 'hybrid-strong parameter-shift', model: 'hybrid-strong', diff: 'parameter-shift' },
  { label: 'hybrid-strong backprop', model: 'hybrid-strong', diff: 'backprop' },
  { label: 'hybrid-kpool parameter-shift', model: 'hybrid-kpool', diff: 'parameter-shift' },
  { label: 'hybrid-kpool backprop', model: 'hybrid-kpool', diff: 'backprop' },
  { label: 'hybrid-qpool parameter-shift', model: 'hybrid-qpool', diff: 'parameter-shift' },
  { label: 'hybrid-qpool backprop', model: 'hybrid-qpool', diff: 'backprop' },
  { label: 'control-small', model: 'control-small', diff: 'backprop' },
  { label: 'control-strong', model: 'control-strong', diff: 'backprop' },
  { label: 'control-kpool', model: 'control-kpool', diff: 'backprop' },
  { label: 'control-qpool', model: 'control-qpool', diff: 'backprop' },
  { label: 'cnn-small', model: 'cnn-small', diff: 'backprop' },
  { label: 'cnn-medium', model: 'cnn-medium', diff: 'backprop' },
  { label: 'lenet5', model: 'lenet5', diff: 'backprop' },
  { label: 'linear', model: 'linear', diff: 'backprop' },
];
const BASELINE = 'control-small';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Seconds of one training epoch (the trainer's own epoch_time_s: steps only) and its circuit executions. */
async function epoch(model: string, diff: DiffMethod, data: ImageDataset): Promise<{ s: number; circuits: number; params: string }> {
  const m = buildModel(model, 0);
  try {
    const r = await train(m, { train: data }, { epochs: 1, batchSize: 32, diffMethod: diff, progress: 'none', seed: 0 });
    const p = parameterSplit(m);
    return { s: r.history[0].epoch_time_s, circuits: r.history[0].circuit_executions, params: `${p.quantum}q+${p.classical}c` };
  } finally {
    m.dispose();
  }
}

export async function main(rounds = 1, images = 8000, fashion = 0): Promise<void> {
  const info = await ready();
  const data = loadMnist({ trainSize: images }).train;
  console.log(`backend ${info.tfBackend}; one epoch on ${data.size} embedded MNIST training images, batch 32; median of ${rounds} interleaved round(s)`);
  const times = new Map<string, number[]>();
  const circuits = new Map<string, number>();
  const params = new Map<string, string>();
  for (let r = 0; r < rounds; r++) {
    for (const v of VARIANTS) {
      const e = await epoch(v.model, v.diff, data);
      times.set(v.label, [...(times.get(v.label) ?? []), e.s]);
      circuits.set(v.label, e.circuits);
      params.set(v.label, e.params);
    }
  }
  const base = median(times.get(BASELINE) as number[]);
  console.log(`${'variant'.padEnd(30)} ${'params'.padEnd(12)} ${'s/epoch'.padStart(8)}  ${'× ' + BASELINE}  circuit executions`);
  for (const v of VARIANTS) {
    const t = median(times.get(v.label) as number[]);
    console.log(`${v.label.padEnd(30)} ${(params.get(v.label) ?? '').padEnd(12)} ${t.toFixed(2).padStart(8)}  ${(t / base).toFixed(2).padStart(6)}×        ${(circuits.get(v.label) ?? 0).toExponential(3)}`);
  }
  if (fashion) {
    if (!locateDataset('fashion-mnist')) {
      console.log('Fashion-MNIST: files not found, skipped');
      return;
    }
    const full = loadDataset('fashion-mnist').train;
    const e = await epoch('hybrid-small', 'parameter-shift', full);
    const c = await epoch(BASELINE, 'backprop', full);
    console.log(`Fashion-MNIST ${full.size} images: hybrid-small parameter-shift ${e.s.toFixed(1)} s/epoch (${e.circuits.toExponential(3)} circuits), ` +
      `${BASELINE} ${c.s.toFixed(1)} s/epoch (ratio ${(e.s / c.s).toFixed(2)}×)`);
  }
}

if (require.main === module) {
  const [rounds, images, fashion] = process.argv.slice(2).map(Number);
  main(rounds || undefined, images || undefined, fashion || undefined).catch((e) => { console.error(e); process.exit(1); });
}
