// The fully quantum QCNN (src/models/qcnn*.ts): circuit structure, parameter counts, every counted angle
// changing the output, gradients against finite differences (backprop, adjoint, parameter-shift), the
// readout against the simulator's own probabilities, and a tiny training run on a separable task.
import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, expval, probabilities } from '../src/sim';
import { ImageDataset } from '../src/data';
import { train, evaluateModel } from '../src/train';
import {
  buildModel, buildQcnnCircuit, qcnnLayout, outcomeProjector, parameterSplit, matchedHiddenUnits, QCNN_8, QCNN_8_DENSE, QCNN_8_Z, QCNN_16,
  CONV_BLOCK_PARAMS, ClassLogProbabilities,
} from '../src/models';
import { QCNN_STUDY, qcnnConvergence, qcnnConvergenceMarkdown, qcnnPairedMarkdown, qcnnSummary, summarizeQcnnRuns, type QcnnRunResult } from '../src/experiments/qcnn-study';

/** Random values in [0, 1) from a small LCG (tests stay deterministic without the library's Rng). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** The QuantumConv2D of a QCNN model (the only layer with weights). */
const kernelOf = (m: tf.LayersModel) => m.layers.find((l) => l.getClassName() === 'QuantumConv2D') as unknown as tf.layers.Layer & { diffMethod: string };

describe('qcnn: circuit structure', () => {
  it('8 qubits, binary: conv/pool layers halve the live qubits 8 → 4 → 2 → 1, readout one qubit', () => {
    const q = buildQcnnCircuit(QCNN_8, 2);
    assert.equal(q.circuit.nQubits, 8);
    assert.equal(q.nValues, 16);
    assert.deepEqual(q.layers.map((l) => `${l.kind}${l.live.length}`), ['conv8', 'pool8', 'conv4', 'pool4', 'conv2', 'pool2']);
    for (const l of q.layers.filter((x) => x.kind === 'pool')) {
      assert.equal(l.pairs.length, l.live.length / 2);
      const touched = l.pairs.flat();
      assert.equal(new Set(touched).size, touched.length, 'a pool layer touches each qubit once');
    }
    // A ring of neighbouring pairs: m pairs on m > 2 live qubits, one pair on 2.
    assert.deepEqual(q.layers.filter((l) => l.kind === 'conv').map((l) => l.pairs.length), [8, 4, 1]);
    assert.deepEqual(q.readout, [0]);
    assert.equal(q.observables.length, 2);
  });

  it('10 classes read 4 qubits after one pooling (8 → 4) and a last convolution; 16 qubits halve down to one', () => {
    const ten = buildQcnnCircuit(QCNN_8, 10);
    assert.deepEqual(ten.layers.map((l) => `${l.kind}${l.live.length}`), ['conv8', 'pool8', 'conv4']);
    assert.deepEqual(ten.readout, [0, 2, 4, 6]);
    const sixteen = qcnnLayout(QCNN_16, 2);
    assert.equal(sixteen.circuit.nQubits, 16);
    assert.deepEqual(sixteen.layers.filter((l) => l.kind === 'pool').map((l) => l.live.length), [16, 8, 4, 2]);
    assert.deepEqual(sixteen.readout, [0]);
  });

  it('refuses designs it cannot build, naming the field', () => {
    assert.throws(() => buildQcnnCircuit({ ...QCNN_8, qubits: 6 }, 2), /qubits: expected a power of two/);
    assert.throws(() => buildQcnnCircuit({ ...QCNN_8, conv: 'su3' as never }, 2), /conv: expected/);
    assert.throws(() => buildQcnnCircuit({ ...QCNN_8, qubits: 2 }, 10), /numClasses/);
  });
});

