/**
 * The trainer's options: types, defaults and validation. Every option is checked up front so that a bad
 * value fails with a message naming it before any training work starts; unknown option names are errors
 * too, because a misspelt option silently ignored would change a run without anyone noticing.
 */
import { tf } from '../backend';
import { ADAM_DEFAULTS, type AdamConfig } from './optimizer';
import { OUTPUT_KINDS, type OutputKind } from './loss';
import { QUANTUM_DIFF_METHODS, type QuantumDiffMethod } from './quantum-layer';
import type { EpochRecord } from './epoch-record';
import { resolveLrSchedule, type LrSchedule } from './lr-schedule';
import { checkOptionKeys, oneOf as oneOfArg, positiveInt as intArg, positiveNumber as numberArg } from '../util/validate';

// The shared validators take (value, name); these keep this file's (name, value) reading order.
const positiveInt = (name: string, v: unknown): number => intArg(v, name);
const positiveNumber = (name: string, v: unknown): number => numberArg(v, name);
const oneOf = <T extends string>(name: string, v: unknown, allowed: readonly T[]): T => oneOfArg(v, allowed, name);

/** What a terminal progress bar spans: one epoch (leaving the epoch line) or the whole run (one line, cleared at the end). */
export type ProgressScope = 'epoch' | 'run';

/** Inputs and integer class labels of one split, as tensors. */
export interface TensorData {
  /** Inputs, first axis = samples; the rest must match the model's input shape. */
  x: tf.Tensor;
  /** Class labels 0 … C−1, one per sample (int tensor [N] or numbers). */
  y: tf.Tensor | ArrayLike<number>;
}

/**
 * A split that builds input tensors per batch (src/data's ImageDataset fits): `tensorsAt(positions,
 * { oneHot: false })` must return inputs `xs` matching the model's input shape (`ys` is disposed unused).
 */
export interface BatchSource {
  readonly size: number;
  /** Class labels 0 … C−1. */
  readonly labels: ArrayLike<number>;
  tensorsAt(positions: ArrayLike<number>, options?: { oneHot?: boolean }): { xs: tf.Tensor; ys: tf.Tensor };
}

/** One split: tensors or a batch source. */
export type LabeledData = TensorData | BatchSource;

/** What `train` learns from and validates on. */
export interface TrainData {
  train: LabeledData;
  /** Evaluated after every epoch (val_loss, val_accuracy); optional. */
  validation?: LabeledData;
}

/** Passed to `onBatchEnd` after every training step. */
export interface BatchInfo {
  /** 1-based epoch. */
  epoch: number;
  /** 0-based batch index within the epoch. */
  batch: number;
  batches: number;
  /** Samples in this batch. */
  size: number;
  /** Mean loss and accuracy of this batch (training mode, before the update). */
  loss: number;
  accuracy: number;
}

/** Lets a callback stop the run; a stopped run is resumable (it counts as interrupted, not finished). */
export interface TrainControl {
  /** From onBatchEnd: abandon the current epoch (its partial updates are not checkpointed). From onEpochEnd: stop after this epoch. */
  stop(): void;
}

/** Early stopping: stop after `patience` (≥ 1) epochs in a row without an improvement of `monitor` by more than `minDelta`. */
export interface EarlyStoppingOptions {
  /** Default 'val_loss' (needs validation data). */
  monitor?: 'val_loss' | 'val_accuracy' | 'loss' | 'accuracy';
  patience: number;
  /** Default 0. */
  minDelta?: number;
  /** Put the best epoch's weights back when the run finishes (patience or epochs ran out; not on interruption). Default true. */
  restoreBest?: boolean;
}

