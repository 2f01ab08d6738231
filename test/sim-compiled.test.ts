import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, input, weight, expval, compileCircuit, canCompile, COMPILE_MAX_QUBITS, Observable, CompiledCircuit } from '../src/sim';
import { lowerCircuit } from '../src/sim/gate-terms';
import { foldPrefix } from '../src/sim/compiled/encoding-gates';
import { planFourier } from '../src/sim/compiled/encoding-fourier';
import { cosCycles } from '../src/sim/compiled/product-encoding';
import { referenceExpval, referenceState, referenceUnitary, seededRandom } from './helpers/reference';

/** The benchmark kernel: RY(scale·x_q) encoding, then layers of [RY, RZ on every qubit, CNOT ring]. */
function hardwareEfficient(n: number, layers: number, scale = Math.PI): Circuit {
  const c = new Circuit(n);
  for (let q = 0; q < n; q++) c.ry(input(q, scale), q);
  let w = 0;
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) c.ry(weight(w++), q).rz(weight(w++), q);
    for (let q = 0; q < n; q++) c.cx(q, (q + 1) % n);
  }
  return c;
}

/** Dense angle encoding (RY then RZ per qubit) and a block of controlled rotations and u3. */
function denseWithControlled(): Circuit {
  const c = new Circuit(3);
  for (let q = 0; q < 3; q++) c.ry(input(2 * q), q).rz(input(2 * q + 1, 0.7), q);
  return c.h(0).crz(weight(0), 0, 1).crx(weight(1), 1, 2).u3(weight(2), weight(3, -0.5), 0.3, 2).cx(2, 0).ry(weight(4), 1).cry(weight(0, 2), 2, 1);
}

/**
 * Fixed gates around data gates, u3 with inputs, a prefix gate listed after block gates on other qubits,
 * three data gates on one qubit, a qubit without data and five qubits (an odd kron tree).
 */
function mixedPrefix(): Circuit {
  return new Circuit(5)
    .h(0).ry(input(0), 1).sx(1).rx(input(1, 2), 1).s(2).u3(input(2), 0.2, input(0, 0.3), 0)
    .cz(3, 4).crx(weight(0), 3, 4) // block on q3, q4 begins here …
    .rx(input(3), 2).ry(input(1, -1.5), 2).rz(input(0), 2) // … while q2 still gets encoding gates
    .t(3).cx(0, 2).rx(weight(1), 2).ccx(0, 1, 3).swap(1, 4).crz(weight(2), 4, 0).phase(weight(1, 0.5), 1);
}

/** Data only (fixed block), and weights only (no inputs: batch 1). */
const noWeights = () => new Circuit(2).ry(input(0), 0).rx(input(1), 1).cx(0, 1).h(1);
const ryPhase = () => new Circuit(2).ry(input(0, -1), 0).phase(input(0), 0).h(1).crx(weight(0), 0, 1).ry(weight(1), 1).h(0);
const weightsOnly = () => new Circuit(3).h(0).h(1).ry(0.4, 2).cry(weight(0), 0, 2).crz(weight(1), 1, 2).rx(weight(0, -1), 0);

const CASES: { name: string; circuit: () => Circuit; obs: Observable[] }[] = [
  { name: 'RY encoding + hardware-efficient block (4 qubits)', circuit: () => hardwareEfficient(4, 2), obs: ['Z0', 'Z1', 'Z2', 'Z3'] },
  { name: 'dense RY+RZ encoding, CRZ/CRX/CRY/u3 block, X/Y/ZZ observables', circuit: denseWithControlled, obs: ['Z0', 'X1', 'Y2', 'Z0 Z1', '0.5*X0 Y1 - 0.3*Z2 + 0.1*I'] },
  { name: 'mixed prefix on 5 qubits, multi-qubit block gates', circuit: mixedPrefix, obs: ['X0', 'Y1 Z2', 'Z4', { terms: [[0.7, 'X3 X4'], [-1.2, 'Y0']] }] },
  { name: 'inputs only (fixed block)', circuit: noWeights, obs: ['Z0', 'X1', 'Y0 Y1'] },
  { name: 'RY then phase on one qubit (Fourier columns without cos/sin partners)', circuit: ryPhase, obs: ['Z0', 'X0 Y1', 'Y1'] },
];

function randomArgs(c: Circuit, rows: number, seed: number) {
  const rand = seededRandom(seed);
  return {
    inputs: Array.from({ length: rows }, () => Array.from({ length: c.numInputs }, () => rand() * 2 - 1)),
    weights: Array.from({ length: c.numWeights }, () => rand() * 4 - 2),
  };
}

