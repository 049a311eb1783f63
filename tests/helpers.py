"""Shared test helpers: the shipped examples, Mazur's network built in code, graph comparison."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from core import io
from core.data.dataset import Dataset
from core.graph import Graph
from core.program import Program
from core.settings import TrainingSettings

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"


def example_names() -> list[str]:
    """Every shipped example, by file stem, sorted."""
    return sorted(p.stem for p in EXAMPLES.glob("*.json"))


def trainable_example_names() -> list[str]:
    """The shipped examples that train (their Program has an update step; Buying apples does not)."""
    return [n for n in example_names() if not Program(load_example(n)).nothing_to_train()]


def load_example(name: str) -> Graph:
    """Load ``resources/examples/<name>.json`` (the ``.json`` may be given or left out)."""
    stem = name[:-5] if name.endswith(".json") else name
    return io.load(EXAMPLES / f"{stem}.json")


def build_mazur() -> Graph:
    """Mazur's 2-2-2 sigmoid network built through the graph API, independent of the file."""
    g = Graph()
    g.name = "Mazur (built in code)"
    g.set_dataset(Dataset({"x": [[0.05, 0.10]], "t": [[0.01, 0.99]]}))
    g.set_settings(TrainingSettings(optimizer="sgd", learning_rate=0.5, steps=1, batch_size=1))
    g.add_node("Input", "x", attrs={"field": "x"}, pos=(0, 0))
    g.add_node("Input", "t", attrs={"field": "t"}, pos=(880, 360))
    g.add_node("Parameter", "W1", value=[[0.15, 0.25], [0.20, 0.30]], pos=(0, 120),  # [[w1, w3], [w2, w4]]
               attrs={"names": "w1 w3 w2 w4"})
    g.add_node("Constant", "b1", value=0.35, pos=(0, 240))
    g.add_node("Affine", "affine1", pos=(220, 120))
    g.add_node("Sigmoid", "sigmoid1", pos=(440, 120))
    g.add_node("Parameter", "W2", value=[[0.40, 0.50], [0.45, 0.55]], pos=(440, 240),  # [[w5, w7], [w6, w8]]
               attrs={"names": "w5 w7 w6 w8"})
    g.add_node("Constant", "b2", value=0.60, pos=(440, 360))
    g.add_node("Affine", "affine2", pos=(660, 240))
    g.add_node("Sigmoid", "sigmoid2", pos=(880, 240))
    g.add_node("SquaredError", "loss", pos=(1100, 300))
    for src, dst, port in [
        ("x", "affine1", "x"), ("W1", "affine1", "W"), ("b1", "affine1", "b"),
        ("affine1", "sigmoid1", "x"),
        ("sigmoid1", "affine2", "x"), ("W2", "affine2", "W"), ("b2", "affine2", "b"),
        ("affine2", "sigmoid2", "x"),
        ("sigmoid2", "loss", "y"), ("t", "loss", "t"),
    ]:
        g.connect(src, dst, port)
    return g


def _same_array(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def assert_graphs_equal(a: Graph, b: Graph) -> None:
    """Fail unless both graphs hold the same nodes, attributes, positions, values (bit for bit),
    edges, objective, dataset and settings."""
    assert (a.name, a.description) == (b.name, b.description)
    assert list(a.nodes) == list(b.nodes)
    for node_id, na in a.nodes.items():
        nb = b.nodes[node_id]
        assert na.op_type == nb.op_type, node_id
        assert na.attrs == nb.attrs, node_id
        assert na.pos == nb.pos, node_id
        assert _same_array(na.value, nb.value), node_id
    assert a.edges == b.edges
    assert a.objective == b.objective
    assert a.settings == b.settings
    if a.dataset is None or b.dataset is None:
        assert a.dataset is b.dataset
        return
    da, db = a.dataset, b.dataset
    assert (da.generator, da.size, da.seed) == (db.generator, db.size, db.seed)
    assert list(a.dataset.fields) == list(b.dataset.fields)
    for name, arr in a.dataset.fields.items():
        assert _same_array(arr, b.dataset.fields[name]), name
