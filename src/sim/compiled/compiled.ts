/**
 * The compiled fast path for circuits of the form [encoding prefix][data-independent block]: the
 * prefix leaves a product state φ (built per row from cos/sin of the data angles), the block is one
 * unitary U shared by all rows, so ψ = φ·Uᵀ for the whole batch is one matrix product and
 * ⟨O⟩ = |ψ|²·W another (basis changes for X/Y terms are folded into U, one column group per basis).
 *
 * Gradients go through tf.customGrad: the backward reduces over rows first (∂L/∂K = Fᵀ·∂L/∂ψ, a
 * [width, cols] matrix however many rows there are), then the host finishes with an adjoint sweep
 * through the tiny block, so forward + backward costs about two forwards. Inputs get gradients too.
 */
import { tf } from '../../backend';
import { Circuit } from '../circuit';
import { CMatrix } from '../gates';
import { TermOp, lowerCircuit } from '../gate-terms';
import { AngleShift } from '../host/host-shifted';
import { InputsArg, WeightsArg, prepareArgs } from '../angles';
import { Observable } from '../observables';
import { planMeasurement } from '../readout';
import { StateBatch } from '../state';
import { splitForCompile } from './compile-split';
import { EncodingChoice, ProductEncoding } from './product-encoding';
import { BlockKernel } from './block-unitary';
import type { FusedParts } from './fused-rows';

/** Options of `compileCircuit`. */
export interface CompileOptions {
  /** How the encoded product state is computed (default 'auto': the cheaper plan; the others force one). */
  encoding?: EncodingChoice;
}

/** What `CompiledCircuit.run` returns: expectations, and the final states or the features F when asked. */
export interface CompiledRun { expectations: tf.Tensor2D; states?: StateBatch; features?: tf.Tensor2D }

type KernelOp = (w: tf.Tensor1D) => tf.Tensor2D;
type CustomGradFn = Parameters<typeof tf.customGrad>[0];

/** A circuit and its observables compiled for batched evaluation (see `compileCircuit`). */
export class CompiledCircuit {
  /** Indices (into circuit.ops) of the encoding prefix and of the data-independent block. */
  readonly prefixOps: readonly number[];
  readonly blockOps: readonly number[];
  /** Qubits, data columns, weights and observables of the compiled circuit. */
  readonly nQubits: number;
  readonly numInputs: number;
  readonly numWeights: number;
  readonly nObs: number;
  /** The block's lowered term ops (`source.op` indexes circuit.ops): what weight shifts refer to. */
  readonly blockTerms: readonly TermOp[];
  private readonly encoding: ProductEncoding;
  private readonly kernel: BlockKernel;
  private readonly stateKernel: BlockKernel;
  private readonly W2: tf.Tensor2D;
  /** W2 [cols, nObs] on the host (row-major), for `weightShiftSums`. */
  private readonly W2Host: Float32Array;
  private readonly W2T2: tf.Tensor2D;
  private readonly kernelOp: KernelOp;
  private readonly stateKernelOp: KernelOp;
  private fixedK?: tf.Tensor2D;

  /** Use `compileCircuit`. */
  constructor(readonly circuit: Circuit, observables: readonly Observable[], options: CompileOptions = {}) {
    const split = splitForCompile(circuit);
    if ('reason' in split) throw new Error(`compileCircuit(circuit): cannot compile: ${split.reason}`);
    this.prefixOps = split.prefix;
    this.blockOps = split.block;
    this.nQubits = circuit.nQubits;
    this.numInputs = circuit.numInputs;
    this.numWeights = circuit.numWeights;
    const plan = planMeasurement(observables, circuit.nQubits);
    this.nObs = plan.nObs;
    const n = this.nQubits, dim = 1 << n;
    const lower = (idx: readonly number[]) => idx.flatMap((i) => lowerCircuit([circuit.ops[i]]).map((t) => ({ ...t, source: { ...t.source, op: i } })));
    const choice = options.encoding ?? 'auto';
    if (!['auto', 'levels', 'fourier'].includes(choice)) throw new Error(`compileCircuit(encoding): expected 'auto', 'levels' or 'fourier', got ${JSON.stringify(choice)}`);
    this.encoding = new ProductEncoding(lower(split.prefix), n, this.numInputs, plan.groups.length * 2 * dim, choice);
    const block = lower(split.block);
    this.blockTerms = block;
    const enc = this.encoding;
    const rotations = plan.groups.map((g) => (g.rotation ? lowerCircuit(g.rotation.ops) : []));
    this.kernel = new BlockKernel(block, rotations, n, enc.M, enc.width, enc.dimIn, this.numWeights);
    this.stateKernel = new BlockKernel(block, [[]], n, enc.M, enc.width, enc.dimIn, this.numWeights);
    // Read-out: |ψ_g|² summed over re and im parts, so W2 repeats each group's W for both halves.
    const G = plan.groups.length, nObs = plan.nObs, w2 = new Float32Array(G * 2 * dim * nObs), w2t2 = new Float32Array(nObs * G * 2 * dim);
    plan.groups.forEach((g, gi) => {
      for (let j = 0; j < dim; j++) {
        for (let k = 0; k < nObs; k++) {
          const v = g.readout[j * nObs + k];
          for (const row of [gi * 2 * dim + j, gi * 2 * dim + dim + j]) {
            w2[row * nObs + k] = v;
            w2t2[k * G * 2 * dim + row] = 2 * v;
          }
        }
      }
    });
    this.W2 = tf.keep(tf.tensor2d(w2, [G * 2 * dim, nObs]));
    this.W2Host = w2;
    this.W2T2 = tf.keep(tf.tensor2d(w2t2, [nObs, G * 2 * dim]));
    this.kernelOp = this.makeKernelOp(this.kernel);
    this.stateKernelOp = this.makeKernelOp(this.stateKernel);
  }

