/**
 * Prints the README's two-thread table from bench/results/host-threads.json (written by
 * `npm run bench -- host-threads`), with the thresholds and the machine load of that run.
 * Run: npm run bench -- host-threads-report
 */
import * as fs from 'fs';
import * as path from 'path';
import { markdownTable } from './host-threads';

export async function main(): Promise<void> {
  const saved = JSON.parse(fs.readFileSync(path.join(__dirname, 'results', 'host-threads.json'), 'utf8'));
  console.log(`${saved.date}: ${saved.rounds} interleaved rounds, load ${saved.machine.loadBefore} before / ${saved.machine.loadAfter} after, thresholds ${JSON.stringify(saved.thresholds)}`);
  console.log(`wasm threaded build: ${saved.wasmThreads.ok ? 'runs' : `does not run (${saved.wasmThreads.detail})`}\n`);
  console.log(markdownTable(saved.cases));
}
