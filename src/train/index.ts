/** Hybrid trainer: custom Adam loop for tf.LayersModel with quantum layers, checkpoints, metrics, progress. */
export { train, Trainer } from './trainer';
export type { TrainResult } from './trainer';
export type { TrainOptions, TrainData, LabeledData, TensorData, BatchSource, BatchInfo, TrainControl, EarlyStoppingOptions } from './options';
export { isQuantumLayer, findQuantumLayers, QUANTUM_DIFF_METHODS } from './quantum-layer';
export type { QuantumLayerLike, QuantumDiffMethod, CircuitPass } from './quantum-layer';
export { Adam, ADAM_DEFAULTS } from './optimizer';
export { lrFactor, resolveLrSchedule, describeLrSchedule, isConstantLr, CONSTANT_LR, LR_SCHEDULE_KINDS } from './lr-schedule';
export type { LrSchedule } from './lr-schedule';
export type { AdamConfig, AdamState, ParamGroup } from './optimizer';
export type { OutputKind } from './loss';
export { evaluateModel } from './evaluate';
export type { Evaluation } from './evaluate';
export { metricsToCsv, metricsDataFrame, METRIC_COLUMNS, METRICS_JSON, METRICS_CSV } from './metrics';
export type { EpochRecord, MetricsFile } from './metrics';
export type { ProgressScope } from './options';
export { loadCheckpoint, CHECKPOINT_FILE } from './checkpoint';
export type { Checkpoint, CheckpointMeta, CheckpointTensor } from './checkpoint';
export type { RunConfig } from './fingerprint';
/** Atomic file writes (temp file + fsync + rename), shared with viz and the experiment runner. */
export { writeFileAtomic } from '../util/atomic';
