/**
 * The data-independent block of a compiled circuit on the host, in float64: its unitary U from the
 * weights, the read-out matrix K = M·Ũ the tensors need, and the weight gradient from ∂L/∂K.
 *
 * U is tiny (2^n × 2^n for n ≤ ~6) and shared by every row, so it is built with the plain-JS kernel
 * rather than with dozens of tf ops whose dispatch would cost more than the arithmetic. Its columns are
 * the images of the basis states, so a "batch" of 2^n basis states run through the block holds Uᵀ; the
 * weight gradient is then the adjoint method on that batch (one backward sweep, float64).
 */
import { TermOp } from '../gate-terms';
import { HostStates, hostApply, hostClone } from '../host/host-kernel';
import { isParamRef } from '../params';
import { CMatrix } from '../gates';
import { AngleShift, runShifted } from '../host/host-shifted';

/** Everything the backward pass needs from one forward evaluation. */
export interface BlockTape { ut: HostStates; angles: (number | undefined)[] }

/**
 * Builds K = M · [Ũ_1 | … | Ũ_G] [width, G·2·2^n], where Ũ_g = [[Re Vg, Im Vg], [−Im Vg, Re Vg]]
 * (only the top half when the encoded state is real) and Vg = (R_g·U)ᵀ for measurement rotation R_g:
 * then for features F, ψ_g = [Re ψ_g | Im ψ_g] = F·K's group-g columns.
 */
export class BlockKernel {
  /** Columns of K: 2·2^n per rotation group. */
  readonly cols: number;
  private readonly dim: number;

  /**
   * `block`: the block's term ops in order; `rotations`: per group, the term ops of its basis change
   * (empty for Z); `M` [width, dimIn] maps features to the fused encoded state (dimIn = 2^n or 2·2^n).
   */
  constructor(
    private readonly block: readonly TermOp[], private readonly rotations: readonly (readonly TermOp[])[],
    private readonly nQubits: number, private readonly M: Float64Array, private readonly width: number,
    private readonly dimIn: number, private readonly numWeights: number,
  ) {
    this.dim = 1 << nQubits;
    this.cols = rotations.length * 2 * this.dim;
  }

  /** The numeric angle of each block op for these weights (undefined for fixed gates). */
  private angles(weights: ArrayLike<number>): (number | undefined)[] {
    return this.block.map((op) => {
      const a = op.angle;
      if (a === undefined) return undefined;
      if (!isParamRef(a)) return a;
      if (a.kind !== 'weight') throw new Error('BlockKernel: the block cannot read inputs');
      return a.scale * weights[a.index];
    });
  }

  /** Uᵀ as host states: row j is U·e_j. */
  unitaryRows(weights: ArrayLike<number>): BlockTape {
    const d = this.dim, ut: HostStates = { re: new Float64Array(d * d), im: new Float64Array(d * d), rows: d, nQubits: this.nQubits };
    for (let j = 0; j < d; j++) ut.re[j * d + j] = 1;
    const angles = this.angles(weights);
    this.block.forEach((op, t) => hostApply(ut, op, angles[t]));
    return { ut, angles };
  }

