#!/usr/bin/env python3
"""Qiskit side of qkc's interchange tests (test/qiskit-interop.test.ts).

Reads one JSON request {"tasks": [...]} on stdin and writes {"results": [...]} on stdout, one result
per task, so that a whole test file costs one Python start-up. Task kinds:

- "load": read qkc's OpenQASM 2 or 3 with qiskit.qasm2.loads / qiskit.qasm3.loads, optionally bind
  free parameters by name, and return the parameter names Qiskit sees, the statevector
  (qiskit.quantum_info.Statevector) and the expectation values of the given Pauli observables, both
  from Statevector and from Aer's EstimatorV2 (exact, precision 0).
- "generate": build a Qiskit circuit (circuit-library family or random_circuit), bind seeded random
  values (or keep the parameters free), and return qasm2.dumps / qasm3.dumps text and the statevector.

Observables arrive as lists of [coeff, paulis, qubits] terms, e.g. [0.5, "ZX", [0, 2]] is 0.5·Z0·X2,
in Qiskit's own little-endian qubit numbering (qubit 0 is the least significant bit).
"""
import json
import sys
import warnings

import numpy as np

warnings.simplefilter("ignore")

from qiskit import qasm2, qasm3  # noqa: E402
from qiskit.circuit import ParameterVector, QuantumCircuit  # noqa: E402
from qiskit.circuit import library as lib  # noqa: E402
from qiskit.circuit.random import random_circuit  # noqa: E402
from qiskit.quantum_info import SparsePauliOp, Statevector  # noqa: E402


def pauli_sum(n, terms):
    return SparsePauliOp.from_sparse_list([(p, q, c) for c, p, q in terms] or [("", [], 0.0)], num_qubits=n)


def state_json(circuit):
    v = Statevector(circuit).data
    return {"re": v.real.tolist(), "im": v.imag.tolist()}


def load(task):
    text = task["qasm"]
    circuit = qasm2.loads(text) if task["version"] == 2 else qasm3.loads(text)
    names = [p.name for p in circuit.parameters]
    bind = task.get("bind") or {}
    if circuit.parameters:
        missing = [n for n in names if n not in bind]
        if missing and task.get("observables"):
            raise ValueError(f"unbound parameters {missing}")
        if not missing:
            circuit = circuit.assign_parameters({p: bind[p.name] for p in circuit.parameters})
    out = {"nQubits": circuit.num_qubits, "parameters": names, "ops": dict(circuit.count_ops())}
    if circuit.parameters:
        return out
    circuit.remove_final_measurements(inplace=True)
    out["state"] = state_json(circuit)
    observables = [pauli_sum(circuit.num_qubits, terms) for terms in task.get("observables", [])]
    if observables:
        sv = Statevector(circuit)
        out["expvals"] = [float(np.real(sv.expectation_value(o))) for o in observables]
        from qiskit_aer.primitives import EstimatorV2

        est = EstimatorV2(options={"default_precision": 0.0})
        res = est.run([(circuit, observables)]).result()[0]
        out["aerExpvals"] = [float(v) for v in res.data.evs]
    return out


def library_circuit(family, n, reps):
    if family == "RealAmplitudes":
        return lib.real_amplitudes(n, reps=reps)
    if family == "RealAmplitudes-full":
        return lib.real_amplitudes(n, reps=reps, entanglement="full")
    if family == "EfficientSU2":
        return lib.efficient_su2(n, reps=reps)
    if family == "EfficientSU2-circular":
        return lib.efficient_su2(n, reps=reps, entanglement="circular")
    if family == "QFT":
        c = QuantumCircuit(n)
        c.h(range(n))  # a non-trivial input state, so that the transform is seen acting
        c.append(lib.QFTGate(n), range(n))
        return c
    if family == "ZZFeatureMap":
        return lib.zz_feature_map(n, reps=reps)
    if family == "encoded-RealAmplitudes":  # data in a ParameterVector 'x', trainable angles θ
        x = ParameterVector("x", n)
        c = QuantumCircuit(n)
        for q in range(n):
            c.ry(x[q], q)
        return c.compose(lib.real_amplitudes(n, reps=reps))
    if family == "reset":
        c = QuantumCircuit(n)
        c.h(0)
        c.reset(0)
        return c
    if family == "conditional":
        c = QuantumCircuit(n, n)
        c.h(0)
        c.measure(0, 0)
        with c.if_test((c.clbits[0], 1)):
            c.x(1)
        return c
    if family == "mid-measure":
        c = QuantumCircuit(n, n)
        c.h(0)
        c.measure(0, 0)
        c.cx(0, 1)
        return c
    if family == "PauliFeatureMap":
        return lib.pauli_feature_map(n, reps=reps, paulis=["Z", "XX", "YZ"])
    raise ValueError(f"unknown family {family!r}")


def generate(task):
    family, n, seed = task["family"], task["n"], task.get("seed", 0)
    rng = np.random.default_rng(seed)
    if family == "random":
        circuit = random_circuit(n, task.get("depth", 4), max_operands=task.get("maxOperands", 3), seed=seed,
                                 measure=task.get("measure", False), conditional=task.get("conditional", False),
                                 reset=task.get("reset", False))
    else:
        circuit = library_circuit(family, n, task.get("reps", 1))
    params = list(circuit.parameters)
    values = rng.uniform(-np.pi, np.pi, len(params)).tolist()
    bound = circuit.assign_parameters(dict(zip(params, values))) if params else circuit
    out = {"nQubits": n, "ops": dict(bound.count_ops())}
    if bound.num_clbits == 0:
        out["state"] = state_json(bound)
    if task.get("free") and params:
        out["qasm3"] = qasm3.dumps(circuit)
        out["parameters"] = [p.name for p in params]
        out["values"] = values
    else:
        out["qasm3"] = qasm3.dumps(bound)
        try:
            out["qasm2"] = qasm2.dumps(bound)
        except Exception:  # e.g. if_test blocks, which OpenQASM 2 cannot hold
            pass
    return out


HANDLERS = {"load": load, "generate": generate}


def main():
    request = json.load(sys.stdin)
    results = []
    for task in request["tasks"]:
        try:
            results.append(HANDLERS[task["kind"]](task))
        except Exception as e:  # reported per task, so one bad circuit names itself
            results.append({"error": f"{type(e).__name__}: {e}"})
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()
