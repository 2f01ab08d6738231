// `npm run readme:results [-- --check] [--suite NAME]`: rewrites README.md's generated Results block (between
// its `<!-- results:<suite> begin … -->` and `<!-- results:<suite> end -->` lines) from the saved result files
// in figures/results, through the same code as `qkc results`. With --check it writes nothing and exits 1
// when the block is stale (what test/readme-results.test.ts checks).
import * as fs from 'fs';
import { SUITE_NAMES, type SuiteName } from '../src/experiments';
import { RESULTS_DIR, officialEntanglementBlock, poolingStudyReadmeBlock, readSuiteResults, readmeMarkers, readmeResultsBlock, replaceBetweenMarkers, reproduceCommand } from '../src/figures';
import { writeFileAtomic } from '../src/util/atomic';

const README = 'README.md';

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const i = argv.indexOf('--suite');
  const suite = (i >= 0 ? argv[i + 1] : 'full-official') as SuiteName;
  if (!SUITE_NAMES.includes(suite)) throw new Error(`--suite: expected one of ${SUITE_NAMES.join(', ')}, got '${argv[i + 1]}'`);
  const unknown = argv.filter((a, k) => a.startsWith('--') && a !== '--check' && a !== '--suite' && argv[k - 1] !== '--suite');
  if (unknown.length) throw new Error(`unknown option(s) ${unknown.join(', ')} (expected --check, --suite NAME)`);
  const saved = readSuiteResults(suite, RESULTS_DIR);
  if (!saved) throw new Error(`no '${suite}' results in ${RESULTS_DIR} (no ${suite}-summary.json): '${reproduceCommand(suite)}' writes them`);
  // The suite's block, and with the official suite the blocks of its saved models' entanglement analyses and the pooling study.
  const blocks: Array<[Parameters<typeof readmeMarkers>[0], string]> = [[suite, readmeResultsBlock(saved)]];
  if (suite === 'full-official') {
    blocks.push(['entanglement-official', await officialEntanglementBlock(RESULTS_DIR)]);
    blocks.push(['pooling-study', await poolingStudyReadmeBlock(RESULTS_DIR)]);
  }
  const text = fs.readFileSync(README, 'utf8');
  let next = text;
  for (const [name, content] of blocks) {
    const { begin, end } = readmeMarkers(name);
    next = replaceBetweenMarkers(next, begin, end, content);
  }
  const runs = `${saved.runs.length} run file(s) of ${saved.summary.rows.length} model row(s)`;
  if (next === text) { console.log(`${README}: the ${blocks.map(([n]) => n).join(' and ')} block(s) are up to date (${runs})`); return 0; }
  if (check) { console.error(`${README}: the ${blocks.map(([n]) => n).join(' / ')} block(s) are stale; run 'npm run readme:results'`); return 1; }
  await writeFileAtomic(README, next);
  console.log(`${README}: the ${blocks.map(([n]) => n).join(' and ')} block(s) rewritten from ${runs}`);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: Error) => { console.error(`readme:results: ${e.message}`); process.exitCode = 2; });
