import { strict as assert } from 'assert';
import { Circuit, input, weight } from '../src/sim';
import { lowerCircuit } from '../src/sim/gate-terms';
import { forBaseTiles, infoOf, matricesFor } from '../src/sim/host/host-terms';

/** The hybrid-small kernel's shape: RY(πx) encoding, 2 layers of RY·RZ and a CNOT ring, on 4 qubits. */
function kernel(): Circuit {
  const c = new Circuit(4);
  for (let q = 0; q < 4; q++) c.ry(input(q, Math.PI), q);
  let w = 0;
  for (let l = 0; l < 2; l++) {
    for (let q = 0; q < 4; q++) c.ry(weight(w++), q).rz(weight(w++), q);
    for (let q = 0; q < 4; q++) c.cx(q, (q + 1) % 4);
  }
  return c;
}

const b64 = (a: Float64Array) => Array.from(new Uint32Array(Float64Array.from(a).buffer));

describe('host kernel: gate matrices and block bases kept per op', () => {
  it('kept matrices equal freshly computed ones bit for bit, whatever the order of angles (signed zeros too) and variants', () => {
    const ops = lowerCircuit(kernel().ops);
    const angles = [0.3, -1.2, 0.3, 0, -0, -0, 2.5, 2.5, 1e-300];
    for (const [k, op] of ops.entries()) {
      for (const theta of angles) {
        for (const variant of ['forward', 'inverse', 'derivative'] as const) {
          if (variant === 'derivative' && op.angle === undefined) continue;
          const kept = matricesFor(op, infoOf(op), theta, variant);
          // Per-row angles are never kept: a one-row array is the fresh computation.
          const fresh = matricesFor(op, infoOf(op), Float64Array.of(theta), variant);
          const what = `op ${k} on [${op.wires}] ${variant} θ = ${Object.is(theta, -0) ? '-0' : theta}`;
          assert.deepEqual(b64(kept.mr), b64(fresh.mr), `${what}: re`);
          assert.deepEqual(b64(kept.mi), b64(fresh.mi), `${what}: im`);
          assert.equal(kept.perRow, false);
        }
      }
    }
  });

  it('block bases looked up by wires array equal those of an equal array on another register size', () => {
    const wires = [2, 0];
    const seen: number[][] = [];
    for (const n of [3, 4, 3, 5]) forBaseTiles(n, wires, (b) => seen.push(Array.from(b)));
    const fresh = (n: number) => { let out: number[] = []; forBaseTiles(n, [...wires], (b) => { out = Array.from(b); }); return out; };
    assert.deepEqual(seen, [fresh(3), fresh(4), fresh(3), fresh(5)]);
    assert.deepEqual(seen[0], [0b000, 0b010], 'n = 3, wires {0, 2}: the bases with those bits clear');
  });
});
