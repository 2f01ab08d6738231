/**
 * Deciding whether a circuit has the shape the compiled fast path needs: an encoding prefix that
 * leaves a product state (single-qubit gates whose angles are inputs or numbers), then a block that
 * reads no inputs. The block is then one 2^n × 2^n unitary per weight vector, shared by every row.
 */
import { Circuit } from '../circuit';
import { isParamRef, formatAngle } from '../params';

/** Largest register the compiled path accepts: it holds 2^n × 2^n matrices (n = 10: 1024 × 1024). */
export const COMPILE_MAX_QUBITS = 10;

/** The two parts of a compilable circuit, as indices into `circuit.ops`. */
export interface CircuitSplit { prefix: number[]; block: number[] }

/** The verdict of `canCompile`: `reason` says why not when `ok` is false. */
export interface CompileCheck { ok: boolean; reason?: string }

/**
 * Splits the operations into prefix and block. A single-qubit gate without weights belongs to the
 * prefix as long as no block operation has touched its qubit yet (it commutes with earlier block
 * operations on other qubits), so prefix gates need not all come first in the list.
 */
export function splitForCompile(circuit: Circuit): CircuitSplit | { reason: string } {
  if (circuit.nQubits > COMPILE_MAX_QUBITS) {
    return { reason: `the circuit has ${circuit.nQubits} qubits; the compiled path holds 2^n × 2^n matrices and accepts at most ${COMPILE_MAX_QUBITS}` };
  }
  const closed = new Set<number>();
  const prefix: number[] = [], block: number[] = [];
  for (let i = 0; i < circuit.ops.length; i++) {
    const op = circuit.ops[i];
    const hasWeight = op.params.some((p) => isParamRef(p) && p.kind === 'weight');
    if (op.wires.length === 1 && !hasWeight && !closed.has(op.wires[0])) {
      prefix.push(i);
      continue;
    }
    const inputRef = op.params.find((p) => isParamRef(p) && p.kind === 'input');
    if (inputRef !== undefined) {
      const why = op.wires.length > 1
        ? 'a multi-qubit gate reads data, so the encoded state is not a product state'
        : `qubit ${op.wires[0]} already went through a weighted or multi-qubit gate`;
      return {
        reason: `operation ${i} (${op.name}(${op.params.map((p) => formatAngle(p)).join(', ')}) on ${op.wires.map((w) => `q${w}`).join(',')}) reads ${formatAngle(inputRef)} after the data-independent block began: ${why}`,
      };
    }
    block.push(i);
    for (const w of op.wires) closed.add(w);
  }
  return { prefix, block };
}

/** The last check of each circuit with its op count (circuits only grow): the execution choice asks every call. */
const checked = new WeakMap<Circuit, { ops: number; check: CompileCheck }>();

/** Whether `compileCircuit` accepts the circuit, and if not, why. */
export function canCompile(circuit: Circuit): CompileCheck {
  const memo = checked.get(circuit);
  if (memo && memo.ops === circuit.ops.length) return memo.check;
  const split = splitForCompile(circuit);
  const check: CompileCheck = 'reason' in split ? { ok: false, reason: split.reason } : { ok: true };
  checked.set(circuit, { ops: circuit.ops.length, check });
  return check;
}
