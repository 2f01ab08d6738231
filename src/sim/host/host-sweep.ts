/**
 * The adjoint sweep with gate fusion. One-qubit ops on a wire that meet no multi-qubit op on that wire
 * between them form a group (ops on other wires commute with them, and so do their generators); a
 * group is swept in one pass over the pairs of amplitudes of ψ and λ: per op, the derivative read as
 * Re⟨λ|D|ψ⟩ with D = dM·M† (the same value as Re⟨λ|dM|M†ψ⟩ the three-pass sweep reads), then ψ and λ
 * un-computed by M†. Against the three passes per op (un-compute ψ, inner product, un-compute λ) of
 * the plain sweep, the scaling circuit's layer of RY·RZ on 12 qubits × 64 rows takes a fifth of the time
 * (bench/sweep-fusion.ts). Other ops run as before.
 */
import { TermOp } from '../gate-terms';
import { HostAngle, HostStates, hostApply, hostInner } from './host-kernel';
import { infoOf, matricesFor } from './host-terms';
import { composeBasisMap, permutationRun, permuteRows } from './host-permute';

/**
 * A step of a fused sweep: the one-qubit ops of a group on one wire, one other op, or a run of basis
 * permutations (host-permute.ts) un-applied as one; `ts` in sweep order.
 */
export type SweepGroup = { kind: 'wire'; wire: number; ts: number[] } | { kind: 'op' | 'permutation'; ts: number[] };

/**
 * Groups `order` (op indices in the order the sweep meets them, i.e. last op first) into SweepGroups:
 * a group on wire w collects one-qubit ops on w until an op on more wires touches w. A run of
 * consecutive multi-qubit ops first flushes the groups on all its wires (each commutes with the run's
 * ops before the first on its wire), so a run of permutations stays together.
 */
export function planSweep(ops: readonly TermOp[], order: readonly number[], nQubits: number): SweepGroup[] {
  const out: SweepGroup[] = [], pending = new Map<number, number[]>();
  const flush = (w: number) => {
    const ts = pending.get(w);
    if (ts) { pending.delete(w); out.push({ kind: 'wire', wire: w, ts }); }
  };
  for (let i = 0; i < order.length; i++) {
    const op = ops[order[i]];
    if (op.wires.length === 1) {
      const w = op.wires[0], ts = pending.get(w);
      if (ts) ts.push(order[i]); else pending.set(w, [order[i]]);
      continue;
    }
    let end = i + 1;
    while (end < order.length && ops[order[end]].wires.length > 1) end++;
    for (let u = i; u < end; u++) for (const w of ops[order[u]].wires) flush(w);
    for (let u = i; u < end; u++) {
      const k = permutationRun(ops, order.slice(0, end), u, nQubits);
      if (k >= 2) { out.push({ kind: 'permutation', ts: order.slice(u, u + k) }); u += k - 1; } else out.push({ kind: 'op', ts: [order[u]] });
    }
    i = end - 1;
  }
  for (const w of [...pending.keys()]) flush(w);
  return out;
}

/** Receives op t's derivative value for λ row r. */
export type SweepSink = (t: number, r: number, value: number) => void;

/** 2×2 complex a·b, row-major re[4], im[4] at offsets. */
function mul2(ar: Float64Array, ai: Float64Array, ao: number, br: Float64Array, bi: Float64Array, bo: number, out: Float64Array, oo: number): void {
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      let re = 0, im = 0;
      for (let k = 0; k < 2; k++) {
        const xr = ar[ao + i * 2 + k], xi = ai[ao + i * 2 + k], yr = br[bo + k * 2 + j], yi = bi[bo + k * 2 + j];
        re += xr * yr - xi * yi;
        im += xr * yi + xi * yr;
      }
      out[oo + i * 2 + j] = re;
      out[oo + 4 + i * 2 + j] = im;
    }
  }
}

/** Per op of a group: M† and D = dM·M† per period value (16 numbers each: M† re, im, D re, im), and their kind. */
interface GroupMats { co: Float64Array; period: number; wanted: boolean; kind: number }

function groupMats(op: TermOp, angle: HostAngle | undefined, wanted: boolean): GroupMats {
  const f = infoOf(op);
  const inv = matricesFor(op, f, angle, 'inverse');
  const period = inv.perRow ? inv.period : 1, co = new Float64Array(16 * period);
  const der = wanted ? matricesFor(op, f, angle, 'derivative') : undefined;
  for (let p = 0; p < period; p++) {
    co.set(inv.mr.subarray(4 * p, 4 * p + 4), 16 * p);
    co.set(inv.mi.subarray(4 * p, 4 * p + 4), 16 * p + 4);
    if (der) mul2(der.mr, der.mi, 4 * p, inv.mr, inv.mi, 4 * p, co, 16 * p + 8);
  }
  let real = true, diagonal = true;
  for (let p = 0; p < period; p++) {
    const at = 16 * p;
    for (const e of [4, 5, 6, 7, 12, 13, 14, 15]) if (co[at + e] !== 0) real = false;
    for (const e of [1, 2, 5, 6, 9, 10, 13, 14]) if (co[at + e] !== 0) diagonal = false;
  }
  return { co, period, wanted, kind: real ? REAL : diagonal ? DIAGONAL : GENERAL };
}

