"""hybrid-small and control-small in PyTorch, for the bench's one-epoch workload (bench/peers-epoch.ts).

The model is qkc's (src/models/hybrid.ts, registry HYBRID_SMALL): 28x28 digit -> area resize to 14x14 (a 2x2
average) -> 2x2 windows at stride 2 (values in row-major order, value i -> qubit i) -> kernel -> 7x7x4 ->
conv 3x3x16 'same' + ReLU -> max-pool 2 -> 3x3x16 -> flatten in NHWC order (as tfjs does) -> dropout 0.3 ->
dense 10 + softmax; loss: the clipped-log cross-entropy of qkc's trainer on the softmax output, batch mean.
The kernel is a peer's quantum layer (4 qubits, RY(pi x) encoding, 2 hardware-efficient layers without the
last layer's RZ gates, which a Z read-out cannot see: 12 angles as in qkc, <Z> per qubit) or, in control-small, a conv 2x2/2 with 4 channels and tanh. Initial weights come from qkc (tfjs
layouts: conv [kh, kw, in, out], dense [in, out]) so every contender starts from the same point.
Adam as qkc's trainer: lr 1e-3 for both groups, betas (0.9, 0.999), eps 1e-7 (torch adds eps to the
bias-corrected sqrt(v); qkc folds the corrections into the step size, which moves eps by a factor ~1).
"""
import time

import numpy as np
import torch
import torch.nn.functional as F

PROB_EPSILON = 1e-7


class KernelModule(torch.nn.Module):
    """A peer's circuit as a layer: rows [P, 4] -> <Z_q> [P, 4], its angles a trainable parameter."""

    def __init__(self, peer, w0):
        super().__init__()
        self.peer = peer
        self.weight = torch.nn.Parameter(torch.tensor(w0, dtype=peer.w.dtype))

    def forward(self, rows):
        return self.peer.expval(rows, self.weight).to(torch.float32)


class QiskitKernelModule(torch.nn.Module):
    """Qiskit ML's TorchConnector (it owns the angles as `weight`), fed and read in float64."""

    def __init__(self, connector):
        super().__init__()
        self.connector = connector

    def forward(self, rows):
        return self.connector(rows.to(torch.float64)).to(torch.float32)


def from_tfjs_conv(values, shape):
    """A tfjs conv kernel [kh, kw, in, out] as torch's [out, in, kh, kw]."""
    return torch.tensor(np.array(values, dtype=np.float32).reshape(shape)).permute(3, 2, 0, 1).contiguous()


def to_tfjs_conv(t):
    """torch's [out, in, kh, kw] back to tfjs's [kh, kw, in, out], flattened."""
    return t.permute(2, 3, 1, 0).reshape(-1)


class EpochModel(torch.nn.Module):
    """hybrid-small (kernel = a quantum KernelModule) or control-small (kernel None: conv 2x2/2 x4, tanh)."""

    def __init__(self, kernel, weights):
        super().__init__()
        it = iter(weights)
        self.kernel = kernel
        if kernel is None:
            k, b = next(it), next(it)
            self.conv0 = torch.nn.Conv2d(1, 4, 2, stride=2)
            self.conv0.weight.data = from_tfjs_conv(k["values"], k["shape"])
            self.conv0.bias.data = torch.tensor(b["values"], dtype=torch.float32)
        else:
            next(it)  # the kernel's angles: already in the kernel module
        k, b = next(it), next(it)
        self.conv1 = torch.nn.Conv2d(4, 16, 3, padding=1)
        self.conv1.weight.data = from_tfjs_conv(k["values"], k["shape"])
        self.conv1.bias.data = torch.tensor(b["values"], dtype=torch.float32)
        k, b = next(it), next(it)
        self.dense = torch.nn.Linear(k["shape"][0], k["shape"][1])
        self.dense.weight.data = torch.tensor(np.array(k["values"], dtype=np.float32).reshape(k["shape"]).T.copy())
        self.dense.bias.data = torch.tensor(b["values"], dtype=torch.float32)
        self.dropout = torch.nn.Dropout(0.3)

    def forward(self, x):
        """Softmax probabilities [B, 10] of images x [B, 1, 28, 28] in [0, 1]."""
        x = F.avg_pool2d(x, 2)  # area resize 28 -> 14
        if self.kernel is None:
            h = torch.tanh(self.conv0(x))
        else:
            b = x.shape[0]
            rows = F.unfold(x, 2, stride=2).transpose(1, 2).reshape(-1, 4)  # [B*49, 4], (row, col) order
            h = self.kernel(rows).reshape(b, 7, 7, 4).permute(0, 3, 1, 2)
        h = F.max_pool2d(F.relu(self.conv1(h)), 2)
        h = h.permute(0, 2, 3, 1).flatten(1)  # NHWC order, as tfjs's flatten
        return torch.softmax(self.dense(self.dropout(h)), dim=-1)

    def tfjs_parameters(self):
        """Parameters in qkc's trainableWeights order, each with how to turn its gradient into tfjs layout."""
        out = []
        if self.kernel is None:
            out += [(self.conv0.weight, to_tfjs_conv), (self.conv0.bias, torch.flatten)]
        else:
            w = self.kernel.weight if hasattr(self.kernel, "weight") else self.kernel.connector.weight
            out.append((w, torch.flatten))
        out += [(self.conv1.weight, to_tfjs_conv), (self.conv1.bias, torch.flatten),
                (self.dense.weight, lambda t: t.T.reshape(-1)), (self.dense.bias, torch.flatten)]
        return out


