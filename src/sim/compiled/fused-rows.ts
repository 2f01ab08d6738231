/**
 * The compiled path for rows gathered from a larger tensor (the windows of an image batch) as one gradient node
 * on the wasm backend, for inputs that need no gradient (pixels before a first layer). It runs the kernels
 * `CompiledCircuit.run` runs, in the same order on the same values, so outputs and weight gradients keep their
 * bits; what it drops is tfjs's per-op work around them (tape nodes, scopes, saved copies, tensor objects: about
 * 20 ops of 10–30 µs each per forward + gradient) and two passes:
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

/** Copies the gathered rows of `src` into `dst` [rows, colOffset.length]; false when a value is not finite. */
function gatherRows(src: Float32Array, dst: Float32Array, gather: RowGather): boolean {
  const { rowBase, colOffset } = gather, I = colOffset.length;
  let finite = true;
  for (let r = 0, o = 0; r < rowBase.length; r++) {
    const base = rowBase[r];
    for (let i = 0; i < I; i++, o++) {
      const v = src[base + colOffset[i]];
      if (v - v !== 0) finite = false; // NaN and ±Infinity give NaN
      dst[o] = v;
    }
  }
  return finite;
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
    if (!gatherRows(heapF32(be, xs), heapF32(be, rows), gather)) {
      be.disposeData(rows.dataId);
      throw new Error('fusedRowsExpval(x): expected finite values, got NaN or infinity');
    }
    const Kt = be.makeOutput([width, cols], 'float32', undefined, K);
    const T = runWasmKernel('_FusedMatMul', { a: as(rows, [1, N, I]), b: as(parts.S, [1, I, width]), bias: parts.bias }, be,
      { ...NO_TRANSPOSE, activation: 'linear', leakyreluAlpha: 0 });
    be.disposeData(rows.dataId);
    const t = heapF32(be, as(T, [N, width]));
    cosCyclesInto(t, t);
    const psi = runWasmKernel('BatchMatMul', { a: as(T, [N, width]), b: Kt }, be, NO_TRANSPOSE);
    be.disposeData(Kt.dataId);
    const sq = runWasmKernel('Square', { x: psi }, be, {});
    const E = runWasmKernel('BatchMatMul', { a: sq, b: parts.W2 }, be, NO_TRANSPOSE);
    be.disposeData(sq.dataId);
    // Tensors made here are freed by the node's scope; `save` keeps what the backward needs.
    const F = engine.makeTensorFromTensorInfo(as(T, [N, width])), P = engine.makeTensorFromTensorInfo(as(psi, [N, cols]));
    save(parts.weightGrad ? [F] : [F, P]);
    return {
      value: engine.makeTensorFromTensorInfo(as(E, outShape)),
      gradFunc: (dE: tf.Tensor, [F, P]: tf.Tensor[]) => {
        onBackward?.();
        if (parts.weightGrad) return [tf.zerosLike(xs), tf.tidy(() => (parts.weightGrad as WeightGrad)(F as tf.Tensor2D, wf, tf.reshape(dE, [N, nObs])))];
        const A = runWasmKernel('BatchMatMul', { a: as(dE, [N, nObs]), b: parts.W2T2 }, be, NO_TRANSPOSE);
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
