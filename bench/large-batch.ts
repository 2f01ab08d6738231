/**
 * Bench "large-batch" (issue 14): which way of walking a large batch is fastest for forward + weight
 * gradient on large registers (the issue-14 scaling circuit, 18–20 qubits × batch 64), where a batch of
 * states no longer fits any cache (20 × 64: 512 MiB per copy of the states). Contenders, interleaved in
 * every round (wall and CPU time of this process):
 *   adjoint, as chosen:         differentiableExpval (adjoint) with the walk hostBatching decides;
 *   adjoint, keep all states:   the final states of all rows kept for the sweep (no recomputation);
 *   adjoint, recompute:         no states kept: the sweep recomputes each chunk's final states;
 *   adjoint, chunks of k rows:  k rows per chunk other than the chosen (k ≤ 2^20 / 2^n: the kernel's inner
 *                               passes cap there);
 *   row by row:                 one differentiableExpval call per row (batch 1), weight gradients summed;
 *   default expval:             expval under tf.variableGrads (its sweep also computes input gradients).
 * All contenders' outputs and weight gradients are checked against the chosen path's first (to 1e-9
 * relative; they run the same float64 kernel). Results: a table on stdout and
 * bench/results/large-batch.json (merged by size: a run replaces the sizes it measured).
 * Run: npm run bench -- large-batch [rounds=3] [batch=64] [minQubits=18] [maxQubits=20]
 */
import * as fs from 'fs';
import * as path from 'path';
import { ready, tf } from '../src/backend';
import { differentiableExpval, expval } from '../src/sim';
import { forceHostBatching, hostBatching, hostChunkRows, HostBatchingOverride, HOST_CHUNK_AMPLITUDES, HOST_KEEP_STATES_AMPLITUDES } from '../src/sim/execution/host-batching';
import { writeFileAtomic } from '../src/util';
import { interleaveWallAndCpu, machineLoad, stats, Timed } from './timing';
import { scalingCircuit } from './peers';

type Contender = { run: () => [tf.Tensor, tf.Tensor]; walk?: HostBatchingOverride };

/** Contenders at n qubits × `batch` rows (see the file comment). */
function contenders(n: number, x: tf.Tensor2D, w: tf.Variable<tf.Rank.R1>): Record<string, Contender> {
  const c = scalingCircuit(n), obs = Array.from({ length: n }, (_, q) => `Z${q}`), batch = x.shape[0];
  const adjoint = differentiableExpval(c, obs, { diffMethod: 'adjoint', inputGrads: false });
  const grad = (f: () => tf.Tensor): [tf.Tensor, tf.Tensor] => {
    const { value, grads } = tf.variableGrads(() => tf.sum(f()) as tf.Scalar, [w]);
    return [value, grads[w.name]];
  };
  const viaAdjoint = () => grad(() => adjoint(x, w));
  const out: Record<string, Contender> = {
    'adjoint, as chosen': { run: viaAdjoint },
    'adjoint, keep all states': { run: viaAdjoint, walk: { keepAmplitudes: Infinity } },
    'adjoint, recompute': { run: viaAdjoint, walk: { keepAmplitudes: 0 } },
  };
  for (let k = 1; k * 2 ** n <= 2 ** 20 && k < batch; k *= 2) if (k !== hostChunkRows(n, batch)) out[`adjoint, chunks of ${k} rows`] = { run: viaAdjoint, walk: { chunkAmplitudes: k * 2 ** n } };
  out['row by row'] = {
    run: () => {
      let value = tf.scalar(0), g: tf.Tensor = tf.zerosLike(w);
      for (let r = 0; r < batch; r++) {
        const row = tf.slice(x, [r, 0], [1, n]);
        const [v, gr] = grad(() => adjoint(row, w));
        value = tf.add(value, v);
        g = tf.add(g, gr);
      }
      return [value, g];
    },
  };
  out['default expval'] = { run: () => grad(() => expval(c, obs, { inputs: x, weights: w })) };
  return out;
}

/** Runs `f` under the walk `walk` (the measured rule when undefined). */
function withWalk<T>(walk: HostBatchingOverride | undefined, f: () => T): T {
  const before = forceHostBatching(walk);
  try { return f(); } finally { forceHostBatching(before); }
}

