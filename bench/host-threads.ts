/**
 * Bench "host-threads": the host kernel on one thread against two (src/sim/host/host-parallel.ts) on the
 * issue-14 scaling circuit (RY(πx) encoding, 2 layers of RY·RZ and a CNOT ring, ⟨Z⟩ on every qubit),
 * forward and forward + adjoint gradient through differentiableExpval, at 14–24 qubits (or from minQubits), batch 1 and a
 * small batch; one and two threads alternate in every round, each timing with the 1-minute load beside
 * it. Writes bench/results/host-threads.json after every case, merging: the sizes a run measures replace the
 * same sizes, the others stay with their own date and loads; with the thresholds the execution choice uses
 * (HOST_THREADS_MIN_QUBITS: from where two threads won at every larger size and both batches, over all), and
 * checks whether tfjs-backend-wasm's threaded build runs under this Node (the other way to use 2 cores).
 * Run: npm run bench -- host-threads [rounds=3] [maxQubits=24] [smallBatch=4] [minQubits=14] (every second size from minQubits)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { ready, tf } from '../src/backend';
import { differentiableExpval, explainExecution } from '../src/sim';
import { HOST_THREADS_ENV } from '../src/sim/execution/threads';
import { forwardParallel } from '../src/sim/host/host-parallel';
import { prepareGradientRun } from '../src/sim/host/host-prepare';
import { writeFileAtomic } from '../src/train';
import { machineLoad, stats, timeWallAndCpu, TimeStats } from './timing';
import { scalingCircuit } from './peers';

const OUT = path.join(__dirname, 'results', 'host-threads.json');
type Task = 'forward' | 'gradient';

/** Whether tfjs-backend-wasm's threaded-SIMD build initialises here (in a child process: it may hang or abort). */
function wasmThreadsCheck(): { ok: boolean; detail: string } {
  const code = `
    const tf = require('@tensorflow/tfjs'); const wasm = require('@tensorflow/tfjs-backend-wasm');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true); wasm.setThreadsCount(2);
    tf.setBackend('wasm').then((ok) => { console.log(ok && tf.getBackend() === 'wasm' ? 'OK threads=' + tf.backend().getThreadsCount() : 'FAILED'); process.exit(0); },
      (e) => { console.log('FAILED ' + (e && e.message)); process.exit(0); });`;
  const r = spawnSync(process.execPath, ['-e', code], { cwd: path.join(__dirname, '..'), encoding: 'utf8', timeout: 60_000 });
  const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /OK|FAILED|Error|ERR_/.test(l)).slice(0, 3).join(' | ');
  return { ok: /^OK/m.test(r.stdout), detail: lines || `exit ${r.status}` };
}

interface CaseResult {
  n: number; batch: number;
  /** Per task and thread count: wall and CPU ms stats; ratio = one-thread wall / two-thread wall per round. */
  ms: Record<Task, Record<'1' | '2', { wall: TimeStats; cpu: TimeStats }>>;
  ratio: Record<Task, { median: number; min: number; max: number; perRound: number[] }>;
  load: { perRound: number[] };
  skipped?: string;
  /** When the case was measured (cases of earlier runs keep theirs: a run replaces only the sizes it measures). */
  date?: string;
}

/** Times one case: every round runs forward and forward + gradient on 1 and 2 threads, alternating. */
function runCase(n: number, batch: number, rounds: number): CaseResult {
  const c = scalingCircuit(n);
  const obs = Array.from({ length: n }, (_, q) => `Z${q}`);
  const x = tf.tensor2d(Array.from({ length: batch }, (_, b) => Array.from({ length: n }, (_, q) => Math.sin(1 + b + q))));
  const w = tf.variable(tf.tensor1d(Array.from({ length: c.numWeights }, (_, k) => Math.cos(k)))) as tf.Variable<tf.Rank.R1>;
  const f = differentiableExpval(c, obs, { diffMethod: 'adjoint', inputGrads: false });
  const call = (task: Task, threads: string) => () => {
    process.env[HOST_THREADS_ENV] = threads;
    if (task === 'forward') return f(x, w);
    const { value, grads } = tf.variableGrads(() => tf.sum(f(x, w)) as tf.Scalar, [w]);
    return [value, grads[w.name]];
  };
  const samples: Record<string, { wall: number[]; cpu: number[] }> = {};
  const loads: number[] = [];
  const warmup = n <= 18 ? 1 : 0;
  for (let r = -warmup; r < rounds; r++) {
    for (const task of ['forward', 'gradient'] as Task[]) {
      // Alternate which goes first, so a load change inside a round hits both alike.
      for (const threads of r % 2 === 0 ? ['1', '2'] : ['2', '1']) {
        const t = timeWallAndCpu(call(task, threads));
        if (r < 0) continue;
        const s = (samples[`${task}|${threads}`] ??= { wall: [], cpu: [] });
        s.wall.push(t.wall); s.cpu.push(t.cpu);
      }
    }
    if (r >= 0) loads.push(machineLoad().loadavg1);
  }
  delete process.env[HOST_THREADS_ENV];
  tf.dispose([x, w]);
  const ms = {} as CaseResult['ms'], ratio = {} as CaseResult['ratio'];
  for (const task of ['forward', 'gradient'] as Task[]) {
    const one = samples[`${task}|1`], two = samples[`${task}|2`];
    ms[task] = { 1: { wall: stats(one.wall), cpu: stats(one.cpu) }, 2: { wall: stats(two.wall), cpu: stats(two.cpu) } };
    const perRound = one.wall.map((v, i) => v / two.wall[i]);
    const s = stats(perRound);
    ratio[task] = { median: s.median, min: s.min, max: Math.max(...perRound), perRound };
  }
  return { n, batch, ms, ratio, load: { perRound: loads } };
}

