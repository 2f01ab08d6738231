import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, input } from '../src/sim';
import { reducedDensityMatrix } from '../src/inspect';
import { DIFF_METHODS, QuantumConv2D, buildKernelCircuit, summarizeModel } from '../src/qkc';
import { findQuantumLayers, isQuantumLayer } from '../src/train';
import { PoolBlockName, QuantumPooling, QuantumPoolingArgs, poolKernel } from '../src/pooling';
import { referenceExpval, referenceState, seededRandom } from './helpers/reference';
import { assertClose, densityToHost, naivePartialTrace, outer } from './inspect-helpers';

const randomMaps = (rand: () => number, b: number, h: number, w: number, c: number, lo = 0, hi = 1): number[][][][] =>
  Array.from({ length: b }, () => Array.from({ length: h }, () => Array.from({ length: w }, () => Array.from({ length: c }, () => lo + (hi - lo) * rand()))));

/** The layer's circuit written independently: RY(π·v) encoding, then poolKernel's stage. */
function referenceCircuit(n: number, args: Parameters<typeof poolKernel>[1]): { circuit: Circuit; observables: string[] } {
  const enc = new Circuit(n);
  for (let q = 0; q < n; q++) enc.ry(input(q, Math.PI), q);
  const p = poolKernel(enc, args);
  return { circuit: p.circuit, observables: p.observables.map((o) => (typeof o === 'string' ? o : o.terms.map(([c, s]) => `${c}*${s}`).join(' + '))) };
}

/** Checks every output of `layer` on x against the reference, neighbourhood by neighbourhood. */
function checkForward(layer: tf.layers.Layer, xArr: number[][][][], ref: { circuit: Circuit; observables: string[] }, k: number, squash = (v: number) => v): void {
  const x = tf.tensor4d(xArr);
  const y = (layer.apply(x) as tf.Tensor4D).arraySync();
  const w = layer.getWeights().length ? Array.from(layer.getWeights()[0].dataSync()) : [];
  const nObs = ref.observables.length;
  const channels = xArr[0][0][0].length;
  assert.equal(y[0][0][0].length, channels * nObs);
  let checked = 0;
  y.forEach((img, b) => img.forEach((row, i) => row.forEach((cell, j) => {
    for (let ch = 0; ch < channels; ch++) {
      const values: number[] = [];
      for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) values.push(squash(xArr[b][i * k + r][j * k + c][ch]));
      ref.observables.forEach((o, m) => {
        const e = referenceExpval(ref.circuit, o, w, values);
        assert.ok(Math.abs(cell[ch * nObs + m] - e) < 3e-5, `(${b},${i},${j}) channel ${ch} obs ${o}: ${cell[ch * nObs + m]} vs ${e}`);
        checked++;
      });
    }
  })));
  assert.ok(checked > 0);
  x.dispose();
}

