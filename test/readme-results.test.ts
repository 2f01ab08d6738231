// The README's generated Results block: it must equal what `npm run readme:results` builds from the committed
// result files (so it cannot go stale), and the headline's rules (best hybrid on validation, the 99.0 % aim,
// partial sweeps) are checked on small hand-made suites whose answers are worked out by hand below.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { summarizeRuns, type RunResult, type SummaryRow } from '../src/experiments';
import { readEntanglementAnalysis, readPoolingStudy } from '../src/studies';
import {
  accuracyPerModelFigure, officialEntanglementBlock, poolingStudyReadmeBlock, aimLine, bestHybrid, checkAim, headlineMarkdown, readSuiteResults, readmeMarkers, readmeResultsBlock, replaceBetweenMarkers, sweepState,
  sweepStateMarkdown, textBetweenMarkers, type SuiteResults,
} from '../src/figures';

const ROOT = path.join(__dirname, '..');
const RESULTS_DIR = path.join(ROOT, 'figures', 'results');

/** A minimal validated run: `acc` test accuracy, `val` best-validation accuracy, `params` = [quantum, classical]. */
function run(model: string, seed: number, acc: number, val: number, params: [number, number], controls: { sameShape: string; paramMatched: string } | null = null, loss = 0.2): RunResult {
  return {
    format: 'qkc-run-result/2', id: `mnist-official-${model}-s${seed}`, suite: 'full-official',
    model: { name: model, family: model.startsWith('hybrid') ? 'hybrid' : 'classical', description: 'd', controls, architecture: 'x' },
    parameters: { quantum: params[0], classical: params[1], total: params[0] + params[1] },
    dataset: { name: 'mnist-official', source: 's', trainSize: 55000, testSize: 10000, numClasses: 10, validation: { size: 5000, seed: 7 } },
    training: { seed, epochs: 40, batchSize: 32, learningRate: 3e-3, quantumLearningRate: 0.01, diffMethod: 'backprop', configHash: null, patience: 4 },
    history: [{ epoch: 1, loss, accuracy: 0.5, val_loss: 1, val_accuracy: val, epoch_time_s: 1, circuit_executions: 1 }],
    final: {
      selection: 'best-validation', selectedEpoch: 1, bestValidationAccuracy: val, stoppedEarly: false, testAccuracy: acc, testLoss: 1,
      lastEpochTestAccuracy: acc, lastEpochTestLoss: 1, trainAccuracy: 1, trainLoss: 1, perClassAccuracy: [], confusion: [],
    },
    timing: { meanEpochTimeS: 1, trainTimeS: 1, evalTimeS: 1, imagesPerS: 10 },
    circuitExecutions: { perEpoch: 1, train: 1, testPass: 1 },
    environment: { backend: 'wasm', qkcVersion: '0', node: 'v20', createdAt: '' },
  } as unknown as RunResult;
}

const A = { sameShape: 'control-a', paramMatched: 'cnn-medium' };
const B = { sameShape: 'control-b', paramMatched: 'cnn-medium' };

/** hybrid-a: 3 seeds at 99.1/99.2/99.0 % (mean 99.1), 5,000 parameters; control-a 99.0 % flat; lenet5 61,706 parameters. */
function suite(seeds: number[], hybridA: number[] = [0.991, 0.992, 0.990]): RunResult[] {
  return seeds.flatMap((s) => [
    run('hybrid-a', s, hybridA[s], 0.985, [12, 4988], A),
    run('hybrid-b', s, 0.995, 0.980, [12, 4988], B), // higher test, lower validation: not the pick
    run('control-a', s, 0.990, 0.984, [0, 5000]),
    run('control-b', s, 0.996, 0.984, [0, 5000]),
    run('cnn-medium', s, 0.987, 0.983, [0, 5258]),
    run('lenet5', s, 0.989, 0.986, [0, 61706]),
  ]);
}

function saved(runs: RunResult[]): SuiteResults {
  return { suite: 'full-official', runs, missingRuns: [], summary: { format: 'qkc-results-summary/2', suite: 'full-official', createdAt: '', settings: {}, rows: summarizeRuns(runs), skipped: [] } };
}

/** Asserts that README.md's generated block `name` equals `build()` (what the committed files give) and returns that block. */
async function assertReadmeBlock(name: Parameters<typeof readmeMarkers>[0], build: () => string | Promise<string>): Promise<string> {
  const { begin, end } = readmeMarkers(name);
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const expected = await build();
  assert.equal(textBetweenMarkers(readme, begin, end), expected, `README.md's ${name} block is stale: run \`npm run readme:results\``);
  return expected;
}