/** Options of `train`; everything but `epochs` has a default. */
export interface TrainOptions {
  /** Number of epochs (default 1). */
  epochs?: number;
  /** Training batch size (default 32). */
  batchSize?: number;
  /** Batch size for validation passes (default max(batchSize, 256)). */
  validationBatchSize?: number;
  /** Adam learning rate for classical weights (default 1e-3). */
  learningRate?: number;
  /** Adam learning rate for weights of quantum layers (default: learningRate). */
  quantumLearningRate?: number;
  /** Adam hyper-parameters (defaults 0.9, 0.999, 1e-7). */
  adam?: Partial<AdamConfig>;
  /** Learning-rate schedule by epoch, applied to every parameter group (default constant; see lr-schedule.ts). */
  lrSchedule?: LrSchedule;
  /** Seed for shuffling and in-step randomness (dropout, shots): integer 0 ≤ seed < 2^32, default 0. */
  seed?: number;
  /** Shuffle the training set each epoch (default true). */
  shuffle?: boolean;
  /** Gradient method set on every quantum layer before training (default 'parameter-shift'). */
  diffMethod?: QuantumDiffMethod;
  /** How the model's output is read by the loss (default 'auto': softmax output layer → probabilities). */
  outputs?: OutputKind | 'auto';
  /** Early stopping; off when absent or false. */
  earlyStopping?: EarlyStoppingOptions | false;
  /**
   * When early stopping puts the best epoch's weights back, also return the last epoch's weights
   * (`TrainResult.lastWeights`, tensors the caller disposes), so both can be tested. Default false.
   */
  keepLastWeights?: boolean;
  /** Directory for checkpoint and metrics files; nothing is written without it. */
  outDir?: string;
  /** true: continue from outDir's checkpoint (error if none); 'auto': continue if present; false (default): start fresh. */
  resume?: boolean | 'auto';
  /** 'auto' (default): bar on a TTY, per-epoch lines otherwise; or force one, or 'none'. */
  progress?: 'auto' | 'bar' | 'lines' | 'none';
  /** Where progress goes (default: stderr for the bar; stdout in notebooks, stderr elsewhere for lines). */
  progressStream?: NodeJS.WritableStream;
  /** 'epoch' (default): a bar per epoch; 'run': one bar line for the whole run (epoch, rate, ETA), cleared at the end. */
  progressScope?: ProgressScope;
  /** Printed before every progress line (e.g. which run of a suite this is). */
  progressLabel?: string;
  /** Called after every training step. */
  onBatchEnd?: (info: BatchInfo, control: TrainControl) => void | Promise<void>;
  /** Called after every epoch, once its checkpoint and metrics are written. */
  onEpochEnd?: (record: EpochRecord, control: TrainControl) => void | Promise<void>;
  /** Aborting it stops the run like `control.stop()` from onBatchEnd. */
  signal?: AbortSignal;
}

/** Options after defaults and validation. */
export interface ResolvedOptions {
  epochs: number;
  batchSize: number;
  validationBatchSize: number;
  learningRate: number;
  quantumLearningRate: number;
  adam: AdamConfig;
  lrSchedule: LrSchedule;
  seed: number;
  shuffle: boolean;
  diffMethod: QuantumDiffMethod;
  outputs: OutputKind | 'auto';
  earlyStopping: Required<EarlyStoppingOptions> | null;
  keepLastWeights: boolean;
  outDir: string | null;
  resume: boolean | 'auto';
  progress: 'auto' | 'bar' | 'lines' | 'none';
  progressStream: NodeJS.WritableStream | null;
  progressScope: ProgressScope;
  progressLabel: string | null;
  onBatchEnd: TrainOptions['onBatchEnd'] | null;
  onEpochEnd: TrainOptions['onEpochEnd'] | null;
  signal: AbortSignal | null;
}

const KNOWN: readonly (keyof TrainOptions)[] = [
  'epochs', 'batchSize', 'validationBatchSize', 'learningRate', 'quantumLearningRate', 'adam', 'lrSchedule', 'seed', 'shuffle',
  'diffMethod', 'outputs', 'earlyStopping', 'keepLastWeights', 'outDir', 'resume', 'progress', 'progressStream', 'progressScope', 'progressLabel', 'onBatchEnd',
  'onEpochEnd', 'signal',
];

function resolveAdam(adam: Partial<AdamConfig> | undefined): AdamConfig {
  if (adam == null) return { ...ADAM_DEFAULTS };
  checkOptionKeys(adam, ['beta1', 'beta2', 'epsilon'], 'adam');
  const out = { ...ADAM_DEFAULTS, ...adam };
  for (const k of ['beta1', 'beta2'] as const) {
    if (typeof out[k] !== 'number' || !(out[k] >= 0 && out[k] < 1)) throw new Error(`adam.${k}: expected a number in [0, 1), got ${String(out[k])}`);
  }
  positiveNumber('adam.epsilon', out.epsilon);
  return out;
}