/** How a group op's M† and D are stored and applied: real matrices, diagonal ones, or general complex ones. */
const REAL = 0, DIAGONAL = 1, GENERAL = 2;

/**
 * The hot loop of sweepWireGroup on amplitudes [start, end) of one row, per pair (j, j + stride): for
 * each op g of the group, acc[g] += Re⟨λ|D_g|ψ⟩ when wanted, then ψ, λ ← M_g†ψ, M_g†λ (coefficients
 * co[16g …]: M† re, im, D re, im; kind[g] says which are zero). Real (RY) and diagonal (RZ) ops take
 * half the multiplications of general ones: the loop is bound by arithmetic, not memory. Kept apart
 * with only typed arrays and numbers as arguments, so V8 compiles it once (inline in its caller, the
 * caller's mixed setup code deoptimised it and boxed its numbers).
 */
function sweepPairs(pr: Float64Array, pi: Float64Array, lr: Float64Array, li: Float64Array, start: number, end: number, stride: number,
  co: Float64Array, kind: Uint8Array, want: Uint8Array, G: number, acc: Float64Array): void {
  for (let hi = start; hi < end; hi += 2 * stride) {
    for (let j = hi, top = hi + stride; j < top; j++) {
      const k = j + stride;
      let p0r = pr[j], p0i = pi[j], p1r = pr[k], p1i = pi[k];
      let l0r = lr[j], l0i = li[j], l1r = lr[k], l1i = li[k];
      for (let g = 0, c = 0; g < G; g++, c += 16) {
        const kg = kind[g];
        if (kg === REAL) {
          if (want[g] === 1) {
            const d0 = co[c + 8], d1 = co[c + 9], d2 = co[c + 10], d3 = co[c + 11];
            acc[g] += d0 * (l0r * p0r + l0i * p0i) + d1 * (l0r * p1r + l0i * p1i) + d2 * (l1r * p0r + l1i * p0i) + d3 * (l1r * p1r + l1i * p1i);
          }
          const a = co[c], b = co[c + 1], cc = co[c + 2], d = co[c + 3];
          const q0r = a * p0r + b * p1r, q0i = a * p0i + b * p1i, q1r = cc * p0r + d * p1r, q1i = cc * p0i + d * p1i;
          const m0r = a * l0r + b * l1r, m0i = a * l0i + b * l1i, m1r = cc * l0r + d * l1r, m1i = cc * l0i + d * l1i;
          p0r = q0r; p0i = q0i; p1r = q1r; p1i = q1i;
          l0r = m0r; l0i = m0i; l1r = m1r; l1i = m1i;
        } else if (kg === DIAGONAL) {
          if (want[g] === 1) {
            const d0r = co[c + 8], d3r = co[c + 11], d0i = co[c + 12], d3i = co[c + 15];
            acc[g] += d0r * (l0r * p0r + l0i * p0i) + d0i * (l0i * p0r - l0r * p0i) + d3r * (l1r * p1r + l1i * p1i) + d3i * (l1i * p1r - l1r * p1i);
          }
          const ar = co[c], dr = co[c + 3], ai = co[c + 4], di = co[c + 7];
          const q0r = ar * p0r - ai * p0i, q0i = ar * p0i + ai * p0r, q1r = dr * p1r - di * p1i, q1i = dr * p1i + di * p1r;
          const m0r = ar * l0r - ai * l0i, m0i = ar * l0i + ai * l0r, m1r = dr * l1r - di * l1i, m1i = dr * l1i + di * l1r;
          p0r = q0r; p0i = q0i; p1r = q1r; p1i = q1i;
          l0r = m0r; l0i = m0i; l1r = m1r; l1i = m1i;
        } else {
          if (want[g] === 1) {
            const dr0 = co[c + 8], dr1 = co[c + 9], dr2 = co[c + 10], dr3 = co[c + 11];
            const di0 = co[c + 12], di1 = co[c + 13], di2 = co[c + 14], di3 = co[c + 15];
            const y0r = dr0 * p0r - di0 * p0i + dr1 * p1r - di1 * p1i, y0i = dr0 * p0i + di0 * p0r + dr1 * p1i + di1 * p1r;
            const y1r = dr2 * p0r - di2 * p0i + dr3 * p1r - di3 * p1i, y1i = dr2 * p0i + di2 * p0r + dr3 * p1i + di3 * p1r;
            acc[g] += l0r * y0r + l0i * y0i + l1r * y1r + l1i * y1i;
          }
          const ar = co[c], br = co[c + 1], cr = co[c + 2], dr = co[c + 3];
          const ai = co[c + 4], bi = co[c + 5], ci = co[c + 6], di = co[c + 7];
          const q0r = ar * p0r - ai * p0i + br * p1r - bi * p1i, q0i = ar * p0i + ai * p0r + br * p1i + bi * p1r;
          const q1r = cr * p0r - ci * p0i + dr * p1r - di * p1i, q1i = cr * p0i + ci * p0r + dr * p1i + di * p1r;
          const m0r = ar * l0r - ai * l0i + br * l1r - bi * l1i, m0i = ar * l0i + ai * l0r + br * l1i + bi * l1r;
          const m1r = cr * l0r - ci * l0i + dr * l1r - di * l1i, m1i = cr * l0i + ci * l0r + dr * l1i + di * l1r;
          p0r = q0r; p0i = q0i; p1r = q1r; p1i = q1i;
          l0r = m0r; l0i = m0i; l1r = m1r; l1i = m1i;
        }
      }
      pr[j] = p0r; pi[j] = p0i; pr[k] = p1r; pi[k] = p1i;
      lr[j] = l0r; li[j] = l0i; lr[k] = l1r; li[k] = l1i;
    }
  }
}

