// Suite planning rules, one at a time, then the seam they compose into: planSuite → RunSpec[] (plain
// data, done when a saved result matches), executeRun's refusals, and the summary step's keep rule.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadMnist } from '../src/data';
import {
  SUITES, executeRun, isRunResultFileName, keepSavedRun, planSuite, resultFileName, resultMatches, runDirKey, runDirName, runKey,
  runOrder, runTraining, sameData, sameTraining, sameEpochCap, suiteDataRef, suiteWithOverrides, summarizeSuite, tableOrder, describeSuite,
  type KeepContext, type RunResult, type RunSpec, type RunTraining, type SuiteSettings,
} from '../src/experiments';
import { tmpDir } from './train-fixtures';

const TRAINING: RunTraining = { epochs: 2, batchSize: 32, learningRate: 3e-3, quantumLearningRate: 0.01, diffMethod: 'backprop', patience: null };

function result(model: string, seed: number, over: { dataset?: string; quantum?: number; training?: Partial<RunTraining>; source?: string; architecture?: string } = {}): RunResult {
  const t = { ...TRAINING, ...over.training };
  return {
    format: 'qkc-run-result/2', id: `${over.dataset ?? 'mnist'}-${model}-s${seed}`, suite: 'quick',
    model: { name: model, family: 'classical', description: 'd', controls: null, architecture: over.architecture ?? 'a'.repeat(16) },
    parameters: { quantum: over.quantum ?? 0, classical: 2, total: 2 + (over.quantum ?? 0) },
    dataset: { name: over.dataset ?? 'mnist', source: over.source ?? 'src', trainSize: 20, testSize: 10, numClasses: 10, validation: null },
    training: { seed, ...t, configHash: null },
    history: [],
    final: {
      selection: 'last-epoch', selectedEpoch: 2, bestValidationAccuracy: null, stoppedEarly: false, testAccuracy: 0.5, testLoss: 1,
      lastEpochTestAccuracy: 0.5, lastEpochTestLoss: 1, trainAccuracy: 1, trainLoss: 1, perClassAccuracy: [], confusion: [],
    },
    timing: { meanEpochTimeS: 1, trainTimeS: 1, evalTimeS: 1, imagesPerS: 40 },
    circuitExecutions: { perEpoch: 0, train: 0, testPass: 0 },
    environment: { backend: 'wasm', qkcVersion: '0', node: 'v20', createdAt: '' },
  };
}

