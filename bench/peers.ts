/**
 * Bench "peers" (issue 14): qkc against TorchQuantum, PennyLane (default.qubit by backprop with
 * broadcasting; lightning.qubit by adjoint), Qiskit Machine Learning (EstimatorQNN + TorchConnector) and a
 * hand-written compiled-unitary PyTorch reference, on
 *   (a) the qkc-mnist-batch workload: 12,544 four-qubit patch circuits of 64 real digits, 16 weights;
 *   (b) the qubit-scaling circuit (RY(pi x) encoding, 2 layers of RY·RZ on every qubit and a CNOT ring,
 *       <Z> on every qubit) from 4 qubits up, at batch 1 and 64.
 * Each peer is a long-lived Python process (bench/peers/peer_server.py, in the bench venv made by
 * `npm run bench:setup`) that times its own calls, so pipes and start-up are not counted. Every case
 * first checks that all contenders agree with qkc on outputs and gradients, then runs interleaved rounds
 * (qkc, peer 1, peer 2, …) of forward and forward + gradient. A contender slower than the time budget on a
 * size is not run at larger sizes of that batch. Ratios are peer median / qkc median (> 1: qkc is faster).
 *   (c) one training epoch of hybrid-small on the official MNIST (bench/peers-epoch.ts, run last; alone:
 *       npm run bench -- peers-epoch).
 * Results: a table on stdout and bench/results/peers.json (atomically), with the machine load.
 * Run: npm run bench -- peers [rounds=3] [maxQubits=24] [epoch=1 (0: leave out the epoch case)] [minQubits=4] [batch=0 (1 or 64: that batch's scaling cases only)]
 * With minQubits > 4 only the scaling cases from minQubits to maxQubits run (no MNIST case, no epoch); with
 * maxQubits below 4 (`peers 5 0 0`) only the MNIST case runs. Every run merges into bench/results/peers.json
 * (bench/peers-file.ts): the cases it measured replace the same cases, the others stay with their own date
 * and load; `npm run bench -- peers … --replace` starts the file afresh with this run's cases. `--timeout=SECONDS`
 * fixes the peer call timeout (default callTimeoutMs: 180 s to 20 qubits, ×2 per qubit beyond); `--warmup=0`
 * leaves out the untimed first round (for cases whose calls take minutes). Every timed round is saved in
 * bench/results/peers-progress.json until its case finishes; `--resume` continues a case from there (its agreement
 * checks are not repeated), so 24 × 64 (`peers 3 24 0 24 64 --warmup=0 --timeout=3600 --resume`, ~40 min a round)
 * can be measured over several sessions.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ready, tf } from '../src/backend';
import { Circuit, input, weight, expval, differentiableExpval } from '../src/sim';
import { extractPatches } from '../src/qkc';
import { loadMnist } from '../src/data';
import { writeFileAtomic } from '../src/util';
import { machineLoad, stats, timeWallAndCpu, type TimeStats } from './timing';
import { PeerProcess, benchPython } from './peers/peer-process';
import { main as epochMain } from './peers-epoch';
import { parsePeersFlags, type PeersFlags } from './peers-flags';
import { mergePeersFile, progressFor, withProgress, type CaseProgress, type PeersFile, type PeersHeader, type SavedPeerCase } from './peers-file';

const PEERS = ['torchquantum', 'pennylane-default', 'pennylane-lightning', 'qiskit-ml', 'torch-compiled'] as const;
type Mode = 'forward' | 'forward_grad';
const MODES: readonly Mode[] = ['forward', 'forward_grad'];
/** Widest register a peer is asked to run (beyond it: memory or hours, measured once and recorded here). */
const PEER_MAX_QUBITS: Record<string, number> = {
  'qiskit-ml': 12, 'torch-compiled': 12,
  // Backprop keeps every gate's output state for the backward pass: at 24 qubits 2^24 complex64
  // amplitudes (128 MiB) × ~170 gates of the scaling circuit ≈ 21 GiB, the whole (shared) machine.
  torchquantum: 20, 'pennylane-default': 20,
};
/**
 * Largest batch a peer is asked to run: Qiskit ML's reference Estimator and lightning.qubit run one circuit
 * per row (a broadcast is split into tapes), so the 12,544-row workload takes them minutes per call.
 */
