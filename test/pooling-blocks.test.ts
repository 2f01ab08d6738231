import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, CMatrix, expval, gateMatrix, simulate, simulateDensity } from '../src/sim';
import { reducedDensityMatrix } from '../src/inspect';
import {
  POOL_BLOCKS, POOL_BLOCK_PARAMS, PoolBlockName, appendPoolBlock, checkSchedule, poolBlockCircuit, poolKernel, poolingSchedule,
} from '../src/pooling';
import { diffUpToPhase, referenceState, referenceUnitary, seededRandom } from './helpers/reference';
import { CMat, assertClose, densityBatch, densityToHost, naivePartialTrace, outer, pureBatch, randomMixed, randomPure } from './inspect-helpers';

type Bloch = [number, number, number];

/** Bloch vector of qubit `q` of the float64 reference state of `c` (independent of the tf simulator). */
function referenceBloch(c: Circuit, q: number, weights: number[]): Bloch {
  const s = referenceState(c, weights);
  const rho = naivePartialTrace(outer(s), c.nQubits, [q]);
  return [2 * rho.re[0][1], -2 * rho.im[0][1], rho.re[0][0] - rho.re[1][1]];
}

/** The same Bloch vector from the tf simulator's expval (measuring only the kept qubit). */
function simulatorBloch(c: Circuit, q: number, weights: number[]): Bloch {
  const e = expval(c, [`X${q}`, `Y${q}`, `Z${q}`], { weights });
  const v = Array.from(e.dataSync()) as Bloch;
  e.dispose();
  return v;
}

/** `prep` (on qubits dropped = 0, kept = 1) followed by `block`. */
function prepared(block: PoolBlockName, prep: (c: Circuit) => void, dropped = 0, kept = 1): Circuit {
  const c = new Circuit(2);
  prep(c);
  return appendPoolBlock(c, block, dropped, kept);
}

function expectBloch(c: Circuit, q: number, weights: number[], expected: Bloch, what: string): void {
  assertClose(referenceBloch(c, q, weights), expected, 1e-12, `${what} (float64 reference)`);
  assertClose(simulatorBloch(c, q, weights), expected, 2e-6, `${what} (simulator)`);
}

// 2×2 complex helpers for the explicit measure-then-rotate mixture.
const mm = (a: CMat, b: CMat): CMat => {
  const d = a.re.length, re = a.re.map((r) => r.map(() => 0)), im = a.re.map((r) => r.map(() => 0));
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) {
    re[i][j] += a.re[i][k] * b.re[k][j] - a.im[i][k] * b.im[k][j];
    im[i][j] += a.re[i][k] * b.im[k][j] + a.im[i][k] * b.re[k][j];
  }
  return { re, im };
};
const dagger = (a: CMat): CMat => ({ re: a.re.map((r, i) => r.map((_, j) => a.re[j][i])), im: a.im.map((r, i) => r.map((_, j) => -a.im[j][i])) });

/**
 * Measure dropped qubit 0 of a 2-qubit ρ in the Z basis, rotate kept qubit 1 by V[outcome], forget the
 * outcome: Σ_b V_b·⟨b|_0 ρ |b⟩_0·V_b†, straight from the definition on density matrices.
 */
function measureThenRotate(rho: CMat, v: [CMatrix, CMatrix]): CMat {
  let out: CMat = { re: [[0, 0], [0, 0]], im: [[0, 0], [0, 0]] };
  for (const b of [0, 1]) {
    // basis index = bit(dropped) + 2·bit(kept): the branch's kept block has rows/cols b + 2k.
    const sigma: CMat = {
      re: [0, 1].map((k) => [0, 1].map((l) => rho.re[b + 2 * k][b + 2 * l])),
      im: [0, 1].map((k) => [0, 1].map((l) => rho.im[b + 2 * k][b + 2 * l])),
    };
    const rotated = mm(mm(v[b], sigma), dagger(v[b]));
    out = { re: out.re.map((r, i) => r.map((x, j) => x + rotated.re[i][j])), im: out.im.map((r, i) => r.map((x, j) => x + rotated.im[i][j])) };
  }
  return out;
}

