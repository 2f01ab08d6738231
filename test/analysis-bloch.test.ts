// Bloch vectors of pooled qubits: a kernel without entangling gates leaves every kept qubit pure with
// z = cos(π·x) of its own pixel; an entangling kernel makes them shorter; blank patches sit at |0⟩.
import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { pooledBlochVectors } from '../src/analysis';
import { pooledBlochFigure } from '../src/figures';
import { QuantumConv2D } from '../src/qkc';
import { Circuit, input, weight } from '../src/sim';

/** 6 images 4×4: image i is constant v_i in its top-left 2×2 window, other windows blank except one ramp window. */
function images(): { x: tf.Tensor4D; labels: number[]; values: number[] } {
  const values = [0.1, 0.3, 0.5, 0.2, 0.7, 0.9];
  const data: number[] = [];
  values.forEach((v) => {
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) data.push(r < 2 && c < 2 ? v : 0);
  });
  return { x: tf.tensor4d(data, [6, 4, 4, 1]), labels: [0, 0, 0, 1, 1, 1], values };
}

describe('analysis: pooled Bloch vectors', () => {
  it('a product kernel keeps pooled qubits pure, z = cos(πx); blank patches are |0⟩', async () => {
    const { x, labels, values } = images();
    const circuit = new Circuit(4);
    for (let q = 0; q < 4; q++) circuit.ry(input(q, Math.PI), q);
    circuit.rz(weight(0), 1);
    const conv = new QuantumConv2D({ kernelSize: 2, strides: 2, circuit, seed: 1 });
    tf.tidy(() => { conv.apply(x); }); // builds the layer
    try {
      const b = await pooledBlochVectors(conv, x, { labels, samplesPerClass: 100 });
      assert.equal(b.images, 6);
      assert.equal(b.patchesPerImage, 4);
      assert.deepEqual(b.blank!.map((v) => v.map((c) => Math.round(c * 1e5) / 1e5 + 0)), b.kept.map(() => [0, 0, 1]));
      for (const q of b.qubits) {
        for (const c of q.byClass) {
          assert.equal(c.patches, 3, 'one non-blank patch per image');
          assert.ok(c.lengthQuartiles.every((l) => Math.abs(l - 1) < 1e-5), `pure: ${c.lengthQuartiles}`);
          const expected = values.filter((_, i) => labels[i] === c.label).reduce((a, v) => a + Math.cos(Math.PI * v), 0) / 3;
          assert.ok(Math.abs(c.mean[2] - expected) < 1e-5, `class ${c.label} qubit ${q.qubit}: z ${c.mean[2]} vs ${expected}`);
        }
      }
      assert.equal(b.samples.length, 2 * 3 * b.kept.length);
      const fig = pooledBlochFigure(b);
      assert.match(JSON.stringify(fig.layout), /z = ⟨Z⟩/);
    } finally {
      conv.dispose();
      x.dispose();
    }
  });

  it('an entangling kernel leaves the pooled qubits mixed (|r| < 1) and needs labels', async () => {
    const { x, labels } = images();
    const conv = new QuantumConv2D({ kernelSize: 2, strides: 2, layers: 2, seed: 4 });
    tf.tidy(() => { conv.apply(x); });
    try {
      const b = await pooledBlochVectors(conv, x, { labels });
      const lengths = b.qubits.flatMap((q) => q.byClass.map((c) => c.meanLength));
      assert.ok(lengths.every((l) => l <= 1 + 1e-6) && lengths.some((l) => l < 0.99), `lengths ${lengths}`);
      await assert.rejects(pooledBlochVectors(conv, x), /pooledBlochVectors\(labels\): expected class labels/);
    } finally {
      conv.dispose();
      x.dispose();
    }
  });
});
