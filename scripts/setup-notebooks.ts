/**
 * `npm run setup:notebooks` (run by `prepare`, so by `npm install` / `npm ci`): installs the notebooks'
 * tiny package so notebooks/node_modules/qkc links to the project, the only way tslab resolves
 * `import … from 'qkc'`. No lockfile (its one dependency is the link), no scripts, no bin links.
 */
import { spawnSync } from 'child_process';
import { NOTEBOOKS_DIR, PROJECT_ROOT, notebookLinkProblem } from './jupyter';

function main(): void {
  // Inside an npm lifecycle script npm_execpath is the running npm; reuse it rather than whatever is on PATH.
  const npmCli = process.env.npm_execpath;
  const [cmd, pre] = npmCli != null && npmCli.endsWith('.js') ? [process.execPath, [npmCli]] : ['npm', []];
  const args = [...pre, 'install', '--prefix', NOTEBOOKS_DIR, '--no-audit', '--no-fund', '--ignore-scripts',
    '--no-package-lock', '--no-bin-links'];
  const r = spawnSync(cmd, args, { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (r.error || r.status !== 0) {
    throw new Error(`npm install --prefix notebooks failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''})`);
  }
  const problem = notebookLinkProblem();
  if (problem != null) throw new Error(problem);
  console.log(`notebooks/node_modules/qkc -> ${PROJECT_ROOT}`);
}

main();
