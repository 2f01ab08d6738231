/**
 * Bench "sweep-fusion" (issue 14): what the host kernel's fusions buy on the issue-14 scaling circuit
 * (RY(πx) encoding, 2 layers of RY·RZ per qubit and a CNOT ring, ⟨Z⟩ per qubit), per register size and
 * batch, alternating in every round (CPU time of this process, best of 3 calls per round, so the load of other
 * sessions and garbage collections count less):
 *   forward: productStart + hostRun (leading product state, fused one-qubit gates, CNOT ring as one
 *            permutation) against op-by-op hostApply from |0…0⟩;
 *   sweep:   sweepFused (one pass per wire group, permutation runs as one) against the three-pass
 *            sweep (un-compute ψ, read Re⟨λ|dM|ψ⟩, un-compute λ, per op).
 * Both pairs are checked to agree (states and derivatives to 1e-10) before timing.
 * Run: npm run bench -- sweep-fusion [rounds=5] ; writes bench/results/sweep-fusion.json.
 */
import * as path from 'path';
import { writeFileAtomic } from '../src/util';
import { lowerCircuit } from '../src/sim/gate-terms';
import { hostAngle, HostArgs } from '../src/sim/angles';
import { HostAngle, HostStates, hostApply, hostClone, hostInner, hostZero } from '../src/sim/host/host-kernel';
import { hostRun, productStart } from '../src/sim/host/host-run';
import { sweepFused } from '../src/sim/host/host-sweep';
import { machineLoad, stats } from './timing';
import { scalingCircuit } from './peers';

const SIZES: Array<[number, number]> = [[8, 64], [12, 1], [12, 64], [16, 1], [16, 8]];

/** CPU ms of `f`, the best of `tries` calls (a garbage collection of the previous variant's states can land in any call). */
function cpuMs(f: () => void, tries = 3): number {
  let best = Infinity;
  for (let i = 0; i < tries; i++) {
    const t0 = process.cpuUsage();
    f();
    const d = process.cpuUsage(t0);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return best;
}

/** Median, min and max. */
const spread = (xs: number[]) => ({ median: stats(xs).median, min: Math.min(...xs), max: Math.max(...xs) });

const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

export async function main(rounds = 5): Promise<void> {
  const results = [];
  for (const [n, B] of SIZES) {
    const c = scalingCircuit(n), ops = lowerCircuit(c.ops);
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const h: HostArgs = { inputs: Float64Array.from({ length: B * n }, rand), numInputs: n, weights: Float64Array.from({ length: 4 * n }, () => 6 * rand()), batch: B };
    const angles: (HostAngle | undefined)[] = ops.map((op) => (op.angle === undefined ? undefined : hostAngle(op.angle, h)));
    const order = ops.map((_, i) => ops.length - 1 - i);
    const plainForward = () => { const s = hostZero(n, B); ops.forEach((op, t) => hostApply(s, op, angles[t])); return s; };
    const fusedForward = () => { const st = productStart(n, B, ops, angles); hostRun(st.s, st.ops, st.angles); return st.s; };
    const psi = fusedForward();
    const lambda = hostZero(n, B);
    for (let i = 0; i < lambda.re.length; i++) { lambda.re[i] = rand() - 0.5; lambda.im[i] = rand() - 0.5; }
    const plainSweep = (p: HostStates, l: HostStates) => {
      const g: Float64Array[] = [];
      for (const t of order) {
        hostApply(p, ops[t], angles[t], 'inverse');
        if (ops[t].angle !== undefined) g[t] = hostInner(l, p, ops[t], angles[t], 'derivative');
        hostApply(l, ops[t], angles[t], 'inverse');
      }
      return g;
    };
    const fusedSweep = (p: HostStates, l: HostStates) => {
      const g: Float64Array[] = [];
      sweepFused(ops, angles, p, l, order, () => true, (t, r, v) => { (g[t] ??= new Float64Array(B))[r] = v; });
      return g;
    };
    // Agreement first.
    const a = plainForward();
    if (maxDiff(a.re, psi.re) > 1e-10 || maxDiff(a.im, psi.im) > 1e-10) throw new Error(`sweep-fusion ${n}×${B}: forward runs disagree`);
    const ga = plainSweep(hostClone(psi), hostClone(lambda)), gb = fusedSweep(hostClone(psi), hostClone(lambda));
    ga.forEach((g, t) => { if (g && maxDiff(g, gb[t]) > 1e-10) throw new Error(`sweep-fusion ${n}×${B}: derivative of op ${t} disagrees`); });
    const times = { forwardPlain: [] as number[], forwardFused: [] as number[], sweepPlain: [] as number[], sweepFused: [] as number[] };
    const loads: number[] = [];
    for (let r = 0; r < rounds; r++) {
      times.forwardPlain.push(cpuMs(plainForward));
      times.forwardFused.push(cpuMs(fusedForward));
      // A sweep consumes its states: each try gets fresh copies (made outside the timing).
      const copies = (k: number) => Array.from({ length: k }, () => [hostClone(psi), hostClone(lambda)]);
      const c1 = copies(3), c2 = copies(3);
      times.sweepPlain.push(cpuMs(() => { const [p, l] = c1.pop()!; plainSweep(p, l); }));
      times.sweepFused.push(cpuMs(() => { const [p, l] = c2.pop()!; fusedSweep(p, l); }));
      loads.push(machineLoad().loadavg1);
    }
    const ratio = (x: number[], y: number[]) => spread(x.map((v, i) => v / y[i]));
    const row = {
      qubits: n, batch: B, rounds,
      forward: { plain: spread(times.forwardPlain), fused: spread(times.forwardFused), speedup: ratio(times.forwardPlain, times.forwardFused) },
      sweep: { plain: spread(times.sweepPlain), fused: spread(times.sweepFused), speedup: ratio(times.sweepPlain, times.sweepFused) },
      load: { min: Math.min(...loads), max: Math.max(...loads) },
    };
    results.push(row);
    const f = (s: { median: number; min: number; max: number }) => `${s.median.toFixed(2)} (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
    console.log(`${n} × ${B}: forward ${row.forward.plain.median.toFixed(1)} → ${row.forward.fused.median.toFixed(1)} ms CPU, × ${f(row.forward.speedup)}; ` +
      `sweep ${row.sweep.plain.median.toFixed(1)} → ${row.sweep.fused.median.toFixed(1)} ms CPU, × ${f(row.sweep.speedup)}; load ${row.load.min}–${row.load.max}`);
  }
  const file = path.join(__dirname, 'results', 'sweep-fusion.json');
  writeFileAtomic(file, JSON.stringify({ workload: 'sweep-fusion', date: new Date().toISOString(), node: process.version, cpuTime: true, results }, null, 2) + '\n');
  console.log(`written ${path.relative(process.cwd(), file)}`);
}

if (require.main === module) main(...process.argv.slice(2).map(Number)).catch((e) => { console.error(e); process.exit(1); });
