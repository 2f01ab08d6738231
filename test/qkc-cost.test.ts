import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, input, weight } from '../src/sim';
import { QuantumConv2D, summarizeModel, shiftedParameters } from '../src/qkc';
import { isQuantumLayer, findQuantumLayers, countCircuitExecutions, setDiffMethod, type QuantumLayerLike } from '../src/train/quantum-layer';

describe('QuantumConv2D cost accounting', () => {
  it('counts shifted parameters per gate rule (four-term controlled rotations count 2)', () => {
    const c = new Circuit(2).ry(input(0), 0).rz(input(1), 1).crz(weight(0), 0, 1).u3(weight(1), weight(2), 0.5, 0).ry(weight(0), 1);
    assert.deepEqual(shiftedParameters(c), { weights: 2 + 2 + 1, inputs: 2 });
  });

  it('reports qubits, depth, gates and executions per pass for each diffMethod (2P per patch for parameter-shift)', () => {
    const layer = new QuantumConv2D({ kernelSize: 2, strides: 2, filters: 3, layers: 2, seed: 1 });
    layer.build([null, 6, 6, 1]);
    const ps = (layer.diffMethod = 'parameter-shift', layer.cost());
    assert.equal(ps.qubits, 4);
    assert.equal(ps.trainableParams, 3 * 16);
    assert.deepEqual(ps.gateCounts, { ry: 4 + 8, rz: 8, cx: 8 });
    assert.equal(ps.depth, ps.depth > 0 ? layer.kernelCircuit.depth() : -1);
    assert.deepEqual(ps.shiftedParameters, { weights: 16, inputs: 4 });
    assert.equal(ps.patchesPerSample, 9);
    // Per patch and filter: 1 forward run, 2·(16 + 4) shifted runs (weights and, for the input gradient, the encoding angles).
    assert.deepEqual(ps.perPatch, { forward: 3, backward: 3 * 40 });
    assert.deepEqual(ps.perSample, { forward: 27, backward: 27 * 40 });
    assert.deepEqual(layer.cost({ inputGradients: false }).perPatch, { forward: 3, backward: 3 * 32 });
    layer.diffMethod = 'adjoint';
    assert.deepEqual(layer.cost().perSample, { forward: 27, backward: 27 });
    layer.diffMethod = 'backprop';
    assert.deepEqual(layer.cost().perSample, { forward: 27, backward: 27 });
  });

  it('counts one execution per measurement basis', () => {
    const layer = new QuantumConv2D({ kernelSize: 1, observables: ['Z0', 'X0'], ansatz: 'real-amplitudes' });
    layer.build([null, 2, 2, 1]);
    assert.equal(layer.cost().measurementBases, 2);
    assert.deepEqual(layer.cost().perSample, { forward: 8, backward: 4 });
  });

  it("implements the trainer's quantum-layer contract (marker, settable diffMethod, circuitExecutions)", () => {
    const layer = new QuantumConv2D({ inputShape: [4, 4, 1], kernelSize: 2, strides: 2 });
    const model = tf.sequential({ layers: [layer, tf.layers.flatten(), tf.layers.dense({ units: 2 })] });
    const like: QuantumLayerLike = layer; // structural check at compile time
    assert.ok(isQuantumLayer(like));
    const found = findQuantumLayers(model);
    assert.deepEqual(found, [layer]);
    setDiffMethod(found, 'parameter-shift');
    assert.equal(layer.diffMethod, 'parameter-shift');
    assert.equal(countCircuitExecutions(found, 10, 'forward'), 10 * 4);
    assert.equal(countCircuitExecutions(found, 10, 'backward'), 10 * 4 * 2 * (8 + 4));
    assert.throws(() => { (layer as { diffMethod: string }).diffMethod = 'finite-diff'; }, /diffMethod: expected one of 'parameter-shift', 'adjoint', 'backprop', got 'finite-diff'/);
  });

  it('counts the executions that forward and backward passes actually run', () => {
    const layer = new QuantumConv2D({ inputShape: [4, 4, 1], kernelSize: 2, strides: 2, filters: 2, seed: 2 });
    const model = tf.sequential({ layers: [layer, tf.layers.flatten(), tf.layers.dense({ units: 1 })] });
    const x = tf.randomUniform([3, 4, 4, 1]);
    layer.diffMethod = 'parameter-shift';
    tf.tidy(() => model.predict(x));
    assert.deepEqual(layer.executions, { forward: 3 * 4 * 2, backward: 0, total: 24 });
    layer.resetExecutions();
    const { grads } = tf.variableGrads(() => tf.sum(model.apply(x) as tf.Tensor) as tf.Scalar);
    tf.dispose(Object.values(grads));
    assert.deepEqual(layer.executions, { forward: 24, backward: 24 * 2 * 12, total: 24 + 24 * 24 });
    assert.equal(layer.executions.forward + layer.executions.backward,
      layer.circuitExecutions(3, 'forward') + layer.circuitExecutions(3, 'backward'));
  });
});

