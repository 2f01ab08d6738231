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
import * as path from 'path';
import { parseArgs } from 'util';
import { ready } from '../src/backend';
import { RECIPE_CANDIDATES, importSuiteRun, readRecipeTable, recordPartial, recipeTableMarkdown, runRecipeSearch } from '../src/experiments/recipe-search';

async function main(): Promise<void> {
  const { values: o } = parseArgs({
    options: {
      help: { type: 'boolean' }, report: { type: 'boolean' }, partial: { type: 'boolean' }, candidates: { type: 'string' },
      out: { type: 'string' }, runs: { type: 'string' }, 'import-run': { type: 'string' }, as: { type: 'string' },
    },
  });
  if (o.help) {
    process.stdout.write(`usage: npm run recipe-search -- [--candidates ${RECIPE_CANDIDATES.map((c) => c.name).join(',')}] [--out FILE] [--runs DIR] | --report [--out FILE] | --partial --candidates a,b | --import-run RESULT.json --as CANDIDATE\n`);
    return;
  }
  const file = o.out ?? 'figures/results/lenet5-recipe-search.json';
  if (o.report) {
    process.stdout.write(recipeTableMarkdown(readRecipeTable(file)));
    return;
  }
  if (o['import-run']) {
    if (!o.as) throw new Error('--import-run: needs --as CANDIDATE');
    const e = await importSuiteRun(o['import-run'], o.as, file);
    process.stdout.write(`${e.candidate}: best validation ${(100 * e.bestValAccuracy).toFixed(2)} % at epoch ${e.bestEpoch} (from ${o['import-run']})\n`);
    return;
  }
  const runsDir = o.runs ?? path.join('runs', 'reproduce'); // the suite's: the chosen candidate's run is its seed-0 run
  const candidates = o.candidates?.split(',').map((s) => s.trim()).filter(Boolean);
  await ready();
  if (o.partial) {
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