  /**
   * E = (F·K)²·W2. The backward contracts over rows before touching the block: ∂L/∂K = Fᵀ·∂L/∂ψ.
   * It is two gradient nodes, one per input, because tf.customGrad computes every input's gradient:
   * split, tfjs skips the (row-sized) ∂L/∂F when no gradient w.r.t. the inputs is wanted.
   * Without `inputGrads` (pixels of a first layer) it is one node with a zero ∂L/∂F: five fewer tfjs ops
   * (and two fewer saved copies) per forward.
   */
  private core(F: tf.Tensor2D, K: tf.Tensor2D, inputGrads = true): tf.Tensor2D {
    const W2 = this.W2, W2T2 = this.W2T2;
    const dPsi = (dE: tf.Tensor, p: tf.Tensor) => tf.mul(p, tf.matMul(dE as tf.Tensor2D, W2T2)) as tf.Tensor2D;
    // wasm's matMul is 10–20× slower with a transpose flag; explicit transposes of F and K are cheap.
    const viaK = (zeroForF: boolean) => tf.customGrad(((...args: unknown[]) => {
      const save = args.pop() as tf.GradSaveFunc, k = args[0] as tf.Tensor2D;
      const psi = tf.matMul(F, k);
      save([F, psi]);
      return {
        value: tf.matMul(tf.square(psi), W2),
        // ∂L/∂K = Fᵀ·∂L/∂ψ, a contraction over all rows. wasm packs the right operand of every matMul
        // afresh when it is a new tensor, so the narrower of F and ∂L/∂ψ goes on the right.
        gradFunc: (dE: tf.Tensor, [f, p]: tf.Tensor[]) => {
          const d = dPsi(dE, p);
          const dK = (f.shape[1] as number) <= d.shape[1] ? tf.transpose(tf.matMul(tf.transpose(d), f as tf.Tensor2D)) : tf.matMul(tf.transpose(f), d);
          return zeroForF ? [dK, tf.zerosLike(f)] : dK;
        },
      };
    }) as unknown as CustomGradFn);
    if (!inputGrads) return viaK(true)(K, F) as tf.Tensor2D;
    // Its value is zero; it only carries ∂L/∂F = ∂L/∂ψ·Kᵀ (ψ recomputed: one copy fewer in the forward).
    const viaF = tf.customGrad(((f: tf.Tensor, save: tf.GradSaveFunc) => {
      save([f, K]);
      return {
        value: tf.zeros([F.shape[0], this.nObs]),
        gradFunc: (dE: tf.Tensor, [fs, k]: tf.Tensor[]) => tf.matMul(dPsi(dE, tf.matMul(fs as tf.Tensor2D, k as tf.Tensor2D)), tf.transpose(k)),
      };
    }) as unknown as CustomGradFn);
    return tf.add(viaK(false)(K), viaF(F)) as tf.Tensor2D;
  }

