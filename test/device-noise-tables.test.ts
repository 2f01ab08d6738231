// The README's device-noise tables are built from the noise-eval records by code: the table of a known
// record, the full-test-set timing (Aer scaled from a subset, said so), and the README in step with
// figures/results/device-noise (stale tables fail here).
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import type { NoiseEvalRecord } from '../src/device';
import { deviceNoiseMarkdown, deviceNoiseSummary, fullSetTiming, fullSetTimingMarkdown, perLayerNoiseMarkdown, perLayerNoiseSummary } from '../src/figures';
import { PROJECT_ROOT } from '../src/util';

const aerCheck = (windows: number, maxAbsExact: number, maxShotZ: number | null, aerExact: number, aerShots: number | null) => ({
  windows, maxAbsExact, maxShotZ,
  seconds: { qkcGateByGate: null, qkcFused: windows / 1000, aerExact, aerShots },
  cpuSeconds: { qkcFused: windows / 2000, aerExact: aerExact / 2, aerShots: aerShots == null ? null : aerShots / 2 },
});

/** A record of a two-layer model (kernel + pooling block) on one device. */
function record(samples: number, windows: [number, number], over: Partial<NoiseEvalRecord> = {}): NoiseEvalRecord {
  return {
    format: 'qkc-noise-eval/1', model: 'hybrid-qpool', seed: 0, epoch: -1, checkpoint: 'm/model.json', dataset: 'official MNIST', created: '2026-12-06',
    samples, noiseless: { accuracy: 0.986, loss: 0.05, seconds: 1 },
    devices: [{
      device: { name: 'fake_lima', version: '1.0.5', calibrated: '2021-03-15 00:36:03-04:00', qubits: 5, basis: ['cx', 'rz', 'sx', 'x'] },
      kernels: [
        { layer: 'quantum_conv2d_QuantumConv2D1', qubits: 4, gates: { sx: 16, cx: 17, rz: 20 }, depth: 30, channels: 33, aer: aerCheck(windows[0], 2e-7, 2.5, 40, 160) },
        { layer: 'quantum_pooling_QuantumPooling1', qubits: 4, gates: { x: 3, cx: 12 }, depth: 20, channels: 20, aer: aerCheck(windows[1], 4e-7, 3.25, 10, 40) },
      ],
      exact: { accuracy: 0.982, loss: 0.06, seconds: 600, cpuSeconds: 300 },
      shots: { shots: 1024, accuracy: 0.978, loss: 0.07, seconds: 800, cpuSeconds: 400 },
    }],
    ...over,
  } as NoiseEvalRecord;
}