/** Kept-qubit reduced state of `block` with `weights` on a 2-qubit ρ: by the pure engine (when pure) and the density engine. */
function keptAfterBlock(block: PoolBlockName, weights: number[], rho: CMat, psi?: ReturnType<typeof randomPure>): CMat[] {
  const c = poolBlockCircuit(block);
  const out: CMat[] = [];
  const initial = densityBatch([rho]);
  const dens = simulateDensity(c, { initialState: initial, weights });
  const rd = reducedDensityMatrix(dens, [1]);
  out.push(densityToHost(rd)[0]);
  for (const t of [initial, dens, rd]) { t.re.dispose(); t.im.dispose(); }
  if (psi) {
    const init = pureBatch([psi]);
    const s = simulate(c, { initialState: init, weights });
    const rp = reducedDensityMatrix(s, [1]);
    out.push(densityToHost(rp)[0]);
    for (const t of [init, s, rp]) { t.re.dispose(); t.im.dispose(); }
  }
  return out;
}

const flatC = (m: CMat): number[] => [...m.re.flat(), ...m.im.flat()];
const euler = (a: number, b: number, c: number): CMatrix => {
  const [z1, y, z2] = [gateMatrix('rz', [a]), gateMatrix('ry', [b]), gateMatrix('rz', [c])];
  return mm(z2, mm(y, z1));
};