const PEER_MAX_BATCH: Record<string, number> = { 'qiskit-ml': 64, 'pennylane-lightning': 64 };
/**
 * Most amplitudes (batch × 2^n) a peer is asked to run. Backprop peers: autograd keeps every gate's output
 * state, 140 of them in the scaling circuit at 20 qubits, so 20 qubits × batch 64 (2^26 complex64
 * amplitudes, 512 MiB a state) would ask ~70 GiB of the shared 24 GiB machine; 2^22 (16 × 64) is ~4 GiB.
 * lightning.qubit: one circuit per row, so up to 20 × 64 its limit is time: 20 × 64
 * (2^26) takes 64 × its 20 × 1 time, about a minute a call on a quiet machine; 24 × 64 (2^30, only when asked
 * for alone) ~16 min a call: run it with `--timeout=`, `--warmup=0` and `--resume`. There its memory is not
 * one row's: during the 24 × 64 agreement check its process held 17.5 GB resident (about 64 states of 256 MiB) and
 * kept it afterwards, leaving ~3 GB of the 24 GiB machine to qkc (which states 960 MiB for 24 qubits).
 */
const PEER_MAX_AMPLITUDES: Record<string, number> = { torchquantum: 2 ** 22, 'pennylane-default': 2 ** 22, 'torch-compiled': 2 ** 22, 'pennylane-lightning': 2 ** 30 };
/** Peers whose size limit is their autograd tape (the not-run note quotes its bytes); lightning.qubit's is time: it runs row by row. */
const BACKPROP_PEERS = new Set(['torchquantum', 'pennylane-default', 'torch-compiled']);
/**
 * A peer call that has not answered by then is ended and counted as failed for the case: 180 s up to 20
 * qubits, then ×16 per 4 qubits (the state's size), so 48 min at 24; `--timeout=SECONDS` fixes it.
 */
export function callTimeoutMs(n: number, fixedSeconds?: number): number {
  return fixedSeconds !== undefined ? fixedSeconds * 1000 : 180_000 * 2 ** Math.max(0, n - 20);
}
/**
 * Autograd's tape of a backprop peer: about one complex64 state of batch × 2^n per gate of the scaling
 * circuit (7n gates: 168 at 24 qubits), the bytes quoted when such a peer is not run.
 */
const tapeBytes = (n: number, batch: number) => 7 * n * batch * 2 ** n * 8;
/** A contender whose call takes longer than this is not run at larger sizes of the same batch. */
const BUDGET_MS = 60_000;
const LAYERS = 2;

/** The bench's circuit on n qubits (the qkc-mnist-batch kernel for n = 4). */
export function scalingCircuit(n: number, layers = LAYERS): Circuit {
  const c = new Circuit(n);
  for (let q = 0; q < n; q++) c.ry(input(q, Math.PI), q);
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) c.ry(weight(2 * n * l + 2 * q), q).rz(weight(2 * n * l + 2 * q + 1), q);
    for (let q = 0; q < n; q++) c.cx(q, (q + 1) % n);
  }
  return c;
}

interface Case { name: string; n: number; batch: number; x: number[][]; w: number[] }
/** Times per mode; agreement with qkc: max |Δ| of outputs, and of the weight gradient over max(1, max |gradient|). */
type ContenderTimes = Partial<Record<Mode, TimeStats>> & { error?: string; agreement?: { out: number; grad: number }; samples?: Partial<Record<Mode, number[]>> };

/** qkc's ways of running a case: the default expval (tf autodiff for the gradient) and the adjoint path. */
function qkcContenders(c: Case): Record<string, (mode: Mode) => number> {
  const circuit = scalingCircuit(c.n);
  const obs = Array.from({ length: c.n }, (_, q) => `Z${q}`);
  const x = tf.tensor2d(c.x), w = tf.variable(tf.tensor1d(c.w)) as tf.Variable<tf.Rank.R1>;
  const adjoint = differentiableExpval(circuit, obs, { diffMethod: 'adjoint', inputGrads: false });
  const run = (f: () => tf.Tensor2D) => (mode: Mode) => timeWallAndCpu(() => {
    if (mode === 'forward') return f();
    const { value, grads } = tf.variableGrads(() => tf.sum(f()) as tf.Scalar, [w]);
    return [value, grads[w.name]];
  }).wall;
  return {
    'qkc default': run(() => expval(circuit, obs, { inputs: x, weights: w })),
    'qkc adjoint': run(() => adjoint(x, w)),
  };
}

