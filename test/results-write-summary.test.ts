// `qkc results --write-summary`: the suite summary rebuilt from the run files in a folder (no plan, no training),
// on real run files copied from figures/results; bad run files are typed errors naming the file.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ArgumentError } from '../src/util';
import { RunFileError, isRunResultFileName, rewriteSuiteSummary, type ResultsSummary } from '../src/experiments';
import { runCli } from './helpers/run-cli';
import { tmpDir } from './train-fixtures';

const SAVED = path.join(__dirname, '..', 'figures', 'results');
const RUNS = ['full-official-mnist-official-cnn-medium-s0.json', 'full-official-mnist-official-cnn-medium-s1.json', 'full-official-mnist-official-linear-s0.json'];

/** A folder holding copies of RUNS, a run of another suite and a stale summary the rewrite must replace. */
function folderWithRuns(): string {
  const dir = tmpDir('qkc-write-summary-');
  for (const f of [...RUNS, 'full-mnist-linear-s0.json']) fs.copyFileSync(path.join(SAVED, f), path.join(dir, f));
  fs.writeFileSync(path.join(dir, 'full-official-summary.json'), JSON.stringify({ format: 'qkc-results-summary/2', suite: 'full-official', rows: [] }));
  return dir;
}

const testAccuracy = (dir: string, file: string): number => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')).final.testAccuracy;
const readSummary = (dir: string): ResultsSummary => JSON.parse(fs.readFileSync(path.join(dir, 'full-official-summary.json'), 'utf8'));
const write = (dir: string) => runCli(['results', '--suite', 'full-official', '--results', dir, '--write-summary']);

describe('qkc results --write-summary', () => {
  it('rewrites <suite>-summary.json and .csv from exactly the suite\'s run files, with their accuracies', async () => {
    const dir = folderWithRuns();
    const r = await write(dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^wrote .*full-official-summary\.json and \.csv: 2 rows from 3 run files\n/);
    const s = readSummary(dir);
    assert.equal(s.suite, 'full-official');
    assert.deepEqual(s.rows.map((row) => [row.dataset, row.model, row.seeds]), [['mnist-official', 'cnn-medium', [0, 1]], ['mnist-official', 'linear', [0]]]);
    const [a, b, c] = RUNS.map((f) => testAccuracy(dir, f));
    assert.deepEqual(s.rows[0].testAccuracy.values, [a, b]);
    assert.ok(Math.abs(s.rows[0].testAccuracy.mean - (a + b) / 2) < 1e-12);
    assert.deepEqual(s.rows[1].testAccuracy.values, [c]);
    const csv = fs.readFileSync(path.join(dir, 'full-official-summary.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(csv.length, 3);
    assert.ok(csv[1].startsWith('mnist-official,cnn-medium,') && csv[1].includes(`0:${a} 1:${b}`), csv[1]);
    // The tables printed after the rewrite are the new summary's.
    assert.ok(r.out.includes('linear'), r.out);
  });

  it('is idempotent: a second rewrite gives the same summary (but its date) and the same CSV', async () => {
    const dir = folderWithRuns();
    assert.equal((await write(dir)).code, 0);
    const first = readSummary(dir);
    const csv = fs.readFileSync(path.join(dir, 'full-official-summary.csv'), 'utf8');
    assert.equal((await write(dir)).code, 0);
    assert.deepEqual({ ...readSummary(dir), createdAt: '' }, { ...first, createdAt: '' });
    assert.equal(fs.readFileSync(path.join(dir, 'full-official-summary.csv'), 'utf8'), csv);
  });

  it('a malformed run file is a RunFileError naming it, and the summary is left as it was', async () => {
    const dir = folderWithRuns();
    await rewriteSuiteSummary(dir, 'full-official');
    const before = fs.readFileSync(path.join(dir, 'full-official-summary.json'), 'utf8');
    const bad = path.join(dir, 'full-official-mnist-official-lenet5-s0.json');
    fs.writeFileSync(bad, '{"format": "qkc-run-result/2", "id": ');
    await assert.rejects(rewriteSuiteSummary(dir, 'full-official'), (e: unknown) => e instanceof RunFileError && e.argument === bad && /cannot be read as JSON/.test(e.message));
    const r = await write(dir);
    assert.equal(r.code, 1);
    assert.ok(r.err.includes(bad), r.err);
    fs.writeFileSync(bad, JSON.stringify({ format: 'qkc-run-result/9' }));
    await assert.rejects(rewriteSuiteSummary(dir, 'full-official'), (e: unknown) => e instanceof RunFileError && e.argument === bad && /format "qkc-run-result\/9"/.test(e.message));
    assert.equal(fs.readFileSync(path.join(dir, 'full-official-summary.json'), 'utf8'), before);
  });

  it('a run file named for another run, or a folder without run files, is refused', async () => {
    const dir = folderWithRuns();
    const renamed = path.join(dir, 'full-official-mnist-official-linear-s7.json');
    fs.copyFileSync(path.join(SAVED, RUNS[2]), renamed);
    await assert.rejects(rewriteSuiteSummary(dir, 'full-official'), (e: unknown) => e instanceof RunFileError && e.argument === renamed && /seed 0/.test(e.message));
    await assert.rejects(rewriteSuiteSummary(tmpDir('qkc-write-summary-empty-'), 'full-official'), (e: unknown) => e instanceof ArgumentError && /none in/.test(e.message));
  });

  it('a suite\'s run file names exclude its summary and the files of a suite whose name extends it', () => {
    assert.equal(isRunResultFileName('full-mnist-linear-s0.json', 'full'), true);
    assert.equal(isRunResultFileName('full-official-mnist-official-linear-s0.json', 'full'), false);
    assert.equal(isRunResultFileName('full-official-mnist-official-linear-s0.json', 'full-official'), true);
    assert.equal(isRunResultFileName('full-official-summary.json', 'full-official'), false);
    assert.equal(isRunResultFileName('full-official-design.json', 'full-official'), false);
  });
});
