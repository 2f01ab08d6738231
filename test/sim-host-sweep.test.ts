import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, differentiableExpval, input, weight } from '../src/sim';
import { lowerCircuit, TermOp } from '../src/sim/gate-terms';
import { parseObservable } from '../src/sim/observables';
import { hostAngle, HostArgs } from '../src/sim/angles';
import { HostAngle, HostStates, hostApply, hostClone, hostInner, hostZero } from '../src/sim/host/host-kernel';
import { hostRun, productStart } from '../src/sim/host/host-run';
import { sweepFused } from '../src/sim/host/host-sweep';
import { composeBasisMap, isAffinePermutation, permuteRows } from '../src/sim/host/host-permute';
import { hostApplyObservables } from '../src/sim/host/host-measure';
import { prepareGradientRun, withoutIdleOps } from '../src/sim/host/host-prepare';
import { seededRandom } from './helpers/reference';
import { randomCircuit } from './helpers/random-circuit';

function randomStates(n: number, rows: number, rand: () => number): HostStates {
  const s = hostZero(n, rows);
  for (let i = 0; i < s.re.length; i++) { s.re[i] = rand() - 0.5; s.im[i] = rand() - 0.5; }
  return s;
}

const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/** A random circuit with a CNOT ring in the middle (a run of permutations) and per-row inputs. */
function circuitWithRing(n: number, rand: () => number): Circuit {
  const c = randomCircuit(n, 25, rand);
  for (let q = 0; q < n; q++) c.cx(q, (q + 1) % n);
  c.swap(0, n - 1).x(1);
  for (let q = 0; q < n; q++) c.ry(weight(q % 3), q).rz(input(q % 2), q);
  return c.ccx(0, 1, 2).crz(weight(1), 2, 0);
}

