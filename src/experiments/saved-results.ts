/** Reading saved run result files back: one file (null when missing or not a result), or every result file of a suite in a folder. */
import * as fs from 'fs';
import * as path from 'path';
import { isRunResultFileName } from './plan-rules';
import { checkRunResult, type RunResult, type SuiteName } from './results';

/** The RunResult in `file`, or null when it is absent, unreadable or not a run result (the run is then redone). */
export function readResultFile(file: string): RunResult | null {
  if (!fs.existsSync(file)) return null;
  try {
    return checkRunResult(JSON.parse(fs.readFileSync(file, 'utf8')), file);
  } catch {
    return null; // unreadable or foreign: redo the run (files are written atomically, so this is rare)
  }
}

/** Valid result files of `suite` in `dir` (not its summary), in directory order. */
export function savedRunResults(dir: string, suite: SuiteName): RunResult[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .filter((f) => isRunResultFileName(f, suite))
    .map((f) => readResultFile(path.join(dir, f)))
    .filter((r): r is RunResult => r !== null && r.suite === suite);
}
