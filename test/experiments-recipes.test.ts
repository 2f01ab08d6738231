// Per-model training recipes (ModelSpec.recipe, applied by suites with modelRecipes): only LeNet-5-like has
// one, only full-official applies it, and every other model plans exactly as before — same training, same
// checkpoint folder key, its saved official results still count, and the trainer's config hash of a saved
// run is reproduced bit for bit from the official data.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  ALL_MODELS, SUITES, describeSuite, experimentTrainSettings, openDataset, plannedArchitecture, resultMatches, runDirKey, runTraining,
  sameTraining, suiteDataRef, suiteWithOverrides, checkRunResult, type RunResult, type RunTraining,
} from '../src/experiments';
import { MODELS, getModelSpec } from '../src/models';
import { runDirName } from '../src/experiments';
import { configHash, runConfig } from '../src/train/fingerprint';
import { prepareSplit } from '../src/train/dataset';
import { resolveOptions } from '../src/train/options';
import { resolveOutputKind } from '../src/train/loss';
import {
  RECIPE_CANDIDATES, RECIPE_PROTOCOL, RECIPE_README_MARKERS, addRetrained, candidateRunDir, checkRecipeModel, importSuiteRun, otherRecipeTables, readRecipeTable, recipeProtocol,
  recipeScreenMarkdown, recipeTableFile, recipeTableMarkdown, type RecipeTable,
} from '../src/experiments/recipe-search';
import { ArgumentError } from '../src/util/errors';
import { textBetweenMarkers } from '../src/figures';
import { tmpDir } from './train-fixtures';

const OFFICIAL = SUITES['full-official'];
const MNIST_OFFICIAL = OFFICIAL.datasets.find((d) => d.name === 'mnist-official')!;
const RESULTS = path.join(__dirname, '..', 'figures', 'results');
const saved = (model: string, seed = 0): RunResult =>
  checkRunResult(JSON.parse(fs.readFileSync(path.join(RESULTS, `full-official-mnist-official-${model}-s${seed}.json`), 'utf8')), model);

