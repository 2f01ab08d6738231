/**
 * Inputs that once broke qkc (stack overflow, unbounded expansion, NaN, a raw internal error), kept as
 * regression cases for the fuzzing suite: each must now end in a result or a typed error, fast.
 */
import { tf } from '../../src/backend';
import { Circuit, expval, input, sample } from '../../src/sim';
import { QuantumConv2D } from '../../src/qkc';

const H2 = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n';

/** OpenQASM programs (issue 16 and what the fuzzer found). */
export const QASM_REGRESSIONS: ReadonlyArray<{ why: string; source: string }> = [
  { why: '2,100 nested parentheses (RangeError)', source: `${H2}rx(${'('.repeat(2100)}1${')'.repeat(2100)}) q[0];` },
  { why: 'sin( nested 5,000 times (RangeError)', source: `${H2}rx(${'sin('.repeat(5000)}1${')'.repeat(5000)}) q[0];` },
  { why: '20,000 unary minuses (RangeError)', source: `${H2}rx(${'-'.repeat(20000)}1) q[0];` },
  { why: 'flat sum of 10,000 terms (RangeError)', source: `${H2}rx(${Array(10000).fill('1').join('+')}) q[0];` },
  { why: 'chain of 20,000 user gates (RangeError)', source: `${H2}gate g0 a { x a; }\n${Array.from({ length: 20000 }, (_, i) => `gate g${i + 1} a { g${i} a; }`).join('\n')}\ng20000 q[0];` },
  { why: '24 doubling gate levels (hang, 913 MB at 22)', source: `${H2}gate g0 a { x a; }\n${Array.from({ length: 24 }, (_, i) => `gate g${i + 1} a { g${i} a; g${i} a; }`).join('\n')}\ng24 q[0];` },
  { why: 'h redefined after qelib1.inc (silently replaced)', source: `${H2}gate h a { x a; }\nh q[0];` },
  { why: '1e999 literal times an input (plain Error from weight())', source: 'OPENQASM 3.0;\ninput float[64] w0;\nqubit[1] q;\nrx(1e300*1e300*w0) q[0];' },
  { why: 'division by a subnormal (Infinity scale)', source: 'OPENQASM 3.0;\ninput float[64] w0;\nqubit[1] q;\nrx(w0/1e-320) q[0];' },
  { why: 'Infinity − Infinity (NaN angle)', source: `${H2}rx(1e308*10-1e308*10) q[0];` },
];

/** API calls (as code the suite runs); each returns or throws a typed error. */
export const API_REGRESSIONS: ReadonlyArray<{ why: string; run: () => unknown }> = [
  { why: "observable '1e999*Z0' gave [NaN]", run: () => expval(new Circuit(2).h(0), ['1e999*Z0']) },
  { why: "observable '1e39*Z1' gave [NaN]", run: () => expval(new Circuit(2).h(0), ['1e39*Z1']) },
  { why: "observable '1e308*X0' gave [NaN]", run: () => expval(new Circuit(2).h(0), ['1e308*X0']) },
  { why: 'sample(c, 0) named expval', run: () => sample(new Circuit(1).h(0), 0) },
  { why: "h('1') said got 1", run: () => new Circuit(2).h('1' as never) },
  { why: 'unitary(number) gave a TypeError (fuzzer)', run: () => new Circuit(2).unitary(-1.2 as never, 1e39 as never) },
  { why: 'int32 input gave a raw tfjs message', run: () => new QuantumConv2D({}).apply(tf.zeros([1, 4, 4, 1], 'int32')) },
  { why: 'unknown layer option silently accepted', run: () => new QuantumConv2D({ foo: 1 } as never) },
  { why: 'inputs given as a number: TypeError reading shape (npm run fuzz, seed 7)', run: () => expval(new Circuit(2).ry(input(0), 0), ['Z0'], { inputs: 1.15 as never }) },
  { why: "noise.channels not an array: TypeError '.forEach is not a function' (npm run fuzz, seed 7)", run: () => expval(new Circuit(1).rx(0.3, 0), ['Z0'], { noise: { channels: 'x' as never } }) },
  { why: 'zero-size input reached tfjs reshape (fuzzer)', run: () => new QuantumConv2D({}).apply(tf.zeros([0, 4, 4, 1])) },
];
