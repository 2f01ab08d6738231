/**
 * `npm run results:refresh [-- --suite NAME …]`: `qkc results --refresh` run from the TypeScript sources (no
 * build step): after new run files land, the suite's summary, figures and README blocks rewritten from them.
 */
import { main } from '../src/cli';

main(['results', '--refresh', ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
