import { strict as assert } from 'assert';
import { ready, tf } from '../src/backend';
import { Circuit, compileCircuit, differentiableExpval, input, weight, type Observable } from '../src/sim';
import { useCompiledFusions } from '../src/sim/compiled/fusions';
import { lowerCircuit } from '../src/sim/gate-terms';
import { infoOf, matricesFor } from '../src/sim/host/host-terms';
import { buildKernelCircuit } from '../src/qkc';
import { Rng } from '../src/util';
import { bits, trainedBits } from './helpers/train-bits';

/** `fn`'s result with the compiled path's fused host passes off (the tensor-op path) and on. */
function unfusedAndFused<T>(fn: () => T): { unfused: T; fused: T } {
  const was = useCompiledFusions(false);
  try {
    const unfused = fn();
    useCompiledFusions(true);
    return { unfused, fused: fn() };
  } finally {
    useCompiledFusions(was);
  }
}

const kernel = (encoding: 'ry' | 'rx' | 'dense', nValues: number) => buildKernelCircuit({
  encoding, nValues, scale: Math.PI, ansatz: 'hardware-efficient', layers: 2, reupload: false, entanglement: 'reverse-linear',
}).circuit;
/** RY then a phase on one qubit: Fourier columns without cos/sin partners (the input gradient's sin pass). */
const ryPhase = () => new Circuit(2).ry(input(0, -1), 0).phase(input(0), 0).h(1).crx(weight(0), 0, 1).ry(weight(1), 1).h(0);
const zs = (n: number): Observable[] => Array.from({ length: n }, (_, q) => `Z${q}`);

const CASES: Array<{ name: string; circuit: () => Circuit; obs: (c: Circuit) => Observable[]; encoding?: 'levels' | 'fourier' }> = [
  { name: 'hybrid-small kernel (RY, 4 inputs, Fourier plan)', circuit: () => kernel('ry', 4), obs: (c) => zs(c.nQubits) },
  { name: 'the same kernel on the levels plan', circuit: () => kernel('ry', 4), obs: (c) => zs(c.nQubits), encoding: 'levels' },
  { name: 'dense encoding, 8 inputs on 4 qubits', circuit: () => kernel('dense', 8), obs: (c) => zs(c.nQubits) },
  { name: 'RX encoding, 3 inputs', circuit: () => kernel('rx', 3), obs: () => ['Z0', 'X1', 'Y2'] },
  { name: 'one input, RY then phase', circuit: ryPhase, obs: () => ['Z0', 'X0 Y1', 'Y1'] },
];

