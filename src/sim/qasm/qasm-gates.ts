/**
 * The gate library an OpenQASM importer knows without a `gate` definition: the qelib1.inc (OpenQASM 2)
 * and stdgates.inc (OpenQASM 3) gates, each lowered to qkc's gate set. Gates qkc lacks are rewritten
 * with exact identities or the exact multi-controlled construction in decompose.ts. Global phase is
 * dropped only for uncontrolled gates (it is unobservable there).
 */
import type { Operation } from '../circuit';
import { CMatrix, GateName, gateMatrix } from '../gates';
import { Angle, formatAngle, isParamRef } from '../params';
import { controlledOps, multiControlledX } from './decompose';

/** A library gate: its parameter and qubit counts and how it becomes qkc operations. */
export interface LibraryGate {
  nParams: number;
  nQubits: number;
  /** The qkc operations for angles `p` on qubits `q` (throws a plain Error if it needs numeric angles). */
  lower(p: readonly Angle[], q: readonly number[]): Operation[];
}

const op = (name: GateName, wires: readonly number[], params: readonly Angle[] = []): Operation => ({ name, wires: [...wires], params: [...params] });
const HALF_PI = Math.PI / 2;

/** The gate maps straight onto the qkc gate `name` (same argument order). */
const native = (name: GateName, nParams: number, nQubits: number): LibraryGate =>
  ({ nParams, nQubits, lower: (p, q) => [op(name, q, p)] });

/** The gate is a fixed sequence built from its angles and qubits. */
const seq = (nParams: number, nQubits: number, f: (p: readonly Angle[], q: readonly number[]) => Operation[]): LibraryGate =>
  ({ nParams, nQubits, lower: f });

/** The gate is `matrix(angles)` on its last qubit controlled by all the others (needs numeric angles). */
const controlled = (gateName: string, nParams: number, nQubits: number, matrix: (p: number[]) => CMatrix): LibraryGate => ({
  nParams, nQubits,
  lower: (p, q) => {
    const bad = p.find(isParamRef);
    if (bad !== undefined) throw new Error(`expected numeric angles for '${gateName}' (it is decomposed numerically), found ${formatAngle(bad)}`);
    return controlledOps(matrix(p as number[]), q.slice(0, -1), q[q.length - 1]);
  },
});

const neg = (a: Angle): Angle => (isParamRef(a) ? { ...a, scale: -a.scale } : -a);
/** exp(-iθ/2·Z⊗Z) on (a, b). */
const zz = (t: Angle, a: number, b: number): Operation[] => [op('cx', [a, b]), op('rz', [b], [t]), op('cx', [a, b])];
const withPhase = (m: CMatrix, g: number): CMatrix => {
  const c = Math.cos(g), s = Math.sin(g);
  return { re: m.re.map((r, i) => r.map((v, j) => c * v - s * m.im[i][j])), im: m.re.map((r, i) => r.map((v, j) => s * v + c * m.im[i][j])) };
};
const mcx = (q: readonly number[]) => multiControlledX(q.slice(0, -1), q[q.length - 1]);

