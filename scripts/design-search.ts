/**
 * npm run design-search -- [--stage screen|long] [--candidates a,b] [--no-controls] [--out FILE]
 * npm run design-search -- --report [--out FILE]      prints the table (Markdown) from the file
 * Trains the design-search candidates of src/experiments/design-search.ts (each hybrid and its same-shape
 * control) on official MNIST and scores them on the validation split only; resumable entry by entry.
 */
import { ready } from '../src/backend';
import { DESIGN_CANDIDATES, SEARCH_STAGES, readSearchTable, runDesignSearch, searchTableMarkdown } from '../src/experiments/design-search';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (args.includes('--help')) {
    process.stdout.write(`usage: npm run design-search -- [--stage screen|long] [--candidates ${DESIGN_CANDIDATES.map((c) => c.name).join(',')}] [--no-controls] [--out FILE] | --report [--out FILE]\n`);
    return;
  }
  const file = value('--out') ?? 'figures/results/design-search.json';
  if (args.includes('--report')) {
    process.stdout.write(searchTableMarkdown(readSearchTable(file)));
    return;
  }
  const stageName = value('--stage') ?? 'screen';
  if (stageName !== 'screen' && stageName !== 'long') throw new Error(`--stage: expected 'screen' or 'long', got '${stageName}'`);
  await ready();
  await runDesignSearch({
    stage: SEARCH_STAGES[stageName],
    candidates: value('--candidates')?.split(',').map((s) => s.trim()).filter(Boolean),
    controls: !args.includes('--no-controls'),
    file,
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`design-search: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
