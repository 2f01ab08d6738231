// `qkc results --refresh`: after new run files land, one command rewrites the suite's summary from them, redraws
// its figures (or says they were skipped without Chromium) and rewrites the README's generated block, on a temp
// folder of real run files copied from figures/results, a stale summary and a README with a stale block.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { SuiteNameError, type ResultsSummary } from '../src/experiments';
import { readSuiteResults, readmeMarkers, readmeResultsBlock, refreshSuiteOutputs, textBetweenMarkers } from '../src/figures';
import { findChromium } from '../src/viz';
import { needs } from './helpers/optional';
import { runCli } from './helpers/run-cli';
import { tmpDir } from './train-fixtures';

const SAVED = path.join(__dirname, '..', 'figures', 'results');
const RUNS = ['full-official-mnist-official-cnn-medium-s0.json', 'full-official-mnist-official-cnn-medium-s1.json', 'full-official-mnist-official-linear-s0.json'];
const { begin, end } = readmeMarkers('full-official');
const BEFORE = '# a project\n\nprose before the block\n\n';
const AFTER = '\n\nprose after the block\n';

/** A results folder with copies of RUNS and a stale summary, an empty figures folder and a README whose block is stale. */
function setUp(): { results: string; figures: string; readme: string } {
  const root = tmpDir('qkc-refresh-');
  const results = path.join(root, 'results');
  fs.mkdirSync(results);
  for (const f of RUNS) fs.copyFileSync(path.join(SAVED, f), path.join(results, f));
  fs.writeFileSync(path.join(results, 'full-official-summary.json'), JSON.stringify({ format: 'qkc-results-summary/2', suite: 'full-official', createdAt: '', settings: {}, rows: [], skipped: [] }));
  const readme = path.join(root, 'README.md');
  fs.writeFileSync(readme, `${BEFORE}${begin}\nstale: 12 of 168 runs, hybrid-small 50.00 %\n${end}${AFTER}`);
  return { results, figures: path.join(root, 'figures'), readme };
}

const refresh = (d: { results: string; figures: string; readme: string }, extra: string[] = []) =>
  runCli(['results', '--suite', 'full-official', '--refresh', '--results', d.results, '--figures', d.figures, '--readme', d.readme, ...extra]);

/** Runs `f` with QKC_CHROMIUM set to `value`, restoring it after. */
async function withChromium<T>(value: string, f: () => Promise<T>): Promise<T> {
  const saved = process.env.QKC_CHROMIUM;
  process.env.QKC_CHROMIUM = value;
  try {
    return await f();
  } finally {
    if (saved === undefined) delete process.env.QKC_CHROMIUM;
    else process.env.QKC_CHROMIUM = saved;
  }
}

describe('qkc results --refresh', () => {
  it('rewrites the summary from the run files and the stale README block from them; without Chromium the figures are skipped, saying so', async function () {
    this.timeout(60000);
    const d = setUp();
    const r = await withChromium(path.join(d.figures, 'no-such-chromium'), () => refresh(d));
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.match(lines[0], /^wrote .*full-official-summary\.json and \.csv: 2 rows from 3 run files$/);
    // The summary is the run files', not the stale one's (which had no rows).
    const summary: ResultsSummary = JSON.parse(fs.readFileSync(path.join(d.results, 'full-official-summary.json'), 'utf8'));
    const acc = RUNS.map((f) => JSON.parse(fs.readFileSync(path.join(d.results, f), 'utf8')).final.testAccuracy as number);
    assert.deepEqual(summary.rows.map((row) => [row.model, row.testAccuracy.values]), [['cnn-medium', [acc[0], acc[1]]], ['linear', [acc[2]]]]);
    // Figures: skipped with the names and the command that draws them later; no figure folder made.
    const skipped = lines.filter((l) => l.startsWith('figures skipped'));
    assert.equal(skipped.length, 1, r.out);
    assert.ok(skipped[0].includes('full-official-mnist-official-results-table'), skipped[0]);
    assert.ok(skipped[0].endsWith(`--only full-official- --formats svg,png`), skipped[0]);
    assert.equal(fs.existsSync(d.figures), false);
    // README: the block is rebuilt from the new summary, the prose around it kept, the absent study blocks named.
    const text = fs.readFileSync(d.readme, 'utf8');
    assert.ok(text.startsWith(`${BEFORE}${begin}\n`) && text.endsWith(`\n${end}${AFTER}`), text.slice(0, 200));
    const block = textBetweenMarkers(text, begin, end);
    assert.ok(!block.includes('stale'), block.slice(0, 200));
    assert.equal(block, readmeResultsBlock(readSuiteResults('full-official', d.results)!, d.figures));
    for (const a of acc) assert.ok(block.includes((100 * a).toFixed(2)), `${a} missing from the block`);
    assert.match(block, /3 of 168 planned runs finished/);
    assert.match(r.out, /README\.md: rewrote the full-official block\(s\); no entanglement-official, pooling-study block \(left out\)/);
    // A second refresh changes nothing in the README and says so.
    const again = await withChromium(path.join(d.figures, 'no-such-chromium'), () => refresh(d));
    assert.equal(again.code, 0, again.err);
    assert.equal(fs.readFileSync(d.readme, 'utf8'), text);
    assert.match(again.out, /README\.md: full-official up to date/);
  });

  it('with Chromium draws the suite\'s figures first, and the README block links the ones it drew', async function () {
    needs(this, findChromium() ? null : 'Chromium is not installed');
    this.timeout(240000);
    const d = setUp();
    const r = await refresh(d);
    assert.equal(r.code, 0, r.err);
    const png = 'full-official-mnist-official-accuracy-per-model.png';
    assert.ok(fs.statSync(path.join(d.figures, png)).size > 1000, `${png} not drawn`);
    assert.ok(fs.existsSync(path.join(d.figures, 'full-official-mnist-official-results-table.svg')));
    assert.match(r.out, /\d+ figure\(s\) redrawn in /);
    assert.ok(textBetweenMarkers(fs.readFileSync(d.readme, 'utf8'), begin, end).includes(`](figures/${png})`));
  });

  it('a bad suite name is a typed error naming the argument; a bad run file leaves the summary and the README as they were', async function () {
    this.timeout(30000);
    await assert.rejects(refreshSuiteOutputs({ suite: 'fulll-official', readme: null }),
      (e: unknown) => e instanceof SuiteNameError && e.argument === 'suite' && /expected one of full-official, full, quick, got 'fulll-official'/.test(e.message));
    const d = setUp();
    const cli = await refresh(d, ['--suite', 'official']);
    assert.equal(cli.code, 2);
    assert.match(cli.err, /--suite: expected one of full-official, full, quick, got 'official'/);
    assert.equal((await refresh(d, ['--markdown'])).code, 2);
    const readme = fs.readFileSync(d.readme, 'utf8');
    const summary = fs.readFileSync(path.join(d.results, 'full-official-summary.json'), 'utf8');
    const bad = path.join(d.results, 'full-official-mnist-official-lenet5-s0.json');
    fs.writeFileSync(bad, '{"format": "qkc-run-result/2", "id": ');
    const r = await refresh(d);
    assert.equal(r.code, 1);
    assert.ok(r.err.includes(bad), r.err);
    assert.equal(fs.readFileSync(d.readme, 'utf8'), readme);
    assert.equal(fs.readFileSync(path.join(d.results, 'full-official-summary.json'), 'utf8'), summary);
  });
});