/**
 * Thresholds: per task, the smallest measured size from which two threads were faster (median ratio
 * > 1) at every larger measured size and every batch; 31 (never: beyond any register) when none.
 */
function thresholds(cases: CaseResult[]): Record<Task, number> {
  const out = {} as Record<Task, number>;
  const done = cases.filter((c) => !c.skipped);
  const sizes = [...new Set(done.map((c) => c.n))].sort((a, b) => a - b);
  for (const task of ['forward', 'gradient'] as Task[]) {
    let min = 31;
    for (let i = sizes.length - 1; i >= 0; i--) {
      if (done.filter((c) => c.n === sizes[i]).every((c) => c.ratio[task].median > 1)) min = sizes[i]; else break;
    }
    out[task] = min;
  }
  return out;
}

export async function main(rounds = 3, maxQubits = 24, smallBatch = 4, minQubits = 14): Promise<void> {
  const info = await ready();
  const result = {
    workload: 'host-threads', date: new Date().toISOString(), backend: info.tfBackend, node: process.version,
    machine: { cores: os.cpus().length, availableParallelism: os.availableParallelism(), loadBefore: machineLoad().loadavg1, loadAfter: 0 },
    circuit: 'issue-14 scaling: RY(πx) encoding, 2 layers of RY·RZ on every qubit + CNOT ring, ⟨Z⟩ on every qubit; differentiableExpval adjoint',
    rounds, wasmThreads: wasmThreadsCheck(), cases: [] as CaseResult[], thresholds: {} as Record<Task, number>,
  };
  console.log(`wasm threaded build: ${result.wasmThreads.ok ? 'runs' : 'does not run'} (${result.wasmThreads.detail})`);
  // Start the worker outside the timings (it starts once per process and is reused).
  forwardParallel(prepareGradientRun(scalingCircuit(16), ['Z0'], { inputs: [new Array(16).fill(0)], weights: new Array(64).fill(0) }, 'bench'), 2);
  const cases: [number, number][] = [];
  for (let n = minQubits; n <= maxQubits; n += 2) for (const b of n >= 24 ? [1] : [1, smallBatch]) cases.push([n, b]);
  // Cases of earlier runs (other sizes) stay, each with its own loads, and count in the thresholds.
  const earlier = fs.existsSync(OUT) ? (JSON.parse(fs.readFileSync(OUT, 'utf8')) as { date: string; cases: CaseResult[] }) : undefined;
  const kept = (earlier?.cases ?? []).filter((e) => !cases.some(([n, b]) => e.n === n && e.batch === b)).map((e) => ({ date: earlier!.date, ...e }));
  result.cases.push(...kept);
  for (const [n, batch] of cases) {
    let r: CaseResult;
    try {
      explainExecution({ circuit: scalingCircuit(n), batch, diffMethod: 'adjoint', fn: 'bench' });
      r = runCase(n, batch, rounds);
    } catch (e) {
      r = { n, batch, skipped: (e as Error).message } as CaseResult;
    }
    result.cases.push({ ...r, date: new Date().toISOString() });
    result.cases.sort((a, b) => a.n - b.n || a.batch - b.batch);
    result.thresholds = thresholds(result.cases);
    result.machine.loadAfter = machineLoad().loadavg1;
    await writeFileAtomic(OUT, `${JSON.stringify(result, null, 2)}\n`);
    if (r.skipped) { console.log(`${n} qubits × ${batch}: skipped (${r.skipped})`); continue; }
    const cell = (t: Task) => `${r.ms[t][1].wall.median.toFixed(0)} / ${r.ms[t][2].wall.median.toFixed(0)} ms = ${r.ratio[t].median.toFixed(2)}× [${r.ratio[t].min.toFixed(2)}–${r.ratio[t].max.toFixed(2)}]`;
    console.log(`${n} qubits × ${batch}: forward ${cell('forward')}; fwd+grad ${cell('gradient')}; load ${r.load.perRound.join(', ')}`);
  }
  console.log(`thresholds (HOST_THREADS_MIN_QUBITS): ${JSON.stringify(result.thresholds)} → ${OUT}`);
  console.log(`\n${markdownTable(result.cases)}`);
}

/** The README's table: per case, one- and two-thread medians, the ratio (median, min–max over rounds) and the load. */
export function markdownTable(cases: readonly CaseResult[]): string {
  const lines = ['| qubits × batch | forward 1 / 2 threads (ms) | × | fwd + grad 1 / 2 threads (ms) | × | load (1 min) |', '|---|---:|---:|---:|---:|---:|'];
  const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  for (const c of cases) {
    if (c.skipped) { lines.push(`| ${c.n} × ${c.batch} | skipped: ${c.skipped.split('\n')[0]} | | | | |`); continue; }
    const cell = (t: Task) => `${ms(c.ms[t][1].wall.median)} / ${ms(c.ms[t][2].wall.median)} | ${c.ratio[t].median.toFixed(2)} (${c.ratio[t].min.toFixed(2)}–${c.ratio[t].max.toFixed(2)})`;
    const load = c.load.perRound;
    lines.push(`| ${c.n} × ${c.batch} | ${cell('forward')} | ${cell('gradient')} | ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)} |`);
  }
  return lines.join('\n');
}
