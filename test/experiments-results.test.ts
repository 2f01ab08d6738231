// Result schema helpers and the suite runner: mean ± sample std, grouping over seeds, CSV, the result
// check, re-running when settings change, skipped datasets, and loading a finished run back.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../src/backend';
import { loadMnist } from '../src/data';
import { architectureHash, buildModel, buildHybridDesign, resolveModelOptions, HYBRID_KPOOL, HYBRID_SMALL } from '../src/models';
import { stat, summarizeRuns, summaryToCsv, checkRunResult, runSuite, loadRun, SUITES, type RunResult, type SuiteSettings } from '../src/experiments';
import { evaluateModel } from '../src/train';
import { tmpDir } from './train-fixtures';

function fakeResult(model: string, seed: number, acc: number, dataset = 'mnist', losses: number[] = []): RunResult {
  return {
    format: 'qkc-run-result/2', id: `${dataset}-${model}-s${seed}`, suite: 'quick',
    model: { name: model, family: model.startsWith('hybrid') ? 'hybrid' : 'classical', description: 'd', controls: null, architecture: 'x' },
    parameters: { quantum: 1, classical: 2, total: 3 },
    dataset: { name: dataset, source: 's, "quoted"', trainSize: 10, testSize: 5, numClasses: 10, validation: { size: 5000, seed: 7 } },
    training: { seed, epochs: 1, batchSize: 2, learningRate: 0.1, quantumLearningRate: 0.1, diffMethod: 'backprop', configHash: null, patience: null },
    history: losses.map((loss, i) => ({ epoch: i + 1, loss, accuracy: acc, val_loss: 1, val_accuracy: acc, epoch_time_s: 1, val_time_s: 0, circuit_executions: 0, val_circuit_executions: 0 })),
    final: {
      selection: 'best-validation', selectedEpoch: 1, bestValidationAccuracy: acc, stoppedEarly: false, testAccuracy: acc, testLoss: 1,
      lastEpochTestAccuracy: acc, lastEpochTestLoss: 1, trainAccuracy: 1, trainLoss: 1, perClassAccuracy: [], confusion: [],
    },
    timing: { meanEpochTimeS: seed + 1, trainTimeS: 1, evalTimeS: 1, imagesPerS: 10 },
    circuitExecutions: { perEpoch: 100 * (seed + 1), train: 1, testPass: 1 },
    environment: { backend: 'wasm', qkcVersion: '0', node: 'v20', createdAt: '' },
  };
}

