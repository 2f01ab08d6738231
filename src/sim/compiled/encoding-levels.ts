/**
 * The "levels" plan of an encoding prefix: every amplitude of the encoded product state is built from
 * T = [1, cos u_k, sin u_k] by levels whose features are products of two linear forms of the previous
 * level's features, (F·L) ⊙ (F·R): one level per later data gate on a qubit, then a binary tree of
 * kron products. Its width grows gently with the number of data gates (the Fourier plan's doubles).
 */
import { CMatrix } from '../gates';
import { C, EncodingPlan, FoldedPrefix, constantFactor } from './encoding-gates';


/** A real linear form over the columns of one level's feature tensor (column → coefficient). */
type Form = Map<number, number>;
/** A complex quantity as two real forms. */
interface CForm { re: Form; im: Form }
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

/** Complex matrix times a vector of complex forms. */
function applyC(m: CMatrix, v: CForm[]): CForm[] {
  return m.re.map((row, i) => addC(...row.map((_, j) => scaleC([m.re[i][j], m.im[i][j]], v[j]))));
}

/** Plans the levels for a folded prefix (T columns: 0 → 1, 1 + 2k → cos u_k, 2 + 2k → sin u_k). */
export function planLevels(folded: FoldedPrefix): EncodingPlan {
  const { gates, nQubits: n } = folded, dim = 1 << n;
  const cosCol = (k: number) => 1 + 2 * k, sinCol = (k: number) => 2 + 2 * k;
  // 1. First data gate of each qubit: linear in T (level 0), since it acts on a constant vector.
  let trigForm = (col: number): Form => new Map([[col, 1]]);
  const vec: (CForm[] | undefined)[] = gates.map((g) => {
    if (g.length === 0) return undefined;
    // A_t·|0⟩ is column 0 of A_t; v_i = Σ_t coef_t · (A_t)_{i0}.
    const coef = [ONE, trigForm(cosCol(g[0].trig)), trigForm(sinCol(g[0].trig))];
    return [0, 1].map((i) => addC(...g[0].a.map((m, t) => scaleC([m.re[i][0], m.im[i][0]], { re: coef[t], im: new Map() }))));
  });
  const levels: LevelBuilder[] = [];

  // 2. Later data gates: one level per round; v' = carry(A0·v) + cos ⊙ (A1·v) + sin ⊙ (A2·v).
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

  // 3. Kron products of the data-dependent qubits, pairwise (a binary tree of levels).
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

  // 4. φ_j: the data factor's component times the constant qubits' amplitudes.
  const data = factors[0];
  const phi: CForm[] = [];
  for (let j = 0; j < dim; j++) {
    const z = constantFactor(folded, j);
    let local = 0;
    data?.qubits.forEach((q, b) => { local |= ((j >> q) & 1) << b; });
    phi.push(scaleC(z, data ? data.comps[local] : constC([1, 0])));
  }

  const real = phi.every((f) => f.im.size === 0), dimIn = real ? dim : 2 * dim;
  const cols = 1 + 2 * folded.trig.length;
  const width = levels.length ? levels[levels.length - 1].left.length : cols;
  const M = new Float64Array(width * dimIn);
  phi.forEach((f, j) => {
    for (const [c, v] of f.re) M[c * dimIn + j] = v;
    if (!real) for (const [c, v] of f.im) M[c * dimIn + dim + j] = v;
  });
  // Angles in turns (u / 2π); sin u = cos(u − π/2) shares the one trig pass.
  const S = new Float64Array(folded.numInputs * cols), bias = new Float64Array(cols), swap = new Float64Array(cols * cols);
  folded.trig.forEach(({ input, coef }, k) => {
    S[input * cols + cosCol(k)] = coef / (2 * Math.PI);
    S[input * cols + sinCol(k)] = coef / (2 * Math.PI);
    bias[sinCol(k)] = -0.25;
    swap[sinCol(k) * cols + cosCol(k)] = -2 * Math.PI; // d cos u / dt = −2π sin u
    swap[cosCol(k) * cols + sinCol(k)] = 2 * Math.PI; // d sin u / dt = 2π cos u
  });
  let rows = cols;
  const dense = levels.map((lv) => {
    const w = lv.left.length;
    const toDense = (forms: Form[]) => {
      const a = new Float64Array(rows * w);
      forms.forEach((f, c) => { for (const [row, v] of f) a[row * w + c] = v; });
      return a;
    };
    const level = { left: toDense(lv.left), right: toDense(lv.right), rows, cols: w };
    rows = w;
    return level;
  });
  return { kind: 'levels', cols, S, bias, swap, levels: dense, width, M, real, dimIn };
}
