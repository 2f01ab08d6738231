/**
 * The "Fourier" plan of an encoding prefix: with few data gates every encoded amplitude is a short
 * trigonometric polynomial in the data angles (product-to-sum: cos a·cos b = ½cos(a−b) + ½cos(a+b), …),
 * so φ = cos(2π(x·S + b))·M with no levels at all: one trig pass over the distinct frequencies and one
 * matMul. With K data angles there are up to 2^K columns, so the planner gives up beyond a cap.
 */
import { C, EncodingPlan, FoldedPrefix, cmul, constantFactor } from './encoding-gates';

/** coefficient · (cos or sin)(Σ_k freq_k · u_k). */
interface Term { cos: boolean; freq: number[]; z: C }
/** A trigonometric polynomial with complex coefficients, keyed by function and frequency. */
type Poly = Map<string, Term>;

const TINY = 1e-14;

/** Adds a term in canonical form: the first non-zero frequency positive (cos even, sin odd); sin 0 = 0. */
function addTerm(p: Poly, cos: boolean, freq: number[], z: C): void {
  const first = freq.find((f) => f !== 0);
  if (first === undefined && !cos) return;
  if (first !== undefined && first < 0) {
    freq = freq.map((f) => -f);
    if (!cos) z = [-z[0], -z[1]];
  }
  const key = `${cos ? 'c' : 's'}${freq.join(',')}`;
  const t = p.get(key);
  if (t) t.z = [t.z[0] + z[0], t.z[1] + z[1]];
  else p.set(key, { cos, freq, z });
}

function prune(p: Poly): Poly {
  for (const [k, t] of p) if (Math.abs(t.z[0]) <= TINY && Math.abs(t.z[1]) <= TINY) p.delete(k);
  return p;
}

function scale(p: Poly, z: C): Poly {
  const out: Poly = new Map();
  for (const t of p.values()) addTerm(out, t.cos, t.freq, cmul(t.z, z));
  return out;
}

function add(...ps: Poly[]): Poly {
  const out: Poly = new Map();
  for (const p of ps) for (const t of p.values()) addTerm(out, t.cos, t.freq, t.z);
  return prune(out);
}

class TooWide extends Error {}

/** Product by product-to-sum; throws TooWide past `cap` terms. */
function multiply(a: Poly, b: Poly, cap: number): Poly {
  const out: Poly = new Map();
  for (const s of a.values()) {
    for (const t of b.values()) {
      const z = cmul(s.z, t.z), h: C = [z[0] / 2, z[1] / 2], mh: C = [-h[0], -h[1]];
      const sum = s.freq.map((f, k) => f + t.freq[k]), diff = s.freq.map((f, k) => f - t.freq[k]);
      if (s.cos && t.cos) { addTerm(out, true, diff, h); addTerm(out, true, sum, h); }
      else if (!s.cos && !t.cos) { addTerm(out, true, diff, h); addTerm(out, true, sum, mh); }
      else if (!s.cos) { addTerm(out, false, sum, h); addTerm(out, false, diff, h); }
      else { addTerm(out, false, sum, h); addTerm(out, false, diff, mh); }
    }
  }
  prune(out);
  if (out.size > cap) throw new TooWide();
  return out;
}

/** The Fourier plan, or undefined when some amplitude needs more than `maxColumns` terms. */
export function planFourier(folded: FoldedPrefix, maxColumns: number): EncodingPlan | undefined {
  const K = folded.trig.length, n = folded.nQubits, dim = 1 << n;
  const zero = new Array<number>(K).fill(0);
  const constant = (z: C): Poly => add(new Map([['c', { cos: true, freq: zero, z }]]));
  const mono = (cos: boolean, k: number): Poly => new Map([[`${cos ? 'c' : 's'}k${k}`, { cos, freq: zero.map((_, i) => (i === k ? 1 : 0)), z: [1, 0] as C }]]);
  let phi: Poly[];
  try {
    const vec = folded.gates.map((gates) => {
      if (gates.length === 0) return undefined;
      let v: Poly[] = [constant([1, 0]), new Map()];
      for (const g of gates) {
        // v' = A0·v + cos u·(A1·v) + sin u·(A2·v)
        const w = g.a.map((m) => [0, 1].map((i) => add(scale(v[0], [m.re[i][0], m.im[i][0]]), scale(v[1], [m.re[i][1], m.im[i][1]]))));
        v = [0, 1].map((i) => add(w[0][i], multiply(w[1][i], mono(true, g.trig), maxColumns), multiply(w[2][i], mono(false, g.trig), maxColumns)));
      }
      return v;
    });
    phi = Array.from({ length: dim }, (_, j) => {
      let p = constant(constantFactor(folded, j));
      vec.forEach((v, q) => { if (v) p = multiply(p, v[(j >> q) & 1], maxColumns); });
      return p;
    });
  } catch (e) {
    if (e instanceof TooWide) return undefined;
    throw e;
  }
  // One column per distinct (function, frequency); the constant first.
  const columns = new Map<string, Term>();
  for (const p of phi) for (const [k, t] of p) if (!columns.has(k)) columns.set(k, t);
  const keys = [...columns.keys()].sort((a, b) => (a === `c${zero.join(',')}` ? -1 : b === `c${zero.join(',')}` ? 1 : 0));
  const cols = keys.length;
  if (cols > maxColumns) return undefined;
  const index = new Map(keys.map((k, c) => [k, c]));
  const real = phi.every((p) => [...p.values()].every((t) => Math.abs(t.z[1]) <= TINY)), dimIn = real ? dim : 2 * dim;
  const M = new Float64Array(cols * dimIn);
  phi.forEach((p, j) => {
    for (const [k, t] of p) {
      const c = index.get(k) as number;
      M[c * dimIn + j] = t.z[0];
      if (!real) M[c * dimIn + dim + j] = t.z[1];
    }
  });
  // Angles in turns: t_col = Σ_k freq_k·coef_k·x_{input_k} / 2π (− 1/4 for sin columns).
  const S = new Float64Array(folded.numInputs * cols), bias = new Float64Array(cols);
  let swap: Float64Array | undefined = new Float64Array(cols * cols);
  keys.forEach((key, c) => {
    const t = columns.get(key) as Term;
    t.freq.forEach((f, k) => { if (f) S[folded.trig[k].input * cols + c] += (f * folded.trig[k].coef) / (2 * Math.PI); });
    if (!t.cos) bias[c] = -0.25;
    if (t.freq.every((f) => f === 0)) return; // the constant column: derivative 0
    const partner = index.get(`${t.cos ? 's' : 'c'}${t.freq.join(',')}`);
    if (partner === undefined) { swap = undefined; return; }
    if (swap) swap[partner * cols + c] = t.cos ? -2 * Math.PI : 2 * Math.PI; // d cos/dt = −2π sin, d sin/dt = 2π cos
  });
  return { kind: 'fourier', cols, S, bias, swap, levels: [], width: cols, M, real, dimIn };
}
