import { strict as assert } from 'assert';
import { ready, tf, useWasmFastGrads, WASM_FAST_GRADS } from '../src/backend';
import { Rng } from '../src/util';
import { onCpu, relDiff } from './helpers/backend-compare';

function randomArray(rng: Rng, shape: number[], shift = 0): { data: Float32Array; shape: Shape4 } {
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: Float32Array.from({ length: n }, () => rng.normal() + shift), shape: shape as Shape4 };
}


type Arr = { data: Float32Array; shape: number[] };
type Shape4 = [number, number, number, number];

/** d/dx of Σ dy ⊙ conv2d(x, w) on the current backend. */
function convInputGrad(x: Arr, w: Arr, dy: Arr, strides: number | [number, number], pad: 'valid' | 'same' | number): Float32Array {
  return tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, tf.tensor4d(w.data, w.shape as Shape4), strides, pad), tf.tensor(dy.data, dy.shape))))(
    tf.tensor(x.data, x.shape)).dataSync() as Float32Array);
}

/** d/dx of Σ dy ⊙ maxPool(x) on the current backend. */
function maxPoolGrad(x: Arr, dy: Arr, size: number, strides: number, pad: 'valid' | 'same'): Float32Array {
  return tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, size, strides, pad), tf.tensor(dy.data, dy.shape))))(
    tf.tensor(x.data, x.shape)).dataSync() as Float32Array);
}

describe('wasm fast gradient kernels (Conv2DBackpropInput at stride 1, MaxPoolGrad)', function () {
  before(async function () {
    if ((await ready()).tfBackend !== 'wasm') this.skip();
  });
  after(() => useWasmFastGrads(true));

  it('ready() puts them in place, and they switch back and forth', () => {
    assert.deepEqual(useWasmFastGrads(true), [], 'already in place after ready()');
    assert.deepEqual(useWasmFastGrads(false), [...WASM_FAST_GRADS]);
    assert.deepEqual(useWasmFastGrads(false), []);
    assert.deepEqual(useWasmFastGrads(true), [...WASM_FAST_GRADS]);
  });

  it('conv2d input gradients equal the cpu backend (same/valid/explicit padding, odd and even filters, strides 1 and 2)', async () => {
    const rng = new Rng(5);
    const cases: Array<[number[], number[], number | [number, number], 'valid' | 'same' | number]> = [
      [[32, 7, 7, 4], [3, 3, 4, 16], 1, 'same'], [[2, 9, 6, 3], [2, 4, 3, 5], 1, 'same'], [[3, 8, 9, 2], [5, 3, 2, 4], 1, 'valid'],
      [[2, 6, 7, 3], [3, 3, 3, 2], 1, 2], [[2, 9, 8, 3], [3, 3, 3, 4], 2, 'same'], [[2, 14, 14, 1], [2, 2, 1, 4], [2, 2], 'valid'],
    ];
    for (const [xs, ws, strides, pad] of cases) {
      const x = randomArray(rng, xs), w = randomArray(rng, ws);
      const yShape = tf.backend_util.computeConv2DInfo(xs as Shape4, ws as Shape4, strides, 1, pad).outShape;
      const dy = randomArray(rng, yShape);
      const got = convInputGrad(x, w, dy, strides, pad);
      const want = await onCpu(() => convInputGrad(x, w, dy, strides, pad));
      assert.ok(relDiff(got, want) < 1e-5, `x [${xs}] w [${ws}] strides ${strides} pad ${pad}: rel diff ${relDiff(got, want)}`);
    }
  });

  it('max-pool gradients equal the cpu backend, all-negative windows included (the shipped kernel misroutes those)', async () => {
    const rng = new Rng(6);
    for (const [xs, size, strides, pad, shift] of [
      [[32, 7, 7, 16], 2, 2, 'valid', 0], [[3, 9, 9, 3], 3, 2, 'same', 0], [[2, 10, 9, 2], 3, 1, 'same', 0], [[2, 8, 8, 3], 2, 2, 'valid', -5],
    ] as Array<[number[], number, number, 'valid' | 'same', number]>) {
      const x = randomArray(rng, xs, shift);
      const yShape = tf.backend_util.computePool2DInfo(xs as Shape4, size, strides, 1, pad).outShape;
      const dy = randomArray(rng, yShape);
      const want = await onCpu(() => maxPoolGrad(x, dy, size, strides, pad));
      // Overlapping windows add several dy into one pixel: the cpu backend sums in double, we in float32.
      const got = maxPoolGrad(x, dy, size, strides, pad);
      assert.ok(relDiff(got, want) < 1e-6, `x [${xs}] pool ${size}/${strides} ${pad} shift ${shift}: rel diff ${relDiff(got, want)}`);
    }
  });

  it('the shipped MaxPoolGrad differs from the cpu backend on an all-negative window (why ours replaces it)', async () => {
    const x = { data: Float32Array.from([-3, -1, -2, -4]), shape: [1, 2, 2, 1] }, dy = { data: Float32Array.from([1]), shape: [1, 1, 1, 1] };
    const want = await onCpu(() => maxPoolGrad(x, dy, 2, 2, 'valid'));
    assert.deepEqual(Array.from(want), [0, 1, 0, 0]);
    assert.deepEqual(Array.from(maxPoolGrad(x, dy, 2, 2, 'valid')), [0, 1, 0, 0]);
    useWasmFastGrads(false);
    try {
      // If a later tfjs fixes its kernel this assertion fails, and ours can be retired.
      assert.notDeepEqual(Array.from(maxPoolGrad(x, dy, 2, 2, 'valid')), [0, 1, 0, 0]);
    } finally {
      useWasmFastGrads(true);
    }
  });
});
