import { strict as assert } from 'assert';
import { ready, tf, useWasmFastGrads } from '../src/backend';
import { Rng } from '../src/util';
import { trainedBits } from './helpers/train-bits';

/** The stand-ins that must keep the shipped kernels' float32 bits. */
const EXACT = ['Identity', 'Cast', 'Sum', 'AvgPool', 'Add'];

/** `fn`'s result with the exact stand-ins `ids` switched off (the shipped kernels) and on. */
function shippedAndOurs<T>(fn: () => T, ids: string[] = EXACT): { shipped: T; ours: T } {
  useWasmFastGrads(false, ids);
  try {
    const shipped = fn();
    useWasmFastGrads(true, ids);
    return { shipped, ours: fn() };
  } finally {
    useWasmFastGrads(true);
  }
}

/** Index of the first differing bit pattern, or −1 (NaNs compare by bits too). */
function firstBitDifference(a: Float32Array | Int32Array, b: Float32Array | Int32Array): number {
  assert.equal(a.length, b.length, 'lengths differ');
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

function random(rng: Rng, shape: number[]): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal()), shape);
}

describe('wasm exact kernels (same bits as the shipped tfjs-backend-wasm kernels)', function () {
  this.timeout(60_000);
  before(async function () {
    if ((await ready()).tfBackend !== 'wasm') this.skip();
  });
  after(() => useWasmFastGrads(true));

  it('Sum over leading axes equals the shipped kernel bit for bit; other reductions go to it', () => {
    const rng = new Rng(11);
    const cases: Array<[number[], number | number[], boolean]> = [
      [[32, 7, 7, 16], [0, 1, 2], false], [[32, 7, 7, 4], [0, 1, 2], false], [[32, 10], 0, false], [[32, 10], [0], true],
      [[5, 3, 8], [1, 0], false], [[4, 6, 5], [-3, -2], true], [[32, 10], 1, false], [[3, 4, 5], [0, 2], false], [[6, 7], [0, 1], false],
    ];
    for (const [shape, axis, keepDims] of cases) {
      const x = random(rng, shape);
      const { shipped, ours } = shippedAndOurs(() => tf.tidy(() => { const s = tf.sum(x, axis, keepDims); return { shape: s.shape, data: s.dataSync() as Float32Array }; }), ['Sum']);
      assert.deepEqual(ours.shape, shipped.shape, `[${shape}] axis ${axis}`);
      assert.equal(firstBitDifference(ours.data, shipped.data), -1, `[${shape}] axis ${axis} keepDims ${keepDims}`);
      x.dispose();
    }
    const ints = tf.tensor([[1, 2], [3, 4]], [2, 2], 'int32');
    assert.deepEqual(Array.from(tf.sum(ints, 0).dataSync()), [4, 6]);
    ints.dispose();
  });

  it('AvgPool 2×2/2 valid equals the shipped (XNNPACK) kernel bit for bit; other poolings go to it', () => {
    const rng = new Rng(13);
    const cases: Array<[number[], number, number, 'valid' | 'same']> = [
      [[32, 28, 28, 1], 2, 2, 'valid'], [[8, 10, 12, 5], 2, 2, 'valid'], [[3, 7, 9, 4], 2, 2, 'valid'], [[2, 8, 8, 3], 2, 2, 'same'], [[2, 9, 9, 2], 3, 3, 'valid'],
    ];
    for (const [shape, size, stride, pad] of cases) {
      const x = random(rng, shape) as tf.Tensor4D;
      const { shipped, ours } = shippedAndOurs(() => tf.tidy(() => tf.avgPool(x, size, stride, pad).dataSync() as Float32Array), ['AvgPool']);
      assert.equal(firstBitDifference(ours, shipped), -1, `[${shape}] pool ${size}/${stride} ${pad}`);
      x.dispose();
    }
  });

  it('Add of a ≤ 4-channel bias equals the shipped (XNNPACK) kernel bit for bit, either operand order; other adds go to it', () => {
    const rng = new Rng(14);
    const cases: Array<[number[], number[]]> = [
      [[32, 26, 26, 4], [4]], [[4], [32, 26, 26, 4]], [[16, 20, 20, 3], [1, 3]], [[64, 64, 2], [64, 2]], [[32, 26, 26, 4], [26, 4]],
      [[32, 7, 7, 16], [16]], [[2, 3, 4], [4]], [[40, 40, 4], [40, 40, 4]], [[4096, 1], []],
    ];
    for (const [as, bs] of cases) {
      const a = random(rng, as), b = random(rng, bs);
      const { shipped, ours } = shippedAndOurs(() => tf.tidy(() => { const s = tf.add(a, b); return { shape: s.shape, data: s.dataSync() as Float32Array }; }), ['Add']);
      assert.deepEqual(ours.shape, shipped.shape, `[${as}] + [${bs}]`);
      assert.equal(firstBitDifference(ours.data, shipped.data), -1, `[${as}] + [${bs}]`);
      tf.dispose([a, b]);
    }
  });

  it('Identity and same-dtype Cast share memory without copying; clones outlive their source; no tensor leaks', () => {
    const before = tf.memory();
    const x = tf.tensor([1.5, -2, 3], [3]);
    const y = tf.clone(x), z = tf.cast(x, 'float32'), i = tf.cast(x, 'int32');
    assert.equal(tf.memory().numDataBuffers - before.numDataBuffers, 2, 'the clones add no buffer; the int32 cast does');
    x.dispose();
    assert.deepEqual(Array.from(y.dataSync()), [1.5, -2, 3]);
    assert.deepEqual(Array.from(z.dataSync()), [1.5, -2, 3]);
    assert.deepEqual(Array.from(i.dataSync()), [1, -2, 3]);
    tf.dispose([y, z, i]);
    assert.equal(tf.memory().numTensors, before.numTensors);
    assert.equal(tf.memory().numDataBuffers, before.numDataBuffers);
  });

  for (const name of ['control-small', 'cnn-small']) {
    it(`training ${name} for 3 × 32 steps gives bit-identical weights with the exact kernels and with the shipped ones`, async () => {
      useWasmFastGrads(false, EXACT);
      let shipped: Awaited<ReturnType<typeof trainedBits>>;
      try {
        shipped = await trainedBits(name, 3);
      } finally {
        useWasmFastGrads(true);
      }
      const ours = await trainedBits(name, 3);
      assert.equal(ours.loss, shipped.loss);
      assert.equal(ours.weights.length, shipped.weights.length);
      ours.weights.forEach((w, k) => {
        assert.deepEqual(w, shipped.weights[k], `weight ${k} of ${name}`);
        assert.notDeepEqual(w, ours.initial[k], `weight ${k} of ${name} moved in training`);
      });
    });
  }
});
