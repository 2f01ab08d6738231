/**
 * A suite run by an executor (local worker processes or a Redis queue) instead of in this process: plan,
 * report the runs done before, hand the others to the executor with sweep progress, summarise. The summary is
 * rewritten after every finished run (as the sequential runner does); failed runs are returned, not thrown,
 * so the caller prints the table of what did finish before saying what failed.
 */
import * as fs from 'fs';
import { planSuite } from '../plan';
import { readResultFile } from '../saved-results';
import type { ResultsSummary } from '../results';
import type { SuiteRunOptions } from '../suite';
import { writeSuiteSummary } from '../summary';
import type { SuiteSettings } from '../suites';
import type { RunExecutor, RunOutcome } from './events';
import { SweepProgress } from './sweep-progress';

/** What a suite run by an executor gives back. */
export interface SuiteJobsOutcome {
  summary: ResultsSummary;
  /** Runs that failed RUN_ATTEMPTS times (their error), in plan order. */
  failed: Extract<RunOutcome, { status: 'failed' }>[];
  /** Runs executed now (not done before). */
  executed: number;
}

/** Options of `runSuiteOn`: the suite's, plus how often the sweep status line is printed. */
export interface SuiteJobsOptions extends Pick<SuiteRunOptions, 'outDir' | 'runsDir' | 'log'> {
  /** Seconds between two sweep status lines (default 10). */
  statusEveryS?: number;
}

/** Plans `settings`, runs what is not done on `executor`, and writes the summary; see the file comment. */
export async function runSuiteOn(executor: RunExecutor, settings: SuiteSettings, options: SuiteJobsOptions): Promise<SuiteJobsOutcome> {
  const log = options.log ?? (() => undefined);
  const plan = planSuite(settings, { outDir: options.outDir, runsDir: options.runsDir });
  fs.mkdirSync(options.outDir, { recursive: true });
  for (const s of plan.skipped) log(`${s.dataset}: skipped — ${s.reason}`);
  for (const d of plan.datasets) log(`${d.data.name}: ${d.data.source}; ${d.data.trainSize} train / ${d.data.testSize} test images`);
  for (const [i, spec] of plan.runs.entries()) {
    const saved = spec.done ? readResultFile(spec.resultFile) : null;
    if (saved) log(`[${i + 1}/${plan.runs.length}] ${spec.data.name} ${spec.model} seed ${spec.seed}: done before (test acc ${saved.final.testAccuracy.toFixed(4)}), skipped`);
  }
  const pending = plan.runs.filter((s) => !s.done);
  if (pending.length === 0) return { summary: await writeSuiteSummary(plan), failed: [], executed: 0 };
  log(`${pending.length} run(s) to execute on ${executor.where}`);
  const progress = new SweepProgress(pending, log, options.statusEveryS ?? 10);
  let summaries: Promise<unknown> = Promise.resolve();
  const outcomes = await executor.run(pending, (e) => {
    progress.handle(e);
    if (e.type === 'done') summaries = summaries.then(() => writeSuiteSummary(plan)); // one at a time, in order
  });
  await summaries;
  log(progress.status());
  const failed = outcomes.filter((o): o is Extract<RunOutcome, { status: 'failed' }> => o.status === 'failed');
  return { summary: await writeSuiteSummary(plan), failed, executed: pending.length };
}
