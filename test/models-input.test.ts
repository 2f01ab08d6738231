// Any supported image size and channel count through every model of the zoo, or a one-line refusal before
// training: square (and odd) sides 8…64, 1 or 3 channels; an 8×8 IDX dataset and an RGB one train end to end.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../src/backend';
import { IDX_IMAGES_C_MAGIC, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, loadDataset, loadMnist, resizeArray } from '../src/data';
import { runExperiment } from '../src/experiments';
import { INPUT_LIMITS, MODELS, UnsupportedInputError, getModelSpec } from '../src/models';
import { chain } from '../src/models/model-options';
import { main } from '../src/cli';

/** Writes one IDX file: big-endian magic and dims, then the bytes. */
function writeIdx(file: string, magic: number, dims: number[], data: Uint8Array): void {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  fs.writeFileSync(file, Buffer.concat([header, Buffer.from(data)]));
}

/** Real digits shrunk to side×side by area averaging (and copied into 3 channels with a tint when rgb), written as IDX. */
function writeDigitsIdx(dir: string, side: number, nTrain: number, nTest: number, rgb = false): void {
  fs.mkdirSync(dir, { recursive: true });
  const digits = loadMnist({ trainSize: nTrain, testSize: nTest });
  for (const [part, prefix] of [[digits.train, 'train'], [digits.test, 't10k']] as const) {
    const small = resizeArray(part.images, { n: part.size, height: 28, width: 28 }, side);
    const c = rgb ? 3 : 1;
    const bytes = new Uint8Array(small.length * c);
    const tint = [1, 0.8, 0.6];
    for (let i = 0; i < small.length; i++) for (let k = 0; k < c; k++) bytes[i * c + k] = Math.round(small[i] * tint[k]);
    const dims = rgb ? [part.size, side, side, 3] : [part.size, side, side];
    writeIdx(path.join(dir, `${prefix}-images-idx3-ubyte`), rgb ? IDX_IMAGES_C_MAGIC : IDX_IMAGES_MAGIC, dims, bytes);
    writeIdx(path.join(dir, `${prefix}-labels-idx1-ubyte`), IDX_LABELS_MAGIC, [part.size], part.labels);
  }
}

