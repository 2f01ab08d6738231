/**
 * npm run recipe-search -- [--candidates a,b] [--out FILE] [--runs DIR]
 * npm run recipe-search -- --report [--out FILE]      prints the table (Markdown) from the file
 * npm run recipe-search -- --partial --candidates a,b [--out FILE] [--runs DIR]
 *     records interrupted candidates part-way from their checkpoints (marked incomplete)
 * npm run recipe-search -- --import-run RESULT.json --as CANDIDATE [--out FILE]
 *     adds a candidate from a suite result of the same run (its validation history) instead of training it again
 * Screens LeNet-5-like training recipes (src/experiments/recipe-search.ts) on official MNIST, scored on the
 * validation split only; resumable epoch by epoch, candidate by candidate. Run with `nice -n 10` on a shared machine.
 */
import { ready } from '../src/backend';
import { RECIPE_CANDIDATES, importSuiteRun, readRecipeTable, recordPartial, recipeTableMarkdown, runRecipeSearch } from '../src/experiments/recipe-search';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (args.includes('--help')) {
    process.stdout.write(`usage: npm run recipe-search -- [--candidates ${RECIPE_CANDIDATES.map((c) => c.name).join(',')}] [--out FILE] [--runs DIR] | --report [--out FILE] | --import-run RESULT.json --as CANDIDATE\n`);
    return;
  }
  const file = value('--out') ?? 'figures/results/lenet5-recipe-search.json';
  if (args.includes('--report')) {
    process.stdout.write(recipeTableMarkdown(readRecipeTable(file)));
    return;
  }
  const imported = value('--import-run');
  if (imported) {
    const name = value('--as');
    if (!name) throw new Error('--import-run: needs --as CANDIDATE');
    const e = await importSuiteRun(imported, name, file);
    process.stdout.write(`${e.candidate}: best validation ${(100 * e.bestValAccuracy).toFixed(2)} % at epoch ${e.bestEpoch} (from ${imported})\n`);
    return;
  }
  const runsDir = value('--runs') ?? 'runs/recipe-search';
  const candidates = value('--candidates')?.split(',').map((s) => s.trim()).filter(Boolean);
  await ready();
  if (args.includes('--partial')) {
    if (!candidates) throw new Error('--partial: needs --candidates');
    for (const e of await recordPartial(candidates, file, runsDir)) {
      process.stdout.write(`${e.candidate}: best validation ${(100 * e.bestValAccuracy).toFixed(2)} % at epoch ${e.bestEpoch} of ${e.valAccuracy.length} (part-way)\n`);
    }
    return;
  }
  await runRecipeSearch({ candidates, file, runsDir });
}

main().catch((e: unknown) => {
  process.stderr.write(`recipe-search: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
