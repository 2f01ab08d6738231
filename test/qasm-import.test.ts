import { strict as assert } from 'assert';
import { Circuit, CMatrix, fromQasm, parseQasm, gateMatrix, QasmError } from '../src/sim';
import { referenceUnitary, diffUpToPhase } from './helpers/reference';

const HEAD = 'OPENQASM 2.0;\ninclude "qelib1.inc";\n';
/** The unitary of a QASM body on n qubits named q. */
const qasmUnitary = (n: number, body: string) => referenceUnitary(fromQasm(`${HEAD}qreg q[${n}];\n${body}`));

/** exp(-iθ/2·P⊗P) for a 2×2 Pauli P (on 2 qubits). */
function pauliPairRotation(p: CMatrix, theta: number): CMatrix {
  const re: number[][] = [], im: number[][] = [];
  const c = Math.cos(theta / 2), s = Math.sin(theta / 2);
  for (let i = 0; i < 4; i++) {
    re.push([]); im.push([]);
    for (let j = 0; j < 4; j++) {
      // (P⊗P)[i][j] with the first wire the low bit.
      const ar = p.re[i & 1][j & 1], ai = p.im[i & 1][j & 1], br = p.re[i >> 1][j >> 1], bi = p.im[i >> 1][j >> 1];
      const pr = ar * br - ai * bi, pi = ar * bi + ai * br;
      re[i].push((i === j ? c : 0) + s * pi); // −i·s·(pr + i·pi) = s·pi − i·s·pr
      im[i].push(-s * pr);
    }
  }
  return { re, im };
}

/** The matrix of `u` on the last of k qubits controlled by all the others (first wire low bit). */
function controlledMatrix(u: CMatrix, k: number): CMatrix {
  const dim = 1 << k, all = (1 << (k - 1)) - 1;
  const re = Array.from({ length: dim }, (_, i) => Array.from({ length: dim }, (_, j): number => (i === j ? 1 : 0)));
  const im = re.map((r) => r.map(() => 0));
  for (const a of [0, 1]) for (const b of [0, 1]) {
    const i = all | (a << (k - 1)), j = all | (b << (k - 1));
    re[i][j] = u.re[a][b]; im[i][j] = u.im[a][b];
  }
  return { re, im };
}
const on = (n: number, m: CMatrix, wires: number[]) => referenceUnitary(new Circuit(n).unitary(m, wires));

