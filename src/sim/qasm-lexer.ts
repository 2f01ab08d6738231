/**
 * OpenQASM tokens. Every token keeps its 1-based line and column so that every parse error can say
 * exactly where it happened.
 */

/** A malformed OpenQASM program: the message starts with "line L, column C: ". */
export class QasmError extends Error {
  /** Creates an error at 1-based `line` and `column`. */
  constructor(readonly line: number, readonly column: number, readonly detail: string) {
    super(`line ${line}, column ${column}: ${detail}`);
    this.name = 'QasmError';
  }
}

/** Token kinds: identifier, number literal, string literal, punctuation/operator, end of input. */
export type TokenKind = 'id' | 'num' | 'str' | 'sym' | 'eof';

/** One token with its position. */
export interface Token { kind: TokenKind; text: string; line: number; col: number; value?: number }

// Longest first, so '->' wins over '-'.
const SYMBOLS = ['->', '==', '**', ';', ',', '(', ')', '[', ']', '{', '}', '+', '-', '*', '/', '^', '=', '@', ':'];

/** How a token reads in an error message: 'cx', ';', the number 3.5, or "end of input". */
export function describeToken(t: Token): string {
  if (t.kind === 'eof') return 'end of input';
  if (t.kind === 'str') return `"${t.text}"`;
  return `'${t.text}'`;
}

/** Splits OpenQASM source into tokens, dropping whitespace and // and /* *\/ comments. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0, line = 1, col = 1;
  const advance = (n: number) => {
    for (let k = 0; k < n; k++) {
      if (src[i] === '\n') { line++; col = 1; } else col++;
      i++;
    }
  };
  while (i < src.length) {
    const ch = src[i];
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === '\f' || ch === '\v' || ch === '\uFEFF') { advance(1); continue; }
    if (src.startsWith('//', i)) { while (i < src.length && src[i] !== '\n') advance(1); continue; }
    if (src.startsWith('/*', i)) {
      const l0 = line, c0 = col;
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new QasmError(l0, c0, "expected '*/' to close this comment, found end of input");
      advance(end + 2 - i);
      continue;
    }
    const start = { line, col };
    if (ch === '"' || ch === "'") {
      const end = src.indexOf(ch, i + 1);
      const nl = src.indexOf('\n', i + 1);
      if (end < 0 || (nl >= 0 && nl < end)) throw new QasmError(line, col, `expected a closing ${ch} for this string, found end of line`);
      tokens.push({ kind: 'str', text: src.slice(i + 1, end), ...start });
      advance(end + 1 - i);
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i, i + 400));
    if (num && /[\d.]/.test(ch)) {
      tokens.push({ kind: 'num', text: num[0], value: Number(num[0]), ...start });
      advance(num[0].length);
      continue;
    }
    const id = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(src.slice(i, i + 400));
    if (id) {
      tokens.push({ kind: 'id', text: id[0], ...start });
      advance(id[0].length);
      continue;
    }
    const sym = SYMBOLS.find((s) => src.startsWith(s, i));
    if (sym) {
      tokens.push({ kind: 'sym', text: sym, ...start });
      advance(sym.length);
      continue;
    }
    throw new QasmError(line, col, `unexpected character '${ch}'`);
  }
  tokens.push({ kind: 'eof', text: '', line, col });
  return tokens;
}

/** A read position in a token list, with the expect/accept helpers the parsers share. */
export class Cursor {
  private i = 0;
  /** Starts at the first of `tokens` (which ends with an 'eof' token). */
  constructor(private readonly tokens: readonly Token[]) {}

  /** The current token (not consumed). */
  peek(ahead = 0): Token { return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)]; }
  /** The token just consumed. */
  prev(): Token { return this.tokens[Math.max(0, this.i - 1)]; }
  /** Consumes and returns the current token. */
  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  /** True (and consumed) when the current token is the symbol or keyword `text`. */
  accept(text: string): boolean {
    const t = this.peek();
    if ((t.kind === 'sym' || t.kind === 'id') && t.text === text) { this.i++; return true; }
    return false;
  }
  /** True when the current token is the symbol or keyword `text`. */
  at(text: string): boolean {
    const t = this.peek();
    return (t.kind === 'sym' || t.kind === 'id') && t.text === text;
  }
  /** An error at `t` (default: the current token) saying what was expected and what was found. */
  fail(expected: string, t: Token = this.peek()): QasmError {
    return new QasmError(t.line, t.col, `expected ${expected}, found ${describeToken(t)}`);
  }
  /** Consumes the symbol or keyword `text`, or fails with "expected 'text' <context>". */
  expect(text: string, context: string): Token {
    if (!this.at(text)) {
      // A missing ';' is reported where it belongs: right after the previous token.
      if (text === ';' && this.i > 0) {
        const p = this.prev();
        const found = this.peek();
        throw new QasmError(p.line, p.col + p.text.length + (p.kind === 'str' ? 2 : 0),
          `expected ';' ${context}, found ${describeToken(found)}${found.line !== p.line ? ` on line ${found.line}` : ''}`);
      }
      throw this.fail(`'${text}' ${context}`);
    }
    return this.next();
  }
  /** Consumes an identifier, or fails naming `what` was expected. */
  expectId(what: string): Token {
    if (this.peek().kind !== 'id') throw this.fail(what);
    return this.next();
  }
  /** Consumes a non-negative integer literal, or fails naming `what` was expected. */
  expectInt(what: string): { value: number; tok: Token } {
    const t = this.peek();
    if (t.kind !== 'num' || !/^\d+$/.test(t.text)) throw this.fail(what);
    this.next();
    return { value: Number(t.text), tok: t };
  }
}
