/** The subsampling options every loader accepts, applied the same way to every train/test split. */
import { DatasetError } from './errors';
import { carveValidation, VALIDATION_DEFAULTS } from './holdout';
import type { TrainTestSplit } from './image-dataset';

/** Which part of a split to keep: a validation set first, then classes, then stratified prefixes of the sizes asked for. */
export interface SubsetOptions {
  /**
   * Images carved out of the full training set as a validation set (seeded, stratified; see `carveValidation`),
   * before any other option applies, so it does not depend on them. 0 carves none. Default: the loader's
   * (5,000 for 'mnist-official', none for the others).
   */
  validationSize?: number;
  /** Seed of the validation carve (default 0x716b63, "qkc"). */
  validationSeed?: number;
  /** Original class indices to keep, relabelled 0…k-1 in this order (e.g. [0, 1] for a binary task). */
  classes?: readonly number[];
  /** Training examples to keep (a stratified prefix; default all). */
  trainSize?: number;
  /** Test examples to keep (a stratified prefix; default all). */
  testSize?: number;
  /**
   * Total examples to keep, shared between train and test in the split's own ratio
   * (train = round(limit · nTrain / (nTrain + nTest)), test = the rest). Not combinable with the sizes.
   */
  limit?: number;
}

function checkSize(value: number | undefined, argName: string, available: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 0 || value > available) {
    throw new DatasetError(argName, `an integer in [0, ${available}]`, String(value));
  }
}

/** Carves the validation set `options` ask for (none when the size is 0 or unset, or the split already has one). */
function withValidation(split: TrainTestSplit, options: SubsetOptions): TrainTestSplit {
  const size = options.validationSize ?? 0;
  if (split.validation) {
    if (options.validationSize !== undefined && options.validationSize !== split.validation.size) {
      throw new DatasetError('validationSize', `${split.validation.size} (the split already has a validation set)`, String(options.validationSize));
    }
    return split;
  }
  // Leave at least one training image per class (the carve is stratified, so this is about the total).
  checkSize(size, 'validationSize', Math.max(0, split.train.size - split.train.numClasses));
  const seed = options.validationSeed ?? VALIDATION_DEFAULTS.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new DatasetError('validationSeed', 'an integer in [0, 2^32)', String(seed));
  if (size === 0) return split;
  const { train, validation } = carveValidation(split.train, size, seed);
  return { ...split, train, validation, source: `${split.source}; validation: ${size} held out of train (stratified, seed 0x${seed.toString(16)})` };
}

/**
 * Applies `validationSize`, then `classes`, then `trainSize`/`testSize` or `limit`, to a split; returns it
 * untouched when none is set. The validation set follows `classes` but not the sizes.
 */
export function applySubsetOptions(split: TrainTestSplit, options: SubsetOptions = {}): TrainTestSplit {
  split = withValidation(split, options);
  let { train, test, validation } = split;
  const notes: string[] = [];
  if (options.classes !== undefined) {
    train = train.selectClasses(options.classes);
    test = test.selectClasses(options.classes);
    validation = validation?.selectClasses(options.classes);
    notes.push(`classes [${options.classes.join(', ')}]`);
  }
  let { trainSize, testSize } = options;
  if (options.limit !== undefined) {
    if (trainSize !== undefined || testSize !== undefined) {
      throw new DatasetError('limit', 'either limit or trainSize/testSize', `limit = ${options.limit} and sizes too`);
    }
    checkSize(options.limit, 'limit', train.size + test.size);
    trainSize = Math.round((options.limit * train.size) / (train.size + test.size));
    testSize = options.limit - trainSize;
  }
  checkSize(trainSize, 'trainSize', train.size);
  checkSize(testSize, 'testSize', test.size);
  if (trainSize !== undefined && trainSize !== train.size) {
    train = train.stratifiedSubset(trainSize);
    notes.push(`train: stratified prefix of ${trainSize}`);
  }
  if (testSize !== undefined && testSize !== test.size) {
    test = test.stratifiedSubset(testSize);
    notes.push(`test: stratified prefix of ${testSize}`);
  }
  if (notes.length === 0) return split;
  return { ...split, train, test, ...(validation ? { validation } : {}), source: `${split.source}; ${notes.join('; ')}` };
}