describe('models: results and summaries', () => {
  it('stat: mean and sample standard deviation (n − 1), 0 for one value', () => {
    const s = stat([0.9, 0.92, 0.94]);
    assert.ok(Math.abs(s.mean - 0.92) < 1e-12);
    assert.ok(Math.abs(s.std - 0.02) < 1e-12);
    assert.deepEqual(stat([0.5]), { mean: 0.5, std: 0, values: [0.5] });
    assert.throws(() => stat([]), /stat: expected at least one value/);
  });

  it('summarizeRuns groups by (dataset, model) in first-seen order; CSV quotes fields that need it', () => {
    const rows = summarizeRuns([fakeResult('hybrid-small', 0, 0.8), fakeResult('linear', 0, 0.6), fakeResult('hybrid-small', 1, 0.9),
      fakeResult('hybrid-small', 0, 0.5, 'fashion-mnist')]);
    assert.deepEqual(rows.map((r) => [r.dataset, r.model, r.seeds]), [['mnist', 'hybrid-small', [0, 1]], ['mnist', 'linear', [0]], ['fashion-mnist', 'hybrid-small', [0]]]);
    assert.ok(Math.abs(rows[0].testAccuracy.mean - 0.85) < 1e-12);
    assert.equal(rows[0].circuitExecutionsPerEpoch, 150);
    assert.deepEqual(rows[0].epochTimeS.values, [1, 2]);
    const csv = summaryToCsv(rows).trim().split('\n');
    assert.equal(csv.length, 4);
    assert.equal(csv[1].split(',').slice(0, 4).join(','), 'mnist,hybrid-small,hybrid,2');
    const odd = summaryToCsv(summarizeRuns([fakeResult('linear', 0, 0.5, 'my,"data"')])).split('\n')[1];
    assert.ok(odd.startsWith('"my,""data""",linear,classical,1,0.5,0,'), odd);
  });

  it('summarizeRuns keeps a stalled seed out of the mean and names it as failed; an outlier is named and counted', () => {
    const trained = [2.3, 0.5, 0.2];
    const stuck = [2.316, 2.274, 2.168, 1.93];
    const [row] = summarizeRuns([fakeResult('lenet5', 0, 0.978, 'mnist', trained), fakeResult('lenet5', 1, 0.979, 'mnist', trained), fakeResult('lenet5', 2, 0.9505, 'mnist', stuck)]);
    assert.deepEqual(row.seeds, [0, 1]);
    assert.ok(Math.abs(row.testAccuracy.mean - 0.9785) < 1e-12);
    assert.deepEqual(row.failed?.map((f) => [f.seed, f.status]), [[2, 'stalled']]);
    assert.deepEqual(row.outliers, []);
    const [kept] = summarizeRuns([fakeResult('lenet5', 0, 0.978, 'mnist', trained), fakeResult('lenet5', 1, 0.979, 'mnist', trained), fakeResult('lenet5', 2, 0.9505, 'mnist', trained)]);
    assert.deepEqual([kept.seeds, kept.failed, kept.outliers?.map((o) => o.seed)], [[0, 1, 2], [], [2]]);
    assert.ok(Math.abs(kept.testAccuracy.mean - (0.978 + 0.979 + 0.9505) / 3) < 1e-12);
    assert.match(summaryToCsv([kept]).split('\n')[1], /,2\n?$/, 'the outlier_seeds column');
  });

  it('on the committed run files: the frozen random kernels that fell behind are outliers, the quick hybrid-qpool seed 1 stalled', () => {
    const dir = path.join('figures', 'results');
    const load = (name: string): RunResult => checkRunResult(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')), name);
    const rowOf = (prefix: string, seeds: number[]) => summarizeRuns(seeds.map((s) => load(`${prefix}-s${s}.json`)))[0];
    for (const model of ['hybrid-kpool-frozen', 'hybrid-qpool-frozen']) {
      const row = rowOf(`full-official-mnist-official-${model}`, [0, 1, 2, 3, 4]);
      assert.deepEqual([row.seeds.length, row.failed], [5, []], model);
      assert.equal(row.outliers?.length, 2, `${model}: two seeds more than 2 points below the others, trained normally`);
    }
    const qpool = rowOf('quick-mnist-hybrid-qpool', [0, 1, 2]);
    assert.deepEqual(qpool.failed?.map((f) => [f.seed, f.status]), [[1, 'stalled']]);
  });

  it('checkRunResult rejects what is not a run result', () => {
    assert.equal(checkRunResult(fakeResult('linear', 0, 0.5), 'x').id, 'mnist-linear-s0');
    assert.throws(() => checkRunResult({ format: 'qkc-train-metrics/1' }, 'f.json'), /f\.json: not a qkc run result/);
    assert.throws(() => checkRunResult(null, 'g.json'), /g\.json: not a qkc run result/);
  });
});

describe('models: architectureHash', () => {
  it('is stable across builds and gradient methods, differs between a hybrid and its control and between designs', () => {
    const hash = (build: () => tf.LayersModel): string => {
      const m = build();
      const h = architectureHash(m);
      m.dispose();
      return h;
    };
    const small = hash(() => buildModel('hybrid-small', 0));
    assert.match(small, /^[0-9a-f]{16}$/);
    assert.equal(hash(() => buildModel('hybrid-small', 0)), small);
    assert.equal(hash(() => buildModel('hybrid-small', 0, { diffMethod: 'backprop' })), small, 'the gradient method is a run setting');
    assert.notEqual(hash(() => buildModel('control-small', 0)), small);
    const o = resolveModelOptions({});
    assert.notEqual(hash(() => buildHybridDesign('hybrid-small', { ...HYBRID_SMALL, dropout: 0.2 }, true)(0, o)), small);
    // Circuits that differ only in a gate's name (the pool block's CRZ → CRY) hash apart: a nested 'name' is architecture.
    const kpool = (block: 'hur' | 'hur-y') => hash(() => buildHybridDesign('k', { ...HYBRID_KPOOL, pooling: { kind: 'in-kernel', block, keep: 2 } }, true)(0, o));
    assert.notEqual(kpool('hur'), kpool('hur-y'));
  });
});

describe('models: runSuite', () => {
  const tiny = loadMnist({ trainSize: 20, testSize: 10 });
  const settings = (epochs: number): SuiteSettings => ({
    ...SUITES.quick, models: ['linear', 'cnn-small'], seeds: [3],
    datasets: [{ name: 'mnist', epochs, trainSize: 20, testSize: 10, validationSize: 0 }, { name: 'fashion-mnist', epochs: 1, trainSize: null, testSize: null, validationSize: 0 }],
  });
  const loadData = (d: { name: string }) => (d.name === 'mnist' ? tiny : { skip: 'not in this test' });

  it('records skipped datasets, redoes runs whose settings changed, and the run directory loads back', async function () {
    this.timeout(60000);
    const root = tmpDir('qkc-suite-');
    const opts = { outDir: path.join(root, 'out'), runsDir: path.join(root, 'runs'), loadData };
    const s1 = await runSuite(settings(1), opts);
    assert.deepEqual(s1.skipped, [{ dataset: 'fashion-mnist', reason: 'not in this test' }]);
    assert.deepEqual(s1.rows.map((r) => [r.model, r.epochs]), [['cnn-small', 1], ['linear', 1]], 'rows in MODELS order');
    const file = path.join(opts.outDir, 'quick-mnist-linear-s3.json');
    const first = checkRunResult(JSON.parse(fs.readFileSync(file, 'utf8')), file);
    // Two epochs instead of one: the result no longer matches and is redone (continuing the checkpoint).
    const lines: string[] = [];
    const s2 = await runSuite(settings(2), { ...opts, log: (l) => lines.push(l) });
    assert.ok(!lines.some((l) => l.includes('done before')), lines.join('\n'));
    const second = checkRunResult(JSON.parse(fs.readFileSync(file, 'utf8')), file);
    assert.equal(second.history.length, 2);
    assert.deepEqual(second.history[0], first.history[0], 'epoch 1 should come from the checkpoint of the 1-epoch run');
    assert.deepEqual(s2.rows.map((r) => r.epochs), [2, 2]);
    // Classical models have no quantum weights: another quantum gradient method reuses their results.
    const otherDiff = SUITES.quick.diffMethod === 'parameter-shift' ? 'backprop' : 'parameter-shift';
    const linesDiff: string[] = [];
    await runSuite({ ...settings(2), diffMethod: otherDiff }, { ...opts, log: (l) => linesDiff.push(l) });
    assert.equal(linesDiff.filter((l) => l.includes('done before')).length, 2, linesDiff.join('\n'));
    // An invocation that runs only some models keeps the other models' rows (from their files).
    const partial = await runSuite({ ...settings(2), models: ['linear'] }, opts);
    assert.deepEqual(partial.rows.map((r) => r.model), ['cnn-small', 'linear']);
    const onDisk = JSON.parse(fs.readFileSync(path.join(opts.outDir, 'quick-summary.json'), 'utf8')) as { rows: Array<{ model: string }> };
    assert.deepEqual(onDisk.rows.map((r) => r.model), ['cnn-small', 'linear']);
    // ... and one that runs only another seed keeps the saved seeds of the same model.
    const otherSeed = await runSuite({ ...settings(2), models: ['linear'], seeds: [4] }, opts);
    // every run seed is in the row, as a good seed or (tiny runs near chance) as a failed one
    const allSeeds = (r: { seeds: number[]; failed?: Array<{ seed: number }> }): number[] => [...r.seeds, ...(r.failed ?? []).map((f) => f.seed)].sort((a, b) => a - b);
    assert.deepEqual(otherSeed.rows.map((r) => [r.model, allSeeds(r)]), [['cnn-small', [3]], ['linear', [3, 4]]]);
    // Another seed with other settings (3 epochs) does not share a row with the saved 2-epoch seeds.
    const otherEpochs = await runSuite({ ...settings(3), models: ['linear'], seeds: [5] }, opts);
    assert.deepEqual(otherEpochs.rows.map((r) => [r.model, allSeeds(r), r.epochs]), [['cnn-small', [3], 2], ['linear', [5], 3]]);
    for (const seed of [4, 5]) fs.rmSync(path.join(opts.outDir, `quick-mnist-linear-s${seed}.json`));
    // A result written by another architecture (a factory changed since) is redone, not reused.
    const tampered = { ...second, model: { ...second.model, architecture: '0000000000000000' } };
    fs.writeFileSync(file, JSON.stringify(tampered));
    const lines3: string[] = [];
    await runSuite(settings(2), { ...opts, log: (l) => lines3.push(l) });
    assert.equal(lines3.filter((l) => l.includes('done before')).length, 1, lines3.join('\n'));
    assert.equal(checkRunResult(JSON.parse(fs.readFileSync(file, 'utf8')), file).model.architecture, second.model.architecture);
    // The run directory rebuilds the model with the checkpoint's weights: same test accuracy.
    const runDir = fs.readdirSync(opts.runsDir).find((d) => d.startsWith('quick-mnist-linear-s3-'));
    assert.ok(runDir);
    const loaded = await loadRun(path.join(opts.runsDir, runDir));
    assert.equal(loaded.epoch, 2);
    assert.equal(evaluateModel(loaded.model, tiny.test).accuracy, second.final.testAccuracy);
    loaded.model.dispose();
  });
});
