import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, simulateDensity } from '../src/sim';
import { entanglementEntropy, reducedDensityMatrix, vonNeumannEntropy } from '../src/inspect';
import { QuantumConv2D, buildKernelCircuit } from '../src/qkc';
import { QuantumPooling, poolKernel } from '../src/pooling';
import { PatchStates, captureChunks, captureStates, forEachCapture, patchesPerImage } from '../src/analysis';
import { CVector, referenceState, seededRandom } from './helpers/reference';
import { assertClose, densityToHost, naivePartialTrace, outer } from './inspect-helpers';

const randomImages = (seed: number, b: number, h: number, w: number): tf.Tensor4D => {
  const r = seededRandom(seed);
  // Some exact zeros, so blank windows occur as in MNIST.
  return tf.tensor4d(Array.from({ length: b * h * w }, () => (r() < 0.3 ? 0 : r())), [b, h, w, 1]);
};

/** Window values (row-major) of patch (i, j) of image `b` for kernel k, stride k. */
function windowValues(x: number[][][][], b: number, i: number, j: number, k: number): number[] {
  const v: number[] = [];
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) v.push(x[b][i * k + r][j * k + c][0]);
  return v;
}

const prefix = (c: Circuit, at: number): Circuit => {
  const p = new Circuit(c.nQubits);
  for (const op of c.ops.slice(0, at)) p.append(op.name, op.wires, op.params, op.matrix);
  return p;
};

/** Row `r` of a state batch as a CVector. */
function rowOf(s: { re: tf.Tensor2D; im: tf.Tensor2D }, r: number): CVector {
  const d = s.re.shape[1];
  return { re: Array.from(s.re.dataSync().slice(r * d, (r + 1) * d)), im: Array.from(s.im.dataSync().slice(r * d, (r + 1) * d)) };
}

function zExpect(v: CVector, q: number): number {
  return v.re.reduce((acc, re, j) => acc + ((j >> q) & 1 ? -1 : 1) * (re * re + v.im[j] * v.im[j]), 0);
}

function makeConv(seed = 3): QuantumConv2D {
  return new QuantumConv2D({ kernelSize: 2, strides: 2, seed, layers: 2, inputShape: [4, 4, 1] });
}

