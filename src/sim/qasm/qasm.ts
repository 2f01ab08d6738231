/**
 * OpenQASM export and import. `toQasm` writes OpenQASM 2.0 (qelib1.inc) or 3.0 (stdgates.inc);
 * `fromQasm` reads OpenQASM 2.0 and the gate-level OpenQASM 3.0 that `toQasm` writes. A round trip
 * preserves the circuit's action (up to global phase, and exactly in the angles).
 */
import { Circuit, Operation } from '../circuit';
import { Angle, ParamRef, isParamRef } from '../params';
import { decomposeUnitary } from './decompose';
import { BindValues, bindAngle, readBindValues } from '../bind';
import { QasmParameter, parseProgram } from './qasm-parser';
import type { QasmMeasurement, QasmRegister } from './qasm-program';
import type { QasmParseOptions } from './qasm-limits';

/** Options of `toQasm`. */
export interface ToQasmOptions {
  /** Values for `weight(j)` references (length numWeights); unbound weights need version 3. */
  weights?: BindValues;
  /** One row of data for `input(i)` references (length numInputs); unbound inputs need version 3. */
  inputs?: BindValues;
  /** OpenQASM version: 2 (default) or 3. */
  version?: 2 | 3;
  /** Append a classical register `c` and a measurement of every qubit (default false). */
  measure?: boolean;
}

/** What `parseQasm` returns: the circuit plus what OpenQASM carries around it. */
export interface QasmImport {
  circuit: Circuit;
  version: 2 | 3;
  /** Quantum registers in declaration order; qubit `offset + i` of the circuit is `name[i]`. */
  qregs: QasmRegister[];
  /** Classical registers in declaration order, flattened the same way. */
  cregs: QasmRegister[];
  /** Final measurements (qubit → classical bit); gates after a measurement are refused. */
  measurements: QasmMeasurement[];
  /** OpenQASM 3 `input` parameter names (w<j> became weight(j), x<i> became input(i)). */
  inputs: string[];
  /** What each OpenQASM 3 `input` became: w<j> → weight(j), x<i> or Qiskit's _x_<i>_ → input(i), any other name → the next free weight. */
  parameters: QasmParameter[];
}

/**
 * Parses OpenQASM 2.0 (or toQasm's OpenQASM 3.0) into a circuit plus registers and measurements.
 * `options.limits` bounds expression nesting and length, gate nesting and the expanded size (see QasmLimits).
 */
export function parseQasm(text: string, options: QasmParseOptions = {}): QasmImport {
  if (typeof text !== 'string') throw new Error(`fromQasm(text): expected a string of OpenQASM source, got ${typeof text}`);
  const p = parseProgram(text, options);
  const circuit = new Circuit(p.nQubits);
  for (const op of p.ops) circuit.append(op.name, op.wires, op.params, op.matrix);
  return { circuit, version: p.version, qregs: p.qregs, cregs: p.cregs, measurements: p.measurements, inputs: p.inputs, parameters: p.parameters };
}

/**
 * Reads OpenQASM 2.0 (qelib1 gates, user `gate` definitions, registers flattened in declaration order;
 * `barrier` ignored; final `measure` statements are dropped from the circuit, see `parseQasm`).
 * Errors say "line L, column C: expected …, found …".
 */
export function fromQasm(text: string, options: QasmParseOptions = {}): Circuit {
  return parseQasm(text, options).circuit;
}

const V2_NAMES: Partial<Record<Operation['name'], string>> = { phase: 'u1', cphase: 'cu1' };
const V3_NAMES: Partial<Record<Operation['name'], string>> = { phase: 'p', cphase: 'cp' };
/**
 * qkc gates that the original qelib1.inc lacks (strict readers such as qiskit.qasm2.loads refuse them):
 * OpenQASM 2 output defines the ones it uses, with the bodies of Qiskit's qelib1.inc (exact, up to a
 * global phase for the uncontrolled sx).
 */
const V2_DEFINITIONS: Partial<Record<Operation['name'], string>> = {
  sx: 'gate sx a { sdg a; h a; sdg a; }',
  swap: 'gate swap a, b { cx a, b; cx b, a; cx a, b; }',
  crx: 'gate crx(lambda) a, b { u1(pi/2) b; cx a, b; u3(-lambda/2, 0, 0) b; cx a, b; u3(lambda/2, -pi/2, 0) b; }',
  cry: 'gate cry(lambda) a, b { ry(lambda/2) b; cx a, b; ry(-lambda/2) b; cx a, b; }',
};

/**
 * Writes the circuit as OpenQASM. Weight/input references are bound to numbers when `weights` /
 * `inputs` are given; otherwise version 3 declares them as `input float[64] w<j>;` / `x<i>`, and
 * version 2 throws naming the unbound references. `unitary` ops are decomposed exactly (up to global
 * phase) into u3, phase, cx and ccx gates. Numbers keep full double precision (or are exact π fractions).
 */
