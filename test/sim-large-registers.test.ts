import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, input, weight } from '../src/sim';
import { differentiableExpval } from '../src/sim/gradients/differentiable';
import { explainExecution } from '../src/sim/execution/choose';
import { StateTooLargeError } from '../src/sim/execution/memory';
import { forwardHost } from '../src/sim/host/host-adjoint';
import { hostMeasure } from '../src/sim/host/host-measure';
import { prepareGradientRun } from '../src/sim/host/host-prepare';

/** The bench's scaling circuit: RY(πx) encoding, 2 layers of RY·RZ and a CNOT ring. */
function scaling(n: number): Circuit {
  const c = new Circuit(n);
  for (let q = 0; q < n; q++) c.ry(input(q, Math.PI), q);
  for (let l = 0; l < 2; l++) {
    for (let q = 0; q < n; q++) c.ry(weight(2 * n * l + 2 * q), q).rz(weight(2 * n * l + 2 * q + 1), q);
    for (let q = 0; q < n; q++) c.cx(q, (q + 1) % n);
  }
  return c;
}

describe('large registers (host kernel)', function () {
  this.timeout(60_000);
  const n = 16;
  const circuit = scaling(n);
  const obs = Array.from({ length: n }, (_, q) => `Z${q}`);
  const x = Array.from({ length: n }, (_, q) => 0.1 + 0.05 * q);
  const w = Array.from({ length: 4 * n }, (_, k) => 0.3 * Math.sin(k + 1));

  /** Σ_q ⟨Z_q⟩ in float64 on the host kernel, at weights `ws` (no gradient machinery involved). */
  const loss = (ws: number[]): number => {
    const run = prepareGradientRun(circuit, obs, { inputs: [x], weights: ws }, 'test');
    return hostMeasure(forwardHost(run), run.plan).reduce((a, b) => a + b, 0);
  };

  it(`the adjoint weight gradient at ${n} qubits equals central finite differences`, () => {
    const f = differentiableExpval(circuit, obs, { diffMethod: 'adjoint', inputGrads: false });
    const xt = tf.tensor2d([x]), wt = tf.variable(tf.tensor1d(w)) as tf.Variable<tf.Rank.R1>;
    const { value, grads } = tf.variableGrads(() => tf.sum(f(xt, wt)) as tf.Scalar, [wt]);
    const g = grads[wt.name].dataSync();
    assert.ok(Math.abs(value.dataSync()[0] - loss(w)) < 1e-5, 'forward value matches the float64 host loss');
    const h = 1e-4;
    for (const k of [0, 5, n + 3, 2 * n + 1, 4 * n - 1]) {
      const up = [...w], down = [...w];
      up[k] += h; down[k] -= h;
      const fd = (loss(up) - loss(down)) / (2 * h);
      assert.ok(Math.abs(g[k] - fd) < 1e-4, `weight ${k}: adjoint ${g[k]} vs finite difference ${fd}`);
    }
    tf.dispose([xt, wt, value, grads[wt.name]]);
  });

  it('Z read-out through masks equals ⟨Z⟩ of a product state computed by hand', () => {
    // RY(θ)|0⟩ has ⟨Z⟩ = cos θ, ⟨Z_a Z_b⟩ = cos θa cos θb.
    const c = new Circuit(3).ry(weight(0), 0).ry(weight(1), 1).ry(weight(2), 2);
    const run = prepareGradientRun(c, ['Z0', 'Z2', 'Z0 Z1', '0.5 * Z1 + Z2'], { weights: [0.4, 1.1, 2.0] }, 'test');
    const e = hostMeasure(forwardHost(run), run.plan);
    const want = [Math.cos(0.4), Math.cos(2.0), Math.cos(0.4) * Math.cos(1.1), 0.5 * Math.cos(1.1) + Math.cos(2.0)];
    want.forEach((v, i) => assert.ok(Math.abs(e[i] - v) < 1e-6, `observable ${i}: ${e[i]} vs ${v}`));
  });

  it('24 qubits with an adjoint gradient is admitted under 2 GB; 26 is refused up front with the numbers', () => {
    const ok = explainExecution({ circuit: scaling(24), batch: 1, diffMethod: 'adjoint' });
    assert.equal(ok.executor, 'host');
    assert.ok(ok.bytes <= 2 * 2 ** 30, `24-qubit estimate ${ok.bytes} bytes`);
    assert.throws(() => explainExecution({ circuit: scaling(26), batch: 1, diffMethod: 'adjoint', maxStateBytes: 2 * 2 ** 30 }),
      (e: unknown) => e instanceof StateTooLargeError && /26 qubits × batch 1 needs 3\.6 GiB .*limit of 2\.0 GiB/.test(e.message));
  });
});
