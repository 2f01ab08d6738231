/**
 * Parameter-shift gradients on the compiled path: every shifted circuit is really evaluated, but as
 * batched tensor work instead of one host simulation per copy. A weight shift only changes the block,
 * so the encoded features F of the forward run serve every weight shift; what the gradient needs is each
 * shifted circuit's expectations summed over the rows against the upstream gradient, and since ⟨O⟩ is
 * quadratic in F that sum is taken over the rows first (one [nObs·width, N]·[N, width] matMul), then
 * evaluated for each shifted block on the host (`CompiledCircuit.weightShiftSums`); an input shift only
 * changes the encoding, so φ is recomputed for the shifted encoding angles of all rows and shifts as one
 * stacked batch. The shifted sets and their
 * coefficients come from the circuit's shift plan (src/sim/shift-plan.ts); this file only runs it.
 */
import { tf } from '../../backend';
import { Circuit } from '../circuit';
import { Angle, input, isParamRef } from '../params';
import { Observable } from '../observables';
import { ShiftPlan, planOnTermOps, planPart, shiftPlan } from '../shift-plan';
import { AngleShift } from '../host/host-shifted';
import { CompiledCircuit, compileCircuit } from './compiled';
import type { WeightGrad } from './fused-rows';

type CustomGradFn = Parameters<typeof tf.customGrad>[0];

/** Largest number of elements of one stacked input-shift batch (rows × shifts × inputs) sent at once. */
const INPUT_SHIFT_MAX_ELEMENTS = 2 ** 21;

/** What the input shifts need: the circuit with one input column per occurrence, and the maps. */
interface InputShiftPlan {
  /** The circuit whose k-th encoding angle occurrence reads input(k, 1), compiled. */
  expanded: CompiledCircuit;
  /** P [numInputs, nOcc]: z = x·P gives every occurrence's angle (scale folded in). */
  P: tf.Tensor2D;
  /** Δ [S, nOcc]: the angle shift of each input shift. */
  delta: tf.Tensor2D;
  /** C [S, numInputs]: coefficient × scale of each shift on the input it reads (chain rule). */
  C: tf.Tensor2D;
}

/** The input part of a shift plan as re-encoding work: each occurrence becomes its own input column. */
function planInputShifts(circuit: Circuit, plan: ShiftPlan, observables: readonly Observable[]): InputShiftPlan | undefined {
  const part = planPart(plan, 'input');
  const nOcc = part.occurrences.length, S = part.sets.length, I = circuit.numInputs;
  if (nOcc === 0) return undefined;
  const column = new Map(part.occurrences.map((o, k) => [`${o.op}:${o.param}`, k]));
  const expanded = new Circuit(circuit.nQubits);
  circuit.ops.forEach((op, i) => {
    const params = op.params.map((p, k): Angle => {
      const col = column.get(`${i}:${k}`);
      return col === undefined || !isParamRef(p) ? p : input(col, 1);
    });
    expanded.append(op.name, op.wires, params, op.matrix);
  });
  const P = new Float32Array(I * nOcc), delta = new Float32Array(S * nOcc);
  part.occurrences.forEach((o, k) => { P[o.ref.index * nOcc + k] = o.ref.scale; });
  part.sets.forEach((s, j) => { delta[j * nOcc + s.occ] = s.shift; });
  return {
    expanded: compileCircuit(expanded, observables),
    P: tf.keep(tf.tensor2d(P, [I, nOcc])), delta: tf.keep(tf.tensor2d(delta, [S, nOcc])),
    C: tf.keep(tf.tensor2d(Float32Array.from(part.inputCoeffs), [S, I])),
  };
}

/** Σ_o dy[b, o]·E[b, s·nObs + o] → [N, S]: each shifted run's expectations contracted with dy. */
function contractRows(E: tf.Tensor2D, dy: tf.Tensor2D, S: number): tf.Tensor2D {
  const [N, nObs] = dy.shape;
  return tf.sum(tf.mul(tf.reshape(E, [N, S, nObs]), tf.reshape(dy, [N, 1, nObs])), 2) as tf.Tensor2D;
}

/**
 * The parameter-shift weight gradient of `compiled` by the weight part of `plan`: for each weight shift s,
 * g_s = Σ_{rows, o} dy·⟨O⟩_s (`weightShiftSums`), then ∂L/∂w = Σ_s g_s·coeff_s·scale.
 */
