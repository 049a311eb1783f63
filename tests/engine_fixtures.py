"""Graphs the engine tests share (built in code), and the Stepper's state as comparable snapshots."""
from __future__ import annotations

import copy
from typing import Any

import helpers
import numpy as np

from core.data.dataset import Dataset
from core.graph import Edge, Graph
from core.settings import TrainingSettings
from core.stepper import Stepper


# ------------------------------------------------------------------ graphs
def wire(g: Graph, *edges: tuple[str, str, str]) -> None:
    for src, dst, port in edges:
        g.connect(src, dst, port)


def product_graph() -> Graph:
    """a · b → mul, the smallest graph with an objective."""
    g = Graph()
    g.add_node("Parameter", "a", value=2.0)
    g.add_node("Constant", "b", value=3.0)
    g.add_node("Multiply", "mul")
    wire(g, ("a", "mul", "x"), ("b", "mul", "y"))
    return g


def force_cycle(g: Graph, src: str, dst: str, port: str) -> None:
    """Add an edge the editor would refuse (a loader could meet one in a file), behind the API's back."""
    edge = Edge(src, dst, port)
    g._edges[(dst, port)] = edge
    g._outgoing.setdefault(src, []).append(edge)


def cyclic_graph() -> Graph:
    """a → s1 → s2 → s1 (cycle), s2 → tail (downstream of the cycle, not in it)."""
    g = Graph()
    g.add_node("Parameter", "a", value=1.0)
    g.add_node("Add", "s1")
    g.add_node("Sigmoid", "s2")
    g.add_node("Sum", "tail")
    wire(g, ("a", "s1", "x"), ("s1", "s2", "x"), ("s2", "tail", "x"))
    force_cycle(g, "s2", "s1", "y")
    return g


def build_mazur(optimizer: str = "sgd", learning_rate: float = 0.5) -> Graph:
    """Mazur's network (tests/helpers.py) with the given optimizer."""
    g = helpers.build_mazur()
    g.set_settings(g.settings.with_changes(optimizer=optimizer, learning_rate=learning_rate, steps=10))
    return g


def build_mazur_scaled_targets() -> Graph:
    """Mazur's network whose targets pass through a Multiply by a Parameter ``scale``: a
    parameter that no gradient reaches (targets take none)."""
    g = build_mazur()
    g.add_node("Parameter", "scale", value=1.0)
    g.add_node("Multiply", "scaled_t")
    g.disconnect("loss", "t")
    wire(g, ("t", "scaled_t", "x"), ("scale", "scaled_t", "y"), ("scaled_t", "loss", "t"))
    return g


def build_apple_orange() -> Graph:
    """Saito's shopping graph: (2 apples at 100 + 3 oranges at 150) × tax 1.1 = 715."""
    g = Graph()
    for node_id, value in [("apple", 100.0), ("apple_num", 2.0), ("orange", 150.0), ("orange_num", 3.0),
                           ("tax", 1.1)]:
        g.add_node("Parameter", node_id, value=value, attrs={"trainable": False})
    for op, node_id in [("Multiply", "apple_price"), ("Multiply", "orange_price"), ("Add", "all_price"),
                        ("Multiply", "price")]:
        g.add_node(op, node_id)
    wire(g, ("apple", "apple_price", "x"), ("apple_num", "apple_price", "y"),
         ("orange", "orange_price", "x"), ("orange_num", "orange_price", "y"),
         ("apple_price", "all_price", "x"), ("orange_price", "all_price", "y"),
         ("all_price", "price", "x"), ("tax", "price", "y"))
    return g


def build_classifier(optimizer: str, batch_size: int, rows: int = 8) -> Graph:
    """A 2-4-2 tanh network on XOR with Softmax-with-loss; a scalar bias on the output layer."""
    g = Graph()
    g.set_dataset(Dataset.generate("xor", rows))
    lr = {"sgd": 0.5, "momentum": 0.2, "adam": 0.05}[optimizer]
    g.set_settings(TrainingSettings(optimizer=optimizer, learning_rate=lr, batch_size=batch_size, seed=11))
    rng = np.random.default_rng(1)
    g.add_node("Input", "x", attrs={"field": "x"})
    g.add_node("Input", "t", attrs={"field": "t"})
    g.add_node("Parameter", "W1", value=rng.normal(size=(2, 4)))
    g.add_node("Parameter", "b1", value=np.zeros(4))
    g.add_node("Parameter", "W2", value=rng.normal(size=(4, 2)))
    g.add_node("Parameter", "b2", value=0.0)
    for op, node_id in [("Affine", "a1"), ("Tanh", "hidden"), ("Affine", "a2"), ("SoftmaxWithLoss", "loss")]:
        g.add_node(op, node_id)
    wire(g, ("x", "a1", "x"), ("W1", "a1", "W"), ("b1", "a1", "b"), ("a1", "hidden", "x"), ("hidden", "a2", "x"),
         ("W2", "a2", "W"), ("b2", "a2", "b"), ("a2", "loss", "x"), ("t", "loss", "t"))
    return g


