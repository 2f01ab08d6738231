/** The subsampling options every loader accepts, applied the same way to every train/test split. */
import type { TrainTestSplit } from './image-dataset';

/** Which part of a split to keep: classes first, then stratified prefixes of the sizes asked for. */
export interface SubsetOptions {
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
    throw new Error(`${argName}: expected an integer in [0, ${available}], got ${value}`);
  }
}

/** Applies `classes`, then `trainSize`/`testSize` or `limit`, to a split; returns it untouched when none is set. */
export function applySubsetOptions(split: TrainTestSplit, options: SubsetOptions = {}): TrainTestSplit {
  let { train, test } = split;
  const notes: string[] = [];
  if (options.classes !== undefined) {
    train = train.selectClasses(options.classes);
    test = test.selectClasses(options.classes);
    notes.push(`classes [${options.classes.join(', ')}]`);
  }
  let { trainSize, testSize } = options;
  if (options.limit !== undefined) {
    if (trainSize !== undefined || testSize !== undefined) {
      throw new Error(`limit: give either limit or trainSize/testSize, got limit = ${options.limit} and sizes too`);
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
  return { ...split, train, test, source: `${split.source}; ${notes.join('; ')}` };
}