describe('README results block (npm run readme:results)', () => {
  it('README.md holds exactly the block the committed full-official files give (run `npm run readme:results` after new runs)', async () => {
    const results = readSuiteResults('full-official', RESULTS_DIR);
    assert.ok(results, 'figures/results/full-official-summary.json is missing');
    const expected = await assertReadmeBlock('full-official', () => readmeResultsBlock(results, path.join(ROOT, 'figures')));
    // The block carries the numbers of the files, not prose about them: every good seed's accuracy appears.
    for (const r of results.summary.rows) for (const v of r.testAccuracy.values) assert.ok(expected.includes((100 * v).toFixed(2)), `${r.model}: ${v}`);
  });

  it('README.md holds exactly the information table of the official model\'s entanglement analysis', async () => {
    const expected = await assertReadmeBlock('entanglement-official', () => officialEntanglementBlock(RESULTS_DIR));
    if (fs.existsSync(path.join(RESULTS_DIR, 'entanglement-analysis-official.json'))) {
      const results = await readEntanglementAnalysis(path.join(RESULTS_DIR, 'entanglement-analysis-official.json'));
      for (const r of results.information.rows) assert.ok(expected.includes(`| ${r.variant} | ${r.kind} | ${r.featureDim} |`), r.variant);
    } else assert.match(expected, /npm run analysis:entanglement -- --full --saved-model/);
  });

  it('README.md holds exactly the pooling-study block the committed study and analyses give, with every paired difference', async () => {
    const expected = await assertReadmeBlock('pooling-study', () => poolingStudyReadmeBlock(RESULTS_DIR));
    if (!fs.existsSync(path.join(RESULTS_DIR, 'pooling-study.json'))) return assert.match(expected, /npm run analysis:pooling/);
    const study = await readPoolingStudy(path.join(RESULTS_DIR, 'pooling-study.json'));
    // Each non-quantum rival's row carries its mean difference to one decimal, read straight from the file.
    for (const d of study.differences.filter((x) => !x.variant.startsWith('quantum'))) {
      const v = (100 * d.meanDifference).toFixed(1);
      assert.ok(expected.includes(`| ${d.model} | ${d.variant} |`) && expected.includes(d.meanDifference >= 0 ? `+${v}` : `−${v.slice(1)}`), `${d.model} ${d.variant}`);
    }
    assert.match(expected, /\*\*Reading\.\*\*/);
  });

  it('picks the best hybrid on validation, not on test, and pairs it with its rivals over shared seeds', () => {
    const runs = suite([0, 1, 2]);
    const rows = summarizeRuns(runs);
    assert.equal(bestHybrid(rows, runs)?.row.model, 'hybrid-a');
    const text = headlineMarkdown(rows, runs);
    assert.match(text, /\*\*hybrid-a\*\*, test 99\.10 ± 0\.10 % \(seeds 0, 1, 2\), 5,000 trainable parameters \(12 quantum \+ 4,988 classical\), 8\.1 % of LeNet-5-like's 61,706/);
    // hybrid-a − control-a: differences +0.1, +0.2, 0.0 points → mean +0.10, sd 0.1, t(2) 4.303 → ±0.25
    assert.match(text, /vs same-shape control control-a, 5,000 parameters, test 99\.00 ± 0\.00 % \(seeds 0, 1, 2\): hybrid − same-shape control \+0\.10 points, 95 % CI \[−0\.15, \+0\.35\] over 3 paired seeds/);
    assert.match(text, /vs LeNet-5-like lenet5, 61,706 parameters.*\+0\.20 points/);
    assert.match(text, /vs frozen-kernel twin hybrid-a-frozen: no result yet/);
  });

  it('the aim: met with 3 seeds at ≥ 99.0 % ahead of the control; not met when behind it; open with fewer seeds', () => {
    const met = summarizeRuns(suite([0, 1, 2]));
    assert.match(aimLine(met), /\*\*met\*\* by hybrid-a \(99\.10 ± 0\.10 %/);
    // hybrid-b: 99.5 % but behind control-b (99.6 %): never meets the aim, whatever its accuracy.
    assert.deepEqual(checkAim(met.find((r) => r.model === 'hybrid-b') as SummaryRow, met).shortfalls, ['behind its same-shape control by 0.10 points']);
    const low = summarizeRuns(suite([0, 1, 2], [0.989, 0.990, 0.988]));
    const line = aimLine(low);
    assert.match(line, /\*\*not met\*\*: hybrid-a: mean 98\.90 % < 99\.00 %, behind its same-shape control by 0\.10 points; hybrid-b: behind/);
    const one = summarizeRuns(suite([0]));
    assert.match(aimLine(one), /\*\*open\*\*: no hybrid has 3 good seeds yet; hybrids at ≥ 99\.0 % so far: hybrid-a 99\.10 % \(seed 0\), hybrid-b 99\.50 % \(seed 0\)/);
  });

  it('labels a partial sweep with runs per seed, extra seeds and thin rows; a full one as complete', () => {
    const plan = { models: ['hybrid-a', 'control-a'], seeds: [0, 1], datasets: [{ name: 'mnist-official' as const, epochs: 40, trainSize: null, testSize: null, validationSize: 5000 }] };
    const partial = sweepState(saved([run('hybrid-a', 0, 0.9, 0.9, [1, 1], A), run('control-a', 0, 0.9, 0.9, [0, 2]), run('hybrid-a', 1, 0.9, 0.9, [1, 1], A), run('hybrid-a', 4, 0.9, 0.9, [1, 1], A)]), plan);
    assert.deepEqual([partial.finished, partial.planned, partial.complete], [3, 4, false]);
    assert.deepEqual(partial.datasets[0].perSeed, [{ seed: 0, finished: 2, of: 2 }, { seed: 1, finished: 1, of: 2 }]);
    assert.deepEqual(partial.datasets[0].extra, [4]);
    assert.deepEqual(partial.datasets[0].otherModels, []);
    const md = sweepStateMarkdown(partial, plan);
    assert.match(md, /^\*\*State of the sweep: partial, 3 of 4 planned runs finished\*\*/);
    assert.match(md, /mnist-official: 3 of 4 runs \(seed 0: 2 of 2, seed 1: 1 of 2\); also runs on extra seed\(s\) 4; 1 of the 2 models with results have fewer than the 3 good seeds/);
    const full = sweepState(saved([0, 1].flatMap((s) => [run('hybrid-a', s, 0.9, 0.9, [1, 1], A), run('control-a', s, 0.9, 0.9, [0, 2])])), plan);
    assert.equal(full.complete, true);
    assert.match(sweepStateMarkdown(full, plan), /complete, 4 of 4/);
  });

  it('a run that reached a smaller epoch cap is not finished (named, to extend); one that stopped early under it is; runs at the cap are named', () => {
    const plan = { models: ['hybrid-a', 'control-a'], seeds: [0, 1], datasets: [{ name: 'mnist-official' as const, epochs: 40, trainSize: null, testSize: null, validationSize: 5000 }] };
    const withHistory = (r: RunResult, epochs: number, length: number, stoppedEarly: boolean): RunResult =>
      ({ ...r, training: { ...r.training, epochs }, history: Array.from({ length }, (_, i) => ({ ...r.history[0], epoch: i + 1 })), final: { ...r.final, stoppedEarly } });
    const runs = [
      withHistory(run('hybrid-a', 0, 0.9, 0.9, [1, 1], A), 20, 12, true), // stopped at 12 under 20: the same run under 40
      withHistory(run('control-a', 0, 0.9, 0.9, [0, 2]), 20, 20, false), // reached 20: to extend
      withHistory(run('hybrid-a', 1, 0.9, 0.9, [1, 1], A), 40, 40, false), // reached 40
      withHistory(run('control-a', 1, 0.9, 0.9, [0, 2]), 20, 20, true), // stopped by patience exactly at 20
    ];
    const state = sweepState(saved(runs), plan);
    assert.deepEqual([state.finished, state.planned], [3, 4]);
    assert.deepEqual(state.toExtend, ['mnist-official control-a seed 0 (20 epochs)']);
    assert.deepEqual(state.atCap, ['mnist-official hybrid-a seed 1']);
    const md = sweepStateMarkdown(state, plan);
    assert.match(md, /not counted as finished; in the tables until their checkpoints are extended to 40 epochs\): mnist-official control-a seed 0 \(20 epochs\)\./);
    assert.match(md, /reached the 40-epoch cap without early stopping: mnist-official hybrid-a seed 1\./);
  });

  it('the per-model accuracy figure draws each good seed and the mean ± std, names failed seeds, zooms to the data and marks the aim', () => {
    // control-a seed 2 at 50 % against 99 %, its loss near ln 10: stalled, so named in its label and left out of the points and the axis.
    const runs = [...suite([0, 1, 2]).filter((r) => !(r.model.name === 'control-a' && r.training.seed === 2)), run('control-a', 2, 0.5, 0.5, [0, 5000], null, 2.25)];
    const rows = summarizeRuns(runs);
    const fig = accuracyPerModelFigure(rows);
    const layout = fig.layout as { xaxis: { range: number[] }; shapes: Array<{ x0: number }>; yaxis: { categoryarray: string[] } };
    assert.ok(layout.yaxis.categoryarray.includes('control-a (2 seeds; failed: s2 stalled)'), layout.yaxis.categoryarray.join(' | '));
    const points = fig.data.filter((t) => t.name === 'each seed').flatMap((t) => t.x as number[]);
    assert.equal(points.length, 6 * 3 - 1);
    assert.ok(!points.some((x) => x < 90));
    assert.ok(layout.xaxis.range[0] > 98 && layout.xaxis.range[1] <= 100, `range ${layout.xaxis.range}`);
    assert.deepEqual(layout.shapes.map((s) => s.x0), [99]);
    const hybrids = fig.data.find((t) => String(t.name).startsWith('hybrid'))!;
    assert.deepEqual((hybrids.x as number[]).map((x) => x.toFixed(2)), ['99.10', '99.50']);
    assert.throws(() => accuracyPerModelFigure([...rows, { ...rows[0], dataset: 'fashion-mnist' }]), /expected rows of one dataset/);
  });

  it('a growing sweep: more seeds, Fashion-MNIST rows and a failed run all show up in the block', () => {
    const fashion = (r: RunResult): RunResult => ({ ...r, dataset: { ...r.dataset, name: 'fashion-mnist' } });
    // lenet5 seed 2 stalls (50 % against 98.9 %, its loss near ln 10): named as failed, left out of its mean.
    const mnist = suite([0, 1, 2]).map((r) => (r.model.name === 'lenet5' && r.training.seed === 2 ? run('lenet5', 2, 0.5, 0.5, [0, 61706], null, 2.25) : r));
    const all = [...mnist, ...suite([0]).map(fashion)];
    const block = readmeResultsBlock(saved(all), path.join(ROOT, 'no-such-figures-dir'));
    // Of the made-up suite only cnn-medium and lenet5 are models the real plan has; the others are named as unplanned.
    assert.match(block, /partial, 8 of 168 planned runs finished/);
    assert.match(block, /mnist-official: 6 of 84 runs \(seed 0: 2 of 28, seed 1: 2 of 28, seed 2: 2 of 28\); also runs of models the suite does not plan \(hybrid-a, hybrid-b, control-a, control-b\)/);
    assert.match(block, /fashion-mnist: 2 of 84 runs \(seed 0: 2 of 28, seed 1: 0 of 28, seed 2: 0 of 28\)/);
    assert.match(block, /Failed runs \(diverged or stalled; named, never averaged in\): mnist-official lenet5 seed 2 \(stalled\)/);
    const [mnistHeadline, fashionHeadline] = block.split('**Headline, ').slice(1);
    assert.match(mnistHeadline, /LeNet-5-like lenet5, 61,706 parameters, test 98\.90 ± 0\.00 % \(seeds 0, 1\): hybrid − LeNet-5-like \+0\.25 points, 95 % CI .* over 2 paired seeds/);
    assert.match(mnistHeadline, /The aim .*\*\*met\*\* by hybrid-a/);
    assert.ok(fashionHeadline.startsWith('fashion-mnist**') && !fashionHeadline.includes('The aim'), 'the 99.0 % aim is about official MNIST only');
    assert.ok(!block.includes('!['), 'no figure links when the figures are not drawn');
  });

  it('replaces only the text between its markers and refuses missing or repeated markers', () => {
    const { begin, end } = readmeMarkers('full-official');
    const text = `a\n${begin}\nold\n${end}\nb`;
    assert.equal(replaceBetweenMarkers(text, begin, end, 'new'), `a\n${begin}\nnew\n${end}\nb`);
    assert.throws(() => replaceBetweenMarkers('a\nb', begin, end, 'x'), /expected one .* found 0 and 0/);
    assert.throws(() => replaceBetweenMarkers(`${text}\n${begin}`, begin, end, 'x'), /found 2 and 1/);
  });
});
