// The pooling study's estimator on cases with a known answer: maps whose class lives only in the spread of
// each 2×2 window (average pooling erases it, max pooling and no pooling keep it), and the summary's paired
// differences worked out by hand.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../src/backend';
import { comparePoolings, type PoolingComparisonRow } from '../src/analysis';
import { LearnedPooling2D } from '../src/pooling';
import { poolingStudyFigure } from '../src/figures';
import {
  POOLING_STUDY_DEFAULTS, POOLING_STUDY_RUN_FORMAT, poolingStudyArchitecture, poolingStudyRunFile, readPoolingStudyRun, resolvePoolingStudySettings,
  runPoolingStudy, summarizePoolingStudy, type PoolingStudyRun,
} from '../src/studies';
import { seededRandom } from './helpers/reference';

/**
 * n maps 4×4×1 with labels alternating 0/1: class 0 has every value ≈ 0; class 1 has each 2×2 window
 * (+a, −a / −a, +a) — the same window mean 0 as class 0, so only the spread tells the classes apart.
 */
function spreadMaps(n: number, seed: number, a = 1, noise = 0.05): { x: tf.Tensor4D; labels: number[] } {
  const rand = seededRandom(seed);
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  const values: number[] = [];
  for (const y of labels) {
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) values.push((y === 1 ? ((r + c) % 2 === 0 ? a : -a) : 0) + noise * (2 * rand() - 1));
  }
  return { x: tf.tensor4d(values, [n, 4, 4, 1]), labels };
}

describe('pooling study: the estimator on a known answer', () => {
  it('no pooling and max pooling keep the class (≈ 100 %), average pooling erases it (≈ 50 %), a fitted learned pooling recovers it', function () {
    this.timeout(60000);
    const splits = { train: spreadMaps(200, 1), validation: spreadMaps(100, 2), test: spreadMaps(200, 3) };
    const result = comparePoolings(splits, [
      { name: 'none', kind: 'none', layer: () => null },
      { name: 'avg', kind: 'classical', layer: () => tf.layers.averagePooling2d({ poolSize: 2 }) },
      { name: 'max', kind: 'classical', layer: () => tf.layers.maxPooling2d({ poolSize: 2 }) },
      // Starts at the average (the mixture's avg logit far ahead): fitting must move it to find the class.
      { name: 'learned', kind: 'learned', layer: () => new LearnedPooling2D({ statistics: ['max', 'avg'], init: [-3] }) },
    ], { fit: { epochs: 6, batchSize: 50, learningRate: 0.2 } });
    const row = (v: string) => result.rows.find((r) => r.variant === v) as PoolingComparisonRow;
    assert.equal(row('none').featureDim, 16);
    assert.equal(row('avg').featureDim, 4);
    assert.ok(row('none').testAccuracy > 0.97, `none: ${row('none').testAccuracy}`);
    assert.ok(row('max').testAccuracy > 0.97, `max: ${row('max').testAccuracy}`);
    assert.ok(row('avg').testAccuracy < 0.65, `avg: ${row('avg').testAccuracy}`);
    assert.ok(row('avg').miProbeBoundBits < 0.1 && row('max').miProbeBoundBits > 0.8, `bounds ${row('avg').miProbeBoundBits} ${row('max').miProbeBoundBits}`);
    const learned = row('learned');
    assert.equal(learned.parameters, 1);
    assert.ok(learned.fitted && learned.fitEpoch! >= 1 && learned.fitEpoch! <= 6);
    assert.ok(learned.values[0] > -3, `the max logit moved up from −3: ${learned.values[0]}`);
    assert.ok(learned.testAccuracy > 0.9, `learned: ${learned.testAccuracy}`);
    for (const r of result.rows) assert.ok([1e-3, 1e-2, 1e-1].includes(r.l2));
    assert.deepEqual(result.sizes, { train: 200, validation: 100, test: 200 });
    tf.dispose([splits.train.x, splits.validation.x, splits.test.x]);
  });

  it('refuses splits whose maps or labels do not fit', () => {
    const a = spreadMaps(4, 1), b = spreadMaps(4, 2);
    const none = [{ name: 'none', kind: 'none' as const, layer: () => null }];
    assert.throws(() => comparePoolings({ train: a, validation: { x: a.x, labels: [0, 1] }, test: b }, none), /validation\.labels\): expected 4 labels/);
    assert.throws(() => comparePoolings({ train: a, validation: b, test: { x: tf.zeros([4, 2, 2, 1]) as tf.Tensor4D, labels: b.labels } }, none), /test\.x\): expected maps of shape \[N, 4, 4, 1\]/);
    assert.throws(() => comparePoolings({ train: a, validation: b, test: b }, [...none, ...none]), /two variants are called 'none'/);
  });
});

