/**
 * Issue 16: OpenQASM that used to overflow the stack, expand without bound or silently replace a standard
 * gate now fails with a QasmError (QasmLimitError for limits) naming the limit, line and column, fast.
 */
import { strict as assert } from 'assert';
import { DEFAULT_QASM_LIMITS, QasmError, QasmLimitError, fromQasm, parseQasm } from '../src/sim';
import { typedErrorWithin } from './helpers/hostile';

const H = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n';
const chain = (n: number) =>
  `${H}gate g0 a { x a; }\n${Array.from({ length: n }, (_, i) => `gate g${i + 1} a { g${i} a; }`).join('\n')}\ng${n} q[0];\n`;
const doubling = (levels: number) =>
  `${H}gate g0 a { x a; }\n${Array.from({ length: levels }, (_, i) => `gate g${i + 1} a { g${i} a; g${i} a; }`).join('\n')}\ng${levels} q[0];\n`;

describe('fromQasm on hostile input (issue 16)', () => {
  const cases: [string, string, RegExp][] = [
    ['2,100 nested parentheses', `${H}rx(${'('.repeat(2100)}1${')'.repeat(2100)}) q[0];`, /line 4, column \d+: .*maxExprDepth/],
    ['sin( nested 5,000 times', `${H}rx(${'sin('.repeat(5000)}1${')'.repeat(5000)}) q[0];`, /line 4, column \d+: .*maxExprDepth/],
    ['20,000 unary minuses', `${H}rx(${'-'.repeat(20000)}1) q[0];`, /line 4, column \d+: .*maxExprTokens/],
    ['a flat sum of 10,000 terms', `${H}rx(${Array(10000).fill('1').join('+')}) q[0];`, /line 4, column \d+: .*maxExprTokens/],
    ['a chain of 20,000 user gates', chain(20000), /line 68, column 6: .*maxGateDepth.*'g64'/],
    ['22 doubling gate levels (4M operations)', doubling(22), /line 27, column 1: .*maxOperations.*4194304/],
    ['24 doubling gate levels', doubling(24), /maxOperations/],
    ['a right-nested power tower', `${H}rx(${Array(3000).fill('1').join('^')}) q[0];`, /maxExprDepth/],
  ];
  for (const [what, src, message] of cases) {
    it(`${what}: a QasmLimitError naming the limit, line and column, within 100 ms`, () => {
      const e = typedErrorWithin(() => fromQasm(src), 100);
      assert.ok(e instanceof QasmLimitError, `${e.name}: ${e.message}`);
      assert.match(e.message, message);
    });
  }

  it('redefining a standard gate after its include is a QasmError (as in Qiskit)', () => {
    const e = typedErrorWithin(() => fromQasm(`${H}gate h a { x a; }\nh q[0];`), 100);
    assert.ok(e instanceof QasmError);
    assert.match(e.message, /^line 4, column 6: .*'h', a standard gate of "qelib1.inc"/);
    const v3 = typedErrorWithin(() => fromQasm('OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[1] q;\ngate rx(t) a { h a; }\n'), 100);
    assert.match(v3.message, /line 4, column 6: .*'rx', a standard gate of "stdgates.inc"/);
    // A gate defined before the include would be silently shadowed by it: refused as well.
    assert.throws(() => fromQasm('OPENQASM 2.0;\nqreg q[1];\ngate h a { x a; }\ninclude "qelib1.inc";\n'), /line 4, column 9: .*'h'.*line 3/);
  });

  it('still lets a program define gates the include lacks, or a gate named h when nothing is included', () => {
    // Qiskit writes definitions for gates outside qelib1.inc, such as ryy.
    const c = fromQasm(`${H}gate ryy(theta) a, b { rx(pi/2) a; rx(pi/2) b; cx a, b; rz(theta) b; cx a, b; rx(-pi/2) a; rx(-pi/2) b; }\nryy(0.3) q[0], q[1];`);
    assert.equal(c.ops.length, 7);
    assert.equal(fromQasm('OPENQASM 2.0;\nqreg q[1];\ngate h a { U(pi/2, 0, pi) a; }\nh q[0];').ops.length, 1);
    // sx is not among the 23 gates of the original qelib1.inc, so Qiskit's exports may define it.
    assert.equal(fromQasm(`${H}gate sx a { sdg a; h a; sdg a; }\nsx q[0];`).ops.length, 1);
  });

  it('refuses literals and arithmetic that overflow, naming line and column', () => {
    assert.throws(() => fromQasm(`${H}rx(1e999) q[0];`), /line 4, column 4: expected a finite number, found 1e999/);
    assert.throws(() => fromQasm(`${H}rx(1e308*10) q[0];`), (e: Error) => e instanceof QasmError && /column 9: .*finite.*Infinity/.test(e.message));
    assert.throws(() => fromQasm(`${H}rx(1e308*10-1e308*10) q[0];`), QasmError);
    assert.throws(() => fromQasm('OPENQASM 3.0;\ninput float[64] w0;\nqubit[1] q;\nrx(1e300*1e10*w0) q[0];'), QasmError);
    assert.throws(() => fromQasm('OPENQASM 3.0;\ninput float[64] w0;\nqubit[1] q;\nrx(w0/1e-320) q[0];'), QasmError);
  });

  it('keeps real programs inside the default limits: a 20-qubit QFT with nested definitions and 200,000 gates', () => {
    const n = 20;
    const lines = ['OPENQASM 2.0;', 'include "qelib1.inc";', `qreg q[${n}];`, 'creg c[20];',
      'gate cphase2(l) a, b { u1(l/2) a; cx a, b; u1(-l/2) b; cx a, b; u1(l/2) b; }',
      'gate layer(t) a, b { cphase2(t) a, b; h a; cphase2(-t/2) b, a; }'];
    for (let i = 0; i < n; i++) {
      lines.push(`h q[${i}];`);
      for (let j = i + 1; j < n; j++) lines.push(`cu1(pi/${2 ** (j - i)}) q[${j}], q[${i}];`);
    }
    for (let k = 0; lines.length < 20000; k++) lines.push(`layer(${(0.001 * k).toFixed(3)}*pi + sin(pi/7)^2) q[${k % n}], q[${(k + 3) % n}];`);
    lines.push('measure q -> c;');
    const t = performance.now();
    const p = parseQasm(lines.join('\n'));
    assert.ok(p.circuit.ops.length > 200000, `${p.circuit.ops.length} operations`);
    assert.equal(p.measurements.length, n);
    assert.ok(performance.now() - t < 10000);
  });

  it('limits are options: raising one admits the program, lowering one refuses it; bad limits are named', () => {
    const src = `${H}rx(${'('.repeat(200)}1${')'.repeat(200)}) q[0];`;
    assert.throws(() => fromQasm(src), /maxExprDepth/);
    assert.equal(fromQasm(src, { limits: { maxExprDepth: 300 } }).ops.length, 1);
    assert.equal(fromQasm(doubling(22), { limits: { maxOperations: 5_000_000 } }).ops.length, 2 ** 22);
    assert.throws(() => fromQasm(chain(10), { limits: { maxGateDepth: 5 } }), (e: Error) => e instanceof QasmLimitError && e.limit === 'maxGateDepth' && e.max === 5);
    assert.throws(() => fromQasm(`${H}x q[0]; x q[1]; x q[0];`, { limits: { maxOperations: 2 } }), /line 4, column 17: .*maxOperations/);
    assert.throws(() => fromQasm(src, { limits: { maxExprDepth: 1e9 } }), /options\.limits\.maxExprDepth\): expected an integer in \[1, 1000\], got 1000000000/);
    assert.throws(() => fromQasm(src, { limits: { maxDepth: 3 } as never }), /options\.limits\): expected known option names, got unknown option 'maxDepth'; did you mean 'maxExprDepth'\?/);
    assert.ok(DEFAULT_QASM_LIMITS.maxOperations >= 1_000_000);
  });

  it('the highest ceilings still cannot overflow the stack (depth 1000 parentheses inside 1000 nested gates)', () => {
    const limits = { maxExprDepth: 1000, maxGateDepth: 1000, maxExprTokens: 100_000 };
    const deepParens = `${H}gate g0(t) a { rx(${'('.repeat(999)}t${')'.repeat(999)}) a; }\n` +
      Array.from({ length: 999 }, (_, i) => `gate g${i + 1}(t) a { g${i}(${'('.repeat(999)}t${')'.repeat(999)}) a; }`).join('\n') + '\ng999(0.5) q[0];';
    assert.equal(fromQasm(deepParens, { limits }).ops.length, 1);
    const flat = `${H}rx(${Array(50000).fill('1e-5').join('+')}) q[0];`;
    assert.ok(Math.abs((fromQasm(flat, { limits }).ops[0].params[0] as number) - 0.5) < 1e-9);
  });
});
