import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { reducedDensityMatrix } from '../src/inspect';
import {
  assertClose, densityBatch, densityToHost, dispose, flat, naivePartialTrace, outer, product, pureBatch, randomMixed,
  randomPure, real, rng,
} from './inspect-helpers';

const KEEPS = [[0], [3], [1, 3], [3, 1], [2, 0, 3], [0, 1], [1, 0], [0, 1, 2, 3], [3, 2, 1, 0]];

describe('inspect: reducedDensityMatrix', () => {
  it('keeps the right factor of product states, in the order given (little-endian)', () => {
    const zero = real([1, 0]);
    const one = real([0, 1]);
    const plus = real([Math.SQRT1_2, Math.SQRT1_2]);
    const s = pureBatch([product([zero, one, plus])]); // qubit 0 = |0⟩, qubit 1 = |1⟩, qubit 2 = |+⟩
    const check = (keep: number[], expected: number[][]): void => {
      const rho = reducedDensityMatrix(s, keep);
      assert.equal(rho.nQubits, keep.length);
      assertClose(rho.re.dataSync(), expected.flat(), 1e-6, `keep [${keep}] re`);
      assertClose(rho.im.dataSync(), expected.flat().map(() => 0), 1e-6, `keep [${keep}] im`);
      dispose(rho);
    };
    check([0], [[1, 0], [0, 0]]);
    check([1], [[0, 0], [0, 1]]);
    check([2], [[0.5, 0.5], [0.5, 0.5]]);
    // keep [1, 0]: old qubit 1 (|1⟩) is now bit 0, old qubit 0 (|0⟩) bit 1 → basis index 1.
    check([1, 0], [[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
    // keep [0, 1]: index 2 (qubit 1 set).
    check([0, 1], [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0]]);
    dispose(s);
  });

  it('matches the textbook definition on random pure states for contiguous, non-contiguous and reordered keeps', () => {
    const r = rng(1);
    const vecs = Array.from({ length: 5 }, () => randomPure(4, r));
    const s = pureBatch(vecs);
    for (const keep of KEEPS) {
      const rho = reducedDensityMatrix(s, keep);
      const got = flat(densityToHost(rho));
      const want = flat(vecs.map((v) => naivePartialTrace(outer(v), 4, keep)));
      assertClose(got.re, want.re, 2e-6, `pure keep [${keep}] re`);
      assertClose(got.im, want.im, 2e-6, `pure keep [${keep}] im`);
      dispose(rho);
    }
    dispose(s);
  });

  it('gives the same result from a density batch (ρ = |ψ⟩⟨ψ| and random mixed states)', () => {
    const r = rng(2);
    const vecs = Array.from({ length: 3 }, () => randomPure(4, r));
    const mats = [...vecs.map(outer), randomMixed(4, r), randomMixed(4, r, 2)];
    const dens = densityBatch(mats);
    const pure = pureBatch(vecs);
    for (const keep of KEEPS) {
      const fromDensity = reducedDensityMatrix(dens, keep);
      const fromPure = reducedDensityMatrix(pure, keep);
      const got = densityToHost(fromDensity);
      const want = flat(mats.map((m) => naivePartialTrace(m, 4, keep)));
      assertClose(flat(got).re, want.re, 2e-6, `density keep [${keep}] re`);
      assertClose(flat(got).im, want.im, 2e-6, `density keep [${keep}] im`);
      const p = flat(densityToHost(fromPure));
      assertClose(p.re, flat(got.slice(0, 3)).re, 2e-6, `pure vs density keep [${keep}]`);
      assertClose(p.im, flat(got.slice(0, 3)).im, 2e-6, `pure vs density keep [${keep}]`);
      dispose(fromDensity, fromPure);
    }
    dispose(dens, pure);
  });

  it('returns unit-trace Hermitian matrices and leaks no tensors', () => {
    const r = rng(4);
    const s = pureBatch(Array.from({ length: 8 }, () => randomPure(5, r)));
    const before = tf.memory().numTensors;
    const rho = reducedDensityMatrix(s, [4, 1, 2]);
    assert.equal(tf.memory().numTensors, before + 2);
    for (const m of densityToHost(rho)) {
      let tr = 0;
      for (let i = 0; i < 8; i++) {
        tr += m.re[i][i];
        for (let j = 0; j < 8; j++) {
          assert.ok(Math.abs(m.re[i][j] - m.re[j][i]) < 1e-6 && Math.abs(m.im[i][j] + m.im[j][i]) < 1e-6, 'Hermitian');
        }
      }
      assert.ok(Math.abs(tr - 1) < 1e-5, `trace ${tr}`);
    }
    dispose(rho, s);
  });

  it('names bad arguments', () => {
    const s = pureBatch([randomPure(3, rng(5))]);
    assert.throws(() => reducedDensityMatrix(s, []), /reducedDensityMatrix\(keep\).*at least one/);
    assert.throws(() => reducedDensityMatrix(s, [0, 0]), /reducedDensityMatrix\(keep\).*distinct.*0 twice/);
    assert.throws(() => reducedDensityMatrix(s, [3]), /reducedDensityMatrix\(keep\).*\[0, 2\].*got 3/);
    assert.throws(() => reducedDensityMatrix(s, [0.5]), /reducedDensityMatrix\(keep\)/);
    assert.throws(() => reducedDensityMatrix({ ...s, nQubits: 2 }, [0]), /reducedDensityMatrix\(state\).*\[batch, 4\].*got \[1, 8\]/);
    const im = tf.zeros([2, 8]) as tf.Tensor2D;
    assert.throws(() => reducedDensityMatrix({ re: s.re, im, nQubits: 3 }, [0]), /reducedDensityMatrix\(state\).*im of the same shape/);
    im.dispose();
    dispose(s);
  });
});
