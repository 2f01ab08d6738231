// The wasm Conv2DBackpropFilter kernel that ready() installs (tfjs-backend-wasm 4.22 has none) against a
// plain float64 loop over the definition dW[i,j,c,o] = Σ x[n, oh·s − top + i, ow·s − left + j, c] · dy[n,oh,ow,o],
// and a tf.layers.conv2d training step on it (what every classical control of src/models needs).
import { strict as assert } from 'assert';
import { tf } from '../src/backend';

function referenceFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, k: number, f: number, stride: number, pad: 'valid' | 'same'): Float64Array {
  const [n, h, w, c] = x.shape;
  const info = tf.backend_util.computeConv2DInfo(x.shape, [k, k, c, f], stride, 1, pad);
  const { outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  const xv = x.dataSync();
  const dyv = dy.dataSync();
  const dw = new Float64Array(k * k * c * f);
  for (let b = 0; b < n; b++) for (let oh = 0; oh < outHeight; oh++) for (let ow = 0; ow < outWidth; ow++) {
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
      const ih = oh * stride - top + i;
      const iw = ow * stride - left + j;
      if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
      for (let ci = 0; ci < c; ci++) for (let o = 0; o < f; o++) {
        dw[((i * k + j) * c + ci) * f + o] += xv[((b * h + ih) * w + iw) * c + ci] * dyv[((b * outHeight + oh) * outWidth + ow) * f + o];
      }
    }
  }
  return dw;
}

describe('backend: conv2d filter gradient on wasm', () => {
  before(function () {
    if (tf.getBackend() !== 'wasm') this.skip();
  });

  it('is registered by ready()', () => {
    assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm') != null);
  });

  for (const [h, c, f, k, stride, pad] of [[9, 1, 3, 2, 2, 'valid'], [8, 3, 5, 3, 1, 'same'], [11, 2, 4, 5, 2, 'same'], [7, 4, 2, 3, 1, 'valid']] as const) {
    it(`matches the definition: ${h}×${h}×${c} input, ${k}×${k}×${f} filter, stride ${stride}, '${pad}'`, () => {
      const x = tf.randomNormal([3, h, h, c], 0, 1, 'float32', 1) as tf.Tensor4D;
      const filter = tf.randomNormal([k, k, c, f], 0, 1, 'float32', 2) as tf.Tensor4D;
      const target = tf.randomNormal(tf.conv2d(x, filter, stride, pad).shape, 0, 1, 'float32', 3);
      // loss = Σ conv(x, W) · target  ⇒  dy = target
      const grad = tf.grad((wt: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, wt as tf.Tensor4D, stride, pad), target)))(filter);
      const want = referenceFilterGrad(x, target as tf.Tensor4D, k, f, stride, pad);
      const got = grad.dataSync();
      assert.equal(got.length, want.length);
      const scale = Math.max(...Array.from(want, Math.abs));
      for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-5 * scale, `dW[${i}]: ${got[i]} vs ${want[i]}`);
      tf.dispose([x, filter, target, grad]);
    });
  }

  it('trains a tf.layers.conv2d without leaking tensors or backend buffers', () => {
    const layer = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) });
    const x = tf.randomUniform([2, 6, 6, 1], 0, 1, 'float32', 4);
    layer.apply(x);
    const before = tf.memory().numTensors;
    const backend = tf.backend() as unknown as { dataIdMap: { numDataIds(): number } };
    const buffers = backend.dataIdMap.numDataIds();
    for (let i = 0; i < 3; i++) {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar);
      assert.ok(Object.values(grads).every((g) => tf.tidy(() => tf.any(tf.notEqual(g, 0)).dataSync()[0]) === 1));
      tf.dispose([value, ...Object.values(grads)]);
    }
    assert.equal(tf.memory().numTensors, before);
    assert.equal(backend.dataIdMap.numDataIds(), buffers);
    x.dispose();
  });
});
