import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Circuit, draw, input, weight } from '../src/sim';
import { layoutCircuit } from '../src/sim/draw/draw-layout';

/** Rows of a text drawing; wire rows are the even ones. */
const rows = (c: Circuit, opts = {}) => draw(c, opts).split('\n');
/** Column (character index) of `s` in row r, asserting it occurs once. */
function colOf(lines: string[], r: number, s: string): number {
  const i = lines[r].indexOf(s);
  assert.ok(i >= 0, `'${s}' not found in row ${r}: ${lines[r]}`);
  assert.equal(lines[r].indexOf(s, i + 1), -1, `'${s}' occurs twice in row ${r}: ${lines[r]}`);
  return i;
}

describe('draw (text)', () => {
  it('draws a Bell circuit: one wire row per qubit, control, target and a connector in one column', () => {
    const lines = rows(new Circuit(2).h(0).cx(0, 1));
    assert.equal(lines.length, 3);
    assert.ok(lines[0].startsWith('q0: ') && lines[2].startsWith('q1: '));
    assert.equal(lines[0].length, lines[2].length, 'wire rows have equal length');
    const c = colOf(lines, 0, '●');
    assert.equal(colOf(lines, 2, '⊕'), c);
    assert.equal(colOf(lines, 1, '│'), c);
    assert.ok(colOf(lines, 0, '┤H├') < c);
    assert.ok(/^[─┤├H●⊕]*$/.test(lines[0].slice(4)), 'wire row holds only wire and glyph characters');
  });

  it('aligns columns (moments): parallel gates share a column, and a gate waits for spans it crosses', () => {
    const c = new Circuit(3).h(0).x(1).cx(0, 2).z(1).y(2);
    const lines = rows(c);
    assert.equal(colOf(lines, 0, '┤H├'), colOf(lines, 2, '┤X├'), 'h(0) and x(1) are one moment');
    const cx = colOf(lines, 0, '●');
    assert.equal(colOf(lines, 4, '⊕'), cx);
    assert.equal(colOf(lines, 2, '┼'), cx, 'the connector crosses q1');
    assert.equal(colOf(lines, 1, '│'), cx);
    assert.equal(colOf(lines, 3, '│'), cx);
    assert.ok(colOf(lines, 2, '┤Z├') > cx, 'z(1) comes after the cx span that crosses q1');
    assert.equal(colOf(lines, 2, '┤Z├'), colOf(lines, 4, '┤Y├'), 'z(1) and y(2) are one moment');
    const layout = layoutCircuit(c);
    assert.deepEqual(layout.columns.map((col) => col.map((p) => p.op.name)), [['h', 'x'], ['cx'], ['z', 'y']]);
  });

  it('centres different-width labels of one column on the same connector', () => {
    const lines = rows(new Circuit(3).crz(weight(3), 0, 2).h(1));
    const c = colOf(lines, 0, '●');
    const label = '┤RZ(w3)├';
    const start = colOf(lines, 4, label);
    assert.ok(start <= c && c < start + label.length, 'the connector meets the target box');
    assert.equal(colOf(lines, 2, '┼'), c);
    assert.ok(colOf(lines, 2, '┤H├') > start + label.length - 1, 'h(1) cannot share the column the crz span crosses');
  });

  it('labels angles symbolically, or as numbers when weights / inputs are given', () => {
    const c = new Circuit(2).ry(input(0, Math.PI), 0).rz(weight(1), 1).rx(-Math.PI / 2, 0).u3(0.1, weight(0, 2), 0.5, 1).cphase(Math.PI / 4, 0, 1);
    const text = draw(c);
    for (const s of ['┤RY(π·x0)├', '┤RZ(w1)├', '┤RX(-π/2)├', '┤U3(0.1, 2·w0, 0.5)├', '┤P(π/4)├']) assert.ok(text.includes(s), `${s} in\n${text}`);
    const bound = draw(c, { weights: tf.tensor1d([0.25, 1.5]), inputs: [0.5] });
    for (const s of ['┤RY(π/2)├', '┤RZ(1.5)├', '┤U3(0.1, 0.5, 0.5)├']) assert.ok(bound.includes(s), `${s} in\n${bound}`);
    assert.ok(!bound.includes('w1') && !bound.includes('x0'));
  });

  it('draws cz, swap, ccx and multi-qubit unitaries with their wire order', () => {
    const u = [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]];
    const lines = rows(new Circuit(4).cz(0, 3).swap(1, 2).ccx(3, 0, 2).unitary(u, [3, 1]).sdg(0).sx(2).tdg(1));
    const cz = lines[0].indexOf('●');
    assert.equal(lines[6][cz], '●');
    assert.equal(lines[2][cz], '┼');
    assert.equal(lines[2].indexOf('×'), lines[4].indexOf('×'));
    const ccx = lines[0].indexOf('●', cz + 1);
    assert.equal(lines[6][ccx], '●');
    assert.equal(lines[4][ccx], '⊕');
    assert.equal(colOf(lines, 6, '┤U[0]├'), colOf(lines, 2, '┤U[1]├'), 'first wire of U (q3) is U[0]');
    for (const s of ['┤S†├', '┤√X├', '┤T†├']) assert.ok(lines.some((l) => l.includes(s)), s);
  });

  it('draws an empty circuit as bare wires, and rejects bad options', () => {
    assert.deepEqual(rows(new Circuit(2)), ['q0: ──', '', 'q1: ──']);
    const c = new Circuit(1).rx(weight(0), 0);
    assert.throws(() => draw(c, { format: 'png' as 'svg' }), /draw\(options\.format\): expected 'text' or 'svg', got "png"/);
    assert.throws(() => draw(c, { weights: [1, 2] }), /draw\(options\.weights\): expected 1 value\(s\), got 2/);
    assert.throws(() => draw('h 0' as unknown as Circuit), /draw\(circuit\): expected a Circuit/);
  });
});

