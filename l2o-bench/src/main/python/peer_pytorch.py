#!/usr/bin/env python3
"""PyTorch peer of l2o's benchmarks: the same work, timed the same way, one thread.

Cases (names shared with l2o-bench; the last part, f32 or f64, is the precision):
  mlp/<sizes>/<batch>/<adam|momentum>/<f32|f64>  one training step of a sigmoid MLP with softmax
      cross-entropy on MNIST minibatches (inputs randomly projected when the first size is not 784):
      draw a minibatch, forward, backward, optimizer step.
  lstm/<n>/<f32|f64>  one inference step of the coordinatewise 2x20 LSTM optimizer with log/sign inputs
  lm2017/<n>/<f32|f64>  one step of the Li & Malik 2017 optimizer: 3 observation features, one 128-cell LSTM
      (p = 10) on n coordinates, then x += output scale * network output.

Prints one line per case: PEER <case> <steps per second> (median of --repeats timed blocks).
"""
import argparse
import gzip
import math
import os
import statistics
import struct
import sys
import time

try:
    import torch
except ImportError:
    sys.exit("peer: PyTorch is not installed for " + sys.executable
             + " (on Debian: apt-get install python3-torch libopenblas0-pthread)")


def load_mnist(data_dir):
    """MNIST training images as float rows scaled to [0, 1] and labels, from IDX (optionally gzip)."""
    def read(name):
        for candidate in (name, name + ".gz"):
            path = os.path.join(data_dir, "mnist", candidate)
            if os.path.exists(path):
                opener = gzip.open if path.endswith(".gz") else open
                with opener(path, "rb") as f:
                    return f.read()
        raise SystemExit(f"peer: {os.path.join(data_dir, 'mnist', name)}[.gz] not found")
    images = read("train-images-idx3-ubyte")
    labels = read("train-labels-idx1-ubyte")
    magic, n, rows, cols = struct.unpack(">IIII", images[:16])
    if magic != 2051:
        raise SystemExit("peer: train-images-idx3-ubyte is not an IDX image file")
    x = torch.frombuffer(bytearray(images[16:]), dtype=torch.uint8).reshape(n, rows * cols).float() / 255.0
    y = torch.frombuffer(bytearray(labels[8:]), dtype=torch.uint8).long()
    return x, y


def timed(step, seconds, repeats):
    """Median steps per second over `repeats` blocks of about `seconds` each, after a warm-up block."""
    def block(budget):
        count, start = 0, time.perf_counter()
        while True:
            for _ in range(8):
                step()
            count += 8
            elapsed = time.perf_counter() - start
            if elapsed >= budget:
                return count / elapsed
    block(seconds)
    return statistics.median(block(seconds) for _ in range(repeats))


def dtype_of(name):
    suffix = name.rsplit("/", 1)[1]
    if suffix not in ("f32", "f64"):
        raise SystemExit(f"peer: case '{name}' does not end in /f32 or /f64")
    return torch.float32 if suffix == "f32" else torch.float64


def mlp_case(name, data, seconds, repeats):
    dtype = dtype_of(name)
    sizes, batch, rule = name.split("/")[1:4]
    sizes = [int(s) for s in sizes.split("-")]
    batch = int(batch)
    x_all, y_all = data
    generator = torch.Generator().manual_seed(0)
    if sizes[0] != x_all.shape[1]:
        # random projection to sizes[0] dimensions, then unit variance per dimension (as l2o does)
        projection = torch.randn(x_all.shape[1], sizes[0], generator=generator)
        x_all = x_all @ projection
        x_all = (x_all - x_all.mean(0)) / x_all.std(0).clamp_min(1e-12)
    x_all = x_all.to(dtype)
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(torch.nn.Sigmoid())
    model = torch.nn.Sequential(*layers).to(dtype)
    if rule == "adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = x_all.shape[0]

    def step():
        index = torch.randint(n, (batch,), generator=generator)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x_all[index]), y_all[index])
        loss.backward()
        optimizer.step()
    return timed(step, seconds, repeats)


