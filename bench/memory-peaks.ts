/**
 * Bench "memory-peaks" (issue 14 item 1): the peak resident memory of a run against the bytes the
 * execution decision states for it (src/sim/execution/memory.ts). Each case runs in its own child
 * process (a wasm heap never shrinks, so cases must not share one): the child builds the scaling circuit
 * (RY(πx) encoding, 2 layers of RY·RZ and a CNOT ring, ⟨Z⟩ on every qubit), reads its resident memory
 * (VmRSS), runs the task once, and reports the peak (VmHWM) — the run's growth is peak − before. Tasks:
 *   forward   expval with tensor weights (no gradient taken)
 *   backprop  forward + weight gradient through expval (tf.variableGrads), the default path
 *   adjoint / parameter-shift   forward + weight gradient through differentiableExpval
 *   states    simulate (the states handed back as tensors); states-grad: a gradient through them
 * The density executor runs with 1 % depolarizing noise after every gate.
 * Results: one line per case and bench/results/memory-peaks.json (the run's cases, atomically).
 * Run: npm run bench -- memory-peaks [grid: 0 = the standard grid, 1 = the large cases too] [only: see main] [timeout s = 600] [batch of only = 7: 64]
 * Or one case: node -r ts-node/register/transpile-only bench/memory-peaks.ts case '{"n":20,"batch":8,"task":"adjoint","executor":"auto"}'
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** One measured case. */
export interface PeakCase { n: number; batch: number; task: 'forward' | 'backprop' | 'adjoint' | 'parameter-shift' | 'states' | 'states-grad'; executor: string; layers?: number }
/** What a child reports. */
export interface PeakResult extends PeakCase {
  estimateBytes?: number; limitBytes?: number; chosen?: string; refused?: string; error?: string;
  rssBeforeBytes?: number; peakBytes?: number; growthBytes?: number; ms?: number;
}

