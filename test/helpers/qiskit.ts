// Test-side glue to real Qiskit: runs test/python/qiskit_bridge.py in the project venv (one process per
// batch of tasks) and computes qkc's side in float64 with the library's host kernel, so that 1e-6
// comparisons measure interchange, not float32 rounding.
import { spawnSync } from 'child_process';
import * as path from 'path';
import { projectPython, pythonProblem } from '../../src/util/python';
import { Circuit, Observable, parseObservable, planMeasurement } from '../../src/sim';
import { lowerCircuit } from '../../src/sim/gate-terms';
import { hostAngle } from '../../src/sim/angles';
import { HostStates, hostZero } from '../../src/sim/host/host-kernel';
import { hostRun } from '../../src/sim/host/host-run';
import { hostMeasure } from '../../src/sim/host/host-measure';
import type { CVector } from './reference';
import { needs } from './optional';
import type { Context } from 'mocha';

const BRIDGE = path.join(__dirname, '..', 'python', 'qiskit_bridge.py');

/** The project's Python (src/util/python.ts) if it has Qiskit, Aer, the fake backends and the OpenQASM 3 importer, or why not. */
export function qiskitPython(): { python?: string; missing?: string } {
  const missing = pythonProblem(['qiskit', 'qiskit_aer', 'qiskit_ibm_runtime', 'qiskit_qasm3_import']);
  return missing === null ? { python: projectPython() } : { missing };
}

/** The Qiskit-enabled Python for a suite's `before` (`this`): skips it with the reason, or fails under CI=true. */
export function requireQiskitPython(ctx: Context): string {
  const found = qiskitPython();
  needs(ctx, found.missing ? `the Qiskit tests cannot run: ${found.missing}` : null);
  return found.python as string;
}

/** Runs a batch of bridge tasks; a task that failed in Python comes back as { error }. */
export function runBridge<T = Record<string, unknown>>(python: string, tasks: object[]): (T & { error?: string })[] {
  const r = spawnSync(python, [BRIDGE], { input: JSON.stringify({ tasks }), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`qiskit_bridge.py failed (exit ${r.status}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as { results: (T & { error?: string })[] }).results;
}

/** An observable as the bridge's [coeff, paulis, qubits] terms (Qiskit's qubit numbering is qkc's). */
export function bridgeTerms(obs: Observable, nQubits: number): [number, string, number[]][] {
  return parseObservable(obs, nQubits).map((t) => [t.coeff, t.factors.map((f) => f.op).join(''), t.factors.map((f) => f.qubit)]);
}

/** qkc's state of one row in float64 (the host kernel). */
function hostState(circuit: Circuit, weights: readonly number[], inputs: readonly number[]): HostStates {
  const host = { inputs: Float64Array.from(inputs), numInputs: inputs.length, weights: Float64Array.from(weights), batch: 1 };
  const ops = lowerCircuit(circuit.ops);
  const psi = hostZero(circuit.nQubits, 1);
  hostRun(psi, ops, ops.map((op) => (op.angle === undefined ? undefined : hostAngle(op.angle, host))));
  return psi;
}

/** qkc's state of one row in float64, as plain arrays. */
export function qkcState(circuit: Circuit, weights: readonly number[] = [], inputs: readonly number[] = []): CVector {
  const psi = hostState(circuit, weights, inputs);
  return { re: Array.from(psi.re), im: Array.from(psi.im) };
}

/** qkc's exact expectations of `observables` on one row, in float64. */
export function qkcExpvals(circuit: Circuit, observables: readonly Observable[], weights: readonly number[] = [], inputs: readonly number[] = []): number[] {
  return Array.from(hostMeasure(hostState(circuit, weights, inputs), planMeasurement(observables, circuit.nQubits)));
}

/** Largest |a_i − b_i|. */
export function maxAbs(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`maxAbs: lengths differ (${a.length} vs ${b.length})`);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}
