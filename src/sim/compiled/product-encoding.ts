/**
 * The encoding prefix of a compilable circuit evaluated as a short chain of wide tensor operations:
 * every amplitude of the encoded product state is a polynomial in cos/sin of the data angles, so
 * φ = F·M where F starts from one trigonometric tensor T = cos(2π(x·S + b)) and, in the "levels" plan,
 * goes through a few levels (F·L) ⊙ (F·R) (see encoding-levels.ts); the "Fourier" plan needs none
 * (encoding-fourier.ts). The cheaper plan is chosen per circuit. On wasm all of this is a handful of
 * matMuls and elementwise passes on [N, ≤ ~100] tensors: matMul is fast there, while slice, gather,
 * stack and tf.cos on large tensors are slow (see the tfjs-wasm notes).
 */
import { readF32, tf, withZeroGradient } from '../../backend';
import { TermOp } from '../gate-terms';
import { EncodingPlan, foldPrefix } from './encoding-gates';
import { planLevels } from './encoding-levels';
import { planFourier } from './encoding-fourier';

/** A kept constant matrix and its transpose (wasm's matMul is 10–20× slower with a transpose flag). */
interface ConstMat { m: tf.Tensor2D; t: tf.Tensor2D }
function constMat(a: Float32Array, rows: number, cols: number): ConstMat {
  const m = tf.keep(tf.tensor2d(a, [rows, cols]));
  return { m, t: tf.keep(tf.transpose(m)) };
}
const disposeMat = (c: ConstMat | undefined) => { c?.m.dispose(); c?.t.dispose(); };
type CustomGradFn = Parameters<typeof tf.customGrad>[0];
type MatFn = (x: tf.Tensor2D) => tf.Tensor2D;

/**
 * Taylor coefficients of sin(2π·s) / s in z = s², up to (2πs)^11: for |s| ≤ 1/4 the truncation error
 * is ≤ (π/2)^13/13! ≈ 6e-8, below float32 resolution of values near 1.
 */
const SIN_CYCLE = Array.from({ length: 6 }, (_, k) => {
  let f = 1;
  for (let i = 1; i <= 2 * k + 1; i++) f *= i;
  return ((k % 2 ? -1 : 1) * (2 * Math.PI) ** (2 * k + 1)) / f;
});

const [C1, C3, C5, C7, C9, C11] = SIN_CYCLE;
/** Reused output buffer of `cosCycles` on wasm (tf.tensor copies it): no JS-heap garbage per call. */
let cosScratch = new Float32Array(0);

/** out[i] = cos(2π·v[i]): the odd polynomial of sin(2π·s) at s = 1/4 − |t − round(t)|, in float64 (`out` may be `v`). */
export function cosCyclesInto(v: Float32Array, out: Float32Array): void {
  for (let i = 0; i < v.length; i++) {
    const t = v[i], r = t - Math.floor(t + 0.5), s = 0.25 - (r < 0 ? -r : r), z = s * s;
    out[i] = s * (C1 + z * (C3 + z * (C5 + z * (C7 + z * (C9 + z * C11)))));
  }
}

/**
 * cos(2π·t) elementwise, not differentiable (the encoding's gradient node differentiates it itself).
 * On wasm, tf.cos costs ~50 multiplies per element, and the same polynomial as tensor ops is 16 passes
 * of ~16 µs tfjs overhead each; the values are in host memory there, so it is one read, one JS loop
 * (cos(2πr) = sin(2π(1/4 − |r|)) with r = t − round(t), an odd polynomial on |s| ≤ 1/4 turn) and one
 * upload. Other backends use tf.cos.
 */
export function cosCycles(t: tf.Tensor): tf.Tensor {
  if (tf.getBackend() !== 'wasm' || t.dtype !== 'float32') return tf.cos(tf.mul(t, 2 * Math.PI));
  if (cosScratch.length < t.size) cosScratch = new Float32Array(t.size);
  const out = cosScratch.subarray(0, t.size);
  cosCyclesInto(readF32(t), out); // read from the heap view before the output tensor is allocated
  return tf.tensor(out, t.shape, 'float32'); // copies `out` into the backend's memory
}

