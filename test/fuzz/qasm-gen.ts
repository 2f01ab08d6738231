/**
 * Seeded OpenQASM 2/3 program generator for the fuzzing suite: grammar-aware programs (registers, library
 * and user gates, nested definitions, expressions with functions, powers and signs, measurements, v3
 * inputs) and mutations of them (token deletion, duplication and swaps, character flips, hostile
 * fragments such as deep nesting, huge literals, long sums and gate chains).
 */
import { Rng } from '../../src/util/random';

const LIB_GATES: Array<[string, number, number]> = [
  ['h', 0, 1], ['x', 0, 1], ['y', 0, 1], ['z', 0, 1], ['s', 0, 1], ['sdg', 0, 1], ['t', 0, 1], ['tdg', 0, 1], ['sx', 0, 1],
  ['rx', 1, 1], ['ry', 1, 1], ['rz', 1, 1], ['u1', 1, 1], ['u2', 2, 1], ['u3', 3, 1], ['U', 3, 1], ['p', 1, 1],
  ['cx', 0, 2], ['CX', 0, 2], ['cz', 0, 2], ['cy', 0, 2], ['swap', 0, 2], ['ch', 0, 2], ['crx', 1, 2], ['cry', 1, 2], ['crz', 1, 2],
  ['cu1', 1, 2], ['cp', 1, 2], ['cu3', 3, 2], ['rzz', 1, 2], ['rxx', 1, 2], ['ccx', 0, 3], ['cswap', 0, 3], ['c3x', 0, 4],
  ['rccx', 0, 3], ['id', 0, 1], ['sxdg', 0, 1],
];
const FUNCS = ['sin', 'cos', 'tan', 'exp', 'ln', 'sqrt', 'asin', 'acos', 'atan'];
const HOSTILE = [
  () => '('.repeat(300) + '1' + ')'.repeat(300), () => '-'.repeat(5000) + '1', () => Array(3000).fill('1').join('+'),
  () => '1e999', () => '1e308*1e308', () => '0/0', () => '1/0', () => 'ln(0)', () => 'sqrt(-1)', () => '2^2^2^2^2^2^2', () => 'sin(' .repeat(200) + '1' + ')'.repeat(200),
  () => '9'.repeat(400), () => '.', () => '1e', () => 'pi**pi**pi**pi', () => 'acos(2)', () => 'tau*euler',
];

/** One generated input: the program text and how it was made (for a regression record). */
export interface QasmCase { kind: 'grammar' | 'mutated' | 'hostile'; source: string }

/** Generates OpenQASM programs from `seed`; the same seed gives the same sequence. */
export class QasmGenerator {
  private readonly rng: Rng;
  constructor(seed: number) { this.rng = new Rng(seed); }

  private int(n: number): number { return Math.floor(this.rng.next() * n); }
  private pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  private chance(p: number): boolean { return this.rng.next() < p; }

  /** A parameter expression over `names` (gate parameters or v3 inputs) with nesting at most `depth`. */
  expr(names: readonly string[], depth = 3): string {
    const leaf = () => {
      const r = this.int(6);
      if (r === 0 && names.length) return this.pick(names);
      if (r === 1) return this.pick(['pi', 'pi/2', 'tau', 'euler', 'π']);
      if (r === 2) return `${this.int(1000)}.${this.int(1000)}e${this.int(7) - 3}`;
      return (this.rng.next() * 8 - 4).toFixed(this.int(6));
    };
    if (depth <= 0 || this.chance(0.35)) return leaf();
    switch (this.int(6)) {
      case 0: return `(${this.expr(names, depth - 1)})`;
      case 1: return `-${this.expr(names, depth - 1)}`;
      case 2: return `${this.pick(FUNCS)}(${this.expr([], depth - 1)})`;
      case 3: return `${this.expr([], depth - 1)}^${leaf().replace(/^-/, '')}`;
      default: return `${this.expr(names, depth - 1)} ${this.pick(['+', '-', '*', '/'])} ${this.expr(names, depth - 1)}`;
    }
  }

