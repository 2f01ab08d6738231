/**
 * npm run recipe-search -- [--model NAME] [--candidates a,b] [--out FILE] [--runs DIR]
 * npm run recipe-search -- --report [--out FILE]      prints the table (Markdown) from the file
 * npm run recipe-search -- --partial --candidates a,b [--out FILE] [--runs DIR]
 *     records interrupted candidates part-way from their checkpoints (marked incomplete)
 * npm run recipe-search -- --import-run RESULT.json --as CANDIDATE [--out FILE]
 *     adds a candidate from a suite result of the same run (its validation history) instead of training it again
 * npm run recipe-search -- --model NAME --add-retrained OTHER.json [--out FILE]
 *     adds the complete entries of another table of the model (a screen run with --out OTHER.json) as retrained twins
 * npm run recipe-search -- --write-readme [--check]
 *     rewrites README.md's screen table of the models other than lenet5 (between its recipe-screen markers) from
 *     figures/results/<model>-recipe-search.json; with --check writes nothing and exits 1 when it is stale
 * Screens training recipes of one zoo model (--model, default lenet5; src/experiments/recipe-search.ts) on official
 * MNIST, scored on the validation split only; one results file per model (default
 * figures/results/<model>-recipe-search.json); resumable epoch by epoch, candidate by candidate. Run with
 * `nice -n 10` on a shared machine.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { RESULTS_DIR, replaceBetweenMarkers } from '../src/figures';
import { writeFileAtomic } from '../src/util/atomic';
import { ready } from '../src/backend';
import { DEFAULT_RECIPE_MODEL, RECIPE_CANDIDATES, addRetrained, checkRecipeModel, importSuiteRun, otherRecipeTables, RECIPE_README_MARKERS, recipeScreenMarkdown, readRecipeTable, recordPartial, recipeTableFile, recipeTableMarkdown, runRecipeSearch } from '../src/experiments/recipe-search';

async function main(): Promise<void> {
  const { values: o } = parseArgs({
    options: {
      help: { type: 'boolean' }, model: { type: 'string' }, report: { type: 'boolean' }, partial: { type: 'boolean' }, candidates: { type: 'string' },
      out: { type: 'string' }, runs: { type: 'string' }, 'import-run': { type: 'string' }, as: { type: 'string' },
      'write-readme': { type: 'boolean' }, check: { type: 'boolean' }, 'add-retrained': { type: 'string' },
    },
  });
  if (o.help) {
    process.stdout.write(`usage: npm run recipe-search -- [--model NAME (default ${DEFAULT_RECIPE_MODEL})] [--candidates ${RECIPE_CANDIDATES.map((c) => c.name).join(',')}] [--out FILE] [--runs DIR] | --report [--out FILE] | --partial --candidates a,b | --import-run RESULT.json --as CANDIDATE | --write-readme [--check]\n`);
    return;
  }
  if (o['write-readme']) {
    const text = fs.readFileSync('README.md', 'utf8');
    const next = replaceBetweenMarkers(text, RECIPE_README_MARKERS.begin, RECIPE_README_MARKERS.end, recipeScreenMarkdown(otherRecipeTables(RESULTS_DIR)).trimEnd());
    if (next === text) return void process.stdout.write('README.md: the recipe-screen table is up to date\n');
    if (o.check) throw new Error('README.md: the recipe-screen table is stale; run npm run recipe-search -- --write-readme');
    await writeFileAtomic('README.md', next);
    return void process.stdout.write('README.md: the recipe-screen table rewritten\n');
  }
  const model = checkRecipeModel(o.model ?? DEFAULT_RECIPE_MODEL, '--model');
  const file = o.out ?? recipeTableFile(model);
  if (o.report) {
    process.stdout.write(recipeTableMarkdown(readRecipeTable(file, model)));
    return;
  }
  if (o['add-retrained']) {
    for (const e of await addRetrained(o['add-retrained'], file, model)) process.stdout.write(`${e.candidate} (retrained): best validation ${(100 * e.bestValAccuracy).toFixed(2)} % at epoch ${e.bestEpoch}\n`);
    return;
  }
  if (o['import-run']) {
    if (!o.as) throw new Error('--import-run: needs --as CANDIDATE');
    const e = await importSuiteRun(o['import-run'], o.as, file, model);
    process.stdout.write(`${e.candidate}: best validation ${(100 * e.bestValAccuracy).toFixed(2)} % at epoch ${e.bestEpoch} (from ${o['import-run']})\n`);
    return;
  }
  const runsDir = o.runs ?? path.join('runs', 'reproduce'); // the suite's: the chosen candidate's run is its seed-0 run
  const candidates = o.candidates?.split(',').map((s) => s.trim()).filter(Boolean);
  await ready();
  if (o.partial) {
    if (!candidates) throw new Error('--partial: needs --candidates');
    for (const e of await recordPartial(candidates, file, runsDir, model)) {
      process.stdout.write(`${e.candidate}: best validation ${(100 * e.bestValAccuracy).toFixed(2)} % at epoch ${e.bestEpoch} of ${e.valAccuracy.length} (part-way)\n`);
    }
    return;
  }
  await runRecipeSearch({ candidates, file, runsDir, model });
}

main().catch((e: unknown) => {
  process.stderr.write(`recipe-search: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
