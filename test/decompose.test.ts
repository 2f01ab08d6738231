import { strict as assert } from 'assert';
import { Circuit, CMatrix, gateMatrix } from '../src/sim';
import { controlledOps, decomposeUnitary, sqrtUnitary2, u3Angles } from '../src/sim/qasm/decompose';
import { referenceUnitary, diffUpToPhase, maxDiff, randomUnitary, seededRandom } from './helpers/reference';

const fromOps = (n: number, ops: ReturnType<typeof controlledOps>) => {
  const c = new Circuit(n);
  for (const o of ops) c.append(o.name, o.wires, o.params, o.matrix);
  return c;
};
const mat2 = (re: number[][], im: number[][] = [[0, 0], [0, 0]]): CMatrix => ({ re, im });
const mul2 = (a: CMatrix, b: CMatrix): CMatrix => {
  const re = [[0, 0], [0, 0]], im = [[0, 0], [0, 0]];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 2; k++) {
    re[i][j] += a.re[i][k] * b.re[k][j] - a.im[i][k] * b.im[k][j];
    im[i][j] += a.re[i][k] * b.im[k][j] + a.im[i][k] * b.re[k][j];
  }
  return { re, im };
};
const SPECIAL: Record<string, CMatrix> = {
  I: mat2([[1, 0], [0, 1]]), X: mat2([[0, 1], [1, 0]]), Z: mat2([[1, 0], [0, -1]]), minusI: mat2([[-1, 0], [0, -1]]),
  Y: gateMatrix('y', []), H: gateMatrix('h', []), S: gateMatrix('s', []), SX: gateMatrix('sx', []),
  iX: mat2([[0, 0], [0, 0]], [[0, 1], [1, 0]]),
};

describe('decompose', () => {
  const rand = seededRandom(7);
  const samples = [...Object.entries(SPECIAL), ...Array.from({ length: 20 }, (_, i) => [`random${i}`, randomUnitary(2, rand)] as const)];

  it('writes every 2×2 unitary exactly as e^{iα}·U3(θ, φ, λ)', () => {
    for (const [name, u] of samples) {
      const { theta, phi, lam, phase } = u3Angles(u);
      const m = gateMatrix('u3', [theta, phi, lam]);
      const c = Math.cos(phase), s = Math.sin(phase);
      const back = { re: m.re.map((r, i) => r.map((v, j) => c * v - s * m.im[i][j])), im: m.re.map((r, i) => r.map((v, j) => s * v + c * m.im[i][j])) };
      assert.ok(maxDiff(back, u) < 1e-12, `${name}: ${maxDiff(back, u)}`);
      assert.ok(theta >= 0 && theta <= Math.PI + 1e-15 && Math.abs(phi) <= Math.PI && Math.abs(lam) <= Math.PI, name);
    }
  });

  it('takes square roots of 2×2 unitaries', () => {
    for (const [name, u] of samples) {
      const v = sqrtUnitary2(u);
      assert.ok(maxDiff(mul2(v, v), u) < 1e-12, `${name}: V² ≠ W`);
      new Circuit(1).unitary(v, [0]); // validates unitarity
    }
  });

  it('builds exact multi-controlled gates (relative phases included) for 1 to 4 controls', () => {
    for (const k of [1, 2, 3, 4]) {
      for (const [name, w] of samples.slice(0, 12)) {
        const n = k + 1;
        // Scatter controls and target: target in the middle, controls around it.
        const target = Math.floor(n / 2);
        const controls = Array.from({ length: n }, (_, i) => i).filter((q) => q !== target).reverse();
        const got = referenceUnitary(fromOps(n, controlledOps(w, controls, target)));
        const dim = 1 << n;
        const want: CMatrix = { re: Array.from({ length: dim }, (_, i) => Array.from({ length: dim }, (_, j) => (i === j ? 1 : 0))), im: Array.from({ length: dim }, () => new Array(dim).fill(0)) };
        const cmask = controls.reduce((m, q) => m | (1 << q), 0);
        for (let i = 0; i < dim; i++) {
          if ((i & cmask) !== cmask || (i >> target) & 1) continue;
          const j = i | (1 << target);
          for (const [r, rr] of [[i, 0], [j, 1]] as const) for (const [c, cc] of [[i, 0], [j, 1]] as const) {
            want.re[r][c] = w.re[rr][cc]; want.im[r][c] = w.im[rr][cc];
          }
        }
        assert.ok(maxDiff(got, want) < 1e-10, `C^${k}(${name}): ${maxDiff(got, want)}`);
      }
    }
  });

  it('decomposes random 1-, 2-, 3- and 4-qubit unitaries up to global phase, on permuted wires', () => {
    for (const n of [1, 2, 3, 4]) {
      for (let rep = 0; rep < (n === 4 ? 1 : 3); rep++) {
        const u = randomUnitary(1 << n, rand);
        const total = n + 1;
        // A random ordered subset of the qubits (one qubit left out).
        const wires = Array.from({ length: total }, (_, i) => i).sort(() => rand() - 0.5).slice(0, n);
        const want = referenceUnitary(new Circuit(total).unitary(u, wires));
        const ops = decomposeUnitary(u, wires);
        assert.ok(ops.every((o) => o.name !== 'unitary'));
        const d = diffUpToPhase(referenceUnitary(fromOps(total, ops)), want);
        assert.ok(d < 1e-9, `n=${n} rep=${rep}: ${d}`);
      }
    }
  });

  it('decomposes structured unitaries (identity, permutation, diagonal phases) exactly', () => {
    const perm = [[0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]];
    const diag = { re: [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? Math.cos(i * 0.7) : 0))), im: [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? Math.sin(i * 0.7) : 0))) };
    const eye = { re: perm.map((r, i) => r.map((_, j) => (i === j ? 1 : 0))), im: perm.map((r) => r.map(() => 0)) };
    for (const [name, m] of [['perm', { re: perm, im: perm.map((r) => r.map(() => 0)) }], ['diag', diag], ['eye', eye]] as const) {
      const d = diffUpToPhase(referenceUnitary(fromOps(2, decomposeUnitary(m, [0, 1]))), m);
      assert.ok(d < 1e-12, `${name}: ${d}`);
    }
    assert.equal(decomposeUnitary(eye, [0, 1]).length, 0);
    assert.throws(() => decomposeUnitary({ re: [[1, 1, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], im: eye.im }, [0, 1]), /expected a unitary/);
  });
});
