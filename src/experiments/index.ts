/**
 * Experiments: the reproduction suite, its planning, run result files, the single-run runner and
 * reading runs back. Sits above src/train and src/models (experiments → models, train, data, qkc; never
 * the other way).
 *
 * The executor seam (how a suite is run, here or elsewhere):
 *
 *   const plan = planSuite(settings, { outDir, runsDir });   // SuitePlan: plain, JSON-serialisable data
 *   for (const spec of plan.runs.filter((r) => !r.done))      // RunSpec[]: one record per (dataset, seed, model)
 *     await executeRun(spec);                                 // trains (resuming spec.runDir) and writes spec.resultFile
 *   const summary = await writeSuiteSummary(plan);            // reads the result files → <suite>-summary.json/csv
 *
 * - `planSuite` loads each dataset once to learn its sizes and provenance, and computes the architecture
 *   hash of every model it will build; a RunSpec carries model, seed, the data (a DatasetRef to load it
 *   with plus the facts it must match), the training settings, that hash, the result file and the
 *   checkpoint folder. `done` is true when a saved result matches all of them (see plan-rules.ts).
 * - `executeRun(spec)` needs nothing but the spec (and the files it names): a worker process or a queue
 *   consumer can run it. It refuses data or an architecture that differ from the plan's, resumes from
 *   `spec.runDir` and writes the RunResult atomically, so a killed executor loses at most one epoch and
 *   executing a spec twice is harmless. Within one process pass `{ data }` to reuse a loaded split
 *   (required when the plan was made with an injected `loadData`: then `spec.data.ref` is null).
 * - `writeSuiteSummary(plan)` is the summary step: it reads whatever result files exist (finished planned
 *   runs plus saved runs the keep rule retains), so it can run after any executor, or after each run.
 * - `runSuite(settings, options)` is the in-process sequential executor: all three steps with log lines.
 */
export { SUITES, ALL_MODELS, QUICK_MODELS, SUITE_DATASETS, OFFICIAL_VALIDATION_SIZE, describeSuite, checkSuiteSettings, suiteWithOverrides } from './suites';
export type { SuiteSettings, SuiteDataset, SuiteOverrides } from './suites';
export {
  resultFileName, modelsDirName, summaryBaseName, isRunResultFileName, isSuiteFileName, runOrder, runTraining, suiteDataRef, runDirKey, runDirName, sameTraining, sameEpochCap,
  sameData, resultMatches, runKey, keepSavedRun, tableOrder,
} from './plan-rules';
export type { RunExpectation, KeepContext } from './plan-rules';
export type { RunSpec, RunTraining, PlannedData } from './run-spec';
export { planSuite, planSuiteWithData, loadSuiteData, plannedData, plannedArchitecture } from './plan';
export type { SuitePlan, PlanOptions, PlannedDataset, SuiteDataLoader } from './plan';
export { executeRun, RunInterruptedError } from './execute';
export type { ExecuteOptions } from './execute';
export { summarizeSuite, writeSuiteSummary, finishedRuns, summaryFromRunFiles, rewriteSuiteSummary } from './summary';
export { suiteReportLines } from './report';
export { runSuite } from './suite';
export type { SuiteRunOptions } from './suite';
export { readResultFile, readRunResult, savedRunResults, readSuiteRunFiles, RunFileError } from './saved-results';
export { runExperiment, experimentTrainSettings, EXPERIMENT_DEFAULTS, RUN_FILES } from './experiment';
export type { ExperimentOptions, ExperimentOutcome, RunInfo } from './experiment';
export { loadRun } from './load-run';
export type { LoadedRun } from './load-run';
export { classifyRuns, pairedComparison, tQuantile975, trainingProgress, countsInMean, failuresOf, outliersOf, STALL_RULE } from './run-health';
export type { RunHealth, RunHealthInput, RunFailure, RunOutlier, PairedComparison } from './run-health';
export {
  stat, summarizeRuns, summaryToCsv, checkRunResult, upgradeSummaryRow, healthAccuracy, SUMMARY_COLUMNS, SUITE_NAMES, RUN_RESULT_FORMAT, RUN_RESULT_FORMATS,
  SuiteNameError, checkSuiteName,
} from './results';
export type { RunResult, SummaryRow, ResultsSummary, Stat, SuiteName, ValidationInfo } from './results';
export { openDataset } from './dataset-ref';
export type { DatasetRef } from './dataset-ref';