describe('draw (svg)', () => {
  const c = new Circuit(3).h(0).cx(0, 2).crz(weight(0), 1, 2).swap(0, 1).rz(input(0, Math.PI), 2);
  const svg = draw(c, { format: 'svg' });

  it('is one self-contained svg element with size and viewBox', () => {
    assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="'), svg.slice(0, 80));
    assert.ok(svg.endsWith('</svg>'));
    assert.match(svg, /viewBox="0 0 [\d.]+ [\d.]+"/);
    assert.ok(!/url\(|@import|@font-face|<image|href=|<script/.test(svg), 'no external resources');
    // Balanced tags: every opened element is self-closed or closed.
    const opened = (svg.match(/<(svg|text)\b/g) ?? []).length, closed = (svg.match(/<\/(svg|text)>/g) ?? []).length;
    assert.equal(opened, closed);
  });

  it('holds one wire per qubit, one box per boxed gate, and the control/target marks', () => {
    const count = (re: RegExp) => (svg.match(re) ?? []).length;
    assert.equal(count(/<rect [^>]*rx="3"/g), 3, 'boxes: H, RZ(w0), RZ(π·x0)');
    assert.equal(count(/<circle [^>]*r="5"/g), 2, 'controls of cx and crz');
    assert.equal(count(/<circle [^>]*r="10"/g), 1, 'the cx target');
    for (const s of ['>H<', '>RZ(w0)<', '>RZ(π·x0)<', '>q0<', '>q2<']) assert.ok(svg.includes(s), s);
  });

  it('escapes label text', () => {
    // A label can only contain our own characters, but the escaping must hold for any text.
    const withAmp = draw(new Circuit(1).rz(weight(0, 0.5), 0), { format: 'svg' });
    assert.ok(withAmp.includes('>RZ(0.5·w0)<'));
    assert.ok(!/<text[^>]*>[^<]*[<>&][^<]*<\/text>/.test(svg.replace(/&(amp|lt|gt|quot);/g, '')));
  });
});
