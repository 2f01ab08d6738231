/**
 * A directory of the four standard IDX files (train/t10k × images/labels, raw or .gz) as a train/test
 * split: the files' own official split (60,000 / 10,000 for MNIST and Fashion-MNIST), in file order.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readIdxImages, readIdxLabels } from './idx';
import { ImageDataset, TrainTestSplit } from './image-dataset';
import { applySubsetOptions, SubsetOptions } from './subset-options';

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
  if (train.images.rows !== test.images.rows || train.images.cols !== test.images.cols) {
    throw new Error(
      `image size mismatch: ${files.trainImages} has ${train.images.rows}×${train.images.cols} images, ` +
        `${files.testImages} has ${test.images.rows}×${test.images.cols}`,
    );
  }
  let maxLabel = 0;
  for (const l of [train.labels, test.labels]) for (let i = 0; i < l.length; i++) maxLabel = Math.max(maxLabel, l[i]);
  const numClasses = options.classNames?.length ?? maxLabel + 1;
  if (maxLabel >= numClasses) {
    const file = train.labels.includes(maxLabel) ? files.trainLabels : files.testLabels;
    throw new Error(`${file}: expected labels in [0, ${numClasses - 1}] for ${name}, got ${maxLabel}`);
  }
  const make = (part: typeof train, which: string) =>
    new ImageDataset({
      images: part.images.pixels,
      labels: part.labels,
      height: part.images.rows,
      width: part.images.cols,
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
