// The QCNN study's fitted inputs (src/data/pca.ts, src/experiments/qcnn-inputs.ts): PCA checked against the
// eigen-equation computed another way (Xcᵀ(Xc·v), never forming the covariance) and against a planted
// structure; fits refuse validation and test splits; the rescale is fitted on training features only; the
// autoencoder learns; qcnn-8-angle takes the 8 features and refuses an image.
import { strict as assert } from 'assert';
import { ImageDataset, featureSplit, fitPca, pcaTransform, type TrainTestSplit } from '../src/data';
import { fitAutoencoder, qcnnInputSplit } from '../src/experiments/qcnn-inputs';
import { QCNN_ENTRIES, parameterSplit } from '../src/models';
import { ArgumentError } from '../src/util/errors';

/** Random values in [0, 1) from a small LCG (independent of the library's Rng). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * n images of 6×6 floats: a fixed offset plus Σ_j a_j·s_j·u_j over 3 orthonormal patterns u_j (disjoint pixel
 * blocks) with scales s = 3, 2, 1 and uniform a_j, plus small noise; labels alternate. Its leading principal
 * axes are ±u_1, ±u_2, ±u_3 up to the noise and the sampling.
 */
function planted(n: number, seed: number, name: string): ImageDataset {
  const rnd = lcg(seed);
  const d = 36;
  const blocks = [[0, 1, 2, 3], [10, 11, 16, 17], [30, 31, 32, 33, 34]];
  const images = new Float32Array(n * d);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 2;
    for (let p = 0; p < d; p++) images[i * d + p] = 0.5 + 0.01 * (rnd() - 0.5);
    blocks.forEach((b, j) => {
      const a = (3 - j) * (rnd() - 0.5);
      for (const p of b) images[i * d + p] += a / Math.sqrt(b.length);
    });
  }
  return new ImageDataset({ images, labels, height: 6, width: 6, numClasses: 2, name });
}

describe('qcnn inputs: PCA fitted on the training split', () => {
  const train = planted(400, 3, 'toy/train');
  const fit = fitPca(train, 4);
  const d = fit.dim;

  it('components are orthonormal and the variances decrease', () => {
    for (let i = 0; i < fit.k; i++) {
      for (let j = 0; j < fit.k; j++) {
        let dot = 0;
        for (let r = 0; r < d; r++) dot += fit.components[i * d + r] * fit.components[j * d + r];
        assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-9, `⟨c${i}, c${j}⟩ = ${dot}`);
      }
    }
    for (let j = 1; j < fit.k; j++) assert.ok(fit.explainedVariance[j] <= fit.explainedVariance[j - 1], `variance ${j} > ${j - 1}`);
    assert.ok(fit.explainedVariance[fit.k - 1] > 0);
  });

  it('each component solves the eigen-equation of the sample covariance (computed as Xcᵀ(Xc·v)/(n−1))', () => {
    const n = train.size;
    const x = train.pixelsAt(Uint32Array.from({ length: n }, (_, i) => i));
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let r = 0; r < d; r++) mean[r] += x[i * d + r] / n;
    for (let j = 0; j < fit.k; j++) {
      const v = fit.components.subarray(j * d, (j + 1) * d);
      const cv = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        let proj = 0;
        for (let r = 0; r < d; r++) proj += (x[i * d + r] - mean[r]) * v[r];
        for (let r = 0; r < d; r++) cv[r] += ((x[i * d + r] - mean[r]) * proj) / (n - 1);
      }
      let res = 0;
      for (let r = 0; r < d; r++) res += (cv[r] - fit.explainedVariance[j] * v[r]) ** 2;
      assert.ok(Math.sqrt(res) < 1e-6 * fit.explainedVariance[0], `component ${j}: residual ${Math.sqrt(res)}`);
    }
  });

  it('finds the planted axes, in order of their scales', () => {
    const blocks = [[0, 1, 2, 3], [10, 11, 16, 17], [30, 31, 32, 33, 34]];
    blocks.forEach((b, j) => {
      let dot = 0;
      for (const p of b) dot += fit.components[j * d + p] / Math.sqrt(b.length);
      assert.ok(Math.abs(dot) > 0.99, `component ${j} · planted axis ${j} = ${dot}`);
    });
  });

  it('the training features have zero mean and the explained variances as variances', () => {
    const z = pcaTransform(fit, train);
    for (let j = 0; j < fit.k; j++) {
      let m = 0, v = 0;
      for (let i = 0; i < train.size; i++) m += z[i * fit.k + j] / train.size;
      for (let i = 0; i < train.size; i++) v += (z[i * fit.k + j] - m) ** 2 / (train.size - 1);
      assert.ok(Math.abs(m) < 1e-5, `feature ${j}: mean ${m}`);
      assert.ok(Math.abs(v - fit.explainedVariance[j]) < 1e-4 * fit.explainedVariance[0], `feature ${j}: variance ${v} vs ${fit.explainedVariance[j]}`);
    }
  });

  it('refuses a test or validation split, and a k it cannot fit', () => {
    assert.throws(() => fitPca(planted(50, 4, 'toy/test'), 2), (e: Error) => e instanceof ArgumentError && /fitPca\(train\): expected a training split.*'toy\/test'/.test(e.message));
    assert.throws(() => fitPca(planted(50, 4, 'mnist-official/validation'), 2), ArgumentError);
    assert.throws(() => fitPca(train, 0), /fitPca\(k\): expected an integer from 1 to 36/);
    assert.throws(() => pcaTransform(fit, new ImageDataset({ images: new Float32Array(16), labels: new Uint8Array(1), height: 4, width: 4, numClasses: 2 })), /pcaTransform\(ds\): expected examples of 36 values/);
  });

  it('the rescale is fitted on the training features alone: changing the test set changes neither the fit nor the training features', () => {
    const split = (test: ImageDataset): TrainTestSplit => ({ name: 'toy', source: 'toy', train, test });
    const a = featureSplit(split(planted(30, 5, 'toy/test')), (ds) => pcaTransform(fit, ds), fit.k, 'pca');
    const shifted = planted(30, 6, 'toy/test');
    const big = shifted.with({ images: Float32Array.from(shifted.images as Float32Array, (v) => 10 * v) });
    const b = featureSplit(split(big), (ds) => pcaTransform(fit, ds), fit.k, 'pca');
    assert.deepEqual(a.scale, b.scale);
    assert.deepEqual(Array.from(a.train.images), Array.from(b.train.images));
    const tr = Array.from(a.train.images);
    assert.equal(Math.min(...tr), 0);
    assert.ok(Math.abs(Math.max(...tr) - 1) < 1e-6);
    assert.ok(Array.from(b.test.images).some((v) => v < 0 || v > 1), 'a test set unlike the training set falls outside [0, 1]: it was not rescaled by its own range');
    assert.deepEqual([a.train.height, a.train.width, a.test.size], [1, fit.k, 30]);
  });
});

