// Shots and noise studies on a tiny untrained hybrid (8×8 digits → 16 patch circuits per image):
// model copies carry the new quantum settings and the original weights, zero noise and many shots
// reproduce the exact model, and the study figures come out labelled.
import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { loadMnist } from '../src/data';
import { ImageResize } from '../src/models';
import { QuantumConv2D } from '../src/qkc';
import { noiseStudy, shotsStudy, withQuantumSettings } from '../src/studies';
import { noiseFigure, shotsFigure } from '../src/figures';

function tinyHybrid(): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1] });
  let x = new ImageResize({ size: 8, method: 'area' }).apply(input) as tf.SymbolicTensor;
  x = new QuantumConv2D({ kernelSize: 2, strides: 2, layers: 1, seed: 3, inputGradients: false }).apply(x) as tf.SymbolicTensor;
  // Dropout as in the zoo's designs: the studies must compare gradients without its randomness.
  x = tf.layers.dropout({ rate: 0.5 }).apply(tf.layers.flatten().apply(x)) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x, name: 'tiny-hybrid' });
}

function quantumLayer(m: tf.LayersModel): QuantumConv2D {
  return m.layers.find((l) => l instanceof QuantumConv2D) as QuantumConv2D;
}

describe('robustness: shots and noise', function () {
  this.timeout(60_000);
  const data = loadMnist({ trainSize: 20, testSize: 24 });
  let model: tf.LayersModel;
  before(() => { model = tinyHybrid(); });
  after(() => model.dispose());

  it('withQuantumSettings copies the model with new shots/noise and the same weights, leaving the original alone', async () => {
    const noise = { channels: [{ channel: 'depolarizing' as const, p: 0.05 }] };
    const copy = await withQuantumSettings(model, { shots: 500, noise });
    try {
      assert.equal(quantumLayer(copy).shots, 500);
      assert.deepEqual(quantumLayer(copy).noise, noise);
      assert.equal(quantumLayer(model).shots, undefined);
      assert.equal(quantumLayer(model).noise, undefined);
      const a = model.getWeights().map((w) => Array.from(w.dataSync()));
      const b = copy.getWeights().map((w) => Array.from(w.dataSync()));
      assert.deepEqual(b, a);
    } finally {
      copy.dispose();
    }
    const zero = await withQuantumSettings(model, { noise: { channels: [{ channel: 'depolarizing', p: 0 }] } });
    try {
      const { xs } = data.test.tensorsAt([0, 1, 2]);
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(model.predict(xs) as tf.Tensor, zero.predict(xs) as tf.Tensor))).dataSync()[0]);
      xs.dispose();
      assert.ok(diff < 1e-5, `p = 0 density path differs from the state-vector model by ${diff}`);
    } finally {
      zero.dispose();
    }
    await assert.rejects(withQuantumSettings(model, { shots: 0 }), /withQuantumSettings\(shots\): expected a positive integer or null, got 0/);
  });

  it('shotsStudy: the gradient error shrinks with shots and many shots agree with the exact model', async () => {
    const s = await shotsStudy(model, data.test, { shots: [20, 20000], repeats: 2, gradientBatch: 4 });
    assert.equal(s.rows.length, 2);
    const [few, many] = s.rows;
    assert.ok(many.gradRelError < few.gradRelError, `error at 20000 shots ${many.gradRelError} vs 20 shots ${few.gradRelError}`);
    // Shot noise ∝ 1/√N: 1000× the shots should cut the error by about √1000 ≈ 32 (allow a wide margin).
    assert.ok(few.gradRelError / many.gradRelError > 8, `ratio ${few.gradRelError / many.gradRelError}`);
    assert.ok(many.gradCosine > 0.98, `cosine ${many.gradCosine}`);
    assert.ok(Math.abs(many.loss - s.exact.loss) < 0.05, `loss ${many.loss} vs exact ${s.exact.loss}`);
    const fig = shotsFigure(s);
    assert.equal((fig.layout as { xaxis: { type: string } }).xaxis.type, 'log');
    assert.match(JSON.stringify(fig.layout), /test accuracy \(%\)/);
    await assert.rejects(shotsStudy(model, data.test, { shots: [] }), /shots: expected a non-empty list of positive integers/);
  });

  it('noiseStudy: p = 0 reproduces the noiseless model and gradient, larger p moves them', async () => {
    const s = await noiseStudy(model, data.test, { levels: [0, 0.2], gradientBatch: 4 });
    const [none, strong] = s.rows;
    assert.equal(none.accuracy, s.exact.accuracy);
    assert.ok(Math.abs(none.gradNormRatio - 1) < 1e-4 && Math.abs(none.gradCosine - 1) < 1e-4, JSON.stringify(none));
    assert.ok(Math.abs(strong.loss - s.exact.loss) > 1e-3, 'p = 0.2 changes the loss');
    assert.ok(strong.gradCosine < 0.9999);
    assert.match(JSON.stringify(noiseFigure(s).layout), /depolarizing error probability per gate and qubit/);
    await assert.rejects(noiseStudy(model, data.test, { levels: [1.5] }), /levels: expected a non-empty list of probabilities in \[0, 1\]/);
  });
});
