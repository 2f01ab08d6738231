/**
 * The headline of a suite, computed from its saved results (never typed by hand): how far the sweep has got
 * against the suite's plan, and per dataset the best hybrid (chosen on validation, so the choice never reads
 * the test set) against its same-shape control, the parameter-matched CNN, LeNet-5-like and its frozen-kernel
 * twin, with parameter counts and whether issue 13's aim (≥ 99.0 % on official MNIST with at most a tenth of
 * LeNet-5-like's parameters, at least as good as its control) is met, open or missed.
 */
import { sameEpochCap, type PairedComparison, type RunResult, type SuiteSettings, type SummaryRow } from '../experiments';
import { hybridRivals, rowPairedDifference } from './comparison';
import type { SuiteResults } from './results-files';

/** Seeds a row needs before its mean counts for the aim (issue 13: ≥ 3 seeds per table entry). */
export const MIN_SEEDS = 3;
/** Seeds issue 13 asks for the headline rows. */
export const HEADLINE_SEEDS = 5;
/** The aim on official MNIST: mean test accuracy (fraction) and the largest share of LeNet-5-like's parameters. */
export const AIM = Object.freeze({ dataset: 'mnist-official', accuracy: 0.99, parameterShare: 0.1 });

/** How many of a suite's planned runs have a result, per dataset and seed. */
export interface SweepState {
  planned: number;
  finished: number;
  complete: boolean;
  datasets: Array<{
    dataset: string; planned: number; finished: number; perSeed: Array<{ seed: number; finished: number; of: number }>;
    /** Seeds outside the plan that planned models also ran on (e.g. extra seeds for the headline rows). */
    extra: number[];
    /** Models with runs that the suite does not plan (e.g. added to the zoo later, or run by hand). */
    otherModels: string[];
    thinRows: number; rows: number;
  }>;
  /** Failed (diverged or stalled) runs, by dataset, model and seed. */
  failed: string[];
  /** Outlier runs (trained normally, far below their peers; counted in the means), by dataset, model and seed. */
  outliers: string[];
  /** Runs that reached a smaller epoch cap than the plan's without stopping early: not finished, their checkpoints extend. */
  toExtend: string[];
  /** Runs that reached the plan's epoch cap without stopping early (validation still improving near the end). */
  atCap: string[];
  skipped: Array<{ dataset: string; reason: string }>;
}

/** The sweep's state: runs finished of `plan`'s models × seeds × datasets, extra seeds, thin rows, failures. */
export function sweepState(saved: SuiteResults, plan: Pick<SuiteSettings, 'models' | 'seeds' | 'datasets'>): SweepState {
  const datasets = [...new Set([...plan.datasets.map((d) => d.name as string), ...saved.summary.rows.map((r) => r.dataset)])];
  // The plan's epoch cap per dataset (undefined: a dataset the plan does not run).
  const capOf = (dataset: string): number | undefined => plan.datasets.find((d) => d.name === dataset)?.epochs;
  const perDataset = datasets.map((dataset) => {
    const cap = capOf(dataset);
    const runs = saved.runs.filter((r) => r.dataset.name === dataset && (cap === undefined || sameEpochCap(r, cap)));
    const inPlan = cap !== undefined;
    const isPlanned = (r: RunResult): boolean => inPlan && plan.models.includes(r.model.name) && plan.seeds.includes(r.training.seed);
    const rows = saved.summary.rows.filter((r) => r.dataset === dataset);
    return {
      dataset,
      planned: inPlan ? plan.models.length * plan.seeds.length : 0,
      finished: runs.filter(isPlanned).length,
      perSeed: inPlan ? plan.seeds.map((seed) => ({ seed, finished: runs.filter((r) => isPlanned(r) && r.training.seed === seed).length, of: plan.models.length })) : [],
      extra: [...new Set(runs.filter((r) => plan.models.includes(r.model.name) && !isPlanned(r)).map((r) => r.training.seed))].sort((a, b) => a - b),
      otherModels: [...new Set(runs.filter((r) => !plan.models.includes(r.model.name)).map((r) => r.model.name))],
      thinRows: rows.filter((r) => r.seeds.length < MIN_SEEDS).length,
      rows: rows.length,
    };
  });
  const planned = perDataset.reduce((s, d) => s + d.planned, 0);
  const finished = perDataset.reduce((s, d) => s + d.finished, 0);
  const failed = saved.summary.rows.flatMap((r) => (r.failed ?? []).map((f) => `${r.dataset} ${r.model} seed ${f.seed} (${f.status})`));
  const outliers = saved.summary.rows.flatMap((r) => (r.outliers ?? []).map((o) => `${r.dataset} ${r.model} seed ${o.seed}`));
  const name = (r: RunResult): string => `${r.dataset.name} ${r.model.name} seed ${r.training.seed}`;
  const unstopped = saved.runs.filter((r) => capOf(r.dataset.name) !== undefined && !r.final.stoppedEarly);
  const toExtend = unstopped.filter((r) => r.training.epochs < (capOf(r.dataset.name) as number)).map((r) => `${name(r)} (${r.training.epochs} epochs)`);
  const atCap = unstopped.filter((r) => r.training.epochs === capOf(r.dataset.name) && r.history.length === r.training.epochs).map(name);
  return { planned, finished, complete: finished === planned && planned > 0, datasets: perDataset, failed, outliers, toExtend, atCap, skipped: saved.summary.skipped };
}