describe('fromQasm: the qelib1 library', () => {
  it('maps native gates one to one, u2/u1/U/CX/id included', () => {
    const c = fromQasm(`${HEAD}qreg q[3];\nU(0.1, 0.2, 0.3) q[0]; u2(0.4, 0.5) q[1]; u1(0.6) q[2]; p(0.7) q[0]; u(1,2,3) q[1];\n` +
      'CX q[0], q[1]; id q[2]; u0(5) q[2]; cu1(0.8) q[2], q[0]; cp(0.9) q[0], q[1]; crz(1) q[1], q[2]; ccx q[2], q[0], q[1];');
    assert.deepEqual(c.ops.map((o) => [o.name, o.wires, o.params]), [
      ['u3', [0], [0.1, 0.2, 0.3]], ['u3', [1], [Math.PI / 2, 0.4, 0.5]], ['phase', [2], [0.6]], ['phase', [0], [0.7]],
      ['u3', [1], [1, 2, 3]], ['cx', [0, 1], []], ['cphase', [2, 0], [0.8]], ['cphase', [0, 1], [0.9]], ['crz', [1, 2], [1]],
      ['ccx', [2, 0, 1], []],
    ]);
  });

  it('decomposes controlled gates qkc lacks, keeping their exact controlled action', () => {
    const t = 0.7, ph = -1.1, la = 2.3, ga = 0.4;
    const cases: [string, number, CMatrix][] = [
      ['cy q[0], q[1];', 2, controlledMatrix(gateMatrix('y', []), 2)],
      ['ch q[0], q[1];', 2, controlledMatrix(gateMatrix('h', []), 2)],
      ['csx q[0], q[1];', 2, controlledMatrix(gateMatrix('sx', []), 2)],
      [`cu3(${t}, ${ph}, ${la}) q[0], q[1];`, 2, controlledMatrix(gateMatrix('u3', [t, ph, la]), 2)],
      [`cu(${t}, ${ph}, ${la}, ${ga}) q[0], q[1];`, 2, controlledMatrix({
        re: gateMatrix('u3', [t, ph, la]).re.map((r, i) => r.map((v, j) => Math.cos(ga) * v - Math.sin(ga) * gateMatrix('u3', [t, ph, la]).im[i][j])),
        im: gateMatrix('u3', [t, ph, la]).re.map((r, i) => r.map((v, j) => Math.sin(ga) * v + Math.cos(ga) * gateMatrix('u3', [t, ph, la]).im[i][j])),
      }, 2)],
      ['c3x q[0], q[1], q[2], q[3];', 4, controlledMatrix(gateMatrix('x', []), 4)],
      ['c3sqrtx q[0], q[1], q[2], q[3];', 4, controlledMatrix(gateMatrix('sx', []), 4)],
      ['c4x q[0], q[1], q[2], q[3], q[4];', 5, controlledMatrix(gateMatrix('x', []), 5)],
    ];
    for (const [body, n, m] of cases) {
      // The controlled block must match exactly up to one global phase of the whole matrix.
      const d = diffUpToPhase(qasmUnitary(n, body), on(n, m, Array.from({ length: n }, (_, i) => i)));
      assert.ok(d < 1e-12, `${body}: ${d}`);
    }
  });

  it('rewrites two-qubit rotations, cswap and sxdg exactly (up to global phase)', () => {
    const X = gateMatrix('x', []), Y = gateMatrix('y', []), Z = gateMatrix('z', []);
    for (const th of [0.3, -2.1]) {
      assert.ok(diffUpToPhase(qasmUnitary(2, `rzz(${th}) q[0], q[1];`), pauliPairRotation(Z, th)) < 1e-12);
      assert.ok(diffUpToPhase(qasmUnitary(2, `rxx(${th}) q[1], q[0];`), pauliPairRotation(X, th)) < 1e-12);
      assert.ok(diffUpToPhase(qasmUnitary(2, `ryy(${th}) q[0], q[1];`), pauliPairRotation(Y, th)) < 1e-12);
    }
    // cswap a, b, c: swaps b and c when a is 1.
    const fredkin = qasmUnitary(3, 'cswap q[0], q[1], q[2];');
    for (let j = 0; j < 8; j++) {
      const i = j & 1 ? (j & 1) | ((j >> 2) & 1) << 1 | ((j >> 1) & 1) << 2 : j;
      assert.equal(fredkin.re[i][j], 1, `cswap column ${j}`);
    }
    const sx = gateMatrix('sx', []);
    const sxdg = { re: [[sx.re[0][0], sx.re[1][0]], [sx.re[0][1], sx.re[1][1]]], im: [[-sx.im[0][0], -sx.im[1][0]], [-sx.im[0][1], -sx.im[1][1]]] };
    assert.ok(diffUpToPhase(qasmUnitary(1, 'sxdg q[0];'), sxdg) < 1e-12);
    assert.ok(diffUpToPhase(qasmUnitary(1, 'sx q[0]; sxdg q[0];'), { re: [[1, 0], [0, 1]], im: [[0, 0], [0, 0]] }) < 1e-12);
  });
});