describe('analysis capture: states equal an independent float64 simulation', () => {
  it('QuantumConv2D with an appended hur pool: encoded, kernel, post-pool, pooled RDM and outputs per patch', () => {
    const layer = makeConv();
    const x = randomImages(1, 2, 4, 4);
    const xa = x.arraySync();
    const poolW = [0.7, -1.3];
    const cap = captureStates(layer, x, { pool: { block: 'hur', keep: 2, weights: poolW } });
    assert.deepEqual(cap.grid, [2, 2, 2]);
    assert.deepEqual(cap.pool.kept, [0, 2]);
    assert.deepEqual(cap.pool.dropped, [1, 3]);
    const w = Array.from(layer.getWeights()[0].dataSync());
    const kernel = layer.kernelCircuit;
    const encodedAt = layer.kernelSpec().stages[0].at;
    const pooled = poolKernel(kernel, { block: 'hur', keep: 2, weightOffset: kernel.numWeights });
    const rhoHost = densityToHost(cap.pooled);
    const outs = cap.outputs.arraySync(), pouts = cap.pooledOutputs.arraySync();
    let r = 0;
    for (let b = 0; b < 2; b++) for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++, r++) {
      const v = windowValues(xa, b, i, j, 2);
      const enc = referenceState(prefix(kernel, encodedAt), w, v);
      const ker = referenceState(kernel, w, v);
      const post = referenceState(pooled.circuit, [...w, ...poolW], v);
      for (const [name, got, want] of [['encoded', cap.encoded, enc], ['kernel', cap.kernel, ker], ['prePool', cap.prePool, ker], ['postPool', cap.postPool, post]] as const) {
        const g = rowOf(got, r);
        assertClose(g.re, want.re, 2e-5, `${name} re, patch ${r}`);
        assertClose(g.im, want.im, 2e-5, `${name} im, patch ${r}`);
      }
      const rho = naivePartialTrace(outer(post), 4, [0, 2]);
      assertClose(rhoHost[r].re.flat(), rho.re.flat(), 2e-5, `pooled re, patch ${r}`);
      assertClose(rhoHost[r].im.flat(), rho.im.flat(), 2e-5, `pooled im, patch ${r}`);
      assertClose(outs[r], [0, 1, 2, 3].map((q) => zExpect(ker, q)), 2e-5, `outputs, patch ${r}`);
      assertClose(pouts[r], [0, 2].map((q) => zExpect(post, q)), 2e-5, `pooled outputs, patch ${r}`);
    }
    cap.dispose();
    x.dispose();
  });

  it('QuantumConv2D whose circuit pools in-circuit: pre-pool state from the prefix, post-pool from the layer', () => {
    const { circuit: kernel } = buildKernelCircuit({ encoding: 'ry', nValues: 4, scale: Math.PI, ansatz: 'hardware-efficient', layers: 1, reupload: false, entanglement: 'reverse-linear' });
    const pk = poolKernel(kernel, { block: 'qiskit', keep: 1 });
    const layer = new QuantumConv2D({ kernelSize: 2, strides: 2, circuit: pk.circuit, observables: pk.observables, pooling: pk, seed: 5, inputShape: [4, 4, 1] });
    const x = randomImages(2, 1, 4, 4);
    const xa = x.arraySync();
    const cap = captureStates(layer, x, { pool: { pooledAt: pk.pooledAt, kept: pk.kept } });
    assert.equal(cap.pool.source, 'in-circuit');
    assert.deepEqual(cap.pool.kept, [0]);
    const w = Array.from(layer.getWeights()[0].dataSync());
    for (let r = 0; r < 4; r++) {
      const v = windowValues(xa, 0, Math.floor(r / 2), r % 2, 2);
      const pre = referenceState(prefix(pk.circuit, pk.pooledAt), w, v);
      const post = referenceState(pk.circuit, w, v);
      assertClose(rowOf(cap.prePool, r).re, pre.re, 2e-5, `prePool ${r}`);
      assertClose(rowOf(cap.postPool, r).re, post.re, 2e-5, `postPool ${r}`);
      assertClose(rowOf(cap.postPool, r).im, post.im, 2e-5, `postPool im ${r}`);
      assertClose([cap.outputs.arraySync()[r][0]], [zExpect(post, 0)], 2e-5, `output ${r}`);
    }
    // Without a pool option capture reads the layer's own pooling record, with its block and trained parameters.
    assert.ok(layer.pooling);
    assert.equal(layer.pooling.block, 'qiskit');
    assert.equal(layer.pooling.pooledAt, pk.pooledAt);
    const plain = makeConv();
    plain.build([null, 4, 4, 1]);
    assert.equal(plain.pooling, null, 'a plain kernel has no in-circuit pooling');
    const auto = captureStates(layer, x);
    assert.equal(auto.pool.source, 'in-circuit');
    assert.equal(auto.pool.block, 'qiskit');
    assert.deepEqual(auto.pool.weights, w.slice(kernel.numWeights, kernel.numWeights + 6));
    assertClose(auto.prePool.re.dataSync(), cap.prePool.re.dataSync(), 0, 'auto-detected pre-pool states');
    auto.dispose();
    cap.dispose();
    x.dispose();
  });

  it('QuantumPooling layer inside a model: the layer input is the previous layer output, states per neighbourhood', () => {
    const conv = makeConv(7);
    const pool = new QuantumPooling({ block: 'tfq', seed: 2, squash: 'sigmoid' });
    const model = tf.sequential({ layers: [conv, pool] });
    const x = randomImages(3, 2, 4, 4);
    const cap = captureStates(model, x, { layer: 1 });
    assert.equal(cap.layerClass, 'QuantumPooling');
    assert.deepEqual(cap.grid, [2, 1, 1, 4]);
    const feat = (conv.apply(x) as tf.Tensor4D);
    assertClose(cap.layerInput.dataSync(), feat.dataSync(), 0, 'layer input = conv output');
    const fa = feat.arraySync();
    const w = Array.from(pool.getWeights()[0].dataSync());
    const circuit = pool.pooling.circuit;
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    let r = 0;
    for (let b = 0; b < 2; b++) for (let ch = 0; ch < 4; ch++, r++) {
      const v = [fa[b][0][0][ch], fa[b][0][1][ch], fa[b][1][0][ch], fa[b][1][1][ch]].map(sig);
      const post = referenceState(circuit, w, v);
      assertClose(rowOf(cap.postPool, r).re, post.re, 3e-5, `postPool ${r}`);
      const pre = referenceState(prefix(circuit, pool.pooling.pooledAt), w, v);
      assertClose(rowOf(cap.prePool, r).re, pre.re, 3e-5, `prePool ${r}`);
    }
    tf.dispose([feat, x]);
    cap.dispose();
  });
});