describe('qcnn: parameters', () => {
  it('counts shared angles per layer and pins only the angles that cannot change the output', () => {
    const raw = qcnnLayout(QCNN_8, 2).circuit.numWeights;
    assert.equal(raw, 3 * CONV_BLOCK_PARAMS.su4 + 3 * 2, "Hur et al.'s count: 3 SU(4) layers + 3 pool layers");
    const q = buildQcnnCircuit(QCNN_8, 2);
    // The last SU(4)'s final RZ on the qubit that is only a control before being traced out, and the last
    // Hur pool's CRZ whose kept qubit is measured in Z at once.
    assert.deepEqual(q.pinned, [{ layer: 4, kind: 'conv', index: 13 }, { layer: 5, kind: 'pool', index: 0 }]);
    assert.equal(q.circuit.numWeights, 49);
    assert.equal(buildQcnnCircuit(QCNN_8, 10).circuit.numWeights, 2 * 15 + 2);
  });

  it('the models report those counts, all quantum; the classical twin is the nearest-width MLP', () => {
    const qcnn = buildModel('qcnn-8', 0, { numClasses: 2 });
    assert.deepEqual(parameterSplit(qcnn), { quantum: 49, classical: 0, total: 49 });
    qcnn.dispose();
    assert.equal(matchedHiddenUnits(49, 2), 2); // 16·2+2+2·2+2 = 40 (h = 3 gives 59)
    const mlp = buildModel('qcnn-8-mlp', 0, { numClasses: 2 });
    assert.deepEqual(parameterSplit(mlp), { quantum: 0, classical: 40, total: 40 });
    mlp.dispose();
    const z10 = buildModel('qcnn-8-z', 0, { numClasses: 10 });
    assert.deepEqual(parameterSplit(z10), { quantum: 32, classical: 4 * 10 + 10, total: 82 });
    z10.dispose();
    const mlp10 = buildModel('qcnn-8-mlp', 0, { numClasses: 10 });
    assert.equal(parameterSplit(mlp10).total, 16 + 1 + 10 + 10); // h = 1 nearest to 32
    mlp10.dispose();
  });

  it('every counted angle changes the output, and every pinned one does not (finite differences, not the adjoint that pinned them)', () => {
    const rnd = lcg(11);
    const q = buildQcnnCircuit(QCNN_8, 2);
    const raw = qcnnLayout(QCNN_8, 2).circuit;
    const inputs = Array.from({ length: 4 }, () => Array.from({ length: 16 }, () => rnd()));
    const spread = (c: Circuit, w: number[], j: number): number => {
      const out = (v: number[]) => expval(c, q.observables, { inputs, weights: v }).arraySync() as number[][];
      const up = out(w.map((x, k) => (k === j ? x + 0.3 : x))), down = out(w.map((x, k) => (k === j ? x - 0.3 : x)));
      return Math.max(...up.flatMap((row, b) => row.map((v, o) => Math.abs(v - down[b][o]))));
    };
    for (let trial = 0; trial < 2; trial++) {
      const w = Array.from({ length: q.circuit.numWeights }, () => 2 * Math.PI * rnd());
      for (let j = 0; j < w.length; j++) assert.ok(spread(q.circuit, w, j) > 1e-3, `angle ${j} does not change the output (trial ${trial})`);
    }
    // The variants: 10 classes (Born and ⟨Z⟩ readouts) and the RY–RZ encoding.
    for (const [design, classes] of [[QCNN_8, 10], [QCNN_8_Z, 10], [QCNN_8_DENSE, 2]] as const) {
      const v = buildQcnnCircuit(design, classes);
      const ins = Array.from({ length: 4 }, () => Array.from({ length: 16 }, () => rnd()));
      const w = Array.from({ length: v.circuit.numWeights }, () => 2 * Math.PI * rnd());
      const out = (x: number[]) => expval(v.circuit, v.observables, { inputs: ins, weights: x }).arraySync() as number[][];
      for (let j = 0; j < w.length; j++) {
        const up = out(w.map((x, k) => (k === j ? x + 0.3 : x))), down = out(w.map((x, k) => (k === j ? x - 0.3 : x)));
        const d = Math.max(...up.flatMap((row, b) => row.map((val, o) => Math.abs(val - down[b][o]))));
        assert.ok(d > 1e-3, `${design.encoding}/${design.readout ?? 'born'}/${classes} classes: angle ${j} does not change the output`);
      }
    }
    const wRaw = Array.from({ length: raw.numWeights }, () => 2 * Math.PI * rnd());
    // Raw indices: conv3 starts at 34 (= 2 × (15 + 2)), pool3 at 49.
    for (const j of [34 + 13, 49]) assert.ok(spread(raw, wRaw, j) < 1e-5, `pinned angle ${j} changes the output`);
  });
});