  /** K(weights) on the host, with its adjoint-sweep gradient. */
  private makeKernelOp(kernel: BlockKernel): KernelOp {
    const width = this.encoding.width;
    return tf.customGrad(((w: tf.Tensor) => {
      const { K, tape } = kernel.forward(w.dataSync());
      return {
        value: tf.tensor2d(K, [width, kernel.cols]),
        gradFunc: (dK: tf.Tensor) => tf.tensor1d(Float32Array.from(kernel.backward(tape, dK.dataSync()))),
      };
    }) as unknown as CustomGradFn) as unknown as KernelOp;
  }

  private kernelTensor(weights: tf.Tensor1D | undefined, forStates = false): tf.Tensor2D {
    const op = forStates ? this.stateKernelOp : this.kernelOp;
    if (weights) return op(weights.dtype === 'float32' ? weights : tf.cast(weights, 'float32'));
    const kernel = forStates ? this.stateKernel : this.kernel;
    if (forStates) return tf.tensor2d(kernel.forward([]).K, [this.encoding.width, kernel.cols]);
    if (!this.fixedK) this.fixedK = tf.keep(tf.tensor2d(kernel.forward([]).K, [this.encoding.width, kernel.cols]));
    return this.fixedK;
  }

  private args(inputs: InputsArg | undefined, weights: WeightsArg | undefined, fn: string) {
    return prepareArgs(this.numInputs, this.numWeights, { inputs, weights }, fn);
  }

  /**
   * Expectations [N, nObs] for inputs [N, numInputs] (omit for a circuit without inputs: N = 1) and
   * weights [numWeights]. Differentiable w.r.t. both (tf.grad / tf.variableGrads).
   */
  expectations(inputs?: InputsArg, weights?: WeightsArg, where = 'compiled.expectations'): tf.Tensor2D {
    return this.run(inputs, weights, {}, where).expectations;
  }

  /**
   * Expectations and, with `{ states: true }`, the final states ψ = U·φ of every row. With
   * `{ inputGrads: false }` the inputs get no gradient node (a gradient w.r.t. them is zero). With
   * `{ features: true }` also the features F [N, width] (for `weightShiftSums` after a forward run).
   */
  run(inputs?: InputsArg, weights?: WeightsArg, options: { states?: boolean; inputGrads?: boolean; features?: boolean } = {}, where = 'compiled.run'): CompiledRun {
    const args = this.args(inputs, weights, where);
    const dim = 1 << this.nQubits;
    try {
      const [expectations, F, re, im] = tf.tidy(() => {
        const inputGrads = options.inputGrads ?? true;
        const F = this.encoding.features(args.inputs, args.batch, inputGrads);
        const E = this.core(F, this.kernelTensor(args.weights), inputGrads);
        const kept = options.features ? F : tf.zeros([0]);
        if (!options.states) return [E, kept];
        const psi = tf.matMul(F, this.kernelTensor(args.weights, true));
        return [E, kept, tf.slice(psi, [0, 0], [-1, dim]), tf.slice(psi, [0, dim], [-1, dim])];
      }) as tf.Tensor2D[];
      if (!options.features) F.dispose();
      return { expectations, ...(re ? { states: { re, im, nQubits: this.nQubits } } : {}), ...(options.features ? { features: F } : {}) };
    } finally {
      args.owned.forEach((t) => t.dispose());
    }
  }

  /** The features F [N, width] of `inputs` [N, numInputs] (φ = F·M), for `shiftedExpectations`. */
  features(inputs: tf.Tensor2D | undefined, batch: number): tf.Tensor2D {
    return this.encoding.features(inputs, batch);
  }

  /**
   * Expectations of every row under each block-angle shift, [N, S·nObs] (column s·nObs + o for
   * shifts[s], whose `ops` index `blockTerms`), from features F [N, width]. The shifted K_s are stacked
   * along columns, so each chunk of rows is ψ = F·[K_1|…|K_S] (one matMul), |ψ|², then one matMul with
   * the read-out; rows are chunked so that ψ stays under `maxElements`. Not differentiable.
   */
  shiftedExpectations(F: tf.Tensor2D, weights: ArrayLike<number>, shifts: readonly AngleShift[], maxElements = 2 ** 22): tf.Tensor2D {
    if (weights.length !== this.numWeights) throw new Error(`compiled.shiftedExpectations(weights): expected ${this.numWeights} value(s), got ${weights.length}`);
    const S = shifts.length, cols = this.kernel.cols, N = F.shape[0];
    if (S === 0) return tf.zeros([N, 0]);
    return tf.tidy(() => {
      const K = tf.tensor2d(this.kernel.shiftedKernels(weights, shifts) as Float32Array, [this.encoding.width, S * cols]);
      const rows = Math.max(1, Math.floor(maxElements / (S * cols)));
      const parts: tf.Tensor2D[] = [];
      for (let r0 = 0; r0 < N; r0 += rows) {
        const R = Math.min(rows, N - r0);
        const f = R === N ? F : tf.slice(F, [r0, 0], [R, -1]);
        const sq = tf.square(tf.matMul(f, K));
        parts.push(tf.reshape(tf.matMul(tf.reshape(sq, [R * S, cols]) as tf.Tensor2D, this.W2), [R, S * this.nObs]));
      }
      return parts.length === 1 ? parts[0] : tf.concat(parts, 0);
    });
  }