/** Outputs and weight gradient of qkc's default path (the reference every contender is checked against). */
function qkcReference(c: Case): { out: number[][]; grad: number[] } {
  const circuit = scalingCircuit(c.n);
  const obs = Array.from({ length: c.n }, (_, q) => `Z${q}`);
  return tf.tidy(() => {
    const x = tf.tensor2d(c.x), w = tf.tensor1d(c.w);
    const f = (wt: tf.Tensor) => expval(circuit, obs, { inputs: x, weights: wt as tf.Tensor1D });
    const out = f(w).arraySync() as number[][];
    const grad = Array.from(tf.grad((wt) => tf.sum(f(wt)))(w).dataSync());
    return { out, grad };
  });
}

const maxAbs = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

function mnistCase(): Case {
  const xs = loadMnist().test.tensorsAt(Array.from({ length: 64 }, (_, i) => i)).xs;
  const window = { kernelSize: [2, 2] as [number, number], strides: [2, 2] as [number, number], padding: 'valid' as const };
  const x = tf.reshape(extractPatches(xs, window), [-1, 4]).arraySync() as number[][];
  return { name: 'qkc-mnist-batch (12,544 patches × 4 qubits)', n: 4, batch: x.length, x, w: seededWeights(16, 2) };
}

function seededWeights(count: number, seed: number): number[] {
  return Array.from(tf.randomUniform([count], 0, 2 * Math.PI, 'float32', seed).dataSync());
}

function scalingCase(n: number, batch: number): Case {
  const x = tf.randomUniform([batch, n], 0, 1, 'float32', 100 + n).arraySync() as number[][];
  return { name: `scaling ${n} qubits × batch ${batch}`, n, batch, x, w: seededWeights(4 * n, n) };
}

/**
 * Checks and times one case. `progress` (a resumed case, `--resume`) supplies the agreements already checked and
 * the rounds already timed; `onRound` gets the case's progress after every timed round.
 */
async function runCase(c: Case, peers: Map<string, PeerProcess>, rounds: number, skip: Set<string>, flags: PeersFlags,
  resume: (contenders: string[]) => CaseProgress | undefined, onRound: (p: CaseProgress) => Promise<void>): Promise<Record<string, ContenderTimes>> {
  const timeout = callTimeoutMs(c.n, flags.timeoutSeconds);
  const out: Record<string, ContenderTimes> = {};
  let reference: ReturnType<typeof qkcReference> | undefined; // computed only when a peer's agreement is checked (minutes at 24 × 64)
  const qkc = qkcContenders(c);
  const active: Array<{ name: string; time: (m: Mode) => Promise<number> }> = [];
  for (const [name, f] of Object.entries(qkc)) {
    if (skip.has(name)) continue;
    active.push({ name, time: async (m) => f(m) });
  }
  const runnable: Array<[string, PeerProcess]> = [];
  for (const [name, p] of peers) {
    if (skip.has(name)) continue;
    if (c.n > (PEER_MAX_QUBITS[name] ?? Infinity) || c.batch > (PEER_MAX_BATCH[name] ?? Infinity) || c.batch * 2 ** c.n > (PEER_MAX_AMPLITUDES[name] ?? Infinity)) {
      const amps = PEER_MAX_AMPLITUDES[name] ? `, batch × 2^n ≤ 2^${Math.log2(PEER_MAX_AMPLITUDES[name])}` : '';
      const tape = BACKPROP_PEERS.has(name) ? `: its autograd tape would need ~${(tapeBytes(c.n, c.batch) / 2 ** 30).toFixed(0)} GiB of the machine's ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`
        : name === 'pennylane-lightning' ? `: it runs one circuit per row, so ≈ ${c.batch} × its batch-1 time` : '';
      out[name] = { error: `not run: above this peer's size limit (${PEER_MAX_QUBITS[name] ?? '∞'} qubits, batch ${PEER_MAX_BATCH[name] ?? '∞'}${amps})${tape}` };
      continue;
    }
    runnable.push([name, p]);
  }
  const progress: CaseProgress = resume([...active.map((a) => a.name), ...runnable.map(([n]) => n)])
    ?? { case: c.name, rounds: 0, contenders: {}, loads: [], dates: [] };
  if (progress.rounds > 0) console.log(`  ${c.name}: resuming after ${progress.rounds} timed round(s) (bench/results/peers-progress.json)`);
  for (const [name, p] of runnable) {
    const setup = await p.call({ op: 'setup', n: c.n, layers: LAYERS, x: c.x, w: c.w }, timeout);
    if (setup.error) { out[name] = { error: String(setup.error) }; continue; }
    let agreement = progress.contenders[name]?.agreement;
    if (!agreement) {
      const check = await p.call({ op: 'check' }, timeout);
      if (check.error) { out[name] = { error: String(check.error) }; continue; }
      const ref = (reference ??= qkcReference(c));
      const gradScale = Math.max(1, ...ref.grad.map(Math.abs)); // relative for sums over 50,000 outputs
      agreement = { out: maxAbs((check.out as number[][]).flat(), ref.out.flat()), grad: maxAbs(check.grad as number[], ref.grad) / gradScale };
    }
    out[name] = { agreement };
    active.push({ name, time: async (m) => { const r = await p.call({ op: 'time', mode: m }, timeout); if (r.error) throw new Error(String(r.error)); return r.ms as number; } });
  }
  for (const a of active) {
    const saved = progress.contenders[a.name];
    progress.contenders[a.name] = { ...(out[a.name]?.agreement ? { agreement: out[a.name].agreement } : {}), samples: saved?.samples ?? { forward: [], forward_grad: [] } };
  }
  if (runnable.length && progress.rounds === 0) await onRound(progress); // the agreement checks, kept for a resumed run (minutes at 24 × 64)
  const samples = (name: string) => progress.contenders[name].samples;
  for (let r = flags.warmup && progress.rounds < rounds ? -1 : 0, done = progress.rounds; r + done < rounds; r++) { // round -1 warms up
    for (const a of active) {
      if (out[a.name]?.error) continue;
      for (const m of MODES) {
        try {
          const ms = await a.time(m);
          if (r >= 0) samples(a.name)[m].push(ms);
          if (ms > BUDGET_MS) skip.add(a.name);
        } catch (e) {
          out[a.name] = { ...out[a.name], error: e instanceof Error ? e.message : String(e) };
          skip.add(a.name);
        }
      }
    }
    if (r < 0) continue;
    progress.rounds = done + r + 1;
    progress.loads.push(machineLoad().loadavg1);
    progress.dates.push(new Date().toISOString());
    await onRound(progress);
  }
  for (const a of active) {
    const s = samples(a.name);
    // The samples in round order too: per-round ratios (min–max over rounds) are read from them.
    out[a.name] = { ...out[a.name], ...(s.forward.length ? { forward: stats(s.forward) } : {}), ...(s.forward_grad.length ? { forward_grad: stats(s.forward_grad) } : {}), samples: s };
  }
  return out;
}

