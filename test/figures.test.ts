// Figures from saved results: builders on hand-made result files (values checked against hand
// computation), the catalogue's missing-results messages, the cost table's FLOP counts, and the export
// of every figure through headless chromium as valid SVG/PNG/HTML of sensible size. Without chromium
// the export tests say why and skip, except under CI=true where that is a failure.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../src/backend';
import { main } from '../src/cli';
import {
  accuracyVsParametersFigure, buildFigureCatalogue, confusionMatrixFigure, costTable, featureMapsFigure, gradientMethodComparison, gradientMethodsFigure, hybridComparison, learningCurvesFigure, modelCost,
  modelCosts, readSuiteResults, regenerateFigures, savedOrRunEntanglementAnalysis, savedOrRunSuite, summaryRecords, resultsTableFigure, summedConfusion,
} from '../src/figures';
import { loadMnist } from '../src/data';
import { QuantumConv2D } from '../src/qkc';
import { SUITES, resultFileName, summarizeRuns, type ResultsSummary, type RunResult } from '../src/experiments';
import { findChromium, type Trace } from '../src/viz';
import { needs } from './helpers/optional';
import { pngSize } from './helpers/png';
import { assertClose } from './inspect-helpers';


/** A RunResult with the given per-epoch test accuracies; the confusion matrix puts `acc` on the diagonal of 3 classes × 10 images. */
function run(model: string, seed: number, valAcc: number[], opts: { family?: 'hybrid' | 'classical'; controls?: { sameShape: string; paramMatched: string }; params?: [number, number] } = {}): RunResult {
  const [q, c] = opts.params ?? (opts.family === 'hybrid' ? [8, 2000] : [0, 2050]);
  const last = valAcc[valAcc.length - 1];
  const right = Math.round(10 * last);
  const confusion = [0, 1, 2].map((t) => [0, 1, 2].map((p) => (p === t ? right : p === (t + 1) % 3 ? 10 - right : 0)));
  return {
    format: 'qkc-run-result/2', id: `mnist-${model}-s${seed}`, suite: 'quick',
    model: { name: model, family: opts.family ?? 'classical', description: model, controls: opts.controls ?? null, architecture: 'fixture' },
    parameters: { quantum: q, classical: c, total: q + c },
    dataset: { name: 'mnist', source: 'test fixture', trainSize: 300, testSize: 30, numClasses: 3, validation: { size: 30, seed: 1 } },
    training: { seed, epochs: valAcc.length, batchSize: 32, learningRate: 3e-3, quantumLearningRate: 0.01, diffMethod: 'parameter-shift', configHash: null, patience: null },
    history: valAcc.map((a, i) => ({
      epoch: i + 1, loss: 2 - a, accuracy: a, val_loss: 2 - a, val_accuracy: a, epoch_time_s: 1, val_time_s: 0.1,
      circuit_executions: opts.family === 'hybrid' ? 1000 : 0, val_circuit_executions: 0,
    })),
    final: {
      selection: 'best-validation', selectedEpoch: valAcc.length, bestValidationAccuracy: last, stoppedEarly: false, testAccuracy: last, testLoss: 2 - last,
      lastEpochTestAccuracy: last, lastEpochTestLoss: 2 - last, trainAccuracy: last, trainLoss: 2 - last, perClassAccuracy: [last, last, last], confusion,
    },
    timing: { meanEpochTimeS: 1, trainTimeS: valAcc.length, evalTimeS: 0.1, imagesPerS: 300 },
    circuitExecutions: { perEpoch: opts.family === 'hybrid' ? 1000 : 0, train: 0, testPass: 0 },
    environment: { backend: 'test', qkcVersion: '0', node: process.version, createdAt: '2026-01-01T00:00:00.000Z' },
  };
}

const controls = { sameShape: 'control-a', paramMatched: 'cnn-a' };
const RUNS: RunResult[] = [0, 1].flatMap((seed) => [
  run('hybrid-a', seed, seed === 0 ? [0.4, 0.5] : [0.6, 0.7], { family: 'hybrid', controls }),
  run('control-a', seed, [0.5, 0.8], { params: [0, 2040] }),
  run('cnn-a', seed, [0.6, 0.9], { params: [0, 2060] }),
  run('big', seed, [0.7, 1.0], { params: [0, 60000] }),
]);

