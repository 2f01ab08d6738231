import { strict as assert } from 'assert';
import { ready, tf } from '../src/backend';
import { QuantumConv2D, QuantumConv2DArgs } from '../src/qkc';
import { fusedKernel, setFusedKernels } from '../src/qkc/run-kernel';
import { lastFusedRows, setMergeZeroRows } from '../src/sim/compiled/fused-rows';
import { Rng } from '../src/util';
import { loadMnist } from '../src/data';
import { buildModel } from '../src/models';
import { train } from '../src/train';
import { bits } from './helpers/train-bits';

/** hybrid-small (seed 0) trained on 96 embedded digits, batch 32, by `diffMethod`, with the fused path on or off (all-zero rows merged or not): loss, weights and their bits. */
async function trained(diffMethod: 'backprop' | 'parameter-shift', fused: boolean, merge = false): Promise<{ loss: number; weights: number[][]; values: Float32Array[] }> {
  const was = setFusedKernels(fused), wasMerge = setMergeZeroRows(merge);
  const model = buildModel('hybrid-small', 0);
  try {
    const r = await train(model, { train: loadMnist({ trainSize: 96, testSize: 10 }).train }, { epochs: 1, batchSize: 32, seed: 1, diffMethod, progress: 'none' });
    const values = model.getWeights().map((w) => w.dataSync() as Float32Array);
    return { loss: r.history[0].loss, weights: values.map((v) => bits(v)), values };
  } finally {
    model.dispose();
    setFusedKernels(was);
    setMergeZeroRows(wasMerge);
  }
}

/** Outputs, weight gradient and executions counted of a fresh layer (seed 5) on `x`, with the fused path on or off (all-zero rows merged or not). */
function run(args: QuantumConv2DArgs, x: tf.Tensor4D, fused: boolean, merge = false): { y: number[]; gw: number[]; gwValues: Float32Array; executions: number; tookFused: boolean; computed: number } {
  const was = setFusedKernels(fused), wasMerge = setMergeZeroRows(merge);
  try {
    const layer = new QuantumConv2D({ ...args, seed: 5, inputGradients: false });
    layer.build(x.shape);
    const w = layer.trainableWeights[0].read() as tf.Variable;
    const rows = x.shape[0] * (layer.patchesPerSample() as number);
    const tookFused = fusedKernel(layer.kernelCircuit, layer.observables, rows, {
      diffMethod: layer.diffMethod, simulation: layer.simulation, inputGradients: false,
    }) !== undefined;
    return tf.tidy(() => {
      const y = layer.apply(x) as tf.Tensor;
      const dy = tf.tensor(Float32Array.from({ length: y.size }, (_, i) => Math.sin(i)), y.shape);
      const gw = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, dy)) as tf.Scalar, [w]).grads[w.name];
      return { y: bits(y.dataSync()), gw: bits(gw.dataSync()), gwValues: gw.dataSync() as Float32Array, executions: layer.executions.total, tookFused, computed: lastFusedRows.computed / lastFusedRows.rows };
    });
  } finally {
    setFusedKernels(was);
    setMergeZeroRows(wasMerge);
  }
}

