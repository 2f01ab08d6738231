import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../src/backend';
import { loadMnist } from '../src/data';
import { runExperiment } from '../src/experiments';
import { QuantumConv2D } from '../src/qkc';
import { checkFigure } from '../src/viz';
import { ENTANGLEMENT_RESULTS_FORMAT, readEntanglementAnalysis, runEntanglementAnalysis } from '../src/studies';
import { entanglementAnalysisFigures } from '../src/figures';
import { JsonFileError } from '../src/util';

const quickInformation = { blocks: ['trace-out' as const, 'hur' as const], readouts: ['z' as const], fit: { epochs: 1, batchSize: 32 }, probe: { steps: 40 } };

describe('analysis: runEntanglementAnalysis writes a results file that rebuilds every figure', function () {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-analysis-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('with no model: trains hybrid-kpool here, keeps per-epoch snapshots, analyses its own in-kernel pool, says so in the file', async () => {
    const out = path.join(dir, 'results', 'entanglement-analysis.json');
    const lines: string[] = [];
    const { results, file } = await runEntanglementAnalysis({ out, trainSize: 64, testSize: 20, epochs: 2, information: quickInformation, log: (l) => lines.push(l) });
    assert.equal(file, out);
    assert.equal(results.source.kind, 'quick-train');
    assert.match(results.source.note, /hybrid-kpool trained here for 2 epoch\(s\) on 64/);
    assert.deepEqual(results.purity.snapshots.map((s) => s.label), ['before training', 'epoch 1', 'trained']);
    assert.ok(results.entanglement.before && results.entanglement.after.patches === null, 'maps are stored without per-patch arrays');
    assert.equal(results.entanglement.after.count, 20);
    assert.equal(results.settings.block, 'hur');
    // hybrid-kpool pools inside its kernel circuit (block 'hur-y'): the maps use that block with the model's trained parameters.
    const model = results.information.rows.find((r) => r.variant === 'hur-y (model)')!;
    assert.ok(model && model.fromModel && model.featureDim === 49 * 2, 'the model row is its own 7×7×2 read-out');
    assert.equal(results.entanglement.after.pool.source, 'in-circuit');
    assert.equal(results.entanglement.after.pool.block, 'hur-y');
    assert.deepEqual(results.entanglement.after.pool.weights, model.poolWeights);
    assert.notDeepEqual(results.entanglement.before!.pool.weights, model.poolWeights, 'before training: the initial pool parameters');
    assert.match(results.settings.pooling, /'hur-y' pool inside/);
    assert.ok(Number.isFinite(results.source.testAccuracy as number));
    assert.ok(lines.some((l) => l.includes('wrote')));
    // No temporary files are left next to the result (atomic write).
    assert.deepEqual(fs.readdirSync(path.dirname(out)), ['entanglement-analysis.json']);
    const back = await readEntanglementAnalysis(out);
    assert.equal(back.format, ENTANGLEMENT_RESULTS_FORMAT);
    const figures = entanglementAnalysisFigures(back);
    assert.deepEqual(Object.keys(figures).sort(), [
      'entanglement-by-class', 'entanglement-by-class-prepool', 'entanglement-heatmap', 'entanglement-heatmap-before',
      'entanglement-heatmap-prepool', 'pooling-information', 'purity-trajectory', 'purity-vs-entropy', 'shot-error',
    ]);
    for (const f of Object.values(figures)) checkFigure(f);
  });

  it('with a run directory of qkc train: trained weights from the checkpoint, "before" rebuilt from the seed', async () => {
    const runDir = path.join(dir, 'run');
    const data = loadMnist({ trainSize: 48, testSize: 16 });
    await runExperiment({ model: 'hybrid-small', seed: 2, data, epochs: 1, runDir, progress: 'none' });
    const { results } = await runEntanglementAnalysis({ modelDir: runDir, trainImages: data.train, images: data.test, out: null, information: quickInformation, log: () => undefined });
    assert.equal(results.source.kind, 'run');
    assert.equal(results.source.model, 'hybrid-small');
    assert.equal(results.source.epochs, 1);
    assert.deepEqual(results.purity.snapshots.map((s) => s.label), ['before training', 'trained']);
    assert.ok(results.entanglement.before);
    // Training moved the kernel: the blank-patch entropy differs between the rebuilt initial model and the checkpoint.
    assert.notEqual(results.entanglement.before!.blank.entropy, results.entanglement.after.blank.entropy);
    // hybrid-small measures every qubit: the maps append the 'hur' block with the parameters fitted in the information step.
    const hur = results.information.rows.find((r) => r.variant === 'hur/z')!;
    assert.equal(results.entanglement.after.pool.source, 'appended');
    assert.deepEqual(results.entanglement.after.pool.weights, hur.poolWeights);
  });

  it('with a model in memory and no initial model: no before/after, nothing written with out: null', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.averagePooling2d({ poolSize: 4, strides: 4, inputShape: [28, 28, 1] }),
        new QuantumConv2D({ kernelSize: 2, strides: 2, seed: 3 }),
        tf.layers.flatten(), tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    const data = loadMnist({ trainSize: 40, testSize: 12 });
    const { results, file } = await runEntanglementAnalysis({ model, trainImages: data.train, images: data.test, out: null, block: 'trace-out', information: quickInformation, log: () => undefined });
    assert.equal(file, null);
    assert.equal(results.source.kind, 'model');
    assert.equal(results.entanglement.before, null);
    assert.equal(results.purity.snapshots.length, 1);
    const figures = entanglementAnalysisFigures(results);
    assert.ok(!('entanglement-heatmap-before' in figures));
    for (const f of Object.values(figures)) checkFigure(f);
    model.dispose();
  });

  it('reading a missing or foreign file fails with the reason', async () => {
    await assert.rejects(readEntanglementAnalysis(path.join(dir, 'nope.json')), /cannot read .*nope\.json.*run runEntanglementAnalysis\(\) first/);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ format: 'other' }));
    await assert.rejects(readEntanglementAnalysis(bad), (e: unknown) => e instanceof JsonFileError && e.argument === bad && /bad\.json: expected format 'qkc-entanglement-analysis\/1', got "other"/.test((e as Error).message));
    await assert.rejects(runEntanglementAnalysis({ modelDir: 'x', model: tf.sequential(), log: () => undefined }), /either modelDir or model, not both/);
  });
});
