/**
 * Reading the saved results that figures are built from (never retraining): the suite summaries and
 * per-run result files `qkc reproduce` writes into figures/results (see src/experiments/results.ts for the
 * schema). Missing results are reported with the command that produces them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SUITE_NAMES, readRunResult, resultFileName, summarizeRuns, tableOrder, upgradeSummaryRow, type ResultsSummary, type RunResult, type SuiteName } from '../experiments';
import { readJsonFile } from '../util';

/** Where `qkc reproduce` writes and `npm run figures` reads, relative to the project root. */
export const RESULTS_DIR = path.join('figures', 'results');
/** Where `npm run figures` writes, relative to the project root. */
export const FIGURES_DIR = 'figures';

/** The command that writes a suite's results into figures/results (`--quick` alone writes to the git-ignored runs/quick). */
export function reproduceCommand(suite: SuiteName): string {
  if (suite === 'quick') return 'npx qkc reproduce --quick --out figures/results --figures figures';
  return suite === 'full' ? 'npx qkc reproduce' : `npx qkc reproduce --suite ${suite}`;
}

/** One suite's saved results: its summary and the run files of the summary's rows. */
export interface SuiteResults {
  suite: SuiteName;
  summary: ResultsSummary;
  /** Every run file the summary's rows name that was found. */
  runs: RunResult[];
  /** Run files the summary names but that are missing or unreadable (file name and why). */
  missingRuns: string[];
}

/** Reads and checks a suite summary file. */
export function readSummary(file: string): ResultsSummary {
  const s = readJsonFile(file) as ResultsSummary;
  const formats = ['qkc-results-summary/1', 'qkc-results-summary/2'];
  if (s == null || !formats.includes(s.format) || !Array.isArray(s.rows) || !SUITE_NAMES.includes(s.suite)) {
    throw new Error(`'${file}': not a qkc results summary (expected format ${formats.map((f) => `'${f}'`).join(' or ')} with suite and rows)`);
  }
  return { ...s, rows: s.rows.map(upgradeSummaryRow) };
}

/**
 * The saved results of `suite` in `dir` (default figures/results), or null when its summary file is
 * absent. A summary row's run files are looked up by the suite's naming scheme.
 */
export function readSuiteResults(suite: SuiteName, dir: string = RESULTS_DIR): SuiteResults | null {
  const file = path.join(dir, `${suite}-summary.json`);
  if (!fs.existsSync(file)) return null;
  const summary = readSummary(file);
  const runs: RunResult[] = [];
  const missingRuns: string[] = [];
  for (const row of summary.rows) {
    for (const seed of [...row.seeds, ...(row.failed ?? []).map((f) => f.seed)]) {
      const name = resultFileName(suite, row.dataset, row.model, seed);
      const runFile = path.join(dir, name);
      try {
        runs.push(readRunResult(runFile));
      } catch (e) {
        missingRuns.push(`${name}: ${(e as Error).message}`);
      }
    }
  }
  // An old ('/1') summary may predate run health: its rows are rebuilt from the run files under today's rules,
  // so a stalled seed (e.g. LeNet-5-like seed 2 at 95.05 %) is named, not averaged in.
  if (summary.format === 'qkc-results-summary/1' && missingRuns.length === 0 && runs.length > 0) {
    return { suite, summary: { ...summary, rows: summarizeRuns(tableOrder(runs)) }, runs, missingRuns };
  }
  return { suite, summary, runs, missingRuns };
}

/** Every suite with saved results in `dir` ('full-official' first: it is the one the paper reports, then 'full', 'quick'). */
export function readAllSuiteResults(dir: string = RESULTS_DIR): SuiteResults[] {
  return SUITE_NAMES.map((s) => readSuiteResults(s, dir)).filter((r): r is SuiteResults => r !== null);
}

/**
 * The suite results to show: `prefer` when saved, else the other suite, else an Error naming the
 * commands that produce them. Notebooks use this to read instead of retraining.
 */
export function requireSuiteResults(prefer: SuiteName = 'full', dir: string = RESULTS_DIR): SuiteResults {
  const order: SuiteName[] = [prefer, ...SUITE_NAMES.filter((s) => s !== prefer)];
  for (const s of order) {
    const r = readSuiteResults(s, dir);
    if (r) return r;
  }
  throw new Error(`no saved suite results in '${dir}' (expected quick-summary.json or full-summary.json): ` +
    `run '${reproduceCommand('quick')}' (a few minutes) or '${reproduceCommand('full')}' first`);
}

/** The runs of one dataset, grouped by model name (seeds in file order). */
export function runsByModel(runs: readonly RunResult[], dataset?: string): Map<string, RunResult[]> {
  const out = new Map<string, RunResult[]>();
  for (const r of runs) {
    if (dataset !== undefined && r.dataset.name !== dataset) continue;
    const list = out.get(r.model.name);
    if (list) list.push(r); else out.set(r.model.name, [r]);
  }
  return out;
}
