/**
 * Bench "default-path" (issue 14 item 2): is the default the fastest path? qkc's default `expval`
 * (differentiated by tf.grad, as a user writes it) against its adjoint path (`differentiableExpval`
 * with diffMethod 'adjoint'), on the peers bench's scaling circuit (RY(πx) encoding, 2 layers of RY·RZ
 * and a CNOT ring, ⟨Z⟩ on every qubit), forward and forward + weight gradient, interleaved rounds.
 * The issue's run (before the host read-out) had the default at 1.89 ms against 0.86 ms at 8 qubits,
 * and 8.2 against 4.8 ms at 12 qubits (batch 1, forward + gradient). Medians of wall and CPU time; the
 * CPU time is the steadier figure on a shared machine. Results: bench/results/default-path.json.
 * Run: npm run bench -- default-path [rounds=3] (7× as many for the cases of a few milliseconds)
 */
import * as path from 'path';
import { ready, tf } from '../src/backend';
import { differentiableExpval, expval, explainExecution } from '../src/sim';
import { writeFileAtomic } from '../src/util';
import { scalingCircuit } from './peers';
import { interleaveWallAndCpu, machineLoad, stats, Timed } from './timing';

const CASES: [number, number][] = [[4, 1], [8, 1], [12, 1], [16, 1], [4, 64], [8, 64], [12, 64]];

export async function main(rounds = 3): Promise<void> {
  const info = await ready();
  const loadBefore = machineLoad();
  const out: Record<string, unknown>[] = [];
  for (const [n, batch] of CASES) {
    const c = scalingCircuit(n), obs = Array.from({ length: n }, (_, q) => `Z${q}`);
    const x = tf.randomUniform([batch, n], 0, 1, 'float32', 100 + n) as tf.Tensor2D;
    const w = tf.variable(tf.randomUniform([c.numWeights], 0, 2 * Math.PI, 'float32', n)) as tf.Variable<tf.Rank.R1>;
    const adjoint = differentiableExpval(c, obs, { diffMethod: 'adjoint', inputGrads: false });
    const fwdGrad = (f: () => tf.Tensor2D): Timed => () => { const { value, grads } = tf.variableGrads(() => tf.sum(f()) as tf.Scalar, [w]); return [value, grads[w.name]]; };
    const variants: Record<string, Timed> = {
      'default forward': () => expval(c, obs, { inputs: x, weights: w }),
      'adjoint forward': () => adjoint(x, w),
      'default forward+grad': fwdGrad(() => expval(c, obs, { inputs: x, weights: w })),
      'adjoint forward+grad': fwdGrad(() => adjoint(x, w)),
    };
    // Calls of a few milliseconds get 7× the rounds: their medians are the noisiest on a loaded machine.
    const quick = n <= 12 && batch === 1 || n <= 8;
    const s = interleaveWallAndCpu(variants, quick ? 7 * rounds : rounds, quick ? 3 : 1);
    const med = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, { wallMs: stats(v.wall).median, cpuMs: stats(v.cpu).median, minWallMs: stats(v.wall).min }]));
    const ratio = (m: 'forward' | 'forward+grad') => med[`default ${m}`].cpuMs / med[`adjoint ${m}`].cpuMs;
    const chosen = explainExecution({ circuit: c, batch, differentiable: true }).executor;
    out.push({ n, batch, rounds: quick ? 7 * rounds : rounds, defaultExecutor: chosen, medians: med, defaultOverAdjointCpu: { forward: ratio('forward'), forwardGrad: ratio('forward+grad') } });
    console.log(`${n} qubits × batch ${batch} (default: ${chosen}): ${Object.entries(med).map(([k, v]) => `${k} ${v.cpuMs.toFixed(2)} ms cpu`).join(', ')}; default/adjoint ${ratio('forward').toFixed(2)} / ${ratio('forward+grad').toFixed(2)}`);
    tf.dispose([x, w]);
  }
  const file = path.join(__dirname, 'results', 'default-path.json');
  await writeFileAtomic(file, JSON.stringify({ workload: 'default-path', date: new Date().toISOString(), backend: info.tfBackend, node: process.version, rounds, machine: { before: loadBefore, after: machineLoad() }, cases: out }, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