/** Runs the bench (arguments as in the file comment); `--replace` on the command line starts peers.json afresh instead of merging. */
export async function main(rounds = 3, maxQubits = 24, epoch = 1, minQubits = 4, onlyBatch = 0): Promise<void> {
  const flags = parsePeersFlags(process.argv.slice(2));
  const info = await ready();
  const python = benchPython();
  if (!python) {
    console.log('peers: skipped — the bench venv is missing; run `npm run bench:setup` first (it installs the peers from PyPI).');
    return;
  }
  const loadBefore = machineLoad();
  const peers = new Map<string, PeerProcess>(PEERS.map((p) => [p, new PeerProcess(python, p, callTimeoutMs(4, flags.timeoutSeconds))]));
  const versions = (await peers.get('torchquantum')!.call({ op: 'versions' })).versions;
  const mnistOnly = maxQubits < 4;
  const partial = minQubits > 4 || mnistOnly || onlyBatch > 0;
  const cases: Case[] = minQubits > 4 || onlyBatch ? [] : [mnistCase()];
  // Batch 64 above 20 qubits (24 × 64: ~40 min a round) only when asked for alone (`peers 3 24 0 24 64 --resume …`).
  const wide = onlyBatch === 64 && minQubits > 20;
  for (const batch of onlyBatch ? [onlyBatch] : [1, 64]) for (let n = minQubits; n <= maxQubits; n += 4) if (batch === 1 || n <= 20 || wide) cases.push(scalingCase(n, batch));
  const results: SavedPeerCase[] = [];
  const skipByBatch = new Map<number, Set<string>>();
  const file = path.join(__dirname, 'results', 'peers.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Read again before every write, so that runs going on at once (other sizes) keep each other's cases.
  const previous = () => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as PeersFile) : undefined);
  const save = async (complete: boolean) => {
    const header: PeersHeader = {
      workload: 'peers', date: new Date().toISOString(), backend: info.tfBackend, node: process.version, complete,
      machine: { before: loadBefore, after: machineLoad() }, rounds, maxQubits, budgetMs: BUDGET_MS, peerVersions: versions,
      torchThreads: Number(process.env.QKC_BENCH_TORCH_THREADS ?? 1), warmup: flags.warmup,
      ...(flags.timeoutSeconds !== undefined ? { callTimeoutSeconds: flags.timeoutSeconds } : {}),
    };
    // After every case, so a crash keeps what was measured; cases not (yet) re-measured keep their earlier rows.
    // Awaited: the qkc contenders' calls never yield to the event loop, so an un-awaited write waited for
    // the next peer call (26 min once, lost when the run was stopped).
    await writeFileAtomic(file, JSON.stringify(mergePeersFile(previous(), { header, cases: results, partial }, flags.replace), null, 2) + '\n');
  };
  // Every timed round of a case is saved here until the case finishes; `--resume` continues from it.
  const progressFile = path.join(__dirname, 'results', 'peers-progress.json');
  const progressEntries = (): CaseProgress[] => (fs.existsSync(progressFile) ? (JSON.parse(fs.readFileSync(progressFile, 'utf8')) as CaseProgress[]) : []);
  const saveProgress = async (name: string, p: CaseProgress | undefined) => {
    const entries = withProgress(progressEntries(), name, p);
    if (entries.length) await writeFileAtomic(progressFile, JSON.stringify(entries, null, 2) + '\n');
    else if (fs.existsSync(progressFile)) fs.unlinkSync(progressFile);
  };
  try {
    for (const c of cases) {
      const skip = c.name.startsWith('scaling') ? (skipByBatch.get(c.batch) ?? skipByBatch.set(c.batch, new Set(flags.skip)).get(c.batch)!) : new Set<string>(flags.skip);
      const resume = (names: string[]) => (flags.resume ? progressFor(progressEntries(), c.name, names) : undefined);
      const contenders = await runCase(c, peers, rounds, skip, flags, resume, (p) => saveProgress(c.name, p));
      await saveProgress(c.name, undefined);
      results.push({ case: c.name, n: c.n, batch: c.batch, contenders, ratios: ratios(contenders), load: machineLoad().loadavg1, rounds, date: new Date().toISOString(), ...(flags.warmup ? {} : { warmup: false }) });
      console.log(formatCase(c.name, contenders));
      await save(false);
    }
    await save(true);
  } finally {
    for (const p of peers.values()) p.close();
  }
  console.log(`\nwritten ${path.relative(process.cwd(), file)}; load ${loadBefore.loadavg1} → ${machineLoad().loadavg1} on ${loadBefore.cores} cores`);
  if (epoch && !partial) await epochMain(rounds);
}

