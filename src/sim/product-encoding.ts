/**
 * The encoding prefix of a compilable circuit evaluated as a short chain of wide tensor operations.
 *
 * Every amplitude of the encoded product state is a polynomial in cos/sin of the data angles. We
 * build it from one trigonometric tensor T = cos(x·S + b) (columns 1, cos u_k, sin u_k) through
 * "levels": a level's features are (F·L) ⊙ (F·R), products of two linear forms of the previous
 * level's features. A later data gate on an already data-dependent qubit is one level; the kron
 * product of the qubits is a binary tree of levels. On wasm this is a handful of matMuls and
 * elementwise products on [N, ≤ ~100] tensors: matMul is fast there, while slice/gather/stack on
 * large tensors are slow (see the tfjs-wasm notes). Everything here is planned once, in plain JS.
 */
import { tf } from '../backend';
import { CMatrix } from './gates';
import { TermOp } from './gate-terms';
import { isParamRef } from './params';

/** A real linear form over the columns of one level's feature tensor (column → coefficient). */
type Form = Map<number, number>;
/** A complex quantity as two real forms. */
interface CForm { re: Form; im: Form }
/** A complex number [re, im]. */
type C = [number, number];

const ONE: Form = new Map([[0, 1]]);
const TINY = 1e-15;

function lin(terms: Array<[Form, number]>): Form {
  const out: Form = new Map();
  for (const [f, k] of terms) for (const [c, v] of f) out.set(c, (out.get(c) ?? 0) + k * v);
  for (const [c, v] of out) if (Math.abs(v) <= TINY) out.delete(c);
  return out;
}
const isConst = (f: Form) => [...f.keys()].every((c) => c === 0);
const keyOf = (f: Form) => [...f].sort((a, b) => a[0] - b[0]).map(([c, v]) => `${c}:${v}`).join(',');

/** Complex scalar times complex form. */
function scaleC(z: C, f: CForm): CForm {
  return { re: lin([[f.re, z[0]], [f.im, -z[1]]]), im: lin([[f.re, z[1]], [f.im, z[0]]]) };
}
function addC(...fs: CForm[]): CForm {
  return { re: lin(fs.map((f) => [f.re, 1])), im: lin(fs.map((f) => [f.im, 1])) };
}
const constC = (z: C): CForm => ({ re: lin([[ONE, z[0]]]), im: lin([[ONE, z[1]]]) });

/** Builds one level: column c of the new features = (F·left[c]) ⊙ (F·right[c]); column 0 stays 1. */
class LevelBuilder {
  readonly left: Form[] = [ONE];
  readonly right: Form[] = [ONE];
  private readonly index = new Map<string, number>([[`${keyOf(ONE)}|${keyOf(ONE)}`, 0]]);

  /** The new-level form of l ⊙ r (empty when either is zero). Constants need no new column. */
  product(l: Form, r: Form): Form {
    if (l.size === 0 || r.size === 0) return new Map();
    if (isConst(l) && isConst(r)) return lin([[ONE, (l.get(0) as number) * (r.get(0) as number)]]);
    if (isConst(l)) return lin([[this.column(r, ONE), l.get(0) as number]]);
    if (isConst(r)) return lin([[this.column(l, ONE), r.get(0) as number]]);
    return this.column(l, r);
  }

  /** A real form times a complex form. */
  productRC(l: Form, r: CForm): CForm { return { re: this.product(l, r.re), im: this.product(l, r.im) }; }

  /** Complex product; three real products (Karatsuba) when both factors are fully complex. */
  productC(a: CForm, b: CForm): CForm {
    if (a.re.size && a.im.size && b.re.size && b.im.size) {
      const p1 = this.product(a.re, b.re), p2 = this.product(a.im, b.im);
      const p3 = this.product(lin([[a.re, 1], [a.im, 1]]), lin([[b.re, 1], [b.im, 1]]));
      return { re: lin([[p1, 1], [p2, -1]]), im: lin([[p3, 1], [p1, -1], [p2, -1]]) };
    }
    return {
      re: lin([[this.product(a.re, b.re), 1], [this.product(a.im, b.im), -1]]),
      im: lin([[this.product(a.re, b.im), 1], [this.product(a.im, b.re), 1]]),
    };
  }

