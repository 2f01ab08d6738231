import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { loadMnist, TrainTestSplit } from '../src/data';
import { vonNeumannEntropy } from '../src/inspect';
import { QuantumConv2D } from '../src/qkc';
import { QuantumPooling } from '../src/pooling';
import { checkFigure, figureToJSON } from '../src/viz';
import {
  analysisDataFrame, entanglementClassTable, entanglementMap, poolingInformation, purityTrajectory, purityTrajectoryTable, shotStatistics,
} from '../src/analysis';
import {
  entanglementByClassFigure, entanglementHeatmapFigure, poolingInformationFigure, purityEntropyFigure, purityTrajectoryFigure, shotErrorFigure,
} from '../src/figures';
import { classicalPoolFeatures, kernelZFeatures, pooledFeatures } from '../src/analysis/pooled-features';
import { poolKernel } from '../src/pooling';
import { referenceState } from './helpers/reference';
import { densityBatch, naivePartialTrace, outer } from './inspect-helpers';

/** 28×28 → 7×7 average → QuantumConv2D 2×2/2 (3×3 patches, 4 qubits) → dense softmax. */
function tinyModel(seed: number, extra: tf.layers.Layer[] = []): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.averagePooling2d({ poolSize: 4, strides: 4, inputShape: [28, 28, 1] }),
      new QuantumConv2D({ kernelSize: 2, strides: 2, seed }),
      ...extra,
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'glorotUniform' }),
    ],
  });
}

const h2 = (p: number) => (p <= 0 || p >= 1 ? 0 : -p * Math.log2(p) - (1 - p) * Math.log2(1 - p));
const allFinite = (xs: ArrayLike<number | null>) => Array.from(xs).every((v) => v === null || Number.isFinite(v));

