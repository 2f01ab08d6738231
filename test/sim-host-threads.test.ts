import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../src/backend';
import { Circuit, differentiableExpval, explainExecution, simulate } from '../src/sim';
import { lowerCircuit } from '../src/sim/gate-terms';
import { prepareGradientRun } from '../src/sim/host/host-prepare';
import { adjointHost, adjointSweep, forwardHost } from '../src/sim/host/host-adjoint';
import { hostClone } from '../src/sim/host/host-kernel';
import { hostMeasure } from '../src/sim/host/host-measure';
import { adjointParallel, adjointSweepParallel, forwardParallel, sharedClone, sharedZero } from '../src/sim/host/host-parallel';
import { planLayout } from '../src/sim/host/host-layout';
import { HostThreadError, runOnThreads } from '../src/sim/host/host-threads';
import { HOST_THREADS_ENV, HOST_THREADS_MIN_QUBITS } from '../src/sim/execution/threads';
import { seededRandom } from './helpers/reference';
import { randomCircuit } from './helpers/random-circuit';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
};

/** Runs `f` with QKC_HOST_THREADS set to `value`, restoring it after. */
function withThreads<T>(value: string, f: () => T): T {
  const before = process.env[HOST_THREADS_ENV];
  process.env[HOST_THREADS_ENV] = value;
  try { return f(); } finally { if (before === undefined) delete process.env[HOST_THREADS_ENV]; else process.env[HOST_THREADS_ENV] = before; }
}

