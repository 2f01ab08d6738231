import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { QuantumConv2D } from '../src/qkc';

const x = () => tf.tensor4d([0.1, 0.9, 0.4, 0.6, 0.3, 0.2, 0.8, 0.5, 0.7], [1, 3, 3, 1]);

describe('QuantumConv2D shots and noise', () => {
  it('finite shots estimate the exact outputs; parameter-shift differentiates them, other methods refuse', () => {
    const exact = new QuantumConv2D({ kernelSize: 2, seed: 6, name: 'exact' });
    const shot = new QuantumConv2D({ kernelSize: 2, seed: 6, shots: 4000, diffMethod: 'parameter-shift', name: 'shot' });
    const e = (exact.apply(x()) as tf.Tensor).dataSync();
    const s = (shot.apply(x()) as tf.Tensor).dataSync();
    // Standard error of a ±1 mean over 4000 shots is at most 1/√4000 ≈ 0.016.
    e.forEach((v, i) => assert.ok(Math.abs(v - s[i]) < 0.08, `⟨Z⟩ exact ${v} vs 4000 shots ${s[i]}`));
    assert.ok(e.some((v, i) => v !== s[i]), 'shots give estimates, not the exact values');
    const grad = (l: QuantumConv2D) => tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(l.apply(x()) as tf.Tensor) as tf.Scalar, [l.trainableWeights[0].read() as tf.Variable]);
      return Object.values(grads)[0].dataSync();
    });
    const ge = grad(exact), gs = grad(shot);
    ge.forEach((v, i) => assert.ok(Math.abs(v - gs[i]) < 0.3, `weight ${i}: exact ${v} vs shot-based ${gs[i]}`));
    shot.diffMethod = 'adjoint';
    assert.doesNotThrow(() => shot.apply(x()), 'forward with shots works with any diffMethod');
    assert.throws(() => grad(shot), /shots: gradients of finite-shot estimates need diffMethod 'parameter-shift' \(got 'adjoint'\)/);
  });

  it('noise runs on the density-matrix simulator: zero noise equals the noiseless layer, depolarizing shrinks ⟨Z⟩', () => {
    const clean = (new QuantumConv2D({ kernelSize: 2, seed: 2 }).apply(x()) as tf.Tensor).dataSync();
    const zero = (new QuantumConv2D({ kernelSize: 2, seed: 2, noise: { channels: [{ channel: 'depolarizing', p: 0 }] } }).apply(x()) as tf.Tensor).dataSync();
    clean.forEach((v, i) => assert.ok(Math.abs(v - zero[i]) < 1e-5, `${v} vs ${zero[i]}`));
    const noisyLayer = new QuantumConv2D({ kernelSize: 2, seed: 2, noise: { channels: [{ channel: 'depolarizing', p: 0.2 }] } });
    const noisy = (noisyLayer.apply(x()) as tf.Tensor).dataSync();
    noisy.forEach((v, i) => assert.ok(Math.abs(v) < Math.abs(clean[i]) + 1e-6, `|${v}| ≤ |${clean[i]}|`));
    assert.ok(noisy.some((v, i) => Math.abs(v) < Math.abs(clean[i]) - 1e-3));
    // Backprop differentiates the density simulation; parameter-shift is refused on the backward pass.
    const g = tf.tidy(() => Object.values(tf.variableGrads(() => tf.sum(noisyLayer.apply(x()) as tf.Tensor) as tf.Scalar).grads)[0].dataSync());
    assert.ok(g.some((v) => Math.abs(v) > 1e-4));
    noisyLayer.diffMethod = 'parameter-shift';
    assert.throws(() => tf.variableGrads(() => tf.sum(noisyLayer.apply(x()) as tf.Tensor) as tf.Scalar),
      /noise: gradients of noisy \(density-matrix\) runs are available with diffMethod 'backprop'/);
    assert.equal(noisyLayer.cost().noisy, true);
  });
});