describe('compiled path fusions (wasm): same bits as the tensor-op path', function () {
  this.timeout(120_000);
  before(async function () {
    if ((await ready()).tfBackend !== 'wasm') this.skip();
  });

  it('expectations, weight and input gradients equal the unfused path bit for bit', () => {
    const rng = new Rng(5);
    for (const c of CASES) {
      const circuit = c.circuit(), compiled = compileCircuit(circuit, c.obs(circuit), c.encoding ? { encoding: c.encoding } : {});
      for (const rows of [1, 7, 1568]) {
        // Pixels in [0, 1], and values outside it (negative, several turns) for the range reduction.
        const x = tf.tensor2d(Float32Array.from({ length: rows * circuit.numInputs }, (_, i) => (i % 3 ? rng.next() : 4 * rng.normal())), [rows, circuit.numInputs]);
        const w = tf.tensor1d(Float32Array.from({ length: circuit.numWeights }, () => 6 * rng.next()));
        const dy = tf.tensor2d(Float32Array.from({ length: rows * compiled.nObs }, () => rng.normal()), [rows, compiled.nObs]);
        for (const inputGrads of [false, true]) {
          const { unfused, fused } = unfusedAndFused(() => tf.tidy(() => {
            const value = compiled.run(x, w, { inputGrads }).expectations.dataSync();
            const [gx, gw] = tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.mul(compiled.run(xi as tf.Tensor2D, wi as tf.Tensor1D, { inputGrads }).expectations, dy)))([x, w]);
            return { value: bits(value), gx: bits(gx.dataSync()), gw: bits(gw.dataSync()) };
          }));
          const what = `${c.name}, ${rows} rows, inputGrads ${inputGrads}`;
          assert.deepEqual(fused.value, unfused.value, `${what}: expectations`);
          assert.deepEqual(fused.gw, unfused.gw, `${what}: weight gradient`);
          assert.deepEqual(fused.gx, unfused.gx, `${what}: input gradient`);
        }
        tf.dispose([x, w, dy]);
      }
      compiled.dispose();
    }
  });

  it('parameter-shift gradients on the compiled path equal the unfused path bit for bit', () => {
    const rng = new Rng(9);
    for (const c of CASES.filter((k) => !k.encoding)) {
      const circuit = c.circuit();
      for (const inputGrads of [false, true]) {
        const f = differentiableExpval(circuit, c.obs(circuit), { diffMethod: 'parameter-shift', inputGrads });
        for (const rows of [1, 7, 1568]) {
          const x = tf.tensor2d(Float32Array.from({ length: rows * circuit.numInputs }, () => rng.next()), [rows, circuit.numInputs]);
          const w = tf.tensor1d(Float32Array.from({ length: circuit.numWeights }, () => 6 * rng.next()));
          const nObs = c.obs(circuit).length;
          const dy = tf.tensor2d(Float32Array.from({ length: rows * nObs }, () => rng.normal()), [rows, nObs]);
          const { unfused, fused } = unfusedAndFused(() => tf.tidy(() => {
            const [gx, gw] = tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.mul(f(xi as tf.Tensor2D, wi as tf.Tensor1D), dy)))([x, w]);
            return { gx: bits(gx.dataSync()), gw: bits(gw.dataSync()) };
          }));
          const what = `${c.name}, ${rows} rows, inputGrads ${inputGrads}`;
          assert.deepEqual(fused.gw, unfused.gw, `${what}: weight gradient`);
          assert.deepEqual(fused.gx, unfused.gx, `${what}: input gradient`);
          tf.dispose([x, w, dy]);
        }
      }
    }
  });

  it('training hybrid-small one epoch (3 steps) gives the same loss and weight bits, by backprop and by parameter-shift', async () => {
    for (const diff of ['backprop', 'parameter-shift'] as const) {
      const was = useCompiledFusions(false);
      let unfused, fused;
      try {
        unfused = await trainedBits('hybrid-small', 3, diff);
        useCompiledFusions(true);
        fused = await trainedBits('hybrid-small', 3, diff);
      } finally {
        useCompiledFusions(was);
      }
      assert.deepEqual(fused.initial, unfused.initial);
      assert.notDeepEqual(fused.weights, fused.initial, `${diff}: training moved the weights`);
      assert.equal(fused.loss, unfused.loss, `${diff}: epoch loss`);
      assert.deepEqual(fused.weights, unfused.weights, `${diff}: trained weights`);
    }
  });

  it("the host kernel's kept gate matrices equal freshly computed ones whatever the order of angles and variants", () => {
    const ops = lowerCircuit(kernel('ry', 4).ops);
    const angles = [0.3, -1.2, 0.3, 0, -0, 2.5, 2.5];
    for (const op of ops) {
      for (const theta of angles) {
        for (const variant of ['forward', 'inverse', 'derivative'] as const) {
          if (variant === 'derivative' && op.angle === undefined) continue;
          const kept = matricesFor(op, infoOf(op), theta, variant);
          // A per-row angle array of length 1 is never kept: the reference computation.
          const fresh = matricesFor(op, infoOf(op), Float64Array.of(theta), variant);
          const b64 = (a: Float64Array) => Array.from(new Uint32Array(Float64Array.from(a).buffer));
          if (op.angle !== undefined) {
            assert.deepEqual(b64(kept.mr), b64(fresh.mr), `op on [${op.wires}] ${variant} θ = ${Object.is(theta, -0) ? '-0' : theta}: re`);
            assert.deepEqual(b64(kept.mi), b64(fresh.mi), `op on [${op.wires}] ${variant} θ = ${theta}: im`);
          }
        }
      }
    }
  });
});
