import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, simulate, simulateDensity, expval, probabilities, input, krausOperators } from '../src/sim';
import type { ChannelName } from '../src/sim';
import { seededRandom } from './helpers/reference';
import { randomCircuit } from './helpers/random-circuit';

const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
const CHANNELS: ChannelName[] = ['depolarizing', 'bit-flip', 'phase-flip', 'amplitude-damping', 'phase-damping'];

describe('density-matrix simulation', () => {
  it('agrees with the state-vector path on noiseless random circuits (ρ = ψψ†)', () => {
    const rand = seededRandom(21);
    for (let trial = 0; trial < 6; trial++) {
      const n = 1 + (trial % 3) + 1;
      const c = randomCircuit(n, 18, rand);
      const weights = Array.from({ length: c.numWeights }, () => rand() * 4 - 2);
      const inputs = [Array.from({ length: c.numInputs }, () => rand() * 2 - 1), Array.from({ length: c.numInputs }, () => rand())];
      const psi = simulate(c, { inputs, weights });
      const rho = simulateDensity(c, { inputs, weights });
      const pr = psi.re.arraySync(), pi = psi.im.arraySync(), rr = rho.re.arraySync(), ri = rho.im.arraySync();
      for (let b = 0; b < 2; b++) for (let r = 0; r < 1 << n; r++) for (let k = 0; k < 1 << n; k++) {
        close(rr[b][r][k], pr[b][r] * pr[b][k] + pi[b][r] * pi[b][k], 3e-5);
        close(ri[b][r][k], pi[b][r] * pr[b][k] - pr[b][r] * pi[b][k], 3e-5);
      }
      const obs = ['Z0', 'X1', `Y0 Z${n - 1}`];
      const e1 = expval(c, obs, { inputs, weights }).arraySync();
      const e2 = expval(c, obs, { inputs, weights, noise: { channels: [] } }).arraySync();
      e1.forEach((row, b) => row.forEach((v, o) => close(v, e2[b][o], 3e-5)));
    }
  });

  it('preserves the trace (and Hermiticity) under every channel', () => {
    const rand = seededRandom(4);
    const c = randomCircuit(3, 15, rand, 0, 0);
    for (const channel of CHANNELS) {
      const rho = simulateDensity(c, { noise: { channels: [{ channel, p: 0.3 }] } });
      const re = rho.re.arraySync()[0], im = rho.im.arraySync()[0];
      close(re.reduce((s, r, i) => s + r[i], 0), 1, 1e-5);
      for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) { close(re[i][j], re[j][i], 1e-5); close(im[i][j], -im[j][i], 1e-5); }
      // Σ K†K = I for the Kraus set itself.
      const ks = krausOperators(channel, 0.3);
      for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) {
        let sr = 0;
        for (const k of ks) for (let r = 0; r < 2; r++) sr += k.re[r][a] * k.re[r][b] + k.im[r][a] * k.im[r][b];
        close(sr, a === b ? 1 : 0, 1e-12);
      }
    }
  });

  it('matches analytic channel actions', () => {
    const p = 0.2;
    // Depolarizing after X on |0⟩: ⟨Z⟩ = −(1−p).
    close(expval(new Circuit(1).x(0), ['Z0'], { noise: { channels: [{ channel: 'depolarizing', p }] } }).arraySync()[0][0], -(1 - p));
    // Bit flip after X: P(0) = p.
    close(probabilities(new Circuit(1).x(0), { noise: { channels: [{ channel: 'bit-flip', p }] } }).arraySync()[0][0], p);
    // Amplitude damping on |1⟩: P(1) = 1 − γ.
    close(probabilities(new Circuit(1).x(0), { noise: { channels: [{ channel: 'amplitude-damping', p }] } }).arraySync()[0][1], 1 - p);
    // Phase flip and phase damping shrink ⟨X⟩ of |+⟩ by (1−2p) and √(1−λ).
    close(expval(new Circuit(1).h(0), ['X0'], { noise: { channels: [{ channel: 'phase-flip', p }] } }).arraySync()[0][0], 1 - 2 * p);
    close(expval(new Circuit(1).h(0), ['X0'], { noise: { channels: [{ channel: 'phase-damping', p }] } }).arraySync()[0][0], Math.sqrt(1 - p));
    // Read-out error flips recorded bits: ⟨Z⟩ of |0⟩ becomes 1 − 2·p01.
    close(expval(new Circuit(1).h(0).h(0), ['Z0'], { noise: { readout: { p01: 0.1, p10: 0.3 } } }).arraySync()[0][0], 0.8);
    // Channels restricted to gates / qubits.
    const c = new Circuit(2).x(0).x(1);
    const e = expval(c, ['Z0', 'Z1'], { noise: { channels: [{ channel: 'bit-flip', p: 1, qubits: [1] }] } }).arraySync()[0];
    close(e[0], -1); close(e[1], 1);
  });

  it('is differentiable by backprop under noise', () => {
    const c = new Circuit(2).ry(input(0), 0).cx(0, 1);
    const noise = { channels: [{ channel: 'depolarizing' as const, p: 0.1 }] };
    const f = (x: tf.Tensor) => tf.sum(expval(c, ['Z1'], { inputs: x as tf.Tensor2D, noise }));
    const g = tf.grad(f)(tf.tensor2d([[0.7]])).arraySync() as number[][];
    const h = 1e-2;
    const fd = ((f(tf.tensor2d([[0.7 + h]])).arraySync() as number) - (f(tf.tensor2d([[0.7 - h]])).arraySync() as number)) / (2 * h);
    close(g[0][0], fd, 2e-3);
  });

  it('rejects bad noise models with named fields', () => {
    const c = new Circuit(1).h(0);
    assert.throws(() => expval(c, ['Z0'], { noise: { channels: [{ channel: 'depolarizing', p: 1.5 }] } }), /noise\.channels\[0\]\.p.*\[0, 1\].*1\.5/);
    assert.throws(() => expval(c, ['Z0'], { noise: { channels: [{ channel: 'nope' as ChannelName, p: 0.1 }] } }), /channel.*got 'nope'/);
    assert.throws(() => expval(c, ['Z0'], { noise: { channels: [{ channel: 'bit-flip', p: 0.1, qubits: [3] }] } }), /qubits/);
    assert.throws(() => expval(c, ['Z0'], { noise: { readout: -0.1 } }), /readout/);
  });
});
