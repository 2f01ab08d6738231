/**
 * The compiled path for rows gathered from a larger tensor (the windows of an image batch) as one gradient node
 * on the wasm backend, for inputs that need no gradient (pixels before a first layer). It runs the kernels
 * `CompiledCircuit.run` runs, in the same order on the same values, so outputs keep their bits (and weight
 * gradients too with `setMergeZeroRows(false)`); what it drops is tfjs's per-op work around them (tape nodes,
 * scopes, saved copies, tensor objects: about 20 ops of 10–30 µs each per forward + gradient), two passes, and
 * by default the repeats of all-zero rows (one computed row stands for them all; see `mergeZeroRows`):
 *   forward:  rows (one host gather from the tensor's heap memory) → T = x·S + b (_FusedMatMul) → F = cos(2πT)
 *             (host, in place) → ψ = F·K (K from the host block) → E = ψ²·W2;
 *   backward: ∂L/∂ψ = ψ ⊙ (∂L/∂E·2W2ᵀ) → its transpose → ∂L/∂Kᵀ = ∂L/∂ψᵀ·F → the block's adjoint sweep (host).
 * With `weightGrad` (parameter-shift) the backward is compiled-shift.ts's from F, as on the op-by-op path.
 * Only for encodings whose features are a single trig pass (Fourier plans); `fusedParts` says when.
 */
import { WasmBackendLike, heapF32, readF32, runWasmKernel, tf } from '../../backend';
import { BlockKernel } from './block-unitary';
import { cosCyclesInto } from './product-encoding';

/** What the fused path needs of a compiled circuit (`CompiledCircuit.fusedParts`). */
export interface FusedParts {
  /** T = x·S + bias: the encoding's angles in turns, [numInputs, width] and [width]. */
  S: tf.Tensor2D;
  bias: tf.Tensor1D;
  /** The read-out [cols, nObs] and 2·its transpose [nObs, cols]. */
  W2: tf.Tensor2D;
  W2T2: tf.Tensor2D;
  /** The block on the host: K(weights) and its adjoint-sweep gradient. */
  kernel: BlockKernel;
  width: number;
  nObs: number;
  numInputs: number;
  /** Parameter-shift: the weight gradient from F and ∂L/∂E (compiled-shift.ts) instead of the adjoint sweep. */
  weightGrad?: WeightGrad;
}

/** ∂L/∂weights from the features F [N, width], the weights and ∂L/∂E [N, nObs] (compiled-shift.ts's `compiledWeightShiftGrad` makes one). */
export type WeightGrad = (F: tf.Tensor2D, weights: Float32Array, dy: tf.Tensor2D) => tf.Tensor1D;

/** Row r of the gathered inputs, column i, is x.flat[rowBase[r] + colOffset[i]]. */
export interface RowGather { rowBase: Int32Array; colOffset: Int32Array }

type CustomGradFn = Parameters<typeof tf.customGrad>[0];
const NO_TRANSPOSE = { transposeA: false, transposeB: false };

/** A float32 TensorInfo of `t`'s memory under another shape (as wasm's Reshape sees it). */
const as = (t: tf.TensorInfo, shape: number[]): tf.TensorInfo => ({ dataId: t.dataId, shape, dtype: 'float32' });

/**
 * Whether rows whose inputs are all zero run once (default on). Every such row encodes the same state, so its
 * expectations are computed for one row and copied, and its upstream gradients are summed into that row before
 * the backward pass (exact by linearity): 62 % of hybrid-small's 2×2 windows of official MNIST are all zero. The
 * outputs keep their bits; the weight gradient is the same sum taken in another order (float32 rounding differs
 * from the unmerged path's, ~1e-7 relative). Off, every row runs and the bits are the op-by-op path's (the
 * environment variable QKC_MERGE_ZERO_ROWS=0 starts a process so).
 */
let mergeZeroRows = process.env.QKC_MERGE_ZERO_ROWS !== '0';

