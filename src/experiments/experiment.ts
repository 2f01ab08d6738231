/**
 * One experiment run: build a named model with a seed, train it on a split with the hybrid trainer
 * (validating on the split's validation part after every epoch and keeping the best-validation weights),
 * test the selected and the last epoch's weights once each and write the `RunResult`. Shared by `qkc train`, `qkc reproduce` and
 * notebooks, so that every number in a results table comes from the same code path.
 *
 * A run directory holds: run.json (what is being run, written first so an interrupted run can still be
 * evaluated), the trainer's checkpoint and metrics.json/csv (every epoch), and at the end result.json
 * and model/ (model.json + weights.bin of the selected weights, loadable with tf.loadLayersModel(fileSystemIO(dir))).
 *
 * The test split is never used during training: without a validation split the run trains without
 * per-epoch validation, tests its last epoch and says so (`final.selection: 'last-epoch'`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../backend';
import { VALIDATION_DEFAULTS, type TrainTestSplit } from '../data';
import { fileSystemIO, type DiffMethod } from '../qkc';
import { evaluateModel, findQuantumLayers, isConstantLr, resolveLrSchedule, train, writeFileAtomic, type LrSchedule, type TrainOptions } from '../train';
import { architectureHash, getModelSpec, parameterSplit, type ModelOptions } from '../models';
import { readFormattedJson } from '../util';
import type { DatasetRef } from './dataset-ref';
import { RUN_RESULT_FORMAT, type RunResult, type SuiteName } from './results';

/** run.json: enough to rebuild the model for `qkc eval` (weights come from the checkpoint). */
export interface RunInfo {
  format: 'qkc-run/1';
  model: string;
  seed: number;
  modelOptions: ModelOptions;
  dataset: { name: string; source: string; trainSize: number; testSize: number; validationSize?: number; ref: DatasetRef | null };
  training: { epochs: number; batchSize: number; learningRate: number; quantumLearningRate: number; diffMethod: DiffMethod; patience?: number | null; lrSchedule?: LrSchedule };
}

/** File names inside a run directory. */
export const RUN_FILES = Object.freeze({ info: 'run.json', result: 'result.json', model: 'model' });

/** What `runExperiment` needs. */
export interface ExperimentOptions {
  /** A name from MODELS. */
  model: string;
  seed: number;
  /** The split to train on (train), validate on and select by after each epoch (validation; none: the last epoch is tested) and test on once at the end (test). */
  data: TrainTestSplit;
  /** How `data` was loaded (stored in run.json for `qkc eval`). */
  dataRef?: DatasetRef | null;
  epochs: number;
  /** Default 32. */
  batchSize?: number;
  /** Adam learning rate of classical weights (default 3e-3). */
  learningRate?: number;
  /** Adam learning rate of quantum weights (default 0.01). */
  quantumLearningRate?: number;
  /** Gradient method of the quantum layers (default 'parameter-shift'). */
  diffMethod?: DiffMethod;
  /** Early stopping after this many epochs without a better validation accuracy (default null: never early; the best epoch is still selected). */
  patience?: number | null;
  /** Learning-rate schedule by epoch (default constant; a non-constant one is recorded in the result). */
  lrSchedule?: LrSchedule;
  /** Also save the trained (selected) model here (model.json + weights.bin), e.g. figures/results/full-official-models/<run id>. */
  modelCopyDir?: string | null;
  /** Run directory (checkpoints, metrics, run.json, result.json, model/); nothing is written without it. */
  runDir?: string | null;
  /** Continue from runDir's checkpoint: true (must exist), 'auto' (if present) or false (default). */
  resume?: boolean | 'auto';
  /** Also write the RunResult to this file (the suite's flat results folder). */
  resultFile?: string | null;
  suite?: SuiteName | null;
  /** Trainer progress output (default 'auto'). */
  progress?: TrainOptions['progress'];
  progressStream?: NodeJS.WritableStream;
  /** What a terminal bar spans (default 'epoch'; the suite uses 'run': one line per run). */
  progressScope?: TrainOptions['progressScope'];
  /** Printed before every progress line. */
  progressLabel?: string;
  signal?: AbortSignal;
  /** Passed to the trainer: after every step, after every epoch (its checkpoint written). */
  onBatchEnd?: TrainOptions['onBatchEnd'];
  onEpochEnd?: TrainOptions['onEpochEnd'];
}

/** Defaults of the training settings (chosen on the embedded split; see the README's results). */
export const EXPERIMENT_DEFAULTS = Object.freeze({ batchSize: 32, learningRate: 3e-3, quantumLearningRate: 0.01, diffMethod: 'parameter-shift' as DiffMethod });

/** Patience that never runs out: selection of the best-validation epoch without early stopping. */
const SELECT_ONLY_PATIENCE = 1_000_000;

