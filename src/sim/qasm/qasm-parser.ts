/**
 * OpenQASM 2.0 (and the gate-level subset of 3.0 that `toQasm` writes) to a flat list of qkc operations.
 * Registers are flattened in declaration order; `gate` definitions are expanded at each call; library
 * gates are lowered by qasm-gates.ts. Every error names line, column, what was expected and what came.
 */
import type { Operation } from '../circuit';
import { MAX_QUBITS } from '../circuit';
import { Cursor, QasmError, QasmLimitError, Token, describeToken, tokenStream } from './qasm-lexer';
import { Expr, ExprBounds, Linear, evalExpr, exprStart, linearToAngle, parseExpr, refLinear } from './qasm-expr';
import { INCLUDE_GATES, QASM_GATES } from './qasm-gates';
import { ParamRef, input, weight } from '../params';
import { checkOptionKeys, integerIn } from '../../util/validate';

/** A declared register: its name, size and the flat index of its element 0. */
export interface QasmRegister { name: string; size: number; offset: number }
/** A `measure` statement, after flattening: qubit → classical bit. */
export interface QasmMeasurement { qubit: number; clbit: number; line: number }

/** What the parser produced: operations on the flattened qubits plus the bookkeeping around them. */
export interface QasmProgram {
  version: 2 | 3;
  nQubits: number;
  ops: Operation[];
  qregs: QasmRegister[];
  cregs: QasmRegister[];
  measurements: QasmMeasurement[];
  /** OpenQASM 3 `input` parameters, as declared (w<j> → weight j, x<i> → input i). */
  inputs: string[];
  /** What each `input` became in qkc, in declaration order. */
  parameters: QasmParameter[];
}

/** An OpenQASM 3 `input` parameter and the qkc weight or data reference it became. */
export interface QasmParameter { name: string; ref: ParamRef }

interface Arg { name: Token; index?: { value: number; tok: Token } }
interface Call { name: Token; params: Expr[]; args: Arg[] }
/** A `gate` definition; `depth` is how deeply its expansion nests, `cost` how many operations one call makes. */
interface GateDef { name: Token; params: string[]; qargs: string[]; body: Call[]; opaque: boolean; depth: number; cost: number }

/**
 * Bounds that keep hostile OpenQASM from exhausting the stack, memory or time. Exceeding one is a
 * QasmLimitError naming the limit, the line and the column, raised before the work it would cost.
 */
export interface QasmLimits {
  /** Deepest nesting of parentheses, function calls and '^' in one expression (default 128, at most 1000). */
  maxExprDepth: number;
  /** Most tokens in one expression (default 4096, at most 100,000). */
  maxExprTokens: number;
  /** Deepest chain of user gates calling user gates (default 64, at most 1000). */
  maxGateDepth: number;
  /** Most operations the whole program expands to (default 1,000,000, at most 50,000,000). */
  maxOperations: number;
}

/** The default limits: far above what real programs (QASMBench, Qiskit's exports) need. */
export const DEFAULT_QASM_LIMITS: Readonly<QasmLimits> = { maxExprDepth: 128, maxExprTokens: 4096, maxGateDepth: 64, maxOperations: 1_000_000 };
// Hard ceilings: past these the parser's own recursion (depth) or the op list (memory) is no longer safe.
const LIMIT_CEILINGS: Readonly<QasmLimits> = { maxExprDepth: 1000, maxExprTokens: 100_000, maxGateDepth: 1000, maxOperations: 50_000_000 };

/** Options of the OpenQASM importers. */
export interface QasmParseOptions {
  /** Raise or lower any of the parser's limits (the rest keep DEFAULT_QASM_LIMITS). */
  limits?: Partial<QasmLimits>;
}

/** The limits in effect for `options`, each checked to be an integer from 1 to its ceiling. */
export function resolveQasmLimits(options: QasmParseOptions = {}): QasmLimits {
  checkOptionKeys(options, ['limits'], 'fromQasm(options)');
  const given = options.limits ?? {};
  checkOptionKeys(given, Object.keys(DEFAULT_QASM_LIMITS), 'fromQasm(options.limits)');
  const out = { ...DEFAULT_QASM_LIMITS };
  for (const k of Object.keys(out) as (keyof QasmLimits)[]) {
    if (given[k] !== undefined) out[k] = integerIn(given[k], `fromQasm(options.limits.${k})`, 1, LIMIT_CEILINGS[k]);
  }
  return out;
}

