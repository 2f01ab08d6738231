"""One bench peer as a long-lived process: JSON commands on stdin, one JSON answer per line on stdout.

The circuit is the bench's scaling circuit (the qkc-mnist-batch kernel is its 4-qubit case):
RY(pi * x_q) on every qubit q, then `layers` times [RY(w), RZ(w) on every qubit, CNOT ring q -> q+1],
weights indexed 2*n*l + 2*q (RY) and 2*n*l + 2*q + 1 (RZ), <Z_q> on every qubit -> [batch, n].
The epoch workload's kernel is qkc's hybrid-small kernel, which leaves out the last layer's RZ gates (a Z
read-out cannot see them, so qkc drops them; src/sim/trailing-phases.ts): its last layer is RY only, weights
2*n*(layers-1) + q; setup gets `trailing_rz` false for it (see `weight_slots`).
The gradient is d(sum of all outputs)/d(weights), as in qkc's bench.

Commands:
  {"op": "setup", "n": 4, "layers": 2, "x": [[...], ...], "w": [...]}   -> {"ok": true}
  {"op": "check"}                          -> {"out": [[...]], "grad": [...]}   (for agreement checks)
  {"op": "time", "mode": "forward" | "forward_grad"} -> {"ms": t}   (timed inside, without the pipe)
  {"op": "versions"}                       -> {"versions": {...}}
The epoch workload (bench/peers-epoch.ts; model in epoch_model.py):
  {"op": "epoch_setup", "weights": [{"shape", "values"}...], "data": path, "images": N, "lr": 1e-3}
  {"op": "epoch_check", "count": 32}       -> {"out": [[...]], "grads": [[...]...]}  (inference mode)
  {"op": "epoch_time", "batchSize": 32, "maxBatches": k | null} -> {"s", "batches", "batchesPerEpoch", ...}
  {"op": "epoch_parts", "batchSize": 32, "maxBatches": k | null} -> {"feedCpuS", "forwardCpuS", ...} (bench/classical-step.ts)
Run: python peer_server.py <peer>, peer one of: torchquantum, pennylane-default, pennylane-lightning,
qiskit-ml, torch-compiled, or torch-control (epoch ops only).
"""
import json
import math
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import os  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

# One thread by default, like qkc's single-threaded wasm backend: on a loaded 2-core machine torch's
# OpenMP pool at 2 threads was measured 10-20x slower (spinning threads descheduled). QKC_BENCH_TORCH_THREADS
# sets another count; the count used is recorded with the results.
torch.set_num_threads(int(os.environ.get("QKC_BENCH_TORCH_THREADS", "1")))

torch.set_default_dtype(torch.float32)


def widx(n, layer, q):
    """Index of the RY weight of qubit q in layer `layer` (its RZ weight follows)."""
    return 2 * n * layer + 2 * q


def weight_slots(n, layers, trailing_rz=True):
    """Per layer, per qubit: (RY weight index, RZ weight index or None). Without `trailing_rz` the last
    layer has no RZ and its RY weights follow the earlier layers' in qubit order (qkc's numbering)."""
    slots = []
    for layer in range(layers):
        if trailing_rz or layer < layers - 1:
            slots.append([(widx(n, layer, q), widx(n, layer, q) + 1) for q in range(n)])
        else:
            slots.append([(2 * n * layer + q, None) for q in range(n)])
    return slots


def weight_count(n, layers, trailing_rz=True):
    """Number of weights of the circuit (2*n*layers, or n fewer without the trailing RZ layer)."""
    return 2 * n * layers - (0 if trailing_rz else n)


class TorchQuantumPeer:
    """TorchQuantum 0.1.x: one batched QuantumDevice, functional gates, analytic <Z>."""

    def setup(self, n, layers, x, w, trailing_rz=True):
        import torchquantum as tq
        import torchquantum.functional as tqf
        self.tq, self.tqf = tq, tqf
        self.n, self.layers, self.slots = n, layers, weight_slots(n, layers, trailing_rz)
        self.x = torch.tensor(x, dtype=torch.float32)
        self.w = torch.tensor(w, dtype=torch.float32, requires_grad=True)

    def forward(self):
        return self.expval(self.x, self.w)

    def expval(self, x, w):
        """<Z_q> [batch, n] of rows x [batch, n] under weights w; differentiable in w."""
        tq, tqf, n, b = self.tq, self.tqf, self.n, x.shape[0]
        dev = tq.QuantumDevice(n_wires=n, bsz=b, device="cpu")
        for q in range(n):
            tqf.ry(dev, wires=q, params=math.pi * x[:, q])
        for layer in self.slots:
            for q, (i, j) in enumerate(layer):
                tqf.ry(dev, wires=q, params=w[i].expand(b))
                if j is not None:
                    tqf.rz(dev, wires=q, params=w[j].expand(b))
            for q in range(n):
                tqf.cnot(dev, wires=[q, (q + 1) % n])
        return tq.expval(dev, list(range(n)), [tq.PauliZ()] * n)


