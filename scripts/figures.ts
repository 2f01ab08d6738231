/**
 * `npm run figures [-- --only NAME …]`: `qkc figures` run from the TypeScript sources (no build step),
 * regenerating every figure under figures/ from the saved results in figures/results.
 */
import { main } from '../src/cli';

main(['figures', ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
