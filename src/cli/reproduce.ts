/** `qkc reproduce [--quick]`: the experiment suite (every model × 3 seeds) into figures/results. */
import * as path from 'path';
import { ready } from '../backend';
import { FIGURES_DIR, regenerateFigures } from '../figures';
import { DIFF_METHODS, type DiffMethod } from '../qkc';
import { SUITES, checkSuiteSettings, describeSuite, runSuite, type SummaryRow, type SuiteSettings } from '../models';
import { UsageError } from './args';
import { checkPositionals, listOption } from './cli-util';
import { Command } from './command';

/** Datasets a suite can run. */
const SUITE_DATASET_NAMES = ['mnist', 'mnist-official', 'fashion-mnist'];

function fmtRow(r: SummaryRow): string {
  const acc = `${(100 * r.testAccuracy.mean).toFixed(2)} ± ${(100 * r.testAccuracy.std).toFixed(2)}`;
  const p = r.parameters;
  const circuits = r.circuitExecutionsPerEpoch > 0 ? r.circuitExecutionsPerEpoch.toExponential(2) : '0';
  return `${r.dataset.padEnd(13)} ${r.model.padEnd(15)} ${acc.padStart(14)}  ${String(p.quantum).padStart(4)} / ${String(p.classical).padEnd(6)} ` +
    `${r.epochTimeS.mean.toFixed(1).padStart(7)}  ${circuits.padStart(9)}  ${r.seeds.length}`;
}

