/** The published QCNN reference figures: data integrity, statistics, and where they show in the README table. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { QCNN_PUBLISHED, publishedRowsMarkdown, publishedStats } from '../src/experiments/qcnn-published';
import { QCNN_STUDY, qcnnReadmeTables, qcnnSummary, qcnnTableMarkdown, readQcnnRuns, type QcnnSummaryRow } from '../src/experiments/qcnn-study';

describe('qcnn: published figures (Hur, Kim & Park, authors\' result files)', () => {
  it('every run is a count of correct test images: value × test-set size is an integer', () => {
    for (const f of QCNN_PUBLISHED.figures) {
      assert.equal(f.runs.length, 5, `${f.model} (${f.dataset}): 5 runs`);
      for (const v of f.runs) {
        const correct = v * f.testImages;
        assert.ok(Math.abs(correct - Math.round(correct)) < 1e-6, `${f.source.variable}: ${v} × ${f.testImages} = ${correct}`);
      }
      assert.equal(f.parameters, 3 * 15 + 3 * 2);
      assert.match(f.source.url, /^https:\/\/github\.com\/takh04\/QCNN\/blob\/16e44da\//);
    }
  });

  it('mean and spread match Python\'s statistics module on the same arrays', () => {
    // Expected values printed by Python 3 (statistics.mean / stdev / pstdev) from the authors' file, not by this code.
    const expected: Record<string, [number, number, number]> = {
      SU4_resize256_MNIST: [0.9832624113475177, 0.0025810579789988086, 0.002308568437963824],
      SU4_AE16_MNIST: [0.9681323877068557, 0.021572929807051205, 0.019295415008959167],
      SU4_PCA8_FASHION: [0.8886, 0.013140585983889742, 0.011753297409663367],
    };
    for (const [variable, [mean, std, pstd]] of Object.entries(expected)) {
      const f = QCNN_PUBLISHED.figures.find((x) => x.source.variable === variable);
      assert.ok(f, variable);
      const s = publishedStats(f);
      assert.ok(Math.abs(s.mean - mean) < 1e-12 && Math.abs(s.std - std) < 1e-12 && Math.abs(s.populationStd - pstd) < 1e-12, `${variable}: ${JSON.stringify(s)}`);
    }
    assert.throws(() => publishedStats({ runs: [] }), /runs: expected at least one value/);
  });

  it('the README table puts a task\'s published rows right after our rows of that task', () => {
    const row = (task: string, model: string): QcnnSummaryRow => ({
      task, model, parameters: { quantum: 49, classical: 0, total: 49 }, seeds: [0], testAccuracy: [0.9], mean: 0.9, std: 0,
      lastEpochMean: 0.9, selectedEpochs: [1], failed: [],
    });
    const lines = qcnnTableMarkdown([row('0-vs-1', 'qcnn-8'), row('0-vs-1', 'linear-4x4'), row('3-vs-6', 'qcnn-8')], true).split('\n');
    const models = lines.slice(2).map((l) => l.split('|')[2].trim());
    assert.deepEqual(models.slice(0, 2), ['qcnn-8', 'linear-4x4']);
    assert.equal(models.length, 3 + 5);
    assert.ok(models.slice(2, 7).every((m) => m.startsWith('Hur et al. QCNN SU(4)')), models.join(' / '));
    assert.equal(models[7], 'qcnn-8');
    assert.match(lines[4], /\| 98\.33 ± 0\.26 \|/); // resize256, MNIST: the first published figure
    assert.equal(qcnnTableMarkdown([row('0-vs-1', 'qcnn-8')]).split('\n').length, 3, 'without `published`, no published rows');
    assert.equal(publishedRowsMarkdown('3-vs-6').length, 0);
    assert.equal(publishedRowsMarkdown('fashion-0-vs-1').length, 5);
  });

  it('the README carries, verbatim, every QCNN table that `npm run qcnn -- --report` prints from the committed run files', () => {
    const root = path.join(__dirname, '..');
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const blocks = qcnnReadmeTables(qcnnSummary(readQcnnRuns(path.join(root, 'figures', 'results', 'qcnn')), QCNN_STUDY));
    assert.ok(blocks.length >= 2, `${blocks.length} studies with runs`);
    for (const block of blocks) {
      for (const table of block.trim().split('\n\n')) assert.ok(readme.includes(table), `README lacks this table or holds a stale copy (run npm run qcnn -- --report):\n${table.slice(0, 400)}`);
    }
  });
});
