import { strict as assert } from 'assert';
import {
  entanglementEntropy, mutualInformation, purity, reducedDensityMatrix, renyiEntropy, vonNeumannEntropy,
} from '../src/inspect';
import {
  BELL, assertClose, densityBatch, dispose, ghz, maximallyMixed, mix, outer, product, pureBatch, randomMixed, randomPure,
  real, rng,
} from './inspect-helpers';

describe('inspect: entropies and purity', () => {
  it('gives a Bell pair 1 bit (ln 2 nats) of entanglement entropy and product states 0', () => {
    const plus = real([Math.SQRT1_2, Math.SQRT1_2]);
    const s = pureBatch([BELL, product([plus, real([0, 1])])]);
    const rho = reducedDensityMatrix(s, [0]);
    assertClose(vonNeumannEntropy(rho), [1, 0], 1e-6, 'bits');
    assertClose(vonNeumannEntropy(rho, { base: Math.E }), [Math.LN2, 0], 1e-6, 'nats');
    assertClose(vonNeumannEntropy(rho, { base: 10 }), [Math.log10(2), 0], 1e-6, 'base 10');
    assertClose(entanglementEntropy(s, [1]), [1, 0], 1e-6, 'entanglementEntropy');
    for (const alpha of [0, 0.5, 2, 3, Infinity]) assertClose(renyiEntropy(rho, alpha), [1, 0], 1e-6, `Rényi ${alpha}`);
    dispose(rho, s);
  });

  it('gives pure states exactly 0 (never NaN or negative) on both paths, even with rounding noise', () => {
    const r = rng(9);
    const v = randomPure(3, r);
    const p = outer(v);
    // Float32-sized noise that pushes an eigenvalue slightly below zero.
    const noisy = { re: p.re.map((row, i) => row.map((x, j) => x + (i === j ? (i % 2 ? 3e-7 : -3e-7) : 0))), im: p.im };
    const dens = densityBatch([p, noisy, outer(real([1, 0, 0, 0, 0, 0, 0, 0]))]);
    const pure = pureBatch([v]);
    for (const alpha of [0, 0.5, 1, 2, Infinity]) {
      const got = renyiEntropy(dens, alpha);
      for (const x of got) assert.ok(Number.isFinite(x) && x >= 0 && x < 1e-4, `α=${alpha}: ${x}`);
      assert.deepEqual(Array.from(renyiEntropy(pure, alpha)), [0]);
    }
    assert.deepEqual(Array.from(vonNeumannEntropy(pure)), [0]);
    dispose(dens, pure);
  });

  it('gives the maximally mixed state purity 1/d and entropy log d', () => {
    for (const n of [1, 2, 3, 4]) {
      const d = 1 << n;
      const rho = densityBatch([maximallyMixed(d)]);
      assertClose(purity(rho), [1 / d], 1e-6, `purity n=${n}`);
      assertClose(vonNeumannEntropy(rho), [n], 1e-6, `S n=${n}`);
      assertClose(renyiEntropy(rho, 2, { base: Math.E }), [n * Math.LN2], 1e-6, `S2 n=${n}`);
      dispose(rho);
    }
    const pure = pureBatch([randomPure(3, rng(1))]);
    assertClose(purity(pure), [1], 1e-6, 'pure');
    dispose(pure);
  });

  it('ties the Rényi family to purity, λ_max, rank and the von Neumann limit', () => {
    const r = rng(12);
    const mats = [randomMixed(2, r), randomMixed(3, r), randomMixed(3, r, 2)];
    for (const m of mats) {
      const rho = densityBatch([m]);
      const p = purity(rho)[0];
      assertClose(renyiEntropy(rho, 2), [-Math.log2(p)], 1e-5, 'S2 = −log2 purity');
      const s1 = vonNeumannEntropy(rho)[0];
      assert.ok(Math.abs(renyiEntropy(rho, 1.0001)[0] - s1) < 1e-3, 'α → 1');
      assert.ok(Math.abs(renyiEntropy(rho, 1)[0] - s1) < 1e-12, 'α = 1');
      // Rényi entropies decrease with α.
      const s = [0, 0.5, 1, 2, 5, Infinity].map((a) => renyiEntropy(rho, a)[0]);
      for (let i = 1; i < s.length; i++) assert.ok(s[i] <= s[i - 1] + 1e-6, `monotone in α: ${s}`);
      dispose(rho);
    }
    const rank2 = densityBatch([mats[2]]);
    assertClose(renyiEntropy(rank2, 0), [1], 1e-9, 'rank 2 → 1 bit');
    dispose(rank2);
  });

  it('satisfies I(A:B) = S(A) + S(B) − S(AB) on random states, pure and mixed, and agrees across paths', () => {
    const r = rng(21);
    const vecs = Array.from({ length: 6 }, () => randomPure(4, r));
    const pure = pureBatch(vecs);
    const dens = densityBatch(vecs.map(outer));
    const mixed = densityBatch(Array.from({ length: 4 }, () => randomMixed(4, r, 3)));
    const S = (s: typeof pure | typeof dens, keep: number[]): Float64Array => {
      const rho = reducedDensityMatrix(s, keep);
      const out = vonNeumannEntropy(rho, { base: Math.E });
      dispose(rho);
      return out;
    };
    for (const [A, B] of [[[0], [2, 3]], [[3, 1], [0]], [[0, 1], [2, 3]]]) {
      for (const s of [pure, dens, mixed]) {
        const sa = S(s, A), sb = S(s, B), sab = S(s, [...A, ...B]);
        const want = Array.from(sa, (x, i) => x + sb[i] - sab[i]);
        assertClose(mutualInformation(s, A, B, { base: Math.E }), want, 2e-5, `I([${A}]:[${B}])`);
      }
      assertClose(mutualInformation(pure, A, B), mutualInformation(dens, A, B), 2e-5, 'pure vs density');
    }
    // Complementary halves of a pure state: I = 2 S(A).
    assertClose(mutualInformation(pure, [0, 1], [2, 3]), Array.from(entanglementEntropy(pure, [0, 1]), (x) => 2 * x), 2e-5, 'I = 2S');
    // entanglementEntropy diagonalises the smaller side of a pure state: S(0,1,2) = S(3).
    assertClose(entanglementEntropy(pure, [0, 1, 2]), entanglementEntropy(dens, [3]), 2e-5, 'smaller side');
    assertClose(entanglementEntropy(pure, [0, 1, 2, 3]), [0, 0, 0, 0, 0, 0], 0, 'whole pure state');
    // GHZ: every single qubit carries 1 bit; any two share 1 bit of mutual information.
    const g = pureBatch([ghz(4)]);
    assertClose(mutualInformation(g, [0], [2]), [1], 1e-6, 'GHZ');
    dispose(pure, dens, mixed, g);
  });

  it('names bad arguments and refuses unnormalised states', () => {
    const rho = densityBatch([maximallyMixed(2)]);
    assert.throws(() => vonNeumannEntropy(rho, { base: 1 }), /vonNeumannEntropy\(options\.base\).*> 1.*got 1/);
    assert.throws(() => vonNeumannEntropy(rho, { base: NaN }), /options\.base/);
    assert.throws(() => renyiEntropy(rho, -1), /renyiEntropy\(alpha\).*≥ 0.*got -1/);
    const twice = densityBatch([mix([2], [maximallyMixed(2)])]);
    assert.throws(() => vonNeumannEntropy(twice), /vonNeumannEntropy\(rho\).*unit-trace.*got trace 2/);
    const unnorm = pureBatch([real([1, 1])]);
    assert.throws(() => vonNeumannEntropy(unnorm), /normalised/);
    const s = pureBatch([randomPure(3, rng(2))]);
    assert.throws(() => mutualInformation(s, [0, 1], [1]), /mutualInformation\(A, B\).*disjoint/);
    assert.throws(() => mutualInformation(s, [0], []), /mutualInformation\(B\).*at least one/);
    dispose(rho, twice, unnorm, s);
  });
});
