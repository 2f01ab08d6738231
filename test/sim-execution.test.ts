import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import {
  Circuit, input, weight, expval, simulate, probabilities, differentiableExpval, explainExecution, describeChoice,
  StateTooLargeError, MAX_STATE_BYTES_ENV, shiftPlan, combineShifts, isParamRef,
} from '../src/sim';
import type { NoiseModel } from '../src/sim';
import { runShiftPlanHost } from '../src/sim/host/host-shifted';
import { prepareGradientRun } from '../src/sim/host/host-prepare';
import { referenceExpval, seededRandom } from './helpers/reference';

/** RY(π·x_q) encoding on every qubit, then RY(w_q) and a CNOT ladder: compilable. */
function layered(n: number): Circuit {
  const c = new Circuit(n);
  for (let q = 0; q < n; q++) c.ry(input(q, Math.PI), q);
  for (let q = 0; q < n; q++) c.ry(weight(q), q);
  for (let q = 0; q + 1 < n; q++) c.cx(q, q + 1);
  return c;
}

describe('execution: one decision, executors, memory guard', () => {
  it('decides by qubits, gradient method, shots and noise, and says why', () => {
    const pick = (n: number, extra: Partial<Parameters<typeof explainExecution>[0]> = {}) => explainExecution({ circuit: layered(n), batch: 64, ...extra });
    assert.equal(pick(4).executor, 'compiled');
    assert.match(pick(4).reason, /4 ≤ 4 qubits \(fastest measured for forward on a medium batch/);
    // The measured fastest paths: the host kernel rather than the tf engine (issue 14: ~70× at 8–11 qubits)…
    assert.equal(pick(9).executor, 'host');
    assert.equal(pick(8, { batch: 1, diffMethod: 'backprop' }).executor, 'host');
    assert.equal(pick(12).executor, 'host');
    assert.equal(pick(9, { diffMethod: 'adjoint' }).executor, 'host');
    assert.equal(pick(9, { diffMethod: 'parameter-shift' }).gradient, 'parameter-shift');
    // … and the compiled block for the layers' large patch batches up to 8 qubits, for every method.
    for (const diffMethod of ['backprop', 'parameter-shift', 'adjoint'] as const) {
      assert.equal(pick(4, { batch: 12544, diffMethod }).executor, 'compiled');
      assert.equal(pick(8, { batch: 4096, diffMethod }).executor, 'compiled');
      assert.equal(pick(9, { batch: 4096, diffMethod }).executor, 'host');
    }
    // States (simulate, inspection) keep HOST_ENGINE_MIN_QUBITS: tf tensors below it.
    assert.equal(pick(9, { output: 'states' }).executor, 'tf');
    assert.equal(pick(4, { executor: 'gate-by-gate' }).executor, 'host');
    assert.equal(pick(4, { executor: 'tf' }).executor, 'tf');
    assert.equal(pick(4, { shots: 100 }).executor, 'host');
    assert.match(pick(4, { shots: 100 }).rejected[0].why, /shots were requested/);
    assert.match(pick(4, { shots: 100, diffMethod: 'adjoint' }).gradientBlocker as string, /shots: gradients of finite-shot estimates need diffMethod 'parameter-shift' \(got 'adjoint'\)/);
    const noisy = pick(3, { noise: { channels: [{ channel: 'depolarizing', p: 0.01 }] }, diffMethod: 'parameter-shift' });
    assert.equal(noisy.executor, 'density');
    assert.match(noisy.gradientBlocker as string, /noisy \(density-matrix\) runs are available with diffMethod 'backprop'/);
    // Density matrices: 24 float32 complex states of 64 × 4^3 amplitudes (forward: the gradient is blocked) + 64 MiB.
    assert.equal(noisy.bytes, 8 * 64 * 4 ** 3 * 24 + 64 * 2 ** 20);
    assert.match(describeChoice(pick(12)), /^host \(gradient: adjoint sweep\): 12 ≥ 1 qubits/);
    assert.throws(() => pick(9, { diffMethod: 'adjoint', executor: 'tf' }), /the tf executor has no adjoint gradient/);
    assert.throws(() => pick(4, { executor: 'gpu' as never }), /execution\(executor\): expected one of 'auto', 'gate-by-gate', 'compiled', 'tf', 'host', 'density', 'superoperator', got "gpu"/);
  });

  it('refuses a 26-qubit × batch-16 expval in under a second, naming qubits, batch and bytes', () => {
    const c = layered(26);
    const rows = Array.from({ length: 16 }, () => new Array<number>(26).fill(0.5));
    const t0 = performance.now();
    let error: unknown;
    try {
      expval(c, ['Z0'], { inputs: rows, weights: new Array<number>(26).fill(0.1) });
    } catch (e) {
      error = e;
    }
    const ms = performance.now() - t0;
    assert.ok(error instanceof StateTooLargeError, `expected a StateTooLargeError, got ${String(error)}`);
    assert.ok(ms < 1000, `refused after ${ms.toFixed(0)} ms`);
    assert.equal(error.qubits, 26);
    assert.equal(error.batch, 16);
    assert.equal(error.executor, 'host');
    // Exact expectations run one row at a time from 20 qubits up: two float64 rows of 2^26 amplitudes
    // (ψ and a rotated copy), one row of probabilities, one row of scratch for the CNOT ladder run as one
    // permutation, and the 64 MiB working allowance.
    assert.equal(error.bytesNeeded, 2 ** 26 * 56 + 64 * 2 ** 20);
    assert.match(error.message, /^expval: 26 qubits × batch 16 needs 3\.6 GiB \(3,825,205,248 bytes\) \(16 × 2\^26 amplitudes on the host executor\), more than the limit of/);
    assert.match(error.message, /maxStateBytes option or QKC_MAX_STATE_BYTES/);
    // The same through differentiableExpval (refused when built: one row does not fit) and simulate.
    assert.throws(() => differentiableExpval(c, ['Z0'], { diffMethod: 'adjoint' }), /differentiableExpval: 26 qubits × batch 1 needs 3\.6 GiB/);
    assert.throws(() => simulate(c, { inputs: rows, weights: new Array<number>(26).fill(0) }), StateTooLargeError);
  });

  it('takes the limit from the maxStateBytes option, else QKC_MAX_STATE_BYTES', () => {
    const c = layered(12), x = [new Array<number>(12).fill(0.2)], w = new Array<number>(12).fill(0.3);
    const needed = 2 ** 12 * 56 + 64 * 2 ** 20; // host read-out: ψ, a rotated copy, probabilities, permutation scratch; + 64 MiB
    assert.throws(() => expval(c, ['Z0'], { inputs: x, weights: w, maxStateBytes: needed - 1 }), (e: unknown) => e instanceof StateTooLargeError && e.limitBytes === needed - 1);
    expval(c, ['Z0'], { inputs: x, weights: w, maxStateBytes: needed }).dispose();
    const before = process.env[MAX_STATE_BYTES_ENV];
    try {
      process.env[MAX_STATE_BYTES_ENV] = '64MiB';
      assert.throws(() => probabilities(c, { inputs: x, weights: w }), /probabilities: 12 qubits × batch 1 needs 64\.3 MiB .* limit of 64\.0 MiB/);
      process.env[MAX_STATE_BYTES_ENV] = '65M';
      expval(c, ['Z0'], { inputs: x, weights: w }).dispose();
      process.env[MAX_STATE_BYTES_ENV] = 'lots';
      assert.throws(() => expval(c, ['Z0'], { inputs: x, weights: w }), /QKC_MAX_STATE_BYTES: expected a byte count/);
    } finally {
      if (before === undefined) delete process.env[MAX_STATE_BYTES_ENV]; else process.env[MAX_STATE_BYTES_ENV] = before;
    }
  });

  it('still runs a 20-qubit circuit, with its gradient (analytic values)', () => {
    const n = 20, theta = Array.from({ length: n }, (_, q) => 0.1 + 0.13 * q);
    const c = new Circuit(n);
    for (let q = 0; q < n; q++) c.ry(weight(q), q);
    c.cx(0, 1);
    const w = tf.tensor1d(theta);
    assert.equal(explainExecution({ circuit: c, batch: 1 }).executor, 'host');
    const e = expval(c, ['Z19', 'Z1', 'Z0'], { weights: w }).arraySync()[0];
    // float32 read-out sums 2^20 probabilities: agreement to ~1e-4.
    assert.ok(Math.abs(e[0] - Math.cos(theta[19])) < 1e-3);
    assert.ok(Math.abs(e[1] - Math.cos(theta[0]) * Math.cos(theta[1])) < 1e-3); // CNOT maps Z1 to Z0·Z1
    assert.ok(Math.abs(e[2] - Math.cos(theta[0])) < 1e-3);
    const g = tf.grad((v: tf.Tensor) => tf.sum(expval(c, ['Z19'], { weights: v as tf.Tensor1D })))(w).arraySync() as number[];
    assert.ok(Math.abs(g[19] + Math.sin(theta[19])) < 1e-3);
    assert.ok(Math.abs(g[3]) < 1e-3);
    tf.dispose([w]);
  });

  it('runs the same shift plan on the host and compiled executors (values match the reference)', () => {
    const c = new Circuit(3).ry(input(0, 2), 0).rx(input(1), 1).ry(input(2), 2).cry(weight(0), 0, 1).rz(weight(1, 0.5), 2).cx(1, 2).ry(weight(0), 2);
    const rand = seededRandom(4);
    // float32-exact values: the run arguments pass through float32 tensors.
    const inputs = Array.from({ length: 5 }, () => [rand(), rand(), rand()].map(Math.fround));
    const weights = [0.3, -0.8].map(Math.fround);
    const plan = shiftPlan(c);
    assert.equal(plan.sets.length, 4 + 2 + 2 + 3 * 2); // cry: four-term; rz, ry(w0); three input angles
    const run = prepareGradientRun(c, ['Z2', 'X1'], { inputs, weights }, 'test');
    const values = runShiftPlanHost(run, plan);
    // Every shifted set's expectations equal the float64 reference at the shifted angle (all angles as numbers).
    plan.sets.forEach((s, j) => {
      const o = plan.occurrences[s.occ];
      inputs.forEach((row, b) => {
        const numeric = new Circuit(3);
        c.ops.forEach((op, i) => numeric.append(op.name, op.wires, op.params.map((p, k) => {
          if (!isParamRef(p)) return p;
          const v = p.scale * (p.kind === 'weight' ? weights : row)[p.index];
          return i === o.op && k === o.param ? v + s.shift : v;
        }), op.matrix));
        ['Z2', 'X1'].forEach((obs, k) => {
          const ref = referenceExpval(numeric, obs, [], []);
          assert.ok(Math.abs(values[(j * inputs.length + b) * 2 + k] - ref) < 1e-9, `set ${j}, row ${b}, ${obs}`);
        });
      });
    });
    const jac = combineShifts(plan, values, inputs.length, 2);
    const fw = differentiableExpval(c, ['Z2', 'X1'], { diffMethod: 'parameter-shift' });
    const dy = tf.ones([5, 2]);
    const gw = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(fw(tf.tensor2d(inputs), w as tf.Tensor1D), dy)))(tf.tensor1d(weights)).dataSync();
    for (let k = 0; k < 2; k++) {
      let sum = 0;
      for (let r = 0; r < 10; r++) sum += jac.weights[r * 2 + k];
      assert.ok(Math.abs(sum - gw[k]) < 1e-4, `weight ${k}: plan ${sum} vs compiled ${gw[k]}`);
    }
    tf.dispose(dy);
  });
  it('noisy circuits with data only in rz gates run on composed superoperators: same numbers as gate by gate', () => {
    // A device-like circuit: fixed gates, data only through rz(s·x), gate errors, read-out error.
    const deviceLike = () => new Circuit(3).sx(0).rz(input(0, 0.7), 0).cx(0, 1).rz(0.3, 1).sx(1).rz(input(1, -1.3), 1).cx(1, 2).sx(2).rz(input(0, 2), 2).x(0).cx(2, 0);
    const c = deviceLike();
    const noise: NoiseModel = { channels: [{ channel: 'depolarizing', p: 0.02 }, { channel: 'amplitude-damping', p: 0.03, gates: ['cx'] }], readout: [{ p01: 0.02, p10: 0.05 }, { p01: 0.01, p10: 0.03 }, { p01: 0, p10: 0.04 }] };
    const choice = explainExecution({ circuit: c, batch: 64, noise });
    assert.equal(choice.executor, 'superoperator');
    assert.match(choice.reason, /data enter only through rz\(s·x\) on 3 ≤ 6 qubits with no free weights/);
    assert.equal(choice.gradient, 'tfjs autodiff');
    // 4 fixed stretches (3 runs of data gates): four 4^3 × 4^3 superoperators at 24 bytes an entry, 24
    // float32 complex states of 64 × 4^3 amplitudes, and the 64 MiB working allowance.
    assert.equal(choice.bytes, 24 * 4 * 4 ** 6 + 8 * 64 * 4 ** 3 * 24 + 64 * 2 ** 20);
    // Small batches, free weights, other data gates, gradient transforms and explicit settings keep the density executor.
    const why = (req: Partial<Parameters<typeof explainExecution>[0]>) => {
      const r = explainExecution({ circuit: c, batch: 64, noise, ...req });
      assert.equal(r.executor, 'density');
      return r.rejected.find((x) => x.executor === 'superoperator')?.why ?? '';
    };
    assert.match(why({ batch: 8 }), /8 < 16 rows \(SUPEROPERATOR_MIN_ROWS\)/);
    assert.match(why({ circuit: deviceLike().rz(weight(0), 1) }), /1 free weight\(s\)/);
    assert.match(why({ circuit: deviceLike().ry(input(1), 2) }), /operation 11 \(ry\) reads data other than through rz/);
    assert.match(why({ diffMethod: 'parameter-shift' }), /diffMethod 'parameter-shift'/);
    assert.match(why({ executor: 'density' }), /the setting is 'density'/);
    assert.match(why({ output: 'states' }), /states themselves are asked for/);
    assert.equal(explainExecution({ circuit: c, batch: 2, noise, executor: 'superoperator' }).executor, 'superoperator');
    assert.throws(() => explainExecution({ circuit: c, batch: 64, executor: 'superoperator' }), /'superoperator' needs a noise model/);
    assert.throws(() => explainExecution({ circuit: deviceLike().rz(weight(0), 1), batch: 64, noise, executor: 'superoperator' }), /'superoperator' cannot be used: the circuit has 1 free weight/);
    // The numbers: every basis (rotated groups too) and read-out error, and input gradients by autodiff.
    const obs = ['Z0', 'X1', 'Y0 Z2', '0.5*Z0 Z1 - 0.25*X2'];
    const rand = seededRandom(9);
    const rows = Array.from({ length: 40 }, () => [rand() * 2 - 1, rand() * 2 - 1]);
    const run = (executor: 'density' | 'superoperator') => tf.tidy(() => {
      const x = tf.tensor2d(rows);
      const value = expval(c, obs, { inputs: x, noise, executor }).arraySync() as number[][];
      const grad = tf.grad((xs: tf.Tensor) => tf.sum(expval(c, obs, { inputs: xs as tf.Tensor2D, noise, executor })))(x).arraySync() as number[][];
      return { value, grad };
    });
    const a = run('density'), b = run('superoperator');
    const worst = (p: number[][], q: number[][]) => Math.max(...p.flatMap((r, i) => r.map((v, j) => Math.abs(v - q[i][j]))));
    assert.ok(worst(a.value, b.value) < 1e-5, `values |Δ| ${worst(a.value, b.value)}`);
    assert.ok(worst(a.grad, b.grad) < 1e-4, `input gradients |Δ| ${worst(a.grad, b.grad)}`);
    assert.ok(Math.max(...a.value.flat().map(Math.abs)) > 0.05, 'non-trivial expectations');
  });
});