describe('QuantumConv2D capture (side door)', () => {
  it('returns the encoded state and the state after the kernel; their read-out equals what the layer computes', () => {
    const layer = new QuantumConv2D({ kernelSize: 2, strides: 2, filters: 2, seed: 8 });
    const x = tf.randomUniform([2, 4, 4, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const y = (layer.apply(x) as tf.Tensor4D).arraySync();
    const cap = layer.capture(x, { copy: 1 });
    assert.deepEqual(cap.grid, [2, 2, 2]);
    assert.deepEqual(cap.stages.map((s) => s.name), ['encoded', 'kernel']);
    const pixels = x.arraySync();
    const enc = cap.stages[0].state.re.arraySync(), encIm = cap.stages[0].state.im.arraySync();
    const fin = cap.stages[1].state;
    const probs = tf.tidy(() => tf.add(tf.square(fin.re), tf.square(fin.im)).arraySync() as number[][]);
    const outputs = cap.outputs.arraySync();
    let row = 0;
    for (let b = 0; b < 2; b++) for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++, row++) {
      // Encoded state: ⊗_q RY(π·x_q)|0⟩, a real product state.
      const v = [pixels[b][2 * i][2 * j][0], pixels[b][2 * i][2 * j + 1][0], pixels[b][2 * i + 1][2 * j][0], pixels[b][2 * i + 1][2 * j + 1][0]];
      for (let k = 0; k < 16; k++) {
        const amp = v.reduce((a, val, q) => a * ((k >> q) & 1 ? Math.sin(Math.PI * val / 2) : Math.cos(Math.PI * val / 2)), 1);
        assert.ok(Math.abs(enc[row][k] - amp) < 1e-5 && Math.abs(encIm[row][k]) < 1e-6);
      }
      for (let q = 0; q < 4; q++) {
        const z = probs[row].reduce((a, p, k) => a + ((k >> q) & 1 ? -p : p), 0);
        assert.ok(Math.abs(z - y[b][i][j][4 + q]) < 1e-5, `⟨Z${q}⟩ from the captured state ${z} vs layer ${y[b][i][j][4 + q]}`);
        assert.ok(Math.abs(outputs[row][q] - y[b][i][j][4 + q]) < 1e-6);
      }
    }
    cap.dispose();
    assert.throws(() => layer.capture(x, { maxPatches: 4 }), /8 patches exceed maxPatches = 4/);
    assert.throws(() => layer.capture(x, { copy: 2 }), /capture\(copy\): expected an integer in \[0, 1\], got 2/);
  });
});

describe('summarizeModel', () => {
  it('splits parameters quantum / classical, with circuit executions and Dense/Conv2D FLOPs per sample', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [5, 5, 2], filters: 3, kernelSize: 2 }),
        tf.layers.dense({ units: 1 }),
        new QuantumConv2D({ kernelSize: 2, strides: 2, seed: 1 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2 }),
      ],
    });
    const s = summarizeModel(model);
    assert.deepEqual(s.rows.map((r) => r.kind), ['classical', 'classical', 'quantum', 'classical', 'classical']);
    assert.equal(s.totals.quantumParams, 8);
    assert.equal(s.totals.classicalParams, (2 * 2 * 2 * 3 + 3) + (3 + 1) + (16 * 2 + 2));
    assert.equal(s.totals.params, model.countParams());
    const [conv, front, q, , head] = s.rows;
    assert.equal(conv.flops, 4 * 4 * 3 * (2 * 8 + 1));
    assert.equal(front.flops, 4 * 4 * (2 * 3 + 1));
    assert.equal(head.flops, 2 * 16 * 2 + 2);
    assert.equal(q.qubits, 4);
    assert.deepEqual(q.circuits, { forward: 4, backward: 4 });
    assert.match(s.table, /Quantum params: 8 +Classical params: 65/);
    assert.match(s.table, /QuantumConv2D/);
  });
});
