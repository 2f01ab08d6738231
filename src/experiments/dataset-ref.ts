/**
 * A dataset reference: how a run's data is loaded, stored in run.json so that `qkc eval` (or a notebook)
 * evaluates on exactly the split the run was trained and tested on.
 */
import { loadDataset, type SubsetOptions, type TrainTestSplit } from '../data';

/** What to load. */
export interface DatasetRef {
  /** 'mnist' or 'mnist-embedded' (the embedded 8,000/2,000 split), 'mnist-official', 'fashion-mnist' or a directory of IDX files. */
  dataset: string;
  /** Classes and stratified subset sizes. */
  subset: SubsetOptions;
  /** A data directory searched first (holds <name>/ folders). */
  dataDir?: string;
}

/** Loads the split a reference names (errors from src/data name the dataset and where it looked). */
export function openDataset(ref: DatasetRef): TrainTestSplit {
  return loadDataset(ref.dataset, { ...ref.subset, ...(ref.dataDir ? { dataDir: ref.dataDir } : {}) });
}
