/**
 * `npm run lab [-- jupyterlab args]`: starts JupyterLab from the project's Python (.venv, or QKC_PYTHON)
 * in notebooks/ with the tslab TypeScript kernel registered for this project (under .jupyter-kernel,
 * found through JUPYTER_PATH: nothing global). `npm run lab -- --print-command` only prints what it would run.
 */
import { spawn } from 'child_process';
import { JUPYTER_DATA_DIR, NOTEBOOKS_DIR, ensureBuilt, jupyterEnv, notebookLinkProblem, registerKernel } from './jupyter';
import { projectPython, pythonProblem } from '../src/util/python';

function main(): void {
  const args = process.argv.slice(2);
  const printOnly = args.includes('--print-command');
  const extra = args.filter((a) => a !== '--print-command');
  const python = projectPython();
  const missing = pythonProblem(['jupyterlab'], python);
  if (missing != null) throw new Error(`npm run lab: ${missing}`);
  const link = notebookLinkProblem();
  if (link != null) throw new Error(link);
  const spec = registerKernel(python);
  try {
    if (ensureBuilt()) console.log('rebuilt dist/ (sources were newer)');
  } catch (e) {
    // A work-in-progress type error should not keep the lab closed; notebooks see what tsc emitted.
    console.warn(`warning: ${(e as Error).message}`);
  }
  // Offline (no news or update checks); --allow-root as root, which Jupyter refuses otherwise (containers).
  const root = process.getuid?.() === 0 && !extra.includes('--allow-root') ? ['--allow-root'] : [];
  const cmd = [python, '-m', 'jupyterlab', `--notebook-dir=${NOTEBOOKS_DIR}`, '--LabApp.news_url=None',
    '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate', ...root, ...extra];
  console.log(`kernel: ${spec}\nJUPYTER_PATH=${JUPYTER_DATA_DIR}\n$ ${cmd.join(' ')}`);
  if (printOnly) return;
  const child = spawn(cmd[0], cmd.slice(1), { stdio: 'inherit', env: jupyterEnv() });
  // Ctrl-C reaches the server through the terminal's process group; pass on its exit status.
  child.on('exit', (code, signal) => { process.exitCode = code ?? (signal ? 1 : 0); });
}

try {
  main();
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
