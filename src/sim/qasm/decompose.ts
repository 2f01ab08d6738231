/**
 * Exact decompositions into the built-in gate set, used by QASM export (for `unitary` ops) and import
 * (for qelib1 gates we do not have natively, such as cu3 or c3x):
 * - a 2×2 unitary as e^{iα}·U3(θ, φ, λ);
 * - a multi-controlled 2×2 unitary as u3/phase/cx/ccx (exact, relative phases included);
 * - an n-qubit unitary as two-level (Givens) rotations between Gray-code neighbours, each a fully
 *   controlled one-qubit gate. Gate count grows like 4^n, fine for the few-qubit blocks qkc uses.
 */
import type { Operation } from '../circuit';
import type { CMatrix } from '../gates';

type C = [number, number];
const mul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const add = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];
const conj = (a: C): C => [a[0], -a[1]];
const abs = (a: C): number => Math.hypot(a[0], a[1]);
const arg = (a: C): number => Math.atan2(a[1], a[0]);
const csqrt = (a: C): C => {
  const r = Math.sqrt(abs(a)), t = arg(a) / 2;
  return [r * Math.cos(t), r * Math.sin(t)];
};
const at = (m: CMatrix, i: number, j: number): C => [m.re[i][j], m.im[i][j]];
const m2 = (a: C, b: C, c: C, d: C): CMatrix => ({ re: [[a[0], b[0]], [c[0], d[0]]], im: [[a[1], b[1]], [c[1], d[1]]] });
/** Wraps an angle to (-π, π]. */
const wrap = (x: number): number => {
  const y = x - 2 * Math.PI * Math.round(x / (2 * Math.PI));
  return y <= -Math.PI ? y + 2 * Math.PI : y;
};

/** Angles and global phase of a one-qubit unitary: U = e^{i·phase}·U3(theta, phi, lam). */
export interface U3Angles { theta: number; phi: number; lam: number; phase: number }

/** Writes a 2×2 unitary as e^{iα}·U3(θ, φ, λ), with θ ∈ [0, π] and φ, λ ∈ (-π, π]. */
export function u3Angles(u: CMatrix): U3Angles {
  const det: C = [
    mul(at(u, 0, 0), at(u, 1, 1))[0] - mul(at(u, 0, 1), at(u, 1, 0))[0],
    mul(at(u, 0, 0), at(u, 1, 1))[1] - mul(at(u, 0, 1), at(u, 1, 0))[1],
  ];
  // V = e^{-iα}U is in SU(2): V = [[a, -b*], [b, a*]] = e^{i·arg a}·U3(θ, φ, λ) with
  // θ = 2·atan2(|b|, |a|), φ = arg b − arg a, λ = −arg a − arg b. No angle is halved, so no branch issue.
  const alpha = arg(det) / 2;
  const e: C = [Math.cos(-alpha), Math.sin(-alpha)];
  const a = mul(e, at(u, 0, 0)), b = mul(e, at(u, 1, 0));
  const argA = abs(a) > 1e-15 ? arg(a) : 0, argB = abs(b) > 1e-15 ? arg(b) : 0;
  const theta = 2 * Math.atan2(abs(b), abs(a));
  const phi = wrap(argB - argA), lam = wrap(-argA - argB);
  // Wrapping φ, λ by 2π leaves U3 unchanged, so the phase is α + arg a regardless.
  return { theta, phi, lam, phase: wrap(alpha + argA) };
}

/** A square root V of a 2×2 unitary W (V·V = W, V unitary). */
export function sqrtUnitary2(w: CMatrix): CMatrix {
  const a = at(w, 0, 0), b = at(w, 0, 1), c = at(w, 1, 0), d = at(w, 1, 1);
  const det: C = [mul(a, d)[0] - mul(b, c)[0], mul(a, d)[1] - mul(b, c)[1]];
  // For a 2×2 matrix, √W = (W + s·I)/t with s = ±√det and t = √(tr W + 2s); pick the sign keeping t away from 0.
  let s = csqrt(det);
  const tr: C = [a[0] + d[0], a[1] + d[1]];
  if (abs([tr[0] - 2 * s[0], tr[1] - 2 * s[1]]) > abs([tr[0] + 2 * s[0], tr[1] + 2 * s[1]])) s = [-s[0], -s[1]];
  const t = csqrt([tr[0] + 2 * s[0], tr[1] + 2 * s[1]]);
  const n = t[0] * t[0] + t[1] * t[1];
  const inv: C = [t[0] / n, -t[1] / n];
  return m2(mul([a[0] + s[0], a[1] + s[1]], inv), mul(b, inv), mul(c, inv), mul([d[0] + s[0], d[1] + s[1]], inv));
}

