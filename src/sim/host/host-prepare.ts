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
