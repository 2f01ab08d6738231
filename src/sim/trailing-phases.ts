/**
 * Trainable phases a Z-basis read-out cannot see. The gates at the end of a circuit that only permute
 * computational basis states (X, CNOT, SWAP, Toffoli) or multiply them by phases (RZ, CRZ, phase, CZ, Z, S,
 * T, …) leave every basis probability unchanged up to a relabelling, so a diagonal gate among them changes
 * nothing that ⟨Z…Z⟩ observables measure: its angle is idle (zero gradient, whatever the data). The
 * hardware-efficient layer ends with RZ per qubit and a CNOT ring, so a kernel read out in Z right after
 * it carries one idle angle per qubit; `withoutTrailingPhases` removes those gates and renumbers the
 * remaining weights, so a parameter count counts only angles that affect the output.
 */
import { Circuit } from './circuit';
import type { GateName } from './gates';
import { isParamRef, weight, type Angle } from './params';

/** Gates that map each computational basis state to one basis state (times a phase). */
const PERMUTING: ReadonlySet<GateName> = new Set<GateName>(['x', 'cx', 'swap', 'ccx']);
/** Gates diagonal in the computational basis (phases only). */
const DIAGONAL: ReadonlySet<GateName> = new Set<GateName>(['z', 's', 'sdg', 't', 'tdg', 'rz', 'phase', 'cz', 'crz', 'cphase']);

/**
 * Indices of the operations that can be moved to the end of `circuit` (past later gates on other wires)
 * and together only permute basis states and add phases: walking back from the end, an operation joins
 * while it is permuting or diagonal and touches no wire of a later operation that did not join.
 */
function trailingOps(circuit: Circuit): Set<number> {
  const blocked = new Set<number>();
  const trailing = new Set<number>();
  for (let i = circuit.ops.length - 1; i >= 0; i--) {
    const op = circuit.ops[i];
    if ((DIAGONAL.has(op.name) || PERMUTING.has(op.name)) && !op.wires.some((w) => blocked.has(w))) trailing.add(i);
    else for (const w of op.wires) blocked.add(w);
  }
  return trailing;
}

/** Whether operation `i` is a weighted diagonal gate among the trailing ones (idle under a Z read-out). */
function idleOps(circuit: Circuit): Set<number> {
  const out = new Set<number>();
  for (const i of trailingOps(circuit)) {
    const op = circuit.ops[i];
    if (DIAGONAL.has(op.name) && op.params.some((p) => isParamRef(p) && p.kind === 'weight')) out.add(i);
  }
  return out;
}

/**
 * The weight indices of the diagonal gates among `circuit`'s trailing permuting/diagonal operations:
 * idle under any read-out diagonal in Z (⟨Z⟩ of some qubits, Z-strings, probabilities).
 */
export function trailingPhaseWeights(circuit: Circuit): number[] {
  const idle: number[] = [];
  for (const i of [...idleOps(circuit)].sort((a, b) => a - b)) {
    for (const p of circuit.ops[i].params) if (isParamRef(p) && p.kind === 'weight') idle.push(p.index);
  }
  return idle;
}

/**
 * A copy of `circuit` without the weighted diagonal gates among its trailing permuting/diagonal operations,
 * weights renumbered densely in their old order (weight j → its rank among the kept ones); the circuit
 * itself when there is nothing to remove. Only valid when every observable is diagonal in Z (the caller's
 * to know). A weight also used by a gate that stays is kept.
 */
export function withoutTrailingPhases(circuit: Circuit): Circuit {
  const idle = idleOps(circuit);
  if (idle.size === 0) return circuit;
  const used = new Set<number>();
  circuit.ops.forEach((op, i) => {
    if (!idle.has(i)) for (const p of op.params) if (isParamRef(p) && p.kind === 'weight') used.add(p.index);
  });
  const rank = new Map([...used].sort((a, b) => a - b).map((w, k) => [w, k] as const));
  const out = new Circuit(circuit.nQubits);
  circuit.ops.forEach((op, i) => {
    if (idle.has(i)) return;
    const params = op.params.map((p): Angle => (isParamRef(p) && p.kind === 'weight' ? weight(rank.get(p.index) as number, p.scale) : p));
    out.append(op.name, op.wires, params, op.matrix);
  });
  return out;
}
