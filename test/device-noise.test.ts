// Device noise: kernels of the main results transpiled by Qiskit for fake IBM device snapshots and run
// under the devices' calibrated noise by qkc (the density executor gate by gate, and the superoperator
// executor that the execution decision picks for them) against Qiskit Aer (NoiseModel.from_backend) on the same transpiled circuits: exact expectations to
// 1e-6, sampled ones within shot error. Without the project venv the test says why and skips, except
// under CI=true where that is a failure.
import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, expval, explainExecution, simulateDensity } from '../src/sim';
import { transpileForDevices } from '../src/device';
import type { DeviceKernel } from '../src/device';
import { POOL_BLOCKS, QuantumPooling } from '../src/pooling';
import { Rng } from '../src/util';
import { zooKernels } from './helpers/qkc-families';
import { requireQiskitPython } from './helpers/qiskit';
import { runCli } from './helpers/run-cli';
import { tmpDir } from './train-fixtures';
import * as fs from 'fs';
import * as path from 'path';
import { readNoiseEvalRecords } from '../src/device';

const DEVICES = ['fake_manila', 'fake_lima', 'fake_nairobi'];
const SHOTS = 2000;

const maxAbs2 = (a: number[][], b: number[][]) => Math.max(...a.map((r, i) => Math.max(...r.map((v, j) => Math.abs(v - b[i][j])))));

/** qkc's exact expectations of a device kernel gate by gate (density executor) and composed (superoperator), and sampled ones. */
function qkcOn(k: DeviceKernel, windows: number[][]): { gateByGate: number[][]; composed: number[][]; sampled: number[][] } {
  const run = (options: object) => tf.tidy(() => expval(k.circuit, k.observables, { inputs: windows, noise: k.noise, ...options }).arraySync() as number[][]);
  return { gateByGate: run({ executor: 'density' }), composed: run({ executor: 'superoperator' }), sampled: run({ executor: 'superoperator', shots: SHOTS, rng: new Rng(1) }) };
}