/** Resident and peak resident bytes of this process (Linux /proc). */
export function residentBytes(): { rss: number; hwm: number } {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Runs one case in this process (the child side). */
async function runCase(c: PeakCase): Promise<PeakResult> {
  const { ready, tf } = await import('../src/backend');
  const sim = await import('../src/sim');
  const { scalingCircuit } = await import('./peers');
  await ready();
  const circuit = scalingCircuit(c.n, c.layers ?? 2);
  const obs = Array.from({ length: c.n }, (_, q) => `Z${q}`);
  const executor = c.executor as import('../src/sim').ExecutorSetting;
  const x = tf.randomUniform([c.batch, c.n], 0, 1, 'float32', 7) as import('@tensorflow/tfjs').Tensor2D;
  const w = tf.variable(tf.randomUniform([circuit.numWeights], 0, 6, 'float32', 3)) as import('@tensorflow/tfjs').Variable<import('@tensorflow/tfjs').Rank.R1>;
  const noise = c.executor === 'density' ? { channels: [{ channel: 'depolarizing' as const, p: 0.01 }] } : undefined;
  const diff = c.task === 'adjoint' || c.task === 'parameter-shift' || c.task === 'backprop' ? c.task : undefined;
  const out: PeakResult = { ...c };
  try {
    const states = c.task === 'states' || c.task === 'states-grad';
    const choice = sim.explainExecution({ circuit, batch: c.batch, output: states ? 'states' : 'expectations', diffMethod: diff, differentiable: states, noise, executor });
    Object.assign(out, { estimateBytes: choice.bytes, limitBytes: choice.limitBytes, chosen: choice.executor });
  } catch (e) {
    return { ...out, refused: e instanceof Error ? e.message : String(e) };
  }
  // A 4-qubit run of the same task first, so that lazily compiled kernels are not counted as the run's memory.
  const small = scalingCircuit(4, 1);
  tf.tidy(() => tf.grad((ws: import('@tensorflow/tfjs').Tensor) => tf.sum(sim.expval(small, ['Z0'], { inputs: [[0.1, 0.2, 0.3, 0.4]], weights: ws as import('@tensorflow/tfjs').Tensor1D, noise, executor: c.executor === 'density' || c.executor === 'tf' ? c.executor : 'auto' })))(tf.zeros([small.numWeights])).dataSync());
  const before = residentBytes();
  const t0 = performance.now();
  try {
    if (c.task === 'states') {
      const s = sim.simulate(circuit, { inputs: x, weights: w, executor });
      s.re.dataSync(); tf.dispose([s.re, s.im]);
    } else if (c.task === 'states-grad') {
      const g = tf.grad((ws: import('@tensorflow/tfjs').Tensor) => { const s = sim.simulate(circuit, { inputs: x, weights: ws as import('@tensorflow/tfjs').Tensor1D, executor }); return tf.sum(tf.mul(s.re, s.re)); })(w);
      g.dataSync(); g.dispose();
    } else if (c.task === 'forward') {
      sim.expval(circuit, obs, { inputs: x, weights: w, executor, noise }).dispose();
    } else {
      const f = c.task === 'backprop'
        ? (xs: import('@tensorflow/tfjs').Tensor2D, ws: import('@tensorflow/tfjs').Tensor1D) => sim.expval(circuit, obs, { inputs: xs, weights: ws, executor, noise })
        : sim.differentiableExpval(circuit, obs, { diffMethod: c.task, executor, inputGrads: false });
      const { value, grads } = tf.variableGrads(() => tf.sum(f(x, w)) as import('@tensorflow/tfjs').Scalar, [w]);
      grads[w.name].dataSync();
      tf.dispose([value, grads[w.name]]);
    }
  } catch (e) {
    out.error = e instanceof Error ? e.message.slice(0, 300) : String(e);
  }
  const after = residentBytes();
  return { ...out, ms: performance.now() - t0, rssBeforeBytes: before.rss, peakBytes: after.hwm, growthBytes: after.hwm - before.rss };
}

/** Runs one case in a child process; a crash (wasm abort, out of memory) is reported as the case's error. */
export function measureInChild(c: PeakCase, env: NodeJS.ProcessEnv = process.env, timeoutMs = 600_000): PeakResult {
  try {
    const stdout = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, 'case', JSON.stringify(c)], {
      cwd: path.join(__dirname, '..'), env, timeout: timeoutMs, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24,
    });
    const line = stdout.trim().split('\n').pop() ?? '';
    return JSON.parse(line) as PeakResult;
  } catch (e) {
    const err = e as { status?: number; signal?: string; stderr?: string };
    const last = String(err.stderr ?? '').trim().split('\n').filter((l) => l.trim()).slice(-2).join(' | ');
    return { ...c, error: `child failed (status ${err.status ?? '-'}, signal ${err.signal ?? '-'}): ${last.slice(0, 300)}` };
  }
}

const GRID: PeakCase[] = [
  ...[12, 16, 18].flatMap((n) => [1, 16].flatMap((batch) => (['forward', 'backprop', 'adjoint', 'states'] as const).map((task) => ({ n, batch, task, executor: 'auto' })))),
  ...[12, 14].flatMap((n) => (['forward', 'backprop', 'states'] as const).map((task) => ({ n, batch: 8, task, executor: 'tf' }))),
  { n: 12, batch: 16, task: 'parameter-shift', executor: 'auto' },
  { n: 16, batch: 4, task: 'parameter-shift', executor: 'auto' },
  { n: 8, batch: 256, task: 'backprop', executor: 'compiled' },
  { n: 6, batch: 8, task: 'forward', executor: 'density' },
  { n: 6, batch: 8, task: 'backprop', executor: 'density' },
  { n: 7, batch: 8, task: 'backprop', executor: 'density' },
  { n: 16, batch: 8, task: 'states-grad', executor: 'auto' },
];
const LARGE: PeakCase[] = [
  { n: 18, batch: 16, task: 'states-grad', executor: 'auto' },
  { n: 20, batch: 1, task: 'backprop', executor: 'auto' },
  { n: 20, batch: 8, task: 'backprop', executor: 'auto' },
  { n: 20, batch: 64, task: 'backprop', executor: 'auto' },
  { n: 20, batch: 8, task: 'states', executor: 'auto' },
  { n: 24, batch: 1, task: 'backprop', executor: 'auto' },
  // The peers bench's qkc contender (differentiableExpval, adjoint).
  { n: 24, batch: 1, task: 'adjoint', executor: 'auto' },
  // Past HOST_KEEP_STATES_AMPLITUDES (2^26): the sweep recomputes each row's states, memory stays at a row's.
  { n: 20, batch: 65, task: 'backprop', executor: 'auto' },
  { n: 20, batch: 64, task: 'forward', executor: 'auto' },
];
/** 24 qubits × `batch` rows (64: tens of minutes), forward + gradient: one row at a time, memory as at batch 1. Only with only = 7. */
const huge = (batch: number): PeakCase[] => [{ n: 24, batch, task: 'adjoint', executor: 'auto' }];