/** How the encoded state is computed: 'auto' picks the cheaper of 'levels' and 'fourier'. */
export type EncodingChoice = 'auto' | 'levels' | 'fourier';

/** Largest Fourier plan considered (columns of T). */
const FOURIER_MAX_COLUMNS = 128;
/** Elementwise passes of `cosCycles`, and the cost of one tf op in column-passes (dispatch). */
const TRIG_PASSES = 16, OP_COST = 3;

/** Rough cost (in elementwise passes over one column of N rows) of [N, a]·[a, b], from wasm timings. */
const matMulCost = (a: number, b: number) => b * (2.6 + 0.11 * a) + OP_COST;

/** Estimated cost of evaluating a plan and its final product with `outColumns` columns. */
function planCost(p: EncodingPlan, numInputs: number, outColumns: number): number {
  let cost = matMulCost(numInputs, p.cols) + (TRIG_PASSES + OP_COST) * p.cols;
  for (const l of p.levels) cost += 2 * matMulCost(l.rows, l.cols) + l.cols + OP_COST;
  return cost + matMulCost(p.width, outColumns);
}

/**
 * The encoded product state φ of a compilable circuit's prefix, as features F [N, width] and a
 * constant map M [width, 2^n] (real φ) or [width, 2·2^n] (re | im): φ = F·M.
 */
export class ProductEncoding {
  /** The chosen plan ('levels' or 'fourier') and its constants. */
  readonly plan: EncodingPlan;
  /** True when every encoded amplitude is real (then φ has no imaginary part). */
  readonly real: boolean;
  /** Number of feature columns F has. */
  readonly width: number;
  /** φ = F·M, row-major [width, dimIn] in float64 (dimIn = 2^n, or 2·2^n for complex φ). */
  readonly M: Float64Array;
  /** Columns of the fused [φr | φi] representation. */
  readonly dimIn: number;
  private readonly S: ConstMat | undefined;
  private readonly bias: tf.Tensor1D | undefined;
  private readonly biasShift: tf.Tensor1D | undefined;
  private readonly swap: tf.Tensor2D | undefined;
  private readonly levels: { L: ConstMat; R: ConstMat }[];
  private readonly encode: MatFn | undefined;

  /**
   * Plans the encoding of `prefix` (term ops, each on one wire) for circuits with `numInputs` inputs;
   * `outColumns` (the width of what F is multiplied by next) steers the choice of plan ('auto'), which
   * `choice` can force.
   */
  constructor(prefix: readonly TermOp[], readonly nQubits: number, readonly numInputs: number, outColumns = 2 << nQubits, choice: EncodingChoice = 'auto') {
    const folded = foldPrefix(prefix, nQubits, numInputs);
    const levels = planLevels(folded), fourier = choice === 'levels' ? undefined : planFourier(folded, FOURIER_MAX_COLUMNS);
    if (choice === 'fourier' && !fourier) throw new Error(`compileCircuit(encoding): 'fourier' needs more than ${FOURIER_MAX_COLUMNS} trig columns for this prefix; use 'levels' or 'auto'`);
    const plan = fourier && (choice === 'fourier' || planCost(fourier, numInputs, outColumns) <= planCost(levels, numInputs, outColumns)) ? fourier : levels;
    this.plan = plan;
    this.real = plan.real;
    this.width = plan.width;
    this.M = plan.M;
    this.dimIn = plan.dimIn;
    // Constant tensors, kept so that a caller's tidy cannot free them.
    const f32 = (a: Float64Array) => Float32Array.from(a);
    this.levels = plan.levels.map((l) => ({ L: constMat(f32(l.left), l.rows, l.cols), R: constMat(f32(l.right), l.rows, l.cols) }));
    if (folded.trig.length > 0) {
      this.S = constMat(f32(plan.S), numInputs, plan.cols);
      this.bias = tf.keep(tf.tensor1d(f32(plan.bias)));
      this.biasShift = tf.keep(tf.tensor1d(Float32Array.from(plan.bias, (b) => b - 0.25)));
      this.swap = plan.swap ? tf.keep(tf.tensor2d(f32(plan.swap), [plan.cols, plan.cols])) : undefined;
      this.encode = this.makeEncode();
    }
  }