/** The sweep's state as Markdown: one bold line saying partial or complete, then one bullet per dataset. */
export function sweepStateMarkdown(s: SweepState, plan: Pick<SuiteSettings, 'models' | 'seeds' | 'datasets'>): string {
  const lines = [`**State of the sweep: ${s.complete ? 'complete' : 'partial'}, ${s.finished} of ${s.planned} planned runs finished** ` +
    `(${plan.models.length} models × seeds ${plan.seeds.join(', ')} on ${plan.datasets.map((d) => d.name).join(' and ')}).` +
    (s.complete ? '' : ' Rows and comparisons below are where the sweep stands, not its final table.'), ''];
  for (const d of s.datasets) {
    const seeds = d.perSeed.map((p) => `seed ${p.seed}: ${p.finished} of ${p.of}`).join(', ');
    const extra = (d.extra.length ? `; also runs on extra seed(s) ${d.extra.join(', ')}` : '') +
      (d.otherModels.length ? `; also runs of models the suite does not plan (${d.otherModels.join(', ')})` : '');
    const thin = d.rows === 0 ? '' : d.thinRows === 0 ? `; every model with results has ≥ ${MIN_SEEDS} good seeds`
      : `; ${d.thinRows} of the ${d.rows} models with results have fewer than the ${MIN_SEEDS} good seeds a table entry needs`;
    lines.push(`- ${d.dataset}: ${d.finished} of ${d.planned} runs${seeds ? ` (${seeds})` : ''}${extra}${thin}.`);
  }
  for (const k of s.skipped) lines.push(`- ${k.dataset}: skipped (${k.reason}).`);
  lines.push(`- Failed runs (diverged or stalled; named, never averaged in): ${s.failed.length ? s.failed.join('; ') : 'none'}.`);
  lines.push(`- Outlier runs (trained normally, more than the peer gap below their other seeds; named and averaged in): ${s.outliers.length ? s.outliers.join('; ') : 'none'}.`);
  const caps = [...new Set(plan.datasets.map((d) => d.epochs))].join(' / ');
  if (s.toExtend.length) lines.push(`- Runs that reached an earlier, smaller epoch cap without stopping early (not counted as finished; in the tables until their checkpoints are extended to ${caps} epochs): ${s.toExtend.join('; ')}.`);
  lines.push(`- Runs that reached the ${caps}-epoch cap without early stopping: ${s.atCap.length ? s.atCap.join('; ') : 'none'}.`);
  return lines.join('\n');
}

