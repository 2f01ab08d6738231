/**
 * The README's generated pooling-claim block: the pooling study's paired differences (each rival pooling minus
 * the quantum pooling, per model, over seeds) with the count of pairs where the quantum pooling is behind, and a
 * one-paragraph reading whose numbers and verdicts come from the study file and the official models' entanglement
 * analyses, so the claim's wording cannot drift from the measurements.
 */
import type { EntanglementAnalysisResults, PoolingStudyDifference, PoolingStudySummary } from '../studies';
import { titledTable } from './results-tables';

/** Percentage points with a sign (e.g. +7.7, −3.7), one decimal. */
function points(x: number): string {
  const v = (100 * x).toFixed(1);
  return Number(v) === 0 ? '0.0' : x > 0 ? `+${v}` : `−${v.replace('-', '')}`;
}

/** A percentage with one decimal. */
function pct(x: number): string {
  return (100 * x).toFixed(1);
}

/** Seeds where the quantum pooling is behind (rival − quantum > 0), tied (within 0.01 point) or ahead. */
export interface PairCounts { behind: number; tied: number; ahead: number; }

/** The pair counts of one or more paired differences (a difference under 0.01 point counts as a tie). */
export function pairCounts(diffs: readonly PoolingStudyDifference[]): PairCounts {
  const all = diffs.flatMap((d) => d.differences);
  return { behind: all.filter((x) => x > 1e-4).length, tied: all.filter((x) => Math.abs(x) <= 1e-4).length, ahead: all.filter((x) => x < -1e-4).length };
}

/** The differences against the quantum pooling whose variant is not itself a quantum pooling (no pooling, classical, learned). */
export function rivalDifferences(study: PoolingStudySummary): PoolingStudyDifference[] {
  const kind = new Map(study.rows.map((r) => [`${r.model}\u0000${r.variant}`, r.kind]));
  return study.differences.filter((d) => kind.get(`${d.model}\u0000${d.variant}`) !== 'quantum');
}

/**
 * The model's own trained pooling against avg and max pooling in one entanglement analysis; when the model has no
 * pooling at the analysed place (e.g. hybrid-qpool pools spatially, after the kernel), the fitted `<block>/z` pooling
 * of the analysis' block, which has as many features as avg and max. Null when a row is missing.
 */
export function officialPoolingComparison(a: EntanglementAnalysisResults): { model: string; own: number; avg: number; max: number; variant: string; trained: boolean } | null {
  const rows = a.information.rows;
  const own = rows.find((r) => r.fromModel) ?? rows.find((r) => r.variant === `${a.settings?.block}/z`);
  const avg = rows.find((r) => r.variant === 'avg');
  const max = rows.find((r) => r.variant === 'max');
  if (!own || !avg || !max) return null;
  return { model: a.source.model, own: own.testAccuracy, avg: avg.testAccuracy, max: max.testAccuracy, variant: own.variant, trained: own.fromModel };
}

/** The reading of the study and the official analyses: what the numbers support and what they do not. */
export function poolingClaimReading(study: PoolingStudySummary, official: readonly EntanglementAnalysisResults[]): string {
  const s = study.settings;
  const rivals = rivalDifferences(study);
  const c = pairCounts(rivals);
  const total = c.behind + c.tied + c.ahead;
  const withCi = rivals.filter((d) => d.ci95);
  const excluding = withCi.filter((d) => d.ci95![0] > 0 || d.ci95![1] < 0);
  const forRivals = excluding.filter((d) => d.ci95![0] > 0);
  const accs = study.models.flatMap((m) => m.testAccuracies);
  // "Does not support" only when quantum is behind in most pairs, every clear interval favours the rival, and the
  // parameter-matched learned pooling and average pooling are ahead on average in every model.
  const matched = rivals.filter((d) => d.variant === 'learned' || d.variant === 'avg');
  const supports = c.behind > total / 2 && forRivals.length === excluding.length && excluding.length > 0 && matched.length > 0 && matched.every((d) => d.meanDifference > 0);
  const variants = [...new Set(rivals.map((d) => d.variant))];
  const lines: string[] = [];
  lines.push(`**Reading.** On ${study.models.length} models × ${s.seeds.length} seeds, short-trained (${s.epochs} epochs on ${s.trainSize.toLocaleString('en-US')} ` +
    `official-MNIST images; model test accuracy ${pct(Math.min(...accs))} to ${pct(Math.max(...accs))} %), the quantum pooling was behind the non-quantum poolings ` +
    `(${variants.join(', ')}) in ${c.behind} of ${total} seed pairs (tied in ${c.tied}, ahead in ${c.ahead}); ` +
    `${excluding.length} of ${withCi.length} paired 95 % intervals exclude zero, ${forRivals.length} of them in the rival's favour` +
    (excluding.length ? ` (${excluding.map((d) => `${d.model} ${d.variant} ${points(d.meanDifference)}`).join(', ')})` : '') + '. ' +
    (supports
      ? 'On these models the measurements do **not** support the claim that entanglement-based pooling keeps more of the discriminative information than classical pooling: in every model a parameter-matched learned classical pooling, and plain average pooling, kept more on average. '
      : 'On these models the measurements do not settle the claim either way. '));
  const own = official.map(officialPoolingComparison).filter((x): x is NonNullable<typeof x> => x !== null);
  const against = own.filter((o) => o.own > o.avg && o.own > o.max);
  if (own.length) {
    lines.push(`The official suite's fully trained models, one seed each, analysed on official MNIST: ` +
      own.map((o) => `${o.model}'s ${o.trained ? 'own trained pooling' : 'quantum pooling fitted on its frozen kernel, 4 → 2 qubits (the model has no trained pooling there)'} (${o.variant}) kept ${pct(o.own)} % (linear probe) against average ${pct(o.avg)} % and max ${pct(o.max)} %`).join('; ') + '. ' +
      (against.length
        ? `${against.map((o) => o.model).join(' and ')} point${against.length === 1 ? 's' : ''} the other way, so the claim is model-dependent and not settled. `
        : 'They agree with the study. '));
  }
  lines.push('What the measurements do not show: the probe is linear and trained on a few thousand images, so it ranks what a linear read-out can use, ' +
    `not information in Shannon's sense; the study's models are short-trained and ${s.seeds.length} seeds leave most single-model intervals wide; ` +
    'the official analyses are one model and one seed each, without intervals across seeds, and their classical rivals are parameter-free average and max pooling ' +
    '(no parameter-matched learned classical pooling was measured there).');
  return lines.join('');
}

