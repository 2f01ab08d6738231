import { strict as assert } from 'assert';
import { ready, tf } from '../src/backend';
import { QuantumConv2D, QuantumConv2DArgs } from '../src/qkc';
import { fusedKernel, setFusedKernels } from '../src/qkc/run-kernel';
import { Rng } from '../src/util';
import { loadMnist } from '../src/data';
import { buildModel } from '../src/models';
import { train } from '../src/train';
import { bits } from './helpers/train-bits';

/** hybrid-small (seed 0) trained on 96 embedded digits, batch 32, by `diffMethod`, with the fused path on or off: loss and weight bits. */
async function trained(diffMethod: 'backprop' | 'parameter-shift', fused: boolean): Promise<{ loss: number; weights: number[][] }> {
  const was = setFusedKernels(fused);
  const model = buildModel('hybrid-small', 0);
  try {
    const r = await train(model, { train: loadMnist({ trainSize: 96, testSize: 10 }).train }, { epochs: 1, batchSize: 32, seed: 1, diffMethod, progress: 'none' });
    return { loss: r.history[0].loss, weights: model.getWeights().map((w) => bits(w.dataSync())) };
  } finally {
    model.dispose();
    setFusedKernels(was);
  }
}

/** Outputs, weight gradient and executions counted of a fresh layer (seed 5) on `x`, with the fused path on or off. */
function run(args: QuantumConv2DArgs, x: tf.Tensor4D, fused: boolean): { y: number[]; gw: number[]; executions: number; tookFused: boolean } {
  const was = setFusedKernels(fused);
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
      return { y: bits(y.dataSync()), gw: bits(gw.dataSync()), executions: layer.executions.total, tookFused };
    });
  } finally {
    setFusedKernels(was);
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
    it(`trains hybrid-small bit for bit as the op-by-op path (3 steps, ${method})`, async () => {
      const ops = await trained(method, false), fused = await trained(method, true);
      assert.equal(fused.loss, ops.loss, 'epoch loss');
      assert.deepEqual(fused.weights, ops.weights, 'trained weights');
    });
  }
});