  /** T = cos(2π(x·S + b)) and every level's (F·L, F·R) pair; F is the last level's product. */
  private forwardAll(x: tf.Tensor2D): { T: tf.Tensor2D; pairs: [tf.Tensor2D, tf.Tensor2D][]; F: tf.Tensor2D } {
    const S = this.S as ConstMat;
    const T = cosCycles(tf.fused.matMul({ a: x, b: S.m, bias: this.bias })) as tf.Tensor2D;
    const pairs: [tf.Tensor2D, tf.Tensor2D][] = [];
    let F = T;
    for (const { L, R } of this.levels) {
      const pair: [tf.Tensor2D, tf.Tensor2D] = [tf.matMul(F, L.m), tf.matMul(F, R.m)];
      pairs.push(pair);
      F = tf.mul(pair[0], pair[1]) as tf.Tensor2D;
    }
    return { T, pairs, F };
  }

  /**
   * x ↦ F as one gradient node that saves only x: tfjs copies every saved tensor on wasm, and the
   * input gradient is often not wanted (pixels), so the backward recomputes the intermediates instead.
   * Backward: each level's d(a⊙b) = (dy⊙b)·Lᵀ + (dy⊙a)·Rᵀ; a cos/sin column's derivative is its
   * partner column (T·swap), or one more trig pass when some partner is absent (Fourier plans).
   */
  private makeEncode(): MatFn {
    const S = this.S as ConstMat, swap = this.swap, levels = this.levels;
    // dT/dt: the partner column (T·swap) when every cos/sin column has one, else −2π·cos(2π(t − 1/4)).
    const dTrig = (x: tf.Tensor2D, T: tf.Tensor2D) => (swap ? tf.matMul(T, swap)
      : tf.mul(cosCycles(tf.fused.matMul({ a: x, b: S.m, bias: this.biasShift })), -2 * Math.PI));
    return tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
      save([x]);
      return {
        value: this.forwardAll(x as tf.Tensor2D).F,
        gradFunc: (dF: tf.Tensor, [xs]: tf.Tensor[]) => {
          const { T, pairs } = this.forwardAll(xs as tf.Tensor2D);
          let d = dF as tf.Tensor2D;
          for (let l = levels.length - 1; l >= 0; l--) {
            const [a, b] = pairs[l];
            d = tf.add(tf.matMul(tf.mul(d, b) as tf.Tensor2D, levels[l].L.t), tf.matMul(tf.mul(d, a) as tf.Tensor2D, levels[l].R.t)) as tf.Tensor2D;
          }
          return tf.matMul(tf.mul(d, dTrig(xs as tf.Tensor2D, T)) as tf.Tensor2D, S.t);
        },
      };
    }) as unknown as CustomGradFn) as unknown as MatFn;
  }

  /**
   * S [numInputs, width] and bias [width] when F is T = cos(2π(x·S + b)) itself (a plan without levels, as the
   * Fourier plans are): what the fused row path (fused-rows.ts) evaluates; undefined otherwise.
   */
  trigOnly(): { S: tf.Tensor2D; bias: tf.Tensor1D } | undefined {
    return this.S && this.bias && this.levels.length === 0 ? { S: this.S.m, bias: this.bias } : undefined;
  }

  /**
   * The features F [batch, width] of the rows of `x` ([batch, numInputs]); differentiable w.r.t. x unless
   * `differentiable` is false (then a zero gradient, with nothing recorded or saved: for inputs needing none).
   */
  features(x: tf.Tensor2D | undefined, batch: number, differentiable = true): tf.Tensor2D {
    if (!this.encode || !x) return tf.ones([batch, 1]) as tf.Tensor2D;
    const xf = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
    return differentiable ? this.encode(xf) : withZeroGradient((t: tf.Tensor2D) => this.forwardAll(t).F, xf);
  }

  /** Frees the constant tensors. */
  dispose(): void {
    for (const { L, R } of this.levels) { disposeMat(L); disposeMat(R); }
    disposeMat(this.S); this.bias?.dispose(); this.biasShift?.dispose(); this.swap?.dispose();
  }
}
