/**
 * `Circuit`: a list of operations on n qubits. A circuit is data: simulation, drawing, QASM, cost
 * accounting and gradients all read the same list and none of them mutates it.
 *
 * Gate methods follow Qiskit's argument order (angles first, then qubits; control before target) and
 * its little-endian convention: qubit 0 is the least significant bit of a basis-state index.
 */
import { Angle, isParamRef, formatAngle } from './params';
import { CMatrix, GATES, GateName, checkUnitary } from './gates';
import { expectedError, show } from '../util/validate';
import { badArgument } from '../util/errors';

/** One gate application. `params` are the gate's angles; `matrix` is set for 'unitary' only. */
export interface Operation {
  readonly name: GateName;
  readonly wires: readonly number[];
  readonly params: readonly Angle[];
  readonly matrix?: CMatrix;
}

/** A JSON form of a circuit (for layer configs and files). */
export interface CircuitJSON {
  nQubits: number;
  ops: { name: GateName; wires: number[]; params: Angle[]; matrix?: CMatrix }[];
}

/** Largest register the simulator accepts (a 2^26 state of float32 re+im is 512 MiB). */
export const MAX_QUBITS = 26;

/** A quantum circuit on `nQubits` qubits, built with chainable gate methods. */
export class Circuit {
  /** The operations, in order. */
  private readonly _ops: Operation[] = [];

  /** Creates an empty circuit on `nQubits` qubits (1 … MAX_QUBITS). */
  constructor(readonly nQubits: number) {
    if (!Number.isInteger(nQubits) || nQubits < 1 || nQubits > MAX_QUBITS) {
      throw expectedError('Circuit(nQubits)', `an integer from 1 to ${MAX_QUBITS}`, show(nQubits, 'number'));
    }
  }

  /** The operations, in order (read-only view). */
  get ops(): readonly Operation[] { return this._ops; }

  /** Number of data columns the circuit reads: 1 + the largest `input(i)` index (0 if none). */
  get numInputs(): number { return this.countRefs('input'); }

  /** Number of trainable weights: 1 + the largest `weight(j)` index (0 if none). */
  get numWeights(): number { return this.countRefs('weight'); }

  private countRefs(kind: 'input' | 'weight'): number {
    let n = 0;
    for (const op of this._ops) for (const p of op.params) if (isParamRef(p) && p.kind === kind) n = Math.max(n, p.index + 1);
    return n;
  }

  /** Appends an operation after checking wires and angles; returns `this` for chaining. */
  append(name: GateName, wires: readonly number[], params: readonly Angle[] = [], matrix?: CMatrix): this {
    const spec = GATES[name];
    if (!spec) throw expectedError('gate name', `one of ${Object.keys(GATES).join(', ')}`, show(name, 'string'));
    const arity = name === 'unitary' ? checkUnitary(matrix as CMatrix, 'unitary(matrix)') : spec.arity;
    if (!Array.isArray(wires)) throw expectedError(`${name}(wires)`, 'an array of qubit indices', show(wires));
    if (wires.length !== arity) throw expectedError(`${name}(wires)`, `${arity} qubit(s)`, `${wires.length}`);
    wires.forEach((q, i) => {
      if (!Number.isInteger(q) || q < 0 || q >= this.nQubits) {
        throw expectedError(`${name}(qubit ${i + 1})`, `an integer qubit index in [0, ${this.nQubits - 1}]`, show(q, 'number'));
      }
    });
    if (new Set(wires).size !== wires.length) throw expectedError(`${name}(qubits)`, 'distinct qubits', `[${wires.join(', ')}]`);
    if (!Array.isArray(params)) throw expectedError(`${name}(angles)`, 'an array of angles', show(params));
    if (params.length !== spec.nParams) throw expectedError(`${name}(angles)`, `${spec.nParams} angle(s)`, `${params.length}`);
    params.forEach((p, i) => {
      if (isParamRef(p)) return;
      if (typeof p !== 'number' || !Number.isFinite(p)) {
        throw expectedError(`${name}(angle ${i + 1})`, 'a finite number, input(i) or weight(j)', show(p, 'number'));
      }
    });
    this._ops.push({ name, wires: [...wires], params: [...params], ...(matrix ? { matrix } : {}) });
    return this;
  }

