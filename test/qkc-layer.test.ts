import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, Observable, input, weight } from '../src/sim';
import { QuantumConv2D } from '../src/qkc';
import { referenceExpval, seededRandom } from './helpers/reference';

/** Window values of x[b] at output (i, j) in row, column, channel order, zero outside the image. */
function windowValues(x: number[][][][], b: number, top: number, left: number, kh: number, kw: number): number[] {
  const img = x[b], c = img[0][0].length, out: number[] = [];
  for (let r = 0; r < kh; r++) for (let q = 0; q < kw; q++) for (let ch = 0; ch < c; ch++) {
    const row = img[top + r], v = row === undefined ? undefined : row[left + q];
    out.push(v === undefined ? 0 : v[ch]);
  }
  return out;
}

/** Compares a layer's output with the reference simulation of `expected` patch by patch. */
function checkAgainstReference(
  layer: QuantumConv2D, xArr: number[][][][], expected: Circuit, observables: Observable[],
  geom: { kh: number; kw: number; stride: number; padTop: number; padLeft: number }, tol = 2e-5,
): void {
  const x = tf.tensor4d(xArr);
  const y = (layer.apply(x) as tf.Tensor4D).arraySync();
  const w = layer.getWeights()[0].arraySync() as number[] | number[][];
  const perFilter = (Array.isArray(w[0]) ? w : [w]) as number[][];
  const nObs = observables.length;
  assert.equal(y[0][0][0].length, perFilter.length * nObs, 'output channels = filters × observables');
  let checked = 0;
  y.forEach((img, b) => img.forEach((row, i) => row.forEach((cell, j) => {
    const values = windowValues(xArr, b, i * geom.stride - geom.padTop, j * geom.stride - geom.padLeft, geom.kh, geom.kw);
    perFilter.forEach((wf, f) => observables.forEach((o, k) => {
      const ref = referenceExpval(expected, o, wf, values);
      assert.ok(Math.abs(cell[f * nObs + k] - ref) < tol, `sample ${b} (${i},${j}) filter ${f} obs ${k}: ${cell[f * nObs + k]} vs ${ref}`);
      checked++;
    }));
  })));
  assert.ok(checked > 0);
  x.dispose();
}

const randomImages = (rand: () => number, b: number, h: number, w: number, c: number) =>
  Array.from({ length: b }, () => Array.from({ length: h }, () => Array.from({ length: w }, () => Array.from({ length: c }, () => rand()))));

