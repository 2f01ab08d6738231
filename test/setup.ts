// Mocha root hook: select the tfjs backend once before any test touches tensors.
import { ready } from '../src/backend';

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    const info = await ready();
    // eslint-disable-next-line no-console
    console.log(`  [qkc] tfjs backend: ${info.tfBackend}`);
  },
};
