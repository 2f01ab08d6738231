/**
 * `npm run notebooks:execute [-- notebooks/01-x.ipynb …]`: executes every notebooks/*.ipynb (or the ones
 * named) through real Jupyter with the project's tslab kernel, so committed notebooks carry the outputs
 * of a real run. Quick mode by default (QKC_QUICK=1 reaches the kernel); `QKC_QUICK=0 npm run
 * notebooks:execute` runs the full settings. Figures are saved without plotly.js and with a PNG
 * (QKC_PLOTLY_INLINE=never unless set), so notebook files stay small and GitHub shows the pictures.
 * A notebook is replaced only when every cell ran clean.
 */
import * as path from 'path';
import {
  ensureBuilt, executeNotebook, jupyterUnavailable, listNotebooks, notebookLinkProblem, registerKernel,
} from './jupyter';
import { projectPython } from '../src/util/python';

function main(): number {
  const python = projectPython();
  const missing = jupyterUnavailable(python);
  if (missing != null) {
    console.error(`cannot execute notebooks: ${missing}`);
    return 1;
  }
  const link = notebookLinkProblem();
  if (link != null) { console.error(link); return 1; }
  registerKernel(python);
  if (ensureBuilt()) console.log('rebuilt dist/ (sources were newer)');
  const quick = process.env.QKC_QUICK ?? '1';
  // Committed notebooks must stay small and show pictures on GitHub: no plotly.js in the outputs
  // (4.8 MB each), a PNG beside every figure instead (displayFigure renders it when this is 'never').
  const plotlyInline = process.env.QKC_PLOTLY_INLINE ?? 'never';
  const notebooks = process.argv.length > 2 ? process.argv.slice(2).map((p) => path.resolve(p)) : listNotebooks();
  let failed = 0;
  for (const nb of notebooks) {
    const t0 = Date.now();
    const r = executeNotebook(nb, { env: { QKC_QUICK: quick, QKC_PLOTLY_INLINE: plotlyInline }, python, diagnose: true });
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (r.ok) {
      console.log(`ok    ${path.relative(process.cwd(), nb)} (${secs} s, QKC_QUICK=${quick})`);
    } else {
      failed++;
      console.error(`FAIL  ${path.relative(process.cwd(), nb)} (${secs} s; left unchanged)\n${r.problems.join('\n')}\n`);
    }
  }
  console.log(`${notebooks.length - failed}/${notebooks.length} notebooks executed`);
  return failed === 0 ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