def build_regression(optimizer: str, batch_size: int) -> Graph:
    """A 1-8-1 sigmoid network fitting a sine with mean squared error."""
    g = Graph()
    g.set_dataset(Dataset.generate("sine", 12))
    lr = {"sgd": 0.1, "momentum": 0.05, "adam": 0.02}[optimizer]
    g.set_settings(TrainingSettings(optimizer=optimizer, learning_rate=lr, batch_size=batch_size, seed=2))
    rng = np.random.default_rng(2)
    g.add_node("Input", "x", attrs={"field": "x"})
    g.add_node("Input", "t", attrs={"field": "t"})
    g.add_node("Parameter", "W1", value=rng.normal(size=(1, 8)))
    g.add_node("Parameter", "b1", value=rng.normal(size=8))
    g.add_node("Parameter", "W2", value=rng.normal(size=(8, 1)))
    g.add_node("Parameter", "b2", value=[0.0])
    for op, node_id in [("MatMul", "m1"), ("Add", "a1"), ("Sigmoid", "sigmoid1"), ("Affine", "a2"),
                        ("MeanSquaredError", "loss")]:
        g.add_node(op, node_id)
    wire(g, ("x", "m1", "x"), ("W1", "m1", "W"), ("m1", "a1", "x"), ("b1", "a1", "y"), ("a1", "sigmoid1", "x"),
         ("sigmoid1", "a2", "x"), ("W2", "a2", "W"), ("b2", "a2", "b"), ("a2", "loss", "y"), ("t", "loss", "t"))
    return g


def build_nan_graph() -> Graph:
    """x · W with W = −1e6 gives a huge negative number; its Log is NaN."""
    g = Graph()
    g.add_node("Constant", "x", value=[[1.0, 2.0]])
    g.add_node("Parameter", "W", value=[[-1e6], [-1e6]])
    g.add_node("MatMul", "xw")
    g.add_node("Log", "log")
    g.add_node("Sum", "total")
    wire(g, ("x", "xw", "x"), ("W", "xw", "W"), ("xw", "log", "x"), ("log", "total", "x"))
    return g


# ---------------------------------------------------------------- snapshots
TABLES = ("values", "caches", "grads", "sent", "updated", "backward_done")


def snapshot(st: Stepper) -> dict[str, Any]:
    """Everything a step may change: the objects themselves, and copies to catch in-place writes."""
    f = st.frame
    snap: dict[str, Any] = {t: dict(getattr(f, t)) for t in TABLES}
    snap["frame"] = f
    snap["loss"] = f.loss
    snap["params"] = {p: st.graph.nodes[p].value for p in st.program.parameters}
    snap["param_copies"] = {p: v.copy() for p, v in snap["params"].items()}
    snap["value_copies"] = {k: v.copy() for k, v in f.values.items()}
    snap["grad_copies"] = {k: v.copy() for k, v in f.grads.items()}
    snap["optimizer"] = copy.deepcopy(st.optimizer.state)
    snap["cursor"] = st.cursor
    snap["iteration"] = st.iteration
    snap["history"] = st.history_length
    return snap


def same_tree(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same_tree(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(same_tree(x, y) for x, y in zip(a, b))
    return a == b or (a is None and b is None)


def assert_restored(st: Stepper, before: dict[str, Any]) -> None:
    """The stepper is back in ``before``'s state: the same objects, unchanged bits."""
    now = snapshot(st)
    assert now["frame"] is before["frame"]
    for table in TABLES:
        assert now[table].keys() == before[table].keys(), table
        for key, obj in before[table].items():
            assert now[table][key] is obj, f"{table}[{key!r}] is another object"
    for p, obj in before["params"].items():
        assert now["params"][p] is obj, f"parameter {p} is another object"
        assert np.array_equal(obj, before["param_copies"][p])
    for key, arr in before["value_copies"].items():
        assert np.array_equal(now["values"][key], arr), f"value of {key} was written in place"
    for key, arr in before["grad_copies"].items():
        assert np.array_equal(now["grads"][key], arr), f"gradient of {key} was written in place"
    assert same_tree(now["optimizer"], before["optimizer"])
    keys = ("cursor", "iteration", "history")
    assert [now[k] for k in keys] == [before[k] for k in keys]
    assert now["loss"] == before["loss"] or (now["loss"] is None and before["loss"] is None)


def numbers(st: Stepper) -> dict[str, Any]:
    """The state as plain numbers (to compare two runs)."""
    s = snapshot(st)
    return {
        "values": s["value_copies"], "grads": s["grad_copies"], "params": s["param_copies"],
        "sent": {k: v.copy() for k, v in s["sent"].items()}, "optimizer": s["optimizer"],
        "cursor": s["cursor"], "iteration": s["iteration"], "loss": s["loss"],
    }


def build_overflowing_square(value: float = 1e300) -> Graph:
    """Sum(p · p) with p = 1e300: the loss is Inf, so no finite-difference step gives finite values."""
    g = Graph()
    g.add_node("Parameter", "p", value=[value])
    g.add_node("Multiply", "m")
    g.add_node("Sum", "s")
    g.connect("p", "m", "x")
    g.connect("p", "m", "y")
    g.connect("m", "s", "x")
    return g
