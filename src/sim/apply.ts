/**
 * Applying one term-form operation to a batch of state vectors, gate by gate. Diagonal gates are an
 * elementwise phase; others bring their wires to the last axis (reshape + transpose), multiply by the
 * 2^k × 2^k matrix (shared by the batch, or one per row when the angle depends on data), and go back.
 * This works for any qubit count; the QKC layers use a compiled fast path on top of it for small n.
 */
import { tf } from '../backend';
import { CMatrix } from './gates';
import { AngleValue, RunArgs, resolveAngle } from './angles';
import { TermOp } from './gate-terms';

/** Real and imaginary parts of a batch of states [batch, 2^n]. */
export interface Amplitudes { re: tf.Tensor2D; im: tf.Tensor2D }

type Coef = { c: number | tf.Tensor; s: number | tf.Tensor } | undefined;

/** cos(fθ), sin(fθ) for a resolved angle; `extraDims` reshapes a [batch,1] angle for broadcasting. */
function coefficients(op: TermOp, angle: AngleValue | undefined, shape: number[]): Coef {
  if (op.angle === undefined || angle === undefined) return undefined;
  if (typeof angle === 'number') return { c: Math.cos(op.freq * angle), s: Math.sin(op.freq * angle) };
  const scaled = tf.mul(angle, op.freq);
  const a = angle.rank === 0 ? scaled : tf.reshape(scaled, shape);
  return { c: tf.cos(a), s: tf.sin(a) };
}

const hasImag = (m?: CMatrix) => m !== undefined && m.im.some((r) => r.some((v) => v !== 0));
const hasAny = (m?: CMatrix) => m !== undefined && (m.re.some((r) => r.some((v) => v !== 0)) || hasImag(m));

/** Σ_terms coef·T for numeric term arrays `parts` (a0, a1, a2) of equal length, as a tensor. */
function combine(parts: [Float32Array, Float32Array?, Float32Array?], coef: Coef, shape: number[]): tf.Tensor {
  const [p0, p1, p2] = parts;
  if (!coef) return tf.tensor(p0, shape);
  if (typeof coef.c === 'number' && typeof coef.s === 'number') {
    const out = new Float32Array(p0.length);
    for (let i = 0; i < out.length; i++) out[i] = p0[i] + coef.c * (p1?.[i] ?? 0) + coef.s * (p2?.[i] ?? 0);
    return tf.tensor(out, shape);
  }
  let t: tf.Tensor = tf.tensor(p0, shape);
  if (p1) t = tf.add(t, tf.mul(coef.c, tf.tensor(p1, shape)));
  if (p2) t = tf.add(t, tf.mul(coef.s, tf.tensor(p2, shape)));
  return t;
}

function flat(m: CMatrix | undefined, part: 're' | 'im', transpose: boolean): Float32Array | undefined {
  if (!m) return undefined;
  const d = m.re.length, out = new Float32Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = transpose ? m[part][j][i] : m[part][i][j];
  return out;
}

/** The diagonal of a term matrix expanded to all 2^n basis states (entry j uses the bits of j on `wires`). */
function expandDiagonal(m: CMatrix | undefined, part: 're' | 'im', wires: readonly number[], n: number): Float32Array | undefined {
  if (!m) return undefined;
  const dim = 1 << n, out = new Float32Array(dim);
  const local = new Array<number>(1 << wires.length);
  for (let l = 0; l < local.length; l++) local[l] = m[part][l][l];
  for (let j = 0; j < dim; j++) {
    let l = 0;
    for (let b = 0; b < wires.length; b++) l |= ((j >> wires[b]) & 1) << b;
    out[j] = local[l];
  }
  return out;
}

function applyDiagonal(x: Amplitudes, op: TermOp, angle: AngleValue | undefined, n: number): Amplitudes {
  const dim = 1 << n;
  const coef = coefficients(op, angle, [-1, 1]);
  const parts = (part: 're' | 'im') => [op.a0, op.a1, op.a2].map((m) => expandDiagonal(m, part, op.wires, n)) as [Float32Array, Float32Array?, Float32Array?];
  const dr = combine(parts('re'), coef, [1, dim]);
  const imagNeeded = hasImag(op.a0) || hasImag(op.a1) || hasImag(op.a2);
  if (!imagNeeded) return { re: tf.mul(x.re, dr) as tf.Tensor2D, im: tf.mul(x.im, dr) as tf.Tensor2D };
  const di = combine(parts('im'), coef, [1, dim]);
  return {
    re: tf.sub(tf.mul(x.re, dr), tf.mul(x.im, di)) as tf.Tensor2D,
    im: tf.add(tf.mul(x.re, di), tf.mul(x.im, dr)) as tf.Tensor2D,
  };
}

