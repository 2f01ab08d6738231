/**
 * OpenQASM export of a trained quantum kernel with its weights bound. OpenQASM 2 has no free
 * parameters, so without a data window the export is the kernel's trainable block (everything after the
 * data encoding), with the encoding described in a comment; with `window` the whole circuit is bound to
 * that window's values; `version: 3` keeps the window values as `input float[64] x<i>` parameters.
 */
import { Circuit, isParamRef, toQasm } from '../sim';
import type { QuantumLayer } from './quantum-layer';
import { show } from './validate';

/** Options of `exportKernelQasm`. */
export interface KernelQasmOptions {
  /** One window's values (length = the circuit's numInputs) to bind the data encoding too. */
  window?: number[] | Float32Array;
  /** OpenQASM version (default 2). */
  version?: 2 | 3;
  /** Append a measurement of every qubit. */
  measure?: boolean;
}

/** Filter `filter`'s weights of a quantum layer as plain numbers. */
function filterWeights(layer: QuantumLayer, filter: number, copies: number): number[] | undefined {
  const w = layer.getWeights()[0];
  if (!w) return undefined;
  const all = Array.from(w.dataSync());
  const per = all.length / copies;
  return all.slice(filter * per, (filter + 1) * per);
}

/** A sub-circuit with the operations from index `from` on. */
function tail(c: Circuit, from: number): Circuit {
  const out = new Circuit(c.nQubits);
  for (const op of c.ops.slice(from)) out.append(op.name, op.wires, op.params, op.matrix);
  return out;
}

/**
 * OpenQASM for kernel `filter` of a built quantum layer with its trained weights bound (see the file
 * comment for what happens to the data encoding).
 */
export function exportKernelQasm(layer: QuantumLayer, filter = 0, options: KernelQasmOptions = {}): string {
  const spec = layer.kernelSpec();
  if (!Number.isInteger(filter) || filter < 0 || filter >= spec.copies) {
    throw new Error(`exportKernelQasm(filter): expected an integer in [0, ${spec.copies - 1}], got ${show(filter)}`);
  }
  const version = options.version ?? 2;
  const weights = filterWeights(layer, filter, spec.copies);
  const circuit = spec.circuit;
  const header = `// ${layer.getClassName()} '${layer.name}', filter ${filter} of ${spec.copies}: trained weights bound`;
  const withHeader = (qasm: string, extra: string[] = []) => {
    const lines = qasm.split('\n');
    const at = lines.findIndex((l) => l.startsWith('include')) + 1;
    lines.splice(at, 0, header, ...extra);
    return lines.join('\n');
  };
  if (options.window !== undefined || version === 3) {
    return withHeader(toQasm(circuit, { weights, inputs: options.window === undefined ? undefined : Array.from(options.window), version, measure: options.measure }));
  }
  const encodedAt = spec.stages.find((s) => s.name === 'encoded')?.at ?? 0;
  const block = tail(circuit, encodedAt);
  if (block.ops.some((op) => op.params.some((p) => isParamRef(p) && p.kind === 'input'))) {
    throw new Error(`exportKernelQasm: the kernel of '${layer.name}' reads data after its encoding (re-uploading), which OpenQASM 2 cannot hold unbound; pass options.window (one window's values) or version: 3`);
  }
  const encoding = circuit.ops.slice(0, encodedAt).map((op) => `//   ${op.name}(${op.params.map((p) => (isParamRef(p) ? `${p.scale}*${p.kind === 'input' ? 'x' : 'w'}${p.index}` : p)).join(', ')}) q[${op.wires.join('], q[')}];`);
  return withHeader(toQasm(block, { weights: weights?.slice(0, block.numWeights), version: 2, measure: options.measure }), [
    '// data encoding, applied to each window (x_i = window value i in row, column, channel order) before this block:',
    ...encoding,
  ]);
}
