/**
 * Planning a suite: load each dataset once (or record why it is skipped), then one RunSpec per
 * (dataset, seed, model) in run order, each marked done when a saved result file matches it exactly.
 */
import * as fs from 'fs';
import * as path from 'path';
import { locateDataset, type TrainTestSplit } from '../data';
import { architectureHash, getModelSpec } from '../models';
import { openDataset } from './dataset-ref';
import { modelsDirName, resultFileName, resultMatches, runDirName, runOrder, runTraining, suiteDataRef } from './plan-rules';
import type { ResultsSummary } from './results';
import type { PlannedData, RunSpec, RunTraining } from './run-spec';
import { readResultFile } from './saved-results';
import { checkSuiteSettings, type SuiteDataset, type SuiteSettings } from './suites';

/** Loads a suite dataset, or says why it is skipped. */
export type SuiteDataLoader = (d: SuiteDataset) => TrainTestSplit | { skip: string };

/** Where a plan's runs write, and how data is loaded. */
export interface PlanOptions {
  /** Result files and summaries (e.g. figures/results). */
  outDir: string;
  /** Per-run checkpoint folders (the CLI uses runs/reproduce). */
  runsDir: string;
  /** Replaces dataset loading (tests); the plan's data refs are then null. */
  loadData?: SuiteDataLoader;
}

/** A dataset the plan loaded, with the training its runs get (the suite's; a model's recipe may change it: plan-rules.ts runTraining). */
export interface PlannedDataset {
  data: PlannedData;
  training: RunTraining;
}

/** A suite's plan: plain data (JSON-serialisable), the input of executors and of the summary step. */
export interface SuitePlan {
  format: 'qkc-suite-plan/1';
  settings: SuiteSettings;
  outDir: string;
  /** Every run of every loaded dataset, in run order; `done` ones need no executor. */
  runs: RunSpec[];
  /** The loaded datasets. */
  datasets: PlannedDataset[];
  /** Datasets not run, with the reason (e.g. Fashion-MNIST files absent). */
  skipped: ResultsSummary['skipped'];
}

/** The default loader: embedded MNIST always; Fashion-MNIST only when its files are found. */
export function loadSuiteData(d: SuiteDataset): TrainTestSplit | { skip: string } {
  if (d.name === 'fashion-mnist' && !locateDataset('fashion-mnist')) {
    return { skip: "Fashion-MNIST IDX files not found (get them with 'qkc data download fashion-mnist' or 'apt install dataset-fashion-mnist')" };
  }
  return openDataset(suiteDataRef(d));
}

/** What a loaded split gave: the facts a result file records and an executor checks. */
export function plannedData(name: string, split: TrainTestSplit, ref: PlannedData['ref']): PlannedData {
  return {
    name, ref, source: split.source, trainSize: split.train.size, testSize: split.test.size, validationSize: split.validation?.size ?? 0,
    numClasses: split.train.numClasses, imageSize: [split.train.height, split.train.width],
  };
}

/** The architecture hash of the model `model` with `seed` builds for this data (cheap: building is milliseconds). */
export function plannedArchitecture(model: string, seed: number, data: Pick<PlannedData, 'numClasses' | 'imageSize'>): string {
  const m = getModelSpec(model).builder(seed, { numClasses: data.numClasses, imageSize: [...data.imageSize] });
  try {
    return architectureHash(m);
  } finally {
    m.dispose();
  }
}

/** The RunSpecs of one loaded dataset, in run order. */
function datasetRuns(settings: SuiteSettings, d: SuiteDataset, planned: PlannedDataset, options: PlanOptions): RunSpec[] {
  const { data } = planned;
  return runOrder(settings).map(({ model, seed }): RunSpec => {
    const training = runTraining(settings, d, model);
    const architecture = plannedArchitecture(model, seed, data);
    const resultFile = path.join(options.outDir, resultFileName(settings.suite, data.name, model, seed));
    const saved = readResultFile(resultFile);
    const id = path.basename(resultFile, '.json');
    const keepModel = settings.keepModels && getModelSpec(model).family === 'hybrid';
    return {
      format: 'qkc-run-spec/1', id, suite: settings.suite, model, seed, data, training, architecture, resultFile,
      modelDir: keepModel ? path.join(options.outDir, modelsDirName(settings.suite), id) : null,
      runDir: path.join(options.runsDir, runDirName(settings.suite, data.name, model, seed, training, architecture, data.validationSize)),
      done: saved !== null && resultMatches(saved, { architecture, training, data })
        && (!keepModel || fs.existsSync(path.join(options.outDir, modelsDirName(settings.suite), id, 'model.json'))),
    };
  });
}

/** A plan and the splits it loaded (an in-process executor reuses them instead of loading again). */
export function planSuiteWithData(settings: SuiteSettings, options: PlanOptions): { plan: SuitePlan; splits: Map<string, TrainTestSplit> } {
  checkSuiteSettings(settings);
  const load = options.loadData ?? loadSuiteData;
  const plan: SuitePlan = { format: 'qkc-suite-plan/1', settings, outDir: options.outDir, runs: [], datasets: [], skipped: [] };
  const splits = new Map<string, TrainTestSplit>();
  for (const d of settings.datasets) {
    const split = load(d);
    if ('skip' in split) {
      plan.skipped.push({ dataset: d.name, reason: split.skip });
      continue;
    }
    splits.set(d.name, split);
    const planned: PlannedDataset = { data: plannedData(d.name, split, options.loadData ? null : suiteDataRef(d)), training: runTraining(settings, d) };
    plan.datasets.push(planned);
    plan.runs.push(...datasetRuns(settings, d, planned, options));
  }
  return { plan, splits };
}

/** Plans a suite: every run as a RunSpec (see src/experiments/index.ts for the executor seam). */
export function planSuite(settings: SuiteSettings, options: PlanOptions): SuitePlan {
  return planSuiteWithData(settings, options).plan;
}
