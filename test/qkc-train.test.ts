import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { QuantumConv2D } from '../src/qkc';

/**
 * 4×4 images with one full horizontal or vertical bar. No linear classifier on the raw pixels separates
 * them (the row sums and the column sums of the weights add up to the same total), but parities of
 * neighbouring pixels do: a 2×2 quantum kernel with CNOTs can provide them.
 */
function bars(): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const images: number[][][][] = [];
  const labels: number[] = [];
  for (let k = 0; k < 4; k++) {
    for (const vertical of [0, 1]) {
      images.push(Array.from({ length: 4 }, (_, r) => Array.from({ length: 4 }, (_, c) => [(vertical ? c : r) === k ? 1 : 0])));
      labels.push(vertical);
    }
  }
  return { x: tf.tensor4d(images), y: tf.tensor2d(labels, [labels.length, 1]) };
}

describe('QuantumConv2D learns', () => {
  it('separates horizontal from vertical bars with model.fit (a task no linear model on pixels solves)', async () => {
    const { x, y } = bars();
    const model = tf.sequential({
      layers: [
        new QuantumConv2D({ inputShape: [4, 4, 1], kernelSize: 2, strides: 2, seed: 7 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.1), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const h = await model.fit(x, y, { epochs: 40, batchSize: 8, shuffle: false, verbose: 0 });
    const loss = h.history.loss as number[];
    const acc = h.history.acc as number[];
    assert.ok(loss[loss.length - 1] < 0.5 * loss[0], `loss ${loss[0]} → ${loss[loss.length - 1]}`);
    assert.equal(acc[acc.length - 1], 1, `final accuracy ${acc[acc.length - 1]}`);
    // Control: the same head on the raw pixels cannot get every image right.
    const linear = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 4, 1] }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
    linear.compile({ optimizer: tf.train.adam(0.1), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const hl = await linear.fit(x, y, { epochs: 60, batchSize: 8, shuffle: false, verbose: 0 });
    const accLinear = hl.history.acc as number[];
    assert.ok(accLinear[accLinear.length - 1] < 1, 'the linear control cannot separate the bars');
    tf.dispose([x, y]);
    model.dispose();
    linear.dispose();
  });
});