/** The conjugate transpose of a 2×2 matrix. */
export function dagger2(u: CMatrix): CMatrix {
  return m2(conj(at(u, 0, 0)), conj(at(u, 1, 0)), conj(at(u, 0, 1)), conj(at(u, 1, 1)));
}

const op = (name: Operation['name'], wires: number[], params: number[] = []): Operation => ({ name, wires, params });
const isX = (u: CMatrix, tol = 1e-12): boolean =>
  Math.abs(u.re[0][1] - 1) < tol && Math.abs(u.re[1][0] - 1) < tol &&
  Math.abs(u.re[0][0]) + Math.abs(u.re[1][1]) + Math.abs(u.im[0][0]) + Math.abs(u.im[0][1]) + Math.abs(u.im[1][0]) + Math.abs(u.im[1][1]) < tol;

/** Ops for X on `target` controlled by all of `controls` (cx, ccx, or the general construction). */
export function multiControlledX(controls: readonly number[], target: number): Operation[] {
  if (controls.length === 1) return [op('cx', [controls[0], target])];
  if (controls.length === 2) return [op('ccx', [controls[0], controls[1], target])];
  return controlledOps(m2([0, 0], [1, 0], [1, 0], [0, 0]), controls, target);
}

/**
 * Ops applying the 2×2 unitary `w` to `target` when every qubit in `controls` is 1. Exact, relative
 * phases included; with no controls it is a single u3 and the global phase is dropped.
 */
export function controlledOps(w: CMatrix, controls: readonly number[], target: number): Operation[] {
  const k = controls.length;
  const { theta, phi, lam, phase } = u3Angles(w);
  if (k === 0) return [op('u3', [target], [theta, phi, lam])];
  if (k === 1) {
    const c = controls[0];
    if (isX(w)) return [op('cx', [c, target])];
    if (Math.abs(theta) < 1e-15) {
      // Diagonal W = diag(e^{ia}, e^{ib}): a phase on the control and a controlled phase (b − a).
      const pa = arg(at(w, 0, 0)), pb = arg(at(w, 1, 1));
      return [op('phase', [c], [pa]), op('cphase', [c, target], [wrap(pb - pa)])];
    }
    // W = e^{iα}·A·X·B·X·C with A·B·C = I (Nielsen & Chuang, cor. 4.2 / fig. 4.6), phases folded into u3.
    return [
      op('phase', [c], [wrap(phase + (lam + phi) / 2)]),
      op('phase', [target], [wrap((lam - phi) / 2)]),
      op('cx', [c, target]),
      op('u3', [target], [-theta / 2, 0, wrap(-(phi + lam) / 2)]),
      op('cx', [c, target]),
      op('u3', [target], [theta / 2, phi, 0]),
    ];
  }
  if (k === 2 && isX(w)) return [op('ccx', [controls[0], controls[1], target])];
  // Barenco et al. lemma 7.5: C^k(W) = C(V)[c_k] · C^{k-1}X[→c_k] · C(V†)[c_k] · C^{k-1}X[→c_k] · C^{k-1}(V), V² = W.
  const v = sqrtUnitary2(w);
  const head = controls.slice(0, -1), last = controls[k - 1];
  return [
    ...controlledOps(v, [last], target),
    ...multiControlledX(head, last),
    ...controlledOps(dagger2(v), [last], target),
    ...multiControlledX(head, last),
    ...controlledOps(v, head, target),
  ];
}

/** Removes pairs of x gates on the same wire with nothing between them on that wire. */
function cancelXPairs(ops: Operation[]): Operation[] {
  const out: (Operation | null)[] = [];
  const stacks = new Map<number, number[]>();
  for (const o of ops) {
    if (o.name === 'x') {
      const st = stacks.get(o.wires[0]);
      const top = st?.[st.length - 1];
      if (st && top !== undefined && out[top]?.name === 'x') { out[top] = null; st.pop(); continue; }
    }
    out.push(o);
    for (const w of o.wires) {
      const st = stacks.get(w);
      if (st) st.push(out.length - 1); else stacks.set(w, [out.length - 1]);
    }
  }
  return out.filter((o): o is Operation => o !== null);
}

