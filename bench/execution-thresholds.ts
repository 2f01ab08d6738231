/**
 * Bench "execution-thresholds" (issue 14 item 2): where each executor is fastest, so that the execution
 * decision (src/sim/execution/choose.ts) picks the fastest path from measured thresholds. The issue's
 * scaling circuit (RY(πx) encoding, 2 layers of RY·RZ on every qubit and a CNOT ring, ⟨Z⟩ on every
 * qubit) at 4–12 qubits, batch 1 and 64 (and 4–8 qubits at batch 4096), on every executor that can
 * serve each task:
 *   forward (expval), backprop (forward + weight gradient through expval's own gradient),
 *   adjoint and parameter-shift (forward + weight gradient through differentiableExpval, inputs as data).
 * Variants of one size are interleaved (medians of the timed rounds). From the medians: per task and
 * batch, the largest size at which the compiled block is fastest and the smallest size from which the
 * host kernel beats the tf engine. Results: a table on stdout and bench/results/execution-thresholds.json,
 * with the thresholds the code uses beside the measured ones.
 * Run: npm run bench -- execution-thresholds [rounds] [only this batch size]
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
/** A large batch (the layers' patch batches are thousands of rows): sizes where the compiled block may win. */
const LARGE_BATCH = 4096, LARGE_SIZES = [4, 6, 8];
/**
 * Beyond 8 qubits the compiled block (2^n × 2^n unitaries built on the host, one per shifted set for
 * parameter-shift) loses to the host kernel by orders of magnitude (8 qubits, batch 1: 70–3000× in a
 * first run of this bench), so it is not timed there.
 */
const COMPILED_MAX_TIMED = 8;
/** Largest register the tf engine is timed on (see executorsFor). */
const TF_MAX_TIMED = 8;

/**
 * Who can serve a task at n qubits. tf is left out at the large batch and above TF_MAX_TIMED qubits:
 * slower than the host kernel at every such size measured (2–100×, runs of 2026-12-06).
 */
function executorsFor(task: Task, n: number, batch: number): ExecutorName[] {
  const out: ExecutorName[] = [];
  if (n <= COMPILED_MAX_TIMED) out.push('compiled');
  if ((task === 'forward' || task === 'backprop') && batch < LARGE_BATCH && n <= TF_MAX_TIMED) out.push('tf');
  out.push('host');
  return out;
}

/** A size/batch key of the timing table: "n|batch". */
type Times = Record<string, Record<string, number>>;

/**
 * Per task and batch: the largest size up to which the compiled block is the fastest executor at every
 * measured size (0: never), and the smallest size at which the host kernel beats the tf engine (or tf
 * was not timed). Exported so that a saved table can be read again.
 */
export function deriveThresholds(times: Times): Record<string, { compiledMaxQubits: number; hostMinQubits: number }> {
  const measured: Record<string, { compiledMaxQubits: number; hostMinQubits: number }> = {};
  for (const task of TASKS) {
    for (const batch of [...BATCHES, LARGE_BATCH]) {
      let compiledMax = 0, compiledSoFar = true, hostMin = Infinity;
      for (const n of batch === LARGE_BATCH ? LARGE_SIZES : SIZES) {
        const row = times[`${n}|${batch}`];
        if (!row) continue;
        const mine = Object.entries(row).filter(([k]) => k.startsWith(`${task}|`)).map(([k, v]) => [k.split('|')[1], v] as [string, number]);
        const best = mine.reduce((x, y) => (y[1] < x[1] ? y : x))[0];
        if (compiledSoFar && best === 'compiled') compiledMax = n; else compiledSoFar = false;
        const tfTime = row[`${task}|tf`], hostTime = row[`${task}|host`];
        if (tfTime === undefined || hostTime < tfTime) hostMin = Math.min(hostMin, n);
      }
      measured[`${task}|batch ${batch}`] = { compiledMaxQubits: compiledMax, hostMinQubits: hostMin === Infinity ? SIZES[SIZES.length - 1] + 2 : hostMin };
    }
  }
  return measured;
}

export async function main(rounds = 3, only = 0): Promise<void> {
  const info = await ready();
  const loadBefore = machineLoad();
  const times: Times = {};
  const runs: [number, number][] = [...SIZES.flatMap((n) => BATCHES.map((b) => [n, b] as [number, number])), ...LARGE_SIZES.map((n) => [n, LARGE_BATCH] as [number, number])];
  // `only` (a batch size) measures that batch alone, e.g. to add the large batch to a saved run.
  for (const [n, batch] of runs.filter(([, b]) => !only || b === only)) {
    const c = scalingCircuit(n), obs = Array.from({ length: n }, (_, q) => `Z${q}`);
    {
      const x = tf.randomUniform([batch, n], 0, 1, 'float32', 7) as tf.Tensor2D;
      const w = tf.variable(tf.randomUniform([c.numWeights], 0, 2 * Math.PI, 'float32', 3)) as tf.Variable<tf.Rank.R1>;
      const variants: Record<string, Timed> = {};
      for (const task of TASKS) {
        for (const ex of executorsFor(task, n, batch)) {
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
  const measured = deriveThresholds(times);
  const result = {
    workload: 'execution-thresholds: RY(πx) encoding, 2 layers of RY·RZ and a CNOT ring, ⟨Z⟩ on every qubit',
    date: new Date().toISOString(), backend: info.tfBackend, node: process.version,
    machine: { before: loadBefore, after: machineLoad() }, rounds, sizes: SIZES, batches: BATCHES, largeBatch: { batch: LARGE_BATCH, sizes: LARGE_SIZES },
    medianWallMs: times,
    measured,
    note: 'compiledMaxQubits: largest measured size (counting up in steps of 2 from 4) at which the compiled block is the fastest executor; hostMinQubits: smallest measured size at which the host kernel beats the tf engine (or tf is not a contender).',
    inCode: FASTEST_PATH_THRESHOLDS,
    inCodeNote: 'FASTEST_PATH_THRESHOLDS as set from `measured` (batch classes: small ≤ 8 rows ← batch 1, medium ≤ 512 ← batch 64, large ← batch 4096).',
  };
  console.log('measured thresholds:', JSON.stringify(measured));
  const file = path.join(__dirname, 'results', 'execution-thresholds.json');
  await writeFileAtomic(file, JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