describe('models: any supported image size and channel count, or a clear refusal', () => {
  const SHAPES: Array<[number, number]> = [[8, 1], [9, 1], [12, 1], [16, 3], [64, 1], [64, 3]];

  it('every model builds on 8…64-pixel 1- and 3-channel images and gives class probabilities in one forward pass', function () {
    this.timeout(300000);
    for (const [side, channels] of SHAPES) {
      const xs = tf.randomUniform([2, side, side, channels], 0, 1, 'float32', 5);
      for (const spec of MODELS) {
        const model = spec.builder(1, { imageSize: [side, side], channels });
        const out = model.predict(xs) as tf.Tensor;
        const where = `${spec.name} on ${side}×${side}×${channels}`;
        assert.deepEqual(out.shape, [2, 10], where);
        const rows = tf.sum(out, 1).arraySync() as number[];
        rows.forEach((s) => assert.ok(Math.abs(s - 1) < 1e-4, `${where}: softmax rows sum to ${s}`));
        out.dispose();
        model.dispose();
      }
      xs.dispose();
    }
  });

  it('descriptions say what each model does to the input: resize only when larger, gray for RGB, padding when small', () => {
    const d = (name: string, side: number, channels = 1) => getModelSpec(name).describe({ imageSize: [side, side], channels });
    assert.equal(getModelSpec('hybrid-small').description, d('hybrid-small', 28));
    assert.match(d('hybrid-small', 28), /^resize 28→14 → QuantumConv2D/);
    assert.match(d('hybrid-small', 64), /^resize 64→14 → QuantumConv2D/);
    assert.match(d('hybrid-small', 8), /^8×8 kept \(not upsampled to 14×14\) → QuantumConv2D/);
    assert.match(d('control-qpool', 12, 3), /^RGB → gray \(BT\.601 luma\) → 12×12 kept \(not upsampled to 14×14\) → hybrid-qpool with/);
    assert.match(d('hybrid-strong', 8), /^QuantumConv2D 2×2\/2 on 8×8 /);
    assert.match(d('hybrid-strong', 16, 3), /^RGB → gray \(BT\.601 luma\) → QuantumConv2D 2×2\/2 on 16×16 /);
    assert.match(d('cnn-medium', 8), /\(convs padded 'same': 8×8 is too small for unpadded ones\)$/);
    assert.doesNotMatch(d('cnn-medium', 10), /padded/);
    assert.match(d('lenet5', 10, 3), /\(RGB as 3 input channels\) \(second conv padded 'same': 10×10 is too small for an unpadded one\)$/);
    assert.doesNotMatch(d('lenet5', 12), /padded/);
    assert.match(d('linear', 8, 3), /^linear 192→10 /);
    for (const spec of MODELS) {
      for (const side of [8, 16, 64]) assert.doesNotMatch(spec.describe({ imageSize: [side, side] }), /28/, `${spec.name} at ${side}: stale 28`);
    }
  });

  it('hybrids never upsample: no resize layer below 14×14, an area resize to 14×14 above', () => {
    const layersOf = (name: string, side: number) => {
      const m = getModelSpec(name).builder(0, { imageSize: [side, side] });
      const names = m.layers.map((l) => l.getClassName());
      m.dispose();
      return names;
    };
    for (const name of ['hybrid-small', 'hybrid-kpool', 'hybrid-qpool', 'control-small']) {
      assert.ok(!layersOf(name, 8).includes('ImageResize'), `${name} at 8×8 resizes`);
      assert.ok(!layersOf(name, 14).includes('ImageResize'), `${name} at 14×14 resizes`);
      assert.ok(layersOf(name, 28).includes('ImageResize'), `${name} at 28×28 does not resize`);
    }
  });

  it('refuses other shapes before training with one line naming the model, the shape and what it supports', () => {
    const { minSide, maxSide } = INPUT_LIMITS;
    for (const [h, w, c] of [[4, 4, 1], [7, 7, 1], [65, 65, 1], [28, 28, 2], [28, 28, 4]]) {
      for (const spec of MODELS) {
        const t0 = performance.now();
        assert.throws(() => spec.builder(0, { imageSize: [h, w], channels: c }), (e: Error) => e instanceof UnsupportedInputError
          && e.message === `${spec.name} (input): expected images from ${minSide}×${minSide} to ${maxSide}×${maxSide} with 1 or 3 channels, got ${h}×${w}×${c}`);
        assert.ok(performance.now() - t0 < 100, `${spec.name}: refusal took ${performance.now() - t0} ms`);
      }
    }
    // The last line of defence: a layer that would output an empty dimension is refused, naming it.
    assert.throws(() => chain('tiny', { imageSize: [8, 8], channels: 1 }, [tf.layers.conv2d({ filters: 1, kernelSize: 9 })]),
      (e: Error) => e instanceof UnsupportedInputError && /^tiny \(input\): expected an input its layers can take \(larger than 8×8\), got 8×8×1: Conv2D would output \[batch, 0, 0, 1\]$/.test(e.message));
  });

  it('an 8×8 IDX dataset (shrunk real digits) and an RGB one train end to end', async function () {
    this.timeout(300000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-shapes-'));
    writeDigitsIdx(path.join(tmp, 'digits8'), 8, 500, 100);
    writeDigitsIdx(path.join(tmp, 'rgb16'), 16, 500, 100, true);
    const d8 = loadDataset(path.join(tmp, 'digits8'));
    assert.deepEqual([d8.train.height, d8.train.width, d8.train.channels, d8.train.size, d8.test.size], [8, 8, 1, 500, 100]);
    const rgb = loadDataset(path.join(tmp, 'rgb16'));
    assert.deepEqual([rgb.train.height, rgb.train.channels], [16, 3]);
    for (const [data, model] of [[d8, 'hybrid-small'], [d8, 'cnn-medium'], [d8, 'lenet5'], [rgb, 'hybrid-strong'], [rgb, 'cnn-small']] as const) {
      const { result } = await runExperiment({ model, seed: 0, data, epochs: 3, batchSize: 25, diffMethod: 'backprop', progress: 'none' });
      assert.ok(result, model);
      assert.equal(result.history.length, 3);
      assert.ok(result.history.every((h) => Number.isFinite(h.loss)), `${model}: loss ${result.history.map((h) => h.loss)}`);
      assert.equal(result.dataset.testSize, data.test.size);
      // Stratified test sets: any constant prediction scores exactly 0.1; learning something beats it clearly.
      assert.ok(result.final.testAccuracy >= 0.2, `${model} on ${data.name}: test accuracy ${result.final.testAccuracy} (a constant guess: 0.1)`);
      assert.equal(result.model.description, getModelSpec(model).describe({ imageSize: [data.train.height, data.train.width], channels: data.train.channels }));
    }
    // Through the command line, a too-small input is one line before any training.
    writeDigitsIdx(path.join(tmp, 'digits7'), 7, 20, 10);
    const err: string[] = [];
    const error = console.error;
    const log = console.log;
    console.error = (...a: unknown[]) => { err.push(a.join(' ')); };
    console.log = () => undefined;
    try {
      const code = await main(['train', '--model', 'cnn-small', '--dataset', path.join(tmp, 'digits7'), '--out', path.join(tmp, 'run7'), '--progress', 'none']);
      assert.equal(code, 1);
    } finally {
      console.error = error;
      console.log = log;
    }
    assert.deepEqual(err, ['qkc: error: cnn-small (input): expected images from 8×8 to 64×64 with 1 or 3 channels, got 7×7×1']);
    assert.ok(!fs.existsSync(path.join(tmp, 'run7', 'metrics.json')), 'no training happened');
  });
});