const relDiff = (a: Float32Array | Int32Array | Uint8Array, b: Float32Array | Int32Array | Uint8Array) => {
  const scale = Math.max(1, ...Array.from(b, Math.abs));
  return Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0) / scale;
};

export async function main(rounds = 3, batch = 64, minQubits = 18, maxQubits = 20): Promise<void> {
  const info = await ready();
  const file = path.join(__dirname, 'results', 'large-batch.json');
  const saved = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) as { cases: Array<{ n: number; batch: number }> } : { cases: [] };
  for (let n = minQubits; n <= maxQubits; n += 2) {
    const load0 = machineLoad();
    const x = tf.randomUniform([batch, n], 0, 1, 'float32', 100 + n) as tf.Tensor2D;
    const w = tf.variable(tf.randomUniform([4 * n], 0, 2 * Math.PI, 'float32', n)) as tf.Variable<tf.Rank.R1>;
    const all = contenders(n, x, w);
    // Agreement first (the same float64 kernel on every walk: sums in another order at most).
    const ref = tf.tidy(() => all['adjoint, as chosen'].run().map((t) => t.dataSync().slice()));
    const agreement: Record<string, { value: number; grad: number }> = {};
    for (const [name, k] of Object.entries(all)) {
      const got = tf.tidy(() => withWalk(k.walk, k.run).map((t) => t.dataSync().slice()));
      agreement[name] = { value: relDiff(got[0], ref[0]), grad: relDiff(got[1], ref[1]) };
      if (agreement[name].grad > 1e-5 || agreement[name].value > 1e-5) throw new Error(`large-batch: '${name}' disagrees with the chosen path at ${n} qubits: ${JSON.stringify(agreement[name])}`);
      console.log(`${n} × ${batch} ${name}: agrees (${agreement[name].value.toExponential(1)} / ${agreement[name].grad.toExponential(1)})`);
    }
    const variants: Record<string, Timed> = Object.fromEntries(Object.entries(all).map(([name, k]) => [name, () => withWalk(k.walk, k.run)]));
    const samples = interleaveWallAndCpu(variants, rounds, 0);
    const chosen = samples['adjoint, as chosen'];
    const rows = Object.entries(samples).map(([name, s]) => ({
      contender: name, wallMs: stats(s.wall), cpuMs: stats(s.cpu), wallSamples: s.wall, cpuSamples: s.cpu,
      // Per round: this contender's time over the chosen path's (< 1: faster than the chosen path).
      overChosenCpu: s.cpu.map((v, i) => v / chosen.cpu[i]), overChosenWall: s.wall.map((v, i) => v / chosen.wall[i]),
      agreement: agreement[name],
    }));
    const load1 = machineLoad();
    console.log(`\n${n} qubits × batch ${batch} (load ${load0.loadavg1} → ${load1.loadavg1}; chosen walk ${JSON.stringify(hostBatching(n, batch, true))})`);
    for (const r of rows) console.log(`  ${r.contender.padEnd(28)} wall ${r.wallMs.median.toFixed(0).padStart(7)} ms  cpu ${r.cpuMs.median.toFixed(0).padStart(7)} ms  × chosen (cpu) ${stats(r.overChosenCpu).median.toFixed(2)} (${Math.min(...r.overChosenCpu).toFixed(2)}–${Math.max(...r.overChosenCpu).toFixed(2)})`);
    saved.cases = saved.cases.filter((c) => !(c.n === n && c.batch === batch));
    saved.cases.push({ n, batch, date: new Date().toISOString(), rounds, load: { before: load0, after: load1 }, chosenWalk: hostBatching(n, batch, true), contenders: rows } as { n: number; batch: number });
    saved.cases.sort((a, b) => a.batch - b.batch || a.n - b.n);
    await writeFileAtomic(file, JSON.stringify({ ...saved, workload: 'large-batch: issue-14 scaling circuit, forward + weight gradient', backend: info.tfBackend, node: process.version, inCode: { HOST_CHUNK_AMPLITUDES, HOST_KEEP_STATES_AMPLITUDES }, note: 'overChosenCpu / overChosenWall: per round, the contender\'s time over the chosen walk\'s (< 1: faster than the chosen walk)' }, null, 2) + '\n');
    tf.dispose([x, w]);
  }
}
