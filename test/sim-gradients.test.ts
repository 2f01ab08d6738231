import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, input, weight, simulate, expval } from '../src/sim';
import { parameterShift, SHIFT_RULES, parameterShiftHost } from '../src/sim/gradients/parameter-shift';
import { adjoint } from '../src/sim/gradients/adjoint';
import { differentiableExpval, DiffMethod } from '../src/sim/gradients/differentiable';
import { prepareGradientRun } from '../src/sim/gradients/jacobians';
import { referenceExpval, seededRandom } from './helpers/reference';
import { randomCircuit } from './helpers/random-circuit';
import { canCompile } from '../src/sim/compiled/compile-split';
import { compileCircuit } from '../src/sim/compiled/compiled';
import { compiledShiftExpval } from '../src/sim/compiled/compiled-shift';

const METHODS: DiffMethod[] = ['backprop', 'parameter-shift', 'adjoint'];

/** Central finite-difference Jacobians (float64 reference): [b][o][j] w.r.t. weights and [b][o][i] w.r.t. inputs. */
function fdJacobians(c: Circuit, obs: string[], weights: number[], inputs: number[][], h = 1e-5) {
  const dW = inputs.map((row) => obs.map((o) => weights.map((_, j) => {
    const p = [...weights], m = [...weights];
    p[j] += h; m[j] -= h;
    return (referenceExpval(c, o, p, row) - referenceExpval(c, o, m, row)) / (2 * h);
  })));
  const dX = inputs.map((row) => obs.map((o) => row.map((_, i) => {
    const p = [...row], m = [...row];
    p[i] += h; m[i] -= h;
    return (referenceExpval(c, o, weights, p) - referenceExpval(c, o, weights, m)) / (2 * h);
  })));
  return { dW, dX };
}