describe('QuantumPooling forward', () => {
  it("'hur' 2×2 → 1 qubit, ⟨Z⟩ per channel, equals the float64 reference per neighbourhood", () => {
    const layer = new QuantumPooling({ block: 'hur', seed: 7 });
    checkForward(layer, randomMaps(seededRandom(1), 2, 4, 6, 2), referenceCircuit(4, { block: 'hur', keep: 1 }), 2);
    assert.deepEqual(layer.computeOutputShape([null, 4, 6, 2]), [null, 2, 3, 2]);
  });

  it("Bloch read-out of 2 kept qubits with per-pair 'qiskit' parameters and sigmoid squashing", () => {
    const layer = new QuantumPooling({ block: 'qiskit', keep: 2, readout: 'bloch', sharing: 'per-pair', squash: 'sigmoid', seed: 2 });
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    checkForward(layer, randomMaps(seededRandom(2), 1, 4, 4, 2, -3, 3), referenceCircuit(4, { block: 'qiskit', keep: 2, readout: 'bloch', sharing: 'per-pair' }), 2, sig);
    assert.deepEqual(layer.getWeights()[0].shape, [6]);
  });

  it("custom observables in kept-qubit numbering with 'measure-condition' and 'tfq'", () => {
    for (const block of ['measure-condition', 'tfq'] as const) {
      const layer = new QuantumPooling({ block, keep: 2, observables: ['Z0 Z1', 'X1'], seed: 3 });
      checkForward(layer, randomMaps(seededRandom(3), 1, 2, 4, 1), { circuit: layer.pooling.circuit, observables: ['Z0 Z2', 'X2'] }, 2);
    }
  });

  it("'trace-out' reads the kept value alone: ⟨Z⟩ = cos(π·v) of each neighbourhood's top-left value", () => {
    const xArr = randomMaps(seededRandom(4), 1, 4, 4, 1);
    const layer = new QuantumPooling({ block: 'trace-out' });
    const y = layer.apply(tf.tensor4d(xArr)) as tf.Tensor4D;
    const expected = [0, 1].flatMap((i) => [0, 1].map((j) => Math.cos(Math.PI * xArr[0][2 * i][2 * j][0])));
    assertClose(y.dataSync(), expected, 2e-6, 'trace-out');
    assert.equal(layer.getWeights().length, 0);
    y.dispose();
  });

  it("values outside [0, 1]: 'none' wraps the angle (v and −v agree), 'clip' clips, 'sigmoid' squashes", () => {
    const v = [-0.3, 1.7, 0.3, -1.7];
    const x = tf.tensor4d(v.flatMap((a) => [a, 0, 0, 0]), [4, 2, 2, 1]); // each sample's kept (top-left) value is v[b]
    const run = (squash: 'none' | 'clip' | 'sigmoid') => {
      const y = new QuantumPooling({ block: 'trace-out', squash }).apply(x) as tf.Tensor;
      const out = Array.from(y.dataSync());
      y.dispose();
      return out;
    };
    assertClose(run('none'), v.map((a) => Math.cos(Math.PI * a)), 2e-6, 'none');
    assertClose(run('clip'), v.map((a) => Math.cos(Math.PI * Math.min(1, Math.max(0, a)))), 2e-6, 'clip');
    assertClose(run('sigmoid'), v.map((a) => Math.cos(Math.PI / (1 + Math.exp(-a)))), 2e-6, 'sigmoid');
    x.dispose();
  });

  it("every block gives the same outputs on the compiled fast path ('auto') and gate by gate", () => {
    const x = tf.tensor4d(randomMaps(seededRandom(12), 2, 4, 4, 2));
    for (const block of ['hur', 'qiskit', 'tfq', 'measure-condition', 'trace-out'] as const) {
      const args: QuantumPoolingArgs = { block, keep: 2, readout: 'bloch', sharing: 'per-pair', seed: 9 };
      const a = new QuantumPooling({ ...args, simulation: 'auto' }).apply(x) as tf.Tensor;
      const b = new QuantumPooling({ ...args, simulation: 'gate-by-gate' }).apply(x) as tf.Tensor;
      assertClose(a.dataSync(), b.dataSync(), 2e-5, block);
      tf.dispose([a, b]);
    }
    x.dispose();
  });

  it('noise runs the density path (zero noise = noiseless; depolarizing shrinks the Bloch vector); shots estimate', () => tf.tidy(() => {
    const x = tf.tensor4d(randomMaps(seededRandom(14), 1, 2, 2, 1));
    const args: QuantumPoolingArgs = { block: 'hur', readout: 'bloch', seed: 3 };
    const exact = Array.from((new QuantumPooling(args).apply(x) as tf.Tensor).dataSync());
    const zero = new QuantumPooling({ ...args, noise: { channels: [{ channel: 'depolarizing', p: 0 }] } }).apply(x) as tf.Tensor;
    assertClose(zero.dataSync(), exact, 2e-5, 'zero noise');
    const noisy = Array.from((new QuantumPooling({ ...args, noise: { channels: [{ channel: 'depolarizing', p: 0.2 }] } }).apply(x) as tf.Tensor).dataSync());
    const norm = (v: number[]) => Math.hypot(...v);
    assert.ok(norm(noisy) < norm(exact) - 1e-3, `noisy |r| ${norm(noisy)} < exact |r| ${norm(exact)}`);
    const shots = Array.from((new QuantumPooling({ ...args, shots: 4000 }).apply(x) as tf.Tensor).dataSync());
    assertClose(shots, exact, 0.08, 'shots ≈ exact (4000 shots, > 5σ)');
  }));

  it('leaves no tensors behind after a forward pass', () => {
    const layer = new QuantumPooling({ block: 'measure-condition', readout: 'bloch', seed: 1 });
    const x = tf.zeros([2, 4, 4, 2]);
    (layer.apply(x) as tf.Tensor).dispose();
    const before = tf.memory().numTensors;
    (layer.apply(x) as tf.Tensor).dispose();
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });

  it("is quantum only: 'avg' / 'max' are refused with the tfjs pooling layer to use; a quantum block is a quantum layer", () => {
    assert.throws(() => new QuantumPooling({ block: 'avg' as PoolBlockName }), /block: expected a quantum pool block .*got 'avg'; classical pooling is tf\.layers\.averagePooling2d/);
    assert.throws(() => new QuantumPooling({ block: 'max' as PoolBlockName }), /got 'max'; classical pooling is tf\.layers\.maxPooling2d/);
    const build = (block: QuantumPoolingArgs['block']) => {
      const pool = new QuantumPooling({ block, inputShape: [4, 4, 2], seed: 1 });
      return { pool, model: tf.sequential({ layers: [pool, tf.layers.flatten(), tf.layers.dense({ units: 2 })] }) };
    };
    const { pool, model } = build('hur');
    assert.equal(isQuantumLayer(pool), true);
    assert.deepEqual(findQuantumLayers(model), [pool]);
    assert.equal(summarizeModel(model).rows.find((r) => r.name === pool.name)?.kind, 'quantum');
    model.dispose();
  });
});

