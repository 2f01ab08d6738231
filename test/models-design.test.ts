// The designs chosen by the design search (issue 13 item 4, zoo names hybrid-front-…): they build on any
// supported input with controls of the same shapes, their parameter counts are what their architectures
// say, every quantum angle acts on the output, and gradients reach the trainable front through the kernel.
import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { loadMnist } from '../src/data';
import { buildHybridDesign, getModelSpec, MODELS, parameterSplit, resolveModelOptions, type HybridDesign } from '../src/models';
import { idleQuantumAngles } from '../src/experiments/design-search';

/** Parameters of conv k×k from cin to cout channels, with or without bias. */
const conv = (k: number, cin: number, cout: number, bias = true): number => k * k * cin * cout + (bias ? cout : 0);
const dense = (inp: number, out: number): number => inp * out + out;
/** Trainable parameters of batch-norm over c channels (γ, β; the moving statistics are not trained). */
const bn = (c: number): number => 2 * c;
/** hybrid-strong's head on cin channels: conv3×3×12 → pool → conv3×3×24 → pool → 3×3×24 → dense 10. */
const strongHead = (cin: number): number => conv(3, cin, 12) + conv(3, 12, 24) + dense(216, 10);

/** Every hybrid-front model and its stated parameter split (quantum angles; classical weights). */
const STATED: Record<string, { quantum: number; classical: number }> = {
  // front BN on the pixels, RealAmplitudes ×2 on 4 qubits (4·3 angles), head on 14×14×4.
  'hybrid-front-bn': { quantum: 12, classical: bn(1) + strongHead(4) },
  // front conv3×3×1 (no bias: batch-norm follows) + BN, the same kernel and head.
  'hybrid-front-conv': { quantum: 12, classical: conv(3, 1, 1, false) + bn(1) + strongHead(4) },
  // front conv3×3/2×4 (no bias) + BN on 4 channels; the kernel reads 1×1×4 (4 qubits, 12 angles); head on 14×14×4.
  'hybrid-front-conv4': { quantum: 12, classical: conv(3, 1, 4, false) + bn(4) + strongHead(4) },
};
const FRONT = MODELS.filter((m) => m.name.startsWith('hybrid-front-') && !m.name.endsWith('-frozen'));

describe('models: the hybrid-front designs (design search)', () => {
  it('are in the zoo with their controls, within a tenth of LeNet-5-like, with parameter counts as stated', () => {
    assert.ok(FRONT.length >= 2, `hybrid-front models: ${FRONT.map((m) => m.name).join(', ')}`);
    for (const spec of FRONT) {
      assert.ok(STATED[spec.name], `${spec.name}: no stated parameter count in this test`);
      assert.equal(spec.family, 'hybrid');
      const model = spec.builder(0);
      const p = parameterSplit(model);
      assert.deepEqual(p, { ...STATED[spec.name], total: STATED[spec.name].quantum + STATED[spec.name].classical }, spec.name);
      assert.ok(p.total <= 61706 / 10, `${spec.name}: ${p.total} parameters`);
      for (const c of [spec.controls!.sameShape, spec.controls!.paramMatched]) assert.equal(getModelSpec(c).family, 'classical', c);
      model.dispose();
    }
  });

  it('build on 28×28 and other sizes, and their controls have the same layer output shapes', () => {
    for (const spec of FRONT) {
      for (const [side, channels] of [[28, 1], [16, 1], [20, 3], [8, 1]] as const) {
        const o = { imageSize: [side, side] as [number, number], channels };
        const [h, c] = [spec.builder(2, o), getModelSpec(spec.controls!.sameShape).builder(2, o)];
        const shapes = (m: tf.LayersModel) => m.layers.map((l) => JSON.stringify(l.outputShape));
        assert.deepEqual(shapes(c), shapes(h), `${spec.name} on ${side}×${side}×${channels}`);
        assert.ok(h.layers.some((l) => l.getClassName() === 'QuantumConv2D') && !c.layers.some((l) => l.getClassName() === 'QuantumConv2D'));
        const out = h.predict(tf.randomUniform([2, side, side, channels], 0, 1, 'float32', 3)) as tf.Tensor;
        assert.deepEqual(out.shape, [2, 10]);
        tf.dispose([out]);
        h.dispose();
        c.dispose();
      }
    }
  });

  it('every quantum angle has a nonzero gradient, and the kernel passes gradients to the front', function () {
    this.timeout(120000);
    const digits = loadMnist({ trainSize: 16, testSize: 10 });
    const { xs, ys } = digits.train.tensorsAt(Array.from({ length: 16 }, (_, i) => i));
    for (const spec of FRONT) {
      const model = spec.builder(1, { diffMethod: 'backprop' });
      assert.equal(idleQuantumAngles(model, xs, ys), 0, `${spec.name}: idle quantum angles`);
      const kernelAt = model.layers.findIndex((l) => l.getClassName() === 'QuantumConv2D');
      const front = model.layers.slice(0, kernelAt).flatMap((l) => l.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
      assert.ok(front.length > 0, `${spec.name}: no trainable front`);
      const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, front);
      for (const v of front) assert.ok((tf.max(tf.abs(grads[v.name])).dataSync()[0]) > 1e-6, `${spec.name}: front weight ${v.name} gets no gradient`);
      tf.dispose(grads);
      model.dispose();
    }
    tf.dispose([xs, ys]);
  });

  it('parameter-shift with input shifts gives the front the same gradient as backprop', function () {
    this.timeout(120000);
    const digits = loadMnist({ trainSize: 2, testSize: 10 });
    const { xs, ys } = digits.train.tensorsAt([0, 1]);
    const small = tf.image.resizeBilinear(xs, [8, 8]);
    const design: HybridDesign = { resize: null, front: { conv: { channels: 1, kernel: 3 }, norm: true }, filters: 1, ansatz: 'real-amplitudes', depth: 2, head: [4], readout: 'global-average' };
    const grads: Record<string, Float32Array[]> = {};
    for (const diffMethod of ['backprop', 'parameter-shift'] as const) {
      const model = buildHybridDesign('front-check', design, true)(7, resolveModelOptions({ imageSize: [8, 8], diffMethod }));
      const { grads: g } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(ys, model.apply(small, { training: false }) as tf.Tensor) as tf.Scalar);
      grads[diffMethod] = model.trainableWeights.map((w) => g[(w.read() as tf.Variable).name].dataSync() as Float32Array);
      tf.dispose(Object.values(g));
      model.dispose();
    }
    const scale = Math.max(...grads.backprop.map((g) => Math.max(...Array.from(g, Math.abs))));
    assert.ok(scale > 1e-4, `gradients vanish (${scale})`);
    grads['parameter-shift'].forEach((g, i) => g.forEach((v, j) => assert.ok(Math.abs(v - grads.backprop[i][j]) <= 1e-3 * scale, `weight ${i}[${j}]: ${v} vs backprop ${grads.backprop[i][j]}`)));
    tf.dispose([xs, ys, small]);
  });
});