function assertClose(got: number[][][], want: number[][][], tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: batch`);
  got.forEach((r, b) => r.forEach((o, k) => o.forEach((v, j) => {
    assert.ok(Math.abs(v - want[b][k][j]) <= tol, `${what}[${b}][${k}][${j}]: ${v} vs ${want[b][k][j]}`);
  })));
}

/** VJP of a method through differentiableExpval: gradients of Σ dy·E w.r.t. weights and inputs. */
function vjp(method: DiffMethod, c: Circuit, obs: string[], weights: number[], inputs: number[][], dy: number[][]) {
  const f = differentiableExpval(c, obs, { diffMethod: method });
  const [gw, gx] = tf.grads((w: tf.Tensor, x: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor2D, w as tf.Tensor1D), tf.tensor2d(dy))))([tf.tensor1d(weights), tf.tensor2d(inputs)]);
  return { gw: Array.from(gw.dataSync()), gx: gx.arraySync() as number[][] };
}

describe('gradients: parameter-shift, adjoint, backprop', () => {
  const rand = seededRandom(2024);
  const cases = [2, 3, 4, 5].map((n) => {
    const c = randomCircuit(n, 26, rand, 2, 3);
    const weights = Array.from({ length: c.numWeights }, () => rand() * 4 - 2);
    const inputs = Array.from({ length: 2 }, () => Array.from({ length: c.numInputs }, () => rand() * 2 - 1));
    return { c, weights, inputs };
  });
  const obs = ['Z0', 'X1', '0.5*Y0 Z1 - 0.3*X0 X1 + 0.2*I'];

  it('uses exact shift rules (the four-term constants differentiate frequencies 1/2 and 1 exactly)', () => {
    // E(θ) = a + b·cos(θ/2) + c·sin(θ/2) + d·cos θ + e·sin θ at a few θ.
    const [a, b, cc, d, e] = [0.3, -0.7, 0.4, 1.1, -0.6];
    const E = (t: number) => a + b * Math.cos(t / 2) + cc * Math.sin(t / 2) + d * Math.cos(t) + e * Math.sin(t);
    const dE = (t: number) => -b / 2 * Math.sin(t / 2) + cc / 2 * Math.cos(t / 2) - d * Math.sin(t) + e * Math.cos(t);
    for (const t of [0, 0.4, -2.1, 3]) {
      const four = SHIFT_RULES['four-term'].reduce((s, r) => s + r.coeff * E(t + r.shift), 0);
      assert.ok(Math.abs(four - dE(t)) < 1e-12, `four-term at ${t}: ${four} vs ${dE(t)}`);
      const F = (u: number) => 0.2 + 0.5 * Math.cos(u) - 0.8 * Math.sin(u);
      const two = SHIFT_RULES['two-term'].reduce((s, r) => s + r.coeff * F(t + r.shift), 0);
      assert.ok(Math.abs(two - (-0.5 * Math.sin(t) - 0.8 * Math.cos(t))) < 1e-12);
    }
    const g = SHIFT_RULES['four-term'];
    assert.ok(Math.abs(g[0].coeff - (Math.SQRT2 + 1) / (4 * Math.SQRT2)) < 1e-15 && Math.abs(g[2].coeff + (Math.SQRT2 - 1) / (4 * Math.SQRT2)) < 1e-15);
  });

  it('parameterShift and adjoint Jacobians match central finite differences (all gate kinds, reused weights, input scales)', () => {
    for (const { c, weights, inputs } of cases) {
      const counts = c.gateCounts();
      const fd = fdJacobians(c, obs, weights, inputs);
      for (const [name, j] of [['parameterShift', parameterShift(c, obs, { inputs, weights })], ['adjoint', adjoint(c, obs, { inputs, weights })]] as const) {
        assert.deepEqual(j.weights.shape, [2, 3, 3]);
        assert.deepEqual(j.inputs.shape, [2, 3, 2]);
        assertClose(j.weights.arraySync(), fd.dW, 2e-5, `${name} dW (${JSON.stringify(counts)})`);
        assertClose(j.inputs.arraySync(), fd.dX, 2e-5, `${name} dX`);
      }
    }
  });

  it('covers the gate kinds the rules distinguish', () => {
    const all = new Set(cases.flatMap(({ c }) => Object.keys(c.gateCounts())));
    for (const g of ['rx', 'ry', 'rz', 'phase', 'u3', 'crx', 'cry', 'crz', 'cphase']) assert.ok(all.has(g), `random circuits lack ${g}`);
    // In every case some weight and some input feed several gates, with scales other than 1.
    for (const { c } of cases) {
      const uses: Record<string, number> = {};
      const scales = new Set<number>();
      for (const op of c.ops) for (const p of op.params) if (typeof p === 'object') { uses[`${p.kind}${p.index}`] = (uses[`${p.kind}${p.index}`] ?? 0) + 1; scales.add(p.scale); }
      assert.ok(Object.entries(uses).some(([k, u]) => k.startsWith('weight') && u >= 2), `weight uses ${JSON.stringify(uses)}`);
      assert.ok(Object.entries(uses).some(([k, u]) => k.startsWith('input') && u >= 2), `input uses ${JSON.stringify(uses)}`);
      assert.ok([...scales].some((v) => v !== 1));
    }
  });

  it('all three methods give the same vector-Jacobian products through differentiableExpval, matching finite differences', () => {
    for (const { c, weights, inputs } of cases.slice(0, 3)) {
      const dy = [[1, -0.5, 0.25], [0.3, 0.7, -1.2]];
      const fd = fdJacobians(c, obs, weights, inputs);
      const wantW = weights.map((_, j) => dy.reduce((s, r, b) => s + r.reduce((t, g, o) => t + g * fd.dW[b][o][j], 0), 0));
      const wantX = inputs.map((row, b) => row.map((_, i) => dy[b].reduce((t, g, o) => t + g * fd.dX[b][o][i], 0)));
      for (const m of METHODS) {
        const { gw, gx } = vjp(m, c, obs, weights, inputs, dy);
        gw.forEach((v, j) => assert.ok(Math.abs(v - wantW[j]) < 2e-4, `${m} dw${j}: ${v} vs ${wantW[j]}`));
        gx.forEach((r, b) => r.forEach((v, i) => assert.ok(Math.abs(v - wantX[b][i]) < 2e-4, `${m} dx[${b}][${i}]: ${v} vs ${wantX[b][i]}`)));
      }
    }
  });

  it('returns the same forward values as expval with every method', () => {
    const { c, weights, inputs } = cases[2];
    const want = expval(c, obs, { inputs, weights }).arraySync();
    for (const m of METHODS) {
      const got = differentiableExpval(c, obs, { diffMethod: m })(tf.tensor2d(inputs), tf.tensor1d(weights)).arraySync();
      got.forEach((r, b) => r.forEach((v, o) => assert.ok(Math.abs(v - want[b][o]) < 1e-5, `${m}: ${v} vs ${want[b][o]}`)));
    }
  });

  it('handles circuits without inputs (batch 1) and weights shared by many gates', () => {
    const c = new Circuit(2).ry(weight(0), 0).crx(weight(0, -2), 0, 1).u3(weight(1), weight(0, 0.5), weight(1, 3), 1).cphase(weight(0), 1, 0);
    const ps = parameterShift(c, ['Z1', 'X0 Y1'], { weights: [0.4, -1.3] });
    const ad = adjoint(c, ['Z1', 'X0 Y1'], { weights: [0.4, -1.3] });
    assert.deepEqual(ps.weights.shape, [1, 2, 2]);
    assert.deepEqual(ps.inputs.shape, [1, 2, 0]);
    const fd = fdJacobians(c, ['Z1', 'X0 Y1'], [0.4, -1.3], [[]]);
    assertClose(ps.weights.arraySync(), fd.dW, 2e-5, 'ps');
    assertClose(ad.weights.arraySync(), fd.dW, 2e-5, 'adjoint');
    const f = differentiableExpval(c, ['Z1'], { diffMethod: 'adjoint' });
    const g = tf.grad((w: tf.Tensor) => tf.sum(f(null, w as tf.Tensor1D)))(tf.tensor1d([0.4, -1.3]));
    Array.from(g.dataSync()).forEach((v, j) => assert.ok(Math.abs(v - fd.dW[0][0][j]) < 1e-4));
  });

  it('splits a large shifted batch into chunks without changing the result', () => {
    const { c, weights, inputs } = cases[1];
    const run = prepareGradientRun(c, obs, { inputs, weights }, 'test');
    const whole = parameterShiftHost(run);
    const chunked = parameterShiftHost(run, undefined, undefined, true, 2 * 2 ** c.nQubits * 3);
    whole.weights.forEach((v, k) => assert.ok(Math.abs(v - chunked.weights[k]) < 1e-12));
    whole.inputs.forEach((v, k) => assert.ok(Math.abs(v - chunked.inputs[k]) < 1e-12));
  });

  it('chunks large batches by rows and shifts with the same Jacobians as adjoint', () => {
    const c = randomCircuit(3, 18, seededRandom(31), 2, 3);
    const r = seededRandom(32);
    const inputs = Array.from({ length: 40 }, () => [r() * 2 - 1, r() * 2 - 1]);
    const run = prepareGradientRun(c, obs, { inputs, weights: [0.3, -0.8, 1.2] }, 'test');
    const ad = adjoint(c, obs, { inputs, weights: [0.3, -0.8, 1.2] });
    const wantW = ad.weights.dataSync(), wantX = ad.inputs.dataSync();
    // Whole; rows in chunks of ~64 amplitudes; and also shifts split into stacks of 3 copies.
    for (const [maxAmplitudes, chunkAmplitudes] of [[undefined, undefined], [undefined, 64], [4 * 2 ** 3, 64]]) {
      const ps = parameterShiftHost(run, undefined, undefined, true, maxAmplitudes, chunkAmplitudes);
      ps.weights.forEach((v, k) => assert.ok(Math.abs(v - wantW[k]) < 1e-5, `weights[${k}]: ${v} vs ${wantW[k]}`));
      ps.inputs.forEach((v, k) => assert.ok(Math.abs(v - wantX[k]) < 1e-5, `inputs[${k}]: ${v} vs ${wantX[k]}`));
    }
  });

  it('leaves no tensors behind', () => {
    const { c, weights, inputs } = cases[0];
    const before = tf.memory().numTensors;
    const x = tf.tensor2d(inputs), w = tf.tensor1d(weights);
    for (const m of METHODS) {
      const f = differentiableExpval(c, obs, { diffMethod: m });
      tf.dispose(tf.tidy(() => tf.grads((ww: tf.Tensor, xx: tf.Tensor) => tf.sum(f(xx as tf.Tensor2D, ww as tf.Tensor1D)))([w, x])));
    }
    tf.dispose([x, w]);
    tf.dispose(Object.values(parameterShift(c, obs, { inputs, weights })));
    tf.dispose(Object.values(adjoint(c, obs, { inputs, weights })));
    assert.equal(tf.memory().numTensors, before);
  });

  it('estimates parameter-shift gradients with shots (seeded, near the exact values)', () => {
    const c = new Circuit(2).ry(input(0, Math.PI), 0).ry(weight(0), 1).crz(weight(1), 0, 1).rx(weight(1), 0);
    const opts = { inputs: [[0.3], [0.8]], weights: [0.7, -0.4] };
    const exact = parameterShift(c, ['Z0', 'Z0 Z1'], opts).weights.arraySync();
    const a = parameterShift(c, ['Z0', 'Z0 Z1'], { ...opts, shots: 20000, seed: 9 }).weights.arraySync();
    const b = parameterShift(c, ['Z0', 'Z0 Z1'], { ...opts, shots: 20000, seed: 9 }).weights.arraySync();
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, exact);
    assertClose(a, exact, 0.03, 'shots');
    const f = differentiableExpval(c, ['Z0'], { diffMethod: 'parameter-shift', shots: 20000, seed: 3 });
    const g = tf.grad((w: tf.Tensor) => tf.sum(f(tf.tensor2d(opts.inputs), w as tf.Tensor1D)))(tf.tensor1d(opts.weights)).dataSync();
    const ge = tf.grad((w: tf.Tensor) => tf.sum(differentiableExpval(c, ['Z0'], { diffMethod: 'adjoint' })(tf.tensor2d(opts.inputs), w as tf.Tensor1D)))(tf.tensor1d(opts.weights)).dataSync();
    g.forEach((v, j) => assert.ok(Math.abs(v - ge[j]) < 0.04, `shots grad ${v} vs ${ge[j]}`));
  });

  it('trains tf.Variables with an optimizer under every method', () => {
    const c = new Circuit(2).ry(input(0), 0).ry(weight(0), 0).rz(weight(1), 1).cx(0, 1).ry(weight(1), 1);
    const x = tf.tensor2d([[0.2], [1.0]]);
    for (const m of METHODS) {
      const f = differentiableExpval(c, ['Z1'], { diffMethod: m, inputGrads: false });
      const w = tf.variable(tf.tensor1d([0.1, 0.2]));
      const opt = tf.train.sgd(0.3);
      const loss = () => tf.sum(f(x, w as unknown as tf.Tensor1D)) as tf.Scalar;
      const before = loss().dataSync()[0];
      for (let i = 0; i < 15; i++) opt.minimize(loss, false, [w]);
      const after = loss().dataSync()[0];
      assert.ok(after < before - 0.5, `${m}: loss ${before} → ${after}`);
      const { grads } = tf.variableGrads(loss, [w]);
      assert.deepEqual(grads[w.name].shape, [2]);
      // inputGrads: false spares parameter-shift the input shifts, the compiled path its input-gradient
      // node and the host kernel's adjoint sweep the ops below the first weighted one: the inputs get a
      // zero gradient under every method on both paths (with inputGrads true they do not, below).
      const inputGrad = (executor: 'compiled' | 'gate-by-gate') => {
        const g = differentiableExpval(c, ['Z1'], { diffMethod: m, inputGrads: false, executor });
        return Array.from(tf.grad((xx: tf.Tensor) => tf.sum(g(xx as tf.Tensor2D, w as unknown as tf.Tensor1D)))(x).dataSync());
      };
      const compiledGx = inputGrad('compiled'), hostGx = inputGrad('gate-by-gate');
      assert.ok(compiledGx.every((v) => v === 0), `${m} compiled: input gradient ${compiledGx}`);
      assert.ok(hostGx.every((v) => v === 0), `${m} gate-by-gate: input gradient ${hostGx}`);
      const withInputs = differentiableExpval(c, ['Z1'], { diffMethod: m, executor: 'gate-by-gate' });
      const gx = Array.from(tf.grad((xx: tf.Tensor) => tf.sum(withInputs(xx as tf.Tensor2D, w as unknown as tf.Tensor1D)))(x).dataSync());
      assert.ok(gx.some((v) => v !== 0), `${m} gate-by-gate with inputGrads: input gradient ${gx}`);
      w.dispose();
    }
  });

  it('keeps the host engine differentiable: gradients match the tf engine (weights, inputs, initial state)', () => {
    const c = randomCircuit(4, 20, seededRandom(8), 2, 3);
    const init = simulate(new Circuit(4).h(0).ry(0.4, 1).cx(1, 2).rx(0.3, 3));
    const X = tf.tensor2d([[0.3, -0.4], [1.1, 0.2]]), W = tf.tensor1d([0.5, -0.3, 0.9]);
    const grads = (engine: 'tf' | 'host') => tf.grads((w: tf.Tensor, x: tf.Tensor, r: tf.Tensor, i: tf.Tensor) => tf.sum(tf.mul(
      expval(c, ['Z0', 'X1 Z2', 'Y3'], { inputs: x as tf.Tensor2D, weights: w as tf.Tensor1D, engine, initialState: { re: r as tf.Tensor2D, im: i as tf.Tensor2D, nQubits: 4 } }),
      tf.tensor1d([1, 0.5, -0.7]))))([W, X, init.re, init.im]).map((g) => Array.from(g.dataSync()));
    const a = grads('tf'), b = grads('host');
    a.forEach((g, k) => g.forEach((v, j) => assert.ok(Math.abs(v - b[k][j]) < 1e-4, `grad ${k}[${j}]: tf ${v} vs host ${b[k][j]}`)));
    // A loss of the amplitudes themselves, where global phases (u3's) matter too.
    const cu = c.clone().u3(weight(0), weight(1, 0.7), weight(2, -1.3), 1).u3(input(1), 0.4, input(0, 2), 3);
    const cr = tf.randomNormal([2, 16], 0, 1, 'float32', 3), ci = tf.randomNormal([2, 16], 0, 1, 'float32', 4);
    const stateGrads = (engine: 'tf' | 'host') => tf.grads((w: tf.Tensor, x: tf.Tensor) => {
      const st = simulate(cu, { inputs: x as tf.Tensor2D, weights: w as tf.Tensor1D, engine });
      return tf.add(tf.sum(tf.mul(st.re, cr)), tf.sum(tf.mul(st.im, ci)));
    })([W, X]).map((g) => Array.from(g.dataSync()));
    const sa = stateGrads('tf'), sb = stateGrads('host');
    sa.forEach((g, k) => g.forEach((v, j) => assert.ok(Math.abs(v - sb[k][j]) < 1e-4, `state grad ${k}[${j}]: tf ${v} vs host ${sb[k][j]}`)));
  });

  it('rejects bad arguments with named errors', () => {
    const c = new Circuit(2).ry(input(0), 0).rz(weight(1), 1);
    assert.throws(() => parameterShift(c, ['Z0'], { inputs: [[1, 2]], weights: [0, 0] }), /parameterShift\(inputs\): expected \[batch, 1\]/);
    assert.throws(() => adjoint(c, ['Z0'], { inputs: [[1]], weights: [0, NaN] }), /adjoint\(weights\).*finite/);
    assert.throws(() => adjoint(c, ['Z0'], { inputs: [[1]] }), /adjoint\(weights\)/);
    assert.throws(() => parameterShift(c, ['Q0'], { inputs: [[1]], weights: [0, 0] }), /parameterShift\(observables\)\[0\]/);
    assert.throws(() => parameterShift(c, ['Z0'], { inputs: [[1]], weights: [0, 0], shots: 1.5 }), /parameterShift\(shots\)/);
    assert.throws(() => parameterShift({} as Circuit, ['Z0'], {}), /parameterShift\(circuit\): expected a Circuit/);
    assert.throws(() => differentiableExpval(c, ['Z0'], { diffMethod: 'magic' as DiffMethod }), /differentiableExpval\(diffMethod\): expected one of 'backprop', 'parameter-shift', 'adjoint', got "magic"/);
    assert.throws(() => differentiableExpval(c, ['Z0'], { diffMethod: 'adjoint', shots: 100 }), /differentiableExpval\(shots\).*parameter-shift/);
    assert.throws(() => differentiableExpval(c, ['Z5'], { diffMethod: 'adjoint' }), /differentiableExpval\(observables\)\[0\].*out of range/);
    const f = differentiableExpval(c, ['Z0'], { diffMethod: 'parameter-shift' });
    assert.throws(() => f(null, tf.tensor1d([0, 0])), /differentiableExpval\(inputs\).*got null/);
    assert.throws(() => f(tf.tensor2d([[1, 2]]), tf.tensor1d([0, 0])), /differentiableExpval\(inputs\): expected shape \[batch, 1\], got \[1, 2\]/);
    assert.throws(() => f(tf.tensor2d([[1]]), tf.tensor1d([0, 0, 0])), /differentiableExpval\(weights\): expected shape \[2\], got \[3\]/);
    assert.throws(() => simulate(c, { inputs: [[1]], weights: [0, 0], engine: 'gpu' as 'tf' }), /simulate\(engine\): expected 'auto', 'tf' or 'host', got 'gpu'/);
  });
});

describe('gradients: parameter-shift on the compiled path', () => {
  const rand = seededRandom(77);
  // RY encoding, four-term controlled rotations in the block, reused weights with scales, u3 weights.
  const ryEnc = new Circuit(3);
  for (let q = 0; q < 3; q++) ryEnc.ry(input(q, Math.PI), q);
  ryEnc.crx(weight(0), 0, 1).cry(weight(1, 0.5), 1, 2).crz(weight(0, -2), 2, 0).cx(0, 2)
    .u3(weight(2), weight(3, -0.5), 0.3, 1).rx(weight(1), 0).cphase(weight(3), 1, 2).phase(weight(2, 1.5), 0);
  // Dense encoding: inputs reused with scales, u3 with inputs, a prefix gate after block gates on other qubits.
  const dense = new Circuit(3)
    .rx(input(0), 0).rz(input(1, 0.5), 0).ry(input(0, -0.7), 1).u3(input(2), 0.2, input(1, 2), 2)
    .crx(weight(0), 0, 1).ry(input(2, 1.3), 2).cry(weight(1), 1, 2).crz(weight(2, 0.8), 0, 2).ry(weight(0, 1.5), 1);
  const obs = ['Z0', 'X1', '0.5*Y0 Z1 - 0.3*X0 X2 + 0.2*I'];
  const cases = [{ name: 'RY encoding', c: ryEnc }, { name: 'dense encoding', c: dense }].map(({ name, c }) => ({
    name, c,
    weights: Array.from({ length: c.numWeights }, () => rand() * 4 - 2),
    inputs: Array.from({ length: 3 }, () => Array.from({ length: c.numInputs }, () => rand() * 2 - 1)),
    dy: Array.from({ length: 3 }, () => obs.map(() => rand() * 2 - 1)),
  }));
  const grads = (f: ReturnType<typeof differentiableExpval>, weights: number[], inputs: number[][], dy: number[][]) => {
    const [gw, gx] = tf.grads((w: tf.Tensor, x: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor2D, w as tf.Tensor1D), tf.tensor2d(dy))))([tf.tensor1d(weights), tf.tensor2d(inputs)]);
    return { gw: Array.from(gw.dataSync()), gx: gx.arraySync() as number[][] };
  };
  const close = (got: number[], want: number[], tol: number, what: string) => got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= tol, `${what}[${i}]: ${v} vs ${want[i]}`));

  for (const { name, c, weights, inputs, dy } of cases) {
    it(`${name}: equals the host parameter-shift and finite differences, for weights and inputs`, () => {
      assert.ok(canCompile(c).ok);
      const compiled = grads(compiledShiftExpval(c, obs, true), weights, inputs, dy);
      // 'auto' would pick the host kernel at 3 rows (FASTEST_PATH_THRESHOLDS): the API is held to the compiled path here.
      const viaApi = grads(differentiableExpval(c, obs, { diffMethod: 'parameter-shift', executor: 'compiled' }), weights, inputs, dy);
      const host = grads(differentiableExpval(c, obs, { diffMethod: 'parameter-shift', compiled: false }), weights, inputs, dy);
      const fd = fdJacobians(c, obs, weights, inputs);
      const fdW = weights.map((_, j) => fd.dW.reduce((s, r, b) => s + r.reduce((t, o, k) => t + dy[b][k] * o[j], 0), 0));
      const fdX = inputs.map((row, b) => row.map((_, i) => fd.dX[b].reduce((t, o, k) => t + dy[b][k] * o[i], 0)));
      close(compiled.gw, host.gw, 2e-4, 'weights vs host');
      close(compiled.gw, fdW, 2e-4, 'weights vs finite differences');
      close(viaApi.gw, compiled.gw, 1e-6, 'weights via differentiableExpval');
      close(compiled.gx.flat(), host.gx.flat(), 2e-4, 'inputs vs host');
      close(compiled.gx.flat(), fdX.flat(), 2e-4, 'inputs vs finite differences');
      close(viaApi.gx.flat(), compiled.gx.flat(), 1e-6, 'inputs via differentiableExpval');
      // Adjoint on compilable circuits is the compiled path's own gradient: same numbers.
      const adj = grads(differentiableExpval(c, obs, { diffMethod: 'adjoint' }), weights, inputs, dy);
      close(adj.gw, fdW, 2e-4, 'adjoint weights');
      close(adj.gx.flat(), fdX.flat(), 2e-4, 'adjoint inputs');
      // The forward values are the compiled expectations.
      const value = compiledShiftExpval(c, obs, true)(tf.tensor2d(inputs), tf.tensor1d(weights)).dataSync();
      close(Array.from(value), Array.from(expval(c, obs, { inputs, weights }).dataSync()), 1e-6, 'values');
    });
  }

  it('leaves no tensors behind (forward and both gradients)', () => {
    const { c, weights, inputs, dy } = cases[1];
    const f = compiledShiftExpval(c, obs, true);
    const w = tf.tensor1d(weights), x = tf.tensor2d(inputs), d = tf.tensor2d(dy);
    const run = () => tf.dispose(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(b as tf.Tensor2D, a as tf.Tensor1D), d)))([w, x]));
    run(); // the first call builds the kept constants
    const before = tf.memory().numTensors;
    run();
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([w, x, d]);
  });

  it('skips the input shifts with inputGrads: false (zero input gradient, same weight gradient)', () => {
    const { c, weights, inputs, dy } = cases[1];
    const all = grads(compiledShiftExpval(c, obs, true), weights, inputs, dy);
    const wOnly = grads(compiledShiftExpval(c, obs, false), weights, inputs, dy);
    close(wOnly.gw, all.gw, 1e-6, 'weights');
    assert.ok(wOnly.gx.flat().every((v) => v === 0));
  });

  it('handles circuits without inputs, and row chunking of the stacked shifts', () => {
    const c = new Circuit(2).h(0).crx(weight(0), 0, 1).ry(weight(1, 0.5), 1).crz(weight(0), 1, 0);
    const w = [0.4, -1.1];
    const f = compiledShiftExpval(c, ['Z0', 'X1'], true);
    const g = Array.from(tf.grad((x: tf.Tensor) => tf.sum(f(null, x as tf.Tensor1D)))(tf.tensor1d(w)).dataSync());
    const host = Array.from(tf.grad((x: tf.Tensor) => tf.sum(differentiableExpval(c, ['Z0', 'X1'], { diffMethod: 'parameter-shift', compiled: false })(null, x as tf.Tensor1D)))(tf.tensor1d(w)).dataSync());
    close(g, host, 1e-5, 'no inputs');
    // Tiny chunks give the same shifted expectations as one chunk.
    const { c: cd, weights, inputs } = cases[0];
    const comp = compileCircuit(cd, obs);
    const shifts = [{ ops: [comp.blockTerms.findIndex((t) => t.angle !== undefined)], shift: Math.PI / 2 }, { ops: [comp.blockTerms.length - 1], shift: -0.3 }];
    const F = comp.features(tf.tensor2d(inputs), inputs.length);
    close(Array.from(comp.shiftedExpectations(F, weights, shifts, 70).dataSync()), Array.from(comp.shiftedExpectations(F, weights, shifts).dataSync()), 1e-6, 'chunked');
    comp.dispose();
  });

  it('sums each shifted circuit over the rows (weightShiftSums) as the per-row shifted expectations contracted with dy do', () => {
    for (const { name, c, weights, inputs, dy } of cases) {
      const comp = compileCircuit(c, obs);
      // Every block angle shifted by ±π/2 and by an arbitrary angle, one op at a time, and two ops at once.
      const angled = comp.blockTerms.map((t, i) => (t.angle !== undefined ? i : -1)).filter((i) => i >= 0);
      const shifts = [...angled.flatMap((i) => [{ ops: [i], shift: Math.PI / 2 }, { ops: [i], shift: -0.7 }]), { ops: angled.slice(0, 2), shift: 0.4 }];
      const F = comp.features(tf.tensor2d(inputs), inputs.length);
      const E = comp.shiftedExpectations(F, weights, shifts).arraySync() as number[][]; // [rows, S·nObs], per row
      const perRow = shifts.map((_, s) => E.reduce((sum, row, r) => sum + obs.reduce((t, _o, k) => t + dy[r][k] * row[s * obs.length + k], 0), 0));
      close(Array.from(comp.weightShiftSums(F, tf.tensor2d(dy), weights, shifts)), perRow, 2e-6, `${name}: row-contracted shift sums`);
      comp.dispose();
    }
  });
});