export function toQasm(circuit: Circuit, options: ToQasmOptions = {}): string {
  if (!(circuit instanceof Circuit)) throw new Error('toQasm(circuit): expected a Circuit');
  const version = options.version ?? 2;
  if (version !== 2 && version !== 3) throw new Error(`toQasm(options.version): expected 2 or 3, got ${String(version)}`);
  const weights = readBindValues(options.weights, circuit.numWeights, 'toQasm(options.weights)');
  const inputs = readBindValues(options.inputs, circuit.numInputs, 'toQasm(options.inputs)', true);

  const unbound = new Map<string, ParamRef>();
  for (const op of circuit.ops) {
    for (const p of op.params) {
      if (isParamRef(p) && !(p.kind === 'weight' ? weights : inputs)) unbound.set(refName(p), p);
    }
  }
  const names = [...unbound.values()].sort((a, b) => (a.kind === b.kind ? a.index - b.index : a.kind === 'weight' ? -1 : 1)).map(refName);
  if (unbound.size && version === 2) {
    throw new Error(`toQasm: OpenQASM 2.0 cannot hold free parameters, but these references are unbound: ${names.join(', ')}; ` +
      `pass options.weights (${circuit.numWeights} values) / options.inputs (one row of ${circuit.numInputs}) or use version: 3`);
  }

  const angle = (unbound: Angle): string => {
    const a = bindAngle(unbound, weights, inputs);
    if (!isParamRef(a)) return formatQasmNumber(a);
    const name = refName(a);
    return a.scale === 1 ? name : a.scale === -1 ? `-${name}` : `${formatQasmNumber(a.scale)}*${name}`;
  };
  const rename = version === 2 ? V2_NAMES : V3_NAMES;
  const gateLine = (op: Operation): string => {
    const name = rename[op.name] ?? op.name;
    const params = op.params.length ? `(${op.params.map(angle).join(', ')})` : '';
    return `${name}${params} ${op.wires.map((w) => `q[${w}]`).join(', ')};`;
  };

  // Decomposed unitaries use only u3, phase, cx and ccx, which every qelib1.inc has.
  const used = new Set(circuit.ops.map((op) => op.name));
  const definitions = Object.entries(V2_DEFINITIONS).filter(([name]) => used.has(name as Operation['name'])).map(([, def]) => def as string);
  const lines = version === 2
    ? ['OPENQASM 2.0;', 'include "qelib1.inc";', ...definitions, `qreg q[${circuit.nQubits}];`, ...(options.measure ? [`creg c[${circuit.nQubits}];`] : [])]
    : ['OPENQASM 3.0;', 'include "stdgates.inc";', ...names.map((n) => `input float[64] ${n};`), `qubit[${circuit.nQubits}] q;`,
      ...(options.measure ? [`bit[${circuit.nQubits}] c;`] : [])];
  for (const op of circuit.ops) {
    if (op.name !== 'unitary') { lines.push(gateLine(op)); continue; }
    const parts = decomposeUnitary(op.matrix as NonNullable<Operation['matrix']>, op.wires);
    lines.push(`// unitary on ${op.wires.map((w) => `q[${w}]`).join(', ')}: ${parts.length} gate(s), exact up to global phase`);
    for (const part of parts) lines.push(gateLine(part));
  }
  if (options.measure) lines.push(version === 2 ? 'measure q -> c;' : 'c = measure q;');
  return lines.join('\n') + '\n';
}

/** The OpenQASM 3 input name of a reference: w<j> for weights, x<i> for data inputs. */
function refName(r: ParamRef): string {
  return `${r.kind === 'weight' ? 'w' : 'x'}${r.index}`;
}

/**
 * A number as OpenQASM text that parses back to the identical double: an exact π fraction such as
 * `3*pi/4` when `(3·π)/4` is bit-identical, else the shortest round-trip decimal (with a '.' before any
 * exponent, as OpenQASM 2's real literal requires).
 */
export function formatQasmNumber(v: number): string {
  if (v === 0) return '0';
  for (const d of [1, 2, 3, 4, 6, 8, 12, 16, 32, 64]) {
    const n = Math.round((v * d) / Math.PI);
    if (n === 0 || Math.abs(n) > 4 * d || (n * Math.PI) / d !== v) continue;
    if (d > 1 && gcd(Math.abs(n), d) !== 1) continue;
    const num = n === 1 ? 'pi' : n === -1 ? '-pi' : `${n}*pi`;
    return d === 1 ? num : `${num}/${d}`;
  }
  const s = String(v);
  return /e/.test(s) && !/\./.test(s) ? s.replace('e', '.0e') : s;
}

function gcd(a: number, b: number): number { return b === 0 ? a : gcd(b, a % b); }
