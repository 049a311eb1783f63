"""A file without positions opens laid out with its nodes' sizes as the canvas draws them, and
columns far enough apart for a vector's label beside its edge: laid out with a default box
(150 × 70) the fan-out graph's parameter nodes (198 wide) and Multiply nodes (~100 tall) left
62 of the 120 units between the columns and stacked the rows onto each other, so after the
first step the labels covered each other, the nodes' names and the ports (the benchmark's
997-node graph: 157 pairs of labels, 695 labels over nodes, 503 of them over a node's name)."""
from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QRectF
from wide_graphs import fan_out_graph

from app import debugger
from app.editor import layout, style
from app.editor.edge_label import EdgeLabelItem
from app.model.document import Document
from core import io

BRANCHES = 40  # 161 nodes


def _overlaps(scene: Any) -> dict[str, int]:
    """How many pairs of shown labels overlap, and how many (label, node) pairs where a label
    covers a node, its name (the header) or one of its ports."""
    labels = [item.sceneBoundingRect() for item in scene.items()
              if isinstance(item, EdgeLabelItem) and item.isVisible() and item.text]
    counts = {"labels": 0, "nodes": 0, "names": 0, "ports": 0}
    for i, a in enumerate(labels):
        counts["labels"] += sum(1 for b in labels[i + 1:] if a.intersected(b).width() > 0 < a.intersected(b).height())
    r = style.PORT_RADIUS
    for node in scene.node_items():
        body = node.mapRectToScene(node.body_rect())
        header = QRectF(body.left(), body.top(), body.width(), style.HEADER_HEIGHT)
        ports = [QRectF(p.scenePos().x() - r, p.scenePos().y() - r, 2 * r, 2 * r) for p in node.ports()]
        for rect in labels:
            counts["nodes"] += rect.intersects(body)
            counts["names"] += rect.intersects(header)
            counts["ports"] += any(rect.intersects(port) for port in ports)
    return counts


def test_a_file_without_positions_opens_with_room_between_its_columns_and_rows(make_main_window, tmp_path):
    io.save(fan_out_graph(BRANCHES), tmp_path / "fan.json")
    assert {node.pos for node in Document.read(tmp_path / "fan.json").nodes.values()} == {(0.0, 0.0)}
    window = make_main_window(Document.open(tmp_path / "fan.json"))
    scene = window.scene
    bodies = {item.node_id: item.mapRectToScene(item.body_rect()) for item in scene.node_items()}
    names = sorted(bodies)
    assert not any(bodies[a].intersects(bodies[b]) for i, a in enumerate(names) for b in names[i + 1:])
    parameters = max(bodies[f"p{i}"].right() for i in range(BRANCHES))
    multiplies = min(bodies[f"m{i}"].left() for i in range(BRANCHES))
    assert parameters > 150.0  # the parameters are wider than a default box
    assert multiplies - parameters >= layout.COLUMN_GAP


def test_the_canvas_measures_boxes_only_on_the_gui_thread():
    graph = fan_out_graph(2)
    measured = layout.measured_boxes(graph)
    assert measured is not None and measured["p0"].width > style.NODE_MIN_WIDTH
    off_thread: list[Any] = []
    worker = threading.Thread(target=lambda: off_thread.append(layout.measured_boxes(graph)))
    worker.start()
    worker.join()
    assert off_thread == [None]


def test_after_the_first_step_of_a_fan_out_graph_its_labels_leave_names_and_each_other_clear(
        make_main_window, tmp_path):
    """With the default boxes this graph counted 19 pairs of labels, 114 labels over nodes, 78
    over a node's name (and 2 over a port)."""
    io.save(fan_out_graph(BRANCHES), tmp_path / "fan.json")
    window = make_main_window(Document.open(tmp_path / "fan.json"), install=[debugger.install])
    window.run_steps(1)
    window.scene.layout_labels_now()
    counts = _overlaps(window.scene)
    assert counts["labels"] <= 2
    assert counts["names"] <= 8
    assert counts["nodes"] <= 25
    assert counts["ports"] <= 8
