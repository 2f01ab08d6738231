/**
 * The program an OpenQASM parse builds: registers, gate definitions, the flat operation list and the
 * measurements. Calls are checked against their gate's signature, broadcast over whole registers and
 * expanded through `gate` definitions down to library gates (lowered by qasm-gates.ts), within the
 * limits. qasm-parser.ts reads the statements and hands them here.
 */
import type { Operation } from '../circuit';
import { MAX_QUBITS } from '../circuit';
import { QasmError, QasmLimitError, Token } from './qasm-lexer';
import { Expr, Linear, evalExpr, exprStart, linearToAngle } from './qasm-expr';
import { QASM_GATES } from './qasm-gates';
import type { QasmLimits } from './qasm-limits';

/** A declared register: its name, size and the flat index of its element 0. */
export interface QasmRegister { name: string; size: number; offset: number }
/** A `measure` statement, after flattening: qubit → classical bit. */
export interface QasmMeasurement { qubit: number; clbit: number; line: number }

/** A qubit argument: a register name, indexed or whole. */
export interface Arg { name: Token; index?: { value: number; tok: Token } }
/** A gate call as read: name, parameter expressions, qubit arguments. */
export interface Call { name: Token; params: Expr[]; args: Arg[] }
/** A `gate` definition; `depth` is how deeply its expansion nests, `cost` how many operations one call makes. */
export interface GateDef { name: Token; params: string[]; qargs: string[]; body: Call[]; opaque: boolean; depth: number; cost: number }

/** Registers, gates, operations and measurements of the program being read (see the file comment). */
export class ProgramBuilder {
  readonly qregs = new Map<string, QasmRegister>();
  readonly cregs = new Map<string, QasmRegister>();
  readonly gates = new Map<string, GateDef>();
  readonly ops: Operation[] = [];
  readonly measurements: QasmMeasurement[] = [];
  private readonly measured = new Set<number>();
  private readonly libCosts = new Map<string, number>();
  nQubits = 0;
  private nClbits = 0;

  constructor(readonly limits: QasmLimits) {}

  /** Declares a quantum or classical register of `size` (a new name; qubits within MAX_QUBITS in total). */
  declare(kind: 'qreg' | 'creg', name: Token, size: number, sizeTok: Token): void {
    if (size < 1) throw new QasmError(sizeTok.line, sizeTok.col, `expected a register size of at least 1, found ${size}`);
    const known = this.qregs.get(name.text) ?? this.cregs.get(name.text) ?? (this.gates.has(name.text) ? 1 : undefined);
    if (known) throw new QasmError(name.line, name.col, `expected a new name, found '${name.text}' which is already declared`);
    if (kind === 'qreg') {
      if (this.nQubits + size > MAX_QUBITS) {
        throw new QasmError(sizeTok.line, sizeTok.col, `expected at most ${MAX_QUBITS} qubits in total, found register '${name.text}' bringing the total to ${this.nQubits + size}`);
      }
      this.qregs.set(name.text, { name: name.text, size, offset: this.nQubits });
      this.nQubits += size;
    } else {
      this.cregs.set(name.text, { name: name.text, size, offset: this.nClbits });
      this.nClbits += size;
    }
  }

  /** Checks the callee exists and the parameter and qubit counts match; returns those counts. */
  signature(c: Call): { nParams: number; nQubits: number } {
    const n = c.name;
    const def = this.gates.get(n.text);
    const lib = QASM_GATES[n.text];
    if (!def && !lib) {
      throw new QasmError(n.line, n.col, `expected a qelib1 gate or one defined with 'gate', found unknown gate '${n.text}'`);
    }
    const nParams = def ? def.params.length : lib.nParams, nQubits = def ? def.qargs.length : lib.nQubits;
    if (c.params.length !== nParams) {
      throw new QasmError(n.line, n.col, `expected ${nParams} parameter(s) for '${n.text}', found ${c.params.length}`);
    }
    if (c.args.length !== nQubits) {
      throw new QasmError(n.line, n.col, `expected ${nQubits} qubit argument(s) for '${n.text}', found ${c.args.length}`);
    }
    return { nParams, nQubits };
  }

  /** How many qkc operations one call of library gate `name` lowers to (generic angles; cached). */
  libCost(name: string): number {
    let n = this.libCosts.get(name);
    if (n === undefined) {
      const g = QASM_GATES[name];
      n = g ? g.lower(Array(g.nParams).fill(0.3), Array.from({ length: g.nQubits }, (_, i) => i)).length : 0;
      this.libCosts.set(name, n);
    }
    return n;
  }

  /** Fails before expanding when `count` more operations would pass limits.maxOperations. */
  private checkOperations(at: Token, count: number): void {
    const total = this.ops.length + count;
    if (total > this.limits.maxOperations) {
      throw new QasmLimitError(at.line, at.col, 'maxOperations', this.limits.maxOperations, 'operations in the expanded program', `${total}`);
    }
  }

