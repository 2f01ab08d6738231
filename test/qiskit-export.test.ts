// qkc → Qiskit: every circuit family qkc builds, exported as OpenQASM 2 and 3 (bound, and 3 with free
// parameters), read by qiskit.qasm2.loads / qiskit.qasm3.loads and simulated by Qiskit's Statevector and
// Aer's EstimatorV2. Without the project venv the test says why and skips, except under CI=true where
// that is a failure.
import { strict as assert } from 'assert';
import { Circuit, toQasm } from '../src/sim';
import { FamilyCase, qkcFamilies } from './helpers/qkc-families';
import { bridgeTerms, maxAbs, requireQiskitPython, qkcExpvals, qkcState, runBridge } from './helpers/qiskit';
import { CVector, diffUpToPhase, maxDiff } from './helpers/reference';

const TOL = 1e-6;

interface Loaded { parameters: string[]; state?: CVector; expvals?: number[]; aerExpvals?: number[]; nQubits: number }
type Form = 'qasm2' | 'qasm3' | 'qasm3-free';

/** The load task for one export form of a case (free: weights and inputs bound by name in Qiskit). */
function loadTask(c: FamilyCase, form: Form): object {
  const observables = c.observables.map((o) => bridgeTerms(o, c.circuit.nQubits));
  if (form === 'qasm3-free') {
    const bind: Record<string, number> = {};
    c.weights.forEach((v, j) => { bind[`w${j}`] = v; });
    c.inputs.forEach((v, i) => { bind[`x${i}`] = v; });
    return { kind: 'load', version: 3, qasm: toQasm(c.circuit, { version: 3 }), bind, observables };
  }
  const version = form === 'qasm2' ? 2 : 3;
  return { kind: 'load', version, qasm: toQasm(c.circuit, { version, weights: c.weights, inputs: c.inputs }), observables };
}

describe('Qiskit reads what qkc writes (OpenQASM 2 and 3, Statevector and Aer)', function () {
  this.timeout(300_000);
  let python = '';

  before(function () {
    python = requireQiskitPython(this);
  });

  it('every circuit family: the same expectations and states to 1e-6, parameters kept by name', () => {
    const cases = qkcFamilies();
    const forms: Form[] = ['qasm2', 'qasm3', 'qasm3-free'];
    const tasks = cases.flatMap((c) => forms.map((f) => loadTask(c, f)));
    const results = runBridge<Loaded>(python, tasks);
    let worstExp = 0, worstAer = 0, worstState = 0;
    results.forEach((r, k) => {
      const c = cases[Math.floor(k / forms.length)], form = forms[k % forms.length];
      const where = `${c.name} (${form})`;
      assert.equal(r.error, undefined, `${where}: ${r.error}`);
      assert.equal(r.nQubits, c.circuit.nQubits, where);
      if (form === 'qasm3-free') {
        const names = [...Array.from({ length: c.circuit.numWeights }, (_, j) => `w${j}`), ...Array.from({ length: c.circuit.numInputs }, (_, i) => `x${i}`)];
        const used = new Set(c.circuit.ops.flatMap((o) => o.params.filter((p) => typeof p === 'object').map((p) => (typeof p === 'object' ? `${p.kind === 'weight' ? 'w' : 'x'}${p.index}` : ''))));
        assert.deepEqual([...r.parameters].sort(), names.filter((n) => used.has(n)).sort(), `${where}: Qiskit's free parameters`);
      }
      const expected = qkcExpvals(c.circuit, c.observables, c.weights, c.inputs);
      const dExp = maxAbs(r.expvals as number[], expected), dAer = maxAbs(r.aerExpvals as number[], expected);
      const dState = diffUpToPhase(r.state as CVector, qkcState(c.circuit, c.weights, c.inputs));
      assert.ok(dExp < TOL && dAer < TOL && dState < TOL, `${where}: |Δ| expvals ${dExp}, Aer ${dAer}, state ${dState}`);
      worstExp = Math.max(worstExp, dExp); worstAer = Math.max(worstAer, dAer); worstState = Math.max(worstState, dState);
    });
    console.log(`      qkc → Qiskit: ${cases.length} circuits × ${forms.length} exports = ${results.length} loads; ` +
      `max |Δ| expvals ${worstExp.toExponential(2)} (Statevector), ${worstAer.toExponential(2)} (Aer), state ${worstState.toExponential(2)}`);
  });

  it('qubit order and signs: an asymmetric circuit has the same amplitudes, global phase included', () => {
    // X on q0 only, different rotations per qubit, controls pointing both ways, Y-sensitive phases.
    const c = new Circuit(3).x(0).ry(0.3, 1).rx(-1.1, 2).cx(0, 2).crx(0.4, 2, 1).cphase(0.9, 1, 0).u3(0.2, -0.7, 1.3, 2).s(1).cry(-0.8, 1, 0).rz(0.5, 0).swap(1, 2);
    const obs = ['Z0', 'Z1', 'Z2', 'Y0', 'X1 Y2', 'Y1 X2'];
    const [r2, r3] = runBridge<Loaded>(python, [2, 3].map((version) => ({ kind: 'load', version, qasm: toQasm(c, { version: version as 2 | 3 }), observables: obs.map((o) => bridgeTerms(o, 3)) })));
    const expected = qkcExpvals(c, obs);
    // Reading qubits in the opposite order would be seen: the mirrored observables differ by far more than the tolerance.
    assert.ok(Math.abs(expected[0] - expected[2]) > 0.1 && Math.abs(expected[4] - expected[5]) > 0.1, `${expected}`);
    for (const r of [r2, r3]) {
      assert.equal(r.error, undefined, r.error);
      assert.ok(maxDiff(r.state as CVector, qkcState(c)) < TOL, `amplitudes differ by ${maxDiff(r.state as CVector, qkcState(c))}`);
      assert.ok(maxAbs(r.expvals as number[], expected) < TOL);
    }
  });
});
