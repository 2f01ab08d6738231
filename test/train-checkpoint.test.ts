// Checkpoint/resume: an interrupted-then-resumed run must end bit-identical to an uninterrupted one.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../src/backend';
import { train, loadCheckpoint, CHECKPOINT_FILE, type TrainOptions } from '../src/train';
import { encodeCheckpoint, decodeCheckpoint, saveCheckpoint, type Checkpoint } from '../src/train/checkpoint';
import { blobData, disposeData, tinyModel, tmpDir, weightBytes } from './train-fixtures';

const BASE: TrainOptions = { epochs: 3, batchSize: 8, learningRate: 0.02, quantumLearningRate: 0.05, seed: 7, progress: 'none' };

describe('train: checkpoint and resume', () => {
  const data = blobData(60, 24);
  after(() => disposeData(data));

  async function reference(extra: TrainOptions = {}): Promise<{ bytes: Buffer[]; history: unknown[] }> {
    const model = tinyModel({ dropout: true, quantum: true });
    const r = await train(model, data, { ...BASE, outDir: tmpDir(), ...extra });
    const bytes = weightBytes(model);
    model.dispose();
    return { bytes, history: r.history.map((h) => [h.loss, h.accuracy, h.val_loss, h.val_accuracy]) };
  }

  it('stop after epoch 1 (onEpochEnd) then resume ends with exactly the uninterrupted weights', async () => {
    const ref = await reference();
    const dir = tmpDir();
    const m1 = tinyModel({ dropout: true, quantum: true });
    const r1 = await train(m1, data, { ...BASE, outDir: dir, onEpochEnd: (rec, c) => { if (rec.epoch === 1) c.stop(); } });
    assert.equal(r1.interrupted, true);
    assert.equal(r1.epoch, 1);
    m1.dispose();
    // A different initialisation proves the weights come from the checkpoint, not the builder.
    const m2 = tinyModel({ dropout: true, quantum: true, seed: 99 });
    const r2 = await train(m2, data, { ...BASE, outDir: dir, resume: true });
    assert.equal(r2.resumedFrom, 1);
    assert.equal(r2.interrupted, false);
    assert.deepEqual(r2.history.map((h) => [h.loss, h.accuracy, h.val_loss, h.val_accuracy]), ref.history);
    const got = weightBytes(m2);
    assert.equal(got.length, ref.bytes.length);
    got.forEach((b, i) => assert.ok(b.equals(ref.bytes[i]), `weight ${i} differs after resume`));
    m2.dispose();
  });

  it('an abort in the middle of epoch 2 (AbortSignal) discards the partial epoch and resumes exactly', async () => {
    const ref = await reference();
    const dir = tmpDir();
    const ac = new AbortController();
    const m1 = tinyModel({ dropout: true, quantum: true });
    const r1 = await train(m1, data, { ...BASE, outDir: dir, signal: ac.signal, onBatchEnd: (b) => { if (b.epoch === 2 && b.batch === 3) ac.abort(); } });
    assert.equal(r1.interrupted, true);
    assert.equal(r1.epoch, 1, 'the partial epoch 2 is not recorded');
    assert.equal((await loadCheckpoint(dir))?.meta.epoch, 1);
    m1.dispose();
    const m2 = tinyModel({ dropout: true, quantum: true, seed: 5 });
    await train(m2, data, { ...BASE, outDir: dir, resume: 'auto' });
    weightBytes(m2).forEach((b, i) => assert.ok(b.equals(ref.bytes[i]), `weight ${i} differs after resume`));
    m2.dispose();
  });

  it('early stopping with restoreBest resumes to the same final weights', async () => {
    const es = { earlyStopping: { monitor: 'val_loss' as const, patience: 1, minDelta: 10 }, epochs: 4 };
    const ref = await reference(es);
    const dir = tmpDir();
    const m1 = tinyModel({ dropout: true, quantum: true });
    await train(m1, data, { ...BASE, ...es, outDir: dir, onEpochEnd: (_r, c) => c.stop() });
    m1.dispose();
    const m2 = tinyModel({ dropout: true, quantum: true, seed: 3 });
    const r2 = await train(m2, data, { ...BASE, ...es, outDir: dir, resume: true });
    // minDelta 10 means epoch 1 stays best and patience 1 stops after epoch 2.
    assert.equal(r2.stoppedEarly, true);
    assert.equal(r2.epoch, 2);
    assert.equal(r2.restoredBestEpoch, 1);
    weightBytes(m2).forEach((b, i) => assert.ok(b.equals(ref.bytes[i]), `weight ${i} differs`));
    m2.dispose();
  });

  it('refuses to resume with a different configuration, naming the differences', async () => {
    const dir = tmpDir();
    const m = tinyModel({ quantum: true });
    await train(m, data, { ...BASE, epochs: 1, outDir: dir });
    await assert.rejects(train(m, data, { ...BASE, batchSize: 16, seed: 8, outDir: dir, resume: true }),
      (e: Error) => /different configuration/.test(e.message) && /batchSize: 8 \(checkpoint\) vs 16 \(now\)/.test(e.message) && /seed: 7/.test(e.message));
    // A different architecture is refused too.
    const other = tinyModel({ quantum: false });
    await assert.rejects(train(other, data, { ...BASE, outDir: dir, resume: true }), /model: /);
    m.dispose();
    other.dispose();
  });

  it('resume: true without a checkpoint is an error; resume: "auto" starts fresh', async () => {
    const m = tinyModel();
    await assert.rejects(train(m, data, { ...BASE, epochs: 1, outDir: tmpDir(), resume: true }), /resume: no checkpoint in/);
    const r = await train(m, data, { ...BASE, epochs: 1, outDir: tmpDir(), resume: 'auto' });
    assert.equal(r.resumedFrom, 0);
    assert.equal(r.epoch, 1);
    m.dispose();
  });

  it('extends a finished run: 2 epochs then resume to 3 equals 3 epochs straight', async () => {
    const ref = await reference();
    const dir = tmpDir();
    const m1 = tinyModel({ dropout: true, quantum: true });
    await train(m1, data, { ...BASE, epochs: 2, outDir: dir });
    m1.dispose();
    const m2 = tinyModel({ dropout: true, quantum: true });
    await train(m2, data, { ...BASE, epochs: 3, outDir: dir, resume: true });
    weightBytes(m2).forEach((b, i) => assert.ok(b.equals(ref.bytes[i]), `weight ${i} differs`));
    m2.dispose();
  });
});