/** Turns the merging of all-zero rows on or off (tests compare bits with it off); returns the previous setting. */
export function setMergeZeroRows(on: boolean): boolean {
  const was = mergeZeroRows;
  mergeZeroRows = on;
  return was;
}

/** Rows of the last fused forward pass and how many of them were computed (benches and tests read it). */
export const lastFusedRows = { rows: 0, computed: 0 };

/**
 * Where each of the N gathered rows was computed: `rowOf[r]` indexes the n computed rows (the non-zero rows in
 * order, then one zero row), or null when every row was computed in place (n = N).
 */
interface RowPlan { n: number; rowOf: Int32Array | null }

/**
 * Copies the gathered rows of `src` into `dst` ([N, colOffset.length] of room): all of them, or with `merge`
 * the rows with a non-zero input in order and then one all-zero row standing for the rest (when ≥ 2 are zero).
 * Undefined when a value is not finite.
 */
function gatherRows(src: Float32Array, dst: Float32Array, gather: RowGather, merge: boolean): RowPlan | undefined {
  const { rowBase, colOffset } = gather, I = colOffset.length, N = rowBase.length;
  const rowOf = merge ? new Int32Array(N) : null;
  let finite = true, n = 0, zeros = 0;
  for (let r = 0; r < N; r++) {
    const base = rowBase[r], o = n * I;
    let any = false;
    for (let i = 0; i < I; i++) {
      const v = src[base + colOffset[i]];
      if (v - v !== 0) finite = false; // NaN and ±Infinity give NaN
      if (v !== 0) any = true;
      dst[o + i] = v;
    }
    if (rowOf && !any) { rowOf[r] = -1; zeros++; } else { if (rowOf) rowOf[r] = n; n++; }
  }
  if (!finite) return undefined;
  if (!rowOf || zeros < 2) {
    if (rowOf && zeros === 1) gatherRows(src, dst, gather, false); // one zero row: nothing to merge, keep rows in place
    return { n: N, rowOf: null };
  }
  dst.fill(0, n * I, (n + 1) * I);
  for (let r = 0; r < N; r++) if (rowOf[r] < 0) rowOf[r] = n;
  return { n: n + 1, rowOf };
}

/** `out`[r] = `rows`[rowOf[r]] for rows of `width` values: the computed rows spread back to all N. */
function spreadRows(rows: Float32Array, rowOf: Int32Array, width: number, out: Float32Array): void {
  for (let r = 0, o = 0; r < rowOf.length; r++) for (let i = rowOf[r] * width, end = i + width; i < end; i++, o++) out[o] = rows[i];
}

/** `out`[k] = Σ_{r: rowOf[r] = k} `rows`[r], summed in row order: upstream gradients onto the computed rows. */
function sumRows(rows: Float32Array, rowOf: Int32Array, width: number, out: Float32Array): void {
  out.fill(0);
  for (let r = 0; r < rowOf.length; r++) {
    const o = rowOf[r] * width, i0 = r * width;
    for (let j = 0; j < width; j++) out[o + j] += rows[i0 + j];
  }
}

/**
 * Expectations of every gathered row of `x` (float32, on wasm) as a tensor of `outShape` ([..., nObs], rows in
 * order), differentiable w.r.t. `weights` (adjoint sweep, or `parts.weightGrad`); `x` gets a zero gradient. `onBackward` runs
 * once per backward pass (the caller's execution count).
 */
