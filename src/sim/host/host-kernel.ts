/**
 * The plain-JavaScript gate kernel: term-form operations applied in place to a batch of float64 state
 * vectors in host memory. On wasm it beats the tf engine by a wide margin wherever the tf engine must
 * transpose (large states: ~50 ms per 2^20-element transpose against a few ms for a whole host gate) or
 * run batched tiny matMuls (per-row angles), and float64 keeps adjoint's backward un-computation accurate.
 * Besides M(θ) it applies M(θ)† and dM/dθ, which the adjoint method needs.
 */
import { TermOp } from '../gate-terms';
import { HostAngle, OpInfo, Variant, forBaseTiles, infoOf, matricesFor } from './host-terms';

export type { HostAngle, Variant } from './host-terms';

/** A batch of state vectors in host memory: `rows` × 2^nQubits amplitudes, row-major. */
export interface HostStates { re: Float64Array; im: Float64Array; rows: number; nQubits: number }

/** `rows` copies of |0…0⟩ on n qubits. */
export function hostZero(nQubits: number, rows: number): HostStates {
  const dim = 2 ** nQubits;
  const re = new Float64Array(rows * dim), im = new Float64Array(rows * dim);
  for (let r = 0; r < rows; r++) re[r * dim] = 1;
  return { re, im, rows, nQubits };
}

/** A deep copy. */
export function hostClone(s: HostStates): HostStates {
  return { re: s.re.slice(), im: s.im.slice(), rows: s.rows, nQubits: s.nQubits };
}

/**
 * y = M·x on the amplitude pairs (j, j + stride) of every row: a one-qubit gate on wire log2(stride).
 * `mr/mi` hold one 2×2 matrix (perRow false) or one per row.
 */
function applyPairsStrided(s: HostStates, rowFrom: number, rowTo: number, stride: number, mr: Float64Array, mi: Float64Array, perRow: boolean, period: number): void {
  const { re, im } = s, dim = 2 ** s.nQubits;
  for (let r = rowFrom; r < rowTo; r++) {
    const m = perRow ? (r % period) * 4 : 0;
    const ar = mr[m], br = mr[m + 1], cr = mr[m + 2], dr = mr[m + 3];
    const ai = mi[m], bi = mi[m + 1], ci = mi[m + 2], di = mi[m + 3];
    // With one shared matrix, the whole range of rows is one long run of pairs.
    const start = r * dim, end = perRow ? start + dim : rowTo * dim;
    if (ai === 0 && bi === 0 && ci === 0 && di === 0) {
      // Real matrices (RY, X, H, ...) need half the multiplications.
      for (let hi = start; hi < end; hi += 2 * stride) {
        for (let j = hi, top = hi + stride; j < top; j++) {
          const k = j + stride;
          const xr = re[j], xi = im[j], yr = re[k], yi = im[k];
          re[j] = ar * xr + br * yr; im[j] = ar * xi + br * yi;
          re[k] = cr * xr + dr * yr; im[k] = cr * xi + dr * yi;
        }
      }
    } else {
      for (let hi = start; hi < end; hi += 2 * stride) {
        for (let j = hi, top = hi + stride; j < top; j++) {
          const k = j + stride;
          const xr = re[j], xi = im[j], yr = re[k], yi = im[k];
          re[j] = ar * xr - ai * xi + br * yr - bi * yi;
          im[j] = ar * xi + ai * xr + br * yi + bi * yr;
          re[k] = cr * xr - ci * xi + dr * yr - di * yi;
          im[k] = cr * xi + ci * xr + dr * yi + di * yr;
        }
      }
    }
    if (!perRow) return;
  }
}

/** A one-qubit diagonal matrix diag(m[0], m[3]) on wire log2(stride) of every row. */
function applyDiagonalStrided(s: HostStates, rowFrom: number, rowTo: number, stride: number, mr: Float64Array, mi: Float64Array, perRow: boolean, period: number): void {
  const { re, im } = s, dim = 2 ** s.nQubits;
  for (let r = rowFrom; r < rowTo; r++) {
    const m = perRow ? (r % period) * 4 : 0;
    const ar = mr[m], ai = mi[m], dr = mr[m + 3], di = mi[m + 3];
    const start = r * dim, end = perRow ? start + dim : rowTo * dim;
    for (let hi = start; hi < end; hi += 2 * stride) {
      for (let j = hi, top = hi + stride; j < top; j++) {
        const k = j + stride;
        const xr = re[j], xi = im[j], yr = re[k], yi = im[k];
        re[j] = ar * xr - ai * xi; im[j] = ar * xi + ai * xr;
        re[k] = dr * yr - di * yi; im[k] = dr * yi + di * yr;
      }
    }
    if (!perRow) return;
  }
}