describe('QuantumPooling gradients', () => {
  const rand = seededRandom(9);
  const xData = Array.from({ length: 2 * 4 * 4 * 2 }, () => 2 * rand() - 1);
  const coeff = Array.from({ length: 2 * 2 * 2 * 12 }, () => rand() - 0.5);

  for (const method of DIFF_METHODS) {
    it(`${method}: weight and input gradients through the layer match central finite differences`, () => {
      const layer = new QuantumPooling({ block: 'hur', keep: 2, readout: 'bloch', sharing: 'per-stage', squash: 'sigmoid', seed: 5, diffMethod: method });
      const x = tf.variable(tf.tensor4d(xData, [2, 4, 4, 2]));
      const c = tf.tensor4d(coeff, [2, 2, 2, 12]);
      layer.build(x.shape); // create the weights before variableGrads collects the trainable variables
      const loss = () => tf.tidy(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, c)) as tf.Scalar);
      const { grads } = tf.variableGrads(loss);
      const wv = layer.trainableWeights[0].read() as tf.Variable;
      const eps = 1e-2;
      let compared = 0;
      const checks: Array<[tf.Variable, number[]]> = [[wv, [0, 1]], [x as tf.Variable, [0, 5, 17, 30, 63]]];
      for (const [v, idx] of checks) {
        const g = grads[v.name].dataSync();
        const base = v.dataSync().slice();
        for (const i of idx) {
          const at = (d: number) => {
            const p = base.slice(); p[i] += d;
            v.assign(tf.tensor(p, v.shape));
            const l = loss(); const val = l.dataSync()[0]; l.dispose();
            return val;
          };
          const fd = (at(eps) - at(-eps)) / (2 * eps);
          v.assign(tf.tensor(base, v.shape));
          assert.ok(Math.abs(fd - g[i]) < 2e-3 + 1e-2 * Math.abs(fd), `${v.name}[${i}]: analytic ${g[i]} vs finite difference ${fd}`);
          compared++;
        }
      }
      assert.ok(compared === 7);
      assert.ok(Math.abs(grads[wv.name].dataSync()[0]) > 1e-4, 'a real weight gradient');
      assert.ok(layer.executions.backward > 0, 'backward executions counted');
      tf.dispose([x, c, ...Object.values(grads)]);
    });
  }
});

