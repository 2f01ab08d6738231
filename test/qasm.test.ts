import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, CMatrix, GATES, GateName, input, weight, toQasm, fromQasm, parseQasm } from '../src/sim';
import { formatQasmNumber } from '../src/sim/qasm/qasm';
import { decomposeUnitary } from '../src/sim/qasm/decompose';
import { randomCircuit } from './helpers/random-circuit';
import { referenceUnitary, diffUpToPhase, randomUnitary, seededRandom } from './helpers/reference';

const ALL_GATES = (Object.keys(GATES) as GateName[]).filter((g) => g !== 'unitary');

/** Every built-in gate once, on shuffled wires, with numeric angles. */
function everyGate(n: number, rand: () => number): Circuit {
  const c = new Circuit(n);
  for (const name of ALL_GATES) {
    const wires = Array.from({ length: n }, (_, i) => i).sort(() => rand() - 0.5).slice(0, GATES[name].arity);
    c.append(name, wires, Array.from({ length: GATES[name].nParams }, () => (rand() - 0.5) * 4 * Math.PI));
  }
  return c;
}

describe('toQasm', () => {
  it('writes OpenQASM 2.0 with qelib1 names and OpenQASM 3.0 with stdgates names', () => {
    const c = new Circuit(2).h(0).cx(0, 1).phase(Math.PI / 4, 1).cphase(0.5, 1, 0).u3(0.1, 0.2, 0.3, 0);
    assert.equal(toQasm(c), [
      'OPENQASM 2.0;', 'include "qelib1.inc";', 'qreg q[2];',
      'h q[0];', 'cx q[0], q[1];', 'u1(pi/4) q[1];', 'cu1(0.5) q[1], q[0];', 'u3(0.1, 0.2, 0.3) q[0];', '',
    ].join('\n'));
    const v3 = toQasm(c, { version: 3, measure: true }).split('\n');
    assert.deepEqual(v3.slice(0, 4), ['OPENQASM 3.0;', 'include "stdgates.inc";', 'qubit[2] q;', 'bit[2] c;']);
    assert.ok(v3.includes('p(pi/4) q[1];') && v3.includes('cp(0.5) q[1], q[0];') && v3.includes('c = measure q;'));
    assert.ok(toQasm(c, { measure: true }).endsWith('creg c[2];\nh q[0];\ncx q[0], q[1];\nu1(pi/4) q[1];\ncu1(0.5) q[1], q[0];\nu3(0.1, 0.2, 0.3) q[0];\nmeasure q -> c;\n'));
  });

  it('writes numbers that parse back to the identical double (π fractions when exact)', () => {
    assert.equal(formatQasmNumber(Math.PI), 'pi');
    assert.equal(formatQasmNumber(-Math.PI / 2), '-pi/2');
    assert.equal(formatQasmNumber((3 * Math.PI) / 4), '3*pi/4');
    assert.equal(formatQasmNumber(2 * Math.PI), '2*pi');
    assert.equal(formatQasmNumber(1e-7), '1.0e-7');
    assert.equal(formatQasmNumber(0.1), '0.1');
    assert.equal(formatQasmNumber(Math.PI / 2 + 1e-15), String(Math.PI / 2 + 1e-15));
    const rand = seededRandom(3);
    const values = [Math.PI / 3, -Math.PI / 6, 5 * Math.PI / 8, 1e-300, -2.5e21, ...Array.from({ length: 40 }, () => (rand() - 0.5) * 10 ** (rand() * 8 - 4))];
    const c = new Circuit(1);
    values.forEach((v) => c.rz(v, 0));
    const back = fromQasm(toQasm(c));
    back.ops.forEach((op, i) => assert.equal(op.params[0], values[i], `value ${values[i]} came back as ${op.params[0]}`));
  });

  it('binds weights (array or tensor) and one row of inputs to numbers', () => {
    const c = new Circuit(2).ry(input(1, Math.PI), 0).rz(weight(0, 2), 1).crx(weight(1), 0, 1);
    const text = toQasm(c, { weights: tf.tensor1d([0.25, -1.5]), inputs: [9, 0.5] });
    assert.ok(text.includes('ry(pi/2) q[0];'), text);
    assert.ok(text.includes('rz(0.5) q[1];') && text.includes('crx(-1.5) q[0], q[1];'), text);
    assert.equal(toQasm(c, { weights: [0.25, -1.5], inputs: tf.tensor2d([[9, 0.5]]) }), text);
  });

  it('refuses unbound references in OpenQASM 2.0, naming them, and declares them as inputs in 3.0', () => {
    const c = new Circuit(2).ry(input(1, Math.PI), 0).rz(weight(3, -1), 1).rx(weight(0, 0.5), 0);
    assert.throws(() => toQasm(c), /OpenQASM 2\.0 cannot hold free parameters.*unbound: w0, w3, x1;.*options\.weights \(4 values\).*version: 3/);
    assert.throws(() => toQasm(c, { weights: [1, 2, 3, 4] }), /unbound: x1;/);
    const v3 = toQasm(c, { version: 3 });
    assert.ok(v3.includes('input float[64] w0;\ninput float[64] w3;\ninput float[64] x1;\nqubit[2] q;'), v3);
    assert.ok(v3.includes('ry(pi*x1) q[0];') && v3.includes('rz(-w3) q[1];') && v3.includes('rx(0.5*w0) q[0];'), v3);
    // Partly bound: only the unbound kind is declared.
    const part = toQasm(c, { version: 3, inputs: [0, 0.5] });
    assert.ok(!part.includes('x1') && part.includes('ry(pi/2) q[0];') && part.includes('input float[64] w3;'), part);
  });

  it('rejects bad options with the argument named', () => {
    const c = new Circuit(1).rx(weight(1), 0);
    assert.throws(() => toQasm(c, { weights: [1] }), /toQasm\(options\.weights\): expected 2 value\(s\), got 1/);
    assert.throws(() => toQasm(c, { weights: [1, NaN] }), /options\.weights.*finite.*NaN at index 1/);
    assert.throws(() => toQasm(c, { weights: tf.tensor2d([[1, 2]]) }), /options\.weights\): expected shape \[2\], got \[1, 2\]/);
    assert.throws(() => toQasm(c, { version: 4 as 2 }), /options\.version\): expected 2 or 3, got 4/);
    assert.throws(() => toQasm({} as Circuit), /toQasm\(circuit\)/);
  });
});