/** Result of `runExperiment`: the RunResult, or null when the run was interrupted (resume it later). */
export interface ExperimentOutcome {
  result: RunResult | null;
  /** Epoch the run continued from (0 when fresh). */
  resumedFrom: number;
}

/**
 * The trainer settings that define an experiment's run (everything its config hash covers but the model and
 * data), with the defaults filled in: `runExperiment` trains with them, and tests pin saved runs' hashes with them.
 * With validation data the best-validation epoch is selected (and early stopping applies with `patience`).
 */
export function experimentTrainSettings(
  opts: Pick<ExperimentOptions, 'seed' | 'epochs' | 'batchSize' | 'learningRate' | 'quantumLearningRate' | 'diffMethod' | 'patience' | 'lrSchedule'>,
  hasValidation: boolean,
): TrainOptions {
  const patience = opts.patience ?? null;
  return {
    earlyStopping: hasValidation ? { monitor: 'val_accuracy', patience: patience ?? SELECT_ONLY_PATIENCE, restoreBest: true } : false,
    epochs: opts.epochs, batchSize: opts.batchSize ?? EXPERIMENT_DEFAULTS.batchSize, learningRate: opts.learningRate ?? EXPERIMENT_DEFAULTS.learningRate,
    quantumLearningRate: opts.quantumLearningRate ?? EXPERIMENT_DEFAULTS.quantumLearningRate, diffMethod: opts.diffMethod ?? EXPERIMENT_DEFAULTS.diffMethod,
    seed: opts.seed, lrSchedule: resolveLrSchedule(opts.lrSchedule),
  };
}

/** Runs `fn` with `weights` in the model, then puts the model's own weights back. */
export function evaluateWith<T>(model: tf.LayersModel, weights: tf.Tensor[], fn: () => T): T {
  // Plain assign (as the trainer does): no constraint is re-applied, so the weights come back bit for bit.
  const assign = (values: tf.Tensor[]): void => model.weights.forEach((w, i) => (w.read() as tf.Variable).assign(values[i]));
  const own = model.weights.map((w) => tf.clone(w.read()));
  try {
    assign(weights);
    return fn();
  } finally {
    assign(own);
    own.forEach((t) => t.dispose());
  }
}