describe('experiments: planning rules', () => {
  it('runOrder goes seed by seed, every model per seed', () => {
    assert.deepEqual(runOrder({ models: ['a', 'b'], seeds: [0, 7] }), [
      { model: 'a', seed: 0 }, { model: 'b', seed: 0 }, { model: 'a', seed: 7 }, { model: 'b', seed: 7 },
    ]);
  });

  it('result and summary file names', () => {
    assert.equal(resultFileName('quick', 'mnist', 'hybrid-small', 2), 'quick-mnist-hybrid-small-s2.json');
    assert.equal(isRunResultFileName('quick-mnist-linear-s0.json', 'quick'), true);
    assert.equal(isRunResultFileName('quick-summary.json', 'quick'), false);
    assert.equal(isRunResultFileName('quick-summary.csv', 'quick'), false);
    assert.equal(isRunResultFileName('full-mnist-linear-s0.json', 'quick'), false);
  });

  it("suiteDataRef: 'mnist' is the embedded split; null sizes leave the subset out", () => {
    assert.deepEqual(suiteDataRef({ name: 'mnist', epochs: 1, trainSize: 200, testSize: null, validationSize: 20 }), { dataset: 'mnist-embedded', subset: { validationSize: 20, trainSize: 200 } });
    assert.deepEqual(suiteDataRef({ name: 'fashion-mnist', epochs: 1, trainSize: null, testSize: null, validationSize: 0 }), { dataset: 'fashion-mnist', subset: { validationSize: 0 } });
  });

  it('runDirKey ignores epochs (a longer suite extends the checkpoints) and keeps the key existing run folders have', () => {
    // 015c6954 = sha256('[32,0.003,0.01,"backprop"]')[:8], computed with sha256sum: folders written before the move still resume.
    assert.equal(runDirKey(TRAINING), '015c6954');
    assert.equal(runDirKey({ ...TRAINING, epochs: 20 }), '015c6954');
    assert.notEqual(runDirKey({ ...TRAINING, learningRate: 1e-3 }), '015c6954');
    assert.notEqual(runDirKey({ ...TRAINING, diffMethod: 'parameter-shift' }), '015c6954');
    assert.equal(runDirName('quick', 'mnist', 'linear', 3, TRAINING, '0123456789abcdef'), 'quick-mnist-linear-s3-015c6954-01234567');
  });

  it('runTraining takes epochs from the dataset and the rest from the suite', () => {
    const s = SUITES.full;
    assert.deepEqual(runTraining(s, s.datasets[1]), { epochs: 5, batchSize: 32, learningRate: 3e-3, quantumLearningRate: 0.01, diffMethod: 'parameter-shift', patience: null });
  });

  it('sameTraining: every setting counts; the gradient method only for models with quantum weights', () => {
    assert.equal(sameTraining(result('linear', 0), TRAINING), true);
    assert.equal(sameTraining(result('linear', 0, { training: { epochs: 3 } }), TRAINING), false);
  });

  it('sameEpochCap: the same cap, or stopped early within the new cap (a larger cap changes nothing); a run that reached a smaller cap is not done', () => {
    const r = (epochs: number, ran: number, stoppedEarly: boolean): RunResult => {
      const x = result('linear', 0, { training: { epochs } });
      return { ...x, history: Array.from({ length: ran }, () => ({}) as RunResult['history'][number]), final: { ...x.final, stoppedEarly } };
    };
    assert.equal(sameEpochCap(r(20, 20, false), 20), true);
    assert.equal(sameEpochCap(r(20, 20, false), 40), false, 'reached the old cap: extend it');
    assert.equal(sameEpochCap(r(20, 12, true), 40), true, 'stopped by patience at 12');
    assert.equal(sameEpochCap(r(20, 12, true), 10), false, 'a smaller cap would have cut it');
    assert.equal(sameTraining(r(20, 12, true), { ...TRAINING, epochs: 40 }), true);
    assert.equal(sameTraining(r(20, 20, false), { ...TRAINING, epochs: 40 }), false);
    assert.equal(sameTraining(result('linear', 0, { training: { batchSize: 16 } }), TRAINING), false);
    assert.equal(sameTraining(result('linear', 0, { training: { quantumLearningRate: 0.02 } }), TRAINING), false);
    assert.equal(sameTraining(result('linear', 0, { training: { diffMethod: 'parameter-shift' } }), TRAINING), true);
    assert.equal(sameTraining(result('hybrid-small', 0, { quantum: 16, training: { diffMethod: 'parameter-shift' } }), TRAINING), false);
  });

  it('sameData and resultMatches: sizes, provenance and architecture', () => {
    const data = { source: 'src', trainSize: 20, testSize: 10, validationSize: 0 };
    assert.equal(sameData(result('linear', 0), data), true);
    assert.equal(sameData(result('linear', 0, { source: 'other' }), data), false);
    assert.equal(sameData(result('linear', 0), { ...data, testSize: 11 }), false);
    const e = { architecture: 'a'.repeat(16), training: TRAINING, data };
    assert.equal(resultMatches(result('linear', 0), e), true);
    assert.equal(resultMatches(result('linear', 0, { architecture: 'b'.repeat(16) }), e), false);
  });

  it('keepSavedRun: planned runs never, unloaded datasets and other models always, other seeds of a run model only when they match', () => {
    const c: KeepContext = {
      planned: new Set([runKey('mnist', 'linear', 0)]), models: ['linear'],
      matches: new Map([['mnist', (r: RunResult) => r.training.epochs === 2]]),
    };
    assert.equal(keepSavedRun(result('linear', 0), c), false, 'planned: the plan decides');
    assert.equal(keepSavedRun(result('linear', 0, { dataset: 'fashion-mnist', training: { epochs: 9 } }), c), true, 'dataset not loaded');
    assert.equal(keepSavedRun(result('cnn-small', 1, { training: { epochs: 9 } }), c), true, 'model not run');
    assert.equal(keepSavedRun(result('linear', 1), c), true, 'other seed, same settings');
    assert.equal(keepSavedRun(result('linear', 1, { training: { epochs: 9 } }), c), false, 'other seed, other settings');
  });

  it('tableOrder: MNIST, Fashion-MNIST, others by name; models in zoo order (unknown last); seeds ascending', () => {
    const runs = [result('linear', 1), result('zzz', 0), result('linear', 0, { dataset: 'fashion-mnist' }), result('hybrid-small', 0, { dataset: 'b-set' }),
      result('linear', 0), result('hybrid-small', 2), result('aaa', 0), result('cnn-small', 0, { dataset: 'a-set' })];
    assert.deepEqual(tableOrder(runs).map((r) => `${r.dataset.name}/${r.model.name}/${r.training.seed}`), [
      'mnist/hybrid-small/2', 'mnist/linear/0', 'mnist/linear/1', 'mnist/aaa/0', 'mnist/zzz/0', 'fashion-mnist/linear/0', 'a-set/cnn-small/0', 'b-set/hybrid-small/0',
    ]);
  });

  it('suiteWithOverrides: parses seeds, adds a dataset with the full suite settings, overrides every dataset, leaves the base alone', () => {
    const s = suiteWithOverrides(SUITES.quick, { seeds: ['4', '5'], datasets: ['mnist', 'fashion-mnist'], epochs: 1, models: ['linear'] });
    assert.deepEqual(s.seeds, [4, 5]);
    assert.deepEqual(s.datasets, [{ name: 'mnist', epochs: 1, trainSize: 2000, testSize: 500, validationSize: 200 }, { name: 'fashion-mnist', epochs: 1, trainSize: null, testSize: null, validationSize: 5000 }]);
    assert.equal(SUITES.quick.datasets[0].epochs, 4);
    assert.equal(SUITES.quick.seeds.length, 3);
    assert.throws(() => suiteWithOverrides(SUITES.quick, { seeds: ['1', 'x'] }), /--seeds: expected non-negative integers, got 'x'/);
    assert.throws(() => suiteWithOverrides(SUITES.quick, { seeds: ['-1'] }), /--seeds: .* got '-1'/);
    assert.throws(() => suiteWithOverrides(SUITES.quick, { datasets: ['cifar'] }), /--datasets: expected mnist, mnist-official, fashion-mnist, got 'cifar'/);
    // mnist-official is in neither quick nor full: it trains as in full-official (20 epochs, 5,000 validation).
    assert.deepEqual(suiteWithOverrides(SUITES.quick, { datasets: ['mnist-official'] }).datasets, [{ name: 'mnist-official', epochs: 40, trainSize: null, testSize: null, validationSize: 5000 }]);
    // A test prefix smaller than the 10 classes is announced before the suite starts.
    assert.match(describeSuite(suiteWithOverrides(SUITES.quick, { testSize: 5 })).join('\n'), /mnist: .* 5 test images, .*4 epoch\(s\); WARNING: 5 test image\(s\) for 10 classes, so its accuracies say little/);
    assert.doesNotMatch(describeSuite(SUITES.quick).join('\n'), /WARNING/);
    assert.throws(() => suiteWithOverrides(SUITES.quick, { models: ['nope'] }), /models: unknown model 'nope'/);
  });
});