describe('QuantumPooling serialization, cost and capture', () => {
  it('round-trips through model.save / tf.loadLayersModel with identical predictions and config', async () => {
    const args: QuantumPoolingArgs = {
      block: 'measure-condition', keep: 2, sharing: 'per-pair', observables: ['X0', 'Z0 Z1'], squash: 'sigmoid',
      encodingScale: 2.5, diffMethod: 'parameter-shift', seed: 11, name: 'qpool',
    };
    const model = tf.sequential({ layers: [new QuantumPooling({ ...args, inputShape: [4, 4, 2] }), tf.layers.flatten(), tf.layers.dense({ units: 1 })] });
    const x = tf.tensor4d(randomMaps(seededRandom(6), 3, 4, 4, 2, -1, 1));
    const before = model.predict(x) as tf.Tensor;
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    const after = loaded.predict(x) as tf.Tensor;
    assertClose(after.dataSync(), before.dataSync(), 0, 'predictions');
    const q = loaded.layers[0] as QuantumPooling;
    assert.ok(q instanceof QuantumPooling);
    const { name: _n, ...cfg } = q.getConfig();
    const { name: _m, ...orig } = (model.layers[0] as QuantumPooling).getConfig();
    assert.deepEqual(cfg, orig);
    assert.equal(q.block, 'measure-condition');
    assert.equal(q.diffMethod, 'parameter-shift');
    assert.deepEqual(q.observables, (model.layers[0] as QuantumPooling).observables);
    tf.dispose([x, before, after]);
  });

  it('reports cost by the circuit: qubits, parameters, depth and executions per diffMethod', () => {
    const layer = new QuantumPooling({ block: 'hur', seed: 1, diffMethod: 'parameter-shift' });
    const before = layer.cost();
    assert.equal(before.perSample, null, 'unknown before build');
    layer.build([null, 4, 4, 3]);
    const c = layer.cost();
    assert.equal(c.qubits, 4);
    assert.equal(c.trainableParams, 2);
    assert.deepEqual(c.gateCounts, { ry: 4, crz: 3, x: 3, crx: 3 });
    // 3 blocks × 2 four-term controlled rotations × 2 = 12 weight shifts; 4 encoding angles.
    assert.deepEqual(c.shiftedParameters, { weights: 12, inputs: 4 });
    assert.deepEqual(c.perPatch, { forward: 1, backward: 2 * 16 });
    assert.equal(c.patchesPerSample, 2 * 2 * 3);
    assert.deepEqual(c.perSample, { forward: 12, backward: 12 * 32 });
    layer.diffMethod = 'adjoint';
    assert.deepEqual(layer.cost().perPatch, { forward: 1, backward: 1 });
    const bloch = new QuantumPooling({ block: 'trace-out', readout: 'bloch' });
    assert.equal(bloch.cost().measurementBases, 3, 'X, Y and Z need three bases');
    const y = layer.apply(tf.zeros([2, 4, 4, 3])) as tf.Tensor;
    assert.equal(layer.executions.forward, 2 * 12);
    assert.equal(layer.circuitExecutions(2, 'forward'), 24);
    y.dispose();
  });

  it('captures the pre-pool state and the kept qubit’s reduced state without changing forward results', () => {
    const xArr = randomMaps(seededRandom(8), 2, 4, 4, 2);
    const x = tf.tensor4d(xArr);
    for (const block of ['hur', 'trace-out'] as const) {
      const layer = new QuantumPooling({ block, seed: 4 });
      const y1 = layer.apply(x) as tf.Tensor;
      const cap = layer.capture(x);
      const y2 = layer.apply(x) as tf.Tensor;
      assertClose(y2.dataSync(), y1.dataSync(), 0, 'forward unchanged');
      assert.deepEqual(cap.grid, [2, 2, 2, 2]);
      assert.deepEqual(cap.stages.map((s) => s.name), ['encoded', 'pooled']);
      assert.deepEqual(cap.kept, [0]);
      assert.deepEqual(cap.pooled.re.shape, [16, 2, 2]);
      assertClose(cap.outputs.dataSync(), y1.dataSync(), 1e-6, 'capture outputs = call outputs');
      // ⟨Z⟩ from the pooled reduced state equals the layer's output.
      const rho = densityToHost(cap.pooled);
      assertClose(rho.map((m) => m.re[0][0] - m.re[1][1]), y1.dataSync(), 2e-6, 'Tr(ρ Z)');
      // The pre-pool state is the encoding: row 0 is neighbourhood (0, 0) of channel 0.
      const enc = cap.stages[0].state;
      const pre = reducedDensityMatrix(enc, [0]);
      const v = xArr[0][0][0][0];
      assertClose(densityToHost(pre)[0].re.flat(), [Math.cos(Math.PI * v / 2) ** 2, Math.cos(Math.PI * v / 2) * Math.sin(Math.PI * v / 2), Math.cos(Math.PI * v / 2) * Math.sin(Math.PI * v / 2), Math.sin(Math.PI * v / 2) ** 2], 2e-6, 'encoded qubit 0');
      if (block === 'trace-out') {
        assertClose(cap.pooled.re.dataSync(), pre.re.dataSync(), 2e-6, 'trace-out leaves the kept qubit as encoded');
      } else {
        const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(cap.pooled.re, pre.re))).dataSync()[0]);
        assert.ok(diff > 1e-3, 'hur changes the kept qubit');
      }
      // Cross-check one row against the float64 reference.
      const row = 5;
      const [b, i, j, ch] = [0, 1, 0, 1]; // row 5 = (sample 0, row 1, col 0, channel 1)
      const values = [xArr[b][2 * i][2 * j][ch], xArr[b][2 * i][2 * j + 1][ch], xArr[b][2 * i + 1][2 * j][ch], xArr[b][2 * i + 1][2 * j + 1][ch]];
      const w = layer.getWeights().length ? Array.from(layer.getWeights()[0].dataSync()) : [];
      const ref = naivePartialTrace(outer(referenceState(layer.pooling.circuit, w, values)), 4, [0]);
      assertClose(densityToHost(cap.pooled)[row].re.flat(), ref.re.flat(), 2e-6, 'pooled row 5 vs reference');
      tf.dispose([y1, y2, pre.re, pre.im]);
      cap.dispose();
    }
    x.dispose();
  });
});

