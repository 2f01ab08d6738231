/** `qkc results`: the saved suite results as tables (plain text or Markdown), read from files, never retraining. */
import { RESULTS_DIR, gradientMethodComparison, pairedComparisons, protocolOf, readSuiteResults, reproduceCommand, summaryRecords, type SuiteResults } from '../figures';
import type { SummaryRow, SuiteName } from '../experiments';
import { tableMarkdown, tableText } from '../viz';
import { checkPositionals } from './cli-util';
import { Command } from './command';

/** The saved results of `suite` in `dir`, or an Error naming the command that writes them. */
function required(suite: SuiteName, dir: string, option: string): SuiteResults {
  const saved = readSuiteResults(suite, dir);
  if (!saved) throw new Error(`${option}: no saved '${suite}' suite results in '${dir}' (no ${suite}-summary.json); '${reproduceCommand(suite)}' writes them`);
  return saved;
}

/** One line saying what a dataset's rows were trained on and how. */
function heading(rows: readonly SummaryRow[]): string {
  const r = rows[0];
  const seeds = Math.max(...rows.map((x) => x.seeds.length + (x.failed?.length ?? 0)));
  const methods = [...new Set(rows.filter((x) => x.parameters.quantum > 0).map((x) => x.diffMethod))];
  const validation = r.validation ? ` / ${r.validation.size.toLocaleString('en-US')} validation` : '';
  return `${r.dataset}: ${r.trainSize.toLocaleString('en-US')} train${validation} / ${r.testSize.toLocaleString('en-US')} test images, up to ${r.epochs} epochs; ` +
    `test accuracy of the ${protocolOf(r)} as mean ± std of the good seeds (failed ones named) over ${seeds} seed(s)${methods.length ? `; quantum gradients by ${methods.join(' and ')}` : ''}`;
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
  },
  async run(args) {
    checkPositionals(args, 'results');
    const o = args.options;
    const suite = o.suite as SuiteName;
    const saved = required(suite, String(o.results), '--results');
    const md = o.markdown === true;
    const print = (title: string, records: Record<string, string | number>[]): void => {
      if (records.length === 0) return;
      console.log(md ? `**${title}**\n\n${tableMarkdown(records)}\n` : `${title}\n${tableText(records, Infinity)}\n`);
    };
    for (const m of saved.missingRuns) console.log(`missing run file: ${m}`);
    // One table per dataset and protocol: validated runs and old runs without validation never share a table.
    const groupOf = (r: SummaryRow): string => `${r.dataset}\0${r.validation?.size ?? 0}`;
    for (const group of [...new Set(saved.summary.rows.map(groupOf))]) {
      const rows = saved.summary.rows.filter((r) => groupOf(r) === group);
      print(heading(rows), summaryRecords(rows).map((r) => ({
        model: r.model, 'test accuracy %': r['test accuracy %'], 'per seed %': r['per seed %'], 'last-epoch test %': r['last-epoch test %'],
        'selected epoch': r['selected epoch'], 'params quantum': r['params quantum'], 'params classical': r['params classical'],
        'images / s': r['images / s'], 'circuits / epoch': r['circuits / epoch'], seeds: r.seeds,
      })));
      print(`${rows[0].dataset}: each hybrid paired with its same-shape control, the parameter-matched CNN, LeNet-5-like and its frozen-kernel twin ` +
        '(hybrid − rival over shared good seeds, accuracy points, 95 % t-interval)', pairedComparisons(rows));
    }
    if (o.against !== undefined) {
      const other = required(suite, String(o.against), '--against');
      const rows = gradientMethodComparison(saved.runs, other.runs);
      if (rows.length === 0) console.log(`no hybrid run in '${o.against}' pairs with one in '${o.results}' under another gradient method`);
      print('the same hybrid runs (dataset, model, seed) under two gradient methods', rows);
    }
  },
};
