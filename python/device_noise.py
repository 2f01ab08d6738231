#!/usr/bin/env python3
"""Qiskit glue of qkc's device-noise evaluation (src/device): one JSON request on stdin, one answer on stdout.

Each task names a fake IBM device snapshot (qiskit_ibm_runtime.fake_provider, offline) and gives a kernel
as OpenQASM 3 (trained weights bound, data inputs x0, x1, ... free) with Z-type observables. The kernel is
transpiled once by Qiskit to the device's basis gates and coupling map, and the answer describes it for
qkc's own density-matrix simulator: the operations on the qubits it uses (rz angles as c + sum s_i*x_i),
the error channel Aer's NoiseModel.from_backend attaches after each operation (Kraus operators), the
read-out error of each qubit, where each logical qubit ended up, and the device snapshot (name, version,
calibration date). With "windows" the same transpiled circuit is also evaluated by Qiskit Aer under the
same noise model: exact density-matrix expectations (read-out error applied to the probabilities) and,
with "shots", sampled ones, with the time Aer took.
"""
import json
import os
import sys
import time
import warnings

import numpy as np

warnings.simplefilter("ignore")

from qiskit import qasm3  # noqa: E402
from qiskit.circuit import ClassicalRegister, ParameterExpression  # noqa: E402
from qiskit.quantum_info import Kraus, Operator  # noqa: E402
from qiskit.transpiler import generate_preset_pass_manager  # noqa: E402
from qiskit_aer import AerSimulator  # noqa: E402
from qiskit_aer.noise import NoiseModel  # noqa: E402
from qiskit_ibm_runtime import fake_provider  # noqa: E402

NATIVE = {"rz", "sx", "x", "cx"}
SKIP = {"barrier", "measure", "delay"}
CHUNK = 1000  # circuits bound and run by Aer at a time


def fake_backend(name):
    wanted = name.lower().replace("_", "")
    for attr in dir(fake_provider):
        if attr.endswith("V2") and attr.lower() in (wanted, wanted + "v2"):
            return getattr(fake_provider, attr)()
    known = sorted(a[:-2].lower().replace("fake", "fake_") for a in dir(fake_provider) if a.startswith("Fake") and a.endswith("V2"))
    raise ValueError(f"device: expected a fake backend of qiskit_ibm_runtime.fake_provider ({', '.join(known[:12])}, ...), got {name!r}")


def linear(p):
    """An angle as {c, terms}: c + sum(terms[name] * name); refuses non-linear expressions."""
    if isinstance(p, ParameterExpression) and p.parameters:
        terms = {}
        for q in p.parameters:
            g = p.gradient(q)
            if isinstance(g, ParameterExpression) and g.parameters:
                raise ValueError(f"angle {p} is not linear in {q.name}")
            terms[q.name] = float(g)
        c = float(p.bind({q: 0 for q in p.parameters}))
        return {"c": c, "terms": terms}
    return {"c": float(p), "terms": {}}


def cmat(m):
    m = np.asarray(m)
    return {"re": m.real.tolist(), "im": m.imag.tolist()}


def device_info(backend):
    props = backend.properties() if hasattr(backend, "properties") else None
    date = getattr(props, "last_update_date", None) if props is not None else None
    return {"name": backend.name, "version": str(getattr(backend, "backend_version", "")), "calibrated": str(date) if date else None,
            "qubits": backend.num_qubits, "basis": sorted(backend.operation_names)}


def transpile(task, backend, noise):
    circuit = qasm3.loads(task["qasm"])
    pm = generate_preset_pass_manager(optimization_level=task.get("optimization", 1), backend=backend, seed_transpiler=task.get("seed", 0))
    isa = pm.run(circuit)
    active = sorted({isa.find_bit(q).index for inst in isa.data if inst.operation.name not in SKIP for q in inst.qubits})
    final = isa.layout.final_index_layout() if isa.layout is not None else list(range(circuit.num_qubits))
    for q in final:  # a logical qubit that no gate touches is still read out
        if q not in active:
            active.append(q)
    active.sort()
    compact = {q: i for i, q in enumerate(active)}
    ops, errors = [], []
    for inst in isa.data:
        name = inst.operation.name
        if name in SKIP:
            continue
        phys = [isa.find_bit(q).index for q in inst.qubits]
        op = {"name": name, "wires": [compact[q] for q in phys], "params": [linear(p) for p in inst.operation.params]}
        if name not in NATIVE:
            op = {"name": "unitary", "wires": op["wires"], "params": [], "matrix": cmat(Operator(inst.operation).data)}
        ops.append(op)
        err = noise._local_quantum_errors.get(name, {}).get(tuple(phys)) or noise._default_quantum_errors.get(name)
        if err is not None:
            errors.append({"after": len(ops) - 1, "wires": op["wires"], "kraus": [cmat(k) for k in Kraus(err).data]})
    readout = []
    for q in active:
        r = noise._local_readout_errors.get((q,)) or noise._default_readout_error
        p = np.asarray(r.probabilities) if r is not None else np.eye(2)
        readout.append({"p01": float(p[0][1]), "p10": float(p[1][0])})
    return isa, active, final, {
        "device": device_info(backend), "active": active, "layout": [compact[q] for q in final], "ops": ops,
        "errors": errors, "readout": readout, "counts": dict(isa.count_ops()), "depth": isa.depth(),
    }


