/**
 * OpenQASM parameter expressions: parsed once into a small tree (gate bodies are evaluated again for
 * every call), evaluated to a linear form so that OpenQASM 3 `input` parameters (w0, x3) survive as
 * qkc `weight`/`input` references.
 */
import { Cursor, QasmError, QasmLimitError, Token } from './qasm-lexer';
import { Angle, ParamRef, input, weight } from '../params';

/** A parsed expression; every node remembers the token it started at. */
export type Expr =
  | { kind: 'num'; value: number; at: Token }
  | { kind: 'id'; name: string; at: Token }
  | { kind: 'neg'; arg: Expr; at: Token }
  | { kind: 'bin'; op: '+' | '-' | '*' | '/' | '^'; left: Expr; right: Expr; at: Token }
  | { kind: 'call'; fn: string; arg: Expr; at: Token };

const FUNCS: Record<string, (x: number) => number> = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan, exp: Math.exp, ln: Math.log, sqrt: Math.sqrt,
  asin: Math.asin, acos: Math.acos, atan: Math.atan, arcsin: Math.asin, arccos: Math.acos, arctan: Math.atan,
};
const CONSTANTS: Record<string, number> = { pi: Math.PI, 'π': Math.PI, tau: 2 * Math.PI, 'τ': 2 * Math.PI, euler: Math.E, 'ℇ': Math.E };

/** Bounds on one expression, so hostile input fails with a QasmError instead of exhausting the stack. */
export interface ExprBounds {
  /** Deepest nesting of parentheses, function calls and '^' exponents (a run of signs folds into one). */
  maxDepth: number;
  /** Most tokens in one expression. */
  maxTokens: number;
}

/**
 * Parses an expression: + - (left) < * / (left) < unary ± < ^ (right), calls and parentheses.
 * Recursion is bounded by `bounds.maxDepth` and the size by `bounds.maxTokens`; exceeding either is a
 * QasmLimitError at the token where it happened.
 */
export function parseExpr(cur: Cursor, bounds: ExprBounds): Expr {
  return new ExprParser(cur, bounds).expr();
}

class ExprParser {
  private depth = 0;
  private readonly start: number;
  constructor(private readonly cur: Cursor, private readonly bounds: ExprBounds) { this.start = cur.position; }

  expr(): Expr {
    const cur = this.cur;
    let left = this.term();
    while (cur.at('+') || cur.at('-')) {
      const at = this.take();
      left = { kind: 'bin', op: at.text as '+' | '-', left, right: this.term(), at };
    }
    return left;
  }

  /** Consumes one operator token, counting it against the length bound. */
  private take(): Token {
    if (this.cur.position - this.start >= this.bounds.maxTokens) {
      const t = this.cur.peek();
      throw new QasmLimitError(t.line, t.col, 'maxExprTokens', this.bounds.maxTokens, 'tokens in one expression');
    }
    return this.cur.next();
  }

  /** Enters one nesting level (parenthesis, call or exponent), failing past the depth bound. */
  private nest<T>(at: Token, f: () => T): T {
    if (++this.depth > this.bounds.maxDepth) throw new QasmLimitError(at.line, at.col, 'maxExprDepth', this.bounds.maxDepth, 'levels of expression nesting');
    try { return f(); } finally { this.depth--; }
  }

  private term(): Expr {
    const cur = this.cur;
    let left = this.unary();
    while (cur.at('*') || cur.at('/')) {
      const at = this.take();
      left = { kind: 'bin', op: at.text as '*' | '/', left, right: this.unary(), at };
    }
    return left;
  }

  private unary(): Expr {
    const cur = this.cur;
    // A run of signs is read in a loop and folded into at most one negation: '---1' is '-1'.
    let negAt: Token | undefined;
    let negative = false;
    while (cur.at('-') || cur.at('+')) {
      const t = this.take();
      if (t.text === '-') { negative = !negative; negAt ??= t; }
    }
    const base = this.primary();
    let value = base;
    if (cur.at('^') || cur.at('**')) {
      const at = this.take();
      value = { kind: 'bin', op: '^', left: base, right: this.nest(at, () => this.unary()), at };
    }
    return negative ? { kind: 'neg', arg: value, at: negAt as Token } : value;
  }

  private primary(): Expr {
    const cur = this.cur;
    const t = cur.peek();
    if (t.kind === 'num') { this.take(); return { kind: 'num', value: t.value as number, at: t }; }
    if (t.kind === 'id') {
      this.take();
      if (FUNCS[t.text] && cur.at('(')) {
        this.take();
        const arg = this.nest(t, () => this.expr());
        cur.expect(')', `to close ${t.text}(`);
        return { kind: 'call', fn: t.text, arg, at: t };
      }
      return { kind: 'id', name: t.text, at: t };
    }
    if (cur.at('(')) {
      this.take();
      const e = this.nest(t, () => this.expr());
      cur.expect(')', 'to close the parenthesis');
      return e;
    }
    throw cur.fail('an expression (a number, pi, a parameter name, a function call or a parenthesis)');
  }
}

/** The first token of an expression (for errors about the whole expression). */
export function exprStart(e: Expr): Token {
  let x = e;
  while (x.kind === 'bin') x = x.left;
  return x.at;
}

/** c + Σ coef·ref: what an expression evaluates to. Keys of `terms` are like 'w3' / 'x0'. */
export interface Linear { c: number; terms: Map<string, number> }