/** Mean over good seeds of the best-epoch validation accuracy (null without validated runs): how the best hybrid is chosen. */
export function meanValidationAccuracy(row: SummaryRow, runs: readonly RunResult[]): number | null {
  const vals = row.seeds
    .map((seed) => runs.find((r) => r.dataset.name === row.dataset && r.model.name === row.model && r.training.seed === seed)?.final.bestValidationAccuracy)
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null;
}

/** Hybrids whose quantum angles are trained (frozen-kernel twins excluded) with at least one good seed. */
function trainedHybrids(rows: readonly SummaryRow[]): SummaryRow[] {
  return rows.filter((r) => r.family === 'hybrid' && r.parameters.quantum > 0 && r.seeds.length > 0);
}

/** The trained hybrid with the highest mean validation accuracy (ties: the earlier row), or null. */
export function bestHybrid(rows: readonly SummaryRow[], runs: readonly RunResult[]): { row: SummaryRow; validation: number } | null {
  let best: { row: SummaryRow; validation: number } | null = null;
  for (const row of trainedHybrids(rows)) {
    const v = meanValidationAccuracy(row, runs);
    if (v !== null && (best === null || v > best.validation)) best = { row, validation: v };
  }
  return best;
}

/** Whether one hybrid meets the aim, and why not. */
export interface AimCheck {
  model: string;
  /** Enough good seeds to judge. */
  judged: boolean;
  meets: boolean;
  /** What falls short (empty when it meets the aim or cannot be judged). */
  shortfalls: string[];
}

/** Checks one hybrid row against the aim; `rows` supply its same-shape control and LeNet-5-like. */
export function checkAim(h: SummaryRow, rows: readonly SummaryRow[]): AimCheck {
  const find = (m: string): SummaryRow | undefined => rows.find((r) => r.dataset === h.dataset && r.model === m);
  const shortfalls: string[] = [];
  if (h.testAccuracy.mean < AIM.accuracy) shortfalls.push(`mean ${pct2(h.testAccuracy.mean)} % < ${pct2(AIM.accuracy)} %`);
  const lenet = find('lenet5');
  if (!lenet) shortfalls.push('no LeNet-5-like result to compare parameters with');
  else if (h.parameters.total > AIM.parameterShare * lenet.parameters.total) shortfalls.push(`${h.parameters.total} parameters > a tenth of LeNet-5-like's ${lenet.parameters.total}`);
  const control = h.controls ? find(h.controls.sameShape) : undefined;
  const d = control ? rowPairedDifference(h, control) : null;
  if (!d) shortfalls.push('no paired result of its same-shape control');
  else if (d.meanDifference < 0) shortfalls.push(`behind its same-shape control by ${(-100 * d.meanDifference).toFixed(2)} points`);
  const judged = h.seeds.length >= MIN_SEEDS;
  return { model: h.model, judged, meets: judged && shortfalls.length === 0, shortfalls };
}

function pct2(x: number): string {
  return (100 * x).toFixed(2);
}

/** A row's accuracy: mean ± std over its good seeds with the seeds named, e.g. '98.98 % (seed 0)' or '99.01 ± 0.05 % (seeds 0, 1, 2)'. */
function accuracyText(r: SummaryRow): string {
  const seeds = `${r.seeds.length === 1 ? 'seed' : 'seeds'} ${r.seeds.join(', ')}`;
  return r.seeds.length > 1 ? `${pct2(r.testAccuracy.mean)} ± ${pct2(r.testAccuracy.std)} % (${seeds})` : `${pct2(r.testAccuracy.mean)} % (${seeds})`;
}

