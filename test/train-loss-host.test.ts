import { strict as assert } from 'assert';
import { ready, tf } from '../src/backend';
import { correctCount, crossEntropySum } from '../src/train/loss';
import { useHostCrossEntropy } from '../src/train/loss-host';
import { Rng } from '../src/util';
import { bits, trainedBits } from './helpers/train-bits';

/** `fn` with the op form and with the host form of the clipped cross-entropy. */
function opAndHost<T>(fn: () => T): { op: T; host: T } {
  const was = useHostCrossEntropy(false);
  try {
    const op = fn();
    useHostCrossEntropy(true);
    return { op, host: fn() };
  } finally {
    useHostCrossEntropy(was);
  }
}

describe('host clipped cross-entropy (wasm): same bits as the op form', function () {
  this.timeout(60_000);
  before(async function () {
    if ((await ready()).tfBackend !== 'wasm') this.skip();
  });

  it('value and gradient equal the op form bit for bit, clipped entries, signed zeros and a negative upstream gradient included', () => {
    const rng = new Rng(21);
    for (const [rows, classes] of [[32, 10], [512, 10], [7, 3], [1, 2]]) {
      const raw = Float32Array.from({ length: rows * classes }, () => Math.exp(3 * rng.normal()));
      const probs = tf.tidy(() => tf.softmax(tf.log(tf.tensor2d(raw, [rows, classes]))).arraySync() as number[][]);
      const labels0 = Int32Array.from({ length: rows }, (_, r) => (r * 7) % classes);
      probs[0][0] = 0; probs[0][1 % classes] = 1; // below and above the clip range
      if (rows > 1) probs[1][0] = 5e-8;
      if (rows > 2) [probs[2][0], probs[2][1]] = [Math.fround(1e-7), Math.fround(1 - 1e-7)]; // exactly at the clip bounds
      if (rows > 2) labels0[2] = 0;
      const p = tf.tensor2d(probs), labels = tf.tensor1d(labels0, 'int32');
      for (const scale of [1 / 32, -3]) {
        // variableGrads needs a variable: differentiate through one initialised from p.
        const { op, host } = opAndHost(() => tf.tidy(() => {
          const v = tf.variable(p, true);
          try {
            const { value, grads } = tf.variableGrads(() => tf.mul(crossEntropySum(v, labels, 'probabilities'), scale) as tf.Scalar, [v]);
            return { value: bits(value.dataSync()), grad: bits(Object.values(grads)[0].dataSync()) };
          } finally {
            v.dispose();
          }
        }));
        assert.deepEqual(host.value, op.value, `value [${rows}, ${classes}] scale ${scale}`);
        assert.deepEqual(host.grad, op.grad, `gradient [${rows}, ${classes}] scale ${scale}`);
      }
      tf.dispose([p, labels]);
    }
  });

  it('the accuracy count equals the op form, ties (first maximum) and NaN rows included', () => {
    const rng = new Rng(22);
    const values = Array.from({ length: 64 }, () => Array.from({ length: 10 }, () => Math.round(3 * rng.normal()) / 2)); // many ties
    values[0] = values[0].map(() => NaN);
    values[1][0] = NaN;
    values[2][4] = NaN;
    const out = tf.tensor2d(values);
    const argmax = tf.tidy(() => Array.from(tf.argMax(out, 1).dataSync()));
    const labels = tf.tensor1d(Int32Array.from({ length: 64 }, (_, r) => (r % 2 === 0 ? argmax[r] : rng.int(10))), 'int32');
    const { op, host } = opAndHost(() => tf.tidy(() => correctCount(out, labels).dataSync()[0]));
    assert.equal(host, op);
    assert.equal(host, argmax.filter((a, r) => a === labels.dataSync()[r]).length);
    assert.ok(host >= 32 && host < 64, `a count worth comparing (${host})`);
    tf.dispose([out, labels]);
  });

  it('training control-small for 3 × 32 steps gives bit-identical weights and losses with the host form and the op form', async () => {
    const was = useHostCrossEntropy(false);
    let op: Awaited<ReturnType<typeof trainedBits>>;
    try {
      op = await trainedBits('control-small', 4);
    } finally {
      useHostCrossEntropy(was);
    }
    const host = await trainedBits('control-small', 4);
    assert.equal(host.loss, op.loss);
    host.weights.forEach((w, k) => assert.deepEqual(w, op.weights[k], `weight ${k}`));
  });
});
