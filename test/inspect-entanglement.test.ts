import { strict as assert } from 'assert';
import {
  blochVectors, concurrence, logNegativity, meyerWallach, negativity, reducedDensityMatrix,
} from '../src/inspect';
import {
  BELL, assertClose, densityBatch, dispose, ghz, maximallyMixed, mix, outer, product, pureBatch, randomMixed, randomPure,
  real, rng, wState,
} from './inspect-helpers';
import type { CVec } from './inspect-helpers';

const s2 = Math.SQRT1_2;
const BELLS: CVec[] = [BELL, real([s2, 0, 0, -s2]), real([0, s2, s2, 0]), { re: [0, s2, 0, 0], im: [0, 0, -s2, 0] }];
const SINGLET = real([0, s2, -s2, 0]);
const WERNER_P = [0, 0.2, 1 / 3, 0.4, 0.5, 0.8, 1];
/** p|Ψ−⟩⟨Ψ−| + (1 − p) I/4. */
const werner = (p: number): ReturnType<typeof outer> => mix([p, 1 - p], [outer(SINGLET), maximallyMixed(4)]);

describe('inspect: entanglement measures', () => {
  it('gives concurrence 1 for Bell states, 0 for products, sin 2θ for cos θ|00⟩ + sin θ|11⟩ — pure and density paths', () => {
    const thetas = [0.1, 0.4, 0.7];
    const r = rng(3);
    const prod = product([randomPure(1, r), randomPure(1, r)]);
    const vecs = [...BELLS, prod, ...thetas.map((t) => real([Math.cos(t), 0, 0, Math.sin(t)]))];
    const want = [1, 1, 1, 1, 0, ...thetas.map((t) => Math.sin(2 * t))];
    const pure = pureBatch(vecs);
    const dens = densityBatch(vecs.map(outer));
    assertClose(concurrence(pure), want, 1e-6, 'pure');
    assertClose(concurrence(dens), want, 1e-5, 'density');
    dispose(pure, dens);
  });

  it('gives Werner states concurrence max(0, (3p − 1)/2) and negativity max(0, (3p − 1)/4)', () => {
    const dens = densityBatch(WERNER_P.map(werner));
    assertClose(concurrence(dens), WERNER_P.map((p) => Math.max(0, (3 * p - 1) / 2)), 1e-5, 'concurrence');
    assertClose(negativity(dens, [0]), WERNER_P.map((p) => Math.max(0, (3 * p - 1) / 4)), 1e-6, 'negativity');
    assertClose(logNegativity(dens, [1]), WERNER_P.map((p) => Math.log2(1 + Math.max(0, (3 * p - 1) / 2))), 1e-6, 'logNegativity');
    dispose(dens);
  });

  it('agrees between pure and density inputs on random two- and three-qubit states', () => {
    const r = rng(5);
    const vecs = Array.from({ length: 6 }, () => randomPure(2, r));
    const pure = pureBatch(vecs);
    const dens = densityBatch(vecs.map(outer));
    assertClose(concurrence(dens), concurrence(pure), 1e-5, 'concurrence');
    // For pure two-qubit states N = C/2.
    assertClose(negativity(pure, [0]), Array.from(concurrence(pure), (c) => c / 2), 1e-5, 'N = C/2');
    const v3 = Array.from({ length: 4 }, () => randomPure(3, r));
    const p3 = pureBatch(v3);
    const d3 = densityBatch(v3.map(outer));
    assertClose(negativity(p3, [2, 0]), negativity(d3, [0, 2]), 1e-5, 'negativity across 0,2 | 1');
    assertClose(logNegativity(p3, [1], { B: [2] }), logNegativity(d3, [1], { B: [2] }), 1e-5, 'logNegativity with B');
    dispose(pure, dens, p3, d3);
  });

  it('gives Bell pairs negativity 1/2 and log-negativity 1 bit, and handles traced-out qubits', () => {
    const b = pureBatch([BELL]);
    assertClose(negativity(b, [0]), [0.5], 1e-6, 'N');
    assertClose(logNegativity(b, [0]), [1], 1e-6, 'E_N bits');
    assertClose(logNegativity(b, [0], { base: Math.E }), [Math.LN2], 1e-6, 'E_N nats');
    // GHZ: any two qubits alone are separable; one qubit against the rest is maximally entangled.
    const g = pureBatch([ghz(3)]);
    assertClose(negativity(g, [0], { B: [1] }), [0], 1e-6, 'GHZ pair');
    assertClose(negativity(g, [0]), [0.5], 1e-6, 'GHZ 0 | 12');
    // W: the reduced pair is (1/3)|00⟩⟨00| + (2/3)|Ψ+⟩⟨Ψ+|, with N = (√5 − 1)/6 and C = 2/3.
    const w = pureBatch([wState(3)]);
    assertClose(negativity(w, [0], { B: [2] }), [(Math.sqrt(5) - 1) / 6], 1e-6, 'W pair');
    const pair = reducedDensityMatrix(w, [0, 2]);
    assertClose(concurrence(pair), [2 / 3], 1e-5, 'W pair concurrence');
    dispose(b, g, w, pair);
  });

  it('gives Meyer–Wallach 1 for GHZ and Bell, 8/9 for W3, 0 for products, on both paths', () => {
    const r = rng(8);
    const vecs = [ghz(2), ghz(3), ghz(5), wState(3), product([randomPure(1, r), randomPure(1, r), randomPure(1, r)])];
    const want = [1, 1, 1, 8 / 9, 0];
    vecs.forEach((v, i) => {
      const pure = pureBatch([v]);
      const dens = densityBatch([outer(v)]);
      assertClose(meyerWallach(pure), [want[i]], 1e-6, `pure ${i}`);
      assertClose(meyerWallach(dens), [want[i]], 1e-6, `density ${i}`);
      dispose(pure, dens);
    });
  });

  it('reads Bloch vectors per qubit in little-endian order, consistent with single-qubit reduced states', () => {
    const zero = real([1, 0]);
    const one = real([0, 1]);
    const plus = real([s2, s2]);
    const plusI = { re: [s2, 0], im: [0, s2] };
    const s = pureBatch([product([zero, one, plus, plusI])]);
    assertClose(blochVectors(s), [0, 0, 1, 0, 0, -1, 1, 0, 0, 0, 1, 0], 1e-6, 'axes');
    dispose(s);
    const r = rng(10);
    const mats = [randomMixed(3, r), outer(randomPure(3, r))];
    const dens = densityBatch(mats);
    const got = blochVectors(dens);
    for (let q = 0; q < 3; q++) {
      const rho = reducedDensityMatrix(dens, [q]);
      const re = rho.re.arraySync();
      const im = rho.im.arraySync();
      for (let b = 0; b < 2; b++) {
        const want = [2 * re[b][0][1], -2 * im[b][0][1], re[b][0][0] - re[b][1][1]];
        assertClose(got.slice((b * 3 + q) * 3, (b * 3 + q) * 3 + 3), want, 1e-6, `b=${b} q=${q}`);
      }
      dispose(rho);
    }
    const pure = pureBatch([{ re: [0.6, 0, 0, 0.8 * s2, 0, 0, 0, 0], im: [0, 0, 0, 0, 0, 0, 0, 0.8 * s2] }]);
    const pd = densityBatch([outer({ re: [0.6, 0, 0, 0.8 * s2, 0, 0, 0, 0], im: [0, 0, 0, 0, 0, 0, 0, 0.8 * s2] })]);
    assertClose(blochVectors(pure), blochVectors(pd), 1e-6, 'pure vs density');
    dispose(dens, pure, pd);
  });

  it('names bad arguments', () => {
    const g = pureBatch([ghz(3)]);
    assert.throws(() => concurrence(g), /concurrence\(state\).*two-qubit.*nQubits = 3/);
    assert.throws(() => negativity(g, [0, 1, 2]), /negativity\(A\).*proper subset/);
    assert.throws(() => negativity(g, [0], { B: [0] }), /negativity\(A, options\.B\).*disjoint/);
    assert.throws(() => logNegativity(g, [0], { base: 0.5 }), /logNegativity\(options\.base\)/);
    assert.throws(() => meyerWallach({ re: g.re, im: g.im, nQubits: 4 }), /meyerWallach\(state\)/);
    dispose(g);
  });
});
