// The dependency picture stays true: no import cycle between src files, every src folder imports only
// folders below it (LAYERS in scripts/architecture.ts), and ARCHITECTURE.md's table is the generated one.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { LAYERS, fileCycles, fileGraph, folderGraph, layerViolations, updatedArchitectureDoc } from '../scripts/architecture';

describe('architecture: dependencies flow one way', () => {
  const files = fileGraph();

  it('reads the imports of every src file (type-only ones included)', () => {
    assert.ok(files.size > 100, `expected the src tree, got ${files.size} files`);
    assert.ok(files.get('src/qkc/quantum-conv2d.ts')?.includes('src/qkc/kernel-pooling.ts'), 'a named import is an edge');
    assert.ok(files.get('src/train/metrics.ts')?.includes('src/train/fingerprint.ts'), 'an `import type` is an edge');
  });

  it('has no import cycle between files', () => {
    assert.deepEqual(fileCycles(files), []);
  });

  it('every src folder is in LAYERS and imports only folders of lower layers', () => {
    assert.deepEqual(layerViolations(folderGraph(files)), []);
  });

  it('the checks can fail: an upward import, a same-layer import and a cycle are reported', () => {
    const sim = LAYERS.findIndex((l) => 'sim' in l);
    assert.ok(sim >= 0);
    const up = layerViolations(new Map([...folderGraph(files), ['sim', ['backend', 'qkc']]]));
    assert.ok(up.some((p) => /src\/sim imports src\/qkc, which is above it/.test(p)), up.join('\n'));
    const same = layerViolations(new Map([...folderGraph(files), ['data', ['train']]]));
    assert.ok(same.some((p) => /src\/data imports src\/train, which is on the same layer/.test(p)), same.join('\n'));
    const unknown = layerViolations(new Map([...folderGraph(files), ['extra', []]]));
    assert.ok(unknown.some((p) => /src\/extra is not in LAYERS/.test(p)));
    assert.deepEqual(fileCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]])), [['a', 'b', 'c']]);
  });

  it("ARCHITECTURE.md's dependency table is the one the imports give (npm run architecture rewrites it)", () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', 'ARCHITECTURE.md'), 'utf8');
    assert.equal(updatedArchitectureDoc(doc), doc, 'stale: run npm run architecture');
  });
});
