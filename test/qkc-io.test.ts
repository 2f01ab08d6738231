import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../src/backend';
import { Circuit, expval, fromQasm, input, weight } from '../src/sim';
import { QuantumConv2D, exportKernelQasm, fileSystemIO } from '../src/qkc';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-io-'));

/** A hybrid model with a template kernel (2 filters, re-uploading) and a user-circuit kernel with Pauli sums. */
function hybrid(): tf.Sequential {
  const user = new Circuit(2).ry(input(0, Math.PI), 0).rx(input(1), 1).cry(weight(0), 0, 1).rz(weight(1), 1).cx(1, 0);
  return tf.sequential({
    layers: [
      new QuantumConv2D({ inputShape: [5, 5, 1], kernelSize: 2, strides: 1, filters: 2, ansatz: 'real-amplitudes', entanglement: 'circular', layers: 2, reupload: true, encoding: 'dense', seed: 1, diffMethod: 'adjoint' }),
      new QuantumConv2D({ kernelSize: [1, 2], strides: 2, padding: 'same', circuit: user, observables: ['X0 Z1', { terms: [[0.5, 'Y1'], [-1.5e-1, 'Z0']] }], init: { distribution: 'normal', stddev: 0.5 }, seed: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
}

describe('QuantumConv2D save and load', () => {
  it('model.save / tf.loadLayersModel through a directory give identical predictions and configs', async () => {
    const model = hybrid();
    const x = tf.randomUniform([3, 5, 5, 1], 0, 1, 'float32', 7);
    const before = (model.predict(x) as tf.Tensor).arraySync();
    const dir = tmp();
    await model.save(fileSystemIO(dir));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['model.json', 'weights.bin'], 'no temporary files left behind');
    const loaded = await tf.loadLayersModel(fileSystemIO(dir));
    assert.deepEqual((loaded.predict(x) as tf.Tensor).arraySync(), before);
    const [a, b] = [model.layers[1], loaded.layers[1]] as QuantumConv2D[];
    assert.equal(b.kernelCircuit.toString(), a.kernelCircuit.toString());
    assert.deepEqual(b.observables, a.observables);
    assert.equal((loaded.layers[0] as QuantumConv2D).diffMethod, 'adjoint');
    assert.equal((loaded.layers[0] as QuantumConv2D).entanglement, 'circular');
    assert.deepEqual(loaded.layers[0].getConfig(), model.layers[0].getConfig());
    // file:// URLs go through the same handler.
    const dir2 = tmp();
    await model.save(`file://${dir2}`);
    const viaUrl = await tf.loadLayersModel(`file://${path.join(dir2, 'model.json')}`);
    assert.deepEqual((viaUrl.predict(x) as tf.Tensor).arraySync(), before);
  });

  it('fails clearly on a missing directory and on truncated weights', async () => {
    await assert.rejects(tf.loadLayersModel(fileSystemIO(path.join(tmp(), 'nothing'))), /cannot read .*model\.json \(ENOENT\)/);
    const dir = tmp();
    await hybrid().save(fileSystemIO(dir));
    const w = fs.readFileSync(path.join(dir, 'weights.bin'));
    fs.writeFileSync(path.join(dir, 'weights.bin'), w.subarray(0, w.length - 8));
    await assert.rejects(tf.loadLayersModel(fileSystemIO(dir)), /weights in .* have \d+ bytes, the manifest describes \d+/);
  });
});

describe('exportKernelQasm', () => {
  it('writes OpenQASM 2 of the trained block (weights bound) that reproduces the layer after the encoding', () => {
    const layer = new QuantumConv2D({ kernelSize: 2, filters: 2, layers: 2, ansatz: 'strongly-entangling', seed: 4 });
    const x = tf.randomUniform([1, 2, 2, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const out = (layer.apply(x) as tf.Tensor).dataSync();
    const qasm = exportKernelQasm(layer, 1);
    assert.match(qasm, /^OPENQASM 2\.0;/);
    assert.match(qasm, /filter 1 of 2: trained weights bound/);
    const statements = qasm.split('\n').filter((l) => !l.startsWith('//')).join('\n');
    assert.doesNotMatch(statements, /\b[wx]\d/, 'no free parameters');
    assert.match(qasm, /\/\/   ry\(3\.14159\d*\*x3\) q\[3\];/, 'the encoding is described');
    const block = fromQasm(qasm);
    const full = new Circuit(4);
    for (let q = 0; q < 4; q++) full.ry(input(q, Math.PI), q);
    full.compose(block);
    const e = expval(full, ['Z0', 'Z1', 'Z2', 'Z3'], { inputs: [Array.from(x.dataSync())] }).dataSync();
    e.forEach((v, q) => assert.ok(Math.abs(v - out[4 + q]) < 1e-5, `⟨Z${q}⟩ ${v} vs layer ${out[4 + q]}`));
    // A bound window gives the whole circuit; re-uploading kernels need one.
    const bound = fromQasm(exportKernelQasm(layer, 0, { window: Array.from(x.dataSync()) }));
    const eb = expval(bound, ['Z0', 'Z1', 'Z2', 'Z3']).dataSync();
    eb.forEach((v, q) => assert.ok(Math.abs(v - out[q]) < 1e-5));
    const re = new QuantumConv2D({ kernelSize: 2, layers: 2, reupload: true });
    re.build([null, 2, 2, 1]);
    assert.throws(() => exportKernelQasm(re), /reads data after its encoding .* pass options\.window/);
    assert.throws(() => exportKernelQasm(layer, 2), /exportKernelQasm\(filter\): expected an integer in \[0, 1\], got 2/);
  });
});
