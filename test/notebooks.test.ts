// Executes every notebooks/*.ipynb through real Jupyter (nbconvert + the project's tslab kernel) into a
// temp copy and fails on any cell error. Without Jupyter the tests say why and skip, except under
// CI=true where that is a failure. Notebooks run in quick mode (QKC_QUICK=1).
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  NOTEBOOKS_DIR, ensureBuilt, executeNotebook, jupyterUnavailable, lateErrors, listNotebooks, notebookLinkProblem,
  registerKernel,
} from '../scripts/jupyter';
import { needs } from './helpers/optional';

function codeNotebook(cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((source, i) => ({ id: `c${i}`, cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } },
    nbformat: 4, nbformat_minor: 5,
  });
}

describe('notebooks (tslab kernel through real Jupyter)', function () {
  // Each notebook starts a kernel and the TypeScript compiler (~7 s on a loaded 2-core machine).
  this.timeout(300_000);
  let scratch = '';

  before(function () {
    needs(this, jupyterUnavailable());
    // Set-up problems are failures, not skips: `npm ci` creates the link.
    const link = notebookLinkProblem();
    if (link != null) throw new Error(link);
    registerKernel();
    ensureBuilt();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-nbtest-'));
  });

  after(() => { if (scratch !== '') fs.rmSync(scratch, { recursive: true, force: true }); });

  const notebooks = listNotebooks();
  it('finds the notebooks, the smoke notebook among them', () => {
    assert.ok(notebooks.some((n) => path.basename(n) === '00-smoke.ipynb'), `notebooks found: ${notebooks.join(', ')}`);
  });

  for (const nb of notebooks) {
    it(`${path.basename(nb)} runs without cell errors`, () => {
      const out = path.join(scratch, path.basename(nb));
      const r = executeNotebook(nb, { output: out, env: { QKC_QUICK: '1' }, diagnose: true });
      assert.ok(r.ok, `${path.basename(nb)} failed:\n${r.problems.join('\n')}`);
      const executed = JSON.parse(fs.readFileSync(out, 'utf8')) as { cells: { cell_type: string; outputs?: unknown[] }[] };
      const code = executed.cells.filter((c) => c.cell_type === 'code');
      assert.ok(code.length > 0 && code.some((c) => (c.outputs ?? []).length > 0), 'executed notebook has no outputs');
      if (path.basename(nb) === '00-smoke.ipynb') {
        // The import through notebooks/node_modules/qkc worked and the circuit it built was printed.
        const text = fs.readFileSync(out, 'utf8');
        assert.match(text, /tfjs backend: (wasm|tensorflow|cpu)/);
        assert.match(text, /depth: 4/);
        assert.match(text, /cx q0,q1/);
      }
    });
  }

  it('showFigure and showTable reach Jupyter as MIME bundles (plotly inlined once per session)', () => {
    // The notebook must sit under notebooks/ for `qkc` to resolve; a hidden folder keeps it out of listNotebooks.
    const dir = fs.mkdtempSync(path.join(NOTEBOOKS_DIR, '.qkc-test-'));
    try {
      const nb = path.join(dir, 'display.ipynb');
      fs.writeFileSync(nb, codeNotebook([
        "import { showFigure, showTable } from 'qkc';\n" +
        "const fig = { data: [{ type: 'scatter', x: [1, 2, 3], y: [3, 1, 2] }], layout: { title: { text: 'display check' } } };\n" +
        'showFigure(fig);\nshowFigure(fig);',
        "showTable([{ model: 'hybrid', accuracy: 0.9 }, { model: 'cnn', accuracy: 0.85 }]);",
      ]));
      const out = path.join(scratch, 'display-out.ipynb');
      const r = executeNotebook(nb, { output: out, diagnose: true });
      assert.ok(r.ok, r.problems.join('\n'));
      const outputs = (JSON.parse(fs.readFileSync(out, 'utf8')) as { cells: { outputs: { output_type: string; data?: Record<string, unknown> }[] }[] })
        .cells.flatMap((c) => c.outputs).filter((o) => o.output_type === 'display_data');
      assert.equal(outputs.length, 3);
      const [first, second, table] = outputs.map((o) => o.data!);
      for (const f of [first, second]) {
        assert.deepEqual(Object.keys(f).sort(), ['application/vnd.plotly.v1+json', 'text/html', 'text/plain']);
        assert.deepEqual((f['application/vnd.plotly.v1+json'] as { data: { y: number[] }[] }).data[0].y, [3, 1, 2]);
      }
      const html = (x: unknown): string => (Array.isArray(x) ? x.join('') : String(x));
      assert.ok(html(first['text/html']).includes('plotly.js v'), 'first figure of the session carries plotly.js');
      assert.ok(!html(second['text/html']).includes('plotly.js v') && html(second['text/html']).length < 5_000, 'later ones do not');
      assert.match(html(table['text/html']), /<td>hybrid<\/td><td style="text-align:right">0.9<\/td>/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a failing cell as a failure, with the error text (negative control)', () => {
    const nb = path.join(scratch, 'failing.ipynb');
    // The message is built at run time, so finding it proves the diagnosis read the error, not the source.
    fs.writeFileSync(nb, codeNotebook(['const a = 1;', "throw new Error(['deliberate', 'notebook', 'failure'].join('-'));"]));
    const r = executeNotebook(nb, { output: path.join(scratch, 'failing-out.ipynb'), diagnose: true });
    assert.equal(r.ok, false);
    assert.match(r.problems.join('\n'), /Error: deliberate-notebook-failure/);
  });
});

describe('notebook harness: late errors', () => {
  it('finds unhandled rejections and uncaught exceptions tslab only prints, and nothing else', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-nbparse-'));
    try {
      const file = path.join(dir, 'x.ipynb');
      const stream = (text: string[]) => ({ output_type: 'stream', name: 'stderr', text });
      fs.writeFileSync(file, JSON.stringify({
        cells: [
          { cell_type: 'code', source: 'a', outputs: [stream(['a warning that is fine\n'])] },
          { cell_type: 'markdown', source: 'text' },
          { cell_type: 'code', source: ['b'], outputs: [stream(['UnhandledPromiseRejection: Error: x\n', '    at y\n'])] },
          { cell_type: 'code', source: 'c', outputs: [{ output_type: 'stream', name: 'stdout', text: 'UncaughtException: Error: not stderr\n' }] },
          { cell_type: 'code', source: 'd', outputs: [stream(['UncaughtException: Error: late\n'])] },
        ],
      }));
      assert.deepEqual(lateErrors(file).map((e) => e.split(':').slice(0, 2).join(':')),
        ['cell 2: UnhandledPromiseRejection', 'cell 4: UncaughtException']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