describe('pooling study: the summary', () => {
  /** A run whose comparison has the given test accuracies per variant. */
  const run = (model: string, seed: number, acc: Record<string, number>): PoolingStudyRun => ({
    format: POOLING_STUDY_RUN_FORMAT, created: '', model, seed, settingsKey: '', poolingLayer: '', seconds: 0,
    training: { epochs: 1, bestEpoch: 1, validationAccuracy: 0.9, testAccuracy: 0.9, seconds: 0 },
    comparison: {
      mapShape: [14, 14, 4], sizes: { train: 1, validation: 1, test: 1 }, numClasses: 10, labelEntropyBits: 3.32,
      rows: Object.entries(acc).map(([variant, testAccuracy]) => ({
        variant, kind: 'classical', note: '', featureDim: 196, parameters: 0, values: [], fitted: false, fitEpoch: null, fitValidationAccuracy: null,
        l2: 0.01, trainAccuracy: 1, validationAccuracy: testAccuracy, testAccuracy, testAccuracySe: 0, testCrossEntropyBits: 1, miProbeBoundBits: 2,
      })),
    },
  });

  it('gives mean ± sd over seeds and paired differences from the quantum pooling with a 95 % t-interval', () => {
    const runs = [run('m', 0, { quantum: 0.5, avg: 0.6 }), run('m', 1, { quantum: 0.6, avg: 0.8 }), run('m', 2, { quantum: 0.7, avg: 1.0 })];
    const s = summarizePoolingStudy(runs, { ...POOLING_STUDY_DEFAULTS, models: ['m', 'other'], seeds: [0, 1, 2] });
    const avg = s.rows.find((r) => r.variant === 'avg')!;
    assert.ok(Math.abs(avg.mean - 0.8) < 1e-12 && Math.abs(avg.sd! - 0.2) < 1e-12);
    const d = s.differences.find((x) => x.variant === 'avg')!;
    // Differences 0.1, 0.2, 0.3: mean 0.2, sd 0.1, half-width t(0.975, 2)·0.1/√3 = 4.303·0.0577 = 0.2484.
    assert.ok(Math.abs(d.meanDifference - 0.2) < 1e-12);
    assert.ok(Math.abs(d.ci95![0] - (0.2 - 0.24843)) < 1e-4 && Math.abs(d.ci95![1] - (0.2 + 0.24843)) < 1e-4, JSON.stringify(d.ci95));
    assert.equal(s.differences.filter((x) => x.variant === 'quantum').length, 0);
    assert.deepEqual(s.missing, [{ model: 'other', seed: 0 }, { model: 'other', seed: 1 }, { model: 'other', seed: 2 }]);
  });

  it('names run files after the summary file and checks its settings', () => {
    assert.equal(poolingStudyRunFile('figures/results/pooling-study.json', 'hybrid-qpool', 2), 'figures/results/pooling-study-hybrid-qpool-s2.json');
    assert.equal(poolingStudyRunFile('out/pooling-study-probe1000.json', 'm', 0), 'out/pooling-study-probe1000-m-s0.json');
    assert.throws(() => resolvePoolingStudySettings({ models: ['hybrid-qpol'] }), /unknown model 'hybrid-qpol'/);
    assert.throws(() => resolvePoolingStudySettings({ probeSteps: 0 }), /probeSteps: expected a positive integer, got 0/);
    assert.throws(() => resolvePoolingStudySettings({ seeds: [] }), /seeds: expected non-negative integers/);
  });

  it('draws accuracies with sd bars and differences with their 95 % intervals on axes fitted to the data, with a legend', () => {
    const runs = [0, 1, 2].map((seed) => run('m', seed, { none: 0.95 + seed / 100, avg: 0.9, quantum: 0.88 + seed / 100 }));
    const s = summarizePoolingStudy(runs, { ...POOLING_STUDY_DEFAULTS, models: ['m'], seeds: [0, 1, 2] });
    const fig = poolingStudyFigure(s);
    const traces = fig.data as Array<Record<string, unknown>>;
    const legend = traces.filter((t) => t.showlegend !== false).map((t) => t.name);
    assert.deepEqual(legend, ['no pooling (4× the features; the information ceiling)', 'average', 'quantum (Hur), fitted']);
    const none = traces.find((t) => t.name === 'no pooling (4× the features; the information ceiling)' && t.yaxis === undefined)!;
    assert.ok(Math.abs((none.y as number[])[0] - 96) < 1e-9);
    assert.ok(Math.abs((none.error_y as { array: number[] }).array[0] - 1) < 1e-9); // sd of 95, 96, 97 in points
    const layout = fig.layout as Record<string, { range: [number, number] }>;
    assert.ok(layout.yaxis.range[0] > 80, `accuracy axis starts near the data, not at 0: ${layout.yaxis.range}`);
    assert.ok(layout.yaxis2.range[0] < 0 && layout.yaxis2.range[1] > 8, `difference axis holds 0 and +8 points: ${layout.yaxis2.range}`);
  });
});

