"""Editor speed on a generated 300-node, 400-edge graph: show, repaint at fit-to-view, undo of a
50-node deletion (and the same undo on a 3,000-node graph, against the 300-node one). Each
figure is printed with its goal and a ratio against a baseline measured in the same process
(plain QGraphicsRectItems and lines; an empty canvas; the graph alone; the 300-node graph).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_editor.py
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path
from typing import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from PySide6.QtCore import QLineF, QRectF  # noqa: E402
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView  # noqa: E402

from app.commands import Delete  # noqa: E402
from app.editor import EditorView, GraphScene  # noqa: E402
from app.model.document import Document  # noqa: E402
from core.graph import Graph  # noqa: E402
from core.validation import validate

NODES, EDGES, DELETED = 300, 400, 50
VIEW_SIZE = (1280, 800)
REPAINTS = 40
UNDO_REPEATS = 7
BIG_NODES, BIG_EDGES = 3000, 4000  # the undo's cost must not grow with the graph (within 2×)
GOALS = {"show": 1.0, "repaint": 0.016, "undo": 0.100, "undo_ratio": 2.0}


def layered_graph(nodes: int = NODES, edges: int = EDGES, seed: int = 1) -> Graph:
    """A valid layered graph: leaves on the left, unary and binary ops in layers, one loss.

    With L leaves (one is the loss target), U unary and B binary ops and a two-input loss:
    nodes = L + U + B + 1 and edges = U + 2B + 2; U and B are solved for the totals.
    """
    rng = np.random.default_rng(seed)
    leaves, width = 12, 16
    binary = edges - 2 - (nodes - 1 - leaves)
    unary = nodes - 1 - leaves - binary
    assert binary >= 0 and unary >= 0, "cannot reach those totals"
    kinds = ["unary"] * unary + ["binary"] * binary
    rng.shuffle(kinds)
    g = Graph()
    layer_of: dict[str, int] = {}
    unused: list[str] = []
    for i in range(leaves - 1):
        node = g.add_node("Parameter" if i % 2 else "Constant", f"leaf{i}", value=rng.normal(0, 1, (1, 3)),
                          pos=(0.0, i * 110.0))
        layer_of[node.id] = 0
        unused.append(node.id)
    made = list(unused)
    for i, kind in enumerate(kinds):
        layer = 1 + i // width
        op = ("Sigmoid", "Tanh")[i % 2] if kind == "unary" else ("Add", "Multiply")[i % 2]
        node_id = f"n{i}"
        g.add_node(op, node_id, pos=(layer * 220.0, (i % width) * 110.0))
        earlier = [n for n in made if layer_of[n] < layer]
        for port in g.node(node_id).inputs:
            fresh = [n for n in unused if layer_of[n] < layer]
            src = fresh[0] if fresh else earlier[int(rng.integers(max(0, len(earlier) - 2 * width), len(earlier)))]
            if src in unused:
                unused.remove(src)
            g.connect(src, node_id, port)
        layer_of[node_id] = layer
        made.append(node_id)
        unused.append(node_id)
    right = (2 + len(kinds) // width) * 220.0
    g.add_node("Constant", "target", value=np.zeros((1, 3)), pos=(right - 220.0, width * 110.0))
    g.add_node("MeanSquaredError", "loss", pos=(right, 0.0))
    g.connect(made[-1], "loss", "y")
    g.connect("target", "loss", "t")
    return g


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def show_editor(graph: Graph) -> tuple[Document, GraphScene, EditorView]:
    doc = Document(graph)
    scene = GraphScene(doc)
    view = EditorView(scene)
    view.resize(*VIEW_SIZE)
    view.show()
    view.fit_to_graph()
    QApplication.processEvents()
    view.viewport().repaint()
    return doc, scene, view


def show_plain(graph: Graph) -> tuple[QGraphicsScene, QGraphicsView]:
    """Baseline: the same boxes and straight lines as plain Qt items, no caching, no text."""
    scene = QGraphicsScene()
    for node in graph.nodes.values():
        scene.addRect(QRectF(node.pos[0], node.pos[1], 150, 70))
    for e in graph.edges:
        a, b = graph.nodes[e.src].pos, graph.nodes[e.dst].pos
        scene.addLine(QLineF(a[0] + 150, a[1] + 35, b[0], b[1] + 35))
    view = QGraphicsView(scene)
    view.resize(*VIEW_SIZE)
    view.show()
    view.fitInView(scene.itemsBoundingRect())
    QApplication.processEvents()
    view.viewport().repaint()
    return scene, view


def average_repaint(view: QGraphicsView, n: int = REPAINTS) -> float:
    view.viewport().repaint()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        view.viewport().repaint()
        times.append(time.perf_counter() - t0)
    return statistics.mean(times)


def undo_deletion(doc: Document, view: QGraphicsView | None, repeats: int = UNDO_REPEATS) -> float:
    """The median time of undoing one 50-node deletion (redone between the undos), with the
    events it queues and, given a view, a repaint (the median: the machine is shared)."""
    ids = list(doc.graph.nodes)[::6][:DELETED]
    doc.undo_stack.push(Delete(doc, ids))
    QApplication.processEvents()

    def undo() -> None:
        doc.undo_stack.undo()
        QApplication.processEvents()
        if view is not None:
            view.viewport().repaint()

    times = []
    for i in range(repeats):
        if i:
            doc.undo_stack.redo()
            QApplication.processEvents()
        times.append(timed(undo))
    return statistics.median(times)


def report(name: str, seconds: float, goal: float, baseline: float, baseline_name: str) -> None:
    ok = "meets" if seconds <= goal else "MISSES"
    ratio = seconds / baseline if baseline > 0 else float("inf")
    print(f"{name:<34} {seconds * 1000:8.1f} ms   goal {goal * 1000:6.0f} ms ({ok})   "
          f"{ratio:5.1f}× {baseline_name} ({baseline * 1000:.1f} ms)")


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    graph = layered_graph()
    assert len(graph.nodes) == NODES and len(graph.edges) == EDGES, (len(graph.nodes), len(graph.edges))
    problems = validate(graph)
    assert not problems, problems[:3]
    print(f"graph: {len(graph.nodes)} nodes, {len(graph.edges)} edges, valid; view {VIEW_SIZE[0]}×{VIEW_SIZE[1]}")

    plain_show = timed(lambda: show_plain(layered_graph()))
    holder: list[tuple[Document, GraphScene, EditorView]] = []
    show = timed(lambda: holder.append(show_editor(graph)))
    doc, scene, view = holder[0]
    report("show (build + first paint)", show, GOALS["show"], plain_show, "plain items")

    plain_scene, plain_view = show_plain(layered_graph())
    plain_repaint = average_repaint(plain_view)
    empty_view = EditorView(GraphScene(Document()))
    empty_view.resize(*VIEW_SIZE)
    empty_view.show()
    QApplication.processEvents()
    empty_repaint = average_repaint(empty_view)
    repaint = average_repaint(view)
    report(f"repaint at fit ({view.scale_factor():.2f}×)", repaint, GOALS["repaint"], plain_repaint, "plain items")
    report("", repaint, GOALS["repaint"], empty_repaint, "empty canvas")

    bare = Document(layered_graph())
    bare_undo = undo_deletion(bare, None)
    undo = undo_deletion(doc, view)
    report(f"undo of a {DELETED}-node deletion", undo, GOALS["undo"], bare_undo, "graph alone")
    big_doc, _big_scene, big_view = show_editor(layered_graph(BIG_NODES, BIG_EDGES))
    big_undo = undo_deletion(big_doc, big_view)
    report(f"  the same at {BIG_NODES:,} nodes", big_undo, GOALS["undo"], undo, f"{NODES} nodes")
    print(f"{'':<34} goal: ≤ {GOALS['undo_ratio']:.0f}× {NODES} nodes "
          f"({'meets' if big_undo <= GOALS['undo_ratio'] * undo else 'MISSES'})")
    big_view.close()
    bare_big = undo_deletion(Document(layered_graph(BIG_NODES, BIG_EDGES)), None)
    print(f"{'  graph alone (no view)':<34} {bare_undo * 1000:8.1f} ms at {NODES}, {bare_big * 1000:.1f} ms at "
          f"{BIG_NODES:,}: {bare_big / bare_undo:.1f}×")
    t_validate = min(timed(scene.validate_now) for _ in range(5))
    t_engine = min(timed(partial(validate, graph)) for _ in range(5))
    ratio = t_validate / t_engine
    print(f"{'live validation (one pass)':<34} {t_validate * 1000:8.1f} ms   (no goal; a few ms wanted)   "
          f"{ratio:5.1f}× validate(graph) ({t_engine * 1000:.1f} ms)")
    app.processEvents()


if __name__ == "__main__":
    main()
