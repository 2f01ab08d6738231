import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, simulate, expval, probabilities, sample, input, weight } from '../src/sim';
import { referenceState, seededRandom } from './helpers/reference';
import { randomCircuit } from './helpers/random-circuit';

const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('state-vector simulation', () => {
  it('prepares Bell and GHZ states exactly', () => {
    const bell = simulate(new Circuit(2).h(0).cx(0, 1));
    const r = bell.re.arraySync()[0];
    [Math.SQRT1_2, 0, 0, Math.SQRT1_2].forEach((v, i) => close(r[i], v));
    const ghz = simulate(new Circuit(4).h(0).cx(0, 1).cx(1, 2).cx(2, 3)).re.arraySync()[0];
    ghz.forEach((v, i) => close(v, i === 0 || i === 15 ? Math.SQRT1_2 : 0));
  });

  it('rotates single qubits as cos/sin of half the angle, per batch row', () => {
    const thetas = [0, 0.3, Math.PI / 2, 2.5, Math.PI];
    const ry = simulate(new Circuit(1).ry(input(0), 0), { inputs: thetas.map((t) => [t]) });
    const rx = simulate(new Circuit(1).rx(input(0), 0), { inputs: thetas.map((t) => [t]) });
    const ryRe = ry.re.arraySync(), rxIm = rx.im.arraySync(), rxRe = rx.re.arraySync();
    thetas.forEach((t, b) => {
      close(ryRe[b][0], Math.cos(t / 2)); close(ryRe[b][1], Math.sin(t / 2));
      close(rxRe[b][0], Math.cos(t / 2)); close(rxIm[b][1], -Math.sin(t / 2));
    });
  });

  it('matches the float64 reference on random circuits with inputs and weights (2–5 qubits)', () => {
    const rand = seededRandom(7);
    for (let trial = 0; trial < 12; trial++) {
      const n = 2 + (trial % 4);
      const c = randomCircuit(n, 25, rand);
      const weights = Array.from({ length: c.numWeights }, () => rand() * 4 - 2);
      const inputs = Array.from({ length: 3 }, () => Array.from({ length: c.numInputs }, () => rand() * 2 - 1));
      const s = simulate(c, { inputs, weights });
      const re = s.re.arraySync(), im = s.im.arraySync();
      inputs.forEach((row, b) => {
        const ref = referenceState(c, weights, row);
        ref.re.forEach((v, j) => close(re[b][j], v, 2e-5));
        ref.im.forEach((v, j) => close(im[b][j], v, 2e-5));
      });
    }
  });

  it('preserves the norm on random circuits', () => {
    const rand = seededRandom(11);
    const c = randomCircuit(6, 60, rand);
    const s = simulate(c, { inputs: [[0.1, 0.2], [0.5, -1.2]], weights: [0.3, 0.7, -0.4] });
    const norms = tf.sum(tf.add(tf.square(s.re), tf.square(s.im)), 1).arraySync() as number[];
    norms.forEach((v) => close(v, 1, 1e-5));
  });

  it('computes ⟨Z⟩, ⟨X⟩, ⟨Y⟩ and weighted Pauli sums analytically', () => {
    // RY(θ)|0⟩: ⟨Z⟩ = cos θ, ⟨X⟩ = sin θ; RX(θ)|0⟩: ⟨Y⟩ = −sin θ.
    const t = 0.7;
    const e = expval(new Circuit(2).ry(t, 0).rx(t, 1), ['Z0', 'X0', 'Y1', 'Z0 Z1', '0.5*Z0 - 2*X0 + Y1', { terms: [[3, 'Z1'], [1, 'I']] }]).arraySync()[0];
    close(e[0], Math.cos(t)); close(e[1], Math.sin(t)); close(e[2], -Math.sin(t));
    close(e[3], Math.cos(t) * Math.cos(t));
    close(e[4], 0.5 * Math.cos(t) - 2 * Math.sin(t) - Math.sin(t));
    close(e[5], 3 * Math.cos(t) + 1);
    // Bell state correlations.
    const b = expval(new Circuit(2).h(0).cx(0, 1), ['Z0 Z1', 'X0 X1', 'Y0 Y1', 'Z0']).arraySync()[0];
    close(b[0], 1); close(b[1], 1); close(b[2], -1); close(b[3], 0);
  });

  it('gives probabilities, marginals and seeded samples', () => {
    const c = new Circuit(3).h(0).cx(0, 1).x(2);
    const p = probabilities(c).arraySync()[0];
    close(p[0b100], 0.5); close(p[0b111], 0.5);
    const m = probabilities(c, { wires: [2, 0] }).arraySync()[0];
    close(m[0b01], 0.5); close(m[0b11], 0.5);
    const s1 = sample(c, 1000, { seed: 3 })[0], s2 = sample(c, 1000, { seed: 3 })[0];
    assert.deepEqual(s1, s2);
    assert.deepEqual(Object.keys(s1).sort(), ['100', '111']);
    assert.equal(s1['100'] + s1['111'], 1000);
    assert.ok(Math.abs(s1['100'] - 500) < 80);
  });

  it('estimates expectations with finite shots around the exact value', () => {
    const c = new Circuit(1).ry(input(0), 0);
    const inputs = [[0.4], [1.9]];
    const exact = expval(c, ['Z0', 'X0'], { inputs }).arraySync();
    const est = expval(c, ['Z0', 'X0'], { inputs, shots: 20000, seed: 5 }).arraySync();
    const again = expval(c, ['Z0', 'X0'], { inputs, shots: 20000, seed: 5 }).arraySync();
    assert.deepEqual(est, again);
    est.forEach((row, b) => row.forEach((v, o) => close(v, exact[b][o], 0.03)));
    assert.notDeepEqual(est, exact);
  });

  it('differentiates by backprop in agreement with central finite differences', () => {
    const rand = seededRandom(5);
    const c = randomCircuit(3, 20, rand, 2, 3);
    const inputs = tf.tensor2d([[0.3, -0.4], [1.1, 0.2]]);
    const w0 = [0.5, -0.3, 0.9];
    const f = (w: tf.Tensor1D, x: tf.Tensor2D) => tf.sum(tf.mul(expval(c, ['Z0', 'X1 Z2', 'Y2'], { inputs: x, weights: w }), tf.tensor1d([1, 0.5, -0.7])));
    const [gw, gx] = tf.grads((w: tf.Tensor, x: tf.Tensor) => f(w as tf.Tensor1D, x as tf.Tensor2D))([tf.tensor1d(w0), inputs]);
    const h = 1e-2;
    const gwv = gw.arraySync() as number[];
    w0.forEach((_, j) => {
      const plus = [...w0], minus = [...w0];
      plus[j] += h; minus[j] -= h;
      const fd = (f(tf.tensor1d(plus), inputs).arraySync() as number - (f(tf.tensor1d(minus), inputs).arraySync() as number)) / (2 * h);
      close(gwv[j], fd, 2e-3);
    });
    const gxv = gx.arraySync() as number[][];
    const xv = inputs.arraySync();
    for (let b = 0; b < 2; b++) for (let i = 0; i < 2; i++) {
      const plus = xv.map((r) => [...r]), minus = xv.map((r) => [...r]);
      plus[b][i] += h; minus[b][i] -= h;
      const fd = ((f(tf.tensor1d(w0), tf.tensor2d(plus)).arraySync() as number) - (f(tf.tensor1d(w0), tf.tensor2d(minus)).arraySync() as number)) / (2 * h);
      close(gxv[b][i], fd, 2e-3);
    }
  });

  it('rejects bad inputs, weights and observables with named arguments', () => {
    const c = new Circuit(2).ry(input(0), 0).rz(weight(1), 1);
    assert.throws(() => simulate(c, { inputs: [[1, 2]], weights: [0, 0] }), /simulate\(inputs\): expected \[batch, 1\]/);
    assert.throws(() => simulate(c, { inputs: [[NaN]], weights: [0, 0] }), /inputs.*finite/);
    assert.throws(() => simulate(c, { inputs: tf.tensor2d([[Infinity]]), weights: [0, 0] }), /inputs.*finite/);
    assert.throws(() => simulate(c, { inputs: [[1]], weights: [0] }), /weights.*expected 2/);
    assert.throws(() => simulate(c, { inputs: [[1]] }), /weights/);
    assert.throws(() => expval(c, ['Z2'], { inputs: [[1]], weights: [0, 0] }), /qubit 2.*out of range/);
    assert.throws(() => expval(c, ['Q0'], { inputs: [[1]], weights: [0, 0] }), /observables\[0\].*Pauli/);
    assert.throws(() => expval(c, ['Z0 Z0'], { inputs: [[1]], weights: [0, 0] }), /twice/);
    assert.throws(() => expval(c, ['Z0'], { inputs: [[1]], weights: [0, 0], shots: 0 }), /shots/);
  });

  it('simulates a 20-qubit, 200-gate circuit', function () {
    this.timeout(120000);
    const rand = seededRandom(3);
    const c = new Circuit(20);
    for (let i = 0; i < 200; i++) {
      const q = Math.floor(rand() * 20);
      if (i % 3 === 2) c.cx(q, (q + 1 + Math.floor(rand() * 19)) % 20); else c.ry(rand() * 3, q).rz(rand(), q);
    }
    const s = simulate(c);
    const norm = tf.sum(tf.add(tf.square(s.re), tf.square(s.im))).arraySync() as number;
    close(norm, 1, 1e-3);
    s.re.dispose(); s.im.dispose();
  });
});