describe('QuantumPooling errors', () => {
  it('refuses bad options and inputs with errors naming the argument', () => {
    assert.throws(() => new QuantumPooling({ block: 'median' as PoolBlockName }), /block: expected one of 'hur', .*got 'median'/);
    assert.throws(() => new QuantumPooling({ block: 'hur', keep: 4 }), /keep: expected an integer number of kept qubits in \[1, 3\]/);
    assert.throws(() => new QuantumPooling({ block: 'hur', poolSize: 1 }), /poolSize: a 1×1 neighbourhood has a single value/);
    assert.throws(() => new QuantumPooling({ block: 'hur', poolSize: [6, 5] }), /needs 30 qubits/);
    assert.throws(() => new QuantumPooling({ block: 'hur', observables: ['Z1'] }), /expected qubit indices in \[0, 0\], got qubit 1 in 'Z1'/);
    assert.throws(() => new QuantumPooling({ squash: 'tanh' as 'none' }), /squash: expected one of/);
    assert.throws(() => new QuantumPooling({ sharing: 'global' as 'shared' }), /sharing: expected one of/);
    const layer = new QuantumPooling({ block: 'hur', poolSize: 3, seed: 1 });
    assert.throws(() => layer.apply(tf.zeros([1, 2, 2, 1])), /expected a window no larger than the input's height 2 .*got the 3×3 window/);
    const built = new QuantumPooling({ block: 'hur', seed: 1 });
    built.apply(tf.zeros([1, 4, 4, 2]));
    assert.throws(() => built.apply(tf.zeros([1, 4, 4, 3])), /expected 2 channel\(s\), as the layer was built for, got 3/);
    assert.throws(() => built.apply(tf.tensor4d([NaN, 0, 0, 0, 0, 0, 0, 0], [1, 2, 2, 2])), /expected finite values, got NaN/);
    assert.throws(() => built.apply(tf.zeros([4, 4, 2])), /expected rank 4/);
  });
});

describe('in-kernel pooling inside QuantumConv2D', () => {
  it("a poolKernel result is a valid QuantumConv2D circuit/observables pair and survives save/load", async () => {
    const { circuit: kernel } = buildKernelCircuit({ encoding: 'ry', nValues: 4, scale: Math.PI, ansatz: 'hardware-efficient', layers: 1, reupload: false, entanglement: 'reverse-linear' });
    const pooled = poolKernel(kernel, { block: 'hur', keep: 2, observables: ['Z0', 'X1', '0.5*Z0 Z1'] });
    const layer = new QuantumConv2D({ kernelSize: 2, strides: 2, circuit: pooled.circuit, observables: pooled.observables, seed: 4, inputShape: [4, 4, 1] });
    const xArr = randomMaps(seededRandom(13), 2, 4, 4, 1);
    const ref = { circuit: pooled.circuit, observables: ['Z0', 'X2', '0.5*Z0 Z2'] };
    checkForward(layer, xArr, ref, 2);
    assert.equal(layer.getWeights()[0].shape[0], kernel.numWeights + 2);
    const model = tf.sequential({ layers: [layer] });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    const x = tf.tensor4d(xArr);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    assertClose(b.dataSync(), a.dataSync(), 0, 'loaded predictions');
    tf.dispose([x, a, b]);
  });
  it('QuantumConv2D keeps the in-kernel pooling record through getConfig and save/load, and refuses a wrong one naming the field', async () => {
    const { circuit: kernel } = buildKernelCircuit({ encoding: 'ry', nValues: 4, scale: Math.PI, ansatz: 'hardware-efficient', layers: 1, reupload: false, entanglement: 'reverse-linear' });
    const pooled = poolKernel(kernel, { block: 'measure-condition', keep: 1, sharing: 'per-stage' });
    const layer = new QuantumConv2D({ kernelSize: 2, strides: 2, circuit: pooled.circuit, observables: pooled.observables, pooling: pooled, seed: 4, inputShape: [4, 4, 1] });
    const want = {
      block: 'measure-condition', sharing: 'per-stage', schedule: [[[1, 0], [3, 2]], [[2, 0]]], pooledAt: kernel.ops.length,
      kept: [0], dropped: [1, 3, 2], poolWeights: { offset: kernel.numWeights, count: pooled.poolWeights.count },
    };
    assert.deepEqual(layer.pooling, want);
    assert.deepEqual(layer.getConfig().pooling, want);
    assert.equal('pooling' in new QuantumConv2D({ kernelSize: 2 }).getConfig(), false, 'no record, no config entry');
    const model = tf.sequential({ layers: [layer] });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    assert.deepEqual((loaded.layers[0] as QuantumConv2D).pooling, want);
    const bad = (pooling: unknown) => () => new QuantumConv2D({ circuit: pooled.circuit, pooling: pooling as typeof pooled });
    assert.throws(bad({ ...pooled, pooledAt: 999 }), /pooling\.pooledAt: expected an operation index in \[1, \d+\].*got 999/);
    assert.throws(bad({ ...pooled, kept: [0, 0] }), /pooling\.kept: expected 1 … 3 distinct qubits/);
    assert.throws(bad({ ...pooled, dropped: [1] }), /pooling\.dropped: expected the qubits not kept \(\[1,2,3\]\) in dropping order, got \[1\]/);
    assert.throws(bad({ ...pooled, poolWeights: { offset: 0, count: 999 } }), /pooling\.poolWeights: expected \{ offset, count \} within the circuit's \d+ weight/);
    assert.throws(() => new QuantumConv2D({ pooling: pooled }), /pooling: describes pooling inside a user circuit; pass the pooled circuit as `circuit`/);
  });
});