/**
 * Sweeps one group of one-qubit ops on `wire` over every row of ψ and λ (equal row counts) in one pass
 * per row; reports each wanted op's Re⟨λ_t|dM_t|ψ_{t−1}⟩ per row to `sink`.
 */
function sweepWireGroup(ops: readonly TermOp[], angles: readonly (HostAngle | undefined)[], psi: HostStates, lambda: HostStates,
  wire: number, ts: readonly number[], wanted: (t: number) => boolean, sink: SweepSink): void {
  const G = ts.length, mats = ts.map((t) => groupMats(ops[t], angles[t], ops[t].angle !== undefined && wanted(t)));
  const co = new Float64Array(16 * G), want = new Uint8Array(G), kind = new Uint8Array(G), acc = new Float64Array(G);
  mats.forEach((m, g) => { want[g] = m.wanted ? 1 : 0; kind[g] = m.kind; });
  const dim = 2 ** psi.nQubits, stride = 1 << wire, pr = psi.re, pi = psi.im, lr = lambda.re, li = lambda.im;
  for (let r = 0; r < psi.rows; r++) {
    for (let g = 0; g < G; g++) {
      const m = mats[g], p = (r % m.period) * 16;
      co.set(m.co.subarray(p, p + 16), 16 * g);
    }
    acc.fill(0);
    sweepPairs(pr, pi, lr, li, r * dim, (r + 1) * dim, stride, co, kind, want, G, acc);
    for (let g = 0; g < G; g++) if (want[g] === 1) sink(ts[g], r, acc[g]);
  }
}

/**
 * The adjoint sweep over the ops `order` lists (sweep order) on ψ and λ with equal row counts, fused
 * by planSweep: ψ and λ are updated in place as by the plain sweep (un-computed through those ops).
 * `tick` is called after every group (the parallel kernel's heartbeat).
 */
export function sweepFused(ops: readonly TermOp[], angles: readonly (HostAngle | undefined)[], psi: HostStates, lambda: HostStates,
  order: readonly number[], wanted: (t: number) => boolean, sink: SweepSink, tick: () => void = () => undefined): void {
  if (lambda.rows !== psi.rows) throw new Error(`sweepFused(lambda): expected ${psi.rows} rows (one per ψ row), got ${lambda.rows}`);
  for (const group of planSweep(ops, order, psi.nQubits)) {
    if (group.kind === 'wire') {
      sweepWireGroup(ops, angles, psi, lambda, group.wire, group.ts, wanted, sink);
    } else if (group.kind === 'permutation') {
      // The run's ops in circuit order (the sweep meets them last first), un-applied as one map.
      const map = composeBasisMap([...group.ts].reverse().map((t) => ops[t]), psi.nQubits);
      permuteRows(psi, map, true);
      permuteRows(lambda, map, true);
    } else {
      const t = group.ts[0], op = ops[t], angle = angles[t];
      hostApply(psi, op, angle, 'inverse');
      if (op.angle !== undefined && wanted(t)) hostInner(lambda, psi, op, angle, 'derivative').forEach((v, r) => sink(t, r, v));
      hostApply(lambda, op, angle, 'inverse');
    }
    tick();
  }
}