/**
 * A longer-probe check (a second study file with `probeSteps` set) beside the main study on the same seeds: per
 * model, the poolings ordered by the check's probe accuracy, each with the main study's value in brackets.
 */
export function probeCheckLine(study: PoolingStudySummary, check: PoolingStudySummary): string {
  const mainRow = new Map(study.rows.map((r) => [`${r.model}\u0000${r.variant}`, r]));
  const perModel = check.settings.models.map((model) => {
    const rows = check.rows.filter((r) => r.model === model).sort((a, b) => b.mean - a.mean);
    const cells = rows.map((r) => {
      const m = mainRow.get(`${model}\u0000${r.variant}`);
      const same = m ? r.seeds.map((seed) => m.testAccuracies[m.seeds.indexOf(seed)]).filter((x) => x !== undefined) : [];
      const before = same.length === r.seeds.length ? ` (${pct(same.reduce((a, b) => a + b, 0) / same.length)})` : '';
      return `${r.variant} ${pct(r.mean)}${before}`;
    });
    return `${model}: ${cells.join(', ')}`;
  });
  return `Longer-probe check (${check.settings.probeSteps ?? 'default'} probe steps; models ${check.settings.models.join(', ')}; seed(s) ${check.settings.seeds.join(', ')}): ` +
    `probe test accuracy %, best first, with the main study's default-probe value on the same seed(s) in brackets — ${perModel.join('; ')}.`;
}

/**
 * The generated block: the study's table (per model and rival pooling: probe accuracy mean ± sd, rival − quantum
 * mean and 95 % interval over paired seeds, the pairs where quantum is behind / tied / ahead) and the reading.
 */
export function poolingStudyBlock(study: PoolingStudySummary, official: readonly EntanglementAnalysisResults[] = [], check: PoolingStudySummary | null = null): string {
  const s = study.settings;
  const rowOf = new Map(study.rows.map((r) => [`${r.model}\u0000${r.variant}`, r]));
  const records = rivalDifferences(study).map((d) => {
    const r = rowOf.get(`${d.model}\u0000${d.variant}`);
    const q = rowOf.get(`${d.model}\u0000${d.reference}`);
    const c = pairCounts([d]);
    return {
      model: d.model, pooling: d.variant, 'pool parameters': r?.parameters ?? '?',
      'probe test accuracy %': r ? `${pct(r.mean)} ± ${r.sd === null ? '–' : pct(r.sd)}` : '?',
      'quantum %': q ? `${pct(q.mean)} ± ${q.sd === null ? '–' : pct(q.sd)}` : '?',
      'minus quantum (points)': points(d.meanDifference),
      '95 % CI': d.ci95 ? `[${points(d.ci95[0])}, ${points(d.ci95[1])}]` : '–',
      'quantum behind / tied / ahead': `${c.behind} / ${c.tied} / ${c.ahead}`,
    };
  });
  const head = `The pooling study: each rival pooling minus the quantum (Hur, fitted) pooling, linear-probe test accuracy on the maps each trained model feeds its pooling layer ` +
    `(${s.models.length} models × seeds ${s.seeds.join(', ')}; ${s.trainSize.toLocaleString('en-US')} train / ${s.validationSize.toLocaleString('en-US')} validation / ` +
    `${s.testSize.toLocaleString('en-US')} test official-MNIST images; ${s.epochs} epochs; differences paired by seed, 95 % Student-t interval)`;
  const missing = study.missing.length ? `\n\nMissing runs: ${study.missing.map((m) => `${m.model} seed ${m.seed}`).join(', ')}.` : '';
  const models = `Model test accuracy after training, per seed (%): ${study.models.map((m) => `${m.model} ${m.testAccuracies.map(pct).join(', ')}`).join('; ')}.`;
  const probe = check ? `\n\n${probeCheckLine(study, check)}` : '';
  return `${titledTable(head, records, true).trimEnd()}${missing}\n\n${models}${probe}\n\n${poolingClaimReading(study, official)}`;
}