class PennyLanePeer:
    """PennyLane with the torch interface: default.qubit by backprop (broadcast), or lightning.qubit by adjoint (device VJP)."""

    def __init__(self, device, diff_method):
        self.device, self.diff_method = device, diff_method

    def setup(self, n, layers, x, w, trailing_rz=True):
        import pennylane as qml
        self.n, self.layers = n, layers
        slots = weight_slots(n, layers, trailing_rz)
        self.x = torch.tensor(x, dtype=torch.float64 if self.device == "lightning.qubit" else torch.float32)
        self.w = torch.tensor(w, dtype=self.x.dtype, requires_grad=True)
        dev = qml.device(self.device, wires=n)
        # lightning.qubit: the device computes the vector-Jacobian product (one adjoint sweep for the summed
        # outputs) instead of the full Jacobian on every execution, forward-only calls included: at 16 qubits
        # x batch 1 forward 0.11 s instead of 1.3 s, forward + gradient 0.38 s instead of 0.63 s.
        vjp = {"device_vjp": True} if self.device == "lightning.qubit" else {}

        @qml.qnode(dev, interface="torch", diff_method=self.diff_method, **vjp)
        def circuit(xb, wb):
            for q in range(n):
                qml.RY(math.pi * xb[..., q], wires=q)
            for layer in slots:
                for q, (i, j) in enumerate(layer):
                    qml.RY(wb[i], wires=q)
                    if j is not None:
                        qml.RZ(wb[j], wires=q)
                for q in range(n):
                    qml.CNOT(wires=[q, (q + 1) % n])
            return [qml.expval(qml.PauliZ(q)) for q in range(n)]

        self.circuit = circuit

    def forward(self):
        return self.expval(self.x, self.w)

    def expval(self, x, w):
        """<Z_q> [batch, n] of rows x [batch, n] under weights w (in the device's dtype)."""
        out = self.circuit(x.to(self.x.dtype), w)
        return torch.stack(list(out), dim=-1).reshape(x.shape[0], self.n)


class QiskitMlPeer:
    """Qiskit Machine Learning: EstimatorQNN (reference Estimator, parameter-shift gradients) under TorchConnector."""

    def setup(self, n, layers, x, w, trailing_rz=True):
        from qiskit import QuantumCircuit
        from qiskit.circuit import ParameterVector
        from qiskit.quantum_info import SparsePauliOp
        from qiskit_machine_learning.connectors import TorchConnector
        from qiskit_machine_learning.neural_networks import EstimatorQNN
        self.n = n
        xp, wp = ParameterVector("x", n), ParameterVector("w", weight_count(n, layers, trailing_rz))
        qc = QuantumCircuit(n)
        for q in range(n):
            qc.ry(math.pi * xp[q], q)
        for layer in weight_slots(n, layers, trailing_rz):
            for q, (i, j) in enumerate(layer):
                qc.ry(wp[i], q)
                if j is not None:
                    qc.rz(wp[j], q)
            for q in range(n):
                qc.cx(q, (q + 1) % n)
        # Qiskit labels qubit 0 as the rightmost Pauli character.
        obs = [SparsePauliOp("I" * (n - 1 - q) + "Z" + "I" * q) for q in range(n)]
        qnn = EstimatorQNN(circuit=qc, observables=obs, input_params=list(xp), weight_params=list(wp))
        self.model = TorchConnector(qnn, initial_weights=np.array(w, dtype=np.float64))
        self.x = torch.tensor(x, dtype=torch.float64)
        self.w = self.model.weight

    def forward(self):
        return self.model(self.x)


class TorchCompiledPeer:
    """A hand-written PyTorch reference: the weight block as one 2^n x 2^n unitary (built by autograd-able
    ops), applied to the product-state encodings of all rows by one matrix product."""

    def setup(self, n, layers, x, w, trailing_rz=True):
        self.n, self.layers, self.slots = n, layers, weight_slots(n, layers, trailing_rz)
        self.x = torch.tensor(x, dtype=torch.float32)
        self.w = torch.tensor(w, dtype=torch.float32, requires_grad=True)
        dim = 1 << n
        idx = torch.arange(dim)
        # zsign[k, q] = +1 if bit q of k is 0 (qubit 0 least significant), else -1
        self.zsign = (1 - 2 * ((idx[:, None] >> torch.arange(n)[None, :]) & 1)).to(torch.float32)
        self.bits = ((idx[:, None] >> torch.arange(n)[None, :]) & 1).bool()

    def _apply_1q(self, u, m, q):
        """Left-multiplies the columns of u [dim, dim] (complex) by the 2x2 gate m on qubit q."""
        n, dim = self.n, 1 << self.n
        t = u.reshape([2] * n + [dim])
        axis = n - 1 - q  # reshape puts the most significant bit first
        t = torch.movedim(t, axis, 0)
        t = torch.tensordot(m, t, dims=([1], [0]))
        return torch.movedim(t, 0, axis).reshape(dim, dim)

    def _unitary(self, w):
        n, dim = self.n, 1 << self.n
        u = torch.eye(dim, dtype=torch.complex64)
        for layer in self.slots:
            for q, (i, j) in enumerate(layer):
                a = w[i] / 2
                c, s = torch.cos(a), torch.sin(a)
                m = torch.stack([torch.stack([c, -s]), torch.stack([s, c])]).to(torch.complex64)
                if j is not None:
                    b = w[j] / 2
                    m = torch.diag(torch.stack([torch.exp(-1j * b.to(torch.complex64)), torch.exp(1j * b.to(torch.complex64))])) @ m
                u = self._apply_1q(u, m, q)
            for q in range(n):
                t = (q + 1) % n
                k = torch.arange(dim)
                src = torch.where(((k >> q) & 1).bool(), k ^ (1 << t), k)
                u = u[src]
        return u

    def forward(self):
        return self.expval(self.x, self.w)

    def expval(self, x, w):
        """<Z_q> [batch, n] of rows x [batch, n] under weights w."""
        u = self._unitary(w)
        half = math.pi * x / 2
        c, s = torch.cos(half), torch.sin(half)  # [B, n]
        amp = torch.where(self.bits[None, :, :], s[:, None, :], c[:, None, :]).prod(dim=2)  # [B, dim]
        psi = amp.to(torch.complex64) @ u.T
        return (psi.real ** 2 + psi.imag ** 2) @ self.zsign


