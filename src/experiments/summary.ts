/**
 * The summary step of a suite: read the result files of the planned runs (written by whichever executor
 * ran them) and the saved runs the keep rule retains, and write `<suite>-summary.json/csv` atomically.
 */
import * as path from 'path';
import { writeFileAtomic } from '../train';
import type { SuitePlan } from './plan';
import { plannedArchitecture } from './plan';
import { keepSavedRun, resultMatches, runKey, runTraining, summaryBaseName, tableOrder, type KeepContext } from './plan-rules';
import { summarizeRuns, summaryToCsv, type ResultsSummary, type RunResult } from './results';
import { readResultFile, savedRunResults } from './saved-results';

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

/** Writes `<outDir>/<suite>-summary.json` and `.csv` (atomically) and returns the summary. */
export async function writeSuiteSummary(plan: SuitePlan): Promise<ResultsSummary> {
  const s = summarizeSuite(plan);
  const base = path.join(plan.outDir, summaryBaseName(plan.settings.suite));
  await writeFileAtomic(`${base}.json`, JSON.stringify(s, null, 2) + '\n');
  await writeFileAtomic(`${base}.csv`, summaryToCsv(s.rows));
  return s;
}
