// Two properties of the zoo's parameter counts (issue 13): every counted trainable quantum angle of every
// model changes the output (no idle angle is counted), and each design hybrid has a frozen-kernel twin whose
// quantum angles are the hybrid's initial ones, counted as frozen and never trained.
import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { loadMnist } from '../src/data';
import { MODELS, getModelSpec, parameterSplit } from '../src/models';
import { findQuantumLayers, train } from '../src/train';
import { idleQuantumAngles } from '../src/experiments/design-search';
import { buildKernelCircuit } from '../src/qkc';
import { expval, trailingPhaseWeights, withoutTrailingPhases } from '../src/sim';

describe('sim: trailing phases a Z read-out cannot see', () => {
  it('finds the last HEA layer\'s RZ angles (before the CNOT ring) and drops them without changing any ⟨Z⟩', () => {
    const { circuit } = buildKernelCircuit({ encoding: 'ry', nValues: 4, scale: Math.PI, ansatz: 'hardware-efficient', layers: 2, reupload: false, entanglement: 'linear' });
    assert.deepEqual(trailingPhaseWeights(circuit), [9, 11, 13, 15]);
    const pruned = withoutTrailingPhases(circuit);
    assert.equal(pruned.numWeights, 12);
    // Independent check by simulation: random data and angles, the kept angles passed in their new order.
    const inputs = tf.randomUniform([5, 4], 0, 1, 'float32', 3) as tf.Tensor2D;
    const w = Array.from({ length: 16 }, (_, i) => Math.sin(7 * i + 1) * 3);
    const kept = w.filter((_, i) => ![9, 11, 13, 15].includes(i));
    const obs = ['Z0', 'Z1', 'Z2', 'Z3', 'Z0 Z3'];
    const a = expval(circuit, obs, { inputs, weights: tf.tensor1d(w) }).arraySync();
    const b = expval(pruned, obs, { inputs, weights: tf.tensor1d(kept) }).arraySync();
    a.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - b[i][j]) < 1e-5, `sample ${i} ${obs[j]}: ${v} vs ${b[i][j]}`)));
    // Moving any removed angle does change ⟨X⟩: the angles are idle for Z read-outs only (the caller's condition).
    const w2 = [...w];
    w2[9] += 1;
    const [x1, x2] = [w, w2].map((ws) => expval(circuit, ['X0', 'X1', 'X2', 'X3'], { inputs, weights: tf.tensor1d(ws) }).arraySync().flat());
    assert.ok(x1.some((v, i) => Math.abs(v - x2[i]) > 1e-3));
    // A circuit ending in a non-diagonal rotation on every wire has nothing to drop.
    const ra = buildKernelCircuit({ encoding: 'ry', nValues: 4, scale: Math.PI, ansatz: 'real-amplitudes', layers: 2, reupload: false, entanglement: 'linear' }).circuit;
    assert.equal(withoutTrailingPhases(ra), ra);
  });
});

describe('models: every counted quantum angle matters', () => {
  it('for every model of the zoo, every trainable quantum angle has a nonzero gradient on random inputs', function () {
    this.timeout(300000);
    const idle: string[] = [];
    for (const spec of MODELS) {
      const model = spec.builder(1, { diffMethod: 'backprop' });
      // Random images and random labels: a generic loss, whose gradient vanishes only for an idle angle.
      const [x, y] = tf.tidy(() => [
        tf.randomUniform([3, ...(model.inputs[0].shape.slice(1) as number[])], 0, 1, 'float32', 7),
        tf.oneHot(tf.tensor1d([1, 4, 7], 'int32'), model.outputs[0].shape[1] as number),
      ]);
      try {
        const n = idleQuantumAngles(model, x, y);
        if (n > 0) idle.push(`${spec.name}: ${n} of ${parameterSplit(model).quantum} counted quantum angles have no gradient`);
      } finally {
        tf.dispose([x, y]);
        model.dispose();
      }
    }
    assert.deepEqual(idle, [], `idle angles are counted as parameters:\n${idle.join('\n')}`);
  });
});

describe('models: frozen-kernel twins', () => {
  const designHybrids = MODELS.filter((m) => m.design && !m.design.frozenQuantum);

  it('every design hybrid has <name>-frozen: same controls, its quantum angles counted as frozen, the classical part as trainable', () => {
    assert.ok(designHybrids.length >= 4);
    for (const h of designHybrids) {
      const f = getModelSpec(`${h.name}-frozen`);
      assert.equal(f.family, 'hybrid');
      assert.deepEqual(f.controls, h.controls);
      const [hm, fm] = [h.builder(3), f.builder(3)];
      try {
        const [hs, fs] = [parameterSplit(hm), parameterSplit(fm)];
        assert.ok(hs.quantum > 0, h.name);
        assert.deepEqual(fs, { quantum: 0, classical: hs.classical, total: hs.classical, frozenQuantum: hs.quantum }, f.name);
        assert.equal(hs.frozenQuantum, undefined, 'a trainable hybrid has no frozen angles');
        // Seed for seed the same initial weights, quantum angles included (the frozen values are the hybrid's start).
        // (Layer by layer: a model lists trainable weights before frozen ones, so its flat order differs.)
        assert.equal(hm.layers.length, fm.layers.length);
        hm.layers.forEach((layer, i) => {
          const [hw, fw] = [layer.getWeights(), fm.layers[i].getWeights()];
          assert.equal(hw.length, fw.length);
          hw.forEach((w, j) => assert.deepEqual(Array.from(fw[j].dataSync()), Array.from(w.dataSync()), `${f.name} layer ${i} weight ${j}`));
        });
      } finally {
        hm.dispose();
        fm.dispose();
      }
    }
  });

  it('a frozen kernel adds no gradient circuits (nothing trainable precedes it), its trainable twin does', () => {
    const backward = (name: string): number | undefined => {
      const m = getModelSpec(name).builder(0, { diffMethod: 'parameter-shift' });
      try {
        return (findQuantumLayers(m)[0] as unknown as { cost(): { perSample: { backward: number } | null } }).cost().perSample?.backward;
      } finally {
        m.dispose();
      }
    };
    assert.equal(backward('hybrid-small'), 49 * 2 * 12);
    assert.equal(backward('hybrid-small-frozen'), 0);
  });

  it('training moves the classical weights and leaves the frozen angles where they started', async function () {
    this.timeout(120000);
    const data = loadMnist({ trainSize: 40, testSize: 10 });
    const model = getModelSpec('hybrid-kpool-frozen').builder(0, { diffMethod: 'backprop' });
    try {
      const angles = () => findQuantumLayers(model).flatMap((l) => l.weights.map((w) => Array.from(w.read().dataSync())));
      const classical = () => Array.from(model.layers[model.layers.length - 1].getWeights()[0].dataSync());
      const [a0, c0] = [angles(), classical()];
      await train(model, { train: data.train }, { epochs: 1, batchSize: 8, learningRate: 0.01, quantumLearningRate: 0.1, progress: 'none', diffMethod: 'backprop' });
      assert.deepEqual(angles(), a0, 'frozen angles unchanged');
      assert.notDeepEqual(classical(), c0, 'the classical head trained');
    } finally {
      model.dispose();
    }
  });
});
