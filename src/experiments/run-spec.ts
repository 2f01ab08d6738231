/**
 * A planned run as plain data: everything an executor needs to train one (model, dataset, seed) of a
 * suite — here, in another process or on another machine — and everything a result file is matched on.
 * JSON-serialisable by design (no tensors, no functions): a queue can carry it as a job payload.
 */
import type { DiffMethod } from '../qkc';
import type { LrSchedule } from '../train';
import type { DatasetRef } from './dataset-ref';
import type { SuiteName } from './results';

/** The training settings of one run (what a result file is matched on besides data and architecture). */
export interface RunTraining {
  epochs: number;
  batchSize: number;
  learningRate: number;
  quantumLearningRate: number;
  diffMethod: DiffMethod;
  /** Early-stopping patience in epochs; null: none (the best-validation epoch is selected either way). */
  patience: number | null;
  /** Learning-rate schedule; absent: constant (a model recipe sets it, see plan-rules.ts runTraining). */
  lrSchedule?: LrSchedule;
}

/** The data of one run as planned: how to load it and what loading it gave the planner. */
export interface PlannedData {
  /** Suite dataset name ('mnist' or 'fashion-mnist'). */
  name: string;
  /** How to load it; null when the planner was given data directly (tests): the executor must then be given it too. */
  ref: DatasetRef | null;
  /** Provenance line of the loaded split (a result file records it; the executor checks it loads the same). */
  source: string;
  trainSize: number;
  testSize: number;
  /** Images held out of the training set to validate (0: none). */
  validationSize: number;
  numClasses: number;
  /** [height, width] of the images. */
  imageSize: [number, number];
}

/** One planned run of a suite. */
export interface RunSpec {
  format: 'qkc-run-spec/1';
  /** `<suite>-<dataset>-<model>-s<seed>`: the result file's base name, unique within a suite. */
  id: string;
  suite: SuiteName;
  model: string;
  seed: number;
  data: PlannedData;
  training: RunTraining;
  /** `architectureHash` of the model this run builds (a result with another hash is stale). */
  architecture: string;
  /** Where the executor writes the RunResult (atomically). */
  resultFile: string;
  /** Where the executor also saves the trained model (hybrid runs of suites that keep models), else null/absent. */
  modelDir?: string | null;
  /** The run's checkpoint folder: an interrupted run continues from here. */
  runDir: string;
  /** True when a result file with exactly these settings existed at planning time (nothing to execute). */
  done: boolean;
}
