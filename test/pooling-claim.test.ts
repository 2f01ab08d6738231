// The pooling-claim block's counts, intervals and verdicts, on a small hand-made study and hand-made official
// analyses whose answers are worked out by hand below (the README's own block is checked in readme-results.test.ts).
import { strict as assert } from 'assert';
import type { EntanglementAnalysisResults, PoolingStudySummary } from '../src/studies';
import { officialPoolingComparison, pairCounts, poolingClaimReading, poolingStudyBlock, probeCheckLine, rivalDifferences } from '../src/figures';

const row = (model: string, variant: string, kind: string, accs: number[], parameters = 0) => ({
  model, variant, kind, featureDim: 4, parameters, seeds: [0, 1], testAccuracies: accs, mean: (accs[0] + accs[1]) / 2, sd: Math.abs(accs[0] - accs[1]) / Math.SQRT2, validationMean: 0.5, miBoundMeanBits: 1,
});

/** One model 'm', seeds 0 and 1: quantum 80/84 %, avg 82/84 % (behind, tied), learned 79/87 % (ahead, behind), quantum (model) 70/70 %. */
function study(): PoolingStudySummary {
  const q = [0.80, 0.84];
  const diff = (variant: string, accs: number[], ci95: [number, number] | null) => ({ model: 'm', variant, reference: 'quantum', seeds: [0, 1], differences: accs.map((a, i) => a - q[i]), meanDifference: (accs[0] - q[0] + accs[1] - q[1]) / 2, ci95 });
  return {
    format: 'qkc-pooling-study/1', created: '', estimator: 'e', missing: [],
    settings: { models: ['m'], seeds: [0, 1], trainSize: 2000, validationSize: 1000, testSize: 2000, epochs: 5, patience: 2, batchSize: 32, learningRate: 3e-3, quantumLearningRate: 0.01, block: 'hur', fit: { epochs: 4, batchSize: 128, learningRate: 0.05 }, l2Grid: [0.01] },
    models: [{ model: 'm', seeds: [0, 1], testAccuracies: [0.9, 0.8], bestEpochs: [5, 5] }],
    rows: [row('m', 'quantum', 'quantum', q, 2), row('m', 'avg', 'classical', [0.82, 0.84]), row('m', 'learned', 'learned', [0.79, 0.87], 2), row('m', 'quantum (model)', 'quantum', [0.7, 0.7], 2)],
    // avg − quantum: +2, 0 points → mean +1.0; interval given as [+0.5, +1.5] (excludes zero); learned: −1, +3 → +1.0, interval [−5, +7].
    differences: [diff('avg', [0.82, 0.84], [0.005, 0.015]), diff('learned', [0.79, 0.87], [-0.05, 0.07]), diff('quantum (model)', [0.7, 0.7], [-0.2, -0.05])],
  } as PoolingStudySummary;
}

function analysis(model: string, own: number, avg: number, max: number): EntanglementAnalysisResults {
  const r = (variant: string, testAccuracy: number, fromModel = false) => ({ variant, testAccuracy, fromModel });
  return { source: { model }, settings: { block: 'hur' }, information: { rows: [r('kernel', 0.99), r('avg', avg), r('max', max), r(`${model}-pool (model)`, own, true)] } } as unknown as EntanglementAnalysisResults;
}

describe('pooling-claim block (README, npm run readme:results)', () => {
  it('counts pairs per seed and leaves quantum variants out of the rivals', () => {
    const rivals = rivalDifferences(study());
    assert.deepEqual(rivals.map((d) => d.variant), ['avg', 'learned']);
    assert.deepEqual(pairCounts(rivals), { behind: 2, tied: 1, ahead: 1 });
  });

  it('tables each rival with its mean difference, interval and pair counts', () => {
    const block = poolingStudyBlock(study());
    assert.match(block, /\| m \| avg \| 0 \| 83\.0 ± 1\.4 \| 82\.0 ± 2\.8 \| \+1\.0 \| \[\+0\.5, \+1\.5\] \| 1 \/ 1 \/ 0 \|/);
    assert.match(block, /\| m \| learned \| 2 \| 83\.0 ± 5\.7 \| 82\.0 ± 2\.8 \| \+1\.0 \| \[−5\.0, \+7\.0\] \| 1 \/ 0 \/ 1 \|/);
    assert.ok(!block.includes('| m | quantum (model) |'));
    assert.match(block, /Model test accuracy after training, per seed \(%\): m 90\.0, 80\.0\./);
  });

  it('reads "does not support" only when quantum is behind in most pairs; an official model ahead of avg and max makes it unsettled', () => {
    // 2 of 4 pairs behind is not most: no verdict against the claim.
    const text = poolingClaimReading(study(), [analysis('k', 0.86, 0.79, 0.72)]);
    assert.match(text, /behind the non-quantum poolings \(avg, learned\) in 2 of 4 seed pairs \(tied in 1, ahead in 1\); 1 of 2 paired 95 % intervals exclude zero, 1 of them in the rival's favour \(m avg \+1\.0\)/);
    assert.match(text, /do not settle the claim either way/);
    assert.match(text, /k's own trained pooling \(k-pool \(model\)\) kept 86\.0 % \(linear probe\) against average 79\.0 % and max 72\.0 %\. k points the other way, so the claim is model-dependent and not settled/);
    // Make seed 0's learned pair behind too (3 of 4): now the study does not support the claim; an official model behind avg agrees.
    const s = study();
    s.differences[1].differences = [0.01, 0.03];
    const against = poolingClaimReading(s, [analysis('q', 0.80, 0.85, 0.70)]);
    assert.match(against, /in 3 of 4 seed pairs/);
    assert.match(against, /do \*\*not\*\* support the claim/);
    assert.match(against, /They agree with the study\./);
    assert.equal(officialPoolingComparison({ source: { model: 'x' }, settings: { block: 'hur' }, information: { rows: [] } } as unknown as EntanglementAnalysisResults), null);
    // No trained pooling in the model at the analysed place: the fitted hur/z row stands in, and the text says so.
    const spatial = analysis('s', 0.5, 0.896, 0.893);
    spatial.information.rows = spatial.information.rows.filter((r) => !r.fromModel).concat([{ variant: 'hur-y/z', testAccuracy: 0.95, fromModel: false }, { variant: 'hur/z', testAccuracy: 0.91, fromModel: false }] as typeof spatial.information.rows);
    assert.deepEqual(officialPoolingComparison(spatial), { model: 's', own: 0.91, avg: 0.896, max: 0.893, variant: 'hur/z', trained: false });
    assert.match(poolingClaimReading(s, [spatial]), /s's quantum pooling fitted on its frozen kernel, 4 → 2 qubits \(the model has no trained pooling there\) \(hur\/z\) kept 91\.0 %/);
  });

  it('sets a longer-probe check beside the main study on the same seed', () => {
    const check = study();
    check.settings = { ...check.settings, seeds: [0], probeSteps: 1000 };
    check.rows = [row('m', 'avg', 'classical', [0.9, 0.9]), row('m', 'quantum', 'quantum', [0.85, 0.85])].map((r) => ({ ...r, seeds: [0], testAccuracies: [r.mean] }));
    assert.match(probeCheckLine(study(), check), /1000 probe steps; models m; seed\(s\) 0\).*m: avg 90\.0 \(82\.0\), quantum 85\.0 \(80\.0\)\.$/);
  });
});