  /** A syntactically valid program (usually; randomly sized and shaped). */
  program(): string {
    const v3 = this.chance(0.3);
    const lines: string[] = [v3 ? 'OPENQASM 3.0;' : 'OPENQASM 2.0;'];
    if (this.chance(0.9)) lines.push(v3 ? 'include "stdgates.inc";' : 'include "qelib1.inc";');
    const inputs: string[] = [];
    if (v3) for (let i = 0, n = this.int(3); i < n; i++) { const nm = `${this.pick(['w', 'x'])}${i}`; if (!inputs.includes(nm)) { inputs.push(nm); lines.push(`input float[64] ${nm};`); } }
    const regs: Array<[string, number]> = [];
    for (let r = 0, n = 1 + this.int(2); r < n; r++) {
      const size = 1 + this.int(4);
      regs.push([`q${r}`, size]);
      lines.push(v3 ? `qubit[${size}] q${r};` : `qreg q${r}[${size}];`);
    }
    const total = regs.reduce((a, [, s]) => a + s, 0);
    lines.push(v3 ? `bit[${total}] c;` : `creg c[${total}];`);
    const gates: Array<[string, number, number]> = [...LIB_GATES];
    for (let g = 0, n = this.int(4); g < n; g++) {
      const nP = this.int(3), nQ = 1 + this.int(3);
      const ps = Array.from({ length: nP }, (_, i) => `t${i}`), qs = Array.from({ length: nQ }, (_, i) => `a${i}`);
      const body: string[] = [];
      for (let k = 0, m = 1 + this.int(4); k < m; k++) {
        const [name, np, nq] = this.pick(gates.filter(([, , q]) => q <= nQ));
        const args = [...qs].sort(() => this.rng.next() - 0.5).slice(0, nq);
        body.push(`${name}${np ? `(${Array.from({ length: np }, () => this.expr(ps)).join(', ')})` : ''} ${args.join(', ')};`);
      }
      const name = `g${g}`;
      lines.push(`gate ${name}${nP ? `(${ps.join(', ')})` : ''} ${qs.join(', ')} { ${body.join(' ')} }`);
      gates.push([name, nP, nQ]);
    }
    const qubit = () => { const [r, s] = this.pick(regs); return `${r}[${this.int(s)}]`; };
    for (let k = 0, m = this.int(25); k < m; k++) {
      const [name, np, nq] = this.pick(gates.filter(([, , q]) => q <= total));
      const args = new Set<string>();
      while (args.size < nq) args.add(qubit());
      const params = np ? `(${Array.from({ length: np }, () => this.expr(inputs)).join(', ')})` : '';
      lines.push(this.chance(0.05) ? `barrier ${[...args].join(', ')};` : `${name}${params} ${[...args].join(', ')};`);
    }
    if (this.chance(0.3)) lines.push(v3 ? 'c[0] = measure q0[0];' : 'measure q0[0] -> c[0];');
    return lines.join(this.chance(0.1) ? ' ' : '\n') + '\n';
  }

  /** A program with random edits: tokens deleted, duplicated or swapped; characters flipped; hostile fragments spliced in. */
  mutate(src: string): string {
    const toks = src.split(/(\s+|[;,()[\]{}])/).filter((t) => t.length > 0);
    for (let e = 0, n = 1 + this.int(4); e < n && toks.length > 0; e++) {
      const i = this.int(toks.length);
      switch (this.int(7)) {
        case 0: toks.splice(i, 1); break;
        case 1: toks.splice(i, 0, toks[i]); break;
        case 2: { const j = this.int(toks.length); [toks[i], toks[j]] = [toks[j], toks[i]]; break; }
        case 3: toks[i] = toks[i].replace(/./, () => String.fromCharCode(32 + this.int(95))); break;
        case 4: toks.splice(i, 0, this.pick(['(', ')', ';', '{', '}', '[', ']', '->', '"', 'gate', 'qreg', 'measure', '//', '/*', '@', '\u0000', 'OPENQASM 2.0;'])); break;
        case 5: toks.splice(i, 0, this.pick(HOSTILE)()); break;
        default: toks[i] = toks[i].replace(/\d+/, () => this.pick(['0', '-1', '99999999999', '1e999', '26', '27', `${this.int(64)}`]));
      }
    }
    return toks.join('');
  }

  /** A program built around one hostile construct (deep nesting, expansion, long input). */
  hostile(): string {
    const h = this.chance(0.5) ? 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n' : 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\n';
    switch (this.int(6)) {
      case 0: return `${h}rx(${this.pick(HOSTILE)()}) q[0];\n`;
      case 1: { const n = 10 + this.int(200); return `${h}gate g0 a { x a; }\n${Array.from({ length: n }, (_, i) => `gate g${i + 1} a { g${i} a; }`).join('\n')}\ng${n} q[0];\n`; }
      case 2: { const n = this.pick([6, 10, 21, 25, 40]); return `${h}gate g0 a { x a; }\n${Array.from({ length: n }, (_, i) => `gate g${i + 1} a { g${i} a; g${i} a; }`).join('\n')}\ng${n} q[0];\n`; }
      case 3: return `${h}gate ${this.pick(['h', 'x', 'cx', 'rx', 'u3', 'sx', 'swap'])} a { x a; }\n`;
      case 4: return `${h}${'x q[0];\n'.repeat(1000 + this.int(5000))}`;
      default: return `${h}${'u3(' + this.expr([], 8) + ', 0, 0) q[1];\n'}`;
    }
  }

  /** The next case: mostly valid programs, then mutations, then hostile constructs. */
  next(): QasmCase {
    const r = this.rng.next();
    if (r < 0.45) return { kind: 'grammar', source: this.program() };
    if (r < 0.93) return { kind: 'mutated', source: this.mutate(this.program()) };
    return { kind: 'hostile', source: this.hostile() };
  }
}
