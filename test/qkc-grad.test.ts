import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { QuantumConv2D, DIFF_METHODS } from '../src/qkc';
import { seededRandom } from './helpers/reference';

/**
 * A small hybrid model: a trainable classical layer before the quantum layer (Dense on the channel
 * axis, so the quantum layer's input gradient matters), QuantumConv2D, and a Dense head.
 */
function smallModel(): { model: tf.Sequential; quantum: QuantumConv2D } {
  const quantum = new QuantumConv2D({ kernelSize: 2, filters: 2, ansatz: 'strongly-entangling', layers: 1, seed: 4 });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [3, 3, 2], units: 1, kernelInitializer: tf.initializers.randomNormal({ seed: 1 }), biasInitializer: 'ones' }),
      quantum,
      tf.layers.flatten(),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.randomNormal({ seed: 2 }) }),
    ],
  });
  return { model, quantum };
}

describe('QuantumConv2D gradients', () => {
  const rand = seededRandom(5);
  const xData = Array.from({ length: 2 * 3 * 3 * 2 }, () => rand());
  const target = [0.3, -0.7];

  for (const method of DIFF_METHODS) {
    it(`${method}: gradients w.r.t. quantum weights and the classical layer before it match central finite differences`, () => {
      const { model, quantum } = smallModel();
      quantum.diffMethod = method;
      const x = tf.tensor4d(xData, [2, 3, 3, 2]);
      const y = tf.tensor2d(target, [2, 1]);
      const loss = () => tf.tidy(() => tf.sum(tf.square(tf.sub(model.apply(x) as tf.Tensor, y))) as tf.Scalar);
      const { grads } = tf.variableGrads(loss);
      const front = model.layers[0].trainableWeights.map((w) => w.read() as tf.Variable);
      const checked = [quantum.trainableWeights[0].read() as tf.Variable, ...front];
      const eps = 1e-2;
      let compared = 0;
      for (const v of checked) {
        const g = grads[v.name].dataSync();
        const base = v.dataSync().slice();
        // Every entry of small tensors, a spread of entries of the quantum weights.
        const idx = base.length <= 4 ? base.map((_, i) => i) : [0, 3, 7, 11, 14, 19, 23];
        for (const i of idx) {
          const at = (d: number) => {
            const p = base.slice(); p[i] += d;
            v.assign(tf.tensor(p, v.shape));
            const l = loss(); const val = l.dataSync()[0]; l.dispose();
            return val;
          };
          const fd = (at(eps) - at(-eps)) / (2 * eps);
          v.assign(tf.tensor(base, v.shape));
          assert.ok(Math.abs(fd - g[i]) < 2e-3 + 1e-2 * Math.abs(fd), `${v.name}[${i}]: analytic ${g[i]} vs finite difference ${fd}`);
          compared++;
        }
      }
      assert.ok(compared >= 10);
      // The classical front really receives a gradient through the quantum layer.
      assert.ok(Math.abs(grads[front[0].name].dataSync()[0]) > 1e-4);
      tf.dispose([x, y, ...Object.values(grads)]);
    });
  }

  it('leaks no tensors over training steps, predictions and captures (every diffMethod)', () => {
    for (const method of DIFF_METHODS) {
      const { model, quantum } = smallModel();
      quantum.diffMethod = method;
      const x = tf.tensor4d(xData, [2, 3, 3, 2]);
      const step = () => {
        const { value, grads } = tf.variableGrads(() => tf.sum(model.apply(x) as tf.Tensor) as tf.Scalar);
        tf.dispose([value, ...Object.values(grads)]);
        tf.tidy(() => { model.predict(x); });
        tf.tidy(() => quantum.capture(model.layers[0].apply(x) as tf.Tensor4D).dispose());
      };
      step();
      const before = tf.memory().numTensors;
      step(); step();
      assert.equal(tf.memory().numTensors, before, `${method}: tensors after two more steps`);
      x.dispose();
      model.dispose();
    }
  });
});
