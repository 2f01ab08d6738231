import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, canCompile, input, weight } from '../src/sim';
import { QuantumConv2D, QuantumConv2DArgs } from '../src/qkc';

/** Outputs and gradients (w.r.t. weights and the input image) of a layer on x. */
function run(args: QuantumConv2DArgs, x: tf.Tensor4D): { y: Float32Array; gw: Float32Array; gx: Float32Array; layer: QuantumConv2D } {
  const layer = new QuantumConv2D({ ...args, seed: 17 });
  layer.build(x.shape);
  const w = layer.trainableWeights[0].read() as tf.Variable;
  const y = (layer.apply(x) as tf.Tensor).dataSync() as Float32Array;
  const [gw, gx] = tf.tidy(() => {
    const f = (xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx) as tf.Tensor, tf.linspace(-1, 1, y.length).reshape((layer.apply(xx) as tf.Tensor).shape)));
    const gWeights = tf.variableGrads(() => f(x) as tf.Scalar, [w]).grads[w.name];
    return [gWeights.dataSync() as Float32Array, tf.grad(f)(x).dataSync() as Float32Array];
  });
  return { y, gw, gx, layer };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) => {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

describe('QuantumConv2D fast path', () => {
  let x: tf.Tensor4D;
  before(() => { x = tf.randomUniform([2, 4, 4, 2], 0, 1, 'float32', 9) as tf.Tensor4D; });
  after(() => x.dispose());
  const user = new Circuit(3).ry(input(0, Math.PI), 0).rx(input(1), 1).ry(input(5), 2).h(2).cx(0, 1).rz(weight(0), 1).cry(weight(1), 1, 2).u3(weight(2), weight(0), 0.4, 0);
  const cases: Array<[string, QuantumConv2DArgs, boolean]> = [
    ['hardware-efficient, 2 filters', { kernelSize: 2, strides: 2, filters: 2, layers: 2 }, true],
    ['strongly-entangling, dense multi-channel encoding', { kernelSize: 2, encoding: 'dense', ansatz: 'strongly-entangling', layers: 2 }, true],
    ['user circuit with X/Y observables', { kernelSize: 2, strides: 2, circuit: user, observables: ['X0 Z1', 'Y2', { terms: [[0.5, 'Z0'], [0.5, 'X1 X2']] }] }, true],
    ['re-uploading (not compilable: falls back)', { kernelSize: 2, strides: 2, ansatz: 'real-amplitudes', layers: 2, reupload: true }, false],
  ];
  for (const [name, args, compiles] of cases) {
    it(`${name}: 'auto' equals 'gate-by-gate' in outputs and gradients (weights and inputs)`, () => {
      const fast = run({ ...args, simulation: 'auto' }, x);
      const slow = run({ ...args, simulation: 'gate-by-gate' }, x);
      assert.equal(canCompile(fast.layer.kernelCircuit).ok, compiles, 'compilability of the kernel');
      close(fast.y, slow.y, 2e-5, 'output');
      close(fast.gw, slow.gw, 2e-4, 'weight gradient');
      close(fast.gx, slow.gx, 2e-4, 'input gradient');
    });
  }
});