describe('train: checkpoint files', () => {
  function sample(epoch: number): Checkpoint {
    return {
      meta: {
        format: 'qkc-train-checkpoint/1', epoch, configHash: 'h', config: {} as never, history: [], prngState: 123,
        optimizerStep: 4, earlyStopping: null, savedAt: 'now',
      },
      tensors: [
        { name: 'weights/0', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, Math.PI, -0, 1e-30]) },
        { name: 'weights/1', shape: [3], data: Int32Array.from([7, -8, 9]) },
      ],
    };
  }

  it('round-trips arrays bit for bit', () => {
    const back = decodeCheckpoint(encodeCheckpoint(sample(3)));
    assert.equal(back.meta.epoch, 3);
    assert.ok(back.tensors[0].data instanceof Float32Array);
    assert.ok(Buffer.from(back.tensors[0].data.buffer).equals(Buffer.from(sample(3).tensors[0].data.buffer)));
    assert.deepEqual(Array.from(back.tensors[1].data), [7, -8, 9]);
  });

  it('truncated, damaged or foreign files give clear errors', () => {
    const bytes = Buffer.from(encodeCheckpoint(sample(1)));
    assert.throws(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 5), 'f'), /f: truncated/);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 3] ^= 0xff;
    assert.throws(() => decodeCheckpoint(flipped, 'f'), /checksum mismatch/);
    assert.throws(() => decodeCheckpoint(Buffer.from('hello world, not a checkpoint'), 'f'), /not a qkc checkpoint/);
  });

  it('is written atomically: the old checkpoint stays complete until the rename, and a failed write leaves it intact', async () => {
    const dir = tmpDir();
    const file = path.join(dir, CHECKPOINT_FILE);
    await saveCheckpoint(dir, sample(1));
    let sawTmp = false;
    await saveCheckpoint(dir, sample(2), {
      beforeRename: (tmp) => {
        sawTmp = true;
        // The new bytes are complete in the temp file while readers still see the old checkpoint.
        assert.equal(decodeCheckpoint(fs.readFileSync(tmp)).meta.epoch, 2);
        assert.equal(decodeCheckpoint(fs.readFileSync(file)).meta.epoch, 1);
      },
    });
    assert.ok(sawTmp);
    assert.equal(decodeCheckpoint(fs.readFileSync(file)).meta.epoch, 2);
    await assert.rejects(saveCheckpoint(dir, sample(3), { beforeRename: () => { throw new Error('crash before rename'); } }), /crash before rename/);
    assert.equal(decodeCheckpoint(fs.readFileSync(file)).meta.epoch, 2);
    assert.deepEqual(fs.readdirSync(dir), [CHECKPOINT_FILE], 'no temp file left behind');
  });

  it('holds weights, Adam moments and step, PRNG state and history after a run', async () => {
    const data = blobData(30, 9);
    const m = tinyModel({ quantum: true });
    const dir = tmpDir();
    await train(m, data, { ...BASE, epochs: 2, outDir: dir });
    const ck = await loadCheckpoint(dir);
    assert.ok(ck);
    assert.equal(ck.meta.epoch, 2);
    assert.equal(ck.meta.history.length, 2);
    assert.equal(ck.meta.optimizerStep, 2 * Math.ceil(30 / 8));
    const nW = m.weights.length;
    assert.equal(ck.tensors.filter((t) => t.name.startsWith('weights/')).length, nW);
    assert.equal(ck.tensors.filter((t) => t.name.startsWith('adam/m/')).length, m.trainableWeights.length);
    assert.ok(ck.tensors.some((t) => t.name === 'adam/v/0' && t.data.some((v) => v > 0)), 'second moments are non-zero');
    assert.equal(typeof ck.meta.prngState, 'number');
    const w0 = m.weights[0].read().dataSync();
    assert.ok(Buffer.from(ck.tensors[0].data.buffer).equals(Buffer.from(w0.buffer, w0.byteOffset, w0.byteLength)));
    assert.equal(tf.memory().numTensors >= 0, true);
    m.dispose();
    disposeData(data);
  });
});
