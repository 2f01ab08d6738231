/**
 * Parameter-shift differentiation: every angle occurrence's derivative is an exact combination of
 * expectations at shifted angles (two terms for gates whose generator has two eigenvalues, four for
 * the controlled rotations, whose generator has three). All shifted circuits of a batch are stacked
 * into the batch axis and simulated together (see `runShifted`), so the cost grows with the number of
 * shifts but carries no per-circuit overhead.
 */
import { Rng } from '../../util/random';
import { Circuit } from '../circuit';
import { GATES, ShiftRule } from '../gates';
import { isParamRef, ParamRef } from '../params';
import { Observable } from '../observables';
import { TermOp } from '../gate-terms';
import { AngleShift, runShifted } from './shifted-run';
import { hostMeasure } from '../host/host-measure';
import { CHUNK_AMPLITUDES, anglesForRows, rowsPerChunk } from '../host/host-run';
import { AngleDerivative, GradientOptions, GradientRun, Jacobians, chainRule, jacobianTensors, prepareGradientRun } from './jacobians';

const C1 = (Math.SQRT2 + 1) / (4 * Math.SQRT2), C2 = (Math.SQRT2 - 1) / (4 * Math.SQRT2);

/**
 * The shift rules as (shift, coefficient) pairs: d⟨O⟩/dθ = Σ coefficient·⟨O⟩(θ + shift).
 * Two-term: generator eigenvalues differ by 1 (rx, ry, rz, phase, cphase, each u3 angle).
 * Four-term (crx, cry, crz): eigenvalues {0, ±1/2}, so frequencies 1/2 and 1; the coefficients
 * (√2 ± 1)/(4√2) solve the derivative of a + b·cos(θ/2) + c·sin(θ/2) + d·cos θ + e·sin θ exactly.
 */
export const SHIFT_RULES: Readonly<Record<ShiftRule, readonly { shift: number; coeff: number }[]>> = {
  'two-term': [{ shift: Math.PI / 2, coeff: 0.5 }, { shift: -Math.PI / 2, coeff: -0.5 }],
  'four-term': [
    { shift: Math.PI / 2, coeff: C1 }, { shift: -Math.PI / 2, coeff: -C1 },
    { shift: (3 * Math.PI) / 2, coeff: -C2 }, { shift: (-3 * Math.PI) / 2, coeff: C2 },
  ],
};

/** Options of `parameterShift`: run arguments, and optional finite shots for every shifted circuit. */
export interface ParameterShiftOptions extends GradientOptions {
  /** Shots per shifted circuit (and row and measurement basis); exact expectations when omitted. */
  shots?: number;
  /** Seed of the shot sampler (random when omitted). */
  seed?: number;
}

/** Largest stack of shifted copies of one row (copies × 2^n amplitudes) simulated at once. */
export const MAX_SHIFT_BATCH_AMPLITUDES = 2 ** 23;

/** One angle occurrence in the circuit: the parameter it reads, the lowered term ops it feeds, its shift rule. */
export interface Occurrence { ref: ParamRef; termOps: number[]; rule: ShiftRule }

/**
 * The angle occurrences of `circuit` found in `ops` (lowered term ops whose `source` points into
 * circuit.ops; they may cover only part of the circuit, e.g. a compiled block): weights always,
 * inputs when `includeInputs`. With `partial`, circuit ops that `ops` does not cover are skipped
 * (otherwise an angle without term ops is an error: its gate has no shift rule).
 */
export function angleOccurrences(circuit: Circuit, ops: readonly TermOp[], includeInputs: boolean, partial = false): Occurrence[] {
  const byKey = new Map<string, number[]>();
  ops.forEach((op, t) => {
    const key = `${op.source.op}:${op.source.param}`;
    byKey.set(key, [...(byKey.get(key) ?? []), t]);
  });
  const out: Occurrence[] = [];
  circuit.ops.forEach((op, i) => op.params.forEach((p, k) => {
    if (!isParamRef(p) || (p.kind === 'input' && !includeInputs)) return;
    const rule = GATES[op.name].shiftRule;
    const termOps = byKey.get(`${i}:${k}`);
    if (partial && !termOps) return;
    if (!rule || !termOps) throw new Error(`parameterShift: gate '${op.name}' (op ${i}) has no shift rule for angle ${k + 1}`);
    out.push({ ref: p, termOps, rule });
  }));
  // Branching in order of the first affected op keeps the live copies contiguous in runShifted.
  return out.sort((a, b) => Math.min(...a.termOps) - Math.min(...b.termOps));
}

