/**
 * The one place that decides which Python qkc's tests, scripts, bench peers and interop glue run:
 * `QKC_PYTHON` when set, else the project-local virtual environment `<project>/.venv` that
 * `bash setup.sh` creates from requirements.txt (JupyterLab, nbconvert, nbclient, Qiskit, …).
 * Never the `python3` on PATH: that may be a pyenv or Debian Python without the pinned packages.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

/** The project root (this file is <root>/src/util/python.ts, or <root>/dist/util/python.js once built). */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** The project-local virtual environment set-up creates (git-ignored). */
export const VENV_DIR = path.join(PROJECT_ROOT, '.venv');

/** The Python interpreter to use: `QKC_PYTHON` if set and not empty, else `.venv/bin/python`. */
export function projectPython(env: NodeJS.ProcessEnv = process.env): string {
  const forced = env.QKC_PYTHON;
  if (forced != null && forced !== '') return forced;
  return process.platform === 'win32' ? path.join(VENV_DIR, 'Scripts', 'python.exe') : path.join(VENV_DIR, 'bin', 'python');
}

/**
 * Why `python` cannot run or cannot import every module named (one line naming the interpreter, the
 * modules and how to get them), or null when it can. Callers that need Python fail (or, outside CI,
 * skip) with this text.
 */
export function pythonProblem(modules: readonly string[] = [], python = projectPython()): string | null {
  const r = spawnSync(python, ['-c', modules.length > 0 ? `import ${modules.join(', ')}` : 'pass'], {
    encoding: 'utf8', timeout: 120_000,
  });
  const setup = 'run `bash setup.sh` (it creates .venv from requirements.txt)';
  if (r.error) {
    return `Python ${python} could not be started (${r.error.message}): ${process.env.QKC_PYTHON ? 'fix or unset QKC_PYTHON' : setup}`;
  }
  if (r.status !== 0) {
    const lines = r.stderr.trim().split('\n');
    return `Python ${python} cannot import ${modules.join(', ')} (${lines[lines.length - 1]}): ` +
      (process.env.QKC_PYTHON ? 'install them into QKC_PYTHON\'s environment, or unset QKC_PYTHON' : setup);
  }
  return null;
}
