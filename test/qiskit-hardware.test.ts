// Hardware-ready export: a trained kernel's OpenQASM 3 program and Qiskit script, run by real Qiskit
// offline (exact Statevector, and a fake IBM device snapshot with shots). No network. Without the
// project venv the test says why and skips, except under CI=true where that is a failure.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { QuantumConv2D, exportKernelForHardware } from '../src/qkc';
import { poolKernel } from '../src/pooling';
import { buildKernelCircuit } from '../src/qkc';
import { maxAbs, requireQiskitPython, qkcExpvals } from './helpers/qiskit';


describe('hardware-ready kernel export (OpenQASM 3 + Qiskit script)', function () {
  this.timeout(300_000);
  let python = '', dir = '';

  before(function () {
    python = requireQiskitPython(this);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-hw-'));
  });
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  const run = (script: string, args: string[]) => {
    const file = path.join(dir, 'kernel.py');
    fs.writeFileSync(file, script);
    const r = spawnSync(python, [file, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { backend: string; shots: number | null; expectations: number[] };
  };

  const pooled = poolKernel(buildKernelCircuit({ encoding: 'ry', nValues: 4, scale: Math.PI, ansatz: 'hardware-efficient', layers: 2, reupload: false, entanglement: 'linear' }).circuit, { block: 'hur', keep: 2 });
  const layers = {
    'QuantumConv2D (hardware-efficient, 2 layers)': new QuantumConv2D({ kernelSize: 2, strides: 2, layers: 2, seed: 3 }),
    'QuantumConv2D with in-kernel pooling': new QuantumConv2D({ kernelSize: 2, strides: 2, circuit: pooled.circuit, observables: pooled.observables, seed: 4 }),
  };
  for (const [what, layer] of Object.entries(layers)) {
    it(`${what}: the script's exact and fake-device expectations match qkc`, () => {
      layer.build([1, 4, 4, 1]);
      const { qasm, script } = exportKernelForHardware(layer);
      assert.match(qasm, /^OPENQASM 3\.0;/);
      assert.match(qasm, /input float\[64\] x0;/);
      assert.doesNotMatch(qasm, /input float\[64\] w/, 'trained weights are bound');
      assert.match(qasm, /c = measure q;/);
      const window = [0.1, 0.9, 0.35, 0.6];
      const spec = layer.kernelSpec();
      const expected = qkcExpvals(spec.circuit, spec.observables, Array.from(layer.getWeights()[0].dataSync()), window);
      const exact = run(script, ['--window', window.join(','), '--exact']);
      assert.ok(maxAbs(exact.expectations, expected) < 1e-6, `exact: ${exact.expectations} vs qkc ${expected}`);
      const fake = run(script, ['--window', window.join(','), '--fake', 'fake_manila', '--shots', '4000', '--seed', '1']);
      assert.equal(fake.backend, 'fake_manila');
      // Device noise (routing on manila's line adds SWAPs) and 4000 shots: measured 0.06–0.23 off; a wrong program is off by ~1.
      assert.equal(fake.expectations.length, expected.length);
      assert.ok(maxAbs(fake.expectations, expected) < 0.5, `fake_manila: ${fake.expectations} vs qkc ${expected}`);
      console.log(`      ${what}: exact |Δ| ${maxAbs(exact.expectations, expected).toExponential(1)}, fake_manila (4000 shots) |Δ| ${maxAbs(fake.expectations, expected).toFixed(3)}`);
    });
  }
});