  /** The block's unitary U as a complex matrix (for inspection). */
  unitary(weights: ArrayLike<number>): CMatrix {
    const { ut } = this.unitaryRows(weights), d = this.dim;
    const part = (a: Float64Array) => Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => a[j * d + i]));
    return { re: part(ut.re), im: part(ut.im) };
  }

  /** K [width, cols] (row-major float32) for these weights, and the tape for `backward`. */
  forward(weights: ArrayLike<number>): { K: Float32Array; tape: BlockTape } {
    const tape = this.unitaryRows(weights);
    return { K: this.kernelFrom(tape.ut), tape };
  }

  /**
   * The K of every angle-shifted copy of the block, stacked along columns: [width, S·cols] row-major,
   * columns s·cols … (s+1)·cols − 1 for shifts[s] (whose `ops` index the block's term ops). All copies
   * are built in one `runShifted` pass over the 2^n basis states, sharing the unshifted prefix.
   */
  shiftedKernels(weights: ArrayLike<number>, shifts: readonly AngleShift[]): Float32Array {
    const S = shifts.length, cols = this.cols;
    const out = new Float32Array(this.width * S * cols);
    this.shiftedRows(weights, shifts).forEach((rows, s) => {
      const K = this.kernelFrom(rows);
      for (let w = 0; w < this.width; w++) out.set(K.subarray(w * cols, (w + 1) * cols), (w * S + s) * cols);
    });
    return out;
  }

  /** Ũ_all [dimIn, cols] (float64, row-major; K = M·Ũ_all) of every angle-shifted copy of the block. */
  shiftedUnitaries(weights: ArrayLike<number>, shifts: readonly AngleShift[]): Float64Array[] {
    return this.shiftedRows(weights, shifts).map((rows) => this.unitaryAll(rows));
  }

  /** Uᵀ rows (as `unitaryRows`) of every shifted copy, from one `runShifted` pass over the basis states. */
  private shiftedRows(weights: ArrayLike<number>, shifts: readonly AngleShift[]): HostStates[] {
    const d = this.dim;
    const eye: HostStates = { re: new Float64Array(d * d), im: new Float64Array(d * d), rows: d, nQubits: this.nQubits };
    for (let j = 0; j < d; j++) eye.re[j * d + j] = 1;
    const all = runShifted(this.block, this.angles(weights), this.nQubits, d, shifts, eye);
    return shifts.map((_, s) => {
      const at = (1 + s) * d * d;
      return { re: all.re.subarray(at, at + d * d), im: all.im.subarray(at, at + d * d), rows: d, nQubits: this.nQubits };
    });
  }

  /** K = M·Ũ_all for the block whose Uᵀ rows are `ut`. */
  private kernelFrom(utRows: HostStates): Float32Array {
    const cols = this.cols, din = this.dimIn;
    const ut = this.unitaryAll(utRows);
    const K = new Float32Array(this.width * cols), M = this.M;
    for (let w = 0; w < this.width; w++) {
      for (let r = 0; r < din; r++) {
        const m = M[w * din + r];
        if (m === 0) continue;
        for (let c = 0; c < cols; c++) K[w * cols + c] += m * ut[r * cols + c];
      }
    }
    return K;
  }

  /** Ũ_all [dimIn, cols] = [Ũ_1 | … | Ũ_G] (float64) for the block whose Uᵀ rows are `utRows`. */
  private unitaryAll(utRows: HostStates): Float64Array {
    const d = this.dim, cols = this.cols, din = this.dimIn, complexIn = din === 2 * d;
    const ut = new Float64Array(din * cols);
    this.rotations.forEach((rot, g) => {
      const v = hostClone(utRows);
      for (const op of rot) hostApply(v, op, undefined);
      const c0 = g * 2 * d;
      for (let r = 0; r < d; r++) {
        for (let c = 0; c < d; c++) {
          const vr = v.re[r * d + c], vi = v.im[r * d + c];
          ut[r * cols + c0 + c] = vr;
          ut[r * cols + c0 + d + c] = vi;
          if (complexIn) {
            ut[(d + r) * cols + c0 + c] = -vi;
            ut[(d + r) * cols + c0 + d + c] = vr;
          }
        }
      }
    });
    return ut;
  }

  /** ∂L/∂weights from ∂L/∂K (row-major [width, cols]), by one adjoint sweep through the block. */
  backward(tape: BlockTape, dK: ArrayLike<number>): Float64Array {
    const d = this.dim, cols = this.cols, din = this.dimIn, complexIn = din === 2 * d, M = this.M;
    const dU = new Float64Array(din * cols); // ∂L/∂Ũ_all = Mᵀ·dK
    for (let w = 0; w < this.width; w++) {
      for (let r = 0; r < din; r++) {
        const m = M[w * din + r];
        if (m === 0) continue;
        for (let c = 0; c < cols; c++) dU[r * cols + c] += m * dK[w * cols + c];
      }
    }
    // λ = ∂L/∂Re Uᵀ + i ∂L/∂Im Uᵀ, pulled back through each group's rotation (λ ← R†λ per row).
    const lam: HostStates = { re: new Float64Array(d * d), im: new Float64Array(d * d), rows: d, nQubits: this.nQubits };
    this.rotations.forEach((rot, g) => {
      const c0 = g * 2 * d;
      const gl: HostStates = { re: new Float64Array(d * d), im: new Float64Array(d * d), rows: d, nQubits: this.nQubits };
      for (let r = 0; r < d; r++) {
        for (let c = 0; c < d; c++) {
          gl.re[r * d + c] = dU[r * cols + c0 + c] + (complexIn ? dU[(d + r) * cols + c0 + d + c] : 0);
          gl.im[r * d + c] = dU[r * cols + c0 + d + c] - (complexIn ? dU[(d + r) * cols + c0 + c] : 0);
        }
      }
      for (let t = rot.length - 1; t >= 0; t--) hostApply(gl, rot[t], undefined, 'inverse');
      for (let k = 0; k < d * d; k++) { lam.re[k] += gl.re[k]; lam.im[k] += gl.im[k]; }
    });
    // Adjoint sweep: φ walks back from U to I, λ from ∂L/∂U; each weighted gate adds Re⟨λ, M'φ⟩.
    const grad = new Float64Array(this.numWeights);
    const first = this.block.findIndex((op) => op.angle !== undefined && isParamRef(op.angle));
    if (first < 0) return grad;
    const phi = hostClone(tape.ut), mu = hostClone(phi);
    for (let t = this.block.length - 1; t >= first; t--) {
      const op = this.block[t], a = op.angle, theta = tape.angles[t];
      hostApply(phi, op, theta, 'inverse');
      if (a !== undefined && isParamRef(a)) {
        mu.re.set(phi.re);
        mu.im.set(phi.im);
        hostApply(mu, op, theta, 'derivative');
        let g = 0;
        for (let k = 0; k < d * d; k++) g += lam.re[k] * mu.re[k] + lam.im[k] * mu.im[k];
        grad[a.index] += a.scale * g;
      }
      if (t > first) hostApply(lam, op, theta, 'inverse');
    }
    return grad;
  }
}
