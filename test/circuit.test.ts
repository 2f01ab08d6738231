import { strict as assert } from 'assert';
import { Circuit, input, weight } from '../src/sim';

describe('Circuit', () => {
  it('counts inputs, weights, depth and gates', () => {
    const c = new Circuit(3).ry(input(0, Math.PI), 0).ry(input(2), 2).cx(0, 1).crz(weight(4), 1, 2).h(0);
    assert.equal(c.numInputs, 3);
    assert.equal(c.numWeights, 5);
    assert.equal(c.depth(), 3);
    assert.deepEqual(c.gateCounts(), { ry: 2, cx: 1, crz: 1, h: 1 });
  });

  it('rejects bad qubits, repeated wires, bad angles and non-unitaries with named arguments', () => {
    const c = new Circuit(2);
    assert.throws(() => c.h(2), /h\(qubit 1\).*\[0, 1\].*got 2/);
    assert.throws(() => c.cx(1, 1), /distinct qubits/);
    assert.throws(() => c.rx(NaN, 0), /rx\(angle 1\).*finite.*NaN/);
    assert.throws(() => c.ry(Infinity, 0), /finite/);
    assert.throws(() => c.unitary([[1, 1], [0, 1]], [0]), /unitary/);
    assert.throws(() => new Circuit(0), /nQubits/);
    assert.throws(() => input(-1), /input\(index\)/);
  });

  it('round-trips through JSON', () => {
    const c = new Circuit(2).u3(0.1, weight(0), input(1, 2), 1).cphase(0.3, 0, 1).unitary([[0, 1], [1, 0]], [0]);
    const d = Circuit.fromJSON(JSON.parse(JSON.stringify(c.toJSON())));
    assert.deepEqual(d.toJSON(), c.toJSON());
  });
});