/** A 2×2 matrix (entries at local indices a, b of a k-qubit op) on the pairs (base+oa, base+ob) of every block. */
function applyPairsBlocked(s: HostStates, rowFrom: number, rowTo: number, bases: Int32Array, oa: number, ob: number,
  mr: Float64Array, mi: Float64Array, d: number, a: number, b: number, perRow: boolean, period: number): void {
  const { re, im } = s, dim = 2 ** s.nQubits, dd = d * d;
  for (let r = rowFrom; r < rowTo; r++) {
    const m = perRow ? (r % period) * dd : 0;
    const ar = mr[m + a * d + a], br = mr[m + a * d + b], cr = mr[m + b * d + a], dr = mr[m + b * d + b];
    const ai = mi[m + a * d + a], bi = mi[m + a * d + b], ci = mi[m + b * d + a], di = mi[m + b * d + b];
    const from = r * dim;
    const real = ai === 0 && bi === 0 && ci === 0 && di === 0;
    if (real && ar === 0 && dr === 0 && br === 1 && cr === 1) {
      // A swap (CNOT, Toffoli, SWAP): no arithmetic at all.
      for (let t = 0; t < bases.length; t++) {
        const j = from + bases[t] + oa, k = from + bases[t] + ob;
        const xr = re[j], xi = im[j];
        re[j] = re[k]; im[j] = im[k];
        re[k] = xr; im[k] = xi;
      }
      continue;
    }
    for (let t = 0; t < bases.length; t++) {
      const j = from + bases[t] + oa, k = from + bases[t] + ob;
      const xr = re[j], xi = im[j], yr = re[k], yi = im[k];
      re[j] = ar * xr - ai * xi + br * yr - bi * yi;
      im[j] = ar * xi + ai * xr + br * yi + bi * yr;
      re[k] = cr * xr - ci * xi + dr * yr - di * yi;
      im[k] = cr * xi + ci * xr + dr * yi + di * yr;
    }
  }
}

/** Multiplies the amplitudes at local index l (offset o) of every block by the diagonal entries. */
function applyDiagonal(s: HostStates, rowFrom: number, rowTo: number, bases: Int32Array, f: OpInfo, mr: Float64Array, mi: Float64Array, perRow: boolean, period: number): void {
  const { re, im } = s, dim = 2 ** s.nQubits, d = f.d, dd = d * d;
  for (let l = 0; l < d; l++) {
    const o = f.offsets[l];
    for (let r = rowFrom; r < rowTo; r++) {
      const m = (perRow ? (r % period) * dd : 0) + l * d + l;
      const pr = mr[m], pi = mi[m];
      if (pr === 1 && pi === 0) { if (perRow) continue; else break; }
      const from = r * dim + o;
      for (let t = 0; t < bases.length; t++) {
        const j = from + bases[t];
        const xr = re[j], xi = im[j];
        re[j] = pr * xr - pi * xi;
        im[j] = pr * xi + pi * xr;
      }
    }
  }
}

/** The general case: gather the active amplitudes of each block, multiply, scatter. */
function applyGeneral(s: HostStates, rowFrom: number, rowTo: number, bases: Int32Array, f: OpInfo, mr: Float64Array, mi: Float64Array, perRow: boolean, period: number): void {
  const { re, im } = s, dim = 2 ** s.nQubits, d = f.d, dd = d * d, act = f.active, na = act.length;
  const xr = new Float64Array(na), xi = new Float64Array(na);
  for (let r = rowFrom; r < rowTo; r++) {
    const m = perRow ? (r % period) * dd : 0;
    for (let t = 0; t < bases.length; t++) {
      const base = r * dim + bases[t];
      for (let u = 0; u < na; u++) { xr[u] = re[base + f.offsets[act[u]]]; xi[u] = im[base + f.offsets[act[u]]]; }
      for (let u = 0; u < na; u++) {
        const row = m + act[u] * d;
        let sr = 0, si = 0;
        for (let v = 0; v < na; v++) {
          const a = mr[row + act[v]], b = mi[row + act[v]];
          sr += a * xr[v] - b * xi[v];
          si += a * xi[v] + b * xr[v];
        }
        re[base + f.offsets[act[u]]] = sr;
        im[base + f.offsets[act[u]]] = si;
      }
    }
  }
}

/** Sets the amplitudes at the given local indices of every block to zero (the derivative's zero rows). */
function zeroLocal(s: HostStates, rowFrom: number, rowTo: number, bases: Int32Array, f: OpInfo, skip: Int32Array): void {
  const dim = 2 ** s.nQubits;
  for (let l = 0; l < f.d; l++) {
    if (skip.includes(l)) continue;
    const o = f.offsets[l];
    for (let r = rowFrom; r < rowTo; r++) {
      for (let t = 0; t < bases.length; t++) { const j = r * dim + o + bases[t]; s.re[j] = 0; s.im[j] = 0; }
    }
  }
}

/**
 * Applies `variant` of a term op in place to rows [rowFrom, rowTo) of `s`. `angle` is the op's angle
 * (see HostAngle; ignored for fixed ops).
 */
