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

/**
 * A program beyond one of the parser's limits (see `QasmLimits`): `limit` names the option that raises it.
 * The message names the limit, its value and where in the source it was exceeded.
 */
export class QasmLimitError extends QasmError {
  /** Creates an error at `line`/`column` for the limit option `limit` of value `max`, counting `what`. */
  constructor(line: number, column: number, readonly limit: string, readonly max: number, what: string, found?: string) {
    super(line, column, `expected at most ${max} ${what} (limit ${limit}; raise it with the option limits.${limit}), found ${found ?? 'more'}`);
    this.name = 'QasmLimitError';
  }
}

/** Token kinds: identifier, number literal, string literal, punctuation/operator, end of input. */
export type TokenKind = 'id' | 'num' | 'str' | 'sym' | 'eof';

/** One token with its position. */
export interface Token { kind: TokenKind; text: string; line: number; col: number; value?: number }

// One sticky pattern (matches exactly at lastIndex): whitespace | // comment | /* | string | number |
// identifier | symbol (longest first, so '->' wins over '-').
const TOKEN = /(\s+|\uFEFF)|(\/\/[^\n]*)|(\/\*)|("[^"\n]*"|'[^'\n]*')|((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|([\p{L}_][\p{L}\p{N}_]*)|->|==|\*\*|[;,()[\]{}+\-*/^=@:]/uy;

/** How a token reads in an error message: 'cx', ';', the number 3.5, or "end of input". */
export function describeToken(t: Token): string {
  if (t.kind === 'eof') return 'end of input';
  if (t.kind === 'str') return `"${t.text}"`;
  return `'${t.text}'`;
}

/** Splits OpenQASM source into tokens, dropping whitespace and // and /* *\/ comments. */
export function tokenize(src: string): Token[] {
  return [...tokenStream(src)];
}

/**
 * The tokens of `src` one at a time (ending with 'eof'), so that the parser stops at the first error or
 * limit without having read, or stored, the rest of a large input.
 */
export function* tokenStream(src: string): Generator<Token, void, undefined> {
  let i = 0, line = 1, lineStart = 0; // column = i − lineStart + 1
  const skipLines = (from: number, to: number) => {
    for (let k = src.indexOf('\n', from); k >= 0 && k < to; k = src.indexOf('\n', k + 1)) { line++; lineStart = k + 1; }
  };
  while (i < src.length) {
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(src);
    const col = i - lineStart + 1;
    if (!m) {
      const ch = src[i];
      if (ch === '"' || ch === "'") throw new QasmError(line, col, `expected a closing ${ch} for this string, found end of line`);
      throw new QasmError(line, col, `unexpected character '${ch}'`);
    }
    const [text, space, lineComment, blockComment, str, num, id] = m;
    if (space !== undefined) { skipLines(i, i + text.length); i += text.length; continue; }
    if (lineComment !== undefined) { i += text.length; continue; }
    if (blockComment !== undefined) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new QasmError(line, col, "expected '*/' to close this comment, found end of input");
      skipLines(i, end);
      i = end + 2;
      continue;
    }
    if (str !== undefined) yield { kind: 'str', text: text.slice(1, -1), line, col };
    else if (num !== undefined) {
      const value = Number(text);
      if (!Number.isFinite(value)) throw new QasmError(line, col, `expected a finite number, found ${text} (beyond the largest double)`);
      yield { kind: 'num', text, value, line, col };
    }
    else if (id !== undefined) yield { kind: 'id', text, line, col };
    else yield { kind: 'sym', text, line, col };
    i += text.length;
  }
  yield { kind: 'eof', text: '', line, col: i - lineStart + 1 };
}

/** A read position in a token stream, with the expect/accept helpers the parsers share. */
export class Cursor {
  private i = 0;
  // Tokens read so far; the stream is pulled only as far as the parser looks.
  private readonly tokens: Token[] = [];
  private readonly source: Iterator<Token>;
  /** Starts at the first of `tokens` (a list or stream ending with an 'eof' token). */
  constructor(tokens: Iterable<Token>) { this.source = tokens[Symbol.iterator](); }

  /** Index of the current token (to measure how many tokens a construct spans). */
  get position(): number { return this.i; }
  /** The current token (not consumed), or the one `ahead` places further (stopping at 'eof'). */
  peek(ahead = 0): Token {
    while (this.tokens.length <= this.i + ahead) {
      const last = this.tokens[this.tokens.length - 1];
      if (last?.kind === 'eof') return last;
      const r = this.source.next();
      if (r.done) throw new Error('Cursor: the token stream ended without an eof token');
      this.tokens.push(r.value);
    }
    return this.tokens[this.i + ahead];
  }
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