const V3_UNSUPPORTED = new Set(['def', 'for', 'while', 'if', 'else', 'let', 'const', 'box', 'output', 'int', 'uint', 'float',
  'angle', 'bool', 'complex', 'duration', 'stretch', 'delay', 'return', 'extern', 'defcal', 'cal', 'defcalgrammar', 'break', 'continue', 'end', 'switch']);

/** Parses OpenQASM source into flattened operations; throws QasmError with line and column on bad input. */
export function parseProgram(src: string, options: QasmParseOptions = {}): QasmProgram {
  return new Parser(src, resolveQasmLimits(options)).run();
}

class Parser {
  private readonly cur: Cursor;
  private version: 2 | 3 = 2;
  private readonly qregs = new Map<string, QasmRegister>();
  private readonly cregs = new Map<string, QasmRegister>();
  private readonly gates = new Map<string, GateDef>();
  private readonly env = new Map<string, Linear>();
  private readonly inputs: string[] = [];
  private readonly parameters: QasmParameter[] = [];
  private readonly usedWeights = new Set<number>();
  private readonly ops: Operation[] = [];
  private readonly measurements: QasmMeasurement[] = [];
  private readonly measured = new Set<number>();
  private nQubits = 0;
  private nClbits = 0;
  /** Standard gates brought in by `include`, with the file that defined them. */
  private readonly included = new Map<string, string>();
  private readonly libCosts = new Map<string, number>();
  /** Definitions read as the library gate of the same name (kept to refuse a later include of it). */
  private readonly libDefined = new Map<string, Token>();
  private readonly bounds: ExprBounds;

  constructor(src: string, private readonly limits: QasmLimits) {
    this.cur = new Cursor(tokenStream(src));
    this.bounds = { maxDepth: limits.maxExprDepth, maxTokens: limits.maxExprTokens };
  }

  run(): QasmProgram {
    const cur = this.cur;
    if (!cur.accept('OPENQASM')) throw cur.fail("the header 'OPENQASM 2.0;'");
    const v = cur.peek();
    if (v.kind !== 'num' || !['2', '2.0', '3', '3.0'].includes(v.text)) throw cur.fail('version 2.0 or 3.0 after OPENQASM');
    cur.next();
    this.version = v.text.startsWith('3') ? 3 : 2;
    cur.expect(';', `after 'OPENQASM ${v.text}'`);
    while (cur.peek().kind !== 'eof') this.statement();
    if (this.nQubits === 0) throw cur.fail(this.version === 2 ? "a 'qreg' declaration (the program declares no qubits)" : "a 'qubit' declaration (the program declares no qubits)");
    return {
      version: this.version, nQubits: this.nQubits, ops: this.ops, qregs: [...this.qregs.values()], cregs: [...this.cregs.values()],
      measurements: this.measurements, inputs: this.inputs, parameters: this.parameters,
    };
  }

  private statement(): void {
    const cur = this.cur;
    const t = cur.peek();
    if (t.kind !== 'id') throw cur.fail('a statement (a declaration, gate definition, gate call or measure)');
    switch (t.text) {
      case 'include': return this.include();
      case 'qreg': case 'creg': return this.oldRegister();
      case 'qubit': case 'bit': if (this.version === 3) return this.newRegister(); break;
      case 'input': if (this.version === 3) return this.inputDecl(); break;
      case 'gate': case 'opaque': return this.gateDef();
      case 'barrier': cur.next(); this.argList('barrier').forEach((a) => this.qubitsOf(a)); cur.expect(';', 'after the barrier arguments'); return;
      case 'measure': return this.measure();
      case 'reset': throw new QasmError(t.line, t.col, "expected a unitary operation, found 'reset' (qkc circuits are unitary; reset is not supported)");
      case 'if': throw new QasmError(t.line, t.col, "expected a unitary operation, found 'if' (classically controlled gates are not supported)");
      case 'OPENQASM': throw new QasmError(t.line, t.col, "expected a statement, found a second 'OPENQASM' header");
      default:
        if (this.version === 3 && V3_UNSUPPORTED.has(t.text)) {
          throw new QasmError(t.line, t.col, `expected a gate-level statement, found '${t.text}' (OpenQASM 3 classical control and types are not supported)`);
        }
    }
    if (this.version === 3 && (cur.peek(1).text === '=' || (cur.peek(1).text === '[' && cur.peek(4).text === '='))) return this.measure();
    const call = this.call(false);
    cur.expect(';', `after the arguments of '${call.name.text}'`);
    this.applyTopLevel(call);
  }

