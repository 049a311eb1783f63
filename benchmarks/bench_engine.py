"""Engine speed: one training step of the trainer's fast path against hand-written NumPy in
the seed notebook's layer-object style (Affine, Sigmoid, Relu, SoftmaxWithLoss, MSE objects
with forward/backward and a plain SGD loop), in the same process, on three networks:

  mazur    Mazur's 2-2-2 sigmoid network, squared error, batch 1 (biases constant)
  mlp64    64-32-10 sigmoid MLP, Softmax-with-loss, batch 100
  mnist    784-256-10 ReLU MLP, Softmax-with-loss, batch 128 (random data, fixed seed)

Goal: engine / hand-written at or below 0.7 on each. Also the cost of one Stepper.step() and
one step_back() on Mazur, averaged over whole programs, and the memory of 10,000 kept steps.
Best of several repeats (time.perf_counter) after a warm-up; figures only, no assertions.

Run: .venv/bin/python benchmarks/bench_engine.py
"""
from __future__ import annotations

import gc
import os
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from core.data.dataset import Dataset  # noqa: E402
from core.graph import Graph  # noqa: E402
from core.settings import TrainingSettings  # noqa: E402
from core.stepper import Stepper  # noqa: E402
from core.trainer import Trainer  # noqa: E402

GOAL = 0.7
REPEATS = 15


# ----------------------------------------------------------- hand-written layers
class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.x = self.dW = self.db = None

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx


class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(x)
    return e / np.sum(e, axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    return -np.sum(t * np.log(y + 1e-7)) / y.shape[0]


class SoftmaxWithLoss:
    def __init__(self):
        self.y = self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        return cross_entropy_error(self.y, t)

    def backward(self, dout=1):
        return (self.y - self.t) / self.t.shape[0]


class MSEWithLoss:
    def __init__(self):
        self.y = self.t = None

    def forward(self, y, t):
        self.y, self.t = y, t
        return 0.5 * np.sum((t - y) ** 2)

    def backward(self, dout=1):
        return -dout * (self.t - self.y)


class LayerNet:
    """Layers in order, a loss layer, and the (layer, attribute) pairs SGD updates."""

    def __init__(self, layers, loss, params, lr):
        self.layers, self.loss, self.params, self.lr = layers, loss, params, lr
        self.losses = []

    def step(self, x, t):
        out = x
        for layer in self.layers:
            out = layer.forward(out)
        self.losses.append(self.loss.forward(out, t))
        dout = self.loss.backward(1)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        for layer, name in self.params:
            w = getattr(layer, name)
            w -= self.lr * getattr(layer, "d" + name)


# ------------------------------------------------------------------ networks
@dataclass
class Network:
    name: str
    x: np.ndarray
    t: np.ndarray
    weights: list[tuple[np.ndarray, np.ndarray]]
    activation: str  # Sigmoid | ReLU, after every layer but the last (and the last for mazur)
    loss: str  # SquaredError | SoftmaxWithLoss
    lr: float
    train_biases: bool
    updates: int  # per timed repeat

    def hand_written(self) -> LayerNet:
        layers, params = [], []
        n = len(self.weights)
        for k, (w, b) in enumerate(self.weights):
            fc = Affine(w.copy(), b.copy())
            layers.append(fc)
            params.append((fc, "W"))
            if self.train_biases:
                params.append((fc, "b"))
            if k < n - 1 or self.loss == "SquaredError":
                layers.append(Sigmoid() if self.activation == "Sigmoid" else Relu())
        loss = MSEWithLoss() if self.loss == "SquaredError" else SoftmaxWithLoss()
        return LayerNet(layers, loss, params, self.lr)

    def graph(self) -> Graph:
        g = Graph()
        g.set_dataset(Dataset({"x": self.x, "t": self.t}))
        g.set_settings(TrainingSettings(optimizer="sgd", learning_rate=self.lr, batch_size=0))
        g.add_node("Input", "x", attrs={"field": "x"})
        g.add_node("Input", "t", attrs={"field": "t"})
        prev, n = "x", len(self.weights)
        for k, (w, b) in enumerate(self.weights, 1):
            g.add_node("Parameter", f"W{k}", value=w)
            g.add_node("Parameter" if self.train_biases else "Constant", f"b{k}", value=b)
            g.add_node("Affine", f"affine{k}")
            for src, port in ((prev, "x"), (f"W{k}", "W"), (f"b{k}", "b")):
                g.connect(src, f"affine{k}", port)
            prev = f"affine{k}"
            if k < n or self.loss == "SquaredError":
                g.add_node(self.activation, f"act{k}")
                g.connect(prev, f"act{k}", "x")
                prev = f"act{k}"
        g.add_node(self.loss, "loss")
        g.connect(prev, "loss", "y" if self.loss == "SquaredError" else "x")
        g.connect("t", "loss", "t")
        return g


def mazur() -> Network:
    w1 = np.array([[0.15, 0.25], [0.20, 0.30]])
    w2 = np.array([[0.40, 0.50], [0.45, 0.55]])
    x, t = np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]])
    return Network("mazur 2-2-2", x, t, [(w1, np.array(0.35)), (w2, np.array(0.60))],
                   "Sigmoid", "SquaredError", 0.5, False, 4000)