/** Median time of each contender over qkc's best median, per mode (> 1: qkc is faster). */
export function ratios(contenders: Record<string, ContenderTimes>): Record<string, Partial<Record<Mode, number>>> {
  const out: Record<string, Partial<Record<Mode, number>>> = {};
  for (const m of MODES) {
    const qkc = Math.min(...['qkc default', 'qkc adjoint'].map((k) => contenders[k]?.[m]?.median ?? Infinity));
    if (!Number.isFinite(qkc)) continue;
    for (const [name, t] of Object.entries(contenders)) if (t[m]) (out[name] ??= {})[m] = t[m]!.median / qkc;
  }
  return out;
}

function formatCase(name: string, contenders: Record<string, ContenderTimes>): string {
  const r = ratios(contenders);
  const rows = Object.entries(contenders).map(([k, t]) => {
    if (t.error && !t.forward) return `  ${k.padEnd(22)} error: ${t.error.slice(0, 100)}`;
    const f = (m: Mode) => (t[m] ? `${t[m]!.median.toFixed(2)} ms (×${r[k]?.[m]?.toFixed(2)})` : '—').padEnd(24);
    const agree = t.agreement ? ` |Δout| ${t.agreement.out.toExponential(1)} |Δgrad| ${t.agreement.grad.toExponential(1)}` : '';
    return `  ${k.padEnd(22)} fwd ${f('forward')} fwd+grad ${f('forward_grad')}${agree}`;
  });
  return [`\n${name}`, ...rows].join('\n');
}

if (require.main === module) main(...process.argv.slice(2).filter((a) => !a.startsWith('--')).map(Number)).catch((e) => { console.error(e); process.exit(1); });