  /**
   * For each block-angle shift s (as in `shiftedExpectations`), g_s = Σ_rows Σ_o dy[r, o]·⟨O_o⟩_s(row r):
   * the shifted circuits' expectations contracted with the upstream gradient, the sums a parameter-shift
   * weight gradient needs. Every shifted circuit is still evaluated exactly, on all rows at once: ⟨O_o⟩ is
   * quadratic in the row's encoded state (ψ = φ·Ũ_s, φ = F·M), so Σ_r dy[r, o]·⟨O_o⟩_s(r) equals
   * Σ_c W2[c, o]·Ũ_s[:, c]ᵀ·(Mᵀ·H_o·M)·Ũ_s[:, c] with H_o = Σ_r dy[r, o]·F_rᵀF_r: the circuit run on the
   * dy-weighted mixture of the rows' encoded states. H takes one matMul over the rows ([nObs·width, N]·[N,
   * width], float32); the rest is on the host in float64, dimIn²·cols per shift whatever the number of rows.
   */
  weightShiftSums(F: tf.Tensor2D, dy: tf.Tensor2D, weights: ArrayLike<number>, shifts: readonly AngleShift[]): Float64Array {
    if (weights.length !== this.numWeights) throw new Error(`compiled.weightShiftSums(weights): expected ${this.numWeights} value(s), got ${weights.length}`);
    const S = shifts.length, cols = this.kernel.cols, width = this.encoding.width, din = this.encoding.dimIn, nObs = this.nObs, N = F.shape[0];
    const out = new Float64Array(S);
    if (S === 0) return out;
    const Ht = tf.tidy(() => {
      // A[r, o·width + a] = dy[r, o]·F[r, a]; H = Aᵀ·F, its rows (o, a), columns b.
      const A = tf.reshape(tf.mul(tf.reshape(dy, [N, nObs, 1]), tf.reshape(F, [N, 1, width])), [N, nObs * width]);
      return tf.matMul(tf.transpose(A), F);
    });
    const H = Ht.dataSync();
    Ht.dispose();
    // Hφ_o = Mᵀ·H_o·M [din, din], then G_c = Σ_o W2[c, o]·Hφ_o for every column c of Ũ.
    const M = this.encoding.M, ww = width * width, dd = din * din;
    const Hphi = new Float64Array(nObs * dd), HM = new Float64Array(width * din);
    for (let o = 0; o < nObs; o++) {
      HM.fill(0);
      for (let a = 0; a < width; a++) {
        for (let b = 0; b < width; b++) {
          const h = H[o * ww + a * width + b];
          if (h === 0) continue;
          for (let j = 0; j < din; j++) HM[a * din + j] += h * M[b * din + j];
        }
      }
      for (let a = 0; a < width; a++) {
        for (let i = 0; i < din; i++) {
          const m = M[a * din + i];
          if (m === 0) continue;
          for (let j = 0; j < din; j++) Hphi[o * dd + i * din + j] += m * HM[a * din + j];
        }
      }
    }
    const w2 = this.W2Host, G = new Float64Array(cols * dd);
    for (let c = 0; c < cols; c++) {
      for (let o = 0; o < nObs; o++) {
        const v = w2[c * nObs + o];
        if (v === 0) continue;
        for (let e = 0; e < dd; e++) G[c * dd + e] += v * Hphi[o * dd + e];
      }
    }
    // uᵀG u = Σ_i G_ii·u_i² + Σ_{i<j} (G_ij + G_ji)·u_i·u_j: fold each G_c onto its upper triangle, half the products.
    for (let c = 0; c < cols; c++) {
      for (let i = 0; i < din; i++) for (let j = i + 1; j < din; j++) G[c * dd + i * din + j] += G[c * dd + j * din + i];
    }
    const u = new Float64Array(din);
    this.kernel.shiftedUnitaries(weights, shifts).forEach((U, s) => {
      let g = 0;
      for (let c = 0; c < cols; c++) {
        for (let i = 0; i < din; i++) u[i] = U[i * cols + c];
        const gc = c * dd;
        for (let i = 0; i < din; i++) {
          const ui = u[i];
          if (ui === 0) continue;
          let row = G[gc + i * din + i] * ui;
          for (let j = i + 1; j < din; j++) row += G[gc + i * din + j] * u[j];
          g += ui * row;
        }
      }
      out[s] = g;
    });
    return out;
  }

