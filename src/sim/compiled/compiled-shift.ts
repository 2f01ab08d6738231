/**
 * Parameter-shift gradients on the compiled path: every shifted circuit is really evaluated, but as
 * batched tensor work instead of one host simulation per copy. A weight shift only changes the block,
 * so the encoded features F (shared by all weight shifts) are multiplied by all shifted block kernels
 * [K_1|…|K_S] at once; an input shift only changes the encoding, so φ is recomputed for the shifted
 * encoding angles of all rows and shifts as one stacked batch. The shift rules, the angle occurrences
 * and the shifted block unitaries come from parameter-shift.ts and shifted-run.ts.
 */
import { tf } from '../../backend';
import { Circuit } from '../circuit';
import { GATES } from '../gates';
import { Angle, InputRef, input, isParamRef } from '../params';
import { Observable } from '../observables';
import { CompiledCircuit, compileCircuit } from './compiled';
import { SHIFT_RULES, angleOccurrences } from '../gradients/parameter-shift';
import { AngleShift } from '../gradients/shifted-run';

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

function planInputShifts(circuit: Circuit, compiled: CompiledCircuit, observables: readonly Observable[]): InputShiftPlan | undefined {
  const prefix = new Set(compiled.prefixOps);
  const refs: InputRef[] = [];
  const shifts: { occ: number; shift: number; coeff: number }[] = [];
  const expanded = new Circuit(circuit.nQubits);
  circuit.ops.forEach((op, i) => {
    const params = op.params.map((p): Angle => {
      if (!prefix.has(i) || !isParamRef(p) || p.kind !== 'input') return p;
      const rule = GATES[op.name].shiftRule;
      if (!rule) throw new Error(`parameterShift: gate '${op.name}' (op ${i}) has no shift rule`);
      SHIFT_RULES[rule].forEach(({ shift, coeff }) => shifts.push({ occ: refs.length, shift, coeff }));
      refs.push(p);
      return input(refs.length - 1, 1);
    });
    expanded.append(op.name, op.wires, params, op.matrix);
  });
  const nOcc = refs.length, S = shifts.length, I = circuit.numInputs;
  if (nOcc === 0) return undefined;
  const P = new Float32Array(I * nOcc), delta = new Float32Array(S * nOcc), C = new Float32Array(S * I);
  refs.forEach((r, k) => { P[r.index * nOcc + k] = r.scale; });
  shifts.forEach((s, j) => {
    delta[j * nOcc + s.occ] = s.shift;
    C[j * I + refs[s.occ].index] += s.coeff * refs[s.occ].scale;
  });
  return {
    expanded: compileCircuit(expanded, observables),
    P: tf.keep(tf.tensor2d(P, [I, nOcc])), delta: tf.keep(tf.tensor2d(delta, [S, nOcc])), C: tf.keep(tf.tensor2d(C, [S, I])),
  };
}

/** Σ_o dy[b, o]·E[b, s·nObs + o] → [N, S]: each shifted run's expectations contracted with dy. */
function contractRows(E: tf.Tensor2D, dy: tf.Tensor2D, S: number): tf.Tensor2D {
  const [N, nObs] = dy.shape;
  return tf.sum(tf.mul(tf.reshape(E, [N, S, nObs]), tf.reshape(dy, [N, 1, nObs])), 2) as tf.Tensor2D;
}

/**
 * The expectation function of a compilable circuit whose gradients are parameter-shift evaluated on
 * the compiled path (exact expectations). Forward: the compiled expectations. Backward, with upstream
 * dy: for each weight shift s, g_s = Σ_{b,o} dy·⟨O⟩_s, then ∂L/∂w = Σ_s g_s·coeff_s·scale; input
 * shifts (when `inputGrads`) likewise per row. Input gradients are zero when `inputGrads` is false.
 */
export function compiledShiftExpval(
  circuit: Circuit, observables: readonly Observable[], inputGrads: boolean,
): (inputs: tf.Tensor2D | null, weights: tf.Tensor1D) => tf.Tensor2D {
  let state: { compiled: CompiledCircuit; shifts: AngleShift[]; Cw: Float64Array; inputPlan?: InputShiftPlan } | undefined;
  const setup = () => {
    if (state) return state;
    const compiled = compileCircuit(circuit, observables);
    const shifts: AngleShift[] = [], W = circuit.numWeights;
    const coeffs: { index: number; c: number }[] = [];
    for (const o of angleOccurrences(circuit, compiled.blockTerms, false)) {
      for (const { shift, coeff } of SHIFT_RULES[o.rule]) {
        shifts.push({ ops: o.termOps, shift });
        coeffs.push({ index: o.ref.index, c: coeff * o.ref.scale });
      }
    }
    const Cw = new Float64Array(shifts.length * W);
    coeffs.forEach(({ index, c }, s) => { Cw[s * W + index] += c; });
    const inputPlan = inputGrads ? planInputShifts(circuit, compiled, observables) : undefined;
    return (state = { compiled, shifts, Cw, inputPlan });
  };

  const weightGrad = (inputs: tf.Tensor2D | null, w: Float32Array, dy: tf.Tensor2D): tf.Tensor1D => {
    const { compiled, shifts, Cw } = setup(), S = shifts.length, W = circuit.numWeights;
    const g = tf.tidy(() => {
      const F = compiled.features(inputs ?? undefined, dy.shape[0]);
      return tf.sum(contractRows(compiled.shiftedExpectations(F, w, shifts), dy, S), 0);
    });
    const gs = g.dataSync();
    g.dispose();
    const gw = new Float32Array(W);
    for (let s = 0; s < S; s++) for (let k = 0; k < W; k++) gw[k] += gs[s] * Cw[s * W + k];
    return tf.tensor1d(gw);
  };

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
      save(x ? [w, x] : [w]);
      return {
        value: compiled.expectations(x, w, 'differentiableExpval'),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [ws, xs] = saved as [tf.Tensor1D, tf.Tensor2D | undefined];
          const wf = Float32Array.from(ws.dataSync());
          const gw = weightGrad(xs ?? null, wf, dy as tf.Tensor2D);
          return xs ? [gw, inputGrad(xs, ws, dy as tf.Tensor2D)] : [gw];
        },
      };
    }) as unknown as CustomGradFn);
    return (inputs ? f(weights, inputs) : f(weights)) as tf.Tensor2D;
  };
}