  private include(): void {
    const cur = this.cur;
    cur.next();
    const f = cur.peek();
    if (f.kind !== 'str') throw cur.fail('a file name in double quotes after include');
    if (f.text !== 'qelib1.inc' && f.text !== 'stdgates.inc') {
      throw new QasmError(f.line, f.col, `expected "qelib1.inc" or "stdgates.inc" (other include files cannot be read), found ${describeToken(f)}`);
    }
    cur.next();
    cur.expect(';', 'after the include file name');
    for (const g of INCLUDE_GATES[f.text]) {
      const prior = this.gates.get(g)?.name ?? this.libDefined.get(g);
      if (prior) throw new QasmError(f.line, f.col, `expected no gate named '${g}' before including ${describeToken(f)}, found one defined at line ${prior.line}`);
      this.included.set(g, f.text);
    }
  }

  private declare(kind: 'qreg' | 'creg', name: Token, size: number, sizeTok: Token): void {
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

  /** qreg q[4]; creg c[4]; */
  private oldRegister(): void {
    const cur = this.cur;
    const kw = cur.next().text as 'qreg' | 'creg';
    const name = cur.expectId(`a register name after '${kw}'`);
    cur.expect('[', `after the register name '${name.text}'`);
    const { value, tok } = cur.expectInt('a register size (a non-negative integer)');
    cur.expect(']', 'after the register size');
    cur.expect(';', `after the declaration of '${name.text}'`);
    this.declare(kw, name, value, tok);
  }

  /** qubit[4] q; qubit q; bit[4] c; */
  private newRegister(): void {
    const cur = this.cur;
    const kw = cur.next();
    let size = 1, sizeTok = kw;
    if (cur.accept('[')) {
      ({ value: size, tok: sizeTok } = cur.expectInt('a register size (a non-negative integer)'));
      cur.expect(']', 'after the register size');
    }
    const name = cur.expectId(`a register name after '${kw.text}'`);
    cur.expect(';', `after the declaration of '${name.text}'`);
    this.declare(kw.text === 'qubit' ? 'qreg' : 'creg', name, size, sizeTok);
  }

  /**
   * input float[64] w0; (also float, angle[k]). w<j> is weight j and x<i> (or Qiskit's `_x_<i>_`, a
   * ParameterVector 'x') is data input i; any other name (Qiskit's `_θ_3_`, a user's `theta`) becomes
   * the next weight index not taken, in declaration order.
   */
  private inputDecl(): void {
    const cur = this.cur;
    cur.next();
    const type = cur.expectId("a type ('float' or 'angle') after 'input'");
    if (type.text !== 'float' && type.text !== 'angle') throw new QasmError(type.line, type.col, `expected 'float' or 'angle', found '${type.text}'`);
    if (cur.accept('[')) { cur.expectInt('a bit width'); cur.expect(']', 'after the bit width'); }
    const name = cur.expectId('an input name');
    if (this.env.has(name.text)) throw new QasmError(name.line, name.col, `expected a new input name, found '${name.text}' declared twice`);
    cur.expect(';', `after the input declaration of '${name.text}'`);
    const ref = this.parameterRef(name);
    this.env.set(name.text, refLinear(ref));
    this.inputs.push(name.text);
    this.parameters.push({ name: name.text, ref });
  }

  /** The qkc reference an OpenQASM 3 input stands for (see `inputDecl`). */
  private parameterRef(name: Token): ParamRef {
    const data = /^x(\d+)$/.exec(name.text) ?? /^_x_(\d+)_$/.exec(name.text);
    if (data) return input(Number(data[1]));
    const explicit = /^w(\d+)$/.exec(name.text);
    let index = explicit ? Number(explicit[1]) : 0;
    if (!explicit) while (this.usedWeights.has(index)) index++;
    if (this.usedWeights.has(index)) {
      const owner = this.parameters.find((p) => p.ref.kind === 'weight' && p.ref.index === index)?.name;
      throw new QasmError(name.line, name.col, `expected a weight index not yet taken, found '${name.text}' but weight ${index} is already '${owner}'`);
    }
    this.usedWeights.add(index);
    return weight(index);
  }

  /** A gate call (name, optional parameters, arguments) without its ';'. In a gate body no indexing. */
  private call(inBody: boolean): Call {
    const cur = this.cur;
    const name = cur.expectId('a gate name');
    if (cur.at('@')) throw new QasmError(name.line, name.col, `expected a gate name, found the modifier '${name.text} @' (gate modifiers are not supported)`);
    const params: Expr[] = [];
    if (cur.accept('(')) {
      if (!cur.at(')')) {
        params.push(parseExpr(cur, this.bounds));
        while (cur.accept(',')) params.push(parseExpr(cur, this.bounds));
      }
      cur.expect(')', `to close the parameter list of '${name.text}'`);
    }
    const args = cur.at(';') ? [] : this.argList(name.text, inBody);
    return { name, params, args };
  }

  private argList(owner: string, inBody = false): Arg[] {
    const cur = this.cur;
    const args: Arg[] = [];
    do {
      const name = cur.expectId(`a qubit argument of '${owner}'`);
      const arg: Arg = { name };
      if (cur.at('[')) {
        if (inBody) throw cur.fail(`a qubit argument name of '${owner}' (no indexing inside a gate body)`);
        cur.next();
        arg.index = cur.expectInt(`a qubit index inside ${name.text}[ ]`);
        cur.expect(']', `after the index of '${name.text}'`);
      }
      args.push(arg);
    } while (cur.accept(','));
    return args;
  }

  /** gate name(params) a, b { body }  or  opaque name(params) a, b; */
  private gateDef(): void {
    const cur = this.cur;
    const opaque = cur.next().text === 'opaque';
    const name = cur.expectId(`a gate name after '${opaque ? 'opaque' : 'gate'}'`);
    const prior = this.gates.get(name.text);
    if (prior) throw new QasmError(name.line, name.col, `expected a new gate name, found '${name.text}' already defined at line ${prior.name.line}`);
    if (name.text === 'U' || name.text === 'CX') throw new QasmError(name.line, name.col, `expected a new gate name, found the built-in '${name.text}'`);
    const std = this.included.get(name.text);
    if (std) throw new QasmError(name.line, name.col, `expected a new gate name, found '${name.text}', a standard gate of "${std}" (it cannot be redefined)`);
    const params: string[] = [];
    if (cur.accept('(')) {
      if (!cur.at(')')) do params.push(cur.expectId('a parameter name').text); while (cur.accept(','));
      cur.expect(')', `to close the parameter list of gate '${name.text}'`);
    }
    const qargs = this.argList(name.text, true).map((a) => a.name.text);
    const def: GateDef = { name, params, qargs, body: [], opaque, depth: 1, cost: 0 };
    if (opaque) { cur.expect(';', `after the declaration of opaque gate '${name.text}'`); this.gates.set(name.text, def); return; }
    cur.expect('{', `to open the body of gate '${name.text}'`);
    while (!cur.at('}')) {
      if (cur.peek().kind === 'eof') throw cur.fail(`'}' to close the body of gate '${name.text}'`);
      if (cur.accept('barrier')) { this.argList('barrier', true); cur.expect(';', 'after the barrier arguments'); continue; }
      const c = this.call(true);
      cur.expect(';', `after the arguments of '${c.name.text}'`);
      this.checkBodyCall(c, def);
      def.body.push(c);
      const callee = this.gates.get(c.name.text);
      def.depth = Math.max(def.depth, 1 + (callee?.depth ?? 0));
      def.cost += callee ? callee.cost : this.libCost(c.name.text);
    }
    if (def.depth > this.limits.maxGateDepth) {
      throw new QasmLimitError(name.line, name.col, 'maxGateDepth', this.limits.maxGateDepth, 'levels of gates calling gates', `gate '${name.text}' nesting ${def.depth} levels`);
    }
    cur.next();
    // A definition of a library gate with the library's signature (qkc's and Qiskit's OpenQASM 2 output
    // define sx, swap, crx, cry for strict qelib1 readers) is read as that gate, as Qiskit's loader does.
    const lib = QASM_GATES[name.text];
    if (lib && lib.nParams === params.length && lib.nQubits === qargs.length) { this.libDefined.set(name.text, name); return; }
    this.gates.set(name.text, def);
  }

  /** Checks a body call when the gate is defined, so that errors point at the definition. */
  private checkBodyCall(c: Call, def: GateDef): void {
    this.signature(c);
    const seen = new Set<string>();
    for (const a of c.args) {
      if (!def.qargs.includes(a.name.text)) {
        throw new QasmError(a.name.line, a.name.col, `expected one of the qubit arguments of '${def.name.text}' (${def.qargs.join(', ')}), found '${a.name.text}'`);
      }
      if (seen.has(a.name.text)) throw new QasmError(a.name.line, a.name.col, `expected distinct qubits for '${c.name.text}', found '${a.name.text}' twice`);
      seen.add(a.name.text);
    }
    // An explicit stack: a long sum is a deep tree.
    const todo: Expr[] = [...c.params];
    for (let e = todo.pop(); e; e = todo.pop()) {
      if (e.kind === 'id' && !def.params.includes(e.name) && !['pi', 'π', 'tau', 'τ', 'euler', 'ℇ'].includes(e.name)) {
        throw new QasmError(e.at.line, e.at.col, `expected a parameter of '${def.name.text}' (${def.params.join(', ') || 'it has none'}) or pi, found '${e.name}'`);
      }
      if (e.kind === 'neg' || e.kind === 'call') todo.push(e.arg);
      if (e.kind === 'bin') todo.push(e.right, e.left);
    }
  }

  /** How many qkc operations one call of library gate `name` lowers to (generic angles; cached). */
  private libCost(name: string): number {
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

  /** Checks the callee exists and the parameter and qubit counts match; returns those counts. */
  private signature(c: Call): { nParams: number; nQubits: number } {
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

  /** The flat qubit indices an argument names: one (q[2]) or a whole register (q). */
  private qubitsOf(a: Arg): number[] {
    const reg = this.qregs.get(a.name.text);
    if (!reg) {
      const declared = [...this.qregs.keys()].join(', ') || 'none yet';
      const what = this.cregs.has(a.name.text) ? `classical register '${a.name.text}'` : `undefined register '${a.name.text}'`;
      throw new QasmError(a.name.line, a.name.col, `expected a quantum register (declared: ${declared}), found ${what}`);
    }
    return this.indexInto(reg, a);
  }

  private indexInto(reg: QasmRegister, a: Arg): number[] {
    if (!a.index) return Array.from({ length: reg.size }, (_, i) => reg.offset + i);
    if (a.index.value >= reg.size) {
      throw new QasmError(a.index.tok.line, a.index.tok.col, `expected an index from 0 to ${reg.size - 1} for register '${reg.name}' of size ${reg.size}, found ${a.index.value}`);
    }
    return [reg.offset + a.index.value];
  }

  /** A top-level call: resolves registers, broadcasts over whole registers, and applies. */
  private applyTopLevel(c: Call): void {
    this.signature(c);
    const lists = c.args.map((a) => this.qubitsOf(a));
    const regSizes = lists.filter((l, i) => !c.args[i].index).map((l) => l.length);
    const n = regSizes.length ? regSizes[0] : 1;
    if (regSizes.some((s) => s !== n)) {
      throw new QasmError(c.name.line, c.name.col, `expected registers of equal size for '${c.name.text}', found sizes ${regSizes.join(', ')}`);
    }
    const params = c.params.map((e) => evalExpr(e, this.env));
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

  private qubitName(q: number): string {
    const reg = [...this.qregs.values()].find((r) => q >= r.offset && q < r.offset + r.size) as QasmRegister;
    return `${reg.name}[${q - reg.offset}]`;
  }

  /** measure q -> c;  measure q[0] -> c[0];  (v3) c = measure q;  c[0] = measure q[0]; */
  private measure(): void {
    const cur = this.cur;
    let qa: Arg, ca: Arg;
    if (cur.accept('measure')) {
      qa = this.argList('measure')[0];
      cur.expect('->', 'after the measured qubits');
      ca = this.argList('measure')[0];
    } else {
      ca = this.argList('measure')[0];
      cur.expect('=', 'after the classical target');
      cur.expect('measure', "after '=' (only measurement results can be assigned)");
      qa = this.argList('measure')[0];
    }
    cur.expect(';', 'after the measure statement');
    const qs = this.qubitsOf(qa);
    const creg = this.cregs.get(ca.name.text);
    if (!creg) throw new QasmError(ca.name.line, ca.name.col, `expected a classical register (declared: ${[...this.cregs.keys()].join(', ') || 'none'}), found '${ca.name.text}'`);
    const cs = this.indexInto(creg, ca);
    if (qs.length !== cs.length) throw new QasmError(qa.name.line, qa.name.col, `expected as many qubits as classical bits in measure, found ${qs.length} and ${cs.length}`);
    qs.forEach((q, i) => { this.measurements.push({ qubit: q, clbit: cs[i], line: qa.name.line }); this.measured.add(q); });
  }
}
