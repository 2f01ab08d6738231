import { strict as assert } from 'assert';
import { ready, tf, useWasmFastGrads } from '../src/backend';
import { loadMnist } from '../src/data';
import { buildModel } from '../src/models';
import { train } from '../src/train';
import { Rng } from '../src/util';

/** The stand-ins that must keep the shipped kernels' float32 bits. */
const EXACT = ['Identity', 'Cast', 'Sum'];

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
      const data = loadMnist({ trainSize: 96, testSize: 10 }).train;
      const weightsAfter = async (): Promise<Float32Array[]> => {
        const model = buildModel(name, 0);
        try {
          await train(model, { train: data }, { epochs: 1, batchSize: 32, seed: 3, progress: 'none' });
          return model.getWeights().map((w) => w.dataSync() as Float32Array);
        } finally {
          model.dispose();
        }
      };
      useWasmFastGrads(false, EXACT);
      let shipped: Float32Array[];
      try {
        shipped = await weightsAfter();
      } finally {
        useWasmFastGrads(true);
      }
      const ours = await weightsAfter();
      assert.equal(ours.length, shipped.length);
      const fresh = buildModel(name, 0);
      const initial = fresh.getWeights().map((w) => w.dataSync() as Float32Array);
      fresh.dispose();
      ours.forEach((w, k) => {
        assert.equal(firstBitDifference(w, shipped[k]), -1, `weight ${k} of ${name}`);
        assert.notEqual(firstBitDifference(w, initial[k]), -1, `weight ${k} of ${name} moved in training`);
      });
    });
  }
});