describe('fromQasm: programs', () => {
  it('flattens registers in declaration order and broadcasts whole-register arguments', () => {
    const imp = parseQasm(`${HEAD}qreg a[2];\ncreg c[3];\nqreg b[3];\nh a;\ncx a[1], b;\nx b[2];`);
    assert.deepEqual(imp.qregs, [{ name: 'a', size: 2, offset: 0 }, { name: 'b', size: 3, offset: 2 }]);
    assert.deepEqual(imp.cregs, [{ name: 'c', size: 3, offset: 0 }]);
    assert.equal(imp.circuit.nQubits, 5);
    assert.deepEqual(imp.circuit.ops.map((o) => [o.name, o.wires]), [
      ['h', [0]], ['h', [1]], ['cx', [1, 2]], ['cx', [1, 3]], ['cx', [1, 4]], ['x', [4]],
    ]);
    const pairs = fromQasm(`${HEAD}qreg a[2];\nqreg b[2];\ncx a, b;`);
    assert.deepEqual(pairs.ops.map((o) => o.wires), [[0, 2], [1, 3]]);
  });

  it('expands user gate definitions with parameters, nesting and expressions', () => {
    const src = `${HEAD}// a comment
gate rot(a, b) x { rz(a) x; ry(-b/2 + a*0) x; }
/* block
   comment */ gate ent(t) p, r { cx p, r; rot(t, 2*t) r; barrier p, r; }
qreg q[2];
ent(pi/4) q[1], q[0];
rx(sin(pi/2) + cos(0)^2 * sqrt(4) - ln(exp(1)) + 3/2 - -1) q[0];
ry(-pi^2) q[1];
rz(2^3^2 / tan(pi/4)) q[0];
`;
    const c = fromQasm(src);
    assert.deepEqual(c.ops.map((o) => [o.name, o.wires]), [['cx', [1, 0]], ['rz', [0]], ['ry', [0]], ['rx', [0]], ['ry', [1]], ['rz', [0]]]);
    assert.equal(c.ops[1].params[0], Math.PI / 4);
    assert.ok(Math.abs((c.ops[2].params[0] as number) + Math.PI / 4) < 1e-15);
    assert.ok(Math.abs((c.ops[3].params[0] as number) - (1 + 2 - 1 + 1.5 + 1)) < 1e-12);
    assert.equal(c.ops[4].params[0], -(Math.PI ** 2)); // unary minus binds looser than ^
    assert.ok(Math.abs((c.ops[5].params[0] as number) - 512) < 1e-9); // ^ is right-associative
  });

  it('records final measurements, ignores barriers, and refuses gates after a measurement', () => {
    const imp = parseQasm(`${HEAD}qreg q[2];\ncreg c[2];\nh q[0];\nbarrier q;\nmeasure q[0] -> c[1];\nmeasure q[1] -> c[0];`);
    assert.deepEqual(imp.measurements, [{ qubit: 0, clbit: 1, line: 7 }, { qubit: 1, clbit: 0, line: 8 }]);
    assert.equal(imp.circuit.ops.length, 1);
    assert.deepEqual(parseQasm(`${HEAD}qreg q[2];\ncreg c[2];\nmeasure q -> c;`).measurements.map((m) => [m.qubit, m.clbit]), [[0, 0], [1, 1]]);
    assert.throws(() => fromQasm(`${HEAD}qreg q[2];\ncreg c[2];\nmeasure q[0] -> c[0];\ncx q[1], q[0];`),
      /line 6, column 1: expected gates only before measurement, found 'cx' on measured qubit q\[0\]/);
  });

  it('reads OpenQASM 3 declarations, inputs and measurement assignments', () => {
    const c = parseQasm('OPENQASM 3;\ninclude "stdgates.inc";\ninput float[64] w2;\ninput angle[32] x0;\nqubit[2] q;\nqubit r;\nbit[3] c;\n' +
      'ry(pi*x0 + 0) q[0];\ncrz(-(w2 * 2) / 4) q[1], r;\nU(w2, 0, 1) r;\nc[2] = measure r;\n');
    assert.deepEqual(c.circuit.toJSON().ops, [
      { name: 'ry', wires: [0], params: [{ kind: 'input', index: 0, scale: Math.PI }] },
      { name: 'crz', wires: [1, 2], params: [{ kind: 'weight', index: 2, scale: -0.5 }] },
      { name: 'u3', wires: [2], params: [{ kind: 'weight', index: 2, scale: 1 }, 0, 1] },
    ]);
    assert.deepEqual(c.inputs, ['w2', 'x0']);
    assert.deepEqual(c.measurements, [{ qubit: 2, clbit: 2, line: 11 }]);
  });
});