def loss_sum(probs, labels):
    """Summed cross-entropy of softmax outputs, log clipped as qkc's trainer does (Keras's epsilon)."""
    p = probs.gather(1, labels[:, None]).clamp(PROB_EPSILON, 1 - PROB_EPSILON)
    return -torch.log(p).sum()


class EpochRun:
    """One contender's training state: model, Adam, the training images (uint8 file from the bench)."""

    def __init__(self, kernel, weights, data_path, n_images, lr, seed=0):
        raw = np.fromfile(data_path, dtype=np.uint8)
        pixels = raw[: n_images * 784].reshape(n_images, 1, 28, 28)
        self.x = torch.from_numpy(pixels.astype(np.float32) / 255.0)
        self.y = torch.from_numpy(raw[n_images * 784: n_images * 785].astype(np.int64))
        self.model = EpochModel(kernel, weights)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-7)
        self.gen = torch.Generator().manual_seed(seed)

    def check(self, count):
        """Inference-mode outputs of the first `count` images and the gradient of their mean loss (tfjs layouts)."""
        self.model.eval()
        self.model.zero_grad()
        probs = self.model(self.x[:count])
        (loss_sum(probs, self.y[:count]) / count).backward()
        grads = [to_tfjs(p.grad).double().tolist() for p, to_tfjs in self.model.tfjs_parameters()]
        self.model.zero_grad()
        return {"out": probs.detach().double().tolist(), "grads": grads}

    def epoch(self, batch_size, max_batches=None):
        """Trains over a shuffled pass (or its first max_batches batches); wall and CPU seconds of the steps only."""
        self.model.train()
        n = self.x.shape[0]
        order = torch.randperm(n, generator=self.gen)
        total = -(-n // batch_size)
        run = total if max_batches is None else min(total, max_batches)
        loss, correct = 0.0, 0
        t0, c0 = time.perf_counter(), time.process_time()
        for b in range(run):
            idx = order[b * batch_size:(b + 1) * batch_size]
            xb, yb = self.x[idx], self.y[idx]
            probs = self.model(xb)
            ls = loss_sum(probs, yb)
            self.opt.zero_grad()
            (ls / len(idx)).backward()
            self.opt.step()
            loss += float(ls)  # read back every step, as qkc's trainer does
            correct += int((probs.argmax(1) == yb).sum())
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        return {"s": seconds, "cpuS": cpu, "batches": run, "batchesPerEpoch": total, "images": min(n, run * batch_size),
                "loss": loss / min(n, run * batch_size), "accuracy": correct / min(n, run * batch_size)}

    def parts(self, batch_size, max_batches=None):
        """CPU seconds of the epoch's pieces, each over the same batches: data feeding (index the resident
        float32 images and the labels) and feeding + forward in training mode without autograd (dropout on)."""
        self.model.train()
        n = self.x.shape[0]
        order = torch.randperm(n, generator=self.gen)
        run = min(-(-n // batch_size), max_batches or n)
        batches = [order[b * batch_size:(b + 1) * batch_size] for b in range(run)]
        c0 = time.process_time()
        for idx in batches:
            xb, yb = self.x[idx], self.y[idx]
        feed = time.process_time() - c0
        c0 = time.process_time()
        with torch.no_grad():
            for idx in batches:
                float(self.model(self.x[idx]).sum())
        forward = time.process_time() - c0
        return {"feedCpuS": feed, "forwardCpuS": forward, "batches": run, "threads": torch.get_num_threads()}

