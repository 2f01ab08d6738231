/** Random circuits over the whole gate set, for cross-checking simulation paths in tests. */
import { Circuit } from '../../src/sim/circuit';
import { input, weight } from '../../src/sim/params';
import { randomUnitary } from './reference';

/** A random circuit on n qubits using every gate kind, with `nInputs` input and `nWeights` weight references. */
export function randomCircuit(n: number, nOps: number, rand: () => number, nInputs = 2, nWeights = 3): Circuit {
  const c = new Circuit(n);
  const q = () => Math.floor(rand() * n);
  const two = (): [number, number] => { const a = q(); let b = q(); while (b === a) b = q(); return [a, b]; };
  const angle = () => { const r = rand(); return r < 0.3 && nInputs > 0 ? input(Math.floor(rand() * nInputs), 0.5 + rand()) : r < 0.6 && nWeights > 0 ? weight(Math.floor(rand() * nWeights), 1 - 2 * rand()) : (rand() - 0.5) * 6; };
  const fixed1 = ['h', 'x', 'y', 'z', 's', 'sdg', 't', 'tdg', 'sx'] as const;
  for (let i = 0; i < nOps; i++) {
    const kind = Math.floor(rand() * 14);
    if (kind === 0) c.append(fixed1[Math.floor(rand() * fixed1.length)], [q()]);
    else if (kind <= 4) c.append((['rx', 'ry', 'rz', 'phase'] as const)[kind - 1], [q()], [angle()]);
    else if (kind === 5) c.u3(angle(), angle(), angle(), q());
    else if (kind <= 8 && n > 1) c.append((['cx', 'cz', 'swap'] as const)[kind - 6], two());
    else if (kind <= 12 && n > 1) c.append((['crx', 'cry', 'crz', 'cphase'] as const)[kind - 9], two(), [angle()]);
    else if (n > 2) { const [a, b] = two(); let t = q(); while (t === a || t === b) t = q(); c.ccx(a, b, t); }
    else c.unitary(randomUnitary(2, rand), [q()]);
  }
  // Make sure every reference index exists, so numInputs/numWeights are as requested.
  if (nInputs > 0) c.rz(input(nInputs - 1, 0.3), 0);
  if (nWeights > 0) c.ry(weight(nWeights - 1), n - 1);
  if (n > 1) c.unitary(randomUnitary(4, rand), [n - 1, 0]);
  return c;
}
