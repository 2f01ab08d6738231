import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { README_BLOCKS, peersReadmeBlock, peersReadmeMarkers, readmeWithPeers } from '../bench/peers-report';
import { textBetweenMarkers } from '../src/figures';

/** README.md's Speed tables are printed from bench/results/peers.json (`npm run bench -- peers-report --write-readme`). */
describe('README peers tables match bench/results/peers.json', () => {
  const root = path.join(__dirname, '..');
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const saved = JSON.parse(fs.readFileSync(path.join(root, 'bench', 'results', 'peers.json'), 'utf8'));

  for (const name of README_BLOCKS) {
    it(`the ${name} block is the one the file prints`, () => {
      const { begin, end } = peersReadmeMarkers(name);
      assert.equal(textBetweenMarkers(readme, begin, end), peersReadmeBlock(saved, name), `stale: run \`npm run bench -- peers-report --write-readme\``);
    });
  }

  it('a changed case makes the block stale (the check can fail)', () => {
    const changed = { ...saved, cases: saved.cases.map((c: { load: number }, i: number) => (i === 0 ? { ...c, load: c.load + 1 } : c)) };
    assert.notEqual(readmeWithPeers(readme, changed), readme);
  });
});
