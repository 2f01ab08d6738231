// LearnedPooling2D: the parameter-matched classical rival of QuantumPooling (shapes, values written out by
// hand, parameter count equal to hybrid-qpool's QuantumPooling, serialization, gradients, errors).
import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { LearnedPooling2D, QuantumPooling, statisticsForParameters } from '../src/pooling';
import { buildModel, parameterSplit, spatialQuantumPoolingParameters } from '../src/models';
import { seededRandom } from './helpers/reference';

/** The window values of channel c at output (i, j) of a 2×2/2 pooling, from a plain array. */
const windowOf = (x: number[][][][], b: number, i: number, j: number, c: number): number[] =>
  [x[b][2 * i][2 * j][c], x[b][2 * i][2 * j + 1][c], x[b][2 * i + 1][2 * j][c], x[b][2 * i + 1][2 * j + 1][c]];

const randomMaps = (rand: () => number, b: number, h: number, w: number, c: number): number[][][][] =>
  Array.from({ length: b }, () => Array.from({ length: h }, () => Array.from({ length: w }, () => Array.from({ length: c }, () => 2 * rand() - 1))));

describe('LearnedPooling2D', () => {
  it('pools every 2×2 window of every channel to softmax([θ, 0])-weighted max, min and avg', () => {
    const xArr = randomMaps(seededRandom(5), 2, 4, 6, 3);
    const theta = [0.7, -1.2];
    const layer = new LearnedPooling2D({ init: theta });
    const y = (layer.apply(tf.tensor4d(xArr)) as tf.Tensor4D).arraySync();
    assert.deepEqual([y.length, y[0].length, y[0][0].length, y[0][0][0].length], [2, 2, 3, 3]);
    const e = [Math.exp(0.7), Math.exp(-1.2), 1];
    const pi = e.map((v) => v / (e[0] + e[1] + e[2]));
    assert.deepEqual(layer.mixture().map((v) => +v.toFixed(6)), pi.map((v) => +v.toFixed(6)));
    for (let b = 0; b < 2; b++) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let c = 0; c < 3; c++) {
      const v = windowOf(xArr, b, i, j, c);
      const want = pi[0] * Math.max(...v) + pi[1] * Math.min(...v) + pi[2] * (v[0] + v[1] + v[2] + v[3]) / 4;
      assert.ok(Math.abs(y[b][i][j][c] - want) < 1e-5, `(${b},${i},${j},${c}): ${y[b][i][j][c]} vs ${want}`);
    }
  });

  it('reaches max pooling and average pooling as limits of its logits', () => {
    const x = tf.tensor4d(randomMaps(seededRandom(6), 1, 4, 4, 2));
    const close = (a: tf.Tensor, b: tf.Tensor) => assert.ok(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] < 1e-4);
    close(new LearnedPooling2D({ statistics: ['max', 'avg'], init: [30] }).apply(x) as tf.Tensor, tf.maxPool(x, 2, 2, 'valid'));
    close(new LearnedPooling2D({ statistics: ['max', 'avg'], init: [-30] }).apply(x) as tf.Tensor, tf.avgPool(x, 2, 2, 'valid'));
    close(new LearnedPooling2D({ statistics: ['avg'] }).apply(x) as tf.Tensor, tf.avgPool(x, 2, 2, 'valid'));
    assert.deepEqual(new LearnedPooling2D({ padding: 'same', poolSize: 3, strides: 2 }).computeOutputShape([null, 7, 5, 4]), [null, 4, 3, 4]);
  });

  it("has as many trainable parameters as hybrid-qpool's QuantumPooling (built models, counted by parameterSplit)", () => {
    const quantumPool = buildModel('hybrid-qpool', 0).layers.find((l) => l instanceof QuantumPooling)!;
    const qCount = quantumPool.countParams();
    assert.equal(qCount, 2); // the Hur block's CRZ and CRX angles, shared by the three pairs of the 4 → 1 schedule
    assert.equal(spatialQuantumPoolingParameters('hur'), qCount);
    for (const name of ['control-qpool-learned', 'hybrid-qpool-learned']) {
      const model = buildModel(name, 0);
      const learned = model.layers.filter((l) => l instanceof LearnedPooling2D);
      assert.equal(learned.length, 1, name);
      assert.equal(learned[0].countParams(), qCount, name);
      model.dispose();
    }
    // The learned control differs from control-qpool by exactly those parameters; the hybrid variant from hybrid-qpool by none.
    const p = (n: string) => { const m = buildModel(n, 0); const s = parameterSplit(m); m.dispose(); return s; };
    assert.equal(p('control-qpool-learned').total, p('control-qpool').total + qCount);
    assert.equal(p('hybrid-qpool-learned').total, p('hybrid-qpool').total);
    assert.deepEqual(p('hybrid-qpool-learned'), { quantum: p('hybrid-qpool').quantum - qCount, classical: p('hybrid-qpool').classical + qCount, total: p('hybrid-qpool').total });
  });

  it('round-trips through model.save / tf.loadLayersModel with its trained logits and config', async () => {
    const model = tf.sequential({ layers: [new LearnedPooling2D({ inputShape: [4, 4, 2], statistics: ['min', 'max', 'avg'], init: [0.3, -0.4] }), tf.layers.flatten()] });
    model.layers[0].setWeights([tf.tensor1d([1.5, -2])]);
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    assert.ok(loaded.layers[0] instanceof LearnedPooling2D);
    assert.deepEqual(loaded.layers[0].getConfig(), model.layers[0].getConfig());
    const x = tf.tensor4d(randomMaps(seededRandom(7), 3, 4, 4, 2));
    assert.deepEqual(Array.from((loaded.predict(x) as tf.Tensor).dataSync()), Array.from((model.predict(x) as tf.Tensor).dataSync()));
    assert.deepEqual(Array.from(loaded.layers[0].getWeights()[0].dataSync()), [1.5, -2]);
  });

  it('gives the analytic gradient in its logit: d/dθ [σ(θ)·max + (1 − σ(θ))·avg] = σ(1 − σ)(max − avg)', () => {
    const xArr = randomMaps(seededRandom(8), 1, 2, 4, 1);
    const layer = new LearnedPooling2D({ statistics: ['max', 'avg'], init: [0.4] });
    const x = tf.tensor4d(xArr);
    layer.apply(x);
    const logit = layer.trainableWeights[0];
    const { grads } = tf.variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar, [logit.read() as tf.Variable]);
    const g = Object.values(grads)[0].dataSync()[0];
    const s = 1 / (1 + Math.exp(-0.4));
    let want = 0;
    for (let j = 0; j < 2; j++) { const v = windowOf(xArr, 0, 0, j, 0); want += s * (1 - s) * (Math.max(...v) - (v[0] + v[1] + v[2] + v[3]) / 4); }
    assert.ok(Math.abs(g - want) < 1e-5, `${g} vs ${want}`);
    // And the input gradient reaches the window: max's position gets σ + (1 − σ)/4, the others (1 − σ)/4.
    const dx = tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t) as tf.Tensor))(x).arraySync() as number[][][][];
    const v = windowOf(xArr, 0, 0, 0, 0);
    const argmax = v.indexOf(Math.max(...v));
    const at = [[0, 0], [0, 1], [1, 0], [1, 1]];
    at.forEach(([r, c], k) => assert.ok(Math.abs(dx[0][r][c][0] - ((k === argmax ? s : 0) + (1 - s) / 4)) < 1e-5));
  });

  it('errors name the argument, what was expected and what came', () => {
    assert.throws(() => new LearnedPooling2D({ statistics: ['max', 'median' as never] }), /statistics\[1\]: expected one of .*'median'/);
    assert.throws(() => new LearnedPooling2D({ statistics: ['max', 'max'] }), /statistics: expected distinct statistics/);
    assert.throws(() => new LearnedPooling2D({ init: [1] }), /init: expected 2 finite initial logit\(s\).*got \[1\]/);
    assert.throws(() => new LearnedPooling2D({ poolSize: 0 }), /poolSize/);
    assert.throws(() => new LearnedPooling2D({ padding: 'vaild' as never }), /padding: expected/);
    assert.throws(() => new LearnedPooling2D({ pool: 2 } as never), /unknown option 'pool'/);
    assert.throws(() => new LearnedPooling2D().apply(tf.zeros([2, 4, 4])), /expected a 4-D/);
    assert.throws(() => statisticsForParameters(6), /parameters: expected an integer in \[0, 2\].*got 6/);
  });
});
