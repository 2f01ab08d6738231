/**
 * Bench: one training epoch (train(), batch 32, Adam) of the model zoo on the embedded MNIST training
 * images, timed in one run: hybrid-small with each quantum gradient method (parameter-shift, adjoint,
 * backprop) and the classical models, as ratios to hybrid-small's same-shape classical control
 * (control-small). Issue 4's targets: ≤ 30 s (parameter-shift) and ≤ 10 s (backprop/adjoint) per 8,000
 * images on 2 cores. The other hybrids (parameter-shift and backprop) and all controls are listed too.
 * Variants are interleaved round by round so that load from other processes hits them alike; medians
 * are reported. Optionally one parameter-shift epoch of hybrid-small on the full
 * Fashion-MNIST training set (60,000 images) when its files are present.
 * Results: a table on stdout and bench/results/models-epoch.json (written atomically).
 * Run: node -r ts-node/register/transpile-only bench/models-epoch.ts [rounds=1] [images=8000] [fashion=0]
 *      (or: npm run bench -- models-epoch 1 8000 1)
 */
import * as path from 'path';
import { ready } from '../src/backend';
import { loadDataset, loadMnist, locateDataset, type ImageDataset } from '../src/data';
import type { DiffMethod } from '../src/qkc';
import { train, writeFileAtomic } from '../src/train';
import { buildModel, parameterSplit } from '../src/models';
import { machineLoad } from './timing';

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
  const loadBefore = machineLoad();
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
  const rows = VARIANTS.map((v) => {
    const s = median(times.get(v.label) as number[]);
    return { variant: v.label, model: v.model, diffMethod: v.diff, params: params.get(v.label) ?? '', secondsPerEpoch: s, ratioToBaseline: s / base, circuitExecutions: circuits.get(v.label) ?? 0 };
  });
  console.log(`${'variant'.padEnd(30)} ${'params'.padEnd(12)} ${'s/epoch'.padStart(8)}  ${'× ' + BASELINE}  circuit executions`);
  for (const r of rows) {
    console.log(`${r.variant.padEnd(30)} ${r.params.padEnd(12)} ${r.secondsPerEpoch.toFixed(2).padStart(8)}  ${r.ratioToBaseline.toFixed(2).padStart(6)}×        ${r.circuitExecutions.toExponential(3)}`);
  }
  let fashionEpoch: Record<string, number> | string = 'not run (third argument 0)';
  if (fashion) {
    if (!locateDataset('fashion-mnist')) {
      fashionEpoch = 'Fashion-MNIST files not found';
      console.log(`Fashion-MNIST: files not found, skipped`);
    } else {
      const full = loadDataset('fashion-mnist').train;
      const e = await epoch('hybrid-small', 'parameter-shift', full);
      const c = await epoch(BASELINE, 'backprop', full);
      fashionEpoch = { images: full.size, hybridSmallParameterShiftS: e.s, circuitExecutions: e.circuits, baselineS: c.s, ratio: e.s / c.s };
      console.log(`Fashion-MNIST ${full.size} images: hybrid-small parameter-shift ${e.s.toFixed(1)} s/epoch (${e.circuits.toExponential(3)} circuits), ` +
        `${BASELINE} ${c.s.toFixed(1)} s/epoch (ratio ${(e.s / c.s).toFixed(2)}×)`);
    }
  }
  const file = path.join(__dirname, 'results', 'models-epoch.json');
  const result = {
    workload: 'models-epoch', date: new Date().toISOString(), backend: info.tfBackend, node: process.version,
    machine: { before: loadBefore, after: machineLoad() }, images: data.size, rounds, baseline: BASELINE, rows, fashionMnist: fashionEpoch,
  };
  await writeFileAtomic(file, JSON.stringify(result, null, 2) + '\n');
  console.log(`load ${loadBefore.loadavg1}→${result.machine.after.loadavg1} on ${loadBefore.cores} cores; wrote ${path.relative(process.cwd(), file)}`);
}

if (require.main === module) {
  const [rounds, images, fashion] = process.argv.slice(2).map(Number);
  main(rounds || undefined, images || undefined, fashion || undefined).catch((e) => { console.error(e); process.exit(1); });
}