describe('QuantumConv2D forward', () => {
  it('hardware-efficient kernel with RY encoding equals the float64 reference patch by patch (2 filters)', () => {
    const rand = seededRandom(11);
    const layer = new QuantumConv2D({ kernelSize: 2, strides: 1, filters: 2, layers: 2, seed: 3 });
    const c = new Circuit(4);
    for (let q = 0; q < 4; q++) c.ry(input(q, Math.PI), q);
    for (let l = 0; l < 2; l++) {
      for (let q = 0; q < 4; q++) c.ry(weight(l * 8 + 2 * q), q).rz(weight(l * 8 + 2 * q + 1), q);
      c.cx(0, 1).cx(1, 2).cx(2, 3).cx(3, 0);
    }
    checkAgainstReference(layer, randomImages(rand, 2, 3, 3, 1), c, ['Z0', 'Z1', 'Z2', 'Z3'], { kh: 2, kw: 2, stride: 1, padTop: 0, padLeft: 0 });
    assert.deepEqual(layer.getWeights()[0].shape, [2, 16]);
  });

  it('dense encoding of a multi-channel window with strongly-entangling layers (ranges 1, 2, 3)', () => {
    const rand = seededRandom(12);
    const layer = new QuantumConv2D({ kernelSize: 2, encoding: 'dense', ansatz: 'strongly-entangling', layers: 3, seed: 5 });
    // 2×2×2 window = 8 values (row, column, channel) → 4 qubits: RY(π·x_2q), RZ(π·x_2q+1).
    const c = new Circuit(4);
    for (let q = 0; q < 4; q++) c.ry(input(2 * q, Math.PI), q).rz(input(2 * q + 1, Math.PI), q);
    for (let l = 0; l < 3; l++) {
      for (let q = 0; q < 4; q++) c.rz(weight(12 * l + 3 * q), q).ry(weight(12 * l + 3 * q + 1), q).rz(weight(12 * l + 3 * q + 2), q);
      const r = (l % 3) + 1;
      for (let q = 0; q < 4; q++) c.cx(q, (q + r) % 4);
    }
    checkAgainstReference(layer, randomImages(rand, 2, 3, 3, 2), c, ['Z0', 'Z1', 'Z2', 'Z3'], { kh: 2, kw: 2, stride: 1, padTop: 0, padLeft: 0 });
    assert.deepEqual(layer.getWeights()[0].shape, [36]);
  });

  it("real-amplitudes with re-uploading, RX encoding and 'same' padding (zero-padded windows)", () => {
    const rand = seededRandom(13);
    const layer = new QuantumConv2D({ kernelSize: 2, strides: 2, padding: 'same', encoding: 'rx', ansatz: 'real-amplitudes', layers: 2, reupload: true, seed: 9 });
    const c = new Circuit(4);
    const enc = () => { for (let q = 0; q < 4; q++) c.rx(input(q, Math.PI), q); };
    let w = 0;
    for (let rep = 0; rep < 2; rep++) {
      enc();
      for (let q = 0; q < 4; q++) c.ry(weight(w++), q);
      c.cx(2, 3).cx(1, 2).cx(0, 1); // Qiskit's reverse_linear
    }
    for (let q = 0; q < 4; q++) c.ry(weight(w++), q);
    // 3×3 input, stride 2, 'same': output 2×2, total padding 1 → none at the top/left, one row/column at the bottom/right.
    checkAgainstReference(layer, randomImages(rand, 1, 3, 3, 1), c, ['Z0', 'Z1', 'Z2', 'Z3'], { kh: 2, kw: 2, stride: 2, padTop: 0, padLeft: 0 });
    assert.deepEqual((layer.apply(tf.zeros([1, 3, 3, 1])) as tf.Tensor).shape, [1, 2, 2, 4]);
  });

  it('runs a user circuit with Pauli-string observables (window values as input(i), layer weights as weight(j))', () => {
    const rand = seededRandom(14);
    const user = new Circuit(2).ry(input(0, 2), 0).ry(input(3), 1).cx(0, 1).rx(weight(0), 0).crz(weight(1), 0, 1).u3(weight(2), 0.3, weight(0), 1);
    const observables: Observable[] = ['X0 Z1', { terms: [[0.5, 'Y1'], [-0.25, 'Z0 Z1']] }, 'Z1'];
    const layer = new QuantumConv2D({ kernelSize: 2, circuit: user, observables, filters: 2, seed: 21 });
    checkAgainstReference(layer, randomImages(rand, 2, 3, 4, 1), user, observables, { kh: 2, kw: 2, stride: 1, padTop: 0, padLeft: 0 });
    assert.deepEqual(layer.getWeights()[0].shape, [2, 3]);
  });

  it('is seedable: the same seed gives the same weights, another seed different ones; init options apply', () => {
    const make = (seed: number, init?: 'zeros' | 'normal') => {
      const l = new QuantumConv2D({ kernelSize: 2, seed, init });
      l.build([null, 4, 4, 1]);
      return Array.from(l.getWeights()[0].dataSync());
    };
    assert.deepEqual(make(1), make(1));
    assert.notDeepEqual(make(1), make(2));
    assert.ok(make(1).every((v) => v >= 0 && v < 2 * Math.PI));
    assert.ok(make(1, 'zeros').every((v) => v === 0));
    assert.ok(make(1, 'normal').some((v) => v < 0));
  });

  it('setWeights changes the kernel the layer runs', () => {
    const layer = new QuantumConv2D({ kernelSize: 1, ansatz: 'real-amplitudes', layers: 1, seed: 1 });
    const x = tf.fill([1, 2, 2, 1], 0.5);
    layer.apply(x);
    // One qubit: RY(π/2)·RY(w1)·RY(w0) on |0⟩ gives ⟨Z⟩ = cos(π/2 + w0 + w1).
    layer.setWeights([tf.tensor1d([0.3, -0.1])]);
    const y = (layer.apply(x) as tf.Tensor).dataSync();
    y.forEach((v) => assert.ok(Math.abs(v - Math.cos(Math.PI / 2 + 0.2)) < 1e-5, `${v}`));
  });
});
