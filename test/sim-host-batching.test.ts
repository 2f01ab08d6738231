import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { expval } from '../src/sim';
import { scalingCircuit as scaling } from '../bench/peers';
import { differentiableExpval } from '../src/sim/gradients/differentiable';
import { explainExecution } from '../src/sim/execution/choose';
import { CALL_OVERHEAD_BYTES } from '../src/sim/execution/memory';
import { forceHostBatching, hostBatching, HostBatchingOverride, HOST_KEEP_STATES_AMPLITUDES } from '../src/sim/execution/host-batching';

describe('host executor: walking a batch in chunks, keeping or recomputing the final states', function () {
  this.timeout(60_000);
  const n = 8, B = 7, dim = 2 ** n;
  const circuit = scaling(n), obs = Array.from({ length: n }, (_, q) => `Z${q}`);
  const x = tf.tensor2d(Array.from({ length: B }, (_, b) => Array.from({ length: n }, (_, q) => ((b * 7 + q * 3) % 11) / 11)));
  // A loss weighting every output differently, so that each row's cotangent differs.
  const mix = tf.tensor2d(Array.from({ length: B }, (_, b) => Array.from({ length: n }, (_, q) => Math.cos(1 + b + 2 * q))));

  /** Outputs, weight gradient and input gradient of Σ mix·f under the walk `walk`, as plain arrays. */
  function run(f: (xs: tf.Tensor2D, ws: tf.Tensor1D) => tf.Tensor2D, walk: HostBatchingOverride | undefined) {
    const before = forceHostBatching(walk);
    try {
      return tf.tidy(() => {
        const w = tf.tensor1d(Array.from({ length: 4 * n }, (_, k) => 0.4 * Math.sin(3 * k + 1)));
        const out = Array.from(f(x, w).dataSync());
        const [gx, gw] = tf.grads((xs: tf.Tensor, ws: tf.Tensor) => tf.sum(tf.mul(mix, f(xs as tf.Tensor2D, ws as tf.Tensor1D))))([x, w]);
        return { out, gw: Array.from(gw.dataSync()), gx: Array.from(gx.dataSync()) };
      });
    } finally {
      forceHostBatching(before);
    }
  }

  const walks: Record<string, HostBatchingOverride> = {
    'one row per chunk, states recomputed': { chunkAmplitudes: dim, keepAmplitudes: 0 },
    'chunks of 3 rows (3 + 3 + 1), states kept': { chunkAmplitudes: 3 * dim },
    'chunks of 2 rows, states recomputed': { chunkAmplitudes: 2 * dim, keepAmplitudes: 0 },
  };
  const paths: Record<string, (xs: tf.Tensor2D, ws: tf.Tensor1D) => tf.Tensor2D> = {
    adjoint: differentiableExpval(circuit, obs, { diffMethod: 'adjoint', executor: 'host' }),
    'default expval': (xs, ws) => expval(circuit, obs, { inputs: xs, weights: ws, executor: 'host' }),
  };

  for (const [path, f] of Object.entries(paths)) {
    it(`${path}: every walk gives the unchunked run's outputs and gradients`, () => {
      // The whole batch as one chunk with its states kept (the rule's choice at this size).
      assert.deepEqual(hostBatching(n, B, true), { chunkRows: B, keptRows: B });
      const whole = run(f, undefined);
      assert.ok(whole.gw.some((v) => Math.abs(v) > 1e-3) && whole.gx.some((v) => Math.abs(v) > 1e-3), 'non-trivial gradients');
      for (const [name, walk] of Object.entries(walks)) {
        const got = run(f, walk);
        // Same float64 kernel per row, rows summed in the same order: the same numbers.
        for (const k of ['out', 'gw', 'gx'] as const) {
          got[k].forEach((v, i) => assert.ok(Math.abs(v - whole[k][i]) <= 1e-6 * Math.max(1, Math.abs(whole[k][i])), `${name}, ${k}[${i}]: ${v} vs ${whole[k][i]}`));
        }
      }
    });
  }

  it('keeps all final states up to HOST_KEEP_STATES_AMPLITUDES where they fit under the limit, else none', () => {
    assert.equal(HOST_KEEP_STATES_AMPLITUDES, 2 ** 26);
    assert.deepEqual(hostBatching(20, 64, true), { chunkRows: 1, keptRows: 64 });
    assert.deepEqual(hostBatching(20, 64, false), { chunkRows: 1, keptRows: 0 });
    assert.deepEqual(hostBatching(20, 65, true), { chunkRows: 1, keptRows: 0 });
    assert.deepEqual(hostBatching(20, 64, true, 512 * 2 ** 20), { chunkRows: 1, keptRows: 0 });
    assert.deepEqual(hostBatching(18, 64, true), { chunkRows: 4, keptRows: 64 });
    // The guard counts the kept states: 20 × 64 with a gradient holds 2^26 kept amplitudes and one more
    // row (the cotangent), a row of probabilities and a row of permutation scratch (float64: 16 bytes
    // per amplitude, probabilities 8), and the working allowance.
    const c20 = scaling(20);
    const kept = explainExecution({ circuit: c20, batch: 64, diffMethod: 'adjoint' });
    assert.equal(kept.bytes, 16 * (2 ** 26 + 2 ** 20) + 8 * 2 ** 20 + 16 * 2 ** 20 + CALL_OVERHEAD_BYTES);
    // Under a smaller limit the same run keeps nothing (recomputes) instead of being refused.
    const lean = explainExecution({ circuit: c20, batch: 64, diffMethod: 'adjoint', maxStateBytes: 256 * 2 ** 20 });
    assert.equal(lean.bytes, 16 * 2 * 2 ** 20 + 8 * 2 ** 20 + 16 * 2 ** 20 + CALL_OVERHEAD_BYTES);
    // 25 qubits × 2 rows would keep 2^26 amplitudes, but not beside the rest under 2 GiB: admitted, recomputing.
    const c25 = explainExecution({ circuit: scaling(25), batch: 2, diffMethod: 'adjoint', maxStateBytes: 2 * 2 ** 30 });
    assert.equal(c25.bytes, 16 * 2 * 2 ** 25 + 8 * 2 ** 25 + 16 * 2 ** 25 + CALL_OVERHEAD_BYTES);
  });

  after(() => tf.dispose([x, mix]));
});
