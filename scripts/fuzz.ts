/**
 * `npm run fuzz -- [--count N] [--seed S] [--api N] [--cli N] [--out failures.json]`: a larger run of the
 * fuzzing suite (test/fuzz). Prints the counts; writes the inputs that broke the rule (if any) as JSON so
 * they can be added to test/fuzz/regressions.ts; exits 1 when any did.
 */
import * as fs from 'fs';
import { ready } from '../src/backend';
import { addCounts, formatCounts, fuzzApi, fuzzCli, fuzzQasm } from '../test/fuzz/fuzz';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) { console.error(`fuzz: --${name}: expected a non-negative integer, got '${process.argv[i + 1]}'`); process.exit(2); }
  return v;
}

async function run(): Promise<number> {
  await ready();
  const count = option('count', 100_000), seed = option('seed', Date.now() % 2 ** 31);
  const api = option('api', Math.ceil(count / 20)), cli = option('cli', Math.ceil(count / 100));
  console.log(`fuzz: seed ${seed}, ${count} QASM programs, ${api} API calls, ${cli} command lines`);
  const parts = [['qasm', fuzzQasm(count, seed)], ['api', fuzzApi(api, seed)], ['cli', await fuzzCli(cli, seed)]] as const;
  for (const [label, c] of parts) console.log(formatCounts(label, c));
  const total = parts.map(([, c]) => c).reduce(addCounts);
  console.log(formatCounts('total', total));
  const groups = new Map<string, number>();
  for (const m of total.untypedMessages) { const k = m.replace(/'[^']*'/g, "''").replace(/\d+/g, 'N').slice(0, 120); groups.set(k, (groups.get(k) ?? 0) + 1); }
  if (groups.size) console.log('untyped (plain Error) messages, most frequent first:\n' + [...groups].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, n]) => `  ${n} × ${k}`).join('\n'));
  const i = process.argv.indexOf('--out');
  if (total.failures.length) {
    const out = i >= 0 ? process.argv[i + 1] : 'fuzz-failures.json';
    fs.writeFileSync(out, JSON.stringify({ seed, failures: total.failures }, null, 2));
    console.log(`fuzz: ${total.failures.length} failure(s) written to ${out}`);
    return 1;
  }
  return 0;
}

run().then((code) => { process.exitCode = code; }, (e) => { console.error(e); process.exitCode = 1; });
