// Every circuit family qkc builds, with seeded weights and input angles, for the Qiskit interchange
// tests: QuantumConv2D kernels (each ansatz × encoding × entanglement, with and without re-uploading),
// pool blocks, in-kernel pooled kernels, the model zoo's quantum layers and the notebooks' circuits.
import { Circuit, Observable, input, weight } from '../../src/sim';
import { ANSATZE, ENCODINGS, ENTANGLEMENTS, QuantumConv2D, QuantumLayer, buildKernelCircuit } from '../../src/qkc';
import { PARAM_SHARINGS, POOL_BLOCKS, poolBlockCircuit, poolKernel } from '../../src/pooling';
import { buildModel } from '../../src/models';
import { seededRandom } from './reference';

/** A circuit with the values to bind and observables to compare. */
export interface FamilyCase { name: string; circuit: Circuit; observables: Observable[]; weights: number[]; inputs: number[] }

/** Z on every qubit plus correlators that see X/Y signs and qubit order. */
function probes(n: number): Observable[] {
  const zs = Array.from({ length: n }, (_, q) => `Z${q}`);
  return n === 1 ? [...zs, 'X0', 'Y0'] : [...zs, 'X0', 'Y1', `X0 Y${n - 1}`, `0.5*Z0 Z1 - 0.25*Y0 X1`];
}

function withValues(name: string, circuit: Circuit, rand: () => number, observables = probes(circuit.nQubits)): FamilyCase {
  return {
    name, circuit, observables,
    weights: Array.from({ length: circuit.numWeights }, () => (rand() * 2 - 1) * Math.PI),
    inputs: Array.from({ length: circuit.numInputs }, () => rand()),
  };
}

/** A random one-qubit state on every qubit, so that blocks are seen on non-trivial inputs. */
function prepared(block: Circuit, rand: () => number): Circuit {
  const c = new Circuit(block.nQubits);
  for (let q = 0; q < c.nQubits; q++) c.u3(rand() * Math.PI, (rand() * 2 - 1) * Math.PI, (rand() * 2 - 1) * Math.PI, q);
  return c.compose(block);
}

/** The hybrids of the main results (the official suite's trained hybrids), whose kernels the Qiskit and device-noise checks cover. */
export const MAIN_HYBRIDS = ['hybrid-small', 'hybrid-strong', 'hybrid-kpool', 'hybrid-qpool', 'hybrid-front-bn', 'hybrid-front-conv', 'hybrid-front-conv4'] as const;

/** The kernels of every QuantumLayer of the main results' hybrids (initial weights of seed 0). */
export function zooKernels(): FamilyCase[] {
  const out: FamilyCase[] = [];
  for (const model of MAIN_HYBRIDS) {
    const m = buildModel(model, 0);
    for (const layer of m.layers) {
      if (!(layer instanceof QuantumLayer)) continue;
      const spec = layer.kernelSpec();
      const all = Array.from(layer.getWeights()[0].dataSync());
      const weights = all.slice(0, all.length / spec.copies);
      const rand = seededRandom(out.length + 1);
      out.push({ ...withValues(`${model}/${layer.name}`, spec.circuit, rand, spec.observables), weights });
    }
    m.dispose();
  }
  return out;
}

/** Every circuit family, seeded. */
export function qkcFamilies(): FamilyCase[] {
  const rand = seededRandom(2024);
  const cases: FamilyCase[] = [];
  for (const ansatz of ANSATZE) {
    for (const encoding of ENCODINGS) {
      for (const reupload of [false, true]) {
        const entanglements = ansatz === 'real-amplitudes' ? ENTANGLEMENTS : (['reverse-linear'] as const);
        for (const entanglement of entanglements) {
          const nValues = encoding === 'dense' ? 8 : 4;
          const { circuit } = buildKernelCircuit({ encoding, nValues, scale: Math.PI, ansatz, layers: 2, reupload, entanglement });
          cases.push(withValues(`kernel ${ansatz}/${encoding}/${entanglement}${reupload ? '/reupload' : ''}`, circuit, rand));
        }
      }
    }
  }
  // A 3×3 window: 9 qubits.
  cases.push(withValues('kernel hardware-efficient/ry 3×3', buildKernelCircuit({ encoding: 'ry', nValues: 9, scale: Math.PI, ansatz: 'hardware-efficient', layers: 1, reupload: false, entanglement: 'linear' }).circuit, rand));
  for (const block of POOL_BLOCKS) {
    cases.push(withValues(`pool block ${block}`, prepared(poolBlockCircuit(block), rand), rand, ['X1', 'Y1', 'Z1', 'Z0', 'X0 Z1']));
  }
  for (const block of POOL_BLOCKS.filter((b) => b !== 'trace-out')) {
    for (const sharing of PARAM_SHARINGS) {
      const kernel = buildKernelCircuit({ encoding: 'ry', nValues: 4, scale: Math.PI, ansatz: 'hardware-efficient', layers: 1, reupload: false, entanglement: 'linear' }).circuit;
      const pooled = poolKernel(kernel, { block, keep: 1, sharing, readout: 'bloch' });
      cases.push(withValues(`pooled kernel ${block}/${sharing}`, pooled.circuit, rand, pooled.observables));
    }
  }
  // The notebooks' circuits (00-smoke, 01-quickstart) and 01's QuantumConv2D.
  cases.push(withValues('notebook 00 circuit', new Circuit(3).h(0).cx(0, 1).ry(input(0, Math.PI), 2).rz(weight(0), 1).cx(1, 2), rand));
  cases.push(withValues('notebook 01 circuit', new Circuit(2).ry(input(0, Math.PI), 0).ry(input(1, Math.PI), 1).ry(weight(0), 0).rz(weight(1), 1).cx(0, 1).ry(weight(2), 1), rand));
  const qconv = new QuantumConv2D({ kernelSize: 2, strides: 2, layers: 2, seed: 7 });
  qconv.build([1, 4, 4, 1]);
  const spec = qconv.kernelSpec();
  cases.push({ ...withValues('notebook 01 QuantumConv2D', spec.circuit, rand, spec.observables), weights: Array.from(qconv.getWeights()[0].dataSync()) });
  return [...cases, ...zooKernels()];
}
