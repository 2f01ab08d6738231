/**
 * Term ops in the host kernel's form: angles (shared or per row), which matrix of an op is applied
 * (M(θ), M(θ)†, dM/dθ), each op's flattened term matrices and active indices (cached), the matrices for
 * given angles, and the positions of the local blocks an op acts on, tile by tile. host-kernel.ts loops
 * over the amplitudes with them.
 */
import { CMatrix } from '../gates';
import { TermOp } from '../gate-terms';

/**
 * An angle on the host: one value shared by every row, or per-row values `v`, where row r uses
 * v[r % v.length] (so a batch's column serves every block of a stacked batch of copies).
 */
export type HostAngle = number | Float64Array;

/** Which matrix of a term op to apply: M(θ), its inverse M(θ)†, or its derivative dM/dθ. */
export type Variant = 'forward' | 'inverse' | 'derivative';

/**
 * Static facts about a term op, cached: its term matrices flattened (d×d, row-major), and the local
 * indices its matrix can change. For a unitary M(θ), a row of every term equal to the identity's means
 * the matching column is too, so the other indices form a closed subspace: only they are read and written.
 */
export interface OpInfo {
  d: number;
  re: [Float64Array, Float64Array, Float64Array];
  im: [Float64Array, Float64Array, Float64Array];
  /** The terms conjugate-transposed: M(θ)† = A0† + c·A1† + s·A2†. */
  reT: [Float64Array, Float64Array, Float64Array];
  imT: [Float64Array, Float64Array, Float64Array];
  active: Int32Array;
  offsets: Int32Array;
}
const infoCache = new WeakMap<TermOp, OpInfo>();

/** A term matrix's real or imaginary part, row-major (zeros when absent). */
function flatten(m: CMatrix | undefined, part: 're' | 'im', d: number): Float64Array {
  const out = new Float64Array(d * d);
  if (m) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = m[part][i][j];
  return out;
}

/** The cached static facts of `op` (see OpInfo). */
export function infoOf(op: TermOp): OpInfo {
  let f = infoCache.get(op);
  if (f) return f;
  const d = 2 ** op.wires.length;
  const re: OpInfo['re'] = [flatten(op.a0, 're', d), flatten(op.a1, 're', d), flatten(op.a2, 're', d)];
  const im: OpInfo['im'] = [flatten(op.a0, 'im', d), flatten(op.a1, 'im', d), flatten(op.a2, 'im', d)];
  const active: number[] = [];
  for (let i = 0; i < d; i++) {
    let identity = true;
    for (let j = 0; j < d && identity; j++) {
      const k = i * d + j;
      identity = re[0][k] === (i === j ? 1 : 0) && im[0][k] === 0 && re[1][k] === 0 && im[1][k] === 0 && re[2][k] === 0 && im[2][k] === 0;
    }
    if (!identity) active.push(i);
  }
  const offsets = new Int32Array(d);
  for (let l = 0; l < d; l++) for (let b = 0; b < op.wires.length; b++) if ((l >> b) & 1) offsets[l] |= 1 << op.wires[b];
  const dagger = (m: Float64Array, sign: number) => {
    const out = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = sign * m[j * d + i];
    return out;
  };
  const reT = re.map((m) => dagger(m, 1)) as OpInfo['re'], imT = im.map((m) => dagger(m, -1)) as OpInfo['im'];
  f = { d, re, im, reT, imT, active: Int32Array.from(active), offsets };
  infoCache.set(op, f);
  return f;
}

/** Positions (within a row) of every local block's first amplitude: the indices with the wire bits cleared. */
function blockBases(nQubits: number, wires: readonly number[]): Int32Array {
  const sorted = [...wires].sort((a, b) => a - b);
  const count = 2 ** (nQubits - wires.length), out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let base = i;
    for (const w of sorted) base = ((base >>> w) << (w + 1)) | (base & ((1 << w) - 1));
    out[i] = base;
  }
  return out;
}
const basesCache = new Map<string, Int32Array>();
/** The bases last used for a wires array (term ops' wires are never changed after construction). */
const basesByWires = new WeakMap<readonly number[], { nQubits: number; bases: Int32Array }>();
/** Block bases come in tiles of at most this many: cached whole for small registers, computed per tile for large ones. */
const TILE = 2 ** 14;
const tileScratch = new Int32Array(TILE);