describe('experiments: planSuite → RunSpec[] → executeRun → summary', () => {
  const tiny = loadMnist({ trainSize: 20, testSize: 10 });
  const settings: SuiteSettings = {
    ...SUITES.quick, models: ['linear', 'cnn-small'], seeds: [1, 2],
    datasets: [{ name: 'mnist', epochs: 1, trainSize: 20, testSize: 10, validationSize: 0 }, { name: 'fashion-mnist', epochs: 1, trainSize: null, testSize: null, validationSize: 0 }],
  };
  const loadData = (d: { name: string }) => (d.name === 'mnist' ? tiny : { skip: 'absent here' });

  it('plans plain records in run order, marks matching saved results done, and records skipped datasets', () => {
    const root = tmpDir('qkc-plan-');
    const opts = { outDir: path.join(root, 'out'), runsDir: path.join(root, 'runs'), loadData };
    const plan = planSuite(settings, opts);
    assert.deepEqual(plan.skipped, [{ dataset: 'fashion-mnist', reason: 'absent here' }]);
    assert.deepEqual(plan.runs.map((r) => r.id), ['quick-mnist-linear-s1', 'quick-mnist-cnn-small-s1', 'quick-mnist-linear-s2', 'quick-mnist-cnn-small-s2']);
    assert.ok(plan.runs.every((r) => !r.done));
    assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan, 'a plan survives JSON (a queue can carry it)');
    const spec = plan.runs[0];
    assert.equal(spec.data.ref, null, 'injected data has no ref');
    assert.deepEqual([spec.data.trainSize, spec.data.testSize, spec.data.imageSize], [20, 10, [28, 28]]);
    assert.equal(spec.resultFile, path.join(opts.outDir, 'quick-mnist-linear-s1.json'));
    assert.ok(spec.runDir.startsWith(path.join(opts.runsDir, `quick-mnist-linear-s1-${runDirKey(spec.training)}-`)));
    // A saved result that matches the spec makes it done; one with another epoch count does not.
    const saved = { ...result('linear', 1, { source: tiny.source, architecture: spec.architecture }), dataset: { ...result('linear', 1).dataset, source: tiny.source } };
    saved.training.epochs = 1;
    fs.mkdirSync(opts.outDir, { recursive: true });
    fs.writeFileSync(spec.resultFile, JSON.stringify(saved));
    fs.writeFileSync(plan.runs[1].resultFile, JSON.stringify({ ...saved, model: { ...saved.model, name: 'cnn-small' }, training: { ...saved.training, epochs: 3 } }));
    const again = planSuite(settings, opts);
    assert.deepEqual(again.runs.map((r) => r.done), [true, false, false, false]);
    // The summary step reads the finished planned run from its file.
    const summary = summarizeSuite(again);
    assert.deepEqual(summary.rows.map((r) => [r.model, r.seeds]), [['linear', [1]]]);
    assert.deepEqual(summary.skipped, plan.skipped);
  });

  it('executeRun refuses, before training, a spec whose data or architecture differ from what it finds, or that has no way to load its data', async () => {
    const root = tmpDir('qkc-exec-');
    const plan = planSuite(settings, { outDir: path.join(root, 'out'), runsDir: path.join(root, 'runs'), loadData });
    const spec = plan.runs[0];
    await assert.rejects(executeRun(spec), /quick-mnist-linear-s1: the plan was given its data directly \(data\.ref is null\)/);
    const other: RunSpec = { ...spec, data: { ...spec.data, trainSize: 21 } };
    await assert.rejects(executeRun(other, { data: tiny }), /quick-mnist-linear-s1: data trainSize is 20 here, the plan has 21/);
    await assert.rejects(executeRun({ ...spec, architecture: 'f'.repeat(16) }, { data: tiny }), /builds architecture [0-9a-f]{16} here, the plan has f{16}/);
    await assert.rejects(executeRun({ ...spec, format: 'x' } as unknown as RunSpec), /expected a 'qkc-run-spec\/1' record, got "x"/);
    assert.equal(fs.existsSync(spec.runDir), false, 'nothing was trained');
  });

  it('executeRun with a ref loads the data itself and writes the result file the summary then reads', async function () {
    this.timeout(60000);
    const root = tmpDir('qkc-exec-ref-');
    const small: SuiteSettings = { ...settings, models: ['linear'], seeds: [0], datasets: [{ name: 'mnist', epochs: 1, trainSize: 20, testSize: 10, validationSize: 0 }] };
    const plan = planSuite(small, { outDir: path.join(root, 'out'), runsDir: path.join(root, 'runs') });
    assert.deepEqual(plan.runs[0].data.ref, { dataset: 'mnist-embedded', subset: { validationSize: 0, trainSize: 20, testSize: 10 } });
    const spec = JSON.parse(JSON.stringify(plan.runs[0])) as RunSpec; // as a worker would receive it
    const r = await executeRun(spec);
    assert.equal(r.model.architecture, spec.architecture);
    assert.equal(resultMatches(r, spec), true);
    assert.ok(fs.existsSync(spec.resultFile));
    assert.deepEqual(planSuite(small, { outDir: path.join(root, 'out'), runsDir: path.join(root, 'runs') }).runs.map((x) => x.done), [true]);
    assert.deepEqual(summarizeSuite(plan).rows.map((x) => [x.model, x.seeds, x.testAccuracy.mean]), [['linear', [0], r.final.testAccuracy]]);
  });
});