export function fusedRowsExpval(parts: FusedParts, x: tf.Tensor, gather: RowGather, weights: tf.Tensor1D, outShape: number[], onBackward?: () => void): tf.Tensor {
  const N = gather.rowBase.length, I = gather.colOffset.length, { width, nObs, kernel } = parts, cols = kernel.cols;
  if (I !== parts.numInputs) throw new Error(`fusedRowsExpval(gather): expected ${parts.numInputs} column offset(s), got ${I}`);
  if (outShape.reduce((a, b) => a * b, 1) !== N * nObs) throw new Error(`fusedRowsExpval(outShape): ${JSON.stringify(outShape)} does not hold ${N} rows × ${nObs} observables`);
  const op = tf.customGrad(((xs: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
    const be = tf.backend() as unknown as WasmBackendLike, engine = tf.engine();
    const wf = Float32Array.from(readF32(w)), { K, tape } = kernel.forward(wf);
    const rows = be.makeOutput([N, I], 'float32');
    const plan = gatherRows(heapF32(be, xs), heapF32(be, rows), gather, mergeZeroRows);
    if (!plan) {
      be.disposeData(rows.dataId);
      throw new Error('fusedRowsExpval(x): expected finite values, got NaN or infinity');
    }
    const { n, rowOf } = plan;
    lastFusedRows.rows = N;
    lastFusedRows.computed = n;
    const Kt = be.makeOutput([width, cols], 'float32', undefined, K);
    const T = runWasmKernel('_FusedMatMul', { a: as(rows, [1, n, I]), b: as(parts.S, [1, I, width]), bias: parts.bias }, be,
      { ...NO_TRANSPOSE, activation: 'linear', leakyreluAlpha: 0 });
    be.disposeData(rows.dataId);
    const t = heapF32(be, as(T, [n, width]));
    cosCyclesInto(t, t);
    const psi = runWasmKernel('BatchMatMul', { a: as(T, [n, width]), b: Kt }, be, NO_TRANSPOSE);
    be.disposeData(Kt.dataId);
    const sq = runWasmKernel('Square', { x: psi }, be, {});
    let E = runWasmKernel('BatchMatMul', { a: sq, b: parts.W2 }, be, NO_TRANSPOSE);
    be.disposeData(sq.dataId);
    if (rowOf) {
      const all = be.makeOutput([N, nObs], 'float32');
      spreadRows(heapF32(be, as(E, [n, nObs])), rowOf, nObs, heapF32(be, all));
      be.disposeData(E.dataId);
      E = all;
    }
    // Tensors made here are freed by the node's scope; `save` keeps what the backward needs.
    const F = engine.makeTensorFromTensorInfo(as(T, [n, width])), P = engine.makeTensorFromTensorInfo(as(psi, [n, cols]));
    save(parts.weightGrad ? [F] : [F, P]);
    return {
      value: engine.makeTensorFromTensorInfo(as(E, outShape)),
      gradFunc: (dE: tf.Tensor, [F, P]: tf.Tensor[]) => {
        onBackward?.();
        let dy: tf.TensorInfo = as(dE, [N, nObs]);
        if (rowOf) {
          dy = be.makeOutput([n, nObs], 'float32');
          sumRows(heapF32(be, as(dE, [N, nObs])), rowOf, nObs, heapF32(be, dy));
        }
        if (parts.weightGrad) {
          const shift = parts.weightGrad;
          return [tf.zerosLike(xs), tf.tidy(() => shift(F as tf.Tensor2D, wf, rowOf ? engine.makeTensorFromTensorInfo(dy) as tf.Tensor2D : tf.reshape(dE, [N, nObs])))];
        }
        const A = runWasmKernel('BatchMatMul', { a: dy, b: parts.W2T2 }, be, NO_TRANSPOSE);
        if (rowOf) be.disposeData(dy.dataId);
        const D = runWasmKernel('Multiply', { a: P, b: A }, be, {});
        be.disposeData(A.dataId);
        const Dt = runWasmKernel('Transpose', { x: D }, be, { perm: [1, 0] });
        be.disposeData(D.dataId);
        const G = runWasmKernel('BatchMatMul', { a: Dt, b: F }, be, NO_TRANSPOSE);
        be.disposeData(Dt.dataId);
        const g = heapF32(be, G), dK = new Float32Array(width * cols);
        for (let c = 0; c < cols; c++) for (let a = 0; a < width; a++) dK[a * cols + c] = g[c * width + a];
        be.disposeData(G.dataId);
        return [tf.zerosLike(xs), tf.tensor1d(Float32Array.from(kernel.backward(tape, dK)))];
      },
    };
  }) as unknown as CustomGradFn);
  return op(x, weights);
}
