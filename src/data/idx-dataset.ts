/**
 * A directory of the four standard IDX files (train/t10k × images/labels, raw or .gz) as a train/test
 * split: the files' own official split (60,000 / 10,000 for MNIST and Fashion-MNIST), in file order.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readIdxImages, readIdxLabels } from './idx';
import { ImageDataset, TrainTestSplit } from './image-dataset';
import { applySubsetOptions, SubsetOptions } from './subset-options';
import { DatasetError } from './errors';

/** The four files of an IDX dataset, by role. */
export interface IdxFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

/** Standard base names; each may also appear with '.' before 'idx' (a common rename) and/or a '.gz' suffix. */
export const IDX_FILE_NAMES: Readonly<IdxFiles> = Object.freeze({
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
});

function candidates(base: string): string[] {
  const dotted = base.replace('-idx', '.idx');
  return [base, `${base}.gz`, dotted, `${dotted}.gz`];
}

/**
 * Locates the four IDX files in `dir`. Returns undefined when none is there; throws when only some are,
 * listing what is missing (a half-copied dataset should not be silently skipped).
 */
export function findIdxFiles(dir: string): IdxFiles | undefined {
  const found: Partial<IdxFiles> = {};
  const missing: string[] = [];
  for (const [role, base] of Object.entries(IDX_FILE_NAMES) as [keyof IdxFiles, string][]) {
    const hit = candidates(base).find((name) => fs.existsSync(path.join(dir, name)));
    if (hit) found[role] = path.join(dir, hit);
    else missing.push(`${base}[.gz]`);
  }
  if (missing.length === 4) return undefined;
  if (missing.length > 0) {
    throw new Error(`${dir}: incomplete IDX dataset: missing ${missing.join(', ')}`);
  }
  return found as IdxFiles;
}

/** Options of `loadIdxDataset`. */
export interface IdxLoadOptions extends SubsetOptions {
  /** Dataset name for messages and results (default: the directory's base name). */
  name?: string;
  /** Class names; their count is the number of classes (default '0' … max label). */
  classNames?: readonly string[];
  /** Required image size [rows, cols] (e.g. [28, 28]); default: any, but train and test must agree. */
  imageSize?: readonly [number, number];
}

function readPart(imagesFile: string, labelsFile: string, imageSize?: readonly [number, number]) {
  const images = readIdxImages(imagesFile, imageSize);
  const labels = readIdxLabels(labelsFile);
  if (labels.length !== images.count) {
    throw new Error(
      `count mismatch: ${imagesFile} has ${images.count} images but ${labelsFile} has ${labels.length} labels`,
    );
  }
  return { images, labels };
}

function maxOf(labels: Uint8Array): number {
  let m = 0;
  for (let i = 0; i < labels.length; i++) m = Math.max(m, labels[i]);
  return m;
}

/** Every label must name one of the `numClasses` declared (or, undeclared, training) classes. */
function checkLabels(labels: Uint8Array, numClasses: number, file: string, name: string, declared: boolean): void {
  const i = labels.findIndex((l) => l >= numClasses);
  if (i < 0) return;
  const what = declared ? `the ${numClasses} declared classes of ${name}` : `the classes 0…${numClasses - 1} of the training labels`;
  throw new DatasetError(file, `labels in [0, ${numClasses - 1}] (${what})`, `label ${labels[i]} at position ${i}`);
}

/** Loads the official train/test split from a directory of IDX files, optionally narrowed by `SubsetOptions`. */
export function loadIdxDataset(dir: string, options: IdxLoadOptions = {}): TrainTestSplit {
  const files = findIdxFiles(dir);
  if (!files) {
    throw new Error(
      `${dir}: no IDX dataset found: expected ${Object.values(IDX_FILE_NAMES).join(', ')} (each raw or .gz)`,
    );
  }
  const name = options.name ?? path.basename(path.resolve(dir));
  const train = readPart(files.trainImages, files.trainLabels, options.imageSize);
  const test = readPart(files.testImages, files.testLabels, options.imageSize);
  const shape = (p: typeof train) => `${p.images.rows}×${p.images.cols}${p.images.channels > 1 ? `×${p.images.channels}` : ''}`;
  if (shape(train) !== shape(test)) {
    throw new Error(`image size mismatch: ${files.trainImages} has ${shape(train)} images, ${files.testImages} has ${shape(test)}`);
  }
  const numClasses = options.classNames?.length ?? maxOf(train.labels) + 1;
  checkLabels(train.labels, numClasses, files.trainLabels, name, options.classNames !== undefined);
  checkLabels(test.labels, numClasses, files.testLabels, name, options.classNames !== undefined);
  if (!options.classNames) {
    // Undeclared classes are the training labels 0…max; a test label beyond them could never be predicted.
    const seen = new Set(train.labels);
    const i = test.labels.findIndex((l) => !seen.has(l));
    if (i >= 0) {
      throw new DatasetError(files.testLabels, `labels that occur in the training labels (${files.trainLabels})`, `label ${test.labels[i]} at position ${i}`);
    }
  }
  const make = (part: typeof train, which: string) =>
    new ImageDataset({
      images: part.images.pixels,
      labels: part.labels,
      height: part.images.rows,
      width: part.images.cols,
      channels: part.images.channels,
      numClasses,
      classNames: options.classNames,
      name: `${name}/${which}`,
    });
  const split: TrainTestSplit = {
    name,
    train: make(train, 'train'),
    test: make(test, 'test'),
    source: `IDX files in ${path.resolve(dir)} (official split ${train.labels.length}/${test.labels.length})`,
  };
  return applySubsetOptions(split, options);
}