describe('analysis capture: reads only', () => {
  it('model predictions are identical (bit for bit) with and without capture, and captured outputs equal the forward pass', async () => {
    const conv = makeConv(11);
    const model = tf.sequential({ layers: [conv, tf.layers.flatten(), tf.layers.dense({ units: 3, kernelInitializer: 'ones' })] });
    const x = randomImages(4, 3, 4, 4);
    const before = (model.predict(x) as tf.Tensor).dataSync().slice();
    const convOut = (conv.apply(x) as tf.Tensor).dataSync().slice();
    const seen: number[] = [];
    await forEachCapture(model, x, (c) => { seen.push(...c.outputs.dataSync()); }, { pool: { block: 'hur' }, chunkSize: 2 });
    const after = (model.predict(x) as tf.Tensor).dataSync();
    assert.deepEqual(Array.from(after), Array.from(before));
    // The layer's outputs are [batch, h, w, 4] and the capture's rows are (image, row, column) × 4: same order.
    assertClose(seen, convOut, 1e-6, 'captured outputs vs forward');
    x.dispose();
  });
});

describe('analysis capture: entropies agree between the state-vector and density-matrix paths', () => {
  it('S(pooled RDM) = S(kept) of the post-pool state = S of the density simulation of the same circuit', () => {
    const layer = makeConv(13);
    const x = randomImages(5, 2, 4, 4);
    const poolW = [1.1, 0.4, -0.9];
    const cap = captureStates(layer, x, { pool: { block: 'qiskit', keep: 2, weights: poolW } });
    const fromRdm = vonNeumannEntropy(cap.pooled);
    const fromState = entanglementEntropy(cap.postPool, cap.pool.kept);
    const kernel = layer.kernelCircuit;
    const pk = poolKernel(kernel, { block: 'qiskit', keep: 2, weightOffset: kernel.numWeights });
    const rows = tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(x, [2, 2, 2, 2, 2]), [0, 1, 3, 2, 4]), [8, 4]) as tf.Tensor2D);
    const rho = simulateDensity(pk.circuit, { inputs: rows, weights: [...Array.from(layer.getWeights()[0].dataSync()), ...poolW] });
    const rdm = reducedDensityMatrix(rho, pk.kept);
    const fromDensity = vonNeumannEntropy(rdm);
    assertClose(fromState, fromRdm, 1e-4, 'state vs RDM');
    assertClose(fromDensity, fromRdm, 1e-4, 'density path vs RDM');
    assert.ok(fromRdm.some((s) => s > 0.05), 'some patch is entangled across the cut');
    tf.dispose([rows, rho.re, rho.im, rdm.re, rdm.im, x]);
    cap.dispose();
  });
});

describe('analysis capture: streaming and limits', () => {
  it('chunks cover the images in order and are freed when the next chunk is requested', async () => {
    const layer = makeConv(17);
    const x = randomImages(6, 5, 4, 4);
    const offsets: number[] = [];
    let previous: PatchStates | null = null;
    for await (const c of captureChunks(layer, x, { chunkSize: 2 })) {
      if (previous) assert.ok(previous.postPool.re.isDisposed && previous.images.isDisposed, 'previous chunk freed');
      offsets.push(c.offset);
      assert.equal(c.postPool.re.shape[0], c.count * 4);
      previous = c;
    }
    assert.ok(previous!.pooled.re.isDisposed, 'last chunk freed at the end');
    assert.deepEqual(offsets, [0, 2, 4]);
    assert.ok(!x.isDisposed, "the caller's tensor is untouched");
    for await (const c of captureChunks(layer, x, { chunkSize: 2 })) { previous = c; break; }
    assert.ok(previous!.encoded.re.isDisposed, 'freed on break');
    x.dispose();
  });

  it('captureStates refuses more than maxPatches with a message naming the limit and the way out', () => {
    const layer = makeConv(19);
    const x = randomImages(7, 3, 4, 4);
    assert.equal(patchesPerImage(layer, [4, 4, 1]), 4);
    assert.throws(() => captureStates(layer, x, { maxPatches: 10 }), /3 images × 4 patches = 12 patches exceed maxPatches = 10; stream them with captureChunks\(\)\/forEachCapture\(\).*raise options\.maxPatches/);
    const ok = captureStates(layer, x, { maxPatches: 12 });
    ok.dispose();
    x.dispose();
  });

  it('bad arguments fail clearly', async () => {
    const layer = makeConv(23);
    const x = randomImages(8, 1, 4, 4);
    const model = tf.sequential({ layers: [layer] });
    assert.throws(() => captureStates(model, x, { layer: 'nope' }), /options\.layer.*quantum layers: 'quantum_conv2d/);
    assert.throws(() => captureStates(new QuantumPooling({ block: 'hur', inputShape: [4, 4, 1] }), x, { pool: { block: 'hur' } }), /options\.pool\): only for a QuantumConv2D/);
    assert.throws(() => captureStates(layer, x, { pool: { block: 'hur', weights: [1] } }), /pool\.weights: block 'hur'.*needs 2 parameter\(s\), got 1/);
    assert.throws(() => captureStates(layer, tf.zeros([4, 4]) as unknown as tf.Tensor4D), /expected a tensor \[N, height, width, channels\]/);
    x.dispose();
  });
});