function resolveEarlyStopping(es: TrainOptions['earlyStopping']): Required<EarlyStoppingOptions> | null {
  if (es == null || es === false) return null;
  if (typeof es !== 'object') throw new Error(`earlyStopping: expected an object { patience, monitor?, minDelta?, restoreBest? } or false, got ${String(es)}`);
  checkOptionKeys(es, ['monitor', 'patience', 'minDelta', 'restoreBest'], 'earlyStopping');
  const minDelta = es.minDelta ?? 0;
  if (typeof minDelta !== 'number' || !Number.isFinite(minDelta) || minDelta < 0) {
    throw new Error(`earlyStopping.minDelta: expected a finite number ≥ 0, got ${String(minDelta)}`);
  }
  const restoreBest = es.restoreBest ?? true;
  if (typeof restoreBest !== 'boolean') throw new Error(`earlyStopping.restoreBest: expected a boolean, got ${String(restoreBest)}`);
  return {
    monitor: oneOf('earlyStopping.monitor', es.monitor ?? 'val_loss', ['val_loss', 'val_accuracy', 'loss', 'accuracy']),
    patience: positiveInt('earlyStopping.patience', es.patience),
    minDelta,
    restoreBest,
  };
}

function isCallbackOrNull<F>(name: string, f: F | undefined): F | null {
  if (f == null) return null;
  if (typeof f !== 'function') throw new Error(`${name}: expected a function, got ${typeof f}`);
  return f;
}

/** Fills defaults and checks every option, throwing an Error that names the offending option. */
export function resolveOptions(options: TrainOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new Error(`options: expected an object, got ${String(options)}`);
  checkOptionKeys(options, KNOWN, 'options');
  const batchSize = positiveInt('batchSize', options.batchSize ?? 32);
  const learningRate = positiveNumber('learningRate', options.learningRate ?? 1e-3);
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`seed: expected an integer 0 ≤ seed < 2^32, got ${String(seed)}`);
  }
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw new Error(`shuffle: expected a boolean, got ${String(shuffle)}`);
  const keepLastWeights = options.keepLastWeights ?? false;
  if (typeof keepLastWeights !== 'boolean') throw new Error(`keepLastWeights: expected a boolean, got ${String(keepLastWeights)}`);
  const resume = options.resume ?? false;
  if (resume !== true && resume !== false && resume !== 'auto') throw new Error(`resume: expected true, false or 'auto', got ${JSON.stringify(resume)}`);
  const outDir = options.outDir ?? null;
  if (outDir !== null && (typeof outDir !== 'string' || outDir === '')) throw new Error(`outDir: expected a non-empty path string, got ${JSON.stringify(outDir)}`);
  if (resume !== false && outDir === null) throw new Error(`resume: needs outDir (the directory holding the checkpoint)`);
  const stream = options.progressStream ?? null;
  if (stream !== null && typeof (stream as { write?: unknown }).write !== 'function') throw new Error('progressStream: expected a writable stream');
  const label = options.progressLabel ?? null;
  if (label !== null && typeof label !== 'string') throw new Error(`progressLabel: expected a string, got ${String(label)}`);
  const signal = options.signal ?? null;
  if (signal !== null && typeof (signal as { aborted?: unknown }).aborted !== 'boolean') throw new Error('signal: expected an AbortSignal');
  return {
    epochs: positiveInt('epochs', options.epochs ?? 1),
    batchSize,
    validationBatchSize: positiveInt('validationBatchSize', options.validationBatchSize ?? Math.max(batchSize, 256)),
    learningRate,
    quantumLearningRate: positiveNumber('quantumLearningRate', options.quantumLearningRate ?? learningRate),
    adam: resolveAdam(options.adam),
    lrSchedule: resolveLrSchedule(options.lrSchedule),
    seed,
    shuffle,
    diffMethod: oneOf('diffMethod', options.diffMethod ?? 'parameter-shift', QUANTUM_DIFF_METHODS),
    outputs: oneOf('outputs', options.outputs ?? 'auto', OUTPUT_KINDS),
    earlyStopping: resolveEarlyStopping(options.earlyStopping),
    keepLastWeights,
    outDir,
    resume,
    progress: oneOf('progress', options.progress ?? 'auto', ['auto', 'bar', 'lines', 'none']),
    progressStream: stream,
    progressScope: oneOf('progressScope', options.progressScope ?? 'epoch', ['epoch', 'run']),
    progressLabel: label,
    onBatchEnd: isCallbackOrNull('onBatchEnd', options.onBatchEnd),
    onEpochEnd: isCallbackOrNull('onEpochEnd', options.onEpochEnd),
    signal,
  };
}