/** Writes the runs and their summary as `qkc reproduce --quick` would. */
function writeResults(dir: string, runs: RunResult[]): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const r of runs) fs.writeFileSync(path.join(dir, resultFileName('quick', r.dataset.name, r.model.name, r.training.seed)), JSON.stringify(r));
  const summary: ResultsSummary = { format: 'qkc-results-summary/1', suite: 'quick', createdAt: '', settings: {}, rows: summarizeRuns(runs), skipped: [] };
  fs.writeFileSync(path.join(dir, 'quick-summary.json'), JSON.stringify(summary));
}

/** The runs as if retrained with backprop: hybrid-a seed 1 ends at 65 %, epoch 2's loss is 0.25 higher, cheaper epochs. */
function backpropTwins(runs: RunResult[]): RunResult[] {
  return runs.map((r) => {
    const acc = r.model.name === 'hybrid-a' && r.training.seed === 1 ? 0.65 : r.final.testAccuracy;
    return {
      ...r, training: { ...r.training, diffMethod: 'backprop' }, final: { ...r.final, testAccuracy: acc },
      history: r.history.map((h, i) => ({ ...h, loss: h.loss + (i === 1 ? 0.25 : 0) })),
      timing: { ...r.timing, meanEpochTimeS: 0.5 }, circuitExecutions: { ...r.circuitExecutions, perEpoch: 100 },
    } as RunResult;
  });
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-figures-'));
}

describe('figures: builders from saved results', () => {
  it('learning curves are per-epoch means ± std over seeds, one column per hybrid with its two controls', () => {
    const fig = learningCurvesFigure(RUNS);
    const acc = fig.data.filter((t) => t.xaxis === 'x') as Array<Trace & { y: number[]; error_y: { array: number[] }; hovertemplate: string }>;
    assert.equal(acc.length, 3, 'hybrid, same-shape control, parameter-matched CNN');
    const hybrid = acc.find((t) => t.hovertemplate.startsWith('hybrid-a'))!;
    // Seeds give 40/60 then 50/70 %: mean 50, 60; sample std √200 ≈ 14.14.
    assert.deepEqual(hybrid.y.map((v) => Number(v.toFixed(6))), [50, 60]);
    assert.ok(Math.abs(hybrid.error_y.array[0] - Math.sqrt(200)) < 1e-9);
    assert.ok(!fig.data.some((t) => String(t.hovertemplate).startsWith('big')), 'models outside the trio are not drawn');
    const layout = fig.layout as { yaxis: { title: { text: string } }; yaxis2: { title: { text: string } }; xaxis2: { title: { text: string } } };
    assert.equal(layout.yaxis.title.text, 'validation accuracy (%)', 'the fixture runs hold out a validation split: the curves are on it');
    assert.equal(layout.yaxis2.title.text, 'training loss');
    assert.equal(layout.xaxis2.title.text, 'epoch');
  });

  it('rejects runs of several datasets and unknown hybrids, naming the argument', () => {
    const other = { ...RUNS[0], dataset: { ...RUNS[0].dataset, name: 'fashion-mnist' } };
    assert.throws(() => learningCurvesFigure([RUNS[0], other]), /learningCurvesFigure\(runs\): expected runs of one dataset, got mnist, fashion-mnist/);
    assert.throws(() => learningCurvesFigure(RUNS, { hybrids: ['nope'] }), /learningCurvesFigure\(hybrids\): no runs of 'nope'/);
    assert.throws(() => resultsTableFigure([]), /resultsTableFigure\(rows\): expected at least one summary row/);
  });

  it('the results table lists every model with accuracy as mean ± std and the parameter split', () => {
    const fig = resultsTableFigure(summarizeRuns(RUNS));
    const cells = (fig.data[0] as { cells: { values: unknown[][] } }).cells.values;
    assert.deepEqual(cells[0], ['hybrid-a', 'control-a', 'cnn-a', 'big']);
    assert.equal(cells[1][0], 'control-a, cnn-a');
    assert.deepEqual(cells[2], ['60.0 ± 14.1', '80.0', '90.0', '100.0'].map((s, i) => (i === 0 ? s : `${s} ± 0.0`)));
    assert.deepEqual(cells[3], [8, 0, 0, 0]);
    assert.deepEqual(cells[5], [2008, 2040, 2060, 60000]);
  });

  it('accuracy vs parameters puts every model at (total parameters, mean accuracy) on a log axis', () => {
    const fig = accuracyVsParametersFigure(summarizeRuns(RUNS));
    const points = fig.data.filter((t) => t.mode === 'markers') as Array<Trace & { name: string; x: number[]; y: number[] }>;
    assert.deepEqual(points.map((p) => [p.name, p.x[0], Math.round(p.y[0])]),
      [['hybrid-a', 2008, 60], ['control-a', 2040, 80], ['cnn-a', 2060, 90], ['big', 60000, 100]]);
    const pair = fig.data.find((t) => t.mode === 'lines') as { x: number[] };
    assert.deepEqual(pair.x, [2008, 2040], 'the hybrid is joined to its same-shape control');
    assert.equal((fig.layout as { xaxis: { type: string } }).xaxis.type, 'log');
  });

  it('confusion matrices sum counts over seeds and normalise each true class to 100 %', () => {
    const counts = summedConfusion(RUNS.filter((r) => r.model.name === 'hybrid-a'));
    // seed 0: 5 right / 5 wrong per class; seed 1: 7 / 3.
    assert.deepEqual(counts[0], [12, 8, 0]);
    const fig = confusionMatrixFigure(RUNS);
    assert.equal(fig.data.length, 3, 'best hybrid, same-shape control, parameter-matched CNN by default');
    const z = (fig.data[0] as { z: number[][] }).z;
    assert.deepEqual(z[0], [60, 40, 0]);
    for (const row of z) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 100) < 1e-9);
  });
});

