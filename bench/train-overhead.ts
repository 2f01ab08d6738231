/**
 * Bench: the trainer's custom loop against tfjs's own model.fit on the same classical models, data, batch
 * size and optimiser (Adam), timed in the same run. The three variants are interleaved round by round so
 * that load from other processes hits them alike; the medians and the ratios to fit are reported:
 *   - fit: model.fit, one epoch per call;
 *   - train: train() without outDir (seeded steps, per-batch metric reads), one epoch per call;
 *   - train+files: train() with outDir (adds the data hash, an atomic checkpoint and the metrics files).
 * Conv models are absent: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel, so they cannot
 * train on wasm at all (see the report).
 * Run: node -r ts-node/register/transpile-only bench/train-overhead.ts [nSamples] [rounds]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ready, tf } from '../src/backend';
import { train } from '../src/train';

const BATCH = 32;

type Builder = () => tf.Sequential;

const MODELS: Record<string, Builder> = {
  'linear 784→10': () => tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10 })] }),
  'mlp 784→64→10': () => tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 64, activation: 'relu' }), tf.layers.dense({ units: 10 })],
  }),
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

export async function main(n = 4000, rounds = 5): Promise<void> {
  const info = await ready();
  const x = tf.randomUniform([n, 28, 28, 1], 0, 1, 'float32', 1);
  const y = tf.tensor1d(Array.from({ length: n }, (_, i) => i % 10), 'int32');
  const yHot = tf.oneHot(y, 10);
  console.log(`backend ${info.tfBackend}, ${n} samples, batch ${BATCH}, median wall time of one epoch over ${rounds} interleaved rounds`);
  console.log('model              fit s    train s (ratio)   train+files s (ratio)');
  for (const [name, build] of Object.entries(MODELS)) {
    const fitModel = build();
    fitModel.compile({ optimizer: tf.train.adam(1e-3), loss: tf.losses.softmaxCrossEntropy });
    const plainModel = build();
    const filesModel = build();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-bench-train-'));
    const t = { fit: [] as number[], plain: [] as number[], files: [] as number[] };
    for (let r = -1; r < rounds; r++) { // round -1 warms up
      const fit = await seconds(() => fitModel.fit(x, yHot, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 }));
      const plain = await seconds(() => train(plainModel, { train: { x, y } }, { epochs: 1, batchSize: BATCH, seed: r + 1, progress: 'none' }));
      const files = await seconds(() => train(filesModel, { train: { x, y } }, { epochs: r + 2, batchSize: BATCH, progress: 'none', outDir: dir, resume: 'auto' }));
      if (r >= 0) {
        t.fit.push(fit);
        t.plain.push(plain);
        t.files.push(files);
      }
    }
    const fit = median(t.fit);
    const cell = (v: number): string => `${v.toFixed(3)} (${(v / fit).toFixed(2)}×)`;
    console.log(`${name.padEnd(18)} ${fit.toFixed(3).padEnd(8)} ${cell(median(t.plain)).padEnd(17)} ${cell(median(t.files))}`);
    fs.rmSync(dir, { recursive: true, force: true });
    [fitModel, plainModel, filesModel].forEach((m) => m.dispose());
  }
  tf.dispose([x, y, yHot]);
}

if (require.main === module) {
  const [n, rounds] = process.argv.slice(2).map(Number);
  main(n || undefined, rounds || undefined).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
