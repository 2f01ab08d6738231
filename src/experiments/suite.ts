/**
 * The reproduction suite behind `qkc reproduce`, run in this process: plan, execute every run not done,
 * summarise. Resumable at two levels: a run whose result file exists with the same settings is skipped,
 * and an unfinished run continues from its last epoch checkpoint (its run folder is keyed by the settings).
 */
import * as fs from 'fs';
import type { TrainOptions } from '../train';
import { executeRun } from './execute';
import { planSuiteWithData, type SuiteDataLoader } from './plan';
import { readResultFile } from './saved-results';
import type { ResultsSummary } from './results';
import { writeSuiteSummary } from './summary';
import type { SuiteSettings } from './suites';

/** Where a suite writes and how it reports. */
export interface SuiteRunOptions {
  /** Result files and summaries (e.g. figures/results). */
  outDir: string;
  /** Per-run directories with checkpoints, so an interrupted run resumes (the CLI uses runs/reproduce). */
  runsDir: string;
  /** One line per event (default: nothing). */
  log?: (line: string) => void;
  /** Trainer progress for each run (default 'none'); 'auto': one bar line per run on a terminal, per-epoch lines elsewhere. */
  progress?: TrainOptions['progress'];
  progressStream?: NodeJS.WritableStream;
  /** Replaces dataset loading (tests); return { skip: reason } to skip a dataset. */
  loadData?: SuiteDataLoader;
}

/** Runs (or resumes) a suite; writes result files and `<suite>-summary.json/csv` into outDir; returns the summary. */
export async function runSuite(settings: SuiteSettings, options: SuiteRunOptions): Promise<ResultsSummary> {
  const log = options.log ?? (() => undefined);
  const { plan, splits } = planSuiteWithData(settings, options);
  fs.mkdirSync(options.outDir, { recursive: true });
  for (const s of plan.skipped) log(`${s.dataset}: skipped — ${s.reason}`);
  const total = plan.runs.length;
  for (const [i, spec] of plan.runs.entries()) {
    const { data } = spec;
    if (i === 0 || plan.runs[i - 1].data.name !== data.name) log(`${data.name}: ${data.source}; ${data.trainSize} train / ${data.testSize} test images`);
    const position = `[${i + 1}/${total}]`;
    const saved = spec.done ? readResultFile(spec.resultFile) : null;
    if (saved) {
      log(`${position} ${spec.data.name} ${spec.model} seed ${spec.seed}: done before (test acc ${saved.final.testAccuracy.toFixed(4)}), skipped`);
      continue;
    }
    const result = await executeRun(spec, {
      data: splits.get(spec.data.name), progress: options.progress ?? 'none', progressStream: options.progressStream,
      progressLabel: `${position} ${spec.data.name} ${spec.model} seed ${spec.seed}`,
    });
    log(`${position} ${spec.data.name} ${spec.model} seed ${spec.seed}: test acc ${result.final.testAccuracy.toFixed(4)}, ` +
      `${result.timing.meanEpochTimeS.toFixed(1)} s/epoch, params ${result.parameters.quantum}q + ${result.parameters.classical}c`);
    await writeSuiteSummary(plan);
  }
  return writeSuiteSummary(plan);
}