describe('figures: comparison records', () => {
  it('puts each hybrid beside its controls with signed differences in points', () => {
    const [c] = hybridComparison(summarizeRuns(RUNS));
    assert.deepEqual([c.hybrid, c['hybrid %'], c['control %'], c['Δ vs control (points)'], c['CNN %'], c['Δ vs CNN (points)']],
      ['hybrid-a', '60.0 ± 14.1', '80.0 ± 0.0', -20, '90.0 ± 0.0', -30]);
    assert.equal(summaryRecords(summarizeRuns(RUNS)).length, 4);
    // seeds 0.5, 0.7 vs 0.8, 0.8: differences −0.3, −0.1; mean −0.2, sd 0.1414, t(1) = 12.706 → half-width 1.2706
    assert.equal(c['paired Δ vs control, 95 % CI'], '-20.00 [-147.06, 107.06] (n=2)');
  });

  it('pairs hybrid runs trained with two gradient methods by seed; classical runs and same-method twins are left out', () => {
    const backprop = backpropTwins(RUNS);
    const rows = gradientMethodComparison(RUNS, backprop);
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.deepEqual(rows[0], {
      dataset: 'mnist', model: 'hybrid-a', seeds: '0,1', 'parameter-shift %': 60, 'backprop %': 57.5, 'max |Δ acc| (points)': 5,
      'max |Δ train loss|': 0.25, 's / epoch (parameter-shift)': 1, 's / epoch (backprop)': 0.5,
      'circuits / epoch (parameter-shift)': 1000, 'circuits / epoch (backprop)': 100,
    });
    assert.deepEqual(gradientMethodComparison(RUNS, RUNS), [], 'the same method on both sides is not a comparison');
  });

  it('overlays the learning curves of both gradient methods per hybrid (means over the paired seeds)', () => {
    const backprop = backpropTwins(RUNS);
    const fig = gradientMethodsFigure(RUNS, backprop);
    const loss = fig.data.filter((t) => t.yaxis === 'y2') as Array<Trace & { y: number[]; name: string }>;
    assert.deepEqual(loss.map((t) => t.name), ['parameter-shift', 'backprop']);
    const hybrid = RUNS.filter((r) => r.model.name === 'hybrid-a');
    const meanLoss = (e: number, extra: number) => hybrid.reduce((a, r) => a + r.history[e].loss + extra, 0) / hybrid.length;
    assertClose(loss[0].y, hybrid[0].history.map((_, e) => meanLoss(e, 0)), 1e-12);
    assertClose(loss[1].y, hybrid[0].history.map((_, e) => meanLoss(e, e === 1 ? 0.25 : 0)), 1e-12);
    assert.match(JSON.stringify(fig.layout?.annotations), /max \|Δ test acc\| 5\.00 points/);
    assert.throws(() => gradientMethodsFigure(RUNS, RUNS), /no hybrid run of a has a twin in b/);
  });
});