describe('pool blocks: hand-computed two-qubit results (qubit 0 dropped, qubit 1 kept)', () => {
  it('declares its parameter counts and builds the documented gates', () => {
    assert.deepEqual(POOL_BLOCKS.map((b) => poolBlockCircuit(b).numWeights), POOL_BLOCKS.map((b) => POOL_BLOCK_PARAMS[b]));
    assert.deepEqual(poolBlockCircuit('hur').ops.map((o) => `${o.name}${o.wires.join('')}`), ['crz01', 'x0', 'crx01']);
    assert.deepEqual(poolBlockCircuit('qiskit').ops.map((o) => `${o.name}${o.wires.join('')}`), ['rz1', 'cx10', 'rz0', 'ry1', 'cx01', 'ry1']);
    assert.equal(poolBlockCircuit('trace-out').ops.length, 0);
  });

  it("'hur': dropped |1⟩ rotates the kept qubit about Z (θ0), dropped |0⟩ about X (θ1), superpositions mix both", () => {
    const [t0, t1] = [0.7, 1.1];
    expectBloch(prepared('hur', (c) => c.x(0)), 1, [t0, t1], [0, 0, 1], 'd=|1⟩, k=|0⟩ (RZ leaves |0⟩)');
    expectBloch(prepared('hur', (c) => c.x(0).h(1)), 1, [t0, t1], [Math.cos(t0), Math.sin(t0), 0], 'd=|1⟩, k=|+⟩ → RZ(θ0)|+⟩');
    expectBloch(prepared('hur', () => undefined), 1, [t0, t1], [0, -Math.sin(t1), Math.cos(t1)], 'd=|0⟩, k=|0⟩ → RX(θ1)|0⟩');
    expectBloch(prepared('hur', (c) => c.h(0).h(1)), 1, [t0, t1], [(Math.cos(t0) + 1) / 2, Math.sin(t0) / 2, 0], 'd=|+⟩, k=|+⟩');
    // Wires honoured in the other orientation: dropped 1, kept 0.
    expectBloch(prepared('hur', () => undefined, 1, 0), 0, [t0, t1], [0, -Math.sin(t1), Math.cos(t1)], 'dropped 1 → kept 0');
  });

  it("'qiskit': the tutorial's pool_circuit on [source = dropped, sink = kept]", () => {
    const [t0, t1, t2] = [0.4, 0.9, -0.5];
    expectBloch(prepared('qiskit', () => undefined), 1, [t0, t1, t2], [Math.sin(t1 + t2), 0, Math.cos(t1 + t2)], 'source |0⟩, sink |0⟩');
    expectBloch(prepared('qiskit', (c) => c.x(0)), 1, [t0, t1, t2], [Math.sin(t1 - t2), 0, -Math.cos(t1 - t2)], 'source |1⟩, sink |0⟩');
    expectBloch(prepared('qiskit', (c) => c.x(1)), 1, [t0, t1, t2], [Math.sin(t2 - t1), 0, Math.cos(t2 - t1)], 'source |0⟩, sink |1⟩ (first CX fires)');
    const half: Bloch = [(Math.sin(t1 + t2) + Math.sin(t1 - t2)) / 2, 0, (Math.cos(t1 + t2) - Math.cos(t1 - t2)) / 2];
    expectBloch(prepared('qiskit', (c) => c.h(0)), 1, [t0, t1, t2], half, 'source |+⟩, sink |0⟩');
  });

  it("Qiskit's θ0 and TFQ's source Z^f (Z on a control just before it is traced out) never change the kept qubit", () => {
    const rand = seededRandom(5);
    const rho = randomMixed(2, rand);
    const same = (block: PoolBlockName, w1: number[], w2: number[]): void => {
      assertClose(flatC(keptAfterBlock(block, w1, rho)[0]), flatC(keptAfterBlock(block, w2, rho)[0]), 2e-6, `${block} idle parameter`);
    };
    same('qiskit', [0.3, 0.8, 1.9], [2.1, 0.8, 1.9]);
    same('tfq', [0.3, 0.8, 1.9, 0.4, -0.7, 0.1], [0.3, 0.8, 1.9, 0.4, -0.7, 2.6]);
    // …whereas the other source angles do matter.
    const a = flatC(keptAfterBlock('tfq', [0.3, 0.8, 1.9, 0.4, -0.7, 0.1], rho)[0]);
    const b = flatC(keptAfterBlock('tfq', [0.3, 0.8, 1.9, 1.4, -0.7, 0.1], rho)[0]);
    assert.ok(a.some((x, i) => Math.abs(x - b[i]) > 1e-3), 'source X^d changes the kept state');
  });

  it("'tfq': equals the tutorial's cirq circuit (X**t = e^{iπt/2}·RX(πt)) up to a global phase, weights = π·t", () => {
    // Cirq's XPowGate/YPowGate/ZPowGate with exponent t, global phase included.
    const pow = (name: 'rx' | 'ry' | 'rz', t: number): CMatrix => {
      const m = gateMatrix(name, [Math.PI * t]), c = Math.cos((Math.PI * t) / 2), s = Math.sin((Math.PI * t) / 2);
      return { re: m.re.map((r, i) => r.map((x, j) => c * x - s * m.im[i][j])), im: m.im.map((r, i) => r.map((x, j) => s * m.re[i][j] + c * x)) };
    };
    const t = [0.31, -0.47, 0.83, 0.12, 0.66, -0.29];
    const c = new Circuit(2); // qubit 0 = source (dropped), qubit 1 = sink (kept), built from cirq's matrices
    const sel = (q: number, s: number[], inverse: boolean): void => {
      const gates: Array<['rx' | 'ry' | 'rz', number]> = [['rx', s[0]], ['ry', s[1]], ['rz', s[2]]];
      for (const [g, e] of inverse ? gates.reverse().map(([g2, e2]) => [g2, -e2] as ['rx' | 'ry' | 'rz', number]) : gates) c.unitary(pow(g, e), [q]);
    };
    sel(1, t.slice(0, 3), false);
    sel(0, t.slice(3, 6), false);
    c.cx(0, 1);
    sel(1, t.slice(0, 3), true);
    const ours = referenceUnitary(poolBlockCircuit('tfq'), t.map((x) => Math.PI * x));
    assert.ok(diffUpToPhase(ours, referenceUnitary(c)) < 1e-12, 'same unitary up to phase');
  });

  it("'tfq': sink selector cancels unless the source fires the CNOT", () => {
    const [b, cc] = [0.7, 0.45];
    const w = [0, b, cc, 0, 0, 1.3]; // a = 0, source selector only Z (a phase on |0⟩/|1⟩)
    expectBloch(prepared('tfq', () => undefined), 1, [1.2, 0.4, -0.9, 0, 0, 0.5], [0, 0, 1], 'source |0⟩: V†·V = I');
    const expected: Bloch = [Math.sin(b) * Math.cos(b) * (1 + Math.cos(2 * cc)), -Math.sin(b) * Math.sin(2 * cc), Math.sin(b) ** 2 * Math.cos(2 * cc) - Math.cos(b) ** 2];
    expectBloch(prepared('tfq', (c) => c.x(0)), 1, w, expected, 'source |1⟩: V†·X·V|0⟩');
  });

  it("'measure-condition': V_0 on outcome 0, V_1 on outcome 1 (Z-Y-Z Euler angles)", () => {
    const w = [0.2, 0.9, -0.4, 1.3, -0.6, 0.8];
    expectBloch(prepared('measure-condition', () => undefined), 1, [0, 0.9, 0, 0, 2.0, 0], [Math.sin(0.9), 0, Math.cos(0.9)], 'd=|0⟩ → RY(0.9)');
    expectBloch(prepared('measure-condition', (c) => c.x(0)), 1, [0, 0.9, 0, 0, 2.0, 0], [Math.sin(2.0), 0, Math.cos(2.0)], 'd=|1⟩ → RY(2.0)');
    // The dropped qubit's Z statistics are untouched: it still carries the measurement record.
    const c = prepared('measure-condition', (k) => k.ry(1.0, 0).h(1));
    assert.ok(Math.abs(referenceBloch(c, 0, w)[2] - Math.cos(1.0)) < 1e-12);
  });

  it("'measure-condition' equals the explicit measure-then-rotate mixture on mixed and entangled states", () => {
    const rand = seededRandom(21);
    const w = [0.2, 0.9, -0.4, 1.3, -0.6, 0.8];
    const v: [CMatrix, CMatrix] = [euler(w[0], w[1], w[2]), euler(w[3], w[4], w[5])];
    for (let trial = 0; trial < 3; trial++) {
      const psi = randomPure(2, rand);
      for (const [rho, pure] of [[outer(psi), psi], [randomMixed(2, rand), undefined]] as const) {
        const expected = flatC(measureThenRotate(rho, v));
        for (const got of keptAfterBlock('measure-condition', w, rho, pure)) assertClose(flatC(got), expected, 3e-6, `trial ${trial}`);
      }
    }
  });

  it("'hur' is the same mixture with V_0 = RX(θ1), V_1 = RZ(θ0); 'trace-out' leaves the kept state unchanged", () => {
    const rand = seededRandom(22);
    const [t0, t1] = [0.8, -1.4];
    for (let trial = 0; trial < 3; trial++) {
      const psi = randomPure(2, rand);
      const rho = outer(psi);
      const expected = flatC(measureThenRotate(rho, [gateMatrix('rx', [t1]), gateMatrix('rz', [t0])]));
      for (const got of keptAfterBlock('hur', [t0, t1], rho, psi)) assertClose(flatC(got), expected, 3e-6, `hur trial ${trial}`);
      const before = flatC(naivePartialTrace(rho, 2, [1]));
      for (const got of keptAfterBlock('trace-out', [], rho, psi)) assertClose(flatC(got), before, 2e-6, `trace-out trial ${trial}`);
      // …and 'hur' does change it (the rotation is not a no-op on these entangled states).
      const hur = flatC(keptAfterBlock('hur', [t0, t1], rho)[0]);
      assert.ok(hur.some((x, i) => Math.abs(x - before[i]) > 1e-3), `hur changed the kept state (trial ${trial})`);
    }
  });

  it('refuses unknown blocks and bad qubits with errors naming the argument', () => {
    assert.throws(() => appendPoolBlock(new Circuit(2), 'nope' as PoolBlockName, 0, 1), /block: expected one of 'hur'.*got "nope"/);
    assert.throws(() => appendPoolBlock(new Circuit(2), 'hur', 0, 2), /hur pool \(kept\): expected a qubit index in \[0, 1\], got 2/);
    assert.throws(() => appendPoolBlock(new Circuit(2), 'trace-out', 1, 1), /must differ/);
    assert.throws(() => appendPoolBlock(new Circuit(3), 'tfq', 0, 1, -1), /firstWeight/);
  });
});

