/**
 * Issue 16: the public API on the inputs that used to give NaN, raw tfjs messages or misleading errors;
 * each now gives a typed, named error within 100 ms of CPU, or a correct result. Also: atomic writes
 * fsync the directory after the rename.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../src/backend';
import { Circuit, expval, sample, weight } from '../src/sim';
import { QuantumConv2D } from '../src/qkc';
import { QuantumPooling } from '../src/pooling';
import { ArgumentError, closest, show } from '../src/util/validate';
import { writeFileAtomic } from '../src/util/atomic';
import { typedErrorWithin } from './helpers/hostile';

const FLOAT32_MAX = 3.4028234663852886e38;

describe('hostile API input (issue 16)', () => {
  const c2 = () => new Circuit(2).ry(0.3, 0).cx(0, 1).rx(0.2, 1);

  it('refuses observable coefficients that overflow, naming the observable', () => {
    for (const [obs, re] of [
      ['1e999*Z0', /^observables\[0\]: expected a finite coefficient, got Infinity from '1e999\*Z0'/],
      ['1e39*Z1', /^observables\[0\]: expected coefficients whose absolute sum is at most 2\^127.*got 1\.000e\+39/],
      ['1e308*X0', /^observables\[0\]: expected coefficients whose absolute sum.*got 1\.000e\+308/],
    ] as const) {
      const e = typedErrorWithin(() => expval(c2(), [obs]), 100);
      assert.ok(e instanceof ArgumentError, e.message);
      assert.match(e.message, re);
    }
    assert.throws(() => expval(c2(), [{ terms: [[Infinity, 'Z0']] }]), /observables\[0\]\.terms\[0\]: expected a finite coefficient, got Infinity/);
    assert.throws(() => expval(c2(), [{ terms: [[2e38, 'Z0'], [2e38, 'Z1']] }]), /absolute sum is at most 2\^127/);
    assert.throws(() => expval(c2(), [{ terms: [['1', 'Z0']] as never }]), /expected a finite coefficient, got '1' \(a string\)/);
  });

  it('sweeps coefficients up to the float32 limit: a finite, correct result or a named refusal, never NaN', () => {
    const circuits = [c2(), new Circuit(2).h(0).cx(0, 1), new Circuit(3).rx(weight(0), 0).ry(1.1, 2)];
    const exps = [0, ...Array.from({ length: 39 }, (_, k) => k)];
    for (const circuit of circuits) {
      const weights = circuit.numWeights ? [0.7] : undefined;
      const z0 = expval(circuit, ['Z0', 'X0 X1', 'I'], { weights }).arraySync()[0];
      for (const coeff of [...exps.map((k) => 10 ** k), 2 ** 127, 2 ** 127 * 1.0000001, FLOAT32_MAX, -FLOAT32_MAX]) {
        for (const method of ['compiled', 'gate-by-gate'] as const) {
          const opts = { weights, method };
          const obs = [`${coeff}*Z0`, `${coeff}*X0 X1`, `${coeff}*I`];
          if (Math.abs(coeff) > 2 ** 127) {
            assert.throws(() => expval(circuit, obs, opts), ArgumentError);
            continue;
          }
          const got = expval(circuit, obs, opts).arraySync()[0];
          got.forEach((v, i) => {
            assert.ok(Number.isFinite(v), `${method} ${obs[i]}: ${v}`);
            assert.ok(Math.abs(v - coeff * z0[i]) <= 1e-5 * Math.abs(coeff) + 1e-30, `${method} ${obs[i]}: ${v} vs ${coeff * z0[i]}`);
          });
        }
        if (Math.abs(coeff) <= 2 ** 127) {
          const shots = expval(circuit, [`${coeff}*Z0`], { weights, shots: 50, seed: 1 }).arraySync()[0][0];
          assert.ok(Number.isFinite(shots) && Math.abs(shots) <= Math.abs(coeff) * (1 + 1e-6), `shots: ${shots}`);
        }
      }
    }
  });

  it('names the function and quotes the value as given', () => {
    const e = typedErrorWithin(() => sample(c2(), 0), 100);
    assert.match(e.message, /^sample\(shots\): expected a positive integer, got 0$/);
    assert.match(typedErrorWithin(() => sample(c2(), undefined as never), 100).message, /^sample\(shots\): expected a positive integer, got undefined/);
    assert.match(typedErrorWithin(() => expval(c2(), ['Z0'], { shots: 1.5 }), 100).message, /^expval\(shots\): expected a positive integer, got 1\.5/);
    const h = typedErrorWithin(() => new Circuit(2).h('1' as never), 100);
    assert.ok(h instanceof ArgumentError);
    assert.match(h.message, /^h\(qubit 1\): expected an integer qubit index in \[0, 1\], got '1' \(a string\)$/);
    assert.match(typedErrorWithin(() => new Circuit(2).rx('0.5' as never, 0), 100).message, /rx\(angle 1\): .* got '0\.5' \(a string\)/);
    assert.match(typedErrorWithin(() => new Circuit('3' as never), 100).message, /Circuit\(nQubits\): .* got '3' \(a string\)/);
    assert.equal(show(NaN), 'NaN');
    assert.equal(show([1, Infinity]), '[1,"Infinity"]');
    assert.equal(show(tf.zeros([2, 3], 'int32')), 'a int32 tensor of shape [2, 3]');
  });

  it('QuantumConv2D and QuantumPooling refuse int32 inputs and unknown options (with "did you mean")', () => {
    const conv = new QuantumConv2D({ kernelSize: 2, name: 'qc' });
    const ints = tf.zeros([1, 4, 4, 1], 'int32');
    const e = typedErrorWithin(() => conv.apply(ints), 100);
    assert.ok(e instanceof ArgumentError);
    assert.match(e.message, /^QuantumConv2D 'qc' \(inputs\): expected a float32 tensor, got a int32 tensor of shape \[1, 4, 4, 1\]; cast it with tf\.cast/);
    const pool = new QuantumPooling({ name: 'qp' });
    assert.match(typedErrorWithin(() => pool.apply(ints), 100).message, /QuantumPooling 'qp' \(inputs\): expected a float32 tensor, got a int32 tensor/);
    const foo = typedErrorWithin(() => new QuantumConv2D({ foo: 1 } as never), 100);
    assert.ok(foo instanceof ArgumentError);
    assert.match(foo.message, /^QuantumConv2D\(args\): expected known option names, got unknown option 'foo'; known: /);
    assert.match(typedErrorWithin(() => new QuantumConv2D({ kernalSize: 3 } as never), 100).message, /unknown option 'kernalSize'; did you mean 'kernelSize'\?/);
    assert.match(typedErrorWithin(() => new QuantumPooling({ poolsize: 2 } as never), 100).message, /QuantumPooling\(args\): .*unknown option 'poolsize'; did you mean 'poolSize'\?/);
    assert.match(typedErrorWithin(() => new QuantumConv2D({ padding: 'vaild' as never }), 100).message, /padding: expected one of 'valid', 'same', got 'vaild'; did you mean 'valid'\?/);
    ints.dispose();
  });

  it('suggests only close names', () => {
    assert.equal(closest('batch_size', ['epochs', 'batchSize']), 'batchSize');
    assert.equal(closest('maxDepth', ['maxExprDepth', 'maxGateDepth']), 'maxExprDepth');
    assert.equal(closest('foo', ['kernelSize', 'filters']), undefined);
  });

  it('fsyncs the directory after the atomic rename (checkpoints, results and model files all write through it)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-fsync-'));
    const target = path.join(dir, 'nested', 'file.json');
    const promises = fs.promises as unknown as { open: typeof fs.promises.open };
    const original = promises.open;
    const events: string[] = [];
    promises.open = (async (p: fs.PathLike, flags?: string | number, mode?: fs.Mode) => {
      const h = await original(p, flags, mode);
      const sync = h.sync.bind(h);
      h.sync = async () => { events.push(`sync ${path.relative(dir, String(p)) || '.'}`); return sync(); };
      return h;
    }) as typeof fs.promises.open;
    const rename = fs.promises.rename;
    (fs.promises as { rename: typeof rename }).rename = async (a, b) => { events.push('rename'); return rename(a, b); };
    try {
      await writeFileAtomic(target, '{"a":1}');
    } finally {
      promises.open = original;
      (fs.promises as { rename: typeof rename }).rename = rename;
    }
    assert.equal(fs.readFileSync(target, 'utf8'), '{"a":1}');
    const renameAt = events.indexOf('rename');
    assert.ok(renameAt > 0 && events.slice(0, renameAt).some((e) => e.startsWith('sync nested/.file.json.tmp')), events.join(' | '));
    assert.ok(events.slice(renameAt + 1).includes('sync nested'), `directory fsync after the rename: ${events.join(' | ')}`);
    assert.ok(events.includes('sync .'), `parent of the new directory fsynced: ${events.join(' | ')}`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