describe('fromQasm: bad input names line, column, expected and found', () => {
  const q2 = `${HEAD}qreg q[2];\ncreg c[2];\n`; // statements below start on line 5
  const cases: [string, string, RegExp][] = [
    ['missing header', 'qreg q[1];', /^line 1, column 1: expected the header 'OPENQASM 2\.0;', found 'qreg'/],
    ['bad version', 'OPENQASM 4.0;', /^line 1, column 10: expected version 2\.0 or 3\.0 after OPENQASM, found '4\.0'/],
    ['missing semicolon', `${q2}h q[0]\ncx q[0], q[1];`, /^line 5, column 7: expected ';' after the arguments of 'h', found 'cx' on line 6/],
    ['unknown gate', `${q2}foo q[0];`, /^line 5, column 1: expected a qelib1 gate or one defined with 'gate', found unknown gate 'foo'/],
    ['too few qubits', `${q2}cx q[0];`, /^line 5, column 1: expected 2 qubit argument\(s\) for 'cx', found 1/],
    ['too many params', `${q2}rx(1, 2) q[0];`, /^line 5, column 1: expected 1 parameter\(s\) for 'rx', found 2/],
    ['missing param', `${q2}u3(1, 2) q[0];`, /^line 5, column 1: expected 3 parameter\(s\) for 'u3', found 2/],
    ['index out of range', `${q2}h q[0];\nx q[2];`, /^line 6, column 5: expected an index from 0 to 1 for register 'q' of size 2, found 2/],
    ['undefined register', `${q2}  h r[0];`, /^line 5, column 5: expected a quantum register \(declared: q\), found undefined register 'r'/],
    ['classical as quantum', `${q2}h c[0];`, /^line 5, column 3: expected a quantum register .*found classical register 'c'/],
    ['bad expression', `${q2}rx(*2) q[0];`, /^line 5, column 4: expected an expression .*found '\*'/],
    ['unclosed parameter list', `${q2}rx((1 + 2) q[0];`, /^line 5, column 12: expected '\)' to close the parameter list of 'rx', found 'q'/],
    ['unclosed parenthesis', `${q2}rx((1 + 2 q[0];`, /^line 5, column 11: expected '\)' to close the parenthesis, found 'q'/],
    ['unknown identifier', `${q2}rx(theta) q[0];`, /^line 5, column 4: expected a parameter name \(one of 'pi'\), found undefined identifier 'theta'/],
    ['division by zero', `${q2}rx(1/0) q[0];`, /^line 5, column 5: expected a non-zero divisor/],
    ['NaN', `${q2}rx(sqrt(-1)) q[0];`, /^line 5, column 4: expected a finite value, but the expression evaluates to NaN/],
    ['repeated qubit', `${q2}cx q[1], q[1];`, /^line 5, column 1: expected distinct qubits for 'cx', found qubit q\[1\] twice/],
    ['unequal registers', `${HEAD}qreg a[2];\nqreg b[3];\ncx a, b;`, /^line 5, column 1: expected registers of equal size for 'cx', found sizes 2, 3/],
    ['other include', 'OPENQASM 2.0;\ninclude "mylib.inc";', /^line 2, column 9: expected "qelib1\.inc" or "stdgates\.inc".*found "mylib\.inc"/],
    ['reset', `${q2}reset q[0];`, /^line 5, column 1: expected a unitary operation, found 'reset'/],
    ['opaque use', `${q2}opaque magic(a) x;\nmagic(1) q[0];`, /^line 6, column 1: expected a gate with a definition, found opaque gate 'magic'/],
    ['indexing in a body', `${q2}gate g a { h a[0]; }`, /^line 5, column 15: expected a qubit argument name of 'h' \(no indexing inside a gate body\), found '\['/],
    ['undeclared body qubit', `${q2}gate g a { cx a, b; }`, /^line 5, column 18: expected one of the qubit arguments of 'g' \(a\), found 'b'/],
    ['undeclared body parameter', `${q2}gate g(t) a { rx(s) a; }`, /^line 5, column 18: expected a parameter of 'g' \(t\) or pi, found 's'/],
    ['gate redefined', `${q2}gate g a { h a; }\ngate g a { x a; }`, /^line 6, column 6: expected a new gate name, found 'g' already defined at line 5/],
    ['unclosed body', `${q2}gate g a { h a;`, /^line 5, column 16: expected '}' to close the body of gate 'g', found end of input/],
    ['too many qubits', `${HEAD}qreg a[20];\nqreg b[7];`, /^line 4, column 8: expected at most 26 qubits in total, found register 'b' bringing the total to 27/],
    ['no qubits', `${HEAD}creg c[1];`, /^line 3, column 11: expected a 'qreg' declaration \(the program declares no qubits\), found end of input/],
    ['unterminated comment', `${q2}/* oops`, /^line 5, column 1: expected '\*\/' to close this comment/],
    ['bad character', `${q2}h q[0]; $`, /^line 5, column 9: unexpected character '\$'/],
    ['gate outside qelib1', `${HEAD}qreg q[2];\necr q[0], q[1];`, /^line 4, column 1: expected a qelib1 gate or one defined with 'gate', found unknown gate 'ecr'/],
    ['v2 symbolic', `${q2}rx(2*x0) q[0];`, /found undefined identifier 'x0'/],
    ['non-linear v3', 'OPENQASM 3.0;\ninput float[64] w0;\nqubit q;\nrx(w0*w0) q;', /^line 4, column 6: expected at least one numeric factor, found a product of w0 and w0/],
    ['offset angle v3', 'OPENQASM 3.0;\ninput float[64] w0;\nqubit q;\nrx(w0 + 1) q;', /^line 4, column 4: expected an angle of the form number or scale·parameter, found 1 \+ 1·w0/],
    ['integer input', 'OPENQASM 3.0;\ninput int[32] n;', /^line 2, column 7: expected 'float' or 'angle', found 'int'/],
    ['weight index taken twice', 'OPENQASM 3.0;\ninput float[64] theta;\ninput float[64] w0;', /^line 3, column 17: expected a weight index not yet taken, found 'w0' but weight 0 is already 'theta'/],
    ['v3 control flow', 'OPENQASM 3.0;\nqubit q;\nfor i in [0:2] { h q; }', /^line 3, column 1: expected a gate-level statement, found 'for'/],
    ['modifier', 'OPENQASM 3.0;\nqubit[2] q;\nctrl @ x q[0], q[1];', /^line 3, column 1: expected a gate name, found the modifier 'ctrl @'/],
    ['symbolic cu3', 'OPENQASM 3.0;\ninput float[64] w0;\nqubit[2] q;\ncu3(w0, 0, 0) q[0], q[1];', /^line 4, column 1: expected numeric angles for 'cu3'/],
  ];
  for (const [what, src, re] of cases) {
    it(what, () => {
      assert.throws(() => fromQasm(src), (e: unknown) => {
        assert.ok(e instanceof QasmError, `${what}: not a QasmError: ${String(e)}`);
        assert.match((e as Error).message, re);
        return true;
      });
    });
  }

  it('points errors inside a gate body at the body, naming the call site', () => {
    const src = `${HEAD}qreg q[2];\ngate g(t) a { rx(1/(t-t)) a; }\ng(1) q[0];`;
    assert.throws(() => fromQasm(src), /line 4, column 19: expected a non-zero divisor, found division by zero \(in gate 'g' called at line 5, column 1\)/);
  });

  it('refuses a non-string argument', () => {
    assert.throws(() => fromQasm(42 as unknown as string), /fromQasm\(text\): expected a string/);
  });
});
