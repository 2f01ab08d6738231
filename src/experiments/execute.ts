/**
 * Executing one planned run: load (or take) its data, check it is the data and the model the plan saw,
 * train with resume from the run's checkpoint folder, and write the RunResult file atomically.
 */
import type { TrainTestSplit } from '../data';
import type { TrainOptions } from '../train';
import { openDataset } from './dataset-ref';
import { runExperiment } from './experiment';
import { plannedArchitecture, plannedData } from './plan';
import type { RunResult } from './results';
import type { RunSpec } from './run-spec';

/** How an executor runs a spec. */
export interface ExecuteOptions {
  /** The loaded split, when the caller holds it already; default: loaded from `spec.data.ref`. */
  data?: TrainTestSplit;
  /** Trainer progress (default 'none'). */
  progress?: TrainOptions['progress'];
  progressStream?: NodeJS.WritableStream;
  /** Printed before every progress line (default: the spec's id). On a terminal the run shows one bar line (epoch, rate, ETA). */
  progressLabel?: string;
  /** Stops training at the next batch; the run resumes from its last checkpoint when executed again. */
  signal?: AbortSignal;
  /** The trainer's per-step and per-epoch callbacks (worker processes report progress and yield with them). */
  onBatchEnd?: TrainOptions['onBatchEnd'];
  onEpochEnd?: TrainOptions['onEpochEnd'];
}

/** A run stopped before its last epoch (interrupted); executing the same spec again resumes it. */
export class RunInterruptedError extends Error {
  constructor(readonly spec: RunSpec) {
    super(`${spec.data.name} ${spec.model} seed ${spec.seed}: the run stopped before its last epoch; run the command again to resume`);
    this.name = 'RunInterruptedError';
  }
}

/** The split of `spec`, checked against what the planner loaded (another machine may hold other files). */
function specData(spec: RunSpec, given: TrainTestSplit | undefined): TrainTestSplit {
  if (!given && !spec.data.ref) throw new Error(`${spec.id}: the plan was given its data directly (data.ref is null); pass executeRun(spec, { data })`);
  const data = given ?? openDataset(spec.data.ref!);
  const got = plannedData(spec.data.name, data, spec.data.ref);
  for (const k of ['source', 'trainSize', 'testSize', 'validationSize', 'numClasses'] as const) {
    if (got[k] !== spec.data[k]) throw new Error(`${spec.id}: data ${k} is ${JSON.stringify(got[k])} here, the plan has ${JSON.stringify(spec.data[k])}`);
  }
  if (got.imageSize.join('×') !== spec.data.imageSize.join('×')) {
    throw new Error(`${spec.id}: images are ${got.imageSize.join('×')} here, the plan has ${spec.data.imageSize.join('×')}`);
  }
  return data;
}

/** Trains and evaluates one planned run and writes `spec.resultFile`; resolves to its RunResult. */
export async function executeRun(spec: RunSpec, options: ExecuteOptions = {}): Promise<RunResult> {
  if (spec?.format !== 'qkc-run-spec/1') throw new Error(`executeRun(spec): expected a 'qkc-run-spec/1' record, got ${JSON.stringify(spec?.format)}`);
  const data = specData(spec, options.data);
  const architecture = plannedArchitecture(spec.model, spec.seed, spec.data);
  if (architecture !== spec.architecture) {
    throw new Error(`${spec.id}: model '${spec.model}' builds architecture ${architecture} here, the plan has ${spec.architecture} (planned by another version of the model zoo)`);
  }
  const t = spec.training;
  const { result } = await runExperiment({
    model: spec.model, seed: spec.seed, data, dataRef: spec.data.ref, epochs: t.epochs, batchSize: t.batchSize,
    learningRate: t.learningRate, quantumLearningRate: t.quantumLearningRate, diffMethod: t.diffMethod, patience: t.patience ?? null, lrSchedule: t.lrSchedule,
    modelCopyDir: spec.modelDir ?? null, runDir: spec.runDir, resume: 'auto', resultFile: spec.resultFile, suite: spec.suite,
    progress: options.progress ?? 'none', progressStream: options.progressStream, progressScope: 'run',
    progressLabel: options.progressLabel ?? spec.id, signal: options.signal, onBatchEnd: options.onBatchEnd, onEpochEnd: options.onEpochEnd,
  });
  if (!result) throw new RunInterruptedError(spec);
  return result;
}