/** Reshape/transpose plan that moves `wires` to the last axis (local index: wires[0] least significant). */
export function localPlan(n: number, wires: readonly number[]) {
  const sorted = [...wires].sort((a, b) => b - a);
  const dims: number[] = [];
  const axisOf = new Map<number, number>();
  let top = n;
  for (const w of sorted) {
    if (top - w - 1 > 0) dims.push(1 << (top - w - 1));
    axisOf.set(w, dims.length + 1);
    dims.push(2);
    top = w;
  }
  if (top > 0) dims.push(1 << top);
  const wireAxes = new Set(axisOf.values());
  const restAxes = dims.map((_, i) => i + 1).filter((a) => !wireAxes.has(a));
  const perm = [0, ...restAxes, ...[...wires].reverse().map((w) => axisOf.get(w) as number)];
  const identity = perm.every((p, i) => p === i);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return { dims, perm, inverse, identity, k: wires.length };
}

function applyDense(x: Amplitudes, op: TermOp, angle: AngleValue | undefined, n: number): Amplitudes {
  const k = op.wires.length, d = 1 << k, dim = 1 << n;
  const batch = x.re.shape[0];
  const plan = localPlan(n, op.wires);
  const toLocal = (t: tf.Tensor2D) => {
    const r = tf.reshape(t, [batch, ...plan.dims]);
    return tf.reshape(plan.identity ? r : tf.transpose(r, plan.perm), [batch, dim / d, d]);
  };
  const fromLocal = (t: tf.Tensor) => {
    if (plan.identity) return tf.reshape(t, [batch, dim]) as tf.Tensor2D;
    const permutedDims = plan.perm.slice(1).map((a) => plan.dims[a - 1]);
    return tf.reshape(tf.transpose(tf.reshape(t, [batch, ...permutedDims]), plan.inverse), [batch, dim]) as tf.Tensor2D;
  };
  const perRow = angle !== undefined && typeof angle !== 'number' && angle.rank === 2;
  const coef = coefficients(op, angle, [-1, 1, 1]);
  // Mᵀ, so that row-vector states multiply on the right: ψ'ᵀ = ψᵀ·Mᵀ.
  const parts = (part: 're' | 'im') => [op.a0, op.a1, op.a2].map((m) => flat(m, part, true)) as [Float32Array, Float32Array?, Float32Array?];
  const mShape = perRow ? [1, d, d] : [d, d];
  const mr = combine(parts('re'), coef, mShape);
  const imagNeeded = hasImag(op.a0) || hasImag(op.a1) || hasImag(op.a2);
  const mi = imagNeeded ? combine(parts('im'), coef, mShape) : undefined;
  const xr = toLocal(x.re), xi = toLocal(x.im);
  const mul = (a: tf.Tensor3D, m: tf.Tensor): tf.Tensor => perRow
    ? tf.matMul(a, tf.broadcastTo(m, [batch, d, d]) as tf.Tensor3D)
    : tf.reshape(tf.matMul(tf.reshape(a, [-1, d]) as tf.Tensor2D, m as tf.Tensor2D), [batch, dim / d, d]);
  let yr = mul(xr as tf.Tensor3D, mr), yi = mul(xi as tf.Tensor3D, mr);
  if (mi) {
    yr = tf.sub(yr, mul(xi as tf.Tensor3D, mi));
    yi = tf.add(yi, mul(xr as tf.Tensor3D, mi));
  }
  return { re: fromLocal(yr), im: fromLocal(yi) };
}

/** Applies one term-form operation to every row of `x` (a new pair of tensors; `x` is left as is). */
export function applyTermOp(x: Amplitudes, op: TermOp, angle: AngleValue | undefined, n: number): Amplitudes {
  if (op.angle === undefined && !hasAny(op.a0)) throw new Error('applyTermOp: empty operation');
  return op.diagonal ? applyDiagonal(x, op, angle, n) : applyDense(x, op, angle, n);
}

/** Runs the term-form operations on `x` with already-checked arguments (the tf executor's gate loop). */
export function runTermOps(x: Amplitudes, ops: readonly TermOp[], args: RunArgs, n: number): Amplitudes {
  let cur = x;
  for (const op of ops) {
    const [re, im] = tf.tidy(() => {
      const y = applyTermOp(cur, op, op.angle === undefined ? undefined : resolveAngle(op.angle, args), n);
      return [y.re, y.im];
    }) as [tf.Tensor2D, tf.Tensor2D];
    const next = { re, im };
    if (cur !== x) { cur.re.dispose(); cur.im.dispose(); }
    cur = next;
  }
  return cur === x ? { re: tf.clone(x.re), im: tf.clone(x.im) } : cur;
}
