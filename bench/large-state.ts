/**
 * Bench "large-state": one circuit on a growing register (batch 1, and batch 64 behind a per-row
 * encoding), the tf engine against the plain-JS host kernel, to place HOST_ENGINE_MIN_QUBITS (where `simulate`'s 'auto' switches engine); then the
 * issue-2 target, a single 20-qubit, 200-gate circuit (RY·RZ pairs and CNOTs, as in the statevector
 * test) on the host engine, plus its gradient through expval (the adjoint custom gradient), with the
 * process memory it takes. Variants interleaved, medians. The tf engine at 20 qubits takes ~30 s a run:
 * pass a second argument of 1 to time it once too.
 * Run: npm run bench -- large-state [rounds] [tf20]
 */
import * as path from 'path';
import { ready, tf } from '../src/backend';
import { Circuit, simulate, expval, input, weight, HOST_ENGINE_MIN_QUBITS } from '../src/sim';
import { writeFileAtomic } from '../src/train';
import { interleaveWallAndCpu, machineLoad, stats, Samples, TimeStats } from './timing';

/** The statevector test's circuit: per step an RY·RZ pair on a random qubit, every third a CNOT. */
function stepCircuit(n: number, steps: number, seed: number, weighted = false): Circuit {
  let s = seed >>> 0;
  const rand = () => { s = (s + 0x6d2b79f5) >>> 0; let t = Math.imul(s ^ (s >>> 15), s | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const c = new Circuit(n);
  let k = 0;
  for (let i = 0; i < steps; i++) {
    const q = Math.floor(rand() * n);
    if (i % 3 === 2) c.cx(q, (q + 1 + Math.floor(rand() * (n - 1))) % n);
    else if (weighted) c.ry(weight(k++), q).rz(rand(), q);
    else c.ry(rand() * 3, q).rz(rand(), q);
  }
  return c;
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

export async function main(rounds = 3, tf20 = 0): Promise<void> {
  const info = await ready();
  const loadBefore = machineLoad();
  const states = (c: Circuit, engine: 'tf' | 'host') => () => { const s = simulate(c, { engine }); return [s.re, s.im]; };

  // Crossover: 60 steps (≈100 gates) per register size, batch 1; and batch 64 behind an RY(x_q) encoding.
  type Both = { wall: TimeStats; cpu: TimeStats };
  const both = (v: Samples): Both => ({ wall: stats(v.wall), cpu: stats(v.cpu) });
  const crossover: Record<string, { tf: Both; host: Both; ratioWall: number; ratioCpu: number }> = {};
  for (const batch of [1, 64]) {
    for (const n of batch === 1 ? [4, 6, 8, 10, 12, 14, 16] : [4, 6, 8, 10, 12]) {
      const c = new Circuit(n);
      if (batch > 1) for (let q = 0; q < n; q++) c.ry(input(q), q);
      c.compose(stepCircuit(n, 60, n));
      const inputs = batch > 1 ? tf.randomUniform([batch, n], 0, 3, 'float32', n) as tf.Tensor2D : undefined;
      const run = (engine: 'tf' | 'host') => () => { const s = simulate(c, { inputs, engine }); return [s.re, s.im]; };
      const t = interleaveWallAndCpu({ tf: run('tf'), host: run('host') }, rounds, 1);
      const tfT = both(t.tf), hostT = both(t.host);
      crossover[`n=${n}, batch ${batch}`] = { tf: tfT, host: hostT, ratioWall: tfT.wall.median / hostT.wall.median, ratioCpu: tfT.cpu.median / hostT.cpu.median };
      inputs?.dispose();
    }
  }

  // The 20-qubit target on the host engine, and a gradient through it (100 weights, ⟨Z0⟩).
  const c20 = stepCircuit(20, 200, 3);
  const g20 = stepCircuit(20, 150, 4, true);
  const w = tf.variable(tf.randomUniform([g20.numWeights], 0, 3, 'float32', 1)) as tf.Variable<tf.Rank.R1>;
  const rssBefore = process.memoryUsage().rss;
  const big = interleaveWallAndCpu({
    '20 qubits, 200 steps: simulate (host)': states(c20, 'host'),
    '20 qubits, 150 steps: expval ⟨Z0⟩ + grad(100 weights) (host, adjoint)': () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(expval(g20, ['Z0'], { weights: w, engine: 'host' })) as tf.Scalar, [w]);
      return [value, grads[w.name]];
    },
  }, rounds, 1);
  const rssAfter = process.memoryUsage().rss;
  const s = simulate(c20);
  const norm = tf.sum(tf.add(tf.square(s.re), tf.square(s.im))).dataSync()[0];
  tf.dispose([s.re, s.im]);
  const slow = tf20 ? interleaveWallAndCpu({ '20 qubits, 200 steps: simulate (tf engine)': states(c20, 'tf') }, 1, 0) : {};

  const all: Record<string, Both> = {};
  for (const [k, v] of Object.entries({ ...big, ...slow }) as [string, Samples][]) all[k] = both(v);
  const result = {
    workload: 'large-state',
    date: new Date().toISOString(),
    backend: info.tfBackend,
    node: process.version,
    machine: { before: loadBefore, after: machineLoad() },
    hostEngineMinQubits: HOST_ENGINE_MIN_QUBITS,
    crossoverMs: crossover,
    timesMs: all,
    twentyQubits: {
      gates: c20.ops.length,
      norm,
      stateMiB: { float32: mb(2 ** 20 * 8), hostFloat64: mb(2 ** 20 * 16) },
      rssMiB: { before: mb(rssBefore), after: mb(rssAfter), peakSeenAfter: mb(process.memoryUsage().rss) },
    },
  };

  console.log(`backend ${info.tfBackend}, load ${loadBefore.loadavg1}→${result.machine.after.loadavg1} on ${loadBefore.cores} cores`);
  console.log('register         tf engine ms (wall / cpu)   host ms (wall / cpu)   tf / host (wall / cpu)   [60 steps ≈ 100 gates]');
  for (const [n, r] of Object.entries(crossover)) {
    console.log(`${n.padEnd(16)} ${r.tf.wall.median.toFixed(1).padStart(12)} / ${r.tf.cpu.median.toFixed(1).padEnd(10)} ${r.host.wall.median.toFixed(1).padStart(9)} / ${r.host.cpu.median.toFixed(1).padEnd(10)} ${r.ratioWall.toFixed(1).padStart(8)} / ${r.ratioCpu.toFixed(1)}`);
  }
  for (const [k, v] of Object.entries(all)) console.log(`${k.padEnd(70)} median ${v.wall.median.toFixed(0)} ms wall, ${v.cpu.median.toFixed(0)} ms cpu`);
  console.log(`20 qubits: ${c20.ops.length} gates, norm ${norm.toFixed(5)}, state ${result.twentyQubits.stateMiB.float32} MiB (float32), rss ${result.twentyQubits.rssMiB.before} → ${result.twentyQubits.rssMiB.after} MiB`);
  const file = path.join(__dirname, 'results', 'large-state.json');
  await writeFileAtomic(file, JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
  w.dispose();
}