/**
 * Calls `fn` with the block bases of `wires` (see blockBases) tile by tile. Small registers reuse one
 * cached array; large ones fill a fixed scratch tile, so memory stays at one state whatever the gates.
 */
export function forBaseTiles(nQubits: number, wires: readonly number[], fn: (bases: Int32Array) => void): void {
  const count = 2 ** (nQubits - wires.length);
  if (count <= TILE) {
    // An op's wires array is reused call after call: look it up by identity before building the key.
    const last = basesByWires.get(wires);
    if (last && last.nQubits === nQubits) { fn(last.bases); return; }
    const key = `${nQubits}:${[...wires].sort((a, b) => a - b).join(',')}`;
    let b = basesCache.get(key);
    if (!b) {
      if (basesCache.size >= 256) basesCache.clear();
      b = blockBases(nQubits, wires);
      basesCache.set(key, b);
    }
    basesByWires.set(wires, { nQubits, bases: b });
    fn(b);
    return;
  }
  const sorted = [...wires].sort((a, b) => a - b);
  for (let t0 = 0; t0 < count; t0 += TILE) {
    for (let i = 0; i < TILE; i++) {
      let base = t0 + i;
      for (const w of sorted) base = ((base >>> w) << (w + 1)) | (base & ((1 << w) - 1));
      tileScratch[i] = base;
    }
    fn(tileScratch);
  }
}

/**
 * The matrices of `variant` for an angle: one shared, or one per per-row value (row r uses r % period).
 * forward: A0 + c·A1 + s·A2; inverse: the same with the terms conjugate-transposed; derivative:
 * f·(−s·A1 + c·A2), with c, s = cos, sin(f·θ).
 */
export function matricesFor(op: TermOp, f: OpInfo, angle: HostAngle | undefined, variant: Variant): OpMatrices {
  if (angle instanceof Float64Array && op.angle !== undefined) return computeMatrices(op, f, angle, variant);
  // One shared angle: the last matrices of each variant are kept per op (fixed gates and the adjoint sweep's
  // repeated M(θ)† ask again with the same angle). Callers only read them.
  const theta = typeof angle === 'number' ? angle : 0;
  let memo = matricesMemo.get(op);
  if (!memo) matricesMemo.set(op, (memo = {}));
  const hit = memo[variant];
  if (hit && Object.is(hit.theta, theta)) return hit.m;
  const m = computeMatrices(op, f, angle, variant);
  memo[variant] = { theta, m };
  return m;
}

/** What `matricesFor` returns. */
export interface OpMatrices { mr: Float64Array; mi: Float64Array; perRow: boolean; period: number }
const matricesMemo = new WeakMap<TermOp, Partial<Record<Variant, { theta: number; m: OpMatrices }>>>();

function computeMatrices(op: TermOp, f: OpInfo, angle: HostAngle | undefined, variant: Variant): OpMatrices {
  const dd = f.d * f.d;
  const perRow = angle instanceof Float64Array && op.angle !== undefined;
  const thetas = perRow ? (angle as Float64Array) : undefined;
  const period = thetas ? thetas.length : 1;
  if (period === 0) throw new Error('hostApply(angle): expected at least one per-row value, got an empty array');
  const mr = new Float64Array(period * dd), mi = new Float64Array(period * dd);
  const inv = variant === 'inverse', deriv = variant === 'derivative';
  const R = inv ? f.reT : f.re, I = inv ? f.imT : f.im;
  const r0 = R[0], r1 = R[1], r2 = R[2], i0 = I[0], i1 = I[1], i2 = I[2];
  const freq = op.freq, hasAngle = op.angle !== undefined;
  const k0 = deriv ? 0 : 1;
  for (let p = 0; p < period; p++) {
    const theta = thetas ? thetas[p] : typeof angle === 'number' ? angle : 0;
    const c = hasAngle ? Math.cos(freq * theta) : 0, sn = hasAngle ? Math.sin(freq * theta) : 0;
    const k1 = deriv ? -freq * sn : c, k2 = deriv ? freq * c : sn;
    const at = p * dd;
    for (let e = 0; e < dd; e++) {
      mr[at + e] = k0 * r0[e] + k1 * r1[e] + k2 * r2[e];
      mi[at + e] = k0 * i0[e] + k1 * i1[e] + k2 * i2[e];
    }
  }
  return { mr, mi, perRow, period };
}
