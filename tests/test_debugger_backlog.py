"""A step that changes many items draws those in sight at once and the rest after the repaint
(app/debugger/backlog.py): the canvas ends exactly as if everything had been drawn at once, a
scroll draws what comes into sight before it is painted, and an export draws everything first."""
from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPointF
from wide_graphs import fan_out_graph

from app import debugger
from app.debugger import backlog
from app.editor import label_pass
from app.model.document import Document
from core import io

BRANCHES = 60  # 241 nodes, 299 edges: more than a refresh draws at once
NODES = 4 * BRANCHES + 1


def _canvas(scene: Any) -> dict[str, Any]:
    """What every node and edge shows."""
    nodes = {item.node_id: (item.run_state, item.current, item.value_text()) for item in scene.node_items()}
    edges = {edge.key: edge.labels() for edge in scene.edge_items()}
    return {"nodes": nodes, "edges": edges}


def _in_sight(scene: Any, view: Any) -> tuple[set[str], set[tuple[str, str]]]:
    area = label_pass.visible_area(scene)
    assert area is not None
    nodes = {item.node_id for item in scene.node_items() if item.sceneBoundingRect().intersects(area)}
    edges = {edge.key for edge in scene.edge_items() if edge.sceneBoundingRect().intersects(area)}
    return nodes, edges


@pytest.fixture
def fan_file(tmp_path):
    path = tmp_path / "fan.json"
    io.save(fan_out_graph(BRANCHES, size=2), path)
    return path


def test_a_wide_first_step_draws_what_is_in_sight_first_and_ends_as_drawing_everything_at_once(
        make_main_window, qtbot, fan_file):
    hidden = make_main_window(Document.open(fan_file), install=[debugger.install])
    hidden.hide()  # no view in sight: every item is drawn at once
    hidden.run_steps(1)
    assert not hidden.debugger.labels.backlog.pending()
    everything = _canvas(hidden.scene)
    assert sum(state != "idle" for state, _, _ in everything["nodes"].values()) == NODES
    assert sum(value is not None for value, _ in everything["edges"].values()) == 2 * BRANCHES + 1

    window = make_main_window(Document.open(fan_file), install=[debugger.install])
    scene, view = window.scene, window.view
    view.set_scale(1.0, QPointF(0.0, 0.0))
    window.run_steps(1)
    waiting = window.debugger.labels.backlog
    assert waiting.pending()
    shown_nodes, shown_edges = _in_sight(scene, view)
    drawn = _canvas(scene)
    for node, look in drawn["nodes"].items():
        if node in shown_nodes:
            assert look == everything["nodes"][node], node
        else:
            assert node in waiting.nodes and look[0] == "idle", node
    for key, labels in drawn["edges"].items():
        if key in shown_edges:
            assert labels == everything["edges"][key], key
    assert len(shown_nodes) + len(shown_edges) < NODES + len(everything["edges"])

    qtbot.waitUntil(lambda: not scene.label_pass.pending(), timeout=10000)  # after the repaint, in slices
    assert _canvas(scene) == everything


def test_a_scroll_draws_what_comes_into_sight_before_it_is_painted(make_main_window, fan_file):
    window = make_main_window(Document.open(fan_file), install=[debugger.install])
    scene, view = window.scene, window.view
    view.set_scale(1.0, QPointF(0.0, 0.0))
    window.run_steps(1)
    waiting = window.debugger.labels.backlog
    far = max(scene.node_items(), key=lambda item: item.y())  # the lowest node: out of sight
    assert far.node_id in waiting.nodes and far.run_state == "idle"
    view.centerOn(far)
    assert far.node_id not in waiting.nodes and far.run_state != "idle"
    shown_nodes, shown_edges = _in_sight(scene, view)
    assert not shown_nodes & waiting.nodes
    assert not {(dst, port) for _, dst, port in waiting.edges} & shown_edges


def test_an_export_draws_everything_that_waits_first(make_main_window, fan_file, tmp_path):
    from app.window.screenshot import export_png

    window = make_main_window(Document.open(fan_file), install=[debugger.install])
    window.view.set_scale(1.0, QPointF(0.0, 0.0))
    window.run_steps(1)
    assert window.debugger.labels.backlog.pending()
    export_png(window.scene, tmp_path / "canvas.png", 0.2)
    assert not window.debugger.labels.backlog.pending()
    assert not window.scene.label_pass.pending()
    states = [item.run_state for item in window.scene.node_items()]
    assert "idle" not in states


def test_a_few_changed_items_are_drawn_at_once_wherever_they_are(make_main_window, fan_file):
    window = make_main_window(Document.open(fan_file), install=[debugger.install])
    window.view.set_scale(1.0, QPointF(0.0, 0.0))
    window.run_steps(1)
    window.scene.layout_labels_now()  # nothing waits
    window.run_steps(1)  # one forward step: a node and its edges, fewer than DEFER_AT items
    assert not window.debugger.labels.backlog.pending()
    assert backlog.DEFER_AT < NODES