def make(peer):
    if peer == "torchquantum":
        return TorchQuantumPeer()
    if peer == "pennylane-default":
        return PennyLanePeer("default.qubit", "backprop")
    if peer == "pennylane-lightning":
        return PennyLanePeer("lightning.qubit", "adjoint")
    if peer == "qiskit-ml":
        return QiskitMlPeer()
    if peer == "torch-compiled":
        return TorchCompiledPeer()
    if peer == "torch-control":
        return None  # the epoch workload's classical control: no circuit
    raise SystemExit(f"peer_server: unknown peer {peer!r}")


def versions():
    out = {"python": sys.version.split()[0], "torch": torch.__version__, "torch_threads": torch.get_num_threads()}
    for mod in ("torchquantum", "pennylane", "pennylane_lightning", "qiskit", "qiskit_machine_learning"):
        try:
            out[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001 - a missing peer library is reported, not fatal
            out[mod] = None
    return out


def run_once(peer, mode):
    if peer.w.grad is not None:
        peer.w.grad = None
    t0 = time.perf_counter()
    if mode == "forward":
        with torch.no_grad():
            out = peer.forward()
        float(out.sum())
    else:
        out = peer.forward()
        out.sum().backward()
        float(peer.w.grad.sum())
    return (time.perf_counter() - t0) * 1000


def epoch_setup(name, peer, cmd):
    """The epoch workload's model around this peer's circuit (control-small for torch-control)."""
    from epoch_model import EpochRun, KernelModule, QiskitKernelModule
    weights = cmd["weights"]
    if peer is None:
        kernel = None
    else:
        w0 = weights[0]["values"]
        # qkc's hybrid-small kernel: 4 qubits, 2 layers, without the trailing RZ layer (12 angles); 16 = with it.
        if len(w0) not in (weight_count(4, 2), weight_count(4, 2, False)):
            raise ValueError(f"epoch_setup: expected {weight_count(4, 2, False)} or {weight_count(4, 2)} kernel angles, got {len(w0)}")
        peer.setup(4, 2, [[0.0] * 4], w0, trailing_rz=len(w0) == weight_count(4, 2))
        kernel = QiskitKernelModule(peer.model) if name == "qiskit-ml" else KernelModule(peer, w0)
    return EpochRun(kernel, weights, cmd["data"], cmd["images"], cmd["lr"])


def main():
    name = sys.argv[1]
    peer = make(name)
    run = None
    for line in sys.stdin:
        cmd = json.loads(line)
        try:
            if cmd["op"] == "setup":
                peer.setup(cmd["n"], cmd["layers"], cmd["x"], cmd["w"])
                ans = {"ok": True}
            elif cmd["op"] == "check":
                if peer.w.grad is not None:
                    peer.w.grad = None
                out = peer.forward()
                out.sum().backward()
                ans = {"out": out.detach().double().tolist(), "grad": peer.w.grad.double().tolist()}
            elif cmd["op"] == "time":
                ans = {"ms": run_once(peer, cmd["mode"])}
            elif cmd["op"] == "epoch_setup":
                run = epoch_setup(name, peer, cmd)
                ans = {"ok": True}
            elif cmd["op"] == "epoch_check":
                ans = run.check(cmd["count"])
            elif cmd["op"] == "epoch_time":
                ans = run.epoch(cmd["batchSize"], cmd.get("maxBatches"))
            elif cmd["op"] == "epoch_parts":
                ans = run.parts(cmd["batchSize"], cmd.get("maxBatches"))
            elif cmd["op"] == "versions":
                ans = {"versions": versions()}
            else:
                ans = {"error": f"unknown op {cmd['op']!r}"}
        except Exception as e:  # noqa: BLE001 - the orchestrator records the peer's failure for this case
            ans = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(ans) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
