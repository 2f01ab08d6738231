// `npm run readme:results [-- --check] [--suite NAME]`: rewrites README.md's generated Results block (between
// its `<!-- results:<suite> begin … -->` and `<!-- results:<suite> end -->` lines) from the saved result files
// in figures/results, through the same code as `qkc results` (refreshReadmeBlocks; `qkc results --refresh`
// does this after rewriting the summary and the figures). With --check it writes nothing and exits 1 when the
// block is stale (what test/readme-results.test.ts checks).
import { checkSuiteName } from '../src/experiments';
import { refreshReadmeBlocks } from '../src/figures';

const README = 'README.md';

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const i = argv.indexOf('--suite');
  const suite = checkSuiteName(i >= 0 ? argv[i + 1] : 'full-official', '--suite');
  const unknown = argv.filter((a, k) => a.startsWith('--') && a !== '--check' && a !== '--suite' && argv[k - 1] !== '--suite');
  if (unknown.length) throw new Error(`unknown option(s) ${unknown.join(', ')} (expected --check, --suite NAME)`);
  const r = await refreshReadmeBlocks(README, suite, { check });
  const runs = `${r.runs} run file(s) of ${r.rows} model row(s)`;
  if (r.absent.length) console.log(`${README}: no ${r.absent.join(', ')} block (left out)`);
  if (r.changed.length === 0) { console.log(`${README}: the ${r.current.join(' and ')} block(s) are up to date (${runs})`); return 0; }
  if (check) { console.error(`${README}: the ${r.changed.join(' / ')} block(s) are stale; run 'npm run readme:results'`); return 1; }
  console.log(`${README}: the ${r.changed.join(' and ')} block(s) rewritten from ${runs}`);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: Error) => { console.error(`readme:results: ${e.message}`); process.exitCode = 2; });