export async function main(large = 0, only = 0, timeoutSeconds = 600, hugeBatch = 64): Promise<void> {
  const { writeFileAtomic } = await import('../src/util');
  const { machineLoad } = await import('./timing');
  const mib = (b?: number) => (b === undefined ? '—' : `${(b / 2 ** 20).toFixed(0)} MiB`);
  const file = path.join(__dirname, 'results', 'memory-peaks.json');
  // Cases measured before (by an earlier or a concurrent run: the file is read again before each write)
  // are kept unless measured again.
  const key = (c: PeakCase) => `${c.n}|${c.batch}|${c.task}|${c.executor}`;
  const earlier = (): PeakResult[] => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { cases: PeakResult[] }).cases : []);
  const results: PeakResult[] = [];
  const loadBefore = machineLoad();
  // only = 2: the large cases alone; 3: the density and states-grad cases alone; 4: 24 qubits (batch 1, backprop and adjoint); 5: 20 qubits × batch 64;
  // 6: 20 qubits past the kept-states limit (batch 65 with a gradient, batch 64 forward); 7: 24 qubits × batch hugeBatch (adjoint, default 64).
  const pick = (n: number, batch: number) => LARGE.filter((c) => c.n === n && c.batch === batch && c.task === 'backprop');
  const cases = only === 2 ? LARGE : only === 3 ? GRID.filter((c) => c.executor === 'density' || c.task === 'states-grad') : only === 4 ? LARGE.filter((c) => c.n === 24) : only === 7 ? huge(hugeBatch) : only === 5 ? pick(20, 64) : only === 6 ? LARGE.filter((c) => c.n === 20 && (c.batch === 65 || (c.batch === 64 && c.task === 'forward'))) : large ? [...GRID, ...LARGE] : GRID;
  for (const c of cases) {
    const r = measureInChild(c, process.env, timeoutSeconds * 1000);
    results.push(r);
    const ratio = r.growthBytes && r.estimateBytes ? (r.growthBytes / r.estimateBytes).toFixed(2) : '—';
    console.log(`${String(r.n).padStart(2)} q × ${String(r.batch).padStart(4)} ${r.task.padEnd(15)} ${r.executor.padEnd(8)}→ ${(r.chosen ?? '').padEnd(8)} estimate ${mib(r.estimateBytes).padStart(9)} growth ${mib(r.growthBytes).padStart(9)} (×${ratio}) ${r.ms ? `${(r.ms / 1000).toFixed(1)} s` : ''} ${r.refused ?? r.error ?? ''}`);
    await writeFileAtomic(file, JSON.stringify({ workload: 'memory-peaks', date: new Date().toISOString(), node: process.version, machine: { before: loadBefore, after: machineLoad() }, note: 'growthBytes = peak resident (VmHWM) after the run − resident (VmRSS) before it, in a fresh child process per case; estimateBytes = explainExecution(...).bytes', cases: [...earlier().filter((e) => !results.some((r) => key(r) === key(e))), ...results] }, null, 2) + '\n');
  }
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

if (require.main === module && process.argv[2] === 'case') {
  runCase(JSON.parse(process.argv[3]) as PeakCase).then((r) => { console.log(JSON.stringify(r)); process.exit(0); }, (e) => { console.error(e); process.exit(1); });
}