describe('analysis: entanglement at pooling', function () {
  let data: TrainTestSplit;
  let model: tf.LayersModel;
  before(() => {
    data = loadMnist({ trainSize: 80, testSize: 40 });
    model = tinyModel(1);
  });
  after(() => model.dispose());

  it('trace-out: per-patch maps of the right shape; S after = S before; the blank-patch entropy matches a float64 reference', async () => {
    const images = data.test.subset(Uint32Array.from({ length: 12 }, (_, i) => i));
    const m = await entanglementMap(model, images, { pool: { block: 'trace-out' } });
    assert.deepEqual(m.cells, [3, 3]);
    assert.deepEqual(m.imageShape, [28, 28]);
    assert.equal(m.unit, 'bits');
    assert.equal(m.maxEntropy, 2);
    const p = m.patches!;
    assert.equal(p.entropy.length, 12 * 9);
    for (const k of ['entropy', 'inkEntropy', 'inkPrePoolEntropy', 'inkPurity', 'inkFraction'] as const) assert.equal(m.perImage[k].length, 12);
    assert.ok(allFinite(p.entropy) && allFinite(p.purity) && allFinite(m.perImage.inkEntropy));
    p.entropy.forEach((s, r) => {
      assert.ok(Math.abs(s - p.prePoolEntropy[r]) < 1e-5, `row ${r}: trace-out leaves S(kept) unchanged (${s} vs ${p.prePoolEntropy[r]})`);
      assert.ok(s >= 0 && s <= 2 + 1e-9 && p.purity[r] >= 0.25 - 1e-6 && p.purity[r] <= 1 + 1e-6);
    });
    // The kernel acting on an all-zero window, simulated independently.
    assert.ok(p.blank.some(Boolean) && p.blank.some((b) => !b), 'both blank and inked patches occur');
    const conv = model.layers[1] as QuantumConv2D;
    const ref = referenceState(conv.kernelCircuit, Array.from(conv.getWeights()[0].dataSync()), [0, 0, 0, 0]);
    const rho = densityBatch([naivePartialTrace(outer(ref), 4, [0, 2])]);
    const expected = vonNeumannEntropy(rho)[0];
    tf.dispose([rho.re, rho.im]);
    assert.ok(Math.abs((m.blank.entropy as number) - expected) < 1e-4, `blank ${m.blank.entropy} vs ${expected}`);
    // Examples: the first image of each class present, with the model's input pixels.
    const labels = Array.from(images.labels);
    assert.deepEqual(m.examples.map((e) => e.label), [...new Set(labels)].sort((a, b) => a - b));
    m.examples.forEach((e) => { assert.equal(e.pixels.length, 784); assert.equal(e.entropy.length, 9); assert.equal(labels[e.index], e.label); });
    assert.deepEqual(m.byClass.map((c) => c.label), [...new Set(labels)].sort((a, b) => a - b));
    assert.equal(m.byClass.reduce((a, c) => a + c.images, 0), 12);
    assert.equal(m.classMaps[0].entropy.length, 9);
    const table = entanglementClassTable(m);
    assert.equal(table.length, m.byClass.length);
  });

  it('one kept qubit: entropy is the binary entropy of the Bloch length fixed by the purity; the hur block changes S', async () => {
    const images = data.test.subset(Uint32Array.from({ length: 6 }, (_, i) => i));
    const m = await entanglementMap(model, images, { pool: { block: 'hur', keep: 1, sharing: 'per-stage', weights: [1.2, 2.3, 0.4, -0.7] } });
    const p = m.patches!;
    assert.equal(m.maxEntropy, 1);
    p.purity.forEach((P, r) => {
      const rBloch = Math.sqrt(Math.max(0, 2 * P - 1));
      assert.ok(Math.abs(p.entropy[r] - h2((1 + rBloch) / 2)) < 2e-3, `row ${r}: S ${p.entropy[r]} vs h((1+r)/2) ${h2((1 + rBloch) / 2)}`);
    });
    assert.ok(p.entropy.some((s, r) => Math.abs(s - p.prePoolEntropy[r]) > 1e-3), 'the pool block moves the entanglement across the cut');
  });

  it('a QuantumPooling layer: product encodings and trace-out give zero entropy and purity 1', async () => {
    const m2 = tinyModel(2, [new QuantumPooling({ block: 'trace-out', squash: 'sigmoid' })]);
    const images = data.test.subset(Uint32Array.from({ length: 3 }, (_, i) => i));
    const m = await entanglementMap(m2, images, { layer: 1 });
    assert.equal(m.layerClass, 'QuantumPooling');
    assert.deepEqual(m.cells, [1, 1, 4]);
    // float32 states leave eigenvalues ~1e-7, i.e. entropies ~1e-6 bits.
    assert.ok(m.patches!.entropy.every((s) => s < 1e-5) && m.patches!.prePoolEntropy.every((s) => s < 1e-5));
    assert.ok(m.patches!.purity.every((P) => Math.abs(P - 1) < 1e-5));
    m2.dispose();
  });

  it('figure builders give valid figures (heatmap over digits, per-class boxes for two conditions)', async () => {
    const images = data.test.subset(Uint32Array.from({ length: 10 }, (_, i) => i));
    const after = await entanglementMap(model, images, { pool: { block: 'hur', weights: [0.3, 0.9] } });
    const other = tinyModel(3);
    const before = await entanglementMap(other, images, { pool: { block: 'hur', weights: [0.3, 0.9] } });
    other.dispose();
    const heat = entanglementHeatmapFigure(after, { maxExamples: 4 });
    checkFigure(heat);
    assert.equal(heat.data.length, 2 * Math.min(4, after.examples.length));
    assert.equal((heat.data[1].z as number[][]).length, 3);
    const pre = entanglementHeatmapFigure(after, { quantity: 'prePoolEntropy' });
    checkFigure(pre);
    const box = entanglementByClassFigure([{ name: 'before', map: before }, { name: 'after', map: after }]);
    checkFigure(box);
    assert.equal(box.data.length, 2);
    assert.equal((box.data[0].y as number[]).length, 10);
    JSON.parse(figureToJSON(heat));
    JSON.parse(figureToJSON(box));
    assert.throws(() => entanglementHeatmapFigure({ ...after, examples: [] }), /holds no example images/);
  });
});