  /** The same quantity expressed on the new level (x ⊙ 1). */
  carry(f: Form): Form { return this.product(f, ONE); }
  carryC(f: CForm): CForm { return { re: this.carry(f.re), im: this.carry(f.im) }; }

  private column(l: Form, r: Form): Form {
    const [a, b] = [keyOf(l), keyOf(r)].sort();
    const key = `${a}|${b}`;
    let c = this.index.get(key);
    if (c === undefined) {
      c = this.left.length;
      this.left.push(l);
      this.right.push(r);
      this.index.set(key, c);
    }
    return new Map([[c, 1]]);
  }
}

// ---- small complex matrices (2 × 2 here) ----
const cm = (re: number[][], im: number[][]): CMatrix => ({ re, im });
const ID2 = cm([[1, 0], [0, 1]], [[0, 0], [0, 0]]);
const ZERO2 = cm([[0, 0], [0, 0]], [[0, 0], [0, 0]]);
function matmul(a: CMatrix, b: CMatrix): CMatrix {
  const d = a.re.length, re = a.re.map(() => new Array<number>(d).fill(0)), im = a.re.map(() => new Array<number>(d).fill(0));
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) {
    re[i][j] += a.re[i][k] * b.re[k][j] - a.im[i][k] * b.im[k][j];
    im[i][j] += a.re[i][k] * b.im[k][j] + a.im[i][k] * b.re[k][j];
  }
  return { re, im };
}
function numericTerm(op: TermOp, theta: number | undefined): CMatrix {
  if (op.angle === undefined || theta === undefined) return op.a0;
  const c = Math.cos(op.freq * theta), s = Math.sin(op.freq * theta);
  const part = (p: 're' | 'im') => op.a0[p].map((row, i) => row.map((v, j) => v + c * (op.a1?.[p][i][j] ?? 0) + s * (op.a2?.[p][i][j] ?? 0)));
  return cm(part('re'), part('im'));
}
/** Complex matrix times a vector of complex forms. */
function applyC(m: CMatrix, v: CForm[]): CForm[] {
  return m.re.map((row, i) => addC(...row.map((_, j) => scaleC([m.re[i][j], m.im[i][j]], v[j]))));
}

/** One data-dependent gate on a qubit: M(u) = A0 + cos(u)·A1 + sin(u)·A2 with u = coef·x[input]. */
interface DataGate { trig: number; a: [CMatrix, CMatrix, CMatrix] }

/** A kept constant matrix and its transpose (wasm's matMul is 10–20× slower with a transpose flag). */
interface ConstMat { m: tf.Tensor2D; t: tf.Tensor2D }
function constMat(a: Float32Array, rows: number, cols: number): ConstMat {
  const m = tf.keep(tf.tensor2d(a, [rows, cols]));
  return { m, t: tf.keep(tf.transpose(m)) };
}
const disposeMat = (c: ConstMat | undefined) => { c?.m.dispose(); c?.t.dispose(); };
type CustomGradFn = Parameters<typeof tf.customGrad>[0];
type MatFn = (x: tf.Tensor2D) => tf.Tensor2D;

/** Taylor coefficients of cos(2π·r) in z = r² up to z^9 (truncation error ≤ π^20/20! ≈ 4e-9 for |r| ≤ 1/2). */
const COS_CYCLE = Array.from({ length: 10 }, (_, k) => {
  let f = 1;
  for (let i = 1; i <= 2 * k; i++) f *= i;
  return ((k % 2 ? -1 : 1) * (2 * Math.PI) ** (2 * k)) / f;
});

