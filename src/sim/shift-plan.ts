/**
 * Parameter-shift as a transform (in the manner of PennyLane's gradient transforms): `shiftPlan` turns
 * a circuit into the batch of shifted parameter sets whose expectations give every derivative
 * exactly, and `combineShifts` / the plan's coefficient matrices turn those expectations into
 * Jacobians w.r.t. weights and inputs. The plan says nothing about how the sets are run: each executor
 * that runs batches (host kernel, compiled block) evaluates them its own way.
 */
import { Circuit } from './circuit';
import { GATES, ShiftRule } from './gates';
import { TermOp } from './gate-terms';
import { isParamRef, ParamRef } from './params';
import { badArgument } from '../util/errors';

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

/** One angle occurrence in a circuit: operation `op`, its angle `param`, the parameter it reads, its rule. */
export interface ShiftOccurrence { op: number; param: number; ref: ParamRef; rule: ShiftRule }

/** One shifted parameter set: occurrence `occ`'s angle moved by `shift`, weighted by `coeff` in the derivative. */
export interface ShiftedSet { occ: number; shift: number; coeff: number }

/**
 * The shifted parameter sets of a circuit and how to combine their expectations. `weightCoeffs`
 * [sets × numWeights] and `inputCoeffs` [sets × numInputs] hold coeff·scale of each set on the
 * parameter its occurrence reads (the chain rule), so dE/dw = Σ_s E_s·weightCoeffs[s].
 */
export interface ShiftPlan {
  circuit: Circuit;
  occurrences: ShiftOccurrence[];
  sets: ShiftedSet[];
  weightCoeffs: Float64Array;
  inputCoeffs: Float64Array;
}

/** Which angles a plan shifts: weights and/or inputs, and optionally only some operations. */
export interface ShiftPlanOptions {
  weights?: boolean;
  inputs?: boolean;
  /** Only occurrences in these operations (indices into circuit.ops), e.g. a compiled block. */
  ops?: ReadonlySet<number>;
}

/**
 * The parameter-shift plan of `circuit`: every angle that reads a weight (and an input when
 * `inputs`), each with the sets of its gate's rule. Throws when such a gate has no shift rule.
 */
export function shiftPlan(circuit: Circuit, options: ShiftPlanOptions = {}): ShiftPlan {
  const { weights = true, inputs = true, ops } = options;
  const occurrences: ShiftOccurrence[] = [];
  circuit.ops.forEach((op, i) => op.params.forEach((p, k) => {
    if (!isParamRef(p) || (ops && !ops.has(i))) return;
    if (!(p.kind === 'weight' ? weights : inputs)) return;
    const rule = GATES[op.name].shiftRule;
    if (!rule) throw badArgument(`parameterShift: gate '${op.name}' (op ${i}) has no shift rule for angle ${k + 1}`);
    occurrences.push({ op: i, param: k, ref: p, rule });
  }));
  return planFor(circuit, occurrences);
}

function planFor(circuit: Circuit, occurrences: ShiftOccurrence[]): ShiftPlan {
  const sets: ShiftedSet[] = [];
  occurrences.forEach((o, k) => SHIFT_RULES[o.rule].forEach(({ shift, coeff }) => sets.push({ occ: k, shift, coeff })));
  const W = circuit.numWeights, I = circuit.numInputs;
  const weightCoeffs = new Float64Array(sets.length * W), inputCoeffs = new Float64Array(sets.length * I);
  sets.forEach((s, j) => {
    const { ref } = occurrences[s.occ];
    if (ref.kind === 'weight') weightCoeffs[j * W + ref.index] += s.coeff * ref.scale;
    else inputCoeffs[j * I + ref.index] += s.coeff * ref.scale;
  });
  return { circuit, occurrences, sets, weightCoeffs, inputCoeffs };
}

/** The part of a plan whose occurrences read `kind` (same set order; coefficient matrices restricted). */
export function planPart(plan: ShiftPlan, kind: 'weight' | 'input'): ShiftPlan {
  return planFor(plan.circuit, plan.occurrences.filter((o) => o.ref.kind === kind));
}

/**
 * The plan on lowered term ops (whose `source` points into circuit.ops; they may cover only part of
 * the circuit): each set's shifted term-op indices, in order of the first affected op, which keeps
 * live copies contiguous for a runner that branches copies off a shared prefix. Throws when an
 * occurrence has no term op (its gate was not lowered with a parametrised angle).
 */