describe('pooling schedules and in-kernel pooling', () => {
  it('drops odd positions into even ones, stage by stage, only as far as needed', () => {
    assert.deepEqual(poolingSchedule(4, 1), [[[1, 0], [3, 2]], [[2, 0]]]);
    assert.deepEqual(poolingSchedule(4, 2), [[[1, 0], [3, 2]]]);
    assert.deepEqual(poolingSchedule(4, 3), [[[1, 0]]]);
    assert.deepEqual(poolingSchedule(5, 1), [[[1, 0], [3, 2]], [[2, 0]], [[4, 0]]]);
    assert.deepEqual(poolingSchedule(9, 1).map((s) => s.length), [4, 2, 1, 1]);
    assert.throws(() => poolingSchedule(4, 4), /keep: expected an integer number of kept qubits in \[1, 3\]/);
    assert.throws(() => poolingSchedule(4, 0), /keep/);
    assert.throws(() => poolingSchedule(1, 1), /at least 2 qubits/);
  });

  it('checks explicit schedules: missing qubits, reuse after dropping, duplicates', () => {
    assert.deepEqual(checkSchedule([[[0, 1], [3, 2]], [[2, 1]]], 4), { kept: [1], dropped: [0, 3, 2] });
    assert.throws(() => checkSchedule([[[0, 4]]], 4), /schedule\[0\]\[0\]: qubit 4 is missing from the 4-qubit circuit/);
    assert.throws(() => checkSchedule([[[1, 0]], [[2, 1]]], 4), /qubit 1 was already dropped/);
    assert.throws(() => checkSchedule([[[1, 0], [2, 0]]], 4), /appears twice in stage 0/);
    assert.throws(() => checkSchedule([], 4), /non-empty/);
    assert.throws(() => checkSchedule([[[1]]], 4), /expected a pair/);
  });

  it('appends pool blocks after the kernel with weights after its own, and observables on kept qubits', () => {
    const kernel = new Circuit(4);
    for (let q = 0; q < 4; q++) kernel.ry({ kind: 'weight', index: q, scale: 1 }, q);
    const shared = poolKernel(kernel, { block: 'hur', keep: 1 });
    assert.equal(kernel.ops.length, 4, 'the input kernel is not changed');
    assert.equal(shared.pooledAt, 4);
    assert.deepEqual(shared.kept, [0]);
    assert.deepEqual(shared.dropped, [1, 3, 2]);
    assert.deepEqual(shared.observables, ['Z0']);
    assert.deepEqual(shared.poolWeights, { offset: 4, count: 2 });
    assert.equal(shared.circuit.numWeights, 6);
    assert.equal(poolKernel(kernel, { block: 'hur', keep: 1, sharing: 'per-stage' }).poolWeights.count, 4);
    const perPair = poolKernel(kernel, { block: 'qiskit', keep: 1, sharing: 'per-pair' });
    assert.deepEqual(perPair.poolWeights, { offset: 4, count: 9 });
    assert.equal(perPair.circuit.numWeights, 13);
    const half = poolKernel(kernel, { block: 'trace-out', readout: 'bloch' });
    assert.deepEqual(half.kept, [0, 2]);
    assert.equal(half.circuit.ops.length, 4);
    assert.deepEqual(half.observables, ['X0', 'Y0', 'Z0', 'X2', 'Y2', 'Z2']);
    const custom = poolKernel(kernel, { block: 'hur', keep: 2, observables: ['z0 z1', '0.5*X1'] });
    assert.deepEqual(custom.observables, [{ terms: [[1, 'Z0 Z2']] }, { terms: [[0.5, 'X2']] }]);
  });

  it('in-kernel pooling matches the same blocks written out by hand (reference simulation)', () => {
    const kernel = new Circuit(4);
    [0.3, 1.2, 2.0, 0.7].forEach((a, q) => kernel.ry(a, q));
    kernel.cx(0, 1).cx(2, 3).cx(1, 2);
    const pooled = poolKernel(kernel, { block: 'hur', keep: 1, sharing: 'per-stage' });
    const byHand = kernel.clone();
    appendPoolBlock(byHand, 'hur', 1, 0, 0);
    appendPoolBlock(byHand, 'hur', 3, 2, 0);
    appendPoolBlock(byHand, 'hur', 2, 0, 2);
    const w = [0.5, -0.8, 1.7, 0.25];
    assert.ok(diffUpToPhase(referenceState(pooled.circuit, w), referenceState(byHand, w)) < 1e-12);
    const e = expval(pooled.circuit, pooled.observables, { weights: w });
    assertClose(e.dataSync(), [referenceBloch(byHand, 0, w)[2]], 2e-6, 'Z on the kept qubit');
    e.dispose();
  });

  it('refuses bad options: unknown block, classical blocks, observables on missing kept qubits, overlapping weights', () => {
    const k = new Circuit(4);
    assert.throws(() => poolKernel(k, { block: 'avg' as PoolBlockName }), /block: expected one of .* got 'avg'/);
    assert.throws(() => poolKernel(k, { block: 'hur', keep: 1, observables: ['Z1'] }), /expected qubit indices in \[0, 0\], got qubit 1 in 'Z1'/);
    assert.throws(() => poolKernel(k, { block: 'hur', keep: 5 }), /keep/);
    assert.throws(() => poolKernel(k, { block: 'hur', sharing: 'all' as 'shared' }), /sharing: expected one of/);
    assert.throws(() => poolKernel(k, { block: 'hur', readout: 'xyz' as 'z' }), /readout: expected one of/);
    const withWeights = new Circuit(2).ry({ kind: 'weight', index: 2, scale: 1 }, 0);
    assert.throws(() => poolKernel(withWeights, { block: 'hur', weightOffset: 1 }), /weightOffset: 1 would share weights/);
  });
});

// Keep tf's memory honest in this file: nothing above should leak tensors between tests.
describe('pool blocks: tensor hygiene', () => {
  it('simulating a block twice leaves no tensors behind', () => {
    const c = poolBlockCircuit('measure-condition');
    const run = () => expval(c, ['X1', 'Z1'], { weights: [1, 2, 3, 4, 5, 6] }).dispose();
    run(); // warm-up: the simulator may cache per-circuit constant tensors on first use
    const before = tf.memory().numTensors;
    run();
    assert.equal(tf.memory().numTensors, before);
  });
});
