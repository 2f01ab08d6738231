/**
 * Reading saved run result files back: one file (null when missing or not a result), every result file of a
 * suite in a folder leniently (planning: a bad file means the run is redone), or strictly (rewriting a summary:
 * a bad file is an error naming it, never a run silently left out).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ArgumentError, readJsonFile } from '../util';
import { isRunResultFileName, resultFileName } from './plan-rules';
import { RUN_RESULT_FORMATS, checkRunResult, type RunResult, type SuiteName } from './results';

/** A run result file that cannot be read, is not a run result, or holds another run than its name says; `argument` is the file. */
export class RunFileError extends ArgumentError {}

/** The RunResult in `file`; a JsonFileError when it cannot be read or is not JSON, an Error naming it when it is not a run result. */
export function readRunResult(file: string): RunResult {
  return checkRunResult(readJsonFile(file), file);
}

/** The RunResult in `file`, or null when it is absent, unreadable or not a run result (the run is then redone). */
export function readResultFile(file: string): RunResult | null {
  if (!fs.existsSync(file)) return null;
  try {
    return readRunResult(file);
  } catch {
    return null; // unreadable or foreign: redo the run (files are written atomically, so this is rare)
  }
}

/** `suite`'s run file names in `dir` (`<suite>-<dataset>-<model>-s<seed>.json`, not its summary), in directory order. */
function runFileNames(dir: string, suite: SuiteName): string[] {
  return fs.readdirSync(dir).filter((f) => isRunResultFileName(f, suite));
}

/** Valid result files of `suite` in `dir` (not its summary), in directory order. */
export function savedRunResults(dir: string, suite: SuiteName): RunResult[] {
  if (!fs.existsSync(dir)) return [];
  return runFileNames(dir, suite)
    .map((f) => readResultFile(path.join(dir, f)))
    .filter((r): r is RunResult => r !== null && r.suite === suite);
}

/** The run in `file`, which must be `suite`'s run its name says; throws RunFileError naming the file. */
function readRunFileStrict(file: string, suite: SuiteName): RunResult {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new RunFileError(file, 'a run result file of valid JSON', `a file that cannot be read as JSON (${(e as Error).message})`);
  }
  let r: RunResult;
  try {
    r = checkRunResult(value, file);
  } catch {
    const format = (value as { format?: unknown } | null)?.format;
    throw new RunFileError(file, `a qkc run result (format ${RUN_RESULT_FORMATS.map((f) => `'${f}'`).join(' or ')} with id, model, final, history, parameters)`,
      `${format === undefined ? 'no format' : `format ${JSON.stringify(format)}`} or a missing field`);
  }
  const name = resultFileName(suite, r.dataset?.name, r.model.name, r.training?.seed);
  if (r.suite !== suite || path.basename(file) !== name) {
    throw new RunFileError(file, `the run its name says, of suite '${suite}'`,
      `suite '${r.suite}', dataset '${r.dataset?.name}', model '${r.model.name}', seed ${r.training?.seed} (whose name is '${name}')`, 'a renamed or copied file? rename it or move it out of the folder');
  }
  return r;
}

/**
 * Every run file of `suite` in `dir`, sorted by name and read strictly: throws RunFileError naming the first
 * file that cannot be read, is not a run result or is another run than its name says (an ArgumentError when
 * `dir` is not a folder).
 */
export function readSuiteRunFiles(dir: string, suite: SuiteName): RunResult[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new ArgumentError('results folder', 'a folder with run result files', `'${dir}' (not a folder)`);
  return runFileNames(dir, suite).sort().map((f) => readRunFileStrict(path.join(dir, f), suite));
}
