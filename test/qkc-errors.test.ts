import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, input, weight } from '../src/sim';
import { QuantumConv2D, QuantumConv2DArgs } from '../src/qkc';

const build = (args: QuantumConv2DArgs, shape: (number | null)[]) => () => new QuantumConv2D(args).build(shape);

describe('QuantumConv2D bad input', () => {
  it('refuses unknown options at construction, naming the argument and the accepted values', () => {
    const cases: Array<[QuantumConv2DArgs, RegExp]> = [
      [{ ansatz: 'qaoa' as never }, /ansatz: expected one of 'hardware-efficient', 'strongly-entangling', 'real-amplitudes', got 'qaoa'/],
      [{ encoding: 'amplitude' as never }, /encoding: expected one of 'ry', 'rx', 'dense', got 'amplitude'/],
      [{ padding: 'causal' as never }, /padding: expected one of 'valid', 'same', got 'causal'/],
      [{ kernelSize: 0 }, /kernelSize: expected a positive integer, got 0/],
      [{ strides: [1, 1.5] as never }, /strides\[1\]: expected a positive integer, got 1\.5/],
      [{ filters: -2 }, /filters: expected a positive integer, got -2/],
      [{ layers: 0 }, /layers: expected a positive integer, got 0/],
      [{ diffMethod: 'finite-diff' as never }, /diffMethod: expected one of 'parameter-shift', 'adjoint', 'backprop', got 'finite-diff'/],
      [{ shots: 0 }, /shots: expected a positive integer, got 0/],
      [{ simulation: 'gpu' as never }, /simulation: expected one of 'auto', 'gate-by-gate', got 'gpu'/],
      [{ entanglement: 'star' as never }, /entanglement: expected one of 'reverse-linear', 'linear', 'circular', 'full', got 'star'/],
      [{ init: 'glorot' as never }, /init: expected 'uniform', 'normal', 'zeros' or \{ distribution, … \}, got 'glorot'/],
      [{ init: { distribution: 'uniform', min: 1, max: 1 } }, /init: expected max > min/],
      [{ seed: 1.5 }, /seed: expected a non-negative integer, got 1\.5/],
      [{ encodingScale: NaN }, /encodingScale: expected a finite number, got NaN/],
      [{ observables: [] }, /observables: expected a non-empty array/],
      [{ circuit: new Circuit(2).ry(input(0), 0), ansatz: 'real-amplitudes' }, /circuit: pass either a user circuit or ansatz 'real-amplitudes', not both/],
      [{ circuit: new Circuit(2).ry(weight(0), 0) }, /circuit: reads no input\(i\)/],
      [{ circuit: new Circuit(2).ry(input(0), 0), observables: ['Z2'] }, /observables\[0\]: expected qubit indices in \[0, 1\], got qubit 2 in 'Z2'/],
      [{ circuit: new Circuit(2).ry(input(0), 0), observables: ['Q0'] }, /observables\[0\]: expected Pauli factors like 'X0', 'Y1', 'Z2', got 'Q0'/],
    ];
    for (const [args, msg] of cases) assert.throws(() => new QuantumConv2D(args), msg, JSON.stringify(args));
  });

  it('checks the input shape at build: window larger than the image, channels, too many qubits, observables on missing qubits', () => {
    assert.throws(build({ kernelSize: 5, name: 'q1' }, [null, 4, 8, 1]),
      /QuantumConv2D 'q1' \(kernelSize\): expected a window no larger than the input's height 4 \(input shape \[null,4,8,1\]\), got the 5×5 window/);
    assert.doesNotThrow(build({ kernelSize: 5, padding: 'same' }, [null, 4, 8, 1]));
    assert.throws(build({ name: 'q2' }, [null, 4, 4]), /QuantumConv2D 'q2' \(input shape\): expected rank 4 \[batch, height, width, channels\], got \[null,4,4\]/);
    assert.throws(build({ kernelSize: 2, circuit: new Circuit(5).ry(input(4), 4), name: 'q3' }, [null, 4, 4, 1]),
      /QuantumConv2D 'q3' \(circuit\): the circuit reads input\(4\) but a 2×2×1 window has 4 values/);
    assert.throws(build({ kernelSize: 3, name: 'q4' }, [null, 8, 8, 3]),
      /QuantumConv2D 'q4' \(kernelSize\): a 3×3×3 window with encoding 'ry' needs 27 qubits; the simulator allows at most 26/);
    assert.throws(build({ kernelSize: 2, observables: ['Z0', 'X4'], name: 'q5' }, [null, 4, 4, 1]),
      /QuantumConv2D 'q5' \(observables\)\[1\]: expected qubit indices in \[0, 3\], got qubit 4 in 'X4'/);
  });

  it('checks inputs at call time: channel mismatch, NaN, rank', () => {
    const layer = new QuantumConv2D({ kernelSize: 2, name: 'qc' });
    layer.apply(tf.zeros([1, 3, 3, 1]));
    assert.throws(() => layer.apply(tf.zeros([1, 3, 3, 2])), /QuantumConv2D 'qc' \(inputs\): expected 1 channel\(s\), as the layer was built for, got 2/);
    const bad = tf.tensor4d([0, 0.5, NaN, 1, 0, 0, 0, 0, 0], [1, 3, 3, 1]);
    assert.throws(() => layer.apply(bad), /QuantumConv2D 'qc' \(inputs\): expected finite values, got NaN or infinity/);
    const inf = tf.tensor4d([0, 0.5, 0, 1, 0, 0, 0, 0, Infinity], [1, 3, 3, 1]);
    assert.throws(() => layer.apply(inf), /expected finite values, got NaN or infinity/);
  });

  it('refuses a batch whose states would not fit the simulator budget, before allocating', () => {
    const layer = new QuantumConv2D({ kernelSize: [4, 5], encoding: 'ry', name: 'big' });
    // 20 qubits: 2^20 amplitudes per patch, so 256 patches pass 2^27.
    layer.build([null, 19, 5, 1]);
    assert.throws(() => layer.apply(tf.zeros([16, 19, 5, 1])), /QuantumConv2D 'big' \(inputs\): 256 patches × 2\^20 amplitudes exceed the simulator's budget/);
  });
});
