/**
 * Hardware-ready export of a trained kernel: an OpenQASM 3 program (trained weights bound, the window's
 * values left as `input float[64] x<i>` parameters, every qubit measured) and a self-contained Qiskit
 * script that binds one window, transpiles for a backend and runs it: a real IBM device through the
 * user's saved Qiskit Runtime account, a fake (offline) device snapshot, or the exact statevector.
 */
import { parseObservable } from '../sim';
import type { QuantumLayer } from './quantum-layer';
import { exportKernelQasm } from './qasm-export';

/** The two files of `exportKernelForHardware`. */
export interface HardwareExport {
  /** OpenQASM 3 with the trained weights bound and inputs x0… free. */
  qasm: string;
  /** A Python script (Qiskit) running the program on one window; `python kernel.py --help`. */
  script: string;
}

/** Z-type observables as [coeff, measured qubits] terms; anything with X or Y is refused (the script measures in Z). */
function zTerms(layer: QuantumLayer): [number, number[]][][] {
  const spec = layer.kernelSpec();
  return spec.observables.map((o, i) => parseObservable(o, spec.circuit.nQubits, `observables[${i}]`).map((t) => {
    const bad = t.factors.find((f) => f.op !== 'Z');
    if (bad) throw new Error(`exportKernelForHardware: observable ${i} (${JSON.stringify(o)}) has ${bad.op}${bad.qubit}; the hardware script measures in the Z basis only`);
    return [t.coeff, t.factors.map((f) => f.qubit)] as [number, number[]];
  }));
}

/**
 * The OpenQASM 3 program and Qiskit script of kernel `filter` of a built quantum layer (see the file
 * comment). The script prints JSON: the backend, shots and the kernel's expectations for the window.
 */
export function exportKernelForHardware(layer: QuantumLayer, filter = 0): HardwareExport {
  const terms = zTerms(layer);
  const qasm = exportKernelQasm(layer, filter, { version: 3, measure: true });
  const numInputs = layer.kernelSpec().circuit.numInputs;
  const fill: Record<string, string> = {
    __QASM__: JSON.stringify(qasm), __TERMS__: JSON.stringify(terms), __NUM_INPUTS__: String(numInputs),
    __LAYER__: `${layer.getClassName()} '${layer.name}', filter ${filter}`,
  };
  return { qasm, script: SCRIPT.replace(/__[A-Z_]+__/g, (k) => fill[k] ?? k) };
}

const SCRIPT = `#!/usr/bin/env python3
"""A trained qkc kernel (__LAYER__) on one image window, with Qiskit.

  python kernel.py --window 0.1,0.8,0.0,0.5 --exact                   # exact expectations (Statevector)
  python kernel.py --window ... --fake fake_manila --shots 4096      # an offline IBM device snapshot
  python kernel.py --window ... --backend ibm_brisbane --shots 4096  # a real device, saved account

A real device needs qiskit-ibm-runtime and an account saved once with
QiskitRuntimeService.save_account(channel="ibm_quantum_platform", token=..., instance=...).
The window values are the pixel values in row, column, channel order (the kernel scales them itself).
"""
import argparse
import json

import numpy as np
from qiskit import qasm3

QASM = __QASM__
# Observables of the kernel: per output channel, a list of [coefficient, qubits whose Z product is read].
TERMS = __TERMS__
NUM_INPUTS = __NUM_INPUTS__


def circuit_for(window):
    circuit = qasm3.loads(QASM)
    by_name = {p.name: p for p in circuit.parameters}
    return circuit.assign_parameters({by_name[f"x{i}"]: float(v) for i, v in enumerate(window) if f"x{i}" in by_name})


def from_counts(counts, shots):
    out = []
    for terms in TERMS:
        value = 0.0
        for coeff, qubits in terms:
            for bits, n in counts.items():
                bits = bits.replace(" ", "")[::-1]  # bit i of the string is clbit i
                value += coeff * n / shots * (-1) ** sum(int(bits[q]) for q in qubits)
        out.append(value)
    return out


def exact(circuit):
    from qiskit.quantum_info import SparsePauliOp, Statevector

    circuit = circuit.remove_final_measurements(inplace=False)
    sv = Statevector(circuit)
    n = circuit.num_qubits
    return [float(np.real(sv.expectation_value(SparsePauliOp.from_sparse_list([("Z" * len(q), q, c) for c, q in terms] or [("", [], 0.0)], n))))
            for terms in TERMS]


def backend_for(args):
    if args.fake:
        from qiskit_ibm_runtime import fake_provider

        wanted = args.fake.lower().replace("_", "")
        for name in dir(fake_provider):
            if name.lower() in (wanted, wanted + "v2") and name.endswith("V2"):
                return getattr(fake_provider, name)()
        raise SystemExit(f"--fake: no fake backend named {args.fake!r} in qiskit_ibm_runtime.fake_provider")
    from qiskit_ibm_runtime import QiskitRuntimeService

    return QiskitRuntimeService().backend(args.backend)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--window", required=True, help=f"{NUM_INPUTS} comma-separated values")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--exact", action="store_true", help="exact expectations from Qiskit's Statevector")
    where.add_argument("--fake", help="an offline device snapshot, e.g. fake_manila")
    where.add_argument("--backend", help="a real IBM backend of your saved account, e.g. ibm_brisbane")
    p.add_argument("--shots", type=int, default=4096)
    p.add_argument("--seed", type=int, default=None, help="transpiler and simulator seed (fake backends)")
    args = p.parse_args()
    window = [float(v) for v in args.window.split(",")]
    if len(window) != NUM_INPUTS:
        raise SystemExit(f"--window: expected {NUM_INPUTS} values, got {len(window)}")
    circuit = circuit_for(window)
    if args.exact:
        print(json.dumps({"backend": "statevector", "shots": None, "expectations": exact(circuit)}))
        return
    from qiskit.transpiler import generate_preset_pass_manager
    from qiskit_ibm_runtime import SamplerV2

    backend = backend_for(args)
    isa = generate_preset_pass_manager(optimization_level=1, backend=backend, seed_transpiler=args.seed).run(circuit)
    sampler = SamplerV2(mode=backend)
    if args.seed is not None and args.fake:
        sampler.options.simulator.seed_simulator = args.seed
    result = sampler.run([isa], shots=args.shots).result()[0]
    counts = result.data.c.get_counts()
    print(json.dumps({"backend": backend.name, "shots": args.shots, "expectations": from_counts(counts, args.shots)}))


if __name__ == "__main__":
    main()
`;
