// The qkc command from the TypeScript sources, for tests that need it as a separate process:
//   node -r ts-node/register/transpile-only test/helpers/qkc-cli.ts <command> [options]
import { main } from '../../src/cli';

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