describe('QASM round trip', () => {
  const rand = seededRandom(11);

  it('brings every built-in gate back as itself with identical angles', () => {
    const c = everyGate(4, rand);
    assert.deepEqual(fromQasm(toQasm(c)).toJSON(), c.toJSON());
    assert.deepEqual(fromQasm(toQasm(c, { version: 3 })).toJSON(), c.toJSON());
  });

  it('preserves the unitary of random circuits (OpenQASM 2.0, bound parameters, unitary ops)', () => {
    for (let rep = 0; rep < 6; rep++) {
      const c = randomCircuit(4, 40, rand);
      const w = [0.3, -1.2, 2.5], x = [0.7, -0.4];
      const back = fromQasm(toQasm(c, { weights: w, inputs: x }));
      assert.equal(back.nQubits, 4);
      const d = diffUpToPhase(referenceUnitary(back), referenceUnitary(c, w, x));
      assert.ok(d < 1e-10, `rep ${rep}: ${d}`);
    }
  });

  it('preserves symbolic weight/input references exactly through OpenQASM 3.0', () => {
    for (let rep = 0; rep < 5; rep++) {
      const c = randomCircuit(3, 30, rand);
      const imp = parseQasm(toQasm(c, { version: 3 }));
      // Every angle (numeric or reference) comes back identical; unitary ops come back decomposed.
      const expected = c.ops.flatMap((o) => (o.name === 'unitary' ? decomposeUnitary(o.matrix as CMatrix, o.wires) : [o]));
      assert.deepEqual(imp.circuit.ops.map((o) => ({ ...o })), expected.map((o) => ({ name: o.name, wires: o.wires, params: o.params })));
      assert.equal(imp.circuit.numWeights, c.numWeights);
      assert.equal(imp.circuit.numInputs, c.numInputs);
      assert.equal(imp.version, 3);
      const w = [0.1, 0.2, 0.3], x = [1.5, -2];
      assert.ok(diffUpToPhase(referenceUnitary(imp.circuit, w, x), referenceUnitary(c, w, x)) < 1e-10);
    }
  });

  it('decomposes unitary ops (1 to 3 qubits) so the round trip keeps the action', () => {
    for (const k of [1, 2, 3]) {
      const c = new Circuit(4).h(0).ry(0.4, 3).unitary(randomUnitary(1 << k, rand), [3, 1, 0].slice(0, k)).cx(0, 2);
      const text = toQasm(c);
      assert.ok(!/unitary\(/.test(text) && text.includes(`// unitary on ${['q[3]', 'q[1]', 'q[0]'].slice(0, k).join(', ')}:`));
      const d = diffUpToPhase(referenceUnitary(fromQasm(text)), referenceUnitary(c));
      assert.ok(d < 1e-10, `k=${k}: ${d}`);
      assert.ok(diffUpToPhase(referenceUnitary(fromQasm(toQasm(c, { version: 3 }))), referenceUnitary(c)) < 1e-10);
    }
  });

  it('keeps the action when the circuit is re-exported after import (QASM → circuit → QASM → circuit)', () => {
    const c = randomCircuit(3, 25, rand);
    const w = [0.5, 1, 1.5], x = [2, 3];
    const once = fromQasm(toQasm(c, { weights: w, inputs: x }));
    const twice = fromQasm(toQasm(once));
    assert.equal(toQasm(twice), toQasm(once));
    assert.ok(diffUpToPhase(referenceUnitary(twice), referenceUnitary(c, w, x)) < 1e-10);
  });
});