describe('experiments: per-model training recipes', () => {
  it('only lenet5 has a recipe, and it changes its training (learning rate or schedule)', () => {
    assert.deepEqual(MODELS.filter((m) => m.recipe).map((m) => m.name), ['lenet5']);
    const t = runTraining(OFFICIAL, MNIST_OFFICIAL, 'lenet5');
    const base = runTraining(OFFICIAL, MNIST_OFFICIAL);
    assert.ok(!sameTraining({ training: { ...base, seed: 0, configHash: null }, parameters: { quantum: 0 } } as unknown as RunResult, t),
      'lenet5 under full-official trains with its own recipe');
    const recipe = getModelSpec('lenet5').recipe!;
    assert.equal(t.learningRate, recipe.learningRate ?? base.learningRate);
    assert.deepEqual(t.lrSchedule, recipe.lrSchedule);
    assert.ok(describeSuite(OFFICIAL).some((l) => l.includes('lenet5: its own recipe')), 'the suite description says so');
  });

  it('every other model plans under full-official exactly as the suite default (no lrSchedule key, same checkpoint key)', () => {
    const base = runTraining(OFFICIAL, MNIST_OFFICIAL);
    for (const m of ALL_MODELS.filter((x) => x !== 'lenet5')) {
      const t = runTraining(OFFICIAL, MNIST_OFFICIAL, m);
      assert.deepEqual(t, base, m);
      assert.ok(!('lrSchedule' in t), m);
      assert.equal(runDirKey(t), runDirKey(base), m);
    }
  });

  it('suites without modelRecipes (quick, full) train lenet5 with the suite settings', () => {
    for (const s of [SUITES.quick, SUITES.full, suiteWithOverrides(SUITES.full, { models: ['lenet5'] })]) {
      assert.deepEqual(runTraining(s, s.datasets[0], 'lenet5'), runTraining(s, s.datasets[0]), s.suite);
    }
  });

  it("a schedule is part of a result's training: a saved run without it does not count for a run with it, and the checkpoint key differs", () => {
    const t = runTraining(OFFICIAL, MNIST_OFFICIAL, 'lenet5');
    const withoutSchedule: RunTraining = { ...t };
    delete withoutSchedule.lrSchedule;
    const r = { training: { ...withoutSchedule, seed: 0, configHash: null }, parameters: { quantum: 0 } } as unknown as RunResult;
    assert.equal(sameTraining(r, withoutSchedule), true);
    assert.equal(sameTraining(r, t), false);
    assert.notEqual(runDirKey(t), runDirKey(withoutSchedule));
  });

  it("hybrid-front-conv4's saved official result still counts as done", () => {
    const r = saved('hybrid-front-conv4');
    const data = { source: r.dataset.source, trainSize: r.dataset.trainSize, testSize: r.dataset.testSize, validationSize: r.dataset.validation?.size ?? 0 };
    const architecture = plannedArchitecture('hybrid-front-conv4', 0, { numClasses: 10, imageSize: [28, 28] });
    assert.equal(resultMatches(r, { architecture, training: runTraining(OFFICIAL, MNIST_OFFICIAL, 'hybrid-front-conv4'), data }), true);
  });

  it('the recipe screen: the chosen candidate is the suite run of seed 0 (same validation history), and importing refuses another run', async () => {
    const table = readRecipeTable(path.join(RESULTS, 'lenet5-recipe-search.json'));
    const best = table.entries.reduce((a, e) => (e.bestValAccuracy > a.bestValAccuracy ? e : a));
    const recipe = getModelSpec('lenet5').recipe!;
    assert.deepEqual([best.learningRate, best.lrSchedule], [recipe.learningRate, recipe.lrSchedule], 'the recipe is the screen\'s best candidate');
    const file = path.join(tmpDir('qkc-recipe-'), 'table.json');
    const imported = await importSuiteRun(path.join(RESULTS, 'full-official-mnist-official-lenet5-s0.json'), best.candidate, file);
    assert.deepEqual(imported.valAccuracy, best.valAccuracy);
    await assert.rejects(importSuiteRun(path.join(RESULTS, 'full-official-mnist-official-cnn-small-s0.json'), best.candidate, file), /not the run of candidate/);
  });

  it("a candidate checkpoints in the folder the suite gives lenet5's seed-0 run with that recipe (so the chosen one is resumed, not retrained)", () => {
    const architecture = plannedArchitecture('lenet5', 0, { numClasses: 10, imageSize: [28, 28] });
    const suiteDir = (t: RunTraining): string => path.join('runs', runDirName('full-official', 'mnist-official', 'lenet5', 0, t, architecture, 5000));
    const recipe = getModelSpec('lenet5').recipe!;
    const chosen = RECIPE_CANDIDATES.find((c) => c.learningRate === recipe.learningRate && JSON.stringify(c.lrSchedule) === JSON.stringify(recipe.lrSchedule))!;
    assert.equal(candidateRunDir(chosen, 'runs'), suiteDir(runTraining(OFFICIAL, MNIST_OFFICIAL, 'lenet5')));
    assert.equal(candidateRunDir(RECIPE_CANDIDATES.find((c) => c.name === 'suite-default')!, 'runs'), suiteDir(runTraining(OFFICIAL, MNIST_OFFICIAL)));
    assert.equal(new Set(RECIPE_CANDIDATES.map((c) => candidateRunDir(c, 'runs'))).size, RECIPE_CANDIDATES.length, 'one folder per candidate');
  });

  it("the trainer's config hash of saved official runs is reproduced from the official data (hybrid-front-conv4 s0; lenet5 with the suite default)", function () {
    this.timeout(300_000);
    const split = openDataset(suiteDataRef(MNIST_OFFICIAL));
    const hashOf = (model: string, t: RunTraining): string => {
      const m = getModelSpec(model).builder(0, { numClasses: 10, imageSize: [28, 28], diffMethod: t.diffMethod });
      try {
        const opts = resolveOptions(experimentTrainSettings({ seed: 0, ...t }, true));
        return configHash(runConfig(opts, resolveOutputKind(m, 'auto'), m, prepareSplit('data.train', split.train, m), prepareSplit('data.validation', split.validation!, m)));
      } finally {
        m.dispose();
      }
    };
    assert.equal(hashOf('hybrid-front-conv4', runTraining(OFFICIAL, MNIST_OFFICIAL, 'hybrid-front-conv4')), saved('hybrid-front-conv4').training.configHash);
    // 64e2fdfeb21a91bb: lenet5 s0 trained with the suite default (Adam 3e-3, constant) before it had a recipe.
    const lenetDefault = hashOf('lenet5', runTraining(OFFICIAL, MNIST_OFFICIAL));
    assert.equal(lenetDefault, '64e2fdfeb21a91bb');
    assert.notEqual(hashOf('lenet5', runTraining(OFFICIAL, MNIST_OFFICIAL, 'lenet5')), lenetDefault);
  });

  describe('the screen of any zoo model (--model)', () => {
    const isArgumentError = (argument: string) => (e: unknown): boolean =>
      e instanceof ArgumentError && e.argument === argument && /expected a model of the zoo .*got "lenet-5"/.test(e.message);

    it('a name outside the zoo is a typed error naming the argument (the script passes --model), before any data is read', () => {
      assert.throws(() => checkRecipeModel('lenet-5', '--model'), isArgumentError('--model'));
      assert.throws(() => recipeProtocol('lenet-5'), isArgumentError('model'));
      assert.throws(() => recipeTableFile('lenet-5'), isArgumentError('model'));
      assert.throws(() => candidateRunDir(RECIPE_CANDIDATES[0], 'runs', 'lenet-5'), isArgumentError('model'));
      assert.throws(() => checkRecipeModel('qcnn-8', '--model'), ArgumentError, 'QCNN-study models (other data) are not screened');
    });

    it('the default is lenet5 as before: its protocol, its results file, its checkpoint folders', () => {
      assert.equal(RECIPE_PROTOCOL.model, 'lenet5');
      assert.deepEqual(RECIPE_PROTOCOL, recipeProtocol('lenet5'));
      assert.equal(recipeTableFile(), path.join('figures', 'results', 'lenet5-recipe-search.json'));
      const saved = readRecipeTable(path.join(RESULTS, 'lenet5-recipe-search.json'));
      const { quantumLearningRate, ...rest } = RECIPE_PROTOCOL;
      assert.deepEqual(saved.protocol, rest, 'the committed lenet5 table was screened under this protocol');
      assert.equal(quantumLearningRate, OFFICIAL.quantumLearningRate);
      for (const c of RECIPE_CANDIDATES) assert.equal(candidateRunDir(c, 'runs'), candidateRunDir(c, 'runs', 'lenet5'), c.name);
    });

    it("a table of one model is refused as another's, and an entry keeps to its model's file", async () => {
      assert.throws(() => readRecipeTable(path.join(RESULTS, 'lenet5-recipe-search.json'), 'cnn-medium'), (e: unknown) => e instanceof ArgumentError && e.argument === 'file');
      const file = path.join(tmpDir('qkc-recipe-'), 'hybrid.json');
      const e = await importSuiteRun(path.join(RESULTS, 'full-official-mnist-official-hybrid-front-conv4-s0.json'), 'suite-default', file, 'hybrid-front-conv4');
      assert.deepEqual(e.valAccuracy, saved('hybrid-front-conv4').history.map((h) => h.val_accuracy));
      assert.equal(e.parameters, 5286);
      assert.equal(readRecipeTable(file, 'hybrid-front-conv4').protocol.model, 'hybrid-front-conv4');
      assert.throws(() => readRecipeTable(file), ArgumentError, 'the default (lenet5) does not read the hybrid table');
      await assert.rejects(importSuiteRun(path.join(RESULTS, 'full-official-mnist-official-control-front-conv4-s0.json'), 'suite-default', file, 'hybrid-front-conv4'),
        /not the run of candidate/);
      await assert.rejects(importSuiteRun(path.join(RESULTS, 'full-official-mnist-official-hybrid-front-conv4-s0.json'), 'lr1e-3-exp0.8', file, 'hybrid-front-conv4'),
        /not the run of candidate/, 'another recipe');
    });

    it("a hybrid's candidate checkpoints where the suite puts that model's seed-0 run (the suite-default one is the sweep's own folder)", () => {
      const architecture = plannedArchitecture('hybrid-front-conv4', 0, { numClasses: 10, imageSize: [28, 28] });
      const suiteDir = path.join('runs', runDirName('full-official', 'mnist-official', 'hybrid-front-conv4', 0, runTraining(OFFICIAL, MNIST_OFFICIAL, 'hybrid-front-conv4'), architecture, 5000));
      assert.equal(candidateRunDir(RECIPE_CANDIDATES.find((c) => c.name === 'suite-default')!, 'runs', 'hybrid-front-conv4'), suiteDir);
      const dirs = RECIPE_CANDIDATES.map((c) => candidateRunDir(c, 'runs', 'hybrid-front-conv4'));
      assert.equal(new Set(dirs).size, dirs.length);
      assert.ok(dirs.every((d) => !RECIPE_CANDIDATES.some((c) => candidateRunDir(c, 'runs', 'control-front-conv4') === d)), 'no folder shared with another model');
    });

    it('the README holds exactly the tables the committed screen files give (LeNet-5-like\'s, and the other models\' block)', () => {
      const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
      assert.ok(readme.includes(recipeTableMarkdown(readRecipeTable(path.join(RESULTS, 'lenet5-recipe-search.json')))), "LeNet-5-like's table is stale: npm run recipe-search -- --report");
      const tables = otherRecipeTables(RESULTS);
      assert.equal(textBetweenMarkers(readme, RECIPE_README_MARKERS.begin, RECIPE_README_MARKERS.end), recipeScreenMarkdown(tables).trimEnd(),
        'the recipe-screen block is stale: npm run recipe-search -- --write-readme');
      for (const t of tables) for (const e of t.entries) assert.ok(readme.includes(`| ${t.protocol.model} |`) && readme.includes((100 * e.bestValAccuracy).toFixed(2)), `${t.protocol.model} ${e.candidate}`);
    });

    it('a retrained twin of a candidate is kept beside the imported row (not over it), once, and labelled', async () => {
      const dir = tmpDir('qkc-recipe-');
      const [table, other] = [path.join(dir, 'table.json'), path.join(dir, 'other.json')];
      const run = path.join(RESULTS, 'full-official-mnist-official-cnn-medium-s0.json');
      await importSuiteRun(run, 'suite-default', table, 'cnn-medium');
      await importSuiteRun(run, 'suite-default', other, 'cnn-medium');
      assert.equal((await addRetrained(other, table, 'cnn-medium')).length, 1);
      assert.equal((await addRetrained(other, table, 'cnn-medium')).length, 1, 'adding again replaces the twin');
      const t = readRecipeTable(table, 'cnn-medium');
      assert.deepEqual(t.entries.map((e) => [e.candidate, e.retrained ?? false]), [['suite-default', false], ['suite-default', true]]);
      assert.match(recipeScreenMarkdown([t]).split('\n')[3], /^\| cnn-medium \| 5,258 \| suite-default \(retrained\) \|.*\| \+0\.00 \|$/);
      await assert.rejects(addRetrained(other, table, 'hybrid-front-conv4'), ArgumentError, 'a table of another model');
    });

    it('the screen block shows each candidate\'s lift over the suite default in points, signed (worked by hand)', () => {
      const entry = (candidate: string, best: number): RecipeTable['entries'][number] => ({
        candidate, note: '', learningRate: 1e-3, batchSize: 32, lrSchedule: { kind: 'constant' }, schedule: 'constant', seed: 0, parameters: 5286,
        valAccuracy: [best - 0.01, best], valLoss: [1, 1], lrFactors: [1, 1], bestValAccuracy: best, bestEpoch: 2, stoppedEarly: false, trainAccuracyLast: 1, trainSeconds: 1,
      });
      const t: RecipeTable = { ...readRecipeTable('/nonexistent', 'cnn-medium'), entries: [entry('suite-default', 0.9854), entry('lr1e-3-exp0.8', 0.9876), entry('lr3e-3-exp0.7', 0.9842)] };
      const rows = recipeScreenMarkdown([t]).trim().split('\n').slice(2);
      assert.deepEqual(rows.map((r) => r.split('|').slice(-2, -1)[0].trim()), ['', '+0.22', '−0.12']);
      assert.match(rows[1], /^\| cnn-medium \| 5,286 \| lr1e-3-exp0.8 \| 0.001 \| constant \| 32 \| 98.76 \(2 \/ 2\) \| 98.76 \| no \|/);
    });
  });
});