  /** The flat qubit indices an argument names: one (q[2]) or a whole register (q). */
  qubitsOf(a: Arg): number[] {
    const reg = this.qregs.get(a.name.text);
    if (!reg) {
      const declared = [...this.qregs.keys()].join(', ') || 'none yet';
      const what = this.cregs.has(a.name.text) ? `classical register '${a.name.text}'` : `undefined register '${a.name.text}'`;
      throw new QasmError(a.name.line, a.name.col, `expected a quantum register (declared: ${declared}), found ${what}`);
    }
    return this.indexInto(reg, a);
  }

  /** The flat indices `a` names in `reg`: all of them, or the one indexed (checked against its size). */
  indexInto(reg: QasmRegister, a: Arg): number[] {
    if (!a.index) return Array.from({ length: reg.size }, (_, i) => reg.offset + i);
    if (a.index.value >= reg.size) {
      throw new QasmError(a.index.tok.line, a.index.tok.col, `expected an index from 0 to ${reg.size - 1} for register '${reg.name}' of size ${reg.size}, found ${a.index.value}`);
    }
    return [reg.offset + a.index.value];
  }

  /** A flat qubit as its register element, 'q[2]', for errors. */
  private qubitName(q: number): string {
    const reg = [...this.qregs.values()].find((r) => q >= r.offset && q < r.offset + r.size) as QasmRegister;
    return `${reg.name}[${q - reg.offset}]`;
  }

  /** A top-level call: resolves registers, broadcasts over whole registers, and applies. */
  applyTopLevel(c: Call, env: ReadonlyMap<string, Linear>): void {
    this.signature(c);
    const lists = c.args.map((a) => this.qubitsOf(a));
    const regSizes = lists.filter((l, i) => !c.args[i].index).map((l) => l.length);
    const n = regSizes.length ? regSizes[0] : 1;
    if (regSizes.some((s) => s !== n)) {
      throw new QasmError(c.name.line, c.name.col, `expected registers of equal size for '${c.name.text}', found sizes ${regSizes.join(', ')}`);
    }
    const params = c.params.map((e) => evalExpr(e, env));
    const def = this.gates.get(c.name.text);
    this.checkOperations(c.name, n * (def ? def.cost : this.libCost(c.name.text)));
    for (let k = 0; k < n; k++) this.apply(c, params, lists.map((l, i) => (c.args[i].index ? l[0] : l[k])), []);
  }

  /** Applies gate `c.name` with evaluated parameters to flat qubits (expanding definitions). */
  private apply(c: Call, params: Linear[], qubits: number[], stack: Call[]): void {
    const dup = qubits.find((q, i) => qubits.indexOf(q) !== i);
    if (dup !== undefined) throw new QasmError(c.name.line, c.name.col, `expected distinct qubits for '${c.name.text}', found qubit ${this.qubitName(dup)} twice`);
    const def = this.gates.get(c.name.text);
    if (def) {
      if (def.opaque) throw new QasmError(c.name.line, c.name.col, `expected a gate with a definition, found opaque gate '${c.name.text}'`);
      const env = new Map(def.params.map((p, i) => [p, params[i]] as const));
      const wires = new Map(def.qargs.map((a, i) => [a, qubits[i]] as const));
      for (const b of def.body) {
        this.withContext(c, stack, () => this.apply(b, b.params.map((e) => evalExpr(e, env)), b.args.map((a) => wires.get(a.name.text) as number), [...stack, c]));
      }
      return;
    }
    for (const q of qubits) {
      if (this.measured.has(q)) {
        throw new QasmError(c.name.line, c.name.col, `expected gates only before measurement, found '${c.name.text}' on measured qubit ${this.qubitName(q)} (measurements must come last)`);
      }
    }
    const angles = params.map((p, i) => linearToAngle(p, exprStart(c.params[i])));
    try {
      const lowered = QASM_GATES[c.name.text].lower(angles, qubits);
      this.checkOperations(c.name, lowered.length);
      for (const o of lowered) this.ops.push(o);
    } catch (e) {
      if (e instanceof QasmError) throw e;
      throw new QasmError(c.name.line, c.name.col, (e as Error).message);
    }
  }

  /** Adds "(in gate 'g' called at line L, column C)" to errors raised while expanding a definition. */
  private withContext(c: Call, stack: Call[], f: () => void): void {
    try { f(); } catch (e) {
      if (!(e instanceof QasmError) || e instanceof QasmLimitError || stack.length > 0) throw e;
      throw new QasmError(e.line, e.column, `${e.detail} (in gate '${c.name.text}' called at line ${c.name.line}, column ${c.name.col})`);
    }
  }

  /** Records `measure qa -> ca` (whole registers or single bits, sizes matching). */
  measure(qa: Arg, ca: Arg): void {
    const qs = this.qubitsOf(qa);
    const creg = this.cregs.get(ca.name.text);
    if (!creg) throw new QasmError(ca.name.line, ca.name.col, `expected a classical register (declared: ${[...this.cregs.keys()].join(', ') || 'none'}), found '${ca.name.text}'`);
    const cs = this.indexInto(creg, ca);
    if (qs.length !== cs.length) throw new QasmError(qa.name.line, qa.name.col, `expected as many qubits as classical bits in measure, found ${qs.length} and ${cs.length}`);
    qs.forEach((q, i) => { this.measurements.push({ qubit: q, clbit: cs[i], line: qa.name.line }); this.measured.add(q); });
  }
}