describe('host kernel on two threads', function () {
  this.timeout(240_000);
  const obs = ['Z0', 'X3 Y7', '0.5*Z1 Z15 - 0.25*X2', 'Y15'];

  for (const [n, batch] of [[16, 1], [17, 3], [16, 2], [16, 9], [18, 1]] as const) {
    it(`gives the single-thread states, expectations and gradients to 1e-10: ${n} qubits, batch ${batch}, every gate kind`, () => {
      const rand = seededRandom(100 + n + batch);
      const c = randomCircuit(n, 80, rand, 3, 4);
      c.unitary([[0, 0, 0, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 0, 1, 0]], [n - 1, 3, n - 2]);
      for (const g of ['h', 'x', 'y', 'z', 's', 'sdg', 't', 'tdg', 'sx'] as const) c.append(g, [Math.floor(rand() * n)]);
      const kinds = new Set(c.ops.map((op) => op.name));
      for (const k of ['h', 'x', 'y', 'z', 's', 'sdg', 't', 'tdg', 'sx', 'rx', 'ry', 'rz', 'phase', 'u3', 'cx', 'cz', 'swap', 'crx', 'cry', 'crz', 'cphase', 'ccx', 'unitary']) assert.ok(kinds.has(k as never), `the circuit has no ${k}`);
      const inputs = Array.from({ length: batch }, () => Array.from({ length: c.numInputs }, () => rand() * 2 - 1));
      const weights = Array.from({ length: c.numWeights }, () => rand() * 4 - 2);
      const run = prepareGradientRun(c, obs, { inputs, weights }, 'test');
      // Gates touch the top qubit, so the halves split needs swaps (by rows it needs none).
      if (batch % 2 === 1) assert.ok(planLayout(lowerCircuit(c.ops), n).swaps > 0);

      const one = forwardHost(run), two = forwardParallel(run, 2);
      assert.ok(maxDiff(one.re, two.re) < 1e-10 && maxDiff(one.im, two.im) < 1e-10, 'states');
      assert.ok(maxDiff(hostMeasure(one, run.plan), hostMeasure(two, run.plan)) < 1e-10, 'expectations');
      const dy = Float64Array.from({ length: batch * obs.length }, () => rand() - 0.5);
      const g1 = adjointHost(run, hostClone(one), dy), g2 = adjointParallel(run, sharedClone(two), dy, 2);
      assert.ok(Math.max(...g1.weights.map(Math.abs)) > 1e-3, 'the weight gradient is not trivially zero');
      assert.ok(maxDiff(g1.weights, g2.weights) < 1e-10, `weight gradients differ by ${maxDiff(g1.weights, g2.weights)}`);
      assert.ok(maxDiff(g1.inputs, g2.inputs) < 1e-10, `input gradients differ by ${maxDiff(g1.inputs, g2.inputs)}`);
    });
  }

  it('sweeps a state cotangent back like the single-thread sweep, restoring the qubit layout', () => {
    const rand = seededRandom(7);
    const c = randomCircuit(16, 50, rand, 0, 5);
    const run = prepareGradientRun(c, ['Z0'], { weights: Array.from({ length: c.numWeights }, () => rand()) }, 'test');
    const psi = forwardHost(run), lambda = hostClone(psi), shared = sharedClone(psi);
    lambda.re.forEach((_, j) => { lambda.re[j] = rand() - 0.5; lambda.im[j] = rand() - 0.5; });
    const lambda2 = sharedClone(lambda), wanted = (t: number) => run.ops[t].angle !== undefined;
    const g1 = adjointSweep(run.ops, run.angles, hostClone(psi), lambda, wanted);
    const g2 = adjointSweepParallel(run.ops, run.angles, shared, lambda2, wanted, 2);
    g1.forEach((g, t) => { if (g) assert.ok(maxDiff(g, g2[t] as Float64Array) < 1e-10, `op ${t}`); else assert.equal(g2[t], undefined); });
    assert.ok(maxDiff(lambda.re, lambda2.re) < 1e-10 && maxDiff(lambda.im, lambda2.im) < 1e-10, 'U†λ');
    const zero = sharedZero(16, 1);
    assert.ok(maxDiff(shared.re, zero.re) < 1e-10 && maxDiff(shared.im, zero.im) < 1e-10, 'ψ back at |0…0⟩');
  });

  it('runs expval, its adjoint gradient and simulate through the execution choice alike on 1 and 2 threads', () => {
    const rand = seededRandom(9);
    const c = randomCircuit(16, 40, rand, 2, 3);
    const x = tf.tensor2d([[0.3, -0.7], [1.1, 0.2], [-0.4, 0.9]]), w = tf.tensor1d([0.5, -1.2, 2.0]);
    const runAll = () => {
      assert.equal(explainExecution({ circuit: c, batch: 3, diffMethod: 'adjoint' }).threads, Number(process.env[HOST_THREADS_ENV]));
      const f = differentiableExpval(c, obs, { diffMethod: 'adjoint' });
      const up = tf.linspace(-1, 1, 12).reshape([3, 4]);
      const value = f(x, w);
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor2D, b as tf.Tensor1D), up)))([x, w]);
      const s = simulate(c, { inputs: x, weights: w });
      // simulate's own gradient: the adjoint sweep of a state cotangent.
      const sg = tf.grads((a: tf.Tensor, b: tf.Tensor) => { const t = simulate(c, { inputs: a as tf.Tensor2D, weights: b as tf.Tensor1D }); return tf.sum(tf.add(tf.mul(t.re, t.re), tf.mul(t.im, tf.abs(t.re)))); })([x, w]);
      return [value, ...grads, s.re, s.im, ...sg].map((t) => t.dataSync());
    };
    const one = withThreads('1', runAll), two = withThreads('2', runAll);
    // float32 tensors of identical float64 results: equal up to the last float32 digit.
    one.forEach((a, i) => assert.ok(maxDiff(a, two[i]) < 1e-6, `output ${i}`));
    tf.dispose([x, w]);
  });

  it('is chosen from the measured thresholds only, and the thresholds are what the bench measured', () => {
    const file = path.join(__dirname, '..', 'bench', 'results', 'host-threads.json');
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { thresholds: Record<string, number> };
    assert.deepEqual({ ...HOST_THREADS_MIN_QUBITS }, saved.thresholds);
    withThreads('auto', () => {
      const min = HOST_THREADS_MIN_QUBITS.gradient;
      const at = (n: number) => explainExecution({ circuit: new Circuit(n).ry(0.1, 0), batch: 1, diffMethod: 'adjoint', maxStateBytes: 2 ** 40 });
      // Below the measured threshold one thread; from it (when it is within reach) two.
      assert.equal(at(Math.min(min - 1, 24)).threads, 1);
      if (min <= 24) {
        const c = at(min);
        assert.equal(c.threads, 2, c.reason);
        assert.match(c.reason, /2 threads/);
      }
      // Other executors, and parameter-shift's stacked batches, stay on one thread.
      assert.equal(explainExecution({ circuit: new Circuit(Math.min(min, 24)).ry(0.1, 0), batch: 1, diffMethod: 'parameter-shift', maxStateBytes: 2 ** 40 }).threads, 1);
      assert.equal(explainExecution({ circuit: new Circuit(4).ry(0.1, 0), batch: 4096 }).threads, 1);
    });
  });

  it('surfaces a failure in a worker as a clear error, and the next run works', () => {
    const c = new Circuit(16).ry(0.4, 0);
    const ops = lowerCircuit(c.ops);
    const s = sharedZero(16, 1);
    // By rows with one row, the worker owns the only row: a malformed op (no matrix rows) fails there only.
    const broken = { ...ops[0], angle: undefined, a0: { re: [], im: [] } };
    assert.throws(
      () => runOnThreads({ mode: 'rows', parts: 2, nQubits: 16, states: [s], ops: [broken], angles: [undefined], steps: [{ kind: 'apply', state: 0, from: 0, to: 1 }] }),
      (e: Error) => e instanceof HostThreadError && /^host worker 1: TypeError/.test(e.message),
    );
    runOnThreads({ mode: 'halves', parts: 2, nQubits: 16, states: [s], ops, angles: [0.4], steps: [{ kind: 'apply', state: 0, from: 0, to: 1 }] });
    assert.ok(Math.abs(s.re[0] - Math.cos(0.2)) < 1e-12 && Math.abs(s.re[1] - Math.sin(0.2)) < 1e-12);
  });

  it('frees the shared states of earlier runs: repeated runs stay within a bounded amount of shared memory', () => {
    const c = new Circuit(19);
    for (let q = 0; q < 19; q++) c.h(q).cx(q, (q + 1) % 19);
    const run = prepareGradientRun(c, ['Z0'], {}, 'test');
    const before = process.memoryUsage().arrayBuffers;
    // 40 runs make 40 × 16 MiB of shared states; V8 alone would keep most of them until a late collection.
    for (let i = 0; i < 40; i++) forwardParallel(run, 2);
    const grown = (process.memoryUsage().arrayBuffers - before) / 2 ** 20;
    assert.ok(grown < 200, `shared memory grew by ${grown.toFixed(0)} MiB over 40 runs of 16 MiB`);
  });

  it('lets the process exit by itself after a parallel run (workers are unref-ed)', () => {
    const code = `
      const { forwardParallel } = require('./src/sim/host/host-parallel');
      const { prepareGradientRun } = require('./src/sim/host/host-prepare');
      const { Circuit } = require('./src/sim/circuit');
      const c = new Circuit(16); for (let q = 0; q < 16; q++) c.h(q).cx(q, (q + 1) % 16);
      const s = forwardParallel(prepareGradientRun(c, ['Z0'], {}, 'exit'), 2);
      console.log('norm', s.re.reduce((a, v, j) => a + v * v + s.im[j] * s.im[j], 0).toFixed(12));`;
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', code], { cwd: path.join(__dirname, '..'), encoding: 'utf8', timeout: 180_000 });
    assert.equal(r.status, 0, `exit status ${r.status}, signal ${r.signal}: ${r.stderr}`);
    assert.match(r.stdout, /norm 1\.000000000000/);
    assert.ok(Date.now() - t0 < 180_000);
  });
});
