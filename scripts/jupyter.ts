/**
 * Project-local Jupyter plumbing shared by `npm run lab`, `npm run notebooks:execute` and
 * test/notebooks.test.ts: which Python has Jupyter, registering the tslab kernel under
 * `<project>/.jupyter-kernel` (no global state: Jupyter finds it through JUPYTER_PATH), keeping
 * dist/ current for the notebooks, and executing notebooks through real Jupyter (nbconvert).
 *
 * What tslab does (tslab 1.0.22, checked by executing notebooks/00-smoke.ipynb through nbconvert):
 * - Each notebook's kernel runs with the notebook's folder as working directory, and tslab resolves
 *   imports (for TypeScript types and at run time) from there. `import … from '../src/…'` fails and a
 *   package self-reference through "exports" is not followed, but `import { Circuit } from 'qkc'`
 *   works through notebooks/node_modules/qkc → .. (the built dist/ with its .d.ts). Packages qkc
 *   depends on (`@tensorflow/tfjs`, `danfojs-node`) resolve from notebooks/ by walking up to the
 *   project's node_modules.
 * - Top-level `await` works in a cell (`await ready();` as a statement, `const info = await ready();`).
 *   A rejected promise becomes a cell error; so do TypeScript type errors (the cell does not run).
 *   `const`/`let` declared in one cell are visible in later cells — but NOT through shorthand
 *   properties: `{ weights }` in a later cell is a ReferenceError (tslab rewrites `weights` to
 *   `exports.weights` everywhere except there), so notebooks write `{ weights: weights }`.
 * - Rich output: `import * as tslab from 'tslab'` (tslab hooks that require and hands out its own
 *   running instance). `tslab.display.html(s) / svg(s) / png(bytes) / markdown(s) / text(s) /
 *   javascript(s)` each send one `display_data` with ONE MIME type; `tslab.display.raw(mime, data)`
 *   sends any single MIME type; `tslab.newDisplay()` returns a display whose later calls update the
 *   same output. A multi-MIME bundle (e.g. plotly JSON + HTML fallback) is not in tslab's public
 *   API; src/viz/show.ts reaches the kernel's display sender for that (see there).
 * - A cell's last expression is printed as text/plain (like Node's REPL), console.log goes to stdout.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PROJECT_ROOT, projectPython, pythonProblem } from '../src/util/python';

export { PROJECT_ROOT };

/** Where the notebooks live. */
export const NOTEBOOKS_DIR = path.join(PROJECT_ROOT, 'notebooks');
/** Prefix the tslab kernelspec is installed under (git-ignored). */
export const KERNEL_PREFIX = path.join(PROJECT_ROOT, '.jupyter-kernel');
/** The Jupyter data directory to put on JUPYTER_PATH so Jupyter finds the project's kernel. */
export const JUPYTER_DATA_DIR = path.join(KERNEL_PREFIX, 'share', 'jupyter');
/** The kernelspec name tslab registers for TypeScript. */
export const KERNEL_NAME = 'tslab';

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}):
    SpawnSyncReturns<string> {
  return spawnSync(cmd, args, {
    cwd: opts.cwd ?? PROJECT_ROOT, env: opts.env ?? process.env, encoding: 'utf8',
    timeout: opts.timeoutMs, maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * Why notebooks cannot be executed here (no Python, no nbconvert/nbclient), or null when they can.
 * Tests skip on a non-null answer, except under CI=true where it is a failure.
 */
export function jupyterUnavailable(python = projectPython()): string | null {
  return pythonProblem(['nbconvert', 'nbclient', 'jupyter_client'], python);
}

/** The kernel's kernel.json path once registered. */
export function kernelSpecFile(): string {
  return path.join(JUPYTER_DATA_DIR, 'kernels', KERNEL_NAME, 'kernel.json');
}

/** The tslab launcher of this project's node_modules (absolute, so the kernel needs no global tslab). */
export function tslabBinary(): string {
  return path.join(path.dirname(require.resolve('tslab/package.json', { paths: [PROJECT_ROOT] })), 'bin', 'tslab');
}

/**
 * Registers the tslab kernels (TypeScript `tslab`, JavaScript `jslab`) under `<project>/.jupyter-kernel`
 * with `tslab install --python … --binary <abs tslab> --prefix …`. Idempotent. Returns kernel.json's path.
 */
export function registerKernel(python = projectPython()): string {
  const bin = tslabBinary();
  const r = run(process.execPath, [bin, 'install', '--python', python, '--binary', bin, '--prefix', KERNEL_PREFIX]);
  const file = kernelSpecFile();
  if (r.error || r.status !== 0 || !fs.existsSync(file)) {
    throw new Error(`registering the tslab kernel failed (tslab install --python ${python} --prefix ${KERNEL_PREFIX}, ` +
      `exit ${r.status}): ${r.error?.message ?? ''}${r.stderr}${r.stdout}`);
  }
  return file;
}

/** `env` with JUPYTER_PATH led by the project's kernel directory (any existing entries kept after it). */
export function jupyterEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const rest = (env.JUPYTER_PATH ?? '').split(path.delimiter).filter((p) => p !== '' && p !== JUPYTER_DATA_DIR);
  return { ...env, JUPYTER_PATH: [JUPYTER_DATA_DIR, ...rest].join(path.delimiter) };
}

function newestMtime(dir: string, ext: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p, ext));
    else if (entry.name.endsWith(ext)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Rebuilds dist/ with `tsc -p tsconfig.build.json` when any src/**.ts is newer than dist/index.js:
 * notebooks import the built package, so running them against a stale dist/ would test old code.
 * Type errors only warn when tsc still wrote the outputs. Returns whether it built.
 */
export function ensureBuilt(): boolean {
  const distIndex = path.join(PROJECT_ROOT, 'dist', 'index.js');
  const built = fs.existsSync(distIndex) ? fs.statSync(distIndex).mtimeMs : -1;
  const sources = Math.max(newestMtime(path.join(PROJECT_ROOT, 'src'), '.ts'),
    fs.statSync(path.join(PROJECT_ROOT, 'tsconfig.build.json')).mtimeMs);
  if (built >= sources) return false;
  const tsc = require.resolve('typescript/bin/tsc', { paths: [PROJECT_ROOT] });
  const r = run(process.execPath, [tsc, '-p', 'tsconfig.build.json']);
  if (r.status === 2) {
    // tsc's "errors, outputs generated": dist/ is current; type errors are `npm run typecheck`'s to report.
    const lines = r.stdout.trim().split('\n');
    console.warn(`warning: tsc reported type errors while building dist/ for the notebooks (first of ${lines.length} lines):\n` +
      lines.slice(0, 5).join('\n'));
  } else if (r.error || r.status !== 0) {
    throw new Error(`building dist/ for the notebooks failed (tsc -p tsconfig.build.json, exit ${r.status}):\n${r.stdout}${r.stderr}`);
  }
  // tsc skips unchanged outputs; touch the entry point so the staleness check settles.
  const now = new Date();
  fs.utimesSync(distIndex, now, now);
  return true;
}

/**
 * Why `import … from 'qkc'` would not resolve from notebooks/ (link missing or pointing elsewhere),
 * or null when notebooks/node_modules/qkc is the project itself.
 */
export function notebookLinkProblem(): string | null {
  const link = path.join(NOTEBOOKS_DIR, 'node_modules', 'qkc');
  let target: string;
  try {
    target = fs.realpathSync(link);
  } catch {
    return `${link} is missing: run \`bash setup.sh\` (or \`npm run setup:notebooks\`)`;
  }
  if (target !== fs.realpathSync(PROJECT_ROOT)) {
    return `${link} points to ${target}, expected the project ${PROJECT_ROOT}: run \`npm run setup:notebooks\``;
  }
  return null;
}

/** The notebooks to execute: every notebooks/*.ipynb, sorted by name. */
export function listNotebooks(): string[] {
  return fs.readdirSync(NOTEBOOKS_DIR).filter((f) => f.endsWith('.ipynb') && !f.startsWith('.')).sort()
    .map((f) => path.join(NOTEBOOKS_DIR, f));
}

/** Options for {@link executeNotebook}. */
export interface ExecuteOptions {
  /** Write the executed notebook here; omitted = replace the notebook itself (only when it ran clean). */
  output?: string;
  /** Seconds one cell may run before nbconvert gives up. */
  cellTimeoutSec?: number;
  /** Extra environment for the kernel (e.g. QKC_QUICK=1); merged over process.env. */
  env?: NodeJS.ProcessEnv;
  /** The Python running nbconvert. */
  python?: string;
  /**
   * On a failing cell, run once more with --allow-errors to collect what the cells wrote to stderr:
   * tslab reports errors only as stderr text plus an 'error' reply without name or message, so
   * nbconvert's own log shows the failing cell's source but not the error itself.
   */
  diagnose?: boolean;
}

/** What running one notebook through nbconvert gave. */
export interface ExecuteResult {
  ok: boolean;
  /** nbconvert's exit status (0 also when only late asynchronous errors were found). */
  status: number | null;
  /** What went wrong: failing cells with their stderr, late unhandled errors; empty when ok. */
  problems: string[];
  /** nbconvert's stderr. */
  log: string;
}

/** tslab prints errors thrown outside a cell's awaited work like this and lets the cell succeed. */
const LATE_ERROR = /^(UnhandledPromiseRejection|UncaughtException): .*$/m;

interface NotebookJSON {
  cells: { cell_type: string; source: string | string[]; outputs?: { output_type: string; name?: string; text?: string | string[] }[] }[];
}

const joined = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join('') : t ?? '');

/** Each code cell's stderr text in an executed notebook file, with the cell's index and source. */
export function cellStderr(file: string): { cell: number; source: string; stderr: string }[] {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJSON;
  const out: { cell: number; source: string; stderr: string }[] = [];
  nb.cells.forEach((cell, i) => {
    const stderr = (cell.outputs ?? []).filter((o) => o.output_type === 'stream' && o.name === 'stderr')
      .map((o) => joined(o.text)).join('');
    if (stderr !== '') out.push({ cell: i, source: joined(cell.source), stderr });
  });
  return out;
}

/**
 * Errors tslab printed for work a cell did not await (an unhandled rejection, a throw in a timer):
 * tslab lets such a cell succeed, so they are found in the executed notebook's stderr text.
 */
export function lateErrors(file: string): string[] {
  const found: string[] = [];
  for (const c of cellStderr(file)) {
    const m = LATE_ERROR.exec(c.stderr);
    if (m) found.push(`cell ${c.cell}: ${m[0]} (an error outside the cell's awaited work)`);
  }
  return found;
}

function nbconvert(python: string, file: string, output: string, opts: ExecuteOptions, allowErrors: boolean):
    SpawnSyncReturns<string> {
  const args = ['-m', 'nbconvert', '--to', 'notebook', '--execute',
    `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
    `--ExecutePreprocessor.timeout=${opts.cellTimeoutSec ?? 600}`,
    '--ExecutePreprocessor.record_timing=False',
    ...(allowErrors ? ['--allow-errors'] : []),
    '--output-dir', path.dirname(output), '--output', path.basename(output), file];
  // nbconvert starts the kernel in the input notebook's folder, so `qkc` resolves as it does in the lab.
  return run(python, args, { env: jupyterEnv({ ...process.env, ...opts.env }), cwd: path.dirname(file) });
}

/**
 * Executes `notebook` through real Jupyter: `python -m nbconvert --to notebook --execute` with the
 * project's tslab kernel (JUPYTER_PATH set), without per-cell timing metadata so re-running a notebook
 * changes only its outputs. Fails on any cell error and on late unhandled errors tslab only prints.
 * In place (no `output`) the executed notebook replaces the original atomically, and only when it ran clean.
 */
export function executeNotebook(notebook: string, opts: ExecuteOptions = {}): ExecuteResult {
  const python = opts.python ?? projectPython();
  const file = path.resolve(notebook);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-nb-'));
  try {
    const executed = opts.output != null ? path.resolve(opts.output) : path.join(scratch, path.basename(file));
    const r = nbconvert(python, file, executed, opts, false);
    const log = `${r.error?.message ?? ''}${r.stderr}`;
    const problems: string[] = [];
    if (r.error || r.status !== 0) {
      const at = log.indexOf('CellExecutionError');
      problems.push(at >= 0 ? log.slice(at).trim() : `nbconvert failed (exit ${r.status}): ${log.trim()}`);
      if (opts.diagnose) {
        const d = nbconvert(python, file, executed, opts, true);
        if (d.status === 0) {
          for (const c of cellStderr(executed)) problems.push(`cell ${c.cell} stderr:\n${c.stderr.trim()}`);
        }
      }
    } else {
      problems.push(...lateErrors(executed));
    }
    const ok = problems.length === 0;
    if (ok && opts.output == null) writeFileAtomicSync(file, fs.readFileSync(executed));
    return { ok, status: r.status, problems, log };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function writeFileAtomicSync(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