/** The library, by OpenQASM gate name. */
export const QASM_GATES: Readonly<Record<string, LibraryGate>> = {
  // Primitives and one-qubit gates.
  U: native('u3', 3, 1), u3: native('u3', 3, 1), u: native('u3', 3, 1),
  u2: seq(2, 1, (p, q) => [op('u3', q, [HALF_PI, p[0], p[1]])]),
  u1: native('phase', 1, 1), p: native('phase', 1, 1), phase: native('phase', 1, 1),
  id: seq(0, 1, () => []), u0: seq(1, 1, () => []), gphase: seq(1, 0, () => []),
  x: native('x', 0, 1), y: native('y', 0, 1), z: native('z', 0, 1), h: native('h', 0, 1),
  s: native('s', 0, 1), sdg: native('sdg', 0, 1), t: native('t', 0, 1), tdg: native('tdg', 0, 1),
  sx: native('sx', 0, 1), sxdg: seq(0, 1, (_, q) => [op('rx', q, [-HALF_PI])]), // sx† up to global phase
  rx: native('rx', 1, 1), ry: native('ry', 1, 1), rz: native('rz', 1, 1),
  // Two-qubit gates.
  CX: native('cx', 0, 2), cx: native('cx', 0, 2), cnot: native('cx', 0, 2),
  cz: native('cz', 0, 2), swap: native('swap', 0, 2),
  crx: native('crx', 1, 2), cry: native('cry', 1, 2), crz: native('crz', 1, 2),
  cu1: native('cphase', 1, 2), cp: native('cphase', 1, 2), cphase: native('cphase', 1, 2),
  cy: seq(0, 2, (_, q) => [op('sdg', [q[1]]), op('cx', q), op('s', [q[1]])]), // Y = S·X·S†
  ch: controlled('ch', 0, 2, () => gateMatrix('h', [])),
  csx: controlled('csx', 0, 2, () => gateMatrix('sx', [])),
  cu3: controlled('cu3', 3, 2, (p) => gateMatrix('u3', p)),
  cu: controlled('cu', 4, 2, (p) => withPhase(gateMatrix('u3', p.slice(0, 3)), p[3])),
  rzz: seq(1, 2, (p, q) => zz(p[0], q[0], q[1])),
  rxx: seq(1, 2, (p, q) => [op('h', [q[0]]), op('h', [q[1]]), ...zz(p[0], q[0], q[1]), op('h', [q[0]]), op('h', [q[1]])]),
  // RX(π/2)†·Z·RX(π/2) = Y, so exp(-iθ/2·YY) is ZZ conjugated by RX(π/2) on both qubits.
  ryy: seq(1, 2, (p, q) => [
    op('rx', [q[0]], [HALF_PI]), op('rx', [q[1]], [HALF_PI]), ...zz(p[0], q[0], q[1]),
    op('rx', [q[0]], [neg(HALF_PI)]), op('rx', [q[1]], [neg(HALF_PI)]),
  ]),
  // Three and more qubits.
  ccx: native('ccx', 0, 3), toffoli: native('ccx', 0, 3),
  cswap: seq(0, 3, (_, q) => [op('cx', [q[2], q[1]]), op('ccx', q), op('cx', [q[2], q[1]])]),
  c3x: seq(0, 4, (_, q) => mcx(q)), cccx: seq(0, 4, (_, q) => mcx(q)),
  c4x: seq(0, 5, (_, q) => mcx(q)), ccccx: seq(0, 5, (_, q) => mcx(q)),
  // c3sqrtx is C³(√X) and c4x is C⁴(X), as Qiskit's loader and exporter read them. The gate bodies
  // in Qiskit's qelib1.inc text differ (c3sqrtx there is C³(√X†), c4x adds relative phases: Qiskit
  // issues #7209 and #5265); we follow the gates' names and Qiskit's own round trip.
  c3sqrtx: controlled('c3sqrtx', 0, 4, () => gateMatrix('sx', [])),
  cccsqrtx: controlled('cccsqrtx', 0, 4, () => gateMatrix('sx', [])),
  // Relative-phase Toffolis: exactly the gate bodies of qelib1.inc (u2(0,π) = H, u1(±π/4) = T/T†), which
  // are also Qiskit's RCCXGate / RC3XGate definitions.
  rccx: seq(0, 3, (_, [a, b, c]) => [
    op('h', [c]), op('t', [c]), op('cx', [b, c]), op('tdg', [c]), op('cx', [a, c]), op('t', [c]), op('cx', [b, c]), op('tdg', [c]), op('h', [c]),
  ]),
  rc3x: seq(0, 4, (_, q) => rc3x(q)), rcccx: seq(0, 4, (_, q) => rc3x(q)),
};

/** qelib1.inc's rc3x a, b, c, d (Qiskit's RC3XGate definition). */
function rc3x([a, b, c, d]: readonly number[]): Operation[] {
  const t = (w: number) => op('t', [w]), tdg = (w: number) => op('tdg', [w]), h = (w: number) => op('h', [w]), cx = (x: number, y: number) => op('cx', [x, y]);
  return [h(d), t(d), cx(c, d), tdg(d), h(d), cx(a, d), t(d), cx(b, d), tdg(d), cx(a, d), t(d), cx(b, d), tdg(d), h(d), t(d), cx(c, d), tdg(d), h(d)];
}

/**
 * The gates each standard include file defines, which a program may not redefine (as in Qiskit's loaders):
 * for qelib1.inc the 23 gates of the OpenQASM 2 paper's file (Qiskit lets programs define its later
 * additions such as sx, swap or crx, and its exporter writes such definitions), for stdgates.inc all of it.
 */
export const INCLUDE_GATES: Readonly<Record<string, readonly string[]>> = {
  'qelib1.inc': ['u3', 'u2', 'u1', 'cx', 'id', 'x', 'y', 'z', 'h', 's', 'sdg', 't', 'tdg', 'rx', 'ry', 'rz', 'cz', 'cy', 'ch',
    'ccx', 'crz', 'cu1', 'cu3'],
  'stdgates.inc': ['p', 'x', 'y', 'z', 'h', 's', 'sdg', 't', 'tdg', 'sx', 'rx', 'ry', 'rz', 'cx', 'cy', 'cz', 'cp', 'crx', 'cry',
    'crz', 'ch', 'swap', 'ccx', 'cswap', 'cu', 'CX', 'phase', 'cphase', 'id', 'u1', 'u2', 'u3'],
};
