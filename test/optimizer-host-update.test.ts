import { strict as assert } from 'assert';
import { ready, tf } from '../src/backend';
import { Adam } from '../src/train';
import { Rng } from '../src/util';

/** Runs `steps` Adam updates from a seeded start with seeded gradients; returns the variables' float32 bits. */
function run(hostUpdateMaxSize: number, steps: number, seed: number): number[][] {
  const rng = new Rng(seed);
  const shapes = [[3, 3, 4, 16], [16], [144, 10], [10], [1]];
  const vars = shapes.map((s) => tf.variable(tf.tensor(Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal()), s)));
  const adam = new Adam([{ name: 'c', variables: vars.slice(0, 4), learningRate: 1e-3 }, { name: 'q', variables: vars.slice(4), learningRate: 0.05 }],
    { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, { hostUpdateMaxSize });
  for (let t = 0; t < steps; t++) {
    // Gradients of all scales, zeros and exact ties included, as real ones have.
    const grads = Object.fromEntries(vars.map((v) => [v.name, tf.tensor(Float32Array.from({ length: v.size }, (_, i) =>
      i % 7 === 0 ? 0 : rng.normal() * 10 ** Math.floor(rng.next() * 8 - 6)), v.shape)]));
    adam.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
  const bits = vars.map((v) => Array.from(new Uint32Array(Float32Array.from(v.dataSync()).buffer)));
  tf.dispose(vars);
  adam.dispose();
  return bits;
}

describe('Adam host update (small variables updated in one pass on the host)', () => {
  before(async () => { await ready(); });

  for (const backend of ['default', 'cpu'] as const) {
    it(`gives the same bits as the tensor-op update after 25 steps (${backend} backend)`, async () => {
      const prev = tf.getBackend();
      if (backend === 'cpu') await tf.setBackend('cpu');
      try {
        const ops = run(0, 25, 3);
        const host = run(Number.MAX_SAFE_INTEGER, 25, 3);
        ops.forEach((v, i) => assert.deepEqual(host[i], v, `variable ${i}: host and tensor-op updates differ`));
      } finally {
        await tf.setBackend(prev);
      }
    });
  }

  it('leaves a variable without a gradient unchanged', () => {
    const a = tf.variable(tf.tensor1d([1, 2, 3])), b = tf.variable(tf.tensor1d([4, 5]));
    const adam = new Adam([{ name: 'c', variables: [a, b], learningRate: 0.1 }]);
    adam.applyGradients({ [a.name]: tf.tensor1d([1, -1, 0]) });
    assert.deepEqual(Array.from(b.dataSync()), [4, 5]);
    // First step of Adam moves every weight with a non-zero gradient by lr·sign(g) (up to epsilon).
    const got = Array.from(a.dataSync());
    [0.9, 2.1, 3].forEach((want, i) => assert.ok(Math.abs(got[i] - want) < 1e-6, `a[${i}] = ${got[i]}, expected ${want}`));
    adam.dispose();
    tf.dispose([a, b]);
  });
});