describe('host kernel: fused adjoint sweep, permutation runs, diagonal observables', () => {
  const rand = seededRandom(77);
  const n = 5, rows = 3;
  const c = circuitWithRing(n, rand);
  const h: HostArgs = { inputs: Float64Array.from({ length: rows * c.numInputs }, () => rand() * 2 - 1), numInputs: c.numInputs, weights: Float64Array.from({ length: c.numWeights }, () => rand() * 4 - 2), batch: rows };
  const ops = lowerCircuit(c.ops);
  const angles: (HostAngle | undefined)[] = ops.map((op) => (op.angle === undefined ? undefined : hostAngle(op.angle, h)));

  /** Fused forward run and sweep against op-by-op ones on `circuit` (rows × its inputs): states and derivatives within `tol`. */
  function checkAgainstUnfused(circuit: Circuit, rows: number, tol: number): void {
    const nq = circuit.nQubits, lowered = lowerCircuit(circuit.ops);
    const args: HostArgs = { inputs: Float64Array.from({ length: rows * circuit.numInputs }, () => rand() * 2 - 1), numInputs: circuit.numInputs, weights: Float64Array.from({ length: circuit.numWeights }, () => rand() * 4 - 2), batch: rows };
    const a: (HostAngle | undefined)[] = lowered.map((op) => (op.angle === undefined ? undefined : hostAngle(op.angle, args)));
    const plain = hostZero(nq, rows);
    lowered.forEach((op, t) => hostApply(plain, op, a[t]));
    const psi = hostZero(nq, rows);
    hostRun(psi, lowered, a);
    assert.ok(maxDiff(plain.re, psi.re) < tol && maxDiff(plain.im, psi.im) < tol, 'forward: fused run and op-by-op run agree');
    const lambda = randomStates(nq, rows, rand); // not ψ: Re⟨ψ|D|ψ⟩ vanishes for rotations and would hide sign errors
    const p1 = hostClone(psi), l1 = hostClone(lambda), want: Float64Array[] = [];
    for (let t = lowered.length - 1; t >= 0; t--) {
      hostApply(p1, lowered[t], a[t], 'inverse');
      if (lowered[t].angle !== undefined) want[t] = hostInner(l1, p1, lowered[t], a[t], 'derivative');
      hostApply(l1, lowered[t], a[t], 'inverse');
    }
    const p2 = psi, l2 = lambda, got: Float64Array[] = [];
    const order = lowered.map((_, i) => lowered.length - 1 - i);
    sweepFused(lowered, a, p2, l2, order, () => true, (t, r, v) => { (got[t] ??= new Float64Array(rows))[r] = v; });
    let derivatives = 0;
    want.forEach((w, t) => { if (w) { derivatives++; assert.ok(maxDiff(w, got[t]) < tol, `op ${t}: ${Array.from(got[t])} vs ${Array.from(w)}`); } });
    assert.ok(derivatives > 20);
    assert.ok(maxDiff(p1.re, p2.re) < tol && maxDiff(p1.im, p2.im) < tol, 'ψ un-computed alike');
    assert.ok(maxDiff(l1.re, l2.re) < tol && maxDiff(l1.im, l2.im) < tol, 'λ un-computed alike');
  }

  it('sweeps to the same derivatives and states as the three-pass sweep (one per op)', () => {
    checkAgainstUnfused(c, rows, 1e-12);
  });

  it('fuses permutation runs past 16 qubits: 17 and 20 qubits agree with op-by-op runs and the three-pass sweep', function () {
    this.timeout(120_000);
    for (const nq of [17, 20]) {
      const big = circuitWithRing(nq, rand);
      const fused = lowerCircuit(big.ops).filter((op) => isAffinePermutation(op, nq));
      assert.ok(fused.length >= nq + 1, `${nq} qubits: the CNOT ring and the SWAP are fused (${fused.length} ops)`);
      checkAgainstUnfused(big, 1, 1e-9);
    }
  });

  it('starts from the product state of the leading one-qubit ops and ends where the plain run does', () => {
    const prefixed = new Circuit(n);
    for (let q = 0; q < n; q++) prefixed.ry(input(q % 2, Math.PI), q).rz(weight(q % 3), q).rx(0.4 * q, q);
    prefixed.cx(0, 1).ry(weight(1), 1).rz(input(0), 2); // the RZ on wire 2 still joins its prefix
    for (const circuit of [prefixed, c]) {
      const lowered = lowerCircuit(circuit.ops.concat(c.ops)), a = lowered.map((op) => (op.angle === undefined ? undefined : hostAngle(op.angle, h)));
      const plain = hostZero(n, rows);
      hostRun(plain, lowered, a);
      const start = productStart(n, rows, lowered, a);
      assert.ok(start.ops.length < lowered.length);
      hostRun(start.s, start.ops, start.angles);
      assert.ok(maxDiff(plain.re, start.s.re) < 1e-12 && maxDiff(plain.im, start.s.im) < 1e-12);
    }
  });

  it('applies a run of CNOTs and a SWAP as one permutation, forward and inverse; Toffoli and rotations are no affine permutations', () => {
    const ring: TermOp[] = lowerCircuit(new Circuit(n).cx(0, 1).cx(1, 2).cx(2, 3).cx(3, 4).cx(4, 0).swap(1, 3).cx(2, 0).ops);
    ring.forEach((op) => assert.ok(isAffinePermutation(op, n)));
    assert.ok(!isAffinePermutation(lowerCircuit(new Circuit(3).ccx(0, 1, 2).ops)[0], 3));
    assert.ok(!isAffinePermutation(lowerCircuit(new Circuit(2).crx(0.3, 0, 1).ops)[0], 2));
    const s = randomStates(n, 2, rand), a = hostClone(s), b = hostClone(s);
    ring.forEach((op) => hostApply(a, op, undefined));
    const map = composeBasisMap(ring, n);
    permuteRows(b, map, false);
    assert.ok(maxDiff(a.re, b.re) === 0 && maxDiff(a.im, b.im) === 0, 'forward');
    permuteRows(b, map, true);
    assert.ok(maxDiff(s.re, b.re) === 0 && maxDiff(s.im, b.im) === 0, 'inverse');
  });

  it('applies Z-only observables (identity, one Z, Z strings) as one diagonal, mixed with other terms, with and without dy', () => {
    const obs = ['Z0', '0.5*Z1 Z3 - 0.25*I + 2*Z4', '0.3*X0 Y2 + 0.7*Z2'];
    const terms = obs.map((o) => parseObservable(o, n, 'test'));
    const psi = randomStates(n, rows, rand), dim = 2 ** n;
    const dy = Float64Array.from({ length: rows * obs.length }, () => rand() * 2 - 1);
    // Independent: each term's Pauli string applied amplitude by amplitude.
    const pauli = (term: (typeof terms)[0][0], b: number, j: number): [number, number] => {
      let re = psi.re[b * dim + j], im = psi.im[b * dim + j];
      for (const f of term.factors) {
        const bit = (j >> f.qubit) & 1;
        if (f.op === 'Z') { if (bit) { re = -re; im = -im; } } else if (f.op === 'Y') [re, im] = bit ? [im, -re] : [-im, re]; // Y|0⟩ = i|1⟩, Y|1⟩ = −i|0⟩
      }
      return [re * term.coeff, im * term.coeff];
    };
    const target = (term: (typeof terms)[0][0], j: number) => term.factors.reduce((k, f) => (f.op === 'Z' ? k : k ^ (1 << f.qubit)), j);
    for (const withDy of [true, false]) {
      const got = hostApplyObservables(psi, terms, 2, withDy ? dy : undefined);
      const want = { re: new Float64Array(got.re.length), im: new Float64Array(got.im.length) };
      for (let b = 0; b < rows; b++) {
        terms.forEach((ts, o) => {
          const row = withDy ? b : o * rows + b, w = 2 * (withDy ? dy[b * obs.length + o] : 1);
          for (const term of ts) for (let j = 0; j < dim; j++) {
            const [re, im] = pauli(term, b, j), k = target(term, j);
            want.re[row * dim + k] += w * re; want.im[row * dim + k] += w * im;
          }
        });
      }
      assert.ok(maxDiff(got.re, want.re) < 1e-12 && maxDiff(got.im, want.im) < 1e-12, `dy ${withDy}`);
    }
  });

  it('gives the same weight gradient with inputGrads false (sweep stopped at the first weighted op) as with input gradients', () => {
    const circuit = new Circuit(4);
    for (let q = 0; q < 4; q++) circuit.ry(input(q, Math.PI), q);
    for (let q = 0; q < 4; q++) circuit.ry(weight(2 * q), q).rz(weight(2 * q + 1), q);
    for (let q = 0; q < 4; q++) circuit.cx(q, (q + 1) % 4);
    for (let q = 0; q < 4; q++) circuit.rx(weight(q), q);
    const x = tf.tensor2d(Array.from({ length: 5 }, () => Array.from({ length: 4 }, () => rand())));
    const w = tf.tensor1d(Array.from({ length: 8 }, () => rand() * 6));
    const obs = ['Z0', 'X1', 'Z2 Z3'];
    const grad = (inputGrads: boolean) => {
      const f = differentiableExpval(circuit, obs, { diffMethod: 'adjoint', executor: 'host', inputGrads });
      return Array.from(tf.grad((wt: tf.Tensor) => tf.sum(f(x, wt as tf.Tensor1D)))(w).dataSync());
    };
    const a = grad(true), b = grad(false);
    assert.ok(a.some((v) => Math.abs(v) > 1e-3));
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-6, `weight ${i}: ${b[i]} vs ${v}`));
  });

  it('drops the trailing phases a Z read-out cannot see, with the same values and gradients as parameter-shift on the whole circuit', () => {
    const circuit = new Circuit(4);
    for (let q = 0; q < 4; q++) circuit.ry(input(q), q).rz(weight(q), q);
    for (let q = 0; q < 4; q++) circuit.cx(q, (q + 1) % 4);
    for (let q = 0; q < 4; q++) circuit.ry(weight(4 + q), q).rz(weight(8 + q), q);
    circuit.cx(0, 1).cz(1, 2).cx(2, 3).rz(input(1), 3).ccx(0, 1, 3).phase(weight(0), 2);
    const x = tf.tensor2d(Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => rand())));
    const w = tf.tensor1d(Array.from({ length: 12 }, () => rand() * 6));
    for (const obs of [['Z0', '0.5*Z1 Z3 + 0.2*I', 'Z2'], ['Z0', 'X1']]) {
      const run = prepareGradientRun(circuit, obs, { inputs: x, weights: w }, 'test');
      const kept = withoutIdleOps(run).ops.length;
      // Z read-out: the last RZ column, CZ, RZ(input) and the phase go (7 ops); an X observable keeps everything.
      assert.equal(run.ops.length - kept, obs.length === 3 ? 7 : 0);
      const value = (m: 'adjoint' | 'parameter-shift') => differentiableExpval(circuit, obs, { diffMethod: m, executor: 'host' });
      const grads = (m: 'adjoint' | 'parameter-shift') => tf.grads((wt: tf.Tensor, xt: tf.Tensor) => tf.sum(value(m)(xt as tf.Tensor2D, wt as tf.Tensor1D)))([w, x]).map((g) => Array.from(g.dataSync()));
      const [a, b] = [value('adjoint')(x, w).dataSync(), value('parameter-shift')(x, w).dataSync()];
      a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-6, `value ${i}`));
      const [ga, gb] = [grads('adjoint'), grads('parameter-shift')];
      ga.forEach((g, k) => g.forEach((v, i) => assert.ok(Math.abs(v - gb[k][i]) < 1e-5, `${obs}: gradient ${k}[${i}] ${v} vs ${gb[k][i]}`)));
    }
  });
});