def z_expectations(probs, terms_per_obs, nbits):
    """<Z...> of every observable from probabilities over the measured bits (bit j of the index is bit j)."""
    idx = np.arange(len(probs))
    out = []
    for terms in terms_per_obs:
        v = 0.0
        for coeff, bits in terms:
            parity = np.zeros(len(probs), dtype=int)
            for b in bits:
                parity ^= (idx >> b) & 1
            v += coeff * float(np.dot(probs, 1 - 2 * parity))
        out.append(v)
    return out


def progress(line):
    """Appends a progress line to the file named by QKC_DEVICE_PROGRESS, if set (long full-set checks)."""
    path = os.environ.get("QKC_DEVICE_PROGRESS")
    if path:
        with open(path, "a") as f:
            f.write(f"{time.strftime('%H:%M:%S')} {line}\n")


def aer_evaluate(task, isa, active, final, noise):
    """Aer on the same transpiled circuit: exact density-matrix expectations and sampled ones."""
    windows, shots = task["windows"], task.get("shots")
    params = {p.name: p for p in isa.parameters}
    # Observables over the logical qubits, read from the physical qubit each one ended on.
    terms = [[(c, [final[q] for q in qs]) for c, qs in obs] for obs in task["observables"]]
    conf = []
    for q in active:
        r = noise._local_readout_errors.get((q,)) or noise._default_readout_error
        conf.append(np.asarray(r.probabilities).T if r is not None else np.eye(2))  # C[read][true]
    sim = AerSimulator(method="density_matrix", noise_model=noise, seed_simulator=task.get("seed", 0))
    pos = {q: i for i, q in enumerate(active)}
    local_terms = [[(c, [pos[q] for q in qs]) for c, qs in obs] for obs in terms]
    exact, sampled = [], []
    t_exact, t_shots = 0.0, (0.0 if shots else None)
    cpu_exact, cpu_shots = 0.0, (0.0 if shots else None)  # process CPU seconds (all of Aer's threads)
    # In chunks, so that a whole test set's circuits never sit in memory at once.
    for start in range(0, len(windows), CHUNK):
        t0, c0 = time.perf_counter(), time.process_time()
        bound = []
        for w in windows[start:start + CHUNK]:
            c = isa.assign_parameters({params[f"x{i}"]: v for i, v in enumerate(w) if f"x{i}" in params}) if params else isa.copy()
            bound.append(c)
        dm_circuits = []
        for c in bound:
            d = c.copy()
            d.save_density_matrix(qubits=active)
            dm_circuits.append(d)
        res = sim.run(dm_circuits).result()
        for k in range(len(bound)):
            rho = np.asarray(res.data(k)["density_matrix"])
            probs = np.real(np.diag(rho))
            p = probs.reshape([2] * len(active))  # axis 0 is the highest qubit of `active`
            for j, cm in enumerate(conf):
                axis = len(active) - 1 - j
                p = np.moveaxis(np.tensordot(cm, p, axes=([1], [axis])), 0, axis)
            exact.append(z_expectations(p.reshape(-1), local_terms, len(active)))
        t_exact += time.perf_counter() - t0
        cpu_exact += time.process_time() - c0
        if shots:
            t0, c0 = time.perf_counter(), time.process_time()
            meas = []
            for c in bound:
                m = c.copy()
                creg = ClassicalRegister(len(active), "m")
                m.add_register(creg)
                for j, q in enumerate(active):
                    m.measure(q, creg[j])
                meas.append(m)
            res = sim.run(meas, shots=shots).result()
            for k in range(len(meas)):
                counts = res.get_counts(k)
                probs = np.zeros(2 ** len(active))
                for bits, n in counts.items():
                    probs[int(bits.replace(" ", ""), 2)] += n / shots
                sampled.append(z_expectations(probs, local_terms, len(active)))
            t_shots += time.perf_counter() - t0
            cpu_shots += time.process_time() - c0
        progress(f"{task['device']}: {min(start + CHUNK, len(windows))}/{len(windows)} circuits, Aer exact {t_exact:.1f} s wall / {cpu_exact:.1f} s CPU"
                 + (f", shots {t_shots:.1f} s wall / {cpu_shots:.1f} s CPU" if shots else ""))
    return {"exact": exact, "sampled": sampled if shots else None, "seconds": {"exact": t_exact, "shots": t_shots},
            "cpuSeconds": {"exact": cpu_exact, "shots": cpu_shots}}


def run_task(task):
    backend = fake_backend(task["device"])
    noise = NoiseModel.from_backend(backend)
    isa, active, final, out = transpile(task, backend, noise)
    if task.get("windows"):
        out["aer"] = aer_evaluate(task, isa, active, final, noise)
    return out


def main():
    request = json.load(sys.stdin)
    results = []
    for task in request["tasks"]:
        try:
            results.append(run_task(task))
        except Exception as e:  # reported per task, naming it
            results.append({"error": f"{type(e).__name__}: {e}"})
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()