/** A plain number as a linear form. */
export const constant = (c: number): Linear => ({ c, terms: new Map() });
/** A reference as a linear form (key 'w<j>' for weights, 'x<i>' for inputs). */
export const refLinear = (r: ParamRef): Linear => ({ c: 0, terms: new Map([[`${r.kind === 'weight' ? 'w' : 'x'}${r.index}`, r.scale]]) });
/** A qkc angle as a linear form. */
export const angleLinear = (a: Angle): Linear => (typeof a === 'number' ? constant(a) : refLinear(a));

const symbolic = (v: Linear) => [...v.terms.values()].some((k) => k !== 0);
const names = (v: Linear) => [...v.terms.keys()].join(', ');
function combine(a: Linear, b: Linear, sb: number): Linear {
  const terms = new Map(a.terms);
  for (const [k, v] of b.terms) terms.set(k, (terms.get(k) ?? 0) + sb * v);
  return { c: a.c + sb * b.c, terms };
}
const scaleBy = (a: Linear, s: number): Linear => ({ c: a.c * s, terms: new Map([...a.terms].map(([k, v]) => [k, v * s])) });

/** Evaluates `e` with parameter names bound by `env` (gate parameters, OpenQASM 3 inputs). */
export function evalExpr(e: Expr, env: ReadonlyMap<string, Linear>): Linear {
  const err = (msg: string) => new QasmError(e.at.line, e.at.col, msg);
  switch (e.kind) {
    case 'num': return constant(e.value);
    case 'id': {
      const v = env.get(e.name) ?? (e.name in CONSTANTS ? constant(CONSTANTS[e.name]) : undefined);
      if (!v) {
        const known = [...env.keys(), 'pi'].map((k) => `'${k}'`).join(', ');
        throw err(`expected a parameter name (one of ${known}), found undefined identifier '${e.name}'`);
      }
      return v;
    }
    case 'neg': return scaleBy(evalExpr(e.arg, env), -1);
    case 'call': {
      const a = evalExpr(e.arg, env);
      if (symbolic(a)) throw err(`expected a numeric argument to ${e.fn}(), found one depending on ${names(a)}`);
      return checked(constant(FUNCS[e.fn](a.c)), e);
    }
    case 'bin': {
      // The left spine of a long sum or product is walked in a loop, not by recursion.
      const spine: Extract<Expr, { kind: 'bin' }>[] = [];
      let x: Expr = e;
      while (x.kind === 'bin') { spine.push(x); x = x.left; }
      let acc = evalExpr(x, env);
      for (let i = spine.length - 1; i >= 0; i--) acc = evalBin(spine[i], acc, evalExpr(spine[i].right, env));
      return acc;
    }
  }
}

/** One binary operation on evaluated operands; an overflow (to ±Infinity or NaN) is an error here. */
function evalBin(e: Extract<Expr, { kind: 'bin' }>, a: Linear, b: Linear): Linear {
  const err = (msg: string) => new QasmError(e.at.line, e.at.col, msg);
  if (e.op === '+') return checked(combine(a, b, 1), e);
  if (e.op === '-') return checked(combine(a, b, -1), e);
  if (e.op === '*') {
    if (symbolic(a) && symbolic(b)) throw err(`expected at least one numeric factor, found a product of ${names(a)} and ${names(b)}`);
    return checked(symbolic(a) ? scaleBy(a, b.c) : scaleBy(b, a.c), e);
  }
  if (symbolic(b)) throw err(`expected a numeric ${e.op === '/' ? 'divisor' : 'exponent'}, found one depending on ${names(b)}`);
  if (e.op === '/') {
    if (b.c === 0) throw err('expected a non-zero divisor, found division by zero');
    return checked(scaleBy(a, 1 / b.c), e);
  }
  if (symbolic(a)) throw err(`expected a numeric base for '^', found one depending on ${names(a)}`);
  return checked(constant(a.c ** b.c), e);
}

/** `v` when its constant and every scale are finite, else an error at `e` (no NaN leaves the parser). */
function checked(v: Linear, e: Expr): Linear {
  const bad = [...v.terms].find(([, k]) => !Number.isFinite(k));
  if (!Number.isFinite(v.c) || bad) {
    throw new QasmError(e.at.line, e.at.col, `expected a finite value, but the expression evaluates to ${bad ? `${bad[1]}·${bad[0]}` : v.c}`);
  }
  return v;
}

/** Converts a linear form to a qkc angle: a number, or scale·reference (no offset, one reference). */
export function linearToAngle(v: Linear, at: Token): Angle {
  const live = [...v.terms].filter(([, k]) => k !== 0);
  if (live.length === 0) {
    if (!Number.isFinite(v.c)) throw new QasmError(at.line, at.col, `expected a finite angle, found ${v.c}`);
    return v.c;
  }
  if (live.length > 1 || v.c !== 0) {
    throw new QasmError(at.line, at.col,
      `expected an angle of the form number or scale·parameter, found ${v.c !== 0 ? `${v.c} + ` : ''}${live.map(([k, s]) => `${s}·${k}`).join(' + ')}`);
  }
  const [key, scale] = live[0];
  if (!Number.isFinite(scale)) throw new QasmError(at.line, at.col, `expected a finite scale for ${key}, found ${scale}`);
  const index = Number(key.slice(1));
  return key[0] === 'w' ? weight(index, scale) : input(index, scale);
}