describe('analysis: information kept by pooling', function () {
  it('feature sets of the right dimension, finite probe and MI numbers, fitted pool parameters', async () => {
    const data = loadMnist({ trainSize: 80, testSize: 40 });
    const model = tinyModel(4);
    const info = await poolingInformation(model, { train: data.train, test: data.test }, {
      blocks: ['trace-out', 'hur'], readouts: ['z', 'bloch'], fit: { epochs: 1, batchSize: 40 }, probe: { steps: 60 },
    });
    assert.deepEqual(info.kept, [0, 2]);
    assert.deepEqual(info.groups, [[0, 1], [2, 3]]);
    assert.equal(info.cells, 9);
    const byName = Object.fromEntries(info.rows.map((r) => [r.variant, r]));
    assert.deepEqual(info.rows.map((r) => r.variant), ['kernel', 'avg', 'max', 'trace-out/z', 'trace-out/bloch', 'hur/z', 'hur/bloch']);
    assert.deepEqual(info.rows.map((r) => r.featureDim), [36, 18, 18, 18, 54, 18, 54]);
    assert.equal(byName['hur/z'].poolWeights.length, 2);
    assert.equal(byName['hur/z'].fitted, true);
    assert.equal(byName['trace-out/z'].fitted, false);
    for (const r of info.rows) {
      assert.ok(r.testAccuracy >= 0 && r.testAccuracy <= 1 && r.trainAccuracy >= 0 && r.trainAccuracy <= 1, r.variant);
      for (const k of ['testCrossEntropyBits', 'miProbeBoundBits', 'miPredictionBits', 'miFeatureMeanBits', 'miFeatureMaxBits', 'miFeatureBiasBits', 'testAccuracySe'] as const) {
        assert.ok(Number.isFinite(r[k]) && r[k] >= 0, `${r.variant}.${k} = ${r[k]}`);
      }
      assert.ok(r.miProbeBoundBits <= info.labelEntropyBits + 1e-9);
    }
    const fig = poolingInformationFigure(info);
    checkFigure(fig);
    assert.equal((fig.data[0].y as number[]).length, info.rows.length);
    const df = analysisDataFrame(info.rows);
    assert.deepEqual(df.shape, [info.rows.length, Object.keys(info.rows[0]).length]);
    model.dispose();
  });

  it('trace-out ⟨Z⟩ features are the kernel ⟨Z⟩ of the kept qubits; avg/max pool the schedule groups', () => {
    const conv = new QuantumConv2D({ kernelSize: 2, strides: 2, seed: 9, inputShape: [4, 4, 1] });
    const x = tf.randomUniform([3, 4, 4, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    conv.apply(x);
    const z = kernelZFeatures(conv, conv.kernelCircuit, Array.from(conv.getWeights()[0].dataSync()), x);
    assert.equal(z.dim, 4 * 4);
    const pk = poolKernel(conv.kernelCircuit, { block: 'trace-out', keep: 2, weightOffset: conv.kernelCircuit.numWeights });
    const t = pooledFeatures(conv, pk.circuit, pk.observables, Array.from(conv.getWeights()[0].dataSync()), x);
    assert.equal(t.dim, 4 * 2);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) {
      assert.ok(Math.abs(t.values[r * 8 + c * 2] - z.values[r * 16 + c * 4]) < 1e-5);
      assert.ok(Math.abs(t.values[r * 8 + c * 2 + 1] - z.values[r * 16 + c * 4 + 2]) < 1e-5);
    }
    const small = { values: new Float32Array([0.1, 0.5, -0.2, 0.9]), rows: 1, dim: 4 };
    assert.deepEqual(Array.from(classicalPoolFeatures(small, 4, [[0, 1], [2, 3]], 'avg').values).map((v) => +v.toFixed(5)), [0.3, 0.35]);
    assert.deepEqual(Array.from(classicalPoolFeatures(small, 4, [[0, 1], [2, 3]], 'max').values).map((v) => +v.toFixed(5)), [0.5, 0.9]);
    x.dispose();
  });

  it('refuses a QuantumPooling target and missing labels', async () => {
    const pool = new QuantumPooling({ block: 'hur', inputShape: [4, 4, 1] });
    const x = tf.zeros([2, 4, 4, 1]) as tf.Tensor4D;
    await assert.rejects(poolingInformation(pool, { train: x, test: x }, { trainLabels: [0, 1], testLabels: [0, 1] }), /compares pool blocks after a QuantumConv2D kernel; got QuantumPooling/);
    await assert.rejects(poolingInformation(pool, { train: x, test: x }), /labels are needed for both splits/);
    x.dispose();
  });
});

describe('analysis: purity trajectory and shot statistics', () => {
  it('purity vs entropy per snapshot respects S ≥ −log₂ tr ρ² and S ≤ 2; figures are valid', async () => {
    const data = loadMnist({ trainSize: 10, testSize: 8 });
    const [a, b] = [tinyModel(5), tinyModel(6)];
    const t = await purityTrajectory([{ label: 'start', epoch: 0, target: a }, { label: 'end', epoch: 1, target: b }], data.test, { pool: { block: 'qiskit', weights: [0.2, 1.0, -0.4] }, samplePatches: 40 });
    assert.equal(t.snapshots.length, 2);
    assert.equal(t.dimension, 4);
    for (const s of t.snapshots) {
      assert.equal(s.sample.purity.length, s.sample.entropy.length);
      assert.ok(s.sample.purity.length > 0 && s.sample.purity.length <= 40);
      s.sample.purity.forEach((P, i) => {
        const S = s.sample.entropy[i];
        assert.ok(S >= -Math.log2(P) - 1e-4 && S <= 2 + 1e-9, `S ${S} vs −log P ${-Math.log2(P)}`);
      });
      assert.ok(Number.isFinite(s.purity.mean as number) && Number.isFinite(s.entropy.mean as number));
    }
    checkFigure(purityEntropyFigure(t));
    checkFigure(purityTrajectoryFigure(t));
    assert.equal(purityTrajectoryTable(t).length, 2);
    a.dispose(); b.dispose();
  });

  it('finite-shot errors follow √((1 − ⟨O⟩²)/shots), are repeatable with a seed, and the figure is valid', async () => {
    const data = loadMnist({ trainSize: 10, testSize: 40 });
    const model = tinyModel(7);
    const opts = { pool: { block: 'hur' as const, weights: [0.5, 1.5] }, shots: [4, 64, 1024], seed: 3 };
    const s = await shotStatistics(model, data.test, opts);
    assert.equal(s.patches, 40 * 9);
    assert.deepEqual(s.observables, ['Z0', 'Z2']);
    for (const r of s.rows) {
      assert.ok(r.predictedRmse !== null && Math.abs(r.rmse / r.predictedRmse - 1) < 0.2, `shots ${r.shots}: rmse ${r.rmse} vs predicted ${r.predictedRmse}`);
      assert.ok(r.rmse <= r.reference * 1.1);
    }
    assert.ok(s.rows[0].rmse > s.rows[1].rmse && s.rows[1].rmse > s.rows[2].rmse);
    const again = await shotStatistics(model, data.test, opts);
    assert.deepEqual(again.rows, s.rows);
    const capped = await shotStatistics(model, data.test, { ...opts, maxPatches: 50, chunkSize: 4 });
    assert.equal(capped.patches, 50);
    checkFigure(shotErrorFigure(s));
    await assert.rejects(shotStatistics(model, data.test, { shots: [0] }), /options\.shots\): expected a non-empty array of positive integers/);
    model.dispose();
  });
});
