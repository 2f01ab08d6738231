// Model zoo: every model builds, trains one step on real digits, reports the right parameter split,
// is seeded, and hybrids differ from their same-shape controls exactly in the quantum layer.
import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { loadMnist, resizeImages } from '../src/data';
import { evaluateModel, train } from '../src/train';
import {
  MODELS, buildModel, getModelSpec, parameterSplit, ImageResize, resolveModelOptions,
} from '../src/models';
import { weightBytes } from './train-fixtures';

/** Parameters of conv k×k from cin to cout channels with bias. */
const conv = (k: number, cin: number, cout: number): number => k * k * cin * cout + cout;
const dense = (inp: number, out: number): number => inp * out + out;

describe('models: the zoo', () => {
  const digits = loadMnist({ trainSize: 10, testSize: 10 });

  it('every model builds on 28×28 digits, outputs class probabilities and trains one step', async function () {
    this.timeout(120000);
    const { xs } = digits.train.tensorsAt([0, 1, 2, 3]);
    for (const spec of MODELS) {
      const model = spec.builder(3);
      const out = model.predict(xs) as tf.Tensor;
      assert.deepEqual(out.shape, [4, 10], spec.name);
      const sums = (tf.sum(out, 1).arraySync() as number[]);
      sums.forEach((s) => assert.ok(Math.abs(s - 1) < 1e-4, `${spec.name}: softmax rows sum to ${s}`));
      out.dispose();
      const before = weightBytes(model);
      const r = await train(model, { train: digits.train.subset([0, 1, 2, 3]) }, { epochs: 1, batchSize: 4, progress: 'none', diffMethod: 'backprop' });
      assert.ok(Number.isFinite(r.history[0].loss), `${spec.name}: loss ${r.history[0].loss}`);
      const after = weightBytes(model);
      // Every trainable weight tensor moved (a step that reached only some layers would be a wiring bug).
      model.trainableWeights.forEach((w) => {
        const i = model.weights.indexOf(w);
        assert.ok(!after[i].equals(before[i]), `${spec.name}: weight ${w.name} did not change in a training step`);
      });
      model.dispose();
    }
    xs.dispose();
  });

  it('parameter splits follow from the architectures (quantum = the kernel angles)', () => {
    const counts = Object.fromEntries(MODELS.map((m) => {
      const model = m.builder(0);
      const p = parameterSplit(model);
      model.dispose();
      return [m.name, p];
    }));
    // hybrid-small: 14×14 → 4-qubit kernel (2 HEA layers × 8 angles, less the last layer's 4 RZ angles, idle
    // before the CNOT ring and the Z read-out) → 7×7×4 → conv3×3×16 → 3×3×16 → dense 10.
    const angles = 2 * 8 - 4;
    assert.deepEqual(counts['hybrid-small'], { quantum: angles, classical: conv(3, 4, 16) + dense(144, 10), total: angles + conv(3, 4, 16) + dense(144, 10) });
    assert.deepEqual(counts['control-small'], { quantum: 0, classical: conv(2, 1, 4) + conv(3, 4, 16) + dense(144, 10), total: 20 + 592 + 1450 });
    const strongHead = conv(3, 4, 12) + conv(3, 12, 24) + dense(216, 10);
    assert.deepEqual(counts['hybrid-strong'], { quantum: angles, classical: strongHead, total: angles + strongHead });
    assert.equal(counts['control-strong'].classical, conv(2, 1, 4) + strongHead);
    assert.equal(counts.lenet5.total, conv(5, 1, 6) + conv(5, 6, 16) + dense(400, 120) + dense(120, 84) + dense(84, 10));
    assert.equal(counts.lenet5.total, 61706);
    assert.equal(counts.linear.total, 7850);
    for (const m of MODELS) {
      if (m.family === 'classical') assert.equal(counts[m.name].quantum, 0, m.name);
      else assert.ok(counts[m.name].quantum + (counts[m.name].frozenQuantum ?? 0) > 0, m.name); // frozen twins: all frozen
    }
    // Issue 4's budget: the hybrids use at most a tenth of the LeNet-5-like model's parameters.
    for (const m of MODELS.filter((s) => s.family === 'hybrid')) assert.ok(counts[m.name].total <= counts.lenet5.total / 10, m.name);
    // Parameter-matched CNNs are within 15% of their hybrid.
    for (const m of MODELS.filter((s) => s.controls)) {
      const ratio = counts[m.controls!.paramMatched].total / counts[m.name].total;
      assert.ok(ratio > 0.85 && ratio < 1.15, `${m.controls!.paramMatched} vs ${m.name}: ratio ${ratio}`);
    }
  });

  it('the same seed gives the same initial weights, another seed different ones', () => {
    for (const name of ['hybrid-small', 'cnn-small']) {
      const [a, b, c] = [buildModel(name, 5), buildModel(name, 5), buildModel(name, 6)];
      const [wa, wb, wc] = [a, b, c].map(weightBytes);
      wa.forEach((w, i) => assert.ok(w.equals(wb[i]), `${name}: weight ${i} differs for equal seeds`));
      assert.ok(wa.some((w, i) => !w.equals(wc[i])), `${name}: seeds 5 and 6 gave identical weights`);
      [a, b, c].forEach((m) => m.dispose());
    }
  });

  it('a hybrid and its same-shape control differ only in the quantum layers (same head, same head init)', () => {
    const classicalTwin: Record<string, string> = { QuantumConv2D: 'Conv2D', QuantumPooling: 'AveragePooling2D' };
    for (const spec of MODELS.filter((m) => m.controls)) {
      const hybrid = spec.builder(11);
      const control = getModelSpec(spec.controls!.sameShape).builder(11);
      const shapes = (m: tf.LayersModel) => m.layers.map((l) => JSON.stringify(l.outputShape));
      assert.deepEqual(shapes(control), shapes(hybrid), `${spec.name}: layer output shapes`);
      const classes = (m: tf.LayersModel) => m.layers.map((l) => l.getClassName());
      const diff = classes(hybrid).map((c, i) => [c, classes(control)[i]]).filter(([a, b]) => a !== b);
      assert.ok(diff.length >= 1, `${spec.name}: no quantum layer`);
      for (const [q, c] of diff) assert.equal(c, classicalTwin[q], `${spec.name}: ${q} is replaced by ${c}`);
      // Head weights (after the last quantum layer) start equal: the seed stream is consumed alike.
      const lastQuantum = Math.max(...hybrid.layers.map((l, i) => (l.getClassName() in classicalTwin ? i : -1)));
      const head = (m: tf.LayersModel) => m.layers.slice(lastQuantum + 1).flatMap((l) => l.getWeights());
      const [hh, hc] = [head(hybrid), head(control)];
      assert.ok(hh.length > 0 && hh.length === hc.length);
      hh.forEach((w, i) => assert.deepEqual(Array.from(w.dataSync()), Array.from(hc[i].dataSync()), `${spec.name}: head weight ${i}`));
      hybrid.dispose();
      control.dispose();
    }
  });

  it('pooling variants: in-kernel pooling keeps 2 qubits per patch, spatial QuantumPooling halves the map', () => {
    const kpool = buildModel('hybrid-kpool', 0);
    const k = kpool.layers.find((l) => l.getClassName() === 'QuantumConv2D')!;
    assert.deepEqual(k.outputShape, [null, 7, 7, 2]);
    assert.equal(parameterSplit(kpool).quantum, 16 + 2); // HEA angles + one shared Hur block (2 angles)
    const qpool = buildModel('hybrid-qpool', 0);
    const names = qpool.layers.map((l) => `${l.getClassName()}${JSON.stringify(l.outputShape)}`);
    assert.ok(names.includes('QuantumConv2D[null,14,14,4]') && names.includes('QuantumPooling[null,7,7,4]'), names.join(' '));
    kpool.dispose();
    qpool.dispose();
  });

  it('hybrids run the kernel without input gradients (nothing trainable precedes it)', () => {
    const model = buildModel('hybrid-small', 0);
    const q = model.layers.find((l) => l.getClassName() === 'QuantumConv2D') as unknown as { inputGradients: boolean; cost(): { perSample: { backward: number } | null; diffMethod: string } };
    assert.equal(q.inputGradients, false);
    const cost = q.cost();
    assert.equal(cost.diffMethod, 'parameter-shift');
    // 49 patches × 2 shifts × 12 weight angles (encoding angles are not shifted).
    assert.equal(cost.perSample?.backward, 49 * 2 * 12);
    model.dispose();
  });

  it('hybrids get the same gradients with parameter-shift, adjoint and backprop (exact simulation)', () => {
    // Gradients, not weights after Adam: Adam divides by √v, which blows float noise in the (exactly zero)
    // gradients of idle angles — e.g. the last RZ layer before a Z read-out — up to a full step.
    const { xs, ys } = digits.train.tensorsAt([0, 1, 2, 3, 4]);
    for (const name of ['hybrid-kpool', 'hybrid-qpool']) {
      const model = buildModel(name, 4);
      const quantum = model.layers.filter((l) => 'diffMethod' in l) as unknown as Array<{ diffMethod: string }>;
      const grads: Record<string, Float32Array[]> = {};
      for (const diff of ['backprop', 'adjoint', 'parameter-shift']) {
        quantum.forEach((l) => { l.diffMethod = diff; });
        const { value, grads: g } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(ys, tf.log(model.apply(xs) as tf.Tensor)) as tf.Scalar);
        grads[diff] = model.trainableWeights.map((w) => g[(w.read() as tf.Variable).name].dataSync() as Float32Array);
        tf.dispose([value, ...Object.values(g)]);
      }
      const ref = grads.backprop;
      const scale = Math.max(...ref.map((g) => Math.max(...Array.from(g, Math.abs))));
      assert.ok(scale > 1e-3, `${name}: gradients vanish (${scale})`);
      for (const diff of ['adjoint', 'parameter-shift']) {
        grads[diff].forEach((g, i) => g.forEach((v, j) => {
          assert.ok(Math.abs(v - ref[i][j]) <= 1e-4 * scale, `${name} ${diff}: d/d${model.trainableWeights[i].name}[${j}] = ${v}, backprop ${ref[i][j]}`);
        }));
      }
      model.dispose();
    }
    tf.dispose([xs, ys]);
  });

  it('unknown names and options fail with a message naming them', () => {
    assert.throws(() => getModelSpec('resnet'), /model: unknown model 'resnet' \(expected one of: hybrid-small, .*linear.*\)/);
    assert.throws(() => buildModel('linear', 0, { classes: 3 } as never), /model options: unknown option 'classes'/);
    assert.throws(() => resolveModelOptions({ numClasses: 1 }), /numClasses: expected an integer ≥ 2, got 1/);
    assert.throws(() => resolveModelOptions({ imageSize: [28] as never }), /imageSize: expected \[height, width\]/);
    assert.throws(() => buildModel('linear', -1), /seed: expected an integer 0 ≤ seed < 2\^32, got -1/);
    const two = buildModel('cnn-small', 0, { numClasses: 2 });
    assert.deepEqual(two.outputs[0].shape, [null, 2]);
    two.dispose();
  });

  it('ImageResize equals src/data resizeImages and survives getConfig/fromConfig', () => {
    const { xs } = digits.test.tensorsAt([0, 1, 2]);
    for (const [size, method] of [[14, 'area'], [8, 'area'], [10, 'bilinear']] as const) {
      const layer = new ImageResize({ size, method });
      const got = layer.apply(xs) as tf.Tensor;
      const want = resizeImages(xs, size, method);
      assert.deepEqual(got.shape, [3, size, size, 1]);
      assert.ok(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0] < 1e-6, `${method} ${size}`);
      const copy = ImageResize.fromConfig(ImageResize, layer.getConfig()) as ImageResize;
      assert.deepEqual([copy.size, copy.method], [[size, size], method]);
      tf.dispose([got, want]);
    }
    assert.throws(() => new ImageResize({ size: 0 }), /ImageResize\(size\): expected a positive integer/);
    assert.throws(() => new ImageResize({ size: 8, method: 'nearest' as never }), /ImageResize\(method\): expected 'area' or 'bilinear'/);
    xs.dispose();
  });

  it('evaluateModel agrees with the trainer\'s validation metrics', async () => {
    const data = loadMnist({ trainSize: 30, testSize: 20 });
    const model = buildModel('cnn-small', 1);
    const r = await train(model, { train: data.train, validation: data.test }, { epochs: 1, batchSize: 10, progress: 'none', validationBatchSize: 7 });
    const e = evaluateModel(model, data.test, { batchSize: 7 });
    assert.equal(e.samples, 20);
    assert.equal(e.accuracy, r.history[0].val_accuracy);
    assert.ok(Math.abs(e.loss - (r.history[0].val_loss as number)) < 1e-5, `${e.loss} vs ${r.history[0].val_loss}`);
    assert.equal(e.confusion.flat().reduce((a, b) => a + b, 0), 20);
    const correct = e.confusion.reduce((a, row, c) => a + row[c], 0);
    assert.equal(correct / 20, e.accuracy);
    model.dispose();
  });
});
