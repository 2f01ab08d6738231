/**
 * Bench: the qkc-mnist-batch workload through QuantumConv2D (64 images 28×28, 2×2 windows with stride 2,
 * 12,544 four-qubit patch circuits; RY(π·x) encoding, 2 hardware-efficient layers, 16 shared weights,
 * ⟨Z⟩ on each qubit → [64, 14, 14, 4]), timed in one run against:
 *   - the raw simulator on the same patches (differentiableExpval), to show what the layer adds;
 *   - tf.layers.conv2d with the same shape (4 filters, kernel 2, stride 2). wasm has no
 *     Conv2DBackpropFilter kernel, so its forward+backward is timed as the same convolution written as
 *     im2col + matMul (identical output, trainable on wasm).
 * Variants are interleaved round by round (order shuffled per round); medians are reported with
 * patch-circuits per second.
 * Run: node -r ts-node/register/transpile-only bench/qkc-layer.ts [rounds]
 */
import * as os from 'os';
import { ready, tf } from '../src/backend';
import { Circuit, input, weight, differentiableExpval } from '../src/sim';
import { DIFF_METHODS, QuantumConv2D, extractPatches } from '../src/qkc';
import { Rng } from '../src/util';

const BATCH = 64;
const WINDOW = { kernelSize: [2, 2] as [number, number], strides: [2, 2] as [number, number], padding: 'valid' as const };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall time (ms) of one synchronous call whose result is read back (so lazy work is included). */
function ms(fn: () => tf.Tensor | tf.Tensor[]): number {
  const t0 = performance.now();
  tf.tidy(() => {
    const out = fn();
    for (const t of Array.isArray(out) ? out : [out]) t.dataSync();
  });
  return performance.now() - t0;
}

/** The workload's kernel circuit, built by hand (as the simulator bench defines it). */
function workloadCircuit(): Circuit {
  const c = new Circuit(4);
  for (let q = 0; q < 4; q++) c.ry(input(q, Math.PI), q);
  for (let l = 0; l < 2; l++) {
    for (let q = 0; q < 4; q++) c.ry(weight(8 * l + 2 * q), q).rz(weight(8 * l + 2 * q + 1), q);
    c.cx(0, 1).cx(1, 2).cx(2, 3).cx(3, 0);
  }
  return c;
}

export async function main(rounds = 7): Promise<void> {
  const info = await ready();
  const x = tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
  const patches = tf.reshape(extractPatches(x, WINDOW), [-1, 4]) as tf.Tensor2D;
  const nPatches = patches.shape[0];
  const obs = ['Z0', 'Z1', 'Z2', 'Z3'];
  const circuit = workloadCircuit();
  const w = tf.variable(tf.randomUniform([16], 0, 2 * Math.PI, 'float32', 2)) as tf.Variable<tf.Rank.R1>;

  const layers = new Map<string, QuantumConv2D>();
  for (const method of DIFF_METHODS) {
    const l = new QuantumConv2D({ kernelSize: 2, strides: 2, layers: 2, seed: 3, diffMethod: method, inputGradients: false });
    l.apply(x);
    layers.set(method, l);
  }
  const gateByGate = new QuantumConv2D({ kernelSize: 2, strides: 2, layers: 2, seed: 3, simulation: 'gate-by-gate' });
  gateByGate.apply(x);
  const conv = tf.layers.conv2d({ filters: 4, kernelSize: 2, strides: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) });
  conv.apply(x);
  const kernel = tf.variable(tf.randomNormal([4, 4], 0, 0.5, 'float32', 5));

  const variants: Record<string, () => tf.Tensor | tf.Tensor[]> = {
    'layer forward (auto)': () => layers.get('backprop')!.apply(x) as tf.Tensor,
    'layer forward (gate-by-gate)': () => gateByGate.apply(x) as tf.Tensor,
    'raw sim forward': () => differentiableExpval(circuit, obs, { diffMethod: 'backprop' })(patches, w),
    'conv2d forward': () => conv.apply(x) as tf.Tensor,
    'conv as im2col·matMul fwd+bwd': () => Object.values(tf.variableGrads(() => tf.sum(tf.square(tf.matMul(tf.reshape(extractPatches(x, WINDOW), [-1, 4]) as tf.Tensor2D, kernel))) as tf.Scalar, [kernel]).grads),
  };
  for (const method of DIFF_METHODS) {
    const l = layers.get(method)!;
    const lw = l.trainableWeights.map((v) => v.read() as tf.Variable);
    variants[`layer fwd+bwd ${method}`] = () => Object.values(tf.variableGrads(() => tf.sum(tf.square(l.apply(x) as tf.Tensor)) as tf.Scalar, lw).grads);
    const f = differentiableExpval(circuit, obs, { diffMethod: method, inputGrads: false });
    variants[`raw sim fwd+bwd ${method}`] = () => Object.values(tf.variableGrads(() => tf.sum(tf.square(f(patches, w))) as tf.Scalar, [w]).grads);
  }

  const times: Record<string, number[]> = {};
  const entries = Object.entries(variants);
  const rng = new Rng(11);
  for (let r = -1; r < rounds; r++) { // round -1 warms up
    // A fresh order each round: the host-side gradient methods leave garbage-collection work that
    // would otherwise always land on the same next variant.
    for (const [name, fn] of rng.shuffle([...entries])) {
      const t = ms(fn);
      if (r >= 0) (times[name] ??= []).push(t);
    }
  }
  const base = median(times['conv2d forward']);
  console.log(`backend ${info.tfBackend}; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores; ${BATCH} images 28×28 → ${nPatches} patch circuits (4 qubits, 16 weights); median of ${rounds} interleaved rounds`);
  console.log(`${'variant'.padEnd(34)} ${'ms'.padStart(9)} ${'× conv2d fwd'.padStart(13)} ${'patch-circuits/s'.padStart(17)}`);
  for (const [name] of entries) {
    const m = median(times[name]);
    const rate = name.startsWith('conv') ? '' : Math.round(nPatches / (m / 1000)).toLocaleString('en-US');
    console.log(`${name.padEnd(34)} ${m.toFixed(2).padStart(9)} ${(m / base).toFixed(1).padStart(13)} ${rate.padStart(17)}`);
  }
}

if (require.main === module) {
  main(Number(process.argv[2] ?? 7)).catch((e) => { console.error(e); process.exit(1); });
}