  /** Hadamard. */ h(q: number): this { return this.append('h', [q]); }
  /** Pauli X. */ x(q: number): this { return this.append('x', [q]); }
  /** Pauli Y. */ y(q: number): this { return this.append('y', [q]); }
  /** Pauli Z. */ z(q: number): this { return this.append('z', [q]); }
  /** S = √Z. */ s(q: number): this { return this.append('s', [q]); }
  /** S†. */ sdg(q: number): this { return this.append('sdg', [q]); }
  /** T = ⁴√Z. */ t(q: number): this { return this.append('t', [q]); }
  /** T†. */ tdg(q: number): this { return this.append('tdg', [q]); }
  /** √X. */ sx(q: number): this { return this.append('sx', [q]); }
  /** RX(θ) = exp(-iθX/2). */ rx(theta: Angle, q: number): this { return this.append('rx', [q], [theta]); }
  /** RY(θ) = exp(-iθY/2). */ ry(theta: Angle, q: number): this { return this.append('ry', [q], [theta]); }
  /** RZ(θ) = exp(-iθZ/2). */ rz(theta: Angle, q: number): this { return this.append('rz', [q], [theta]); }
  /** Phase(λ) = diag(1, e^{iλ}). */ phase(lambda: Angle, q: number): this { return this.append('phase', [q], [lambda]); }
  /** Qiskit's U(θ, φ, λ). */
  u3(theta: Angle, phi: Angle, lam: Angle, q: number): this { return this.append('u3', [q], [theta, phi, lam]); }
  /** CNOT with control `c` and target `t`. */ cx(c: number, t: number): this { return this.append('cx', [c, t]); }
  /** Alias of `cx`. */ cnot(c: number, t: number): this { return this.cx(c, t); }
  /** Controlled Z. */ cz(c: number, t: number): this { return this.append('cz', [c, t]); }
  /** SWAP. */ swap(a: number, b: number): this { return this.append('swap', [a, b]); }
  /** Controlled RX. */ crx(theta: Angle, c: number, t: number): this { return this.append('crx', [c, t], [theta]); }
  /** Controlled RY. */ cry(theta: Angle, c: number, t: number): this { return this.append('cry', [c, t], [theta]); }
  /** Controlled RZ. */ crz(theta: Angle, c: number, t: number): this { return this.append('crz', [c, t], [theta]); }
  /** Controlled phase. */ cphase(lambda: Angle, c: number, t: number): this { return this.append('cphase', [c, t], [lambda]); }
  /** Toffoli. */ ccx(c1: number, c2: number, t: number): this { return this.append('ccx', [c1, c2, t]); }
  /**
   * An arbitrary unitary on `wires` (first wire least significant, as in Qiskit). `matrix` is a real
   * matrix (number[][]) or `{ re, im }`.
   */
  unitary(matrix: number[][] | CMatrix, wires: readonly number[]): this {
    const rowsOk = (rows: unknown) => Array.isArray(rows) && rows.every((r) => Array.isArray(r));
    const given = matrix as unknown as { re?: unknown; im?: unknown };
    if (!(rowsOk(matrix) || (given !== null && typeof given === 'object' && rowsOk(given.re) && rowsOk(given.im)))) {
      throw expectedError('unitary(matrix)', 'a square matrix (number[][]) or { re, im } of them', show(matrix));
    }
    if (!Array.isArray(wires)) throw expectedError('unitary(wires)', 'an array of qubit indices', show(wires));
    const m: CMatrix = Array.isArray(matrix) ? { re: matrix, im: matrix.map((r) => r.map(() => 0)) } : matrix;
    return this.append('unitary', wires, [], { re: m.re.map((r) => [...r]), im: m.im.map((r) => [...r]) });
  }

  /** Appends all of `other`'s operations, with its qubit i placed on `wireMap[i]` (identity by default). */
  compose(other: Circuit, wireMap?: readonly number[]): this {
    const map = wireMap ?? Array.from({ length: other.nQubits }, (_, i) => i);
    if (map.length !== other.nQubits) throw badArgument(`compose(wireMap): expected ${other.nQubits} entries, got ${map.length}`);
    for (const op of other.ops) this.append(op.name, op.wires.map((w) => map[w]), op.params, op.matrix);
    return this;
  }

  /** A copy of this circuit. */
  clone(): Circuit { return new Circuit(this.nQubits).compose(this); }

  /** Circuit depth: the longest chain of operations that share a wire. */
  depth(): number {
    const level = new Array<number>(this.nQubits).fill(0);
    for (const op of this._ops) {
      const d = Math.max(...op.wires.map((w) => level[w])) + 1;
      for (const w of op.wires) level[w] = d;
    }
    return Math.max(0, ...level);
  }

  /** Number of operations of each gate name. */
  gateCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const op of this._ops) counts[op.name] = (counts[op.name] ?? 0) + 1;
    return counts;
  }

  /** The JSON form (angles stay symbolic). */
  toJSON(): CircuitJSON {
    return {
      nQubits: this.nQubits,
      ops: this._ops.map((op) => ({
        name: op.name, wires: [...op.wires], params: [...op.params], ...(op.matrix ? { matrix: op.matrix } : {}),
      })),
    };
  }

  /** Rebuilds a circuit from its JSON form, re-validating every operation. */
  static fromJSON(json: CircuitJSON): Circuit {
    if (!json || typeof json.nQubits !== 'number' || !Array.isArray(json.ops)) {
      throw badArgument('Circuit.fromJSON(json): expected { nQubits: number, ops: [...] }');
    }
    const c = new Circuit(json.nQubits);
    for (const op of json.ops) c.append(op.name, op.wires, op.params, op.matrix);
    return c;
  }

  /** A one-line-per-operation listing, e.g. "ry(π·x0) q0". */
  toString(): string {
    return this._ops
      .map((op) => `${op.name}${op.params.length ? `(${op.params.map((p) => formatAngle(p)).join(', ')})` : ''} ${op.wires.map((w) => `q${w}`).join(',')}`)
      .join('\n');
  }
}
