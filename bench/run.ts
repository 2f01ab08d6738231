/**
 * Bench runner (`npm run bench`): every bench/<name>.ts that exports `main` is a workload.
 *   npm run bench                      runs them all, one after another
 *   npm run bench -- qkc-mnist-batch   runs the named ones (extra numeric arguments go to main)
 *   npm run bench -- --list            lists them
 * Other arguments starting with `--` are flags the named workload reads itself (e.g. `peers … --replace`).
 * Workloads are found by file, so adding a bench needs no edit here.
 */
import * as fs from 'fs';
import * as path from 'path';

type Workload = { main: (...args: number[]) => Promise<void> };

function workloads(): string[] {
  return fs.readdirSync(__dirname)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'run.ts')
    .map((f) => f.slice(0, -3))
    .filter((name) => fs.readFileSync(path.join(__dirname, `${name}.ts`), 'utf8').includes('export async function main'))
    .sort();
}

async function run(): Promise<void> {
  const args = process.argv.slice(2);
  const known = workloads();
  if (args.includes('--list')) {
    console.log(known.join('\n'));
    return;
  }
  const names = args.filter((a) => !/^-?\d+(\.\d+)?$/.test(a) && !a.startsWith('--'));
  const numbers = args.filter((a) => /^-?\d+(\.\d+)?$/.test(a)).map(Number);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) throw new Error(`bench: unknown workload(s) ${unknown.map((n) => `'${n}'`).join(', ')}; expected one of ${known.join(', ')}`);
  for (const name of names.length ? names : known) {
    console.log(`\n=== ${name} ===`);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require(path.join(__dirname, name)) as Workload;
    await mod.main(...numbers);
  }
}

run().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
