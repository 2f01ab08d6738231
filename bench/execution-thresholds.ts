/**
 * Bench "execution-thresholds" (issue 14 item 2): where each executor is fastest, so that the execution
 * decision (src/sim/execution/choose.ts) picks the fastest path from measured thresholds. The issue's
 * scaling circuit (RY(πx) encoding, 2 layers of RY·RZ on every qubit and a CNOT ring, ⟨Z⟩ on every
 * qubit) at 4–12 qubits, batch 1 and 64, on every executor that can serve each task:
 *   forward (expval), backprop (forward + weight gradient through expval's own gradient),
 *   adjoint and parameter-shift (forward + weight gradient through differentiableExpval, inputs as data).
 * Variants of one size are interleaved (medians of the timed rounds). From the medians: per task and
 * batch, the largest size at which the compiled block is fastest and the smallest size from which the
 * host kernel beats the tf engine. Results: a table on stdout and bench/results/execution-thresholds.json,
 * with the thresholds the code uses beside the measured ones.
 * Run: npm run bench -- execution-thresholds [rounds]
 */
import * as path from 'path';
import { ready, tf } from '../src/backend';
import { Circuit, DiffMethod, ExecutorName, differentiableExpval, expval, input, weight } from '../src/sim';
import { FASTEST_PATH_THRESHOLDS } from '../src/sim/execution/choose';
import { writeFileAtomic } from '../src/train';
import { interleaveWallAndCpu, machineLoad, stats, Timed } from './timing';

/** The issue's scaling circuit on n qubits. */
export function scalingCircuit(n: number): Circuit {
  const c = new Circuit(n);
  for (let q = 0; q < n; q++) c.ry(input(q, Math.PI), q);
  for (let l = 0; l < 2; l++) {
    for (let q = 0; q < n; q++) c.ry(weight(2 * (l * n + q)), q).rz(weight(2 * (l * n + q) + 1), q);
    for (let q = 0; q < n; q++) c.cx(q, (q + 1) % n);
  }
  return c;
}

type Task = 'forward' | DiffMethod;
const TASKS: Task[] = ['forward', 'backprop', 'adjoint', 'parameter-shift'];
const SIZES = [4, 6, 8, 10, 12];
const BATCHES = [1, 64];
/** The tf engine's per-gate transposes make it impractical beyond this (it is not a contender there). */
const TF_MAX_QUBITS = 12;

/** Who can serve a task at n qubits. */
function executorsFor(task: Task, n: number): ExecutorName[] {
  const out: ExecutorName[] = [];
  if (n <= 10) out.push('compiled');
  if ((task === 'forward' || task === 'backprop') && n <= TF_MAX_QUBITS) out.push('tf');
  out.push('host');
  return out;
}

export async function main(rounds = 3): Promise<void> {
  const info = await ready();
  const loadBefore = machineLoad();
  const times: Record<string, Record<string, number>> = {};
  for (const n of SIZES) {
    const c = scalingCircuit(n), obs = Array.from({ length: n }, (_, q) => `Z${q}`);
    for (const batch of BATCHES) {
      const x = tf.randomUniform([batch, n], 0, 1, 'float32', 7) as tf.Tensor2D;
      const w = tf.variable(tf.randomUniform([c.numWeights], 0, 2 * Math.PI, 'float32', 3)) as tf.Variable<tf.Rank.R1>;
      const variants: Record<string, Timed> = {};
      for (const task of TASKS) {
        for (const ex of executorsFor(task, n)) {
          const key = `${task}|${ex}`;
          if (task === 'forward') variants[key] = () => expval(c, obs, { inputs: x, weights: w, executor: ex });
          else {
            const f = task === 'backprop'
              ? (xs: tf.Tensor2D, ws: tf.Tensor1D) => expval(c, obs, { inputs: xs, weights: ws, executor: ex })
              : differentiableExpval(c, obs, { diffMethod: task, executor: ex, inputGrads: false });
            variants[key] = () => { const { value, grads } = tf.variableGrads(() => tf.sum(f(x, w)) as tf.Scalar, [w]); return [value, grads[w.name]]; };
          }
        }
      }
      const samples = interleaveWallAndCpu(variants, rounds, 1);
      const row: Record<string, number> = {};
      for (const [k, s] of Object.entries(samples)) row[k] = stats(s.wall).median;
      times[`${n}|${batch}`] = row;
      console.log(`${n} qubits, batch ${batch}: ${Object.entries(row).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
      tf.dispose([x, w]);
    }
  }
  // Per task and batch: the compiled block's last winning size, and where host overtakes tf.
  const measured: Record<string, { compiledMaxQubits: number; hostMinQubits: number }> = {};
  for (const task of TASKS) {
    for (const batch of BATCHES) {
      let compiledMax = 0, hostMin = Infinity;
      for (const n of SIZES) {
        const row = times[`${n}|${batch}`];
        const mine = Object.entries(row).filter(([k]) => k.startsWith(`${task}|`)).map(([k, v]) => [k.split('|')[1], v] as [string, number]);
        const best = mine.reduce((a, b) => (b[1] < a[1] ? b : a))[0];
        if (best === 'compiled' && compiledMax === n - 2) compiledMax = n;
        const tfTime = row[`${task}|tf`], hostTime = row[`${task}|host`];
        if (tfTime === undefined || hostTime < tfTime) hostMin = Math.min(hostMin, n);
      }
      measured[`${task}|batch ${batch}`] = { compiledMaxQubits: compiledMax, hostMinQubits: hostMin === Infinity ? SIZES[SIZES.length - 1] + 2 : hostMin };
    }
  }
  const result = {
    workload: 'execution-thresholds: RY(πx) encoding, 2 layers of RY·RZ and a CNOT ring, ⟨Z⟩ on every qubit',
    date: new Date().toISOString(), backend: info.tfBackend, node: process.version,
    machine: { before: loadBefore, after: machineLoad() }, rounds, sizes: SIZES, batches: BATCHES,
    medianWallMs: times,
    measured,
    note: 'compiledMaxQubits: largest measured size (counting up in steps of 2 from 4) at which the compiled block is the fastest executor; hostMinQubits: smallest measured size at which the host kernel beats the tf engine (or tf is not a contender).',
    inCode: FASTEST_PATH_THRESHOLDS,
  };
  console.log('measured thresholds:', JSON.stringify(measured));
  const file = path.join(__dirname, 'results', 'execution-thresholds.json');
  await writeFileAtomic(file, JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
