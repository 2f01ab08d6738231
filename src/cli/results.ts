/**
 * `qkc results`: the saved suite results as tables (plain text or Markdown), read from files, never retraining;
 * `--write-summary` first rebuilds the suite's summary from its run files in the folder.
 */
import * as path from 'path';
import { RESULTS_DIR, gradientMethodComparison, readSuiteResults, reproduceCommand, suiteResultsTables, titledTable, type SuiteResults } from '../figures';
import { rewriteSuiteSummary, type SuiteName } from '../experiments';
import { checkPositionals } from './cli-util';
import { Command } from './command';

/** The saved results of `suite` in `dir`, or an Error naming the command that writes them. */
function required(suite: SuiteName, dir: string, option: string): SuiteResults {
  const saved = readSuiteResults(suite, dir);
  if (!saved) throw new Error(`${option}: no saved '${suite}' suite results in '${dir}' (no ${suite}-summary.json); '${reproduceCommand(suite)}' writes them`);
  return saved;
}

/** Prints the results, hybrid-vs-controls and (with --against) gradient-method tables; see `qkc results --help`. */
export const resultsCommand: Command = {
  name: 'results',
  summary: 'print the saved suite results as tables (text or --markdown): accuracy, parameters, time, circuits; hybrids vs their controls',
  options: {
    suite: { type: 'string', help: 'which suite', choices: ['full-official', 'full', 'quick'], default: 'full' },
    results: { type: 'string', help: 'folder with the saved results', default: RESULTS_DIR },
    against: { type: 'string', help: 'a second results folder with the same hybrid runs under another gradient method (e.g. figures/results/full-backprop)' },
    markdown: { type: 'boolean', help: 'print Markdown tables (as in the README)' },
    'write-summary': {
      type: 'boolean',
      help: 'first rewrite <results>/<suite>-summary.json and .csv (atomically) from every <suite>-<dataset>-<model>-s<seed>.json run file there, no training; a bad run file is an error naming it',
    },
  },
  async run(args) {
    checkPositionals(args, 'results');
    const o = args.options;
    const suite = o.suite as SuiteName;
    if (o['write-summary'] === true) {
      const s = await rewriteSuiteSummary(String(o.results), suite);
      const runs = s.rows.reduce((n, r) => n + r.seeds.length + (r.failed?.length ?? 0), 0);
      console.log(`wrote ${path.join(String(o.results), `${suite}-summary`)}.json and .csv: ${s.rows.length} rows from ${runs} run files`);
    }
    const saved = required(suite, String(o.results), '--results');
    const md = o.markdown === true;
    const tables = suiteResultsTables(saved, md);
    if (tables) console.log(tables.replace(/\n$/, ''));
    if (o.against !== undefined) {
      const other = required(suite, String(o.against), '--against');
      const rows = gradientMethodComparison(saved.runs, other.runs);
      if (rows.length === 0) console.log(`no hybrid run in '${o.against}' pairs with one in '${o.results}' under another gradient method`);
      else console.log(titledTable('the same hybrid runs (dataset, model, seed) under two gradient methods', rows, md));
    }
  },
};