describe('qcnn: readout and gradients', () => {
  it('the outcome projectors give the simulator\'s Born probabilities of the readout qubits', () => {
    const rnd = lcg(5);
    const c = new Circuit(3);
    for (let q = 0; q < 3; q++) c.ry(2 * Math.PI * rnd(), q).rz(2 * Math.PI * rnd(), q);
    c.cx(0, 1).cx(1, 2).ry(1.1, 2).cx(2, 0);
    const readout = [0, 2];
    const viaPauli = expval(c, [0, 1, 2, 3].map((o) => outcomeProjector(readout, o))).arraySync() as number[][];
    const full = (probabilities(c).arraySync() as number[][])[0];
    for (let o = 0; o < 4; o++) {
      let p = 0;
      full.forEach((v, idx) => { if (((idx >> 0) & 1) === (o & 1) && ((idx >> 2) & 1) === ((o >> 1) & 1)) p += v; });
      assert.ok(Math.abs(viaPauli[0][o] - p) < 1e-5, `outcome ${o}: ${viaPauli[0][o]} vs ${p}`);
    }
  });

  it('log-probability readout: the trainer\'s softmax gives p_k / Σ p_j', () => {
    const p = tf.tensor2d([[0.2, 0.1, 0.3], [0.5, 0.25, 0.05]]);
    const out = tf.softmax(new ClassLogProbabilities().apply(p) as tf.Tensor).arraySync() as number[][];
    [[0.2, 0.1, 0.3], [0.5, 0.25, 0.05]].forEach((row, b) => {
      const s = row.reduce((a, x) => a + x, 0);
      row.forEach((v, k) => assert.ok(Math.abs(out[b][k] - v / s) < 1e-6));
    });
    p.dispose();
  });

  it('the loss gradient by backprop, adjoint and parameter-shift matches central finite differences', function () {
    this.timeout(120000);
    const rnd = lcg(3);
    const model = buildModel('qcnn-8', 4, { numClasses: 2, imageSize: [8, 8] });
    const xs = tf.tensor4d(Array.from({ length: 3 * 64 }, () => rnd()), [3, 8, 8, 1]);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 1], 'int32'), 2);
    const kernel = kernelOf(model);
    const variable = model.trainableWeights[0].read() as tf.Variable;
    const loss = () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar;
    const w0 = variable.arraySync() as number[];
    const h = 1e-2;
    const fd = w0.map((_, j) => {
      const at = (d: number) => { variable.assign(tf.tensor1d(w0.map((v, k) => (k === j ? v + d : v)))); return loss().arraySync() as number; };
      const g = (at(h) - at(-h)) / (2 * h);
      variable.assign(tf.tensor1d(w0));
      return g;
    });
    assert.ok(Math.max(...fd.map(Math.abs)) > 1e-3, 'the loss depends on the angles');
    for (const diff of ['backprop', 'adjoint', 'parameter-shift']) {
      kernel.diffMethod = diff;
      const { grads, value } = tf.variableGrads(loss);
      const g = Object.values(grads)[0].arraySync() as number[];
      const err = Math.max(...g.map((v, j) => Math.abs(v - fd[j])));
      assert.ok(err < 2e-3, `${diff}: max |grad − finite difference| = ${err}`);
      tf.dispose([value, ...Object.values(grads)]);
    }
    tf.dispose([xs, ys]);
    model.dispose();
  });
});