function qkcVersion(): string {
  try {
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Writes run.json, refusing to overwrite a different run's description when resuming. */
async function writeRunInfo(dir: string, info: RunInfo, resume: boolean | 'auto'): Promise<void> {
  const file = path.join(dir, RUN_FILES.info);
  if (resume !== false && fs.existsSync(file)) {
    const old = readFormattedJson<RunInfo>(file, 'qkc-run/1');
    const same = old.model === info.model && old.seed === info.seed && JSON.stringify(old.modelOptions) === JSON.stringify(info.modelOptions);
    if (!same) {
      throw new Error(`resume: '${dir}' holds a run of model '${old.model}' seed ${old.seed}, not '${info.model}' seed ${info.seed}; use another --out or start fresh`);
    }
  }
  await writeFileAtomic(file, JSON.stringify(info, null, 2) + '\n');
}

/** Builds, trains, evaluates and records one run; see the file comment for what lands in `runDir`. */
export async function runExperiment(opts: ExperimentOptions): Promise<ExperimentOutcome> {
  const spec = getModelSpec(opts.model);
  const { data } = opts;
  const batchSize = opts.batchSize ?? EXPERIMENT_DEFAULTS.batchSize;
  const learningRate = opts.learningRate ?? EXPERIMENT_DEFAULTS.learningRate;
  const quantumLearningRate = opts.quantumLearningRate ?? EXPERIMENT_DEFAULTS.quantumLearningRate;
  const diffMethod = opts.diffMethod ?? EXPERIMENT_DEFAULTS.diffMethod;
  const patience = opts.patience ?? null;
  if (patience !== null && (!Number.isInteger(patience) || patience < 1)) throw new Error(`patience: expected a positive integer or null, got ${patience}`);
  const lrSchedule = resolveLrSchedule(opts.lrSchedule);
  // Only a schedule that does something is written down: results and run.json of constant-rate runs stay as they were.
  const schedule = isConstantLr(lrSchedule) ? {} : { lrSchedule };
  const validation = data.validation ?? null;
  const runDir = opts.runDir ?? null;
  const resume = opts.resume ?? false;
  // channels only when not 1, so run.json of grayscale runs stays as before (resume compares it).
  const modelOptions: ModelOptions = { numClasses: data.train.numClasses, imageSize: [data.train.height, data.train.width], ...(data.train.channels !== 1 ? { channels: data.train.channels } : {}) };
  const model = spec.builder(opts.seed, { ...modelOptions, diffMethod });
  try {
    if (runDir) {
      await writeRunInfo(runDir, {
        format: 'qkc-run/1', model: spec.name, seed: opts.seed, modelOptions,
        dataset: { name: data.name, source: data.source, trainSize: data.train.size, testSize: data.test.size, validationSize: validation?.size ?? 0, ref: opts.dataRef ?? null },
        training: { epochs: opts.epochs, batchSize, learningRate, quantumLearningRate, diffMethod, patience, ...schedule },
      }, resume);
    }
    // Model selection on validation accuracy: the trainer keeps the best epoch's weights (in memory and in the
    // checkpoint, so a resumed run keeps them) and puts them back at the end; the last epoch's come back too.
    const run = await train(model, validation ? { train: data.train, validation } : { train: data.train }, {
      ...experimentTrainSettings(opts, validation !== null), keepLastWeights: true,
      outDir: runDir ?? undefined, resume: runDir ? resume : false,
      progress: opts.progress ?? 'auto', progressStream: opts.progressStream, progressScope: opts.progressScope, progressLabel: opts.progressLabel,
      signal: opts.signal, onBatchEnd: opts.onBatchEnd, onEpochEnd: opts.onEpochEnd,
    });
    if (run.interrupted) return { result: null, resumedFrom: run.resumedFrom };
    const evalBatch = { batchSize: Math.max(256, batchSize) };
    const evaluation = evaluateModel(model, data.test, evalBatch);
    const history = run.history;
    const last = history[history.length - 1];
    const selectedEpoch = run.restoredBestEpoch ?? history.length;
    const lastEvaluation = run.lastWeights && selectedEpoch !== history.length ? evaluateWith(model, run.lastWeights, () => evaluateModel(model, data.test, evalBatch)) : evaluation;
    run.lastWeights?.forEach((t) => t.dispose());
    const validationSeed = opts.dataRef?.subset.validationSeed ?? VALIDATION_DEFAULTS.seed;
    const trainTimeS = history.reduce((a, h) => a + h.epoch_time_s, 0);
    const trainCircuits = history.reduce((a, h) => a + h.circuit_executions, 0);
    const testPass = findQuantumLayers(model).reduce((a, l) => a + (l.circuitExecutions?.(data.test.size, 'forward') ?? 0), 0);
    const result: RunResult = {
      format: RUN_RESULT_FORMAT,
      id: `${data.name}-${spec.name}-s${opts.seed}`,
      suite: opts.suite ?? null,
      model: { name: spec.name, family: spec.family, description: spec.describe(modelOptions), controls: spec.controls ?? null, architecture: architectureHash(model) },
      parameters: parameterSplit(model),
      dataset: {
        name: data.name, source: data.source, trainSize: data.train.size, testSize: data.test.size, numClasses: data.train.numClasses,
        validation: validation ? { size: validation.size, seed: validationSeed } : null,
      },
      training: { seed: opts.seed, epochs: opts.epochs, batchSize, learningRate, quantumLearningRate, diffMethod, configHash: run.configHash, patience, ...schedule },
      history,
      final: {
        selection: validation ? 'best-validation' : 'last-epoch',
        selectedEpoch,
        bestValidationAccuracy: validation ? history[selectedEpoch - 1]?.val_accuracy ?? null : null,
        stoppedEarly: run.stoppedEarly,
        testAccuracy: evaluation.accuracy,
        testLoss: evaluation.loss,
        lastEpochTestAccuracy: lastEvaluation.accuracy,
        lastEpochTestLoss: lastEvaluation.loss,
        trainAccuracy: last ? last.accuracy : NaN,
        trainLoss: last ? last.loss : NaN,
        perClassAccuracy: evaluation.perClassAccuracy.map((a) => (Number.isNaN(a) ? null : a)),
        confusion: evaluation.confusion,
      },
      timing: {
        meanEpochTimeS: history.length ? trainTimeS / history.length : 0, trainTimeS,
        evalTimeS: evaluation.seconds + (lastEvaluation === evaluation ? 0 : lastEvaluation.seconds),
        imagesPerS: trainTimeS > 0 ? (data.train.size * history.length) / trainTimeS : NaN,
      },
      circuitExecutions: { perEpoch: history.length ? trainCircuits / history.length : 0, train: trainCircuits, testPass },
      environment: { backend: tf.getBackend(), qkcVersion: qkcVersion(), node: process.version, createdAt: new Date().toISOString() },
    };
    const json = JSON.stringify(result, null, 2) + '\n';
    if (runDir) {
      await model.save(fileSystemIO(path.join(runDir, RUN_FILES.model)));
      await writeFileAtomic(path.join(runDir, RUN_FILES.result), json);
    }
    if (opts.modelCopyDir) await model.save(fileSystemIO(opts.modelCopyDir));
    if (opts.resultFile) await writeFileAtomic(opts.resultFile, json);
    return { result, resumedFrom: run.resumedFrom };
  } finally {
    model.dispose();
  }
}