describe('QuantumConv2D fused row path (one node on wasm; same bits as the op-by-op compiled path)', function () {
  this.timeout(120_000);
  before(async function () {
    if ((await ready()).tfBackend !== 'wasm') this.skip();
  });

  const rng = new Rng(3);
  const image = (shape: number[]) => tf.tensor4d(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next()), shape as [number, number, number, number]);
  const cases: Array<[string, QuantumConv2DArgs, number[]]> = [
    ['hybrid-small kernel: 2×2/2 windows, 2 layers, 14×14', { kernelSize: 2, strides: 2, layers: 2, diffMethod: 'backprop' }, [8, 14, 14, 1]],
    ['adjoint, 1×2 windows at stride 1 on 2 channels (overlapping windows)', { kernelSize: [1, 2], strides: 1, layers: 1, diffMethod: 'adjoint' }, [3, 4, 7, 2]],
    ['stride 1, odd size', { kernelSize: 2, strides: 1, layers: 2, diffMethod: 'backprop' }, [2, 5, 6, 1]],
    ['parameter-shift, hybrid-small kernel', { kernelSize: 2, strides: 2, layers: 2, diffMethod: 'parameter-shift' }, [8, 14, 14, 1]],
  ];
  for (const [name, args, shape] of cases) {
    it(`${name}: outputs, weight gradients and execution counts equal bit for bit`, () => {
      const x = image(shape);
      const ops = run(args, x, false), fused = run(args, x, true);
      assert.ok(fused.tookFused && !ops.tookFused, 'the fused path was taken (and not when off)');
      assert.deepEqual(fused.y, ops.y, 'outputs');
      assert.deepEqual(fused.gw, ops.gw, 'weight gradients');
      assert.equal(fused.executions, ops.executions, 'executions counted');
      x.dispose();
    });
  }

  it('leaves only its output tensor, and is not taken with input gradients', () => {
    const x = image([4, 14, 14, 1]);
    const layer = new QuantumConv2D({ kernelSize: 2, strides: 2, layers: 2, seed: 5, inputGradients: false, diffMethod: 'backprop' });
    layer.build(x.shape);
    (layer.apply(x) as tf.Tensor).dispose(); // compiles and keeps the circuit's constants
    const before = tf.memory().numTensors;
    const y = layer.apply(x) as tf.Tensor;
    assert.equal(tf.memory().numTensors, before + 1, 'the output only');
    y.dispose();
    const opts = { diffMethod: 'backprop' as const, simulation: 'auto' as const };
    assert.ok(fusedKernel(layer.kernelCircuit, layer.observables, 196, { ...opts, inputGradients: false }));
    assert.equal(fusedKernel(layer.kernelCircuit, layer.observables, 196, { ...opts, inputGradients: true }), undefined);
    assert.equal(fusedKernel(layer.kernelCircuit, layer.observables, 196, { ...opts, inputGradients: false, shots: 100 }), undefined);
    x.dispose();
  });

  it('rejects non-finite pixels with a clear error', () => {
    const layer = new QuantumConv2D({ kernelSize: 2, strides: 2, layers: 2, seed: 5, inputGradients: false });
    const x = tf.tensor4d([0, 0.5, NaN, 1], [1, 2, 2, 1]);
    assert.throws(() => layer.apply(x), /finite/);
    x.dispose();
  });

  for (const method of ['backprop', 'parameter-shift'] as const) {
    it(`trains hybrid-small bit for bit as the op-by-op path (3 steps, ${method}, zero rows not merged)`, async () => {
      const ops = await trained(method, false), fused = await trained(method, true);
      assert.equal(fused.loss, ops.loss, 'epoch loss');
      assert.deepEqual(fused.weights, ops.weights, 'trained weights');
    });
  }

  describe('all-zero rows merged (the default)', () => {
    // Images with a zero background: most windows all zero, some with a zero pixel, the rest random.
    const sparse = (shape: number[]) => tf.tidy(() => {
      const x = image(shape), n = shape.reduce((a, b) => a * b, 1);
      const mask = Float32Array.from({ length: n }, (_, i) => (Math.floor(i / 28) % 5 < 3 || i % 7 === 0 ? 0 : 1));
      return tf.mul(x, tf.tensor(mask, shape)) as tf.Tensor4D;
    });
    /** Largest |a − b| over the largest |b|. */
    const relErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      let d = 0, m = 0;
      for (let i = 0; i < b.length; i++) { d = Math.max(d, Math.abs(a[i] - b[i])); m = Math.max(m, Math.abs(b[i])); }
      return d / m;
    };
    for (const [name, args, shape] of cases) {
      it(`${name}: outputs bit for bit, weight gradients within float32 rounding`, () => {
        const x = sparse(shape);
        const ops = run(args, x, false), merged = run(args, x, true, true), unmerged = run(args, x, true, false);
        assert.ok(merged.tookFused, 'the fused path was taken');
        assert.ok(merged.computed < 0.7, `most all-zero rows merged (computed ${merged.computed} of the rows)`);
        assert.deepEqual(merged.y, ops.y, 'outputs');
        assert.deepEqual(unmerged.gw, ops.gw, 'unmerged: weight gradient bits');
        assert.ok(relErr(merged.gwValues, ops.gwValues) < 1e-5, `weight gradients: relative error ${relErr(merged.gwValues, ops.gwValues)}`);
        assert.notDeepEqual(merged.gw, new Array(merged.gw.length).fill(0), 'a non-zero gradient');
        assert.equal(merged.executions, ops.executions, 'executions counted');
        x.dispose();
      });
    }

    it('trains hybrid-small as the op-by-op path to float32 rounding (3 steps, backprop and parameter-shift, digits)', async () => {
      for (const method of ['backprop', 'parameter-shift'] as const) {
        const ops = await trained(method, false), merged = await trained(method, true, true);
        assert.ok(Math.abs(merged.loss - ops.loss) < 1e-5 * Math.abs(ops.loss), `${method}: epoch loss ${merged.loss} vs ${ops.loss}`);
        merged.values.forEach((v, i) => assert.ok(relErr(v, ops.values[i]) < 1e-4, `${method}: weight ${i}: relative error ${relErr(v, ops.values[i])}`));
      }
    });
  });
});