/** A signed paired difference in points with its interval, or why there is none. */
function signedDifference(p: PairedComparison): string {
  const f = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(2)}`;
  const n = p.seeds.length;
  return p.ci95 ? `${f(p.meanDifference)} points, 95 % CI [${f(p.ci95[0])}, ${f(p.ci95[1])}] over ${n} paired seeds`
    : `${f(p.meanDifference)} points (1 paired seed: no interval)`;
}

/** The headline bullets of one dataset (empty when it has no trained hybrid with a validated result). */
export function headlineMarkdown(rows: readonly SummaryRow[], runs: readonly RunResult[]): string {
  const best = bestHybrid(rows, runs);
  if (!best) return '';
  const h = best.row;
  const dataset = h.dataset;
  const find = (m: string): SummaryRow | undefined => rows.find((r) => r.dataset === dataset && r.model === m);
  const lenet = find('lenet5');
  const share = lenet ? `, ${(100 * h.parameters.total / lenet.parameters.total).toFixed(1)} % of LeNet-5-like's ${lenet.parameters.total.toLocaleString('en-US')}` : '';
  const lines = [
    `**Headline, ${dataset}** (computed from the run files by \`npm run readme:results\`):`, '',
    `- Best hybrid, chosen on validation (highest mean best-epoch validation accuracy, ${pct2(best.validation)} %, among the hybrids with trained quantum angles): ` +
    `**${h.model}**, test ${accuracyText(h)}, ${h.parameters.total.toLocaleString('en-US')} trainable parameters (${h.parameters.quantum} quantum + ` +
    `${h.parameters.classical.toLocaleString('en-US')} classical)${share}; ${h.seeds.length} of the ${HEADLINE_SEEDS} seeds a headline row wants.`,
  ];
  for (const { role, model } of hybridRivals(h)) {
    const c = find(model);
    if (!c) { lines.push(`- vs ${role} ${model}: no result yet.`); continue; }
    if (c.seeds.length === 0) { lines.push(`- vs ${role} ${model}: every seed failed (${(c.failed ?? []).map((f) => `s${f.seed} ${f.status}`).join(', ')}).`); continue; }
    const d = rowPairedDifference(h, c);
    lines.push(`- vs ${role} ${model}, ${c.parameters.total.toLocaleString('en-US')} parameters, test ${accuracyText(c)}: hybrid − ${role} ${d ? signedDifference(d) : 'not paired (no shared seed yet)'}.`);
  }
  if (dataset === AIM.dataset) lines.push(aimLine(rows));
  return lines.join('\n');
}

/** The verdict on the aim over every trained hybrid: met (by whom), not met (so far), or open. */
export function aimLine(rows: readonly SummaryRow[]): string {
  const checks = trainedHybrids(rows).map((h) => ({ h, c: checkAim(h, rows) }));
  const head = `- The aim (≥ ${(100 * AIM.accuracy).toFixed(1)} % mean test accuracy over ≥ ${MIN_SEEDS} seeds, at most a tenth of LeNet-5-like's parameters, ` +
    'at least as good as its same-shape control): ';
  const met = checks.filter((x) => x.c.meets);
  if (met.length > 0) return `${head}**met** by ${met.map((x) => `${x.h.model} (${accuracyText(x.h)})`).join(', ')}.`;
  const judged = checks.filter((x) => x.c.judged);
  const top = [...checks].sort((a, b) => b.h.testAccuracy.mean - a.h.testAccuracy.mean)[0];
  const atAim = checks.filter((x) => x.h.testAccuracy.mean >= AIM.accuracy).map((x) => `${x.h.model} ${accuracyText(x.h)}`);
  const sofar = `hybrids at ≥ ${(100 * AIM.accuracy).toFixed(1)} % so far: ${atAim.length ? atAim.join(', ') : 'none'}` +
    (top ? ` (highest hybrid test mean: ${top.h.model} ${accuracyText(top.h)}${top.c.shortfalls.length ? `; short of the aim: ${top.c.shortfalls.join(', ')}` : ''})` : '');
  if (judged.length === 0) return `${head}**open**: no hybrid has ${MIN_SEEDS} good seeds yet; ${sofar}.`;
  const pending = checks.length - judged.length;
  const why = judged.map((x) => `${x.h.model}: ${x.c.shortfalls.join(', ')}`).join('; ');
  return `${head}**not met${pending > 0 ? ' so far' : ''}**: ${why}` +
    (pending > 0 ? `; ${pending} hybrid(s) still have fewer than ${MIN_SEEDS} seeds; ${sofar}.` : '.');
}