/** The settings of the chosen suite with command-line overrides applied. */
function settingsFrom(o: Record<string, unknown>, models?: string[], seeds?: string[], datasets?: string[]): SuiteSettings {
  const base = SUITES[o.quick ? 'quick' : 'full'];
  const s: SuiteSettings = { ...base, models: [...base.models], seeds: [...base.seeds], datasets: base.datasets.map((d) => ({ ...d })) };
  if (models) s.models = models;
  if (seeds) {
    s.seeds = seeds.map((x) => {
      const v = Number(x);
      if (!Number.isInteger(v) || v < 0) throw new UsageError(`--seeds: expected non-negative integers, got '${x}'`);
      return v;
    });
  }
  if (datasets) {
    for (const d of datasets) if (!SUITE_DATASET_NAMES.includes(d)) throw new UsageError(`--datasets: expected ${SUITE_DATASET_NAMES.join(', ')}, got '${d}'`);
    const known = new Map(SUITES.full.datasets.map((d) => [d.name, d] as const));
    // A dataset outside the suite trains as the full suite's other 60,000-image set does: 5 epochs on all of it.
    s.datasets = datasets.map((name) => ({ ...(s.datasets.find((d) => d.name === name) ?? known.get(name as 'mnist') ?? { name: name as 'mnist', epochs: 5, trainSize: null, testSize: null }) }));
  }
  for (const d of s.datasets) {
    if (o.epochs !== undefined) d.epochs = o.epochs as number;
    if (o['train-size'] !== undefined) d.trainSize = o['train-size'] as number;
    if (o['test-size'] !== undefined) d.testSize = o['test-size'] as number;
  }
  if (o.diff !== undefined) s.diffMethod = o.diff as DiffMethod;
  if (o['batch-size'] !== undefined) s.batchSize = o['batch-size'] as number;
  try {
    checkSuiteSettings(s);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return s;
}

/** Runs the suite and prints the table; see `qkc reproduce --help`. */
export const reproduceCommand: Command = {
  name: 'reproduce',
  summary: 'run the experiment suite (every model × 3 seeds) and write figures/results/*.json; --quick takes a few minutes',
  options: {
    quick: { type: 'boolean', help: 'the quick suite: stratified 2,000/500 subset of the embedded MNIST, 4 epochs, backprop gradients (the README command)' },
    out: { type: 'string', help: 'folder for result files and summaries', default: path.join('figures', 'results') },
    'runs-dir': { type: 'string', help: 'folder for per-run checkpoints (resumable)', default: path.join('runs', 'reproduce') },
    models: { type: 'string', help: 'only these models (comma-separated)' },
    seeds: { type: 'string', help: 'these seeds instead of 0,1,2 (comma-separated)' },
    datasets: { type: 'string', help: "only these datasets (comma-separated): mnist (embedded), mnist-official (60,000/10,000, not in the suites by default), fashion-mnist" },
    epochs: { type: 'integer', help: 'epochs for every dataset (overrides the suite)' },
    'train-size': { type: 'integer', help: 'stratified training subset size for every dataset (overrides the suite)' },
    'test-size': { type: 'integer', help: 'stratified test subset size for every dataset (overrides the suite)' },
    'batch-size': { type: 'integer', help: 'training batch size (overrides the suite)' },
    diff: { type: 'string', help: 'gradient method of the quantum layers (overrides the suite)', choices: DIFF_METHODS },
    progress: { type: 'string', help: 'per-run training progress', choices: ['auto', 'bar', 'lines', 'none'], default: 'none' },
    figures: { type: 'string', help: "folder for this suite's figures (SVG + PNG, redrawn from the results at the end)", default: FIGURES_DIR },
    'no-figures': { type: 'boolean', help: "do not redraw the figures (later: 'npm run figures')" },
  },
  async run(args) {
    checkPositionals(args, 'reproduce');
    const o = args.options;
    for (const k of ['epochs', 'train-size', 'test-size', 'batch-size']) {
      if (o[k] !== undefined && (o[k] as number) < 1) throw new UsageError(`--${k}: expected a positive integer, got ${o[k]}`);
    }
    const settings = settingsFrom(o, listOption(args, 'models'), listOption(args, 'seeds'), listOption(args, 'datasets'));
    const info = await ready();
    for (const line of describeSuite(settings)) console.log(line);
    console.log(`  backend ${info.tfBackend}; results → ${o.out}; checkpoints → ${o['runs-dir']} (interrupt and rerun to resume)`);
    const t0 = performance.now();
    const summary = await runSuite(settings, {
      outDir: String(o.out), runsDir: String(o['runs-dir']), log: (line) => console.log(line),
      progress: o.progress as 'none',
    });
    console.log('');
    console.log(`${'dataset'.padEnd(13)} ${'model'.padEnd(15)} ${'test acc %'.padStart(14)}  params q / c   s/epoch  circ/epoch  seeds`);
    for (const r of summary.rows) console.log(fmtRow(r));
    const pct = (r: SummaryRow | undefined): string => (r ? `${r.model} ${(100 * r.testAccuracy.mean).toFixed(2)} ± ${(100 * r.testAccuracy.std).toFixed(2)}` : '(not run)');
    const hybrids = summary.rows.filter((r) => r.controls);
    if (hybrids.length > 0) console.log('\neach hybrid | its same-shape classical control | the parameter-matched CNN (test acc %):');
    for (const h of hybrids) {
      const find = (name: string) => summary.rows.find((r) => r.dataset === h.dataset && r.model === name);
      console.log(`${h.dataset.padEnd(13)} ${pct(h)} | ${pct(find(h.controls!.sameShape))} | ${pct(find(h.controls!.paramMatched))}`);
    }
    for (const s of summary.skipped) console.log(`skipped ${s.dataset}: ${s.reason}`);
    const base = path.join(String(o.out), `${settings.suite}-summary`);
    console.log(`\nsummary: ${base}.json, ${base}.csv; one result file per run in ${o.out}; ${((performance.now() - t0) / 1000).toFixed(0)} s in training`);
    if (o['no-figures']) {
      console.log("figures not redrawn (--no-figures): 'npm run figures' draws them from these files");
      return;
    }
    // Only this suite's figures: the others (entanglement analysis, the other suite) did not change.
    const report = await regenerateFigures({
      resultsDir: String(o.out), outDir: String(o.figures), formats: ['svg', 'png'], only: [`${settings.suite}-`],
      log: (line) => console.log(`figure ${line}`),
    });
    console.log(`${report.written.length} figure(s) redrawn in ${o.figures} (standalone HTML too: 'npm run figures')`);
  },
};
