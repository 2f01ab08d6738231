import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { simulate, HOST_ENGINE_MIN_QUBITS } from '../src/sim';
import { lowerCircuit } from '../src/sim/gate-terms';
import { hostZero, hostApply, hostClone, hostInner, HostStates } from '../src/sim/host/host-kernel';
import { hostRun } from '../src/sim/host/host-run';
import { hostAngle, HostArgs } from '../src/sim/angles';
import { referenceState, seededRandom } from './helpers/reference';
import { randomCircuit } from './helpers/random-circuit';

function rowOf(s: HostStates, r: number) {
  const dim = 2 ** s.nQubits;
  return { re: Array.from(s.re.subarray(r * dim, (r + 1) * dim)), im: Array.from(s.im.subarray(r * dim, (r + 1) * dim)) };
}

describe('host (plain-JS) gate kernel', () => {
  it('matches the float64 reference on random circuits over the whole gate set, per-row inputs included', () => {
    const rand = seededRandom(21);
    for (let trial = 0; trial < 10; trial++) {
      const n = 2 + (trial % 4);
      const c = randomCircuit(n, 30, rand);
      const weights = Array.from({ length: c.numWeights }, () => rand() * 4 - 2);
      const rows = Array.from({ length: 3 }, () => Array.from({ length: c.numInputs }, () => rand() * 2 - 1));
      const h: HostArgs = { inputs: Float64Array.from(rows.flat()), numInputs: c.numInputs, weights: Float64Array.from(weights), batch: 3 };
      const ops = lowerCircuit(c.ops);
      const s = hostZero(n, 3);
      hostRun(s, ops, ops.map((op) => (op.angle === undefined ? undefined : hostAngle(op.angle, h))));
      rows.forEach((row, b) => {
        const ref = referenceState(c, weights, row), got = rowOf(s, b);
        ref.re.forEach((v, j) => assert.ok(Math.abs(got.re[j] - v) < 1e-12 && Math.abs(got.im[j] - ref.im[j]) < 1e-12, `trial ${trial} row ${b} amp ${j}`));
      });
    }
  });

  it('undoes every op with its inverse and matches dM/dθ with finite differences', () => {
    const rand = seededRandom(4);
    const c = randomCircuit(4, 40, rand, 0, 0);
    const ops = lowerCircuit(c.ops);
    const angles = ops.map((op) => (op.angle === undefined ? undefined : (op.angle as number)));
    const s = hostZero(4, 1);
    hostRun(s, ops, angles);
    const before = hostClone(s);
    for (let t = ops.length - 1; t >= 0; t--) hostApply(s, ops[t], angles[t], 'inverse');
    s.re.forEach((v, j) => assert.ok(Math.abs(v - (j === 0 ? 1 : 0)) < 1e-12 && Math.abs(s.im[j]) < 1e-12));
    // ⟨λ| dM |ψ⟩ against (⟨λ|M(θ+h)|ψ⟩ − ⟨λ|M(θ−h)|ψ⟩)/2h, with λ a random state.
    const lambda = hostClone(before);
    lambda.re.forEach((_, j) => { lambda.re[j] = rand() - 0.5; lambda.im[j] = rand() - 0.5; });
    for (const [t, op] of ops.entries()) {
      if (op.angle === undefined) continue;
      const th = angles[t] as number, h = 1e-5;
      const g = hostInner(lambda, before, op, th, 'derivative')[0];
      const fd = (hostInner(lambda, before, op, th + h, 'forward')[0] - hostInner(lambda, before, op, th - h, 'forward')[0]) / (2 * h);
      assert.ok(Math.abs(g - fd) < 1e-7, `op ${t}: ${g} vs ${fd}`);
      const applied = hostClone(before);
      hostApply(applied, op, th, 'derivative');
      let direct = 0;
      applied.re.forEach((v, j) => { direct += lambda.re[j] * v + lambda.im[j] * applied.im[j]; });
      assert.ok(Math.abs(direct - g) < 1e-12, `op ${t}: applied derivative ${direct} vs inner ${g}`);
    }
  });

  it('reads per-row angles periodically and applies to a row range only', () => {
    const c = lowerCircuit([{ name: 'ry', wires: [0], params: [0] }]);
    const s = hostZero(1, 4);
    hostApply(s, c[0], Float64Array.from([Math.PI, 0]), 'forward', 1, 4);
    assert.deepEqual(Array.from(s.re).map((v) => Math.round(v * 1e9) / 1e9), [1, 0, 1, 0, 0, 1, 1, 0]);
  });

  it("is simulate's engine from HOST_ENGINE_MIN_QUBITS qubits on, matching the reference", () => {
    const n = HOST_ENGINE_MIN_QUBITS;
    const c = randomCircuit(n, 30, seededRandom(12), 2, 3);
    const weights = [0.4, -1.1, 2.0], row = [0.3, -0.6];
    const s = simulate(c, { inputs: [row], weights });
    const ref = referenceState(c, weights, row);
    const re = s.re.dataSync(), im = s.im.dataSync();
    let worst = 0;
    ref.re.forEach((v, j) => { worst = Math.max(worst, Math.abs(re[j] - v), Math.abs(im[j] - ref.im[j])); });
    assert.ok(worst < 1e-6, `max deviation ${worst}`);
    tf.dispose([s.re, s.im]);
  });
});
