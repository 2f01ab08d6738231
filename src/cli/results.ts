/**
 * `qkc results`: the saved suite results as tables (plain text or Markdown), read from files, never retraining;
 * `--write-summary` first rebuilds the suite's summary from its run files in the folder; `--refresh` rebuilds
 * every derived output of the suite (summary, figures, README blocks) after new run files land.
 */
import {
  FIGURES_DIR, RESULTS_DIR, gradientMethodComparison, readSuiteResults, refreshSuiteOutputs, reproduceCommand, rewriteSummaryFromRuns, suiteResultsTables, titledTable, type SuiteResults,
} from '../figures';
import type { SuiteName } from '../experiments';
import { UsageError } from './args';
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
    refresh: {
      type: 'boolean',
      help: "after new run files land (e.g. from 'qkc reproduce'): rewrite the summary as --write-summary does, redraw the suite's figures into --figures (skipped, saying so, without Chromium) and rewrite the suite's generated blocks in --readme; every file atomically; prints what it wrote instead of the tables",
    },
    figures: { type: 'string', help: 'with --refresh: folder for the suite\'s figures', default: FIGURES_DIR },
    readme: { type: 'string', help: "with --refresh: the README whose generated '<!-- results:<suite> begin' blocks are rewritten (a file without them is left alone)", default: 'README.md' },
  },
  async run(args) {
    checkPositionals(args, 'results');
    const o = args.options;
    const suite = o.suite as SuiteName;
    const log = (line: string): void => console.log(line);
    if (o.refresh === true) {
      for (const k of ['write-summary', 'markdown', 'against'] as const) if (o[k] !== undefined) throw new UsageError(`--${k} does not go with --refresh (it rewrites the summary and prints what it wrote, not tables)`);
      await refreshSuiteOutputs({ suite, resultsDir: String(o.results), figuresDir: String(o.figures), readme: String(o.readme), log });
      return;
    }
    if (o['write-summary'] === true) await rewriteSummaryFromRuns(suite, String(o.results), log);
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