def mlp(name: str, sizes: list[int], batch: int, activation: str, updates: int, seed: int) -> Network:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, sizes[0]))
    t = np.eye(sizes[-1])[rng.integers(0, sizes[-1], size=batch)]
    gain = 2.0 if activation == "ReLU" else 1.0
    weights = [(rng.normal(size=(a, b)) * np.sqrt(gain / a), np.zeros(b)) for a, b in zip(sizes, sizes[1:])]
    return Network(name, x, t, weights, activation, "SoftmaxWithLoss", 0.1, True, updates)


# ------------------------------------------------------------------- timing
def timed(run: Callable[[], None]) -> float:
    gc.collect()
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def time_training(net: Network) -> tuple[float, float, float]:
    """(engine, hand-written) seconds per update, best of REPEATS runs of ``net.updates`` updates
    taken in turns so both see the same machine, and the largest relative difference of their
    losses over the first 20 updates."""
    check_hand, check_engine = net.hand_written(), Trainer(net.graph())
    for _ in range(20):
        check_hand.step(net.x, net.t)
    first = check_engine.run(20).losses
    agree = float(np.max(np.abs(first - np.array(check_hand.losses)) / np.abs(first)))

    hand, trainer = net.hand_written(), Trainer(net.graph())
    x, t, n = net.x.copy(), net.t.copy(), net.updates

    def hand_run() -> None:
        for _ in range(n):
            hand.step(x, t)
        hand.losses.clear()

    def engine_run() -> None:
        trainer.run(n)
        trainer.losses.clear()

    hand_run(), engine_run()  # warm-up
    engine = handwritten = float("inf")
    for _ in range(REPEATS):
        handwritten = min(handwritten, timed(hand_run))
        engine = min(engine, timed(engine_run))
    return engine / n, handwritten / n, agree


def time_stepper(programs: int = 200) -> tuple[float, float, int]:
    """Seconds per step() and per step_back() on Mazur over whole programs, and program length."""
    graph = mazur().graph()
    st = Stepper(graph, history_limit=100_000)
    steps = programs * len(st.program)
    best_step = best_back = float("inf")

    def forward() -> None:
        for _ in range(steps):
            st.step()

    def back() -> None:
        while st.step_back() is not None:
            pass

    for _ in range(REPEATS):
        best_step = min(best_step, timed(forward) / steps)
        records = st.history_length
        best_back = min(best_back, timed(back) / records)
    return best_step, best_back, len(st.program)


def history_memory(kept: int = 10_000) -> tuple[int, int]:
    """Bytes held by ``kept`` steps of history on Mazur (the history full and turning over)."""
    graph = mazur().graph()
    gc.collect()
    tracemalloc.start()
    st = Stepper(graph, history_limit=kept)
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(kept + kept // 5):
        st.step()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return after - before, st.history_length


def main() -> None:
    print(f"numpy {np.__version__}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other work skews the matrix "
          f"products); best of {REPEATS} repeats")
    print(f"training step, engine (Trainer.run) against hand-written layers; goal ratio <= {GOAL}")
    networks = [mazur(), mlp("mlp 64-32-10 sigmoid b100", [64, 32, 10], 100, "Sigmoid", 2000, 1),
                mlp("mlp 784-256-10 relu b128", [784, 256, 10], 128, "ReLU", 60, 2)]
    print(f"  {'network':28s} {'engine':>12s} {'hand':>12s} {'ratio':>7s}  goal  loss diff")
    for net in networks:
        engine, hand, agree = time_training(net)
        ratio = engine / hand
        print(f"  {net.name:28s} {engine * 1e6:9.2f} µs {hand * 1e6:9.2f} µs {ratio:7.3f}  "
              f"{'met ' if ratio <= GOAL else 'MISS'}  {agree:.1e}")
    step, back, length = time_stepper()
    print(f"stepper on mazur ({length} steps a program): step() {step * 1e6:.1f} µs, "
          f"step_back() {back * 1e6:.1f} µs")
    used, kept = history_memory()
    print(f"history on mazur: {kept} kept steps hold {used / 1e6:.2f} MB, {used / kept:.0f} bytes per step")


if __name__ == "__main__":
    main()
