// The memory guard counts a gradient only when one can follow: a layer evaluated in predict (no tape
// recording) is a forward run, the same call under tf.grad keeps states for its backward pass.
import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, input, weight, differentiableExpval, expval, StateTooLargeError } from '../src/sim';

/** 4 qubits: RY(x_q) encoding, RY(w_q), a CNOT chain. */
function kernel(): Circuit {
  const c = new Circuit(4);
  for (let q = 0; q < 4; q++) c.ry(input(q), q);
  for (let q = 0; q < 4; q++) c.ry(weight(q), q);
  for (let q = 0; q < 3; q++) c.cnot(q, q + 1);
  return c;
}

describe('memory guard and the gradient tape', () => {
  // tf executor, 4 qubits × 4,900 rows (100 images × 49 patches): ~79 MiB forward, ~170 MiB with autodiff (each with the 64 MiB allowance).
  const rows = 4900;
  const limit = 100 * 2 ** 20;

  it('admits a forward run outside a tape that the same call under tf.grad is refused', () => {
    const f = differentiableExpval(kernel(), ['Z0', 'Z3'], { diffMethod: 'backprop', executor: 'tf', maxStateBytes: limit });
    const x = tf.randomUniform([rows, 4], 0, Math.PI) as tf.Tensor2D;
    const w = tf.tensor1d([0.1, 0.2, 0.3, 0.4]);
    const out = f(x, w);
    assert.deepEqual(out.shape, [rows, 2]);
    // Independent check of the values: the plain expval with arrays (never differentiable).
    const ref = expval(kernel(), ['Z0', 'Z3'], { inputs: x.arraySync() as number[][], weights: [0.1, 0.2, 0.3, 0.4], executor: 'tf' }).arraySync() as number[][];
    const got = out.arraySync() as number[][];
    for (const i of [0, 1, rows - 1]) for (const j of [0, 1]) assert.ok(Math.abs(got[i][j] - ref[i][j]) < 1e-5);
    assert.throws(() => tf.grad((ww: tf.Tensor) => f(x, ww as tf.Tensor1D).sum())(w), (e: unknown) => e instanceof StateTooLargeError && /4 qubits × batch 4900/.test(e.message));
    tf.dispose([x, w, out]);
  });

  it('expval with tensor arguments counts a gradient only under a tape', () => {
    const x = tf.randomUniform([rows, 4], 0, Math.PI) as tf.Tensor2D;
    const w = tf.tensor1d([0.1, 0.2, 0.3, 0.4]);
    const out = expval(kernel(), ['Z1'], { inputs: x, weights: w, executor: 'tf', maxStateBytes: limit });
    assert.deepEqual(out.shape, [rows, 1]);
    assert.throws(() => tf.grad((ww: tf.Tensor) => expval(kernel(), ['Z1'], { inputs: x, weights: ww as tf.Tensor1D, executor: 'tf', maxStateBytes: limit }).sum())(w), StateTooLargeError);
    tf.dispose([x, w, out]);
  });
});