export function planOnTermOps(plan: ShiftPlan, ops: readonly TermOp[]): { sets: (ShiftedSet & { ops: number[] })[]; order: number[] } {
  const byKey = new Map<string, number[]>();
  ops.forEach((op, t) => {
    const key = `${op.source.op}:${op.source.param}`;
    byKey.set(key, [...(byKey.get(key) ?? []), t]);
  });
  const termOps = plan.occurrences.map((o) => {
    const t = byKey.get(`${o.op}:${o.param}`);
    if (!t) throw badArgument(`parameterShift: gate '${plan.circuit.ops[o.op].name}' (op ${o.op}) has no shift rule for angle ${o.param + 1}`);
    return t;
  });
  const occOrder = plan.occurrences.map((_, k) => k).sort((a, b) => Math.min(...termOps[a]) - Math.min(...termOps[b]));
  const order: number[] = [];
  for (const k of occOrder) plan.sets.forEach((s, j) => { if (s.occ === k) order.push(j); });
  return { sets: order.map((j) => ({ ...plan.sets[j], ops: termOps[plan.sets[j].occ] })), order };
}

/** The combine step fed piece by piece: expectations of one set on some rows at a time, then the Jacobians. */
export interface ShiftAccumulator {
  /** Adds the expectations `values` [rows × nObs] of set `set` (plan order) for rows rowFrom…. */
  add(set: number, rowFrom: number, values: ArrayLike<number>): void;
  /** Jacobians [batch × nObs × numWeights] and [batch × nObs × numInputs] (row-major). */
  result(): { weights: Float64Array; inputs: Float64Array };
}

/** A combine step that needs no buffer of all sets' expectations (memory of one derivative per occurrence). */
export function shiftAccumulator(plan: ShiftPlan, batch: number, nObs: number): ShiftAccumulator {
  // Each occurrence's derivative first (Σ coeff·E over its sets), then the chain rule over the scales.
  const derivs: AngleDerivative[] = plan.occurrences.map((o) => ({ ref: o.ref, values: new Float64Array(batch * nObs) }));
  return {
    add(set, rowFrom, values) {
      const s = plan.sets[set], d = derivs[s.occ].values, at = rowFrom * nObs;
      for (let r = 0; r < values.length; r++) d[at + r] += s.coeff * values[r];
    },
    result: () => chainRule(derivs, batch, nObs, plan.circuit.numWeights, plan.circuit.numInputs),
  };
}

/**
 * The combine step: Jacobians [batch × nObs × numWeights] and [batch × nObs × numInputs] (row-major)
 * from the expectations of every set, `values` [sets × batch × nObs] in plan order.
 */
export function combineShifts(plan: ShiftPlan, values: Float64Array, batch: number, nObs: number): { weights: Float64Array; inputs: Float64Array } {
  const R = batch * nObs;
  if (values.length !== plan.sets.length * R) throw badArgument(`combineShifts(values): expected ${plan.sets.length}×${batch}×${nObs} values, got ${values.length}`);
  const acc = shiftAccumulator(plan, batch, nObs);
  plan.sets.forEach((_, j) => acc.add(j, 0, values.subarray(j * R, (j + 1) * R)));
  return acc.result();
}

/** Derivatives [batch × nObs] (row-major) w.r.t. one angle, and the parameter that angle reads. */
export interface AngleDerivative { ref: ParamRef; values: Float64Array }

/**
 * The chain rule: Σ over angles of scale·d/dθ, into host Jacobians [batch × nObs × numWeights] and
 * [batch × nObs × numInputs] (row-major).
 */
export function chainRule(derivs: readonly AngleDerivative[], batch: number, nObs: number, numWeights: number, numInputs: number): { weights: Float64Array; inputs: Float64Array } {
  const weights = new Float64Array(batch * nObs * numWeights), inputs = new Float64Array(batch * nObs * numInputs);
  for (const { ref, values } of derivs) {
    const [out, width] = ref.kind === 'weight' ? [weights, numWeights] : [inputs, numInputs];
    for (let r = 0; r < batch * nObs; r++) out[r * width + ref.index] += ref.scale * values[r];
  }
  return { weights, inputs };
}

/**
 * A vector-Jacobian product from host Jacobians: with upstream dy [batch × nObs], the gradients
 * Σ_{b,o} dy·dE/dw [numWeights] and Σ_o dy·dE/dx [batch × numInputs].
 */
export function contractJacobians(j: { weights: Float64Array; inputs: Float64Array }, dy: ArrayLike<number>, batch: number, nObs: number, numWeights: number, numInputs: number): { weights: Float64Array; inputs: Float64Array } {
  const gw = new Float64Array(numWeights), gx = new Float64Array(batch * numInputs);
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < nObs; o++) {
      const g = dy[b * nObs + o], r = b * nObs + o;
      if (g === 0) continue;
      for (let k = 0; k < numWeights; k++) gw[k] += g * j.weights[r * numWeights + k];
      for (let i = 0; i < numInputs; i++) gx[b * numInputs + i] += g * j.inputs[r * numInputs + i];
    }
  }
  return { weights: gw, inputs: gx };
}