/**
 * cos(2π·t) elementwise. On wasm, tf.cos costs ~50 multiplies per element, so there it is a range
 * reduction to |r| ≤ 1/2 turn and a Horner polynomial (a dozen cheap passes); other backends use tf.cos.
 */
export function cosCycles(t: tf.Tensor): tf.Tensor {
  if (tf.getBackend() !== 'wasm') return tf.cos(tf.mul(t, 2 * Math.PI));
  const r = tf.sub(t, tf.round(t));
  const z = tf.square(r);
  let p: tf.Tensor = tf.add(tf.mul(z, COS_CYCLE[9]), COS_CYCLE[8]);
  for (let k = 7; k >= 0; k--) p = tf.add(tf.mul(p, z), COS_CYCLE[k]);
  return p;
}

/** One level, next = (F·L) ⊙ (F·R), with a backward that uses the stored transposes. */
function levelOp(L: ConstMat, R: ConstMat): MatFn {
  return tf.customGrad(((F: tf.Tensor, save: tf.GradSaveFunc) => {
    const a = tf.matMul(F as tf.Tensor2D, L.m), b = tf.matMul(F as tf.Tensor2D, R.m);
    save([a, b]);
    return {
      value: tf.mul(a, b),
      gradFunc: (dy: tf.Tensor, [sa, sb]: tf.Tensor[]) => tf.add(tf.matMul(tf.mul(dy, sb) as tf.Tensor2D, L.t), tf.matMul(tf.mul(dy, sa) as tf.Tensor2D, R.t)),
    };
  }) as unknown as CustomGradFn) as unknown as MatFn;
}

/**
 * The encoded product state φ of a compilable circuit's prefix, as features F [N, width] and a
 * constant map M [width, 2^n] (real φ) or [width, 2·2^n] (re | im): φ = F·M.
 */
export class ProductEncoding {
  /** True when every encoded amplitude is real (then φ has no imaginary part). */
  readonly real: boolean;
  /** Number of feature columns F has. */
  readonly width: number;
  /** φ = F·M, row-major [width, dimIn] in float64 (dimIn = 2^n, or 2·2^n for complex φ). */
  readonly M: Float64Array;
  /** Columns of the fused [φr | φi] representation. */
  readonly dimIn: number;
  /** Number of data angles (trig pairs in T). */
  readonly numTrig: number;
  private readonly S: ConstMat | undefined;
  private readonly bias: tf.Tensor1D | undefined;
  private readonly swap: tf.Tensor2D | undefined;
  private readonly levels: { L: ConstMat; R: ConstMat; op: MatFn }[];
  private readonly trig: MatFn | undefined;