/**
 * Host Jacobians [batch × nObs × numWeights] and [batch × nObs × numInputs] by parameter shift on a
 * prepared run; input occurrences are skipped (zero Jacobian) when `includeInputs` is false. The
 * stacked batch is processed in chunks of rows of about `chunkAmplitudes` (each chunk still carries
 * all its shifted copies together); when one row's copies exceed `maxAmplitudes`, the shifts are
 * split too (the unshifted prefix is then recomputed per split).
 */
export function parameterShiftHost(
  run: GradientRun, shots?: number, rng?: Rng, includeInputs = true,
  maxAmplitudes = MAX_SHIFT_BATCH_AMPLITUDES, chunkAmplitudes = CHUNK_AMPLITUDES,
): { weights: Float64Array; inputs: Float64Array } {
  const n = run.circuit.nQubits, B = run.batch, nObs = run.plan.nObs;
  const occ = angleOccurrences(run.circuit, run.ops, includeInputs);
  const shifts: (AngleShift & { occ: number; coeff: number })[] = [];
  occ.forEach((o, k) => SHIFT_RULES[o.rule].forEach(({ shift, coeff }) => shifts.push({ ops: o.termOps, shift, occ: k, coeff })));
  const derivs: AngleDerivative[] = occ.map((o) => ({ ref: o.ref, values: new Float64Array(B * nObs) }));
  const dim = 2 ** n;
  // Shifts per stacked run (so that one row's copies fit), then rows per run (bounded memory).
  const perRun = Math.max(1, Math.min(shifts.length, Math.floor(maxAmplitudes / dim) - 1));
  const rows = Math.min(B, rowsPerChunk((1 + perRun) * dim, chunkAmplitudes));
  const size = (1 + Math.min(perRun, shifts.length)) * rows * dim;
  const scratch = { re: new Float64Array(size), im: new Float64Array(size) }; // reused by every run
  for (let b0 = 0; b0 < B; b0 += rows) {
    const b1 = Math.min(B, b0 + rows), R = b1 - b0;
    const angles = anglesForRows(run.angles, b0, b1);
    for (let from = 0; from < shifts.length; from += perRun) {
      const chunk = shifts.slice(from, from + perRun);
      const states = runShifted(run.ops, angles, n, R, chunk, undefined, scratch);
      const e = hostMeasure(states, run.plan, shots, rng, R); // block 0 (unshifted) is not needed
      chunk.forEach((s, c) => {
        const d = derivs[s.occ].values, at = c * R * nObs, to = b0 * nObs;
        for (let r = 0; r < R * nObs; r++) d[to + r] += s.coeff * e[at + r];
      });
    }
  }
  return chainRule(derivs, B, nObs, run.circuit.numWeights, run.circuit.numInputs);
}

/** Checks a shot count (undefined means exact). */
export function checkShots(shots: number | undefined, fn: string): void {
  if (shots !== undefined && (!Number.isInteger(shots) || shots < 1)) throw new Error(`${fn}(shots): expected a positive integer, got ${shots}`);
}

/**
 * Jacobians of ⟨observables⟩ by the parameter-shift rule, w.r.t. weights [batch, nObs, numWeights]
 * and inputs [batch, nObs, numInputs], with the rule each gate's angle needs and the chain rule over
 * each occurrence's scale. With `shots`, every shifted circuit is estimated from that many shots.
 * The caller owns (and disposes) the returned tensors.
 */
export function parameterShift(circuit: Circuit, observables: readonly Observable[], options: ParameterShiftOptions = {}): Jacobians {
  checkShots(options.shots, 'parameterShift');
  const run = prepareGradientRun(circuit, observables, options, 'parameterShift');
  const rng = options.shots !== undefined ? new Rng(options.seed ?? Math.floor(Math.random() * 2 ** 32)) : undefined;
  const j = parameterShiftHost(run, options.shots, rng);
  return jacobianTensors(j, run.batch, run.plan.nObs, circuit.numWeights, circuit.numInputs);
}
