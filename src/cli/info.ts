/** `qkc info`: which tfjs backend qkc runs on and why, plus versions. */
import { ready } from '../backend';
import { Command } from './command';

/** Prints the selected backend (and why faster ones were skipped), Node and package versions. */
export const infoCommand: Command = {
  name: 'info',
  summary: 'show the tfjs backend in use (QKC_BACKEND=node|wasm|cpu forces one) and versions',
  options: {},
  async run() {
    const info = await ready();
    const pkg = require('../../package.json') as { version: string };
    const tfVersion = (require('@tensorflow/tfjs/package.json') as { version: string }).version;
    console.log(`qkc ${pkg.version}  node ${process.version}  tfjs ${tfVersion}`);
    console.log(`backend: ${info.choice} (tfjs backend '${info.tfBackend}')`);
    for (const note of info.notes) console.log(`  skipped: ${note}`);
  },
};