  /** Plans the encoding of `prefix` (term ops, each on one wire) for circuits with `numInputs` inputs. */
  constructor(prefix: readonly TermOp[], readonly nQubits: number, readonly numInputs: number) {
    const n = nQubits, dim = 1 << n;
    // 1. Per qubit: fixed gates folded into the neighbouring data gates (or into a constant vector).
    const trigCoef: Array<{ input: number; coef: number }> = [];
    const gates: DataGate[][] = Array.from({ length: n }, () => []);
    const pending: CMatrix[] = Array.from({ length: n }, () => ID2);
    for (const op of prefix) {
      const q = op.wires[0];
      if (op.angle !== undefined && isParamRef(op.angle)) {
        if (op.angle.kind !== 'input') throw new Error('ProductEncoding: the prefix cannot hold weight references');
        trigCoef.push({ input: op.angle.index, coef: op.freq * op.angle.scale });
        const a = [op.a0, op.a1 ?? ZERO2, op.a2 ?? ZERO2].map((m) => matmul(m, pending[q])) as DataGate['a'];
        gates[q].push({ trig: trigCoef.length - 1, a });
        pending[q] = ID2;
      } else {
        pending[q] = matmul(numericTerm(op, op.angle as number | undefined), pending[q]);
      }
    }
    const constants: (C[] | undefined)[] = new Array(n);
    for (let q = 0; q < n; q++) {
      const last = gates[q][gates[q].length - 1];
      if (last) last.a = last.a.map((m) => matmul(pending[q], m)) as DataGate['a'];
      else constants[q] = [[pending[q].re[0][0], pending[q].im[0][0]], [pending[q].re[1][0], pending[q].im[1][0]]];
    }
    this.numTrig = trigCoef.length;
    const cosCol = (k: number) => 1 + 2 * k, sinCol = (k: number) => 2 + 2 * k;

    // 2. First data gate of each qubit: linear in T (level 0), since it acts on a constant vector.
    let trigForm = (col: number): Form => new Map([[col, 1]]);
    const vec: (CForm[] | undefined)[] = gates.map((g) => {
      if (g.length === 0) return undefined;
      // A_t·|0⟩ is column 0 of A_t; v_i = Σ_t coef_t · (A_t)_{i0}.
      const coef = [ONE, trigForm(cosCol(g[0].trig)), trigForm(sinCol(g[0].trig))];
      return [0, 1].map((i) => addC(...g[0].a.map((m, t) => scaleC([m.re[i][0], m.im[i][0]], { re: coef[t], im: new Map() }))));
    });
    const levels: LevelBuilder[] = [];

    // 3. Later data gates: one level per round; v' = carry(A0·v) + cos ⊙ (A1·v) + sin ⊙ (A2·v).
    const rounds = Math.max(0, ...gates.map((g) => g.length));
    for (let r = 1; r < rounds; r++) {
      const lv = new LevelBuilder();
      for (let q = 0; q < n; q++) {
        const v = vec[q];
        if (!v) continue;
        const g = gates[q][r];
        if (!g) { vec[q] = v.map((f) => lv.carryC(f)); continue; }
        const w = g.a.map((m) => applyC(m, v));
        vec[q] = [0, 1].map((i) => addC(lv.carryC(w[0][i]), lv.productRC(trigForm(cosCol(g.trig)), w[1][i]), lv.productRC(trigForm(sinCol(g.trig)), w[2][i])));
      }
      // Carry the trig columns that later rounds still need.
      const carried = new Map<number, Form>();
      for (let q = 0; q < n; q++) for (const g of gates[q].slice(r + 1)) for (const col of [cosCol(g.trig), sinCol(g.trig)]) carried.set(col, lv.carry(trigForm(col)));
      trigForm = (col: number) => carried.get(col) as Form;
      levels.push(lv);
    }

    // 4. Kron products of the data-dependent qubits, pairwise (a binary tree of levels).
    let factors = vec.flatMap((v, q) => (v ? [{ qubits: [q], comps: v }] : []));
    while (factors.length > 1) {
      const lv = new LevelBuilder();
      const next: typeof factors = [];
      for (let i = 0; i < factors.length; i += 2) {
        const a = factors[i], b = factors[i + 1];
        if (!b) { next.push({ qubits: a.qubits, comps: a.comps.map((f) => lv.carryC(f)) }); continue; }
        const comps: CForm[] = [];
        for (let ib = 0; ib < b.comps.length; ib++) for (let ia = 0; ia < a.comps.length; ia++) comps.push(lv.productC(a.comps[ia], b.comps[ib]));
        next.push({ qubits: [...a.qubits, ...b.qubits], comps });
      }
      factors = next;
      levels.push(lv);
    }

    // 5. φ_j: the data factor's component times the constant qubits' amplitudes.
    const data = factors[0];
    const phi: CForm[] = [];
    for (let j = 0; j < dim; j++) {
      let z: C = [1, 0];
      for (let q = 0; q < n; q++) {
        const c = constants[q];
        if (!c) continue;
        const a = c[(j >> q) & 1];
        z = [z[0] * a[0] - z[1] * a[1], z[0] * a[1] + z[1] * a[0]];
      }
      let local = 0;
      data?.qubits.forEach((q, b) => { local |= ((j >> q) & 1) << b; });
      phi.push(scaleC(z, data ? data.comps[local] : constC([1, 0])));
    }
    this.real = phi.every((f) => f.im.size === 0);
    this.dimIn = this.real ? dim : 2 * dim;
    this.width = levels.length ? levels[levels.length - 1].left.length : 1 + 2 * this.numTrig;
    this.M = new Float64Array(this.width * this.dimIn);
    phi.forEach((f, j) => {
      for (const [c, v] of f.re) this.M[c * this.dimIn + j] = v;
      if (!this.real) for (const [c, v] of f.im) this.M[c * this.dimIn + dim + j] = v;
    });

    // 6. Constant tensors, kept so that a caller's tidy cannot free them.
    let width = 1 + 2 * this.numTrig;
    this.levels = levels.map((lv) => {
      const cols = lv.left.length;
      const toMat = (forms: Form[]) => {
        const a = new Float32Array(width * cols);
        forms.forEach((f, c) => { for (const [row, v] of f) a[row * cols + c] = v; });
        return constMat(a, width, cols);
      };
      const L = toMat(lv.left), R = toMat(lv.right);
      width = cols;
      return { L, R, op: levelOp(L, R) };
    });
    if (this.numTrig > 0) {
      const cols = 1 + 2 * this.numTrig;
      const s = new Float32Array(numInputs * cols), b = new Float32Array(cols), p = new Float32Array(cols * cols);
      // Angles in turns (u / 2π), so that cosCycles needs no extra scaling pass.
      trigCoef.forEach(({ input, coef }, k) => {
        s[input * cols + cosCol(k)] = coef / (2 * Math.PI);
        s[input * cols + sinCol(k)] = coef / (2 * Math.PI);
        b[sinCol(k)] = -0.25; // cos(u − π/2) = sin(u): one pass for both columns
        p[sinCol(k) * cols + cosCol(k)] = -2 * Math.PI; // d cos u / dt = −2π sin u
        p[cosCol(k) * cols + sinCol(k)] = 2 * Math.PI; // d sin u / dt = 2π cos u
      });
      this.S = constMat(s, numInputs, cols);
      this.bias = tf.keep(tf.tensor1d(b));
      this.swap = tf.keep(tf.tensor2d(p, [cols, cols]));
      this.trig = this.makeTrig();
    }
  }

