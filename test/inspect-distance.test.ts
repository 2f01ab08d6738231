import { strict as assert } from 'assert';
import { blochVectors, fidelity, traceDistance } from '../src/inspect';
import {
  assertClose, densityBatch, dispose, maximallyMixed, outer, pureBatch, randomMixed, randomPure, real, rng,
} from './inspect-helpers';
import type { CMat } from './inspect-helpers';

const s2 = Math.SQRT1_2;
const diag = (p: number[]): CMat => ({
  re: p.map((x, i) => p.map((_, j) => (i === j ? x : 0))),
  im: p.map(() => p.map(() => 0)),
});

describe('inspect: fidelity and trace distance', () => {
  it('matches |⟨ψ|φ⟩|² and √(1 − F) for pure states, and agrees across pure/mixed/density paths', () => {
    const zero = real([1, 0]);
    const plus = real([s2, s2]);
    const one = real([0, 1]);
    const a = pureBatch([zero, zero, zero]);
    const b = pureBatch([zero, plus, one]);
    assertClose(fidelity(a, b), [1, 0.5, 0], 1e-6, 'F');
    assertClose(traceDistance(a, b), [0, s2, 1], 1e-6, 'T');
    dispose(a, b);

    const r = rng(4);
    const u = Array.from({ length: 5 }, () => randomPure(3, r));
    const v = Array.from({ length: 5 }, () => randomPure(3, r));
    const pu = pureBatch(u), pv = pureBatch(v), du = densityBatch(u.map(outer)), dv = densityBatch(v.map(outer));
    const f = fidelity(pu, pv);
    const t = traceDistance(pu, pv);
    for (const [x, y, what] of [[pu, dv, 'pure/mixed'], [du, pv, 'mixed/pure'], [du, dv, 'mixed/mixed']] as const) {
      assertClose(fidelity(x, y), f, 1e-5, `F ${what}`);
      assertClose(traceDistance(x, y), t, 1e-5, `T ${what}`);
    }
    dispose(pu, pv, du, dv);
  });

  it('gives the classical values for commuting (diagonal) states', () => {
    const p = [0.1, 0.2, 0.3, 0.4];
    const q = [0.4, 0.4, 0.1, 0.1];
    const a = densityBatch([diag(p)]);
    const b = densityBatch([diag(q)]);
    const bc = p.reduce((s, x, i) => s + Math.sqrt(x * q[i]), 0);
    assertClose(fidelity(a, b), [bc * bc], 1e-6, 'F');
    assertClose(traceDistance(a, b), [p.reduce((s, x, i) => s + Math.abs(x - q[i]), 0) / 2], 1e-6, 'T');
    dispose(a, b);
  });

  it('matches the single-qubit closed forms: T = |r − s|/2, F = tr ρσ + 2√(det ρ det σ)', () => {
    const r = rng(6);
    const mats = Array.from({ length: 8 }, () => randomMixed(1, r));
    const a = densityBatch(mats.slice(0, 4));
    const b = densityBatch(mats.slice(4));
    const ra = blochVectors(a), rb = blochVectors(b);
    const wantT: number[] = [];
    const wantF: number[] = [];
    for (let k = 0; k < 4; k++) {
      const dr = [0, 1, 2].map((i) => ra[k * 3 + i] - rb[k * 3 + i]);
      wantT.push(Math.hypot(...dr) / 2);
      const x = mats[k], y = mats[k + 4];
      let tr = 0;
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) tr += x.re[i][j] * y.re[j][i] - x.im[i][j] * y.im[j][i];
      const det = (m: CMat): number => m.re[0][0] * m.re[1][1] - (m.re[0][1] ** 2 + m.im[0][1] ** 2);
      wantF.push(tr + 2 * Math.sqrt(det(x) * det(y)));
    }
    assertClose(traceDistance(a, b), wantT, 1e-6, 'T');
    assertClose(fidelity(a, b), wantF, 1e-6, 'F');
    dispose(a, b);
  });

  it('is symmetric, bounded, 1/0 on identical states, and obeys 1 − √F ≤ T ≤ √(1 − F)', () => {
    const r = rng(7);
    const a = densityBatch(Array.from({ length: 6 }, () => randomMixed(2, r, 2)));
    const b = densityBatch(Array.from({ length: 6 }, () => randomMixed(2, r)));
    const fab = fidelity(a, b), fba = fidelity(b, a), tab = traceDistance(a, b);
    assertClose(fab, fba, 1e-6, 'F symmetric');
    assertClose(tab, traceDistance(b, a), 1e-6, 'T symmetric');
    fab.forEach((f, i) => {
      assert.ok(f >= 0 && f <= 1 + 1e-6, `F in [0, 1]: ${f}`);
      assert.ok(1 - Math.sqrt(f) <= tab[i] + 1e-6 && tab[i] <= Math.sqrt(1 - f) + 1e-6, `Fuchs–van de Graaf at ${i}`);
    });
    assertClose(fidelity(a, a), [1, 1, 1, 1, 1, 1], 1e-5, 'F(ρ, ρ)');
    assertClose(traceDistance(a, a), [0, 0, 0, 0, 0, 0], 1e-6, 'T(ρ, ρ)');
    dispose(a, b);
  });

  it('compares a batch against one reference state and rejects other mismatches', () => {
    const r = rng(8);
    const ref = densityBatch([maximallyMixed(4)]);
    const many = pureBatch(Array.from({ length: 3 }, () => randomPure(2, r)));
    // Any pure state has F = 1/d with I/d, and T = 1 − 1/d.
    assertClose(fidelity(ref, many), [0.25, 0.25, 0.25], 1e-6, 'F broadcast');
    assertClose(fidelity(many, ref), [0.25, 0.25, 0.25], 1e-6, 'F broadcast (other side)');
    assertClose(traceDistance(many, ref), [0.75, 0.75, 0.75], 1e-6, 'T broadcast');
    const two = pureBatch([randomPure(2, r), randomPure(2, r)]);
    assert.throws(() => fidelity(many, two), /fidelity\(a, b\).*equal batch sizes.*got 3 and 2/);
    const three = pureBatch([randomPure(3, r)]);
    assert.throws(() => traceDistance(many, three), /traceDistance\(a, b\).*same number of qubits.*got 2 and 3/);
    dispose(ref, many, two, three);
  });
});