/**
 * Ops equal to the unitary `u` on `wires` (first wire least significant) up to a global phase.
 * Throws if `u` is not unitary enough for the elimination to close (residual > 1e-6).
 */
export function decomposeUnitary(u: CMatrix, wires: readonly number[]): Operation[] {
  const n = wires.length, dim = 1 << n;
  if (u.re.length !== dim) throw new Error(`decomposeUnitary(u): expected ${dim}×${dim} for ${n} wire(s), got ${u.re.length} rows`);
  if (n === 1) return controlledOps(u, [], wires[0]);
  const re = u.re.map((r) => [...r]), im = u.im.map((r) => [...r]);
  const gray = Array.from({ length: dim }, (_, i) => i ^ (i >> 1));
  const steps: { a: number; b: number; g: CMatrix }[] = [];
  const rotate = (a: number, b: number, g: CMatrix) => {
    for (let c = 0; c < dim; c++) {
      const x: C = [re[a][c], im[a][c]], y: C = [re[b][c], im[b][c]];
      const nx = add(mul(at(g, 0, 0), x), mul(at(g, 0, 1), y)), ny = add(mul(at(g, 1, 0), x), mul(at(g, 1, 1), y));
      [re[a][c], im[a][c], re[b][c], im[b][c]] = [nx[0], nx[1], ny[0], ny[1]];
    }
    steps.push({ a, b, g });
  };
  // Zero each column below its diagonal (in Gray order) with rotations on rows that differ in one bit.
  for (let j = 0; j < dim - 1; j++) {
    const col = gray[j];
    for (let i = dim - 1; i > j; i--) {
      const a = gray[i - 1], b = gray[i];
      const x: C = [re[a][col], im[a][col]], y: C = [re[b][col], im[b][col]];
      // The last rotation of a column also makes its diagonal entry exactly 1 (not just |·| = 1).
      if (abs(y) < 1e-15 && (i > j + 1 || abs([x[0] - 1, x[1]]) < 1e-15)) continue;
      const r = Math.hypot(abs(x), abs(y));
      rotate(a, b, m2([x[0] / r, -x[1] / r], [y[0] / r, -y[1] / r], [-y[0] / r, -y[1] / r], [x[0] / r, x[1] / r]));
    }
  }
  const lastA = gray[dim - 2], lastB = gray[dim - 1];
  const d: C = [re[lastB][lastB], im[lastB][lastB]];
  if (abs([d[0] - 1, d[1]]) > 1e-15) rotate(lastA, lastB, m2([1, 0], [0, 0], [0, 0], conj(d)));
  let residual = 0;
  for (let i = 0; i < dim; i++) for (let c = 0; c < dim; c++) residual = Math.max(residual, Math.hypot(re[i][c] - (i === c ? 1 : 0), im[i][c]));
  if (residual > 1e-6) throw new Error(`decomposeUnitary(u): expected a unitary matrix; elimination left a residual of ${residual.toExponential(2)}`);
  // steps: T_m···T_1·U = I, so U = T_1†···T_m†; the circuit applies T_m† first.
  const ops: Operation[] = [];
  for (const { a, b, g } of steps.reverse()) ops.push(...twoLevel(a, b, dagger2(g), wires));
  return cancelXPairs(ops);
}


/** Ops for the two-level unitary `h` acting on local basis states a, b (which differ in one bit). */
function twoLevel(a: number, b: number, h: CMatrix, wires: readonly number[]): Operation[] {
  const q = Math.log2(a ^ b);
  // h is written in the (a, b) order; the gate acts on (bit q = 0, bit q = 1).
  const m = (a >> q) & 1 ? m2(at(h, 1, 1), at(h, 1, 0), at(h, 0, 1), at(h, 0, 0)) : h;
  const controls: number[] = [], flips: Operation[] = [];
  wires.forEach((w, bit) => {
    if (bit === q) return;
    controls.push(w);
    if (!((a >> bit) & 1)) flips.push(op('x', [w]));
  });
  return [...flips, ...controlledOps(m, controls, wires[q]), ...flips];
}