  /** T = cos(2π(x·S + b)), with a backward that reuses T (the derivative of each cos/sin pair is the pair swapped). */
  private makeTrig(): MatFn {
    const S = this.S as ConstMat, bias = this.bias as tf.Tensor1D, swap = this.swap as tf.Tensor2D;
    return tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
      const T = cosCycles(tf.fused.matMul({ a: x as tf.Tensor2D, b: S.m, bias })) as tf.Tensor2D;
      save([T]);
      return {
        value: T,
        gradFunc: (dT: tf.Tensor, saved: tf.Tensor[]) => tf.matMul(tf.mul(dT, tf.matMul(saved[0] as tf.Tensor2D, swap)) as tf.Tensor2D, S.t),
      };
    }) as unknown as CustomGradFn) as unknown as MatFn;
  }

  /** The features F [batch, width] of the rows of `x` ([batch, numInputs]); differentiable w.r.t. x. */
  features(x: tf.Tensor2D | undefined, batch: number): tf.Tensor2D {
    if (!this.trig || !x) return tf.ones([batch, 1]) as tf.Tensor2D;
    let F = this.trig(x.dtype === 'float32' ? x : tf.cast(x, 'float32'));
    for (const { op } of this.levels) F = op(F);
    return F;
  }

  /** Frees the constant tensors. */
  dispose(): void {
    for (const { L, R } of this.levels) { disposeMat(L); disposeMat(R); }
    disposeMat(this.S); this.bias?.dispose(); this.swap?.dispose();
  }
}
