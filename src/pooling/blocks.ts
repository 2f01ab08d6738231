/**
 * Quantum pool blocks: two-qubit circuits in which a dropped qubit first controls (or is entangled into)
 * trainable rotations on a kept qubit and is then traced out — measuring only the kept qubits is that
 * partial trace. Every trainable angle is a `weight(j)` reference, so the same block serves the
 * in-kernel pooling stage and the QuantumPooling layer, and the simulator, gradients, drawing and cost
 * accounting all read it like any other circuit.
 *
 * - 'hur' (Hur, Kim & Park 2022): CRZ(θ0) dropped→kept, X on dropped, CRX(θ1) dropped→kept. The kept
 *   qubit is rotated about Z when the dropped qubit is |1⟩ and about X when it is |0⟩.
 * - 'qiskit' (Qiskit Machine Learning QCNN tutorial, `pool_circuit` composed on [source, sink]):
 *   RZ(−π/2) sink, CX sink→source, RZ(θ0) source, RY(θ1) sink, CX source→sink, RY(θ2) sink; source =
 *   dropped, sink = kept.
 * - 'tfq' (TensorFlow Quantum QCNN tutorial, `two_qubit_pool`): sink selector X^a Y^b Z^c, source
 *   selector X^d Y^e Z^f, CNOT source→sink, inverse sink selector. Cirq's X**t is e^{iπt/2}·RX(πt)
 *   (likewise Y, Z), so with weights θ = π·t the block is the tutorial's unitary up to a global phase
 *   (the selector's phase cancels against its inverse); weights [θ0…θ5] = π·[a, b, c, d, e, f].
 * - 'measure-condition' (Cong, Choi & Lukin 2019): measure the dropped qubit, then rotate the kept qubit
 *   by V_0 or V_1 depending on the outcome, V_b = RZ(θ_{3b+2})·RY(θ_{3b+1})·RZ(θ_{3b}) (Z-Y-Z Euler
 *   angles, first angle applied first). Simulated exactly by deferred measurement: V_0 controlled on the
 *   dropped qubit being |0⟩ (X-conjugated control), then V_1 controlled on |1⟩. Controlled unitaries
 *   followed by tracing out the control give the kept qubit Σ_b V_b·Tr_d[(P_b⊗I)ρ(P_b⊗I)]·V_b†, which
 *   is exactly the measure-then-rotate mixture; the phase of V_b on its branch does not matter because
 *   the branches never interfere again. Being a unitary circuit it stays differentiable.
 * - 'hur-y': Hur's block for a last pooling stage read out in Z: CRY(θ0) dropped→kept, X on dropped,
 *   CRX(θ1) dropped→kept. In 'hur' each branch of the dropped qubit rotates the kept qubit once; when ⟨Z⟩ of
 *   the kept qubit is measured right after (in-kernel pooling), the Z rotation of the |1⟩ branch cannot
 *   change it and θ0 is idle. A Y rotation there does, so both angles count.
 * - 'trace-out': no gates; the dropped qubit is simply not measured (the control experiment).
 *
 * A rotation about Z on the dropped qubit right before it only acts as a control (Qiskit's θ0, TFQ's
 * source Z^f) commutes with that control and is then traced out, so it never changes the kept qubit's
 * reduced state: those parameters are kept for fidelity to the tutorials but are idle (their gradient
 * through kept-qubit observables is zero).
 */
import { Circuit, weight } from '../sim';
import { badArgument } from '../util/errors';

/** Names of the quantum pool blocks. */
export type PoolBlockName = 'hur' | 'hur-y' | 'qiskit' | 'tfq' | 'measure-condition' | 'trace-out';
/** Accepted pool block names. */
export const POOL_BLOCKS: readonly PoolBlockName[] = ['hur', 'hur-y', 'qiskit', 'tfq', 'measure-condition', 'trace-out'];

/** Trainable parameters of one block. */
export const POOL_BLOCK_PARAMS: Readonly<Record<PoolBlockName, number>> = {
  hur: 2, 'hur-y': 2, qiskit: 3, tfq: 6, 'measure-condition': 6, 'trace-out': 0,
};

/** Appends one controlled Z-Y-Z rotation (angles w, w+1, w+2 in time order) from `control` onto `target`. */
function controlledEuler(c: Circuit, control: number, target: number, w: number): void {
  c.crz(weight(w), control, target).cry(weight(w + 1), control, target).crz(weight(w + 2), control, target);
}

/**
 * Appends `block` on (dropped, kept) to `c`, its angles being weight(firstWeight) … weight(firstWeight +
 * POOL_BLOCK_PARAMS[block] − 1); returns `c` (the circuit is mutated, like Circuit's gate methods).
 */
export function appendPoolBlock(c: Circuit, block: PoolBlockName, dropped: number, kept: number, firstWeight = 0): Circuit {
  if (!POOL_BLOCKS.includes(block)) throw badArgument(`block: expected one of ${POOL_BLOCKS.map((b) => `'${b}'`).join(', ')}, got ${JSON.stringify(block)}`);
  for (const [q, arg] of [[dropped, 'dropped'], [kept, 'kept']] as const) {
    if (!Number.isInteger(q) || q < 0 || q >= c.nQubits) throw badArgument(`${block} pool (${arg}): expected a qubit index in [0, ${c.nQubits - 1}], got ${q}`);
  }
  if (dropped === kept) throw badArgument(`${block} pool: the dropped and kept qubits must differ, got ${dropped} for both`);
  if (!Number.isInteger(firstWeight) || firstWeight < 0) throw badArgument(`${block} pool (firstWeight): expected a non-negative integer, got ${firstWeight}`);
  const w = (i: number, scale = 1) => weight(firstWeight + i, scale);
  switch (block) {
    case 'hur':
      return c.crz(w(0), dropped, kept).x(dropped).crx(w(1), dropped, kept);
    case 'hur-y':
      return c.cry(w(0), dropped, kept).x(dropped).crx(w(1), dropped, kept);
    case 'qiskit':
      return c.rz(-Math.PI / 2, kept).cx(kept, dropped).rz(w(0), dropped).ry(w(1), kept).cx(dropped, kept).ry(w(2), kept);
    case 'tfq':
      // (X^a Y^b Z^c)^-1 = Z^-c Y^-b X^-a: the inverse selector reuses the same weights with scale −1.
      return c.rx(w(0), kept).ry(w(1), kept).rz(w(2), kept)
        .rx(w(3), dropped).ry(w(4), dropped).rz(w(5), dropped)
        .cx(dropped, kept)
        .rz(w(2, -1), kept).ry(w(1, -1), kept).rx(w(0, -1), kept);
    case 'measure-condition':
      c.x(dropped);
      controlledEuler(c, dropped, kept, firstWeight);
      c.x(dropped);
      controlledEuler(c, dropped, kept, firstWeight + 3);
      return c;
    case 'trace-out':
      return c;
  }
}

/** The block alone on two qubits: qubit 0 dropped, qubit 1 kept, weights 0 … P−1 (for drawing and tests). */
export function poolBlockCircuit(block: PoolBlockName): Circuit {
  return appendPoolBlock(new Circuit(2), block, 0, 1, 0);
}
