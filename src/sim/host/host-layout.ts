/**
 * Qubit layouts for running one state vector in two halves: the top physical bit splits each row into
 * two contiguous halves that two threads own, so every gate must act on the other (local) bits. When a
 * gate needs the qubit sitting on the top bit, that qubit is first swapped with a local bit (the one
 * whose qubit is needed again latest, as in Belady's rule), a pass over half the memory. The plan is
 * computed once per op sequence; the ops come back with their wires moved to physical bits.
 */
import { TermOp } from '../gate-terms';

/** One step of a layout plan: run ops[from, to) (physical wires), or swap the top bit with `bit`. */
export type LayoutStep = { kind: 'ops'; from: number; to: number } | { kind: 'swap'; bit: number };

/** A plan: steps, the ops with physical wires, the layout at the end (logical qubit at each bit), and the swaps used. */
export interface LayoutPlan {
  steps: LayoutStep[];
  ops: TermOp[];
  /** logicalAt[bit] = the logical qubit on physical bit `bit` after the last step. */
  logicalAt: number[];
  swaps: number;
}

/** `op` with its wires moved to physical bits (the same object when nothing moves). */
function mapWires(op: TermOp, physical: readonly number[]): TermOp {
  const wires = op.wires.map((w) => physical[w]);
  return wires.every((w, i) => w === op.wires[i]) ? op : { ...op, wires };
}

/**
 * Plans `ops` (in the order they run) on n qubits with the top bit n − 1 global, starting from layout
 * `start` (logical qubit at each bit; identity when omitted). With `restore`, swaps at the end bring
 * every qubit back to its own bit. Throws when an op acts on all n qubits (no local bit is left).
 */
export function planLayout(ops: readonly TermOp[], nQubits: number, options: { start?: readonly number[]; restore?: boolean } = {}): LayoutPlan {
  const g = nQubits - 1;
  const logicalAt = options.start ? [...options.start] : Array.from({ length: nQubits }, (_, q) => q);
  const physical = new Array<number>(nQubits);
  logicalAt.forEach((q, bit) => { physical[q] = bit; });
  // nextUse[t][q]: the first op at or after t that touches logical qubit q (ops.length when none).
  const nextUse: Int32Array[] = new Array(ops.length + 1);
  nextUse[ops.length] = new Int32Array(nQubits).fill(ops.length);
  for (let t = ops.length - 1; t >= 0; t--) {
    nextUse[t] = nextUse[t + 1].slice();
    for (const w of ops[t].wires) nextUse[t][w] = t;
  }
  const steps: LayoutStep[] = [], mapped: TermOp[] = [];
  let swaps = 0;
  const swap = (bit: number) => {
    const a = logicalAt[g], b = logicalAt[bit];
    logicalAt[g] = b; logicalAt[bit] = a; physical[b] = g; physical[a] = bit;
    steps.push({ kind: 'swap', bit });
    swaps++;
  };
  const pushOp = (op: TermOp) => {
    const last = steps[steps.length - 1];
    if (last?.kind === 'ops') last.to++; else steps.push({ kind: 'ops', from: mapped.length, to: mapped.length + 1 });
    mapped.push(mapWires(op, physical));
  };
  ops.forEach((op, t) => {
    if (op.wires.length >= nQubits) throw new Error(`planLayout: op ${t} acts on all ${nQubits} qubits; no local bit is left to split on`);
    if (op.wires.includes(logicalAt[g])) {
      // The local bit whose qubit this op does not touch and which is needed again latest.
      let best = -1, bestUse = -1;
      for (let bit = 0; bit < g; bit++) {
        const q = logicalAt[bit];
        if (op.wires.includes(q)) continue;
        const use = nextUse[t][q];
        if (use > bestUse || (use === bestUse && q === g)) { best = bit; bestUse = use; }
      }
      swap(best);
    }
    pushOp(op);
  });
  if (options.restore) {
    for (;;) {
      const a = logicalAt[g];
      if (a !== g) { swap(a); continue; }
      const stray = logicalAt.findIndex((q, bit) => q !== bit);
      if (stray < 0) break;
      swap(stray);
    }
  }
  return { steps, ops: mapped, logicalAt, swaps };
}
