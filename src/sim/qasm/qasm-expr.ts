/**
 * OpenQASM parameter expressions: parsed once into a small tree (gate bodies are evaluated again for
 * every call), evaluated to a linear form so that OpenQASM 3 `input` parameters (w0, x3) survive as
 * qkc `weight`/`input` references.
 */
import { Cursor, QasmError, Token } from './qasm-lexer';
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

/** Parses an expression: + - (left) < * / (left) < unary ± < ^ (right), calls and parentheses. */
export function parseExpr(cur: Cursor): Expr {
  let left = parseTerm(cur);
  while (cur.at('+') || cur.at('-')) {
    const at = cur.next();
    left = { kind: 'bin', op: at.text as '+' | '-', left, right: parseTerm(cur), at };
  }
  return left;
}

function parseTerm(cur: Cursor): Expr {
  let left = parseUnary(cur);
  while (cur.at('*') || cur.at('/')) {
    const at = cur.next();
    left = { kind: 'bin', op: at.text as '*' | '/', left, right: parseUnary(cur), at };
  }
  return left;
}

function parseUnary(cur: Cursor): Expr {
  if (cur.at('-')) { const at = cur.next(); return { kind: 'neg', arg: parseUnary(cur), at }; }
  if (cur.accept('+')) return parseUnary(cur);
  const base = parsePrimary(cur);
  if (cur.at('^') || cur.at('**')) {
    const at = cur.next();
    return { kind: 'bin', op: '^', left: base, right: parseUnary(cur), at };
  }
  return base;
}

function parsePrimary(cur: Cursor): Expr {
  const t = cur.peek();
  if (t.kind === 'num') { cur.next(); return { kind: 'num', value: t.value as number, at: t }; }
  if (t.kind === 'id') {
    cur.next();
    if (FUNCS[t.text] && cur.at('(')) {
      cur.next();
      const arg = parseExpr(cur);
      cur.expect(')', `to close ${t.text}(`);
      return { kind: 'call', fn: t.text, arg, at: t };
    }
    return { kind: 'id', name: t.text, at: t };
  }
  if (cur.accept('(')) {
    const e = parseExpr(cur);
    cur.expect(')', 'to close the parenthesis');
    return e;
  }
  throw cur.fail('an expression (a number, pi, a parameter name, a function call or a parenthesis)');
}

/** The first token of an expression (for errors about the whole expression). */
export function exprStart(e: Expr): Token {
  return e.kind === 'bin' ? exprStart(e.left) : e.at;
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
      const a = evalExpr(e.left, env), b = evalExpr(e.right, env);
      if (e.op === '+') return combine(a, b, 1);
      if (e.op === '-') return combine(a, b, -1);
      if (e.op === '*') {
        if (symbolic(a) && symbolic(b)) throw err(`expected at least one numeric factor, found a product of ${names(a)} and ${names(b)}`);
        return symbolic(a) ? scaleBy(a, b.c) : scaleBy(b, a.c);
      }
      if (symbolic(b)) throw err(`expected a numeric ${e.op === '/' ? 'divisor' : 'exponent'}, found one depending on ${names(b)}`);
      if (e.op === '/') {
        if (b.c === 0) throw err('expected a non-zero divisor, found division by zero');
        return scaleBy(a, 1 / b.c);
      }
      if (symbolic(a)) throw err(`expected a numeric base for '^', found one depending on ${names(a)}`);
      return checked(constant(a.c ** b.c), e);
    }
  }
}

function checked(v: Linear, e: Expr): Linear {
  if (!Number.isFinite(v.c)) throw new QasmError(e.at.line, e.at.col, `expected a finite value, but the expression evaluates to ${v.c}`);
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
  const index = Number(key.slice(1));
  return key[0] === 'w' ? weight(index, scale) : input(index, scale);
}
