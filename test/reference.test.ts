import { strict as assert } from 'assert';
import { Circuit, input, weight } from '../src/sim';
import {
  referenceState, referenceUnitary, diffUpToPhase, maxDiff, randomUnitary, seededRandom, CVector,
} from './helpers/reference';

const close = (a: number, b: number, tol = 1e-12, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const S2 = Math.SQRT1_2;

describe('reference simulator (test helper)', () => {
  it('prepares a Bell state', () => {
    const s = referenceState(new Circuit(2).h(0).cx(0, 1));
    assert.ok(maxDiff(s, { re: [S2, 0, 0, S2], im: [0, 0, 0, 0] }) < 1e-15);
  });

  it('prepares a 4-qubit GHZ state', () => {
    const s = referenceState(new Circuit(4).h(0).cx(0, 1).cx(1, 2).cx(2, 3));
    const want: CVector = { re: new Array(16).fill(0), im: new Array(16).fill(0) };
    want.re[0] = S2; want.re[15] = S2;
    assert.ok(maxDiff(s, want) < 1e-15);
  });

  it('is little-endian: qubit 0 is the least significant bit, first gate wire is the low bit', () => {
    assert.equal(referenceState(new Circuit(3).x(0)).re[1], 1);
    assert.equal(referenceState(new Circuit(3).x(2)).re[4], 1);
    assert.equal(referenceState(new Circuit(2).x(0).cx(0, 1)).re[3], 1); // control q0 set → q1 flips
    assert.equal(referenceState(new Circuit(2).x(1).cx(0, 1)).re[2], 1); // control q0 clear → nothing
    // unitary(M, [1, 0]): M's low bit is qubit 1. M = X ⊗ I in its own order (flips its second wire = q0).
    const m = [[0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0]]; // flips the high bit of the local index
    assert.equal(referenceState(new Circuit(2).unitary(m, [1, 0])).re[1], 1);
    assert.equal(referenceState(new Circuit(2).unitary(m, [0, 1])).re[2], 1);
  });

  it('matches single-qubit rotations analytically, with inputs and weights resolved', () => {
    const th = 0.7, w = [0.3, -1.1], x = [0.25];
    const ry = referenceState(new Circuit(1).ry(th, 0));
    close(ry.re[0], Math.cos(th / 2)); close(ry.re[1], Math.sin(th / 2));
    const rx = referenceState(new Circuit(1).rx(weight(1), 0), w);
    close(rx.re[0], Math.cos(w[1] / 2)); close(rx.im[1], -Math.sin(w[1] / 2));
    const rz = referenceState(new Circuit(1).h(0).rz(input(0, Math.PI), 0), w, x);
    const a = (Math.PI * x[0]) / 2;
    close(rz.re[0], S2 * Math.cos(a)); close(rz.im[0], -S2 * Math.sin(a));
    close(rz.re[1], S2 * Math.cos(a)); close(rz.im[1], S2 * Math.sin(a));
    // ⟨Z⟩ after RY(θ)RX(φ) from |0⟩ is cos θ cos φ.
    const s = referenceState(new Circuit(1).rx(weight(0), 0).ry(th, 0), w);
    close(s.re[0] ** 2 + s.im[0] ** 2 - s.re[1] ** 2 - s.im[1] ** 2, Math.cos(th) * Math.cos(w[0]));
    assert.throws(() => referenceState(new Circuit(1).rx(weight(2), 0), w), /weight\(2\) is unbound/);
  });

  it('builds unitaries column by column and compares them up to global phase', () => {
    const u = referenceUnitary(new Circuit(2).h(0).cx(0, 1));
    assert.deepEqual(u.re.map((r) => r.map((v) => Math.round(v / S2))), [[1, 1, 0, 0], [0, 0, 1, -1], [0, 0, 1, 1], [1, -1, 0, 0]]);
    // RZ(θ) = e^{-iθ/2}·Phase(θ): equal up to phase only.
    const a = referenceUnitary(new Circuit(1).rz(0.9, 0)), b = referenceUnitary(new Circuit(1).phase(0.9, 0));
    assert.ok(diffUpToPhase(a, b) < 1e-12);
    assert.ok(maxDiff(a, b) > 0.1);
    assert.ok(diffUpToPhase(a, referenceUnitary(new Circuit(1).rz(0.8, 0))) > 0.01);
  });

  it('makes seeded random unitaries', () => {
    const u = randomUnitary(8, seededRandom(1));
    const c = new Circuit(3).unitary(u, [0, 1, 2]); // append() validates unitarity to 1e-6
    assert.ok(maxDiff(referenceUnitary(c), u) < 1e-14);
    assert.ok(maxDiff(u, randomUnitary(8, seededRandom(2))) > 0.1);
  });
});
