/**
 * The summary step of a suite: read the result files of the planned runs (written by whichever executor
 * ran them) and the saved runs the keep rule retains, and write `<suite>-summary.json/csv` atomically.
 * Without a plan, `rewriteSuiteSummary` rebuilds the summary from every run file of the suite in a folder
 * (`qkc results --write-summary`).
 */
import * as path from 'path';
import { writeFileAtomic } from '../train';
import { ArgumentError } from '../util';
import type { SuitePlan } from './plan';
import { plannedArchitecture } from './plan';
import { keepSavedRun, resultMatches, runKey, runTraining, summaryBaseName, tableOrder, type KeepContext } from './plan-rules';
import { summarizeRuns, summaryToCsv, type ResultsSummary, type RunResult, type SuiteName } from './results';
import { readResultFile, readSuiteRunFiles, savedRunResults } from './saved-results';
import { SUITES } from './suites';

/** The planned runs whose result files exist and match their spec (runs not yet executed are left out). */
export function finishedRuns(plan: SuitePlan): RunResult[] {
  return plan.runs.map((spec) => {
    const r = readResultFile(spec.resultFile);
    return r && resultMatches(r, spec) ? r : null;
  }).filter((r): r is RunResult => r !== null);
}

/** The keep rule's view of a plan. */
function keepContext(plan: SuitePlan): KeepContext {
  const matches = new Map(plan.datasets.map(({ data }) => {
    const d = plan.settings.datasets.find((x) => x.name === data.name)!;
    return [data.name, (r: RunResult) => resultMatches(r, {
      architecture: plannedArchitecture(r.model.name, r.training.seed, data), training: runTraining(plan.settings, d, r.model.name), data,
    })] as const;
  }));
  return { planned: new Set(plan.runs.map((s) => runKey(s.data.name, s.model, s.seed))), models: plan.settings.models, matches };
}

/** The suite summary as it stands on disk: finished planned runs plus the saved runs the keep rule retains, in table order. */
export function summarizeSuite(plan: SuitePlan): ResultsSummary {
  const context = keepContext(plan);
  const kept = savedRunResults(plan.outDir, plan.settings.suite).filter((r) => keepSavedRun(r, context));
  return {
    format: 'qkc-results-summary/2', suite: plan.settings.suite, createdAt: new Date().toISOString(),
    settings: plan.settings as unknown as Record<string, unknown>, rows: summarizeRuns(tableOrder([...finishedRuns(plan), ...kept])),
    skipped: plan.skipped,
  };
}

/** Writes `summary` as `<dir>/<suite>-summary.json` and `.csv`, each atomically. */
async function writeSummaryFiles(dir: string, summary: ResultsSummary): Promise<void> {
  const base = path.join(dir, summaryBaseName(summary.suite));
  await writeFileAtomic(`${base}.json`, JSON.stringify(summary, null, 2) + '\n');
  await writeFileAtomic(`${base}.csv`, summaryToCsv(summary.rows));
}

/** Writes `<outDir>/<suite>-summary.json` and `.csv` (atomically) and returns the summary. */
export async function writeSuiteSummary(plan: SuitePlan): Promise<ResultsSummary> {
  const s = summarizeSuite(plan);
  await writeSummaryFiles(plan.outDir, s);
  return s;
}

/**
 * The summary of every run file of `suite` in `dir` (`<suite>-<dataset>-<model>-s<seed>.json`), in table
 * order, with no plan and no training. Its `settings` are the suite's own (SUITES), since no invocation ran.
 * Throws RunFileError naming a file that is not a run of the suite, and an ArgumentError when there is none.
 */
export function summaryFromRunFiles(dir: string, suite: SuiteName): ResultsSummary {
  const runs = readSuiteRunFiles(dir, suite);
  if (runs.length === 0) throw new ArgumentError('results folder', `run files '${suite}-<dataset>-<model>-s<seed>.json'`, `none in '${dir}'`);
  return {
    format: 'qkc-results-summary/2', suite, createdAt: new Date().toISOString(), settings: SUITES[suite] as unknown as Record<string, unknown>,
    rows: summarizeRuns(tableOrder(runs)), skipped: [],
  };
}

/** Rewrites `<dir>/<suite>-summary.json` and `.csv` (each atomically) from the suite's run files in `dir` and returns the summary. */
export async function rewriteSuiteSummary(dir: string, suite: SuiteName): Promise<ResultsSummary> {
  const s = summaryFromRunFiles(dir, suite);
  await writeSummaryFiles(dir, s);
  return s;
}
