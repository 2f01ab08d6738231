// fitWithSoftmaxHead, the one minibatch loop of the pooling fits: it moves the given variables toward what the
// labels need, calls back once per epoch with the current head, is repeatable for a seed, and frees the head.
import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { fitWithSoftmaxHead } from '../src/analysis/softmax-head';

describe('analysis: fitWithSoftmaxHead', () => {
  // 40 rows of one feature x ∈ {−1, +1}; label 1 iff x = +1, seen only through a variable scale s that starts small (0.1).
  const n = 40;
  const x = tf.tensor2d(Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1)), [n, 1]);
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  const fit = (seed: number, onEpoch?: (e: number, acc: number) => void): number => {
    const s = tf.tidy(() => tf.variable(tf.scalar(0.1)));
    fitWithSoftmaxHead(n, 1, 2, labels, (idx) => tf.mul(tf.gather(x, idx), s), [s], { epochs: 5, batchSize: 8, learningRate: 0.1, seed }, (e, logits) => {
      const pred = tf.tidy(() => tf.argMax(logits(tf.mul(x, s)), 1).dataSync());
      onEpoch?.(e, pred.filter((p, i) => p === labels[i]).length / n);
    });
    const v = s.dataSync()[0];
    s.dispose();
    return v;
  };

  it('fits the variable through the head, once per epoch calling back, repeatably for a seed, leaking no tensor', () => {
    const before = tf.memory().numTensors;
    const epochs: number[] = [];
    let last = 0;
    const s0 = fit(0, (e, acc) => { epochs.push(e); last = acc; });
    assert.deepEqual(epochs, [1, 2, 3, 4, 5]);
    assert.ok(Math.abs(s0) > 0.3, `the variable did not grow from 0.1: ${s0}`);
    assert.equal(last, 1, 'the fitted head separates the two classes');
    assert.equal(fit(0), s0);
    assert.equal(tf.memory().numTensors, before);
  });
});