const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
const scaleOf = (a: tf.Tensor) => tf.tidy(() => Math.max(1, tf.max(tf.abs(a)).dataSync()[0]));

type Evaluate = (x: tf.Tensor2D | undefined, w: tf.Tensor1D) => tf.Tensor2D;

/** Values and vector-Jacobian products (w.r.t. inputs and weights, those the circuit has) of `f`. */
function valueAndVjp(c: Circuit, f: Evaluate, x: tf.Tensor2D | undefined, w: tf.Tensor1D, g: tf.Tensor2D) {
  const value = f(x, w);
  const useW = c.numWeights > 0;
  const sources = [...(x ? [x] : []), ...(useW ? [w] : [])];
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(x ? xs[0] as tf.Tensor2D : undefined, useW ? xs[xs.length - 1] as tf.Tensor1D : w), g)))(sources);
  return { value, dx: x ? grads[0] : undefined, dw: useW ? grads[grads.length - 1] : tf.zeros([0]) };
}

const gateByGate = (c: Circuit, obs: Observable[]): Evaluate => (x, w) => expval(c, obs, { inputs: x, weights: w, method: 'gate-by-gate' });

describe('compiled fast path', () => {
  it('recognises [product-state encoding][data-independent block] and says why not otherwise', () => {
    for (const { circuit } of CASES) assert.deepEqual(canCompile(circuit()), { ok: true });
    assert.deepEqual(canCompile(weightsOnly()), { ok: true });
    const split = compileCircuit(mixedPrefix(), ['Z0']);
    assert.deepEqual(split.prefixOps, [0, 1, 2, 3, 4, 5, 8, 9, 10]);
    split.dispose();

    const reupload = new Circuit(2).ry(input(0), 0).ry(weight(0), 0).rz(input(1), 0);
    const r1 = canCompile(reupload);
    assert.equal(r1.ok, false);
    assert.match(r1.reason as string, /operation 2 \(rz\(x1\) on q0\).*qubit 0 already went through a weighted or multi-qubit gate/);
    const r2 = canCompile(new Circuit(2).h(0).crz(input(0), 0, 1));
    assert.match(r2.reason as string, /operation 1 .*multi-qubit gate reads data/);
    const r3 = canCompile(new Circuit(2).cx(0, 1).ry(input(0), 1));
    assert.match(r3.reason as string, /qubit 1 already went through/);
    const big = new Circuit(COMPILE_MAX_QUBITS + 1).ry(input(0), 0);
    assert.match(canCompile(big).reason as string, new RegExp(`${COMPILE_MAX_QUBITS + 1} qubits`));
    assert.throws(() => compileCircuit(reupload, ['Z0']), /compileCircuit\(circuit\): cannot compile: operation 2/);
  });

  for (const { name, circuit, obs } of CASES) {
    it(`equals the gate-by-gate engine in values and gradients (each encoding plan): ${name}`, () => {
      const c = circuit();
      const { inputs, weights } = randomArgs(c, 6, 17);
      const x = tf.tensor2d(inputs, [6, c.numInputs]), w = tf.tensor1d(weights);
      const g = tf.randomNormal([6, obs.length], 0, 1, 'float32', 5) as tf.Tensor2D;
      const b = valueAndVjp(c, gateByGate(c, obs), x, w, g);
      const plans = new Set<string>();
      for (const encoding of ['auto', 'levels', 'fourier'] as const) {
        let compiled: CompiledCircuit;
        try {
          compiled = compileCircuit(c, obs, { encoding });
        } catch (e) {
          assert.match((e as Error).message, /'fourier' needs more than \d+ trig columns/);
          continue;
        }
        plans.add(compiled.describe().encoding);
        const a = valueAndVjp(c, (xx, ww) => compiled.expectations(xx, ww), x, w, g);
        assert.ok(maxAbs(a.value, b.value) < 2e-6 * scaleOf(b.value), `${encoding}: values differ by ${maxAbs(a.value, b.value)}`);
        assert.ok(maxAbs(a.dx as tf.Tensor, b.dx as tf.Tensor) < 1e-5 * scaleOf(b.dx as tf.Tensor), `${encoding}: input gradients differ by ${maxAbs(a.dx as tf.Tensor, b.dx as tf.Tensor)}`);
        assert.ok(maxAbs(a.dw, b.dw) < 1e-5 * scaleOf(b.dw), `${encoding}: weight gradients differ by ${maxAbs(a.dw, b.dw)}`);
        tf.dispose([a.value, a.dx as tf.Tensor, a.dw]);
        compiled.dispose();
      }
      assert.ok(plans.has('levels'));
      tf.dispose([x, w, g, b.value, b.dx as tf.Tensor, b.dw]);
    });
  }

  it('picks the Fourier plan for single-angle encodings and levels for dense ones', () => {
    const hea = compileCircuit(hardwareEfficient(4, 2), ['Z0']), dense = compileCircuit(denseWithControlled(), ['Z0']);
    assert.equal(hea.describe().encoding, 'fourier');
    assert.equal(hea.describe().realEncoding, true);
    assert.equal(dense.describe().encoding, 'levels');
    assert.equal(dense.describe().realEncoding, false);
    hea.dispose(); dense.dispose();
    // The ryPhase case exercises the Fourier backward without partner columns.
    assert.equal(planFourier(foldPrefix(lowerCircuit(ryPhase().ops.slice(0, 3)), 2, 1), 128)?.swap, undefined);
    assert.throws(() => compileCircuit(hardwareEfficient(4, 1), ['Z0'], { encoding: 'fast' as never }), /compileCircuit\(encoding\): expected 'auto', 'levels' or 'fourier', got "fast"/);
  });

  it('handles circuits without inputs (batch 1) and gives their weight gradients', () => {
    const c = weightsOnly(), obs = ['Z2', 'X0 Y2'];
    const w = tf.tensor1d([0.7, -1.1]), g = tf.tensor2d([[1, -0.5]]);
    const a = valueAndVjp(c, (x, ww) => expval(c, obs, { weights: ww, method: 'compiled' }), undefined, w, g), b = valueAndVjp(c, gateByGate(c, obs), undefined, w, g);
    assert.deepEqual(a.value.shape, [1, 2]);
    assert.ok(maxAbs(a.value, b.value) < 2e-6 && maxAbs(a.dw, b.dw) < 1e-5);
  });

  it('matches the float64 reference and central finite differences (weights and inputs)', () => {
    for (const { circuit, obs } of [CASES[0], CASES[1], CASES[2]]) {
      const c = circuit();
      const { inputs, weights } = randomArgs(c, 3, 23);
      const up = Array.from({ length: 3 }, (_, b) => obs.map((_, o) => Math.cos(1 + b + 2 * o)));
      const compiled = compileCircuit(c, obs);
      const x = tf.tensor2d(inputs, [3, c.numInputs]), w = tf.tensor1d(weights), g = tf.tensor2d(up);
      const e = compiled.expectations(x, w).arraySync();
      const loss = (rows: number[][], ws: number[]) => rows.reduce((s, row, b) => s + obs.reduce((t, o, k) => t + up[b][k] * referenceExpval(c, o, ws, row), 0), 0);
      inputs.forEach((row, b) => obs.forEach((o, k) => assert.ok(Math.abs(e[b][k] - referenceExpval(c, o, weights, row)) < 2e-6, `⟨${JSON.stringify(o)}⟩ row ${b}`)));
      const [dx, dw] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(compiled.expectations(xx as tf.Tensor2D, ww as tf.Tensor1D), g)))([x, w]);
      const h = 1e-5, dwv = dw.dataSync(), dxv = dx.arraySync() as number[][];
      weights.forEach((_, j) => {
        const p = [...weights], m = [...weights];
        p[j] += h; m[j] -= h;
        const fd = (loss(inputs, p) - loss(inputs, m)) / (2 * h);
        assert.ok(Math.abs(dwv[j] - fd) < 2e-5 * Math.max(1, Math.abs(fd)), `∂/∂w${j}: ${dwv[j]} vs ${fd}`);
      });
      inputs.forEach((row, b) => row.forEach((_, i) => {
        const p = inputs.map((r) => [...r]), m = inputs.map((r) => [...r]);
        p[b][i] += h; m[b][i] -= h;
        const fd = (loss(p, weights) - loss(m, weights)) / (2 * h);
        assert.ok(Math.abs(dxv[b][i] - fd) < 2e-5 * Math.max(1, Math.abs(fd)), `∂/∂x[${b}][${i}]: ${dxv[b][i]} vs ${fd}`);
      }));
      compiled.dispose();
      tf.dispose([x, w, g, dx, dw]);
    }
  });

  it('returns final states, encoded states and the block unitary that match the reference', () => {
    const c = mixedPrefix(), compiled = compileCircuit(c, ['Z0']);
    const { inputs, weights } = randomArgs(c, 4, 31);
    const run = compiled.run(inputs, weights, { states: true });
    const enc = compiled.encodedStates(inputs);
    const prefix = new Circuit(c.nQubits), block = new Circuit(c.nQubits);
    compiled.prefixOps.forEach((i) => { const op = c.ops[i]; prefix.append(op.name, op.wires, op.params, op.matrix); });
    compiled.blockOps.forEach((i) => { const op = c.ops[i]; block.append(op.name, op.wires, op.params, op.matrix); });
    const [re, im, pre, pim] = [run.states?.re, run.states?.im, enc.re, enc.im].map((t) => (t as tf.Tensor2D).arraySync());
    inputs.forEach((row, b) => {
      const psi = referenceState(c, weights, row), phi = referenceState(prefix, weights, row);
      psi.re.forEach((v, j) => { assert.ok(Math.abs(re[b][j] - v) < 2e-6); assert.ok(Math.abs(im[b][j] - psi.im[j]) < 2e-6); });
      phi.re.forEach((v, j) => { assert.ok(Math.abs(pre[b][j] - v) < 2e-6); assert.ok(Math.abs(pim[b][j] - phi.im[j]) < 2e-6); });
    });
    const u = compiled.unitary(weights), ref = referenceUnitary(block, weights);
    ref.re.forEach((r, i) => r.forEach((v, j) => { assert.ok(Math.abs(u.re[i][j] - v) < 1e-12); assert.ok(Math.abs(u.im[i][j] - ref.im[i][j]) < 1e-12); }));
    compiled.dispose();
  });

  it('lets expval pick the compiled path automatically, and explains when it cannot', () => {
    const c = hardwareEfficient(4, 2), obs = ['Z0', 'Z3'];
    const { inputs, weights } = randomArgs(c, 5, 3);
    const auto = expval(c, obs, { inputs, weights }).arraySync();
    const compiled = expval(c, obs, { inputs, weights, method: 'compiled' }).arraySync();
    assert.deepEqual(auto, compiled);
    const shots = expval(c, obs, { inputs, weights, shots: 4000, seed: 1 }).arraySync();
    shots.forEach((row, b) => row.forEach((v, k) => assert.ok(Math.abs(v - compiled[b][k]) < 0.1)));
    assert.throws(() => expval(c, obs, { inputs, weights, shots: 10, method: 'compiled' }), /expval\(method\): 'compiled' cannot be used: shots were requested/);
    const reupload = new Circuit(1).ry(input(0), 0).ry(weight(0), 0).ry(input(0), 0);
    assert.throws(() => expval(reupload, ['Z0'], { inputs: [[0.1]], weights: [0.2], method: 'compiled' }), /'compiled' cannot be used: operation 2/);
    assert.equal(expval(reupload, ['Z0'], { inputs: [[0.1]], weights: [0.2] }).shape[0], 1);
    assert.throws(() => expval(c, obs, { inputs, weights, method: 'fast' as never }), /expval\(method\): expected one of 'auto', 'compiled', 'gate-by-gate', got "fast"/);
    assert.throws(() => expval(c, obs, { inputs: [[0.1, 0.2]], weights }), /expval\(inputs\): expected \[batch, 4\]/);
    assert.throws(() => expval(c, obs, { inputs: [[0.1, 0.2, NaN, 0]], weights }), /expval\(inputs\): expected finite numbers/);
    assert.throws(() => compileCircuit(c, ['Z7']), /qubit 7/);
  });

  it('trains a tf.Variable without leaking tensors', () => {
    const c = hardwareEfficient(4, 1), compiled = compileCircuit(c, ['Z0', 'Z1']);
    const x = tf.randomUniform([32, 4], 0, 1, 'float32', 9) as tf.Tensor2D;
    const w = tf.variable(tf.zeros([8]).add(0.3) as tf.Tensor1D);
    const opt = tf.train.sgd(0.2);
    const loss = () => tf.mean(tf.square(tf.sub(compiled.expectations(x, w), 0.5))) as tf.Scalar;
    const first = tf.tidy(() => loss().dataSync()[0]);
    opt.minimize(loss); // warm-up (optimizer state)
    const before = tf.memory().numTensors;
    for (let i = 0; i < 15; i++) opt.minimize(loss);
    assert.equal(tf.memory().numTensors, before);
    assert.ok(tf.tidy(() => loss().dataSync()[0]) < first, 'loss should decrease');
    compiled.dispose();
    tf.dispose([x, w]);
    opt.dispose();
  });

  it('evaluates cos(2π·t) accurately with the polynomial used on wasm', () => {
    const t = Array.from({ length: 2001 }, (_, i) => -4 + (8 * i) / 2000);
    const got = tf.tidy(() => cosCycles(tf.tensor1d(t)).dataSync());
    const t32 = Float32Array.from(t);
    t32.forEach((v, i) => assert.ok(Math.abs(got[i] - Math.cos(2 * Math.PI * v)) < 2e-6, `cos(2π·${v})`));
  });
});
