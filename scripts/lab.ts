/**
 * `npm run lab [-- jupyter args]`: registers the tslab kernel for this project (under .jupyter-kernel,
 * found through JUPYTER_PATH: nothing global) and starts JupyterLab in notebooks/ when the Python has it,
 * else Debian's classic notebook. `npm run lab -- --print-command` only prints what it would run.
 */
import { spawn } from 'child_process';
import {
  JUPYTER_DATA_DIR, NOTEBOOKS_DIR, ensureBuilt, findPython, jupyterEnv, missingPythonModules, notebookLinkProblem,
  registerKernel,
} from './jupyter';

function main(): void {
  const args = process.argv.slice(2);
  const printOnly = args.includes('--print-command');
  const extra = args.filter((a) => a !== '--print-command');
  const python = findPython();
  const app = missingPythonModules(python, ['jupyterlab']) == null ? 'jupyterlab'
    : missingPythonModules(python, ['notebook']) == null ? 'notebook' : null;
  if (app == null) {
    throw new Error(`${python} has neither JupyterLab nor the classic notebook: \`pip install jupyterlab\` ` +
      '(or on Debian `apt-get install jupyter-notebook`), or point QKC_PYTHON at a Python that has one');
  }
  const link = notebookLinkProblem();
  if (link != null) throw new Error(link);
  const spec = registerKernel(python);
  try {
    if (ensureBuilt()) console.log('rebuilt dist/ (sources were newer)');
  } catch (e) {
    // A work-in-progress type error should not keep the lab closed; notebooks see what tsc emitted.
    console.warn(`warning: ${(e as Error).message}`);
  }
  // Jupyter refuses to start as root (common in containers) unless told to.
  const root = process.getuid?.() === 0 && !extra.includes('--allow-root') ? ['--allow-root'] : [];
  const cmd = [python, '-m', app, `--notebook-dir=${NOTEBOOKS_DIR}`, ...root, ...extra];
  console.log(`kernel: ${spec}\nJUPYTER_PATH=${JUPYTER_DATA_DIR}\n${app === 'notebook' ?
    'JupyterLab not found (pip install jupyterlab); starting the classic notebook.\n' : ''}$ ${cmd.join(' ')}`);
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