  /** The encoded product states φ (after the prefix, before the block) of every row. */
  encodedStates(inputs?: InputsArg): StateBatch {
    const args = this.args(inputs, this.numWeights ? new Array<number>(this.numWeights).fill(0) : undefined, 'compiled.encodedStates');
    const enc = this.encoding, dim = 1 << this.nQubits;
    try {
      const [re, im] = tf.tidy(() => {
        const phi = tf.matMul(enc.features(args.inputs, args.batch), tf.tensor2d(Float32Array.from(enc.M), [enc.width, enc.dimIn]));
        const real = tf.slice(phi, [0, 0], [-1, dim]);
        return [real, enc.real ? tf.zerosLike(real) : tf.slice(phi, [0, dim], [-1, dim])];
      }) as tf.Tensor2D[];
      return { re, im, nQubits: this.nQubits };
    } finally {
      args.owned.forEach((t) => t.dispose());
    }
  }

  /** The block's unitary U (float64 numbers) for these weights. */
  unitary(weights?: WeightsArg): CMatrix {
    const w = weights === undefined ? [] : weights instanceof tf.Tensor ? Array.from(weights.dataSync()) : Array.from(weights as ArrayLike<number>);
    if (w.length !== this.numWeights) throw new Error(`compiled.unitary(weights): expected ${this.numWeights} value(s), got ${w.length}`);
    return this.stateKernel.unitary(w);
  }

  /** The constants the fused row path (fused-rows.ts) runs, or undefined when its features are not one trig pass. */
  fusedParts(): FusedParts | undefined {
    const trig = this.encoding.trigOnly();
    if (!trig || this.numWeights === 0) return undefined;
    return { ...trig, W2: this.W2, W2T2: this.W2T2, kernel: this.kernel, width: this.encoding.width, nObs: this.nObs, numInputs: this.numInputs };
  }

  /** Facts about the compiled form: encoding plan, feature width, whether φ is real, measurement bases. */
  describe(): { prefixOps: number; blockOps: number; encoding: 'levels' | 'fourier'; featureWidth: number; realEncoding: boolean; bases: number } {
    return {
      prefixOps: this.prefixOps.length, blockOps: this.blockOps.length, encoding: this.encoding.plan.kind,
      featureWidth: this.encoding.width, realEncoding: this.encoding.real, bases: this.kernel.cols / (2 << this.nQubits),
    };
  }

  /** Frees the constant tensors this object holds. */
  dispose(): void {
    this.encoding.dispose();
    this.W2.dispose();
    this.W2T2.dispose();
    this.fixedK?.dispose();
  }
}

/**
 * Compiles `circuit` with `observables` for the fast path. Throws (with the reason) when the circuit
 * is not [single-qubit encoding prefix][block without inputs]; check first with `canCompile`.
 */
export function compileCircuit(circuit: Circuit, observables: readonly Observable[], options: CompileOptions = {}): CompiledCircuit {
  return new CompiledCircuit(circuit, observables, options);
}

const CACHE_SIZE = 16;
const cache: { circuit: Circuit; key: string; compiled: CompiledCircuit }[] = [];

/**
 * A compiled form of (circuit, observables), reused across calls (as `expval` does every step).
 * Keyed by circuit identity, its op count (circuits only grow) and the observables; the cache keeps
 * the CACHE_SIZE most recently used entries and disposes the rest.
 */
export function compiledFor(circuit: Circuit, observables: readonly Observable[]): CompiledCircuit {
  const key = `${circuit.ops.length}|${JSON.stringify(observables)}`;
  const at = cache.findIndex((e) => e.circuit === circuit && e.key === key);
  const entry = at >= 0 ? cache.splice(at, 1)[0] : { circuit, key, compiled: compileCircuit(circuit, observables) };
  cache.push(entry);
  while (cache.length > CACHE_SIZE) cache.shift()?.compiled.dispose();
  return entry.compiled;
}
