import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { extractPatches, identityKernel } from '../src/qkc';

/** The im2col reference: a conv with the one-hot identity kernel (extractPatches' general path). */
const viaConv = (x: tf.Tensor4D, k: [number, number]) => tf.conv2d(x, identityKernel(k[0], k[1], x.shape[3]), k, 'valid');

describe('extractPatches', () => {
  it('takes tiling windows by reshape and transpose with the same values and gradients as the identity conv', () => {
    for (const [shape, k] of [[[2, 6, 4, 3], [2, 2]], [[3, 6, 6, 1], [3, 3]], [[1, 4, 6, 2], [2, 3]]] as Array<[[number, number, number, number], [number, number]]>) {
      const x = tf.randomUniform(shape, -1, 1, 'float32', 7) as tf.Tensor4D;
      const w = tf.randomUniform([shape[0], shape[1] / k[0], shape[2] / k[1], k[0] * k[1] * shape[3]], -1, 1, 'float32', 8);
      const spec = { kernelSize: k, strides: k, padding: 'valid' as const };
      assert.deepEqual(Array.from(extractPatches(x, spec).dataSync()), Array.from(viaConv(x, k).dataSync()), `values ${shape} ${k}`);
      const g = (f: (t: tf.Tensor4D) => tf.Tensor) => Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t as tf.Tensor4D), w)))(x).dataSync());
      assert.deepEqual(g((t) => extractPatches(t, spec)), g((t) => viaConv(t, k)), `gradient ${shape} ${k}`);
    }
  });

  it('keeps the conv for overlapping or padded windows', () => {
    const x = tf.randomUniform([1, 5, 5, 2], -1, 1, 'float32', 3) as tf.Tensor4D;
    const got = extractPatches(x, { kernelSize: [2, 2], strides: [1, 1], padding: 'valid' });
    assert.deepEqual(got.shape, [1, 4, 4, 8]);
    assert.deepEqual(Array.from(got.dataSync()), Array.from(tf.conv2d(x, identityKernel(2, 2, 2), 1, 'valid').dataSync()));
  });
});
