"""Graphs built in code for the export tests: every op kind, broadcasting, a node feeding
several ports, ids that are not Python names, class labels, mini-batches, each optimizer."""
from __future__ import annotations

import numpy as np

from core.data.dataset import Dataset
from core.graph import Graph
from core.settings import TrainingSettings


def zoo(optimizer: str = "momentum", keep_gradients: bool = False) -> Graph:
    rng = np.random.default_rng(7)
    g = Graph()
    g.name = "Every op"
    labels = np.array([0, 1, 2, 1, 0, 2, 2, 1], dtype=float)
    g.set_dataset(Dataset({"x": rng.normal(size=(8, 3)), "c": labels, "y": np.eye(3)[labels.astype(int)],
                           "tt": rng.normal(size=8)}))
    g.set_settings(TrainingSettings(optimizer=optimizer, learning_rate=0.05, batch_size=3, seed=4,
                                    keep_gradients=keep_gradients))
    add = g.add_node
    add("Input", "x", attrs={"field": "x"})
    add("Input", "c", attrs={"field": "c"})
    add("Input", "y", attrs={"field": "y"})
    add("Input", "tt", attrs={"field": "tt"})
    add("Parameter", "w.1", value=rng.normal(size=(3, 4)) * 0.5)
    add("Parameter", "b-1", value=np.zeros(4))
    add("Parameter", "s", value=rng.normal(size=4))
    add("Constant", "half", value=0.5)
    add("Parameter", "e", value=rng.normal(size=(1, 4)) * 0.1)
    add("Parameter", "W2", value=rng.normal(size=(4, 3)) * 0.5)
    for op, node in [("Affine", "fc-1"), ("Tanh", "h"), ("Multiply", "m"), ("Add", "a"), ("Subtract", "d"),
                     ("Exp", "ex"), ("Divide", "q"), ("ReLU", "r"), ("Sigmoid", "sg"), ("Log", "lg"),
                     ("MatMul", "z"), ("SoftmaxWithLoss", "L1"), ("Softmax", "p"), ("CrossEntropy", "L2"),
                     ("Sum", "s1"), ("MeanSquaredError", "L3"), ("Mean", "mean"), ("SquaredError", "L4"),
                     ("Add", "total12"), ("Add", "total123"), ("Add", "total")]:
        add(op, node)
    g.set_attr("s1", "axis", 1)
    g.set_attr("mean", "axis", 0)
    g.set_attr("mean", "keepdims", True)
    for src, dst, port in [
        ("x", "fc-1", "x"), ("w.1", "fc-1", "W"), ("b-1", "fc-1", "b"), ("fc-1", "h", "x"),
        ("h", "m", "x"), ("s", "m", "y"), ("m", "a", "x"), ("half", "a", "y"), ("a", "d", "x"), ("h", "d", "y"),
        ("e", "ex", "x"), ("d", "q", "x"), ("ex", "q", "y"), ("q", "r", "x"), ("r", "sg", "x"), ("sg", "lg", "x"),
        ("lg", "z", "x"), ("W2", "z", "W"), ("z", "L1", "x"), ("c", "L1", "t"), ("z", "p", "x"), ("p", "L2", "y"),
        ("y", "L2", "t"), ("lg", "s1", "x"), ("s1", "L3", "y"), ("tt", "L3", "t"), ("h", "mean", "x"),
        ("mean", "L4", "y"), ("half", "L4", "t"),
        ("L1", "total12", "x"), ("L2", "total12", "y"), ("total12", "total123", "x"), ("L3", "total123", "y"),
        ("total123", "total", "x"), ("L4", "total", "y"),
    ]:
        g.connect(src, dst, port)
    g.set_objective("total")
    return g


def scalars() -> Graph:
    """Trainable single numbers (the apple example, trained): plain floats in the script."""
    g = Graph()
    g.name = "Scalars"
    g.set_settings(TrainingSettings(optimizer="adam", learning_rate=0.01))
    g.add_node("Parameter", "apple", value=100.0)
    g.add_node("Parameter", "num", value=2.0)
    g.add_node("Constant", "tax", value=1.1)
    g.add_node("Multiply", "mul")
    g.add_node("Multiply", "price")
    g.add_node("Constant", "target", value=200.0)
    g.add_node("SquaredError", "loss")
    for src, dst, port in [("apple", "mul", "x"), ("num", "mul", "y"), ("mul", "price", "x"), ("tax", "price", "y"),
                           ("price", "loss", "y"), ("target", "loss", "t")]:
        g.connect(src, dst, port)
    return g

