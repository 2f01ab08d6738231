/**
 * A kernel on a named IBM device snapshot: Qiskit transpiles it once (python/device_noise.py, in the
 * project's Python) to the device's basis gates and coupling map and reads the device's calibrated noise
 * (NoiseModel.from_backend: thermal relaxation, gate and read-out errors); qkc rebuilds the transpiled
 * circuit on the qubits it uses, with each gate's error as a channel after it, for its own batched
 * density-matrix simulator.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { Circuit, CMatrix, NoiseModel, Observable, OpChannel, input, parseObservable, toQasm } from '../sim';
import type { ReadoutError } from '../sim';
import { PROJECT_ROOT, projectPython, pythonProblem } from '../util';

/** The Python side of the device-noise evaluation. */
export const DEVICE_SCRIPT = path.join(PROJECT_ROOT, 'python', 'device_noise.py');

/** A device snapshot as recorded in results. */
export interface DeviceInfo { name: string; version: string; calibrated: string | null; qubits: number; basis: string[] }

/** An angle of the transpiled circuit: c + Σ terms[x_i]·x_i. */
interface LinearAngle { c: number; terms: Record<string, number> }
interface WireOp { name: string; wires: number[]; params: LinearAngle[]; matrix?: CMatrix }

/** What python/device_noise.py answers for one kernel. */
export interface TranspiledAnswer {
  device: DeviceInfo;
  /** Physical qubits used, ascending; qkc's qubit k is active[k]. */
  active: number[];
  /** Logical qubit i of the kernel ends on qkc qubit layout[i]. */
  layout: number[];
  ops: WireOp[];
  errors: { after: number; wires: number[]; kraus: CMatrix[] }[];
  readout: ReadoutError[];
  counts: Record<string, number>;
  depth: number;
  aer?: { exact: number[][]; sampled: number[][] | null; seconds: { exact: number; shots: number | null }; cpuSeconds: { exact: number; shots: number | null } };
  error?: string;
}

/** A kernel ready for qkc's density-matrix simulator under a device's noise. */
export interface DeviceKernel {
  device: DeviceInfo;
  /** The transpiled circuit on the used qubits; input(i) is window value i, as in the kernel. */
  circuit: Circuit;
  noise: NoiseModel;
  /** The kernel's observables, moved to where its logical qubits ended up. */
  observables: Observable[];
  /** Gate counts and depth of the transpiled circuit (Qiskit's count). */
  counts: Record<string, number>;
  depth: number;
  /** Aer's expectations on the windows asked for (cross-check), when requested. */
  aer?: TranspiledAnswer['aer'];
}

/** One transpilation request: a kernel with its weights bound, its observables (Z products only) and a device. */
export interface DeviceRequest {
  circuit: Circuit;
  weights: number[];
  observables: readonly Observable[];
  device: string;
  /** Windows on which Aer evaluates the same transpiled circuit (cross-check). */
  windows?: number[][];
  shots?: number;
  seed?: number;
}

/** [coeff, logical qubits] terms of Z-product observables; anything else is refused (the device measures in Z). */
function zTerms(observables: readonly Observable[], n: number): [number, number[]][][] {
  return observables.map((o, i) => parseObservable(o, n, `observables[${i}]`).map((t) => {
    const bad = t.factors.find((f) => f.op !== 'Z');
    if (bad) throw new Error(`observables[${i}]: device evaluation measures in the Z basis, found ${bad.op}${bad.qubit} in ${JSON.stringify(o)}`);
    return [t.coeff, t.factors.map((f) => f.qubit)] as [number, number[]];
  }));
}

/** Runs python/device_noise.py on a batch of requests (one Python start-up for all of them). */
export function transpileForDevices(requests: readonly DeviceRequest[]): DeviceKernel[] {
  const problem = pythonProblem(['qiskit', 'qiskit_aer', 'qiskit_ibm_runtime', 'qiskit_qasm3_import']);
  if (problem) throw new Error(`device noise needs Qiskit in the project's Python: ${problem}`);
  const tasks = requests.map((r) => ({
    device: r.device, qasm: toQasm(r.circuit, { version: 3, weights: r.weights }), observables: zTerms(r.observables, r.circuit.nQubits),
    windows: r.windows, shots: r.shots, seed: r.seed ?? 0,
  }));
  const run = spawnSync(projectPython(), [DEVICE_SCRIPT], { input: JSON.stringify({ tasks }), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`python/device_noise.py failed (exit ${run.status}): ${run.stderr.trim()}`);
  const answers = (JSON.parse(run.stdout) as { results: TranspiledAnswer[] }).results;
  return answers.map((a, k) => {
    if (a.error) throw new Error(`device '${requests[k].device}': ${a.error}`);
    return deviceKernel(a, requests[k]);
  });
}

/** Rebuilds Qiskit's transpiled circuit in qkc: rz(c + s·x_i) becomes rz(c)·rz(s·x_i) (exact: rz angles add). */
export function deviceKernel(a: TranspiledAnswer, request: Pick<DeviceRequest, 'circuit' | 'observables'>): DeviceKernel {
  const c = new Circuit(a.active.length);
  const lastOf: number[] = [];
  for (const op of a.ops) {
    if (op.name === 'unitary') c.unitary(op.matrix as CMatrix, op.wires);
    else if (op.name === 'rz') {
      const { c: k, terms } = op.params[0];
      const refs = Object.entries(terms).filter(([, s]) => s !== 0);
      if (k !== 0 || refs.length === 0) c.rz(k, op.wires[0]);
      for (const [name, s] of refs) {
        const m = /^x(\d+)$/.exec(name);
        if (!m) throw new Error(`device circuit: unexpected parameter '${name}' (only data inputs x<i> stay free)`);
        c.rz(input(Number(m[1]), s), op.wires[0]);
      }
    } else if (op.params.some((p) => Object.keys(p.terms).length > 0)) {
      throw new Error(`device circuit: '${op.name}' has a data-dependent angle; only rz may carry data after transpilation`);
    } else c.append(op.name as 'sx' | 'x' | 'cx', op.wires, op.params.map((p) => p.c));
    lastOf.push(c.ops.length - 1);
  }
  const opChannels: OpChannel[] = a.errors.map((e) => ({ after: lastOf[e.after], wires: e.wires, kraus: e.kraus }));
  const observables = zTerms(request.observables, request.circuit.nQubits).map((terms) => ({
    terms: terms.map(([coeff, qs]) => [coeff, qs.length ? qs.map((q) => `Z${a.layout[q]}`).join(' ') : 'I'] as [number, string]),
  }));
  return { device: a.device, circuit: c, noise: { opChannels, readout: a.readout }, observables, counts: a.counts, depth: a.depth, aer: a.aer };
}
