import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { deriveSeed, ImageDataset, permutation, stratifiedOrder } from '../src/data';

/** 10 images of 2×3 where pixel j of image k is 10k + j, labels k mod 3. */
function toy(): ImageDataset {
  return new ImageDataset({
    images: Uint8Array.from({ length: 60 }, (_, i) => 10 * Math.floor(i / 6) + (i % 6)),
    labels: Uint8Array.from({ length: 10 }, (_, k) => k % 3),
    height: 2,
    width: 3,
    numClasses: 3,
    name: 'toy',
  });
}

describe('data: ImageDataset batches and seeded orders', () => {
  it('cuts an epoch into batches covering every example once, as [b, H, W, 1] float32 in [0, 1]', async () => {
    const ds = toy();
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const sizes: number[] = [];
    for (const batch of ds.batches(4)) {
      assert.deepEqual(batch.xs.shape, [batch.indices.length, 2, 3, 1]);
      const xs = await batch.xs.data();
      const ys = (await batch.ys.array()) as number[][];
      batch.indices.forEach((i, k) => {
        assert.ok(Math.abs(xs[k * 6 + 5] - (10 * i + 5) / 255) < 1e-7);
        assert.deepEqual(ys[k], [0, 1, 2].map((c) => (c === i % 3 ? 1 : 0)));
      });
      seen.push(...batch.indices);
      sizes.push(batch.indices.length);
      batch.dispose();
    }
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(sizes, [4, 4, 2]);
    assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
    assert.deepEqual([...ds.batches(4, { dropRemainder: true })].map((b) => (b.dispose(), b.indices.length)), [4, 4]);
    assert.equal(ds.numBatches(4), 3);
  });

  it('gives int labels and raw pixels when asked', async () => {
    const { xs, ys } = toy().toTensors({ oneHot: false, raw: true });
    assert.equal(ys.dtype, 'int32');
    assert.deepEqual(Array.from(await ys.data()), [0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
    assert.equal((await xs.data())[59], 95);
    tf.dispose([xs, ys]);
  });

  it('shuffles by (seed, epoch): repeatable, different across epochs and seeds, a permutation', () => {
    const ds = toy();
    const order = (seed: number, epoch: number) =>
      [...ds.batches(3, { shuffle: true, seed, epoch })].flatMap((b) => (b.dispose(), [...b.indices]));
    const a = order(7, 0);
    assert.deepEqual(order(7, 0), a);
    assert.notDeepEqual(order(7, 1), a);
    assert.notDeepEqual(order(8, 0), a);
    assert.deepEqual([...a].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(a, Array.from(ds.epochOrder({ shuffle: true, seed: 7, epoch: 0 })));
    assert.throws(() => ds.batches(3, { shuffle: true }).next(), /shuffle needs an explicit integer seed/);
    assert.throws(() => ds.numBatches(0), /batchSize: expected a positive integer, got 0/);
  });

  it('permutation and deriveSeed are deterministic and spread out', () => {
    const p = permutation(1000, 42);
    assert.deepEqual(Array.from(p), Array.from(permutation(1000, 42)));
    assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
    // A uniform permutation moves almost everything: expected fixed points ≈ 1.
    assert.ok(p.filter((v, i) => v === i).length < 8);
    const seeds = new Set(Array.from({ length: 1000 }, (_, e) => deriveSeed(42, e)));
    assert.equal(seeds.size, 1000);
    assert.notEqual(deriveSeed(1, 2), deriveSeed(2, 1));
    assert.equal(deriveSeed(5, 3), deriveSeed(5, 3));
    assert.throws(() => deriveSeed(1.5), /deriveSeed\(seed\): expected an integer seed, got 1.5/);
  });

  it('subsets share buffers when contiguous, copy otherwise; checks sizes and labels', () => {
    const ds = toy();
    const view = ds.subset([2, 3, 4]);
    assert.equal(view.images.buffer, ds.images.buffer);
    assert.deepEqual(Array.from(view.image(0)), [20, 21, 22, 23, 24, 25]);
    const gathered = ds.subset([9, 0]);
    assert.notEqual(gathered.images.buffer, ds.images.buffer);
    assert.deepEqual(Array.from(gathered.sourceIndices), [9, 0]);
    assert.deepEqual(Array.from(gathered.image(0)), [90, 91, 92, 93, 94, 95]);
    const two = ds.selectClasses([2, 0]);
    assert.deepEqual(Array.from(two.labels), [1, 0, 1, 0, 1, 0, 1]);
    assert.deepEqual(Array.from(ds.labels.subarray(0, 3)), [0, 1, 2], 'parent labels untouched');
    assert.throws(() => ds.subset([10]), /toy.subset\(positions\): entry 0 is 10, expected an integer in \[0, 9\]/);
    assert.throws(
      () => new ImageDataset({ images: new Uint8Array(5), labels: new Uint8Array(1), height: 2, width: 3, numClasses: 2 }),
      /images has 5 values, expected labels.length·height·width·channels = 1·2·3·1 = 6/,
    );
    assert.throws(
      () => new ImageDataset({ images: new Uint8Array(6), labels: Uint8Array.from([4]), height: 2, width: 3, numClasses: 2 }),
      /expected class labels in \[0, 1\], got 4 at position 0/,
    );
  });

  it('stratified order keeps every prefix within one example of proportional', () => {
    const labels = Uint8Array.from({ length: 97 }, (_, i) => (i < 50 ? 0 : i < 80 ? 1 : 2));
    const order = stratifiedOrder(labels, 3);
    const counts = [0, 0, 0];
    order.forEach((pos, k) => {
      counts[labels[pos]]++;
      [50, 30, 17].forEach((n, c) => assert.ok(Math.abs(counts[c] - ((k + 1) * n) / 97) <= 1, `prefix ${k + 1}`));
    });
  });
});