describe('qcnn inputs: autoencoder and the QCNN on 8 features', () => {
  it('the autoencoder refuses a test split and lowers its reconstruction error', async function () {
    this.timeout(60000);
    await assert.rejects(fitAutoencoder(planted(20, 1, 'toy/test'), 2), /fitAutoencoder\(train\): expected a training split/);
    // Two classes, each a fixed pattern in [0, 1] times a random brightness: 3 codes can reconstruct them.
    const rnd = lcg(2);
    const patterns = [Array.from({ length: 36 }, rnd), Array.from({ length: 36 }, rnd)];
    const labels = Uint8Array.from({ length: 256 }, (_, i) => i % 2);
    const images = new Float32Array(256 * 36);
    labels.forEach((c, i) => { const b = 0.3 + 0.7 * rnd(); for (let p = 0; p < 36; p++) images[i * 36 + p] = b * patterns[c][p]; });
    const ae = await fitAutoencoder(new ImageDataset({ images, labels, height: 6, width: 6, numClasses: 2, name: 'toy/train' }), 3, undefined, { epochs: 15, batchSize: 32, learningRate: 0.01, seed: 0 });
    try {
      assert.ok(ae.history[ae.history.length - 1].loss < 0.6 * ae.history[0].loss, JSON.stringify(ae.history));
      assert.equal(ae.encode(planted(5, 9, 'toy/test')).length, 5 * 3);
    } finally {
      ae.dispose();
    }
  });

  it('qcnn-8-angle reads the 8 features (49 angles, all quantum) and refuses an image; its MLP twin has 46 parameters', async () => {
    const train = planted(60, 7, 'toy/train');
    const data = await qcnnInputSplit({ name: 'toy', source: 'toy', train, test: planted(20, 8, 'toy/test') }, 'pca8');
    assert.deepEqual([data.train.height, data.train.width], [1, 8]);
    const o = { numClasses: 2, imageSize: [1, 8] as [number, number], channels: 1, diffMethod: 'adjoint' as const };
    const entry = (name: string) => QCNN_ENTRIES.find((e) => e.name === name)!;
    const q = entry('qcnn-8-angle').build(0, o);
    assert.deepEqual(parameterSplit(q), { quantum: 49, classical: 0, total: 49 });
    const p = (q.predict(data.test.toTensors().xs) as import('@tensorflow/tfjs').Tensor).arraySync() as number[][];
    assert.equal(p.length, 20);
    const mlp = entry('qcnn-8-mlp').build(0, o);
    assert.equal(parameterSplit(mlp).total, 8 * 4 + 4 + 4 * 2 + 2);
    assert.throws(() => entry('qcnn-8-angle').build(0, { ...o, imageSize: [28, 28] }), /qcnn-8-angle \(input\): expected 8 values per example/);
    q.dispose();
    mlp.dispose();
  });
});