describe('figures: saved results and the catalogue', () => {
  let dir = '';
  beforeEach(() => { dir = tmpDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a suite summary with its run files and names missing run files', () => {
    writeResults(dir, RUNS);
    fs.rmSync(path.join(dir, resultFileName('quick', 'mnist', 'big', 1)));
    const s = readSuiteResults('quick', dir)!;
    assert.equal(s.runs.length, RUNS.length - 1);
    assert.deepEqual(s.missingRuns.map((m) => m.split(':')[0]), ['quick-mnist-big-s1.json']);
    assert.equal(readSuiteResults('full', dir), null);
  });

  it('builds the five figures per suite and dataset, and reports missing results with the command', async () => {
    writeResults(dir, RUNS);
    const cat = await buildFigureCatalogue(dir);
    assert.deepEqual(cat.figures.map((f) => f.name).sort(), [
      'quick-mnist-accuracy-per-model', 'quick-mnist-accuracy-vs-parameters', 'quick-mnist-confusion-matrix', 'quick-mnist-learning-curves', 'quick-mnist-results-table',
    ]);
    // A quick-backprop folder beside them with the same hybrid runs under backprop adds the overlay figure.
    writeResults(path.join(dir, 'quick-backprop'), backpropTwins(RUNS));
    const withTwin = await buildFigureCatalogue(dir);
    assert.deepEqual(withTwin.figures.map((f) => f.name).filter((n) => !cat.figures.some((f) => f.name === n)), ['quick-mnist-gradient-methods-backprop']);
    const empty = await buildFigureCatalogue(path.join(dir, 'nothing-here'));
    assert.equal(empty.figures.length, 0);
    assert.match(empty.missing.map((m) => m.command).join('\n'), /npx qkc reproduce --quick/);
  });

  it('the results saved in the repository (figures/results) build their figures', async function () {
    const dir = path.join(__dirname, '..', 'figures', 'results');
    needs(this, fs.existsSync(path.join(dir, 'quick-summary.json')) ? null
      : 'no figures/results/quick-summary.json (npx qkc reproduce --quick writes it)');
    const cat = await buildFigureCatalogue(dir);
    const quick = cat.figures.filter((f) => f.name.startsWith('quick-mnist-')).map((f) => f.name).sort();
    assert.deepEqual(quick, ['quick-mnist-accuracy-per-model', 'quick-mnist-accuracy-vs-parameters', 'quick-mnist-confusion-matrix', 'quick-mnist-learning-curves', 'quick-mnist-results-table']);
    assert.deepEqual(cat.missing.filter((m) => m.what.includes('quick')), [], 'every run file of the quick summary is there');
  });

  it('a corrupt summary is an error naming the file', async () => {
    fs.writeFileSync(path.join(dir, 'quick-summary.json'), '{"format": "something else"}');
    await assert.rejects(buildFigureCatalogue(dir), /quick-summary\.json': not a qkc results summary/);
  });

  it('qkc figures without results prints the command that produces them and exits 1 (no crash, no browser)', async () => {
    const lines: string[] = [];
    const log = console.log, err = console.error;
    console.log = (s: string) => lines.push(s);
    console.error = (s: string) => lines.push(s);
    let code: number;
    try {
      code = await main(['figures', '--results', path.join(dir, 'none'), '--out', dir]);
    } finally {
      console.log = log;
      console.error = err;
    }
    assert.equal(code, 1);
    const text = lines.join('\n');
    assert.match(text, /missing: training-results figures .*produce it with: npx qkc reproduce --quick/);
    assert.match(text, /qkc: error: no figures written/);
    assert.deepEqual(fs.readdirSync(dir), [], 'nothing written');
  });
});

describe('figures: saved results or a reduced run (what training notebooks call)', function () {
  this.timeout(60_000);
  let dir = '';
  beforeEach(() => { dir = tmpDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads saved results that cover the models, training nothing', async () => {
    writeResults(path.join(dir, 'saved'), RUNS);
    const got = await savedOrRunSuite('quick', {
      models: ['hybrid-a', 'cnn-a'], resultsDir: path.join(dir, 'saved'), runDir: path.join(dir, 'run'),
      loadData: () => { throw new Error('must not load data'); },
    });
    assert.equal(got.source, 'saved');
    assert.equal(got.runs.length, RUNS.length);
    assert.ok(!fs.existsSync(path.join(dir, 'run')));
  });

  it('without saved results runs the suite settings for those models in its own folder, and reads that run next time', async () => {
    const data = loadMnist({ trainSize: 60, testSize: 30 });
    const opts = { models: ['linear'], seeds: [0], resultsDir: path.join(dir, 'none'), runDir: path.join(dir, 'run'), loadData: () => data };
    const first = await savedOrRunSuite('quick', opts);
    assert.equal(first.source, 'run');
    assert.deepEqual(first.runs.map((r) => [r.model.name, r.training.seed, r.training.epochs, r.dataset.trainSize]), [['linear', 0, SUITES.quick.datasets[0].epochs, 60]]);
    assert.ok(fs.existsSync(path.join(dir, 'run', 'quick-summary.json')));
    const again = await savedOrRunSuite('quick', opts);
    assert.equal(again.runs[0].environment.createdAt, first.runs[0].environment.createdAt, 'the finished run is read, not retrained');
  });
});

describe('figures: saved entanglement analysis', () => {
  it('a full saved analysis serves both settings; a quick one only the quick setting (then the run file is read)', async () => {
    const dir = tmpDir();
    try {
      const file = (name: string, quick: boolean): string => {
        const f = path.join(dir, name);
        fs.writeFileSync(f, JSON.stringify({ format: 'qkc-entanglement-analysis/1', quick, created: name, entanglement: {}, information: {}, purity: {}, shots: {} }));
        return f;
      };
      const saved = file('saved.json', true);
      const run = file('run.json', false);
      const quick = await savedOrRunEntanglementAnalysis({ quick: true, savedFile: saved, runFile: run });
      assert.deepEqual([quick.source, quick.results.created], ['saved', 'saved.json']);
      const full = await savedOrRunEntanglementAnalysis({ quick: false, savedFile: saved, runFile: run });
      assert.deepEqual([full.source, full.results.created], ['run', 'run.json']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('figures: feature maps and the cost table', () => {
  it('shows the image beside one panel per channel, values in image orientation', () => {
    const image = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i / 15), [1, 4, 4, 1]);
    const maps = tf.tensor4d(Array.from({ length: 2 * 2 * 3 }, (_, i) => i / 12 - 0.5), [1, 2, 2, 3]);
    try {
      const fig = featureMapsFigure(image, maps);
      assert.equal(fig.data.length, 4);
      assert.deepEqual((fig.data[0] as { z: number[][] }).z[0].map((v) => Math.round(v * 15)), [0, 1, 2, 3]);
      // Channel 1 at (row 1, col 0) is element (1·2 + 0)·3 + 1 = 7.
      assert.ok(Math.abs((fig.data[2] as { z: number[][] }).z[1][0] - (7 / 12 - 0.5)) < 1e-6);
      assert.throws(() => featureMapsFigure(maps, maps), /featureMapsFigure\(image\): expected one grayscale image/);
    } finally {
      tf.dispose([image, maps]);
    }
  });

  it('the cost table joins costs with measured accuracy when summary rows are given', () => {
    const costs = modelCosts(['linear']);
    const [row] = costTable(costs, summarizeRuns([{ ...RUNS[3], model: { ...RUNS[3].model, name: 'linear' } }, { ...RUNS[7], model: { ...RUNS[7].model, name: 'linear' } }]));
    assert.equal(row['classical kFLOPs / image'], 15.7);
    assert.equal(row['test accuracy %'], '100.0 ± 0.0');
    assert.equal(costTable(costs)[0]['test accuracy %'], undefined);
  });
});

describe('figures: model cost table', () => {
  it('counts FLOPs and circuit executions per image by hand-checkable rules', () => {
    const [linear] = modelCosts(['linear']);
    // 784 inputs × 10 outputs × 2 FLOPs per multiply-add + 10 bias adds.
    assert.equal(linear.classicalFlops, 784 * 10 * 2 + 10);
    assert.equal(linear.circuitsForward, 0);
    assert.equal(linear.family, 'classical');
    // 8×8 image → QuantumConv2D 2×2/2 (4 qubits, HEA ×1: 8 angles) → 4×4×4 → conv 3×3×5 same → max-pool 2 → dense 3.
    const input = tf.input({ shape: [8, 8, 1] });
    let x = new QuantumConv2D({ kernelSize: 2, strides: 2, layers: 1, inputGradients: false, seed: 1 }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: 5, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.dense({ units: 3 }).apply(tf.layers.flatten().apply(x)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: x });
    try {
      const c = modelCost(model);
      // 16 patches, one measurement basis; parameter-shift on 8 weight angles (no input shifts) adds 2·8 per patch.
      assert.deepEqual([c.circuitsForward, c.circuitsBackward, c.qubits, c.parameters.quantum], [16, 16 * 16, 4, 8]);
      assert.equal(modelCost(model, { diffMethod: 'adjoint' }).circuitsBackward, 16, 'adjoint: one backward sweep per patch');
      // conv: 4·4·5 outputs × (2·3·3·4 + 1); max-pool reads 4·4·5; dense: 3 × (2·20 + 1).
      assert.equal(c.classicalFlops, 80 * 73 + 80 + 3 * 41);
      assert.deepEqual(c.uncounted, []);
      assert.equal(c.family, 'hybrid');
    } finally {
      model.dispose();
    }
  });
});

describe('figures: regenerate as SVG/PNG/HTML (headless chromium)', function () {
  this.timeout(180_000);
  let dir = '';

  before(function () {
    needs(this, findChromium() == null ? 'no chromium at /usr/bin/chromium (apt-get install chromium) or QKC_CHROMIUM' : null);
    dir = tmpDir();
  });
  after(() => { if (dir !== '') fs.rmSync(dir, { recursive: true, force: true }); });

  it('writes every figure as valid images of the layout size and a standalone HTML page', async () => {
    const results = path.join(dir, 'results');
    writeResults(results, RUNS);
    const out = path.join(dir, 'figures');
    const report = await regenerateFigures({ resultsDir: results, outDir: out, scale: 1 });
    assert.equal(report.written.length, 5);
    // Only the entanglement analyses (embedded and official), device noise and the pooling study are missing here, with the commands that write their results.
    assert.deepEqual(report.missing.map((m) => m.what), ['entanglement-analysis figures', 'full-official-mnist-official-entanglement-analysis figures', 'device-noise figure', 'pooling-study figure']);
    assert.match(report.missing[3].command, /npm run analysis:pooling/);
    assert.match(report.missing[0].command, /npm run analysis:entanglement/);
    assert.match(report.missing[1].command, /npm run analysis:entanglement -- --full --saved-model figures\/results\/full-official-models\/.*hybrid-kpool-s0/);
    assert.match(report.missing[2].command, /npx qkc noise-eval --model-dir/);
    const cat = await buildFigureCatalogue(results);
    for (const f of cat.figures) {
      const layout = f.figure.layout as { width: number; height: number };
      const png = fs.readFileSync(path.join(out, `${f.name}.png`));
      assert.deepEqual(pngSize(png), { width: layout.width, height: layout.height }, `${f.name}.png size`);
      assert.ok(png.length > 15_000, `${f.name}.png is ${png.length} bytes: too small to hold a drawn figure`);
      const svg = fs.readFileSync(path.join(out, `${f.name}.svg`), 'utf8');
      assert.match(svg, /^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.ok(svg.length > 5_000 && svg.includes('</svg>'), `${f.name}.svg is complete`);
      const html = fs.readFileSync(path.join(out, `${f.name}.html`), 'utf8');
      assert.ok(html.startsWith('<!DOCTYPE html>') && html.includes('Plotly.newPlot') && html.length > 1_000_000, `${f.name}.html inlines plotly`);
    }
    // Axis titles reach the drawing (plotly writes text as <text> elements).
    const curves = fs.readFileSync(path.join(out, 'quick-mnist-learning-curves.svg'), 'utf8');
    for (const t of ['validation accuracy (%)', 'training loss', 'epoch']) assert.ok(curves.includes(`>${t}</text>`), `'${t}' drawn`);
    assert.deepEqual(fs.readdirSync(out).filter((f) => f.includes('.tmp')), [], 'no temp files left');
  });
});
