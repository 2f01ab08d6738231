/**
 * OpenQASM 2.0 (and the gate-level subset of 3.0 that `toQasm` writes) to a flat list of qkc operations:
 * the statements. Tokens come from qasm-lexer.ts, expressions from qasm-expr.ts; declarations, calls and
 * measurements go to the program being built (qasm-program.ts: registers flattened in declaration
 * order, `gate` definitions expanded at each call, library gates lowered by qasm-gates.ts). Every error
 * names line, column, what was expected and what came.
 */
import type { Operation } from '../circuit';
import { Cursor, QasmError, QasmLimitError, Token, describeToken, tokenStream } from './qasm-lexer';
import { Expr, ExprBounds, Linear, parseExpr, refLinear } from './qasm-expr';
import { INCLUDE_GATES, QASM_GATES } from './qasm-gates';
import { ParamRef, input, weight } from '../params';
import { QasmLimits, QasmParseOptions, resolveQasmLimits } from './qasm-limits';
import { Arg, Call, GateDef, ProgramBuilder, QasmMeasurement, QasmRegister } from './qasm-program';

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

const V3_UNSUPPORTED = new Set(['def', 'for', 'while', 'if', 'else', 'let', 'const', 'box', 'output', 'int', 'uint', 'float',
  'angle', 'bool', 'complex', 'duration', 'stretch', 'delay', 'return', 'extern', 'defcal', 'cal', 'defcalgrammar', 'break', 'continue', 'end', 'switch']);

/** Parses OpenQASM source into flattened operations; throws QasmError with line and column on bad input. */
export function parseProgram(src: string, options: QasmParseOptions = {}): QasmProgram {
  return new Parser(src, resolveQasmLimits(options)).run();
}

class Parser {
  private readonly cur: Cursor;
  private version: 2 | 3 = 2;
  private readonly b: ProgramBuilder;
  private readonly env = new Map<string, Linear>();
  private readonly inputs: string[] = [];
  private readonly parameters: QasmParameter[] = [];
  private readonly usedWeights = new Set<number>();
  /** Standard gates brought in by `include`, with the file that defined them. */
  private readonly included = new Map<string, string>();
  /** Definitions read as the library gate of the same name (kept to refuse a later include of it). */
  private readonly libDefined = new Map<string, Token>();
  private readonly bounds: ExprBounds;

  constructor(src: string, private readonly limits: QasmLimits) {
    this.cur = new Cursor(tokenStream(src));
    this.b = new ProgramBuilder(limits);
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
    if (this.b.nQubits === 0) throw cur.fail(this.version === 2 ? "a 'qreg' declaration (the program declares no qubits)" : "a 'qubit' declaration (the program declares no qubits)");
    return {
      version: this.version, nQubits: this.b.nQubits, ops: this.b.ops, qregs: [...this.b.qregs.values()], cregs: [...this.b.cregs.values()],
      measurements: this.b.measurements, inputs: this.inputs, parameters: this.parameters,
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
      case 'barrier': cur.next(); this.argList('barrier').forEach((a) => this.b.qubitsOf(a)); cur.expect(';', 'after the barrier arguments'); return;
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
    this.b.applyTopLevel(call, this.env);
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
      const prior = this.b.gates.get(g)?.name ?? this.libDefined.get(g);
      if (prior) throw new QasmError(f.line, f.col, `expected no gate named '${g}' before including ${describeToken(f)}, found one defined at line ${prior.line}`);
      this.included.set(g, f.text);
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
    this.b.declare(kw, name, value, tok);
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
    this.b.declare(kw.text === 'qubit' ? 'qreg' : 'creg', name, size, sizeTok);
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
    const prior = this.b.gates.get(name.text);
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
    if (opaque) { cur.expect(';', `after the declaration of opaque gate '${name.text}'`); this.b.gates.set(name.text, def); return; }
    cur.expect('{', `to open the body of gate '${name.text}'`);
    while (!cur.at('}')) {
      if (cur.peek().kind === 'eof') throw cur.fail(`'}' to close the body of gate '${name.text}'`);
      if (cur.accept('barrier')) { this.argList('barrier', true); cur.expect(';', 'after the barrier arguments'); continue; }
      const c = this.call(true);
      cur.expect(';', `after the arguments of '${c.name.text}'`);
      this.checkBodyCall(c, def);
      def.body.push(c);
      const callee = this.b.gates.get(c.name.text);
      def.depth = Math.max(def.depth, 1 + (callee?.depth ?? 0));
      def.cost += callee ? callee.cost : this.b.libCost(c.name.text);
    }
    if (def.depth > this.limits.maxGateDepth) {
      throw new QasmLimitError(name.line, name.col, 'maxGateDepth', this.limits.maxGateDepth, 'levels of gates calling gates', `gate '${name.text}' nesting ${def.depth} levels`);
    }
    cur.next();
    // A definition of a library gate with the library's signature (qkc's and Qiskit's OpenQASM 2 output
    // define sx, swap, crx, cry for strict qelib1 readers) is read as that gate, as Qiskit's loader does.
    const lib = QASM_GATES[name.text];
    if (lib && lib.nParams === params.length && lib.nQubits === qargs.length) { this.libDefined.set(name.text, name); return; }
    this.b.gates.set(name.text, def);
  }

  /** Checks a body call when the gate is defined, so that errors point at the definition. */
  private checkBodyCall(c: Call, def: GateDef): void {
    this.b.signature(c);
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
    this.b.measure(qa, ca);
  }
}