export function compiledWeightShiftGrad(compiled: CompiledCircuit, plan: ShiftPlan): WeightGrad {
  // Weight shifts change only the block: its term ops, in the order that shares the block's prefix.
  const weights = planPart(plan, 'weight'), W = compiled.numWeights;
  const { sets, order } = planOnTermOps(weights, compiled.blockTerms);
  const shifts: AngleShift[] = sets.map((s) => ({ ops: s.ops, shift: s.shift }));
  const S = shifts.length, Cw = new Float64Array(S * W);
  order.forEach((j, s) => Cw.set(weights.weightCoeffs.subarray(j * W, (j + 1) * W), s * W));
  return (F, w, dy) => {
    const gs = compiled.weightShiftSums(F, dy, w, shifts);
    const gw = new Float32Array(W);
    for (let s = 0; s < S; s++) for (let k = 0; k < W; k++) gw[k] += gs[s] * Cw[s * W + k];
    return tf.tensor1d(gw);
  };
}

/**
 * The expectation function of a compilable circuit whose gradients are parameter-shift evaluated on
 * the compiled path (exact expectations). Forward: the compiled expectations. Backward, with upstream
 * dy: for each weight shift s, g_s = Σ_{b,o} dy·⟨O⟩_s, then ∂L/∂w = Σ_s g_s·coeff_s·scale; input
 * shifts (when `inputGrads`) likewise per row. Input gradients are zero when `inputGrads` is false.
 */
export function compiledShiftExpval(
  circuit: Circuit, observables: readonly Observable[], inputGrads: boolean, plan?: ShiftPlan,
): (inputs: tf.Tensor2D | null, weights: tf.Tensor1D) => tf.Tensor2D {
  let state: { compiled: CompiledCircuit; inputPlan?: InputShiftPlan } | undefined;
  const full = () => plan ?? shiftPlan(circuit, { inputs: inputGrads });
  const setup = () => {
    if (state) return state;
    const compiled = compileCircuit(circuit, observables);
    const inputPlan = inputGrads ? planInputShifts(circuit, full(), observables) : undefined;
    return (state = { compiled, inputPlan });
  };
  // The forward's features F are kept for the weight shifts (a weight shift leaves the encoding as it is).
  let weightGradFn: WeightGrad | undefined;
  const weightGrad: WeightGrad = (F, w, dy) => (weightGradFn ??= compiledWeightShiftGrad(setup().compiled, full()))(F, w, dy);

  const inputGrad = (inputs: tf.Tensor2D, weights: tf.Tensor1D, dy: tf.Tensor2D): tf.Tensor2D => {
    const plan = setup().inputPlan;
    if (!plan) return tf.zerosLike(inputs);
    return tf.tidy(() => {
      const N = inputs.shape[0], S = plan.delta.shape[0], nOcc = plan.delta.shape[1];
      const x = inputs.dtype === 'float32' ? inputs : tf.cast(inputs, 'float32');
      const z = tf.matMul(x as tf.Tensor2D, plan.P);
      const rows = Math.max(1, Math.floor(INPUT_SHIFT_MAX_ELEMENTS / (S * Math.max(nOcc, plan.expanded.nObs))));
      const parts: tf.Tensor2D[] = [];
      for (let r0 = 0; r0 < N; r0 += rows) {
        const R = Math.min(rows, N - r0);
        const zr = R === N ? z : tf.slice(z, [r0, 0], [R, -1]);
        const zs = tf.reshape(tf.add(tf.reshape(zr, [R, 1, nOcc]), plan.delta), [R * S, nOcc]) as tf.Tensor2D;
        const E = tf.reshape(plan.expanded.expectations(zs, weights), [R, S * plan.expanded.nObs]) as tf.Tensor2D;
        parts.push(contractRows(E, R === N ? dy : tf.slice(dy, [r0, 0], [R, -1]), S));
      }
      return tf.matMul(parts.length === 1 ? parts[0] : tf.concat(parts, 0), plan.C);
    });
  };

  return (inputs, weights) => {
    const { compiled } = setup();
    const f = tf.customGrad(((...args: unknown[]) => {
      const save = args.pop() as tf.GradSaveFunc;
      const [w, x] = args as [tf.Tensor1D, tf.Tensor2D | undefined];
      const { expectations, features } = compiled.run(x, w, { features: true, inputGrads: false }, 'differentiableExpval');
      // Saving copies each tensor: x only when its shifts will need it.
      save(x && inputGrads ? [w, features as tf.Tensor2D, x] : [w, features as tf.Tensor2D]);
      features?.dispose();
      return {
        value: expectations,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [ws, F, xs] = saved as [tf.Tensor1D, tf.Tensor2D, tf.Tensor2D | undefined];
          const wf = Float32Array.from(ws.dataSync());
          const gw = weightGrad(F, wf, dy as tf.Tensor2D);
          if (!x) return [gw];
          return [gw, xs ? inputGrad(xs, ws, dy as tf.Tensor2D) : tf.zeros([F.shape[0], circuit.numInputs])];
        },
      };
    }) as unknown as CustomGradFn);
    return (inputs ? f(weights, inputs) : f(weights)) as tf.Tensor2D;
  };
}