class CoordinatewiseLstm(torch.nn.Module):
    """Two stacked LSTM cells of 20 units shared by all coordinates, log/sign inputs, linear output."""

    def __init__(self, hidden=20, p=10.0, scale=0.1):
        super().__init__()
        self.cells = torch.nn.ModuleList([torch.nn.LSTMCell(2, hidden), torch.nn.LSTMCell(hidden, hidden)])
        self.out = torch.nn.Linear(hidden, 1)
        self.p, self.scale = p, scale

    def forward(self, g, state):
        threshold = math.exp(-self.p)
        big = g.abs() >= threshold
        log_part = torch.where(big, torch.log(g.abs().clamp_min(1e-300)) / self.p, torch.full_like(g, -1.0))
        sign_part = torch.where(big, torch.sign(g), math.exp(self.p) * g)
        h = torch.stack([log_part, sign_part], dim=1)
        new_state = []
        for cell, (hx, cx) in zip(self.cells, state):
            hx, cx = cell(h, (hx, cx))
            new_state.append((hx, cx))
            h = hx
        return self.scale * self.out(h).squeeze(1), new_state


def lstm_case(name, seconds, repeats):
    dtype = dtype_of(name)
    n = int(name.split("/")[1])
    torch.manual_seed(5)
    net = CoordinatewiseLstm().to(dtype)
    x = torch.rand(n, dtype=dtype)
    g = torch.rand(n, dtype=dtype) * 2 - 1
    holder = {"state": [(torch.zeros(n, 20, dtype=dtype), torch.zeros(n, 20, dtype=dtype)) for _ in range(2)],
              "x": x}

    def step():
        with torch.no_grad():
            dx, holder["state"] = net(g, holder["state"])
            holder["x"] = holder["x"] + dx
    return timed(step, seconds, repeats)


class ObservationLstm(torch.nn.Module):
    """Li & Malik 2017's optimizer: one LSTM cell of 128 units on 3 observation features per coordinate."""

    def __init__(self, hidden=128, scale=0.01):
        super().__init__()
        self.cell = torch.nn.LSTMCell(3, hidden)
        self.out = torch.nn.Linear(hidden, 1)
        self.scale = scale

    def forward(self, psi, state):
        hx, cx = self.cell(psi, state)
        return self.scale * self.out(hx).squeeze(1), (hx, cx)


def lm2017_case(name, seconds, repeats):
    dtype = dtype_of(name)
    n = int(name.split("/")[1])
    torch.manual_seed(5)
    net = ObservationLstm().to(dtype)
    g = torch.rand(n, dtype=dtype) * 2 - 1
    x = torch.rand(n, dtype=dtype)
    h = {"state": (torch.zeros(n, 128, dtype=dtype), torch.zeros(n, 128, dtype=dtype)), "x": x, "x1": x.clone(),
         "x2": x.clone(), "g1": g.clone(), "f": 1.0, "f1": 1.0}

    def step():
        with torch.no_grad():
            # the features of spec 2.4 from the history, as l2o computes them every step
            psi1 = torch.full_like(g, (h["f"] - h["f1"]) / h["f1"])
            psi2 = g / (h["g1"].abs() + 1)
            psi3 = (h["x1"] - h["x2"]).abs() / ((h["x"] - h["x1"]).abs() + 0.1)
            dx, h["state"] = net(torch.stack([psi1, psi2, psi3], dim=1), h["state"])
            h["x2"], h["x1"] = h["x1"], h["x"]
            h["x"] = h["x"] + dx
            h["g1"] = g
    return timed(step, seconds, repeats)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", required=True, help="folder holding mnist/train-images-idx3-ubyte[.gz]")
    parser.add_argument("--seconds", type=float, default=1.0, help="length of one timed block")
    parser.add_argument("--repeats", type=int, default=5, help="timed blocks per case")
    parser.add_argument("cases", nargs="+")
    args = parser.parse_args()
    torch.set_num_threads(1)
    data = None
    for name in args.cases:
        if name.startswith("mlp/"):
            if data is None:
                data = load_mnist(args.data_dir)
            rate = mlp_case(name, data, args.seconds, args.repeats)
        elif name.startswith("lstm/"):
            rate = lstm_case(name, args.seconds, args.repeats)
        elif name.startswith("lm2017/"):
            rate = lm2017_case(name, args.seconds, args.repeats)
        else:
            raise SystemExit(f"peer: unknown case '{name}'")
        print(f"PEER {name} {rate:.6g}", flush=True)


if __name__ == "__main__":
    main()
