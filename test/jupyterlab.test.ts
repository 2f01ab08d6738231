// End to end: JupyterLab as `npm run lab` starts it (from the project's .venv), driven in Debian's Chromium through playwright-core,
// runs notebooks 01 and 02 in the tslab TypeScript kernel as a user would (open, pick the kernel, Run All,
// shut the kernel down) and checks what rendered: no cell errored, the circuit SVG, interactive plotly
// figures. Screenshots go to test-output/jupyterlab/ (git-ignored). Without JupyterLab or Chromium the
// tests say why and skip, except under CI=true where that is a failure. Notebooks run with QKC_QUICK=1.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Browser, Page, chromium } from 'playwright-core';
import { NOTEBOOKS_DIR, PROJECT_ROOT, ensureBuilt, notebookLinkProblem, registerKernel } from '../scripts/jupyter';
import { pythonProblem } from '../src/util/python';
import { findChromium } from '../src/viz';
import { LabServer, startLab } from './helpers/jupyterlab';
import {
  cellProblems, openNotebook, pickKernel, plotlyFigures, prompts, runAll, screenshotNotebook, svgOutputs, toolbarKernel, menu,
} from './helpers/jupyterlab-page';
import { needs } from './helpers/optional';
import { pngSize } from './helpers/png';

/** Where the screenshots go (git-ignored). */
export const SCREENSHOT_DIR = path.join(PROJECT_ROOT, 'test-output', 'jupyterlab');

interface Session { id: string; path: string; kernel: { id: string; name: string } | null }

