/**
 * npm run design-search -- [--stage screen|long] [--candidates a,b] [--no-controls] [--out FILE]
 * Trains the design-search candidates of src/experiments/design-search.ts (each hybrid and its same-shape
 * control) on official MNIST and scores them on the validation split only; resumable entry by entry.
 */
import { ready } from '../src/backend';
import { DESIGN_CANDIDATES, SEARCH_STAGES, runDesignSearch } from '../src/experiments/design-search';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (args.includes('--help')) {
    process.stdout.write(`usage: npm run design-search -- [--stage screen|long] [--candidates ${DESIGN_CANDIDATES.map((c) => c.name).join(',')}] [--no-controls] [--out FILE]\n`);
    return;
  }
  const stageName = value('--stage') ?? 'screen';
  if (stageName !== 'screen' && stageName !== 'long') throw new Error(`--stage: expected 'screen' or 'long', got '${stageName}'`);
  await ready();
  await runDesignSearch({
    stage: SEARCH_STAGES[stageName],
    candidates: value('--candidates')?.split(',').map((s) => s.trim()).filter(Boolean),
    controls: !args.includes('--no-controls'),
    file: value('--out') ?? 'figures/results/design-search.json',
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`design-search: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
