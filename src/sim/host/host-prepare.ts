/**
 * A checked run on the host: the circuit's lowered ops with their angles resolved per row, and the
 * parsed observables, downloaded once so that adjoint sweeps and shifted runs work on plain arrays.
 */
import { Circuit } from '../circuit';
import { InputsArg, WeightsArg, HostArgs, prepareArgs, toHostArgs, hostAngle } from '../angles';
import { lowerCircuit, TermOp } from '../gate-terms';
import { Observable, PauliTerm, parseObservable } from '../observables';
import { MeasurementPlan, planMeasurement } from '../readout';
import { HostAngle } from './host-kernel';
import { basisPermutation } from './host-permute';

/** Arguments of `parameterShift` and `adjoint`: the same as `expval`'s. */
export interface GradientOptions {
  /** [batch, numInputs] data rows read by `input(i)` angles (omit when the circuit reads none: batch 1). */
  inputs?: InputsArg;
  /** [numWeights] trainable values read by `weight(j)` angles. */
  weights?: WeightsArg;
}

/** A checked gradient run on the host: lowered ops, their resolved angles, and the parsed observables. */
export interface GradientRun {
  circuit: Circuit;
  ops: TermOp[];
  angles: (HostAngle | undefined)[];
  host: HostArgs;
  batch: number;
  plan: MeasurementPlan;
  terms: PauliTerm[][];
}

/**
 * Validates a circuit, observables and run arguments (errors name `fn`), and downloads them once.
 * `reuse` (a previous run of the same circuit and observables) skips lowering and parsing again.
 */
export function prepareGradientRun(circuit: Circuit, observables: readonly Observable[], opts: GradientOptions, fn: string, reuse?: GradientRun): GradientRun {
  if (!(circuit instanceof Circuit)) throw new Error(`${fn}(circuit): expected a Circuit, got ${circuit === null ? 'null' : typeof circuit}`);
  const plan = reuse?.plan ?? planMeasurement(observables, circuit.nQubits, `${fn}(observables)`);
  const terms = reuse?.terms ?? observables.map((o, i) => parseObservable(o, circuit.nQubits, `${fn}(observables)[${i}]`));
  const args = prepareArgs(circuit.numInputs, circuit.numWeights, opts ?? {}, fn);
  try {
    const host = toHostArgs(args);
    const ops = reuse?.ops ?? lowerCircuit(circuit.ops);
    const angles = ops.map((op) => (op.angle === undefined ? undefined : hostAngle(op.angle, host)));
    return { circuit, ops, angles, host, batch: args.batch, plan, terms };
  } finally {
    args.owned.forEach((t) => t.dispose());
  }
}

/**
 * `run` without the ops its read-out cannot see: when every observable is a sum of Z strings, the
 * diagonal ops among the circuit's trailing basis permutations and diagonal ops (walking back from the
 * end: an op joins while it is one of those and touches no wire of a later op that did not join) only
 * multiply basis amplitudes by phases before a relabelling, which leaves every probability, so every
 * expectation and every other op's gradient, unchanged (their own angles' gradients are zero). The
 * hardware-efficient layer's last RZ column before a CNOT ring is such (see trailing-phases.ts, which
 * removes them from a circuit's weights; this drops them per run, whatever the circuit).
 */
export function withoutIdleOps(run: GradientRun): GradientRun {
  if (!run.terms.every((o) => o.every((term) => term.factors.every((f) => f.op === 'Z')))) return run;
  const blocked = new Set<number>(), idle = new Set<number>();
  for (let t = run.ops.length - 1; t >= 0; t--) {
    const op = run.ops[t];
    if ((op.diagonal || basisPermutation(op)) && !op.wires.some((w) => blocked.has(w))) { if (op.diagonal) idle.add(t); } else op.wires.forEach((w) => blocked.add(w));
  }
  if (idle.size === 0) return run;
  return { ...run, ops: run.ops.filter((_, t) => !idle.has(t)), angles: run.angles.filter((_, t) => !idle.has(t)) };
}