describe('device-noise tables (README)', () => {
  it('one row per model × device: accuracies in %, both layers\' circuits, the worst Aer agreement of the layers', () => {
    const rows = deviceNoiseMarkdown([record(500, [32, 32])]).split('\n');
    assert.equal(rows.length, 3);
    assert.match(rows[0], /1024 shots %.*\(32 windows\)/);
    assert.equal(rows[2], '| hybrid-qpool (seed 0) | 500 | fake_lima v1.0.5 (2021-03-15) | 98.60 | 98.20 | 97.80 | cx 17, rz 20, sx 16; QuantumPooling1: cx 12, x 3 | 4.0e-7 | 3.25 | 600 / 800 |');
  });

  it('the summary names the largest loss exact and with shots, and the worst Aer agreement', () => {
    const other = record(500, [32, 32], { model: 'hybrid-small' });
    other.devices[0].exact.accuracy = 0.96; // loses 2.6 points exact, 0.8 with shots
    assert.equal(deviceNoiseSummary([record(500, [32, 32]), other]),
      '2 model(s) × 1 device(s): the largest loss under device noise is 2.6 points exact (hybrid-small on fake_lima) and 0.8 points with 1024 shots (hybrid-qpool on fake_lima); qkc and Aer agree to ≤ 4.0e-7 on every checked expectation.');
  });

  it('full-set timing: qkc as measured, Aer scaled from its subset by images and labelled extrapolated', () => {
    const t = fullSetTiming(record(10_000, [32, 32]), record(100, [19_600, 4_900]), { qkc: 'a.qkc.json', aer: 'a.aer.json' });
    assert.equal(t.circuits, 2_450_000);
    assert.deepEqual(t.qkc.exact, { wall: 600, cpu: 300 });
    assert.deepEqual(t.aer.measured.exact, { wall: 50, cpu: 25 });
    assert.deepEqual(t.aer.atFullSet.exact, { wall: 5000, cpu: 2500 });
    assert.deepEqual(t.aer.atFullSet.shots, { wall: 20_000, cpu: 10_000 });
    assert.equal(t.aer.extrapolated, true);
    assert.deepEqual(t.qkcOnAerSubset, { wall: 24.5, cpu: 12.25 });
    assert.match(fullSetTimingMarkdown(t), /whole test set \(extrapolated ×100 from 100 images\) \| 5000 \/ 2500 \| 20000 \/ 10000 \|/);
  });

  it('per-layer table: which layers were noisy, the loss, the head-input shift and each noisy layer\'s own; the summary adds the single-layer losses', () => {
    const quantumLayers = [{ layer: 'quantum_conv2d_QuantumConv2D1', className: 'QuantumConv2D' }, { layer: 'quantum_pooling_QuantumPooling1', className: 'QuantumPooling' }];
    const shift = (meanAbs: number) => ({ meanAbs, noiselessStd: 0.25, outputs: 100 });
    const perLayer = (noisyLayers: number[], accuracy: number): NoiseEvalRecord => {
      const r = record(500, [32, 32], { quantumLayers, noisyLayers });
      const d = r.devices[0];
      d.kernels = noisyLayers.map((i) => ({ ...d.kernels[i], shift: shift(0.01 * (i + 1)) }));
      d.exact.accuracy = accuracy;
      d.headShift = shift(0.1 * noisyLayers.length);
      return r;
    };
    // Given out of order: rows come by model, device, then fewest noisy layers first.
    const records = [perLayer([0, 1], 0.6), perLayer([1], 0.9), perLayer([0], 0.96)];
    const rows = perLayerNoiseMarkdown(records).split('\n');
    assert.equal(rows.length, 5);
    assert.equal(rows[2], '| hybrid-qpool (seed 0) | 500 | fake_lima | QuantumConv2D only | 98.60 | 96.00 | 2.6 | 0.100 | 0.250 | QuantumConv2D1 0.010 |');
    assert.equal(rows[3], '| hybrid-qpool (seed 0) | 500 | fake_lima | QuantumPooling only | 98.60 | 90.00 | 8.6 | 0.100 | 0.250 | QuantumPooling1 0.020 |');
    assert.equal(rows[4], '| hybrid-qpool (seed 0) | 500 | fake_lima | QuantumConv2D + QuantumPooling (all) | 98.60 | 60.00 | 38.6 | 0.200 | 0.250 | QuantumConv2D1 0.010; QuantumPooling1 0.020 |');
    assert.equal(perLayerNoiseSummary(records),
      'hybrid-qpool (seed 0), accuracy lost under device noise, exact — fake_lima: 2.6 (QuantumConv2D alone) + 8.6 (QuantumPooling alone) = 11.2 points if the losses added, 38.6 with both noisy.');
    assert.equal(perLayerNoiseSummary(records.slice(0, 2)), '', 'no summary without every layer alone');
  });

  it('refuses a timing pair of different models or devices', () => {
    assert.throws(() => fullSetTiming(record(10_000, [32, 32]), record(100, [1, 1], { checkpoint: 'other/model.json' }), { qkc: 'a', aer: 'b' }), /same model and device/);
  });

  it('the README tables match figures/results/device-noise (npm run readme:device-noise -- --check)', function () {
    this.timeout(60_000);
    try {
      execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join('scripts', 'device-noise-readme.ts'), '--check'], { cwd: PROJECT_ROOT, stdio: 'pipe' });
    } catch (e) {
      assert.fail(String((e as { stderr?: Buffer }).stderr ?? e));
    }
  });
});