describe('device noise: qkc against Qiskit Aer on fake IBM devices', function () {
  this.timeout(600_000);

  before(function () {
    requireQiskitPython(this); // the device helpers find the same Python themselves
  });

  it(`the main results' kernels on ${DEVICES.join(', ')}: exact to 1e-6, shots within 5σ`, () => {
    // hybrid-small/-strong/-qpool share one kernel design, the front-* hybrids another (RealAmplitudes ×2); their seeds give different weights.
    const kernels = zooKernels().filter((k) => k.circuit.numWeights > 2 && k.circuit.nQubits === 4);
    const rand = new Rng(5);
    const windows = Array.from({ length: 12 }, () => Array.from({ length: 4 }, () => rand.next()));
    const requests = DEVICES.flatMap((device) => kernels.map((k) => ({ circuit: k.circuit, weights: k.weights, observables: k.observables, device, windows, shots: SHOTS, seed: 3 })));
    const devs = transpileForDevices(requests);
    let worstExact = 0, worstZ = 0, worstFused = 0;
    devs.forEach((k, i) => {
      const where = `${requests[i].device} × ${kernels[i % kernels.length].name}`;
      assert.ok(k.device.calibrated && k.device.version, `${where}: the snapshot records its version and calibration date`);
      assert.ok((k.noise.opChannels?.length ?? 0) > 10, `${where}: gate errors attached`);
      const aer = k.aer!;
      // The execution decision picks the superoperator executor for a transpiled kernel on a batch of patches.
      assert.equal(explainExecution({ circuit: k.circuit, batch: 64 * 49, noise: k.noise }).executor, 'superoperator', where);
      const { gateByGate: ours, composed: fused, sampled } = qkcOn(k, windows);
      const dExact = Math.max(maxAbs2(ours, aer.exact), maxAbs2(fused, aer.exact));
      assert.ok(dExact < 1e-6, `${where}: qkc vs Aer exact |Δ| ${dExact}`);
      // Shot error of a ±1 observable is at most 1/√shots; Aer's and qkc's samples are independent.
      const z = Math.max(maxAbs2(aer.sampled as number[][], aer.exact), maxAbs2(sampled, aer.exact)) * Math.sqrt(SHOTS);
      assert.ok(z < 5, `${where}: sampled expectations ${z.toFixed(2)}/√shots away from exact`);
      // The noise is real: far from the noiseless kernel.
      const ideal = tf.tidy(() => expval(kernels[i % kernels.length].circuit, kernels[i % kernels.length].observables, { inputs: windows, weights: kernels[i % kernels.length].weights }).arraySync() as number[][]);
      assert.ok(maxAbs2(ideal, aer.exact) > 0.01, `${where}: device noise changes the expectations`);
      worstExact = Math.max(worstExact, dExact); worstZ = Math.max(worstZ, z); worstFused = Math.max(worstFused, maxAbs2(fused, ours));
    });
    console.log(`      ${devs.length} transpiled kernels (${DEVICES.length} devices × ${kernels.length} kernels) × ${windows.length} windows: ` +
      `max |Δ| qkc vs Aer exact ${worstExact.toExponential(2)}, fused vs gate by gate ${worstFused.toExponential(2)}, sampled max ${worstZ.toFixed(2)}/√shots`);
  });

  it(`QuantumPooling blocks (and hybrid-qpool's) on ${DEVICES.join(', ')}: exact to 1e-6, shots within 5σ`, () => {
    const layers = POOL_BLOCKS.filter((b) => b !== 'trace-out').map((block, i) => {
      const layer = new QuantumPooling({ block, seed: 10 + i });
      layer.build([null, 4, 4, 1]);
      return { name: `QuantumPooling ${block}`, circuit: layer.kernelSpec().circuit, observables: layer.observables, weights: Array.from(layer.getWeights()[0].dataSync()) };
    });
    const pools = [...layers, ...zooKernels().filter((k) => k.name.startsWith('hybrid-qpool/quantum_pooling'))];
    assert.equal(pools.length, POOL_BLOCKS.length, `the zoo's QuantumPooling is found: ${pools.map((p) => p.name).join(', ')}`);
    const rand = new Rng(6);
    const windows = Array.from({ length: 12 }, () => Array.from({ length: 4 }, () => rand.next()));
    const requests = DEVICES.flatMap((device) => pools.map((p) => ({ circuit: p.circuit, weights: p.weights, observables: p.observables, device, windows, shots: SHOTS, seed: 4 })));
    let worstExact = 0, worstZ = 0;
    transpileForDevices(requests).forEach((k, i) => {
      const where = `${requests[i].device} × ${pools[i % pools.length].name}`;
      assert.equal(explainExecution({ circuit: k.circuit, batch: 64 * 196, noise: k.noise }).executor, 'superoperator', where);
      const aer = k.aer!;
      const { gateByGate, composed, sampled } = qkcOn(k, windows);
      const dExact = Math.max(maxAbs2(gateByGate, aer.exact), maxAbs2(composed, aer.exact));
      assert.ok(dExact < 1e-6, `${where}: qkc vs Aer exact |Δ| ${dExact}`);
      const z = Math.max(maxAbs2(aer.sampled as number[][], aer.exact), maxAbs2(sampled, aer.exact)) * Math.sqrt(SHOTS);
      assert.ok(z < 5, `${where}: sampled expectations ${z.toFixed(2)}/√shots away from exact`);
      worstExact = Math.max(worstExact, dExact); worstZ = Math.max(worstZ, z);
    });
    console.log(`      ${requests.length} transpiled pooling circuits (${DEVICES.length} devices × ${pools.length}) × ${windows.length} windows: ` +
      `max |Δ| qkc vs Aer exact ${worstExact.toExponential(2)}, sampled max ${worstZ.toFixed(2)}/√shots`);
  });

  it('op channels: applied after their operation, validated with the field named', () => {
    // Amplitude damping γ = 1 after x on qubit 0 undoes the flip: ⟨Z0⟩ = 1; before the x it would be −1.
    const g = 1;
    const damp = [{ re: [[1, 0], [0, Math.sqrt(1 - g)]], im: [[0, 0], [0, 0]] }, { re: [[0, Math.sqrt(g)], [0, 0]], im: [[0, 0], [0, 0]] }];
    const c = new Circuit(2).x(0).x(1);
    const z = expval(c, ['Z0', 'Z1'], { noise: { opChannels: [{ after: 0, wires: [0], kraus: damp }], readout: [{ p01: 0, p10: 0 }, { p01: 0, p10: 0.25 }] } });
    assert.deepEqual(Array.from(z.dataSync()).map((v) => Number(v.toFixed(6))), [1, -0.5]);
    const bad = (noise: object) => () => simulateDensity(c, { noise });
    assert.throws(bad({ opChannels: [{ after: 2, wires: [0], kraus: damp }] }), /noise.opChannels\[0\].after: expected an operation index in \[0, 1\], got 2/);
    assert.throws(bad({ opChannels: [{ after: 0, wires: [0], kraus: [damp[0]] }] }), /noise.opChannels\[0\].kraus: expected a trace-preserving channel/);
    assert.throws(bad({ opChannels: [{ after: 0, wires: [0, 1], kraus: damp }] }), /noise.opChannels\[0\].kraus: expected a non-empty list of 4×4 matrices/);
    assert.throws(bad({ readout: [{ p01: 0, p10: 0 }] }), /noise.readout: expected one read-out error per qubit \(2\), got 1/);
  });

  it('qkc noise-eval: a trained run under a fake device, recorded with the device snapshot', async () => {
    const dir = tmpDir();
    try {
      const runDir = path.join(dir, 'run');
      const train = await runCli(['train', '--model', 'hybrid-small', '--limit', '200', '--epochs', '1', '--diff', 'backprop', '--progress', 'none', '--out', runDir]);
      assert.equal(train.code, 0, train.err);
      const out = path.join(dir, 'results', 'hybrid-small.json');
      const r = await runCli(['noise-eval', '--model-dir', runDir, '--device', 'fake_manila', '--shots', '256', '--test-size', '20', '--check-windows', '8', '--out', out]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /fake_manila v[\d.]+ \(calibrated 20\d\d-\d\d-\d\d.*\): exact [\d.]+ %, 256 shots [\d.]+ % vs noiseless [\d.]+ %; Aer \|Δ\| \d\.\de-\d+ on 8 windows/);
      const [rec] = readNoiseEvalRecords(path.dirname(out));
      assert.equal(rec.model, 'hybrid-small');
      assert.equal(rec.samples, 20);
      const d = rec.devices[0];
      assert.equal(d.device.name, 'fake_manila');
      assert.ok(d.kernels[0].aer && d.kernels[0].aer.maxAbsExact < 1e-6, `Aer check ${JSON.stringify(d.kernels[0].aer)}`);
      assert.ok(d.shots && d.shots.shots === 256);
      assert.ok(fs.existsSync(out));
      assert.equal((await runCli(['noise-eval', '--device', 'fake_manila'])).code, 2);
      // A saved model directory (model.json + weights.bin, as the official suite keeps them) with --dataset: the same numbers.
      const saved = path.join(dir, 'results', 'saved.json');
      const s = await runCli(['noise-eval', '--model-dir', path.join(runDir, 'model'), '--dataset', 'mnist', '--device', 'fake_manila', '--test-size', '20', '--check-windows', '0', '--out', saved]);
      assert.equal(s.code, 0, s.err);
      const again = JSON.parse(fs.readFileSync(saved, 'utf8')) as typeof rec;
      assert.equal(again.model, 'hybrid-small');
      assert.equal(again.noiseless.accuracy, rec.noiseless.accuracy);
      assert.equal(again.devices[0].exact.accuracy, d.exact.accuracy);
      assert.equal((await runCli(['noise-eval', '--model-dir', path.join(runDir, 'model'), '--device', 'fake_manila'])).code, 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('qkc noise-eval of hybrid-qpool: its QuantumPooling block runs under the device noise too, Aer-checked on every row', async () => {
    const dir = tmpDir();
    try {
      const runDir = path.join(dir, 'run');
      const train = await runCli(['train', '--model', 'hybrid-qpool', '--limit', '100', '--epochs', '1', '--diff', 'backprop', '--progress', 'none', '--out', runDir]);
      assert.equal(train.code, 0, train.err);
      const out = path.join(dir, 'results', 'hybrid-qpool.json');
      const r = await runCli(['noise-eval', '--model-dir', runDir, '--device', 'fake_lima', '--test-size', '3', '--aer-full', '--out', out]);
      assert.equal(r.code, 0, r.err);
      const [rec] = readNoiseEvalRecords(path.dirname(out));
      const kernels = rec.devices[0].kernels;
      assert.equal(kernels.length, 2);
      assert.match(kernels[0].layer, /conv/i);
      assert.match(kernels[1].layer, /pool/i);
      // Every circuit row of the 3 images: 14×14 kernel patches, then 7×7 neighbourhoods × 4 channels.
      assert.deepEqual(kernels.map((k) => k.aer?.windows), [3 * 196, 3 * 49 * 4]);
      for (const k of kernels) {
        assert.ok(k.aer && k.aer.maxAbsExact < 1e-6, `${k.layer}: Aer check ${JSON.stringify(k.aer)}`);
        assert.match(k.execution ?? '', /^superoperator \(gradient: tfjs autodiff\): noise was requested and data enter only through rz/);
      }
      assert.ok(rec.devices[0].exact.accuracy >= 0 && rec.devices[0].exact.accuracy <= 1);
      // Noise on the pooling block only: one transpiled circuit, the kernel noiseless. The pool's inputs are then the
      // noiseless model's, so its own shift (tallied inside the evaluation) must equal the head-input shift (a separate pass).
      const poolOnly = path.join(dir, 'results', 'pool-only.json');
      const p = await runCli(['noise-eval', '--model-dir', runDir, '--device', 'fake_lima', '--test-size', '3', '--check-windows', '4', '--noisy-layers', '1', '--head-shift', '--out', poolOnly]);
      assert.equal(p.code, 0, p.err);
      assert.match(p.out, /device noise on quantum_pooling_\w+ only/);
      const pool = JSON.parse(fs.readFileSync(poolOnly, 'utf8')) as typeof rec;
      assert.deepEqual(pool.noisyLayers, [1]);
      assert.deepEqual(pool.quantumLayers?.map((l) => l.className), ['QuantumConv2D', 'QuantumPooling']);
      const [only] = pool.devices[0].kernels;
      assert.equal(pool.devices[0].kernels.length, 1);
      assert.match(only.layer, /pool/i);
      const head = pool.devices[0].headShift;
      assert.ok(head && only.shift && head.meanAbs > 1e-4, `shifts ${JSON.stringify({ head, own: only.shift })}`);
      assert.equal(head.outputs, 3 * 7 * 7 * 4);
      assert.ok(Math.abs(head.meanAbs - only.shift.meanAbs) < 1e-6 && Math.abs(head.noiselessStd - only.shift.noiselessStd) < 1e-6, `head ${JSON.stringify(head)} vs own ${JSON.stringify(only.shift)}`);
      const bad = await runCli(['noise-eval', '--model-dir', runDir, '--device', 'fake_lima', '--test-size', '3', '--noisy-layers', '2', '--out', poolOnly]);
      assert.equal(bad.code, 1);
      assert.match(bad.err, /noisyLayers: expected distinct quantum-layer indices in \[0, 1\] \(the model has 2 quantum layer\(s\)\), got \[2\]/);
      assert.equal((await runCli(['noise-eval', '--model-dir', runDir, '--noisy-layers', 'pool'])).code, 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
