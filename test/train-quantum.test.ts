// The trainer with a real quantum layer (QuantumConv2D): diffMethods agree, costs are counted, resume is exact.
import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { QuantumConv2D } from '../src/qkc';
import { train, type TrainOptions } from '../src/train';
import { tmpDir, weightBytes } from './train-fixtures';

/** avgpool 8×8→4×4 → QuantumConv2D (2×2 windows, stride 2, 4 qubits) → dense(3). */
function hybrid(): { model: tf.Sequential; q: QuantumConv2D } {
  const q = new QuantumConv2D({ kernelSize: 2, strides: 2, seed: 3 });
  const model = tf.sequential({
    layers: [
      tf.layers.averagePooling2d({ inputShape: [8, 8, 1], poolSize: 2 }),
      q,
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
    ],
  });
  return { model, q };
}

/** Class c lights up rows below 2(c+1), with a fixed ripple. */
function images(n: number): { x: tf.Tensor4D; y: number[] } {
  const xs = new Float32Array(n * 64);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    y.push(c);
    for (let p = 0; p < 64; p++) xs[i * 64 + p] = ((p >> 3) < (c + 1) * 2 ? 0.8 : 0.1) + 0.1 * Math.sin(i * 7 + p);
  }
  return { x: tf.tensor4d(xs, [n, 8, 8, 1]), y };
}

describe('train: with QuantumConv2D', () => {
  const data = { train: images(24), validation: images(9) };
  const base: TrainOptions = { epochs: 2, batchSize: 8, learningRate: 0.05, seed: 1, progress: 'none' };
  after(() => {
    data.train.x.dispose();
    data.validation.x.dispose();
  });

  it('parameter-shift, adjoint and backprop give the same loss curve; executions follow the layer cost', async () => {
    const curves: number[][] = [];
    for (const diffMethod of ['parameter-shift', 'adjoint', 'backprop'] as const) {
      const { model, q } = hybrid();
      const r = await train(model, data, { ...base, diffMethod });
      assert.equal(q.diffMethod, diffMethod);
      const per = q.cost().perSample;
      assert.ok(per && per.forward > 0);
      for (const h of r.history) {
        assert.equal(h.circuit_executions, 24 * (per.forward + per.backward));
        assert.equal(h.val_circuit_executions, 9 * per.forward);
      }
      curves.push(r.history.flatMap((h) => [h.loss, h.val_loss as number]));
      model.dispose();
    }
    assert.ok(curves[0][0] > curves[0][3], 'loss falls');
    for (const c of curves.slice(1)) c.forEach((v, i) => assert.ok(Math.abs(v - curves[0][i]) < 1e-4, `${v} vs ${curves[0][i]}`));
  });

  it('an interrupted and resumed run ends with exactly the weights of an uninterrupted one', async () => {
    const ref = hybrid().model;
    await train(ref, data, { ...base, outDir: tmpDir() });
    const dir = tmpDir();
    const a = hybrid().model;
    await train(a, data, { ...base, outDir: dir, onEpochEnd: (_r, c) => c.stop() });
    const b = hybrid().model;
    const r = await train(b, data, { ...base, outDir: dir, resume: true });
    assert.equal(r.resumedFrom, 1);
    const want = weightBytes(ref);
    weightBytes(b).forEach((w, i) => assert.ok(w.equals(want[i]), `weight ${i}`));
    [ref, a, b].forEach((m) => m.dispose());
  });
});