describe('qcnn: training', () => {
  it('learns a trivially separable task (dark vs bright images) to ≥ 95 %', async function () {
    this.timeout(120000);
    const rnd = lcg(9);
    const n = 64;
    const pixels = new Uint8Array(n * 64);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i % 2;
      for (let p = 0; p < 64; p++) pixels[i * 64 + p] = Math.round(255 * (labels[i] ? 0.6 + 0.4 * rnd() : 0.3 * rnd()));
    }
    const data = new ImageDataset({ name: 'toy/train', images: pixels, labels, height: 8, width: 8, numClasses: 2, classNames: ['dark', 'bright'] });
    const model = buildModel('qcnn-8', 1, { numClasses: 2, imageSize: [8, 8] });
    const before = evaluateModel(model, data).accuracy;
    assert.ok(before < 0.9, `the untrained model already scores ${before}: the test would prove nothing`);
    await train(model, { train: data }, { epochs: 8, batchSize: 16, learningRate: 0.05, diffMethod: 'adjoint', progress: 'none', seed: 1 });
    const acc = evaluateModel(model, data).accuracy;
    assert.ok(acc >= 0.95, `accuracy ${acc}`);
    model.dispose();
  });

  const run = (seed: number, acc: number, task = 't', model = 'm'): QcnnRunResult => ({
    format: 'qkc-qcnn-run/1', id: `${task}-${model}-s${seed}`, settingsHash: 'x', task, classes: [0, 1], model, description: '', seed,
    parameters: { quantum: 49, classical: 0, total: 49 }, data: { source: '', train: 1, validation: 1, test: 1, numClasses: 2 },
    training: { epochs: 1, batchSize: 1, learningRate: 1, quantumLearningRate: 1, diffMethod: 'adjoint', selection: 'best validation accuracy' },
    selected: { epoch: 1, valAccuracy: acc, testAccuracy: acc }, last: { epoch: 1, valAccuracy: acc, testAccuracy: acc },
    history: [{ epoch: 1, loss: 0.5, accuracy: acc, val_loss: 0.5, val_accuracy: acc, epoch_time_s: 1, val_time_s: 0, circuit_executions: 0, val_circuit_executions: 0 }],
    trainSeconds: 1, createdAt: '',
  });

  it('summaries average the healthy seeds and name a stalled one', () => {
    const [row] = summarizeQcnnRuns([run(0, 0.9), run(1, 0.92), run(2, 0.55)]);
    assert.deepEqual(row.seeds, [0, 1, 2]);
    assert.ok(Math.abs(row.mean - 0.91) < 1e-12);
    assert.deepEqual(row.failed.map((f) => [f.seed, f.status]), [[2, 'stalled']]);
  });

  it('pairs a model on a fitted input with the image task of the same classes, seed by seed', () => {
    const runs = [run(0, 0.95, '0-vs-1', 'qcnn-8'), run(1, 0.94, '0-vs-1', 'qcnn-8'), run(0, 0.99, '0-vs-1-pca8', 'qcnn-8-angle'), run(1, 0.995, '0-vs-1-pca8', 'qcnn-8-angle'), run(2, 0.99, '0-vs-1-pca8', 'qcnn-8-angle')];
    const cross = qcnnSummary(runs, QCNN_STUDY).paired.filter((p) => p.taskB);
    assert.equal(cross.length, 1);
    assert.deepEqual([cross[0].task, cross[0].a, cross[0].b, cross[0].taskB, cross[0].seeds], ['0-vs-1-pca8', 'qcnn-8-angle', 'qcnn-8', '0-vs-1', [0, 1]]);
    cross[0].differences.forEach((d, i) => assert.ok(Math.abs(d - [0.04, 0.055][i]) < 1e-12, `seed ${i}: ${d}`));
    assert.match(qcnnPairedMarkdown(cross), /\| 0-vs-1-pca8 \| qcnn-8-angle − qcnn-8 on 0-vs-1 \| 0, 1 \| 4\.00, 5\.50 \|/);
  });

  it('convergence of runs trained with a patience: epochs run, stopped or not, the last two 10-epoch windows of validation accuracy', () => {
    const long = (seed: number, val: number[], epochs: number): QcnnRunResult => {
      const r = run(seed, 0.5);
      return { ...r, training: { ...r.training, epochs, patience: 20 }, history: val.map((v, i) => ({ ...r.history[0], epoch: i + 1, val_accuracy: v })) };
    };
    // 25 epochs: the last 10 are 0.60 each, the 10 before 0.55 each (epochs 6–15), the first 5 ignored.
    const stopped = long(0, [...Array(5).fill(0.1), ...Array(10).fill(0.55), ...Array(10).fill(0.6)], 200);
    const short = long(1, Array(12).fill(0.5), 12);
    const c = qcnnConvergence([stopped, short, run(2, 0.5)]);
    assert.equal(c.length, 2, 'runs without a patience have no convergence row');
    assert.deepEqual([c[0].epochsRun, c[0].maxEpochs, c[0].previousWindow === null], [25, 200, false]);
    assert.ok(Math.abs(c[0].lastWindow - 0.6) < 1e-12 && Math.abs((c[0].previousWindow as number) - 0.55) < 1e-12);
    assert.equal(c[1].previousWindow, null, 'fewer than 20 epochs: no window before');
    const lines = qcnnConvergenceMarkdown(c).split('\n');
    assert.equal(lines[2], '| t | m | 0 | 25 (200) | yes (20 epochs without a better one) | 1 | 60.00 | 55.00 | 5.00 |');
    assert.equal(lines[3], '| t | m | 1 | 12 (12) | no: ran every epoch | 1 | 50.00 | — | — |');
  });
});