describe('pooling study: resume', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-pooling-study-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps a finished run of today\'s zoo and reruns, saying why, one whose model architecture differs', async function () {
    this.timeout(240000);
    const out = path.join(dir, 'study.json');
    const settings = {
      models: ['control-qpool'], seeds: [0], trainSize: 40, validationSize: 20, testSize: 40, epochs: 1,
      fit: { epochs: 1, batchSize: 20, learningRate: 0.05 }, l2Grid: [1e-2], probeSteps: 5,
    };
    const study = async () => {
      const lines: string[] = [];
      await runPoolingStudy({ settings, out, log: (l) => lines.push(l) });
      return lines;
    };
    const file = poolingStudyRunFile(out, 'control-qpool', 0);
    const today = poolingStudyArchitecture('control-qpool', 0);
    assert.match((await study()).join('\n'), /0 run\(s\) done, 1 to run/);
    const first = JSON.parse(fs.readFileSync(file, 'utf8')) as PoolingStudyRun;
    assert.equal(first.architecture, today);
    assert.match((await study()).join('\n'), /1 run\(s\) done, 0 to run/);
    // The same file from a zoo whose model differed: rerun, and the log says why.
    fs.writeFileSync(file, JSON.stringify({ ...first, architecture: '0123456789abcdef' }));
    const log = (await study()).join('\n');
    assert.match(log, /control-qpool seed 0: to run \(.*architecture 0123456789abcdef differs from today's zoo \([0-9a-f]{16}\)\)/);
    assert.match(log, /0 run\(s\) done, 1 to run/);
    const second = JSON.parse(fs.readFileSync(file, 'utf8')) as PoolingStudyRun;
    assert.equal(second.architecture, today);
    assert.notEqual(second.created, first.created);
  });

  it('does not count a run file without an architecture, or with another one, as done', async () => {
    const file = path.join(dir, 'legacy.json');
    const legacy = { format: POOLING_STUDY_RUN_FORMAT, settingsKey: 'k', model: 'control-qpool', seed: 0 };
    fs.writeFileSync(file, JSON.stringify(legacy));
    assert.deepEqual(await readPoolingStudyRun(file, 'k', 'aaaa'), { stale: 'no architecture recorded (written before the study recorded it); today\'s is aaaa' });
    fs.writeFileSync(file, JSON.stringify({ ...legacy, architecture: 'bbbb' }));
    assert.match((await readPoolingStudyRun(file, 'k', 'aaaa') as { stale: string }).stale, /architecture bbbb differs from today's zoo \(aaaa\)/);
    assert.ok('run' in await readPoolingStudyRun(file, 'k', 'bbbb'));
    assert.match((await readPoolingStudyRun(file, 'other', 'bbbb') as { stale: string }).stale, /other settings/);
    assert.deepEqual(await readPoolingStudyRun(path.join(dir, 'absent.json'), 'k', 'aaaa'), { stale: 'not run yet' });
  });
});