describe('JupyterLab in Chromium: notebooks run end to end in the TypeScript kernel', function () {
  // A tslab kernel takes ~20 s to start on a loaded 2-core machine; notebook 02 trains for a minute.
  this.timeout(300_000);
  let lab: LabServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    this.timeout(180_000);
    const exe = findChromium();
    needs(this, exe == null ? 'no chromium at /usr/bin/chromium or QKC_CHROMIUM (Debian: apt-get install chromium)'
      : pythonProblem(['jupyterlab']));
    const link = notebookLinkProblem();
    if (link != null) throw new Error(link);
    registerKernel();
    ensureBuilt();
    lab = await startLab({ QKC_QUICK: '1' });
    browser = await chromium.launch({ executablePath: exe!, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  /** Waits until the notebook's session runs a kernel not in `before`, idle, and the toolbar shows it idle. */
  async function kernelReady(file: string, before: Set<string>, timeoutMs: number): Promise<Session> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const sessions = await lab!.api<(Session & { kernel: { execution_state?: string } | null })[]>('/api/sessions');
      const s = sessions.find((x) => x.path === file);
      const indicator = await page.locator('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator').first().getAttribute('data-status')
        .catch(() => null);
      if (s?.kernel && !before.has(s.kernel.id) && s.kernel.execution_state === 'idle' && indicator === 'idle') return s;
      if (Date.now() > deadline) {
        throw new Error(`no new idle kernel for ${file} after ${timeoutMs / 1000} s: sessions ${JSON.stringify(sessions)}, toolbar ${indicator}`);
      }
      await page.waitForTimeout(500);
    }
  }

  /**
   * Opens `file`, picks TypeScript (a new kernel) and waits until it is ready, runs every cell; returns the
   * notebook's session as the server sees it. On failure a screenshot <name>-failure.png shows the page.
   */
  async function runNotebook(file: string): Promise<Session> {
    try {
      await openNotebook(page, lab!.base, lab!.token, file);
      const before = new Set((await lab!.api<{ id: string }[]>('/api/kernels')).map((k) => k.id));
      await pickKernel(page, 'TypeScript');
      const session = await kernelReady(file, before, 180_000);
      await runAll(page, 240_000);
      return session;
    } catch (e) {
      const shot = path.join(SCREENSHOT_DIR, `${path.basename(file, '.ipynb')}-failure.png`);
      await screenshotNotebook(page, shot).catch(() => undefined);
      throw new Error(`${(e as Error).message}\n(page at the failure: ${shot}; server log:\n${lab!.log().slice(-2000)})`);
    }
  }

  /** Kernel → Shut Down Kernel; the toolbar says so and the server no longer runs the kernel. */
  async function shutDown(kernelId: string): Promise<void> {
    await menu(page, 'Kernel', 'Shut Down Kernel');
    await page.waitForFunction(() =>
      document.querySelector('.jp-NotebookPanel .jp-Toolbar-kernelName')?.textContent?.trim() === 'No Kernel', undefined, { timeout: 60_000 });
    const kernels = await lab!.api<{ id: string }[]>('/api/kernels');
    assert.deepEqual(kernels.filter((k) => k.id === kernelId), [], 'the kernel still runs on the server');
  }

  async function screenshot(name: string): Promise<void> {
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await screenshotNotebook(page, file);
    const { width, height } = pngSize(fs.readFileSync(file));
    assert.equal(width, 1280);
    assert.ok(height > 900, `${file}: ${height} px high, expected the whole notebook`);
  }

  /** How many plotly outputs the committed, executed notebook holds. */
  function savedPlotlyOutputs(name: string): number {
    const nb = JSON.parse(fs.readFileSync(path.join('notebooks', name), 'utf8')) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
    return nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.['application/vnd.plotly.v1+json'] !== undefined).length;
  }

  it('01-quickstart: every cell runs; the circuit SVG and the interactive feature-map figure render; the kernel shuts down', async () => {
    const session = await runNotebook('01-quickstart.ipynb');
    assert.equal(session.kernel!.name, 'tslab');
    assert.equal(await toolbarKernel(page), 'TypeScript');
    assert.deepEqual(await cellProblems(page), []);
    const svgs = await svgOutputs(page);
    assert.equal(svgs.length, 1, 'one circuit drawing');
    assert.match(svgs[0].svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    // The drawn circuit: both wires and its gates with their angles are labelled in the picture.
    for (const label of ['>q0<', '>q1<', '>RY(π·x0)<', '>RY(w0)<', '>RZ(w1)<']) assert.ok(svgs[0].svg.includes(label), label);
    assert.ok(svgs[0].width > 100, `the browser decoded the SVG to a ${svgs[0].width} px wide picture`);
    const figs = await plotlyFigures(page);
    assert.equal(figs.length, 1, JSON.stringify(figs));
    assert.ok(figs[0].traces > 1 && figs[0].svg && figs[0].modebar && figs[0].width > 300 && figs[0].height > 200, JSON.stringify(figs[0]));
    await screenshot('01-quickstart');
    await shutDown(session.kernel!.id);
  });

  it('02-mnist-hybrid-vs-classical: every cell runs (live training, saved suite); its plotly figures are interactive; the kernel shuts down', async () => {
    const session = await runNotebook('02-mnist-hybrid-vs-classical.ipynb');
    assert.equal(session.kernel!.name, 'tslab');
    assert.deepEqual(await cellProblems(page), []);
    // Learning curves (live runs and suite), confusion matrices, results table: every one drawn with data.
    // As many as the notebook's saved (nbclient) execution drew: it grows with the saved suite (Fashion-MNIST, twins).
    const figs = await plotlyFigures(page);
    assert.equal(figs.length, savedPlotlyOutputs('02-mnist-hybrid-vs-classical.ipynb'), JSON.stringify(figs));
    assert.ok(figs.length >= 4, JSON.stringify(figs));
    for (const f of figs) assert.ok(f.traces > 0 && f.svg && f.modebar && f.width > 300 && f.height > 200, JSON.stringify(f));
    await screenshot('02-mnist-hybrid-vs-classical');
    await shutDown(session.kernel!.id);
  });

  it('a cell that throws is reported as a failure and stops Run All (negative control)', async () => {
    // Under notebooks/ (so `qkc` would resolve), in a hidden git-ignored folder the listing skips.
    const dir = fs.mkdtempSync(path.join(NOTEBOOKS_DIR, '.qkc-test-lab-'));
    try {
      const cells = ['const a = 1;', "throw new Error(['deliberate', 'lab', 'failure'].join('-'));", "console.log('not reached');"];
      fs.writeFileSync(path.join(dir, 'failing.ipynb'), JSON.stringify({
        cells: cells.map((source, i) => ({ id: `c${i}`, cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source })),
        metadata: { kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } },
        nbformat: 4, nbformat_minor: 5,
      }));
      const session = await runNotebook(`${path.basename(dir)}/failing.ipynb`);
      const problems = await cellProblems(page);
      assert.match(problems.join('\n'), /code cell 2 wrote application\/vnd\.jupyter\.(stderr|error): [\s\S]*Error: deliberate-lab-failure/);
      assert.match(problems.join('\n'), /code cell 3 did not run/);
      assert.equal((await prompts(page))[0], '[1]:');
      await shutDown(session.kernel!.id);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