export function hostApply(s: HostStates, op: TermOp, angle: HostAngle | undefined, variant: Variant = 'forward', rowFrom = 0, rowTo = s.rows): void {
  if (rowTo <= rowFrom) return;
  if (variant === 'derivative' && op.angle === undefined) throw new Error('hostApply: a fixed operation has no derivative');
  const f = infoOf(op), d = f.d;
  const { mr, mi, perRow, period } = matricesFor(op, f, angle, variant);
  if (op.diagonal && d === 2) {
    applyDiagonalStrided(s, rowFrom, rowTo, 1 << op.wires[0], mr, mi, perRow, period);
    return;
  }
  if (op.diagonal) {
    forBaseTiles(s.nQubits, op.wires, (bases) => applyDiagonal(s, rowFrom, rowTo, bases, f, mr, mi, perRow, period));
    return;
  }
  if (f.active.length === 0) return;
  if (d === 2) {
    applyPairsStrided(s, rowFrom, rowTo, 1 << op.wires[0], mr, mi, perRow, period);
    return;
  }
  forBaseTiles(s.nQubits, op.wires, (bases) => {
    if (f.active.length === 2) {
      const a = f.active[0], b = f.active[1];
      applyPairsBlocked(s, rowFrom, rowTo, bases, f.offsets[a], f.offsets[b], mr, mi, d, a, b, perRow, period);
    } else {
      applyGeneral(s, rowFrom, rowTo, bases, f, mr, mi, perRow, period);
    }
    // The derivative of an identity row is a zero row.
    if (variant === 'derivative' && f.active.length < d) zeroLocal(s, rowFrom, rowTo, bases, f, f.active);
  });
}

/** hostInner for a one-qubit M on wire log2(stride): the pair loop, without gathering. */
function innerPairs(lambda: HostStates, psi: HostStates, stride: number, mr: Float64Array, mi: Float64Array, perRow: boolean, period: number, out: Float64Array): void {
  const dim = 2 ** psi.nQubits, lr = lambda.re, li = lambda.im, pr = psi.re, pi = psi.im;
  for (let r = 0; r < lambda.rows; r++) {
    const row = r % psi.rows, m = perRow ? (row % period) * 4 : 0;
    const ar = mr[m], br = mr[m + 1], cr = mr[m + 2], dr = mr[m + 3];
    const ai = mi[m], bi = mi[m + 1], ci = mi[m + 2], di = mi[m + 3];
    const lf = r * dim, pf = row * dim;
    let acc = 0;
    for (let hi = 0; hi < dim; hi += 2 * stride) {
      for (let o = hi, top = hi + stride; o < top; o++) {
        const j = pf + o, k = j + stride;
        const xr = pr[j], xi = pi[j], yr = pr[k], yi = pi[k];
        const y0r = ar * xr - ai * xi + br * yr - bi * yi, y0i = ar * xi + ai * xr + br * yi + bi * yr;
        const y1r = cr * xr - ci * xi + dr * yr - di * yi, y1i = cr * xi + ci * xr + dr * yi + di * yr;
        const lj = lf + o, lk = lj + stride;
        acc += lr[lj] * y0r + li[lj] * y0i + lr[lk] * y1r + li[lk] * y1i;
      }
    }
    out[r] = acc;
  }
}

/**
 * Re⟨λ_r| M |ψ_{r mod ψ.rows}⟩ for every row r of `lambda`, where M is `variant` of `op` at `angle`
 * (per-row angles follow ψ's rows). Adjoint differentiation reads its gradients this way without
 * materialising M|ψ⟩.
 */
export function hostInner(lambda: HostStates, psi: HostStates, op: TermOp, angle: HostAngle | undefined, variant: Variant): Float64Array {
  if (lambda.nQubits !== psi.nQubits) throw new Error(`hostInner: λ has ${lambda.nQubits} qubits, ψ has ${psi.nQubits}`);
  const f = infoOf(op), d = f.d, dd = d * d, dim = 2 ** psi.nQubits;
  const { mr, mi, perRow, period } = matricesFor(op, f, angle, variant);
  const out = new Float64Array(lambda.rows);
  if (d === 2) {
    innerPairs(lambda, psi, 1 << op.wires[0], mr, mi, perRow, period, out);
    return out;
  }
  const xr = new Float64Array(d), xi = new Float64Array(d);
  forBaseTiles(psi.nQubits, op.wires, (bases) => {
    for (let r = 0; r < lambda.rows; r++) {
      const pr = r % psi.rows;
      const m = perRow ? (pr % period) * dd : 0;
      const lf = r * dim, pf = pr * dim;
      let acc = 0;
      for (let t = 0; t < bases.length; t++) {
        for (let l = 0; l < d; l++) { const j = pf + bases[t] + f.offsets[l]; xr[l] = psi.re[j]; xi[l] = psi.im[j]; }
        for (let u = 0; u < d; u++) {
          let yr = 0, yi = 0;
          const row = m + u * d;
          for (let v = 0; v < d; v++) {
            const a = mr[row + v], b = mi[row + v];
            yr += a * xr[v] - b * xi[v];
            yi += a * xi[v] + b * xr[v];
          }
          const j = lf + bases[t] + f.offsets[u];
          acc += lambda.re[j] * yr + lambda.im[j] * yi; // Re(conj(λ)·y)
        }
      }
      out[r] += acc;
    }
  });
  return out;
}
